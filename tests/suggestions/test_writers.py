"""Stored control characters and formula-like text in suggestions: the list export, the session
statistics workbook, the handling report and the answer letter (.docx and PDF) still download,
open, and carry the text as inert text."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from renda.core.models import Unit
from renda.deputies.models import Deputy
from renda.suggestions import actions
from renda.suggestions.models import Answer, Category, Suggestion
from tests.core.writers import PAYLOADS, assert_neutralised_xlsx, cleaned, dirty, docx_text
from tests.suggestions.factories import frozen  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

HYPERLINK, PLUS, MINUS, AT, DDE = PAYLOADS


def poisoned(world) -> Suggestion:
    """An answered key suggestion whose title, deputy, category and units were stored dirty,
    and a second one whose title is a DDE payload."""
    s = world.answered()
    other = world.accepted()
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=s,
        leader=world.p.leader,
        office=world.org.deputy_office,
    )
    Suggestion.objects.filter(pk=s.pk).update(title=dirty(HYPERLINK), content=dirty("内容"))
    Deputy.objects.filter(pk=s.deputy_id).update(full_name=dirty(PLUS))
    Category.objects.filter(pk=s.category_id).update(name=dirty(AT))
    Unit.objects.filter(pk=world.org.unit.pk).update(name=dirty(MINUS))
    Suggestion.objects.filter(pk=other.pk).update(title=dirty(DDE))
    return s


def test_list_export(client, world):
    poisoned(world)
    client.force_login(world.p.staff)
    response = client.get(reverse("suggestions:export"))
    assert response.status_code == 200
    assert_neutralised_xlsx(response.content, PAYLOADS)


def test_statistics_workbook_and_handling_report(client, world):
    poisoned(world)
    client.force_login(world.p.leader)
    response = client.get(reverse("suggestions:statistics_xlsx"))
    assert response.status_code == 200
    # The units' sheet and the key suggestions' sheet, gathered from single-sheet tables.
    assert_neutralised_xlsx(response.content, [MINUS, HYPERLINK])
    response = client.get(reverse("suggestions:handling_report"))
    assert response.status_code == 200
    assert cleaned(MINUS) in docx_text(response.content)


def test_answer_letter_docx_and_pdf(client, world):
    s = poisoned(world)
    answer = s.answers.get()
    Answer.objects.filter(pk=answer.pk).update(
        text=dirty("经实地调查，已完成施划。"), signer=dirty("王局长"), contact_person=dirty("赵")
    )
    client.force_login(world.p.unit)
    response = client.get(reverse("suggestions:letter_docx", args=[answer.pk]))
    assert response.status_code == 200
    text = docx_text(response.content)
    # The body is split into paragraphs at line breaks, and a vertical tab is one.
    assert cleaned("经实地调查，已完成施划。") in text.replace("\n", "")
    assert f"签发人：{cleaned('王局长')}" in text
    assert Document(BytesIO(response.content)).core_properties.title
    response = client.get(reverse("suggestions:letter_pdf", args=[answer.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_import_template_with_a_stored_category(client, world):
    poisoned(world)
    client.force_login(world.p.staff)
    response = client.get(reverse("suggestions:import_template"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    listed = [v.formula1 for v in sheet.data_validations.dataValidation]
    assert any(cleaned(AT) in formula for formula in listed)
