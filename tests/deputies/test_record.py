"""The performance record's reading: each section counts the right rows, agrees with the point
sources, and takes a constant number of queries."""

from datetime import date

import pytest

from renda.deputies import sources
from renda.deputies.models import PointSource
from renda.deputies.queries_record import (
    ABSENT,
    ATTENDED,
    LEAVE,
    Tally,
    parse_year,
    public_deputies,
    record_of,
    record_summaries,
    record_years,
)
from renda.suggestions.models import Status
from tests.deputies.activity_factories import deputy_with_login
from tests.deputies.factories import MandateFactory
from tests.deputies.record_factories import YEAR, held

# The record fixture (not in the package's conftest, which other helpers own).

pytestmark = pytest.mark.django_db


def test_meetings_are_sessions_and_standing_committee_with_attendance_and_leave(record_world):
    r = record_of(record_world.zhang, YEAR)
    assert [(m.kind, m.outcome) for m in r.meetings] == [
        ("session", ATTENDED),
        ("standing_committee", LEAVE),
    ]
    # The meetings app's meeting is named through the activity linked to it.
    assert r.meetings[0].meeting == "第十八届人民代表大会第五次会议"
    assert r.meetings[1].meeting == "第十八届人大常委会第20次会议"
    assert r.summary.meetings == Tally(attended=1, leave=1, absent=0)


def test_leave_for_a_session_counts_its_half_days(record_world):
    li = record_of(record_world.li, YEAR)
    assert [(m.kind, m.outcome) for m in li.meetings] == [
        ("session", LEAVE),
        ("standing_committee", ATTENDED),
    ]
    assert li.summary.session_leave_half_days == 4
    wang = record_of(record_world.wang, YEAR)
    assert wang.summary.meetings == Tally(attended=0, leave=0, absent=1)


def test_activities_by_kind_with_absence_after_refused_leave(record_world):
    r = record_of(record_world.zhang, YEAR)
    assert [(a.title, a.outcome) for a in r.activities] == [
        ("视察老旧小区", ATTENDED),
        ("调研停车", ABSENT),  # asked for leave, refused, did not come
        ("小组学习", ATTENDED),
    ]
    assert [(k.kind, k.tally) for k in r.activity_kinds] == [
        ("visit", Tally(1, 0, 0)),
        ("research", Tally(0, 0, 1)),
        ("group", Tally(1, 0, 0)),
    ]
    assert r.summary.activities == Tally(attended=2, leave=0, absent=1)
    assert r.summary.absences == 1


def test_cancelled_unheld_and_other_years_activities_are_not_in_the_record(record_world):
    titles = {a.title for a in record_of(record_world.zhang, YEAR).activities}
    assert "视察老旧小区改造" not in titles  # invited, never held
    assert "取消的视察" not in titles
    assert "去年视察" not in titles
    last_year = record_of(record_world.zhang, YEAR - 1)
    assert [a.title for a in last_year.activities] == ["去年视察"]
    assert last_year.summary.meetings == Tally()


def test_receptions_at_the_station_with_the_opinions_received(record_world):
    r = record_of(record_world.zhang, YEAR)
    assert [(x.station, x.outcome, x.opinions) for x in r.receptions] == [
        ("泉城路街道代表联络站", ATTENDED, 2)
    ]
    # Two at the reception, one on another day; last year's not counted.
    assert r.summary.opinions_received == 3
    assert record_of(record_world.li, YEAR).receptions[0].opinions == 1


def test_trainings(record_world):
    r = record_of(record_world.zhang, YEAR)
    assert [(t.title, t.outcome) for t in r.trainings] == [("履职培训", ATTENDED)]
    assert record_of(record_world.li, YEAR).trainings == []


def test_suggestions_led_count_registered_ones_only(record_world):
    r = record_of(record_world.zhang, YEAR)
    led = record_world.led
    assert {s.suggestion_id for s in r.suggestions_led} == {
        led["accepted"].pk,
        led["cosigned_by_li"].pk,
    }
    for name in ("draft", "submitted", "declined", "last_year"):
        assert led[name].pk not in {s.suggestion_id for s in r.suggestions_led}, name
    row = next(s for s in r.suggestions_led if s.suggestion_id == led["accepted"].pk)
    assert row.number == led["accepted"].number and row.number_text.startswith("第")
    assert row.status == Status.ACCEPTED and row.status_name == "待交办"
    assert r.summary.suggestions_led == 2


def test_cosigned_counts_confirmed_signatures_only(record_world):
    r = record_of(record_world.zhang, YEAR)
    assert [(s.suggestion_id, s.lead_deputy) for s in r.suggestions_cosigned] == [
        (record_world.cosigned["confirmed"].pk, "李代表")
    ]
    li = record_of(record_world.li, YEAR)
    assert [s.suggestion_id for s in li.suggestions_cosigned] == [
        record_world.led["cosigned_by_li"].pk
    ]


