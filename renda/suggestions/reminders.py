"""The deadline tick of suggestions: reminders before the deadline (configurable days, e.g. 15
and 3) and once overdue, to the units that still owe an answer and the assigning office (and the
deputy once overdue). Sent once each: the notification key holds the due date and the reminder
day, so a second tick sends nothing and an extension arms the reminders again."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from renda.core.models import User
from renda.core.notifications import notify
from renda.core.ticks import register
from renda.suggestions.models import Answer, Assignment, HandlingRules, Suggestion
from renda.suggestions.queries import deputy_users, office_staff, unit_users


def _owing_unit_ids(suggestion: Suggestion) -> list[int]:
    """Live answering units without an answer sent in this round (in separate handling a unit
    that has answered its part is not reminded)."""
    answered = {a.unit_id for a in suggestion.current_answers}
    return [a.unit_id for a in suggestion.live_answering if a.unit_id not in answered]


def _reminder_day(left: int, days: list[int]) -> int | None:
    """The most urgent reminder day reached: with 15 and 3, 10 days left -> 15, 2 left -> 3.
    A tick that missed a day (worker down) still sends the reminder due now, once."""
    reached = [d for d in days if left <= d]
    return min(reached) if reached else None


def _rows(today, horizon):
    return (
        Suggestion.objects.open()
        .filter(due_at__lte=horizon)
        .select_related("deputy__user")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN).filter(
                    role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE)
                ),
                to_attr="live_answering",
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.filter(status=Answer.Status.SENT),
                to_attr="sent_answers",
            ),
        )
    )


@register("suggestion_deadlines")
def remind_deadlines(now: datetime) -> int:
    today = timezone.localdate(now)
    days = HandlingRules.current().reminder_day_list
    horizon = today + timedelta(days=max(days, default=0))
    office: list[User] = office_staff()
    sent = 0
    for suggestion in _rows(today, horizon):
        suggestion.current_answers = [
            a for a in suggestion.sent_answers if a.round == suggestion.round
        ]
        url = reverse("suggestions:detail", args=[suggestion.pk])
        label = f"{suggestion.display_number}{suggestion.title}"
        units = unit_users(_owing_unit_ids(suggestion))
        left = (suggestion.due_at - today).days
        if left < 0:
            sent += len(
                notify(
                    users=units + office + deputy_users(suggestion),
                    title=f"建议已逾期未答复：{label}",
                    body=f"答复期限为 {suggestion.due_at}，已逾期 {-left} 天，请尽快答复。",
                    url=url,
                    key=f"suggestion:{suggestion.pk}:overdue:{suggestion.due_at}",
                )
            )
            continue
        day = _reminder_day(left, days)
        if day is None:
            continue
        sent += len(
            notify(
                users=units + office,
                title=f"建议答复期限还有 {left} 天：{label}",
                body=f"答复期限为 {suggestion.due_at}。",
                url=url,
                key=f"suggestion:{suggestion.pk}:due:{suggestion.due_at}:{day}",
            )
        )
    return sent
