from datetime import date, timedelta

import chinese_calendar
import pytest

from renda.core.calendar import PACKAGE_FIRST_YEAR, PACKAGE_LAST_YEAR, WorkCalendar, add_months
from renda.core.models import CalendarDay, CalendarYear


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(n) for n in range((last - first).days + 1)]


@pytest.fixture
def cal() -> WorkCalendar:
    """The package's data only: no overrides, nothing entered (no database needed)."""
    return WorkCalendar()


# -- the package's data, as read through the calendar ---------------------------------------------


def test_package_range_covers_2004_to_2026():
    assert PACKAGE_FIRST_YEAR == 2004
    assert PACKAGE_LAST_YEAR >= 2026


def test_spring_festival_2026(cal):
    for day in days(date(2026, 2, 15), date(2026, 2, 23)):
        assert not chinese_calendar.is_workday(day)  # the package agrees
        assert not cal.is_workday(day)
        assert cal.day_name(day) == "春节"
    assert cal.is_workday(date(2026, 2, 13))
    assert cal.is_workday(date(2026, 2, 24))


def test_spring_festival_2026_make_up_saturdays(cal):
    for day in (date(2026, 2, 14), date(2026, 2, 28)):
        assert day.weekday() == 5
        assert chinese_calendar.is_workday(day)
        assert cal.is_workday(day)
    # An ordinary Saturday is not.
    assert not cal.is_workday(date(2026, 2, 7))


def test_national_day_2026(cal):
    for day in days(date(2026, 10, 1), date(2026, 10, 7)):
        assert not chinese_calendar.is_workday(day)
        assert not cal.is_workday(day)
        assert cal.day_name(day) == "国庆节"
    # The make-up days per the package (and the State Council notice): Sun 09-20, Sat 10-10.
    assert date(2026, 9, 20).weekday() == 6
    assert date(2026, 10, 10).weekday() == 5
    for day in (date(2026, 9, 20), date(2026, 10, 10)):
        assert chinese_calendar.is_workday(day)
        assert cal.is_workday(day)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2026, 1, 1), "元旦"),
        (date(2026, 4, 5), "清明节"),
        (date(2026, 5, 1), "劳动节"),
        (date(2026, 6, 19), "端午节"),
        (date(2026, 9, 25), "中秋节"),
        (date(2026, 3, 10), ""),  # an ordinary Tuesday
        (date(2026, 3, 7), ""),  # an ordinary Saturday
        (date(2027, 1, 1), ""),  # unknown year: nothing to name
    ],
)
def test_day_name_in_chinese(cal, day, name):
    assert cal.day_name(day) == name


# -- counting working days ------------------------------------------------------------------------


def test_make_up_saturday_counts_as_a_working_day(cal):
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)


def test_add_working_days_across_spring_festival(cal):
    # Fri 02-13 (1), make-up Sat 02-14 (2), holidays 02-15..02-23, Tue 02-24 (3).
    assert cal.add_working_days(date(2026, 2, 12), 3) == date(2026, 2, 24)
    assert cal.working_days_between(date(2026, 2, 12), date(2026, 2, 24)) == 3


def test_add_working_days_across_national_day(cal):
    # 09-29 (1), 09-30 (2), holidays 10-01..10-07, 10-08 (3), 10-09 (4), make-up Sat 10-10 (5).
    assert cal.add_working_days(date(2026, 9, 28), 5) == date(2026, 10, 10)
    assert cal.add_working_days(date(2026, 9, 28), 6) == date(2026, 10, 12)
    assert cal.working_days_between(date(2026, 9, 28), date(2026, 10, 12)) == 6


def test_add_working_days_edge_cases(cal):
    assert cal.add_working_days(date(2026, 3, 4), 0) == date(2026, 3, 4)
    # Start on a holiday: the start is not counted either way.
    assert cal.add_working_days(date(2026, 10, 3), 1) == date(2026, 10, 8)
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 3, 4), -1)


