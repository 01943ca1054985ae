"""Answering (lead or separate units), returning a draft answer, correcting its category, and
closing."""

from datetime import date

import pytest

from renda.core.errors import NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import Answer, AnswerCategory, Status
from tests.suggestions.factories import (
    NOT_OFFICE,
    Mark,
    answer_category,
    answer_draft,
    at,
    frozen,  # noqa: F401  (fixture)
    person,
    refused,
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TITLE = "第1号 关于解决老旧小区停车难的建议"
WITHOUT_SIGNED_PART = ["draft", "submitted", "declined", "merged", "accepted", "assigned"]


def answer(world, s, code="A", who=None, **overrides):
    return actions.answer(
        acting_user=who or world.p.unit, suggestion=s, draft=answer_draft(code, **overrides)
    )


# -- answer: lead and co-units --------------------------------------------------------------------


def test_lead_unit_answers_after_the_co_units_opinion(world):
    s = world.opinion_given(cosign=True)
    mark = Mark(s)
    record = answer(world, s, "B", is_face_to_face=True)
    assert (record.unit, record.round, record.status, record.category.code) == (
        world.org.unit,
        1,
        Answer.Status.SENT,
        "B",
    )
    assert (record.answered_on, record.is_follow_up, record.is_face_to_face) == (
        date(2026, 3, 2),
        False,
        True,
    )
    assert record.document_number == "泉住建函〔2026〕12号"
    s = reload(s)
    assert s.status == Status.ANSWERED
    assert (s.first_answered_on, s.answered_on_time) == (date(2026, 3, 2), True)
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("answer", "handling", "answered")
    assert event.summary == "区住房和城乡建设局答复（B类）"
    # Each signer gets the answer; the office its copy.
    assert mark.notified() == {
        "p_deputy": [f"您的建议已答复：{TITLE}"],
        "p_cosigner": [f"您的建议已答复：{TITLE}"],
        "p_staff": [f"区住房和城乡建设局已答复：{TITLE}"],
    }


def test_lead_waits_for_the_co_units_opinion(world):
    s = world.handling()
    refused(s, lambda: answer(world, s), "协办单位尚未提交会办意见：区城市管理局。")


def test_lead_without_co_units_answers_at_once(world):
    s = world.handling(co_unit=False)
    answer(world, s)
    assert reload(s).status == Status.ANSWERED


def test_answer_after_the_deadline_is_late(world, time_machine):
    s = world.opinion_given()
    assert s.due_at == date(2026, 6, 2)
    time_machine.move_to(at(date(2026, 6, 3)), tick=False)
    answer(world, s)
    assert reload(s).answered_on_time is False


def test_answer_on_the_due_date_is_on_time(world, time_machine):
    s = world.opinion_given()
    time_machine.move_to(at(date(2026, 6, 2)), tick=False)
    answer(world, s)
    assert reload(s).answered_on_time is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": " "}, "答复内容不完整：请填写答复内容。"),
        ({"signer": "", "contact_phone": ""}, "答复内容不完整：请填写签发人；请填写联系电话。"),
        ({"contact_person": ""}, "答复内容不完整：请填写联系人。"),
    ],
)
def test_incomplete_answers_are_refused(world, overrides, message):
    s = world.opinion_given()
    error = refused(s, lambda: answer(world, s, **overrides), message)
    assert set(error.field_errors) == set(overrides)


def test_inactive_answer_category_is_refused(world):
    s = world.opinion_given()
    AnswerCategory.objects.filter(code="D").update(is_active=False)
    refused(s, lambda: answer(world, s, "D"), "该答复类别已停用。")


@pytest.mark.parametrize("status", WITHOUT_SIGNED_PART)
def test_no_answer_without_a_signed_answering_part(world, status):
    s = world.in_state(status)
    refused(s, lambda: answer(world, s), "只有已签收的主办单位（或分办单位）可以答复。", NotAllowed)


@pytest.mark.parametrize("status", ["answered", "closed"])
def test_answer_refused_when_not_owed(world, status):
    s = world.in_state(status)
    refused(s, lambda: answer(world, s), f"当前状态为“{Status(status).label}”，不能答复。")


