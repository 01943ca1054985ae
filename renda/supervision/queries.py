"""Reads of supervision that are more than a `get()`.

Rectification (整改): who sees which items, the list filters the page and the API share, the
overdue counts and the dashboard aggregates (in SQL, one query each), the one way to fetch an
item for a user, and the moves a user may make on an item now (`rectification_actions`, the
same rules the actions check)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from renda.core.models import Office, Unit
from renda.supervision import permissions as perms
from renda.supervision.actions.rectification import WITH_THE_UNIT, may_answer, may_supervise
from renda.supervision.models import (
    OPEN_RECTIFICATION_STATES,
    Rectification,
    RectificationStatus,
)

# ---------------------------------------------------------------------------------------------
# Who sees what


def visible_rectifications(user) -> QuerySet[Rectification]:
    """The organ reads every item; a unit only its own units' items; anyone else none."""
    if perms.is_organ(user):
        return Rectification.objects.all()
    if user.is_authenticated and user.roles.has("unit") and user.roles.unit_ids:
        return Rectification.objects.filter(unit_id__in=sorted(user.roles.unit_ids))
    return Rectification.objects.none()


LIST_RELATED = ("unit", "office", "opinion", "inspection", "inquiry")


def get_rectification_for_user(user, pk: int) -> Rectification:
    """The item if the user may see it, else 404 (an invisible item does not exist for them)."""
    item = (
        visible_rectifications(user)
        .select_related(*LIST_RELATED, "point", "problem", "question", "verified_by", "created_by")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise perms.not_found("整改事项")
    return item


def source_title(item: Rectification) -> str:
    """The title of the record the item traces back to (the review opinion, the inspection,
    the inquiry), read from the links the lists select; "" when the link is not set."""
    if item.opinion_id:
        return item.opinion.title
    if item.inspection_id:
        return item.inspection.title
    if item.inquiry_id:
        return item.inquiry.topic
    return ""


# ---------------------------------------------------------------------------------------------
# The list


OVERDUE_STATES = WITH_THE_UNIT  # a submitted item waits on the office, not on the body


def overdue_q(today: date) -> Q:
    """Still with the body past its deadline (the same rule as Rectification.objects.overdue)."""
    return Q(status__in=OVERDUE_STATES, due_on__lt=today)


# Besides each status, two groups a list link may ask for.
STATUS_GROUPS = {"todo": WITH_THE_UNIT, "open": OPEN_RECTIFICATION_STATES}
STATUS_CHOICES = [
    ("todo", "待整改和整改中"),
    ("open", "未销号（全部）"),
    *RectificationStatus.choices,
]


@dataclass(frozen=True)
class RectificationFilters:
    status: str = ""
    unit: int | None = None
    office: int | None = None
    source: str = ""
    overdue: bool = False
    q: str = ""
    due_after: date | None = None
    due_before: date | None = None

    @property
    def is_empty(self) -> bool:
        return self == RectificationFilters()


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(str(value).strip()) if value else None
    except ValueError:
        return None


def filters_from_params(params) -> RectificationFilters:
    """Unknown or malformed values are ignored rather than refused: a list link never breaks."""
    status = params.get("status", "")
    source = params.get("source", "")
    return RectificationFilters(
        status=status if status in RectificationStatus.values or status in STATUS_GROUPS else "",
        unit=_positive_int(params.get("unit")),
        office=_positive_int(params.get("office")),
        source=source if source in Rectification.Source.values else "",
        overdue=params.get("overdue", "") in ("1", "true", "on"),
        q=(params.get("q") or "").strip()[:100],
        due_after=_date(params.get("due_after")),
        due_before=_date(params.get("due_before")),
    )


def rectification_list(
    user, filters: RectificationFilters, *, today: date
) -> QuerySet[Rectification]:
    """The items this user may see, filtered, by deadline; the page, its export and the API
    all list through here. `due_after` / `due_before` are inclusive."""
    rows = visible_rectifications(user)
    if filters.status in STATUS_GROUPS:
        rows = rows.filter(status__in=STATUS_GROUPS[filters.status])
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    if filters.office:
        rows = rows.filter(office_id=filters.office)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.overdue:
        rows = rows.filter(overdue_q(today))
    if filters.q:
        rows = rows.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.due_after:
        rows = rows.filter(due_on__gte=filters.due_after)
    if filters.due_before:
        rows = rows.filter(due_on__lte=filters.due_before)
    return rows.select_related(*LIST_RELATED).order_by("due_on", "id")


def unit_choices(user) -> QuerySet[Unit]:
    """The units a list filter offers: every unit to the organ, a unit user their own."""
    if perms.is_organ(user):
        return Unit.objects.filter(is_active=True)
    return Unit.objects.filter(pk__in=sorted(user.roles.unit_ids))


def office_choices() -> QuerySet[Office]:
    return Office.objects.filter(is_active=True)


# ---------------------------------------------------------------------------------------------
# Counts and the dashboard (one aggregate query each)


COUNT_KEYS = ("total", "open", "overdue", "due_soon", "submitted", "verified")
COUNT_LABELS = {
    "total": "合计",
    "open": "未销号",
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "submitted": "待销号",
    "verified": "已销号",
}


def _counts(today: date, soon_days: int) -> dict[str, Count]:
    soon = today + timedelta(days=soon_days)
    return {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status__in=OPEN_RECTIFICATION_STATES)),
        "overdue": Count("pk", filter=overdue_q(today)),
        "due_soon": Count(
            "pk", filter=Q(status__in=OVERDUE_STATES, due_on__gte=today, due_on__lte=soon)
        ),
        "submitted": Count("pk", filter=Q(status=RectificationStatus.SUBMITTED)),
        "verified": Count("pk", filter=Q(status=RectificationStatus.VERIFIED)),
    }


def overdue_counts(
    rows: QuerySet[Rectification] | None = None, *, today: date, soon_days: int = 7
) -> dict[str, int]:
    """Totals of `rows` (default: every item): open, overdue, due within `soon_days`,
    submitted, verified — one query."""
    rows = Rectification.objects.all() if rows is None else rows
    return rows.order_by().aggregate(**_counts(today, soon_days))


def dashboard(
    rows: QuerySet[Rectification] | None = None, *, today: date, soon_days: int = 7
) -> dict[str, list[dict]]:
    """The counts per unit (rows carry `unit_id` for the click-through) and per source: two
    aggregate queries whatever the number of items."""
    rows = Rectification.objects.all() if rows is None else rows
    counts = _counts(today, soon_days)
    by_unit = list(
        rows.order_by()
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(**counts)
        .order_by("-overdue", "unit__sort_order", "unit_id")
    )
    by_source = list(rows.order_by().values("source").annotate(**counts).order_by("source"))
    labels = dict(Rectification.Source.choices)
    for row in by_source:
        row["label"] = labels.get(row["source"], row["source"])
    return {"by_unit": by_unit, "by_source": by_source}


# ---------------------------------------------------------------------------------------------
# What a user may do now (pages and the API show only these; the actions check the same)


def rectification_actions(user, item: Rectification) -> set[str]:
    names: set[str] = set()
    if not user.is_authenticated:
        return names
    if may_answer(user, item):
        if item.status in WITH_THE_UNIT:
            names |= {"report_rectification", "submit_rectification"}
        if item.status in OPEN_RECTIFICATION_STATES:
            names.add("add_rectification_evidence")
    if may_supervise(user, item):
        if item.status == RectificationStatus.SUBMITTED:
            names |= {"verify_rectification", "reject_rectification"}
        if item.status in OPEN_RECTIFICATION_STATES:
            names.add("change_rectification_deadline")
    return names
