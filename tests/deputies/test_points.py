"""Points: every rule scores exactly what it counts (made through the real actions), leave and
absence penalties, what does not count, configured rules, bands and who needs a talk."""

from datetime import date
from decimal import Decimal

import pytest

from renda.deputies.models import ActivityKind, PointRule, PointScheme, PointSource
from renda.deputies.points import (
    DEFAULT_RULES,
    band_of,
    compute_all,
    needs_talk,
    points_for,
    quarter_range,
    quarters_of,
    rules,
)
from renda.meetings.models import Meeting
from tests.deputies import points_factories
from tests.deputies.activity_factories import deputy_with_login
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.deputies.points_factories import Q1_DAY, Q2_DAY

pytestmark = pytest.mark.django_db
pw = points_factories.pw  # the fixture

S = PointSource
D = Decimal


def only(points, source: str, units: int, value: str) -> None:
    """The deputy scored on this source alone: its units and points, and nothing else."""
    line = points.lines[source]
    assert (line.units, line.points) == (units, D(value))
    others = {s: (x.units, x.points) for s, x in points.lines.items() if s != source}
    assert all(v == (0, D(0)) for v in others.values()), others
    assert points.period_points == D(value)
    assert points.year_points == D(60) + D(value)


# ---------------------------------------------------------------------------------------------
# The defaults and the periods


def test_defaults_follow_domain_md_and_an_empty_table_scores_by_them(db):
    assert PointRule.objects.count() == 0
    by_source = {r.source: (r.points, r.per, r.is_active) for r in rules()}
    assert set(by_source) == set(S.values)
    assert by_source[S.SUGGESTION_LEAD] == (D(3), "item", True)
    assert by_source[S.VISIT_RESEARCH] == (D(3), "item", True)
    assert by_source[S.SESSION_LEAVE] == (D(-1), "half_day", True)
    assert by_source[S.ABSENCE] == (D(-3), "item", True)
    assert DEFAULT_RULES[S.SUGGESTION_COSIGNED] == (D(1), "item")


def test_quarter_ranges():
    assert quarter_range(2026, 1) == (date(2026, 1, 1), date(2026, 3, 31))
    assert quarter_range(2026, 2) == (date(2026, 4, 1), date(2026, 6, 30))
    assert quarter_range(2024, 1)[1] == date(2024, 3, 31)
    assert quarter_range(2026, 4) == (date(2026, 10, 1), date(2026, 12, 31))
    with pytest.raises(ValueError):
        quarter_range(2026, 5)


def test_a_deputy_with_nothing_has_the_base(pw):
    points = pw.points(pw.zhang)
    assert points.period_points == D(0)
    assert points.year_points == D(60)
    assert points.band == "fair" and points.band_label == "较好"


# ---------------------------------------------------------------------------------------------
# One test per source


def test_suggestion_led_and_registered_scores_3(pw):
    pw.suggestion(pw.zhang)
    only(pw.points(pw.zhang), S.SUGGESTION_LEAD, 1, "3")


def test_a_suggestion_not_registered_does_not_count(pw):
    pw.suggestion(pw.zhang, accept=False)  # submitted, waiting for review
    assert pw.points(pw.zhang).period_points == D(0)


def test_cosigning_scores_1_for_the_cosigner_once_confirmed(pw):
    pw.suggestion(pw.zhang, cosigners=[pw.li])
    only(pw.points(pw.li), S.SUGGESTION_COSIGNED, 1, "1")
    only(pw.points(pw.zhang), S.SUGGESTION_LEAD, 1, "3")


def test_a_declined_cosignature_does_not_count(pw):
    pw.suggestion(pw.zhang, cosigners=[pw.li], confirm=False)
    assert pw.points(pw.li).period_points == D(0)


@pytest.mark.parametrize(
    "kind", [ActivityKind.VISIT, ActivityKind.RESEARCH, ActivityKind.INSPECTION, "inquiry"]
)
def test_visits_research_inspections_and_inquiries_score_3(pw, kind):
    pw.activity(kind, attended=[pw.zhang])
    only(pw.points(pw.zhang), S.VISIT_RESEARCH, 1, "3")


@pytest.mark.parametrize(
    ("kind", "source"),
    [
        (ActivityKind.RECEPTION, S.RECEPTION),
        (ActivityKind.TRAINING, S.TRAINING),
        (ActivityKind.GROUP, S.GROUP_ACTIVITY),
        (ActivityKind.STANDING_COMMITTEE, S.STANDING_COMMITTEE),
    ],
)
def test_receptions_trainings_group_activities_and_standing_committee_score_2(pw, kind, source):
    pw.activity(kind, attended=[pw.zhang])
    only(pw.points(pw.zhang), source, 1, "2")


def test_attending_a_session_scores_nothing(pw):
    pw.activity(ActivityKind.SESSION, attended=[pw.zhang], half_days=4)
    assert pw.points(pw.zhang).period_points == D(0)


