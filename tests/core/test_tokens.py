"""A user's own API tokens: listed and revoked on a page and through the API, never the key
after issue, never anyone else's; all revoked whenever the owner's password changes."""

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.management import call_command
from django.urls import reverse

from renda.core.models import ApiToken
from renda.core.tokens import issue_token
from tests.conftest import PASSWORD

NEW_PASSWORD = "泉城路-人大-2026"


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_page_lists_own_tokens_without_keys_and_issues_one_shown_once(client, personas):
    mine, my_key = issue_token(user=personas.staff, name="办公系统对接")
    _, their_key = issue_token(user=personas.leader, name="领导大屏")
    client.force_login(personas.staff)
    assert (
        f'href="{reverse("tokens")}"' in client.get(reverse("home")).content.decode()
    )  # user menu
    html = client.get(reverse("tokens")).content.decode()
    assert "办公系统对接" in html and mine.prefix in html and "从未使用" in html
    assert my_key not in html and "领导大屏" not in html

    response = client.post(reverse("tokens"), {"name": "统计报表", "expires_on": "2099-12-31"})
    html = response.content.decode()
    issued = ApiToken.objects.get(user=personas.staff, name="统计报表")
    key = html.split('id="issued-key">')[1].split("<")[0]
    assert key.startswith("rd_") and key[3:11] == issued.prefix
    assert issued.expires_at.year == 2099
    assert client.get("/api/v1/me", **bearer(key)).json()["username"] == "p_staff"
    assert key not in client.get(reverse("tokens")).content.decode()  # shown once only
    assert their_key not in html


@pytest.mark.django_db
def test_issue_form_refuses_a_past_expiry_in_chinese(client, personas):
    client.force_login(personas.staff)
    response = client.post(reverse("tokens"), {"name": "x", "expires_on": "2001-01-01"})
    assert "有效期应晚于今天" in response.content.decode()
    assert not ApiToken.objects.filter(user=personas.staff).exists()


@pytest.mark.django_db
def test_page_revokes_own_token_and_not_anyone_elses(client, personas):
    mine, my_key = issue_token(user=personas.staff, name="mine")
    theirs, _ = issue_token(user=personas.leader, name="theirs")
    client.force_login(personas.staff)
    assert client.post(reverse("token_revoke", args=[theirs.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    response = client.post(reverse("token_revoke", args=[mine.pk]), follow=True)
    assert "已撤销令牌" in response.content.decode()
    assert not ApiToken.objects.filter(pk=mine.pk).exists()
    client.logout()
    assert client.get("/api/v1/me", **bearer(my_key)).status_code == 401


@pytest.mark.django_db
def test_api_lists_and_revokes_only_own_tokens(client, personas):
    mine, my_key = issue_token(user=personas.unit, name="单位系统")
    theirs, _ = issue_token(user=personas.staff, name="别人的")
    body = client.get("/api/v1/tokens", **bearer(my_key)).json()
    assert [t["name"] for t in body] == ["单位系统"]
    assert body[0]["prefix"] == mine.prefix and body[0]["last_used_at"] is not None
    assert my_key not in str(body) and "key_hash" not in body[0]

    refused = client.delete(f"/api/v1/tokens/{theirs.pk}", **bearer(my_key))
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert ApiToken.objects.filter(pk=theirs.pk).exists()
    assert client.delete(f"/api/v1/tokens/{mine.pk}", **bearer(my_key)).status_code == 204
    assert client.get("/api/v1/tokens", **bearer(my_key)).status_code == 401


@pytest.mark.django_db
def test_every_way_of_changing_a_password_revokes_the_users_tokens(client, personas):
    def tokens_of(user):
        return ApiToken.objects.filter(user=user).count()

    # The password page.
    _, key = issue_token(user=personas.staff, name="a")
    issue_token(user=personas.leader, name="someone else's stays")
    client.force_login(personas.staff)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and tokens_of(personas.staff) == 0
    client.logout()
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    assert tokens_of(personas.leader) == 1

    # The admin's set-password form.
    issue_token(user=personas.unit, name="b")
    form = AdminPasswordChangeForm(
        personas.unit, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert form.is_valid(), form.errors
    form.save()
    assert tokens_of(personas.unit) == 0

    # set_password in code, and the management command's path (set_password + save).
    issue_token(user=personas.deputy, name="c")
    personas.deputy.set_password(NEW_PASSWORD)
    personas.deputy.save()
    assert tokens_of(personas.deputy) == 0

    # Saving a user for anything else, or logging in, leaves the tokens alone.
    issue_token(user=personas.leader, name="d")
    personas.leader.full_name = "李主任（新）"
    personas.leader.save()
    assert (
        client.post(reverse("login"), {"username": "p_leader", "password": PASSWORD}).status_code
        == 302
    )
    assert tokens_of(personas.leader) == 2


@pytest.mark.django_db
def test_changepassword_command_revokes_tokens(personas, monkeypatch):
    issue_token(user=personas.street, name="e")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "p_street")
    assert not ApiToken.objects.filter(user=personas.street).exists()
