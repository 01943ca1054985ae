"""Reads of activities: who sees which, who may do what now, the lists and the counts.

The organ sees every activity; a street's work committee sees its own and those that invite
its deputies; a deputy sees the activities they are invited to. Every id from a URL or the API
resolves through get_activity_for_user / get_invitation_for_user: invisible → 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from renda.core.models import Role
from renda.deputies.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Deputy,
    Invitation,
    Mandate,
)

ACTIVE = (ActivityStatus.PLANNED, ActivityStatus.OPEN)


def own_deputy(user) -> Deputy | None:
    """The deputy record of a logged-in deputy (remembered on the user for the request)."""
    if "_own_deputy" not in user.__dict__:
        found = None
        if user.is_authenticated and user.roles.has(Role.DEPUTY):
            found = Deputy.objects.filter(user=user).first()
        user.__dict__["_own_deputy"] = found
    return user.__dict__["_own_deputy"]


def visible_activities(user) -> QuerySet[Activity]:
    roles = user.roles
    if roles.sees_whole_congress:
        return Activity.objects.all()
    condition = Q(pk__in=[])
    if roles.has(Role.STREET):
        street_deputies = Mandate.objects.filter(
            ended_on=None, street_id__in=roles.street_ids
        ).values("deputy_id")
        invites_street = Invitation.objects.filter(
            activity=OuterRef("pk"), deputy_id__in=street_deputies
        )
        condition |= Q(organiser_street_id__in=roles.street_ids) | Exists(invites_street)
    deputy = own_deputy(user)
    if deputy is not None:
        condition |= Exists(Invitation.objects.filter(activity=OuterRef("pk"), deputy=deputy))
    return Activity.objects.filter(condition)


def get_activity_for_user(user, pk: int) -> Activity:
    activity = (
        visible_activities(user)
        .select_related("organiser_office", "organiser_street")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("未找到该活动，或您无权查看。")
    return activity


def get_invitation_for_user(user, pk: int) -> Invitation:
    invitations = Invitation.objects.select_related("activity", "deputy").filter(
        pk=pk, activity__in=visible_activities(user).values("pk")
    )
    if not user.roles.has(Role.ADMIN, Role.LEADER, Role.STAFF, Role.STREET):
        invitations = invitations.filter(deputy__user=user)  # a deputy: their own only
    invitation = invitations.first()
    if invitation is None:
        raise Http404("未找到该邀请，或您无权查看。")
    return invitation


def organises(user, activity: Activity) -> bool:
    """Who runs an activity: the administrator, the organ's staff (any office: activities are
    shared work), and a street's committee for its own street's activities."""
    roles = user.roles
    if roles.is_admin or roles.has(Role.STAFF):
        return True
    return roles.has(Role.STREET) and activity.organiser_street_id in roles.street_ids


def may_create_activity(user) -> bool:
    return user.roles.has(Role.ADMIN, Role.STAFF, Role.STREET)


def activity_actions(user, activity: Activity) -> set[str]:
    """The activity-level actions the user may take now (pages and the API show only these)."""
    if not organises(user, activity):
        return set()
    status = activity.status
    allowed = set()
    if status in ACTIVE:
        allowed |= {"update_activity", "invite", "cancel_activity"}
        if status == ActivityStatus.PLANNED:
            allowed.add("open_signup")
        if activity.date <= timezone.localdate():
            allowed |= {"mark_held", "record_attendance"}
    elif status == ActivityStatus.HELD:
        allowed |= {"close_activity", "record_attendance"}
    return allowed


def _answers(user, invitation: Invitation) -> bool:
    """The invited deputy themselves, while the activity is ahead and they have not come."""
    deputy = own_deputy(user)
    return (
        deputy is not None
        and deputy.pk == invitation.deputy_id
        and invitation.activity.status in ACTIVE
        and invitation.attendance != Invitation.Attendance.ATTENDED
    )


def invitation_actions(user, invitation: Invitation) -> set[str]:
    """What a user may do with one invitation now: the deputy answers and asks for leave; the
    organiser decides on leave and records attendance."""
    activity = invitation.activity
    allowed = set()
    if _answers(user, invitation):
        if (
            activity.status == ActivityStatus.OPEN
            and invitation.response != Invitation.Response.SIGNED_UP
            and invitation.leave not in (Invitation.Leave.REQUESTED, Invitation.Leave.GRANTED)
        ):
            allowed.add("sign_up")
        if invitation.response != Invitation.Response.DECLINED:
            allowed.add("decline")
        if invitation.leave in ("", Invitation.Leave.REFUSED):
            allowed.add("request_leave")
        if activity.date == timezone.localdate() and invitation.leave != "granted":
            allowed.add("check_in")
    if organises(user, activity):
        if invitation.leave == Invitation.Leave.REQUESTED and activity.status in ACTIVE:
            allowed |= {"grant_leave", "refuse_leave"}
        if (
            "record_attendance" in activity_actions(user, activity)
            and invitation.attendance != Invitation.Attendance.ATTENDED
        ):
            allowed.add("record_attendance")
    return allowed


# ---------------------------------------------------------------------------------------------
# Lists


@dataclass
class ActivityFilters:
    kind: str = ""
    status: str = ""
    year: int | None = None
    q: str = ""

    @classmethod
    def from_params(cls, params) -> ActivityFilters:
        kind = params.get("kind") or ""
        status = params.get("status") or ""
        year = str(params.get("year") or "").strip()
        return cls(
            kind=kind if kind in ActivityKind.values else "",
            status=status if status in ActivityStatus.values else "",
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            q=(params.get("q") or "").strip()[:50],
        )


def with_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """Each activity with its invitation counts, in the same query."""
    responses = Invitation.Response
    return activities.annotate(
        invited_count=Count("invitations"),
        signed_up_count=Count("invitations", filter=Q(invitations__response=responses.SIGNED_UP)),
        leave_count=Count("invitations", filter=Q(invitations__leave=Invitation.Leave.GRANTED)),
        attended_count=Count(
            "invitations", filter=Q(invitations__attendance=Invitation.Attendance.ATTENDED)
        ),
        absent_count=Count(
            "invitations", filter=Q(invitations__attendance=Invitation.Attendance.ABSENT)
        ),
    )


def activity_list(user, filters: ActivityFilters) -> QuerySet[Activity]:
    activities = visible_activities(user)
    if filters.kind:
        activities = activities.filter(kind=filters.kind)
    if filters.status:
        activities = activities.filter(status=filters.status)
    if filters.year:
        activities = activities.filter(date__year=filters.year)
    if filters.q:
        activities = activities.filter(Q(title__contains=filters.q) | Q(place__contains=filters.q))
    activities = activities.select_related("organiser_office", "organiser_street")
    # Aggregates drop Meta.ordering: the page order is said again.
    return with_counts(activities).order_by("-date", "-starts_at", "-id")


def counts_of(activity: Activity) -> dict[str, int]:
    row = with_counts(Activity.objects.filter(pk=activity.pk)).values(
        "invited_count", "signed_up_count", "leave_count", "attended_count", "absent_count"
    )[0]
    return {name.removesuffix("_count"): value for name, value in row.items()}


def invitations_of(activity: Activity) -> QuerySet[Invitation]:
    return activity.invitations.select_related("deputy").order_by("deputy__name_stroke_key", "id")


def my_invitations(user, *, upcoming_only: bool = False) -> QuerySet[Invitation]:
    """A deputy's own invitations, the next activities first."""
    deputy = own_deputy(user)
    if deputy is None:
        return Invitation.objects.none()
    rows = Invitation.objects.filter(deputy=deputy).select_related(
        "activity", "activity__organiser_office", "activity__organiser_street"
    )
    if upcoming_only:
        rows = rows.filter(activity__date__gte=timezone.localdate())
    return rows.order_by("-activity__date", "-activity__starts_at", "id")


def invitation_for_check_in(user, activity: Activity) -> Invitation | None:
    deputy = own_deputy(user)
    if deputy is None:
        return None
    return activity.invitations.filter(deputy=deputy).first()


def is_activity_day(activity: Activity, today: date | None = None) -> bool:
    return activity.date == (today or timezone.localdate())
