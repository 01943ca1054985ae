"""The public pages: published supervision and deputy-work plans only, without internal notes."""

import pytest
from django.urls import reverse

from renda.plans.models import PlanKind

pytestmark = pytest.mark.django_db


def test_public_list_shows_published_public_kinds_only(client, planning):
    published = planning.published(kind=PlanKind.SUPERVISION)
    planning.published(kind=PlanKind.OFFICE)
    planning.approved(kind=PlanKind.DEPUTY_WORK)
    response = client.get(reverse("plans:public_list"))
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [published.pk]


def test_public_detail_shows_items_without_internal_notes(client, planning):
    plan = planning.published(kind=PlanKind.DEPUTY_WORK)
    plan.note = "内部说明：不对外"
    plan.save(update_fields=["note"])
    html = client.get(reverse("plans:public_detail", args=[plan.pk])).content.decode()
    assert "《安全生产法》执法检查" in html and "社会建设工作室" in html
    assert "形成执法检查报告" in html and "2026-10-31" in html
    assert "内部说明" not in html and 'id="timeline"' not in html


@pytest.mark.parametrize("state", ["approved", "office_kind"])
def test_public_detail_404_otherwise(client, planning, state):
    if state == "approved":
        plan = planning.approved(kind=PlanKind.SUPERVISION)
    else:
        plan = planning.published(kind=PlanKind.STUDY)
    assert client.get(reverse("plans:public_detail", args=[plan.pk])).status_code == 404


def test_public_list_query_count(client, planning, django_assert_num_queries):
    planning.published(kind=PlanKind.SUPERVISION)
    with django_assert_num_queries(3):
        client.get(reverse("plans:public_list"))
    planning.published(kind=PlanKind.DEPUTY_WORK)
    with django_assert_num_queries(3):
        client.get(reverse("plans:public_list"))
