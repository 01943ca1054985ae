from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from renda.meetings.models import Meeting


def meetings(*, kind: str = "", year: int | None = None) -> QuerySet[Meeting]:
    result = Meeting.objects.all()
    if kind in Meeting.Kind.values:
        result = result.filter(kind=kind)
    if year:
        result = result.filter(date__year=year)
    return result


def upcoming(*, limit: int = 5) -> list[Meeting]:
    return list(
        Meeting.objects.filter(date__gte=timezone.localdate()).order_by("date", "id")[:limit]
    )
