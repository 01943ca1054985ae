"""The work calendar: which days are working days, with statutory holidays and make-up working
days (调休).

Sources, in order of precedence:

1. ``CalendarDay`` rows an admin entered: an override for any date, in any year (also corrects the
   ``chinese_calendar`` package).
2. The ``chinese_calendar`` package, for the years it knows.
3. Otherwise plain weekends (Mon–Fri work). Such a year is *known* if an admin entered its
   ``CalendarYear`` (its holidays are then all in ``CalendarDay``); if not, the result is only
   provisional and the calendar records that it touched the year, so a due date can say so and be
   recomputed once the official schedule is entered.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from renda.core.models import CalendarDay, CalendarYear

# The years the package has data for; it raises NotImplementedError outside them.
PACKAGE_FIRST_YEAR: int = min(chinese_calendar.holidays).year
PACKAGE_LAST_YEAR: int = max(chinese_calendar.holidays).year

# The package names holidays in English; users read Chinese.
HOLIDAY_NAMES_ZH: dict[str, str] = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.anti_fascist_70th_day.value: "抗战胜利70周年纪念日",
}

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class SpecialDay:
    date: date
    kind: str
    name: str
    source: str


def package_knows(year: int) -> bool:
    return PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR


def add_months(d: date, n: int) -> date:
    """``d`` plus ``n`` calendar months; a day the target month lacks clamps to its last day
    (01-31 + 1 month = 02-28, or 02-29 in a leap year), as 民法典 第二百零二条 counts months."""
    month_index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    return date(year, month, min(d.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (first_of_next - ONE_DAY).day


class WorkCalendar:
    """Working days for one computation (or one batch of them).

    Build it with :meth:`load` (two queries, however many days are asked about), then ask it as
    often as needed; it never queries again. ``unknown_years_touched`` collects every year whose
    weekends-only fallback an answer relied on; :meth:`track_unknown_years` collects them for one
    computation when the calendar is shared by several.
    """

    def __init__(
        self,
        *,
        overrides: dict[date, tuple[str, str]] | None = None,
        entered_years: set[int] | frozenset[int] | None = None,
    ) -> None:
        # date -> (CalendarDay.Kind value, name)
        self._overrides: dict[date, tuple[str, str]] = dict(overrides or {})
        self._entered_years: frozenset[int] = frozenset(entered_years or ())
        self.unknown_years_touched: set[int] = set()
        self._trackers: list[set[int]] = []

    @classmethod
    def load(cls) -> WorkCalendar:
        """Read every override and every entered year: exactly two queries."""
        overrides = {
            day: (kind, name)
            for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name")
        }
        entered_years = set(CalendarYear.objects.values_list("year", flat=True))
        return cls(overrides=overrides, entered_years=entered_years)

    # -- single days ---------------------------------------------------------------------------

    def is_known_year(self, year: int) -> bool:
        """True if the package has the year's schedule or an admin entered it."""
        return package_knows(year) or year in self._entered_years

    def is_workday(self, day: date) -> bool:
        override = self._overrides.get(day)
        if override is not None:
            return override[0] == CalendarDay.Kind.WORKDAY
        if package_knows(day.year):
            return chinese_calendar.is_workday(day)
        if day.year not in self._entered_years:
            self._touch_unknown(day.year)
        return day.weekday() < 5

    def day_name(self, day: date) -> str:
        """The Chinese name of the holiday a day belongs to ("春节"), or "" for an ordinary day.

        A make-up working day carries the name of the holiday it makes up for, as the package
        and the official notices do; ``is_workday`` tells the two apart.
        """
        override = self._overrides.get(day)
        if override is not None:
            return override[1]
        if not package_knows(day.year):
            return ""
        _, name = chinese_calendar.get_holiday_detail(day)
        if name is None:
            return ""
        return HOLIDAY_NAMES_ZH.get(name, name)

    def special_days(self, year: int) -> list[SpecialDay]:
        """The year's holidays and make-up working days, overrides winning over the package."""
        days: dict[date, SpecialDay] = {}
        if package_knows(year):
            for day, name in chinese_calendar.holidays.items():
                if day.year == year:
                    days[day] = SpecialDay(
                        day,
                        CalendarDay.Kind.HOLIDAY,
                        HOLIDAY_NAMES_ZH.get(name, name),
                        "国务院安排",
                    )
            for day, name in chinese_calendar.workdays.items():
                if day.year == year and day.weekday() >= 5:
                    days[day] = SpecialDay(
                        day,
                        CalendarDay.Kind.WORKDAY,
                        HOLIDAY_NAMES_ZH.get(name, name),
                        "国务院安排",
                    )
        for day, (kind, name) in self._overrides.items():
            if day.year == year:
                days[day] = SpecialDay(day, kind, name, "管理员录入")
        return [days[d] for d in sorted(days)]

    # -- spans ---------------------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself is not counted; n=0 -> start)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        remaining = n
        while remaining:
            day += ONE_DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: the inverse of :meth:`add_working_days`, so that
        ``working_days_between(s, add_working_days(s, n)) == n``. Negative if ``end < start``."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def next_workday(self, day: date) -> date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    # -- provisional bookkeeping ---------------------------------------------------------------

    @contextmanager
    def track_unknown_years(self) -> Iterator[set[int]]:
        """Collect the unknown years touched inside the block (the set fills as days are asked)."""
        touched: set[int] = set()
        self._trackers.append(touched)
        try:
            yield touched
        finally:
            # By identity: two trackers may hold equal sets.
            self._trackers = [t for t in self._trackers if t is not touched]

    def _touch_unknown(self, year: int) -> None:
        self.unknown_years_touched.add(year)
        for touched in self._trackers:
            touched.add(year)
