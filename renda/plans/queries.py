"""Reads of plans: the attention lists (overdue milestones, "planned but not implemented",
"busy with nothing to show") and the leaders' dashboard, aggregated in SQL.

Health of an open item of a binding plan, one definition used everywhere:
- overdue: its completion date has passed, or one of its milestones is past due;
- at risk: not overdue, but stale (no progress report for `stale_days` since it started — or,
  without a start date, since its plan was approved — or since its last report) or busy without
  result (reported on, but within `busy_window_days` of its completion date with no result yet);
- on track: the rest. Completed and cancelled items are counted apart.
Only leaf items are counted (a parent's state is its children's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from renda.plans.models import (
    OPEN_ITEM_STATES,
    ItemStatus,
    Milestone,
    Plan,
    PlanItem,
    PlanRules,
    PlanStatus,
)
from renda.plans.permissions import visible_plans

BINDING = (PlanStatus.APPROVED, PlanStatus.PUBLISHED)


@dataclass(frozen=True)
class Health:
    """The conditions of the health definition, as Q objects on PlanItem for one day."""

    overdue: Q
    stale: Q
    busy: Q
    at_risk: Q
    on_track: Q
    completed: Q
    cancelled: Q


def health(*, today: date, rules: PlanRules | None = None) -> Health:
    rules = rules or PlanRules.current()
    stale_before = today - timedelta(days=rules.stale_days)
    open_ = Q(status__in=OPEN_ITEM_STATES)
    milestone_late = Exists(
        Milestone.objects.filter(item=OuterRef("pk"), done_on=None, due_on__lt=today)
    )
    overdue = open_ & (Q(ends_on__lt=today) | Q(milestone_late))
    # An item is not stale before its plan binds, nor before it starts.
    started_long_ago = Q(plan__approved_at__date__lte=stale_before) & (
        Q(starts_on=None) | Q(starts_on__lte=stale_before)
    )
    stale = (
        open_ & started_long_ago & (Q(last_report_on=None) | Q(last_report_on__lte=stale_before))
    )
    busy = (
        open_
        & Q(report_count__gt=0)
        & Q(ends_on__lte=today + timedelta(days=rules.busy_window_days))
    )
    at_risk = open_ & ~overdue & (stale | busy)
    on_track = open_ & ~overdue & ~(stale | busy)
    return Health(
        overdue=overdue,
        stale=stale,
        busy=busy,
        at_risk=at_risk,
        on_track=on_track,
        completed=Q(status=ItemStatus.COMPLETED),
        cancelled=Q(status=ItemStatus.CANCELLED),
    )


def tracked_items() -> QuerySet[PlanItem]:
    """Leaf items of binding plans: what implementation is measured on."""
    return PlanItem.objects.filter(plan__status__in=BINDING).filter(
        ~Exists(PlanItem.objects.filter(parent=OuterRef("pk")))
    )


ATTENTION_KEYS = ("overdue", "stale", "busy")


def attention_conditions(h: Health) -> dict[str, Q]:
    """The attention lists as conditions: an overdue item is on the overdue list only."""
    return {"overdue": h.overdue, "stale": h.stale & ~h.overdue, "busy": h.busy & ~h.overdue}


def attention(
    kind: str, *, today: date, office_ids=None, rules: PlanRules | None = None
) -> QuerySet[PlanItem]:
    """One attention list: "overdue", "stale" (planned but not implemented) or "busy" (busy with
    nothing to show), optionally for some owner offices."""
    condition = attention_conditions(health(today=today, rules=rules))[kind]
    rows = tracked_items().filter(condition)
    if office_ids is not None:
        rows = rows.filter(owner_office_id__in=list(office_ids))
    return rows.select_related("plan", "owner_office", "leader").order_by("ends_on", "id")


def overdue_milestones(*, today: date, office_ids=None) -> QuerySet[Milestone]:
    rows = Milestone.objects.filter(
        done_on=None,
        due_on__lt=today,
        item__status__in=OPEN_ITEM_STATES,
        item__plan__status__in=BINDING,
    )
    if office_ids is not None:
        rows = rows.filter(item__owner_office_id__in=list(office_ids))
    return rows.select_related("item", "item__owner_office", "item__leader").order_by(
        "due_on", "id"
    )


def attention_counts(
    *, today: date, office_ids=None, rules: PlanRules | None = None
) -> dict[str, int]:
    """The length of every attention list in one aggregate query (for the home panels)."""
    conditions = attention_conditions(health(today=today, rules=rules))
    rows = tracked_items()
    if office_ids is not None:
        rows = rows.filter(owner_office_id__in=list(office_ids))
    return rows.aggregate(**{key: Count("pk", filter=conditions[key]) for key in ATTENTION_KEYS})


HEALTH_KEYS = ("on_track", "at_risk", "overdue", "completed", "cancelled")
HEALTH_LABELS = {
    "on_track": "正常推进",
    "at_risk": "有风险",
    "overdue": "已逾期",
    "completed": "已完成",
    "cancelled": "已取消",
}


def dashboard(
    *, year: int, today: date, group_by: str, rules: PlanRules | None = None
) -> list[dict]:
    """Counts by health per owner office (`group_by="office"`: rows carry `owner_office_id` for
    the click-through) or plan kind (`"kind"`): one aggregate query whatever the number of
    items (plus one for the rules unless given)."""
    columns = {
        "office": ("owner_office_id", "owner_office__name", "owner_office__sort_order"),
        "kind": ("plan__kind",),
    }[group_by]
    order = {"office": ("owner_office__sort_order", "owner_office_id"), "kind": ("plan__kind",)}[
        group_by
    ]
    h = health(today=today, rules=rules)
    return list(
        tracked_items()
        .filter(plan__year=year)
        .values(*columns)
        .annotate(
            total=Count("pk"),
            **{key: Count("pk", filter=getattr(h, key)) for key in HEALTH_KEYS},
        )
        .order_by(*order)
    )


def items_by_health(
    *,
    key: str,
    year: int,
    today: date,
    office_id: int | None = None,
    kind: str = "",
    rules: PlanRules | None = None,
) -> QuerySet[PlanItem]:
    """The click-through of a dashboard cell."""
    if key not in HEALTH_KEYS:
        raise ValueError(f"unknown health {key!r}")
    condition = getattr(health(today=today, rules=rules), key)
    rows = tracked_items().filter(plan__year=year).filter(condition)
    if office_id:
        rows = rows.filter(owner_office_id=office_id)
    if kind:
        rows = rows.filter(plan__kind=kind)
    return rows.select_related("plan", "owner_office", "leader").order_by("ends_on", "id")


def item_health(item: PlanItem, *, today: date, rules: PlanRules | None = None) -> str:
    """The health key of one item (for its page) by the same definition, in one query; "" for
    an item that is not tracked (draft plan, or a parent)."""
    h = health(today=today, rules=rules)
    counts = (
        tracked_items()
        .filter(pk=item.pk)
        .aggregate(**{key: Count("pk", filter=getattr(h, key)) for key in HEALTH_KEYS})
    )
    return next((key for key in HEALTH_KEYS if counts[key]), "")


def plan_list(
    user,
    *,
    year: int | None = None,
    kind: str = "",
    office_id: int | None = None,
    status: str = "",
) -> QuerySet[Plan]:
    """The plans this user may read, filtered; the page and the API both list through here."""
    rows = visible_plans(user)
    if year:
        rows = rows.filter(year=year)
    if kind:
        rows = rows.filter(kind=kind)
    if office_id:
        rows = rows.filter(office_id=office_id)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("office").order_by("-year", "kind", "office__sort_order", "id")
