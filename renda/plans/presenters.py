"""What the plan pages show, shaped from query results: the item tree with each item's health, the
health badges, and the dashboard's chart data. No queries of its own beyond those named."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Value, When

from renda.plans import queries
from renda.plans.models import Plan, PlanItem

BADGE_CLASSES = {
    "on_track": "text-bg-success",
    "at_risk": "text-bg-warning",
    "overdue": "text-bg-danger",
    "completed": "text-bg-primary",
    "cancelled": "text-bg-secondary",
}
DASHBOARD_KEYS = ("on_track", "at_risk", "overdue", "completed")


@dataclass(frozen=True)
class Badge:
    key: str
    label: str
    css: str


def health_badge(key: str) -> Badge | None:
    if not key:
        return None
    return Badge(key=key, label=queries.HEALTH_LABELS[key], css=BADGE_CLASSES[key])


def health_by_item(plan: Plan, *, today: date) -> dict[int, str]:
    """The health key of every tracked item of the plan, in one query (the same definition as
    queries.item_health, evaluated for all items at once)."""
    h = queries.health(today=today)
    rows = (
        queries.tracked_items()
        .filter(plan=plan)
        .annotate(
            health_key=Case(
                *[When(getattr(h, key), then=Value(key)) for key in queries.HEALTH_KEYS],
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values_list("pk", "health_key")
    )
    return dict(rows)


@dataclass
class TreeNode:
    item: PlanItem
    depth: int
    badge: Badge | None
    children: list[TreeNode] = field(default_factory=list)


def item_tree(items: list[PlanItem], health: dict[int, str]) -> list[TreeNode]:
    """Nest the plan's items (already ordered by position) under their parents; a flat list of
    rows in reading order comes from `flatten`."""
    nodes = {
        item.pk: TreeNode(item=item, depth=0, badge=health_badge(health.get(item.pk, "")))
        for item in items
    }
    roots: list[TreeNode] = []
    for item in items:
        node = nodes[item.pk]
        parent = nodes.get(item.parent_id) if item.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def flatten(nodes: list[TreeNode], depth: int = 0) -> list[TreeNode]:
    rows: list[TreeNode] = []
    for node in nodes:
        node.depth = depth
        rows.append(node)
        rows += flatten(node.children, depth + 1)
    return rows


@dataclass(frozen=True)
class DashboardRow:
    label: str
    params: str  # the click-through's filter (office=… or kind=…)
    counts: list[tuple[str, str, int]]  # (key, label, count) in DASHBOARD_KEYS order
    total: int


def dashboard_rows(rows: list[dict], *, group_by: str, kinds: dict[str, str]) -> list[DashboardRow]:
    result = []
    for row in rows:
        if group_by == "office":
            label, params = row["owner_office__name"], f"office={row['owner_office_id']}"
        else:
            label, params = (
                kinds.get(row["plan__kind"], row["plan__kind"]),
                (f"kind={row['plan__kind']}"),
            )
        counts = [(key, queries.HEALTH_LABELS[key], row[key]) for key in DASHBOARD_KEYS]
        result.append(DashboardRow(label=label, params=params, counts=counts, total=row["total"]))
    return result


def chart_data(rows: list[DashboardRow]) -> dict:
    """ECharts' stacked bars: one category per row, one series per health key."""
    return {
        "categories": [row.label for row in rows],
        "series": [
            {
                "key": key,
                "name": queries.HEALTH_LABELS[key],
                "data": [row.counts[i][2] for row in rows],
            }
            for i, key in enumerate(DASHBOARD_KEYS)
        ],
    }
