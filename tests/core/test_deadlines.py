from datetime import date

import pytest
from django.db import transaction

from renda.core.calendar import WorkCalendar
from renda.core.deadlines import (
    DAYS,
    MONTHS,
    WORKING_DAYS,
    DueDate,
    Period,
    calendar_changed,
    compute_due,
    notify_calendar_changed,
)
from renda.core.errors import DomainError
from renda.core.models import CalendarDay, CalendarYear


def due(start: date, period: str, basis: str = "交办日") -> DueDate:
    """Against the package's data only (no database)."""
    return compute_due(
        start=start, period=Period.parse(period), basis=basis, calendar=WorkCalendar()
    )


# -- Period ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("3 个月", 3, MONTHS),
        ("3个月", 3, MONTHS),
        ("6月", 6, MONTHS),
        ("5日", 5, DAYS),
        ("5 天", 5, DAYS),
        (" 10 自然日 ", 10, DAYS),
        ("5 个工作日", 5, WORKING_DAYS),
        ("5工作日", 5, WORKING_DAYS),
        ("１个月", 1, MONTHS),  # full-width digit, as an IME may type it
    ],
)
def test_period_parse(text, amount, unit):
    assert Period.parse(text) == Period(amount=amount, unit=unit)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "三个月",
        "3 周",
        "3",
        "个月",
        "0 个月",
        "-1 日",
        "3.5 个月",
        "121 个月",
        "3 个月后",
    ],
)
def test_period_parse_rejects_bad_input_in_chinese(text):
    with pytest.raises(DomainError) as excinfo:
        Period.parse(text)
    assert excinfo.value.code == "invalid_period"
    assert "期限" in excinfo.value.message


def test_period_parse_error_shows_the_expected_form():
    with pytest.raises(DomainError) as excinfo:
        Period.parse("三个月")
    assert "三个月" in excinfo.value.message
    assert "3 个月" in excinfo.value.message


@pytest.mark.parametrize(
    ("period", "text"),
    [
        (Period(3, MONTHS), "3 个月"),
        (Period(5, DAYS), "5 日"),
        (Period(5, WORKING_DAYS), "5 个工作日"),
    ],
)
def test_period_str_round_trips(period, text):
    assert str(period) == text
    assert Period.parse(str(period)) == period


def test_period_rejects_bad_construction():
    with pytest.raises(DomainError):
        Period(3, "weeks")
    with pytest.raises(DomainError):
        Period(0, DAYS)
    with pytest.raises(DomainError):
        Period(True, DAYS)


# -- months and calendar days ---------------------------------------------------------------------


def test_months_plain():
    result = due(date(2026, 3, 2), "3 个月")
    assert result.due == date(2026, 6, 2)
    assert result.nominal_due is None
    assert not result.is_provisional
    assert result.explanation == "交办日 2026-03-02 + 3 个月 = 2026-06-02"


def test_month_end_clamps_and_lands_on_a_make_up_saturday():
    # 01-31 + 1 个月 -> 02-28, a Saturday but a Spring Festival make-up working day: no roll.
    result = due(date(2026, 1, 31), "1 个月")
    assert result.due == date(2026, 2, 28)
    assert result.nominal_due is None


def test_month_end_in_a_weekend_rolls_to_the_next_working_day():
    # 2025-12-31 + 2 months: 2026-02-28 (make-up day) stays; 2026-02-07 + 1 month hits Sat 03-07.
    assert due(date(2025, 12, 31), "2 个月").due == date(2026, 2, 28)
    result = due(date(2026, 2, 7), "1 个月")
    assert result.due == date(2026, 3, 9)
    assert result.nominal_due == date(2026, 3, 7)
    assert (
        result.explanation == "交办日 2026-02-07 + 1 个月 = 2026-03-07，逢休息日顺延至 2026-03-09"
    )


def test_months_ending_in_a_holiday_roll_past_it():
    result = due(date(2026, 9, 1), "1 个月")
    assert result.due == date(2026, 10, 8)
    assert result.nominal_due == date(2026, 10, 1)
    assert result.skipped_holidays == ("国庆节",)
    assert result.explanation == (
        "交办日 2026-09-01 + 1 个月 = 2026-10-01，逢国庆节假期顺延至 2026-10-08"
    )


def test_leap_year_month_end_is_provisional_in_an_unknown_year():
    result = due(date(2028, 1, 31), "1 个月")
    assert result.due == date(2028, 2, 29)  # a Tuesday
    assert result.provisional_years == (2028,)


def test_calendar_days_roll_past_a_holiday():
    # 2026-02-10 + 5 日 = 02-15 (春节) -> the first working day after it, 02-24.
    result = due(date(2026, 2, 10), "5 日", basis="收到日")
    assert result.due == date(2026, 2, 24)
    assert result.explanation == (
        "收到日 2026-02-10 + 5 日 = 2026-02-15，逢春节假期顺延至 2026-02-24"
    )
    assert due(date(2026, 3, 2), "5 日").due == date(2026, 3, 9)  # Sat 03-07 -> Mon 03-09
    assert due(date(2026, 3, 2), "3 天").due == date(2026, 3, 5)


# -- working days ---------------------------------------------------------------------------------


def test_working_days_across_national_day():
    result = due(date(2026, 9, 28), "5 个工作日", basis="收到日")
    assert result.due == date(2026, 10, 10)  # the make-up Saturday counts
    assert result.skipped_holidays == ("国庆节",)
    assert result.explanation == ("收到日 2026-09-28 + 5 个工作日 = 2026-10-10（已扣除国庆节假期）")


