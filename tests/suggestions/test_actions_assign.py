"""Assignment (交办), batch assignment, signing for it, and the adjustment window: a unit asks,
the office reassigns or insists; a unit never drops an item itself."""

from datetime import date

import pytest

from renda.core.errors import DomainError, NotAllowed
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Assignment, HandlingRules, Status, Suggestion
from renda.suggestions.queries import visible_suggestions
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.suggestions.factories import (
    NOT_OFFICE,
    Mark,
    at,
    frozen,  # noqa: F401  (fixture)
    person,
    refused,
    reload,
    state_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LEAD = Suggestion.Mode.LEAD
SEPARATE = Suggestion.Mode.SEPARATE


def lead_plan(world, co=True, **kw) -> AssignmentPlan:
    co_units = (world.org.other_unit,) if co else ()
    return AssignmentPlan(mode=LEAD, lead_unit=world.org.unit, co_units=co_units, **kw)


@pytest.fixture
def third(world):
    """A third unit with its own user, to reassign to."""
    unit = UnitFactory(name="区交通运输局")
    user = UserFactory(username="p_third_unit", full_name="交通局联络员")
    grant(user, "unit", unit=unit)
    return unit, user


# -- assign ---------------------------------------------------------------------------------------


def test_assign_to_a_lead_and_a_co_unit(world):
    s = world.accepted()
    mark = Mark(s)
    actions.assign(acting_user=world.p.staff, suggestion=s, plan=lead_plan(world))
    s = reload(s)
    assert s.status == Status.ASSIGNED and s.mode == LEAD and s.assigned_on == date(2026, 3, 2)
    assert s.due_at == date(2026, 6, 2)
    assert s.due_explanation == "交办日 2026-03-02 + 3 个月 = 2026-06-02"
    parts = list(
        s.assignments.order_by("id").values_list("unit__name", "role", "status", "opinion_due")
    )
    assert parts == [
        ("区住房和城乡建设局", "lead", "pending", None),
        ("区城市管理局", "co", "pending", date(2026, 4, 2)),  # 会办意见 within 1 month
    ]
    # Adjustment window: 5 days from receipt; 2026-03-07 is a Saturday -> the next working day.
    assert set(s.assignments.values_list("adjust_due", flat=True)) == {date(2026, 3, 9)}
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("assign", "accepted", "assigned")
    assert event.summary == "交办：区住房和城乡建设局（主办）、区城市管理局（协办）"
    assert event.note == s.due_explanation
    title = "新交办建议：第1号 关于解决老旧小区停车难的建议"
    assert mark.notified() == {
        "p_unit": [title],
        "p_co_unit": [title],
        "p_deputy": ["您的建议已交办：第1号 关于解决老旧小区停车难的建议"],
    }


def test_wide_ranging_and_difficult_gets_six_months(world):
    s = world.accepted()
    actions.assign(
        acting_user=world.p.staff, suggestion=s, plan=lead_plan(world, is_difficult=True)
    )
    s = reload(s)
    assert s.is_difficult and s.due_at == date(2026, 9, 2)
    assert s.due_explanation == "交办日 2026-03-02 + 6 个月 = 2026-09-02"


def test_separate_handling_by_several_units(world):
    s = world.accepted()
    plan = AssignmentPlan(mode=SEPARATE, separate_units=(world.org.unit, world.org.other_unit))
    actions.assign(acting_user=world.p.staff, suggestion=s, plan=plan)
    assert set(reload(s).assignments.values_list("role", flat=True)) == {"separate"}


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        (lambda w: AssignmentPlan(mode=LEAD), "请选择主办单位。"),
        (
            lambda w: AssignmentPlan(mode=SEPARATE, separate_units=(w.org.unit,)),
            "分办至少需要两个承办单位；只有一个单位时请选择主办。",
        ),
        (
            lambda w: AssignmentPlan(mode=LEAD, lead_unit=w.org.unit, co_units=(w.org.unit,)),
            "同一单位不能重复交办。",
        ),
        (
            lambda w: AssignmentPlan(
                mode=SEPARATE, separate_units=(w.org.unit, w.org.other_unit, w.org.unit)
            ),
            "同一单位不能重复交办。",
        ),
        (lambda w: AssignmentPlan(mode="other"), "请选择办理方式。"),
    ],
)
def test_bad_plans_are_refused(world, plan, message):
    s = world.accepted()
    refused(
        s,
        lambda: actions.assign(acting_user=world.p.staff, suggestion=s, plan=plan(world)),
        message,
    )


