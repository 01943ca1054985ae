"""The database itself refuses to change the timeline.

UPDATE is refused on both engines. DELETE is refused on PostgreSQL; on SQLite the test runner's
flush between live-server tests uses DELETE, so there the model and queryset guards are the
barrier (see docs/decisions/0002-timeline-append-only.md)."""

from django.db import migrations

SQLITE_FORWARD = """
CREATE TRIGGER core_timelineevent_no_update BEFORE UPDATE ON core_timelineevent
BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_timelineevent_no_update;"

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION core_timeline_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_timelineevent_no_change BEFORE UPDATE OR DELETE ON core_timelineevent
FOR EACH ROW EXECUTE FUNCTION core_timeline_refuse_change();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS core_timelineevent_no_change ON core_timelineevent;
DROP FUNCTION IF EXISTS core_timeline_refuse_change();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
