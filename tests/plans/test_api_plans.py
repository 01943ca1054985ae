"""The plans API, plan moves: create, edit, submit, return, approve, publish — allowed and refused."""

from datetime import date

import pytest

from renda.core.models import TimelineEvent
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.models import Plan, PlanStatus
from tests.plans.factories import item_fields
from tests.plans.matrix_api import BASE, field_messages, refused, send

pytestmark = pytest.mark.django_db


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def state(plan: Plan) -> tuple[str, int, str]:
    return Plan.objects.values_list("status", "version", "title").get(pk=plan.pk)


def test_create_takes_the_callers_own_office(client, planning):
    body = {"kind": "supervision", "year": 2026, "title": "2026年监督工作计划"}
    response = call(client, planning.p.social_staff, "POST", "/", body)
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["office"] == "社会建设工作室" and plan["status"] == "draft"
    assert plan["status_name"] == "起草中" and plan["needs_party_committee"] is True
    assert plan["actions"] == ["add_item", "submit_plan", "update_plan"]
    assert [e["summary"] for e in plan["timeline"]] == ["起草2026年监督工作计划"]
    body = refused(call(client, planning.p.social_staff, "POST", "/", body), 400, "duplicate_plan")
    assert field_messages(body) == {"kind": "重复"}
    assert Plan.objects.count() == 1


def test_create_refused(client, planning):
    p, social = planning.p, planning.office
    body = {"kind": "office", "year": 2026, "title": "工作计划", "office_id": social.pk}
    refused(call(client, p.staff, "POST", "/", body), 403, "not_allowed")  # another office
    refused(call(client, p.leader, "POST", "/", body), 403, "forbidden")
    no_office = refused(
        call(client, p.admin, "POST", "/", {**body, "office_id": None}), 400, "required"
    )
    assert field_messages(no_office) == {"office_id": "请选择"}
    missing = refused(
        call(client, p.admin, "POST", "/", {**body, "office_id": 9999}), 400, "invalid"
    )
    assert field_messages(missing) == {"office_id": "起草机构不存在"}
    bad = refused(
        call(client, p.social_staff, "POST", "/", {**body, "kind": "wish", "year": "明年"}),
        422,
        "invalid",
    )
    assert field_messages(bad) == {"kind": "不是允许的取值", "year": "应为整数"}
    blank = refused(
        call(client, p.social_staff, "POST", "/", {**body, "title": " "}), 400, "required"
    )
    assert field_messages(blank) == {"title": "请填写计划名称"}
    assert not Plan.objects.exists()


def test_update_allowed_and_refused(client, planning):
    p = planning.p
    plan = planning.draft()
    response = call(
        client,
        p.social_staff,
        "PUT",
        f"/{plan.pk}",
        {"title": "监督计划（修改稿）", "version": plan.version},
    )
    assert response.status_code == 200 and response.json()["title"] == "监督计划（修改稿）"
    before = state(plan)
    body = {"title": "他人修改", "version": plan.version}
    assert (
        "刷新"
        in refused(call(client, p.social_staff, "PUT", f"/{plan.pk}", body), 409, "stale_version")[
            "message"
        ]
    )
    body["version"] = before[1]
    refused(call(client, p.staff, "PUT", f"/{plan.pk}", body), 403, "not_allowed")
    refused(call(client, p.leader, "PUT", f"/{plan.pk}", body), 403, "forbidden")
    refused(call(client, p.social_staff, "PUT", "/9999", body), 404, "not_found")
    refused(
        call(client, p.social_staff, "PUT", f"/{plan.pk}", {"version": before[1]}), 422, "invalid"
    )
    assert state(plan) == before
    submitted = planning.submitted(year=2027)
    before = state(submitted)
    refused(
        call(client, p.social_staff, "PUT", f"/{submitted.pk}", {"title": "改"}), 400, "not_draft"
    )
    assert state(submitted) == before


def test_submit_refuses_an_unmeasurable_plan_and_an_empty_one(client, planning):
    p = planning.p
    empty = planning.draft(items=0)
    refused(call(client, p.social_staff, "POST", f"/{empty.pk}/submit", {}), 400, "no_items")
    plan = planning.draft(year=2027, items=0)
    actions.add_item(
        acting_user=p.social_staff,
        plan=plan,
        values=item_fields(
            planning.office,
            title="调研",
            measure="",
            starts_on=date(2027, 3, 1),
            ends_on=date(2027, 6, 30),
        ),
    )
    before = state(plan)
    body = refused(
        call(client, p.social_staff, "POST", f"/{plan.pk}/submit", {}), 400, "not_measurable"
    )
    assert "“调研”" in body["message"] and field_messages(body) == {"items": "缺少可衡量的成果"}
    assert state(plan) == before


