"""The supervision API: special inquiries (专题询问), under /api/v1/supervision/inquiries.

The same actions, reads and rules as the pages. Ids resolve through
queries_inquiries.get_inquiry_for_user: an inquiry the caller cannot see is 404; a visible one
the caller may not act on is the action's own refusal (403 not_allowed). An attendee or a
question is found only through its inquiry. Every write returns the inquiry as it now is
(creations 201)."""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names, version_of
from renda.core.api_types import Id, Limit, Offset, Position, Total, Version, Votes, Year
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.models import STATE_LABELS, Office, TimelineEvent, Unit, User
from renda.deputies.models import Deputy
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision import queries_inquiries as q
from renda.supervision.actions import inquiries as actions
from renda.supervision.exports_inquiries import build_inquiry_report_docx
from renda.supervision.models import Inquiry, InquiryAttendee, InquiryQuestion, InquiryStatus

router = Router(tags=["监督工作"])

READERS = ("admin", "leader", "staff", "unit", "deputy")  # units and deputies narrowed
OFFICE = ("admin", "staff")  # the office that runs it; narrowed by the actions
PUBLISHERS = ("admin", "leader", "staff")
MAX_LIMIT = 200
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# Output


class InquiryRow(Schema):
    id: Id
    topic: str
    year: Year
    office_id: Id
    office: str
    meeting_id: Id | None
    meeting: str | None
    held_on: date | None
    status: str
    status_name: str
    is_published: bool
    question_count: Total
    rectification_count: Total
    verified_count: Total
    version: Version


class InquiryPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[InquiryRow]


class AttendeeOut(Schema):
    id: Id
    unit_id: Id
    unit: str
    official: str
    official_title: str
    attended: bool | None
    question_count: Total


class QuestionOut(Schema):
    id: Id
    position: Position
    asker_kind: str
    asker_kind_name: str
    asker_name: str
    asker_deputy_id: Id | None
    attendee_id: Id
    question: str
    answer: str
    answered_at: datetime | None
    votes_satisfied: Votes | None
    votes_basic: Votes | None
    votes_unsatisfied: Votes | None
    satisfaction_rate: float | None = Field(description="（满意 + 基本满意）/ 总票数；未测评为空")
    voted_at: datetime | None


class CommitmentOut(Schema):
    id: Id
    question_id: Id
    title: str
    description: str
    unit_id: Id
    unit: str
    due_on: date
    due_basis: str
    status: str
    status_name: str


class InquiryEventOut(Schema):
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


class InquiryDetail(InquiryRow):
    plan_item_id: Id | None
    background: str
    research: str
    summary: str
    created_at: datetime
    attendees: list[AttendeeOut]
    questions: list[QuestionOut]
    rectifications: list[CommitmentOut]
    timeline: list[InquiryEventOut]
    actions: list[str] = Field(
        description="当前用户此刻可以进行的操作（actions/inquiries.py 中的函数名）"
    )


def _state_name(value: str) -> str:
    return str(STATE_LABELS.get(("supervision", "inquiry"), {}).get(value, value))


def _timeline(inquiry: Inquiry) -> list[dict]:
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
        for e in TimelineEvent.objects.for_object(inquiry)
    ]


def _row(inquiry: Inquiry, counts: tuple[int, int, int]) -> dict:
    return {
        "id": inquiry.pk,
        "topic": inquiry.topic,
        "year": inquiry.year,
        "office_id": inquiry.office_id,
        "office": inquiry.office.name,
        "meeting_id": inquiry.meeting_id,
        "meeting": inquiry.meeting.title if inquiry.meeting_id else None,
        "held_on": inquiry.held_on,
        "status": inquiry.status,
        "status_name": inquiry.get_status_display(),
        "is_published": inquiry.is_published,
        "question_count": counts[0],
        "rectification_count": counts[1],
        "verified_count": counts[2],
        "version": inquiry.version,
    }


