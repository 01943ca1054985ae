"""No cache may keep what a logged-in user was sent (phones, ID numbers): pages, JSON and
downloads of authenticated requests are `private, no-store`; public pages and static files are
left to their own caching."""

import pytest
from django.urls import reverse

from renda.core.tokens import issue_token

NO_STORE = "private, no-store"


@pytest.mark.django_db
def test_logged_in_page_json_and_download_are_not_stored(client, personas):
    client.force_login(personas.staff)
    assert client.get(reverse("home"))["Cache-Control"] == NO_STORE
    assert client.get("/api/v1/me")["Cache-Control"] == NO_STORE
    download = client.get(reverse("deputies:export"))
    assert download.status_code == 200
    assert "spreadsheetml" in download["Content-Type"]
    assert download["Cache-Control"] == NO_STORE
    # Refusals and errors of a logged-in user are no different.
    assert client.get("/no-such-page/")["Cache-Control"] == NO_STORE


@pytest.mark.django_db
def test_token_authenticated_json_is_not_stored(client, personas):
    _, key = issue_token(user=personas.staff, name="对接")
    response = client.get("/api/v1/deputies/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and response["Cache-Control"] == NO_STORE


@pytest.mark.django_db
def test_a_stricter_policy_of_the_view_is_kept(client, personas):
    # The log-in view sends never_cache's header; a logged-in user is redirected by it.
    client.force_login(personas.staff)
    response = client.get(reverse("login"))
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_page_without_login_is_left_alone(client, personas):
    response = client.get(reverse("suggestions:public_list"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    anonymous_api = client.get("/api/v1/deputies/records/public")
    assert anonymous_api.status_code == 200
    assert "no-store" not in anonymous_api.get("Cache-Control", "")
