"""Extensions (SD 19): the unit asks and the office decides, or the office extends directly;
never beyond 6 months from assignment (代表法 51). An extended item is not overdue."""

from datetime import date

import pytest

from renda.core.errors import NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import Extension, Status, Suggestion
from tests.suggestions.factories import (
    NOT_OFFICE,
    Mark,
    answer_draft,
    frozen,  # noqa: F401  (fixture)
    person,
    refused,
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TITLE = "第1号 关于解决老旧小区停车难的建议"
NEW_DUE = date(2026, 7, 15)
WITHOUT_SIGNED_PART = ["draft", "submitted", "declined", "merged", "accepted", "assigned"]


def request(world, s, new_due=NEW_DUE, reason="需协调规划部门", who=None):
    return actions.request_extension(
        acting_user=who or world.p.unit, suggestion=s, new_due=new_due, reason=reason
    )


# -- request_extension ----------------------------------------------------------------------------


def test_lead_unit_asks_for_an_extension(world):
    s = world.handling()
    mark = Mark(s)
    ext = request(world, s)
    assert (ext.status, ext.unit, ext.new_due, ext.requested_by) == (
        Extension.Status.REQUESTED,
        world.org.unit,
        NEW_DUE,
        world.p.unit,
    )
    assert reload(s).due_at == date(2026, 6, 2)  # unchanged until decided
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "request_extension",
        "区住房和城乡建设局申请延期至 2026-07-15",
        "需协调规划部门",
    )
    assert mark.notified() == {"p_staff": [f"延期申请待审批：{TITLE}"]}


@pytest.mark.parametrize(
    ("new_due", "reason", "message"),
    [
        (date(2026, 6, 2), "x", "延期日期应晚于现答复期限 2026-06-02。"),
        (date(2026, 5, 1), "x", "延期日期应晚于现答复期限 2026-06-02。"),
        (date(2026, 9, 3), "x", "答复期限最长不得超过交办之日起 6 个月（2026-09-02）。"),
        (NEW_DUE, " ", "请填写延期理由。"),
    ],
)
def test_bad_extension_requests(world, new_due, reason, message):
    s = world.handling()
    refused(s, lambda: request(world, s, new_due=new_due, reason=reason), message)


def test_up_to_exactly_six_months_is_allowed(world):
    s = world.handling()
    assert request(world, s, new_due=date(2026, 9, 2)).new_due == date(2026, 9, 2)


def test_one_pending_request_at_a_time(world):
    s = world.handling()
    request(world, s)
    refused(s, lambda: request(world, s, new_due=date(2026, 8, 1)), "已有待审批的延期申请。")


@pytest.mark.parametrize(
    "who", ["co_unit_user", "staff", "admin", "leader", "deputy", "street", "social_staff"]
)
def test_only_the_answering_unit_asks(world, who):
    s = world.handling()
    refused(
        s,
        lambda: request(world, s, who=person(world, who)),
        "只有已签收的主办单位（或分办单位）可以申请延期。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", WITHOUT_SIGNED_PART)
def test_no_request_before_signing(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: request(world, s),
        "只有已签收的主办单位（或分办单位）可以申请延期。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", ["answered", "follow_up", "closed"])
def test_no_request_once_answered(world, status):
    s = world.in_state(status)
    refused(s, lambda: request(world, s), "当前状态不能申请延期。")


# -- decide_extension -----------------------------------------------------------------------------


def test_office_approves_the_extension(world):
    s = world.handling()
    ext = request(world, s)
    mark = Mark(s)
    ext = actions.decide_extension(acting_user=world.p.staff, extension=ext, approve=True)
    assert (ext.status, ext.decided_by) == (Extension.Status.APPROVED, world.p.staff)
    s = reload(s)
    assert s.due_at == NEW_DUE
    assert s.due_explanation == (
        "经批准延期至 2026-07-15（原期限：交办日 2026-03-02 + 3 个月 = 2026-06-02）"
    )
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "extend",
        "答复期限由 2026-06-02 延至 2026-07-15",
        "需协调规划部门",
    )
    assert mark.notified() == {"p_unit": [f"延期申请已同意：{TITLE}"]}
    # An extended item is not overdue after its original date.
    assert not s.is_overdue(date(2026, 6, 10))
    assert not Suggestion.objects.overdue(date(2026, 6, 10)).filter(pk=s.pk).exists()
    assert Suggestion.objects.overdue(date(2026, 7, 16)).filter(pk=s.pk).exists()


