"""Items while the plan is a draft (add, edit, remove, nest up to three levels), links to what
carries them out, and milestones (set while drafting or by the owner office once binding)."""

from datetime import date

import pytest

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.models import ItemLink, Milestone, Plan, PlanItem
from tests.plans.factories import (
    Mark,
    frozen,  # noqa: F401  (fixture)
    item_fields,
    refused,
)

pytestmark = pytest.mark.django_db

LABEL = {"draft": "起草中", "submitted": "待审定", "approved": "已审定", "published": "已印发"}
OUTSIDERS = ("staff", "street", "deputy", "unit")
DRAFTING_ONLY = "只有社会建设工作室可以编写该计划。"
OWNER_ONLY = "只有责任机构（社会建设工作室）可以办理该事项。"


def reload(item: PlanItem) -> PlanItem:
    return PlanItem.objects.get(pk=item.pk)


def add(planning, plan, who="social_staff", parent=None, **overrides):
    return actions.add_item(
        acting_user=getattr(planning.p, who),
        plan=plan,
        parent=parent,
        values=item_fields(planning.office, **overrides),
    )


# -- add_item -------------------------------------------------------------------------------------


def test_an_item_is_added_to_a_draft(planning):
    plan = planning.draft(items=1)
    mark = Mark(plan)
    item = add(planning, plan, title="  城市管理专题询问 ", leader=planning.p.leader, weight=3)
    assert (item.title, item.position, item.weight, item.leader, item.status, item.progress) == (
        "城市管理专题询问",
        2,
        3,
        planning.p.leader,
        "planned",
        0,
    )
    assert Plan.objects.get(pk=plan.pk).version == plan.version + 1
    assert (mark.event().verb, mark.event().summary) == ("add_item", "增加事项：城市管理专题询问")
    assert mark.event(item).verb == "create"


def test_items_nest_three_levels_and_no_deeper(planning):
    plan = planning.draft(items=0)
    one = add(planning, plan, title="一级")
    two = add(planning, plan, title="二级", parent=one)
    three = add(planning, plan, title="三级", parent=two)
    assert (two.position, three.parent) == (1, two)
    with pytest.raises(DomainError) as info:
        add(planning, plan, title="四级", parent=three)
    assert info.value.message == "事项最多分三级。"
    assert plan.items.count() == 3


def test_a_parent_from_another_plan_is_refused(planning):
    plan = planning.draft(items=0)
    other = planning.draft(kind="study")
    with pytest.raises(DomainError) as info:
        add(planning, plan, parent=planning.item(other))
    assert info.value.message == "上级事项不属于该计划。"
    assert not plan.items.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": " "}, "请填写事项名称。"),
        ({"ends_on": date(2026, 2, 1)}, "完成期限不能早于开始日期。"),
        ({"ends_on": date(2028, 1, 1)}, "日期应在2026年度前后。"),
        ({"weight": 0}, "权重应为 1 到 100。"),
        ({"weight": 101}, "权重应为 1 到 100。"),
        ({"invited_deputies": -1}, "邀请代表人数不正确。"),
    ],
)
def test_bad_item_input_is_refused(planning, overrides, message):
    plan = planning.draft(items=0)
    with pytest.raises(DomainError) as info:
        add(planning, plan, **overrides)
    assert info.value.message == message
    assert not plan.items.exists()


def test_the_leader_in_charge_must_be_a_leader(planning):
    plan = planning.draft(items=0)
    with pytest.raises(DomainError) as info:
        add(planning, plan, leader=planning.p.staff)
    assert info.value.message == "分管领导应为常委会领导。"


@pytest.mark.parametrize("status", ["submitted", "approved", "published"])
def test_items_are_added_only_to_a_draft(planning, status):
    plan = planning.plan_in(status)
    refused(
        plan,
        lambda: add(planning, plan),
        f"计划当前为“{LABEL[status]}”，已不能直接修改；审定后的事项变更请提出变更申请。",
    )


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_drafting_office_adds_items(planning, who):
    plan = planning.draft(items=0)
    refused(plan, lambda: add(planning, plan, who=who), DRAFTING_ONLY, NotAllowed)


# -- update_item / remove_item --------------------------------------------------------------------


def test_an_item_of_a_draft_is_edited(planning):
    item = planning.item(planning.draft())
    mark = Mark(item)
    values = item_fields(planning.office, title="安全生产法执法检查（调整）", invited_deputies=8)
    actions.update_item(
        acting_user=planning.p.social_staff, item=item, values=values, version=item.version
    )
    after = reload(item)
    assert (after.title, after.invited_deputies, after.version) == (
        "安全生产法执法检查（调整）",
        8,
        item.version + 1,
    )
    assert mark.event().verb == "edit"


