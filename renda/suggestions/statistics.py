"""The reads of the report pages: one congress session's figures (counts and rates, aggregated
in SQL) and the published suggestions the public may read.

What is counted (the decisions behind every figure):
- The register of a session is its numbered suggestions: accepted and later, plus merged ones
  (并案: they keep their number). Each counts once in the total and in the counts by state and by
  category.
- Merged suggestions are handled with their main one, so they enter no rate and no unit row: the
  rates cover the registered (REGISTERED_STATES) suggestions only.
- 按期答复率 measures first answers: on-time first answers ÷ (suggestions answered at least once +
  still-open suggestions past their deadline that were never answered). Open overdue counts as
  late; open items not yet due are not counted at all. A suggestion reopened after 不满意 keeps its
  first answer's verdict and is not counted twice.
- 满意率 uses the latest rating of each suggestion (its result, 办理结果): 满意 or 基本满意 ÷ rated.
- 解决率 uses the current answers (status sent) of each suggestion answered at least once: solved
  when every current answer's category means "solved" (A); A+B when each is solved or planned. In
  separate handling (分办) a suggestion is only as solved as its least solved part.
- A unit row counts the suggestions the unit answers (a live lead or separate assignment), as the
  suggestion stands: in separate handling the deputy has the answer when every part is in.

Every figure comes from a fixed number of queries whatever the number of suggestions."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import Exact

from renda.core.models import Congress
from renda.suggestions.exports import Rate, SessionStatistics, UnitRow
from renda.suggestions.models import (
    OPEN_STATES,
    REGISTERED_STATES,
    Answer,
    AnswerCategory,
    Assignment,
    CoSigner,
    Rating,
    Satisfaction,
    Status,
    Suggestion,
)
from renda.suggestions.queries import keyword_filter

NUMBERED_STATES = (*REGISTERED_STATES, Status.MERGED)
ANSWERING_ROLES = (Assignment.Role.LEAD, Assignment.Role.SEPARATE)
SOLVED = (AnswerCategory.Resolution.SOLVED,)
SOLVED_OR_PLANNED = (AnswerCategory.Resolution.SOLVED, AnswerCategory.Resolution.PLANNED)


def _latest_is(ref: str, result: str) -> Q:
    """The result (办理结果) of the suggestion's latest rating is this one."""
    ratings = Rating.objects.filter(suggestion=OuterRef(ref)).order_by("-round", "-id")
    return Q(Exact(Subquery(ratings.values("result")[:1]), result))


def _answered(prefix: str = "") -> Q:
    return Q(**{f"{prefix}first_answered_on__isnull": False})


def _resolved(ref: str, resolutions: tuple[str, ...]) -> Q:
    """Answered, with current answers, every one of them in one of these resolutions."""
    current = Answer.objects.filter(suggestion=OuterRef(ref), status=Answer.Status.SENT)
    return (
        _answered()
        & Q(Exists(current))
        & ~Q(Exists(current.exclude(category__resolution__in=resolutions)))
    )


def _overdue_unanswered(today: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": OPEN_STATES,
            f"{prefix}due_at__lt": today,
            f"{prefix}first_answered_on__isnull": True,
        }
    )


def _figures(today: date, *, ref: str, prefix: str = "") -> dict:
    """The conditional counts shared by the session totals and the unit rows."""
    return {
        "answered": Count("pk", filter=_answered(prefix)),
        "answered_on_time": Count(
            "pk", filter=_answered(prefix) & Q(**{f"{prefix}answered_on_time": True})
        ),
        "overdue_open": Count("pk", filter=_overdue_unanswered(today, prefix)),
        "satisfied": Count("pk", filter=_latest_is(ref, Satisfaction.SATISFIED)),
        "basically_satisfied": Count("pk", filter=_latest_is(ref, Satisfaction.BASICALLY)),
        "not_satisfied": Count("pk", filter=_latest_is(ref, Satisfaction.NOT_SATISFIED)),
    }