def test_submit_allowed_and_refused(client, planning):
    p = planning.p
    plan = planning.draft()
    refused(call(client, p.staff, "POST", f"/{plan.pk}/submit", {}), 403, "not_allowed")
    refused(call(client, p.leader, "POST", f"/{plan.pk}/submit", {}), 403, "forbidden")
    refused(
        call(client, p.social_staff, "POST", f"/{plan.pk}/submit", {"version": plan.version - 1}),
        409,
        "stale_version",
    )
    assert state(plan)[0] == PlanStatus.DRAFT
    body = call(
        client, p.social_staff, "POST", f"/{plan.pk}/submit", {"version": plan.version}
    ).json()
    assert body["status"] == "submitted" and body["actions"] == []
    refused(call(client, p.social_staff, "POST", f"/{plan.pk}/submit", {}), 400, "not_draft")
    assert call(client, p.leader, "GET", f"/{plan.pk}").json()["actions"] == [
        "approve_plan",
        "return_plan",
    ]


def test_return_allowed_and_refused(client, planning):
    p = planning.p
    draft = planning.draft(year=2027)
    refused(
        call(client, p.leader, "POST", f"/{draft.pk}/return", {"reason": "请修改"}),
        400,
        "invalid_transition",
    )
    plan = planning.submitted()
    before = state(plan)
    refused(
        call(client, p.social_staff, "POST", f"/{plan.pk}/return", {"reason": "x"}),
        403,
        "forbidden",
    )
    blank = refused(
        call(client, p.leader, "POST", f"/{plan.pk}/return", {"reason": ""}), 400, "required"
    )
    assert field_messages(blank) == {"reason": "请填写退回理由"}
    refused(call(client, p.leader, "POST", f"/{plan.pk}/return", {}), 422, "invalid")
    assert state(plan) == before
    body = call(client, p.leader, "POST", f"/{plan.pk}/return", {"reason": "请细化衡量方式"}).json()
    assert body["status"] == "draft" and body["return_reason"] == "请细化衡量方式"
    assert body["timeline"][-1]["to_state_name"] == "起草中"


def test_approve_allowed_and_refused(client, planning):
    p = planning.p
    plan = planning.submitted()
    before = state(plan)
    path = f"/{plan.pk}/approve"
    body = {"meeting_id": planning.meeting.pk}
    no_date = refused(call(client, p.leader, "POST", path, body), 400, "required")
    assert field_messages(no_date) == {"party_committee_date": "请填写"}
    standing = Meeting.objects.create(
        kind="standing", term_number=18, number=20, date=date(2026, 2, 6)
    )
    wrong = refused(
        call(client, p.leader, "POST", path, {**body, "meeting_id": standing.pk}), 400, "invalid"
    )
    assert field_messages(wrong) == {"meeting_id": "应为主任会议"}
    missing = refused(call(client, p.leader, "POST", path, {"meeting_id": 9999}), 400, "invalid")
    assert field_messages(missing) == {"meeting_id": "会议不存在"}
    bad_date = refused(
        call(client, p.leader, "POST", path, {**body, "party_committee_date": "2026-02-30"}),
        422,
        "invalid",
    )
    assert field_messages(bad_date) == {"party_committee_date": "日期格式应为 YYYY-MM-DD"}
    full = {
        **body,
        "party_committee_date": "2026-02-10",
        "party_committee_note": "区委常委会第5次会议",
    }
    refused(call(client, p.social_staff, "POST", path, full), 403, "forbidden")
    refused(call(client, p.leader, "POST", path, {**full, "version": 1}), 409, "stale_version")
    refused(call(client, p.leader, "POST", "/9999/approve", full), 404, "not_found")
    assert state(plan) == before
    approved = call(client, p.leader, "POST", path, full).json()
    assert (
        approved["status"] == "approved" and approved["approved_meeting_id"] == planning.meeting.pk
    )
    assert approved["party_committee_date"] == "2026-02-10"
    assert approved["party_committee_note"] == "区委常委会第5次会议"
    assert approved["approved_meeting"] == planning.meeting.title
    again = refused(call(client, p.leader, "POST", path, full), 400, "invalid_transition")
    assert "已审定" in again["message"]


def test_publish_allowed_and_refused(client, planning):
    p = planning.p
    draft = planning.draft(year=2027)
    refused(
        call(client, p.social_staff, "POST", f"/{draft.pk}/publish", {}), 400, "invalid_transition"
    )
    plan = planning.approved()
    refused(call(client, p.staff, "POST", f"/{plan.pk}/publish", {}), 403, "not_allowed")
    assert state(plan)[0] == PlanStatus.APPROVED
    body = call(client, p.social_staff, "POST", f"/{plan.pk}/publish", {}).json()
    assert body["status"] == "published" and body["published_at"]
    assert TimelineEvent.objects.for_object(plan).last().summary == "印发，并向社会公开"
    refused(call(client, p.leader, "POST", f"/{plan.pk}/publish", {}), 400, "invalid_transition")