def test_granted_leave_from_a_session_costs_1_per_half_day(pw):
    pw.activity(ActivityKind.SESSION, granted=[pw.zhang], half_days=3)
    only(pw.points(pw.zhang), S.SESSION_LEAVE, 3, "-3")


def test_granted_leave_from_another_activity_costs_nothing_and_is_no_absence(pw):
    pw.activity(ActivityKind.VISIT, granted=[pw.zhang], half_days=2)
    points = pw.points(pw.zhang)
    assert points.period_points == D(0)
    assert points.lines[S.ABSENCE].items == 0


def test_absence_without_leave_costs_3(pw):
    pw.activity(ActivityKind.VISIT, absent=[pw.zhang], attended=[pw.li])
    only(pw.points(pw.zhang), S.ABSENCE, 1, "-3")
    only(pw.points(pw.li), S.VISIT_RESEARCH, 1, "3")


def test_refused_leave_and_absent_is_an_absence(pw):
    pw.activity(ActivityKind.TRAINING, refused=[pw.zhang])
    only(pw.points(pw.zhang), S.ABSENCE, 1, "-3")


def test_absent_from_a_session_without_leave_is_an_absence_not_leave(pw):
    pw.activity(ActivityKind.SESSION, absent=[pw.zhang], half_days=4)
    only(pw.points(pw.zhang), S.ABSENCE, 1, "-3")


# ---------------------------------------------------------------------------------------------
# What does not count


def test_activities_not_held_or_cancelled_do_not_count(pw):
    pw.activity(ActivityKind.VISIT, attended=[pw.zhang], held=False)  # attended, not marked held
    cancelled = pw.activity(ActivityKind.TRAINING, attended=[pw.zhang], held=False)
    from renda.deputies import actions_activities

    actions_activities.cancel_activity(acting_user=pw.staff, activity=cancelled, reason="改期")
    assert pw.points(pw.zhang).period_points == D(0)
    assert pw.points(pw.zhang, quarter=None).period_points == D(0)


def test_other_quarters_do_not_count_in_the_quarter_but_do_in_the_year(pw):
    pw.activity(ActivityKind.VISIT, Q1_DAY, attended=[pw.zhang])
    pw.activity(ActivityKind.TRAINING, Q2_DAY, attended=[pw.zhang])
    pw.activity(ActivityKind.VISIT, date(2025, 12, 30), attended=[pw.zhang])  # last year
    q1, q2 = pw.points(pw.zhang, quarter=1), pw.points(pw.zhang, quarter=2)
    assert (q1.period_points, q1.year_points) == (D(3), D(63))
    only_q2 = q2.lines[S.TRAINING].points
    assert (q2.period_points, only_q2, q2.lines[S.VISIT_RESEARCH].items) == (D(2), D(2), 0)
    assert q2.year_points == D(65)  # base + Q1 + Q2; not last December
    year = pw.points(pw.zhang, quarter=None)
    assert (year.period_points, year.year_points) == (D(5), D(65))
    assert [q.year_points for q in quarters_of(pw.zhang.pk, 2026)] == [D(63), D(65), D(65), D(65)]


# ---------------------------------------------------------------------------------------------
# Configured rules


def test_a_saved_rule_overrides_the_default(pw):
    PointRule.objects.create(source=S.VISIT_RESEARCH, points=D("4.5"))
    pw.activity(ActivityKind.VISIT, attended=[pw.zhang])
    pw.activity(ActivityKind.RESEARCH, attended=[pw.zhang])
    only(pw.points(pw.zhang), S.VISIT_RESEARCH, 2, "9.0")


def test_an_inactive_rule_scores_nothing_but_still_counts(pw):
    PointRule.objects.create(source=S.ABSENCE, points=D(-3), is_active=False)
    pw.activity(ActivityKind.VISIT, absent=[pw.zhang])
    points = pw.points(pw.zhang)
    assert (points.lines[S.ABSENCE].items, points.lines[S.ABSENCE].points) == (1, D(0))
    assert points.year_points == D(60)


def test_session_leave_counted_per_item_when_the_rule_says_so(pw):
    PointRule.objects.create(source=S.SESSION_LEAVE, points=D(-2), per="item")
    pw.activity(ActivityKind.SESSION, granted=[pw.zhang], half_days=3)
    only(pw.points(pw.zhang), S.SESSION_LEAVE, 1, "-2")


def test_the_scheme_sets_the_base(pw):
    PointScheme.objects.create(pk=1, base_points=D(50), good_from=D(70), fair_from=D(52))
    pw.activity(ActivityKind.VISIT, attended=[pw.zhang])
    points = pw.points(pw.zhang)
    assert (points.year_points, points.band) == (D(53), "fair")


# ---------------------------------------------------------------------------------------------
# Bands


