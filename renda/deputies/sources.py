"""What counts in a deputy's record and points: one definition per source (PointSource), read by
the performance record (which lists the items) and the points (which count them).

Each source is a queryset of the rows that hold it, a deputy column, a date column and a
quantity (1 per item, or the activity's half-days for leave from a session). Nothing is stored
per event: correcting an attendance or a suggestion corrects the record and the points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.expressions import Expression

from renda.deputies.models import (
    ActivityKind,
    ActivityStatus,
    Invitation,
    PointSource,
)
from renda.suggestions.models import REGISTERED_STATES, CoSigner, Status, Suggestion

# A suggestion counts once the office has registered it (or merged it into another: the deputy
# still raised it). Drafts, those waiting for review and those declined do not count.
COUNTED_SUGGESTION_STATES = (*REGISTERED_STATES, Status.MERGED)

# Activities count once they have been held.
HELD_STATES = (ActivityStatus.HELD, ActivityStatus.CLOSED)

# Which activity kinds each attendance source covers.
ACTIVITY_KINDS: dict[str, tuple[str, ...]] = {
    PointSource.VISIT_RESEARCH: (
        ActivityKind.VISIT,
        ActivityKind.RESEARCH,
        ActivityKind.INSPECTION,
        ActivityKind.INQUIRY,
    ),
    PointSource.RECEPTION: (ActivityKind.RECEPTION,),
    PointSource.TRAINING: (ActivityKind.TRAINING,),
    PointSource.GROUP_ACTIVITY: (ActivityKind.GROUP,),
    PointSource.STANDING_COMMITTEE: (ActivityKind.STANDING_COMMITTEE,),
}

# Meetings in the record: the congress sessions and the standing-committee meetings attended.
MEETING_KINDS = (ActivityKind.SESSION, ActivityKind.STANDING_COMMITTEE)


@dataclass(frozen=True)
class Source:
    rows: QuerySet
    deputy: str  # the column naming the deputy
    day: str  # the column (date or datetime) that places the item in a period
    quantity: Expression  # 1 per item, or the half-days of leave

    def within(self, start: date, end: date, deputy_ids=None) -> QuerySet:
        """The rows dated start..end inclusive, optionally for some deputies only."""
        day = self.day if not self.day.endswith("_at") else f"{self.day}__date"
        rows = self.rows.filter(**{f"{day}__gte": start, f"{day}__lte": end})
        if deputy_ids is not None:
            rows = rows.filter(**{f"{self.deputy}__in": deputy_ids})
        return rows


def held_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(activity__status__in=HELD_STATES)


def source(code: str) -> Source:
    """The rows of one point source (see PointSource)."""
    one = Value(1)
    if code == PointSource.SUGGESTION_LEAD:
        rows = Suggestion.objects.filter(status__in=COUNTED_SUGGESTION_STATES)
        return Source(rows, "deputy_id", "submitted_at", one)
    if code == PointSource.SUGGESTION_COSIGNED:
        rows = CoSigner.objects.filter(
            status=CoSigner.Status.CONFIRMED,
            suggestion__status__in=COUNTED_SUGGESTION_STATES,
        )
        return Source(rows, "deputy_id", "suggestion__submitted_at", one)
    if code in ACTIVITY_KINDS:
        rows = held_invitations().filter(
            attendance=Invitation.Attendance.ATTENDED, activity__kind__in=ACTIVITY_KINDS[code]
        )
        return Source(rows, "deputy_id", "activity__date", one)
    if code == PointSource.SESSION_LEAVE:
        # Leave granted but came after all: no half-days missed.
        rows = (
            held_invitations()
            .filter(activity__kind=ActivityKind.SESSION, leave=Invitation.Leave.GRANTED)
            .exclude(attendance=Invitation.Attendance.ATTENDED)
        )
        return Source(rows, "deputy_id", "activity__date", F("activity__half_days"))
    if code == PointSource.ABSENCE:
        return Source(absences(), "deputy_id", "activity__date", one)
    raise ValueError(f"unknown point source {code!r}")


def absences() -> QuerySet[Invitation]:
    """Absent from a held activity without leave granted (无故缺席)."""
    return (
        held_invitations()
        .filter(attendance=Invitation.Attendance.ABSENT)
        .exclude(leave=Invitation.Leave.GRANTED)
    )


def counts_by_deputy(
    code: str, start: date, end: date, deputy_ids=None
) -> dict[int, tuple[int, int]]:
    """{deputy id: (items, quantity)} for one source in start..end: one query for all deputies."""
    src = source(code)
    rows = (
        src.within(start, end, deputy_ids)
        .order_by()
        .values(src.deputy)
        .annotate(items=Count("pk"), quantity=Sum(src.quantity))
    )
    return {row[src.deputy]: (row["items"], row["quantity"] or 0) for row in rows}
