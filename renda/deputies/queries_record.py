"""The performance record (履职档案, 代表法 58): everything a deputy did in a year — meetings,
activities, suggestions led and co-signed, receptions at stations, trainings.

A query, nothing stored: the rows are read through renda/deputies/sources.py (held activities,
counted suggestion states, the date each item is placed by), so that the record and the points
always count the same things. record_of() reads one deputy's whole year in a constant number of
queries; record_summaries() counts many deputies' years at once (the public list, the bench)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from renda.deputies import sources
from renda.deputies.models import (
    ActivityKind,
    Deputy,
    Invitation,
    Level,
    Mandate,
    PointSource,
    VoterOpinion,
)
from renda.deputies.queries import active_mandates_prefetch
from renda.suggestions.models import CoSigner, Suggestion
from renda.suggestions.models import Status as SuggestionStatus
from renda.suggestions.queries import visible_suggestions

FIRST_YEAR = 2000  # no record is kept on this platform before it

# The record's sections of attendance, by activity kind. Everything that is neither a meeting,
# a reception nor a training is an activity (视察、调研、执法检查、专题询问、代表小组活动、其他).
SECTION_KINDS: dict[str, tuple[str, ...]] = {
    "meetings": tuple(sources.MEETING_KINDS),
    "receptions": sources.ACTIVITY_KINDS[PointSource.RECEPTION],
    "trainings": sources.ACTIVITY_KINDS[PointSource.TRAINING],
}
SECTIONS = ("meetings", "activities", "receptions", "trainings")
SECTION_TITLES = {
    "meetings": "出席会议",
    "activities": "参加履职活动",
    "receptions": "联络站接待选民",
    "trainings": "参加培训",
}
_NAMED_KINDS = {kind for kinds in SECTION_KINDS.values() for kind in kinds}


def _section_q(section: str) -> Q:
    if section == "activities":
        return ~Q(activity__kind__in=_NAMED_KINDS)
    return Q(activity__kind__in=SECTION_KINDS[section])


def section_of(kind: str) -> str:
    for section, kinds in SECTION_KINDS.items():
        if kind in kinds:
            return section
    return "activities"


# How one invitation to a held activity ended. Attendance first (a deputy who came, came);
# absence is sources.absences(): absent and no leave granted.
ATTENDED = "attended"
LEAVE = "leave"
ABSENT = "absent"
OUTCOMES = {ATTENDED: "出席", LEAVE: "请假", ABSENT: "缺席"}
_GRANTED = Q(leave=Invitation.Leave.GRANTED)
_CAME = Q(attendance=Invitation.Attendance.ATTENDED)
OUTCOME_Q = {
    ATTENDED: _CAME,
    LEAVE: _GRANTED & ~_CAME,
    ABSENT: Q(attendance=Invitation.Attendance.ABSENT) & ~_GRANTED,
}


def outcome_of(invitation: Invitation) -> str:
    if invitation.attendance == Invitation.Attendance.ATTENDED:
        return ATTENDED
    if invitation.leave == Invitation.Leave.GRANTED:
        return LEAVE
    if invitation.attendance == Invitation.Attendance.ABSENT:
        return ABSENT
    return ""  # held but not yet marked: shown, counted nowhere


# ---------------------------------------------------------------------------------------------
# Years


def this_year() -> int:
    return timezone.localdate().year


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def parse_year(value) -> int | None:
    """A year a record may be asked for (FIRST_YEAR .. this year), or None."""
    text = str(value or "").strip()
    if len(text) != 4 or not text.isdigit():
        return None
    year = int(text)
    return year if FIRST_YEAR <= year <= this_year() else None


def record_years(deputy: Deputy) -> list[int]:
    """The years a deputy has a record for, newest first: from their first seat to this year."""
    first = min((m.started_on.year for m in _all_mandates(deputy)), default=this_year())
    return list(range(this_year(), max(first, FIRST_YEAR) - 1, -1))


def _all_mandates(deputy: Deputy) -> list[Mandate]:
    return list(deputy.mandates.only("started_on"))


# ---------------------------------------------------------------------------------------------
# What the record holds


@dataclass(frozen=True)
class Tally:
    attended: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def total(self) -> int:
        return self.attended + self.leave + self.absent


@dataclass(frozen=True)
class RecordSummary:
    """The counts of a deputy's year: what the public profile shows and the archive tabulates."""

    year: int
    meetings: Tally = field(default_factory=Tally)
    activities: Tally = field(default_factory=Tally)
    receptions: Tally = field(default_factory=Tally)
    trainings: Tally = field(default_factory=Tally)
    suggestions_led: int = 0
    suggestions_cosigned: int = 0
    opinions_received: int = 0  # voters' opinions the deputy received at stations
    session_leave_half_days: int = 0  # sources.SESSION_LEAVE: the unit of the leave penalty

    @property
    def absences(self) -> int:
        """Absent without leave granted, all sections (sources.absences())."""
        return sum(getattr(self, s).absent for s in SECTIONS)

    def tallies(self) -> list[tuple[str, str, Tally]]:
        return [(s, SECTION_TITLES[s], getattr(self, s)) for s in SECTIONS]


