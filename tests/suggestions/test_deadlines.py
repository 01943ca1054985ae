"""Answer deadlines on the work calendar: holidays roll a due date forward and say why; a year
nobody has entered yet is counted weekends-only, says so, and is recomputed once entered."""

from datetime import date

import pytest
from django.urls import reverse

from renda.core.deadlines import notify_calendar_changed
from renda.core.models import CalendarDay, CalendarYear, TimelineEvent
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Status
from tests.suggestions.factories import Mark, at, reload

pytestmark = pytest.mark.django_db


def assign_on(world, time_machine, day: date, **plan):
    time_machine.move_to(at(day), tick=False)
    s = world.accepted()
    actions.assign(
        acting_user=world.p.staff,
        suggestion=s,
        plan=AssignmentPlan(mode="lead", lead_unit=world.org.unit, **plan),
    )
    return reload(s)


def test_three_months_from_a_holiday_assignment_day(world, time_machine):
    # 2026-09-25 is itself a holiday (中秋节): the start day is not counted anyway.
    s = assign_on(world, time_machine, date(2026, 9, 25))
    assert s.due_at == date(2026, 12, 25)
    assert s.due_explanation == "交办日 2026-09-25 + 3 个月 = 2026-12-25"
    assert s.due_provisional_years == []


def test_due_date_in_the_spring_festival_rolls_forward(world, time_machine):
    s = assign_on(world, time_machine, date(2025, 11, 17))
    assert s.due_at == date(2026, 2, 24)
    assert s.due_explanation == (
        "交办日 2025-11-17 + 3 个月 = 2026-02-17，逢春节假期顺延至 2026-02-24"
    )
    # The explanation is on the assignment's timeline event too.
    assert TimelineEvent.objects.for_object(s).get(verb="assign").note == s.due_explanation


def test_due_date_in_the_national_day_holiday_rolls_forward(world, time_machine):
    s = assign_on(world, time_machine, date(2026, 7, 1))
    assert s.due_at == date(2026, 10, 8)
    assert s.due_explanation == (
        "交办日 2026-07-01 + 3 个月 = 2026-10-01，逢国庆节假期顺延至 2026-10-08"
    )


def test_due_date_on_a_weekend_rolls_to_monday(world, time_machine):
    s = assign_on(world, time_machine, date(2026, 3, 7))  # + 3 months = Sunday 2026-06-07
    assert s.due_at == date(2026, 6, 8)
    assert s.due_explanation == "交办日 2026-03-07 + 3 个月 = 2026-06-07，逢休息日顺延至 2026-06-08"


def test_a_due_date_in_2027_is_provisional_and_says_so(world, time_machine):
    s = assign_on(world, time_machine, date(2026, 11, 27))
    assert s.due_at == date(2027, 3, 1)  # 2027-02-27 is a Saturday: weekends-only fallback
    assert s.due_provisional_years == [2027]
    assert "2027 年节假日安排未录入" in s.due_explanation
    assert s.due_explanation == (
        "交办日 2026-11-27 + 3 个月 = 2027-02-27，逢休息日顺延至 2027-03-01"
        "（2027 年节假日安排未录入，暂按周末计算）"
    )


def enter_2027_spring_festival():
    for day in range(6, 13):  # an example schedule: 2027-02-06 … 02-12 off
        CalendarDay.objects.create(date=date(2027, 2, day), kind="holiday", name="春节")


def test_entering_2027_in_the_admin_recomputes_the_due_date(
    world, time_machine, client, django_capture_on_commit_callbacks
):
    s = assign_on(world, time_machine, date(2026, 11, 9))
    assert (s.due_at, s.due_provisional_years) == (date(2027, 2, 9), [2027])
    enter_2027_spring_festival()
    mark = Mark(s)
    client.force_login(world.p.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_calendaryear_add"),
            {
                "year": 2027,
                "note": "国办发明电",
                "entered_at_0": "2026-11-27",
                "entered_at_1": "10:00:00",
            },
        )
    assert response.status_code == 302
    s = reload(s)
    assert s.due_at == date(2027, 2, 15) and s.due_provisional_years == []
    assert s.due_explanation == (
        "交办日 2026-11-09 + 3 个月 = 2027-02-09，逢春节假期顺延至 2027-02-15"
    )
    event = mark.event()
    assert (event.verb, event.actor) == ("recompute_due", None)
    assert event.summary == "节假日安排录入后重算答复期限：2027-02-09 → 2027-02-15"
    assert event.note == s.due_explanation


def test_recompute_only_touches_open_provisional_suggestions_of_that_year(
    world, time_machine, django_capture_on_commit_callbacks
):
    provisional = assign_on(world, time_machine, date(2026, 11, 9))
    known = assign_on(world, time_machine, date(2026, 3, 2))
    answered = world.answered()  # assigned on 2026-03-02 too: not provisional
    enter_2027_spring_festival()
    CalendarYear.objects.create(year=2027)
    before_known, before_answered = reload(known).version, reload(answered).version
    with django_capture_on_commit_callbacks(execute=True):
        notify_calendar_changed({2028})  # another year: nothing to do
    assert reload(provisional).due_at == date(2027, 2, 9)
    with django_capture_on_commit_callbacks(execute=True):
        notify_calendar_changed({2027})
    assert reload(provisional).due_at == date(2027, 2, 15)
    assert (reload(known).version, reload(answered).version) == (before_known, before_answered)


def test_entering_a_year_that_changes_nothing_clears_the_provisional_note(
    world, time_machine, django_capture_on_commit_callbacks
):
    s = assign_on(world, time_machine, date(2026, 11, 27))
    CalendarYear.objects.create(year=2027)  # no holiday near 2027-03-01
    mark = Mark(s)
    with django_capture_on_commit_callbacks(execute=True):
        notify_calendar_changed({2027})
    s = reload(s)
    assert s.due_at == date(2027, 3, 1) and s.due_provisional_years == []
    assert "未录入" not in s.due_explanation
    assert mark.events() == []  # the date did not move: nothing to tell


def test_an_extended_deadline_is_not_recomputed(
    world, time_machine, django_capture_on_commit_callbacks
):
    s = assign_on(world, time_machine, date(2026, 11, 9))
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    actions.extend_deadline(
        acting_user=world.p.staff,
        suggestion=s,
        new_due=date(2027, 3, 10),
        reason="春节前后施工停滞",
    )
    enter_2027_spring_festival()
    CalendarYear.objects.create(year=2027)
    with django_capture_on_commit_callbacks(execute=True):
        notify_calendar_changed({2027})
    assert reload(s).due_at == date(2027, 3, 10)


def test_difficult_six_months_across_the_new_year(world, time_machine):
    s = assign_on(world, time_machine, date(2026, 7, 1), is_difficult=True)
    # 2027-01-01 is a Friday: a working day weekends-only, though surely 元旦 in truth — which is
    # why the date says it is provisional.
    assert s.due_at == date(2027, 1, 1)
    assert s.due_provisional_years == [2027]
    assert s.status == Status.ASSIGNED


def test_past_work_is_computed_as_of_its_day(world):
    s = world.accepted()
    with actions.as_of(date(2025, 11, 17)):
        actions.assign(
            acting_user=world.p.staff,
            suggestion=s,
            plan=AssignmentPlan(mode="lead", lead_unit=world.org.unit),
        )
    s = reload(s)
    assert (s.assigned_on, s.due_at) == (date(2025, 11, 17), date(2026, 2, 24))
    event = TimelineEvent.objects.for_object(s).get(verb="assign")
    assert event.created_at.date() == date(2025, 11, 17)
