"""The deputy's rating (SD 23, 24), escalation after repeated 不满意, follow-up, and the
face-to-face confirmation (SD 20)."""

from datetime import date

import pytest

from renda.core.errors import NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import HandlingRules, Rating, Status
from tests.suggestions.factories import (
    Mark,
    answer_draft,
    at,
    frozen,  # noqa: F401  (fixture)
    person,
    refused,
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TITLE = "第1号 关于解决老旧小区停车难的建议"


def rate(world, s, attitude="satisfied", result="satisfied", who=None, **kw):
    return actions.rate(
        acting_user=who or world.p.deputy, suggestion=s, attitude=attitude, result=result, **kw
    )


def not_satisfied(world, s, comment="停车位仍然不足。"):
    return rate(world, s, result="not_satisfied", comment=comment)


def answer_again(world, s, code="A"):
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft(code))
    return reload(s)


# -- satisfied ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "result", "status"),
    [
        ("A", "satisfied", Status.CLOSED),
        ("D", "basically", Status.CLOSED),
        ("B", "satisfied", Status.FOLLOW_UP),
        ("C", "basically", Status.FOLLOW_UP),
    ],
)
def test_satisfied_closes_or_enters_follow_up_by_category(world, code, result, status):
    s = world.answered(code)
    mark = Mark(s)
    rating = rate(world, s, attitude="basically", result=result, comment="答复及时")
    assert (rating.round, rating.attitude, rating.result, rating.rated_by) == (
        1,
        "basically",
        result,
        world.p.deputy,
    )
    s = reload(s)
    assert s.status == status and s.not_satisfied_streak == 0
    assert s.round == (2 if status == Status.FOLLOW_UP else 1)
    assert (s.closed_at is not None) == (status == Status.CLOSED)
    event = mark.event()
    label = f"态度基本满意、结果{'满意' if result == 'satisfied' else '基本满意'}"
    tail = "办结" if status == Status.CLOSED else "列入跟踪落实"
    assert (event.verb, event.from_state, event.to_state) == ("rate", "answered", status)
    assert event.summary == f"代表评价：{label}；{tail}"
    assert event.data == {"attitude": "basically", "result": result}
    assert mark.notified() == {
        "p_unit": [f"代表已评价（{label}）：{TITLE}"],
        "p_staff": [f"代表已评价（{label}）：{TITLE}"],
    }


def test_follow_up_answer_then_rating_closes(world):
    s = world.follow_up()
    s = answer_again(world, s, "A")
    rate(world, s)
    s = reload(s)
    assert s.status == Status.CLOSED
    assert list(s.ratings.values_list("round", flat=True)) == [1, 2]


# -- not satisfied --------------------------------------------------------------------------------


def test_not_satisfied_reopens_handling_with_one_month(world):
    s = world.answered("B")
    mark = Mark(s)
    not_satisfied(world, s)
    s = reload(s)
    assert (s.status, s.round, s.not_satisfied_streak, s.is_escalated) == (
        Status.HANDLING,
        2,
        1,
        False,
    )
    assert s.due_at == date(2026, 4, 2)
    assert s.due_explanation == "不满意反馈日 2026-03-02 + 1 个月 = 2026-04-02"
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("rate", "answered", "handling")
    assert event.summary == "代表评价：态度满意、结果不满意，重新办理"
    assert event.note == "停车位仍然不足。"
    body_titles = [f"代表不满意，请重新办理：{TITLE}"]
    assert mark.notified() == {"p_unit": body_titles, "p_staff": body_titles}
    # The unit answers again within the new deadline.
    s = answer_again(world, s, "A")
    assert s.status == Status.ANSWERED and s.answers.filter(round=2).exists()


def test_rehandling_deadline_is_counted_on_the_work_calendar(world, time_machine):
    s = world.answered("B")
    time_machine.move_to(at(date(2026, 9, 1)), tick=False)
    not_satisfied(world, s)
    s = reload(s)
    # 2026-10-01 falls in the National Day holiday (10-01 … 10-07).
    assert s.due_at == date(2026, 10, 8)
    assert s.due_explanation == (
        "不满意反馈日 2026-09-01 + 1 个月 = 2026-10-01，逢国庆节假期顺延至 2026-10-08"
    )


def test_not_satisfied_attitude_alone_also_reopens(world):
    s = world.answered()
    rate(world, s, attitude="not_satisfied", result="satisfied", comment="态度敷衍")
    assert reload(s).status == Status.HANDLING


def test_two_in_a_row_are_escalated_to_the_leaders_once(world):
    s = world.answered("B")
    not_satisfied(world, s)
    s = answer_again(world, s, "B")
    mark = Mark(s)
    not_satisfied(world, s, "仍未解决。")
    s = reload(s)
    assert (s.not_satisfied_streak, s.is_escalated, s.round) == (2, True, 3)
    assert mark.notified()["p_leader"] == [f"代表连续2次不满意：{TITLE}"]
    s = answer_again(world, s, "B")
    mark = Mark(s)
    not_satisfied(world, s, "第三次仍未解决。")
    assert reload(s).not_satisfied_streak == 3
    assert "p_leader" not in mark.notified()  # told once


