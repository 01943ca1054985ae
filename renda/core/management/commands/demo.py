"""`renda demo`: build the demo congress and print its log-ins."""

from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand, CommandError

from renda.core.errors import DomainError
from renda.core.models import User
from renda.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from renda.demo.build import DEFAULT_SEED, build_demo, database_is_empty


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table() -> list[str]:
    """The demo accounts present in the database, as aligned text lines."""
    present = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    rows = [("用户名", "密码", "姓名", "角色")]
    rows += [
        (a.username, DEMO_PASSWORD, a.full_name, a.description)
        for a in DEMO_ACCOUNTS
        if a.username in present
    ]
    if len(rows) == 1:
        return ["数据库中没有演示账号。"]
    widths = [max(_width(row[i]) for row in rows) for i in range(3)]
    lines = []
    for row in rows:
        lines.append(
            "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False)) + "  " + row[3]
        )
    lines.insert(1, "-" * (sum(widths) + 6 + max(_width(r[3]) for r in rows)))
    return lines


class Command(BaseCommand):
    help = (
        "生成演示数据：泉城区人大常委会及其工作机构、12 个街道人大工委、承办单位、"
        "421 名各级代表、会议和各角色演示账号。只能在空数据库中运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"随机种子（默认 {DEFAULT_SEED}）；同一种子总是生成相同的数据",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库中已有数据时跳过，不报错（用于部署脚本）",
        )

    def handle(self, *args, seed: int, if_empty: bool, **options):
        if if_empty and not database_is_empty():
            self.stdout.write("数据库中已有数据，跳过生成演示数据。")
        else:
            try:
                summary = build_demo(seed=seed, stdout=self.stdout)
            except DomainError as exc:
                if if_empty and exc.code in ("demo_not_empty", "demo_conflict"):
                    # Lost a race with another process building it: the data is there.
                    self.stdout.write("数据库中已有数据，跳过生成演示数据。")
                else:
                    raise CommandError(exc.message) from exc
            else:
                self.stdout.write(self.style.SUCCESS("演示数据已生成。"))
                for line in summary.lines():
                    self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(
            f"演示账号（密码均为 {DEMO_PASSWORD}，仅供演示，正式使用前请删除或修改）："
        )
        for line in login_table():
            self.stdout.write(f"  {line}")