@dataclass(frozen=True)
class Seat:
    level: str
    level_name: str
    term_number: int
    street: str
    group: str

    @property
    def label(self) -> str:
        return f"第{self.term_number}届{self.level_name}"


@dataclass(frozen=True)
class Profile:
    """A deputy's public facts (name and seats): never an ID number, phone or birth date."""

    deputy_id: int
    full_name: str
    seats: tuple[Seat, ...]

    @property
    def levels_text(self) -> str:
        return "、".join(seat.label for seat in self.seats)

    @property
    def groups_text(self) -> str:
        return "、".join(dict.fromkeys(seat.group for seat in self.seats if seat.group))

    @property
    def streets_text(self) -> str:
        return "、".join(dict.fromkeys(seat.street for seat in self.seats if seat.street))


def _seat(mandate: Mandate) -> Seat:
    return Seat(
        level=mandate.level,
        level_name=mandate.get_level_display(),
        term_number=mandate.term_number,
        street=mandate.street.name if mandate.street else "",
        group=mandate.group.name if mandate.group else "",
    )


def profile_of(deputy: Deputy, mandates) -> Profile:
    return Profile(deputy.pk, deputy.full_name, tuple(_seat(m) for m in mandates))


@dataclass(frozen=True)
class AttendanceRow:
    """One invitation to a held activity and how it ended."""

    activity_id: int
    date: date
    kind: str
    kind_name: str
    title: str
    place: str
    meeting: str  # the linked meeting's title (会议), if any
    station: str  # the station of a reception
    half_days: int
    leave_granted: bool
    outcome: str
    opinions: int  # voters' opinions this deputy received at this reception

    @property
    def outcome_name(self) -> str:
        return OUTCOMES.get(self.outcome, "未登记")


@dataclass(frozen=True)
class KindTally:
    kind: str
    kind_name: str
    tally: Tally


@dataclass(frozen=True)
class SuggestionRow:
    suggestion_id: int
    kind_name: str
    session: str  # 第18届第3次会议
    number: int | None
    title: str
    status: str
    status_name: str
    submitted_on: date | None
    lead_deputy: str

    @property
    def number_text(self) -> str:
        return f"第{self.number}号" if self.number else "—"


@dataclass(frozen=True)
class Record:
    profile: Profile
    year: int
    meetings: list[AttendanceRow]
    activities: list[AttendanceRow]
    activity_kinds: list[KindTally]
    receptions: list[AttendanceRow]
    trainings: list[AttendanceRow]
    suggestions_led: list[SuggestionRow]
    suggestions_cosigned: list[SuggestionRow]
    summary: RecordSummary

    @property
    def deputy_id(self) -> int:
        return self.profile.deputy_id

    @property
    def full_name(self) -> str:
        return self.profile.full_name

    @property
    def opinions_received(self) -> int:
        return self.summary.opinions_received


# ---------------------------------------------------------------------------------------------
# Reading the record


def _held_invitations(start: date, end: date, deputy_ids) -> QuerySet[Invitation]:
    # The sources' own held invitations, placed in the year by the sources' own date column.
    held = sources.Source(sources.held_invitations(), "deputy_id", "activity__date", Value(1))
    return held.within(start, end, deputy_ids)


def _mandates_in(deputy: Deputy, start: date, end: date) -> list[Mandate]:
    """The seats the deputy held at some time in start..end, national first."""
    return list(
        deputy.mandates.filter(started_on__lte=end)
        .filter(Q(ended_on=None) | Q(ended_on__gte=start))
        .select_related("street", "group")
        .by_level()
    )


