"""Django's flush, guarded for a live installation and able to empty the append-only timeline.

Flush wipes the whole database on purpose: tests between live-server runs, a fresh bench. On a
live installation that would erase the timeline, so it is refused unless the database is a test
database (name starting with test_, or in memory) or `--confirm-database` names it exactly.

The timeline's triggers refuse the flush itself: on SQLite (DELETE) the row triggers are lifted
for the flush; on PostgreSQL (TRUNCATE) the statement trigger is disabled. Both come back
afterwards, even when the flush fails."""

from pathlib import Path

from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from renda.core.migrations import _timeline_triggers as triggers


def is_test_database(connection) -> bool:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and connection.creation.is_in_memory_db(name):
        return True
    return Path(str(name)).name.startswith("test_")


class Command(DjangoFlush):
    help = "清空整个数据库（仅限测试数据库；其他数据库须用 --confirm-database 写明库名）"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--confirm-database",
            default=None,
            help="确认清空非测试数据库：须与所配置的数据库名完全一致",
        )

    def handle(self, **options):
        connection = connections[options["database"]]
        self._refuse_live_database(connection, options.get("confirm_database"))
        if connection.vendor == "sqlite":
            return self._flush_sqlite(connection, options)
        if connection.vendor == "postgresql":
            return self._flush_postgresql(connection, options)
        return super().handle(**options)

    def _refuse_live_database(self, connection, confirmed: str | None) -> None:
        name = str(connection.settings_dict["NAME"])
        if is_test_database(connection) or confirmed == name:
            return
        raise CommandError(
            f"拒绝清空数据库“{name}”：这不是测试数据库，清空会删除全部数据和不可更改的办理记录。"
            f"确需清空时，请先备份（renda backup），再加参数 --confirm-database {name}"
        )

    def _flush_sqlite(self, connection, options):
        with connection.cursor() as cursor:
            for statement in triggers.SQLITE_BACKWARD:
                cursor.execute(statement)
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for statement in triggers.SQLITE_FORWARD:
                    cursor.execute(statement)

    def _flush_postgresql(self, connection, options):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_trigger WHERE tgname = 'core_timelineevent_no_truncate'"
            )
            guarded = cursor.fetchone() is not None
            if guarded:
                cursor.execute(triggers.POSTGRES_TRUNCATE_DISABLE)
        try:
            return super().handle(**options)
        finally:
            if guarded:
                with connection.cursor() as cursor:
                    cursor.execute(triggers.POSTGRES_TRUNCATE_ENABLE)
