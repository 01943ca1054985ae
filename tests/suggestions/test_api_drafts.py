"""The suggestions API: drafting, submitting, withdrawing, co-signing."""

import json

import pytest

from renda.suggestions.models import CoSigner, Suggestion
from tests.suggestions.factories import category
from tests.suggestions.matrix_api import BASE, field_messages, refused, send, state_of

pytestmark = pytest.mark.django_db


def body(world, **overrides) -> dict:
    values = {
        "title": "关于治理道路积水的建议",
        "content": "每逢暴雨，解放路下穿隧道积水严重，建议改造排水管网。",
        "category_id": category().pk,
        "timing": "during",
        "wants_face_to_face": True,
    }
    values.update(overrides)
    return values


def test_deputy_creates_a_draft_with_a_cosigner(client, world):
    response = send(
        client,
        world.p.deputy,
        "POST",
        f"{BASE}/",
        body(world, cosigner_ids=[world.cosigner.deputy.pk]),
    )
    assert response.status_code == 201, response.content
    created = response.json()
    s = Suggestion.objects.get(pk=created["id"])
    assert s.status == "draft" and s.deputy == world.p.deputy.deputy  # their own by default
    assert s.created_by == world.p.deputy and s.wants_face_to_face and s.timing == "during"
    assert created["cosigners"][0]["full_name"] == "李联名"
    assert created["cosigners"][0]["status"] == "pending"
    assert {"submit", "save_draft", "delete_draft"} <= set(created["actions"])


def test_office_enters_a_draft_on_a_deputys_behalf(client, world):
    refused(send(client, world.p.staff, "POST", f"{BASE}/", body(world)), 400, "required")
    response = send(
        client,
        world.p.staff,
        "POST",
        f"{BASE}/",
        body(world, deputy_id=world.p.deputy.deputy.pk),
    )
    assert response.status_code == 201
    assert Suggestion.objects.get(pk=response.json()["id"]).created_by == world.p.staff


def test_draft_creation_refusals_create_nothing(client, world):
    other_deputy = world.cosigner.deputy.pk
    # Another office's staff may not enter suggestions; a deputy drafts only their own.
    refused(
        send(client, world.p.social_staff, "POST", f"{BASE}/", body(world, deputy_id=other_deputy)),
        403,
        "not_allowed",
    )
    refused(
        send(client, world.p.deputy, "POST", f"{BASE}/", body(world, deputy_id=other_deputy)),
        403,
        "not_allowed",
    )
    refused(send(client, world.p.unit, "POST", f"{BASE}/", body(world)), 403, "forbidden")
    refused(send(client, world.p.leader, "POST", f"{BASE}/", body(world)), 403, "forbidden")
    assert not Suggestion.objects.exists()


def test_bad_draft_input_is_explained_per_field(client, world):
    deputy = world.p.deputy
    missing = {"content": "内容", "timing": "sometime", "category_id": "城建"}
    reply = refused(send(client, deputy, "POST", f"{BASE}/", missing), 422, "invalid")
    assert field_messages(reply) == {
        "title": "必填项不能为空",
        "timing": "不是允许的取值",
        "category_id": "应为整数",
    }
    reply = refused(
        send(client, deputy, "POST", f"{BASE}/", body(world, title="  ")), 400, "required"
    )
    assert field_messages(reply) == {"title": "请填写标题"}
    reply = refused(
        send(client, deputy, "POST", f"{BASE}/", body(world, category_id=99999)), 400, "invalid"
    )
    assert field_messages(reply) == {"category_id": "类别不存在"}
    reply = refused(
        send(client, deputy, "POST", f"{BASE}/", body(world, cosigner_ids=[99999])), 400, "invalid"
    )
    assert field_messages(reply) == {"cosigner_ids": "联名代表不存在"}
    assert not Suggestion.objects.exists()


def test_edit_draft_with_version_and_stale_version(client, world):
    s = world.draft()
    path = f"{BASE}/{s.pk}"
    response = send(client, world.p.deputy, "PUT", path, body(world, version=s.version))
    assert response.status_code == 200 and response.json()["title"] == "关于治理道路积水的建议"
    assert response.json()["version"] == s.version + 1
    before = state_of(s)
    stale = send(client, world.p.deputy, "PUT", path, body(world, title="改了", version=s.version))
    reply = refused(stale, 409, "stale_version")
    assert "已被他人修改" in reply["message"]
    assert state_of(s) == before and Suggestion.objects.get(pk=s.pk).title != "改了"


def test_edit_refusals(client, world):
    submitted = world.submitted()
    before = state_of(submitted)
    refused(
        send(client, world.p.deputy, "PUT", f"{BASE}/{submitted.pk}", body(world)), 400, "not_draft"
    )
    assert state_of(submitted) == before
    draft = world.draft()
    # The office cannot see a deputy's draft; another deputy neither.
    refused(send(client, world.p.staff, "PUT", f"{BASE}/{draft.pk}", body(world)), 404, "not_found")
    refused(
        send(client, world.cosigner, "PUT", f"{BASE}/{draft.pk}", body(world)), 404, "not_found"
    )


