"""Deputies' points (履职积分): the rules, the scoring of a period, the bands and who needs a talk.

What counts is defined once, in renda/deputies/sources.py; this module only multiplies: for each
source, counts_by_deputy() gives every deputy's items and quantity in one query, and the rule
says how many points each item (or half-day) is worth. Nothing is stored per event, so
correcting an attendance corrects the points; a published bulletin freezes a quarter's figures.

Rules are PointRule rows laid over DEFAULT_RULES (DOMAIN.md, local and configurable): an empty
table still scores. A year starts at the scheme's base points; year points are the base plus
every point from 1 January to the end of the period asked for.

Bands (DOMAIN.md: ≥80 good, 60–79 fair, <60 poor) are coded good / fair / poor and labelled
好 / 较好 / 差 — the labels the scheme's own fields use (好（不低于）, 较好（不低于）)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from renda.deputies.models import (
    ActivityKind,
    Deputy,
    Level,
    Mandate,
    PointRule,
    PointScheme,
    PointSource,
)
from renda.deputies.sources import absences, counts_by_deputy

ITEM, HALF_DAY = PointRule.Per.ITEM, PointRule.Per.HALF_DAY

# source -> (points, per): the defaults of DOMAIN.md and the local scheme they stand for.
DEFAULT_RULES: dict[str, tuple[Decimal, str]] = {
    PointSource.SUGGESTION_LEAD: (Decimal("3"), ITEM),
    PointSource.SUGGESTION_COSIGNED: (Decimal("1"), ITEM),
    PointSource.VISIT_RESEARCH: (Decimal("3"), ITEM),
    PointSource.RECEPTION: (Decimal("2"), ITEM),
    PointSource.TRAINING: (Decimal("2"), ITEM),
    PointSource.GROUP_ACTIVITY: (Decimal("2"), ITEM),
    PointSource.STANDING_COMMITTEE: (Decimal("2"), ITEM),
    PointSource.SESSION_LEAVE: (Decimal("-1"), HALF_DAY),
    PointSource.ABSENCE: (Decimal("-3"), ITEM),
}

GOOD, FAIR, POOR = "good", "fair", "poor"
BANDS = {GOOD: "好", FAIR: "较好", POOR: "差"}

QUARTERS = (1, 2, 3, 4)
TENTH = Decimal("0.1")


def tenths(value) -> Decimal:
    """Points carry one decimal, as the rules and the bulletin columns do."""
    return Decimal(value).quantize(TENTH)


@dataclass(frozen=True)
class Rule:
    source: str
    points: Decimal
    per: str
    is_active: bool = True
    sort_order: int = 100

    @property
    def label(self) -> str:
        return PointSource(self.source).label

    @property
    def per_label(self) -> str:
        return PointRule.Per(self.per).label

    def units(self, items: int, quantity: int) -> int:
        """What the rule multiplies: half-days (the quantity) or items."""
        return quantity if self.per == HALF_DAY else items

    def score(self, units: int) -> Decimal:
        return tenths(self.points * units if self.is_active else 0)


def rules() -> list[Rule]:
    """Saved rules over the defaults, in the saved order (defaults in DOMAIN.md's order)."""
    saved = {r.source: r for r in PointRule.objects.all()}
    result = []
    for index, source in enumerate(PointSource.values):
        row = saved.get(source)
        if row is None:
            points, per = DEFAULT_RULES[source]
            result.append(Rule(source, points, per, True, index))
        else:
            result.append(Rule(source, row.points, row.per, row.is_active, row.sort_order))
    return sorted(result, key=lambda r: (r.sort_order, PointSource.values.index(r.source)))


def quarter_range(year: int, quarter: int) -> tuple[date, date]:
    if quarter not in QUARTERS:
        raise ValueError(f"quarter {quarter!r} is not 1..4")
    last_month = quarter * 3
    return (
        date(year, last_month - 2, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def period_range(year: int, quarter: int | None) -> tuple[date, date]:
    """A quarter, or the whole year when quarter is None."""
    if quarter is None:
        return date(year, 1, 1), date(year, 12, 31)
    return quarter_range(year, quarter)


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def last_ended_quarter(today: date) -> tuple[int, int]:
    """The latest quarter that has ended by `today` (what a bulletin may cover)."""
    quarter = quarter_of(today) - 1
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def band_of(points: Decimal, scheme: PointScheme) -> str:
    if points >= scheme.good_from:
        return GOOD
    if points >= scheme.fair_from:
        return FAIR
    return POOR


@dataclass(frozen=True)
class Line:
    """One source in one period: items counted, the units the rule multiplies, the points."""

    source: str
    items: int
    units: int
    points: Decimal


@dataclass
class DeputyPoints:
    deputy_id: int
    year: int
    quarter: int | None  # None: the whole year
    lines: dict[str, Line] = field(default_factory=dict)
    period_points: Decimal = Decimal("0")  # the quarter's (or the year's) points, without base
    year_points: Decimal = Decimal("0")  # base + 1 January .. end of the period
    band: str = POOR

    @property
    def band_label(self) -> str:
        return BANDS[self.band]

    def details(self) -> dict[str, list]:
        """{source: [count, points]} as a bulletin row freezes them."""
        return {s: [line.units, float(line.points)] for s, line in self.lines.items()}


def district_deputies() -> QuerySet[Deputy]:
    """Current district deputies: who the points and the bulletin are for."""
    return Deputy.objects.with_active_mandate(level=Level.DISTRICT)


def _scope(deputy_ids) -> tuple[list[int], Iterable[int] | QuerySet]:
    """(the ids, what to filter the sources with): a queryset stays a subquery, so 40 000
    deputies never become 40 000 SQL parameters."""
    if deputy_ids is None:
        deputy_ids = district_deputies().values("pk")
    if isinstance(deputy_ids, QuerySet):
        scope = deputy_ids.values("pk")
        return list(deputy_ids.values_list("pk", flat=True)), scope
    ids = list(dict.fromkeys(deputy_ids))
    return ids, ids


def _counts(all_rules: list[Rule], start: date, end: date, scope) -> dict[str, dict]:
    """source -> {deputy id: (items, quantity)}: one query per source."""
    return {r.source: counts_by_deputy(r.source, start, end, scope) for r in all_rules}


def _lines(all_rules: list[Rule], counts: dict[str, dict], deputy_id: int) -> dict[str, Line]:
    lines = {}
    for rule in all_rules:
        items, quantity = counts[rule.source].get(deputy_id, (0, 0))
        units = rule.units(items, quantity)
        lines[rule.source] = Line(rule.source, items, units, rule.score(units))
    return lines


def _total(lines: dict[str, Line]) -> Decimal:
    return tenths(sum((line.points for line in lines.values()), Decimal("0")))


def points_for(
    deputy_ids: Iterable[int] | QuerySet | None,
    year: int,
    quarter: int | None = None,
) -> dict[int, DeputyPoints]:
    """Every deputy's points for a quarter (or the year when quarter is None), in a constant
    number of queries: the rules, the scheme, the ids, then one or two per source. Without
    ids: every current district deputy."""
    ids, scope = _scope(deputy_ids)
    return _points(ids, scope, year, quarter, rules(), PointScheme.current())


def _points(
    ids: list[int], scope, year: int, quarter: int | None, all_rules, scheme
) -> dict[int, DeputyPoints]:
    start, end = period_range(year, quarter)
    period = _counts(all_rules, start, end, scope)
    year_start = date(year, 1, 1)
    to_date = period if start == year_start else _counts(all_rules, year_start, end, scope)
    result = {}
    for deputy_id in ids:
        lines = _lines(all_rules, period, deputy_id)
        year_points = tenths(scheme.base_points) + _total(_lines(all_rules, to_date, deputy_id))
        result[deputy_id] = DeputyPoints(
            deputy_id=deputy_id,
            year=year,
            quarter=quarter,
            lines=lines,
            period_points=_total(lines),
            year_points=year_points,
            band=band_of(year_points, scheme),
        )
    return result


def compute_all(year: int, quarter: int | None = None) -> list[DeputyPoints]:
    """Every current district deputy's points (what the bench times)."""
    return list(points_for(None, year, quarter).values())


def quarters_of(deputy_id: int, year: int) -> list[DeputyPoints]:
    """One deputy's four quarters of a year, year points cumulated quarter by quarter."""
    all_rules, scheme = rules(), PointScheme.current()
    running = tenths(scheme.base_points)
    result = []
    for quarter in QUARTERS:
        start, end = quarter_range(year, quarter)
        lines = _lines(all_rules, _counts(all_rules, start, end, [deputy_id]), deputy_id)
        running += _total(lines)
        result.append(
            DeputyPoints(
                deputy_id=deputy_id,
                year=year,
                quarter=quarter,
                lines=lines,
                period_points=_total(lines),
                year_points=running,
                band=band_of(running, scheme),
            )
        )
    return result


# ---------------------------------------------------------------------------------------------
# Who needs a talk (约谈)


@dataclass
class Talk:
    deputy_id: int
    year_points: Decimal
    band: str
    absences: int  # without leave, this year
    session_absences: int  # congress sessions missed without leave, this term
    reasons: list[str]

    @property
    def mandate_at_risk(self) -> bool:
        return self.session_absences >= 2


LAW_62 = (
    "未经批准两次不出席本级人民代表大会会议（{n} 次），"
    "依照代表法第六十二条代表资格终止，请核实后办理"
)


def session_absences(deputy_ids) -> dict[int, int]:
    """Congress sessions missed without leave during the current district term: one session
    counted once however many of its days (activities) were missed. One query."""
    in_term = Mandate.objects.filter(
        deputy=OuterRef("deputy_id"),
        level=Level.DISTRICT,
        ended_on=None,
        started_on__lte=OuterRef("activity__date"),
    )
    rows = (
        absences()
        .filter(Exists(in_term), activity__kind=ActivityKind.SESSION, deputy_id__in=deputy_ids)
        .order_by()
        .values("deputy_id")
        .annotate(
            meetings=Count("activity__meeting", distinct=True),
            unlinked=Count("activity", filter=Q(activity__meeting=None), distinct=True),
        )
    )
    return {r["deputy_id"]: r["meetings"] + r["unlinked"] for r in rows}


def needs_talk(year: int, deputy_ids=None) -> list[Talk]:
    """Deputies whose year points are below the fair band, who were absent without leave at
    least talk_absences times this year, or who missed two congress sessions without leave
    (which ends the mandate: a reason of its own). Constant queries."""
    scheme = PointScheme.current()
    ids, scope = _scope(deputy_ids)
    points = _points(ids, scope, year, None, rules(), scheme)
    fair_from = tenths(scheme.fair_from)
    start, end = period_range(year, None)
    absent = counts_by_deputy(PointSource.ABSENCE, start, end, scope)
    sessions = session_absences(scope)
    talks = []
    for deputy_id in ids:
        score = points[deputy_id]
        count = absent.get(deputy_id, (0, 0))[0]
        missed = sessions.get(deputy_id, 0)
        reasons = []
        if score.year_points < fair_from:
            reasons.append(f"年度积分 {score.year_points} 分，低于 {fair_from} 分")
        if count >= scheme.talk_absences:
            reasons.append(f"本年度无故缺席活动 {count} 次（达到 {scheme.talk_absences} 次）")
        if missed >= 2:
            reasons.append(LAW_62.format(n=missed))
        if reasons:
            talks.append(Talk(deputy_id, score.year_points, score.band, count, missed, reasons))
    return talks


# ---------------------------------------------------------------------------------------------
# The points table (pages, export and API)

SORTS = {"stroke": "姓氏笔画", "points": "年度积分从高到低"}


@dataclass
class PointFilters:
    year: int
    quarter: int | None  # None: the whole year
    group: int | None = None
    street: int | None = None
    band: str = ""
    sort: str = "stroke"

    @classmethod
    def from_params(cls, params, today: date) -> PointFilters:
        """Without a year: this year; without a quarter: this year's current quarter (an
        empty quarter, or another year without one, means the whole year)."""

        def number(name):
            value = str(params.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        year = number("year")
        year = year if year is not None and 2000 <= year <= 2100 else today.year
        quarter = number("quarter")
        if "quarter" not in params or params.get("quarter") is None:
            quarter = quarter_of(today) if year == today.year else None
        quarter = quarter if quarter in QUARTERS else None
        band = str(params.get("band") or "")
        sort = str(params.get("sort") or "stroke")
        return cls(
            year=year,
            quarter=quarter,
            group=number("group"),
            street=number("street"),
            band=band if band in BANDS else "",
            sort=sort if sort in SORTS else "stroke",
        )

    @property
    def period_label(self) -> str:
        return f"{self.year}年" + (f"第{self.quarter}季度" if self.quarter else "全年")


@dataclass
class PointRow:
    deputy_id: int
    name: str
    group_name: str
    street_name: str
    points: DeputyPoints


def _district_mandate():
    return Mandate.objects.filter(
        deputy=OuterRef("pk"), level=Level.DISTRICT, ended_on=None
    ).order_by("-term_number")


def with_group_names(deputies: QuerySet[Deputy]) -> QuerySet[Deputy]:
    """Each deputy's district group and street, from their current district mandate."""
    mandate = _district_mandate()
    return deputies.annotate(
        group_name=Subquery(mandate.values("group__name")[:1]),
        street_name=Subquery(mandate.values("street__name")[:1]),
    )


def point_rows(visible: QuerySet[Deputy], filters: PointFilters) -> list[PointRow]:
    """The current district deputies among `visible` with their points, filtered and sorted:
    a constant number of queries whatever their number."""
    seat = {"level": Level.DISTRICT}
    if filters.group:
        seat["group_id"] = filters.group
    if filters.street:
        seat["street_id"] = filters.street
    deputies = visible.with_active_mandate(**seat)
    people = list(
        with_group_names(deputies)
        .in_stroke_order()
        .values_list("pk", "full_name", "group_name", "street_name")
    )
    points = points_for(deputies.values("pk"), filters.year, filters.quarter)
    rows = [
        PointRow(pk, name, group or "", street or "", points[pk])
        for pk, name, group, street in people
        if pk in points
    ]
    if filters.band:
        rows = [r for r in rows if r.points.band == filters.band]
    if filters.sort == "points":
        rows.sort(key=lambda r: -r.points.year_points)  # stable: stroke order among equals
    return rows
