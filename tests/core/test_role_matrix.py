"""The role matrix: every URL and every API operation, every role, exactly what the rules say.

EXPECTED_PAGES and EXPECTED_API are the specification, written here by hand. A view or operation
that is added without an entry here, or whose rule differs, fails this test."""

import json

import pytest
from django.urls import reverse

from renda.api import api
from renda.core.access import (
    find_unruled_api_operations,
    find_unruled_routes,
    is_self_guarded,
    iter_api_operations,
    iter_routes,
)
from tests.api_versions import with_current_version
from tests.core.factories import Multipart
from tests.core.matrix_tokens import TOKEN_API, TOKEN_PAGES
from tests.deputies.matrix_activities import ACTIVITY_API, ACTIVITY_PAGES
from tests.deputies.matrix_groups import GROUP_API, GROUP_PAGES
from tests.deputies.matrix_points import POINT_API, POINT_PAGES
from tests.deputies.matrix_record import RECORD_API, RECORD_PAGES
from tests.deputies.matrix_roster import DEPUTY_ROSTER_API, DEPUTY_ROSTER_PAGES
from tests.deputies.matrix_stations import STATION_API, STATION_PAGES
from tests.plans.matrix_api import PLAN_API
from tests.plans.matrix_pages import PLAN_PAGES
from tests.plans.matrix_reports import PLAN_REPORT_PAGES
from tests.suggestions.matrix_api import SUGGESTION_API
from tests.suggestions.matrix_pages import SUGGESTION_PAGES
from tests.suggestions.matrix_reports import SUGGESTION_REPORT_PAGES
from tests.supervision.matrix_inquiries import SUP_INQUIRY_API, SUP_INQUIRY_PAGES
from tests.supervision.matrix_inspections import SUP_INSPECTION_API, SUP_INSPECTION_PAGES
from tests.supervision.matrix_laws import SUP_LAW_API, SUP_LAW_PAGES
from tests.supervision.matrix_opinions import SUP_OPINION_API, SUP_OPINION_PAGES
from tests.supervision.matrix_rectification import SUP_RECTIFICATION_API, SUP_RECTIFICATION_PAGES
from tests.supervision.matrix_work_reports import SUP_WORK_REPORT_API, SUP_WORK_REPORT_PAGES

ROLES = ["admin", "leader", "staff", "street", "deputy", "unit"]
ALL = set(ROLES)
ORGAN = {"admin", "leader", "staff"}
ROSTER = {"admin", "leader", "staff", "street"}


def deputy_pk(personas):
    return personas.deputy.deputy.pk


def meeting_pk(personas):
    from renda.meetings.models import Meeting

    meeting, _ = Meeting.objects.get_or_create(
        kind="director", term_number=18, number=1, defaults={"date": "2026-03-02"}
    )
    return meeting.pk


def foreign_job_pk(personas):
    """A job of somebody outside the personas: every role may open job pages (authenticated),
    and each gets 404 for a job that is not theirs (tests/core/test_jobs.py tests the owner)."""
    from renda.core.models import Job
    from tests.core.factories import UserFactory

    owner = UserFactory(username="job_owner")
    return Job.objects.create(user=owner, kind="test", title="导出").pk


# url name -> (roles allowed, method, kwargs builder, status when allowed). "public" is anyone,
# "authenticated" any logged-in user even without a role; otherwise a set of roles.
EXPECTED_PAGES = {
    "home": ("authenticated", "get", None, 200),
    "login": ("public", "get", None, 200),
    "logout": ("public", "post", None, 302),
    "password_change": ("authenticated", "get", None, 200),
    "organisation": (ALL - {"deputy"}, "get", None, 200),
    "calendar": ("authenticated", "get", None, 200),
    "job": ("authenticated", "get", lambda p: {"pk": foreign_job_pk(p)}, 404),
    "job_status": ("authenticated", "get", lambda p: {"pk": foreign_job_pk(p)}, 404),
    "job_download": ("authenticated", "get", lambda p: {"pk": foreign_job_pk(p)}, 404),
    "notifications": ("authenticated", "get", None, 200),
    "notifications_read": ("authenticated", "post", None, 302),
    "deputies:list": (ROSTER, "get", None, 200),
    "deputies:export": (ROSTER, "get", None, 200),
    "deputies:me": ({"deputy"}, "get", None, 302),
    "deputies:detail": (ROSTER | {"deputy"}, "get", lambda p: {"pk": deputy_pk(p)}, 200),
    "meetings:list": (ORGAN, "get", None, 200),
    "meetings:create": ({"admin", "staff"}, "get", None, 200),
    "meetings:detail": (ORGAN, "get", lambda p: {"pk": meeting_pk(p)}, 200),
    "supervision:index": (ALL - {"street"}, "get", None, 200),
}

# (method, path) -> (roles allowed, request builder returning (path, body), status when allowed)
EXPECTED_API = {
    ("GET", "/me"): ("authenticated", lambda p: ("/api/v1/me", None), 200),
    ("GET", "/deputies/"): (ROSTER, lambda p: ("/api/v1/deputies/", None), 200),
    ("GET", "/deputies/{int:deputy_id}"): (
        ROSTER | {"deputy"},
        lambda p: (f"/api/v1/deputies/{deputy_pk(p)}", None),
        200,
    ),
    ("GET", "/meetings/"): (ORGAN, lambda p: ("/api/v1/meetings/", None), 200),
    ("POST", "/meetings/"): (
        {"admin", "staff"},
        lambda p: (
            "/api/v1/meetings/",
            {
                "kind": "standing",
                "term_number": 18,
                "number": 90 + len(p.calls),
                "date": "2026-12-01",
            },
        ),
        201,
    ),
}


