"""The clause-by-clause checklist (逐条对照) of the inspected law, findings against each clause,
visits with who took part, questionnaires, and the problems found — tied to a clause and a body."""

from datetime import date

import pytest

from renda.core.errors import NotAllowed
from renda.supervision.actions import inspections as actions
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InvitationStatus,
    Problem,
    Questionnaire,
    TeamRole,
    Visit,
)
from tests.supervision.factories import Mark, refused
from tests.supervision.inspection_builders import VISIT_DAY, world_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


OFFICE_ONLY = "只有社会建设工作室可以办理该执法检查。"


def reload(inspection: Inspection) -> Inspection:
    return Inspection.objects.get(pk=inspection.pk)


def choose(world, inspection, *entries):
    return actions.choose_clauses(
        acting_user=world.staff, inspection=inspection, entries=list(entries)
    )


# -- choose_clauses -------------------------------------------------------------------------------


def test_articles_clauses_and_items_are_chosen_with_their_citations(world):
    inspection = world.draft()
    mark = Mark(inspection)
    rows = choose(
        world,
        inspection,
        (world.provision("第二十一条第（一）项"), "duty", " 落实全员安全生产责任制 ", [world.unit]),
        (world.provision("第四条第一款"), "liability", "", [world.unit, world.other_unit]),
        (world.provision("第二十八条"), "duty", "", []),
    )
    assert [(r.citation, r.position, r.duty_kind) for r in rows] == [
        ("第二十一条第（一）项", 1, "duty"),
        ("第四条第一款", 2, "liability"),
        ("第二十八条", 3, "duty"),
    ]
    assert rows[0].duty == "落实全员安全生产责任制"
    # A blank duty is the provision's own words.
    assert rows[1].duty == "生产经营单位必须遵守本法和其他有关安全生产的法律……"
    assert set(rows[1].bodies.all()) == {world.unit, world.other_unit}
    assert all(r.conclusion == ChecklistClause.Conclusion.UNCHECKED for r in rows)
    assert (
        mark.event().summary
        == "选定检查条款：第二十一条第（一）项、第四条第一款、第二十八条（3 条）"
    )
    more = choose(world, reload(inspection), (world.provision("第一条"), "duty", "", []))
    assert more[0].position == 4


def test_checklist_refusals_save_nothing(world, supervision):
    inspection = world.draft()
    choose(world, inspection, (world.provision("第二十八条"), "duty", "", []))
    inspection = reload(inspection)
    other_version = supervision.law_version(label="2014年修正")
    a4 = world.provision("第四条")
    cases = [
        ([], "请选择检查条款。"),
        (
            [(world.provision("第二十八条", other_version), "duty", "", [])],
            "第二十八条不属于《中华人民共和国安全生产法》（2021年修正），不能列入检查条款。",
        ),
        ([(world.provision("第一章"), "duty", "总则", [])], "第一章是章，请选择条、款或项。"),
        ([(world.provision("第二十八条"), "duty", "", [])], "第二十八条已列入检查条款。"),
        (
            [
                (world.provision("第一条"), "duty", "", []),
                (world.provision("第一条"), "duty", "", []),
            ],
            "第一条已列入检查条款。",
        ),
        ([(a4, "duty", "", [])], "请填写第四条检查的职责或责任。"),
        ([(world.provision("第一条"), "power", "", [])], "请选择类型（法定职责或法律责任）。"),
        ([(world.provision("第一条"), "duty", "", ["区住建局"])], "请选择责任主体。"),
    ]
    for entries, message in cases:
        refused(
            inspection,
            lambda entries=entries: choose(world, inspection, *entries),
            message,
        )
    assert inspection.checklist.count() == 1


