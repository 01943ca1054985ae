"""The plans API, item moves: items of a draft, milestones, progress, completion, change requests,
self-assessment and grade — each allowed and refused, a refused move changing nothing."""

from datetime import date

import pytest

from renda.plans.models import ChangeRequest, Milestone, PlanItem
from tests.plans.matrix_api import BASE, attach_result_evidence, field_messages, refused, send

pytestmark = pytest.mark.django_db


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def state(item: PlanItem) -> tuple:
    return PlanItem.objects.values_list(
        "status", "version", "progress", "ends_on", "title", "grade"
    ).get(pk=item.pk)


def body_for(planning, **overrides) -> dict:
    body = {
        "title": "街道人大工委调研",
        "owner_office_id": planning.office.pk,
        "leader_id": planning.p.leader.pk,
        "expected_result": "形成调研报告",
        "measure": "报告经主任会议审议",
        "starts_on": "2026-04-01",
        "ends_on": "2026-09-30",
        "weight": 2,
    }
    body.update(overrides)
    return body


def test_add_item_with_parent(client, planning):
    p = planning.p
    plan = planning.draft()
    parent = planning.item(plan)
    response = call(
        client, p.social_staff, "POST", f"/{plan.pk}/items", body_for(planning, parent_id=parent.pk)
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["parent_id"] == parent.pk and item["leader"] == "李主任" and item["weight"] == 2
    assert item["actions"] == ["add_milestone", "link_item", "remove_item", "update_item"]
    tree = call(client, p.social_staff, "GET", f"/{plan.pk}").json()["items"]
    assert [c["title"] for c in tree[0]["children"]] == ["街道人大工委调研"]


def test_add_item_refused(client, planning):
    p = planning.p
    plan = planning.draft()
    other = planning.draft(year=2027)
    path = f"/{plan.pk}/items"
    cases = [
        (body_for(planning, parent_id=planning.item(other).pk), {"parent_id": "不属于"}),
        (body_for(planning, leader_id=p.staff.pk), {"leader_id": "不是领导"}),
        (body_for(planning, starts_on="2026-10-01"), {"ends_on": "早于开始日期"}),
        (body_for(planning, ends_on="2029-01-01"), {"ends_on": "不在计划年度"}),
        (body_for(planning, weight=0), {"weight": "1–100"}),
        (body_for(planning, owner_office_id=9999), {"owner_office_id": "责任机构不存在"}),
        (body_for(planning, title=""), {"title": "请填写事项名称"}),
    ]
    for body, errors in cases:
        response = call(client, p.social_staff, "POST", path, body)
        assert field_messages(refused(response, 400, response.json()["code"])) == errors
    bad = refused(
        call(client, p.social_staff, "POST", path, body_for(planning, ends_on="九月底")),
        422,
        "invalid",
    )
    assert field_messages(bad) == {"ends_on": "日期格式应为 YYYY-MM-DD"}
    refused(call(client, p.staff, "POST", path, body_for(planning)), 403, "not_allowed")
    refused(call(client, p.leader, "POST", path, body_for(planning)), 403, "forbidden")
    refused(
        call(client, p.social_staff, "POST", "/9999/items", body_for(planning)), 404, "not_found"
    )
    submitted = planning.submitted(year=2025)
    refused(
        call(
            client,
            p.social_staff,
            "POST",
            f"/{submitted.pk}/items",
            body_for(planning, starts_on="2025-04-01", ends_on="2025-09-30"),
        ),
        400,
        "not_draft",
    )
    assert PlanItem.objects.count() == 3


def test_update_item_allowed_and_refused(client, planning):
    p = planning.p
    item = planning.item(planning.draft())
    path = f"/items/{item.pk}"
    response = call(client, p.social_staff, "PUT", path, body_for(planning, version=item.version))
    assert response.status_code == 200 and response.json()["title"] == "街道人大工委调研"
    before = state(item)
    refused(
        call(
            client,
            p.social_staff,
            "PUT",
            path,
            body_for(planning, title="旧", version=item.version),
        ),
        409,
        "stale_version",
    )
    refused(call(client, p.staff, "PUT", path, body_for(planning)), 403, "not_allowed")
    refused(
        call(client, p.social_staff, "PUT", "/items/9999", body_for(planning)), 404, "not_found"
    )
    assert state(item) == before
    bound = planning.item(planning.approved(year=2027))
    before = state(bound)
    body = body_for(planning, starts_on="2027-04-01", ends_on="2027-09-30")
    refused(call(client, p.social_staff, "PUT", f"/items/{bound.pk}", body), 400, "not_draft")
    assert state(bound) == before


def test_remove_item_allowed_and_refused(client, planning):
    p = planning.p
    item = planning.item(planning.draft())
    refused(call(client, p.staff, "DELETE", f"/items/{item.pk}"), 403, "not_allowed")
    response = call(client, p.social_staff, "DELETE", f"/items/{item.pk}")
    assert response.status_code == 204 and not PlanItem.objects.filter(pk=item.pk).exists()
    refused(call(client, p.social_staff, "DELETE", f"/items/{item.pk}"), 404, "not_found")
    bound = planning.item(planning.approved(year=2027))
    refused(call(client, p.social_staff, "DELETE", f"/items/{bound.pk}"), 400, "not_draft")
    assert PlanItem.objects.filter(pk=bound.pk).exists()


def test_milestones(client, planning):
    p = planning.p
    item = planning.item(planning.approved())
    path = f"/items/{item.pk}/milestones"
    late = refused(
        call(client, p.social_staff, "POST", path, {"title": "检查", "due_on": "2026-12-01"}),
        400,
        "invalid",
    )
    assert field_messages(late) == {"due_on": "晚于完成期限"}
    refused(
        call(client, p.staff, "POST", path, {"title": "检查", "due_on": "2026-05-01"}),
        403,
        "not_allowed",
    )
    refused(
        call(client, p.leader, "POST", path, {"title": "检查", "due_on": "2026-05-01"}),
        403,
        "forbidden",
    )
    assert not Milestone.objects.exists()
    response = call(
        client, p.social_staff, "POST", path, {"title": "实地检查", "due_on": "2026-05-01"}
    )
    assert response.status_code == 201
    (milestone,) = response.json()["milestones"]
    assert milestone["title"] == "实地检查" and milestone["done_on"] is None
    done = f"/milestones/{milestone['id']}/complete"
    refused(call(client, p.staff, "POST", done, {}), 403, "not_allowed")
    future = refused(
        call(client, p.social_staff, "POST", done, {"done_on": "2099-01-01"}), 400, "invalid"
    )
    assert field_messages(future) == {"done_on": "晚于今天"}
    body = call(client, p.social_staff, "POST", done, {"note": "检查了5家企业"}).json()
    assert body["milestones"][0]["done_on"] is not None
    refused(call(client, p.social_staff, "POST", done, {}), 400, "already_done")
    refused(call(client, p.social_staff, "POST", "/milestones/9999/complete", {}), 404, "not_found")


def test_progress_allowed_and_refused(client, planning):
    p = planning.p
    draft_item = planning.item(planning.draft(year=2027))
    refused(
        call(
            client,
            p.social_staff,
            "POST",
            f"/items/{draft_item.pk}/progress",
            {"text": "进行中", "percent": 10},
        ),
        400,
        "not_binding",
    )
    item = planning.item(planning.approved())
    path = f"/items/{item.pk}/progress"
    before = state(item)
    full = refused(
        call(client, p.social_staff, "POST", path, {"text": "完成了", "percent": 100}),
        400,
        "invalid",
    )
    assert field_messages(full) == {"percent": "0–99"}
    blank = refused(
        call(client, p.social_staff, "POST", path, {"text": "", "percent": 10}), 400, "required"
    )
    assert field_messages(blank) == {"text": "请填写进展情况"}
    refused(
        call(client, p.social_staff, "POST", path, {"text": "x", "percent": "一半"}), 422, "invalid"
    )
    refused(call(client, p.staff, "POST", path, {"text": "x", "percent": 10}), 403, "not_allowed")
    refused(
        call(client, p.social_staff, "POST", path, {"text": "x", "percent": 10, "version": 99}),
        409,
        "stale_version",
    )
    assert state(item) == before
    response = call(
        client,
        p.social_staff,
        "POST",
        path,
        {"text": "召开座谈会", "percent": 40, "version": item.version},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["progress"], body["report_count"]) == ("in_progress", 40, 1)
    assert body["reports"][0]["text"] == "召开座谈会" and body["reports"][0]["evidence"] == []


def test_complete_needs_result_evidence(client, planning):
    p = planning.p
    item = planning.in_progress()
    path = f"/items/{item.pk}/complete"
    before = state(item)
    body = refused(
        call(client, p.social_staff, "POST", path, {"result_statement": "报告已审议"}),
        400,
        "evidence_required",
    )
    assert field_messages(body) == {"evidence": "请上传佐证材料"}
    assert state(item) == before
    attach_result_evidence(item, p.social_staff)
    before = state(item)  # the upload is a move of its own
    refused(
        call(client, p.staff, "POST", path, {"result_statement": "报告已审议"}), 403, "not_allowed"
    )
    blank = refused(
        call(client, p.social_staff, "POST", path, {"result_statement": ""}), 400, "required"
    )
    assert field_messages(blank) == {"result_statement": "请填写成果说明"}
    assert state(item) == before
    done = call(client, p.social_staff, "POST", path, {"result_statement": "报告已审议"}).json()
    assert (done["status"], done["progress"], done["health"]) == ("completed", 100, "completed")
    assert [e["name"] for e in done["evidence"]] == ["培训总结.pdf"]
    refused(
        call(client, p.social_staff, "POST", path, {"result_statement": "再次"}),
        400,
        "invalid_transition",
    )


def test_change_requests(client, planning):
    p = planning.p
    item = planning.item(planning.approved())
    path = f"/items/{item.pk}/changes"
    early = refused(
        call(
            client,
            p.social_staff,
            "POST",
            path,
            {"kind": "postpone", "reason": "场地", "new_ends_on": "2026-06-01"},
        ),
        400,
        "invalid",
    )
    assert field_messages(early) == {"new_ends_on": "应晚于现期限"}
    refused(
        call(client, p.social_staff, "POST", path, {"kind": "delay", "reason": "场地"}),
        422,
        "invalid",
    )
    refused(
        call(client, p.staff, "POST", path, {"kind": "cancel", "reason": "不再需要"}),
        403,
        "not_allowed",
    )
    refused(
        call(client, p.leader, "POST", path, {"kind": "cancel", "reason": "不再需要"}),
        403,
        "forbidden",
    )
    assert not ChangeRequest.objects.exists()
    body = {"kind": "postpone", "reason": "需等待上级部署", "new_ends_on": "2026-12-15"}
    response = call(client, p.social_staff, "POST", path, body)
    assert response.status_code == 201
    (change,) = response.json()["changes"]
    assert (change["kind_name"], change["status"]) == ("延期", "requested")
    refused(call(client, p.social_staff, "POST", path, body), 400, "pending_change")
    decide = f"/changes/{change['id']}/decide"
    refused(call(client, p.social_staff, "POST", decide, {"approve": True}), 403, "forbidden")
    no_reason = refused(call(client, p.leader, "POST", decide, {"approve": False}), 400, "required")
    assert field_messages(no_reason) == {"note": "必填"}
    assert state(item)[3] == date(2026, 10, 31)
    decided = call(client, p.leader, "POST", decide, {"approve": True, "note": "同意"}).json()
    assert decided["ends_on"] == "2026-12-15" and decided["changes"][0]["status"] == "approved"
    refused(call(client, p.leader, "POST", decide, {"approve": True}), 400, "invalid_transition")
    refused(
        call(client, p.leader, "POST", "/changes/9999/decide", {"approve": True}), 404, "not_found"
    )


def test_cancel_request_approved_cancels_the_item(client, planning):
    p = planning.p
    item = planning.item(planning.approved())
    body = call(
        client,
        p.social_staff,
        "POST",
        f"/items/{item.pk}/changes",
        {"kind": "cancel", "reason": "上级已统一部署"},
    ).json()
    decided = call(
        client, p.leader, "POST", f"/changes/{body['changes'][0]['id']}/decide", {"approve": True}
    ).json()
    assert decided["status"] == "cancelled" and decided["timeline"][-1]["to_state_name"] == "已取消"


def test_self_assessment_and_grade(client, planning):
    p = planning.p
    item = planning.completed()
    grade = f"/items/{item.pk}/grade"
    assess = f"/items/{item.pk}/self-assessment"
    refused(call(client, p.leader, "POST", grade, {"grade": "good"}), 400, "no_assessment")
    refused(call(client, p.staff, "POST", assess, {"text": "完成"}), 403, "not_allowed")
    refused(call(client, p.leader, "POST", assess, {"text": "完成"}), 403, "forbidden")
    blank = refused(call(client, p.social_staff, "POST", assess, {"text": " "}), 400, "required")
    assert field_messages(blank) == {"text": "请填写自评内容"}
    body = call(client, p.social_staff, "POST", assess, {"text": "圆满完成"}).json()
    assert body["self_assessment"] == "圆满完成" and "grade_item" not in body["actions"]
    assert "grade_item" in call(client, p.leader, "GET", f"/items/{item.pk}").json()["actions"]
    bad = refused(call(client, p.leader, "POST", grade, {"grade": "great"}), 422, "invalid")
    assert field_messages(bad) == {"grade": "不是允许的取值"}
    refused(call(client, p.social_staff, "POST", grade, {"grade": "good"}), 403, "forbidden")
    assert state(item)[5] == ""
    graded = call(
        client, p.leader, "POST", grade, {"grade": "excellent", "note": "成效显著"}
    ).json()
    assert (graded["grade"], graded["grade_name"], graded["graded_by"]) == (
        "excellent",
        "优",
        "李主任",
    )
    refused(call(client, p.social_staff, "POST", assess, {"text": "改"}), 400, "already_graded")