# Each app's part of the matrix is written by hand beside its tests.
EXPECTED_PAGES.update(TOKEN_PAGES)
EXPECTED_API.update(TOKEN_API)
EXPECTED_PAGES.update(DEPUTY_ROSTER_PAGES)
EXPECTED_API.update(DEPUTY_ROSTER_API)
EXPECTED_PAGES.update(ACTIVITY_PAGES)
EXPECTED_API.update(ACTIVITY_API)
for pages, operations in (
    (STATION_PAGES, STATION_API),
    (GROUP_PAGES, GROUP_API),
    (RECORD_PAGES, RECORD_API),
    (POINT_PAGES, POINT_API),
):
    EXPECTED_PAGES.update(pages)
    EXPECTED_API.update(operations)
EXPECTED_PAGES.update(SUGGESTION_PAGES)
EXPECTED_PAGES.update(SUGGESTION_REPORT_PAGES)
EXPECTED_API.update(SUGGESTION_API)
EXPECTED_PAGES.update(PLAN_PAGES)
EXPECTED_PAGES.update(PLAN_REPORT_PAGES)
EXPECTED_API.update(PLAN_API)
for pages, operations in (
    (SUP_LAW_PAGES, SUP_LAW_API),
    (SUP_INSPECTION_PAGES, SUP_INSPECTION_API),
    (SUP_OPINION_PAGES, SUP_OPINION_API),
    (SUP_INQUIRY_PAGES, SUP_INQUIRY_API),
    (SUP_WORK_REPORT_PAGES, SUP_WORK_REPORT_API),
    (SUP_RECTIFICATION_PAGES, SUP_RECTIFICATION_API),
):
    EXPECTED_PAGES.update(pages)
    EXPECTED_API.update(operations)


def page_routes():
    return [r for r in iter_routes() if not is_self_guarded(r)]


def test_every_url_has_a_rule_and_an_expectation():
    assert find_unruled_routes() == []
    names = {r.qualified_name for r in page_routes()}
    assert names == set(EXPECTED_PAGES), "update EXPECTED_PAGES for new or removed URLs"


def as_rule(roles) -> set[str]:
    return {roles} if isinstance(roles, str) else set(roles)


def role_allowed(roles, role: str) -> bool:
    return roles in ("public", "authenticated") or role in roles


def test_declared_rules_match_the_matrix():
    for route in page_routes():
        assert set(route.rule) == as_rule(EXPECTED_PAGES[route.qualified_name][0]), (
            route.qualified_name
        )


def test_every_api_operation_has_a_rule_and_an_expectation():
    assert find_unruled_api_operations(api) == []
    operations = {(op.method, op.path) for op in iter_api_operations(api)}
    assert operations == set(EXPECTED_API), "update EXPECTED_API for new or removed operations"
    for op in iter_api_operations(api):
        assert set(op.rule) == as_rule(EXPECTED_API[(op.method, op.path)][0]), op.path


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED_PAGES))
def test_page_matrix(client, personas, name):
    roles, method, kwargs_for, ok_status = EXPECTED_PAGES[name]
    url = reverse(name, kwargs=kwargs_for(personas) if kwargs_for else None)
    for role, user in personas.by_role().items():
        client.force_login(user)
        response = getattr(client, method)(url)
        allowed = role_allowed(roles, role)
        if name == "login":
            assert response.status_code == 302, "a logged-in user is sent on from the log-in page"
        elif allowed:
            assert response.status_code == ok_status, (
                f"{role} should reach {name}, got {response.status_code}"
            )
        else:
            assert response.status_code == 403, (
                f"{role} must be refused {name}, got {response.status_code}"
            )
        client.logout()
    # A logged-in user without any role reaches only what is open to everyone.
    client.force_login(personas.nobody)
    response = getattr(client, method)(url)
    if roles in ("public", "authenticated"):
        assert response.status_code in (ok_status, 302), name
    else:
        assert response.status_code == 403, f"a user without roles must be refused {name}"
    client.logout()
    response = getattr(client, method)(url)
    if roles == "public":
        assert response.status_code == ok_status
    else:
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def send(client, method: str, path: str, body):
    path, body = with_current_version(method, path, body)
    if isinstance(body, Multipart):
        return client.post(path, data=dict(body))  # multipart/form-data
    return client.generic(
        method,
        path,
        data=None if body is None else json.dumps(body),
        content_type="application/json",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(EXPECTED_API))
def test_api_matrix(client, personas, key):
    method, _ = key
    roles, build, ok_status = EXPECTED_API[key]
    personas.calls = []
    for role, user in personas.by_role().items():
        personas.calls.append(role)
        client.force_login(user)
        path, body = build(personas)
        response = send(client, method, path, body)
        if role_allowed(roles, role):
            assert response.status_code == ok_status, (
                f"{role} {method} {path}: {response.status_code} {response.content[:200]}"
            )
        else:
            assert response.status_code == 403, f"{role} must be refused {method} {path}"
            assert response.json()["code"] == "forbidden"
        client.logout()
    path, body = build(personas)
    response = send(client, method, path, body)
    if roles == "public":  # open to anyone, logged in or not
        assert response.status_code == ok_status
    else:
        assert response.status_code == 401
        assert response.json()["message"].startswith("请先登录")


@pytest.mark.django_db
def test_admin_site_open_to_admin_role_only(client, personas):
    for role, user in personas.by_role().items():
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        if role == "admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302 and reverse("login") in response["Location"]
        client.logout()


@pytest.mark.django_db
def test_api_docs_need_login(client, personas):
    assert client.get("/api/v1/docs").status_code == 302
    client.force_login(personas.unit)
    assert client.get("/api/v1/docs").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