def test_the_checklist_needs_the_law_and_the_right_moment(world, supervision):
    no_law = world.draft(law_version=None)
    refused(
        no_law,
        lambda: choose(world, no_law, (world.provision("第一条"), "duty", "", [])),
        "请先在方案中确定检查的法律法规。",
    )
    submitted = world.submitted(title="待审定的检查")
    refused(
        submitted,
        lambda: choose(world, submitted, (world.provision("第一条"), "duty", "", [])),
        "执法检查当前为“方案待审定”，不能选定检查条款。",
    )
    draft = world.draft(title="第三项")
    refused(
        draft,
        lambda: actions.choose_clauses(
            acting_user=supervision.p.staff,
            inspection=draft,
            entries=[(world.provision("第一条"), "duty", "", [])],
        ),
        OFFICE_ONLY,
        NotAllowed,
    )


def test_a_clause_is_edited_and_removed(world):
    inspection = world.draft()
    (clause,) = choose(world, inspection, (world.provision("第二十八条"), "duty", "", []))
    mark = Mark(inspection)
    actions.update_clause(
        acting_user=world.staff,
        clause=clause,
        duty_kind="liability",
        duty=" 未按规定培训的法律责任 ",
        bodies=[world.other_unit],
    )
    row = ChecklistClause.objects.get(pk=clause.pk)
    assert (row.duty_kind, row.duty, list(row.bodies.all())) == (
        "liability",
        "未按规定培训的法律责任",
        [world.other_unit],
    )
    assert mark.event().summary == "修改检查条款：第二十八条"
    refused(
        reload(inspection),
        lambda: actions.update_clause(
            acting_user=world.staff, clause=clause, duty_kind="duty", duty=" ", bodies=[]
        ),
        "请填写第二十八条检查的职责或责任。",
    )
    actions.remove_clause(acting_user=world.staff, clause=clause)
    assert not inspection.checklist.exists()


def test_a_clause_with_problems_stays(world):
    inspection = world.checked()
    clause = world.clause(inspection)
    refused(
        inspection,
        lambda: actions.remove_clause(acting_user=world.staff, clause=clause),
        "第二十一条第（一）项下已有发现的问题，不能移除；请先处理这些问题。",
    )


def test_findings_while_inspecting(world):
    approved = world.approved()
    (clause,) = choose(world, approved, (world.provision("第二十八条"), "duty", "", []))
    refused(
        reload(approved),
        lambda: actions.record_finding(
            acting_user=world.staff, clause=clause, conclusion="implemented"
        ),
        "执法检查当前为“方案已审定”，不能记录检查发现。",
    )
    inspection = actions.start_inspection(acting_user=world.staff, inspection=approved)
    for conclusion, finding, message in (
        ("unchecked", "", "请选择检查结论。"),
        ("perfect", "", "请选择检查结论。"),
        ("partly", " ", "结论为“部分落实”时，请写明检查发现。"),
    ):
        refused(
            inspection,
            lambda c=conclusion, f=finding: actions.record_finding(
                acting_user=world.staff, clause=clause, conclusion=c, finding=f
            ),
            message,
        )
    mark = Mark(inspection)
    actions.record_finding(
        acting_user=world.staff,
        clause=clause,
        conclusion="not_implemented",
        finding="多数企业未建立培训档案",
    )
    row = ChecklistClause.objects.get(pk=clause.pk)
    assert (row.conclusion, row.finding) == ("not_implemented", "多数企业未建立培训档案")
    event = mark.event()
    assert (event.summary, event.note) == ("第二十八条：未落实", "多数企业未建立培训档案")


# -- visits and questionnaires --------------------------------------------------------------------


def participants(inspection, *states):
    return list(inspection.team.filter(invitation__in=states).order_by("id"))


