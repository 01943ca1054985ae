"""Stations on the API under /api/v1/deputies/stations: the list with its counts, one station,
its receptions, and voters' opinions under /opinions; one operation per action. The same actions
and rules as the pages; ids resolve through get_station_for_user / get_opinion_for_user /
get_activity_for_user (invisible → 404); refusals are the project's one error shape."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import ClockTime
from renda.core.api_types import Id, Limit, Offset, Total, Version
from renda.core.errors import DomainError
from renda.core.models import Street, Unit
from renda.core.privacy import free_text_warnings
from renda.deputies import actions_stations as actions
from renda.deputies.actions_stations import OpinionFields, StationFields
from renda.deputies.models import Activity, Deputy, Station, VoterOpinion
from renda.deputies.queries_activities import get_activity_for_user
from renda.deputies.queries_stations import (
    OpinionFilters,
    get_opinion_for_user,
    get_station_for_user,
    is_overdue,
    opinion_actions,
    opinion_list,
    receiving_prefetch,
    receptions,
    station_actions,
    station_counts,
    station_list,
    voter_address,
    voter_phone,
    voter_text,
)
from renda.suggestions.models import Category

router = Router(tags=["deputies"])

VIEWERS = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff", "street")
RECORDERS = ("admin", "staff", "street", "deputy")
ALL = ("admin", "leader", "staff", "street", "deputy", "unit")
MAX_LIMIT = 200


class StationCountsOut(Schema):
    upcoming: Total
    open: Total
    overdue: Total


class StationOut(Schema):
    id: Id
    kind: str
    kind_name: str
    name: str
    street_id: Id | None
    street: str | None
    address: str
    phone: str
    opening_hours: str
    is_active: bool
    version: Version
    counts: StationCountsOut
    actions: list[str]


class StationIn(Schema):
    kind: str = Station.Kind.STATION
    name: str
    street_id: Id | None = None
    address: str
    phone: str = ""
    opening_hours: str = ""


class StationEditIn(StationIn):
    version: Version


class StationVersionIn(Schema):
    version: Version


class ReceptionOut(Schema):
    id: Id
    title: str
    date: date
    starts_at: ClockTime
    ends_at: ClockTime | None
    status: str
    status_name: str
    deputies: list[str]


class ReceptionIn(Schema):
    date: date
    starts_at: ClockTime
    ends_at: ClockTime | None = None
    deputy_ids: list[Id] = []
    topic: str = ""
    note: str = ""


class OpinionOut(Schema):
    id: Id
    station_id: Id
    station: str
    reception_id: Id | None
    received_on: date
    received_by_id: Id | None
    received_by: str | None
    voter_name: str
    voter_phone: str
    voter_address: str
    subject: str
    content: str
    status: str
    status_name: str
    suggestion_id: Id | None
    unit_id: Id | None
    unit: str | None
    unit_due_on: date | None
    overdue: bool
    result: str
    answered_at: datetime | None
    feedback_method: str
    feedback_note: str
    reported_at: datetime | None
    version: Version
    actions: list[str]
    warnings: list[str] = Field(
        default_factory=list,
        description="刚写入的文字中疑似含有身份证号、电话或住址时的提示（不阻止保存）",
    )


class VoterOpinionPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[OpinionOut]


class OpinionQuery(Schema):
    station: Id | None = None
    status: str = ""
    overdue: bool = False
    q: str = ""
    offset: Offset = 0
    limit: Limit = 50


class VoterOpinionIn(Schema):
    station_id: Id | None = None
    reception_id: Id | None = None
    received_on: date | None = None
    received_by_id: Id | None = None
    voter_name: str
    voter_phone: str = ""
    voter_address: str = ""
    subject: str
    content: str


class ToSuggestionIn(Schema):
    category_id: Id
    title: str = ""
    content: str = ""
    timing: str = "between"
    version: Version


class ToUnitIn(Schema):
    unit_id: Id
    due_on: date
    note: str = ""
    version: Version


class StationAnswerIn(Schema):
    result: str
    version: Version


class ReportBackIn(Schema):
    method: str
    note: str
    version: Version


# ---------------------------------------------------------------------------------------------
# Shaping


def _station_out(user, station: Station) -> StationOut:
    if hasattr(station, "upcoming_count"):
        counts = StationCountsOut(
            upcoming=station.upcoming_count,
            open=station.open_count,
            overdue=station.overdue_count,
        )
    else:
        counts = StationCountsOut(**station_counts(station))
    return StationOut(
        id=station.pk,
        kind=station.kind,
        kind_name=station.get_kind_display(),
        name=station.name,
        street_id=station.street_id,
        street=station.street.name if station.street else None,
        address=station.address,
        phone=station.phone,
        opening_hours=station.opening_hours,
        is_active=station.is_active,
        version=station.version,
        counts=counts,
        actions=sorted(station_actions(user, station)),
    )


def _station(request, station_id: Id) -> StationOut:
    return _station_out(request.user, get_station_for_user(request.user, station_id))


def _reception_out(activity: Activity) -> ReceptionOut:
    return ReceptionOut(
        id=activity.pk,
        title=activity.title,
        date=activity.date,
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        status=activity.status,
        status_name=activity.get_status_display(),
        deputies=[i.deputy.full_name for i in activity.receiving],
    )


def _opinion_out(user, opinion: VoterOpinion) -> OpinionOut:
    return OpinionOut(
        id=opinion.pk,
        station_id=opinion.station_id,
        station=opinion.station.name,
        reception_id=opinion.reception_id,
        received_on=opinion.received_on,
        received_by_id=opinion.received_by_id,
        received_by=opinion.received_by.full_name if opinion.received_by else None,
        voter_name=opinion.voter_name,
        voter_phone=voter_phone(user, opinion),
        voter_address=voter_address(user, opinion),
        subject=opinion.subject,
        content=voter_text(user, opinion, opinion.content),
        status=opinion.status,
        status_name=opinion.get_status_display(),
        suggestion_id=opinion.suggestion_id,
        unit_id=opinion.unit_id,
        unit=opinion.unit.name if opinion.unit else None,
        unit_due_on=opinion.unit_due_on,
        overdue=is_overdue(opinion),
        result=voter_text(user, opinion, opinion.result),
        answered_at=opinion.answered_at,
        feedback_method=opinion.feedback_method,
        feedback_note=voter_text(user, opinion, opinion.feedback_note),
        reported_at=opinion.reported_at,
        version=opinion.version,
        actions=sorted(opinion_actions(user, opinion)),
    )


def _opinion(request, opinion_id: Id) -> OpinionOut:
    return _opinion_out(request.user, get_opinion_for_user(request.user, opinion_id))


def _saved(request, opinion_id: Id, texts: dict[str, str]) -> OpinionOut:
    """The opinion after a write, with the entry warnings of the free text just written."""
    opinion = get_opinion_for_user(request.user, opinion_id)
    out = _opinion_out(request.user, opinion)
    out.warnings = free_text_warnings(
        texts, phone=opinion.voter_phone, address=opinion.voter_address
    )
    return out


def _found(model, pk: int | None, field: str, message: str):
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise DomainError("invalid", f"{message}。", field_errors={field: message})
    return row


def _station_values(payload: StationIn) -> StationFields:
    return StationFields(
        kind=payload.kind,
        name=payload.name,
        street=_found(Street, payload.street_id, "street_id", "没有该街道"),
        address=payload.address,
        phone=payload.phone,
        opening_hours=payload.opening_hours,
    )


# ---------------------------------------------------------------------------------------------
# Stations


@router.get(
    "/", response=list[StationOut], summary="联络站列表（含待举行接待、未办结意见、单位逾期数）"
)
@api_allow(*VIEWERS)
def list_stations(request: HttpRequest):
    return [_station_out(request.user, s) for s in station_list(request.user)[:MAX_LIMIT]]


@router.post("/", response={201: StationOut}, summary="设立联络站或代表之家")
@api_allow(*KEEPERS)
def add_station(request: HttpRequest, payload: StationIn):
    station = actions.add_station(acting_user=request.user, values=_station_values(payload))
    return HttpStatus(201, _station(request, station.pk))


@router.get("/{int:station_id}", response=StationOut, summary="联络站详情")
@api_allow(*VIEWERS)
def get_station(request: HttpRequest, station_id: Id):
    return _station(request, station_id)


@router.put("/{int:station_id}", response=StationOut, summary="修改联络站信息")
@api_allow(*KEEPERS)
def update_station(request: HttpRequest, station_id: Id, payload: StationEditIn):
    actions.update_station(
        acting_user=request.user,
        station=get_station_for_user(request.user, station_id),
        values=_station_values(payload),
        version=payload.version,
    )
    return _station(request, station_id)


@router.post("/{int:station_id}/deactivate", response=StationOut, summary="停用联络站")
@api_allow(*KEEPERS)
def deactivate_station(request: HttpRequest, station_id: Id, payload: StationVersionIn):
    actions.deactivate_station(
        acting_user=request.user,
        station=get_station_for_user(request.user, station_id),
        version=payload.version,
    )
    return _station(request, station_id)


@router.post("/{int:station_id}/reactivate", response=StationOut, summary="重新启用联络站")
@api_allow(*KEEPERS)
def reactivate_station(request: HttpRequest, station_id: Id, payload: StationVersionIn):
    actions.reactivate_station(
        acting_user=request.user,
        station=get_station_for_user(request.user, station_id),
        version=payload.version,
    )
    return _station(request, station_id)


@router.get(
    "/{int:station_id}/receptions",
    response=list[ReceptionOut],
    summary="联络站的接待安排（新近在前，含接待代表）",
)
@api_allow(*VIEWERS)
def list_receptions(request: HttpRequest, station_id: Id):
    station = get_station_for_user(request.user, station_id)
    rows = (
        receptions(station)
        .prefetch_related(receiving_prefetch())
        .order_by("-date", "-starts_at", "-id")[:MAX_LIMIT]
    )
    return [_reception_out(a) for a in rows]


@router.post(
    "/{int:station_id}/receptions",
    response={201: ReceptionOut},
    summary="安排接待选民（创建接待活动并邀请接待代表）",
)
@api_allow(*KEEPERS)
def schedule_reception(request: HttpRequest, station_id: Id, payload: ReceptionIn):
    station = get_station_for_user(request.user, station_id)
    deputies = list(Deputy.objects.filter(pk__in=payload.deputy_ids))
    if len(deputies) != len(set(payload.deputy_ids)):
        raise DomainError("invalid", "没有该代表。", field_errors={"deputy_ids": "没有该代表"})
    activity = actions.schedule_reception(
        acting_user=request.user,
        station=station,
        date=payload.date,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        deputies=deputies,
        topic=payload.topic,
        note=payload.note,
    )
    fresh = receptions(station).prefetch_related(receiving_prefetch()).get(pk=activity.pk)
    return HttpStatus(201, _reception_out(fresh))


# ---------------------------------------------------------------------------------------------
# Voters' opinions


@router.get(
    "/opinions", response=VoterOpinionPage, summary="选民意见列表（可按联络站、状态、逾期筛选）"
)
@api_allow(*ALL)
def list_opinions(request: HttpRequest, params: Query[OpinionQuery]):
    rows = opinion_list(request.user, OpinionFilters.from_params(params.dict()))
    offset = max(params.offset, 0)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [_opinion_out(request.user, o) for o in rows[offset : offset + limit]]
    return VoterOpinionPage(count=rows.count(), offset=offset, limit=limit, items=items)


@router.get("/opinions/{int:opinion_id}", response=OpinionOut, summary="选民意见详情")
@api_allow(*ALL)
def get_opinion(request: HttpRequest, opinion_id: Id):
    return _opinion(request, opinion_id)


def _where(request, payload: VoterOpinionIn) -> tuple[Station, Activity | None]:
    """The station (given, or the reception's) and the reception, both as the user sees them."""
    reception = None
    if payload.reception_id is not None:
        reception = get_activity_for_user(request.user, payload.reception_id)
    if payload.station_id is not None:
        return get_station_for_user(request.user, payload.station_id), reception
    if reception is not None and reception.station_id is not None:
        return Station.objects.get(pk=reception.station_id), reception
    raise DomainError(
        "invalid",
        "请指明联络站或接待活动。",
        field_errors={"station_id": "请指明联络站或接待活动"},
    )


@router.post("/opinions", response={201: OpinionOut}, summary="登记选民意见")
@api_allow(*RECORDERS)
def record_opinion(request: HttpRequest, payload: VoterOpinionIn):
    station, reception = _where(request, payload)
    values = OpinionFields(
        voter_name=payload.voter_name,
        voter_phone=payload.voter_phone,
        voter_address=payload.voter_address,
        subject=payload.subject,
        content=payload.content,
        received_on=payload.received_on,
        received_by=_found(Deputy, payload.received_by_id, "received_by_id", "没有该代表"),
        reception=reception,
    )
    opinion = actions.record_opinion(acting_user=request.user, station=station, values=values)
    texts = {"事项": payload.subject, "意见内容": payload.content}
    return HttpStatus(201, _saved(request, opinion.pk, texts))


def _target(request, opinion_id: Id) -> VoterOpinion:
    return get_opinion_for_user(request.user, opinion_id)


@router.post(
    "/opinions/{int:opinion_id}/forward-as-suggestion",
    response=OpinionOut,
    summary="转为接待代表的建议草稿",
)
@api_allow("admin", "staff", "deputy")
def forward_as_suggestion(request: HttpRequest, opinion_id: Id, payload: ToSuggestionIn):
    category = _found(Category, payload.category_id, "category_id", "没有该类别")
    actions.forward_as_suggestion(
        acting_user=request.user,
        opinion=_target(request, opinion_id),
        category=category,
        title=payload.title,
        content=payload.content,
        timing=payload.timing,
        version=payload.version,
    )
    return _saved(request, opinion_id, {"建议标题": payload.title, "建议内容": payload.content})


@router.post(
    "/opinions/{int:opinion_id}/forward-to-unit", response=OpinionOut, summary="转交单位办理"
)
@api_allow(*KEEPERS)
def forward_to_unit(request: HttpRequest, opinion_id: Id, payload: ToUnitIn):
    actions.forward_to_unit(
        acting_user=request.user,
        opinion=_target(request, opinion_id),
        unit=_found(Unit, payload.unit_id, "unit_id", "没有该单位"),
        due_on=payload.due_on,
        note=payload.note,
        version=payload.version,
    )
    return _saved(request, opinion_id, {"转办说明": payload.note})


@router.post(
    "/opinions/{int:opinion_id}/answer",
    response=OpinionOut,
    summary="记录办理结果（当场答复、建议办理结果，或受转办单位答复）",
)
@api_allow("admin", "staff", "street", "unit")
def answer_opinion(request: HttpRequest, opinion_id: Id, payload: StationAnswerIn):
    actions.answer_opinion(
        acting_user=request.user,
        opinion=_target(request, opinion_id),
        result=payload.result,
        version=payload.version,
    )
    return _saved(request, opinion_id, {"办理结果": payload.result})


@router.post("/opinions/{int:opinion_id}/report-back", response=OpinionOut, summary="反馈选民")
@api_allow(*KEEPERS)
def report_back(request: HttpRequest, opinion_id: Id, payload: ReportBackIn):
    actions.report_back(
        acting_user=request.user,
        opinion=_target(request, opinion_id),
        method=payload.method,
        note=payload.note,
        version=payload.version,
    )
    return _saved(request, opinion_id, {"反馈情况": payload.note})
