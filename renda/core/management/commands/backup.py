"""`renda backup`: the database, the attachments and a manifest, into a dated folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renda.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库与附件（含行数与校验和清单），保留最近若干份"

    def add_arguments(self, parser):
        parser.add_argument(
            "--target", type=Path, default=None, help="备份存放目录（缺省 RENDA_BACKUP_DIR）"
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="保留最近几份（缺省 RENDA_BACKUP_KEEP）"
        )

    def handle(self, *args, target, keep, **options):
        try:
            folder = create_backup(target=target, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"备份完成：{folder}")
