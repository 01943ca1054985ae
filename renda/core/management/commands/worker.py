"""The one background worker: runs queued tasks and the periodic deadline tick."""

import os
import socket
import time

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from renda.core.ticks import run_ticks


class Command(BaseCommand):
    help = "运行后台任务与定时期限检查"

    def add_arguments(self, parser):
        parser.add_argument("--tick-seconds", type=int, default=300, help="期限检查间隔（秒）")
        parser.add_argument(
            "--poll-seconds", type=float, default=2.0, help="任务队列轮询间隔（秒）"
        )
        parser.add_argument(
            "--once", action="store_true", help="执行一轮后退出（用于测试和定时任务）"
        )

    def handle(self, *args, tick_seconds, poll_seconds, once, **options):
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"{socket.gethostname()}-{os.getpid()}"[:64],
            excluded_queue_names=[],
        )
        next_tick = 0.0
        while True:
            worker.run()  # batch mode: runs what is queued, then returns
            if time.monotonic() >= next_tick:
                results = run_ticks(timezone.now())
                if results:
                    self.stdout.write(f"期限检查：{results}")
                next_tick = time.monotonic() + tick_seconds
            if once:
                return
            time.sleep(poll_seconds)
