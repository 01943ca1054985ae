"""Reads of liaison stations, their reception schedule and voters' opinions: who sees which,
who may do what now, the lists with their counts, and what of a voter is shown to whom.

The organ sees every station and opinion; a street's work committee its own street's; a deputy
the opinions they received; a unit only the opinions forwarded to it. Every id from a URL or the
API resolves through get_station_for_user / get_opinion_for_user: invisible → 404. A voter's
phone and address are shown to those who keep the roster and to the station's street only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from renda.core import clock
from renda.core.models import Role
from renda.core.privacy import mask_address, mask_free_text, mask_phone
from renda.deputies.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Invitation,
    Station,
    VoterOpinion,
    VoterOpinionStatus,
)
from renda.deputies.permissions import keeps_roster
from renda.deputies.queries_activities import ACTIVE, own_deputy

# Timeline events show an opinion's states in Chinese (belongs in DeputiesConfig.ready()).

Status = VoterOpinionStatus
OPEN = (Status.RECEIVED, Status.TO_SUGGESTION, Status.TO_UNIT, Status.ANSWERED)
FEEDBACK_METHODS = ("电话", "当面", "短信", "书面")


# ---------------------------------------------------------------------------------------------
# Who


def keeps_station(user, station: Station) -> bool:
    """Who runs a station, its schedule and its opinions: the administrator, the deputy-affairs
    office, and the work committee of the station's street."""
    if keeps_roster(user):
        return True
    roles = user.roles
    return (
        roles.has(Role.STREET)
        and station.street_id is not None
        and station.street_id in roles.street_ids
    )


def may_add_station(user) -> bool:
    return keeps_roster(user) or user.roles.has(Role.STREET)


def sees_voter_contact(user, opinion: VoterOpinion) -> bool:
    """A voter's phone and address: those who keep the roster and the station's street."""
    if keeps_roster(user):
        return True
    roles = user.roles
    street_id = opinion.station.street_id
    return roles.has(Role.STREET) and street_id is not None and street_id in roles.street_ids


def voter_phone(user, opinion: VoterOpinion) -> str:
    return (
        opinion.voter_phone
        if sees_voter_contact(user, opinion)
        else mask_phone(opinion.voter_phone)
    )


def voter_address(user, opinion: VoterOpinion) -> str:
    if sees_voter_contact(user, opinion):
        return opinion.voter_address
    return mask_address(opinion.voter_address)


def voter_text(user, opinion: VoterOpinion, text: str) -> str:
    """An opinion's free text (content, result, report-back note) as this user may read it: for
    those who may not see the voter's contact, ID numbers, phones and the voter's own address
    written into it are masked like the contact columns."""
    if sees_voter_contact(user, opinion):
        return text
    return mask_free_text(text, phone=opinion.voter_phone, address=opinion.voter_address)


def enters_drafts(user) -> bool:
    """Who may enter a draft on a deputy's behalf: the suggestions' own rule (the administrator
    and the deputy-affairs office, handles_suggestions) through keeps_roster, which is the same
    office and is remembered per request, so a list asks it once."""
    return keeps_roster(user)


def is_unit_of(user, opinion: VoterOpinion) -> bool:
    return opinion.unit_id is not None and opinion.unit_id in user.roles.unit_ids


def is_receiving_deputy(user, opinion: VoterOpinion) -> bool:
    deputy = own_deputy(user)
    return deputy is not None and opinion.received_by_id == deputy.pk


# ---------------------------------------------------------------------------------------------
# Stations


def visible_stations(user) -> QuerySet[Station]:
    roles = user.roles
    if roles.sees_whole_congress:
        return Station.objects.all()
    if roles.has(Role.STREET):
        return Station.objects.filter(street_id__in=roles.street_ids)
    return Station.objects.none()


def get_station_for_user(user, pk: int) -> Station:
    station = visible_stations(user).select_related("street").filter(pk=pk).first()
    if station is None:
        raise Http404("未找到该联络站，或您无权查看。")
    return station


def station_actions(user, station: Station) -> set[str]:
    """The station-level actions the user may take now (pages and the API show only these)."""
    if not keeps_station(user, station):
        return set()
    if not station.is_active:
        return {"update_station", "reactivate_station"}
    return {"update_station", "deactivate_station", "schedule_reception", "record_opinion"}


