"""SQL of the timeline's append-only triggers, shared by migration 0002 and `renda flush`."""

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
