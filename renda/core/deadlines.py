"""Deadlines: a period (3 个月, 5 日, 5 个工作日) counted from a start date on the work calendar,
giving a due date that can explain itself.

Counting follows the statutory rules on periods (民法典 第二百零一至二百零三条; 民事诉讼法 on
期间 says the same):

- the start day is not counted; counting begins the next day;
- a period in months ends on the corresponding day of the last month, or on that month's last day
  when it has no such day (01-31 + 1 个月 = 02-28/29);
- a period in months or calendar days whose last day is a holiday or rest day (法定休假日, which
  includes weekends) ends on the first working day after it;
- a period in working days skips holidays and counts make-up working days (调休上班).

A date in a year whose holiday schedule nobody has entered is counted weekends-only; the due date
is then *provisional*, says so, and is recomputed (via ``calendar_changed``) once an admin enters
the year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import ClassVar

from django.db import transaction
from django.dispatch import Signal

from renda.core.calendar import ONE_DAY, WorkCalendar, add_months
from renda.core.errors import DomainError

MONTHS = "months"
DAYS = "days"
WORKING_DAYS = "working_days"

UNIT_LABELS: dict[str, str] = {MONTHS: "个月", DAYS: "日", WORKING_DAYS: "个工作日"}

# Generous ceilings (about ten years) so a typo cannot start a near-endless count.
MAX_AMOUNTS: dict[str, int] = {MONTHS: 120, DAYS: 3660, WORKING_DAYS: 2500}

_UNIT_WORDS: dict[str, str] = {
    "个月": MONTHS,
    "月": MONTHS,
    "个工作日": WORKING_DAYS,
    "工作日": WORKING_DAYS,
    "日": DAYS,
    "天": DAYS,
    "自然日": DAYS,
    "个自然日": DAYS,
}
_PERIOD_RE = re.compile(
    r"^\s*(?P<amount>\d+)\s*(?P<unit>"
    + "|".join(sorted(map(re.escape, _UNIT_WORDS), key=len, reverse=True))
    + r")\s*$"
)


@dataclass(frozen=True)
class Period:
    """A length of time: ``amount`` months, calendar days or working days."""

    amount: int
    unit: str

    UNITS: ClassVar[tuple[str, ...]] = (MONTHS, DAYS, WORKING_DAYS)

    def __post_init__(self) -> None:
        if self.unit not in UNIT_LABELS:
            raise DomainError("invalid_period", f"期限单位不正确：{self.unit}。")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int) or self.amount < 1:
            raise DomainError("invalid_period", "期限必须是正整数。")
        limit = MAX_AMOUNTS[self.unit]
        if self.amount > limit:
            raise DomainError(
                "invalid_period", f"期限过长：最多 {limit} {UNIT_LABELS[self.unit]}。"
            )

    def __str__(self) -> str:
        return f"{self.amount} {UNIT_LABELS[self.unit]}"

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read "3 个月", "3个月", "5日", "5 天", "5 个工作日" (the form ``str()`` writes)."""
        match = _PERIOD_RE.match(text or "")
        if match is None:
            raise DomainError(
                "invalid_period",
                f"期限格式不正确：“{text}”。请写成“3 个月”“5 日”或“5 个工作日”。",
            )
        return cls(amount=int(match["amount"]), unit=_UNIT_WORDS[match["unit"]])


@dataclass(frozen=True)
class DueDate:
    """A computed deadline, with what it was computed from."""

    due: date
    start: date
    period: Period
    basis: str  # what the start date is, e.g. "交办日", "收到日"
    # Years counted weekends-only because nobody has entered their holidays yet.
    provisional_years: tuple[int, ...] = ()
    # The corresponding date before a roll-forward off a holiday; None if not moved.
    nominal_due: date | None = None
    # Holidays the count stepped over (working days) or rolled off (months, days), in order.
    skipped_holidays: tuple[str, ...] = ()

    @property
    def is_provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def provisional_note(self) -> str:
        if not self.provisional_years:
            return ""
        years = "、".join(str(year) for year in self.provisional_years)
        return f"{years} 年节假日安排未录入，暂按周末计算"

    @property
    def explanation(self) -> str:
        """E.g. "交办日 2026-03-02 + 3 个月 = 2026-06-02"."""
        text = f"{self.basis} {self.start} + {self.period} = "
        if self.nominal_due is not None:
            reason = (
                f"逢{'、'.join(self.skipped_holidays)}假期" if self.skipped_holidays else "逢休息日"
            )
            text += f"{self.nominal_due}，{reason}顺延至 {self.due}"
        else:
            text += str(self.due)
        if self.period.unit == WORKING_DAYS and self.skipped_holidays:
            text += f"（已扣除{'、'.join(self.skipped_holidays)}假期）"
        if self.provisional_years:
            text += f"（{self.provisional_note}）"
        return text

    def __str__(self) -> str:
        return self.explanation


def compute_due(
    *,
    start: date,
    period: Period,
    basis: str,
    calendar: WorkCalendar | None = None,
) -> DueDate:
    """When a period counted from ``start`` ends. Pass one ``calendar`` to compute many due dates
    with two queries in all; without it the calendar is loaded here."""
    if calendar is None:
        calendar = WorkCalendar.load()
    with calendar.track_unknown_years() as touched:
        if period.unit == WORKING_DAYS:
            due = calendar.add_working_days(start, period.amount)
            nominal: date | None = None
            skipped = _holiday_names(calendar, start + ONE_DAY, due)
        else:
            if period.unit == MONTHS:
                corresponding = add_months(start, period.amount)
            else:
                corresponding = start + timedelta(days=period.amount)
            # A period ending on a holiday or rest day ends on the next working day.
            due = calendar.next_workday(corresponding)
            nominal = corresponding if due != corresponding else None
            skipped = _holiday_names(calendar, corresponding, due)
    return DueDate(
        due=due,
        start=start,
        period=period,
        basis=basis,
        provisional_years=tuple(sorted(touched)),
        nominal_due=nominal,
        skipped_holidays=skipped,
    )


def _holiday_names(calendar: WorkCalendar, first: date, last: date) -> tuple[str, ...]:
    """Names of the non-working days in [first, last) that belong to a named holiday."""
    names: dict[str, None] = {}  # ordered set
    day = first
    while day < last:
        if not calendar.is_workday(day):
            name = calendar.day_name(day)
            if name:
                names[name] = None
        day += ONE_DAY
    return tuple(names)


# Sent (after commit) when an admin enters or changes holiday schedules, with ``years``: the set of
# years affected. Apps that store due dates connect to it and recompute those whose
# provisional years (or dates) fall in ``years``.
calendar_changed = Signal()


def notify_calendar_changed(years: Iterable[int]) -> None:
    """Announce changed calendar years once the current transaction commits (never for a
    rolled-back change)."""
    changed = frozenset(years)
    if not changed:
        return
    transaction.on_commit(lambda: calendar_changed.send(sender=WorkCalendar, years=set(changed)))
