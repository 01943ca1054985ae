"""The deadline tick of plans: overdue milestones and items, items without progress, items busy
without result — each told once to the owner office and the leader in charge."""

from __future__ import annotations

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from renda.core.models import Role, User
from renda.core.notifications import notify
from renda.core.ticks import register
from renda.plans import queries
from renda.plans.models import PlanItem, PlanRules

MESSAGES = {
    "overdue": "计划事项已逾期",
    "stale": "计划事项长期没有进展报告",
    "busy": "计划事项临近期限仍无成果",
}


class _Recipients:
    """The owner office's staff (read once per office per tick) and the leader in charge."""

    def __init__(self) -> None:
        self._staff: dict[int, list[User]] = {}

    def __call__(self, item: PlanItem) -> list[User]:
        office_id = item.owner_office_id
        if office_id not in self._staff:
            self._staff[office_id] = list(
                User.objects.filter(
                    is_active=True, memberships__role=Role.STAFF, memberships__office_id=office_id
                ).distinct()
            )
        return self._staff[office_id] + ([item.leader] if item.leader_id else [])


def _marker(key: str, item: PlanItem):
    """What the reminder is about, in its key: a postponement (new end date) or a new report
    re-arms it."""
    if key == "stale":
        return item.last_report_on or item.starts_on or item.plan.approved_at.date()
    return item.ends_on


@register("plan_attention")
def remind_attention(now: datetime) -> int:
    today = timezone.localdate(now)
    rules = PlanRules.current()
    recipients = _Recipients()
    sent = 0
    for key, title in MESSAGES.items():
        for item in queries.attention(key, today=today, rules=rules):
            sent += len(
                notify(
                    users=recipients(item),
                    title=f"{title}：{item.title}",
                    body=f"完成期限：{item.ends_on}",
                    url=reverse("plans:item", args=[item.pk]),
                    key=f"plan-item:{item.pk}:{key}:{_marker(key, item)}",
                )
            )
    for milestone in queries.overdue_milestones(today=today):
        sent += len(
            notify(
                users=recipients(milestone.item),
                title=f"节点已逾期：{milestone.item.title} · {milestone.title}",
                body=f"节点期限：{milestone.due_on}",
                url=reverse("plans:item", args=[milestone.item_id]),
                key=f"plan-milestone:{milestone.pk}:overdue:{milestone.due_on}",
            )
        )
    return sent
