"""The suggestions API: review (accept, decline, convert, merge) and assignment, one and batch."""

import pytest

from renda.suggestions.models import Assignment, Suggestion
from tests.suggestions.matrix_api import BASE, field_messages, refused, send, state_of

pytestmark = pytest.mark.django_db


def post(client, user, s, verb: str, body: dict | None = None):
    return send(client, user, "POST", f"{BASE}/{s.pk}/{verb}", {} if body is None else body)


def test_accept_numbers_it(client, world):
    s = world.submitted()
    response = post(client, world.p.staff, s, "accept", {"version": s.version})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["number"]) == ("accepted", 1)
    assert response.json()["status_name"] == "待交办"


def test_accept_refusals_change_nothing(client, world):
    s = world.submitted()
    before = state_of(s)
    refused(
        post(client, world.p.staff, s, "accept", {"version": s.version - 1}), 409, "stale_version"
    )
    refused(post(client, world.p.social_staff, s, "accept"), 403, "not_allowed")  # another office
    refused(post(client, world.p.unit, s, "accept"), 403, "forbidden")
    refused(post(client, world.p.deputy, s, "accept"), 403, "forbidden")
    assert state_of(s) == before
    post(client, world.p.staff, s, "accept")
    before = state_of(s)
    reply = refused(post(client, world.p.staff, s, "accept"), 400, "invalid_transition")
    assert reply["message"] == "当前状态为“待交办”，不能立案。"
    assert state_of(s) == before
    draft = world.draft()
    refused(post(client, world.p.staff, draft, "accept"), 404, "not_found")


def test_decline_needs_a_reason_the_deputy_reads(client, world):
    s = world.submitted()
    before = state_of(s)
    reply = refused(post(client, world.p.staff, s, "decline", {"reason": " "}), 400, "required")
    assert field_messages(reply) == {"reason": "请填写不予立案的理由"}
    refused(post(client, world.p.staff, s, "decline"), 422, "invalid")
    assert state_of(s) == before
    response = post(client, world.p.staff, s, "decline", {"reason": "属于个人诉求。"})
    assert response.json()["status"] == "declined"
    client.force_login(world.p.deputy)
    assert client.get(f"{BASE}/{s.pk}").json()["decline_reason"] == "属于个人诉求。"
    refused(
        post(client, world.p.staff, s, "decline", {"reason": "再次"}), 400, "invalid_transition"
    )


def test_convert_a_motion_then_accept_it(client, world):
    motion = world.submitted(kind="motion")
    refused(post(client, world.p.staff, motion, "accept"), 400, "motion")
    response = post(client, world.p.staff, motion, "convert", {"note": "不具备议案条件"})
    assert response.status_code == 200 and response.json()["kind"] == "suggestion"
    assert post(client, world.p.staff, motion, "accept").json()["status"] == "accepted"
    plain = world.submitted()
    before = state_of(plain)
    refused(post(client, world.p.staff, plain, "convert"), 400, "invalid_transition")
    refused(post(client, world.p.leader, plain, "convert"), 403, "forbidden")
    assert state_of(plain) == before


def test_merge_into_an_accepted_suggestion(client, world):
    main = world.accepted()
    twin = world.submitted(title="关于增加老旧小区停车位的建议")
    other = world.submitted()
    before = state_of(twin)
    refused(post(client, world.p.staff, twin, "merge", {"into_id": other.pk}), 400, "invalid_merge")
    refused(post(client, world.p.staff, twin, "merge", {"into_id": 999999}), 404, "not_found")
    refused(post(client, world.p.staff, twin, "merge", {}), 422, "invalid")
    assert state_of(twin) == before
    response = post(client, world.p.staff, twin, "merge", {"into_id": main.pk})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["merged_into_id"]) == ("merged", main.pk)
    client.force_login(world.p.staff)
    merged = client.get(f"{BASE}/{main.pk}").json()["merged"]
    assert [m["id"] for m in merged] == [twin.pk]


