"""The suggestions API: extensions of the deadline, key suggestions, publication."""

import datetime

import pytest

from renda.suggestions.models import Extension, Suggestion
from tests.suggestions.matrix_api import BASE, field_messages, key_body, refused, send, state_of

pytestmark = pytest.mark.django_db


def post(client, user, s, verb: str, body: dict | None = None):
    return send(client, user, "POST", f"{BASE}/{s.pk}/{verb}", {} if body is None else body)


def due_of(s) -> datetime.date:
    return Suggestion.objects.get(pk=s.pk).due_at


def later(s, days: int = 20) -> str:
    return str(due_of(s) + datetime.timedelta(days=days))


def test_unit_requests_an_extension_and_the_office_approves(client, world):
    s = world.handling(co_unit=False)
    new_due = later(s)
    response = post(
        client,
        world.p.unit,
        s,
        "extension-request",
        {"new_due": new_due, "reason": "需协调市级部门。"},
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["new_due"]) == ("requested", new_due)
    refused(
        post(
            client, world.p.unit, s, "extension-request", {"new_due": new_due, "reason": "再申请"}
        ),
        400,
        "pending_extension",
    )
    path = f"{BASE}/extensions/{created['id']}/decide"
    refused(send(client, world.p.unit, "POST", path, {"approve": True}), 403, "forbidden")
    reply = refused(send(client, world.p.staff, "POST", path, {"approve": False}), 400, "required")
    assert field_messages(reply) == {"note": "必填"}
    assert Extension.objects.get(pk=created["id"]).status == "requested"
    body = send(client, world.p.staff, "POST", path, {"approve": True, "note": "同意"}).json()
    assert body["deadline"]["due_at"] == new_due and "经批准延期" in body["deadline"]["explanation"]
    before = state_of(s)
    refused(send(client, world.p.staff, "POST", path, {"approve": True}), 400, "invalid_transition")
    assert state_of(s) == before


def test_extension_refusals_change_nothing(client, world):
    s = world.handling(co_unit=False)
    due, before = due_of(s), state_of(s)
    too_far = str(due + datetime.timedelta(days=200))
    reply = refused(
        post(client, world.p.unit, s, "extension-request", {"new_due": too_far, "reason": "复杂"}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"new_due": "超过最长期限"}
    reply = refused(
        post(client, world.p.unit, s, "extension-request", {"new_due": str(due), "reason": "复杂"}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"new_due": "应晚于现期限"}
    reply = refused(
        post(client, world.p.unit, s, "extension-request", {"new_due": "下月", "reason": "x"}),
        422,
        "invalid",
    )
    assert field_messages(reply) == {"new_due": "日期格式应为 YYYY-MM-DD"}
    refused(
        post(
            client, world.co_unit_user, s, "extension-request", {"new_due": later(s), "reason": "x"}
        ),
        404,
        "not_found",
    )
    assert (due_of(s), state_of(s)) == (due, before) and not Extension.objects.exists()


def test_office_extends_directly(client, world):
    s = world.handling(co_unit=False)
    new_due = later(s, 30)
    response = post(
        client, world.p.staff, s, "extend", {"new_due": new_due, "reason": "涉及跨部门协调。"}
    )
    assert response.status_code == 201 and response.json()["status"] == "approved"
    assert str(due_of(s)) == new_due
    accepted = world.accepted()
    before = state_of(accepted)
    refused(
        post(client, world.p.staff, accepted, "extend", {"new_due": "2099-01-01", "reason": "x"}),
        400,
        "invalid_transition",
    )
    refused(
        post(client, world.p.unit, s, "extend", {"new_due": later(s), "reason": "x"}),
        403,
        "forbidden",
    )
    assert state_of(accepted) == before


def test_leaders_flag_and_unflag_key_suggestions(client, world):
    s = world.accepted()
    body = key_body(world.p)
    refused(post(client, world.p.staff, s, "key", body), 403, "forbidden")
    reply = refused(
        post(client, world.p.leader, s, "key", {**body, "leader_id": world.p.staff.pk}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"leader_id": "不是领导"}
    refused(post(client, world.p.leader, s, "key", {**body, "office_id": 99999}), 400, "invalid")
    assert state_of(s)[1] == s.version
    response = post(client, world.p.leader, s, "key", body)
    detail = response.json()
    assert detail["is_key"] and (detail["key_leader"], detail["key_office"]) == (
        "李主任",
        "人事代表工作室",
    )
    assert "unflag_key" in detail["actions"]
    response = send(client, world.p.admin, "DELETE", f"{BASE}/{s.pk}/key")
    assert response.status_code == 200 and response.json()["is_key"] is False
    before = state_of(s)
    refused(send(client, world.p.leader, "DELETE", f"{BASE}/{s.pk}/key"), 400, "invalid")
    assert state_of(s) == before
    submitted = world.submitted()
    refused(post(client, world.p.leader, submitted, "key", body), 400, "invalid_transition")


def test_publish_confidential_and_unpublish(client, world):
    s = world.accepted()
    refused(post(client, world.p.leader, s, "publish"), 403, "forbidden")
    response = post(client, world.p.staff, s, "publish")
    assert response.status_code == 200 and response.json()["published_at"]
    refused(post(client, world.p.staff, s, "publish"), 400, "already_published")
    reply = refused(
        post(client, world.p.staff, s, "confidential", {"confidential": True}), 400, "required"
    )
    assert field_messages(reply) == {"reason": "请填写不予公开的理由"}
    body = post(
        client, world.p.staff, s, "confidential", {"confidential": True, "reason": "涉及个人隐私"}
    ).json()
    assert body["is_confidential"] and body["published_at"] is None
    before = state_of(s)
    refused(post(client, world.p.staff, s, "publish"), 400, "confidential")
    refused(post(client, world.p.staff, s, "unpublish", {"reason": "x"}), 400, "not_published")
    assert state_of(s) == before
    post(client, world.p.staff, s, "confidential", {"confidential": False})
    post(client, world.p.staff, s, "publish")
    refused(post(client, world.p.staff, s, "unpublish", {}), 422, "invalid")
    response = post(client, world.p.staff, s, "unpublish", {"reason": "待核实"})
    assert response.json()["published_at"] is None
    submitted = world.submitted()
    refused(post(client, world.p.staff, submitted, "publish"), 400, "invalid_transition")
