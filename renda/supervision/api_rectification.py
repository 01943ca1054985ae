"""The supervision API: rectification (整改), under /api/v1/supervision/rectifications.

The same actions, reads and rules as the pages. Ids resolve through
queries.get_rectification_for_user: an item the caller cannot see is 404; a visible item the
caller may not act on is the action's own refusal (403 not_allowed). Every move returns the item
as it now is (a report, 201). Proof files go up as multipart to /{id}/evidence, before or after
asking to close (申请销号 needs at least one file)."""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import version_of
from renda.core.api_types import FileSize, Id, Limit, Offset, Percent, Total, Version
from renda.core.models import STATE_LABELS, TimelineEvent, User
from renda.supervision import queries
from renda.supervision.actions import rectification as actions
from renda.supervision.models import Rectification

router = Router(tags=["监督工作"])

READERS = ("admin", "leader", "staff", "unit")  # a unit is narrowed to its own items
UNIT = ("unit",)  # the body responsible; narrowed to its own unit by the actions
OFFICE = ("admin", "staff")  # the supervising office; narrowed by the actions
MAX_LIMIT = 200
STATUS = Literal[tuple(value for value, _ in queries.STATUS_CHOICES)]  # type: ignore[valid-type]


# ---------------------------------------------------------------------------------------------
# Output


class RectificationRow(Schema):
    id: Id
    source: str
    source_name: str
    source_title: str
    title: str
    unit_id: Id
    unit: str
    office_id: Id
    office: str
    due_on: date
    due_basis: str
    is_overdue: bool
    status: str
    status_name: str
    progress: Percent
    rejection_count: Total
    version: Version


class RectificationPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[RectificationRow]


class RectificationEvidenceOut(Schema):
    id: Id
    name: str
    size: FileSize
    content_type: str
    report_id: Id | None
    uploaded_by: str
    uploaded_at: datetime


class RectificationReportOut(Schema):
    id: Id
    text: str
    percent: Percent
    reported_by: str
    reported_at: datetime


class RectificationEventOut(Schema):
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


class RectificationDetail(RectificationRow):
    description: str
    point_id: Id | None
    problem_id: Id | None
    question_id: Id | None
    opinion_id: Id | None
    inspection_id: Id | None
    inquiry_id: Id | None
    measures: str
    result: str
    submitted_at: datetime | None
    verified_at: datetime | None
    verified_by: str | None
    last_rejection: str
    created_at: datetime
    reports: list[RectificationReportOut]
    evidence: list[RectificationEvidenceOut]
    timeline: list[RectificationEventOut]
    actions: list[str] = Field(
        description="当前用户此刻可以进行的操作（actions/rectification.py 中的函数名）"
    )


def _row(item: Rectification, today: date) -> dict:
    return {
        "id": item.pk,
        "source": item.source,
        "source_name": item.get_source_display(),
        "source_title": queries.source_title(item),
        "title": item.title,
        "unit_id": item.unit_id,
        "unit": item.unit.name,
        "office_id": item.office_id,
        "office": item.office.name,
        "due_on": item.due_on,
        "due_basis": item.due_basis,
        "is_overdue": item.status in actions.WITH_THE_UNIT and item.due_on < today,
        "status": item.status,
        "status_name": item.get_status_display(),
        "progress": item.progress,
        "rejection_count": item.rejection_count,
        "version": item.version,
    }


def _state_name(value: str) -> str:
    return str(STATE_LABELS.get(("supervision", "rectification"), {}).get(value, value))


def _timeline(item: Rectification) -> list[dict]:
    return [
        {
            "id": e.pk,
            "at": e.created_at,
            "actor": e.actor.full_name if e.actor_id else None,
            "verb": e.verb,
            "summary": e.summary,
            "from_state": e.from_state,
            "from_state_name": _state_name(e.from_state) if e.from_state else "",
            "to_state": e.to_state,
            "to_state_name": _state_name(e.to_state) if e.to_state else "",
            "note": e.note,
        }
        for e in TimelineEvent.objects.for_object(item)
    ]


def _detail(user: User, item: Rectification) -> dict:
    return {
        **_row(item, timezone.localdate()),
        "description": item.description,
        "point_id": item.point_id,
        "problem_id": item.problem_id,
        "question_id": item.question_id,
        "opinion_id": item.opinion_id,
        "inspection_id": item.inspection_id,
        "inquiry_id": item.inquiry_id,
        "measures": item.measures,
        "result": item.result,
        "submitted_at": item.submitted_at,
        "verified_at": item.verified_at,
        "verified_by": item.verified_by.full_name if item.verified_by_id else None,
        "last_rejection": item.last_rejection,
        "created_at": item.created_at,
        "reports": [
            {
                "id": r.pk,
                "text": r.text,
                "percent": r.percent,
                "reported_by": r.reported_by.full_name,
                "reported_at": r.reported_at,
            }
            for r in item.reports.select_related("reported_by")
        ],
        "evidence": [
            {
                "id": e.pk,
                "name": e.name,
                "size": e.size,
                "content_type": e.content_type,
                "report_id": e.report_id,
                "uploaded_by": e.uploaded_by.full_name,
                "uploaded_at": e.uploaded_at,
            }
            for e in item.evidence.select_related("uploaded_by")
        ],
        "timeline": _timeline(item),
        "actions": sorted(queries.rectification_actions(user, item)),
    }


