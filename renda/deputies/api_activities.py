"""Activities on the API under /api/v1/deputies/activities: the list, one activity with its
invitations and counts, a deputy's own invitations, and one operation per action. The same
actions and rules as the pages; ids resolve through get_activity_for_user /
get_invitation_for_user (invisible → 404); refusals are the project's one error shape."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import ClockTime
from renda.core.api_types import Capacity, HalfDays, Id, Limit, Offset, Total, Version, Year
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.models import Office, Street
from renda.deputies import actions_activities as actions
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.models import Activity, Deputy, Group, Invitation
from renda.deputies.queries_activities import (
    LINK_LABELS,
    LINKS,
    XLSX,
    ActivityFilters,
    activity_actions,
    activity_list,
    activity_list_xlsx,
    attendance_sheet_xlsx,
    carried_out,
    counts_of,
    get_activity_for_user,
    get_invitation_for_user,
    invitation_actions,
    invitations_of,
    link_choices,
    list_filename,
    my_invitations,
    organises,
    sheet_filename,
)

router = Router(tags=["deputies"])

VIEWERS = ("admin", "leader", "staff", "street")
ORGANISERS = ("admin", "staff", "street")
MAX_LIMIT = 200


class ActivityCountsOut(Schema):
    invited: Total
    signed_up: Total
    leave: Total
    attended: Total
    absent: Total


class ActivityOut(Schema):
    id: Id
    kind: str
    kind_name: str
    title: str
    organiser_office_id: Id | None
    organiser_street_id: Id | None
    organiser: str
    date: date
    starts_at: ClockTime
    ends_at: ClockTime | None
    place: str
    capacity: Capacity | None
    note: str
    half_days: HalfDays
    station_id: Id | None
    meeting_id: Id | None
    inspection_id: Id | None
    inquiry_id: Id | None
    plan_item_id: Id | None
    status: str
    status_name: str
    cancel_reason: str
    version: Version
    counts: ActivityCountsOut
    actions: list[str]


class CarriedOutOut(Schema):
    link: str  # station, meeting, inspection, inquiry or plan_item
    label: str
    id: Id
    name: str


class ActivityInvitationOut(Schema):
    id: Id
    activity_id: Id
    deputy_id: Id
    deputy_name: str
    via: str
    via_label: str
    response: str
    leave: str
    leave_reason: str
    leave_answer: str
    attendance: str
    checked_in_at: datetime | None
    checked_in_by: str
    actions: list[str]


class ActivityDetailOut(ActivityOut):
    checkin_code: str | None
    carries_out: CarriedOutOut | None
    invitations: list[ActivityInvitationOut]


class ActivityPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[ActivityOut]


class FilterQuery(Schema):
    kind: str = ""
    status: str = ""
    year: Year | None = None
    q: str = ""


class ActivityListQuery(FilterQuery):
    offset: Offset = 0
    limit: Limit = 50


class ActivityIn(Schema):
    kind: str
    title: str
    organiser_office_id: Id | None = None
    organiser_street_id: Id | None = None
    date: date
    starts_at: ClockTime
    ends_at: ClockTime | None = None
    place: str
    capacity: Capacity | None = None
    note: str = ""
    half_days: HalfDays = 1
    # What the activity carries out: at most one, of a kind that fits.
    station_id: Id | None = None
    meeting_id: Id | None = None
    inspection_id: Id | None = None
    inquiry_id: Id | None = None
    plan_item_id: Id | None = None


class ActivityEditIn(ActivityIn):
    version: Version


class ActivityVersionIn(Schema):
    version: Version


class ActivityReasonIn(Schema):
    reason: str = ""
    version: Version


class InvitationReasonIn(Schema):
    """A deputy's or the organiser's reason on one invitation (which carries no version)."""

    reason: str = ""


class ActivityAnswerIn(Schema):
    answer: str = ""


class ActivityInviteIn(Schema):
    deputy_ids: list[Id] = []
    group_ids: list[Id] = []
    levels: list[str] = []


class InviteOut(Schema):
    invited: Total
    activity: ActivityDetailOut


class CheckInIn(Schema):
    code: str


def _counts(activity: Activity) -> ActivityCountsOut:
    if hasattr(activity, "invited_count"):
        return ActivityCountsOut(
            invited=activity.invited_count,
            signed_up=activity.signed_up_count,
            leave=activity.leave_count,
            attended=activity.attended_count,
            absent=activity.absent_count,
        )
    return ActivityCountsOut(**counts_of(activity))


def _out(user, activity: Activity) -> dict:
    return dict(
        id=activity.pk,
        kind=activity.kind,
        kind_name=activity.get_kind_display(),
        title=activity.title,
        organiser_office_id=activity.organiser_office_id,
        organiser_street_id=activity.organiser_street_id,
        organiser=activity.organiser_name,
        date=activity.date,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        place=activity.place,
        capacity=activity.capacity,
        note=activity.note,
        half_days=activity.half_days,
        **{f"{name}_id": getattr(activity, f"{name}_id") for name in LINKS},
        status=activity.status,
        status_name=activity.get_status_display(),
        cancel_reason=activity.cancel_reason,
        version=activity.version,
        counts=_counts(activity),
        actions=sorted(activity_actions(user, activity)),
    )


def _invitation_out(user, invitation: Invitation) -> ActivityInvitationOut:
    return ActivityInvitationOut(
        id=invitation.pk,
        activity_id=invitation.activity_id,
        deputy_id=invitation.deputy_id,
        deputy_name=invitation.deputy.full_name,
        via=invitation.via,
        via_label=invitation.via_label,
        response=invitation.response,
        leave=invitation.leave,
        leave_reason=invitation.leave_reason,
        leave_answer=invitation.leave_answer,
        attendance=invitation.attendance,
        checked_in_at=invitation.checked_in_at,
        checked_in_by=invitation.checked_in_by,
        actions=sorted(invitation_actions(user, invitation)),
    )


def _detail(user, activity_id: int) -> ActivityDetailOut:
    activity = get_activity_for_user(user, activity_id)
    organiser = organises(user, activity)
    if organiser or user.roles.has(*VIEWERS):
        invitations = list(invitations_of(activity))
    else:  # a deputy sees their own invitation only
        invitations = [i for i in invitations_of(activity) if i.deputy.user_id == user.pk]
    for invitation in invitations:
        invitation.activity = activity
    work = carried_out(user, activity)
    return ActivityDetailOut(
        **_out(user, activity),
        checkin_code=activity.checkin_code if organiser else None,
        carries_out=CarriedOutOut(link=work.name, label=work.label, id=work.pk, name=work.text)
        if work
        else None,
        invitations=[_invitation_out(user, i) for i in invitations],
    )


def _links(user, payload: ActivityIn, current: Activity | None) -> dict:
    """The linked work by id, among what the user may see (an activity's current link always
    resolves): an unknown or invisible id is refused by name."""
    choices = None
    found = {}
    for name in LINKS:
        pk = getattr(payload, f"{name}_id")
        if pk is None:
            continue
        choices = choices or link_choices(user)
        model = choices[name].model
        if current is not None and getattr(current, f"{name}_id") == pk:
            target = model.objects.filter(pk=pk).first()
        else:
            target = choices[name].filter(pk=pk).first()
        if target is None:
            message = f"没有该{LINK_LABELS[name]}，或您无权选择"
            raise DomainError("invalid", message + "。", field_errors={f"{name}_id": message})
        found[name] = target
    return found


def _values(user, payload: ActivityIn, current: Activity | None = None) -> ActivityFields:
    office = street = None
    if payload.organiser_office_id is not None:
        office = Office.objects.filter(pk=payload.organiser_office_id).first()
        if office is None:
            raise DomainError(
                "invalid", "没有该处室。", field_errors={"organiser_office_id": "没有该处室"}
            )
    if payload.organiser_street_id is not None:
        street = Street.objects.filter(pk=payload.organiser_street_id).first()
        if street is None:
            raise DomainError(
                "invalid", "没有该街道。", field_errors={"organiser_street_id": "没有该街道"}
            )
    return ActivityFields(
        kind=payload.kind,
        title=payload.title,
        date=payload.date,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        capacity=payload.capacity,
        note=payload.note,
        half_days=payload.half_days,
        organiser_office=office,
        organiser_street=street,
        **_links(user, payload, current),
    )


# ---------------------------------------------------------------------------------------------
# Reads


@router.get(
    "/", response=ActivityPage, summary="履职活动列表（含邀请、报名、请假、出席、缺席人数）"
)
@api_allow(*VIEWERS)
def list_activities(request: HttpRequest, params: Query[ActivityListQuery]):
    rows = activity_list(request.user, ActivityFilters.from_params(params.dict()))
    offset = max(params.offset, 0)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [ActivityOut(**_out(request.user, a)) for a in rows[offset : offset + limit]]
    return ActivityPage(count=rows.count(), offset=offset, limit=limit, items=items)


@router.get("/export", summary="导出履职活动列表（.xlsx，按筛选条件的全部行）")
@api_allow(*VIEWERS)
def export_activities(request: HttpRequest, params: Query[FilterQuery]):
    content = activity_list_xlsx(request.user, ActivityFilters.from_params(params.dict()))
    return download(content, content_type=XLSX, filename=list_filename())


@router.get("/mine", response=list[ActivityInvitationOut], summary="我的活动邀请（代表本人）")
@api_allow("deputy")
def list_my_invitations(request: HttpRequest):
    return [_invitation_out(request.user, i) for i in my_invitations(request.user)[:MAX_LIMIT]]


@router.get("/{int:activity_id}", response=ActivityDetailOut, summary="活动详情（含邀请名单）")
@api_allow(*VIEWERS, "deputy")
def get_activity(request: HttpRequest, activity_id: Id):
    return _detail(request.user, activity_id)


@router.get("/{int:activity_id}/attendance-sheet", summary="导出活动签到表（.xlsx）")
@api_allow(*VIEWERS)
def export_attendance_sheet(request: HttpRequest, activity_id: Id):
    activity = get_activity_for_user(request.user, activity_id)
    return download(
        attendance_sheet_xlsx(activity), content_type=XLSX, filename=sheet_filename(activity)
    )


# ---------------------------------------------------------------------------------------------
# The activity's actions


@router.post("/", response={201: ActivityDetailOut}, summary="新建活动")
@api_allow(*ORGANISERS)
def create_activity(request: HttpRequest, payload: ActivityIn):
    values = _values(request.user, payload)
    activity = actions.create_activity(acting_user=request.user, values=values)
    return HttpStatus(201, _detail(request.user, activity.pk))


@router.put("/{int:activity_id}", response=ActivityDetailOut, summary="修改活动")
@api_allow(*ORGANISERS)
def update_activity(request: HttpRequest, activity_id: Id, payload: ActivityEditIn):
    activity = get_activity_for_user(request.user, activity_id)
    actions.update_activity(
        acting_user=request.user,
        activity=activity,
        values=_values(request.user, payload, activity),
        version=payload.version,
    )
    return _detail(request.user, activity_id)


@router.post(
    "/{int:activity_id}/invite",
    response=InviteOut,
    summary="邀请代表（可同时按代表、代表小组、层级邀请；已邀请的跳过）",
)
@api_allow(*ORGANISERS)
def invite(request: HttpRequest, activity_id: Id, payload: ActivityInviteIn):
    activity = get_activity_for_user(request.user, activity_id)
    groups = list(Group.objects.filter(pk__in=payload.group_ids))
    if len(groups) != len(set(payload.group_ids)):
        raise DomainError("invalid", "没有该代表小组。", field_errors={"group_ids": "没有该小组"})
    deputies = list(Deputy.objects.filter(pk__in=payload.deputy_ids))
    if len(deputies) != len(set(payload.deputy_ids)):
        raise DomainError("invalid", "没有该代表。", field_errors={"deputy_ids": "没有该代表"})
    new = actions.invite(
        acting_user=request.user,
        activity=activity,
        deputies=deputies,
        groups=groups,
        levels=payload.levels,
    )
    return InviteOut(invited=len(new), activity=_detail(request.user, activity_id))


def _activity_move(name: str, summary: str):
    """One POST operation per activity move that takes only the version."""

    @router.post(
        f"/{{int:activity_id}}/{name.replace('_', '-')}",
        response=ActivityDetailOut,
        summary=summary,
    )
    @api_allow(*ORGANISERS)
    def operation(request: HttpRequest, activity_id: Id, payload: ActivityVersionIn):
        getattr(actions, name)(
            acting_user=request.user,
            activity=get_activity_for_user(request.user, activity_id),
            version=payload.version,
        )
        return _detail(request.user, activity_id)

    operation.__name__ = name
    return operation


open_signup = _activity_move("open_signup", "开放报名")
mark_held = _activity_move("mark_held", "标记为已举行（未签到且未获准请假者记为缺席）")
close_activity = _activity_move("close_activity", "归档")


@router.post("/{int:activity_id}/cancel", response=ActivityDetailOut, summary="取消活动")
@api_allow(*ORGANISERS)
def cancel_activity(request: HttpRequest, activity_id: Id, payload: ActivityReasonIn):
    actions.cancel_activity(
        acting_user=request.user,
        activity=get_activity_for_user(request.user, activity_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _detail(request.user, activity_id)


@router.post(
    "/{int:activity_id}/check-in", response=ActivityInvitationOut, summary="代表签到（签到码）"
)
@api_allow("deputy")
def check_in(request: HttpRequest, activity_id: Id, payload: CheckInIn):
    invitation = actions.check_in(
        acting_user=request.user,
        activity=get_activity_for_user(request.user, activity_id),
        code=payload.code,
    )
    return _invitation_out(request.user, invitation)


# ---------------------------------------------------------------------------------------------
# An invitation's actions


def _invitation(request, invitation_id: Id) -> Invitation:
    return get_invitation_for_user(request.user, invitation_id)


def _fresh(request, invitation_id: Id) -> ActivityInvitationOut:
    return _invitation_out(request.user, _invitation(request, invitation_id))


@router.post(
    "/invitations/{int:invitation_id}/sign-up", response=ActivityInvitationOut, summary="报名"
)
@api_allow("deputy")
def sign_up(request: HttpRequest, invitation_id: Id):
    actions.sign_up(acting_user=request.user, invitation=_invitation(request, invitation_id))
    return _fresh(request, invitation_id)


@router.post(
    "/invitations/{int:invitation_id}/decline", response=ActivityInvitationOut, summary="不参加"
)
@api_allow("deputy")
def decline(request: HttpRequest, invitation_id: Id, payload: InvitationReasonIn):
    actions.decline(
        acting_user=request.user,
        invitation=_invitation(request, invitation_id),
        reason=payload.reason,
    )
    return _fresh(request, invitation_id)


@router.post(
    "/invitations/{int:invitation_id}/leave", response=ActivityInvitationOut, summary="请假"
)
@api_allow("deputy")
def request_leave(request: HttpRequest, invitation_id: Id, payload: InvitationReasonIn):
    actions.request_leave(
        acting_user=request.user,
        invitation=_invitation(request, invitation_id),
        reason=payload.reason,
    )
    return _fresh(request, invitation_id)


@router.post(
    "/invitations/{int:invitation_id}/grant-leave", response=ActivityInvitationOut, summary="准假"
)
@api_allow(*ORGANISERS)
def grant_leave(request: HttpRequest, invitation_id: Id, payload: ActivityAnswerIn):
    actions.grant_leave(
        acting_user=request.user,
        invitation=_invitation(request, invitation_id),
        answer=payload.answer,
    )
    return _fresh(request, invitation_id)


@router.post(
    "/invitations/{int:invitation_id}/refuse-leave",
    response=ActivityInvitationOut,
    summary="不准假",
)
@api_allow(*ORGANISERS)
def refuse_leave(request: HttpRequest, invitation_id: Id, payload: InvitationReasonIn):
    actions.refuse_leave(
        acting_user=request.user,
        invitation=_invitation(request, invitation_id),
        reason=payload.reason,
    )
    return _fresh(request, invitation_id)


@router.post(
    "/invitations/{int:invitation_id}/attendance",
    response=ActivityInvitationOut,
    summary="补录出席",
)
@api_allow(*ORGANISERS)
def record_attendance(request: HttpRequest, invitation_id: Id):
    actions.record_attendance(
        acting_user=request.user, invitation=_invitation(request, invitation_id)
    )
    return _fresh(request, invitation_id)