def test_a_satisfied_rating_breaks_the_streak(world):
    s = world.answered("B")
    not_satisfied(world, s)
    s = answer_again(world, s, "B")
    rate(world, s)  # satisfied, B -> follow-up
    s = reload(s)
    assert (s.status, s.not_satisfied_streak) == (Status.FOLLOW_UP, 0)
    s = answer_again(world, s, "B")
    not_satisfied(world, s)
    s = reload(s)
    assert (s.not_satisfied_streak, s.is_escalated) == (1, False)


def test_escalation_threshold_is_configurable(world):
    rules = HandlingRules.current()
    rules.escalate_after_not_satisfied = 1
    rules.save()
    s = world.answered()
    mark = Mark(s)
    not_satisfied(world, s)
    assert reload(s).is_escalated and "p_leader" in mark.notified()


# -- refusals -------------------------------------------------------------------------------------


def test_not_satisfied_needs_a_specific_comment(world):
    s = world.answered()
    error = refused(
        s,
        lambda: rate(world, s, result="not_satisfied", comment="  "),
        "选择“不满意”时，请写明具体意见。",
    )
    assert error.field_errors == {"comment": "请写明不满意的具体意见"}


def test_joint_suggestion_needs_the_cosigners_consulted(world):
    s = world.answered(cosign=True)
    refused(
        s,
        lambda: rate(world, s),
        "联名建议须由领衔代表征求联名代表意见后统一反馈，请确认已征求意见。",
    )
    rating = rate(world, s, cosigners_consulted=True)
    assert rating.cosigners_consulted


def test_a_cosigner_who_declined_need_not_be_consulted(world):
    s = world.submitted(cosign=True)
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=False)
    actions.accept(acting_user=world.p.staff, suggestion=s)
    actions.assign(
        acting_user=world.p.staff,
        suggestion=s,
        plan=actions.AssignmentPlan(mode="lead", lead_unit=world.org.unit),
    )
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    s = answer_again(world, s)
    rate(world, s)
    assert reload(s).status == Status.CLOSED


@pytest.mark.parametrize(
    ("attitude", "result"), [("good", "satisfied"), ("satisfied", ""), ("", "")]
)
def test_both_ratings_are_required(world, attitude, result):
    s = world.answered()
    refused(
        s,
        lambda: rate(world, s, attitude=attitude, result=result),
        "请对办理态度和办理结果分别作出评价。",
    )


@pytest.mark.parametrize(
    "who", ["cosigner", "staff", "admin", "leader", "unit", "street", "social_staff"]
)
def test_only_the_lead_deputy_rates(world, who):
    s = world.answered(cosign=True)
    refused(
        s,
        lambda: rate(world, s, who=person(world, who), cosigners_consulted=True),
        "只有领衔代表可以评价办理情况。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.ANSWERED])
def test_rating_refused_outside_answered(world, status):
    s = world.in_state(status)
    refused(s, lambda: rate(world, s), f"当前状态为“{Status(status).label}”，不能评价。")


def test_a_round_is_rated_once(world):
    s = world.answered()
    rate(world, s)
    assert Rating.objects.filter(suggestion=s).count() == 1
    refused(s, lambda: rate(world, s), "当前状态为“已办结”，不能评价。")


# -- confirm_face_to_face -------------------------------------------------------------------------


def face_to_face(world):
    s = world.opinion_given()
    record = actions.answer(
        acting_user=world.p.unit, suggestion=s, draft=answer_draft(is_face_to_face=True)
    )
    return reload(s), record


def test_deputy_confirms_a_face_to_face_answer(world):
    s, record = face_to_face(world)
    mark = Mark(s)
    confirmed = actions.confirm_face_to_face(acting_user=world.p.deputy, answer=record)
    assert confirmed.face_to_face_confirmed_at is not None
    event = mark.event()
    assert (event.verb, event.summary) == ("confirm_face_to_face", "代表确认当面答复")
    assert reload(s).status == Status.ANSWERED  # confirming is not rating
    refused(
        s,
        lambda: actions.confirm_face_to_face(acting_user=world.p.deputy, answer=record),
        "已确认过当面答复。",
    )


def test_only_a_face_to_face_answer_is_confirmed(world):
    s = world.answered()
    refused(
        s,
        lambda: actions.confirm_face_to_face(acting_user=world.p.deputy, answer=s.answers.get()),
        "这份答复不是待确认的当面答复。",
    )


@pytest.mark.parametrize("who", ["cosigner", "staff", "unit", "leader"])
def test_only_the_lead_deputy_confirms(world, who):
    s, record = face_to_face(world)
    refused(
        s,
        lambda: actions.confirm_face_to_face(acting_user=person(world, who), answer=record),
        "只有领衔代表可以确认当面答复。",
        NotAllowed,
    )
