"""The session statistics, from a session built by hand through the real actions: every figure is
worked out here from what was done, then compared."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from renda.suggestions import actions
from renda.suggestions.models import Suggestion
from renda.suggestions.statistics import chart_data, session_statistics, statistics_sessions
from tests.suggestions.factories import answer_category, answer_draft

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ASSIGNED = datetime(2026, 3, 2, 10, tzinfo=SHANGHAI)  # due 2026-06-02
LATE = datetime(2026, 7, 15, 10, tzinfo=SHANGHAI)
STATS_DAY = date(2026, 8, 20)


def separate_answered(world, code: str) -> Suggestion:
    s = world.handling(separate=True)
    for user in (world.p.unit, world.co_unit_user):
        actions.answer(acting_user=user, suggestion=s, draft=answer_draft(code))
    return Suggestion.objects.get(pk=s.pk)


@pytest.fixture
def session(world, time_machine):
    """Eight numbered suggestions, one of each kind the rates treat differently."""
    time_machine.move_to(ASSIGNED, tick=False)
    made = {
        "closed_a": world.rated("satisfied", code="A"),
        "follow_up_b": world.rated("basically", code="B"),
        "late_c": world.opinion_given(),
        "overdue": world.assigned(),
        "accepted": world.accepted(),
        "separate_d": separate_answered(world, "D"),
    }
    merged = world.submitted(title="关于增设老旧小区停车位的建议")
    made["merged"] = actions.merge(
        acting_user=world.p.staff, suggestion=merged, into=made["overdue"]
    )
    declined = world.submitted(title="关于调整个人所得税起征点的建议")
    actions.decline(acting_user=world.p.staff, suggestion=declined, reason="不属于本级职权")
    world.draft(title="尚未提交的草稿")
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=made["overdue"],
        leader=world.p.leader,
        office=world.org.deputy_office,
    )

    time_machine.move_to(LATE, tick=False)
    late = made["late_c"]
    actions.answer(acting_user=world.p.unit, suggestion=late, draft=answer_draft("C"))
    actions.rate(
        acting_user=world.p.deputy,
        suggestion=late,
        attitude="satisfied",
        result="not_satisfied",
        comment="答复没有回应停车位不足的问题。",
    )
    made["not_due"] = world.assigned()  # due in October: not counted by the on-time rate
    return {key: Suggestion.objects.get(pk=s.pk) for key, s in made.items()}


def test_counts_by_state_and_category_cover_numbered_suggestions_once(session):
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert stats.total == 8  # seven registered + one merged; declined and draft are not counted
    assert stats.by_state == (
        ("待交办", 1),
        ("待签收", 2),
        ("办理中", 1),
        ("已答复", 1),
        ("跟踪落实", 1),
        ("已办结", 1),
        ("已并案", 1),
    )
    assert stats.by_category == (("城乡建设", 8),)
    assert stats.by_answer_category == (
        ("A", "已经解决或基本解决", 1),
        ("B", "正在解决或列入计划逐步解决", 1),
        ("C", "因条件限制需待以后解决", 1),
        ("D", "留作参考", 2),
    )


def test_on_time_rate_counts_open_overdue_as_late(session):
    assert session["late_c"].answered_on_time is False
    assert session["overdue"].due_at < STATS_DAY and session["not_due"].due_at > STATS_DAY
    # Reopened after 不满意 and past its new deadline: its first answer already counted (late).
    assert session["late_c"].status == "handling" and session["late_c"].due_at < STATS_DAY
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    # On time: closed A, follow-up B, separate D. Late: C (answered late), the open overdue one.
    assert (stats.on_time_rate.numerator, stats.on_time_rate.denominator) == (3, 5)
    assert str(stats.on_time_rate) == "60%（3/5）"


def test_on_time_rate_before_the_deadline_passes(session):
    before_due = date(2026, 5, 1)
    stats = session_statistics(term_number=18, session_number=5, today=before_due)
    # Nothing open is overdue yet: only the answered ones are counted.
    assert (stats.on_time_rate.numerator, stats.on_time_rate.denominator) == (3, 4)


def test_satisfaction_uses_each_suggestions_latest_rating(session, world):
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert (stats.satisfaction_rate.numerator, stats.satisfaction_rate.denominator) == (2, 3)
    # The unit answers again and the deputy is now satisfied: the 不满意 no longer counts.
    late = session["late_c"]
    actions.answer(acting_user=world.p.unit, suggestion=late, draft=answer_draft("A"))
    actions.rate(
        acting_user=world.p.deputy, suggestion=late, attitude="satisfied", result="satisfied"
    )
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert (stats.satisfaction_rate.numerator, stats.satisfaction_rate.denominator) == (3, 3)
    # …and its current answer is now A: solved.
    assert (stats.solved_rate.numerator, stats.solved_rate.denominator) == (2, 4)


def test_solved_rates_use_the_current_answer_categories(session, world):
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert (stats.solved_rate.numerator, stats.solved_rate.denominator) == (1, 4)
    assert (stats.solved_or_planned_rate.numerator, stats.solved_or_planned_rate.denominator) == (
        2,
        4,
    )
    # The office corrects the B answer to A: it now counts as solved.
    b_answer = session["follow_up_b"].answers.get(status="sent")
    actions.correct_category(
        acting_user=world.p.staff,
        answer=b_answer,
        category=answer_category("A"),
    )
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert stats.solved_rate.numerator == 2 and stats.solved_or_planned_rate.numerator == 2


def test_unit_rows(session, world):
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    rows = {row.unit_name: row for row in stats.units}
    assert set(rows) == {world.org.unit.name, world.org.other_unit.name}
    lead = rows[world.org.unit.name]
    # Lead on five, one part of the separate one; the merged one is handled with its main.
    assert (lead.assigned, lead.answered, lead.answered_on_time, lead.overdue_open) == (6, 4, 3, 1)
    assert (lead.satisfied, lead.basically_satisfied, lead.not_satisfied) == (1, 1, 1)
    assert str(lead.on_time_rate) == "60%（3/5）"
    # A co-unit (协办) does not answer the deputy: only its separate part is its own.
    other = rows[world.org.other_unit.name]
    assert (other.assigned, other.answered, other.answered_on_time, other.overdue_open) == (
        1,
        1,
        1,
        0,
    )
    assert (other.satisfied, other.basically_satisfied, other.not_satisfied) == (0, 0, 0)
    assert str(other.satisfaction_rate) == "—"


def test_a_withdrawn_assignment_leaves_the_old_units_row(world, time_machine):
    time_machine.move_to(ASSIGNED, tick=False)
    s = world.assigned(co_unit=False)
    lead = world.assignment(s, world.org.unit)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="不属于本单位职责")
    actions.decide_adjustment(
        acting_user=world.p.staff, assignment=lead, reassign_to=world.org.other_unit
    )
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert [(u.unit_name, u.assigned, u.overdue_open) for u in stats.units] == [
        (world.org.other_unit.name, 1, 1)
    ]


def test_key_suggestions(session, world):
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    overdue = session["overdue"]
    assert stats.key_suggestions == (
        (
            overdue.number,
            overdue.title,
            f"{world.org.unit.name}（主办）、{world.org.other_unit.name}（协办）",
            "待签收",
        ),
    )


def test_a_session_without_suggestions(world):
    world.draft()  # a draft is not in the register
    stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert stats.total == 0 and stats.by_state == () and stats.units == ()
    for rate in (
        stats.on_time_rate,
        stats.satisfaction_rate,
        stats.solved_rate,
        stats.solved_or_planned_rate,
    ):
        assert str(rate) == "—" and rate.percent is None
    assert statistics_sessions() == []
    assert chart_data(stats)["rates"][0] == {"name": "按期答复率", "value": None}


def test_other_sessions_are_not_counted(session, world):
    world.accepted(session_number=6)
    assert statistics_sessions() == [(18, 6), (18, 5)]
    assert session_statistics(term_number=18, session_number=6, today=STATS_DAY).total == 1
    assert session_statistics(term_number=18, session_number=5, today=STATS_DAY).total == 8


def test_query_count_does_not_grow_with_suggestions(session, world, django_assert_num_queries):
    with django_assert_num_queries(8) as few:
        session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    for _ in range(3):
        world.rated("satisfied", code="A")
        s = world.assigned()
        actions.flag_key(
            acting_user=world.p.leader,
            suggestion=s,
            leader=world.p.leader,
            office=world.org.deputy_office,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        stats = session_statistics(term_number=18, session_number=5, today=STATS_DAY)
    assert stats.total == 14 and len(stats.key_suggestions) == 4


def test_chart_data(session):
    data = chart_data(session_statistics(term_number=18, session_number=5, today=STATS_DAY))
    assert {"name": "已并案", "value": 1} in data["byState"]
    assert data["rates"][0] == {"name": "按期答复率", "value": 60.0}
    index = data["units"]["names"].index("区住房和城乡建设局")
    assert data["units"]["onTime"][index] == 3
    assert data["units"]["late"][index] == 1
    assert data["units"]["overdue"][index] == 1
