"""The timeline cannot be rewritten or emptied behind the actions' back (issue 12, item 10)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from renda.core.actions import record_event
from renda.core.models import TimelineEvent, Unit

TABLE = TimelineEvent._meta.db_table


@pytest.fixture
def event(org, personas):
    return record_event(target=org.unit, actor=personas.staff, verb="test", summary="原始记录")


def _refused(sql, params=()):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_sqlite_refuses_insert_or_replace_of_an_event(event, org):
    if connection.vendor != "sqlite":
        pytest.skip("REPLACE conflict resolution is SQLite's")
    columns = [f.column for f in TimelineEvent._meta.concrete_fields]
    names = ", ".join(columns)
    select = ", ".join("'篡改'" if c == "summary" else c for c in columns)
    _refused(
        f"INSERT OR REPLACE INTO {TABLE} ({names}) SELECT {select} FROM {TABLE} WHERE id = %s",
        [event.pk],
    )
    _refused(
        f"REPLACE INTO {TABLE} ({names}) SELECT {select} FROM {TABLE} WHERE id = %s", [event.pk]
    )
    event.refresh_from_db()
    assert event.summary == "原始记录"
    # New events are still appended.
    assert record_event(target=org.unit, actor=None, verb="x", summary="下一步").pk > event.pk


@pytest.mark.django_db
def test_postgresql_refuses_truncate_of_the_timeline(event):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    _refused(f"TRUNCATE {TABLE}")
    _refused("TRUNCATE core_user CASCADE")  # a cascade reaches the timeline too
    assert TimelineEvent.objects.filter(pk=event.pk, summary="原始记录").exists()


@pytest.mark.django_db
def test_flush_refuses_a_database_that_is_not_a_test_database(event, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "renda")
    for confirm in (None, "renda_other"):
        with pytest.raises(CommandError) as error:
            call_command("flush", interactive=False, verbosity=0, confirm_database=confirm)
        assert "拒绝清空数据库“renda”" in str(error.value)
        assert "--confirm-database renda" in str(error.value)
    assert TimelineEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_a_named_live_database_and_keeps_the_guards(event, org, monkeypatch):
    live = "/srv/renda/renda.sqlite3" if connection.vendor == "sqlite" else "renda"
    monkeypatch.setitem(connection.settings_dict, "NAME", live)
    call_command("flush", interactive=False, verbosity=0, confirm_database=live)
    assert TimelineEvent.objects.count() == 0
    monkeypatch.undo()
    _assert_guards_in_place()


@pytest.mark.django_db(transaction=True)
def test_flush_of_a_test_database_needs_no_flag_and_keeps_the_guards(event, org):
    assert connection.settings_dict["NAME"].startswith("test_") or connection.vendor == "sqlite"
    call_command("flush", interactive=False, verbosity=0)
    assert TimelineEvent.objects.count() == 0
    _assert_guards_in_place()


def assert_append_only(pk: int) -> None:
    """Every way of rewriting or emptying the timeline is refused for this event."""
    _refused(f"DELETE FROM {TABLE} WHERE id = %s", [pk])
    _refused(f"UPDATE {TABLE} SET summary = '篡改' WHERE id = %s", [pk])
    if connection.vendor == "postgresql":
        _refused(f"TRUNCATE {TABLE}")
    else:
        columns = ", ".join(f.column for f in TimelineEvent._meta.concrete_fields)
        _refused(
            f"INSERT OR REPLACE INTO {TABLE} ({columns}) SELECT {columns} FROM {TABLE} WHERE id = %s",
            [pk],
        )


def _assert_guards_in_place():
    unit = Unit.objects.create(name="区测试局")  # the flush took the fixtures' rows away
    created = record_event(target=unit, actor=None, verb="x", summary="x")
    assert_append_only(created.pk)
    assert TimelineEvent.objects.filter(pk=created.pk, summary="x").exists()
