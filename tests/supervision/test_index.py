"""The supervision hub: each role sees the parts it uses, with figures in a fixed number of
queries."""

from datetime import date

import pytest
from django.urls import reverse

from tests.plans.factories import at
from tests.supervision.rect_factories import rect_fixture  # noqa: F401  (fixture "rect")

pytestmark = pytest.mark.django_db

SECTIONS = {
    "执法检查": "supervision:inspections",
    "专题询问": "supervision:inquiries",
    "专项工作报告": "supervision:work_reports",
    "审议意见": "supervision:opinions",
    "整改事项": "supervision:rectifications",
    "我的执法检查邀请": "supervision:my_invitations",
    "法律法规库": "supervision:laws",
}
SEEN = {
    "leader": {"执法检查", "专题询问", "专项工作报告", "审议意见", "整改事项", "法律法规库"},
    "unit": {"专题询问", "专项工作报告", "审议意见", "整改事项"},
    "deputy": {"专题询问", "我的执法检查邀请"},
}


@pytest.mark.parametrize("role", sorted(SEEN))
def test_each_role_sees_its_parts(client, personas, role):
    client.force_login(personas.by_role()[role])
    html = client.get(reverse("supervision:index")).content.decode()
    shown = {label for label, name in SECTIONS.items() if f'href="{reverse(name)}"' in html}
    assert shown == SEEN[role]


def test_street_is_refused(client, personas):
    client.force_login(personas.street)
    assert client.get(reverse("supervision:index")).status_code == 403


def _figures(client):
    response = client.get(reverse("supervision:index"))
    assert response.status_code == 200
    return response.context


@pytest.mark.parametrize("count", [1, 4])
def test_figures_count_open_and_overdue_in_constant_queries(
    client, rect, time_machine, django_assert_num_queries, count
):
    time_machine.move_to(at(date(2026, 4, 1)), tick=False)
    for n in range(count):
        rect.open(due_on=date(2026, 4, 20 + n))
    verified = rect.verified()
    time_machine.move_to(at(date(2026, 5, 6)), tick=False)  # past every deadline above
    client.force_login(rect.office_user)
    with django_assert_num_queries(QUERIES):
        context = _figures(client)
    assert context["rectifications"]["open"] == count
    assert context["rectifications"]["overdue"] == count
    assert verified.status == "verified"
    assert context["inspections"] == {"open": 1, "total": 1}  # reviewed, not yet closed
    client.force_login(rect.unit_user)
    unit_context = _figures(client)
    assert unit_context["rectifications"]["open"] == count and "inspections" not in unit_context


# Session and user (2), roles (1), the rectification and opinion aggregates (2), inspections (1),
# the congress in the page header (1), the navigation's unread count (1).
QUERIES = 8


def test_the_admin_edits_the_deadline_rules_once(client, personas):
    from renda.supervision.models import SupervisionRules

    client.force_login(personas.admin)
    add = reverse("admin:supervision_supervisionrules_add")
    values = {
        "draft_days_before": 20,
        "revised_days_before": 10,
        "members_days_before": 7,
        "opinion_issue_days": 7,
        "opinion_handling_months": 3,
        "rectification_months": 3,
        "remind_days_before": 5,
    }
    assert client.post(add, {**values, "id": 1}).status_code == 302
    assert SupervisionRules.current().opinion_handling_months == 3
    assert client.get(add).status_code == 403  # one row only
