"""Home-page panels of plans: the attention lists for the owner office and for the leaders."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from renda.core.home import Panel, PanelItem
from renda.core.models import Role
from renda.plans import queries
from renda.plans.models import PlanItem, PlanRules

LIMIT = 6
LISTS = (
    ("overdue", "overdue", "计划事项已逾期"),
    ("stale", "waiting", "计划未落实（长期无进展）"),
    ("busy", "waiting", "忙而无果（临近期限仍无成果）"),
)


def plan_panels(user) -> list[Panel]:
    """Leaders see every office's lists, staff their own offices'. Cost: the rules, one
    aggregate of the list lengths, and one query per non-empty list."""
    roles = user.roles
    if roles.has(Role.LEADER, Role.ADMIN):
        office_ids = None
    elif roles.has(Role.STAFF) and roles.office_ids:
        office_ids = roles.office_ids
    else:
        return []
    today = timezone.localdate()
    rules = PlanRules.current()
    counts = queries.attention_counts(today=today, office_ids=office_ids, rules=rules)
    panels = []
    for key, kind, title in LISTS:
        if not counts[key]:
            continue
        rows = queries.attention(key, today=today, office_ids=office_ids, rules=rules)[:LIMIT]
        panels.append(
            Panel(
                title=title,
                kind=kind,
                items=[_panel_item(item, key) for item in rows],
                total=counts[key],
                more_url=reverse("plans:attention") + f"?list={key}",
            )
        )
    return panels


def _panel_item(item: PlanItem, key: str) -> PanelItem:
    return PanelItem(
        title=item.title,
        url=reverse("plans:item", args=[item.pk]),
        note=f"{item.owner_office.name} · {item.plan.get_kind_display()}",
        badge=f"{item.ends_on:%m-%d}" if item.ends_on else "",
        badge_class="text-bg-danger" if key == "overdue" else "text-bg-warning",
    )
