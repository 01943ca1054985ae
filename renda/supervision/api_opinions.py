"""The supervision API: review opinions (/api/v1/supervision/opinions), one operation per action.

The same actions, reads and rules as the pages. Ids resolve through
queries_opinions.get_opinion_for_user: what the caller cannot see is 404 (a unit sees only the
opinions issued to it); a visible opinion the caller may not act on is the action's own refusal
(403 not_allowed). Moves return the opinion as it now is; creating a draft or a point returns
201 with the opinion."""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names, version_of
from renda.core.api_types import Id, Limit, Offset, Position, Total, Version, Votes, Year
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.models import STATE_LABELS, TimelineEvent, Unit, User
from renda.meetings.models import Meeting
from renda.supervision import queries_opinions as q
from renda.supervision.actions import opinions as actions
from renda.supervision.actions.common import satisfaction_rate
from renda.supervision.exports_opinions import build_opinion_docx, opinion_docx_filename
from renda.supervision.models import (
    Inspection,
    OpinionStatus,
    Problem,
    ReviewOpinion,
    WorkReport,
)

router = Router(tags=["监督工作"])

READERS = ("admin", "leader", "staff", "unit")  # a unit: only the opinions issued to it
OFFICE = ("admin", "staff")  # the office that runs the source; the actions narrow staff
ISSUERS = ("admin", "leader", "staff")
UNITS = ("unit",)
MAX_LIMIT = 200
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The actions name a field after their argument; the API body names it after the id it carries.
_BODY_FIELDS = {
    "unit": "unit_id",
    "meeting": "meeting_id",
    "problem": "problem_id",
}


# ---------------------------------------------------------------------------------------------
# Output


class ReviewOpinionEventOut(Schema):
    id: Id
    at: datetime
    actor: str | None
    verb: str
    summary: str
    from_state: str
    from_state_name: str
    to_state: str
    to_state_name: str
    note: str


class PointOut(Schema):
    id: Id
    position: Position
    text: str
    problem_id: Id | None
    problem: str | None
    rectification_id: Id | None = Field(description="交办后由该条意见生成的整改事项")
    rectification_status: str | None
    rectification_status_name: str | None
    rectification_due_on: date | None


class OpinionRow(Schema):
    id: Id
    title: str
    status: str
    status_name: str
    source: str = Field(description="inspection（执法检查）或 work_report（专项工作报告）")
    source_id: Id
    source_name: str
    unit_id: Id
    unit: str
    office_id: Id
    office: str
    meeting_id: Id
    meeting: str
    point_count: Total
    issued_on: date | None
    due_on: date | None
    is_overdue: bool
    round: Position
    version: Version


class ReviewOpinionPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[OpinionRow]


class OpinionDetail(OpinionRow):
    meeting_date: date
    preamble: str
    due_basis: str
    handling_report: str
    reported_on: date | None
    votes_satisfied: Votes | None
    votes_basic: Votes | None
    votes_unsatisfied: Votes | None
    vote_meeting_id: Id | None
    vote_meeting: str | None
    satisfaction_rate: float | None = Field(description="（满意 + 基本满意）/ 总票数；未测评为空")
    created_at: datetime
    points: list[PointOut]
    timeline: list[ReviewOpinionEventOut]
    actions: list[str] = Field(description="当前用户此刻可以进行的操作（页面地址名）")


def _state_name(value: str) -> str:
    return str(STATE_LABELS.get(("supervision", "reviewopinion"), {}).get(value, value))


def _timeline(opinion: ReviewOpinion) -> list[dict]:
    return [
        {
            "id": e.pk,
            "at": e.created_at,
            "actor": e.actor.full_name if e.actor_id else None,
            "verb": e.verb,
            "summary": e.summary,
            "from_state": e.from_state,
            "from_state_name": _state_name(e.from_state),
            "to_state": e.to_state,
            "to_state_name": _state_name(e.to_state),
            "note": e.note,
        }
        for e in TimelineEvent.objects.for_object(opinion)
    ]


def _row(opinion: ReviewOpinion, point_count: int, today: date) -> dict:
    source = q.source_of(opinion)
    return {
        "id": opinion.pk,
        "title": opinion.title,
        "status": opinion.status,
        "status_name": opinion.get_status_display(),
        "source": q.source_kind(opinion),
        "source_id": source.pk,
        "source_name": str(source),
        "unit_id": opinion.unit_id,
        "unit": opinion.unit.name,
        "office_id": opinion.office_id,
        "office": opinion.office.name,
        "meeting_id": opinion.meeting_id,
        "meeting": opinion.meeting.title,
        "point_count": point_count,
        "issued_on": opinion.issued_on,
        "due_on": opinion.due_on,
        "is_overdue": q.is_overdue(opinion, today),
        "round": opinion.round,
        "version": opinion.version,
    }