def _opinions_at_reception():
    opinions = (
        VoterOpinion.objects.filter(
            reception_id=OuterRef("activity_id"), received_by_id=OuterRef("deputy_id")
        )
        .order_by()
        .values("reception_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(opinions, output_field=IntegerField()), 0)


def _attendance_rows(deputy: Deputy, start: date, end: date) -> list[AttendanceRow]:
    invitations = (
        _held_invitations(start, end, [deputy.pk])
        .select_related("activity__meeting", "activity__station")
        .annotate(opinions=_opinions_at_reception())
        .order_by("activity__date", "activity__starts_at", "activity_id")
    )
    rows = []
    for invitation in invitations:
        activity = invitation.activity
        rows.append(
            AttendanceRow(
                activity_id=activity.pk,
                date=activity.date,
                kind=activity.kind,
                kind_name=activity.get_kind_display(),
                title=activity.title,
                place=activity.place,
                meeting=activity.meeting.title if activity.meeting else "",
                station=activity.station.name if activity.station else "",
                half_days=activity.half_days,
                leave_granted=invitation.leave == Invitation.Leave.GRANTED,
                outcome=outcome_of(invitation),
                opinions=invitation.opinions,
            )
        )
    return rows


def _session(suggestion: Suggestion) -> str:
    return f"第{suggestion.term_number}届第{suggestion.session_number}次会议"


def _suggestion_row(suggestion: Suggestion) -> SuggestionRow:
    return SuggestionRow(
        suggestion_id=suggestion.pk,
        kind_name=suggestion.get_kind_display(),
        session=_session(suggestion),
        number=suggestion.number,
        title=suggestion.title,
        status=suggestion.status,
        status_name=suggestion.get_status_display(),
        submitted_on=timezone.localdate(suggestion.submitted_at)
        if suggestion.submitted_at
        else None,
        lead_deputy=suggestion.deputy.full_name,
    )


def _led(deputy: Deputy, start: date, end: date) -> list[SuggestionRow]:
    rows = (
        sources.source(PointSource.SUGGESTION_LEAD)
        .within(start, end, [deputy.pk])
        .select_related("deputy")
        .order_by("submitted_at", "id")
    )
    return [_suggestion_row(s) for s in rows]


def _cosigned(deputy: Deputy, start: date, end: date) -> list[SuggestionRow]:
    rows: QuerySet[CoSigner] = (
        sources.source(PointSource.SUGGESTION_COSIGNED)
        .within(start, end, [deputy.pk])
        .select_related("suggestion__deputy")
        .order_by("suggestion__submitted_at", "suggestion_id")
    )
    return [_suggestion_row(c.suggestion) for c in rows]


def _opinions_received(deputy_ids, start: date, end: date) -> dict[int, int]:
    rows = (
        VoterOpinion.objects.filter(
            received_by_id__in=deputy_ids, received_on__gte=start, received_on__lte=end
        )
        .order_by()
        .values("received_by_id")
        .annotate(n=Count("pk"))
    )
    return {row["received_by_id"]: row["n"] for row in rows}


def _tally(rows: list[AttendanceRow]) -> Tally:
    outcomes = [row.outcome for row in rows]
    return Tally(outcomes.count(ATTENDED), outcomes.count(LEAVE), outcomes.count(ABSENT))


def _kind_tallies(rows: list[AttendanceRow]) -> list[KindTally]:
    by_kind: dict[str, list[AttendanceRow]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    return [
        KindTally(kind, ActivityKind(kind).label, _tally(by_kind[kind]))
        for kind in ActivityKind.values
        if kind in by_kind
    ]


def record_of(deputy: Deputy, year: int) -> Record:
    """One deputy's record for one year (five queries, however much they did)."""
    start, end = year_bounds(year)
    profile = profile_of(deputy, _mandates_in(deputy, start, end))
    rows = _attendance_rows(deputy, start, end)
    sections = {s: [r for r in rows if section_of(r.kind) == s] for s in SECTIONS}
    led = _led(deputy, start, end)
    cosigned = _cosigned(deputy, start, end)
    summary = RecordSummary(
        year=year,
        **{s: _tally(sections[s]) for s in SECTIONS},
        suggestions_led=len(led),
        suggestions_cosigned=len(cosigned),
        opinions_received=_opinions_received([deputy.pk], start, end).get(deputy.pk, 0),
        session_leave_half_days=sum(
            r.half_days for r in rows if r.kind == ActivityKind.SESSION and r.leave_granted
        ),
    )
    return Record(
        profile=profile,
        year=year,
        meetings=sections["meetings"],
        activities=sections["activities"],
        activity_kinds=_kind_tallies(sections["activities"]),
        receptions=sections["receptions"],
        trainings=sections["trainings"],
        suggestions_led=led,
        suggestions_cosigned=cosigned,
        summary=summary,
    )


def _attendance_counts(deputy_ids, start: date, end: date) -> dict[int, dict[str, int]]:
    counts = {
        f"{section}_{outcome}": Count("pk", filter=_section_q(section) & condition)
        for section in SECTIONS
        for outcome, condition in OUTCOME_Q.items()
    }
    rows = (
        _held_invitations(start, end, deputy_ids).order_by().values("deputy_id").annotate(**counts)
    )
    return {row.pop("deputy_id"): row for row in rows}


def record_summaries(deputy_ids, year: int) -> dict[int, RecordSummary]:
    """{deputy id: summary of the year} for many deputies: five queries, however many."""
    ids = list(deputy_ids)
    start, end = year_bounds(year)
    attendance = _attendance_counts(ids, start, end)
    led = sources.counts_by_deputy(PointSource.SUGGESTION_LEAD, start, end, ids)
    cosigned = sources.counts_by_deputy(PointSource.SUGGESTION_COSIGNED, start, end, ids)
    leave = sources.counts_by_deputy(PointSource.SESSION_LEAVE, start, end, ids)
    opinions = _opinions_received(ids, start, end)
    summaries = {}
    for pk in ids:
        counts = attendance.get(pk, {})
        tallies = {
            s: Tally(*(counts.get(f"{s}_{o}", 0) for o in (ATTENDED, LEAVE, ABSENT)))
            for s in SECTIONS
        }
        summaries[pk] = RecordSummary(
            year=year,
            **tallies,
            suggestions_led=led.get(pk, (0, 0))[0],
            suggestions_cosigned=cosigned.get(pk, (0, 0))[0],
            opinions_received=opinions.get(pk, 0),
            session_leave_half_days=leave.get(pk, (0, 0))[1],
        )
    return summaries


# ---------------------------------------------------------------------------------------------
# The public profile: current district deputies only, public facts only


def _district_seat():
    return Mandate.objects.filter(
        deputy=OuterRef("pk"), ended_on=None, level=Level.DISTRICT
    ).order_by("-term_number")


def public_deputies(q: str = "") -> QuerySet[Deputy]:
    """Current district deputies by group (groups in their order, then 姓氏笔画), loading the
    name only: a template cannot show what was never read."""
    seat = _district_seat()
    return (
        Deputy.objects.with_active_mandate(level=Level.DISTRICT)
        .search(q)
        .only("id", "full_name", "name_stroke_key")
        .annotate(
            group_name=Subquery(seat.values("group__name")[:1]),
            group_order=Subquery(seat.values("group__sort_order")[:1]),
            group_key=Subquery(seat.values("group_id")[:1]),
        )
        .order_by(
            F("group_order").asc(nulls_last=True),
            F("group_key").asc(nulls_last=True),
            "name_stroke_key",
            "id",
        )
        .prefetch_related(active_mandates_prefetch())
    )


def get_public_deputy(pk: int) -> Deputy:
    deputy = public_deputies().filter(pk=pk).first()
    if deputy is None:
        raise Http404("未找到该代表。")
    return deputy


def public_profile(deputy: Deputy) -> Profile:
    """From a deputy of public_deputies() (its current seats are prefetched)."""
    return profile_of(deputy, deputy.active_mandates)


# ---------------------------------------------------------------------------------------------
# A deputy's own suggestions (phone-first list)


def own_suggestions(user, deputy: Deputy) -> QuerySet[Suggestion]:
    """The suggestions a deputy leads or co-signs (all states of their own; another's draft
    only once submitted), each with the co-signer's answer and whether they may open it."""
    cosign = CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy=deputy)
    return (
        Suggestion.objects.filter(
            Q(deputy=deputy) | (Exists(cosign) & ~Q(status=SuggestionStatus.DRAFT))
        )
        .select_related("deputy")
        .annotate(
            cosign_status=Subquery(cosign.values("status")[:1]),
            may_open=Exists(visible_suggestions(user).filter(pk=OuterRef("pk"))),
        )
        .order_by(F("submitted_at").desc(nulls_first=True), "-id")
    )
