"""Reads of suggestions: who sees which (`visible_suggestions`), the filtered list, the session
choices. Lists issue a fixed number of queries whatever their length."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from renda.core.models import Congress, Role, User
from renda.suggestions.models import (
    Assignment,
    CoSigner,
    Status,
    Suggestion,
)


def visible_suggestions(user) -> QuerySet[Suggestion]:
    """Deny by default: each role adds what it may see. A draft is seen only by its lead deputy
    and by whoever entered it; a unit sees only what is assigned to it now."""
    if not user.is_authenticated:
        return Suggestion.objects.none()
    roles = user.roles
    not_draft = ~Q(status=Status.DRAFT)
    seen = Q(status=Status.DRAFT, created_by=user)
    if roles.has(Role.ADMIN, Role.LEADER, Role.STAFF):
        seen |= not_draft
    if roles.has(Role.DEPUTY):
        seen |= Q(deputy__user=user)
        # A merged suggestion's deputy follows the main one, which answers them too.
        seen |= Exists(Suggestion.objects.filter(merged_into=OuterRef("pk"), deputy__user=user))
        seen |= not_draft & Exists(
            CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy__user=user)
        )
    if roles.street_ids:
        seen |= not_draft & Q(street_id__in=roles.street_ids)
    if roles.unit_ids:
        seen |= Exists(
            Assignment.objects.filter(
                suggestion=OuterRef("pk"), unit_id__in=roles.unit_ids
            ).exclude(status=Assignment.Status.WITHDRAWN)
        )
    if not roles.names:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(seen)


# Earliest deadline first; rows without a deadline last, on both engines.
SORTS = {
    "due": (F("due_at").asc(nulls_last=True), "-id"),
    "-due": (F("due_at").desc(nulls_last=True), "-id"),
    "number": (F("number").asc(nulls_last=True), "id"),
    "-created": ("-created_at", "-id"),
}


@dataclass
class SuggestionFilters:
    status: str = ""
    category: int | None = None
    unit: int | None = None
    term_number: int | None = None
    session_number: int | None = None
    overdue: bool = False
    key: bool = False
    escalated: bool = False
    deputy: int | None = None
    street: int | None = None
    q: str = ""
    sort: str = "due"
    extra: dict = field(default_factory=dict)


def keyword_filter(q: str) -> Q:
    """Every word (split on spaces) must appear in the title or the content. Substring matching
    is what makes two-character words such as 停车 or 教育 match reliably: a word-segmenting full
    text index would miss them inside longer words (停车位, 教育局)."""
    condition = Q()
    for word in q.split():
        condition &= Q(title__icontains=word) | Q(content__icontains=word)
    return condition


def suggestion_list(user, filters: SuggestionFilters, *, today: date) -> QuerySet[Suggestion]:
    rows = visible_suggestions(user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.category:
        rows = rows.filter(category_id=filters.category)
    if filters.unit:
        rows = rows.filter(
            Exists(
                Assignment.objects.filter(suggestion=OuterRef("pk"), unit_id=filters.unit).exclude(
                    status=Assignment.Status.WITHDRAWN
                )
            )
        )
    if filters.term_number:
        rows = rows.filter(term_number=filters.term_number)
    if filters.session_number:
        rows = rows.filter(session_number=filters.session_number)
    if filters.overdue:
        rows = rows.overdue(today)
    if filters.key:
        rows = rows.filter(is_key=True)
    if filters.escalated:
        rows = rows.filter(is_escalated=True)
    if filters.deputy:
        rows = rows.filter(
            Q(deputy_id=filters.deputy)
            | Exists(CoSigner.objects.filter(suggestion=OuterRef("pk"), deputy_id=filters.deputy))
        )
    if filters.street:
        rows = rows.filter(street_id=filters.street)
    if filters.q.strip():
        rows = rows.filter(keyword_filter(filters.q))
    rows = rows.order_by(*SORTS.get(filters.sort, SORTS["due"]))
    return with_list_relations(rows)


def live_assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.exclude(status=Assignment.Status.WITHDRAWN).select_related(
            "unit"
        ),
        to_attr="live_assignments",
    )


def with_list_relations(rows: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
    return rows.select_related("category", "deputy", "street").prefetch_related(
        live_assignments_prefetch()
    )


def sessions() -> list[tuple[int, int]]:
    """The (term, session) pairs that have suggestions, newest first."""
    return list(
        Suggestion.objects.order_by("-term_number", "-session_number")
        .values_list("term_number", "session_number")
        .distinct()
    )


def assignments_for_unit(unit_ids, *, status: str | None = None) -> QuerySet[Assignment]:
    rows = Assignment.objects.filter(unit_id__in=unit_ids).select_related("suggestion", "unit")
    if status:
        rows = rows.filter(status=status)
    return rows


def signer_names(suggestion: Suggestion) -> list[str]:
    """The lead deputy and the co-signers who confirmed: whom an answer is addressed to."""
    names = [suggestion.deputy.full_name]
    names += [
        c.deputy.full_name
        for c in suggestion.cosigners.filter(status=CoSigner.Status.CONFIRMED).select_related(
            "deputy"
        )
    ]
    return names


# Who is told what: the recipients of notifications.


def office_staff() -> list[User]:
    congress = Congress.current()
    if congress is None or congress.deputy_affairs_office_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__role=Role.STAFF,
            memberships__office_id=congress.deputy_affairs_office_id,
        ).distinct()
    )


def unit_users(unit_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.UNIT, memberships__unit_id__in=list(unit_ids)
        ).distinct()
    )


def leaders() -> list[User]:
    return list(User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct())


def deputy_users(suggestion: Suggestion, *, with_cosigners: bool = False) -> list[User]:
    users = [suggestion.deputy.user] if suggestion.deputy.user_id else []
    if with_cosigners:
        users += [
            c.deputy.user
            for c in suggestion.cosigners.filter(status=CoSigner.Status.CONFIRMED).select_related(
                "deputy__user"
            )
            if c.deputy.user_id
        ]
    for merged in suggestion.merged.select_related("deputy__user"):
        if merged.deputy.user_id:
            users.append(merged.deputy.user)
    return users


# The record page and the batch assignment (交办会).


@dataclass
class SuggestionRecord:
    """Everything the suggestion page shows beside the row itself, each list read once."""

    cosigners: list
    assignments: list
    contacts: list
    answers: list  # the answers the deputy gets: the main suggestion's when merged
    ratings: list
    extensions: list
    attachments: list
    merged: list
    events: list


def suggestion_record(suggestion: Suggestion) -> SuggestionRecord:
    from renda.core.models import TimelineEvent

    # A merged suggestion is handled with the main one: its deputy reads the main one's answers.
    answered = suggestion.merged_into or suggestion
    return SuggestionRecord(
        cosigners=list(suggestion.cosigners.select_related("deputy")),
        assignments=list(suggestion.assignments.select_related("unit").order_by("id")),
        contacts=list(suggestion.contacts.select_related("unit", "recorded_by")),
        answers=list(
            answered.answers.select_related("unit", "category", "original_category").order_by(
                "round", "answered_on", "id"
            )
        ),
        ratings=list(answered.ratings.select_related("rated_by")),
        extensions=list(suggestion.extensions.select_related("unit", "decided_by")),
        attachments=list(suggestion.attachments.select_related("answer__unit", "uploaded_by")),
        merged=list(suggestion.merged.select_related("deputy").order_by("number")),
        events=list(TimelineEvent.objects.for_object(suggestion)),
    )


def awaiting_assignment(term_number: int, session_number: int) -> QuerySet[Suggestion]:
    """A session's accepted suggestions, in number order: the table of a 交办会."""
    return (
        Suggestion.objects.for_session(term_number, session_number)
        .filter(status=Status.ACCEPTED)
        .select_related("deputy", "category")
        .order_by("number", "id")
    )
