"""The suggestions API: the units' part — signing for, adjustment, co-unit opinion, contacts."""

import datetime

import pytest
from django.utils import timezone

from renda.suggestions.models import Assignment, Contact
from tests.suggestions.matrix_api import BASE, field_messages, refused, send, state_of

pytestmark = pytest.mark.django_db


def on_assignment(client, user, assignment, verb: str, body: dict | None = None):
    path = f"{BASE}/assignments/{assignment.pk}/{verb}"
    return send(client, user, "POST", path, {} if body is None else body)


def test_lead_unit_signs_and_handling_starts(client, world):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    response = on_assignment(client, world.p.unit, lead, "sign")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "handling"
    assert [a["status"] for a in body["assignments"]] == ["signed", "pending"]
    before = state_of(s)
    reply = refused(on_assignment(client, world.p.unit, lead, "sign"), 400, "invalid_transition")
    assert "已签收" in reply["message"]
    assert state_of(s) == before


def test_sign_refusals(client, world):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    before = state_of(s)
    # The co-unit sees the suggestion but may not sign for the lead's part.
    refused(on_assignment(client, world.co_unit_user, lead, "sign"), 403, "not_allowed")
    refused(on_assignment(client, world.p.staff, lead, "sign"), 403, "forbidden")
    lead_only = world.assigned(co_unit=False)
    hidden = world.assignment(lead_only, world.org.unit)
    refused(on_assignment(client, world.co_unit_user, hidden, "sign"), 404, "not_found")
    refused(
        send(client, world.p.unit, "POST", f"{BASE}/assignments/999999/sign", {}), 404, "not_found"
    )
    assert state_of(s) == before and Assignment.objects.get(pk=lead.pk).status == "pending"


def test_adjustment_requested_then_insisted(client, world):
    s = world.assigned(co_unit=False)
    lead = world.assignment(s, world.org.unit)
    reply = refused(
        on_assignment(client, world.p.unit, lead, "adjust", {"reason": ""}), 400, "required"
    )
    assert field_messages(reply) == {"reason": "请填写申请调整的理由"}
    response = on_assignment(client, world.p.unit, lead, "adjust", {"reason": "属城管职责。"})
    assert response.json()["assignments"][0]["status"] == "adjust_requested"
    assert "decide_adjustment" not in response.json()["actions"]  # that is the office's
    refused(
        on_assignment(client, world.p.unit, lead, "adjust", {"reason": "再次"}),
        400,
        "invalid_transition",
    )
    refused(on_assignment(client, world.p.unit, lead, "decide-adjustment", {}), 403, "forbidden")
    reply = refused(
        on_assignment(client, world.p.staff, lead, "decide-adjustment", {"reassign_to_id": None}),
        400,
        "required",
    )
    assert field_messages(reply) == {"note": "请填写不予调整的说明"}
    response = on_assignment(
        client, world.p.staff, lead, "decide-adjustment", {"note": "属本单位职责，请签收办理。"}
    )
    part = response.json()["assignments"][0]
    assert (part["status"], part["adjust_refused"]) == ("pending", True)
    before = state_of(s)
    reply = refused(
        on_assignment(client, world.p.unit, lead, "adjust", {"reason": "再申请"}),
        400,
        "adjust_refused",
    )
    assert "不能再次申请调整" in reply["message"]
    assert state_of(s) == before


def test_adjustment_reassigned_to_another_unit(client, world):
    s = world.assigned(co_unit=False)
    lead = world.assignment(s, world.org.unit)
    before = state_of(s)
    refused(
        on_assignment(client, world.p.staff, lead, "decide-adjustment", {"note": "x"}),
        400,
        "invalid_transition",
    )
    assert state_of(s) == before
    on_assignment(client, world.p.unit, lead, "adjust", {"reason": "属城管职责。"})
    reply = refused(
        on_assignment(client, world.p.staff, lead, "decide-adjustment", {"reassign_to_id": 99999}),
        400,
        "invalid",
    )
    assert field_messages(reply) == {"reassign_to_id": "单位不存在"}
    body = on_assignment(
        client,
        world.p.staff,
        lead,
        "decide-adjustment",
        {"reassign_to_id": world.org.other_unit.pk, "note": "同意调整"},
    ).json()
    assert [(a["unit_id"], a["status"]) for a in body["assignments"]] == [
        (world.org.unit.pk, "withdrawn"),
        (world.org.other_unit.pk, "pending"),
    ]
    assert body["units"] == [
        {
            "unit_id": world.org.other_unit.pk,
            "unit": "区城市管理局",
            "role": "lead",
            "role_name": "主办",
        }
    ]
    # The unit it was taken from no longer sees it.
    refused(send(client, world.p.unit, "GET", f"{BASE}/{s.pk}"), 404, "not_found")