def test_editing_a_stale_item_is_refused_with_409(planning):
    item = planning.item(planning.draft())
    error = refused(
        item,
        lambda: actions.update_item(
            acting_user=planning.p.social_staff,
            item=item,
            values=item_fields(planning.office, title="改"),
            version=item.version - 1,
        ),
        "该事项已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    assert error.status == 409


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_items_of_a_plan_past_draft_are_not_edited_or_removed(planning, status):
    item = planning.item(planning.plan_in(status))
    message = f"计划当前为“{LABEL[status]}”，已不能直接修改；审定后的事项变更请提出变更申请。"
    staff = planning.p.social_staff
    values = item_fields(planning.office, title="改")
    refused(item, lambda: actions.update_item(acting_user=staff, item=item, values=values), message)
    refused(item, lambda: actions.remove_item(acting_user=staff, item=item), message)


def test_removing_an_item_takes_its_sub_items_and_milestones(planning):
    plan = planning.draft(items=0)
    parent = add(planning, plan, title="执法检查")
    add(planning, plan, title="实地检查", parent=parent)
    actions.add_milestone(
        acting_user=planning.p.social_staff, item=parent, title="方案", due_on=date(2026, 4, 1)
    )
    keep = add(planning, plan, title="代表培训")
    mark = Mark(plan)
    actions.remove_item(acting_user=planning.p.social_staff, item=parent)
    assert list(plan.items.all()) == [keep]
    assert not Milestone.objects.exists()
    assert (mark.event().verb, mark.event().summary) == ("remove_item", "删除事项：执法检查")


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_drafting_office_removes(planning, who):
    item = planning.item(planning.draft())
    refused(
        item,
        lambda: actions.remove_item(acting_user=getattr(planning.p, who), item=item),
        DRAFTING_ONLY,
        NotAllowed,
    )


# -- link_item ------------------------------------------------------------------------------------


def test_the_owner_office_links_what_carries_the_item_out(planning):
    item = planning.item(planning.approved())
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.STANDING, term_number=18, number=12, date=date(2026, 6, 20)
    )
    mark = Mark(item)
    link = actions.link_item(acting_user=planning.p.social_staff, item=item, target=meeting)
    assert (link.label, link.object_id) == ("第十八届人大常委会第12次会议", meeting.pk)
    assert reload(item).version == item.version + 1
    assert mark.event().summary == "关联落实载体：第十八届人大常委会第12次会议"
    refused(
        item,
        lambda: actions.link_item(acting_user=planning.p.social_staff, item=item, target=meeting),
        "已关联过该落实载体。",
    )
    assert ItemLink.objects.count() == 1


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_outsiders_do_not_link(planning, who):
    item = planning.item(planning.approved())
    refused(
        item,
        lambda: actions.link_item(
            acting_user=getattr(planning.p, who), item=item, target=planning.meeting
        ),
        "只有起草机构或责任机构可以关联落实载体。",
        NotAllowed,
    )


# -- milestones -----------------------------------------------------------------------------------


def test_milestones_are_set_while_drafting_and_by_the_owner_once_binding(planning):
    plan = planning.draft()
    item = planning.item(plan)
    mark = Mark(item)
    first = actions.add_milestone(
        acting_user=planning.p.social_staff,
        item=item,
        title="制定检查方案",
        due_on=date(2026, 4, 30),
    )
    assert (first.title, first.due_on, first.done_on) == ("制定检查方案", date(2026, 4, 30), None)
    assert mark.event().summary == "设定节点：制定检查方案（2026-04-30）"
    planning.bind(plan)
    actions.add_milestone(
        acting_user=planning.p.social_staff, item=item, title="实地检查", due_on=date(2026, 6, 30)
    )
    assert list(item.milestones.values_list("title", flat=True)) == ["制定检查方案", "实地检查"]


def test_a_milestone_after_the_end_date_is_refused(planning):
    item = planning.item(planning.draft())
    refused(
        item,
        lambda: actions.add_milestone(
            acting_user=planning.p.social_staff, item=item, title="x", due_on=date(2026, 11, 1)
        ),
        "节点期限不能晚于事项完成期限 2026-10-31。",
    )


@pytest.mark.parametrize(("who", "message"), [("staff", OWNER_ONLY), ("leader", OWNER_ONLY)])
def test_once_binding_only_the_owner_office_sets_milestones(planning, who, message):
    item = planning.item(planning.approved())
    refused(
        item,
        lambda: actions.add_milestone(
            acting_user=getattr(planning.p, who), item=item, title="x", due_on=date(2026, 5, 1)
        ),
        message,
        NotAllowed,
    )


def test_no_milestone_on_a_completed_item(planning):
    item = planning.completed()
    refused(
        item,
        lambda: actions.add_milestone(
            acting_user=planning.p.social_staff, item=item, title="x", due_on=date(2026, 5, 1)
        ),
        "事项当前为“已完成”，不能增加节点。",
    )


@pytest.mark.usefixtures("frozen")
def test_a_milestone_done_late_says_so(planning):
    item = planning.item(planning.approved())
    milestone = actions.add_milestone(
        acting_user=planning.p.social_staff, item=item, title="制定方案", due_on=date(2026, 3, 15)
    )
    mark = Mark(item)
    actions.complete_milestone(
        acting_user=planning.p.social_staff, milestone=milestone, note=" 方案已印发 "
    )
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.note) == (date(2026, 4, 1), "方案已印发")
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "complete_milestone",
        "完成节点：制定方案（逾期完成）",
        "方案已印发",
    )
    refused(
        item,
        lambda: actions.complete_milestone(
            acting_user=planning.p.social_staff, milestone=milestone
        ),
        "该节点已完成。",
    )


@pytest.mark.usefixtures("frozen")
def test_completing_a_milestone_is_refused_when_it_should_be(planning):
    draft_item = planning.item(planning.draft())
    early = actions.add_milestone(
        acting_user=planning.p.social_staff, item=draft_item, title="方案", due_on=date(2026, 5, 1)
    )
    staff = planning.p.social_staff
    refused(
        draft_item,
        lambda: actions.complete_milestone(acting_user=staff, milestone=early),
        "计划尚未审定，不能完成节点。",
    )
    planning.bind(draft_item.plan)
    refused(
        draft_item,
        lambda: actions.complete_milestone(
            acting_user=staff, milestone=early, done_on=date(2026, 4, 2)
        ),
        "完成日期不能晚于今天。",
    )
    refused(
        draft_item,
        lambda: actions.complete_milestone(acting_user=planning.p.staff, milestone=early),
        OWNER_ONLY,
        NotAllowed,
    )
    assert Milestone.objects.get(pk=early.pk).done_on is None
