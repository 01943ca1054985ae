"""The plans' home panels: the attention lists for the owner office's staff (their offices only)
and for the leaders (every office); a bounded number of queries whatever the number of items."""

from datetime import date

import pytest
from django.urls import reverse

from renda.plans import actions
from renda.plans.home import plan_panels
from tests.plans.factories import APRIL, at

pytestmark = pytest.mark.django_db

STALE = "计划未落实（长期无进展）"


def titles(user) -> dict[str, int]:
    return {p.title: p.total for p in plan_panels(user)}


@pytest.fixture
def approved(planning, time_machine):
    time_machine.move_to(at(APRIL), tick=False)
    return planning.approved(items=3)


def test_each_role_sees_its_lists(planning, approved, time_machine):
    time_machine.move_to(at(date(2026, 5, 1)), tick=False)  # 30 days without a report
    assert titles(planning.p.social_staff) == {STALE: 3}
    assert titles(planning.p.leader) == {STALE: 3}
    assert titles(planning.p.admin) == {STALE: 3}
    assert titles(planning.p.staff) == {}  # another office's items are not theirs
    for who in ("street", "deputy", "unit", "nobody"):
        assert plan_panels(getattr(planning.p, who)) == []


def test_overdue_and_busy_panels(planning, approved, time_machine):
    first = planning.item(approved)
    with actions.as_of(date(2026, 10, 10)):
        actions.report_progress(
            acting_user=planning.p.social_staff, item=first, text="检查中", percent=70
        )
    time_machine.move_to(at(date(2026, 10, 12)), tick=False)
    panels = {p.title: p for p in plan_panels(planning.p.leader)}
    assert {t: p.total for t, p in panels.items()} == {STALE: 2, "忙而无果（临近期限仍无成果）": 1}
    busy = panels["忙而无果（临近期限仍无成果）"]
    assert (busy.kind, busy.items[0].url, busy.items[0].badge, busy.items[0].note) == (
        "waiting",
        reverse("plans:item", args=[first.pk]),
        "10-31",
        "社会建设工作室 · 监督工作计划",
    )
    assert busy.more_url == reverse("plans:attention") + "?list=busy"
    time_machine.move_to(at(date(2026, 11, 2)), tick=False)
    (overdue,) = plan_panels(planning.p.social_staff)
    assert (overdue.title, overdue.kind, overdue.total) == ("计划事项已逾期", "overdue", 3)
    assert {i.badge_class for i in overdue.items} == {"text-bg-danger"}


def test_query_cost_does_not_grow_with_rows(
    planning, approved, time_machine, django_assert_num_queries
):
    time_machine.move_to(at(date(2026, 5, 1)), tick=False)
    staff = planning.p.social_staff
    staff.roles  # noqa: B018  (roles are read once per request, before the panels)
    with django_assert_num_queries(3):  # rules, list lengths, the one non-empty list
        plan_panels(staff)
    time_machine.move_to(at(APRIL), tick=False)
    planning.approved(kind="study", items=5)
    time_machine.move_to(at(date(2026, 5, 1)), tick=False)
    with django_assert_num_queries(3):
        (panel,) = plan_panels(staff)
    assert (panel.total, len(panel.items)) == (8, 6)  # the panel shows six, counts all
