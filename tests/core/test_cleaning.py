"""Text input is cleaned at one place (renda/core/cleaning.py) for pages, queries and the API:
control characters dropped, line ends evened out, NUL and over-long values refused in Chinese
with nothing changed; the data migration core 0006 cleans what was stored before."""

from __future__ import annotations

from io import BytesIO
from types import SimpleNamespace

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from renda.core.cleaning import clean_text
from renda.suggestions.actions import MAX_CONTENT
from renda.suggestions.models import Suggestion
from renda.supervision.models import LawProvision, LawVersion
from tests.suggestions import factories as suggestion_factories
from tests.suggestions.factories import category
from tests.suggestions.matrix_api import BASE, field_messages, refused, send
from tests.supervision import factories as supervision_factories
from tests.supervision.matrix_laws import BASE as LAWS
from tests.supervision.test_laws_parser import SAFETY, text_of

pytestmark = pytest.mark.django_db

# The suggestions' and the supervision's casts, used here as fixtures.
world = suggestion_factories.world
supervision = supervision_factories.supervision

DIRTY_TITLE = "关于\x01老旧小区\x0b停车的建议\ufffe"
DIRTY_CONTENT = "第一段\r\n第二段\r第三段\t（完）\x1f"
CLEAN_TITLE = "关于老旧小区停车的建议"
CLEAN_CONTENT = "第一段\n第二段\n第三段\t（完）"


def test_clean_text_rules():
    # Tab and newline stay; other C0 controls, lone surrogates, U+FFFE/U+FFFF go.
    assert clean_text("a\x01b\x0bc\x0cd\x1be\x7ff\tg\nh\ud800i\uffffj") == "abcde\x7ff\tg\nhij"
    assert clean_text("一\r\n二\r三\n") == "一\n二\n三\n"
    assert clean_text(CLEAN_CONTENT) == CLEAN_CONTENT


def draft_body(**overrides) -> dict:
    body = {
        "title": DIRTY_TITLE,
        "content": DIRTY_CONTENT,
        "category_id": category().pk,
        "timing": "during",
    }
    body.update(overrides)
    return body


def page_data(**overrides) -> dict:
    data = {
        "title": DIRTY_TITLE,
        "content": DIRTY_CONTENT,
        "category": category("社会保障").pk,
        "kind": "suggestion",
        "timing": "between",
        "term_number": 18,
        "session_number": 5,
    }
    data.update(overrides)
    return data


def stored() -> tuple[str, str]:
    return Suggestion.objects.values_list("title", "content").get()


# -- cleaned ----------------------------------------------------------------------------------


