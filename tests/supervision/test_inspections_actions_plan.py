"""An inspection from its topic in the supervision plan to an approved plan: opening it (linked to
its plan item), the plan's fields, steps on working days, submission, return, approval at the
director meeting, and the start of the inspection — each allowed move, each refused move left
without a trace."""

from datetime import date

import pytest

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.models import CalendarDay, TimelineEvent
from renda.plans.models import ItemLink
from renda.supervision.actions import inspections as actions
from renda.supervision.models import Inspection, InspectionStatus, InspectionStep
from tests.supervision.factories import Mark, refused
from tests.supervision.inspection_builders import PLAN, STARTS, TITLE, world_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


S = InspectionStatus
OFFICE_ONLY = "只有社会建设工作室可以办理该执法检查。"


def reload(inspection: Inspection) -> Inspection:
    return Inspection.objects.get(pk=inspection.pk)


# -- create_inspection ----------------------------------------------------------------------------


def test_the_office_opens_an_inspection_for_its_plan_item(world, planning):
    item = planning.item(planning.approved())
    inspection = actions.create_inspection(
        acting_user=world.staff,
        title=f"  {TITLE} ",
        year=2026,
        office=world.office,
        plan_item=item,
        law_version=world.law_version,
    )
    assert (inspection.title, inspection.status, inspection.plan_item, inspection.version) == (
        TITLE,
        S.DRAFT,
        item,
        1,
    )
    (event,) = TimelineEvent.objects.for_object(inspection)
    assert (event.verb, event.summary, event.to_state) == (
        "create",
        f"立项：{TITLE}（落实计划事项“《安全生产法》执法检查”）",
        S.DRAFT,
    )
    link = ItemLink.objects.get(item=item)
    assert (link.object_id, link.label) == (inspection.pk, f"执法检查：{TITLE}")
    assert (
        TimelineEvent.objects.for_object(item).last().summary == f"关联落实载体：执法检查：{TITLE}"
    )


def test_an_inspection_without_a_plan_item(world):
    inspection = world.draft()
    assert inspection.plan_item is None and inspection.law_version == world.law_version
    assert not ItemLink.objects.exists()


@pytest.mark.parametrize("who", ["leader", "staff", "deputy", "unit", "street"])
def test_only_the_office_itself_opens_one(world, supervision, who):
    with pytest.raises(NotAllowed) as info:
        actions.create_inspection(
            acting_user=getattr(supervision.p, who), title=TITLE, year=2026, office=world.office
        )
    assert info.value.message == "只能为本机构组织执法检查。"
    assert not Inspection.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [({"title": " "}, "请填写执法检查名称。"), ({"year": 1999}, "年度不正确。")],
)
def test_bad_input(world, overrides, message):
    values = {"title": TITLE, "year": 2026, "office": world.office, **overrides}
    with pytest.raises(DomainError) as info:
        actions.create_inspection(acting_user=world.staff, **values)
    assert info.value.message == message
    assert not Inspection.objects.exists()


def _refused_create(world, message, **values):
    values = {"title": TITLE, "year": 2026, "office": world.office, **values}
    with pytest.raises(DomainError) as info:
        actions.create_inspection(acting_user=world.staff, **values)
    assert info.value.message == message
    return info.value


def test_the_plan_item_must_bind_be_open_and_be_the_offices(world, planning, supervision):
    before = Inspection.objects.count(), ItemLink.objects.count()
    draft_item = planning.item(planning.draft(year=2027))
    _refused_create(
        world,
        "计划事项所属的计划尚未审定，不能据此组织执法检查。",
        plan_item=draft_item,
        year=2027,
    )
    done = planning.completed()
    _refused_create(world, "计划事项当前为“已完成”，不能据此组织执法检查。", plan_item=done)
    item = planning.item(planning.approved(kind="office"))
    with pytest.raises(DomainError) as info:
        actions.create_inspection(
            acting_user=supervision.p.admin,
            title=TITLE,
            year=2026,
            office=supervision.org.deputy_office,
            plan_item=item,
        )
    assert info.value.message == "该计划事项由社会建设工作室负责，不是人事代表工作室的事项。"
    _refused_create(
        world, "该计划事项属于2026年度计划，与检查年度不一致。", plan_item=item, year=2027
    )
    assert (Inspection.objects.count(), ItemLink.objects.count()) == before
    world.draft(plan_item=item)
    _refused_create(world, f"该计划事项已有执法检查“{TITLE}”。", plan_item=item)
    assert Inspection.objects.count() == before[0] + 1


# -- update_inspection_plan -----------------------------------------------------------------------


