"""Stored control characters and formula-like text in supervision: the rectification export
and the review opinion (.docx) still download and carry the text as inert text."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from renda.supervision.exports_opinions import build_opinion_docx
from renda.supervision.models import OpinionPoint, Rectification, ReviewOpinion
from tests.core.writers import PAYLOADS, assert_neutralised_xlsx, cleaned, dirty, docx_text
from tests.plans.factories import APRIL, at
from tests.supervision.opinion_factories import (  # noqa: F401  (the fixtures)
    issue_day_fixture,
    opinions_fixture,
)
from tests.supervision.rect_factories import rect_fixture  # noqa: F401  (the `rect` fixture)

pytestmark = pytest.mark.django_db

HYPERLINK, PLUS, MINUS, AT, DDE = PAYLOADS


def test_rectification_export(client, rect, supervision, time_machine):
    time_machine.move_to(at(APRIL), tick=False)
    item = rect.open("opinion", title="老旧小区加装电梯推进缓慢", due_on=date(2026, 4, 30))
    Rectification.objects.filter(pk=item.pk).update(
        title=dirty(HYPERLINK),
        description=dirty(PLUS),
        due_basis=dirty(MINUS),
        measures=dirty(AT),
        result=dirty(DDE),
    )
    client.force_login(supervision.p.leader)
    response = client.get(reverse("supervision:rectifications_export"))
    assert response.status_code == 200
    assert_neutralised_xlsx(response.content, PAYLOADS)


def test_review_opinion_docx(opinions):
    opinion = opinions.issued()
    ReviewOpinion.objects.filter(pk=opinion.pk).update(preamble=dirty("总体平稳"))
    point = opinion.points.order_by("pk").first()
    OpinionPoint.objects.filter(pk=point.pk).update(text=dirty("加强监管"))
    text = docx_text(build_opinion_docx(ReviewOpinion.objects.get(pk=opinion.pk)))
    assert cleaned("总体平稳") in text.replace("\n", "")
    assert cleaned("加强监管") in text.replace("\n", "")