def test_form_page_stores_cleaned_text(client, world):
    client.force_login(world.p.deputy)
    response = client.post(reverse("suggestions:create"), page_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored() == (CLEAN_TITLE, CLEAN_CONTENT)


def test_api_write_stores_cleaned_text(client, world):
    response = send(client, world.p.deputy, "POST", f"{BASE}/", draft_body())
    assert response.status_code == 201, response.content
    assert (response.json()["title"], response.json()["content"]) == (CLEAN_TITLE, CLEAN_CONTENT)
    assert stored() == (CLEAN_TITLE, CLEAN_CONTENT)


def test_query_parameters_are_cleaned(client, world):
    world.submitted(title="关于解决老旧小区停车难的建议")
    found = send(client, world.p.staff, "GET", f"{BASE}/?q=停\x01车\x0b难").json()
    assert [s["title"] for s in found["items"]] == ["关于解决老旧小区停车难的建议"]
    page = client.get(reverse("suggestions:list"), {"q": "停\x01车\x0b难"})
    assert page.status_code == 200 and "关于解决老旧小区停车难的建议" in page.content.decode()


# -- refused ----------------------------------------------------------------------------------


def test_nul_is_refused_in_chinese_and_nothing_changes(client, world):
    # On PostgreSQL a NUL reached the database and answered 500.
    body = refused(
        send(client, world.p.deputy, "POST", f"{BASE}/", draft_body(content="建议\x00内容")),
        400,
        "invalid",
    )
    assert "空字符" in field_messages(body)["content"]
    client.force_login(world.p.deputy)
    page = client.post(reverse("suggestions:create"), page_data(title="建议\x00标题"))
    assert page.status_code == 400 and "“title”含有不允许的空字符" in page.content.decode()
    assert not Suggestion.objects.exists()

    s = world.draft()
    before = Suggestion.objects.values_list("title", "content", "version").get(pk=s.pk)
    edit = draft_body(title="改\x00", version=s.version)
    refused(send(client, world.p.deputy, "PUT", f"{BASE}/{s.pk}", edit), 400, "invalid")
    assert Suggestion.objects.values_list("title", "content", "version").get(pk=s.pk) == before


def test_nul_in_a_query_parameter_is_refused(client, world):
    body = refused(send(client, world.p.staff, "GET", f"{BASE}/?q=a%00b"), 400, "invalid")
    assert set(field_messages(body)) == {"q"}
    page = client.get(reverse("suggestions:list"), {"q": "a\x00b"})
    assert page.status_code == 400 and "空字符" in page.content.decode()


def test_nul_in_a_nested_json_value_names_its_path(client, world):
    body = {"items": [{"name": "甲"}, {"name": "乙\x00"}]}
    response = send(client, world.p.staff, "POST", f"{BASE}/", body)
    assert set(field_messages(refused(response, 400, "invalid"))) == {"items.1.name"}


def test_json_nested_too_deep_is_refused_not_a_500(client, world):
    client.force_login(world.p.deputy)
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(f"{BASE}/", data=deep, content_type="application/json")
    refused(response, 400, "invalid")
    assert not Suggestion.objects.exists()


def test_text_over_the_cap_is_refused_and_nothing_changes(client, world, settings):
    long = "长" * (settings.RENDA_MAX_TEXT_CHARS + 1)
    body = refused(
        send(client, world.p.deputy, "POST", f"{BASE}/", draft_body(content=long)), 400, "invalid"
    )
    assert field_messages(body) == {"content": f"最多 {settings.RENDA_MAX_TEXT_CHARS} 个字符"}
    client.force_login(world.p.deputy)
    page = client.post(reverse("suggestions:create"), page_data(content=long))
    assert page.status_code == 400 and "“content”太长" in page.content.decode()
    assert not Suggestion.objects.exists()
    # Exactly at the cap is accepted (a search, as a suggestion's content has a smaller limit).
    at_cap = "a" * settings.RENDA_MAX_TEXT_CHARS
    assert send(client, world.p.staff, "GET", f"{BASE}/?q={at_cap}").status_code == 200
    over = send(client, world.p.staff, "GET", f"{BASE}/?q={at_cap}a")
    assert set(field_messages(refused(over, 400, "invalid"))) == {"q"}


def test_a_suggestions_content_has_its_own_smaller_limit(client, world):
    long = "长" * (MAX_CONTENT + 1)
    body = refused(
        send(client, world.p.deputy, "POST", f"{BASE}/", draft_body(content=long)),
        400,
        "too_long",
    )
    assert set(field_messages(body)) == {"content"}
    client.force_login(world.p.deputy)
    page = client.post(reverse("suggestions:create"), page_data(content=long))
    # The form says so next to the field (and the browser stops typing at the limit).
    assert page.status_code == 400 and f'maxlength="{MAX_CONTENT}"' in page.content.decode()
    assert page.context["form"].errors["content"]
    assert not Suggestion.objects.exists()


def test_a_laws_pasted_full_text_may_be_longer(client, supervision, settings):
    # The Work Safety Law runs past the cap: the law import (API and page) allows it.
    text = text_of(SAFETY)
    assert len(text) > settings.RENDA_MAX_TEXT_CHARS
    body = {"text": text, "label": "2021年修正"}
    response = send(client, supervision.staff, "POST", f"{LAWS}/import", body)
    assert response.status_code == 201, response.content
    client.force_login(supervision.staff)
    page = client.post(reverse("supervision:law_import"), {"text": text, "label": "2024年"})
    assert page.status_code == 302, page.content.decode()[:2000]
    assert LawVersion.objects.count() == 2
    # Only that field: a long label is still refused.
    body = {"text": text, "label": "长" * (settings.RENDA_MAX_TEXT_CHARS + 1)}
    response = send(client, supervision.staff, "POST", f"{LAWS}/import", body)
    assert set(field_messages(refused(response, 400, "invalid"))) == {"label"}


def test_a_law_file_is_cleaned_like_typed_text(client, supervision):
    # Text read from a file reaches no middleware: the reader cleans it with the same rule.
    text = text_of(SAFETY).replace("第一条", "第一条\x01", 1).replace("\n", "\r\n")
    client.force_login(supervision.staff)
    upload = SimpleUploadedFile("safety.txt", text.encode())
    response = client.post(f"{LAWS}/import-file", {"file": upload, "label": "2021年修正"})
    assert response.status_code == 201, response.content
    texts = "".join(LawProvision.objects.values_list("text", flat=True))
    assert texts and "\x01" not in texts and "\r" not in texts


# -- end to end -------------------------------------------------------------------------------


def test_suggestion_with_control_characters_entered_by_api_exports(client, world):
    response = send(client, world.p.deputy, "POST", f"{BASE}/", draft_body())
    created = response.json()
    path = f"{BASE}/{created['id']}/submit"
    submitted = send(client, world.p.deputy, "POST", path, {"version": created["version"]})
    assert submitted.status_code == 200, submitted.content
    client.force_login(world.p.staff)
    export = client.get(reverse("suggestions:export"))
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(export.content)).active
    cells = {c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)}
    assert CLEAN_TITLE in cells


