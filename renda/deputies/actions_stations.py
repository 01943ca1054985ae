"""Every write to liaison stations, their reception schedule and voters' opinions: one function
per move, keyword-only, with the acting user.

Each runs in a transaction, locks its row with select_for_update(), checks the version, refuses
what the user's role, the row's state (VoterOpinion.TRANSITIONS) or the rules do not allow
(DomainError / NotAllowed, in Chinese; nothing changes), writes one event on the row's timeline
and notifies those concerned (each notification with a unique key). A reception is an activity
of kind 接待选民 made by actions_activities.create_activity and invite, so invitations, leave,
check-in, attendance, the record and the points all apply to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from datetime import date, time

from django.db import transaction
from django.urls import reverse

from renda.core import clock
from renda.core.actions import record_event
from renda.core.errors import (
    DomainError,
    NotAllowed,
    check_version,
    raise_field_errors,
)
from renda.core.models import Congress, Role, Street, Unit, User
from renda.core.notifications import notify
from renda.deputies import actions_activities
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Deputy,
    Station,
    VoterOpinion,
    VoterOpinionStatus,
)
from renda.deputies.permissions import keeps_roster
from renda.deputies.queries import visible_deputies
from renda.deputies.queries_activities import own_deputy
from renda.deputies.queries_stations import (
    FEEDBACK_METHODS,
    is_receiving_deputy,
    is_unit_of,
    keeps_station,
    may_add_station,
    upcoming,
)
from renda.suggestions import actions as suggestion_actions
from renda.suggestions.models import Category, Suggestion
from renda.suggestions.permissions import handles_suggestions

Status = VoterOpinionStatus
STATION_LABELS = {
    "kind": "类型",
    "name": "名称",
    "street": "所在街道",
    "address": "地址",
    "phone": "联系电话",
    "opening_hours": "接待时间说明",
}
PHONE_CHARS = set("0123456789-+ （）()转")


@dataclass(frozen=True)
class StationFields:
    kind: str
    name: str
    address: str
    street: Street | None = None
    phone: str = ""
    opening_hours: str = ""

    def cleaned(self) -> StationFields:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("name", "address", "phone", "opening_hours"):
            values[name] = (values[name] or "").strip()
        return StationFields(**values)


@dataclass(frozen=True)
class OpinionFields:
    """What a voter said, as the form and the API give it."""

    voter_name: str
    subject: str
    content: str
    voter_phone: str = ""
    voter_address: str = ""
    received_on: date | None = None
    received_by: Deputy | None = None
    reception: Activity | None = None

    def cleaned(self) -> OpinionFields:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in ("voter_name", "subject", "content", "voter_phone", "voter_address"):
            values[name] = (values[name] or "").strip()
        return OpinionFields(**values)


# ---------------------------------------------------------------------------------------------
# Shared steps


def _lock_station(station: Station | int, *, version: int | None = None) -> Station:
    pk = station.pk if isinstance(station, Station) else station
    locked = (
        Station.objects.select_for_update(of=("self",))
        .select_related("street")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise DomainError("not_found", "该联络站不存在或已被删除。")
    check_version(locked, version, "联络站")
    return locked


def _lock_opinion(opinion: VoterOpinion | int, *, version: int | None = None) -> VoterOpinion:
    pk = opinion.pk if isinstance(opinion, VoterOpinion) else opinion
    locked = (
        VoterOpinion.objects.select_for_update(of=("self",))
        .select_related("station", "received_by__user", "unit", "suggestion")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise DomainError("not_found", "该选民意见不存在或已被删除。")
    check_version(locked, version, "选民意见")
    return locked


def _require_keeper(user: User, station: Station) -> None:
    if not keeps_station(user, station):
        raise NotAllowed("只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。")


def _move(opinion: VoterOpinion, to: str, doing: str) -> str:
    if to not in VoterOpinion.TRANSITIONS[Status(opinion.status)]:
        raise DomainError(
            "wrong_state",
            f"选民意见“{opinion.subject}”{opinion.get_status_display()}，不能{doing}。",
        )
    before = opinion.status
    opinion.status = to
    opinion.version += 1
    return before


def _text(value: str, name: str, label: str, limit: int, errors: dict, *, required=True) -> None:
    if required and not value:
        errors[name] = f"请填写{label}"
    elif len(value) > limit:
        errors[name] = f"{label}不能超过 {limit} 字"


def _event(target, actor: User, verb: str, summary: str, **more) -> None:
    record_event(target=target, actor=actor, verb=verb, summary=summary, at=clock.now(), **more)


def _notify(users: Iterable[User], title: str, body: str, url: str, key: str) -> None:
    notify(users=users, title=title, body=body, url=url, key=key, at=clock.now())


def station_url(station: Station) -> str:
    return reverse("deputies:station", args=[station.pk])


def opinion_url(opinion: VoterOpinion) -> str:
    return reverse("deputies:opinion", args=[opinion.pk])


def station_keepers(station: Station) -> list[User]:
    """Who is told about a station's opinions: its street's committee, or, for the deputies'
    home, the deputy-affairs office."""
    if station.street_id:
        scope = {"memberships__role": Role.STREET, "memberships__street_id": station.street_id}
    else:
        congress = Congress.current()
        office_id = congress.deputy_affairs_office_id if congress else None
        if office_id is None:
            return []
        scope = {"memberships__role": Role.STAFF, "memberships__office_id": office_id}
    return list(User.objects.filter(is_active=True, **scope).distinct())


def _unit_users(unit: Unit) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.UNIT, memberships__unit=unit
        ).distinct()
    )


# ---------------------------------------------------------------------------------------------
# Stations


def _station_errors(user: User, values: StationFields, *, station: Station | None) -> dict:
    errors: dict[str, str] = {}
    if values.kind not in Station.Kind.values:
        errors["kind"] = "请选择类型"
    _text(values.name, "name", "名称", 100, errors)
    _text(values.address, "address", "地址", 200, errors)
    _text(values.phone, "phone", "联系电话", 30, errors, required=False)
    if values.phone and "phone" not in errors and not set(values.phone) <= PHONE_CHARS:
        errors["phone"] = "联系电话只能包含数字、“-”和“转”"
    _text(values.opening_hours, "opening_hours", "接待时间说明", 200, errors, required=False)
    if values.kind == Station.Kind.STATION and values.street is None:
        errors["street"] = "代表联络站须选择所在街道"
    if (
        values.street is not None
        and not values.street.is_active
        and (station is None or values.street.pk != station.street_id)
    ):
        errors["street"] = f"{values.street.name}已停用"
    if "name" not in errors:
        same = Station.objects.filter(name=values.name)
        if station is not None:
            same = same.exclude(pk=station.pk)
        if same.exists():
            errors["name"] = f"已有名为“{values.name}”的联络站"
    if not keeps_roster(user):  # a street's committee: its own street's stations only
        if values.kind == Station.Kind.HOME:
            errors["kind"] = "代表之家由代表工作机构设立"
        elif values.street is not None and values.street.pk not in user.roles.street_ids:
            errors["street"] = "只能设立本街道的代表联络站"
    return errors


@transaction.atomic
def add_station(*, acting_user: User, values: StationFields) -> Station:
    if not may_add_station(acting_user):
        raise NotAllowed("只有系统管理员、代表工作机构和街道人大工委可以设立联络站。")
    values = values.cleaned()
    raise_field_errors(_station_errors(acting_user, values, station=None))
    station = Station.objects.create(**{f.name: getattr(values, f.name) for f in fields(values)})
    _event(
        station,
        acting_user,
        "add_station",
        f"设立{station.get_kind_display()}：{station.name}（{station.address}）",
    )
    return station


@transaction.atomic
def update_station(
    *, acting_user: User, station: Station, values: StationFields, version: int | None = None
) -> Station:
    station = _lock_station(station, version=version)
    _require_keeper(acting_user, station)
    values = values.cleaned()
    raise_field_errors(_station_errors(acting_user, values, station=station))
    changed = [
        f.name for f in fields(values) if getattr(station, f.name) != getattr(values, f.name)
    ]
    if not changed:
        raise DomainError("unchanged", "没有修改任何内容。")
    for name in changed:
        setattr(station, name, getattr(values, name))
    station.version += 1
    station.save(update_fields=[*changed, "version"])
    _event(
        station,
        acting_user,
        "update_station",
        "修改联络站：" + "、".join(STATION_LABELS[name] for name in changed),
    )
    return station


@transaction.atomic
def deactivate_station(
    *, acting_user: User, station: Station, version: int | None = None
) -> Station:
    """A station closes: no new receptions or opinions; its history stays."""
    station = _lock_station(station, version=version)
    _require_keeper(acting_user, station)
    if not station.is_active:
        raise DomainError("already", f"“{station.name}”已停用。")
    ahead = upcoming(Activity.objects.filter(station=station)).count()
    if ahead:
        raise DomainError(
            "has_receptions",
            f"“{station.name}”还有 {ahead} 场待举行的接待活动，请先取消或调整后再停用。",
        )
    station.is_active = False
    station.version += 1
    station.save(update_fields=["is_active", "version"])
    _event(station, acting_user, "deactivate_station", f"停用：{station.name}")
    return station


@transaction.atomic
def reactivate_station(
    *, acting_user: User, station: Station, version: int | None = None
) -> Station:
    station = _lock_station(station, version=version)
    _require_keeper(acting_user, station)
    if station.is_active:
        raise DomainError("already", f"“{station.name}”正在启用中。")
    station.is_active = True
    station.version += 1
    station.save(update_fields=["is_active", "version"])
    _event(station, acting_user, "reactivate_station", f"重新启用：{station.name}")
    return station


# ---------------------------------------------------------------------------------------------
# The reception schedule


def _organiser(station: Station) -> dict:
    if station.street_id:
        return {"organiser_street": station.street}
    congress = Congress.current()
    office = congress.deputy_affairs_office if congress else None
    if office is None:
        raise DomainError("no_office", "尚未设置代表工作机构，不能安排代表之家的接待活动。")
    return {"organiser_office": office}


@transaction.atomic
def schedule_reception(
    *,
    acting_user: User,
    station: Station,
    date: date | None,
    starts_at: time | None,
    deputies: Iterable[Deputy],
    ends_at: time | None = None,
    topic: str = "",
    note: str = "",
    half_days: int = 1,
) -> Activity:
    """A reception at the station: an activity of kind 接待选民 (organised by the station's
    street, or by the deputy-affairs office for the deputies' home) with the chosen deputies
    invited directly."""
    station = _lock_station(station)
    _require_keeper(acting_user, station)
    if not station.is_active:
        raise DomainError("inactive", f"“{station.name}”已停用，不能安排接待。")
    deputies = list(dict.fromkeys(deputies))
    topic, note = (topic or "").strip(), (note or "").strip()
    errors: dict[str, str] = {}
    if not deputies:
        errors["deputies"] = "请选择接待代表"
    else:
        reachable = set(
            visible_deputies(acting_user)
            .with_active_mandate()
            .filter(pk__in=[d.pk for d in deputies])
            .values_list("pk", flat=True)
        )
        if missing := [d.full_name for d in deputies if d.pk not in reachable]:
            errors["deputies"] = f"{'、'.join(missing)}不在您可安排的现任代表之中"
    title = f"{station.name}接待选民" + (f"：{topic}" if topic else "")
    if len(title) > 100:
        errors["topic"] = f"主题不能超过 {100 - len(station.name) - 5} 字"
    raise_field_errors(errors)
    place = station.address if len(station.address) <= 100 else station.name[:100]
    values = ActivityFields(
        kind=ActivityKind.RECEPTION,
        title=title,
        date=date,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        note=note,
        half_days=half_days,
        station=station,
        **_organiser(station),
    )
    activity = actions_activities.create_activity(acting_user=acting_user, values=values)
    actions_activities.invite(acting_user=acting_user, activity=activity, deputies=deputies)
    names = "、".join(d.full_name for d in deputies)
    _event(
        station,
        acting_user,
        "schedule_reception",
        f"安排接待：{activity.date:%Y-%m-%d} {activity.starts_at:%H:%M}，{names}",
        data={"activity": activity.pk},
    )
    return activity


# ---------------------------------------------------------------------------------------------
# Voters' opinions


def _reception_errors(user, station, values: OpinionFields, as_deputy: Deputy | None) -> dict:
    errors: dict[str, str] = {}
    reception = values.reception
    if reception is None:
        if as_deputy is not None:
            errors["reception"] = "请选择您参加的接待活动"
        elif values.received_by is not None and not (
            visible_deputies(user).filter(pk=values.received_by.pk).exists()
        ):
            errors["received_by"] = f"{values.received_by.full_name}不在您可查看的代表之中"
        return errors
    if reception.station_id != station.pk or reception.kind != ActivityKind.RECEPTION:
        errors["reception"] = f"该活动不是“{station.name}”的接待活动"
    elif reception.status == ActivityStatus.CANCELLED:
        errors["reception"] = "该接待活动已取消"
    elif reception.date > clock.today():
        errors["reception"] = "接待活动尚未举行"
    invited = set(reception.invitations.values_list("deputy_id", flat=True))
    if as_deputy is not None and as_deputy.pk not in invited:
        errors["reception"] = "您不在该接待活动的邀请名单中"
    received_by = values.received_by
    if as_deputy is None and received_by is not None and received_by.pk not in invited:
        errors["received_by"] = f"{received_by.full_name}不在该接待活动的邀请名单中"
    return errors


def _opinion_errors(values: OpinionFields) -> dict[str, str]:
    errors: dict[str, str] = {}
    _text(values.voter_name, "voter_name", "选民姓名", 50, errors)
    _text(values.voter_phone, "voter_phone", "联系电话", 20, errors, required=False)
    if values.voter_phone and "voter_phone" not in errors:
        digits = [c for c in values.voter_phone if c.isdigit()]
        if not set(values.voter_phone) <= PHONE_CHARS or len(digits) < 7:
            errors["voter_phone"] = "联系电话格式不正确"
    _text(values.voter_address, "voter_address", "住址", 200, errors, required=False)
    _text(values.subject, "subject", "事项", 100, errors)
    _text(values.content, "content", "意见内容", 5000, errors)
    if values.received_on is None:
        errors["received_on"] = "请填写接待日期"
    elif values.received_on > clock.today() and values.reception is None:
        errors["received_on"] = "接待日期不能晚于今天"  # a reception ahead is refused as such
    return errors


def _recorder(user: User, station: Station) -> Deputy | None:
    """None for a keeper of the station; the deputy for a deputy entering from a reception."""
    if keeps_station(user, station):
        return None
    deputy = own_deputy(user)
    if deputy is not None:
        return deputy
    raise NotAllowed(
        "只有联络站的工作人员（代表工作机构、所在街道人大工委）或参加接待的代表可以登记选民意见。"
    )


@transaction.atomic
def record_opinion(*, acting_user: User, station: Station, values: OpinionFields) -> VoterOpinion:
    """An opinion a voter gave at the station, entered by its keepers or, from their phone, by a
    deputy invited to the reception (then they are its receiving deputy)."""
    station = _lock_station(station)
    values = values.cleaned()
    as_deputy = _recorder(acting_user, station)
    if not station.is_active:
        raise DomainError("inactive", f"“{station.name}”已停用，不能登记选民意见。")
    if as_deputy is not None:
        values = replace(values, received_by=as_deputy)
    if values.reception is not None:  # the day of the reception, whatever was typed
        values = replace(values, received_on=values.reception.date)
    errors = _opinion_errors(values)
    errors.update(_reception_errors(acting_user, station, values, as_deputy))
    raise_field_errors(errors)
    opinion = VoterOpinion.objects.create(
        station=station,
        recorded_by=acting_user,
        **{f.name: getattr(values, f.name) for f in fields(values)},
    )
    _event(
        opinion,
        acting_user,
        "record_opinion",
        f"登记选民意见：{opinion.subject}（{station.name}，{opinion.received_on:%Y-%m-%d}）",
        to_state=opinion.status,
    )
    if as_deputy is not None:
        _notify(
            station_keepers(station),
            f"代表登记了选民意见：{opinion.subject}",
            f"{as_deputy.full_name}，{station.name}",
            opinion_url(opinion),
            f"voter_opinion:{opinion.pk}:recorded",
        )
    return opinion


@transaction.atomic
def forward_as_suggestion(
    *,
    acting_user: User,
    opinion: VoterOpinion,
    category: Category,
    title: str = "",
    content: str = "",
    timing: str = Suggestion.Timing.BETWEEN_SESSIONS,
    version: int | None = None,
) -> VoterOpinion:
    """The opinion becomes a draft suggestion of its receiving deputy (through the suggestions'
    own save_draft); the deputy reviews and submits it."""
    opinion = _lock_opinion(opinion, version=version)
    if not (handles_suggestions(acting_user) or is_receiving_deputy(acting_user, opinion)):
        raise NotAllowed("只有代表工作机构或接待该选民的代表本人可以将选民意见转为代表建议。")
    before = _move(opinion, Status.TO_SUGGESTION, "转为代表建议")
    deputy = opinion.received_by
    if deputy is None:
        raise DomainError(
            "no_deputy", "该意见没有登记接待代表，不能转为代表建议；可转交有关单位办理。"
        )
    source = (
        f"（来源：{opinion.received_on:%Y年%m月%d日}{opinion.station.name}接待选民时收到的意见）"
    )
    suggestion = suggestion_actions.save_draft(
        acting_user=acting_user,
        deputy=deputy,
        title=(title or "").strip() or f"关于{opinion.subject}的建议",
        content=((content or "").strip() or opinion.content) + "\n\n" + source,
        category=category,
        timing=timing,
    )
    opinion.suggestion = suggestion
    opinion.forwarded_at = clock.now()
    opinion.save(update_fields=["status", "version", "suggestion", "forwarded_at"])
    _event(
        opinion,
        acting_user,
        "forward_as_suggestion",
        f"转为{deputy.full_name}代表的建议草稿：{suggestion.title}",
        from_state=before,
        to_state=opinion.status,
        data={"suggestion": suggestion.pk},
    )
    if deputy.user_id and deputy.user_id != acting_user.pk:
        _notify(
            [deputy.user],
            f"选民意见已转为您的建议草稿，请审阅后提交：{suggestion.title}",
            f"{opinion.station.name}，{opinion.received_on:%Y-%m-%d}",
            reverse("suggestions:detail", args=[suggestion.pk]),
            f"voter_opinion:{opinion.pk}:to_suggestion",
        )
    return opinion


@transaction.atomic
def forward_to_unit(
    *,
    acting_user: User,
    opinion: VoterOpinion,
    unit: Unit | None,
    due_on: date | None,
    note: str = "",
    version: int | None = None,
) -> VoterOpinion:
    opinion = _lock_opinion(opinion, version=version)
    _require_keeper(acting_user, opinion.station)
    before = _move(opinion, Status.TO_UNIT, "转交单位")
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit"] = "请选择转交单位"
    elif not unit.is_active:
        errors["unit"] = f"{unit.name}已停用"
    if due_on is None:
        errors["due_on"] = "请填写答复期限"
    elif due_on <= clock.today():
        errors["due_on"] = "答复期限应晚于今天"
    _text(note, "note", "转办说明", 500, errors, required=False)
    raise_field_errors(errors)
    opinion.unit = unit
    opinion.unit_due_on = due_on
    opinion.forwarded_at = clock.now()
    opinion.save(update_fields=["status", "version", "unit", "unit_due_on", "forwarded_at"])
    _event(
        opinion,
        acting_user,
        "forward_to_unit",
        f"转交{unit.name}办理，{due_on:%Y-%m-%d}前答复",
        from_state=before,
        to_state=opinion.status,
        note=note,
    )
    _notify(
        _unit_users(unit),
        f"选民意见转办：{opinion.subject}",
        f"请于 {due_on:%Y-%m-%d} 前答复。" + (f"\n{note}" if note else ""),
        opinion_url(opinion),
        f"voter_opinion:{opinion.pk}:to_unit:{unit.pk}",
    )
    return opinion


@transaction.atomic
def answer_opinion(
    *, acting_user: User, opinion: VoterOpinion, result: str, version: int | None = None
) -> VoterOpinion:
    """The opinion's result: answered on the spot or after its suggestion was answered (the
    station's keepers), or by the unit it was forwarded to."""
    opinion = _lock_opinion(opinion, version=version)
    keeper = keeps_station(acting_user, opinion.station)
    unit = is_unit_of(acting_user, opinion)
    if not (keeper or unit):
        raise NotAllowed("只有联络站的工作人员或受转办的单位可以答复选民意见。")
    status = opinion.status
    if status == Status.TO_UNIT and not unit:
        raise NotAllowed(f"该意见已转交{opinion.unit.name}办理，由该单位答复。")
    if status in (Status.RECEIVED, Status.TO_SUGGESTION) and not keeper:
        raise NotAllowed("该意见由联络站的工作人员答复。")
    doing = "当场答复" if status == Status.RECEIVED else "答复"
    before = _move(opinion, Status.ANSWERED, doing)
    result = (result or "").strip()
    errors: dict[str, str] = {}
    _text(result, "result", "办理结果", 5000, errors)
    raise_field_errors(errors)
    opinion.result = result
    opinion.answered_at = clock.now()
    opinion.save(update_fields=["status", "version", "result", "answered_at"])
    by = opinion.unit.name if status == Status.TO_UNIT else ""
    _event(
        opinion,
        acting_user,
        "answer_opinion",
        {Status.RECEIVED: "当场答复", Status.TO_SUGGESTION: "记录建议办理结果"}.get(
            status, f"{by}答复"
        ),
        from_state=before,
        to_state=opinion.status,
        note=result,
    )
    told = station_keepers(opinion.station) if status == Status.TO_UNIT else []
    if opinion.received_by and opinion.received_by.user_id:
        told.append(opinion.received_by.user)
    _notify(
        [u for u in told if u.pk != acting_user.pk],
        f"选民意见有了办理结果，请反馈选民：{opinion.subject}",
        result[:200],
        opinion_url(opinion),
        f"voter_opinion:{opinion.pk}:answered",
    )
    return opinion


@transaction.atomic
def report_back(
    *,
    acting_user: User,
    opinion: VoterOpinion,
    method: str,
    note: str,
    version: int | None = None,
) -> VoterOpinion:
    """The result is told to the voter (by phone, in person, by text or in writing)."""
    opinion = _lock_opinion(opinion, version=version)
    _require_keeper(acting_user, opinion.station)
    before = _move(opinion, Status.REPORTED, "反馈选民")
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if method not in FEEDBACK_METHODS:
        errors["method"] = "请选择反馈方式（" + "、".join(FEEDBACK_METHODS) + "）"
    _text(note, "note", "反馈情况", 2000, errors)
    raise_field_errors(errors)
    opinion.feedback_method = method
    opinion.feedback_note = note
    opinion.reported_at = clock.now()
    opinion.save(
        update_fields=["status", "version", "feedback_method", "feedback_note", "reported_at"]
    )
    _event(
        opinion,
        acting_user,
        "report_back",
        f"已{method}反馈选民{opinion.voter_name}",
        from_state=before,
        to_state=opinion.status,
        note=note,
    )
    deputy = opinion.received_by
    if deputy is not None and deputy.user_id and deputy.user_id != acting_user.pk:
        _notify(
            [deputy.user],
            f"您接待的选民意见已反馈选民：{opinion.subject}",
            note[:200],
            opinion_url(opinion),
            f"voter_opinion:{opinion.pk}:reported",
        )
    return opinion