def _source_count(code, deputy, year):
    counts = sources.counts_by_deputy(code, date(year, 1, 1), date(year, 12, 31), [deputy.pk])
    return counts.get(deputy.pk, (0, 0))


@pytest.mark.parametrize("who", ["zhang", "li", "wang"])
def test_the_record_agrees_with_the_point_sources(record_world, who):
    deputy = getattr(record_world, who)
    r = record_of(deputy, YEAR)
    s = r.summary

    def attended(kinds):
        rows = r.meetings + r.activities + r.receptions + r.trainings
        return sum(1 for x in rows if x.kind in kinds and x.outcome == ATTENDED)

    for code, kinds in sources.ACTIVITY_KINDS.items():
        assert attended(kinds) == _source_count(code, deputy, YEAR)[0], code
    assert s.receptions.attended == _source_count(PointSource.RECEPTION, deputy, YEAR)[0]
    assert s.trainings.attended == _source_count(PointSource.TRAINING, deputy, YEAR)[0]
    assert s.suggestions_led == _source_count(PointSource.SUGGESTION_LEAD, deputy, YEAR)[0]
    assert s.suggestions_cosigned == _source_count(PointSource.SUGGESTION_COSIGNED, deputy, YEAR)[0]
    assert s.session_leave_half_days == _source_count(PointSource.SESSION_LEAVE, deputy, YEAR)[1]
    assert s.absences == _source_count(PointSource.ABSENCE, deputy, YEAR)[0]


def test_summaries_for_many_equal_each_record(record_world):
    deputies = [record_world.zhang, record_world.li, record_world.wang]
    summaries = record_summaries([d.pk for d in deputies], YEAR)
    for deputy in deputies:
        assert summaries[deputy.pk] == record_of(deputy, YEAR).summary, deputy.full_name
    assert summaries[record_world.zhang.pk].suggestions_led == 2
    assert summaries[record_world.li.pk].session_leave_half_days == 4


def test_a_deputy_who_did_nothing_has_an_empty_record(org, personas):
    deputy = personas.deputy.deputy
    r = record_of(deputy, 2026)
    assert r.meetings == r.activities == r.suggestions_led == r.suggestions_cosigned == []
    assert record_summaries([deputy.pk], 2026)[deputy.pk] == r.summary
    assert r.summary.absences == 0 and r.profile.full_name == "张代表"


def test_the_profile_is_the_seats_held_that_year(world):
    zhang = world.zhang
    MandateFactory(
        deputy=zhang,
        level="municipal",
        term_number=16,
        started_on=date(2017, 1, 1),
        ended_on=date(2021, 12, 31),
        end_reason="term_ended",
    )
    assert record_of(zhang, 2026).profile.levels_text == "第18届区人大代表"
    assert record_of(zhang, 2020).profile.levels_text == "第16届市人大代表"
    assert record_years(zhang)[0] == 2026 and record_years(zhang)[-1] == 2017


def test_record_queries_do_not_grow_with_rows(world, django_assert_num_queries):
    zhang = world.zhang
    with django_assert_num_queries(5):
        record_of(zhang, 2026)
    for n in range(3):
        held(world, kind="visit", day=date(2026, 4, 20 + n), attended=[zhang])
    held(world, kind="session", day=date(2026, 4, 25), leave=[zhang])
    with django_assert_num_queries(5):
        r = record_of(zhang, 2026)
    assert r.summary.activities.attended == 3 and r.summary.meetings.leave == 1


def test_summaries_queries_do_not_grow_with_deputies(world, django_assert_num_queries):
    with django_assert_num_queries(5):
        record_summaries([world.zhang.pk], 2026)
    many = [deputy_with_login(f"代表{n}", street=world.org.street) for n in range(8)]
    held(world, kind="visit", day=date(2026, 4, 20), attended=many[:4], absent=many[4:])
    with django_assert_num_queries(5):
        summaries = record_summaries([d.pk for d in many], 2026)
    assert [summaries[d.pk].activities for d in many] == [Tally(1, 0, 0)] * 4 + [Tally(0, 0, 1)] * 4


def test_public_deputies_are_current_district_deputies_by_group(world):
    names = [d.full_name for d in public_deputies()]
    assert set(names) == {"张代表", "李代表"}  # the municipal deputies are not the district's
    zhang_seat = world.zhang.mandates.get()
    zhang_seat.ended_on, zhang_seat.end_reason = date(2026, 3, 1), "resigned"
    zhang_seat.save()
    assert [d.full_name for d in public_deputies()] == ["李代表"]
    assert [d.full_name for d in public_deputies("li")] == ["李代表"]
    assert list(public_deputies("不存在")) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026", 2026), ("2000", 2000), ("1999", None), ("2027", None), ("abcd", None), ("", None)],
)
def test_years_asked_for(world, value, expected):
    assert parse_year(value) == expected