# -- the data migration -----------------------------------------------------------------------


def test_migration_cleans_stored_rows(world):
    migration = __import__(
        "renda.core.migrations.0006_clean_control_characters", fromlist=["clean_stored_text"]
    )
    dirty = world.submitted()
    clean = world.submitted(title="关于增设路灯的建议", content="第一段\n第二段")
    # Stored before input was cleaned: written past the middleware.
    Suggestion.objects.filter(pk=dirty.pk).update(title=DIRTY_TITLE, content=DIRTY_CONTENT)
    clean_before = Suggestion.objects.values_list("title", "content", "version").get(pk=clean.pk)
    changed = migration.clean_stored_text(apps, SimpleNamespace(connection=connection))
    assert changed == 1
    assert Suggestion.objects.values_list("title", "content").get(pk=dirty.pk) == (
        CLEAN_TITLE,
        CLEAN_CONTENT,
    )
    after = Suggestion.objects.values_list("title", "content", "version").get(pk=clean.pk)
    assert after == clean_before
    # Timeline events are append-only and left as they are; running again changes nothing.
    assert migration.clean_stored_text(apps, SimpleNamespace(connection=connection)) == 0


def test_migration_cleans_json_strings(world):
    migration = __import__(
        "renda.core.migrations.0006_clean_control_characters", fromlist=["clean_model"]
    )
    s = world.submitted()
    Suggestion.objects.filter(pk=s.pk).update(due_provisional_years=["二〇二六\x01", 2027])
    assert migration.clean_model(Suggestion, connection.vendor) == 1
    assert Suggestion.objects.get(pk=s.pk).due_provisional_years == ["二〇二六", 2027]


def test_nul_stored_by_sqlite_is_cleaned(world):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL cannot store a NUL")
    migration = __import__(
        "renda.core.migrations.0006_clean_control_characters", fromlist=["clean_model"]
    )
    s = world.submitted()
    Suggestion.objects.filter(pk=s.pk).update(title="关于\x00停车的建议")
    assert migration.clean_model(Suggestion, connection.vendor) == 1
    assert Suggestion.objects.get(pk=s.pk).title == "关于停车的建议"
