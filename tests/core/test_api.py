import datetime

import pytest
from django.utils import timezone

from renda.core.models import ApiToken
from renda.core.tokens import issue_token


@pytest.mark.django_db
def test_me_lists_roles_and_scopes(client, personas):
    client.force_login(personas.staff)
    body = client.get("/api/v1/me").json()
    assert body["username"] == "p_staff" and body["roles"] == ["staff"]
    assert body["memberships"] == [
        {"role": "staff", "role_name": "机关工作人员", "scope": "人事代表工作室"}
    ]


@pytest.mark.django_db
def test_token_authentication(client, personas):
    token, key = issue_token(user=personas.leader, name="大屏")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response.json()["username"] == "p_leader"
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert key not in ApiToken.objects.values_list("key_hash", flat=True)  # only the hash is stored


@pytest.mark.django_db
def test_last_used_is_written_at_most_once_a_minute(client, personas):
    token, key = issue_token(user=personas.leader, name="大屏")
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # no write per read
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(minutes=2))
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


@pytest.mark.django_db
def test_bad_expired_or_disabled_tokens_are_refused(client, personas):
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer rd_nonsense").status_code == 401
    _, expired = issue_token(
        user=personas.leader, name="x", expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {expired}").status_code == 401
    _, key = issue_token(user=personas.unit, name="y")
    personas.unit.is_active = False
    personas.unit.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.django_db
def test_token_role_rules_apply_as_on_pages(client, personas):
    _, key = issue_token(user=personas.unit, name="z")
    response = client.get("/api/v1/deputies/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 403
    assert response.json() == {
        "code": "forbidden",
        "message": "您没有权限进行此操作。",
        "errors": [],
    }


@pytest.mark.django_db
def test_one_error_shape_for_validation_errors(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        "/api/v1/meetings/",
        {"kind": "standing", "number": "x", "date": "明天"},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and body["message"].startswith("提交的内容有误")
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["term_number"] == "必填项不能为空"
    assert any("整数" in m for m in fields.values()) and any("日期" in m for m in fields.values())


@pytest.mark.django_db
def test_not_found_is_chinese(client, personas):
    client.force_login(personas.staff)
    response = client.get("/api/v1/deputies/999999")
    assert response.status_code == 404
    assert response.json()["message"] == "未找到，或您无权查看。"


@pytest.mark.django_db
def test_session_writes_need_csrf(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.staff)
    response = client.post(
        "/api/v1/meetings/",
        {"kind": "standing", "term_number": 18, "number": 3, "date": "2026-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]


@pytest.mark.django_db
def test_deputies_api_lists_and_masks(client, personas, django_assert_max_num_queries):
    client.force_login(personas.leader)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/deputies/", {"limit": 10}).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["full_name"] == "张代表" and item["phone"] == "139****5678"
    assert item["mandates"][0]["street"] == "泉城路街道"


@pytest.mark.django_db
def test_deputy_api_object_rules(client, personas, org):
    from tests.deputies.factories import DeputyFactory, MandateFactory

    other = DeputyFactory(full_name="别人")
    MandateFactory(deputy=other, street=org.other_street)
    client.force_login(personas.deputy)
    assert client.get(f"/api/v1/deputies/{other.pk}").status_code == 404
    own = client.get(f"/api/v1/deputies/{personas.deputy.deputy.pk}").json()
    assert own["id_number"] == "11010519491231002X"