def _detail(user: User, inquiry: Inquiry) -> dict:
    questions = q.questions_of(inquiry)
    items = q.rectifications_of(inquiry)
    verified = sum(1 for item in items if item.status == "verified")
    return {
        **_row(inquiry, (len(questions), len(items), verified)),
        "plan_item_id": inquiry.plan_item_id,
        "background": inquiry.background,
        "research": inquiry.research,
        "summary": inquiry.summary,
        "created_at": inquiry.created_at,
        "attendees": [
            {
                "id": a.pk,
                "unit_id": a.unit_id,
                "unit": a.unit.name,
                "official": a.official,
                "official_title": a.official_title,
                "attended": a.attended,
                "question_count": a.question_count,
            }
            for a in q.attendees_of(inquiry)
        ],
        "questions": [
            {
                "id": row.pk,
                "position": row.position,
                "asker_kind": row.asker_kind,
                "asker_kind_name": row.get_asker_kind_display(),
                "asker_name": row.asker_name,
                "asker_deputy_id": row.asker_deputy_id,
                "attendee_id": row.attendee_id,
                "question": row.question,
                "answer": row.answer,
                "answered_at": row.answered_at,
                "votes_satisfied": row.votes_satisfied,
                "votes_basic": row.votes_basic,
                "votes_unsatisfied": row.votes_unsatisfied,
                "satisfaction_rate": row.rate,
                "voted_at": row.voted_at,
            }
            for row in questions
        ],
        "rectifications": [
            {
                "id": item.pk,
                "question_id": item.question_id,
                "title": item.title,
                "description": item.description,
                "unit_id": item.unit_id,
                "unit": item.unit.name,
                "due_on": item.due_on,
                "due_basis": item.due_basis,
                "status": item.status,
                "status_name": item.get_status_display(),
            }
            for item in items
        ],
        "timeline": _timeline(inquiry),
        "actions": sorted(q.inquiry_actions(user, inquiry)),
    }


def _current(request: HttpRequest, inquiry_id: Id) -> dict:
    return _detail(request.user, q.get_inquiry_for_user(request.user, inquiry_id))


# ---------------------------------------------------------------------------------------------
# Resolving ids


def _inquiry(request: HttpRequest, inquiry_id: Id) -> Inquiry:
    return q.get_inquiry_for_user(request.user, inquiry_id)


def _attendee(request: HttpRequest, attendee_id: Id) -> InquiryAttendee:
    """An attendee (or a question) is found only through an inquiry the caller sees."""
    row = InquiryAttendee.objects.filter(pk=attendee_id).first()
    if row is None:
        raise Http404
    _inquiry(request, row.inquiry_id)
    return row


def _question(request: HttpRequest, question_id: Id) -> InquiryQuestion:
    row = InquiryQuestion.objects.filter(pk=question_id).first()
    if row is None:
        raise Http404
    _inquiry(request, row.inquiry_id)
    return row


def _existing(model, pk: int | None, field: str, label: str):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return obj


def _own_attendee(inquiry_id: int, attendee_id: int) -> InquiryAttendee:
    row = InquiryAttendee.objects.filter(pk=attendee_id, inquiry_id=inquiry_id).first()
    if row is None:
        raise DomainError(
            "invalid", "所选应询人不属于该专题询问。", field_errors={"attendee_id": "不属于"}
        )
    return row


def _own_question(inquiry_id: int, question_id: int) -> InquiryQuestion:
    row = InquiryQuestion.objects.filter(pk=question_id, inquiry_id=inquiry_id).first()
    if row is None:
        raise DomainError(
            "invalid", "所选问题不属于该专题询问。", field_errors={"question_id": "不属于"}
        )
    return row


# The actions name a field after their argument; the API body names it after the id it carries.
_BODY_FIELDS = {
    "office": "office_id",
    "meeting": "meeting_id",
    "plan_item": "plan_item_id",
    "unit": "unit_id",
    "attendee": "attendee_id",
    "asker_deputy": "asker_deputy_id",
}


def _names():
    return body_field_names(_BODY_FIELDS)


# ---------------------------------------------------------------------------------------------
# Reads


class InquiryListQuery(Schema):
    year: Year | None = None
    status: InquiryStatus | None = None
    office: Id | None = None
    q: str = ""
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("/", response=InquiryPage, summary="专题询问列表")
@api_allow(*READERS)
def list_inquiries(request: HttpRequest, params: Query[InquiryListQuery]):
    filters = q.InquiryFilters(
        year=params.year, status=params.status or "", office=params.office, q=params.q.strip()
    )
    rows = q.inquiry_list(request.user, filters)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [
        _row(i, (i.question_count, i.rectification_count, i.verified_count))
        for i in rows[params.offset : params.offset + limit]
    ]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get("/{int:inquiry_id}", response=InquiryDetail, summary="专题询问详情")
@api_allow(*READERS)
def get_inquiry(request: HttpRequest, inquiry_id: Id):
    return _current(request, inquiry_id)


@router.get("/{int:inquiry_id}/report.docx", summary="专题询问报告（.docx）")
@api_allow(*READERS)
def inquiry_report(request: HttpRequest, inquiry_id: Id):
    inquiry = _inquiry(request, inquiry_id)
    return download(
        build_inquiry_report_docx(inquiry),
        content_type=DOCX,
        filename=f"{inquiry.topic}专题询问报告.docx",
    )


# ---------------------------------------------------------------------------------------------
# Arranging and preparing


class InquiryVersionIn(Schema):
    version: Version