def test_working_days_across_spring_festival():
    result = due(date(2026, 2, 12), "3 个工作日", basis="收到日")
    assert result.due == date(2026, 2, 24)
    assert result.explanation == "收到日 2026-02-12 + 3 个工作日 = 2026-02-24（已扣除春节假期）"


def test_working_days_without_holidays_say_nothing_extra():
    result = due(date(2026, 3, 2), "5 个工作日", basis="收到日")
    assert result.due == date(2026, 3, 9)
    assert result.explanation == "收到日 2026-03-02 + 5 个工作日 = 2026-03-09"


# -- a year nobody has entered, then entered ------------------------------------------------------


@pytest.mark.django_db
def test_unknown_year_is_provisional_until_an_admin_enters_it():
    start, period = date(2026, 10, 1), Period(3, MONTHS)

    before = compute_due(start=start, period=period, basis="交办日")
    assert before.due == date(2027, 1, 1)  # a Friday under weekends-only
    assert before.is_provisional
    assert before.provisional_years == (2027,)
    assert "2027 年节假日安排未录入" in before.explanation
    assert before.explanation == (
        "交办日 2026-10-01 + 3 个月 = 2027-01-01（2027 年节假日安排未录入，暂按周末计算）"
    )

    CalendarYear.objects.create(year=2027, note="国务院办公厅通知")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")

    after = compute_due(start=start, period=period, basis="交办日")
    assert after.due == date(2027, 1, 4)
    assert not after.is_provisional
    assert after.provisional_note == ""
    assert after.explanation == (
        "交办日 2026-10-01 + 3 个月 = 2027-01-01，逢元旦假期顺延至 2027-01-04"
    )


@pytest.mark.django_db
def test_unknown_year_working_days_then_entered():
    start, period = date(2026, 12, 28), Period(5, WORKING_DAYS)

    before = compute_due(start=start, period=period, basis="收到日")
    assert before.due == date(2027, 1, 4)
    assert before.provisional_years == (2027,)
    assert before.explanation.endswith("（2027 年节假日安排未录入，暂按周末计算）")

    CalendarYear.objects.create(year=2027)
    CalendarDay.objects.create(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦")

    after = compute_due(start=start, period=period, basis="收到日")
    assert after.due == date(2027, 1, 5)
    assert not after.is_provisional
    assert after.explanation == "收到日 2026-12-28 + 5 个工作日 = 2027-01-05（已扣除元旦假期）"


def test_provisional_flag_belongs_to_one_computation_on_a_shared_calendar():
    cal = WorkCalendar()
    late = compute_due(
        start=date(2026, 12, 1), period=Period(3, MONTHS), basis="交办日", calendar=cal
    )
    early = compute_due(
        start=date(2026, 3, 2), period=Period(3, MONTHS), basis="交办日", calendar=cal
    )
    assert late.provisional_years == (2027,)
    assert early.provisional_years == ()
    assert cal.unknown_years_touched == {2027}


def test_several_unknown_years_are_listed():
    result = due(date(2026, 12, 1), "400 个工作日")
    assert result.provisional_years == (2027, 2028)
    assert "（2027、2028 年节假日安排未录入，暂按周末计算）" in result.explanation


@pytest.mark.django_db
def test_override_in_a_known_year_changes_the_due_date():
    assert compute_due(start=date(2026, 3, 2), period=Period(3, MONTHS), basis="交办日").due == (
        date(2026, 6, 2)
    )
    CalendarDay.objects.create(
        date=date(2026, 6, 2), kind=CalendarDay.Kind.HOLIDAY, name="临时放假"
    )
    result = compute_due(start=date(2026, 3, 2), period=Period(3, MONTHS), basis="交办日")
    assert result.due == date(2026, 6, 3)
    assert result.explanation.endswith("逢临时放假假期顺延至 2026-06-03")


# -- query count ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [5, 200, 600])
def test_query_count_is_constant(django_assert_num_queries, amount):
    CalendarYear.objects.create(year=2027)
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=date(2027, 1, 1), kind=CalendarDay.Kind.HOLIDAY, name="元旦"),
            CalendarDay(date=date(2026, 6, 2), kind=CalendarDay.Kind.HOLIDAY, name="临时放假"),
        ]
    )
    with django_assert_num_queries(2):
        result = compute_due(
            start=date(2026, 1, 5), period=Period(amount, WORKING_DAYS), basis="收到日"
        )
    assert result.due > date(2026, 1, 5)


@pytest.mark.django_db
def test_a_shared_calendar_issues_no_further_queries(django_assert_num_queries):
    cal = WorkCalendar.load()
    with django_assert_num_queries(0):
        for month in range(1, 13):
            compute_due(
                start=date(2026, month, 1), period=Period(200, WORKING_DAYS), basis="", calendar=cal
            )


# -- the calendar_changed signal ------------------------------------------------------------------


@pytest.fixture
def received():
    calls: list[dict] = []

    def receiver(sender, **kwargs):
        calls.append(kwargs)

    calendar_changed.connect(receiver, weak=False)
    yield calls
    calendar_changed.disconnect(receiver)


@pytest.mark.django_db
def test_notify_calendar_changed_fires_on_commit(django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_calendar_changed([2027, 2027, 2028])
        assert received == []  # not before the commit
    assert len(callbacks) == 1
    assert len(received) == 1
    assert received[0]["years"] == {2027, 2028}


@pytest.mark.django_db
def test_notify_calendar_changed_not_sent_on_rollback(django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify_calendar_changed({2027})
                raise RuntimeError("admin form failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert received == []


@pytest.mark.django_db
def test_notify_calendar_changed_ignores_no_years(django_capture_on_commit_callbacks, received):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_calendar_changed([])
    assert callbacks == []
    assert received == []
