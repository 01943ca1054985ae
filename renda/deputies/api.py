from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from renda.core.access import api_allow
from renda.deputies.permissions import get_deputy_for_user
from renda.deputies.presenters import Disclosure
from renda.deputies.queries import RosterFilters, roster

router = Router(tags=["deputies"])

ROSTER_ROLES = ("admin", "leader", "staff", "street")
MAX_LIMIT = 200


class MandateOut(Schema):
    level: str
    level_name: str
    term_number: int
    electoral_unit: str
    street: str | None
    group: str | None


class DeputyOut(Schema):
    id: int
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
    count: int
    offset: int
    limit: int
    items: list[DeputyOut]


class RosterQuery(Schema):
    level: str = ""
    street: int | None = None
    group: int | None = None
    category: str = ""
    q: str = ""
    sort: str = "stroke"
    offset: int = 0
    limit: int = 50


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
def get_deputy(request: HttpRequest, deputy_id: int):
    deputy = get_deputy_for_user(request.user, deputy_id)
    return _out(deputy, Disclosure.for_viewer(request.user, deputy))
