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

MESSAGES = {
    "overdue": "计划事项已逾期",
    "stale": "计划事项长期没有进展报告",
    "busy": "计划事项临近期限仍无成果",
}


def _recipients(item) -> list[User]:
    users = list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.STAFF,
            memberships__office_id=item.owner_office_id,
        ).distinct()
    )
    if item.leader_id:
        users.append(item.leader)
    return users


@register("plan_attention")
def remind_attention(now: datetime) -> int:
    today = timezone.localdate(now)
    sent = 0
    for key, title in MESSAGES.items():
        for item in queries.attention(key, today=today):
            # The key holds the deadline (or the last report) so a change re-arms the reminder.
            marker = item.ends_on if key != "stale" else item.last_report_on or item.starts_on
            sent += len(
                notify(
                    users=_recipients(item),
                    title=f"{title}：{item.title}",
                    body=f"完成期限：{item.ends_on}",
                    url=reverse("plans:item", args=[item.pk]),
                    key=f"plan-item:{item.pk}:{key}:{marker}",
                )
            )
    for milestone in queries.overdue_milestones(today=today):
        sent += len(
            notify(
                users=_recipients(milestone.item),
                title=f"节点已逾期：{milestone.item.title} · {milestone.title}",
                body=f"节点期限：{milestone.due_on}",
                url=reverse("plans:item", args=[milestone.item_id]),
                key=f"plan-milestone:{milestone.pk}:overdue:{milestone.due_on}",
            )
        )
    return sent
