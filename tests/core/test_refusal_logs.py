"""A refusal (403) is logged as one line naming the user, the path and the reason, without a
traceback; a server error keeps its traceback."""

import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.log import log_response


def request_records(caplog):
    return [r for r in caplog.records if r.name.startswith(("django.request", "django.security"))]


@pytest.mark.django_db
def test_a_refused_page_is_one_line_with_user_path_and_reason(client, personas, caplog):
    client.force_login(personas.deputy)
    with caplog.at_level(logging.WARNING):
        assert client.get(reverse("meetings:list")).status_code == 403
    (record,) = request_records(caplog)
    line = record.getMessage()
    assert "p_deputy" in line and "/meetings/" in line and "您没有权限访问此页面" in line
    assert record.exc_info is None and "\n" not in caplog.text.strip()


@pytest.mark.django_db
def test_a_refused_api_operation_is_one_line_with_its_reason(client, personas, caplog):
    client.force_login(personas.deputy)
    with caplog.at_level(logging.WARNING):
        assert client.get("/api/v1/meetings/").status_code == 403
    (record,) = request_records(caplog)
    line = record.getMessage()
    assert "p_deputy" in line and "/api/v1/meetings/" in line and "您没有权限进行此操作" in line
    assert record.exc_info is None


@pytest.mark.django_db
def test_a_csrf_refusal_is_one_line_naming_the_anonymous_caller(personas, caplog):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING):
        assert client.post(reverse("login"), {"username": "x", "password": "y"}).status_code == 403
    (record,) = request_records(caplog)
    line = record.getMessage()
    assert "anonymous" in line and "/login/" in line and "CSRF" in line


def test_a_server_error_keeps_its_traceback(caplog):
    request = RequestFactory().get("/broken/")
    try:
        raise ValueError("真正的错误")
    except ValueError as exc:
        with caplog.at_level(logging.ERROR):
            log_response(
                "Internal Server Error: %s",
                request.path,
                response=HttpResponse(status=500),
                request=request,
                exception=exc,
            )
    (record,) = request_records(caplog)
    assert record.exc_info is not None and "Traceback" in caplog.text
    assert "真正的错误" in caplog.text
