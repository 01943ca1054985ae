"""Change requests on a binding plan: the owner office asks to postpone, adjust or cancel with a
reason; a leader approves or refuses. An approved postponement moves the deadline (and the open
milestones with it)."""

from datetime import date

import pytest

from renda.core.errors import NotAllowed
from renda.plans import actions
from renda.plans.models import ChangeRequest, ItemStatus, PlanItem
from tests.plans.factories import (
    Mark,
    at,
    frozen,  # noqa: F401  (fixture)
    pdf,
    refused,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

ITEM = "《安全生产法》执法检查"
OWNER_ONLY = "只有责任机构（社会建设工作室）可以办理该事项。"
OUTSIDERS = ("staff", "street", "deputy", "unit")


def reload(item: PlanItem) -> PlanItem:
    return PlanItem.objects.get(pk=item.pk)


def ask(planning, item, kind="postpone", reason="等待省里统一部署", who="social_staff", **kw):
    if kind == "postpone":
        kw.setdefault("new_ends_on", date(2026, 12, 31))
    return actions.request_change(
        acting_user=getattr(planning.p, who), item=item, kind=kind, reason=reason, **kw
    )


def decide(planning, change, approve=True, note="", who="leader"):
    return actions.decide_change(
        acting_user=getattr(planning.p, who), change=change, approve=approve, note=note
    )


# -- request_change -------------------------------------------------------------------------------


def test_the_owner_office_asks_to_postpone_and_the_leaders_are_told(planning):
    item = planning.in_progress()
    mark = Mark(item)
    change = ask(planning, item)
    assert (change.kind, change.status, change.new_ends_on, change.requested_by) == (
        "postpone",
        ChangeRequest.Status.REQUESTED,
        date(2026, 12, 31),
        planning.p.social_staff,
    )
    after = reload(item)
    assert (after.ends_on, after.version) == (date(2026, 10, 31), item.version + 1)
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "request_change",
        "申请延期",
        "等待省里统一部署",
    )
    assert mark.notified() == {"p_leader": [f"事项变更申请待审批（延期）：{ITEM}"]}


@pytest.mark.parametrize(
    ("kind", "kw", "message"),
    [
        (
            "postpone",
            {"new_ends_on": date(2026, 9, 30)},
            "延期须填写晚于现完成期限（2026-10-31）的日期。",
        ),
        (
            "postpone",
            {"new_ends_on": date(2026, 10, 31)},
            "延期须填写晚于现完成期限（2026-10-31）的日期。",
        ),
        ("postpone", {"new_ends_on": None}, "延期须填写晚于现完成期限（2026-10-31）的日期。"),
        ("postpone", {"new_ends_on": date(2028, 1, 31)}, "延期不能超过2027年底。"),
        ("adjust", {"new_expected_result": "形成报告"}, "调整须写明调整后的预期成果和衡量方式。"),
        ("adjust", {}, "调整须写明调整后的预期成果和衡量方式。"),
        ("suspend", {}, "请选择变更类型。"),
        ("cancel", {"reason": " "}, "请填写变更理由。"),
    ],
)
def test_bad_change_requests_are_refused(planning, kind, kw, message):
    item = planning.in_progress()
    refused(item, lambda: ask(planning, item, kind=kind, **kw), message)
    assert not ChangeRequest.objects.exists()


def test_a_postponement_must_end_after_today(planning, time_machine):
    item = planning.in_progress()
    time_machine.move_to(at(date(2026, 11, 15)), tick=False)
    refused(
        item,
        lambda: ask(planning, item, new_ends_on=date(2026, 11, 10)),
        "延期后的完成期限应晚于今天。",
    )


def test_one_pending_request_at_a_time(planning):
    item = planning.in_progress()
    ask(planning, item)
    refused(item, lambda: ask(planning, item, kind="cancel"), "该事项已有待审批的变更申请。")


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_no_change_request_before_the_plan_binds(planning, status):
    item = planning.item(planning.plan_in(status))
    refused(item, lambda: ask(planning, item), "计划尚未审定，不能申请变更。")


def test_no_change_request_on_a_completed_item(planning):
    item = planning.completed()
    refused(item, lambda: ask(planning, item), "事项当前为“已完成”，不能申请变更。")


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_owner_office_asks(planning, who):
    item = planning.in_progress()
    refused(item, lambda: ask(planning, item, who=who), OWNER_ONLY, NotAllowed)


