"""The plan list (filters, paging, query count) and creating a plan from its page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.plans.models import Plan, PlanKind, PlanStatus

pytestmark = pytest.mark.django_db
LIST = reverse("plans:list")
CREATE = reverse("plans:create")


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 5, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [plan.pk for plan in response.context["page"].object_list]


@pytest.fixture
def plans(planning):
    return {
        "draft": planning.draft(kind=PlanKind.OFFICE),
        "supervision": planning.approved(kind=PlanKind.SUPERVISION),
        "deputy_2025": planning.draft(kind=PlanKind.DEPUTY_WORK, year=2025, items=0),
    }


def test_every_organ_role_sees_all_plans(client, planning, plans):
    for user in (planning.p.leader, planning.p.staff, planning.p.admin):
        assert set(listed(client, user)) == {p.pk for p in plans.values()}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2025"}, {"deputy_2025"}),
        ({"kind": "supervision"}, {"supervision"}),
        ({"status": "approved"}, {"supervision"}),
        ({"status": "draft", "year": "2026"}, {"draft"}),
        ({"kind": "nonsense", "year": "x"}, {"draft", "supervision", "deputy_2025"}),
    ],
)
def test_filters(client, planning, plans, params, expected):
    assert set(listed(client, planning.p.leader, **params)) == {plans[k].pk for k in expected}


def test_office_filter(client, planning, plans, org):
    assert listed(client, planning.p.leader, office=org.deputy_office.pk) == []
    assert len(listed(client, planning.p.leader, office=org.social_office.pk)) == 3


def test_list_query_count_does_not_grow_with_rows(client, planning, django_assert_num_queries):
    client.force_login(planning.p.leader)
    planning.draft(kind=PlanKind.OFFICE)
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200
    for kind in (PlanKind.STUDY, PlanKind.SUPERVISION, PlanKind.WORK_POINTS):
        planning.approved(kind=kind)
    with django_assert_num_queries(9):
        assert client.get(LIST).status_code == 200


def test_create_button_only_for_drafting_roles(client, planning):
    client.force_login(planning.p.leader)
    assert 'id="create-plan"' not in client.get(LIST).content.decode()
    client.force_login(planning.p.social_staff)
    assert 'id="create-plan"' in client.get(LIST).content.decode()


def test_staff_creates_a_plan_for_their_office(client, planning):
    client.force_login(planning.p.social_staff)
    response = client.post(
        CREATE,
        {
            "kind": "office",
            "year": "2026",
            "title": "社会建设工作室2026年工作计划",
            "office": planning.office.pk,
            "note": "",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.status == PlanStatus.DRAFT and plan.created_by == planning.p.social_staff


def test_staff_cannot_pick_another_office(client, planning, org):
    client.force_login(planning.p.social_staff)
    response = client.post(
        CREATE,
        {"kind": "office", "year": "2026", "title": "代表室计划", "office": org.deputy_office.pk},
    )
    assert response.status_code == 400
    assert not Plan.objects.exists()


def test_duplicate_plan_is_refused_with_a_message(client, planning):
    planning.draft(kind=PlanKind.OFFICE)
    client.force_login(planning.p.admin)
    response = client.post(
        CREATE, {"kind": "office", "year": "2026", "title": "又一份", "office": planning.office.pk}
    )
    assert response.status_code == 400
    assert "社会建设工作室2026年已有处室工作计划" in response.content.decode()
    assert Plan.objects.count() == 1
