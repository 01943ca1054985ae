"""The figures of the deputies' work hub (代表工作): what needs attention in activities, stations
and points, each one aggregate over what the user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from renda.deputies.models import (
    ActivityStatus,
    Invitation,
    PointBulletin,
    VoterOpinionStatus,
)
from renda.deputies.queries_activities import ACTIVE, visible_activities
from renda.deputies.queries_stations import visible_opinions, visible_stations


def activity_figures(user, today: date) -> dict[str, int]:
    figures = visible_activities(user).aggregate(
        upcoming=Count("pk", filter=Q(status__in=ACTIVE, date__gte=today)),
        to_close=Count("pk", filter=Q(status=ActivityStatus.HELD)),
        past_open=Count("pk", filter=Q(status__in=ACTIVE, date__lt=today)),
    )
    figures["leave_requests"] = Invitation.objects.filter(
        activity__in=visible_activities(user).filter(status__in=ACTIVE),
        leave=Invitation.Leave.REQUESTED,
    ).count()
    return figures


def station_figures(user, today: date) -> dict[str, int]:
    figures = visible_opinions(user).aggregate(
        open=Count("pk", filter=~Q(status=VoterOpinionStatus.REPORTED)),
        overdue=Count("pk", filter=Q(status=VoterOpinionStatus.TO_UNIT, unit_due_on__lt=today)),
        to_report=Count("pk", filter=Q(status=VoterOpinionStatus.ANSWERED)),
    )
    figures["stations"] = visible_stations(user).filter(is_active=True).count()
    return figures


def latest_bulletin() -> PointBulletin | None:
    return PointBulletin.objects.order_by("-year", "-quarter").first()