def test_merged_deputy_reads_the_main_answer(client, world):
    main = world.answered()
    twin = world.submitted(title="关于增加老旧小区停车位的建议")
    post(client, world.p.staff, twin, "merge", {"into_id": main.pk})
    client.force_login(world.p.deputy)
    answers = client.get(f"{BASE}/{twin.pk}").json()["answers"]
    assert [a["suggestion_id"] for a in answers] == [main.pk]


def test_assign_lead_and_co_unit(client, world):
    s = world.accepted()
    plan = {
        "mode": "lead",
        "lead_unit_id": world.org.unit.pk,
        "co_unit_ids": [world.org.other_unit.pk],
        "version": s.version,
    }
    response = post(client, world.p.staff, s, "assign", plan)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "assigned" and body["mode"] == "lead"
    assert [(a["unit_id"], a["role"]) for a in body["assignments"]] == [
        (world.org.unit.pk, "lead"),
        (world.org.other_unit.pk, "co"),
    ]
    assert body["deadline"]["due_at"] and "3 个月" in body["deadline"]["explanation"]
    before = state_of(s)
    del plan["version"]
    reply = refused(post(client, world.p.staff, s, "assign", plan), 400, "invalid_transition")
    assert "不能交办" in reply["message"]
    assert state_of(s) == before


def test_assign_difficult_gets_six_months(client, world):
    s = world.accepted()
    plan = {"mode": "lead", "lead_unit_id": world.org.unit.pk, "is_difficult": True}
    body = post(client, world.p.staff, s, "assign", plan).json()
    assert body["is_difficult"] and "6 个月" in body["deadline"]["explanation"]


def test_assign_bad_plans_change_nothing(client, world):
    s = world.accepted()
    before = state_of(s)
    unit = world.org.unit.pk
    reply = refused(
        post(client, world.p.staff, s, "assign", {"mode": "separate", "separate_unit_ids": [unit]}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"separate_unit_ids": "至少两个"}
    reply = refused(
        post(client, world.p.staff, s, "assign", {"mode": "lead", "co_unit_ids": [unit]}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"lead_unit_id": "请选择"}
    reply = refused(
        post(client, world.p.staff, s, "assign", {"mode": "lead", "lead_unit_id": 99999}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"lead_unit_id": "主办单位不存在"}
    reply = refused(post(client, world.p.staff, s, "assign", {"mode": "alone"}), 422, "invalid")
    assert field_messages(reply) == {"mode": "不是允许的取值"}
    refused(
        post(
            client, world.p.staff, s, "assign", {"mode": "lead", "lead_unit_id": unit, "version": 1}
        ),
        409,
        "stale_version",
    )
    refused(
        post(client, world.p.unit, s, "assign", {"mode": "lead", "lead_unit_id": unit}),
        403,
        "forbidden",
    )
    assert state_of(s) == before and not Assignment.objects.exists()


def test_assign_batch_all_or_none(client, world):
    first, second = world.accepted(), world.accepted()
    submitted = world.submitted()
    items = [
        {"suggestion_id": first.pk, "mode": "lead", "lead_unit_id": world.org.unit.pk},
        {"suggestion_id": submitted.pk, "mode": "lead", "lead_unit_id": world.org.unit.pk},
    ]
    before = [state_of(first), state_of(submitted)]
    reply = refused(
        send(client, world.p.staff, "POST", f"{BASE}/assign-batch", {"items": items}),
        400,
        "invalid_transition",
    )
    assert "本批均未交办" in reply["message"]
    assert [state_of(first), state_of(submitted)] == before and not Assignment.objects.exists()
    refused(
        send(client, world.p.staff, "POST", f"{BASE}/assign-batch", {"items": []}), 422, "invalid"
    )
    items[1]["suggestion_id"] = second.pk
    items[1]["lead_unit_id"] = world.org.other_unit.pk
    response = send(client, world.p.staff, "POST", f"{BASE}/assign-batch", {"items": items})
    assert response.status_code == 200, response.content
    assert [(i["id"], i["status"]) for i in response.json()] == [
        (first.pk, "assigned"),
        (second.pk, "assigned"),
    ]
    assert Suggestion.objects.get(pk=second.pk).assignments.get().unit == world.org.other_unit
