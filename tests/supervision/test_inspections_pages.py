"""The inspection pages: the list (who sees what, filters, query count), the inspection page
(every part, only the allowed actions, a fixed number of queries), actions through their pages
(allowed, refused, stale), the clause picker, a deputy's invitations, and the public pages."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.supervision.actions import inspections as actions
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InspectionStatus,
    InvitationStatus,
    TeamMember,
)
from tests.supervision.inspection_builders import STEPS, TITLE, VISIT_DAY, world_for

pytestmark = pytest.mark.django_db
LIST = reverse("supervision:inspections")


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


def detail_url(inspection) -> str:
    return reverse("supervision:inspection", args=[inspection.pk])


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


def shown_actions(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'data-action(?:-panel|-link)?="([a-z_]+)"', html)) - {"reply_invitation"}


# -- the list -------------------------------------------------------------------------------------


def test_who_sees_which_inspections(client, world, supervision):
    invited = world.teamed()  # the deputy persona is invited; no unit is named yet
    named = world.checked(title="检查条款点名的检查")
    draft = world.draft(title="起草中的检查")
    every = {invited.pk, named.pk, draft.pk}
    for user in (world.staff, world.leader, supervision.p.admin, supervision.p.staff):
        assert set(listed(client, user)) == every
    assert set(listed(client, world.deputies[0].user)) == {invited.pk, named.pk}
    assert listed(client, world.unit_user) == [named.pk]
    assert listed(client, world.other_unit_user) == [named.pk]
    client.force_login(supervision.p.street)
    assert client.get(LIST).status_code == 403


def test_filters(client, world, supervision):
    first = world.draft()
    second = world.approved(title="已审定的检查", year=2027)
    other_law = supervision.law_version(label="2014年修正")
    actions.update_inspection_plan(acting_user=world.staff, inspection=first, law_version=other_law)
    leader = world.leader
    assert listed(client, leader, year="2027") == [second.pk]
    assert listed(client, leader, status="approved") == [second.pk]
    assert set(listed(client, leader, law=other_law.law_id)) == {first.pk, second.pk}
    assert listed(client, leader, office=supervision.org.deputy_office.pk) == []
    assert set(listed(client, leader, status="nonsense", year="x")) == {first.pk, second.pk}


def test_the_list_costs_the_same_with_more_rows(client, world, django_assert_num_queries):
    world.draft()
    client.force_login(world.leader)
    with django_assert_num_queries(10):
        assert client.get(LIST).status_code == 200
    world.approved(title="第二项")
    world.teamed(title="第三项")
    with django_assert_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 3


def test_the_export_is_what_the_list_shows(client, world):
    world.draft()
    world.approved(title="已审定的检查", year=2027)
    client.force_login(world.deputies[0].user)
    empty = client.get(reverse("supervision:inspections_export"))
    assert load_workbook(BytesIO(empty.content)).active.max_row == 2  # title and headers
    client.force_login(world.leader)
    response = client.get(reverse("supervision:inspections_export"), {"year": "2027"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[1] for row in rows] == ["已审定的检查"]
    assert rows[0][2] == "中华人民共和国安全生产法（2021年修正）" and rows[0][7] == "方案已审定"


def test_the_create_button_and_page(client, world):
    client.force_login(world.leader)
    assert 'id="create-inspection"' not in client.get(LIST).content.decode()
    client.force_login(world.staff)
    assert 'id="create-inspection"' in client.get(LIST).content.decode()
    url = reverse("supervision:inspection_create")
    response = client.post(url, {"title": " ", "year": "2026", "office": world.office.pk})
    assert response.status_code == 400 and not Inspection.objects.exists()
    response = client.post(
        url,
        {
            "title": TITLE,
            "year": "2026",
            "office": world.office.pk,
            "law_version": world.law_version.pk,
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(inspection)
    assert inspection.law_version == world.law_version


# -- the inspection page --------------------------------------------------------------------------


def test_the_page_shows_every_part(client, world):
    inspection = world.checked()
    client.force_login(world.staff)
    response = client.get(detail_url(inspection))
    html = response.content.decode()
    for anchor in (
        "plan",
        "team",
        "checklist",
        "activities",
        "problems",
        "report",
        "opinions",
        "rectification",
        "timeline",
    ):
        assert f'id="{anchor}"' in html
    assert html.count("data-step=") == len(STEPS)
    assert (
        "拟邀请代表 <strong>3</strong> 名；已邀请 <strong>3</strong> 名，接受 <strong>2</strong> 名，"
        in html
    )
    assert "谢绝 <strong>1</strong> 名，待答复 <strong>0</strong> 名" in html
    assert "接受邀请的代表少于拟邀请人数" in html
    assert html.count("data-clause=") == 3 and "第二十一条第（一）项" in html
    assert html.count("data-problem=") == 3 and "市政养护企业新员工岗前培训缺失" in html
    assert VISIT_DAY.isoformat() in html and "区建筑工地三处" in html
    assert "电话答复，由社建室干部代为登记：出差" in html
    assert reverse("supervision:inspection_report_docx", args=[inspection.pk]) in html
    assert "张代表代表接受邀请" in html  # the replies are on the timeline


def test_the_page_costs_the_same_with_more_rows(client, world, django_assert_num_queries):
    inspection = world.checked()
    client.force_login(world.staff)
    url = detail_url(inspection)
    with django_assert_num_queries(42):
        assert client.get(url).status_code == 200
    actions.add_problem(
        acting_user=world.staff,
        inspection=inspection,
        clause=world.clause(inspection, 1),
        unit=world.other_unit,
        description="又一个问题",
    )
    actions.record_visit(
        acting_user=world.staff,
        inspection=inspection,
        method="symposium",
        held_on=VISIT_DAY,
        place="区城管局",
        bodies=[world.unit, world.other_unit],
        participants=list(inspection.team.exclude(invitation=InvitationStatus.DECLINED)),
        notes="座谈",
    )
    actions.choose_clauses(
        acting_user=world.staff,
        inspection=inspection,
        entries=[(world.provision("第一条"), "duty", "", [world.unit, world.other_unit])],
    )
    with django_assert_num_queries(42):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("state", "who", "expected"),
    [
        (
            "draft",
            "staff",
            {
                "update_inspection_plan",
                "add_step",
                "submit_inspection_plan",
                "appoint_team_member",
                "choose_clauses",
            },
        ),
        ("draft", "leader", set()),
        ("submitted", "leader", {"approve_inspection_plan", "return_inspection_plan"}),
        ("submitted", "staff", set()),
        (
            "reported",
            "staff",
            {"reopen_inspection", "draft_opinions_from_problems", "publish_inspection"},
        ),
        ("checked", "unit_user", set()),
        ("checked", "deputy", set()),
    ],
)
def test_only_the_allowed_actions_are_shown(client, world, state, who, expected):
    inspection = world.state(state)
    user = world.deputies[0].user if who == "deputy" else getattr(world, who)
    client.force_login(user)
    response = client.get(detail_url(inspection))
    assert shown_actions(response) == expected
    if not expected:
        assert 'id="no-actions"' in response.content.decode()


def test_a_deputy_answers_on_the_page_they_are_invited_to(client, world, supervision):
    inspection = world.teamed()
    client.force_login(world.deputies[0].user)
    html = client.get(detail_url(inspection)).content.decode()
    assert 'id="my-invitation"' in html and "当前：<strong>已接受</strong>" in html
    assert (
        reverse(
            "supervision:reply_invitation", args=[inspection.team.get(deputy=world.deputies[0]).pk]
        )
        in html
    )
    other = world.draft(title="没有邀请的检查")
    assert client.get(detail_url(other)).status_code == 404


# -- actions through their pages ------------------------------------------------------------------


def post(client, user, name: str, inspection, data=None):
    client.force_login(user)
    return client.post(reverse(f"supervision:{name}", args=[inspection.pk]), data or {})


def test_submit_through_its_page(client, world):
    inspection = world.planned()
    response = post(
        client, world.staff, "submit_inspection_plan", inspection, {"version": inspection.version}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(inspection)}#plan"
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.SUBMITTED


def test_a_refused_action_shows_its_message_and_changes_nothing(client, world):
    inspection = world.draft()
    response = post(client, world.staff, "submit_inspection_plan", inspection, {})
    assert response.status_code == 400
    assert (
        "方案还缺少：检查内容、检查对象、检查方式、检查步骤、起止日期，不能提交。"
        in response.content.decode()
    )
    assert Inspection.objects.get(pk=inspection.pk).status == InspectionStatus.DRAFT


def test_a_stale_form_is_refused(client, world):
    inspection = world.planned()
    response = post(client, world.staff, "submit_inspection_plan", inspection, {"version": 1})
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()


def test_an_action_page_not_open_now(client, world):
    inspection = world.submitted()
    client.force_login(world.staff)
    response = client.get(reverse("supervision:add_step", args=[inspection.pk]))
    assert response.status_code == 403
    assert "您当前不能进行“增加检查步骤”。" in response.content.decode()


def test_a_step_through_its_page_refuses_a_holiday(client, world):
    inspection = world.planned()
    data = {
        "title": "座谈",
        "starts_on": "2026-06-19",
        "ends_on": "2026-06-22",
        "version": inspection.version,
    }
    response = post(client, world.staff, "add_step", inspection, data)
    assert response.status_code == 400
    assert "2026-06-19 是端午节，不是工作日。" in response.content.decode()


def test_the_clause_picker_searches_and_chooses(client, world):
    inspection = world.draft()
    client.force_login(world.staff)
    url = reverse("supervision:choose_clauses", args=[inspection.pk])
    response = client.get(url, {"q": "第二十一条"})
    labels = [label for _, label in response.context["form"].fields["provisions"].choices]
    assert [label.split(" ")[0] for label in labels] == ["第二十一条"] + [
        f"第二十一条第（{n}）项" for n in "一二三四五六七"
    ]
    everything = client.get(url).context["form"].fields["provisions"].choices
    assert len(everything) == 13  # 3 articles without clauses, 1 with, 2 clauses, 7 items
    provision = world.provision("第二十一条第（三）项")
    response = client.post(
        url,
        {
            "provisions": [provision.pk],
            "duty_kind": "duty",
            "duty": "",
            "bodies": [world.unit.pk],
            "version": inspection.version,
        },
    )
    assert response.status_code == 302
    clause = ChecklistClause.objects.get(inspection=inspection)
    assert (clause.citation, clause.duty) == ("第二十一条第（三）项", provision.text)
    chosen = client.get(url).context["form"].fields["provisions"].choices
    assert str(provision.pk) not in [value for value, _ in chosen]


# -- a deputy's invitations -----------------------------------------------------------------------


def test_a_deputy_lists_and_answers_invitations(client, world):
    inspection = world.approved()
    (member,) = actions.invite_deputies(
        acting_user=world.staff, inspection=inspection, deputies=world.deputies[:1]
    )
    client.force_login(world.deputies[0].user)
    response = client.get(reverse("supervision:my_invitations"))
    html = response.content.decode()
    assert [m.pk for m, _ in response.context["items"]] == [member.pk]
    assert 'data-reply="accept"' in html and 'data-reply="decline"' in html
    url = reverse("supervision:reply_invitation", args=[member.pk])
    response = client.post(url, {"decision": "decline"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "supervision:my_invitations"
    )
    assert TeamMember.objects.get(pk=member.pk).invitation == InvitationStatus.DECLINED
    response = client.post(url, {"decision": "decline"})
    assert response.status_code == 400
    assert "邀请当前为“已谢绝”，不能再谢绝。" in response.content.decode()
    html = client.get(reverse("supervision:my_invitations")).content.decode()
    assert 'data-reply="accept"' in html and 'data-reply="decline"' not in html


def test_no_one_else_answers_an_invitation(client, world, supervision):
    inspection = world.teamed()
    member = inspection.team.get(deputy=world.deputies[1])  # 王安全 has no account
    client.force_login(world.deputies[0].user)
    url = reverse("supervision:reply_invitation", args=[member.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404


# -- public pages ---------------------------------------------------------------------------------


def test_the_public_reads_published_reports_without_names(client, world):
    hidden = world.reported()
    published = world.reported(title="已公开的检查")
    actions.publish_inspection(acting_user=world.staff, inspection=published)
    response = client.get(reverse("supervision:public_inspections"))
    assert [row.pk for row in response.context["page"].object_list] == [published.pk]
    html = client.get(
        reverse("supervision:public_inspection", args=[published.pk])
    ).content.decode()
    assert "关于检查《中华人民共和国安全生产法》实施情况的报告" in html
    assert "全区安全生产形势总体平稳。" in html
    assert (
        "区住房和城乡建设局：部分建筑施工企业全员安全生产责任制流于形式（对照第二十一条第（一）项）"
        in html
    )
    for name in ("李主任", "张代表", "王安全", "社建室干部"):
        assert name not in html
    assert client.get(reverse("supervision:public_inspection", args=[hidden.pk])).status_code == 404