def test_an_inactive_unit_cannot_be_assigned(world):
    s = world.accepted()
    world.org.other_unit.is_active = False
    world.org.other_unit.save()
    refused(
        s,
        lambda: actions.assign(acting_user=world.p.staff, suggestion=s, plan=lead_plan(world)),
        "单位已停用：区城市管理局。",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_assigns(world, who):
    s = world.accepted()
    refused(
        s,
        lambda: actions.assign(acting_user=person(world, who), suggestion=s, plan=lead_plan(world)),
        "只有代表工作机构可以交办。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.ACCEPTED])
def test_assign_refused_outside_accepted(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.assign(acting_user=world.p.staff, suggestion=s, plan=lead_plan(world)),
        f"当前状态为“{Status(status).label}”，不能交办。",
    )


# -- assign_many (交办会) -------------------------------------------------------------------------


def test_a_session_is_assigned_at_one_meeting(world):
    rows = [world.accepted() for _ in range(3)]
    done = actions.assign_many(
        acting_user=world.p.staff,
        plans=[(s, lead_plan(world)) for s in rows],
        assigned_on=date(2026, 3, 2),
    )
    assert [reload(s).status for s in done] == [Status.ASSIGNED] * 3


def test_batch_is_all_or_nothing(world):
    good, bad = world.accepted(), world.accepted()
    before = state_of(good)
    with pytest.raises(DomainError) as info:
        actions.assign_many(
            acting_user=world.p.staff,
            plans=[(good, lead_plan(world)), (bad, AssignmentPlan(mode=LEAD))],
        )
    assert (
        info.value.message == "第2号 关于解决老旧小区停车难的建议：请选择主办单位。（本批均未交办）"
    )
    assert state_of(good) == before and reload(bad).status == Status.ACCEPTED


def test_batch_keeps_the_kind_of_refusal(world):
    s = world.accepted()
    with pytest.raises(NotAllowed) as info:
        actions.assign_many(acting_user=world.p.leader, plans=[(s, lead_plan(world))])
    assert info.value.status == 403
    assert info.value.message.endswith("只有代表工作机构可以交办。（本批均未交办）")


# -- sign_for -------------------------------------------------------------------------------------


def test_lead_signing_starts_handling(world):
    s = world.assigned()
    mark = Mark(s)
    a = actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    assert a.status == Assignment.Status.SIGNED and a.signed_at is not None
    assert reload(s).status == Status.HANDLING
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("sign", "assigned", "handling")
    assert event.summary == "区住房和城乡建设局签收（主办）"


def test_co_unit_signing_first_leaves_it_assigned(world):
    s = world.assigned()
    mark = Mark(s)
    co = world.assignment(s, world.org.other_unit)
    actions.sign_for(acting_user=world.co_unit_user, assignment=co)
    s = reload(s)
    assert s.status == Status.ASSIGNED
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("sign", "", "")
    assert event.summary == "区城市管理局签收（协办）"


def test_first_separate_unit_signing_starts_handling(world):
    s = world.assigned(separate=True)
    actions.sign_for(
        acting_user=world.co_unit_user, assignment=world.assignment(s, world.org.other_unit)
    )
    assert reload(s).status == Status.HANDLING


@pytest.mark.parametrize("who", ["co_unit_user", "staff", "admin", "leader", "deputy", "street"])
def test_only_the_unit_itself_signs(world, who):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    refused(
        s,
        lambda: actions.sign_for(acting_user=person(world, who), assignment=lead),
        "只有承办单位本身可以办理此事项。",
        NotAllowed,
    )


def test_signing_twice_is_refused(world):
    s = world.handling()
    refused(
        s,
        lambda: actions.sign_for(
            acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit)
        ),
        "该交办当前为“已签收”，不能签收。",
    )


def test_a_part_awaiting_adjustment_or_withdrawn_is_not_signed(world, third):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="非本单位职责")
    refused(
        s,
        lambda: actions.sign_for(acting_user=world.p.unit, assignment=lead),
        "该交办当前为“申请调整”，不能签收。",
    )
    actions.decide_adjustment(acting_user=world.p.staff, assignment=lead, reassign_to=third[0])
    # The old unit may no longer act on its withdrawn part.
    refused(
        s,
        lambda: actions.sign_for(acting_user=world.p.unit, assignment=lead),
        "该交办当前为“已改交”，不能签收。",
    )
    refused(
        s,
        lambda: actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="x"),
        "该交办当前为“已改交”，不能申请调整。",
    )


