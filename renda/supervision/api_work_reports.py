"""The supervision API: work reports (专项工作报告), under /api/v1/supervision/work-reports.

The same actions, reads and rules as the pages. Ids resolve through
queries_work_reports.get_work_report_for_user: a report the caller cannot see is 404; a visible
one the caller may not act on is the action's own refusal (403 not_allowed). Every write returns
the report as it now is, with its statutory checklist (scheduling, 201)."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names
from renda.core.api_types import DaySpan, Id, Limit, Offset, Total, Version, Year
from renda.core.errors import DomainError
from renda.core.models import STATE_LABELS, Office, TimelineEvent, Unit, User
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision import queries_work_reports as q
from renda.supervision.actions import common
from renda.supervision.actions import work_reports as actions
from renda.supervision.models import WorkReport, WorkReportStatus

router = Router(tags=["监督工作"])

READERS = ("admin", "leader", "staff", "unit")  # a unit is narrowed to its own reports
OFFICE = ("admin", "staff")  # the liaison office; narrowed by the actions
MAX_LIMIT = 200


# ---------------------------------------------------------------------------------------------
# Output


class WorkReportRow(Schema):
    id: Id
    title: str
    year: Year
    unit_id: Id
    unit: str
    office_id: Id
    office: str
    meeting_id: Id
    meeting: str
    meeting_date: date
    status: str
    status_name: str
    next_step: str
    due_at: date | None
    is_overdue: bool
    version: Version


class WorkReportPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[WorkReportRow]


class ChecklistOut(Schema):
    step: str = Field(description="draft / revised / members / reviewed")
    label: str
    due_on: date
    done_on: date | None
    state: str = Field(description="on_time / late / overdue / upcoming")
    state_name: str
    days: DaySpan = Field(description="逾期或提前的天数")
    basis: str


class WorkReportEventOut(Schema):
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


class WorkReportDetail(WorkReportRow):
    plan_item_id: Id | None
    draft_due_on: date
    revised_due_on: date
    members_due_on: date
    draft_received_on: date | None
    revised_received_on: date | None
    sent_to_members_on: date | None
    reviewed_on: date | None
    created_at: datetime
    checklist: list[ChecklistOut]
    timeline: list[WorkReportEventOut]
    actions: list[str] = Field(
        description="当前用户此刻可以进行的操作（actions/work_reports.py 中的函数名）"
    )


def _state_name(value: str) -> str:
    return str(STATE_LABELS.get(("supervision", "workreport"), {}).get(value, value))


def _row(report: WorkReport, today: date) -> dict:
    return {
        "id": report.pk,
        "title": report.title,
        "year": report.year,
        "unit_id": report.unit_id,
        "unit": report.unit.name,
        "office_id": report.office_id,
        "office": report.office.name,
        "meeting_id": report.meeting_id,
        "meeting": report.meeting.title,
        "meeting_date": report.meeting.date,
        "status": report.status,
        "status_name": report.get_status_display(),
        "next_step": q.next_step_label(report),
        "due_at": report.due_at,
        "is_overdue": report.due_at is not None and report.due_at < today,
        "version": report.version,
    }


def _detail(user: User, report: WorkReport) -> dict:
    today = common.today()
    return {
        **_row(report, today),
        "plan_item_id": report.plan_item_id,
        "draft_due_on": report.draft_due_on,
        "revised_due_on": report.revised_due_on,
        "members_due_on": report.members_due_on,
        "draft_received_on": report.draft_received_on,
        "revised_received_on": report.revised_received_on,
        "sent_to_members_on": report.sent_to_members_on,
        "reviewed_on": report.reviewed_on,
        "created_at": report.created_at,
        "checklist": [
            {
                "step": row.step,
                "label": row.label,
                "due_on": row.due_on,
                "done_on": row.done_on,
                "state": row.state,
                "state_name": row.state_label,
                "days": row.days,
                "basis": row.basis,
            }
            for row in q.checklist(report, today=today)
        ],
        "timeline": [
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
            for e in TimelineEvent.objects.for_object(report)
        ],
        "actions": sorted(q.work_report_actions(user, report)),
    }


def _current(request: HttpRequest, report_id: Id) -> dict:
    return _detail(request.user, q.get_work_report_for_user(request.user, report_id))


def _report(request: HttpRequest, report_id: Id) -> WorkReport:
    return q.get_work_report_for_user(request.user, report_id)


def _existing(model, pk: int | None, field: str, label: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return obj


_BODY_FIELDS = {
    "office": "office_id",
    "unit": "unit_id",
    "meeting": "meeting_id",
    "plan_item": "plan_item_id",
}


def _names():
    return body_field_names(_BODY_FIELDS)


# ---------------------------------------------------------------------------------------------
# Reads


class WorkReportListQuery(Schema):
    year: Year | None = None
    status: WorkReportStatus | None = None
    unit: Id | None = None
    office: Id | None = None
    overdue: bool = False
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("/", response=WorkReportPage, summary="专项工作报告列表")
@api_allow(*READERS)
def list_work_reports(request: HttpRequest, params: Query[WorkReportListQuery]):
    today = common.today()
    filters = q.WorkReportFilters(
        year=params.year,
        status=params.status or "",
        unit=params.unit,
        office=params.office,
        overdue=params.overdue,
    )
    rows = q.work_report_list(request.user, filters, today=today)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [_row(r, today) for r in rows[params.offset : params.offset + limit]]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get("/{int:report_id}", response=WorkReportDetail, summary="专项工作报告详情（含法定节点）")
@api_allow(*READERS)
def get_work_report(request: HttpRequest, report_id: Id):
    return _current(request, report_id)


# ---------------------------------------------------------------------------------------------
# Writes


class WorkReportVersionIn(Schema):
    version: Version


class ScheduleIn(Schema):
    title: str
    year: Year
    unit_id: Id
    office_id: Id | None = Field(None, description="联系机构；本人只属一个机构时可省略")
    meeting_id: Id
    plan_item_id: Id | None = None


class WorkReportStepIn(WorkReportVersionIn):
    on: date = Field(description="完成日期，不能晚于今天")


class RescheduleIn(WorkReportVersionIn):
    meeting_id: Id


def _office(request: HttpRequest, office_id: Id | None) -> Office:
    if office_id is not None:
        return _existing(Office, office_id, "office_id", "联系机构")
    own = list(request.user.roles.office_ids)
    if len(own) != 1:
        raise DomainError("required", "请选择联系机构。", field_errors={"office_id": "请选择"})
    return Office.objects.get(pk=own[0])


@router.post("/", response={201: WorkReportDetail}, summary="安排专项工作报告（计算法定日期）")
@api_allow(*OFFICE)
@_names()
def schedule_work_report(request: HttpRequest, payload: ScheduleIn):
    report = actions.schedule_work_report(
        acting_user=request.user,
        title=payload.title,
        year=payload.year,
        unit=_existing(Unit, payload.unit_id, "unit_id", "报告机关"),
        office=_office(request, payload.office_id),
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        plan_item=_existing(PlanItem, payload.plan_item_id, "plan_item_id", "计划事项"),
    )
    return HttpStatus(201, _current(request, report.pk))


@router.post("/{int:report_id}/reschedule", response=WorkReportDetail, summary="改期")
@api_allow(*OFFICE)
@_names()
def reschedule_work_report(request: HttpRequest, report_id: Id, payload: RescheduleIn):
    actions.reschedule_work_report(
        acting_user=request.user,
        report=_report(request, report_id),
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        version=payload.version,
    )
    return _current(request, report_id)


def _step(action, path: str, summary: str):
    """One operation per step, named after its action (the OpenAPI operation id)."""

    def operation(request: HttpRequest, report_id: Id, payload: WorkReportStepIn):
        action(
            acting_user=request.user,
            report=_report(request, report_id),
            on=payload.on,
            version=payload.version,
        )
        return _current(request, report_id)

    operation.__name__ = operation.__qualname__ = action.__name__
    guarded = api_allow(*OFFICE)(operation)
    return router.post(f"/{{int:report_id}}/{path}", response=WorkReportDetail, summary=summary)(
        guarded
    )


record_draft_received = _step(actions.record_draft_received, "draft-received", "登记收到报告稿")
record_revised_received = _step(
    actions.record_revised_received, "revised-received", "登记收到修改稿"
)
record_sent_to_members = _step(actions.record_sent_to_members, "sent-to-members", "登记送组成人员")
record_reviewed = _step(actions.record_reviewed, "reviewed", "登记常委会会议审议")
