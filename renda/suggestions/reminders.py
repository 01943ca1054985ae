"""The deadline tick of suggestions: reminders before the deadline (configurable days, e.g. 15
and 3) and once overdue, to the answering units and the assigning office. Sent once each: the
notification key includes the due date, so an extension arms the reminders again."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from renda.core.notifications import notify
from renda.core.ticks import register
from renda.suggestions.models import Assignment, HandlingRules, Suggestion
from renda.suggestions.queries import deputy_users, office_staff, unit_users


def _recipients(suggestion: Suggestion, office) -> list:
    unit_ids = [
        a.unit_id
        for a in suggestion.assignments.all()
        if a.status != Assignment.Status.WITHDRAWN and a.answers_deputy
    ]
    return unit_users(unit_ids) + office


@register("suggestion_deadlines")
def remind_deadlines(now: datetime) -> int:
    today = timezone.localdate(now)
    rules = HandlingRules.current()
    days = rules.reminder_day_list
    soon = [today + timedelta(days=d) for d in days]
    rows = (
        Suggestion.objects.open()
        .filter(Q(due_at__lt=today) | Q(due_at__in=soon))
        .prefetch_related("assignments")
    )
    office = office_staff()
    sent = 0
    for suggestion in rows:
        url = reverse("suggestions:detail", args=[suggestion.pk])
        label = f"{suggestion.display_number}{suggestion.title}"
        if suggestion.due_at < today:
            sent += len(
                notify(
                    users=_recipients(suggestion, office) + deputy_users(suggestion),
                    title=f"建议已逾期未答复：{label}",
                    body=f"答复期限为 {suggestion.due_at}，请尽快答复。",
                    url=url,
                    key=f"suggestion:{suggestion.pk}:overdue:{suggestion.due_at}",
                )
            )
            continue
        left = (suggestion.due_at - today).days
        sent += len(
            notify(
                users=_recipients(suggestion, office),
                title=f"建议答复期限还有 {left} 天：{label}",
                body=f"答复期限为 {suggestion.due_at}。",
                url=url,
                key=f"suggestion:{suggestion.pk}:due:{suggestion.due_at}:{left}",
            )
        )
    return sent