class InquiryIn(Schema):
    topic: str
    year: Year
    office_id: Id | None = Field(None, description="承办机构；本人只属一个机构时可省略")
    plan_item_id: Id | None = None
    meeting_id: Id | None = None
    background: str = ""


class InquiryEditIn(InquiryVersionIn):
    topic: str
    background: str = ""
    research: str = ""
    meeting_id: Id | None = None


def _office(request: HttpRequest, office_id: Id | None) -> Office:
    if office_id is not None:
        return _existing(Office, office_id, "office_id", "承办机构")
    own = list(request.user.roles.office_ids)
    if len(own) != 1:
        raise DomainError("required", "请选择承办机构。", field_errors={"office_id": "请选择"})
    return Office.objects.get(pk=own[0])


@router.post("/", response={201: InquiryDetail}, summary="安排专题询问")
@api_allow(*OFFICE)
@_names()
def create_inquiry(request: HttpRequest, payload: InquiryIn):
    inquiry = actions.create_inquiry(
        acting_user=request.user,
        topic=payload.topic,
        year=payload.year,
        office=_office(request, payload.office_id),
        plan_item=_existing(PlanItem, payload.plan_item_id, "plan_item_id", "计划事项"),
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        background=payload.background,
    )
    return HttpStatus(201, _current(request, inquiry.pk))


@router.put("/{int:inquiry_id}", response=InquiryDetail, summary="修改询问方案（含前期调研）")
@api_allow(*OFFICE)
@_names()
def update_inquiry(request: HttpRequest, inquiry_id: Id, payload: InquiryEditIn):
    actions.update_inquiry(
        acting_user=request.user,
        inquiry=_inquiry(request, inquiry_id),
        topic=payload.topic,
        background=payload.background,
        research=payload.research,
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        version=payload.version,
    )
    return _current(request, inquiry_id)


class AttendeeIn(InquiryVersionIn):
    unit_id: Id
    official: str
    official_title: str


class AttendanceIn(InquiryVersionIn):
    attended: bool


@router.post("/{int:inquiry_id}/attendees", response={201: InquiryDetail}, summary="增加应询人")
@api_allow(*OFFICE)
@_names()
def add_attendee(request: HttpRequest, inquiry_id: Id, payload: AttendeeIn):
    actions.add_attendee(
        acting_user=request.user,
        inquiry=_inquiry(request, inquiry_id),
        unit=_existing(Unit, payload.unit_id, "unit_id", "应询单位"),
        official=payload.official,
        official_title=payload.official_title,
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inquiry_id))


@router.delete("/attendees/{int:attendee_id}", response=InquiryDetail, summary="删除应询人")
@api_allow(*OFFICE)
def remove_attendee(request: HttpRequest, attendee_id: Id):
    attendee = _attendee(request, attendee_id)
    actions.remove_attendee(acting_user=request.user, inquiry=attendee.inquiry, attendee=attendee)
    return _current(request, attendee.inquiry_id)


@router.post(
    "/attendees/{int:attendee_id}/attendance", response=InquiryDetail, summary="登记到会情况"
)
@api_allow(*OFFICE)
def record_attendance(request: HttpRequest, attendee_id: Id, payload: AttendanceIn):
    attendee = _attendee(request, attendee_id)
    actions.record_attendance(
        acting_user=request.user,
        inquiry=attendee.inquiry,
        attendee=attendee,
        attended=payload.attended,
        version=payload.version,
    )
    return _current(request, attendee.inquiry_id)


# ---------------------------------------------------------------------------------------------
# Questions, answers, votes


class QuestionIn(InquiryVersionIn):
    asker_kind: InquiryQuestion.AskerKind
    asker_name: str = ""
    asker_deputy_id: Id | None = Field(None, description="提问的代表；给出时姓名取自代表名册")
    attendee_id: Id
    question: str


class InquiryAnswerIn(InquiryVersionIn):
    answer: str


class InquiryVoteIn(InquiryVersionIn):
    votes_satisfied: Votes
    votes_basic: Votes
    votes_unsatisfied: Votes


def _asker(payload: QuestionIn) -> dict:
    return {
        "asker_kind": payload.asker_kind,
        "asker_name": payload.asker_name,
        "asker_deputy": _existing(Deputy, payload.asker_deputy_id, "asker_deputy_id", "代表"),
    }


@router.post("/{int:inquiry_id}/questions", response={201: InquiryDetail}, summary="增加问题")
@api_allow(*OFFICE)
@_names()
def add_question(request: HttpRequest, inquiry_id: Id, payload: QuestionIn):
    inquiry = _inquiry(request, inquiry_id)
    actions.add_question(
        acting_user=request.user,
        inquiry=inquiry,
        **_asker(payload),
        attendee=_own_attendee(inquiry.pk, payload.attendee_id),
        question=payload.question,
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inquiry_id))