def test_the_office_writes_the_plan(world):
    inspection = world.draft()
    mark = Mark(inspection)
    inspection = actions.update_inspection_plan(
        acting_user=world.staff,
        inspection=inspection,
        version=1,
        leader=world.leader,
        **{**PLAN, "content": f"  {PLAN['content']}  ", "methods": ["symposium", "symposium"]},
    )
    row = reload(inspection)
    assert row.content == PLAN["content"] and row.methods == ["symposium"]
    assert (row.starts_on, row.deputies_to_invite, row.leader, row.version) == (
        STARTS,
        3,
        world.leader,
        2,
    )
    assert row.method_labels == ["座谈会"]
    assert mark.event().summary == (
        "修改检查方案：检查组组长、检查内容、检查对象、检查范围、检查重点、"
        "检查方式、组织形式、拟邀请代表人数、开始日期、结束日期"
    )


def test_only_given_fields_change(world):
    inspection = world.planned()
    actions.update_inspection_plan(acting_user=world.staff, inspection=inspection, scope="槐荫片区")
    row = reload(inspection)
    assert (row.scope, row.content, row.starts_on) == ("槐荫片区", PLAN["content"], STARTS)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"budget": 5}, "方案中没有这些内容：budget。"),
        ({"methods": ["symposium", "dance"]}, "检查方式不正确：dance。"),
        ({"methods": "symposium"}, "检查方式应为列表。"),
        ({"deputies_to_invite": -1}, "拟邀请代表人数应为 0 到 1000。"),
        (
            {"starts_on": date(2026, 9, 1), "ends_on": date(2026, 8, 1)},
            "结束日期不能早于开始日期。",
        ),
        ({"starts_on": date(2024, 9, 1)}, "日期应在2026年度前后。"),
        ({"starts_on": "2026-09-01"}, "开始日期不正确。"),
        ({"law_version": "安全生产法"}, "请选择检查的法律法规。"),
    ],
)
def test_bad_plan_fields_change_nothing(world, fields, message):
    inspection = world.draft()
    refused(
        inspection,
        lambda: actions.update_inspection_plan(
            acting_user=world.staff, inspection=inspection, **fields
        ),
        message,
    )


def test_dates_must_keep_the_steps_inside(world):
    inspection = world.planned()
    refused(
        inspection,
        lambda: actions.update_inspection_plan(
            acting_user=world.staff, inspection=inspection, starts_on=date(2026, 5, 12)
        ),
        "以下检查步骤不在新的起止日期内：动员部署。请先调整步骤。",
    )


def test_plan_refusals(world, supervision):
    inspection = world.submitted()
    refused(
        inspection,
        lambda: actions.update_inspection_plan(
            acting_user=world.staff, inspection=inspection, scope="全区"
        ),
        "执法检查当前为“方案待审定”，不能修改方案。",
    )
    draft = world.draft(title="另一项检查")
    for who in (supervision.p.leader, supervision.p.staff):
        refused(
            draft,
            lambda who=who: actions.update_inspection_plan(
                acting_user=who, inspection=draft, scope="全区"
            ),
            OFFICE_ONLY,
            NotAllowed,
        )
    refused(
        draft,
        lambda: actions.update_inspection_plan(
            acting_user=world.staff, inspection=draft, version=7, scope="全区"
        ),
        "该执法检查已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )


def test_the_law_cannot_change_under_a_chosen_checklist(world, supervision):
    inspection = world.draft()
    actions.choose_clauses(
        acting_user=world.staff,
        inspection=inspection,
        entries=[(world.provision("第二十八条"), "duty", "", [])],
    )
    newer = supervision.law_version(label="2025年修正")
    refused(
        inspection,
        lambda: actions.update_inspection_plan(
            acting_user=world.staff, inspection=inspection, law_version=newer
        ),
        "已选定的检查条款属于原来的法律法规版本，请先移除检查条款再更换。",
    )


# -- steps ----------------------------------------------------------------------------------------


def test_steps_are_added_on_working_days(world):
    inspection = world.planned()
    mark = Mark(inspection)
    step = actions.add_step(
        acting_user=world.staff,
        inspection=inspection,
        title=" 召开座谈会 ",
        starts_on=date(2026, 6, 10),
        ends_on=date(2026, 6, 12),
    )
    assert (step.title, step.inspection_id) == ("召开座谈会", inspection.pk)
    assert mark.event().summary == "增加检查步骤：召开座谈会（2026-06-10 至 2026-06-12）"
    assert reload(inspection).version == inspection.version + 1


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "message"),
    [
        (date(2026, 10, 1), date(2026, 10, 9), "2026-10-01 是国庆节，不是工作日。"),
        (date(2026, 6, 15), date(2026, 6, 19), "2026-06-19 是端午节，不是工作日。"),
        (date(2026, 6, 6), date(2026, 6, 8), "2026-06-06 是星期六，不是工作日。"),
        (date(2026, 6, 12), date(2026, 6, 10), "步骤结束日期不能早于开始日期。"),
        (
            date(2026, 4, 30),
            date(2026, 5, 8),
            "步骤日期应在检查起止日期（2026-05-06 至 2026-10-30）之内。",
        ),
    ],
)
def test_step_dates_refused(world, starts_on, ends_on, message):
    inspection = world.planned()
    actions.update_inspection_plan(
        acting_user=world.staff, inspection=inspection, ends_on=date(2026, 10, 30)
    )
    inspection = reload(inspection)
    refused(
        inspection,
        lambda: actions.add_step(
            acting_user=world.staff,
            inspection=inspection,
            title="实地检查",
            starts_on=starts_on,
            ends_on=ends_on,
        ),
        message,
    )
    assert inspection.steps.count() == 3


