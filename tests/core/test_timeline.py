import pytest
from django.db import DatabaseError, connection, transaction
from django.template.loader import render_to_string

from renda.core.actions import record_event
from renda.core.errors import DomainError
from renda.core.models import TimelineEvent
from tests.suggestions import factories

world = factories.world  # the suggestions' fixture, for a record with states


@pytest.fixture
def event(org, personas):
    return record_event(
        target=org.unit,
        actor=personas.staff,
        verb="test",
        summary="交办给区住建局",
        from_state="submitted",
        to_state="assigned",
        note="交办会",
    )


@pytest.mark.django_db
def test_record_event_appends_with_actor_and_states(event, org, personas):
    events = list(TimelineEvent.objects.for_object(org.unit))
    assert events == [event]
    assert (event.actor, event.from_state, event.to_state) == (
        personas.staff,
        "submitted",
        "assigned",
    )


@pytest.mark.django_db
def test_system_events_have_no_actor(org):
    assert record_event(target=org.unit, actor=None, verb="tick", summary="逾期提醒").actor is None


@pytest.mark.django_db
def test_saving_an_existing_event_is_refused(event):
    event.summary = "篡改"
    with pytest.raises(DomainError) as error:
        event.save()
    assert "只能追加" in error.value.message
    event.refresh_from_db()
    assert event.summary == "交办给区住建局"


@pytest.mark.django_db
def test_deleting_an_event_is_refused(event):
    with pytest.raises(DomainError):
        event.delete()
    with pytest.raises(DomainError):
        TimelineEvent.objects.all().delete()
    with pytest.raises(DomainError):
        TimelineEvent.objects.filter(pk=event.pk).update(summary="篡改")
    assert TimelineEvent.objects.filter(pk=event.pk, summary="交办给区住建局").exists()


@pytest.mark.django_db
def test_the_database_refuses_raw_updates_and_deletes(event):
    table = TimelineEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET summary = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert TimelineEvent.objects.filter(pk=event.pk, summary="交办给区住建局").exists()


@pytest.mark.django_db
def test_partial_renders_history_in_order(org, personas):
    record_event(target=org.unit, actor=personas.staff, verb="a", summary="第一步")
    record_event(target=org.unit, actor=None, verb="b", summary="第二步", note="系统自动")
    html = render_to_string(
        "core/partials/timeline.html", {"events": TimelineEvent.objects.for_object(org.unit)}
    )
    assert html.index("第一步") < html.index("第二步")
    assert "代表室干部" in html and "系统" in html and "系统自动" in html


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database(org, personas):
    from django.core.management import call_command

    record_event(target=org.unit, actor=personas.staff, verb="x", summary="x")
    call_command("flush", interactive=False, verbosity=0)
    assert TimelineEvent.objects.count() == 0
    # ...and the guard is back afterwards.
    from renda.core.models import Unit

    unit = Unit.objects.create(name="区测试局")
    created = record_event(target=unit, actor=None, verb="x", summary="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TimelineEvent._meta.db_table} WHERE id = %s", [created.pk])


@pytest.mark.django_db
def test_timeline_shows_state_labels_registered_by_the_app(client, personas, world):
    """The table keeps codes; a person reads the app's Chinese state names."""
    from django.urls import reverse

    suggestion = world.submitted()
    event = TimelineEvent.objects.for_object(suggestion).get(verb="submit")
    assert (event.from_state, event.to_state) == ("draft", "submitted")
    assert (event.from_label, event.to_label) == ("草稿", "待审查")
    client.force_login(personas.deputy)
    html = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert "（草稿 → 待审查）" in html and "draft →" not in html
