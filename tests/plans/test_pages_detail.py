"""The plan page and the item page: what they show, the action forms each persona gets (and no
others), evidence served through the permission check, and bounded query counts."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from renda.plans import actions
from renda.plans.models import Evidence
from tests.plans.factories import item_fields, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2026, 5, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def page(client, user, name: str, pk: int):
    client.force_login(user)
    response = client.get(reverse(f"plans:{name}", args=[pk]))
    assert response.status_code == 200
    return response


def shown(response) -> set[str]:
    return {a.page.name for a in response.context["actions"]}


def test_plan_page_shows_header_tree_and_timeline(client, planning):
    plan = planning.approved(items=2)
    parent = planning.item(plan)
    html = page(client, planning.p.leader, "detail", plan.pk).content.decode()
    assert planning.meeting.title in html
    assert "2026-02-10" in html  # the party committee's date
    assert f'data-item="{parent.pk}"' in html and "第2项工作" in html
    assert 'data-health="on_track"' in html
    assert "经" in html and 'id="timeline"' in html


def test_plan_page_nests_items(client, planning):
    plan = planning.draft()
    parent = planning.item(plan)
    child = actions.add_item(
        acting_user=planning.p.social_staff,
        plan=plan,
        parent=parent,
        values=item_fields(planning.office, title="制定检查方案"),
    )
    response = page(client, planning.p.social_staff, "detail", plan.pk)
    depths = {row.item.pk: row.depth for row in response.context["rows"]}
    assert depths == {parent.pk: 0, child.pk: 1}


@pytest.mark.parametrize(
    ("state", "persona", "expected"),
    [
        ("draft", "social_staff", {"update_plan", "add_item", "submit_plan"}),
        ("draft", "staff", set()),
        ("draft", "leader", set()),
        ("draft", "admin", {"update_plan", "add_item", "submit_plan"}),
        ("submitted", "leader", {"approve_plan", "return_plan"}),
        ("submitted", "social_staff", set()),
        ("approved", "social_staff", {"publish_plan"}),
        ("approved", "leader", {"publish_plan"}),
        ("approved", "staff", set()),
        ("published", "leader", set()),
    ],
)
def test_plan_page_shows_only_the_allowed_actions(client, planning, state, persona, expected):
    plan = getattr(planning, state)() if state != "draft" else planning.draft()
    response = page(client, getattr(planning.p, persona), "detail", plan.pk)
    assert shown(response) == expected
    html = response.content.decode()
    for name in expected:
        assert f'data-action="{name}"' in html
    if not expected:
        assert 'id="no-actions"' in html


def test_plan_page_query_count_does_not_grow_with_items(
    client, planning, django_assert_num_queries
):
    small = planning.approved(items=1)
    big = planning.approved(items=6, kind="deputy_work")
    client.force_login(planning.p.leader)
    client.get(reverse("plans:detail", args=[small.pk]))  # creates the PlanRules row once
    for plan in (small, big):
        with django_assert_num_queries(10):
            assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200


@pytest.mark.parametrize(
    ("state", "persona", "expected"),
    [
        ("draft", "social_staff", {"update_item", "remove_item", "add_milestone", "link_item"}),
        ("draft", "leader", set()),
        (
            "approved",
            "social_staff",
            {
                "add_milestone",
                "complete_milestone",
                "link_item",
                "report_progress",
                "complete_item",
                "request_change",
                "self_assess",
            },
        ),
        ("approved", "staff", set()),
        ("approved", "leader", set()),
        ("change", "leader", {"decide_change"}),
        ("assessed", "leader", {"grade_item"}),
        ("assessed", "social_staff", {"self_assess"}),
    ],
)
def test_item_page_shows_only_the_allowed_actions(client, planning, state, persona, expected):
    if state == "draft":
        item = planning.item(planning.draft())
    else:
        item = planning.item(planning.approved())
    if state == "change":
        actions.request_change(
            acting_user=planning.p.social_staff, item=item, kind="cancel", reason="情况变化"
        )
    if state == "assessed":
        item = planning.completed(kind="deputy_work")
        actions.self_assess(acting_user=planning.p.social_staff, item=item, text="完成")
    response = page(client, getattr(planning.p, persona), "item", item.pk)
    assert shown(response) == expected
    html = response.content.decode()
    for name in expected:
        assert f'data-action="{name}"' in html
    # Each embedded form's fields carry the action's name, so no two ids clash.
    assert html.count('id="id_report_progress-text"') == (1 if "report_progress" in expected else 0)


def test_item_page_shows_everything_about_the_item(client, planning, time_machine):
    item = planning.item(planning.approved())
    staff = planning.p.social_staff
    actions.add_milestone(
        acting_user=staff, item=item, title="印发检查方案", due_on=date(2026, 4, 1)
    )
    actions.report_progress(
        acting_user=staff, item=item, text="召开座谈会", percent=30, evidence=[pdf("纪要.pdf")]
    )
    actions.request_change(
        acting_user=staff,
        item=item,
        kind="postpone",
        reason="配合市人大部署",
        new_ends_on=date(2026, 12, 15),
    )
    actions.link_item(acting_user=staff, item=item, target=planning.meeting)
    response = page(client, planning.p.leader, "item", item.pk)
    html = response.content.decode()
    for text in (
        "检查安全生产法在本区的实施情况",
        "形成执法检查报告",
        "整改事项全部销号",
        "2026-10-31",
        "印发检查方案",
        "召开座谈会",
        "纪要.pdf",
        "配合市人大部署",
        planning.meeting.title,
        "报告进展：30%",
    ):
        assert text in html, text
    assert "data-overdue" in html  # the milestone of 1 April is past due: red
    assert response.context["badge"].key == "overdue"


def test_item_page_query_count_does_not_grow_with_reports(
    client, planning, django_assert_num_queries
):
    item = planning.item(planning.approved())
    client.force_login(planning.p.social_staff)
    client.get(reverse("plans:item", args=[item.pk]))  # creates the PlanRules row once
    for n in range(3):
        actions.report_progress(
            acting_user=planning.p.social_staff,
            item=item,
            text=f"第{n}次",
            percent=10 * (n + 1),
            evidence=[pdf(), pdf("b.pdf")],
        )
        actions.add_milestone(
            acting_user=planning.p.social_staff,
            item=item,
            title=f"节点{n}",
            due_on=date(2026, 6, 1),
        )
        with django_assert_num_queries(21):
            assert client.get(reverse("plans:item", args=[item.pk])).status_code == 200


def test_evidence_served_to_organ_users_only(client, planning, personas):
    item = planning.item(planning.approved())
    actions.report_progress(
        acting_user=planning.p.social_staff,
        item=item,
        text="召开座谈会",
        percent=30,
        evidence=[pdf("纪要.pdf")],
    )
    evidence = Evidence.objects.get()
    url = reverse("plans:evidence", args=[evidence.pk])
    client.force_login(personas.staff)  # another office: plans are the organ's shared register
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403
    client.force_login(personas.leader)
    assert client.get(reverse("plans:evidence", args=[evidence.pk + 100])).status_code == 404
