"""Every write to activities and invitations: one function per move, keyword-only, with the
acting user.

Each runs in a transaction, locks the activity (then the invitation) with select_for_update(),
refuses what the user's role, the activity's state (Activity.TRANSITIONS) or the rules do not
allow (DomainError / NotAllowed, in Chinese), writes one event on the activity's timeline and
notifies those concerned (each notification with a unique key, so a retried call never sends
twice). Inviting a group or a level expands to its current deputies at that moment; provincial
and municipal deputies are invited the same way (the linkage mechanism)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, time

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from renda.core import actions as core_actions
from renda.core import clock, notifications
from renda.core.errors import (
    DomainError,
    NotAllowed,
    check_version,
    raise_field_errors,
)
from renda.core.models import Office, Role, Street, User
from renda.deputies.models import (
    OBLIGATORY_KINDS,
    Activity,
    ActivityKind,
    ActivityStatus,
    Deputy,
    Group,
    Invitation,
    Level,
    Station,
)
from renda.deputies.queries import visible_deputies
from renda.deputies.queries_activities import ACTIVE, organises, own_deputy
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision.models import Inquiry, Inspection

Status = ActivityStatus
LABELS = {
    "kind": "活动类型",
    "title": "活动名称",
    "organiser_office": "组织处室",
    "organiser_street": "组织街道",
    "date": "日期",
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "place": "地点",
    "capacity": "人数上限",
    "note": "说明",
    "half_days": "时长（半天）",
    "station": "联络站",
    "meeting": "会议",
    "inspection": "执法检查",
    "inquiry": "专题询问",
    "plan_item": "计划事项",
}

# What an activity may carry out (at most one), and the kinds each link fits.
LINKS = ("station", "meeting", "inspection", "inquiry", "plan_item")
LINK_KINDS = {
    "station": {ActivityKind.RECEPTION},
    "meeting": {ActivityKind.SESSION, ActivityKind.STANDING_COMMITTEE},
    "inspection": {ActivityKind.INSPECTION, ActivityKind.VISIT, ActivityKind.RESEARCH},
    "inquiry": {ActivityKind.INQUIRY, ActivityKind.RESEARCH},
}


@dataclass(frozen=True)
class ActivityFields:
    """An activity's own values, as the form and the API give them."""

    kind: str
    title: str
    date: date | None
    starts_at: time | None
    place: str
    organiser_office: Office | None = None
    organiser_street: Street | None = None
    ends_at: time | None = None
    capacity: int | None = None
    note: str = ""
    half_days: int = 1
    station: Station | None = None
    meeting: Meeting | None = None
    inspection: Inspection | None = None
    inquiry: Inquiry | None = None
    plan_item: PlanItem | None = None

    def cleaned(self) -> ActivityFields:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("title", "place", "note"):
            values[name] = (values[name] or "").strip()
        return ActivityFields(**values)


# ---------------------------------------------------------------------------------------------
# Shared steps


def record_event(**kwargs):
    """The timeline event, dated by the actions' clock (past work entered as of its day)."""
    return core_actions.record_event(at=clock.now(), **kwargs)


def notify(**kwargs):
    return notifications.notify(at=clock.now(), **kwargs)


def _lock(activity: Activity | int, *, version: int | None = None) -> Activity:
    pk = activity.pk if isinstance(activity, Activity) else activity
    locked = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("organiser_office", "organiser_street")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise DomainError("not_found", "该活动不存在或已被删除。")
    check_version(locked, version, "活动")
    return locked


def _lock_invitation(invitation: Invitation | int) -> Invitation:
    """The activity first, then the invitation: one lock order for every action."""
    pk = invitation.pk if isinstance(invitation, Invitation) else invitation
    activity_id = Invitation.objects.filter(pk=pk).values_list("activity_id", flat=True).first()
    if activity_id is None:
        raise DomainError("not_found", "该邀请不存在或已被删除。")
    activity = _lock(activity_id)
    locked = Invitation.objects.select_for_update().select_related("deputy").get(pk=pk)
    locked.activity = activity
    return locked


