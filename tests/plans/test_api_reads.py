"""The plans API reads: the list and its filters, plan and item details, the attention lists and
the dashboard — what they show, and a query count that does not grow with the rows."""

from datetime import date

import pytest
import time_machine

from renda.plans import actions
from renda.plans.models import PlanItem, PlanKind, PlanRules
from renda.plans.permissions import item_actions, plan_actions
from tests.plans.factories import item_fields, pdf
from tests.plans.matrix_api import BASE, field_messages, refused, send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _early_in_the_year(db):
    """Plans are set up on 5 March 2026; each test moves on to the day it reads on. The rules row
    exists beforehand, as in a running system, so that query counts do not include creating it."""
    PlanRules.current()
    with time_machine.travel(date(2026, 3, 5), tick=False):
        yield


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def ids(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(f"{BASE}/", params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_list_filters(client, planning):
    p = planning.p
    supervision = planning.approved()
    work_points = planning.draft(kind=PlanKind.WORK_POINTS, items=2)
    older = planning.submitted(year=2025)
    leader = p.leader
    # Newest year first, then by kind.
    assert ids(client, leader) == [supervision.pk, work_points.pk, older.pk]
    assert ids(client, leader, year=2025) == [older.pk]
    assert ids(client, leader, kind="work_points") == [work_points.pk]
    assert ids(client, leader, status="approved") == [supervision.pk]
    assert ids(client, leader, office=planning.office.pk, year=2026) == [
        supervision.pk,
        work_points.pk,
    ]
    assert ids(client, leader, office=planning.org.deputy_office.pk) == []
    assert ids(client, p.staff, limit=1, offset=1) == [work_points.pk]
    client.force_login(p.staff)
    page = client.get(f"{BASE}/", {"limit": 1, "offset": 1}).json()
    assert page["count"] == 3 and page["limit"] == 1
    row = page["items"][0]
    assert (row["kind_name"], row["item_count"], row["status_name"]) == (
        "年度工作要点",
        2,
        "起草中",
    )
    bad = refused(client.get(f"{BASE}/", {"status": "done", "year": "今年"}), 422, "invalid")
    assert field_messages(bad) == {"status": "不是允许的取值", "year": "应为整数"}


def list_queries(client, user, django_assert_num_queries) -> int:
    client.force_login(user)
    # session, user, roles, the page of plans with their offices and item counts, the count
    with django_assert_num_queries(5):
        return len(client.get(f"{BASE}/", {"limit": 200}).json()["items"])


def test_list_query_count_does_not_grow_with_rows(client, planning, django_assert_num_queries):
    planning.approved(items=3)
    assert list_queries(client, planning.p.leader, django_assert_num_queries) == 1
    for year in (2025, 2027):
        planning.draft(year=year, items=2)
        planning.draft(kind=PlanKind.OFFICE, year=year)
    assert list_queries(client, planning.p.leader, django_assert_num_queries) == 5


def test_plan_detail_has_the_item_tree_with_health_and_actions(client, planning):
    p = planning.p
    plan = planning.draft(items=0)
    parent = actions.add_item(
        acting_user=p.social_staff, plan=plan, values=item_fields(planning.office, title="执法检查")
    )
    for title in ("制定方案", "实地检查"):
        actions.add_item(
            acting_user=p.social_staff,
            plan=plan,
            parent=parent,
            values=item_fields(planning.office, title=title, ends_on=date(2026, 5, 31)),
        )
    draft = call(client, p.social_staff, "GET", f"/{plan.pk}").json()
    assert draft["items"][0]["health"] == "" and draft["item_count"] == 3
    actions.submit_plan(acting_user=p.social_staff, plan=plan)
    actions.approve_plan(
        acting_user=p.leader,
        plan=plan,
        meeting=planning.meeting,
        party_committee_date=date(2026, 2, 10),
    )
    first, second = parent.children.order_by("position")
    actions.report_progress(acting_user=p.social_staff, item=second, text="检查中", percent=60)
    with time_machine.travel(date(2026, 6, 10)):
        body = call(client, p.leader, "GET", f"/{plan.pk}").json()
    (root,) = body["items"]
    assert (root["title"], root["progress"], root["health"]) == ("执法检查", 30, "")
    kids = {c["title"]: c for c in root["children"]}
    assert kids["制定方案"]["health"] == "overdue" and kids["制定方案"]["health_name"] == "已逾期"
    assert kids["实地检查"]["progress"] == 60 and kids["实地检查"]["children"] == []
    plan.refresh_from_db()
    assert body["actions"] == sorted(plan_actions(p.leader, plan)) == ["publish_plan"]
    assert body["approved_meeting"] == planning.meeting.title
    assert [e["verb"] for e in body["timeline"]][-1] == "approve"
    refused(call(client, p.leader, "GET", "/9999"), 404, "not_found")
    refused(call(client, p.street, "GET", f"/{plan.pk}"), 403, "forbidden")


def test_item_detail(client, planning):
    p = planning.p
    item = planning.item(planning.approved())
    actions.add_milestone(
        acting_user=p.social_staff, item=item, title="座谈会", due_on=date(2026, 4, 30)
    )
    actions.report_progress(
        acting_user=p.social_staff,
        item=item,
        text="召开座谈会",
        percent=30,
        evidence=[pdf("纪要.pdf")],
    )
    actions.request_change(
        acting_user=p.social_staff,
        item=item,
        kind="postpone",
        reason="等待部署",
        new_ends_on=date(2026, 12, 1),
    )
    with time_machine.travel(date(2026, 5, 10)):
        body = call(client, p.social_staff, "GET", f"/items/{item.pk}").json()
        item.refresh_from_db()
        assert body["actions"] == sorted(item_actions(p.social_staff, item))
    assert body["health"] == "overdue" and body["milestones"][0]["is_overdue"] is True
    assert body["reports"][0]["evidence"] == ["纪要.pdf"]
    assert body["evidence"][0]["purpose_name"] == "进展佐证"
    assert (
        body["changes"][0]["kind"] == "postpone"
        and body["changes"][0]["requested_by"] == "社建室干部"
    )
    assert [e["verb"] for e in body["timeline"]] == [
        "create",
        "add_milestone",
        "report",
        "request_change",
    ]
    assert body["timeline"][2]["to_state_name"] == "推进中"
    assert "request_change" not in body["actions"] and "report_progress" in body["actions"]
    leader_view = call(client, p.leader, "GET", f"/items/{item.pk}").json()
    assert "decide_change" in leader_view["actions"]
    refused(call(client, p.leader, "GET", "/items/9999"), 404, "not_found")


def attention_ids(client, user, which: str, **params) -> list[int]:
    client.force_login(user)
    response = client.get(f"{BASE}/attention", {"list": which, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["items"]]


def test_attention_lists(client, planning):
    p = planning.p
    overdue = planning.item(planning.approved())
    busy = planning.in_progress(kind=PlanKind.DEPUTY_WORK)
    actions.add_milestone(
        acting_user=p.social_staff, item=overdue, title="方案", due_on=date(2026, 5, 1)
    )
    with time_machine.travel(date(2026, 5, 10)):
        assert attention_ids(client, p.leader, "overdue") == [overdue.pk]
        assert attention_ids(client, p.social_staff, "overdue") == [overdue.pk]
        assert attention_ids(client, p.staff, "overdue") == []  # not their office's item
        assert (
            attention_ids(client, p.leader, "overdue", office=planning.org.deputy_office.pk) == []
        )
    with time_machine.travel(date(2026, 10, 10)):
        assert attention_ids(client, p.leader, "busy") == [busy.pk]
        client.force_login(p.leader)
        body = client.get(f"{BASE}/attention", {"list": "busy"}).json()
        assert body["count"] == 1 and body["items"][0]["kind_name"] == "代表工作计划"
        bad = refused(client.get(f"{BASE}/attention", {"list": "lazy"}), 422, "invalid")
        assert field_messages(bad) == {"list": "不是允许的取值"}


def test_stale_list_and_its_query_count(client, planning, django_assert_num_queries):
    p = planning.p
    first = planning.item(planning.approved())
    with time_machine.travel(date(2026, 4, 15)):
        client.force_login(p.leader)
        # session, user, roles, rules, the page of items, the count
        with django_assert_num_queries(6):
            assert [
                r["id"] for r in client.get(f"{BASE}/attention?list=stale").json()["items"]
            ] == [first.pk]
    planning.approved(kind=PlanKind.DEPUTY_WORK, items=3)
    planning.approved(kind=PlanKind.WORK_POINTS, items=2)
    with time_machine.travel(date(2026, 4, 15)):
        client.force_login(p.leader)
        with django_assert_num_queries(6):
            assert client.get(f"{BASE}/attention?list=stale").json()["count"] == 6


def dashboard(client, user, **params) -> dict:
    client.force_login(user)
    response = client.get(f"{BASE}/dashboard", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_dashboard_by_office_and_kind(client, planning, django_assert_num_queries):
    planning.completed()
    planning.item(planning.approved(kind=PlanKind.DEPUTY_WORK, items=2))
    planning.draft(kind=PlanKind.OFFICE)  # a draft is not measured
    with time_machine.travel(date(2026, 11, 5)):
        client.force_login(planning.p.leader)
        # session, user, roles, rules, the one aggregate
        with django_assert_num_queries(5):
            by_office = client.get(f"{BASE}/dashboard", {"year": 2026}).json()
        by_kind = dashboard(client, planning.p.leader, year=2026, group_by="kind")
    assert by_office["rows"] == [
        {
            "key": "社会建设工作室",
            "label": "社会建设工作室",
            "total": 3,
            "on_track": 0,
            "at_risk": 0,
            "overdue": 2,
            "completed": 1,
            "cancelled": 0,
        }
    ]
    assert {r["label"]: (r["total"], r["completed"], r["overdue"]) for r in by_kind["rows"]} == {
        "监督工作计划": (1, 1, 0),
        "代表工作计划": (2, 0, 2),
    }
    assert by_kind["labels"]["at_risk"] == "有风险"
    assert dashboard(client, planning.p.staff, year=2025)["rows"] == []
    bad = refused(
        send(client, planning.p.leader, "GET", f"{BASE}/dashboard?group_by=street"), 422, "invalid"
    )
    assert field_messages(bad) == {"group_by": "不是允许的取值"}


def test_dashboard_query_count_does_not_grow(client, planning, django_assert_num_queries):
    planning.approved(items=1)
    for kind in (PlanKind.DEPUTY_WORK, PlanKind.WORK_POINTS, PlanKind.STUDY):
        planning.approved(kind=kind, items=3)
    assert PlanItem.objects.count() == 10
    client.force_login(planning.p.leader)
    with django_assert_num_queries(5):
        rows = client.get(f"{BASE}/dashboard", {"year": 2026, "group_by": "kind"}).json()["rows"]
    assert sum(r["total"] for r in rows) == 10
