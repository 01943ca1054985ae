"""The attention lists (overdue, stale, busy, overdue milestones) for leaders and for the owner
office, and the leaders' dashboard with its click-through; query counts independent of rows."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.plans import actions
from renda.plans.models import PlanKind

pytestmark = pytest.mark.django_db
ATTENTION = reverse("plans:attention")
DASHBOARD = reverse("plans:dashboard")
HEALTH_ITEMS = reverse("plans:health_items")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(at(date(2026, 5, 15)), tick=False)


def rows(client, user, url, **params) -> list[int]:
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


def overdue_item(planning, kind=PlanKind.SUPERVISION):
    """An item of an approved plan whose milestone of 1 April has passed."""
    item = planning.item(planning.approved(kind=kind))
    actions.add_milestone(
        acting_user=planning.p.social_staff, item=item, title="印发方案", due_on=date(2026, 4, 1)
    )
    return item


def test_overdue_list_and_milestones_for_leader_and_owner_office(client, planning):
    item = overdue_item(planning)
    milestone = item.milestones.get()
    for user in (planning.p.leader, planning.p.social_staff):
        assert rows(client, user, ATTENTION) == [item.pk]
        assert rows(client, user, ATTENTION, list="milestones") == [milestone.pk]
    # Staff of another office see their own office's items only.
    assert rows(client, planning.p.staff, ATTENTION) == []
    assert rows(client, planning.p.staff, ATTENTION, list="milestones") == []


def test_stale_and_busy_lists(client, planning, time_machine):
    time_machine.move_to(at(date(2026, 3, 1)), tick=False)
    stale = planning.item(planning.approved(kind=PlanKind.SUPERVISION))  # approved 1 March
    time_machine.move_to(at(date(2026, 5, 15)), tick=False)
    assert rows(client, planning.p.leader, ATTENTION, list="stale") == [stale.pk]
    busy = planning.in_progress(kind=PlanKind.DEPUTY_WORK)
    time_machine.move_to(at(date(2026, 10, 15)), tick=False)  # within 30 days of 31 October
    assert busy.pk in rows(client, planning.p.leader, ATTENTION, list="busy")


def test_postponed_item_leaves_the_overdue_list(client, planning):
    item = planning.item(planning.approved())
    actions.report_progress(acting_user=planning.p.social_staff, item=item, text="推进", percent=50)
    item.refresh_from_db()
    with_time = at(date(2026, 11, 5))
    import time_machine

    with time_machine.travel(with_time, tick=False):
        assert rows(client, planning.p.leader, ATTENTION) == [item.pk]
        actions.request_change(
            acting_user=planning.p.social_staff,
            item=item,
            kind="postpone",
            reason="等待市人大统一部署",
            new_ends_on=date(2026, 12, 20),
        )
        change = item.changes.get()
        actions.decide_change(acting_user=planning.p.leader, change=change, approve=True)
        assert rows(client, planning.p.leader, ATTENTION) == []


def test_attention_query_count_does_not_grow(client, planning, django_assert_num_queries):
    # The milestone list needs no health rules: one query fewer.
    counts = (("overdue", 8), ("milestones", 7))
    overdue_item(planning)
    client.force_login(planning.p.leader)
    client.get(ATTENTION)  # creates the PlanRules row once
    for name, count in counts:
        with django_assert_num_queries(count):
            client.get(ATTENTION, {"list": name})
    overdue_item(planning, kind=PlanKind.DEPUTY_WORK)
    overdue_item(planning, kind=PlanKind.STUDY)
    for name, count in counts:
        with django_assert_num_queries(count):
            assert len(client.get(ATTENTION, {"list": name}).context["page"].object_list) == 3


def test_dashboard_counts_per_office_and_kind(client, planning, org):
    overdue_item(planning)
    planning.completed(kind=PlanKind.DEPUTY_WORK)
    client.force_login(planning.p.leader)
    response = client.get(DASHBOARD, {"year": "2026"})
    assert response.status_code == 200
    (office_row,) = response.context["by_office"]
    counts = {key: n for key, _, n in office_row.counts}
    assert office_row.label == "社会建设工作室"
    assert counts == {"on_track": 0, "at_risk": 0, "overdue": 1, "completed": 1}
    kinds = {row.label: {k: n for k, _, n in row.counts} for row in response.context["by_kind"]}
    assert kinds["监督工作计划"]["overdue"] == 1 and kinds["代表工作计划"]["completed"] == 1
    html = response.content.decode()
    assert f"key=overdue&amp;office={org.social_office.pk}&amp;year=2026" in html
    assert 'id="dashboard-data"' in html and "plans/dashboard.js" in html


def test_dashboard_click_through_lists_the_items(client, planning, org):
    item = overdue_item(planning)
    done = planning.completed(kind=PlanKind.DEPUTY_WORK)
    assert rows(
        client,
        planning.p.leader,
        HEALTH_ITEMS,
        key="overdue",
        office=org.social_office.pk,
        year=2026,
    ) == [item.pk]
    assert rows(
        client, planning.p.leader, HEALTH_ITEMS, key="completed", kind="deputy_work", year=2026
    ) == [done.pk]
    assert rows(client, planning.p.leader, HEALTH_ITEMS, key="overdue", year=2025) == []
    client.force_login(planning.p.leader)
    assert client.get(HEALTH_ITEMS, {"key": "nonsense"}).status_code == 404


def test_dashboard_and_click_through_query_counts(client, planning, django_assert_num_queries):
    overdue_item(planning)
    client.force_login(planning.p.leader)
    client.get(DASHBOARD)  # warms the content-type cache
    with django_assert_num_queries(10):
        client.get(DASHBOARD, {"year": "2026"})
    with django_assert_num_queries(8):
        client.get(HEALTH_ITEMS, {"key": "overdue", "year": "2026"})
    overdue_item(planning, kind=PlanKind.DEPUTY_WORK)
    planning.completed(kind=PlanKind.STUDY)
    with django_assert_num_queries(10):
        client.get(DASHBOARD, {"year": "2026"})
    with django_assert_num_queries(8):
        client.get(HEALTH_ITEMS, {"key": "overdue", "year": "2026"})