@pytest.mark.parametrize(
    ("points", "band"),
    [("59.9", "poor"), ("59", "poor"), ("60", "fair"), ("79", "fair"), ("79.9", "fair")]
    + [("80", "good"), ("95", "good")],
)
def test_bands_at_their_boundaries(db, points, band):
    assert band_of(D(points), PointScheme.current()) == band


def test_band_labels_on_computed_points(pw):
    for _ in range(7):  # 60 + 7 × 3 = 81
        pw.suggestion(pw.zhang)
    pw.activity(ActivityKind.VISIT, absent=[pw.li])  # 57
    zhang, li = pw.points(pw.zhang), pw.points(pw.li)
    assert (zhang.year_points, zhang.band, zhang.band_label) == (D(81), "good", "好")
    assert (li.year_points, li.band, li.band_label) == (D(57), "poor", "差")


# ---------------------------------------------------------------------------------------------
# Everybody at once


def test_all_current_district_deputies_in_constant_queries(pw, django_assert_num_queries):
    ended = DeputyFactory(full_name="已离任")
    MandateFactory(
        deputy=ended, ended_on=date(2025, 1, 1), end_reason="resigned", street=pw.org.street
    )
    city = deputy_with_login("市代表", level="municipal")
    pw.activity(ActivityKind.VISIT, attended=[pw.zhang, city], absent=[pw.li])
    with django_assert_num_queries(21):  # rules, scheme, ids, two per source
        few = {p.deputy_id: p for p in compute_all(2026, 2)}
    assert set(few) == {pw.zhang.pk, pw.li.pk}
    assert (few[pw.zhang.pk].year_points, few[pw.li.pk].year_points) == (D(63), D(57))
    for _ in range(5):
        MandateFactory(street=pw.org.street)
    with django_assert_num_queries(21):
        assert len(compute_all(2026, 2)) == 7
    with django_assert_num_queries(12):  # the whole year: one query per source
        assert len(points_for(None, 2026)) == 7


# ---------------------------------------------------------------------------------------------
# Who needs a talk


def test_low_points_need_a_talk(pw):
    pw.activity(ActivityKind.VISIT, absent=[pw.zhang])  # 57 < 60
    [talk] = needs_talk(2026)
    assert talk.deputy_id == pw.zhang.pk
    assert talk.reasons == ["年度积分 57.0 分，低于 60.0 分"]
    assert not talk.mandate_at_risk


def test_two_absences_need_a_talk_even_with_enough_points(pw):
    for _ in range(4):
        pw.suggestion(pw.zhang)  # 72
    pw.activity(ActivityKind.VISIT, Q1_DAY, absent=[pw.zhang])
    pw.activity(ActivityKind.TRAINING, refused=[pw.zhang])  # 66, two absences
    [talk] = needs_talk(2026)
    assert (talk.deputy_id, talk.year_points, talk.absences) == (pw.zhang.pk, D(66), 2)
    assert talk.reasons == ["本年度无故缺席活动 2 次（达到 2 次）"]
    assert needs_talk(2025) == []


def test_one_absence_or_granted_leave_needs_no_talk(pw):
    for _ in range(2):
        pw.suggestion(pw.zhang)
    pw.activity(ActivityKind.VISIT, absent=[pw.zhang])
    pw.activity(ActivityKind.SESSION, granted=[pw.zhang], half_days=2)
    assert needs_talk(2026) == []  # 60 + 6 − 3 − 2 = 61, one absence


def test_two_sessions_missed_without_leave_is_the_statutory_case(pw):
    for _ in range(5):
        pw.suggestion(pw.zhang)
    first = Meeting.objects.create(kind="congress", term_number=18, number=5, date=Q1_DAY)
    second = Meeting.objects.create(kind="congress", term_number=18, number=6, date=Q2_DAY)
    # Two days of the first session missed count as one session.
    pw.activity(ActivityKind.SESSION, Q1_DAY, absent=[pw.zhang], meeting=first)
    pw.activity(ActivityKind.SESSION, date(2026, 2, 11), absent=[pw.zhang], meeting=first)
    talks = needs_talk(2026)
    assert [t.session_absences for t in talks] == [1]
    assert not talks[0].mandate_at_risk
    pw.activity(ActivityKind.SESSION, Q2_DAY, absent=[pw.zhang], meeting=second)
    [talk] = needs_talk(2026)
    assert talk.session_absences == 2 and talk.mandate_at_risk
    assert talk.reasons[-1].startswith("未经批准两次不出席本级人民代表大会会议（2 次）")
    assert "代表法第六十二条" in talk.reasons[-1]


def test_needs_talk_in_constant_queries(pw, django_assert_num_queries):
    pw.activity(ActivityKind.VISIT, absent=[pw.zhang, pw.li])
    with django_assert_num_queries(14):  # rules, scheme, ids, sources, absences, sessions
        assert len(needs_talk(2026)) == 2
    for _ in range(4):
        MandateFactory(street=pw.org.street)
    with django_assert_num_queries(14):
        assert len(needs_talk(2026)) == 2
