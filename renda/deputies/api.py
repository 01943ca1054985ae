"""The deputies API under /api/v1/deputies: the roster (read) and its upkeep (one operation per
action: create, update, mandates, end). It calls the same actions and rules as the pages; ids
resolve through get_deputy_for_user / get_mandate_for_user (invisible → 404), and a caller who
may not keep the roster gets the action's own refusal (403 not_allowed)."""

from datetime import date

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names
from renda.core.api_types import Id, Limit, Offset, Term, Total, Version
from renda.core.errors import DomainError
from renda.core.models import Street
from renda.deputies import (
    actions,
    api_activities,
    api_groups,
    api_points,
    api_record,
    api_stations,
    imports,
)
from renda.deputies.actions import PersonFields, SeatFields
from renda.deputies.models import Deputy, Group
from renda.deputies.permissions import get_deputy_for_user, get_mandate_for_user
from renda.deputies.presenters import Disclosure
from renda.deputies.queries import RosterFilters, roster

router = Router(tags=["deputies"])
router.add_router("/activities", api_activities.router)
router.add_router("/stations", api_stations.router)
router.add_router("/groups", api_groups.router)
router.add_router("/records", api_record.router)
router.add_router("/points", api_points.router)

ROSTER_ROLES = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff")  # narrowed to the deputy-affairs office by the actions
MAX_LIMIT = 200


class MandateOut(Schema):
    level: str
    level_name: str
    term_number: Term
    electoral_unit: str
    street: str | None
    group: str | None


class DeputyOut(Schema):
    id: Id
    full_name: str
    gender: str
    ethnicity: str
    birth_date: date
    party: str
    occupation_category: str
    work_position: str
    phone: str
    id_number: str
    mandates: list[MandateOut]


class DeputyPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[DeputyOut]


class RosterQuery(Schema):
    level: str = ""
    street: Id | None = None
    group: Id | None = None
    category: str = ""
    q: str = ""
    sort: str = "stroke"
    offset: Offset = 0
    limit: Limit = 50


def _out(deputy, disclosure: Disclosure) -> DeputyOut:
    return DeputyOut(
        id=deputy.pk,
        full_name=deputy.full_name,
        gender=deputy.gender,
        ethnicity=deputy.ethnicity,
        birth_date=deputy.birth_date,
        party=deputy.party,
        occupation_category=deputy.occupation_category,
        work_position=deputy.work_position,
        phone=disclosure.phone_of(deputy),
        id_number=disclosure.id_number_of(deputy),
        mandates=[
            MandateOut(
                level=m.level,
                level_name=m.get_level_display(),
                term_number=m.term_number,
                electoral_unit=m.electoral_unit,
                street=m.street.name if m.street else None,
                group=m.group.name if m.group else None,
            )
            for m in deputy.active_mandates
        ],
    )


@router.get("/", response=DeputyPage, summary="代表名册（默认按姓氏笔画排序）")
@api_allow(*ROSTER_ROLES)
def list_deputies(request: HttpRequest, params: Query[RosterQuery]):
    filters = RosterFilters.from_params(params.dict())
    deputies = roster(request.user, filters)
    offset = max(params.offset, 0)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    disclosure = Disclosure.for_viewer(request.user)
    items = [_out(d, disclosure) for d in deputies[offset : offset + limit]]
    return DeputyPage(count=deputies.count(), offset=offset, limit=limit, items=items)


@router.get("/{int:deputy_id}", response=DeputyOut, summary="代表详情")
@api_allow(*ROSTER_ROLES, "deputy")
def get_deputy(request: HttpRequest, deputy_id: Id):
    deputy = get_deputy_for_user(request.user, deputy_id)
    return _out(deputy, Disclosure.for_viewer(request.user, deputy))


# ---------------------------------------------------------------------------------------------
# Keeping the roster


class PersonIn(Schema):
    full_name: str
    gender: str
    ethnicity: str = "汉族"
    birth_date: date
    party: str
    occupation_category: str
    work_position: str = ""
    id_number: str = ""
    phone: str = ""

    def person(self) -> PersonFields:
        return PersonFields(**self.dict(include=set(PersonFields.__dataclass_fields__)))


class SeatIn(Schema):
    level: str
    term_number: Term
    electoral_unit: str = ""
    street_id: Id | None = None
    group_id: Id | None = None
    started_on: date


class DeputyIn(PersonIn):
    mandate: SeatIn


class DeputyEditIn(PersonIn):
    version: Version


class MandateEditIn(SeatIn):
    version: Version


class EndIn(Schema):
    ended_on: date
    reason: str
    note: str = ""
    version: Version


class MandateRecordOut(Schema):
    id: Id
    level: str
    level_name: str
    term_number: Term
    electoral_unit: str
    street_id: Id | None
    group_id: Id | None
    started_on: date
    ended_on: date | None
    end_reason: str
    end_reason_name: str
    end_note: str
    version: Version


class DeputyRecordOut(Schema):
    id: Id
    full_name: str
    gender: str
    ethnicity: str
    birth_date: date
    party: str
    occupation_category: str
    work_position: str
    phone: str
    id_number: str
    version: Version
    mandates: list[MandateRecordOut]


class RosterImportOut(Schema):
    people: Total
    mandates: Total
    existing: Total