@pytest.mark.parametrize(
    "who", ["co_unit_user", "staff", "admin", "leader", "deputy", "cosigner", "street"]
)
def test_only_the_lead_unit_answers(world, who):
    s = world.opinion_given(cosign=True)
    refused(
        s,
        lambda: answer(world, s, who=person(world, who)),
        "只有已签收的主办单位（或分办单位）可以答复。",
        NotAllowed,
    )


# -- answer: separate handling ---------------------------------------------------------------------


def separate(world, **kw):
    s = world.assigned(separate=True, **kw)
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    actions.sign_for(
        acting_user=world.co_unit_user, assignment=world.assignment(s, world.org.other_unit)
    )
    return reload(s)


def test_separate_handling_is_answered_when_every_unit_has_answered(world):
    s = separate(world)
    mark = Mark(s)
    answer(world, s, "A")
    s = reload(s)
    assert s.status == Status.HANDLING and s.first_answered_on is None
    event = mark.event()
    assert event.summary == "区住房和城乡建设局答复（A类），待其他分办单位答复"
    assert (event.from_state, event.to_state) == ("", "")
    assert mark.notified() == {}  # the deputy hears once, when the answer is complete
    refused(s, lambda: answer(world, s), "本单位本轮已答复，请等待代表评价。")
    mark = Mark(s)
    answer(world, s, "B", who=world.co_unit_user)
    assert reload(s).status == Status.ANSWERED
    assert mark.event().summary == "区城市管理局答复（B类）"
    assert "p_deputy" in mark.notified()


def test_in_follow_up_only_the_unit_whose_answer_needs_it_answers_again(world):
    s = separate(world)
    answer(world, s, "A")
    answer(world, s, "B", who=world.co_unit_user)
    actions.rate(acting_user=world.p.deputy, suggestion=s, attitude="satisfied", result="satisfied")
    s = reload(s)
    assert s.status == Status.FOLLOW_UP
    refused(s, lambda: answer(world, s), "本单位的答复无需跟踪落实，不必再次答复。")
    mark = Mark(s)
    record = answer(world, s, "A", who=world.co_unit_user)
    assert record.is_follow_up and record.round == 2
    assert reload(s).status == Status.ANSWERED
    assert mark.event().summary == "区城市管理局报告落实情况并再次答复（A类）"
    # The earlier B answer of that unit is superseded; the other unit's A answer stands.
    assert set(s.answers.values_list("unit__name", "round", "status")) == {
        ("区住房和城乡建设局", 1, "sent"),
        ("区城市管理局", 1, "superseded"),
        ("区城市管理局", 2, "sent"),
    }


# -- answer: follow-up ----------------------------------------------------------------------------


def test_follow_up_answer_when_actually_solved(world):
    s = world.follow_up()
    assert s.round == 2
    mark = Mark(s)
    record = answer(world, s, "A")
    assert record.is_follow_up and record.round == 2
    s = reload(s)
    assert s.status == Status.ANSWERED
    event = mark.event()
    assert (event.from_state, event.to_state) == ("follow_up", "answered")
    assert event.summary == "区住房和城乡建设局报告落实情况并再次答复（A类）"
    assert s.answers.get(round=1).status == Answer.Status.SUPERSEDED


# -- return_answer --------------------------------------------------------------------------------


def test_office_returns_an_answer_for_redrafting(world):
    s = world.answered()
    due = s.due_at
    mark = Mark(s)
    actions.return_answer(
        acting_user=world.p.staff, suggestion=s, reason="未与代表沟通", version=s.version
    )
    s = reload(s)
    assert s.status == Status.HANDLING and s.due_at == due  # the deadline is unchanged
    returned = s.answers.get()
    assert (returned.status, returned.return_reason) == (Answer.Status.RETURNED, "未与代表沟通")
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "return_answer",
        "answered",
        "handling",
        "未与代表沟通",
    )
    assert mark.notified() == {"p_unit": [f"答复被退回，请重新办理：{TITLE}"]}
    # The unit answers again; the first answer date (on-time rate) stays the first one.
    answer(world, s, "B")
    s = reload(s)
    assert s.status == Status.ANSWERED and s.first_answered_on == date(2026, 3, 2)


