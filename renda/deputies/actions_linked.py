"""Activities that other work holds: an inspection's visit, a special inquiry. When that work
records the deputies who took part, the same transaction enters a closed activity linked to it,
with those deputies attended (recorded by staff) — so it appears in their performance record and
counts in their points like any activity, with no second way of counting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.utils import timezone

from renda.core import clock
from renda.core.actions import record_event
from renda.core.models import Office, User
from renda.deputies.actions_activities import new_checkin_code
from renda.deputies.models import Activity, ActivityKind, ActivityStatus, Deputy, Invitation


def _moment(day: date) -> datetime:
    """When attendance is taken as recorded: now if it is the day, else ten on that day."""
    if day == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def record_held_activity(
    *,
    acting_user: User,
    kind: str,
    title: str,
    day: date,
    place: str,
    office: Office,
    deputies: Iterable[Deputy],
    via_label: str,
    **link,
) -> Activity | None:
    """Enter a held activity of `kind` linked to the work in `link` (inspection=…, inquiry=…),
    with `deputies` attended. Runs inside the caller's transaction; none without deputies."""
    deputies = list({d.pk: d for d in deputies if d is not None}.values())
    if not deputies:
        return None
    activity = Activity.objects.create(
        kind=kind,
        title=title[:100],
        organiser_office=office,
        date=day,
        starts_at=time(9, 0),
        place=(place or "—")[:100],
        status=ActivityStatus.CLOSED,
        checkin_code=new_checkin_code(),
        **link,
    )
    moment = _moment(day)
    Invitation.objects.bulk_create(
        Invitation(
            activity=activity,
            deputy=deputy,
            via=Invitation.Via.DIRECT,
            via_label=via_label[:60],
            response=Invitation.Response.SIGNED_UP,
            attendance=Invitation.Attendance.ATTENDED,
            checked_in_at=moment,
            checked_in_by=Invitation.CheckIn.STAFF,
            invited_at=moment,
        )
        for deputy in deputies
    )
    record_event(
        target=activity,
        actor=acting_user,
        verb="record_held_activity",
        summary=f"由{via_label}登记：{len(deputies)} 名代表参加（{ActivityKind(kind).label}）",
        to_state=activity.status,
        at=clock.now(),
    )
    return activity