def test_delete_draft(client, world):
    s = world.draft(cosign=True)
    refused(send(client, world.cosigner, "DELETE", f"{BASE}/{s.pk}"), 404, "not_found")
    response = send(client, world.p.deputy, "DELETE", f"{BASE}/{s.pk}")
    assert response.status_code == 204 and response.content == b""
    assert not Suggestion.objects.filter(pk=s.pk).exists()
    assert not CoSigner.objects.exists()
    submitted = world.submitted()
    before = state_of(submitted)
    refused(send(client, world.p.deputy, "DELETE", f"{BASE}/{submitted.pk}"), 400, "not_draft")
    assert state_of(submitted) == before


def test_a_write_without_version_is_refused_and_changes_nothing(client, world):
    # Sent as a bare client would: `send` adds the current version the way a real client must.
    s = world.draft()
    before = state_of(s)
    client.force_login(world.p.deputy)
    no_body = client.generic("POST", f"{BASE}/{s.pk}/submit")
    assert no_body.status_code == 422 and no_body.json()["code"] == "invalid"
    for method, path, sent in (
        ("POST", f"{BASE}/{s.pk}/submit", {}),
        ("PUT", f"{BASE}/{s.pk}", body(world, title="改过的标题")),
        ("DELETE", f"{BASE}/{s.pk}", None),
    ):
        reply = client.generic(method, path, json.dumps(sent), content_type="application/json")
        assert reply.status_code == 422, reply.content
        assert reply.json()["errors"] == [{"field": "version", "message": "必填项不能为空"}]
        assert reply.json()["message"] == "提交的内容有误，请检查标注的字段。"
    assert state_of(s) == before
    s.refresh_from_db()
    assert s.title == "关于解决老旧小区停车难的建议"


def test_submit_and_refusals(client, world):
    s = world.draft()
    response = send(client, world.p.deputy, "POST", f"{BASE}/{s.pk}/submit", {"version": s.version})
    assert response.status_code == 200 and response.json()["status"] == "submitted"
    s.refresh_from_db()
    before = state_of(s)
    reply = refused(
        send(client, world.p.deputy, "POST", f"{BASE}/{s.pk}/submit", {"version": s.version}),
        400,
        "invalid_transition",
    )
    assert reply["message"] == "当前状态为“待审查”，不能提交。"
    assert state_of(s) == before
    other = world.draft()
    refused(
        send(client, world.p.deputy, "POST", f"{BASE}/{other.pk}/submit", {"version": 99}),
        409,
        "stale_version",
    )
    refused(
        send(client, world.p.unit, "POST", f"{BASE}/{other.pk}/submit", {"version": other.version}),
        403,
        "forbidden",
    )
    assert state_of(other)[0] == "draft"


def test_withdraw(client, world):
    s = world.submitted(cosign=True)
    path = f"{BASE}/{s.pk}/withdraw"
    refused(
        send(client, world.p.deputy, "POST", path, {"version": s.version - 1}), 409, "stale_version"
    )
    # The co-signer sees it but did not draft it.
    refused(send(client, world.cosigner, "POST", path, {}), 403, "not_allowed")
    assert state_of(s) == (s.status, s.version)
    response = send(client, world.p.deputy, "POST", path, {"version": s.version})
    assert response.status_code == 200 and response.json()["status"] == "draft"
    reply = refused(send(client, world.p.deputy, "POST", path, {}), 400, "invalid_transition")
    assert "草稿" in reply["message"]


def test_cosign(client, world):
    s = world.submitted(cosign=True)
    path = f"{BASE}/{s.pk}/cosign"
    refused(send(client, world.cosigner, "POST", path, {}), 422, "invalid")
    refused(send(client, world.p.deputy, "POST", path, {"confirm": True}), 403, "not_allowed")
    refused(send(client, world.p.staff, "POST", path, {"confirm": True}), 403, "forbidden")
    response = send(client, world.cosigner, "POST", path, {"confirm": True})
    assert response.status_code == 200
    assert response.json()["cosigners"][0]["status"] == "confirmed"
    before = state_of(s)
    refused(send(client, world.cosigner, "POST", path, {"confirm": False}), 400, "already_replied")
    assert state_of(s) == before
    assert CoSigner.objects.get(suggestion=s).status == "confirmed"


def test_cosign_after_review_is_refused(client, world):
    s = world.submitted(cosign=True)
    refused(
        send(client, world.p.staff, "POST", f"{BASE}/{s.pk}/accept", {}), 400, "cosigners_pending"
    )
    send(client, world.cosigner, "POST", f"{BASE}/{s.pk}/cosign", {"confirm": False})
    assert send(client, world.p.staff, "POST", f"{BASE}/{s.pk}/accept", {}).status_code == 200
    other = world.submitted(cosign=True)
    send(client, world.p.staff, "POST", f"{BASE}/{other.pk}/decline", {"reason": "重复提出。"})
    reply = refused(
        send(client, world.cosigner, "POST", f"{BASE}/{other.pk}/cosign", {"confirm": True}),
        400,
        "invalid_transition",
    )
    assert "联名确认已截止" in reply["message"]