def test_a_visit_counts_for_those_who_went(world):
    inspection = world.teamed()
    going = participants(inspection, "", InvitationStatus.ACCEPTED)
    assert [m.name for m in going] == ["李主任", "社建室干部", "张代表", "王安全"]
    mark = Mark(inspection)
    visit = actions.record_visit(
        acting_user=world.staff,
        inspection=inspection,
        method="symposium",
        held_on=VISIT_DAY,
        place=" 区住建局会议室 ",
        bodies=[world.unit, world.other_unit],
        participants=going,
        other_participants="区应急管理局有关负责同志",
        notes="听取两部门贯彻实施情况汇报",
    )
    assert (visit.place, visit.method, visit.recorded_by) == (
        "区住建局会议室",
        "symposium",
        world.staff,
    )
    assert set(visit.participants.all()) == set(going)
    assert set(visit.bodies.all()) == {world.unit, world.other_unit}
    counts = dict(inspection.team.values_list("name", "attended_visits"))
    assert counts == {"李主任": 1, "社建室干部": 1, "张代表": 1, "王安全": 1, "李守法": 0}
    assert mark.event().summary == "座谈会：区住建局会议室（2026-06-10，4 人参加）"


def test_visit_refusals(world, supervision):
    inspection = world.teamed()
    going = participants(inspection, "", InvitationStatus.ACCEPTED)
    declined = inspection.team.get(invitation=InvitationStatus.DECLINED)
    waiting = actions.invite_deputies(
        acting_user=world.staff, inspection=inspection, deputies=world.deputies[3:4]
    )[0]
    inspection = reload(inspection)
    elsewhere = world.teamed(title="另一项检查").team.get(role=TeamRole.LEADER)
    base = {
        "method": "site_visit",
        "held_on": VISIT_DAY,
        "place": "建筑工地",
        "participants": going,
        "notes": "检查记录",
    }
    cases = [
        ({"participants": [*going, declined]}, "李守法代表已谢绝邀请，不能登记为参加人员。"),
        ({"participants": [waiting]}, "赵平安代表尚未接受邀请，不能登记为参加人员。"),
        ({"participants": [elsewhere]}, "所选人员不是该检查组的成员。"),
        ({"participants": []}, "请选择参加检查的人员。"),
        ({"held_on": date(2026, 10, 13)}, "检查日期不能晚于今天。"),
        ({"method": "questionnaire"}, "问卷调查请通过“登记问卷调查”记录。"),
        ({"method": "picnic"}, "请选择检查方式。"),
        ({"place": " "}, "请填写地点。"),
        ({"notes": ""}, "请填写检查记录。"),
    ]
    for overrides, message in cases:
        refused(
            inspection,
            lambda o=overrides: actions.record_visit(
                acting_user=world.staff, inspection=inspection, **{**base, **o}
            ),
            message,
        )
    assert not Visit.objects.filter(inspection=inspection).exists()
    assert set(inspection.team.values_list("attended_visits", flat=True)) == {0}
    refused(
        inspection,
        lambda: actions.record_visit(
            acting_user=supervision.p.staff, inspection=inspection, **base
        ),
        OFFICE_ONLY,
        NotAllowed,
    )


def test_visits_only_while_inspecting(world):
    inspection = world.approved()
    refused(
        inspection,
        lambda: actions.record_visit(
            acting_user=world.staff,
            inspection=inspection,
            method="site_visit",
            held_on=VISIT_DAY,
            place="工地",
            participants=[],
            notes="记录",
        ),
        "执法检查当前为“方案已审定”，不能登记检查活动。",
    )


def test_questionnaires(world):
    inspection = world.inspecting()
    for overrides, message in (
        ({"distributed": 10, "returned": 11}, "回收份数不能多于发放份数。"),
        ({"distributed": -1}, "份数应为不小于 0 的整数。"),
        ({"results": " "}, "请填写结果摘要。"),
        (
            {"held_from": date(2026, 9, 2), "held_to": date(2026, 9, 1)},
            "结束日期不能早于开始日期。",
        ),
        ({"held_to": date(2026, 11, 1)}, "调查日期不能晚于今天。"),
    ):
        values = {"title": "问卷", "results": "结果", "distributed": 10, "returned": 8, **overrides}
        refused(
            inspection,
            lambda v=values: actions.record_questionnaire(
                acting_user=world.staff, inspection=inspection, **v
            ),
            message,
        )
    mark = Mark(inspection)
    row = actions.record_questionnaire(
        acting_user=world.staff,
        inspection=inspection,
        title="从业人员安全培训问卷",
        audience="施工企业从业人员",
        distributed=200,
        returned=186,
        results="六成受访者接受过培训",
        held_from=date(2026, 6, 1),
        held_to=date(2026, 6, 30),
    )
    assert Questionnaire.objects.get(pk=row.pk).returned == 186
    assert mark.event().summary == "问卷调查：从业人员安全培训问卷（发放 200 份，回收 186 份）"


