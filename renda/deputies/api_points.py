"""Points on the API under /api/v1/deputies/points: the table of current district deputies'
points, one deputy's quarters, who needs a talk, the published bulletins, and publishing one.
The same computation and action as the pages; a deputy id resolves through
get_deputy_for_user (invisible → 404). Bulletins are public on the pages; here, as every
operation of the API, they need a session or a token."""

from datetime import datetime

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core import clock
from renda.core.access import PUBLIC, api_allow
from renda.core.api_types import Id, Limit, Offset, Quarter, QuarterOrYear, Total, Year
from renda.deputies.actions_points import publish_bulletin as publish
from renda.deputies.models import PointBulletin, PointSource
from renda.deputies.permissions import get_deputy_for_user
from renda.deputies.points import (
    BANDS,
    DeputyPoints,
    PointFilters,
    district_deputies,
    needs_talk,
    point_rows,
    quarters_of,
    with_group_names,
)
from renda.deputies.queries import visible_deputies

router = Router(tags=["deputies"])

VIEWERS = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff")  # narrowed to the deputy-affairs office by the action
MAX_LIMIT = 500


class LineOut(Schema):
    source: str
    label: str
    items: Total
    units: Total  # what the rule multiplies: items, or half-days for leave from a session
    points: float


class PointsOut(Schema):
    quarter: Quarter | None
    period_points: float
    year_points: float
    band: str
    band_name: str
    lines: list[LineOut]


class DeputyPointsOut(PointsOut):
    deputy_id: Id
    name: str
    group: str
    street: str


class PointPage(Schema):
    year: Year
    quarter: Quarter | None
    count: Total
    offset: Offset
    limit: Limit
    items: list[DeputyPointsOut]


class PointQuery(Schema):
    year: Year | None = None
    quarter: QuarterOrYear | None = None  # 1–4; 0 for the whole year; omitted: the current quarter
    group: Id | None = None
    street: Id | None = None
    band: str = ""
    sort: str = "stroke"
    offset: Offset = 0
    limit: Limit = 50


class PointsYearQuery(Schema):
    year: Year | None = None


class DeputyYearOut(Schema):
    deputy_id: Id
    name: str
    year: Year
    quarters: list[PointsOut]


class TalkOut(Schema):
    deputy_id: Id
    name: str
    group: str
    year_points: float
    band: str
    absences: Total
    session_absences: Total
    mandate_at_risk: bool
    reasons: list[str]


class BulletinOut(Schema):
    id: Id
    year: Year
    quarter: Quarter
    title: str
    published_at: datetime
    note: str
    deputies: Total


class BulletinRowOut(Schema):
    deputy_name: str
    group_name: str
    quarter_points: float
    year_points: float
    band: str
    band_name: str


class BulletinDetailOut(BulletinOut):
    offset: Offset
    limit: Limit
    rows: list[BulletinRowOut]


class PageQuery(Schema):
    offset: Offset = 0
    limit: Limit = 200


class PublishIn(Schema):
    year: Year
    quarter: Quarter
    note: str = ""


def _points_out(points: DeputyPoints) -> dict:
    return dict(
        quarter=points.quarter,
        period_points=float(points.period_points),
        year_points=float(points.year_points),
        band=points.band,
        band_name=points.band_label,
        lines=[
            LineOut(
                source=line.source,
                label=PointSource(line.source).label,
                items=line.items,
                units=line.units,
                points=float(line.points),
            )
            for line in points.lines.values()
        ],
    )


def _window(offset: int, limit: int) -> tuple[int, int]:
    return max(offset, 0), min(max(limit, 1), MAX_LIMIT)


def _year(params) -> int:
    return PointFilters.from_params({"year": params.year}, clock.today()).year


@router.get("/", response=PointPage, summary="现任区人大代表的履职积分（本季度、年度累计、等次）")
@api_allow(*VIEWERS)
def list_points(request: HttpRequest, params: Query[PointQuery]):
    filters = PointFilters.from_params(params.dict(), clock.today())
    rows = point_rows(visible_deputies(request.user), filters)
    offset, limit = _window(params.offset, params.limit)
    items = [
        DeputyPointsOut(
            deputy_id=row.deputy_id,
            name=row.name,
            group=row.group_name,
            street=row.street_name,
            **_points_out(row.points),
        )
        for row in rows[offset : offset + limit]
    ]
    return PointPage(
        year=filters.year,
        quarter=filters.quarter,
        count=len(rows),
        offset=offset,
        limit=limit,
        items=items,
    )