def test_office_refuses_the_extension_with_a_reason(world):
    s = world.handling()
    ext = request(world, s)
    refused(
        s,
        lambda: actions.decide_extension(acting_user=world.p.staff, extension=ext, approve=False),
        "请写明不同意延期的理由。",
    )
    mark = Mark(s)
    ext = actions.decide_extension(
        acting_user=world.p.staff, extension=ext, approve=False, note="可先行答复"
    )
    assert (ext.status, ext.decision_note) == (Extension.Status.REFUSED, "可先行答复")
    assert reload(s).due_at == date(2026, 6, 2)
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "refuse_extension",
        "不同意延期至 2026-07-15",
        "可先行答复",
    )
    assert mark.notified() == {"p_unit": [f"延期申请未同意：{TITLE}"]}
    refused(
        s,
        lambda: actions.decide_extension(acting_user=world.p.staff, extension=ext, approve=True),
        "该延期申请已审批。",
    )


def test_no_approval_once_answered(world):
    s = world.opinion_given()
    ext = request(world, s)
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft())
    refused(
        s,
        lambda: actions.decide_extension(acting_user=world.p.staff, extension=ext, approve=True),
        "建议已答复，无需延期。",
    )


@pytest.mark.parametrize("who", [*NOT_OFFICE, "co_unit_user"])
def test_only_the_office_decides_extensions(world, who):
    s = world.handling()
    ext = request(world, s)
    refused(
        s,
        lambda: actions.decide_extension(
            acting_user=person(world, who), extension=ext, approve=True
        ),
        "只有代表工作机构可以审批延期。",
        NotAllowed,
    )


# -- extend_deadline (the office on its own authority) --------------------------------------------


@pytest.mark.parametrize("status", ["assigned", "handling"])
def test_office_extends_directly(world, status):
    s = world.in_state(status)
    mark = Mark(s)
    ext = actions.extend_deadline(
        acting_user=world.p.staff, suggestion=s, new_due=date(2026, 8, 3), reason="汛期施工受限"
    )
    assert (ext.status, ext.unit, ext.decided_by) == (
        Extension.Status.APPROVED,
        None,
        world.p.staff,
    )
    assert reload(s).due_at == date(2026, 8, 3)
    event = mark.event()
    assert (event.verb, event.summary) == ("extend", "答复期限由 2026-06-02 延至 2026-08-03")


def test_direct_extension_limits(world):
    s = world.handling(difficult=True)  # already 6 months: nothing beyond it
    refused(
        s,
        lambda: actions.extend_deadline(
            acting_user=world.p.staff, suggestion=s, new_due=date(2026, 9, 3), reason="x"
        ),
        "答复期限最长不得超过交办之日起 6 个月（2026-09-02）。",
    )
    refused(
        s,
        lambda: actions.extend_deadline(
            acting_user=world.p.staff, suggestion=s, new_due=date(2026, 9, 2), reason="x"
        ),
        "延期日期应晚于现答复期限 2026-09-02。",
    )
    t = world.handling()
    refused(
        t,
        lambda: actions.extend_deadline(
            acting_user=world.p.staff, suggestion=t, new_due=NEW_DUE, reason=""
        ),
        "请填写延期理由。",
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s not in ("assigned", "handling")])
def test_direct_extension_only_while_open(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.extend_deadline(
            acting_user=world.p.staff, suggestion=s, new_due=NEW_DUE, reason="x"
        ),
        "当前状态不能延期。",
    )


@pytest.mark.parametrize("who", [*NOT_OFFICE, "co_unit_user"])
def test_only_the_office_extends(world, who):
    s = world.handling()
    refused(
        s,
        lambda: actions.extend_deadline(
            acting_user=person(world, who), suggestion=s, new_due=NEW_DUE, reason="x"
        ),
        "只有代表工作机构可以延期。",
        NotAllowed,
    )