def test_the_calendar_an_admin_entered_counts(world):
    CalendarDay.objects.create(date=date(2026, 6, 10), kind="holiday", name="防汛值守调休")
    CalendarDay.objects.create(date=date(2026, 6, 13), kind="workday", name="调休上班")
    inspection = world.planned()
    refused(
        inspection,
        lambda: actions.add_step(
            acting_user=world.staff,
            inspection=inspection,
            title="座谈",
            starts_on=date(2026, 6, 10),
            ends_on=date(2026, 6, 11),
        ),
        "2026-06-10 是防汛值守调休，不是工作日。",
    )
    step = actions.add_step(
        acting_user=world.staff,
        inspection=inspection,
        title="周六调休日检查",
        starts_on=date(2026, 6, 13),
        ends_on=date(2026, 6, 15),
    )
    assert step.starts_on == date(2026, 6, 13)


def test_steps_need_the_inspection_dates_first(world):
    inspection = world.draft()
    refused(
        inspection,
        lambda: actions.add_step(
            acting_user=world.staff,
            inspection=inspection,
            title="动员部署",
            starts_on=date(2026, 5, 11),
            ends_on=date(2026, 5, 15),
        ),
        "请先在方案中确定检查的起止日期。",
    )


def test_steps_change_only_while_drafting(world, supervision):
    inspection = world.submitted()
    step = inspection.steps.first()
    refused(
        inspection,
        lambda: actions.remove_step(acting_user=world.staff, step=step),
        "执法检查当前为“方案待审定”，不能删除检查步骤。",
    )
    refused(
        inspection,
        lambda: actions.add_step(
            acting_user=world.staff,
            inspection=inspection,
            title="补充检查",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 9, 2),
        ),
        "执法检查当前为“方案待审定”，不能增加检查步骤。",
    )
    draft = world.planned(title="另一项检查")
    step = draft.steps.first()
    refused(
        draft,
        lambda: actions.remove_step(acting_user=supervision.p.staff, step=step),
        OFFICE_ONLY,
        NotAllowed,
    )
    mark = Mark(draft)
    actions.remove_step(acting_user=world.staff, step=step)
    assert not InspectionStep.objects.filter(pk=step.pk).exists()
    assert mark.event().summary == "删除检查步骤：动员部署"


def test_steps_are_completed_once_approved(world):
    draft = world.planned()
    refused(
        draft,
        lambda: actions.complete_step(acting_user=world.staff, step=draft.steps.first()),
        "执法检查当前为“方案起草中”，不能完成检查步骤。",
    )
    inspection = world.approved(title="已审定的检查")
    step = inspection.steps.get(title="动员部署")
    for done_on, message in (
        (date(2026, 10, 13), "完成日期不能晚于今天。"),
        (date(2026, 10, 11), "2026-10-11 是星期日，不是工作日。"),
    ):
        refused(
            inspection,
            lambda done_on=done_on: actions.complete_step(
                acting_user=world.staff, step=step, done_on=done_on
            ),
            message,
        )
    mark = Mark(inspection)
    step = actions.complete_step(acting_user=world.staff, step=step, note="召开动员会")
    assert (step.done_on, step.note) == (date(2026, 10, 12), "召开动员会")
    assert mark.event().summary == "完成检查步骤：动员部署（逾期完成）"
    refused(
        inspection,
        lambda: actions.complete_step(acting_user=world.staff, step=step),
        "检查步骤“动员部署”已于 2026-10-12 完成。",
    )


# -- submit, return, approve, start ---------------------------------------------------------------


