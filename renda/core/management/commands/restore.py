"""`renda restore FOLDER`: verify a backup's manifest, then restore the database and attachments."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from renda.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份目录恢复数据库与附件（先核对清单的校验和，恢复后核对行数）"

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="备份目录（renda-日期-时间）")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="覆盖已有数据的数据库（现有数据与附件将被备份内容取代）",
        )

    def handle(self, *args, folder, replace, **options):
        try:
            result = restore_backup(folder, replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"恢复完成：{result.tables} 张表、{result.rows} 行、{result.media_files} 个附件，"
            "与备份清单一致"
        )