# -- request_adjustment ---------------------------------------------------------------------------


def test_unit_asks_to_adjust_within_the_window(world, time_machine):
    time_machine.move_to(at(date(2026, 3, 4)), tick=False)  # a Wednesday
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    assert lead.adjust_due == date(2026, 3, 9)
    time_machine.move_to(at(date(2026, 3, 9)), tick=False)  # day 5: still allowed
    mark = Mark(s)
    a = actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="属交通局职责")
    assert a.status == Assignment.Status.ADJUST_REQUESTED and a.adjust_reason == "属交通局职责"
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "request_adjustment",
        "区住房和城乡建设局申请调整承办单位",
        "属交通局职责",
    )
    assert mark.notified() == {
        "p_staff": ["区住房和城乡建设局申请调整：第1号 关于解决老旧小区停车难的建议"]
    }
    # Asking is not dropping: the unit still holds a live part and still sees the suggestion.
    assert reload(s).status == Status.ASSIGNED
    assert visible_suggestions(world.p.unit).filter(pk=s.pk).exists()


def test_day_six_is_too_late(world, time_machine):
    time_machine.move_to(at(date(2026, 3, 4)), tick=False)
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    time_machine.move_to(at(date(2026, 3, 10)), tick=False)
    refused(
        s,
        lambda: actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="x"),
        "申请调整的期限已过（截至 2026-03-09），请签收办理。",
    )


def test_window_in_working_days(world, time_machine):
    rules = HandlingRules.current()
    rules.adjustment_window = "5 个工作日"
    rules.save()
    time_machine.move_to(at(date(2026, 3, 4)), tick=False)
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    assert lead.adjust_due == date(2026, 3, 11)  # Thu, Fri, Mon, Tue, Wed
    time_machine.move_to(at(date(2026, 3, 11)), tick=False)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="非本单位职责")
    assert reload_assignment(lead).status == Assignment.Status.ADJUST_REQUESTED


def test_adjustment_needs_a_reason(world):
    s = world.assigned()
    refused(
        s,
        lambda: actions.request_adjustment(
            acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit), reason=""
        ),
        "请填写申请调整的理由。",
    )


def test_a_signed_part_cannot_be_adjusted(world):
    s = world.handling()
    refused(
        s,
        lambda: actions.request_adjustment(
            acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit), reason="x"
        ),
        "该交办当前为“已签收”，不能申请调整。",
    )


@pytest.mark.parametrize("who", ["co_unit_user", "staff", "deputy", "leader"])
def test_only_the_unit_itself_asks_to_adjust(world, who):
    s = world.assigned()
    refused(
        s,
        lambda: actions.request_adjustment(
            acting_user=person(world, who),
            assignment=world.assignment(s, world.org.unit),
            reason="x",
        ),
        "只有承办单位本身可以办理此事项。",
        NotAllowed,
    )


