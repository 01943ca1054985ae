"""Home-page panels of plans: the attention lists for the owner office and for the leaders."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from renda.core.home import Panel, PanelItem
from renda.core.models import Role
from renda.plans import queries

LIMIT = 6
LISTS = (
    ("overdue", "overdue", "计划事项已逾期"),
    ("stale", "waiting", "计划未落实（长期无进展）"),
    ("busy", "waiting", "忙而无果（临近期限仍无成果）"),
)


def plan_panels(user) -> list[Panel]:
    roles = user.roles
    if roles.has(Role.LEADER, Role.ADMIN):
        office_ids = None
    elif roles.office_ids:
        office_ids = roles.office_ids
    else:
        return []
    today = timezone.localdate()
    panels = []
    for key, kind, title in LISTS:
        rows = list(queries.attention(key, today=today, office_ids=office_ids)[: LIMIT + 1])
        if not rows:
            continue
        panels.append(
            Panel(
                title=title,
                kind=kind,
                items=[
                    PanelItem(
                        title=item.title,
                        url=reverse("plans:item", args=[item.pk]),
                        note=f"{item.owner_office.name} · {item.plan.get_kind_display()}",
                        badge=f"{item.ends_on:%m-%d}" if item.ends_on else "",
                        badge_class="text-bg-danger" if key == "overdue" else "text-bg-warning",
                    )
                    for item in rows[:LIMIT]
                ],
                more_url=reverse("plans:attention") + f"?list={key}",
            )
        )
    return panels
