"""SQL of the timeline's append-only triggers, shared by the migrations and `renda flush`."""

TABLE = "core_timelineevent"

SQLITE_FORWARD = [
    """CREATE TRIGGER core_timelineevent_no_update BEFORE UPDATE ON core_timelineevent
    BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;""",
    """CREATE TRIGGER core_timelineevent_no_delete BEFORE DELETE ON core_timelineevent
    BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_timelineevent_no_update;",
    "DROP TRIGGER IF EXISTS core_timelineevent_no_delete;",
]

# SQLite's REPLACE conflict resolution deletes the old row without firing delete triggers (unless
# PRAGMA recursive_triggers is on for that connection), so `INSERT OR REPLACE` would rewrite an
# event. This trigger refuses an insert whose id already exists, on every connection, whatever
# its pragmas.
SQLITE_NO_REPLACE = """CREATE TRIGGER IF NOT EXISTS core_timelineevent_no_replace
    BEFORE INSERT ON core_timelineevent
    WHEN EXISTS (SELECT 1 FROM core_timelineevent WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'timeline is append-only'); END;"""
SQLITE_NO_REPLACE_BACKWARD = "DROP TRIGGER IF EXISTS core_timelineevent_no_replace;"

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

# Row triggers do not see TRUNCATE; a statement trigger does. Its own function, so that lifting
# the row trigger (POSTGRES_BACKWARD) leaves this guard in place.
POSTGRES_TRUNCATE_FORWARD = """
CREATE OR REPLACE FUNCTION core_timeline_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'timeline is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_timelineevent_no_truncate BEFORE TRUNCATE ON core_timelineevent
FOR EACH STATEMENT EXECUTE FUNCTION core_timeline_refuse_truncate();
"""
POSTGRES_TRUNCATE_BACKWARD = """
DROP TRIGGER IF EXISTS core_timelineevent_no_truncate ON core_timelineevent;
DROP FUNCTION IF EXISTS core_timeline_refuse_truncate();
"""
# `renda flush` on a test database lifts the TRUNCATE guard for its own transaction only.
POSTGRES_TRUNCATE_DISABLE = (
    "ALTER TABLE core_timelineevent DISABLE TRIGGER core_timelineevent_no_truncate;"
)
POSTGRES_TRUNCATE_ENABLE = (
    "ALTER TABLE core_timelineevent ENABLE TRIGGER core_timelineevent_no_truncate;"
)
