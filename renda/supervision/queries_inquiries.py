"""Reads of special inquiries: who sees which (the organ all of them; a unit those it must attend;
a deputy those where they ask a question), the list with its filters, the one way to fetch an
inquiry for a user, the moves the user may take now, and the published ones.

Pages and the API show only what `inquiry_actions` returns; the actions check the same rules."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from renda.core.models import Role
from renda.core.numbers import ID
from renda.supervision import permissions as perms
from renda.supervision.actions import common
from renda.supervision.models import (
    Inquiry,
    InquiryAttendee,
    InquiryQuestion,
    InquiryStatus,
    Rectification,
    RectificationStatus,
)

AFTER_HELD = (InquiryStatus.HELD, InquiryStatus.RECTIFYING, InquiryStatus.CLOSED)


def rate_text(satisfied, basic, unsatisfied) -> str:
    """满意率 as "85.7%", or "—" before the vote."""
    rate = common.satisfaction_rate(satisfied, basic, unsatisfied)
    return "—" if rate is None else f"{rate * 100:.1f}%"


# ---------------------------------------------------------------------------------------------
# Who sees what


def visible_inquiries(user) -> QuerySet[Inquiry]:
    if not user.is_authenticated:
        return Inquiry.objects.none()
    if perms.is_organ(user):
        return Inquiry.objects.all()
    seen = Q(pk__in=[])
    roles = user.roles
    if Role.UNIT in roles.names and roles.unit_ids:
        attends = InquiryAttendee.objects.filter(
            inquiry=OuterRef("pk"), unit_id__in=list(roles.unit_ids)
        )
        seen |= Q(Exists(attends))
    if Role.DEPUTY in roles.names:
        asks = InquiryQuestion.objects.filter(inquiry=OuterRef("pk"), asker_deputy__user=user)
        seen |= Q(Exists(asks))
    return Inquiry.objects.filter(seen)


def get_inquiry_for_user(user, pk: int) -> Inquiry:
    inquiry = (
        visible_inquiries(user)
        .select_related("office", "meeting", "plan_item", "created_by")
        .filter(pk=pk)
        .first()
    )
    if inquiry is None:
        raise perms.not_found("专题询问")
    return inquiry


# ---------------------------------------------------------------------------------------------
# The list


@dataclass(frozen=True)
class InquiryFilters:
    year: int | None = None
    status: str = ""
    office: int | None = None
    q: str = ""


def positive_int(value) -> int | None:
    return ID.parse(value)


def filters_from_params(params) -> InquiryFilters:
    """Unknown or malformed values are ignored rather than refused: a list link never breaks."""
    status = params.get("status", "")
    return InquiryFilters(
        year=positive_int(params.get("year")),
        status=status if status in InquiryStatus.values else "",
        office=positive_int(params.get("office")),
        q=(params.get("q") or "").strip()[:50],
    )


def inquiry_list(user, filters: InquiryFilters = InquiryFilters()) -> QuerySet[Inquiry]:
    """The visible inquiries with what a list shows, counted in the same query."""
    rows = visible_inquiries(user)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.office:
        rows = rows.filter(office_id=filters.office)
    if filters.q:
        rows = rows.filter(topic__contains=filters.q)
    return (
        rows.select_related("office", "meeting")
        .annotate(
            question_count=Count("questions", distinct=True),
            rectification_count=Count("rectifications", distinct=True),
            verified_count=Count(
                "rectifications",
                filter=Q(rectifications__status=RectificationStatus.VERIFIED),
                distinct=True,
            ),
        )
        .order_by("-year", "-id")
    )


def inquiry_years() -> list[int]:
    return list(Inquiry.objects.values_list("year", flat=True).distinct().order_by("-year"))


# ---------------------------------------------------------------------------------------------
# One inquiry: its parts, and the moves the user may take now


def attendees_of(inquiry: Inquiry) -> list[InquiryAttendee]:
    return list(
        inquiry.attendees.select_related("unit")
        .annotate(question_count=Count("questions"))
        .order_by("id")
    )


def questions_of(inquiry: Inquiry) -> list[InquiryQuestion]:
    rows = list(
        inquiry.questions.select_related("attendee", "attendee__unit", "asker_deputy").order_by(
            "position", "id"
        )
    )
    for row in rows:
        row.rate = common.satisfaction_rate(
            row.votes_satisfied, row.votes_basic, row.votes_unsatisfied
        )
        row.rate_text = rate_text(row.votes_satisfied, row.votes_basic, row.votes_unsatisfied)
    return rows


def rectifications_of(inquiry: Inquiry) -> list[Rectification]:
    return list(
        inquiry.rectifications.select_related("unit", "question").order_by(
            "question__position", "due_on", "id"
        )
    )


def inquiry_actions(user, inquiry: Inquiry) -> set[str]:
    names: set[str] = set()
    if not user.is_authenticated:
        return names
    status = inquiry.status
    publisher = perms.runs(user, inquiry.office_id) or perms.is_leader(user)
    if status in AFTER_HELD and not inquiry.is_published and publisher:
        names.add("publish_inquiry")
    if not perms.runs(user, inquiry.office_id):
        return names
    preparing_or_held = status in (InquiryStatus.PREPARING, InquiryStatus.HELD)
    has_attendees = preparing_or_held and inquiry.attendees.exists()
    has_questions = inquiry.questions.exists()
    if status == InquiryStatus.PREPARING:
        names |= {"update_inquiry", "add_attendee", "hold_inquiry"}
        if has_attendees:
            names |= {"remove_attendee", "record_attendance", "add_question"}
        if has_questions:
            names |= {"update_question", "remove_question", "record_answer"}
    if status == InquiryStatus.HELD:
        names |= {"list_commitments"}
        if has_attendees:
            names.add("record_attendance")
        if has_questions:
            names |= {"record_answer", "record_question_vote"}
    if status == InquiryStatus.RECTIFYING:
        names |= {"list_commitments", "close_inquiry", "record_question_vote"}
    if status == InquiryStatus.CLOSED and has_questions:
        names.add("record_question_vote")
    return names


# ---------------------------------------------------------------------------------------------
# Published inquiries (the public page): without internal notes


def public_inquiries() -> QuerySet[Inquiry]:
    questions = InquiryQuestion.objects.select_related("attendee", "attendee__unit").order_by(
        "position", "id"
    )
    rectifications = Rectification.objects.select_related("unit").order_by("due_on", "id")
    return (
        Inquiry.objects.filter(is_published=True, status__in=AFTER_HELD)
        .select_related("office", "meeting")
        .prefetch_related(
            Prefetch("questions", queryset=questions),
            Prefetch("rectifications", queryset=rectifications),
        )
        .order_by("-held_on", "-id")
    )
