"""The performance record on the API under /api/v1/deputies/records: a deputy's record of a year
as JSON and its PDF archive (same access as the pages: ids resolve through get_deputy_for_user,
invisible → 404), and the public profiles, open without logging in (public facts only)."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router, Schema

from renda.core.access import PUBLIC, api_allow
from renda.core.api_types import HalfDays, Id, Limit, Offset, Serial, Term, Total, Year
from renda.core.errors import DomainError
from renda.deputies.archive import archive_response
from renda.deputies.permissions import get_deputy_for_user
from renda.deputies.queries_record import (
    FIRST_YEAR,
    get_public_deputy,
    parse_year,
    public_deputies,
    public_profile,
    record_of,
    record_summaries,
    this_year,
)

router = Router(tags=["deputies"])

RECORD_ROLES = ("admin", "leader", "staff", "street", "deputy")
MAX_LIMIT = 100


class TallyOut(Schema):
    attended: Total
    leave: Total
    absent: Total


class SummaryOut(Schema):
    year: Year
    meetings: TallyOut
    activities: TallyOut
    receptions: TallyOut
    trainings: TallyOut
    suggestions_led: Total
    suggestions_cosigned: Total
    opinions_received: Total
    session_leave_half_days: Total
    absences: Total


class SeatOut(Schema):
    level: str
    level_name: str
    term_number: Term
    street: str
    group: str


class AttendanceOut(Schema):
    activity_id: Id
    date: date
    kind: str
    kind_name: str
    title: str
    place: str
    meeting: str
    station: str
    half_days: HalfDays
    outcome: str
    outcome_name: str
    opinions: Total


class KindTallyOut(Schema):
    kind: str
    kind_name: str
    tally: TallyOut


class SuggestionOut(Schema):
    suggestion_id: Id
    kind_name: str
    session: str
    number: Serial | None
    title: str
    status: str
    status_name: str
    submitted_on: date | None
    lead_deputy: str


class RecordOut(Schema):
    deputy_id: Id
    full_name: str
    year: Year
    seats: list[SeatOut]
    summary: SummaryOut
    meetings: list[AttendanceOut]
    activities: list[AttendanceOut]
    activity_kinds: list[KindTallyOut]
    receptions: list[AttendanceOut]
    trainings: list[AttendanceOut]
    suggestions_led: list[SuggestionOut]
    suggestions_cosigned: list[SuggestionOut]


class PublicDeputyOut(Schema):
    id: Id
    full_name: str
    seats: list[SeatOut]
    group: str
    summary: SummaryOut


class PublicPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    year: Year
    items: list[PublicDeputyOut]


class RecordYearQuery(Schema):
    year: Year | None = None


class PublicQuery(Schema):
    q: str = ""
    offset: Offset = 0
    limit: Limit = 30


def _year(value: int | None) -> int:
    if value is None:
        return this_year()
    year = parse_year(value)
    if year is None:
        message = f"年度应在 {FIRST_YEAR} 年至 {this_year()} 年之间。"
        raise DomainError("invalid", message, field_errors={"year": message})
    return year


def _record_out(record) -> dict:
    return {
        "deputy_id": record.deputy_id,
        "full_name": record.full_name,
        "year": record.year,
        "seats": record.profile.seats,
        "summary": record.summary,
        "meetings": record.meetings,
        "activities": record.activities,
        "activity_kinds": record.activity_kinds,
        "receptions": record.receptions,
        "trainings": record.trainings,
        "suggestions_led": record.suggestions_led,
        "suggestions_cosigned": record.suggestions_cosigned,
    }


@router.get(
    "/public", response=PublicPage, auth=None, summary="公开的代表履职情况（现任区人大代表）"
)
@api_allow(PUBLIC)
def public_list(request: HttpRequest, query: Query[PublicQuery]):
    limit = max(1, min(query.limit, MAX_LIMIT))
    offset = max(0, query.offset)
    deputies = public_deputies(query.q.strip()[:50])
    rows = list(deputies[offset : offset + limit])
    year = this_year()
    summaries = record_summaries([d.pk for d in rows], year)
    items = [_public_out(d, summaries[d.pk]) for d in rows]
    return {
        "count": deputies.count(),
        "offset": offset,
        "limit": limit,
        "year": year,
        "items": items,
    }


def _public_out(deputy, summary) -> dict:
    profile = public_profile(deputy)
    return {
        "id": deputy.pk,
        "full_name": profile.full_name,
        "seats": profile.seats,
        "group": profile.groups_text,
        "summary": summary,
    }


@router.get(
    "/public/{int:deputy_id}",
    response=PublicDeputyOut,
    auth=None,
    summary="一位代表的公开履职情况（本年度）",
)
@api_allow(PUBLIC)
def public_detail(request: HttpRequest, deputy_id: Id):
    deputy = get_public_deputy(deputy_id)
    return _public_out(deputy, record_summaries([deputy.pk], this_year())[deputy.pk])


@router.get("/{int:deputy_id}", response=RecordOut, summary="代表某年度的履职档案")
@api_allow(*RECORD_ROLES)
def deputy_record(request: HttpRequest, deputy_id: Id, query: Query[RecordYearQuery]):
    deputy = get_deputy_for_user(request.user, deputy_id)
    return _record_out(record_of(deputy, _year(query.year)))


@router.get("/{int:deputy_id}/archive", summary="下载代表某年度的履职档案（PDF）")
@api_allow(*RECORD_ROLES)
def record_archive(request: HttpRequest, deputy_id: Id, query: Query[RecordYearQuery]):
    deputy = get_deputy_for_user(request.user, deputy_id)
    return archive_response(deputy, _year(query.year))
