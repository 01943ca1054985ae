"""Every error is Chinese: the API's one JSON shape under /api/, a Chinese page elsewhere; and a
duplicate create that races past its action's check is a 409, not a 500."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.test import Client, RequestFactory
from ninja.errors import Throttled

from renda.api import api
from renda.core import error_pages
from renda.deputies.models import Group

HAN = range(0x4E00, 0xA000)


def _chinese(text: str) -> bool:
    return any(ord(ch) in HAN for ch in text)


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"code", "message", "errors"} and isinstance(body["errors"], list)
    assert _chinese(body["message"]), body
    if code:
        assert body["code"] == code
    return body


@pytest.mark.django_db
def test_unknown_api_url_wrong_method_and_wrong_content_are_the_json_shape(client, personas):
    client.force_login(personas.staff)
    assert_error_shape(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error_shape(client.get("/api/nothing-here/"), 404, "not_found")
    assert_error_shape(client.delete("/api/v1/me"), 405, "method_not_allowed")
    response = client.post("/api/v1/meetings/", "不是 JSON", content_type="text/plain")
    assert response.status_code in (400, 415, 422)
    assert_error_shape(response, response.status_code)


@pytest.mark.django_db
def test_too_large_a_body_is_413_in_chinese(client, personas, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(personas.staff)
    body = json.dumps({"kind": "standing", "note": "长" * 2000})
    assert_error_shape(
        client.post("/api/v1/meetings/", body, content_type="application/json"), 413, "too_large"
    )
    response = client.post("/meetings/new/", {"note": "长" * 2000})
    assert response.status_code == 413 and "提交的内容太大" in response.content.decode()


@pytest.mark.django_db
def test_throttling_and_csrf_on_the_api_are_chinese(personas):
    request = RequestFactory().get("/api/v1/me")
    assert_error_shape(api.on_exception(request, Throttled(30)), 429, "throttled")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.staff)
    response = browser.post("/api/v1/meetings/", {}, content_type="application/json")
    assert_error_shape(response, 403)


@pytest.mark.django_db
def test_page_errors_are_chinese_pages(personas, settings):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.staff)
    not_found = browser.get("/no-such-page/")
    assert not_found.status_code == 404 and "未找到" in not_found.content.decode()
    csrf = browser.post("/meetings/new/", {"note": "x"})
    assert csrf.status_code == 403 and "页面已过期" in csrf.content.decode()
    bad_host = browser.get("/", HTTP_HOST="elsewhere.invalid")
    assert bad_host.status_code == 400 and "请求有误" in bad_host.content.decode()
    factory = RequestFactory()
    page = error_pages.server_error(factory.get("/suggestions/"))
    assert page.status_code == 500 and "系统出现错误" in page.content.decode()
    assert_error_shape(error_pages.server_error(factory.get("/api/v1/me")), 500, "server_error")


def _without_the_name_check(groups_module):
    # The action's own uniqueness check passes, as when two requests check at the same moment:
    # the database's unique constraint then refuses the second.
    real = groups_module._group_errors

    def only_other_checks(acting_user, values, *, term, group):
        errors = real(acting_user, values, term=term, group=group)
        return {k: v for k, v in errors.items() if k != "name"}

    return mock.patch.object(groups_module, "_group_errors", only_other_checks)


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_that_races_past_the_check_is_409_in_chinese(client, personas, org):
    from renda.deputies import actions_groups

    client.force_login(personas.staff)
    taken = org.group
    before = Group.objects.count()
    with _without_the_name_check(actions_groups):
        # The API, through the one error shape.
        response = client.post(
            "/api/v1/deputies/groups/",
            {"name": taken.name, "street_id": org.street.pk, "term_number": taken.term_number},
            content_type="application/json",
        )
        assert assert_error_shape(response, 409)["code"] == "duplicate"
        # A page of its own: the net answers with a Chinese page.
        page = client.post(
            "/deputies/groups/new/",
            {
                "name": taken.name,
                "street": org.street.pk,
                "sort_order": 100,
                "term_number": taken.term_number,
            },
        )
        assert page.status_code == 409 and "已有相同的记录" in page.content.decode()
        # An action page: the message on the form.
        other = Group.objects.create(
            name="另一小组", street=org.street, term_number=taken.term_number
        )
        page = client.post(
            f"/deputies/groups/{other.pk}/update_group/",
            {"name": taken.name, "street": org.street.pk, "sort_order": 100},
        )
        assert page.status_code == 409 and "已有相同的记录" in page.content.decode()
    assert Group.objects.count() == before + 1  # only the group made here; nothing duplicated