def _require_organiser(user: User, activity: Activity) -> None:
    if not organises(user, activity):
        raise NotAllowed("只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。")


def _require_status(activity: Activity, allowed: Iterable[str], doing: str) -> None:
    if activity.status not in allowed:
        raise DomainError(
            "wrong_state", f"活动“{activity.title}”{activity.get_status_display()}，不能{doing}。"
        )


def _move(activity: Activity, to: str, doing: str) -> str:
    if to not in Activity.TRANSITIONS[Status(activity.status)]:
        raise DomainError(
            "wrong_state", f"活动“{activity.title}”{activity.get_status_display()}，不能{doing}。"
        )
    before = activity.status
    activity.status = to
    activity.version += 1
    return before


def _own_invitation(user: User, invitation: Invitation) -> None:
    deputy = own_deputy(user)
    if deputy is None or deputy.pk != invitation.deputy_id:
        raise NotAllowed("只能由被邀请的代表本人进行此操作。")


def activity_url(activity: Activity) -> str:
    return reverse("deputies:activity", args=[activity.pk])


def _my_url() -> str:
    return reverse("deputies:my_activities")


def _when(activity: Activity) -> str:
    return f"{activity.date:%Y-%m-%d} {activity.starts_at:%H:%M}，{activity.place}"


def _users_of(invitations) -> list[User]:
    return [i.deputy.user for i in invitations if i.deputy.user_id is not None]


def _organiser_users(activity: Activity) -> list[User]:
    if activity.organiser_office_id:
        scope = {
            "memberships__role": Role.STAFF,
            "memberships__office_id": activity.organiser_office_id,
        }
    else:
        scope = {
            "memberships__role": Role.STREET,
            "memberships__street_id": activity.organiser_street_id,
        }
    return list(User.objects.filter(is_active=True, **scope).distinct())