def _point(point) -> dict:
    item = getattr(point, "rectification", None)
    return {
        "id": point.pk,
        "position": point.position,
        "text": point.text,
        "problem_id": point.problem_id,
        "problem": point.problem.description if point.problem_id else None,
        "rectification_id": item.pk if item else None,
        "rectification_status": item.status if item else None,
        "rectification_status_name": item.get_status_display() if item else None,
        "rectification_due_on": item.due_on if item else None,
    }


def _detail(user: User, opinion: ReviewOpinion) -> dict:
    points = q.opinion_points(opinion)
    vote_meeting = opinion.vote_meeting
    return {
        **_row(opinion, len(points), timezone.localdate()),
        "meeting_date": opinion.meeting.date,
        "preamble": opinion.preamble,
        "due_basis": opinion.due_basis,
        "handling_report": opinion.handling_report,
        "reported_on": opinion.reported_on,
        "votes_satisfied": opinion.votes_satisfied,
        "votes_basic": opinion.votes_basic,
        "votes_unsatisfied": opinion.votes_unsatisfied,
        "vote_meeting_id": opinion.vote_meeting_id,
        "vote_meeting": vote_meeting.title if vote_meeting else None,
        "satisfaction_rate": satisfaction_rate(
            opinion.votes_satisfied, opinion.votes_basic, opinion.votes_unsatisfied
        ),
        "created_at": opinion.created_at,
        "points": [_point(p) for p in points],
        "timeline": _timeline(opinion),
        "actions": sorted(q.opinion_actions(user, opinion, has_points=bool(points))),
    }


def _current(request: HttpRequest, opinion_id: Id) -> dict:
    return _detail(request.user, q.get_opinion_for_user(request.user, opinion_id))


# ---------------------------------------------------------------------------------------------
# Resolving ids


def _opinion(request: HttpRequest, opinion_id: Id) -> ReviewOpinion:
    return q.get_opinion_for_user(request.user, opinion_id)


