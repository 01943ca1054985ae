"""Django's flush, able to empty the append-only timeline on SQLite.

Flush wipes the whole database on purpose (tests between live-server runs, a fresh demo). On
SQLite it empties tables with DELETE, which the timeline's triggers refuse, so the triggers are
lifted for the flush and put back afterwards, even when the flush fails."""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from renda.core.migrations import _timeline_triggers as triggers


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            for statement in triggers.SQLITE_BACKWARD:
                cursor.execute(statement)
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for statement in triggers.SQLITE_FORWARD:
                    cursor.execute(statement)