@router.put("/questions/{int:question_id}", response=InquiryDetail, summary="修改问题")
@api_allow(*OFFICE)
@_names()
def update_question(request: HttpRequest, question_id: Id, payload: QuestionIn):
    row = _question(request, question_id)
    actions.update_question(
        acting_user=request.user,
        inquiry=row.inquiry,
        question=row,
        **_asker(payload),
        attendee=_own_attendee(row.inquiry_id, payload.attendee_id),
        text=payload.question,
        version=payload.version,
    )
    return _current(request, row.inquiry_id)


@router.delete("/questions/{int:question_id}", response=InquiryDetail, summary="删除问题")
@api_allow(*OFFICE)
def remove_question(request: HttpRequest, question_id: Id):
    row = _question(request, question_id)
    actions.remove_question(acting_user=request.user, inquiry=row.inquiry, question=row)
    return _current(request, row.inquiry_id)


@router.post("/questions/{int:question_id}/answer", response=InquiryDetail, summary="记录回答")
@api_allow(*OFFICE)
def record_answer(request: HttpRequest, question_id: Id, payload: InquiryAnswerIn):
    row = _question(request, question_id)
    actions.record_answer(
        acting_user=request.user,
        inquiry=row.inquiry,
        question=row,
        answer=payload.answer,
        version=payload.version,
    )
    return _current(request, row.inquiry_id)


@router.post("/questions/{int:question_id}/vote", response=InquiryDetail, summary="问题满意度测评")
@api_allow(*OFFICE)
def record_question_vote(request: HttpRequest, question_id: Id, payload: InquiryVoteIn):
    row = _question(request, question_id)
    actions.record_question_vote(
        acting_user=request.user,
        inquiry=row.inquiry,
        question=row,
        votes_satisfied=payload.votes_satisfied,
        votes_basic=payload.votes_basic,
        votes_unsatisfied=payload.votes_unsatisfied,
        version=payload.version,
    )
    return _current(request, row.inquiry_id)


# ---------------------------------------------------------------------------------------------
# Holding, the rectification list, closing, publishing


class HoldIn(InquiryVersionIn):
    held_on: date
    summary: str


class CommitmentIn(Schema):
    question_id: Id
    title: str
    description: str
    due_on: date | None = Field(None, description="整改期限；省略按缺省期限（交办日起 3 个月）")


class CommitmentsIn(InquiryVersionIn):
    entries: list[CommitmentIn]


class InquiryCloseIn(InquiryVersionIn):
    result_statement: str


@router.post("/{int:inquiry_id}/hold", response=InquiryDetail, summary="记录询问情况")
@api_allow(*OFFICE)
def hold_inquiry(request: HttpRequest, inquiry_id: Id, payload: HoldIn):
    actions.hold_inquiry(
        acting_user=request.user,
        inquiry=_inquiry(request, inquiry_id),
        held_on=payload.held_on,
        summary=payload.summary,
        version=payload.version,
    )
    return _current(request, inquiry_id)


@router.post(
    "/{int:inquiry_id}/commitments",
    response={201: InquiryDetail},
    summary="列出整改清单（可多次增加）",
)
@api_allow(*OFFICE)
def list_commitments(request: HttpRequest, inquiry_id: Id, payload: CommitmentsIn):
    inquiry = _inquiry(request, inquiry_id)
    entries = [
        (_own_question(inquiry.pk, e.question_id), e.title, e.description, e.due_on)
        for e in payload.entries
    ]
    actions.list_commitments(
        acting_user=request.user, inquiry=inquiry, entries=entries, version=payload.version
    )
    return HttpStatus(201, _current(request, inquiry_id))


@router.post("/{int:inquiry_id}/close", response=InquiryDetail, summary="办结")
@api_allow(*OFFICE)
def close_inquiry(request: HttpRequest, inquiry_id: Id, payload: InquiryCloseIn):
    actions.close_inquiry(
        acting_user=request.user,
        inquiry=_inquiry(request, inquiry_id),
        result_statement=payload.result_statement,
        version=payload.version,
    )
    return _current(request, inquiry_id)


@router.post("/{int:inquiry_id}/publish", response=InquiryDetail, summary="向社会公开")
@api_allow(*PUBLISHERS)
def publish_inquiry(request: HttpRequest, inquiry_id: Id, payload: InquiryVersionIn):
    actions.publish_inquiry(
        acting_user=request.user,
        inquiry=_inquiry(request, inquiry_id),
        version=version_of(payload),
    )
    return _current(request, inquiry_id)
