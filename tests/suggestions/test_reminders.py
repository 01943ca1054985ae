"""The deadline tick: reminders 15 and 3 days before (configurable) and once overdue, each sent
once, to the units that owe the answer and the office (the deputy too once overdue)."""

from datetime import date

import pytest

from renda.core.models import Notification
from renda.core.ticks import registered, run_ticks
from renda.suggestions import actions
from renda.suggestions.models import HandlingRules
from renda.suggestions.reminders import remind_deadlines
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.suggestions.factories import (
    answer_draft,
    at,
    frozen,  # noqa: F401  (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TITLE = "第1号 关于解决老旧小区停车难的建议"
DUE = date(2026, 6, 2)  # assigned on Monday 2026-03-02 + 3 months


def tick(day: date) -> dict[str, list[str]]:
    """Run the tick on `day`; who got which new titles."""
    last = max(Notification.objects.values_list("id", flat=True), default=0)
    remind_deadlines(at(day, hour=8))
    sent: dict[str, list[str]] = {}
    for n in Notification.objects.filter(id__gt=last).select_related("user").order_by("id"):
        sent.setdefault(n.user.username, []).append(n.title)
    return sent


def test_fifteen_and_three_days_before_each_once(world):
    s = world.handling()
    assert s.due_at == DUE
    fifteen = [f"建议答复期限还有 15 天：{TITLE}"]
    assert tick(date(2026, 5, 18)) == {"p_unit": fifteen, "p_staff": fifteen}
    assert tick(date(2026, 5, 18)) == {}  # the worker restarted and ran the tick again
    assert tick(date(2026, 5, 25)) == {}  # 8 days left: between two reminder days
    three = [f"建议答复期限还有 3 天：{TITLE}"]
    assert tick(date(2026, 5, 30)) == {"p_unit": three, "p_staff": three}
    assert tick(date(2026, 5, 31)) == {}
    assert tick(date(2026, 6, 2)) == {}  # due today: not yet overdue


def test_overdue_tells_the_deputy_too_once(world):
    s = world.handling()
    overdue = [f"建议已逾期未答复：{TITLE}"]
    assert tick(date(2026, 6, 3)) == {"p_unit": overdue, "p_staff": overdue, "p_deputy": overdue}
    note = Notification.objects.filter(user=world.p.deputy).latest("id")
    assert note.body == "答复期限为 2026-06-02，已逾期 1 天，请尽快答复。"
    assert note.url == f"/suggestions/{s.pk}/"
    assert tick(date(2026, 6, 4)) == {}
    assert tick(date(2026, 6, 20)) == {}


def test_a_missed_day_still_sends_the_reminder_once(world):
    world.handling()
    # The worker was down on 05-18: the 15-day reminder goes out on the next tick, once.
    assert tick(date(2026, 5, 20)) == {
        "p_unit": [f"建议答复期限还有 13 天：{TITLE}"],
        "p_staff": [f"建议答复期限还有 13 天：{TITLE}"],
    }
    assert tick(date(2026, 5, 21)) == {}


def test_an_extension_arms_the_reminders_again(world):
    s = world.handling()
    tick(date(2026, 5, 18))
    tick(date(2026, 5, 30))
    actions.extend_deadline(
        acting_user=world.p.staff, suggestion=s, new_due=date(2026, 7, 15), reason="协调中"
    )
    assert tick(date(2026, 6, 3)) == {}  # extended: not overdue
    assert set(tick(date(2026, 6, 30))) == {"p_unit", "p_staff"}  # 15 days before the new date
    assert set(tick(date(2026, 7, 16))) == {"p_unit", "p_staff", "p_deputy"}


def test_assigned_but_unsigned_units_are_reminded(world):
    world.assigned()  # the lead unit has not signed yet: it owes the answer all the same
    assert set(tick(date(2026, 5, 18))) == {"p_unit", "p_staff"}


def test_a_withdrawn_unit_is_not_reminded(world):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="非本单位职责")
    third = UnitFactory(name="区交通运输局")
    grant(UserFactory(username="p_third_unit"), "unit", unit=third)
    actions.decide_adjustment(acting_user=world.p.staff, assignment=lead, reassign_to=third)
    assert set(tick(date(2026, 5, 18))) == {"p_third_unit", "p_staff"}


def test_in_separate_handling_a_unit_that_has_answered_is_not_reminded(world):
    s = world.assigned(separate=True)
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    actions.sign_for(
        acting_user=world.co_unit_user, assignment=world.assignment(s, world.org.other_unit)
    )
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft())
    assert set(tick(date(2026, 5, 18))) == {"p_co_unit", "p_staff"}


def test_answered_suggestions_are_not_reminded(world):
    world.answered()
    assert tick(date(2026, 5, 18)) == {}
    assert tick(date(2026, 6, 3)) == {}


def test_reminder_days_are_configurable(world):
    rules = HandlingRules.current()
    rules.reminder_days = "10，1"
    rules.save()
    world.handling()
    assert tick(date(2026, 5, 18)) == {}
    assert set(tick(date(2026, 5, 23))) == {"p_unit", "p_staff"}
    assert set(tick(date(2026, 6, 1))) == {"p_unit", "p_staff"}


def test_the_tick_is_registered_with_the_worker(world):
    assert registered()["suggestion_deadlines"] is remind_deadlines
    world.handling()
    results = run_ticks(at(date(2026, 6, 3)))
    assert results["suggestion_deadlines"] == 3  # unit, office, deputy
    assert run_ticks(at(date(2026, 6, 3)))["suggestion_deadlines"] == 0