# -- problems -------------------------------------------------------------------------------------


def test_a_problem_is_tied_to_its_clause_and_body(world):
    inspection = world.checked()
    clause = world.clause(inspection, 2)
    mark = Mark(inspection)
    problem = actions.add_problem(
        acting_user=world.staff,
        inspection=inspection,
        clause=clause,
        unit=world.other_unit,
        description=" 环卫作业人员安全培训不足 ",
        suggestion="开展专项培训",
    )
    assert (problem.position, problem.clause, problem.unit, problem.description) == (
        4,
        clause,
        world.other_unit,
        "环卫作业人员安全培训不足",
    )
    event = mark.event()
    assert (event.summary, event.note) == (
        "发现问题4：区城市管理局（第二十八条）",
        "环卫作业人员安全培训不足",
    )
    general = actions.add_problem(
        acting_user=world.staff,
        inspection=reload(inspection),
        clause=None,
        unit=world.unit,
        description="部门间信息共享不畅",
    )
    assert general.clause is None and general.position == 5


def test_problem_refusals(world):
    inspection = world.checked()
    foreign = world.clause(world.checked(title="另一项检查"))
    for kw, message in (
        ({"clause": foreign}, "所选条款不属于该执法检查。"),
        ({"unit": None}, "请选择问题的责任主体。"),
        ({"description": " "}, "请填写问题。"),
    ):
        values = {"clause": None, "unit": world.unit, "description": "问题", **kw}
        refused(
            inspection,
            lambda v=values: actions.add_problem(
                acting_user=world.staff, inspection=inspection, **v
            ),
            message,
        )
    reported = world.reported(title="第三项")
    refused(
        reported,
        lambda: actions.add_problem(
            acting_user=world.staff,
            inspection=reported,
            clause=None,
            unit=world.unit,
            description="问题",
        ),
        "执法检查当前为“报告已形成”，不能登记发现的问题。",
    )


def test_a_problem_is_edited_and_removed(world):
    inspection = world.checked()
    problem = inspection.problems.get(position=3)
    mark = Mark(inspection)
    actions.update_problem(
        acting_user=world.staff,
        problem=problem,
        clause=None,
        unit=world.unit,
        description="改由住建局负责的培训问题",
        suggestion="",
    )
    row = Problem.objects.get(pk=problem.pk)
    assert (row.clause, row.unit, row.description) == (None, world.unit, "改由住建局负责的培训问题")
    assert mark.event().summary == "修改问题3"
    actions.remove_problem(acting_user=world.staff, problem=problem)
    assert not Problem.objects.filter(pk=problem.pk).exists()


def test_a_problem_in_a_review_opinion_is_kept(world):
    inspection = world.reported()
    actions.draft_opinions_from_problems(
        acting_user=world.staff, inspection=inspection, meeting=world.standing_meeting
    )
    inspection = actions.reopen_inspection(
        acting_user=world.staff, inspection=inspection, reason="补充检查"
    )
    problem = inspection.problems.first()
    refused(
        inspection,
        lambda: actions.update_problem(
            acting_user=world.staff,
            problem=problem,
            clause=None,
            unit=world.unit,
            description="改写",
        ),
        "该问题已写入审议意见，不能修改。",
    )
    refused(
        inspection,
        lambda: actions.remove_problem(acting_user=world.staff, problem=problem),
        "该问题已写入审议意见，不能删除。",
    )