SEAT_NAMES = {"street": "street_id", "group": "group_id"}


def _seat(payload: SeatIn) -> SeatFields:
    street = group = None
    if payload.street_id is not None:
        street = Street.objects.filter(pk=payload.street_id).first()
        if street is None:
            raise DomainError("invalid", "没有该街道。", field_errors={"street": "没有该街道"})
    if payload.group_id is not None:
        group = Group.objects.filter(pk=payload.group_id).first()
        if group is None:
            raise DomainError("invalid", "没有该代表小组。", field_errors={"group": "没有该小组"})
    return SeatFields(
        level=payload.level,
        term_number=payload.term_number,
        started_on=payload.started_on,
        electoral_unit=payload.electoral_unit,
        street=street,
        group=group,
    )


def _record(deputy_id: int) -> DeputyRecordOut:
    deputy = Deputy.objects.get(pk=deputy_id)
    mandates = deputy.mandates.order_by("ended_on", "level", "-term_number", "id")
    return DeputyRecordOut(
        id=deputy.pk,
        full_name=deputy.full_name,
        gender=deputy.gender,
        ethnicity=deputy.ethnicity,
        birth_date=deputy.birth_date,
        party=deputy.party,
        occupation_category=deputy.occupation_category,
        work_position=deputy.work_position,
        # Only the roster's keepers reach these operations: they see the data unmasked.
        phone=deputy.phone,
        id_number=deputy.id_number,
        version=deputy.version,
        mandates=[
            MandateRecordOut(
                id=m.pk,
                level=m.level,
                level_name=m.get_level_display(),
                term_number=m.term_number,
                electoral_unit=m.electoral_unit,
                street_id=m.street_id,
                group_id=m.group_id,
                started_on=m.started_on,
                ended_on=m.ended_on,
                end_reason=m.end_reason,
                end_reason_name=m.get_end_reason_display() if m.end_reason else "",
                end_note=m.end_note,
                version=m.version,
            )
            for m in mandates
        ],
    )


@router.post("/", response={201: DeputyRecordOut}, summary="新增代表（连同第一个代表资格）")
@api_allow(*KEEPERS)
def create_deputy(request: HttpRequest, payload: DeputyIn):
    with body_field_names({"street": "mandate.street_id", "group": "mandate.group_id"}):
        deputy = actions.add_deputy(
            acting_user=request.user, person=payload.person(), seat=_seat(payload.mandate)
        )
    return HttpStatus(201, _record(deputy.pk))


@router.put("/{int:deputy_id}", response=DeputyRecordOut, summary="修改代表信息")
@api_allow(*KEEPERS)
def update_deputy(request: HttpRequest, deputy_id: Id, payload: DeputyEditIn):
    actions.update_deputy(
        acting_user=request.user,
        deputy=get_deputy_for_user(request.user, deputy_id),
        person=payload.person(),
        version=payload.version,
    )
    return _record(deputy_id)


@router.post("/{int:deputy_id}/mandates", response={201: DeputyRecordOut}, summary="增加代表资格")
@api_allow(*KEEPERS)
def add_mandate(request: HttpRequest, deputy_id: Id, payload: SeatIn):
    deputy = get_deputy_for_user(request.user, deputy_id)
    with body_field_names(SEAT_NAMES):
        actions.add_mandate(acting_user=request.user, deputy=deputy, seat=_seat(payload))
    return HttpStatus(201, _record(deputy.pk))


@router.put("/mandates/{int:mandate_id}", response=DeputyRecordOut, summary="修改代表资格")
@api_allow(*KEEPERS)
def update_mandate(request: HttpRequest, mandate_id: Id, payload: MandateEditIn):
    mandate = get_mandate_for_user(request.user, mandate_id)
    with body_field_names(SEAT_NAMES):
        actions.update_mandate(
            acting_user=request.user, mandate=mandate, seat=_seat(payload), version=payload.version
        )
    return _record(mandate.deputy_id)


@router.post(
    "/mandates/{int:mandate_id}/end",
    response=DeputyRecordOut,
    summary="终止代表资格（辞职、罢免、迁出、死亡、两次未经批准不出席、届满、其他）",
)
@api_allow(*KEEPERS)
def end_mandate(request: HttpRequest, mandate_id: Id, payload: EndIn):
    mandate = get_mandate_for_user(request.user, mandate_id)
    actions.end_mandate(
        acting_user=request.user,
        mandate=mandate,
        ended_on=payload.ended_on,
        reason=payload.reason,
        note=payload.note,
        version=payload.version,
    )
    return _record(mandate.deputy_id)


@router.post(
    "/import",
    response=RosterImportOut,
    summary="导入代表名册（multipart：file）；有任何错误则整份不导入，逐行返回错误",
)
@api_allow(*KEEPERS)
def import_roster(request: HttpRequest, file: File[UploadedFile]):
    result = imports.import_roster(acting_user=request.user, data=file.read())
    if not result.ok:
        raise DomainError(
            "import_refused",
            f"导入的文件有 {len(result.errors)} 处问题，未导入任何代表。",
            field_errors={
                f"{'第' + str(e.row) + '行' if e.row else '文件'}·{e.column}": e.problem
                for e in result.errors
            },
        )
    return {"people": result.people, "mandates": result.mandates, "existing": result.existing}
