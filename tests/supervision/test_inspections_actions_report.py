"""From the report to the end: writing and forming the report, sending it back for more work,
one draft review opinion per body from the problems, closing once every rectification item is
verified (completing the plan item with the report as evidence), and publishing."""

import pytest

from renda.core.errors import NotAllowed
from renda.plans.models import Evidence, ItemStatus
from renda.supervision.actions import inspections as actions
from renda.supervision.actions import opinions as opinion_actions
from renda.supervision.models import (
    Inspection,
    InspectionStatus,
    OpinionPoint,
    OpinionStatus,
    ReviewOpinion,
)
from tests.supervision.factories import Mark, refused
from tests.supervision.inspection_builders import TITLE, VISIT_DAY, world_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


S = InspectionStatus
OFFICE_ONLY = "只有社会建设工作室可以办理该执法检查。"
OPINION_TITLE = "关于检查《中华人民共和国安全生产法》实施情况的报告的审议意见"


def reload(inspection: Inspection) -> Inspection:
    return Inspection.objects.get(pk=inspection.pk)


# -- the report -----------------------------------------------------------------------------------


def test_the_report_is_written_while_inspecting(world, supervision):
    inspection = world.inspecting()
    mark = Mark(inspection)
    actions.write_report(
        acting_user=world.staff,
        inspection=inspection,
        implementation=" 总体平稳 ",
        suggestions="压实责任",
        amendments="",
        version=inspection.version,
    )
    row = reload(inspection)
    assert (row.report_implementation, row.report_suggestions, row.report_amendments) == (
        "总体平稳",
        "压实责任",
        "",
    )
    assert mark.event().summary == "修改检查报告"
    refused(
        row,
        lambda: actions.write_report(
            acting_user=supervision.p.leader, inspection=row, implementation="改写"
        ),
        OFFICE_ONLY,
        NotAllowed,
    )
    reported = world.reported(title="另一项")
    refused(
        reported,
        lambda: actions.write_report(
            acting_user=world.staff, inspection=reported, implementation="改写"
        ),
        "执法检查当前为“报告已形成”，不能修改检查报告。",
    )


def test_forming_the_report_tells_the_leaders(world):
    inspection = world.checked()
    mark = Mark(inspection)
    actions.form_report(acting_user=world.staff, inspection=inspection)
    row = reload(inspection)
    assert row.status == S.REPORTED and row.reported_at is not None
    event = mark.event()
    assert (event.summary, event.from_state, event.to_state) == (
        "形成执法检查报告（发现问题 3 个）",
        S.INSPECTING,
        S.REPORTED,
    )
    assert mark.notified() == {"p_leader": [f"执法检查报告已形成：{TITLE}"]}


def test_a_report_needs_a_visit_the_implementation_and_every_conclusion(world):
    inspection = world.teamed()
    actions.choose_clauses(
        acting_user=world.staff,
        inspection=inspection,
        entries=[
            (world.provision("第二十八条"), "duty", "", []),
            (world.provision("第一条"), "duty", "", []),
        ],
    )
    inspection = reload(inspection)
    refused(
        inspection,
        lambda: actions.form_report(acting_user=world.staff, inspection=inspection),
        "还缺少至少一次检查活动（座谈会、实地检查等）；报告的“法律实施的基本情况”；"
        "检查条款的检查结论（第二十八条、第一条），不能形成报告。",
    )
    approved = world.approved(title="尚未开始")
    refused(
        approved,
        lambda: actions.form_report(acting_user=world.staff, inspection=approved),
        "当前状态为“方案已审定”，不能形成检查报告。",
    )


def test_the_report_goes_back_for_more_work(world):
    inspection = world.reported()
    refused(
        inspection,
        lambda: actions.reopen_inspection(
            acting_user=world.staff, inspection=inspection, reason=""
        ),
        "请填写理由。",
    )
    mark = Mark(inspection)
    actions.reopen_inspection(
        acting_user=world.staff, inspection=inspection, reason="补充对城管局的检查"
    )
    row = reload(inspection)
    assert (row.status, row.reported_at) == (S.INSPECTING, None)
    event = mark.event()
    assert (event.note, event.to_state) == ("补充对城管局的检查", S.INSPECTING)
    refused(
        row,
        lambda: actions.reopen_inspection(acting_user=world.staff, inspection=row, reason="再次"),
        "当前状态为“检查中”，不能重新检查。",
    )