def test_working_days_between_is_the_inverse_of_add(cal):
    start = date(2026, 1, 5)
    for n in (0, 1, 7, 30, 120):
        assert cal.working_days_between(start, cal.add_working_days(start, n)) == n
    assert cal.working_days_between(date(2026, 2, 24), date(2026, 2, 12)) == -3
    assert cal.working_days_between(date(2026, 2, 15), date(2026, 2, 23)) == 0


# -- years the package does not know --------------------------------------------------------------


def test_unknown_year_falls_back_to_weekends_and_is_tracked(cal):
    assert not cal.is_known_year(2027)
    assert cal.is_known_year(2026)
    assert cal.is_known_year(2004)
    assert not cal.is_known_year(2003)
    assert cal.unknown_years_touched == set()

    assert cal.is_workday(date(2027, 1, 1))  # really 元旦, but nobody entered 2027 yet
    assert not cal.is_workday(date(2027, 1, 2))  # Saturday
    assert not cal.is_workday(date(2003, 1, 4))  # before the package's data: no crash either
    assert cal.unknown_years_touched == {2003, 2027}


def test_track_unknown_years_is_scoped(cal):
    cal.is_workday(date(2027, 3, 1))
    with cal.track_unknown_years() as outer:
        cal.add_working_days(date(2026, 12, 30), 3)
        with cal.track_unknown_years() as inner:
            cal.add_working_days(date(2026, 3, 2), 3)
    assert outer == {2027}
    assert inner == set()
    assert cal.unknown_years_touched == {2027}


def test_entered_year_is_known_and_not_tracked():
    cal = WorkCalendar(
        overrides={date(2027, 1, 1): (CalendarDay.Kind.HOLIDAY, "元旦")},
        entered_years={2027},
    )
    assert cal.is_known_year(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.day_name(date(2027, 1, 1)) == "元旦"
    assert cal.is_workday(date(2027, 1, 4))
    assert cal.unknown_years_touched == set()


# -- the admin's table ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_overrides_win_over_the_package():
    CalendarDay.objects.create(
        date=date(2026, 6, 2), kind=CalendarDay.Kind.HOLIDAY, name="临时放假"
    )
    CalendarDay.objects.create(date=date(2026, 10, 7), kind=CalendarDay.Kind.WORKDAY, name="国庆节")
    CalendarDay.objects.create(date=date(2026, 3, 8), kind=CalendarDay.Kind.WORKDAY, name="")
    cal = WorkCalendar.load()

    assert not cal.is_workday(date(2026, 6, 2))  # a Tuesday, made a holiday
    assert cal.day_name(date(2026, 6, 2)) == "临时放假"
    assert cal.is_workday(date(2026, 10, 7))  # a package holiday, made a working day
    assert cal.is_workday(date(2026, 3, 8))  # a Sunday, made a working day
    assert cal.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 8)
    assert cal.add_working_days(date(2026, 6, 1), 1) == date(2026, 6, 3)


@pytest.mark.django_db
def test_overrides_in_a_year_not_entered_still_apply_but_stay_provisional():
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")
    cal = WorkCalendar.load()
    assert not cal.is_known_year(2027)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.unknown_years_touched == set()  # the override answered, not the fallback
    assert cal.is_workday(date(2027, 1, 4))
    assert cal.unknown_years_touched == {2027}


@pytest.mark.django_db
def test_load_reads_entered_years(django_assert_num_queries):
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕X号")
    with django_assert_num_queries(2):
        cal = WorkCalendar.load()
    with django_assert_num_queries(0):
        assert cal.is_known_year(2027)
        assert cal.add_working_days(date(2026, 1, 5), 400) > date(2027, 6, 1)


# -- calendar months ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 3, 2), 3, date(2026, 6, 2)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 10, 31), 2, date(2026, 12, 31)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 20), 0, date(2026, 5, 20)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected
