import pytest
from django.test import override_settings
from django.urls import get_resolver

from renda.core.access import find_unruled_api_operations, find_unruled_routes
from renda.core.checks import every_view_has_an_access_rule
from tests.core import unruled_urls


def test_an_unruled_view_is_caught():
    unruled = find_unruled_routes(get_resolver("tests.core.unruled_urls"))
    assert [r.pattern for r in unruled] == ["nested/forgotten/"]


def test_an_unruled_api_operation_is_caught():
    unruled = find_unruled_api_operations(unruled_urls.unruled_api)
    assert [(op.method, op.path) for op in unruled] == [("GET", "/open")]


def test_the_system_check_fails_on_an_unruled_view():
    with override_settings(ROOT_URLCONF="tests.core.unruled_urls"):
        errors = every_view_has_an_access_rule(None)
    assert [e.id for e in errors] == ["renda.E001"]
    assert "nested/forgotten/" in errors[0].msg


def test_the_real_project_passes_the_system_check():
    assert every_view_has_an_access_rule(None) == []


@pytest.mark.django_db
def test_a_user_without_roles_is_refused_by_default(client, personas):
    client.force_login(personas.nobody)
    assert client.get("/deputies/").status_code == 403
    assert client.get("/").status_code == 200  # home is open to every logged-in user