def test_co_unit_opinion(client, world):
    s = world.handling()
    co = world.assignment(s, world.org.other_unit)
    lead = world.assignment(s, world.org.unit)
    refused(on_assignment(client, world.co_unit_user, co, "opinion", {}), 422, "invalid")
    refused(
        on_assignment(client, world.co_unit_user, co, "opinion", {"opinion": " "}), 400, "required"
    )
    refused(
        on_assignment(client, world.p.unit, co, "opinion", {"opinion": "代写"}), 403, "not_allowed"
    )
    refused(
        on_assignment(client, world.p.unit, lead, "opinion", {"opinion": "主办"}), 400, "invalid"
    )
    assert Assignment.objects.get(pk=co.pk).opinion == ""
    response = on_assignment(
        client, world.co_unit_user, co, "opinion", {"opinion": "同意主办意见。"}
    )
    assert response.status_code == 200
    mine = [a for a in response.json()["assignments"] if a["id"] == co.pk][0]
    assert mine["opinion"] == "同意主办意见。" and mine["opinion_at"]


def test_opinion_before_signing_is_refused(client, world):
    s = world.assigned()
    co = world.assignment(s, world.org.other_unit)
    before = state_of(s)
    reply = refused(
        on_assignment(client, world.co_unit_user, co, "opinion", {"opinion": "意见"}),
        400,
        "invalid_transition",
    )
    assert "请先签收" in reply["message"]
    assert state_of(s) == before


def contact(**overrides) -> dict:
    values = {
        "stage": "during",
        "method": "face",
        "contacted_on": str(timezone.localdate()),
        "summary": "与代表现场察看，商定先行施划 50 个车位。",
    }
    values.update(overrides)
    return values


def test_record_contact(client, world):
    s = world.handling(co_unit=False)
    path = f"{BASE}/{s.pk}/contacts"
    response = send(client, world.p.unit, "POST", path, contact())
    assert response.status_code == 201, response.content
    assert response.json()["stage_name"] == "办中" and response.json()["method_name"] == "当面"
    client.force_login(world.p.deputy)
    assert [c["summary"] for c in client.get(f"{BASE}/{s.pk}").json()["contacts"]] == [
        "与代表现场察看，商定先行施划 50 个车位。"
    ]


def test_contact_refusals_record_nothing(client, world):
    s = world.handling(co_unit=False)
    path = f"{BASE}/{s.pk}/contacts"
    tomorrow = str(timezone.localdate() + datetime.timedelta(days=1))
    reply = refused(
        send(client, world.p.unit, "POST", path, contact(contacted_on=tomorrow)), 400, "invalid"
    )
    assert field_messages(reply) == {"contacted_on": "晚于今天"}
    reply = refused(
        send(client, world.p.unit, "POST", path, contact(stage="later", contacted_on="昨天")),
        422,
        "invalid",
    )
    assert set(field_messages(reply)) == {"stage", "contacted_on"}
    refused(send(client, world.p.unit, "POST", path, contact(summary="")), 400, "required")
    refused(send(client, world.p.deputy, "POST", path, contact()), 403, "forbidden")
    refused(send(client, world.co_unit_user, "POST", path, contact()), 404, "not_found")
    pending = world.assigned(co_unit=False)
    refused(
        send(client, world.p.unit, "POST", f"{BASE}/{pending.pk}/contacts", contact()),
        403,
        "not_allowed",
    )
    assert not Contact.objects.exists()
