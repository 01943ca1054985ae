"""The supervision ticks. Rectification: items still with the body that fall due within the configured days
(SupervisionRules.remind_days_before) and items past their deadline are told once to the
body's users and the supervising office's staff. The key carries the deadline, so a changed
deadline re-arms both reminders. Review opinions: the body's handling report, the same way."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from renda.core.models import User
from renda.core.notifications import notify
from renda.core.ticks import register
from renda.supervision.actions import common
from renda.supervision.actions.opinions import opinion_url
from renda.supervision.actions.rectification import WITH_THE_UNIT, rectification_url
from renda.supervision.models import (
    OPEN_OPINION_STATES,
    Rectification,
    ReviewOpinion,
    SupervisionRules,
)


class _Recipients:
    """The unit's users and the office's staff, read once per unit and office per tick."""

    def __init__(self) -> None:
        self._units: dict[int, list[User]] = {}
        self._offices: dict[int, list[User]] = {}

    def __call__(self, item: Rectification | ReviewOpinion) -> list[User]:
        if item.unit_id not in self._units:
            self._units[item.unit_id] = common.unit_users(item.unit_id)
        if item.office_id not in self._offices:
            self._offices[item.office_id] = common.office_staff(item.office_id)
        return self._units[item.unit_id] + self._offices[item.office_id]


def _due(today, days: int):
    """(key, title, items) of both reminders, by deadline."""
    rows = Rectification.objects.filter(status__in=WITH_THE_UNIT).select_related("unit")
    soon = rows.filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))
    overdue = rows.filter(due_on__lt=today)
    return (
        ("due_soon", "整改事项即将到期", soon.order_by("due_on", "id")),
        ("overdue", "整改事项已逾期", overdue.order_by("due_on", "id")),
    )


@register("supervision_rectification")
def remind_rectifications(now: datetime) -> int:
    today = timezone.localdate(now)
    days = SupervisionRules.current().remind_days_before
    recipients = _Recipients()
    sent = 0
    for key, title, items in _due(today, days):
        for item in items:
            sent += len(
                notify(
                    users=recipients(item),
                    title=f"{title}：{item.title}",
                    body=f"整改责任单位：{item.unit.name}；整改期限：{item.due_on}",
                    url=rectification_url(item),
                    key=f"rectification:{item.pk}:{key}:{item.due_on}",
                    at=now,
                )
            )
    return sent


def _opinions_due(today, days: int):
    """(key, title, opinions) of the handling-report reminders: issued or followed up, the report
    not yet made."""
    rows = ReviewOpinion.objects.filter(status__in=OPEN_OPINION_STATES).select_related("unit")
    soon = rows.filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))
    overdue = rows.filter(due_on__lt=today)
    return (
        ("due_soon", "审议意见研究处理情况报告即将到期", soon.order_by("due_on", "id")),
        ("overdue", "审议意见研究处理情况报告已逾期", overdue.order_by("due_on", "id")),
    )


@register("supervision_opinions")
def remind_opinions(now: datetime) -> int:
    """A body's written report on a review opinion (due 2 months after it was issued, or after a
    follow-up vote) is told once before it falls due and once when it is late, to the body's
    users and the supervising office's staff; the key carries the due date and the round."""
    today = timezone.localdate(now)
    days = SupervisionRules.current().remind_days_before
    recipients = _Recipients()
    sent = 0
    for key, title, opinions in _opinions_due(today, days):
        for opinion in opinions:
            sent += len(
                notify(
                    users=recipients(opinion),
                    title=f"{title}：{opinion.title}",
                    body=f"交办机关：{opinion.unit.name}；报告期限：{opinion.due_on}",
                    url=opinion_url(opinion),
                    key=f"opinion:{opinion.pk}:{opinion.round}:{key}:{opinion.due_on}",
                    at=now,
                )
            )
    return sent