# -- review opinions from the problems ------------------------------------------------------------


def test_one_draft_opinion_per_body_prefilled_from_its_problems(world):
    inspection = world.reported()
    mark = Mark(inspection)
    opinions = actions.draft_opinions_from_problems(
        acting_user=world.staff, inspection=inspection, meeting=world.standing_meeting
    )
    assert [(o.unit, o.status, o.title) for o in opinions] == [
        (world.unit, OpinionStatus.DRAFT, OPINION_TITLE),
        (world.other_unit, OpinionStatus.DRAFT, OPINION_TITLE),
    ]
    points = list(OpinionPoint.objects.filter(opinion=opinions[0]).order_by("position"))
    assert [(p.problem.position, p.text) for p in points] == [
        (
            1,
            "部分建筑施工企业全员安全生产责任制流于形式（第二十一条第（一）项）。建议督促企业逐级落实。",
        ),
        (2, "安全生产教育培训计划执行不到位（第二十一条第（三）项）。建议加强培训考核。"),
    ]
    (other,) = OpinionPoint.objects.filter(opinion=opinions[1])
    assert other.text == "市政养护企业新员工岗前培训缺失（第二十八条）。"
    row = reload(inspection)
    assert (row.status, row.review_meeting) == (S.REPORTED, world.standing_meeting)
    assert mark.event().summary == "据发现的问题起草审议意见 2 份：区住房和城乡建设局、区城市管理局"


def test_issuing_an_opinion_moves_the_inspection_to_reviewed(world):
    inspection = world.reported()
    first, _ = actions.draft_opinions_from_problems(
        acting_user=world.staff, inspection=inspection, meeting=world.standing_meeting
    )
    opinion_actions.issue_opinion(acting_user=world.staff, opinion=first)
    assert reload(inspection).status == S.REVIEWED


def test_bodies_that_have_an_opinion_are_left_alone(world):
    inspection = world.reported()
    first, second = actions.draft_opinions_from_problems(
        acting_user=world.staff, inspection=inspection, meeting=world.standing_meeting
    )
    refused(
        reload(inspection),
        lambda: actions.draft_opinions_from_problems(
            acting_user=world.staff, inspection=inspection, meeting=world.standing_meeting
        ),
        "发现问题的各责任主体均已有审议意见。",
    )
    ReviewOpinion.objects.filter(pk=second.pk).delete()  # as if never drafted for the other
    again = actions.draft_opinions_from_problems(
        acting_user=world.staff, inspection=reload(inspection), meeting=world.standing_meeting
    )
    assert [o.unit for o in again] == [world.other_unit]


def test_opinion_drafting_refusals(world):
    inspection = world.reported()
    refused(
        inspection,
        lambda: actions.draft_opinions_from_problems(
            acting_user=world.staff, inspection=inspection, meeting=world.director_meeting
        ),
        "审议意见由常委会会议审议形成，请选择常委会会议。",
    )
    assert not ReviewOpinion.objects.exists()
    inspecting = world.checked(title="仍在检查")
    refused(
        inspecting,
        lambda: actions.draft_opinions_from_problems(
            acting_user=world.staff, inspection=inspecting, meeting=world.standing_meeting
        ),
        "执法检查当前为“检查中”，不能起草审议意见。",
    )
    clean = world.teamed(title="没有问题的检查")
    actions.record_visit(
        acting_user=world.staff,
        inspection=clean,
        method="site_visit",
        held_on=VISIT_DAY,
        place="工地",
        participants=list(clean.team.filter(role="leader")),
        notes="未发现问题",
    )
    actions.write_report(acting_user=world.staff, inspection=clean, implementation="总体良好")
    clean = actions.form_report(acting_user=world.staff, inspection=reload(clean))
    refused(
        clean,
        lambda: actions.draft_opinions_from_problems(
            acting_user=world.staff, inspection=clean, meeting=world.standing_meeting
        ),
        "该执法检查没有发现问题，无需据此起草审议意见。",
    )


