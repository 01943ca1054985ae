"""Reads of review opinions: who sees which, the list with its filters, the one way to fetch an
opinion for a user, and the moves a user may take on one now (the pages and the API show only
these; the actions check the same rules again).

- The organ (admin, leaders, staff) reads every opinion.
- A unit reads the opinions issued to it (never a draft: the committee has not sent it yet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear

from renda.core.models import Role
from renda.supervision import permissions as perms
from renda.supervision.models import (
    OPEN_OPINION_STATES,
    OpinionPoint,
    OpinionStatus,
    Problem,
    ReviewOpinion,
)

SOURCE_KINDS = {"inspection": "执法检查", "work_report": "专项工作报告"}


def visible_opinions(user) -> QuerySet[ReviewOpinion]:
    if perms.is_organ(user):
        return ReviewOpinion.objects.all()
    if user.is_authenticated and Role.UNIT in user.roles.names:
        return ReviewOpinion.objects.filter(unit_id__in=list(user.roles.unit_ids)).exclude(
            status=OpinionStatus.DRAFT
        )
    return ReviewOpinion.objects.none()


@dataclass(frozen=True)
class OpinionFilters:
    status: str = ""
    unit: int | None = None
    source: str = ""  # "inspection" or "work_report"
    overdue: bool = False
    year: int | None = None


def overdue_condition(today: date) -> Q:
    """Still with the body past its deadline (a reported opinion waits on the committee)."""
    return Q(status__in=OPEN_OPINION_STATES, due_on__lt=today)


def opinion_list(user, filters: OpinionFilters, *, today: date) -> QuerySet[ReviewOpinion]:
    rows = visible_opinions(user)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    if filters.source == "inspection":
        rows = rows.filter(inspection__isnull=False)
    elif filters.source == "work_report":
        rows = rows.filter(work_report__isnull=False)
    if filters.overdue:
        rows = rows.filter(overdue_condition(today))
    if filters.year:
        rows = rows.filter(meeting__date__year=filters.year)
    return (
        rows.select_related("unit", "office", "meeting", "inspection", "work_report")
        .annotate(point_count=Count("points"))
        .order_by("-id")
    )


def opinion_years() -> list[int]:
    """The years of the review meetings, newest first (one query, the years only)."""
    years = ReviewOpinion.objects.annotate(year=ExtractYear("meeting__date"))
    return list(years.values_list("year", flat=True).distinct().order_by("-year"))


def get_opinion_for_user(user, pk: int) -> ReviewOpinion:
    opinion = (
        visible_opinions(user)
        .select_related(
            "unit", "office", "meeting", "vote_meeting", "inspection", "work_report", "created_by"
        )
        .filter(pk=pk)
        .first()
    )
    if opinion is None:
        raise perms.not_found("审议意见")
    return opinion


def get_point_for_user(user, pk: int) -> OpinionPoint:
    """A point is reached only through an opinion the user sees."""
    point = OpinionPoint.objects.filter(pk=pk).values_list("opinion_id", flat=True).first()
    if point is None:
        raise perms.not_found("意见条目")
    opinion = get_opinion_for_user(user, point)
    found = OpinionPoint.objects.select_related("problem").get(pk=pk)
    found.opinion = opinion
    return found


def opinion_points(opinion: ReviewOpinion) -> list[OpinionPoint]:
    """The points in order, each with the problem it cites and its rectification item."""
    return list(
        opinion.points.select_related("problem", "rectification").order_by("position", "id")
    )


def unit_problems(inspection_id: int | None, unit_id: int | None) -> QuerySet[Problem]:
    """The problems an inspection found at a body: what a point may cite."""
    if not inspection_id or not unit_id:
        return Problem.objects.none()
    return Problem.objects.filter(inspection_id=inspection_id, unit_id=unit_id).order_by(
        "position", "id"
    )


def source_of(opinion: ReviewOpinion):
    return opinion.inspection if opinion.inspection_id else opinion.work_report


def source_kind(opinion: ReviewOpinion) -> str:
    return "inspection" if opinion.inspection_id else "work_report"


def is_overdue(opinion: ReviewOpinion, today: date) -> bool:
    return (
        opinion.status in OPEN_OPINION_STATES
        and opinion.due_on is not None
        and opinion.due_on < today
    )


def opinion_actions(user, opinion: ReviewOpinion, *, has_points: bool | None = None) -> set[str]:
    """The moves `user` may take on `opinion` now, by the names of their pages. Pass
    `has_points` when the caller already knows it (saves a query)."""
    names: set[str] = set()
    if not user.is_authenticated:
        return names
    runs = perms.runs(user, opinion.office_id)
    if opinion.status == OpinionStatus.DRAFT:
        if has_points is None:
            has_points = opinion.points.exists()
        if runs:
            names |= {"update_opinion", "add_opinion_point"}
            if has_points:
                names |= {"update_opinion_point", "remove_opinion_point"}
        if has_points and (runs or perms.is_leader(user)):
            names.add("issue_opinion")
    if opinion.status in OPEN_OPINION_STATES and perms.answers_for(user, opinion.unit_id):
        names.add("report_opinion_handling")
    if opinion.status == OpinionStatus.REPORTED and runs:
        names.add("record_opinion_vote")
    return names
