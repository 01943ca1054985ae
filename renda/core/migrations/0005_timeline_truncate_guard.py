"""The timeline cannot be rewritten by the two holes the triggers of 0002 left open.

- PostgreSQL: TRUNCATE, which row triggers do not see, is refused by a statement trigger.
- SQLite: `INSERT OR REPLACE` deletes the old row without firing delete triggers, so an insert
  whose id already exists is refused.
"""

from django.db import migrations

from renda.core.migrations._timeline_triggers import (
    POSTGRES_TRUNCATE_BACKWARD,
    POSTGRES_TRUNCATE_FORWARD,
    SQLITE_NO_REPLACE,
    SQLITE_NO_REPLACE_BACKWARD,
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRUNCATE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_NO_REPLACE_BACKWARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_TRUNCATE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_job")]

    operations = [migrations.RunPython(forward, backward)]