def receptions(station: Station | None = None) -> QuerySet[Activity]:
    rows = Activity.objects.filter(kind=ActivityKind.RECEPTION, station__isnull=False)
    if station is not None:
        rows = rows.filter(station=station)
    return rows


def upcoming(rows: QuerySet[Activity], today: date | None = None) -> QuerySet[Activity]:
    return rows.filter(status__in=ACTIVE, date__gte=today or clock.today())


def _count(rows: QuerySet, column: str = "station") -> Coalesce:
    """A correlated COUNT per station (subqueries: counts of two relations never multiply)."""
    counted = (
        rows.filter(**{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_station_counts(stations: QuerySet[Station], today: date | None = None):
    today = today or clock.today()
    return stations.annotate(
        upcoming_count=_count(upcoming(receptions(), today)),
        open_count=_count(VoterOpinion.objects.filter(status__in=OPEN)),
        overdue_count=_count(overdue_opinions(VoterOpinion.objects.all(), today)),
    )


def station_list(user) -> QuerySet[Station]:
    stations = visible_stations(user).select_related("street")
    return with_station_counts(stations).order_by(
        "-is_active", "kind", "street__sort_order", "name"
    )


def station_counts(station: Station) -> dict[str, int]:
    row = with_station_counts(Station.objects.filter(pk=station.pk)).values(
        "upcoming_count", "open_count", "overdue_count"
    )[0]
    return {name.removesuffix("_count"): value for name, value in row.items()}


def receiving_prefetch() -> Prefetch:
    """The deputies who receive voters: those invited who neither declined nor have leave."""
    invitations = (
        Invitation.objects.exclude(response=Invitation.Response.DECLINED)
        .exclude(leave=Invitation.Leave.GRANTED)
        .select_related("deputy")
        .order_by("deputy__name_stroke_key", "id")
    )
    return Prefetch("invitations", queryset=invitations, to_attr="receiving")


def station_receptions(station: Station, *, past: bool, limit: int = 20) -> list[Activity]:
    today = clock.today()
    rows = receptions(station).prefetch_related(receiving_prefetch())
    if past:
        rows = rows.exclude(pk__in=upcoming(receptions(station), today).values("pk"))
        rows = rows.order_by("-date", "-starts_at", "-id")
    else:
        rows = upcoming(rows, today).order_by("date", "starts_at", "id")
    return list(rows[:limit])


def public_schedule(today: date | None = None) -> list[Station]:
    """Active stations with their upcoming receptions and the receiving deputies (names only)."""
    today = today or clock.today()
    coming = (
        upcoming(receptions(), today)
        .only("id", "station_id", "date", "starts_at", "ends_at", "title")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.exclude(response=Invitation.Response.DECLINED)
                .exclude(leave=Invitation.Leave.GRANTED)
                .select_related("deputy")
                .only("id", "activity_id", "deputy__id", "deputy__full_name")
                .order_by("deputy__name_stroke_key", "id"),
                to_attr="receiving",
            )
        )
        .order_by("date", "starts_at", "id")
    )
    return list(
        Station.objects.filter(is_active=True)
        .select_related("street")
        .only("id", "kind", "name", "address", "phone", "opening_hours", "street__name")
        .prefetch_related(Prefetch("receptions", queryset=coming, to_attr="coming"))
        .order_by("kind", "street__sort_order", "name")
    )


def reception_choices_for_station(station: Station) -> QuerySet[Activity]:
    """Receptions an opinion may be entered for: held or under way (not cancelled, not ahead)."""
    return (
        receptions(station)
        .exclude(status=ActivityStatus.CANCELLED)
        .filter(date__lte=clock.today())
        .order_by("-date", "-starts_at")
    )


def receptions_of_deputy(user) -> QuerySet[Activity]:
    """The receptions a deputy was invited to, for entering what voters told them there."""
    deputy = own_deputy(user)
    if deputy is None:
        return Activity.objects.none()
    return (
        receptions()
        .filter(invitations__deputy=deputy, date__lte=clock.today())
        .exclude(status=ActivityStatus.CANCELLED)
        .select_related("station")
        .order_by("-date", "-starts_at")
    )


# ---------------------------------------------------------------------------------------------
# Voters' opinions


def visible_opinions(user) -> QuerySet[VoterOpinion]:
    roles = user.roles
    if roles.sees_whole_congress:
        return VoterOpinion.objects.all()
    condition = Q(pk__in=[])
    if roles.has(Role.STREET):
        condition |= Q(station__street_id__in=roles.street_ids)
    if roles.has(Role.UNIT):
        condition |= Q(unit_id__in=roles.unit_ids)
    deputy = own_deputy(user)
    if deputy is not None:
        condition |= Q(received_by=deputy)
    return VoterOpinion.objects.filter(condition)


def get_opinion_for_user(user, pk: int) -> VoterOpinion:
    opinion = (
        visible_opinions(user)
        .select_related("station", "station__street", "reception", "received_by", "unit")
        .select_related("suggestion", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if opinion is None:
        raise Http404("未找到该选民意见，或您无权查看。")
    return opinion


def is_overdue(opinion: VoterOpinion, today: date | None = None) -> bool:
    return (
        opinion.status == Status.TO_UNIT
        and opinion.unit_due_on is not None
        and opinion.unit_due_on < (today or clock.today())
    )


def overdue_opinions(rows: QuerySet[VoterOpinion], today: date | None = None):
    return rows.filter(status=Status.TO_UNIT, unit_due_on__lt=today or clock.today())


def opinion_actions(user, opinion: VoterOpinion) -> set[str]:
    """What the user may do with one opinion now. The keepers of its station forward it to a
    unit, answer it (on the spot, or once its suggestion is answered) and report back; whoever
    may enter a deputy's draft, and the receiving deputy, turn it into a suggestion; the unit it
    went to answers it (unit_answer: the same action, its own page)."""
    status = opinion.status
    allowed: set[str] = set()
    keeper = keeps_station(user, opinion.station)
    if status == Status.RECEIVED:
        if keeper:
            allowed |= {"forward_to_unit", "answer_opinion"}
        if opinion.received_by_id and (enters_drafts(user) or is_receiving_deputy(user, opinion)):
            allowed.add("forward_as_suggestion")
    elif status == Status.TO_SUGGESTION and keeper:
        allowed.add("answer_opinion")
    elif status == Status.TO_UNIT and is_unit_of(user, opinion):
        allowed.add("unit_answer")
    elif status == Status.ANSWERED and keeper:
        allowed.add("report_back")
    return allowed


@dataclass
class OpinionFilters:
    station: int | None = None
    status: str = ""
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_params(cls, params) -> OpinionFilters:
        station = str(params.get("station") or "").strip()
        status = params.get("status") or ""
        overdue = str(params.get("overdue") or "").strip().lower()
        return cls(
            station=int(station) if station.isdigit() else None,
            status=status if status in Status.values else "",
            overdue=overdue in ("1", "true", "on", "yes"),
            q=(params.get("q") or "").strip()[:50],
        )


def opinion_list(user, filters: OpinionFilters) -> QuerySet[VoterOpinion]:
    rows = visible_opinions(user)
    if filters.station:
        rows = rows.filter(station_id=filters.station)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.overdue:
        rows = overdue_opinions(rows)
    if filters.q:
        rows = rows.filter(Q(subject__contains=filters.q) | Q(content__contains=filters.q))
    return rows.select_related(
        "station", "received_by", "unit", "suggestion", "reception"
    ).order_by("-received_on", "-id")


def stations_for_filter(user) -> QuerySet[Station]:
    roles = user.roles
    if roles.sees_whole_congress:
        return Station.objects.all()
    ids = visible_opinions(user).values("station_id")
    return Station.objects.filter(Q(pk__in=ids) | Q(street_id__in=roles.street_ids)).distinct()


def latest_answer_text(opinion: VoterOpinion) -> str:
    """The linked suggestion's latest answer, to prefill the opinion's result."""
    if opinion.suggestion_id is None:
        return ""
    answer = opinion.suggestion.answers.exclude(status="returned").order_by("-id").first()
    return answer.text if answer else ""