def new_checkin_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _fields_errors(user: User, values: ActivityFields, *, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.kind not in ActivityKind.values:
        errors["kind"] = "请选择活动类型"
    if not values.title:
        errors["title"] = "请填写活动名称"
    elif len(values.title) > 100:
        errors["title"] = "活动名称不能超过 100 字"
    if not values.place:
        errors["place"] = "请填写地点"
    elif len(values.place) > 100:
        errors["place"] = "地点不能超过 100 字"
    if values.date is None:
        errors["date"] = "请填写日期"
    elif values.date < today:
        errors["date"] = "活动日期不能早于今天"
    if values.starts_at is None:
        errors["starts_at"] = "请填写开始时间"
    elif values.ends_at is not None and values.ends_at <= values.starts_at:
        errors["ends_at"] = "结束时间应晚于开始时间"
    if values.capacity is not None and values.capacity < 1:
        errors["capacity"] = "人数上限应为正整数（不限人数请留空）"
    if values.half_days is None or not 1 <= values.half_days <= 40:
        errors["half_days"] = "时长应为 1 至 40 个半天"
    errors.update(_organiser_errors(user, values))
    errors.update(_link_errors(values))
    return errors


def _link_errors(values: ActivityFields) -> dict[str, str]:
    linked = [name for name in LINKS if getattr(values, name) is not None]
    if len(linked) > 1:
        names = "、".join(LABELS[name] for name in linked)
        return {linked[1]: f"一项活动只能关联一项工作（现选了{names}）"}
    for name in linked:
        kinds = LINK_KINDS.get(name)
        if kinds and values.kind not in kinds:
            fits = "、".join(ActivityKind(kind).label for kind in sorted(kinds))
            return {name: f"关联{LABELS[name]}的活动类型应为{fits}"}
        if name == "station" and not getattr(values.station, "is_active", True):
            return {name: f"联络站“{values.station}”已停用"}
    return {}


def _organiser_errors(user: User, values: ActivityFields) -> dict[str, str]:
    office, street = values.organiser_office, values.organiser_street
    roles = user.roles
    if (office is None) == (street is None):
        return {"organiser_office": "请选择组织处室或组织街道（二者选一）"}
    if office is not None:
        if not (roles.is_admin or office.pk in roles.office_ids):
            return {"organiser_office": "只能以本人所在处室的名义组织活动"}
    elif not (roles.is_admin or roles.has(Role.STAFF) or street.pk in roles.street_ids):
        return {"organiser_street": "只能以本街道的名义组织活动"}
    return {}


# ---------------------------------------------------------------------------------------------
# The activity


@transaction.atomic
def create_activity(*, acting_user: User, values: ActivityFields) -> Activity:
    """A new activity, planned, with its check-in code."""
    if not acting_user.roles.has(Role.ADMIN, Role.STAFF, Role.STREET):
        raise NotAllowed("只有机关工作人员和街道人大工委可以组织活动。")
    values = values.cleaned()
    raise_field_errors(_fields_errors(acting_user, values, today=clock.today()))
    activity = Activity.objects.create(
        **{f.name: getattr(values, f.name) for f in fields(values)},
        checkin_code=new_checkin_code(),
    )
    record_event(
        target=activity,
        actor=acting_user,
        verb="create_activity",
        summary=f"创建活动：{activity.get_kind_display()}“{activity.title}”（{_when(activity)}）",
        to_state=activity.status,
    )
    return activity


@transaction.atomic
def update_activity(
    *, acting_user: User, activity: Activity, values: ActivityFields, version: int | None = None
) -> Activity:
    """Change a planned or open activity; the invited hear of a new day, time or place."""
    activity = _lock(activity, version=version)
    _require_organiser(acting_user, activity)
    _require_status(activity, ACTIVE, "修改")
    values = values.cleaned()
    errors = _fields_errors(acting_user, values, today=clock.today())
    if values.date == activity.date:
        errors.pop("date", None)  # an activity of today may still be corrected
    same_organiser = (values.organiser_office, values.organiser_street) == (
        activity.organiser_office,
        activity.organiser_street,
    )
    if same_organiser:  # any organiser may edit; only a new organiser must be their own
        errors.pop("organiser_office", None)
        errors.pop("organiser_street", None)
    signed = activity.invitations.filter(response=Invitation.Response.SIGNED_UP).count()
    if values.capacity is not None and values.capacity < signed and "capacity" not in errors:
        errors["capacity"] = f"已有 {signed} 人报名，人数上限不能少于报名人数"
    raise_field_errors(errors)
    changed = [
        f.name for f in fields(values) if getattr(activity, f.name) != getattr(values, f.name)
    ]
    if not changed:
        raise DomainError("unchanged", "没有修改任何内容。")
    for name in changed:
        setattr(activity, name, getattr(values, name))
    activity.version += 1
    activity.save(update_fields=[*changed, "version"])
    record_event(
        target=activity,
        actor=acting_user,
        verb="update_activity",
        summary="修改活动：" + "、".join(LABELS[name] for name in changed),
    )
    if {"date", "starts_at", "place"} & set(changed):
        invited = activity.invitations.exclude(response=Invitation.Response.DECLINED)
        notify(
            users=_users_of(invited.select_related("deputy__user")),
            title=f"活动时间地点有变：{activity.title}",
            body=_when(activity),
            url=_my_url(),
            key=f"activity:{activity.pk}:changed:{activity.version}",
        )
    return activity


def _invitees(
    acting_user: User, deputies: Iterable[Deputy], groups: Iterable[Group], levels: Iterable[str]
) -> dict[int, tuple[str, str]]:
    """deputy id -> (how invited, from what), direct invitations first (they say most)."""
    reachable = visible_deputies(acting_user)
    chosen: dict[int, tuple[str, str]] = {}
    ids = [d.pk for d in deputies]
    found = set(reachable.with_active_mandate().filter(pk__in=ids).values_list("pk", flat=True))
    if missing := [pk for pk in ids if pk not in found]:
        raise DomainError(
            "invalid",
            "所选代表中有人不在您可邀请的现任代表之中。",
            field_errors={"deputies": f"编号 {', '.join(map(str, missing))} 不可邀请"},
        )
    for pk in ids:
        chosen.setdefault(pk, (Invitation.Via.DIRECT, ""))
    for group in groups:
        members = reachable.with_active_mandate(group=group).values_list("pk", flat=True)
        for pk in members:
            chosen.setdefault(pk, (Invitation.Via.GROUP, group.name))
    for level in levels:
        if level not in Level.values:
            raise DomainError("invalid", "请选择代表层级。", field_errors={"levels": "层级不正确"})
        members = reachable.with_active_mandate(level=level).values_list("pk", flat=True)
        for pk in members:
            chosen.setdefault(pk, (Invitation.Via.LEVEL, Level(level).label))
    return chosen


@transaction.atomic
def invite(
    *,
    acting_user: User,
    activity: Activity,
    deputies: Iterable[Deputy] = (),
    groups: Iterable[Group] = (),
    levels: Iterable[str] = (),
) -> list[Invitation]:
    """Invite chosen deputies, whole groups and whole levels (expanded now to their current
    deputies); those already invited are skipped. Returns the new invitations."""
    activity = _lock(activity)
    _require_organiser(acting_user, activity)
    _require_status(activity, ACTIVE, "邀请代表")
    deputies, groups, levels = list(deputies), list(groups), list(levels)
    if not (deputies or groups or levels):
        raise DomainError(
            "invalid", "请选择要邀请的代表、代表小组或层级。", field_errors={"deputies": "请选择"}
        )
    chosen = _invitees(acting_user, deputies, groups, levels)
    already = set(activity.invitations.values_list("deputy_id", flat=True))
    now = clock.now()
    new = [
        Invitation(activity=activity, deputy_id=pk, via=via, via_label=label, invited_at=now)
        for pk, (via, label) in chosen.items()
        if pk not in already
    ]
    if not new:
        raise DomainError("nothing_new", "所选代表都已在邀请名单中，没有新邀请任何人。")
    Invitation.objects.bulk_create(new)
    skipped = len(chosen) - len(new)
    record_event(
        target=activity,
        actor=acting_user,
        verb="invite",
        summary=f"邀请代表 {len(new)} 人" + (f"（{skipped} 人已在名单中）" if skipped else ""),
        note=_invite_note(deputies, groups, levels),
    )
    users = User.objects.filter(deputy__pk__in=[i.deputy_id for i in new], is_active=True)
    notify(
        users=users,
        title=f"活动邀请：{activity.title}",
        body=_when(activity),
        url=_my_url(),
        key=f"activity:{activity.pk}:invited",
    )
    return new


def _invite_note(deputies, groups, levels) -> str:
    parts = []
    if deputies:
        parts.append("代表：" + "、".join(d.full_name for d in deputies))
    if groups:
        parts.append("代表小组：" + "、".join(g.name for g in groups))
    if levels:
        parts.append("层级：" + "、".join(Level(level).label for level in levels))
    return "；".join(parts)


@transaction.atomic
def open_signup(*, acting_user: User, activity: Activity, version: int | None = None) -> Activity:
    activity = _lock(activity, version=version)
    _require_organiser(acting_user, activity)
    before = _move(activity, Status.OPEN, "开放报名")
    activity.signup_opened = True
    activity.save(update_fields=["status", "version", "signup_opened"])
    record_event(
        target=activity,
        actor=acting_user,
        verb="open_signup",
        summary="开放报名",
        from_state=before,
        to_state=activity.status,
    )
    invited = activity.invitations.filter(response=Invitation.Response.INVITED)
    notify(
        users=_users_of(invited.select_related("deputy__user")),
        title=f"活动开始报名：{activity.title}",
        body=_when(activity),
        url=_my_url(),
        key=f"activity:{activity.pk}:open",
    )
    return activity


def expected_to_come(activity: Activity) -> Q:
    """Who is missed when they do not come: every invited deputy of a congress session or a
    standing-committee meeting; once sign-up was opened, those who signed up or asked for leave
    (the others were asked, not summoned); otherwise everyone invited who did not decline."""
    if activity.kind in OBLIGATORY_KINDS:
        return Q()
    if activity.signup_opened:
        return Q(response=Invitation.Response.SIGNED_UP) | ~Q(leave=Invitation.Leave.NONE)
    return ~Q(response=Invitation.Response.DECLINED)


@transaction.atomic
def mark_held(*, acting_user: User, activity: Activity, version: int | None = None) -> Activity:
    """The activity took place: everyone expected who neither checked in nor has leave granted
    is absent (see expected_to_come)."""
    activity = _lock(activity, version=version)
    _require_organiser(acting_user, activity)
    if activity.date > clock.today():
        raise DomainError(
            "too_early", f"活动日期为 {activity.date:%Y-%m-%d}，活动举行后才能标记为已举行。"
        )
    before = _move(activity, Status.HELD, "标记为已举行")
    activity.save(update_fields=["status", "version"])
    absent = (
        activity.invitations.filter(expected_to_come(activity))
        .exclude(attendance=Invitation.Attendance.ATTENDED)
        .exclude(leave=Invitation.Leave.GRANTED)
        .update(attendance=Invitation.Attendance.ABSENT)
    )
    attended = activity.invitations.filter(attendance=Invitation.Attendance.ATTENDED).count()
    record_event(
        target=activity,
        actor=acting_user,
        verb="mark_held",
        summary=f"活动已举行：出席 {attended} 人，缺席 {absent} 人",
        from_state=before,
        to_state=activity.status,
    )
    return activity


@transaction.atomic
def close_activity(
    *, acting_user: User, activity: Activity, version: int | None = None
) -> Activity:
    """Attendance is final: the record and the points read it from now on."""
    activity = _lock(activity, version=version)
    _require_organiser(acting_user, activity)
    before = _move(activity, Status.CLOSED, "归档")
    activity.save(update_fields=["status", "version"])
    record_event(
        target=activity,
        actor=acting_user,
        verb="close_activity",
        summary="活动归档，出席情况确定",
        from_state=before,
        to_state=activity.status,
    )
    return activity


@transaction.atomic
def cancel_activity(
    *, acting_user: User, activity: Activity, reason: str, version: int | None = None
) -> Activity:
    activity = _lock(activity, version=version)
    _require_organiser(acting_user, activity)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("invalid", "请填写取消原因。", field_errors={"reason": "请填写取消原因"})
    if len(reason) > 200:
        raise DomainError("invalid", "取消原因不能超过 200 字。", field_errors={"reason": "过长"})
    before = _move(activity, Status.CANCELLED, "取消")
    activity.cancel_reason = reason
    activity.save(update_fields=["status", "version", "cancel_reason"])
    record_event(
        target=activity,
        actor=acting_user,
        verb="cancel_activity",
        summary="取消活动",
        note=reason,
        from_state=before,
        to_state=activity.status,
    )
    invited = activity.invitations.exclude(response=Invitation.Response.DECLINED)
    notify(
        users=_users_of(invited.select_related("deputy__user")),
        title=f"活动取消：{activity.title}",
        body=reason,
        url=_my_url(),
        key=f"activity:{activity.pk}:cancelled",
    )
    return activity


# ---------------------------------------------------------------------------------------------
# A deputy's answer, leave and check-in


def _require_answerable(invitation: Invitation, doing: str) -> None:
    _require_status(invitation.activity, ACTIVE, doing)
    if invitation.attendance == Invitation.Attendance.ATTENDED:
        raise DomainError("attended", f"您已签到，不能再{doing}。")


@transaction.atomic
def sign_up(*, acting_user: User, invitation: Invitation) -> Invitation:
    invitation = _lock_invitation(invitation)
    _own_invitation(acting_user, invitation)
    activity = invitation.activity
    if activity.status != Status.OPEN:
        raise DomainError(
            "wrong_state", f"活动“{activity.title}”{activity.get_status_display()}，现在不能报名。"
        )
    _require_answerable(invitation, "报名")
    if invitation.response == Invitation.Response.SIGNED_UP:
        raise DomainError("already", "您已报名该活动。")
    if invitation.leave in (Invitation.Leave.REQUESTED, Invitation.Leave.GRANTED):
        raise DomainError("on_leave", "您已请假，不能报名；如能参加，请联系组织者。")
    if activity.capacity is not None:
        signed = activity.invitations.filter(response=Invitation.Response.SIGNED_UP).count()
        if signed >= activity.capacity:
            raise DomainError("full", f"报名人数已满（上限 {activity.capacity} 人）。")
    invitation.response = Invitation.Response.SIGNED_UP
    invitation.save(update_fields=["response"])
    record_event(
        target=activity,
        actor=acting_user,
        verb="sign_up",
        summary=f"{invitation.deputy.full_name} 报名参加",
    )
    return invitation


@transaction.atomic
def decline(*, acting_user: User, invitation: Invitation, reason: str = "") -> Invitation:
    invitation = _lock_invitation(invitation)
    _own_invitation(acting_user, invitation)
    _require_answerable(invitation, "回复不参加")
    if invitation.response == Invitation.Response.DECLINED:
        raise DomainError("already", "您已回复不参加该活动。")
    if invitation.activity.kind in OBLIGATORY_KINDS:
        raise DomainError(
            "obligatory",
            f"{invitation.activity.get_kind_display()}应当出席，不能出席的请请假。",
        )
    invitation.response = Invitation.Response.DECLINED
    invitation.save(update_fields=["response"])
    record_event(
        target=invitation.activity,
        actor=acting_user,
        verb="decline",
        summary=f"{invitation.deputy.full_name} 回复不参加",
        note=(reason or "").strip()[:200],
    )
    return invitation


@transaction.atomic
def request_leave(*, acting_user: User, invitation: Invitation, reason: str) -> Invitation:
    invitation = _lock_invitation(invitation)
    _own_invitation(acting_user, invitation)
    _require_answerable(invitation, "请假")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("invalid", "请填写请假事由。", field_errors={"reason": "请填写请假事由"})
    if len(reason) > 200:
        raise DomainError("invalid", "请假事由不能超过 200 字。", field_errors={"reason": "过长"})
    if invitation.leave in (Invitation.Leave.REQUESTED, Invitation.Leave.GRANTED):
        raise DomainError("already", f"您已请假（{invitation.get_leave_display()}）。")
    invitation.leave = Invitation.Leave.REQUESTED
    invitation.leave_reason = reason
    invitation.leave_answer = ""
    invitation.save(update_fields=["leave", "leave_reason", "leave_answer"])
    activity = invitation.activity
    record_event(
        target=activity,
        actor=acting_user,
        verb="request_leave",
        summary=f"{invitation.deputy.full_name} 请假",
        note=reason,
    )
    notify(
        users=_organiser_users(activity),
        title=f"代表请假待批：{invitation.deputy.full_name}（{activity.title}）",
        body=reason,
        url=activity_url(activity),
        key=f"invitation:{invitation.pk}:leave:{clock.now():%Y%m%d%H%M%S%f}",
    )
    return invitation


def _decide_leave(acting_user: User, invitation: Invitation, *, grant: bool, answer: str):
    invitation = _lock_invitation(invitation)
    activity = invitation.activity
    _require_organiser(acting_user, activity)
    doing = "准假" if grant else "不准假"
    _require_status(activity, ACTIVE, doing)
    if invitation.leave != Invitation.Leave.REQUESTED:
        raise DomainError("no_request", f"{invitation.deputy.full_name}没有待批的请假。")
    answer = (answer or "").strip()
    if not grant and not answer:
        raise DomainError("invalid", "不准假时请写明理由。", field_errors={"reason": "请填写理由"})
    if len(answer) > 200:
        raise DomainError("invalid", "理由不能超过 200 字。", field_errors={"reason": "过长"})
    invitation.leave = Invitation.Leave.GRANTED if grant else Invitation.Leave.REFUSED
    invitation.leave_answer = answer
    changed = ["leave", "leave_answer"]
    if grant and invitation.response == Invitation.Response.SIGNED_UP:
        # A granted leave frees the seat for someone else.
        invitation.response = Invitation.Response.INVITED
        changed.append("response")
    invitation.save(update_fields=changed)
    record_event(
        target=activity,
        actor=acting_user,
        verb="grant_leave" if grant else "refuse_leave",
        summary=f"{doing}：{invitation.deputy.full_name}",
        note=answer,
    )
    user = invitation.deputy.user
    notify(
        users=[user] if user else [],
        title=f"请假{'已批准' if grant else '未获批准'}：{activity.title}",
        body=answer,
        url=_my_url(),
        key=f"invitation:{invitation.pk}:leave:{invitation.leave}:{clock.now():%Y%m%d%H%M%S%f}",
    )
    return invitation


@transaction.atomic
def grant_leave(*, acting_user: User, invitation: Invitation, answer: str = "") -> Invitation:
    return _decide_leave(acting_user, invitation, grant=True, answer=answer)


@transaction.atomic
def refuse_leave(*, acting_user: User, invitation: Invitation, reason: str) -> Invitation:
    return _decide_leave(acting_user, invitation, grant=False, answer=reason)


@transaction.atomic
def check_in(*, acting_user: User, activity: Activity, code: str) -> Invitation:
    """A deputy checks in on the day with the activity's code."""
    activity = _lock(activity)
    deputy = own_deputy(acting_user)
    if deputy is None:
        raise NotAllowed("只有人大代表本人可以签到。")
    code = "".join((code or "").split())
    if activity.status not in ACTIVE:
        raise DomainError(
            "wrong_state", f"活动“{activity.title}”{activity.get_status_display()}，不能签到。"
        )
    invitation = activity.invitations.select_for_update().filter(deputy=deputy).first()
    if invitation is None:
        raise DomainError("not_invited", "您不在该活动的邀请名单中，不能签到。")
    today = clock.today()
    if activity.date != today:
        raise DomainError("wrong_day", f"签到码仅在活动当天（{activity.date:%Y-%m-%d}）有效。")
    if not secrets.compare_digest(code, activity.checkin_code):
        raise DomainError(
            "wrong_code", "签到码不正确，请核对后重新输入。", field_errors={"code": "签到码不正确"}
        )
    if invitation.leave == Invitation.Leave.GRANTED:
        raise DomainError("on_leave", "您已获准请假，不能签到；如能参加，请联系组织者补录。")
    if invitation.attendance == Invitation.Attendance.ATTENDED:
        raise DomainError(
            "already", f"您已于 {timezone.localtime(invitation.checked_in_at):%H:%M} 签到。"
        )
    invitation.activity = activity
    return _attend(acting_user, invitation, by=Invitation.CheckIn.CODE)


def _attend(acting_user: User, invitation: Invitation, *, by: str) -> Invitation:
    invitation.attendance = Invitation.Attendance.ATTENDED
    invitation.checked_in_at = clock.now()
    invitation.checked_in_by = by
    invitation.save(update_fields=["attendance", "checked_in_at", "checked_in_by"])
    name = invitation.deputy.full_name
    record_event(
        target=invitation.activity,
        actor=acting_user,
        verb="check_in" if by == Invitation.CheckIn.CODE else "record_attendance",
        summary=f"{name} 签到" if by == Invitation.CheckIn.CODE else f"补录出席：{name}",
    )
    return invitation


@transaction.atomic
def record_attendance(*, acting_user: User, invitation: Invitation) -> Invitation:
    """Staff record that a deputy who forgot to check in was there (on the day or after)."""
    invitation = _lock_invitation(invitation)
    activity = invitation.activity
    _require_organiser(acting_user, activity)
    _require_status(activity, (*ACTIVE, Status.HELD), "补录出席")
    if activity.date > clock.today():
        raise DomainError("too_early", "活动尚未举行，不能补录出席。")
    if invitation.attendance == Invitation.Attendance.ATTENDED:
        raise DomainError("already", f"{invitation.deputy.full_name}已签到。")
    return _attend(acting_user, invitation, by=Invitation.CheckIn.STAFF)