def _session(term_number: int, session_number: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.for_session(term_number, session_number)


def _by_state(term_number: int, session_number: int) -> list[tuple[str, int]]:
    counts = dict(
        _session(term_number, session_number)
        .filter(status__in=NUMBERED_STATES)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    # In the order of the workflow, not of the counts.
    return [(Status(s).label, counts[s]) for s in NUMBERED_STATES if counts.get(s)]


def _by_category(term_number: int, session_number: int) -> list[tuple[str, int]]:
    rows = (
        _session(term_number, session_number)
        .filter(status__in=NUMBERED_STATES)
        .values_list("category__name")
        .annotate(n=Count("pk"))
        .order_by("category__sort_order", "category__name")
    )
    return [(name, n) for name, n in rows]


def _by_answer_category(term_number: int, session_number: int) -> list[tuple[str, str, int]]:
    """The current answers by category (件次: in separate handling each unit's answer counts)."""
    rows = (
        Answer.objects.filter(
            status=Answer.Status.SENT,
            suggestion__term_number=term_number,
            suggestion__session_number=session_number,
            suggestion__status__in=REGISTERED_STATES,
        )
        .values_list("category__code", "category__label")
        .annotate(n=Count("pk"))
        .order_by("category__sort_order", "category__code")
    )
    return [(code, label, n) for code, label, n in rows]


def _totals(term_number: int, session_number: int, today: date) -> dict:
    return (
        _session(term_number, session_number)
        .filter(status__in=REGISTERED_STATES)
        .aggregate(
            **_figures(today, ref="pk"),
            solved=Count("pk", filter=_resolved("pk", SOLVED)),
            solved_or_planned=Count("pk", filter=_resolved("pk", SOLVED_OR_PLANNED)),
        )
    )


def _unit_rows(term_number: int, session_number: int, today: date) -> list[UnitRow]:
    rows = (
        Assignment.objects.filter(
            suggestion__term_number=term_number,
            suggestion__session_number=session_number,
            suggestion__status__in=REGISTERED_STATES,
            role__in=ANSWERING_ROLES,
        )
        .exclude(status=Assignment.Status.WITHDRAWN)
        .values("unit_id", "unit__name", "unit__sort_order")
        .annotate(assigned=Count("pk"), **_figures(today, ref="suggestion", prefix="suggestion__"))
        .order_by("unit__sort_order", "unit__name")
    )
    return [
        UnitRow(
            unit_name=row["unit__name"],
            assigned=row["assigned"],
            answered=row["answered"],
            answered_on_time=row["answered_on_time"],
            overdue_open=row["overdue_open"],
            satisfied=row["satisfied"],
            basically_satisfied=row["basically_satisfied"],
            not_satisfied=row["not_satisfied"],
        )
        for row in rows
    ]


def units_text(suggestion: Suggestion) -> str:
    """ "区住建局（主办）、区城管局（协办）" from the prefetched live assignments."""
    return "、".join(
        f"{a.unit.name}（{a.get_role_display()}）" for a in suggestion.live_assignments
    )


# The lead unit first, then the separate ones, then the co-units: as assignments are read out.
ROLE_RANK = Case(
    When(role=Assignment.Role.LEAD, then=Value(0)),
    When(role=Assignment.Role.SEPARATE, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def live_assignments() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN)
        .select_related("unit")
        .alias(role_rank=ROLE_RANK)
        .order_by("role_rank", "unit__sort_order", "id"),
        to_attr="live_assignments",
    )


def _key_suggestions(term_number: int, session_number: int) -> list[tuple]:
    rows = (
        _session(term_number, session_number)
        .filter(status__in=REGISTERED_STATES, is_key=True)
        .prefetch_related(live_assignments())
        .order_by("number", "id")
    )
    return [(s.number, s.title, units_text(s), s.get_status_display()) for s in rows]


def session_statistics(*, term_number: int, session_number: int, today: date) -> SessionStatistics:
    """The session's figures as of `today` (which decides what is overdue)."""
    congress = Congress.current()
    by_state = _by_state(term_number, session_number)
    totals = _totals(term_number, session_number, today)
    rated = totals["satisfied"] + totals["basically_satisfied"] + totals["not_satisfied"]
    return SessionStatistics(
        congress_name=congress.name if congress else "",
        term_number=term_number,
        session_number=session_number,
        generated_on=today,
        total=sum(n for _, n in by_state),
        by_state=tuple(by_state),
        by_category=tuple(_by_category(term_number, session_number)),
        by_answer_category=tuple(_by_answer_category(term_number, session_number)),
        units=tuple(_unit_rows(term_number, session_number, today)),
        on_time_rate=Rate(totals["answered_on_time"], totals["answered"] + totals["overdue_open"]),
        satisfaction_rate=Rate(totals["satisfied"] + totals["basically_satisfied"], rated),
        solved_rate=Rate(totals["solved"], totals["answered"]),
        solved_or_planned_rate=Rate(totals["solved_or_planned"], totals["answered"]),
        key_suggestions=tuple(_key_suggestions(term_number, session_number)),
    )


def statistics_sessions() -> list[tuple[int, int]]:
    """The (term, session) pairs that have numbered suggestions, newest first."""
    return list(
        Suggestion.objects.filter(status__in=NUMBERED_STATES)
        .order_by("-term_number", "-session_number")
        .values_list("term_number", "session_number")
        .distinct()
    )


def chart_data(stats: SessionStatistics) -> dict:
    """What statistics.js draws, as plain JSON (passed with json_script)."""
    return {
        "byState": [{"name": label, "value": n} for label, n in stats.by_state],
        "byCategory": [{"name": label, "value": n} for label, n in stats.by_category],
        "byAnswerCategory": [
            {"name": f"{code} {label}", "value": n} for code, label, n in stats.by_answer_category
        ],
        "units": {
            "names": [u.unit_name for u in stats.units],
            "onTime": [u.answered_on_time for u in stats.units],
            "late": [u.answered - u.answered_on_time for u in stats.units],
            "overdue": [u.overdue_open for u in stats.units],
        },
        "rates": [
            {"name": name, "value": rate.percent}
            for name, rate in (
                ("按期答复率", stats.on_time_rate),
                ("满意率", stats.satisfaction_rate),
                ("解决率（A）", stats.solved_rate),
                ("解决和列入计划率（A+B）", stats.solved_or_planned_rate),
            )
        ],
    }


# ---------------------------------------------------------------------------------------------
# Published suggestions (SD 27): accepted, published by the office, not confidential. The public
# pages load only the fields they show, so no personal data is ever read for them.

PUBLIC_FIELDS = (
    "id",
    "term_number",
    "session_number",
    "number",
    "title",
    "status",
    "category__name",
    "deputy__full_name",
)


def _published() -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(
        status__in=REGISTERED_STATES, published_at__isnull=False, is_confidential=False
    )


def published_suggestions(
    *,
    session: tuple[int, int] | None = None,
    category_id: int | None = None,
    keyword: str = "",
) -> QuerySet[Suggestion]:
    rows = _published()
    if session:
        rows = rows.for_session(*session)
    if category_id:
        rows = rows.filter(category_id=category_id)
    if keyword:
        rows = rows.filter(keyword_filter(keyword))
    return (
        rows.select_related("category", "deputy")
        .only(*PUBLIC_FIELDS)
        .prefetch_related(live_assignments())
        .order_by("-term_number", "-session_number", "number")
    )


def published_sessions() -> list[tuple[int, int]]:
    return list(
        _published()
        .order_by("-term_number", "-session_number")
        .values_list("term_number", "session_number")
        .distinct()
    )


def published_suggestion(
    *, term_number: int, session_number: int, number: int
) -> Suggestion | None:
    """One published suggestion with its confirmed co-signers' names, or None."""
    cosigners = Prefetch(
        "cosigners",
        queryset=CoSigner.objects.filter(status=CoSigner.Status.CONFIRMED)
        .select_related("deputy")
        .only("id", "suggestion_id", "deputy__full_name"),
        to_attr="confirmed_cosigners",
    )
    return (
        _published()
        .for_session(term_number, session_number)
        .filter(number=number)
        .select_related("category", "deputy")
        .only(*PUBLIC_FIELDS, "content", "timing")
        .prefetch_related(live_assignments(), cosigners)
        .first()
    )


def current_answers(suggestion: Suggestion) -> list[Answer]:
    """The answers in force (not returned or replaced): what the deputy was last told."""
    return list(
        suggestion.answers.filter(status=Answer.Status.SENT)
        .select_related("unit", "category")
        .only(
            "id",
            "suggestion_id",
            "text",
            "answered_on",
            "is_follow_up",
            "unit__name",
            "category__code",
            "category__label",
        )
        .order_by("answered_on", "id")
    )