# -- decide_adjustment ----------------------------------------------------------------------------


def asked(world):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="属交通局职责")
    return s, lead


def test_office_insists_and_the_unit_may_not_ask_again(world):
    s, lead = asked(world)
    mark = Mark(s)
    actions.decide_adjustment(
        acting_user=world.p.staff, assignment=lead, reassign_to=None, note="停车泊位由住建局统筹"
    )
    lead = reload_assignment(lead)
    assert lead.status == Assignment.Status.PENDING and lead.adjust_refused
    event = mark.event()
    assert (event.verb, event.summary) == ("insist", "不同意调整，仍由区住房和城乡建设局办理")
    assert list(mark.notified()) == ["p_unit"]
    refused(
        s,
        lambda: actions.request_adjustment(
            acting_user=world.p.unit, assignment=lead, reason="再议"
        ),
        "代表工作机构已决定由本单位办理，不能再次申请调整。",
    )
    actions.sign_for(acting_user=world.p.unit, assignment=lead)
    assert reload(s).status == Status.HANDLING


def test_insisting_needs_an_explanation(world):
    s, lead = asked(world)
    refused(
        s,
        lambda: actions.decide_adjustment(
            acting_user=world.p.staff, assignment=lead, reassign_to=None, note=" "
        ),
        "请填写不予调整的说明。",
    )


def test_office_reassigns_to_another_unit(world, third):
    unit, user = third
    s, lead = asked(world)
    mark = Mark(s)
    new = actions.decide_adjustment(
        acting_user=world.p.staff, assignment=lead, reassign_to=unit, note="同意"
    )
    assert reload_assignment(lead).status == Assignment.Status.WITHDRAWN
    assert (new.unit, new.role, new.status) == (unit, "lead", "pending")
    event = mark.event()
    assert (event.verb, event.summary) == (
        "reassign",
        "同意调整：区住房和城乡建设局改为区交通运输局（主办）",
    )
    assert mark.notified() == {
        "p_third_unit": ["新交办建议（调整）：第1号 关于解决老旧小区停车难的建议"],
        "p_unit": ["调整申请已同意，改由区交通运输局办理：第1号 关于解决老旧小区停车难的建议"],
    }
    # The old unit no longer sees it; the new one does and handles it.
    assert not visible_suggestions(world.p.unit).filter(pk=s.pk).exists()
    assert visible_suggestions(user).filter(pk=s.pk).exists()
    actions.sign_for(acting_user=user, assignment=new)
    assert reload(s).status == Status.HANDLING


def test_reassign_refuses_a_unit_already_on_it_or_inactive(world, third):
    s, lead = asked(world)
    refused(
        s,
        lambda: actions.decide_adjustment(
            acting_user=world.p.staff, assignment=lead, reassign_to=world.org.other_unit
        ),
        "区城市管理局已在承办单位之中。",
    )
    unit, _ = third
    unit.is_active = False
    unit.save()
    refused(
        s,
        lambda: actions.decide_adjustment(
            acting_user=world.p.staff, assignment=lead, reassign_to=unit
        ),
        "区交通运输局已停用。",
    )


def test_nothing_to_decide_without_a_request(world, third):
    s = world.assigned()
    refused(
        s,
        lambda: actions.decide_adjustment(
            acting_user=world.p.staff,
            assignment=world.assignment(s, world.org.unit),
            reassign_to=third[0],
        ),
        "该单位没有待决定的调整申请。",
    )


@pytest.mark.parametrize("who", [*NOT_OFFICE, "co_unit_user"])
def test_only_the_office_decides_a_unit_never_drops_it(world, who, third):
    s, lead = asked(world)
    refused(
        s,
        lambda: actions.decide_adjustment(
            acting_user=person(world, who), assignment=lead, reassign_to=third[0]
        ),
        "只有代表工作机构可以决定调整。",
        NotAllowed,
    )


def reload_assignment(a: Assignment) -> Assignment:
    return Assignment.objects.get(pk=a.pk)