def test_a_returned_follow_up_answer_goes_back_to_follow_up(world):
    s = world.follow_up()
    answer(world, s, "A")
    actions.return_answer(acting_user=world.p.staff, suggestion=s, reason="尚未实际完成")
    s = reload(s)
    assert s.status == Status.FOLLOW_UP  # not handling: its deadline passed long ago
    record = answer(world, s, "A")
    assert record.is_follow_up and reload(s).status == Status.ANSWERED


def test_return_needs_a_reason(world):
    s = world.answered()
    refused(
        s,
        lambda: actions.return_answer(acting_user=world.p.staff, suggestion=s, reason=""),
        "请填写退回理由。",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_returns_answers(world, who):
    s = world.answered()
    refused(
        s,
        lambda: actions.return_answer(acting_user=person(world, who), suggestion=s, reason="x"),
        "只有代表工作机构可以退回答复。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.ANSWERED])
def test_return_refused_outside_answered(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.return_answer(acting_user=world.p.staff, suggestion=s, reason="x"),
        f"当前状态为“{Status(status).label}”，不能退回答复。",
    )


# -- correct_category -----------------------------------------------------------------------------


def test_office_corrects_the_category_and_the_units_stays_on_record(world):
    s = world.answered("B")
    record = s.answers.get()
    mark = Mark(s)
    actions.correct_category(
        acting_user=world.p.staff, answer=record, category=answer_category("C"), note="尚无计划"
    )
    record.refresh_from_db()
    assert (record.category.code, record.original_category.code) == ("C", "B")
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "correct_category",
        "答复类别由 B 更正为 C",
        "尚无计划",
    )
    # A second correction keeps what the unit marked, not the first correction.
    actions.correct_category(
        acting_user=world.p.staff, answer=record, category=answer_category("A")
    )
    record.refresh_from_db()
    assert (record.category.code, record.original_category.code) == ("A", "B")
    # The corrected category decides what the rating leads to: A closes.
    actions.rate(acting_user=world.p.deputy, suggestion=s, attitude="satisfied", result="satisfied")
    assert reload(s).status == Status.CLOSED


def test_correct_category_in_follow_up(world):
    s = world.follow_up()
    record = s.answers.get()
    actions.correct_category(
        acting_user=world.p.staff, answer=record, category=answer_category("C")
    )
    assert Answer.objects.get(pk=record.pk).category.code == "C"


def test_correct_category_refusals(world):
    s = world.answered("B")
    record = s.answers.get()
    refused(
        s,
        lambda: actions.correct_category(
            acting_user=world.p.staff, answer=record, category=answer_category("B")
        ),
        "类别未改变。",
    )
    actions.return_answer(acting_user=world.p.staff, suggestion=s, reason="重写")
    refused(
        s,
        lambda: actions.correct_category(
            acting_user=world.p.staff, answer=record, category=answer_category("A")
        ),
        "只能更正现行答复的类别。",
    )
    closed = world.closed()
    refused(
        closed,
        lambda: actions.correct_category(
            acting_user=world.p.staff,
            answer=closed.answers.get(),
            category=answer_category("B"),
        ),
        "当前状态不能更正答复类别。",
    )


@pytest.mark.parametrize("who", [*NOT_OFFICE, "co_unit_user"])
def test_only_the_office_corrects_categories(world, who):
    s = world.answered("B")
    refused(
        s,
        lambda: actions.correct_category(
            acting_user=person(world, who), answer=s.answers.get(), category=answer_category("A")
        ),
        "只有代表工作机构可以更正答复类别。",
        NotAllowed,
    )


# -- close ----------------------------------------------------------------------------------------


def test_office_closes_an_answered_suggestion(world):
    s = world.answered()
    mark = Mark(s)
    actions.close(acting_user=world.p.staff, suggestion=s, note="代表逾期未评价", version=s.version)
    s = reload(s)
    assert s.status == Status.CLOSED and s.closed_at is not None
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "close",
        "answered",
        "closed",
        "代表逾期未评价",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_closes(world, who):
    s = world.answered()
    refused(
        s,
        lambda: actions.close(acting_user=person(world, who), suggestion=s),
        "只有代表工作机构可以办结。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.ANSWERED])
def test_close_refused_outside_answered(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.close(acting_user=world.p.staff, suggestion=s),
        f"当前状态为“{Status(status).label}”，不能办结。",
    )