def _existing(model, pk: int, field: str, label: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return obj


def _problem(problem_id: int | None) -> Problem | None:
    if problem_id is None:
        return None
    return _existing(Problem, problem_id, "problem_id", "问题")


# ---------------------------------------------------------------------------------------------
# Reads


class ReviewOpinionListQuery(Schema):
    status: OpinionStatus | None = None
    unit: Id | None = None
    source: str | None = Field(None, description="inspection 或 work_report")
    overdue: bool = False
    year: Year | None = None
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("/", response=ReviewOpinionPage, summary="审议意见列表")
@api_allow(*READERS)
def list_opinions(request: HttpRequest, params: Query[ReviewOpinionListQuery]):
    today = timezone.localdate()
    filters = q.OpinionFilters(
        status=params.status or "",
        unit=params.unit,
        source=params.source if params.source in q.SOURCE_KINDS else "",
        overdue=params.overdue,
        year=params.year,
    )
    rows = q.opinion_list(request.user, filters, today=today)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [_row(o, o.point_count, today) for o in rows[params.offset : params.offset + limit]]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get("/{int:opinion_id}", response=OpinionDetail, summary="审议意见详情")
@api_allow(*READERS)
def get_opinion(request: HttpRequest, opinion_id: Id):
    return _current(request, opinion_id)


@router.get("/{int:opinion_id}/docx", summary="审议意见书（.docx）")
@api_allow(*READERS)
def opinion_docx(request: HttpRequest, opinion_id: Id):
    opinion = _opinion(request, opinion_id)
    return download(
        build_opinion_docx(opinion), content_type=DOCX, filename=opinion_docx_filename(opinion)
    )


# ---------------------------------------------------------------------------------------------
# Drafting


class ReviewOpinionVersionIn(Schema):
    version: Version


class PointIn(Schema):
    text: str
    problem_id: Id | None = Field(None, description="针对的执法检查问题（须为该机关的问题）")


class ReviewOpinionIn(Schema):
    inspection_id: Id | None = Field(None, description="来源：执法检查（与 work_report_id 二选一）")
    work_report_id: Id | None = Field(None, description="来源：专项工作报告")
    unit_id: Id
    meeting_id: Id = Field(description="审议的常委会会议")
    title: str
    preamble: str = ""
    points: list[PointIn] = []


class OpinionEditIn(ReviewOpinionVersionIn):
    title: str
    preamble: str = ""


class PointEditIn(PointIn):
    version: Version


class HandlingIn(ReviewOpinionVersionIn):
    text: str


class ReviewOpinionVoteIn(ReviewOpinionVersionIn):
    meeting_id: Id
    votes_satisfied: Votes
    votes_basic: Votes
    votes_unsatisfied: Votes


@router.post("/", response={201: OpinionDetail}, summary="起草审议意见")
@api_allow(*OFFICE)
@body_field_names(_BODY_FIELDS)
def create_opinion(request: HttpRequest, payload: ReviewOpinionIn):
    inspection = work_report = None
    if payload.inspection_id is not None:
        inspection = _existing(Inspection, payload.inspection_id, "inspection_id", "执法检查")
    if payload.work_report_id is not None:
        work_report = _existing(
            WorkReport, payload.work_report_id, "work_report_id", "专项工作报告"
        )
    opinion = actions.draft_opinion(
        acting_user=request.user,
        unit=_existing(Unit, payload.unit_id, "unit_id", "交办机关"),
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        title=payload.title,
        preamble=payload.preamble,
        inspection=inspection,
        work_report=work_report,
        points=[(p.text, _problem(p.problem_id)) for p in payload.points],
    )
    return HttpStatus(201, _current(request, opinion.pk))


@router.put("/{int:opinion_id}", response=OpinionDetail, summary="修改标题和总体意见（起草中）")
@api_allow(*OFFICE)
def update_opinion(request: HttpRequest, opinion_id: Id, payload: OpinionEditIn):
    actions.update_opinion(
        acting_user=request.user,
        opinion=_opinion(request, opinion_id),
        title=payload.title,
        preamble=payload.preamble,
        version=payload.version,
    )
    return _current(request, opinion_id)


@router.post(
    "/{int:opinion_id}/points", response={201: OpinionDetail}, summary="增加意见条目（起草中）"
)
@api_allow(*OFFICE)
@body_field_names(_BODY_FIELDS)
def add_point(request: HttpRequest, opinion_id: Id, payload: PointEditIn):
    actions.add_point(
        acting_user=request.user,
        opinion=_opinion(request, opinion_id),
        text=payload.text,
        problem=_problem(payload.problem_id),
        version=payload.version,
    )
    return HttpStatus(201, _current(request, opinion_id))


@router.put("/points/{int:point_id}", response=OpinionDetail, summary="修改意见条目（起草中）")
@api_allow(*OFFICE)
@body_field_names(_BODY_FIELDS)
def update_point(request: HttpRequest, point_id: Id, payload: PointEditIn):
    point = q.get_point_for_user(request.user, point_id)
    actions.update_point(
        acting_user=request.user,
        point=point,
        text=payload.text,
        problem=_problem(payload.problem_id),
        version=payload.version,
    )
    return _current(request, point.opinion_id)


class DeleteQuery(Schema):
    version: Version


@router.delete("/points/{int:point_id}", response=OpinionDetail, summary="删除意见条目（起草中）")
@api_allow(*OFFICE)
def remove_point(request: HttpRequest, point_id: Id, params: Query[DeleteQuery]):
    point = q.get_point_for_user(request.user, point_id)
    actions.remove_point(acting_user=request.user, point=point, version=params.version)
    return _current(request, point.opinion_id)


# ---------------------------------------------------------------------------------------------
# Issuing, handling, the vote


@router.post("/{int:opinion_id}/issue", response=OpinionDetail, summary="交办（逐条生成整改事项）")
@api_allow(*ISSUERS)
def issue_opinion(request: HttpRequest, opinion_id: Id, payload: ReviewOpinionVersionIn):
    actions.issue_opinion(
        acting_user=request.user, opinion=_opinion(request, opinion_id), version=version_of(payload)
    )
    return _current(request, opinion_id)


@router.post(
    "/{int:opinion_id}/handling-report", response=OpinionDetail, summary="报告研究处理情况"
)
@api_allow(*UNITS)
def report_opinion_handling(request: HttpRequest, opinion_id: Id, payload: HandlingIn):
    actions.report_opinion_handling(
        acting_user=request.user,
        opinion=_opinion(request, opinion_id),
        text=payload.text,
        version=payload.version,
    )
    return _current(request, opinion_id)


@router.post(
    "/{int:opinion_id}/vote",
    response=OpinionDetail,
    summary="录入满意度测评结果（满意率达到 50% 办结，否则跟踪督办）",
)
@api_allow(*OFFICE)
@body_field_names(_BODY_FIELDS)
def record_opinion_vote(request: HttpRequest, opinion_id: Id, payload: ReviewOpinionVoteIn):
    actions.record_opinion_vote(
        acting_user=request.user,
        opinion=_opinion(request, opinion_id),
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        votes_satisfied=payload.votes_satisfied,
        votes_basic=payload.votes_basic,
        votes_unsatisfied=payload.votes_unsatisfied,
        version=payload.version,
    )
    return _current(request, opinion_id)