# -- closing --------------------------------------------------------------------------------------


def test_closing_waits_for_every_rectification(world, supervision):
    inspection = world.reviewed()
    world.rectify(inspection, leave_open=1)
    refused(
        inspection,
        lambda: actions.close_inspection(
            acting_user=world.staff, inspection=inspection, result_statement="办结"
        ),
        "还有 1 项整改事项未销号，不能办结。",
    )
    refused(
        inspection,
        lambda: actions.close_inspection(
            acting_user=supervision.p.staff, inspection=inspection, result_statement="办结"
        ),
        OFFICE_ONLY,
        NotAllowed,
    )


def test_closing_completes_the_plan_item_with_the_report(world, planning):
    item = planning.item(planning.approved())
    inspection = world.reviewed(plan_item=item)
    world.rectify(inspection)
    refused(
        inspection,
        lambda: actions.close_inspection(
            acting_user=world.staff, inspection=inspection, result_statement=" "
        ),
        "请填写成果说明。",
    )
    mark = Mark(inspection)
    actions.close_inspection(
        acting_user=world.staff,
        inspection=inspection,
        result_statement="报告经常委会审议，整改全部销号",
        version=inspection.version,
    )
    assert reload(inspection).status == S.CLOSED
    event = mark.event()
    assert (event.summary, event.note, event.to_state) == (
        "执法检查办结",
        "报告经常委会审议，整改全部销号",
        S.CLOSED,
    )
    item.refresh_from_db()
    assert (item.status, item.result_statement) == (
        ItemStatus.COMPLETED,
        "报告经常委会审议，整改全部销号",
    )
    (evidence,) = Evidence.objects.filter(item=item)
    assert (evidence.name, evidence.purpose) == ("安全生产法执法检查报告.docx", "result")
    assert evidence.file.read()[:2] == b"PK"
    assert mark.notified()["p_leader"] == [
        "事项已完成：《安全生产法》执法检查",
        f"执法检查已办结：{TITLE}",
    ]


def test_a_refusal_by_the_plan_item_refuses_the_close(world, planning):
    tree = planning.tree()
    planning.bind(tree["plan"])
    inspection = world.reviewed(plan_item=tree["root"])
    world.rectify(inspection)
    refused(
        inspection,
        lambda: actions.close_inspection(
            acting_user=world.staff, inspection=inspection, result_statement="办结"
        ),
        "下级事项尚未全部完成，不能完成该事项。",
    )
    assert not Evidence.objects.exists()


def test_an_inspection_without_a_plan_item_closes_alone(world):
    inspection = world.reviewed()
    world.rectify(inspection)
    actions.close_inspection(
        acting_user=world.staff, inspection=inspection, result_statement="办结"
    )
    assert reload(inspection).status == S.CLOSED
    assert not Evidence.objects.exists()


# -- publishing -----------------------------------------------------------------------------------


def test_publishing_once_the_report_is_formed(world, supervision):
    inspecting = world.checked()
    refused(
        inspecting,
        lambda: actions.publish_inspection(acting_user=world.staff, inspection=inspecting),
        "执法检查当前为“检查中”，形成报告后才能公开。",
    )
    inspection = actions.form_report(acting_user=world.staff, inspection=inspecting)
    refused(
        inspection,
        lambda: actions.publish_inspection(acting_user=supervision.p.leader, inspection=inspection),
        OFFICE_ONLY,
        NotAllowed,
    )
    mark = Mark(inspection)
    actions.publish_inspection(acting_user=world.staff, inspection=inspection)
    assert reload(inspection).is_published
    assert mark.event().summary == "向社会公开执法检查报告"
    refused(
        reload(inspection),
        lambda: actions.publish_inspection(acting_user=world.staff, inspection=inspection),
        "该执法检查已公开。",
    )