@router.get(
    "/deputies/{int:deputy_id}", response=DeputyYearOut, summary="一名代表一年四个季度的积分"
)
@api_allow(*VIEWERS, "deputy")
def deputy_points(request: HttpRequest, deputy_id: Id, params: Query[PointsYearQuery]):
    deputy = get_deputy_for_user(request.user, deputy_id)
    year = _year(params)
    quarters = [PointsOut(**_points_out(q)) for q in quarters_of(deputy.pk, year)]
    return DeputyYearOut(deputy_id=deputy.pk, name=deputy.full_name, year=year, quarters=quarters)


@router.get("/talks", response=list[TalkOut], summary="需约谈的代表及原因")
@api_allow(*VIEWERS)
def talks(request: HttpRequest, params: Query[PointsYearQuery]):
    year = _year(params)
    scope = visible_deputies(request.user).with_active_mandate(level="district").values("pk")
    found = needs_talk(year, scope)
    names = {
        pk: (name, group or "")
        for pk, name, group in with_group_names(district_deputies())
        .filter(pk__in=scope)
        .values_list("pk", "full_name", "group_name")
    }
    return [
        TalkOut(
            deputy_id=t.deputy_id,
            name=names[t.deputy_id][0],
            group=names[t.deputy_id][1],
            year_points=float(t.year_points),
            band=t.band,
            absences=t.absences,
            session_absences=t.session_absences,
            mandate_at_risk=t.mandate_at_risk,
            reasons=t.reasons,
        )
        for t in found
    ]


# ---------------------------------------------------------------------------------------------
# Bulletins


def _bulletin_out(bulletin: PointBulletin, deputies: int) -> dict:
    return dict(
        id=bulletin.pk,
        year=bulletin.year,
        quarter=bulletin.quarter,
        title=str(bulletin),
        published_at=bulletin.published_at,
        note=bulletin.note,
        deputies=deputies,
    )


def _detail(bulletin: PointBulletin, offset: int, limit: int) -> BulletinDetailOut:
    offset, limit = _window(offset, limit)
    rows = bulletin.rows.all()[offset : offset + limit]
    return BulletinDetailOut(
        **_bulletin_out(bulletin, bulletin.rows.count()),
        offset=offset,
        limit=limit,
        rows=[
            BulletinRowOut(
                deputy_name=r.deputy_name,
                group_name=r.group_name,
                quarter_points=float(r.quarter_points),
                year_points=float(r.year_points),
                band=r.band,
                band_name=BANDS.get(r.band, r.band),
            )
            for r in rows
        ],
    )


@router.get("/bulletins", response=list[BulletinOut], auth=None, summary="已发布的季度积分通报")
@api_allow(PUBLIC)
def list_bulletins(request: HttpRequest, params: Query[PageQuery]):
    offset, limit = _window(params.offset, params.limit)
    bulletins = PointBulletin.objects.annotate(row_count=Count("rows")).order_by(
        "-year", "-quarter"
    )[offset : offset + limit]
    return [BulletinOut(**_bulletin_out(b, b.row_count)) for b in bulletins]


@router.get(
    "/bulletins/{int:bulletin_id}",
    response=BulletinDetailOut,
    auth=None,
    summary="一期积分通报（姓名、代表小组、积分、等次）",
)
@api_allow(PUBLIC)
def get_bulletin(request: HttpRequest, bulletin_id: Id, params: Query[PageQuery]):
    bulletin = get_object_or_404(PointBulletin, pk=bulletin_id)
    return _detail(bulletin, params.offset, params.limit)


@router.post(
    "/bulletins",
    response={201: BulletinDetailOut},
    summary="发布季度积分通报（季度结束后；每季度一次）",
)
@api_allow(*KEEPERS)
def publish_bulletin(request: HttpRequest, payload: PublishIn):
    bulletin = publish(
        acting_user=request.user, year=payload.year, quarter=payload.quarter, note=payload.note
    )
    return HttpStatus(201, _detail(bulletin, 0, 200))