# -- decide_change --------------------------------------------------------------------------------


def test_an_approved_postponement_moves_the_deadline_and_the_milestones(planning, time_machine):
    item = planning.in_progress()
    staff = planning.p.social_staff
    done = actions.add_milestone(
        acting_user=staff, item=item, title="方案", due_on=date(2026, 4, 1)
    )
    actions.complete_milestone(acting_user=staff, milestone=done)
    for title, due in (("检查", date(2026, 4, 20)), ("座谈", date(2026, 5, 31))):
        actions.add_milestone(acting_user=staff, item=item, title=title, due_on=due)
    actions.add_milestone(acting_user=staff, item=item, title="报告", due_on=date(2026, 9, 30))
    time_machine.move_to(at(date(2026, 6, 10)), tick=False)  # 检查 and 座谈 are past due
    change = ask(planning, reload(item), new_ends_on=date(2026, 11, 30))  # 30 days later
    mark = Mark(item)
    decide(planning, change, note="同意")
    after = reload(item)
    assert after.ends_on == date(2026, 11, 30)
    due = dict(after.milestones.values_list("title", "due_on"))
    # Done stays; open ones slip 30 days; one still past due is due on the new end date.
    assert due == {
        "方案": date(2026, 4, 1),
        "检查": date(2026, 11, 30),
        "座谈": date(2026, 6, 30),
        "报告": date(2026, 10, 30),
    }
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "decide_change",
        "同意延期：完成期限由 2026-10-31 延至 2026-11-30，未完成的节点相应顺延",
        "同意",
    )
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (ChangeRequest.Status.APPROVED, planning.p.leader)
    assert mark.notified() == {"p_social": [f"变更申请同意：{ITEM}"]}


def test_an_approved_adjustment_replaces_the_result_and_its_measure(planning):
    item = planning.in_progress()
    change = ask(
        planning,
        item,
        kind="adjust",
        new_expected_result="形成调研报告",
        new_measure="报告报主任会议",
    )
    mark = Mark(item)
    decide(planning, change)
    after = reload(item)
    assert (after.expected_result, after.measure) == ("形成调研报告", "报告报主任会议")
    assert mark.event().summary == "同意调整"


def test_an_approved_cancellation_cancels_the_item(planning):
    item = planning.in_progress()
    change = ask(planning, item, kind="cancel", reason="上级已统一开展")
    mark = Mark(item)
    decide(planning, change)
    assert reload(item).status == ItemStatus.CANCELLED
    event = mark.event()
    assert (event.summary, event.from_state, event.to_state) == (
        "同意取消",
        "in_progress",
        "cancelled",
    )


def test_a_refusal_needs_a_reason_and_changes_nothing_but_the_request(planning):
    item = planning.in_progress()
    change = ask(planning, item)
    refused(change, lambda: decide(planning, change, approve=False), "请写明不同意的理由。")
    mark = Mark(item)
    decide(planning, change, approve=False, note="按期完成")
    after = reload(item)
    assert (after.ends_on, after.status) == (date(2026, 10, 31), ItemStatus.IN_PROGRESS)
    assert (mark.event().summary, mark.event().note) == ("不同意延期", "按期完成")
    assert mark.notified() == {"p_social": [f"变更申请不同意：{ITEM}"]}
    refused(change, lambda: decide(planning, change), "该变更申请已审批。")


def test_a_request_overtaken_by_completion_is_not_approved(planning):
    item = planning.in_progress()
    change = ask(planning, item, kind="cancel")
    actions.complete_item(
        acting_user=planning.p.social_staff,
        item=reload(item),
        result_statement="已完成",
        evidence=[pdf()],
    )
    refused(change, lambda: decide(planning, change), "事项已完成或已取消，无需变更。")


@pytest.mark.parametrize("who", [*OUTSIDERS, "social_staff"])
def test_only_leaders_decide(planning, who):
    item = planning.in_progress()
    change = ask(planning, item)
    refused(
        change,
        lambda: decide(planning, change, who=who),
        "只有常委会领导可以审批变更申请。",
        NotAllowed,
    )
    assert reload(item).ends_on == date(2026, 10, 31)
