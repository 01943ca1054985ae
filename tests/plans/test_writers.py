"""Stored control characters and formula-like text in a plan: its workbook still downloads,
the sheet is named, and the text is inert text."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from renda.plans.models import Plan, PlanItem
from tests.core.writers import PAYLOADS, assert_neutralised_xlsx, cleaned, dirty

pytestmark = pytest.mark.django_db

HYPERLINK, PLUS, MINUS, AT, DDE = PAYLOADS


def test_plan_workbook(client, planning):
    plan = planning.draft(items=2)
    Plan.objects.filter(pk=plan.pk).update(title=dirty(f"{HYPERLINK}[计划]"))
    first, second = plan.items.order_by("position")
    PlanItem.objects.filter(pk=first.pk).update(
        title=dirty(PLUS), objective=dirty(MINUS), measure=dirty(DDE)
    )
    PlanItem.objects.filter(pk=second.pk).update(title=dirty(AT))
    client.force_login(planning.p.social_staff)
    response = client.get(reverse("plans:export_xlsx", args=[plan.pk]))
    assert response.status_code == 200
    assert_neutralised_xlsx(response.content, [f"{HYPERLINK}[计划]", PLUS, MINUS, AT, DDE])
    table = openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]
    assert table["A1"].value.startswith(cleaned(f"{HYPERLINK}[计划]"))
    assert "[" not in table.title and "\x01" not in table.title