def _item(request: HttpRequest, rectification_id: Id) -> Rectification:
    return queries.get_rectification_for_user(request.user, rectification_id)


def _current(request: HttpRequest, rectification_id: Id) -> dict:
    return _detail(request.user, _item(request, rectification_id))


# ---------------------------------------------------------------------------------------------
# Reads


class RectificationListQuery(Schema):
    status: STATUS | None = Field(
        None, description="状态；或 todo（待整改和整改中）、open（未销号）"
    )
    unit: Id | None = None
    office: Id | None = None
    source: Rectification.Source | None = None
    overdue: bool = False
    q: str = Field("", description="整改事项或问题中的关键词")
    due_after: date | None = Field(None, description="整改期限不早于")
    due_before: date | None = Field(None, description="整改期限不晚于")
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("", response=RectificationPage, summary="整改事项列表（按整改期限排序）")
@api_allow(*READERS)
def list_rectifications(request: HttpRequest, params: Query[RectificationListQuery]):
    filters = queries.filters_from_params(
        {
            "status": params.status or "",
            "unit": params.unit,
            "office": params.office,
            "source": params.source or "",
            "overdue": "1" if params.overdue else "",
            "q": params.q,
            "due_after": params.due_after.isoformat() if params.due_after else "",
            "due_before": params.due_before.isoformat() if params.due_before else "",
        }
    )
    today = timezone.localdate()
    rows = queries.rectification_list(request.user, filters, today=today)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [_row(item, today) for item in rows[params.offset : params.offset + limit]]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get("/{int:rectification_id}", response=RectificationDetail, summary="整改事项详情")
@api_allow(*READERS)
def get_rectification(request: HttpRequest, rectification_id: Id):
    return _current(request, rectification_id)


# ---------------------------------------------------------------------------------------------
# The body's moves


class RectificationVersionIn(Schema):
    version: Version


class RectificationReportIn(RectificationVersionIn):
    text: str
    percent: Percent = Field(description="0–99；整改完成请申请销号")
    measures: str = Field("", description="整改措施；不填则保持原有措施")


class SubmitIn(RectificationVersionIn):
    result: str


class VerifyIn(RectificationVersionIn):
    note: str = ""


class RejectIn(RectificationVersionIn):
    reason: str


class DeadlineIn(RectificationVersionIn):
    due_on: date
    reason: str


@router.post(
    "/{int:rectification_id}/report",
    response={201: RectificationDetail},
    summary="报告整改进展（佐证材料见 /evidence）",
)
@api_allow(*UNIT)
def report_rectification(
    request: HttpRequest, rectification_id: Id, payload: RectificationReportIn
):
    actions.report_rectification(
        acting_user=request.user,
        item=_item(request, rectification_id),
        text=payload.text,
        percent=payload.percent,
        measures=payload.measures,
        version=payload.version,
    )
    return HttpStatus(201, _current(request, rectification_id))


@router.post(
    "/{int:rectification_id}/evidence",
    response={201: RectificationDetail},
    summary="上传整改佐证材料（multipart：一个或多个 files）",
)
@api_allow(*UNIT)
def add_rectification_evidence(
    request: HttpRequest, rectification_id: Id, files: File[list[UploadedFile]]
):
    actions.add_rectification_evidence(
        acting_user=request.user, item=_item(request, rectification_id), files=files
    )
    return HttpStatus(201, _current(request, rectification_id))


@router.post(
    "/{int:rectification_id}/submit",
    response=RectificationDetail,
    summary="申请销号（须已上传佐证材料，见 /evidence）",
)
@api_allow(*UNIT)
def submit_rectification(request: HttpRequest, rectification_id: Id, payload: SubmitIn):
    actions.submit_rectification(
        acting_user=request.user,
        item=_item(request, rectification_id),
        result=payload.result,
        version=payload.version,
    )
    return _current(request, rectification_id)


# ---------------------------------------------------------------------------------------------
# The office's moves


@router.post("/{int:rectification_id}/verify", response=RectificationDetail, summary="审核销号")
@api_allow(*OFFICE)
def verify_rectification(request: HttpRequest, rectification_id: Id, payload: VerifyIn):
    actions.verify_rectification(
        acting_user=request.user,
        item=_item(request, rectification_id),
        note=payload.note if payload else "",
        version=version_of(payload),
    )
    return _current(request, rectification_id)


@router.post("/{int:rectification_id}/reject", response=RectificationDetail, summary="退回继续整改")
@api_allow(*OFFICE)
def reject_rectification(request: HttpRequest, rectification_id: Id, payload: RejectIn):
    actions.reject_rectification(
        acting_user=request.user,
        item=_item(request, rectification_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, rectification_id)


@router.post(
    "/{int:rectification_id}/deadline", response=RectificationDetail, summary="调整整改期限"
)
@api_allow(*OFFICE)
def change_rectification_deadline(request: HttpRequest, rectification_id: Id, payload: DeadlineIn):
    actions.change_rectification_deadline(
        acting_user=request.user,
        item=_item(request, rectification_id),
        due_on=payload.due_on,
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, rectification_id)