def test_submit_lists_what_the_plan_lacks(world):
    inspection = world.draft(law_version=None)
    error = refused(
        inspection,
        lambda: actions.submit_inspection_plan(acting_user=world.staff, inspection=inspection),
        "方案还缺少：检查的法律法规、检查内容、检查对象、检查方式、检查步骤、起止日期，不能提交。",
    )
    assert set(error.field_errors) == {
        "law_version",
        "content",
        "objects_checked",
        "methods",
        "steps",
        "starts_on",
    }


def test_submit_tells_the_leaders(world, supervision):
    inspection = world.planned()
    mark = Mark(inspection)
    inspection = actions.submit_inspection_plan(
        acting_user=world.staff, inspection=inspection, version=inspection.version
    )
    assert reload(inspection).status == S.SUBMITTED
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("submit", S.DRAFT, S.SUBMITTED)
    assert mark.notified() == {"p_leader": [f"执法检查方案待审定：{TITLE}"]}
    refused(
        inspection,
        lambda: actions.submit_inspection_plan(acting_user=world.staff, inspection=inspection),
        "当前状态为“方案待审定”，不能提交方案。",
    )


def test_a_leader_cannot_submit(world, supervision):
    inspection = world.planned()
    refused(
        inspection,
        lambda: actions.submit_inspection_plan(
            acting_user=supervision.p.leader, inspection=inspection
        ),
        OFFICE_ONLY,
        NotAllowed,
    )


def test_the_leaders_return_the_plan(world):
    inspection = world.submitted()
    refused(
        inspection,
        lambda: actions.return_inspection_plan(
            acting_user=world.leader, inspection=inspection, reason=" "
        ),
        "请填写退回理由。",
    )
    refused(
        inspection,
        lambda: actions.return_inspection_plan(
            acting_user=world.staff, inspection=inspection, reason="补充"
        ),
        "只有常委会领导可以退回执法检查方案。",
        NotAllowed,
    )
    mark = Mark(inspection)
    actions.return_inspection_plan(
        acting_user=world.leader, inspection=inspection, reason="请补充检查重点"
    )
    row = reload(inspection)
    assert (row.status, row.return_reason) == (S.DRAFT, "请补充检查重点")
    event = mark.event()
    assert (event.verb, event.note, event.to_state) == ("return", "请补充检查重点", S.DRAFT)
    assert mark.notified() == {"p_social": [f"执法检查方案被退回修改：{TITLE}"]}
    refused(
        row,
        lambda: actions.return_inspection_plan(
            acting_user=world.leader, inspection=row, reason="再退"
        ),
        "当前状态为“方案起草中”，不能退回方案。",
    )
    actions.submit_inspection_plan(acting_user=world.staff, inspection=row)
    assert reload(row).return_reason == ""


def test_the_director_meeting_approves(world, supervision):
    inspection = world.submitted()
    refused(
        inspection,
        lambda: actions.approve_inspection_plan(
            acting_user=world.leader, inspection=inspection, meeting=world.standing_meeting
        ),
        "执法检查方案由主任会议审定，请选择主任会议。",
    )
    refused(
        inspection,
        lambda: actions.approve_inspection_plan(
            acting_user=world.staff, inspection=inspection, meeting=world.director_meeting
        ),
        "只有常委会领导可以审定执法检查方案。",
        NotAllowed,
    )
    mark = Mark(inspection)
    actions.approve_inspection_plan(
        acting_user=supervision.p.admin, inspection=inspection, meeting=world.director_meeting
    )
    row = reload(inspection)
    assert (row.status, row.approved_meeting) == (S.APPROVED, world.director_meeting)
    assert row.approved_at is not None
    assert mark.event().summary == "经第十八届人大常委会第21次主任会议审定方案"
    assert mark.notified() == {"p_social": [f"执法检查方案已审定，请组织实施：{TITLE}"]}


def test_the_office_starts_the_approved_inspection(world):
    submitted = world.submitted()
    refused(
        submitted,
        lambda: actions.start_inspection(acting_user=world.staff, inspection=submitted),
        "当前状态为“方案待审定”，不能开始检查。",
    )
    inspection = world.approved(title="已审定")
    refused(
        inspection,
        lambda: actions.start_inspection(acting_user=world.leader, inspection=inspection),
        OFFICE_ONLY,
        NotAllowed,
    )
    mark = Mark(inspection)
    actions.start_inspection(acting_user=world.staff, inspection=inspection)
    assert reload(inspection).status == S.INSPECTING
    event = mark.event()
    assert (event.summary, event.from_state, event.to_state) == (
        "开始检查",
        S.APPROVED,
        S.INSPECTING,
    )
