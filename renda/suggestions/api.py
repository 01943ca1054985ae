"""The suggestions API under /api/v1/suggestions: one operation per action, named after the verb.

It calls the same actions, reads and rules as the pages. Ids resolve through
permissions.get_suggestion_for_user: what the caller cannot see is 404; a visible suggestion the
caller may not act on is the action's own refusal (403 not_allowed). Moves return the suggestion
as it now is; creations return 201."""

from datetime import date, datetime
from typing import Literal

from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names, inline_choices, version_of
from renda.core.api_types import (
    FileSize,
    Id,
    Limit,
    Offset,
    Position,
    Serial,
    Session,
    Term,
    Total,
    Version,
    Year,
)
from renda.core.errors import DomainError
from renda.core.models import Office, TimelineEvent, Unit, User
from renda.deputies.models import Deputy
from renda.suggestions import actions
from renda.suggestions.models import (
    Answer,
    AnswerCategory,
    Assignment,
    Category,
    Contact,
    Extension,
    Rating,
    Satisfaction,
    Status,
    Suggestion,
)
from renda.suggestions.permissions import available_actions, get_suggestion_for_user
from renda.suggestions.queries import (
    SORTS,
    SuggestionFilters,
    suggestion_list,
    suggestion_record,
    with_list_relations,
)

router = Router(tags=["suggestions"])

ALL_ROLES = ("admin", "leader", "staff", "street", "deputy", "unit")
DRAFTERS = (
    "staff",
    "deputy",
)  # a deputy, or the office entering on a deputy's behalf (as the pages)
OFFICE = ("admin", "staff")  # the assigning office; the actions narrow staff to its own office
UNIT = ("unit",)
DEPUTY = ("deputy",)
LEADERS = ("admin", "leader")
MAX_LIMIT = 200


# ---------------------------------------------------------------------------------------------
# Output


class UnitPartOut(Schema):
    unit_id: Id
    unit: str
    role: str
    role_name: str


class SuggestionItem(Schema):
    id: Id
    number: Serial | None
    title: str
    kind: str
    status: str
    status_name: str
    category_id: Id
    category: str
    deputy_id: Id
    deputy: str
    street: str | None
    term_number: Term
    session_number: Session
    timing: str
    due_at: date | None
    is_overdue: bool
    is_key: bool
    is_escalated: bool
    units: list[UnitPartOut]
    version: Version


class SuggestionPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[SuggestionItem]


class CosignerOut(Schema):
    id: Id
    deputy_id: Id
    full_name: str
    status: str
    status_name: str
    replied_at: datetime | None


class AssignmentOut(Schema):
    id: Id
    unit_id: Id
    unit: str
    role: str
    role_name: str
    status: str
    status_name: str
    assigned_on: date
    adjust_due: date
    signed_at: datetime | None
    adjust_reason: str
    adjust_refused: bool
    opinion: str
    opinion_due: date | None
    opinion_at: datetime | None


class AnswerOut(Schema):
    id: Id
    suggestion_id: Id
    unit_id: Id
    unit: str
    round: Position
    status: str
    status_name: str
    category_id: Id
    category: str
    category_label: str
    original_category: str | None
    document_number: str
    text: str
    signer: str
    contact_person: str
    contact_phone: str
    is_face_to_face: bool
    face_to_face_confirmed_at: datetime | None
    is_follow_up: bool
    answered_on: date
    return_reason: str


class RatingOut(Schema):
    id: Id
    round: Position
    attitude: str
    attitude_name: str
    result: str
    result_name: str
    comment: str
    cosigners_consulted: bool
    rated_at: datetime


class ContactOut(Schema):
    id: Id
    unit: str
    stage: str
    stage_name: str
    method: str
    method_name: str
    contacted_on: date
    summary: str
    recorded_at: datetime


class ExtensionOut(Schema):
    id: Id
    unit: str | None
    status: str
    status_name: str
    reason: str
    new_due: date
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


class AttachmentOut(Schema):
    id: Id
    name: str
    size: FileSize
    content_type: str
    answer_id: Id | None
    uploaded_at: datetime


class MergedOut(Schema):
    id: Id
    number: Serial | None
    title: str
    deputy: str


class DeadlineOut(Schema):
    due_at: date | None
    explanation: str
    provisional_years: list[Year]
    is_overdue: bool


class SuggestionDetail(SuggestionItem):
    content: str
    kind_name: str
    timing_name: str
    wants_face_to_face: bool
    decline_reason: str
    merged_into_id: Id | None
    mode: str
    mode_name: str
    is_difficult: bool
    deadline: DeadlineOut
    key_leader: str | None
    key_office: str | None
    round: Position
    not_satisfied_streak: Total
    is_confidential: bool
    published_at: datetime | None
    submitted_at: datetime | None
    accepted_at: datetime | None
    assigned_on: date | None
    first_answered_on: date | None
    answered_on_time: bool | None
    closed_at: datetime | None
    created_at: datetime
    cosigners: list[CosignerOut]
    assignments: list[AssignmentOut]
    answers: list[AnswerOut]
    ratings: list[RatingOut]
    contacts: list[ContactOut]
    extensions: list[ExtensionOut]
    attachments: list[AttachmentOut]
    merged: list[MergedOut] = Field(description="并入本件办理的建议")
    actions: list[str] = Field(description="当前用户此刻可以进行的操作（actions.py 中的函数名）")


class SuggestionEventOut(Schema):
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


class CategoryOut(Schema):
    id: Id
    name: str
    is_active: bool


class AnswerCategoryOut(Schema):
    id: Id
    code: str
    label: str
    resolution: str
    resolution_name: str
    is_active: bool


def _state_name(value: str) -> str:
    return Status(value).label if value in Status.values else value


def _units_of(assignments) -> list[dict]:
    return [
        {
            "unit_id": a.unit_id,
            "unit": a.unit.name,
            "role": a.role,
            "role_name": a.get_role_display(),
        }
        for a in assignments
    ]


def _item(s: Suggestion, today: date, live: list[Assignment]) -> dict:
    return {
        "id": s.pk,
        "number": s.number,
        "title": s.title,
        "kind": s.kind,
        "status": s.status,
        "status_name": s.get_status_display(),
        "category_id": s.category_id,
        "category": s.category.name,
        "deputy_id": s.deputy_id,
        "deputy": s.deputy.full_name,
        "street": s.street.name if s.street_id else None,
        "term_number": s.term_number,
        "session_number": s.session_number,
        "timing": s.timing,
        "due_at": s.due_at,
        "is_overdue": s.is_overdue(today),
        "is_key": s.is_key,
        "is_escalated": s.is_escalated,
        "units": _units_of(live),
        "version": s.version,
    }


def _answer_out(a: Answer) -> dict:
    return {
        "id": a.pk,
        "suggestion_id": a.suggestion_id,
        "unit_id": a.unit_id,
        "unit": a.unit.name,
        "round": a.round,
        "status": a.status,
        "status_name": a.get_status_display(),
        "category_id": a.category_id,
        "category": a.category.code,
        "category_label": a.category.label,
        "original_category": a.original_category.code if a.original_category_id else None,
        "document_number": a.document_number,
        "text": a.text,
        "signer": a.signer,
        "contact_person": a.contact_person,
        "contact_phone": a.contact_phone,
        "is_face_to_face": a.is_face_to_face,
        "face_to_face_confirmed_at": a.face_to_face_confirmed_at,
        "is_follow_up": a.is_follow_up,
        "answered_on": a.answered_on,
        "return_reason": a.return_reason,
    }


def _rating_out(r: Rating) -> dict:
    return {
        "id": r.pk,
        "round": r.round,
        "attitude": r.attitude,
        "attitude_name": r.get_attitude_display(),
        "result": r.result,
        "result_name": r.get_result_display(),
        "comment": r.comment,
        "cosigners_consulted": r.cosigners_consulted,
        "rated_at": r.rated_at,
    }


def _contact_out(c: Contact) -> dict:
    return {
        "id": c.pk,
        "unit": c.unit.name,
        "stage": c.stage,
        "stage_name": c.get_stage_display(),
        "method": c.method,
        "method_name": c.get_method_display(),
        "contacted_on": c.contacted_on,
        "summary": c.summary,
        "recorded_at": c.recorded_at,
    }


def _extension_out(e: Extension) -> dict:
    return {
        "id": e.pk,
        "unit": e.unit.name if e.unit_id else None,
        "status": e.status,
        "status_name": e.get_status_display(),
        "reason": e.reason,
        "new_due": e.new_due,
        "requested_at": e.requested_at,
        "decided_at": e.decided_at,
        "decision_note": e.decision_note,
    }


def _assignment_out(a: Assignment) -> dict:
    return {
        "id": a.pk,
        "unit_id": a.unit_id,
        "unit": a.unit.name,
        "role": a.role,
        "role_name": a.get_role_display(),
        "status": a.status,
        "status_name": a.get_status_display(),
        "assigned_on": a.assigned_on,
        "adjust_due": a.adjust_due,
        "signed_at": a.signed_at,
        "adjust_reason": a.adjust_reason,
        "adjust_refused": a.adjust_refused,
        "opinion": a.opinion,
        "opinion_due": a.opinion_due,
        "opinion_at": a.opinion_at,
    }


def _detail(user: User, s: Suggestion) -> dict:
    today = timezone.localdate()
    record = suggestion_record(s)
    return {
        **_item(s, today, [a for a in record.assignments if a.is_live]),
        "content": s.content,
        "kind_name": s.get_kind_display(),
        "timing_name": s.get_timing_display(),
        "wants_face_to_face": s.wants_face_to_face,
        "decline_reason": s.decline_reason,
        "merged_into_id": s.merged_into_id,
        "mode": s.mode,
        "mode_name": s.get_mode_display() if s.mode else "",
        "is_difficult": s.is_difficult,
        "deadline": {
            "due_at": s.due_at,
            "explanation": s.due_explanation,
            "provisional_years": s.due_provisional_years,
            "is_overdue": s.is_overdue(today),
        },
        "key_leader": s.key_leader.full_name if s.key_leader_id else None,
        "key_office": s.key_office.name if s.key_office_id else None,
        "round": s.round,
        "not_satisfied_streak": s.not_satisfied_streak,
        "is_confidential": s.is_confidential,
        "published_at": s.published_at,
        "submitted_at": s.submitted_at,
        "accepted_at": s.accepted_at,
        "assigned_on": s.assigned_on,
        "first_answered_on": s.first_answered_on,
        "answered_on_time": s.answered_on_time,
        "closed_at": s.closed_at,
        "created_at": s.created_at,
        "cosigners": [
            {
                "id": c.pk,
                "deputy_id": c.deputy_id,
                "full_name": c.deputy.full_name,
                "status": c.status,
                "status_name": c.get_status_display(),
                "replied_at": c.replied_at,
            }
            for c in record.cosigners
        ],
        "assignments": [_assignment_out(a) for a in record.assignments],
        # A merged suggestion's deputy reads the main suggestion's answers (the record says so).
        "answers": [_answer_out(a) for a in record.answers],
        "ratings": [_rating_out(r) for r in record.ratings],
        "contacts": [_contact_out(c) for c in record.contacts],
        "extensions": [_extension_out(e) for e in record.extensions],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "content_type": a.content_type,
                "answer_id": a.answer_id,
                "uploaded_at": a.uploaded_at,
            }
            for a in record.attachments
        ],
        "merged": [
            {"id": m.pk, "number": m.number, "title": m.title, "deputy": m.deputy.full_name}
            for m in record.merged
        ],
        "actions": sorted(available_actions(user, s, today=today)),
    }


def _current(request: HttpRequest, suggestion_id: Id) -> dict:
    """The suggestion as it is after a move, as the caller may see it."""
    return _detail(request.user, get_suggestion_for_user(request.user, suggestion_id))


# ---------------------------------------------------------------------------------------------
# Resolving ids


def _visible(request: HttpRequest, suggestion_id: Id) -> Suggestion:
    return get_suggestion_for_user(request.user, suggestion_id)


def _part_of_visible(request: HttpRequest, model: type[models.Model], pk: Id):
    """An assignment, answer or extension: found only through a suggestion the caller sees."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404
    get_suggestion_for_user(request.user, obj.suggestion_id)
    return obj


def _existing(model: type[models.Model], pk: int, field: str, label: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return obj


def _all_existing(model: type[models.Model], pks: list[int], field: str, label: str) -> list:
    found = model.objects.in_bulk(pks)
    if len(found) != len(set(pks)):
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return [found[pk] for pk in pks]


# The actions name a field after their argument; the API body names it after the id it carries.
_BODY_FIELDS = {
    "category": "category_id",
    "cosigners": "cosigner_ids",
    "deputy": "deputy_id",
    "lead_unit": "lead_unit_id",
    "co_units": "co_unit_ids",
    "separate_units": "separate_unit_ids",
    "leader": "leader_id",
    "office": "office_id",
}


def _body_field_names():
    return body_field_names(_BODY_FIELDS)


_version = version_of


def _note(payload: Schema | None) -> str:
    return getattr(payload, "note", "") or ""


# ---------------------------------------------------------------------------------------------
# Reads


class SuggestionListQuery(Schema):
    status: Status | None = None
    category: Id | None = None
    unit: Id | None = None
    term_number: Term | None = None
    session_number: Session | None = None
    overdue: bool = False
    key: bool = False
    escalated: bool = False
    deputy: Id | None = None
    street: Id | None = None
    q: str = ""
    # The sort keys are the list page's own (queries.SORTS).
    sort: Literal[tuple(SORTS)] = "due"  # type: ignore[valid-type]
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("/", response=SuggestionPage, summary="建议列表（与列表页相同的筛选）")
@api_allow(*ALL_ROLES)
def list_suggestions(request: HttpRequest, params: Query[SuggestionListQuery]):
    values = params.dict(exclude={"offset", "limit"})
    values["status"] = values["status"] or ""
    today = timezone.localdate()
    rows = suggestion_list(request.user, SuggestionFilters(**values), today=today)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    page = rows[params.offset : params.offset + limit]
    items = [_item(s, today, s.live_assignments) for s in page]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get("/categories", response=list[CategoryOut], summary="建议类别")
@api_allow(*ALL_ROLES)
def list_categories(request: HttpRequest):
    return list(Category.objects.values("id", "name", "is_active"))


@router.get("/answer-categories", response=list[AnswerCategoryOut], summary="答复类别")
@api_allow(*ALL_ROLES)
def list_answer_categories(request: HttpRequest):
    return [
        {
            "id": c.pk,
            "code": c.code,
            "label": c.label,
            "resolution": c.resolution,
            "resolution_name": c.get_resolution_display(),
            "is_active": c.is_active,
        }
        for c in AnswerCategory.objects.all()
    ]


@router.get("/{int:suggestion_id}", response=SuggestionDetail, summary="建议详情")
@api_allow(*ALL_ROLES)
def get_suggestion(request: HttpRequest, suggestion_id: Id):
    return _current(request, suggestion_id)


@router.get("/{int:suggestion_id}/timeline", response=list[SuggestionEventOut], summary="办理过程")
@api_allow(*ALL_ROLES)
def get_timeline(request: HttpRequest, suggestion_id: Id):
    suggestion = _visible(request, suggestion_id)
    events: list[TimelineEvent] = list(TimelineEvent.objects.for_object(suggestion))
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
        for e in events
    ]


# ---------------------------------------------------------------------------------------------
# Drafting and submission


class SuggestionVersionIn(Schema):
    version: Version


class NoteIn(SuggestionVersionIn):
    note: str = ""


class SuggestionReasonIn(SuggestionVersionIn):
    reason: str


class DraftIn(Schema):
    deputy_id: Id | None = Field(None, description="领衔代表；代表本人提出时可省略")
    title: str
    content: str
    category_id: Id
    timing: Suggestion.Timing
    kind: inline_choices(Suggestion.Kind) = Suggestion.Kind.SUGGESTION
    wants_face_to_face: bool = False
    cosigner_ids: list[Id] = []
    term_number: Term | None = Field(None, ge=1)
    session_number: Session | None = Field(None, ge=1)


class DraftEditIn(DraftIn):
    version: Version


def _draft_fields(request: HttpRequest, payload: DraftIn) -> dict:
    if payload.deputy_id is not None:
        deputy = _existing(Deputy, payload.deputy_id, "deputy_id", "代表")
    else:
        deputy = Deputy.objects.filter(user=request.user).first()
        if deputy is None:
            raise DomainError(
                "required", "请选择领衔代表。", field_errors={"deputy_id": "请选择领衔代表"}
            )
    return {
        "deputy": deputy,
        "title": payload.title,
        "content": payload.content,
        "category": _existing(Category, payload.category_id, "category_id", "类别"),
        "timing": payload.timing,
        "kind": payload.kind,
        "wants_face_to_face": payload.wants_face_to_face,
        "cosigners": _all_existing(Deputy, payload.cosigner_ids, "cosigner_ids", "联名代表"),
        "term_number": payload.term_number,
        "session_number": payload.session_number,
    }


@router.post("/", response={201: SuggestionDetail}, summary="保存建议草稿")
@api_allow(*DRAFTERS)
@_body_field_names()
def create_draft(request: HttpRequest, payload: DraftIn):
    suggestion = actions.save_draft(acting_user=request.user, **_draft_fields(request, payload))
    return HttpStatus(201, _current(request, suggestion.pk))


@router.put("/{int:suggestion_id}", response=SuggestionDetail, summary="修改草稿")
@api_allow(*DRAFTERS)
@_body_field_names()
def edit_draft(request: HttpRequest, suggestion_id: Id, payload: DraftEditIn):
    actions.save_draft(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        version=payload.version,
        **_draft_fields(request, payload),
    )
    return _current(request, suggestion_id)


@router.delete("/{int:suggestion_id}", response={204: None}, summary="删除草稿")
@api_allow(*DRAFTERS)
def delete_draft(request: HttpRequest, suggestion_id: Id, version: Version):
    actions.delete_draft(
        acting_user=request.user, suggestion=_visible(request, suggestion_id), version=version
    )
    return HttpStatus(204, None)


@router.post("/{int:suggestion_id}/submit", response=SuggestionDetail, summary="提交建议")
@api_allow(*DRAFTERS)
def submit(request: HttpRequest, suggestion_id: Id, payload: SuggestionVersionIn):
    actions.submit(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        version=_version(payload),
    )
    return _current(request, suggestion_id)


@router.post("/{int:suggestion_id}/withdraw", response=SuggestionDetail, summary="撤回为草稿")
@api_allow(*DRAFTERS)
def withdraw(request: HttpRequest, suggestion_id: Id, payload: SuggestionVersionIn):
    actions.withdraw(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        version=_version(payload),
    )
    return _current(request, suggestion_id)


class CosignIn(Schema):
    confirm: bool


@router.post("/{int:suggestion_id}/cosign", response=SuggestionDetail, summary="确认或拒绝联名")
@api_allow(*DEPUTY)
def cosign(request: HttpRequest, suggestion_id: Id, payload: CosignIn):
    actions.reply_cosign(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        confirm=payload.confirm,
    )
    return _current(request, suggestion_id)


# ---------------------------------------------------------------------------------------------
# Review


@router.post("/{int:suggestion_id}/accept", response=SuggestionDetail, summary="立案")
@api_allow(*OFFICE)
def accept(request: HttpRequest, suggestion_id: Id, payload: SuggestionVersionIn):
    actions.accept(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        version=_version(payload),
    )
    return _current(request, suggestion_id)


@router.post("/{int:suggestion_id}/decline", response=SuggestionDetail, summary="不予立案")
@api_allow(*OFFICE)
def decline(request: HttpRequest, suggestion_id: Id, payload: SuggestionReasonIn):
    actions.decline(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, suggestion_id)


@router.post("/{int:suggestion_id}/convert", response=SuggestionDetail, summary="议案转为建议")
@api_allow(*OFFICE)
def convert(request: HttpRequest, suggestion_id: Id, payload: NoteIn):
    actions.convert_motion(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        note=_note(payload),
        version=_version(payload),
    )
    return _current(request, suggestion_id)


class MergeIn(SuggestionVersionIn):
    into_id: Id


@router.post("/{int:suggestion_id}/merge", response=SuggestionDetail, summary="并案")
@api_allow(*OFFICE)
def merge(request: HttpRequest, suggestion_id: Id, payload: MergeIn):
    actions.merge(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        into=_visible(request, payload.into_id),
        version=payload.version,
    )
    return _current(request, suggestion_id)


# ---------------------------------------------------------------------------------------------
# Assignment


class SuggestionPlanIn(Schema):
    mode: Suggestion.Mode
    lead_unit_id: Id | None = None
    co_unit_ids: list[Id] = []
    separate_unit_ids: list[Id] = []
    is_difficult: bool = False


class AssignIn(SuggestionPlanIn):
    version: Version


class BatchItemIn(SuggestionPlanIn):
    suggestion_id: Id


class BatchIn(Schema):
    items: list[BatchItemIn] = Field(..., min_length=1)


def _plan(payload: SuggestionPlanIn) -> actions.AssignmentPlan:
    lead = None
    if payload.lead_unit_id is not None:
        lead = _existing(Unit, payload.lead_unit_id, "lead_unit_id", "主办单位")
    return actions.AssignmentPlan(
        mode=payload.mode,
        lead_unit=lead,
        co_units=tuple(_all_existing(Unit, payload.co_unit_ids, "co_unit_ids", "协办单位")),
        separate_units=tuple(
            _all_existing(Unit, payload.separate_unit_ids, "separate_unit_ids", "分办单位")
        ),
        is_difficult=payload.is_difficult,
    )


@router.post("/{int:suggestion_id}/assign", response=SuggestionDetail, summary="交办")
@api_allow(*OFFICE)
@_body_field_names()
def assign(request: HttpRequest, suggestion_id: Id, payload: AssignIn):
    actions.assign(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        plan=_plan(payload),
        version=payload.version,
    )
    return _current(request, suggestion_id)


@router.post(
    "/assign-batch", response=list[SuggestionItem], summary="批量交办（全部成功或全部不交办）"
)
@api_allow(*OFFICE)
@_body_field_names()
def assign_batch(request: HttpRequest, payload: BatchIn):
    plans = [(_visible(request, item.suggestion_id), _plan(item)) for item in payload.items]
    actions.assign_many(acting_user=request.user, plans=plans)
    today = timezone.localdate()
    rows = with_list_relations(
        Suggestion.objects.filter(pk__in=[s.pk for s, _ in plans]).order_by("number", "id")
    )
    return [_item(s, today, s.live_assignments) for s in rows]


class AdjustIn(Schema):
    reason: str


class AdjustDecisionIn(Schema):
    reassign_to_id: Id | None = Field(None, description="改交的单位；为空表示不同意调整")
    note: str = ""


class SuggestionOpinionIn(Schema):
    opinion: str


@router.post("/assignments/{int:assignment_id}/sign", response=SuggestionDetail, summary="签收")
@api_allow(*UNIT)
def sign(request: HttpRequest, assignment_id: Id):
    assignment = _part_of_visible(request, Assignment, assignment_id)
    actions.sign_for(acting_user=request.user, assignment=assignment)
    return _current(request, assignment.suggestion_id)


@router.post(
    "/assignments/{int:assignment_id}/adjust", response=SuggestionDetail, summary="申请调整"
)
@api_allow(*UNIT)
def request_adjustment(request: HttpRequest, assignment_id: Id, payload: AdjustIn):
    assignment = _part_of_visible(request, Assignment, assignment_id)
    actions.request_adjustment(
        acting_user=request.user, assignment=assignment, reason=payload.reason
    )
    return _current(request, assignment.suggestion_id)


@router.post(
    "/assignments/{int:assignment_id}/decide-adjustment",
    response=SuggestionDetail,
    summary="决定调整申请：改交或不同意",
)
@api_allow(*OFFICE)
def decide_adjustment(request: HttpRequest, assignment_id: Id, payload: AdjustDecisionIn):
    assignment = _part_of_visible(request, Assignment, assignment_id)
    reassign_to = None
    if payload.reassign_to_id is not None:
        reassign_to = _existing(Unit, payload.reassign_to_id, "reassign_to_id", "单位")
    actions.decide_adjustment(
        acting_user=request.user, assignment=assignment, reassign_to=reassign_to, note=payload.note
    )
    return _current(request, assignment.suggestion_id)


@router.post(
    "/assignments/{int:assignment_id}/opinion", response=SuggestionDetail, summary="提交会办意见"
)
@api_allow(*UNIT)
def submit_opinion(request: HttpRequest, assignment_id: Id, payload: SuggestionOpinionIn):
    assignment = _part_of_visible(request, Assignment, assignment_id)
    actions.submit_opinion(acting_user=request.user, assignment=assignment, opinion=payload.opinion)
    return _current(request, assignment.suggestion_id)


# ---------------------------------------------------------------------------------------------
# Handling and answering


class ContactIn(Schema):
    stage: Contact.Stage
    method: Contact.Method
    contacted_on: date
    summary: str


@router.post(
    "/{int:suggestion_id}/contacts", response={201: ContactOut}, summary="记录与代表的沟通"
)
@api_allow(*UNIT)
def record_contact(request: HttpRequest, suggestion_id: Id, payload: ContactIn):
    contact = actions.record_contact(
        acting_user=request.user, suggestion=_visible(request, suggestion_id), **payload.dict()
    )
    return HttpStatus(201, _contact_out(contact))


class SuggestionAnswerIn(Schema):
    category_id: Id
    text: str
    signer: str
    contact_person: str
    contact_phone: str
    document_number: str = ""
    is_face_to_face: bool = False
    version: Version


@router.post("/{int:suggestion_id}/answer", response={201: AnswerOut}, summary="答复代表")
@api_allow(*UNIT)
@_body_field_names()
def answer(request: HttpRequest, suggestion_id: Id, payload: SuggestionAnswerIn):
    fields = payload.dict()
    version = fields.pop("version")
    category = _existing(AnswerCategory, fields.pop("category_id"), "category_id", "答复类别")
    record = actions.answer(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        draft=actions.AnswerDraft(category=category, **fields),
        version=version,
    )
    return HttpStatus(201, _answer_out(record))


@router.post(
    "/{int:suggestion_id}/return-answer", response=SuggestionDetail, summary="退回答复重新办理"
)
@api_allow(*OFFICE)
def return_answer(request: HttpRequest, suggestion_id: Id, payload: SuggestionReasonIn):
    actions.return_answer(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, suggestion_id)


class CategoryCorrectionIn(Schema):
    category_id: Id
    note: str = ""


@router.post("/answers/{int:answer_id}/category", response=SuggestionDetail, summary="更正答复类别")
@api_allow(*OFFICE)
@_body_field_names()
def correct_category(request: HttpRequest, answer_id: Id, payload: CategoryCorrectionIn):
    record = _part_of_visible(request, Answer, answer_id)
    actions.correct_category(
        acting_user=request.user,
        answer=record,
        category=_existing(AnswerCategory, payload.category_id, "category_id", "答复类别"),
        note=payload.note,
    )
    return _current(request, record.suggestion_id)


# ---------------------------------------------------------------------------------------------
# Rating and closing


class RateIn(SuggestionVersionIn):
    attitude: Satisfaction
    result: Satisfaction
    comment: str = ""
    cosigners_consulted: bool = False


@router.post("/{int:suggestion_id}/rate", response={201: RatingOut}, summary="评价办理情况")
@api_allow(*DEPUTY)
def rate(request: HttpRequest, suggestion_id: Id, payload: RateIn):
    rating = actions.rate(
        acting_user=request.user, suggestion=_visible(request, suggestion_id), **payload.dict()
    )
    return HttpStatus(201, _rating_out(rating))


@router.post(
    "/answers/{int:answer_id}/confirm-face-to-face",
    response=SuggestionDetail,
    summary="确认当面答复",
)
@api_allow(*DEPUTY)
def confirm_face_to_face(request: HttpRequest, answer_id: Id):
    record = _part_of_visible(request, Answer, answer_id)
    actions.confirm_face_to_face(acting_user=request.user, answer=record)
    return _current(request, record.suggestion_id)


@router.post("/{int:suggestion_id}/close", response=SuggestionDetail, summary="办结")
@api_allow(*OFFICE)
def close(request: HttpRequest, suggestion_id: Id, payload: NoteIn):
    actions.close(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        note=_note(payload),
        version=_version(payload),
    )
    return _current(request, suggestion_id)


# ---------------------------------------------------------------------------------------------
# Deadlines


class ExtensionIn(Schema):
    new_due: date
    reason: str


class ExtendIn(ExtensionIn):
    version: Version


class ExtensionDecisionIn(Schema):
    approve: bool
    note: str = ""


@router.post(
    "/{int:suggestion_id}/extension-request", response={201: ExtensionOut}, summary="申请延期"
)
@api_allow(*UNIT)
def request_extension(request: HttpRequest, suggestion_id: Id, payload: ExtensionIn):
    extension = actions.request_extension(
        acting_user=request.user, suggestion=_visible(request, suggestion_id), **payload.dict()
    )
    return HttpStatus(201, _extension_out(extension))


@router.post(
    "/extensions/{int:extension_id}/decide", response=SuggestionDetail, summary="审批延期申请"
)
@api_allow(*OFFICE)
def decide_extension(request: HttpRequest, extension_id: Id, payload: ExtensionDecisionIn):
    extension = _part_of_visible(request, Extension, extension_id)
    actions.decide_extension(
        acting_user=request.user, extension=extension, approve=payload.approve, note=payload.note
    )
    return _current(request, extension.suggestion_id)


@router.post("/{int:suggestion_id}/extend", response={201: ExtensionOut}, summary="直接延期")
@api_allow(*OFFICE)
def extend(request: HttpRequest, suggestion_id: Id, payload: ExtendIn):
    extension = actions.extend_deadline(
        acting_user=request.user, suggestion=_visible(request, suggestion_id), **payload.dict()
    )
    return HttpStatus(201, _extension_out(extension))


# ---------------------------------------------------------------------------------------------
# Key suggestions and publication


class KeyIn(Schema):
    leader_id: Id
    office_id: Id
    note: str = ""
    version: Version


class ConfidentialIn(Schema):
    confidential: bool
    reason: str = ""
    version: Version


class UnpublishIn(Schema):
    reason: str
    version: Version


@router.post("/{int:suggestion_id}/key", response=SuggestionDetail, summary="列为重点督办")
@api_allow(*LEADERS)
@_body_field_names()
def flag_key(request: HttpRequest, suggestion_id: Id, payload: KeyIn):
    actions.flag_key(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        leader=_existing(User, payload.leader_id, "leader_id", "督办领导"),
        office=_existing(Office, payload.office_id, "office_id", "督办机构"),
        note=payload.note,
        version=payload.version,
    )
    return _current(request, suggestion_id)


@router.delete("/{int:suggestion_id}/key", response=SuggestionDetail, summary="取消重点督办")
@api_allow(*LEADERS)
def unflag_key(request: HttpRequest, suggestion_id: Id, version: Version):
    actions.unflag_key(
        acting_user=request.user, suggestion=_visible(request, suggestion_id), version=version
    )
    return _current(request, suggestion_id)


@router.post("/{int:suggestion_id}/publish", response=SuggestionDetail, summary="向社会公开")
@api_allow(*OFFICE)
def publish(request: HttpRequest, suggestion_id: Id, payload: SuggestionVersionIn):
    actions.publish(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        version=_version(payload),
    )
    return _current(request, suggestion_id)


@router.post("/{int:suggestion_id}/unpublish", response=SuggestionDetail, summary="撤回公开")
@api_allow(*OFFICE)
def unpublish(request: HttpRequest, suggestion_id: Id, payload: UnpublishIn):
    actions.unpublish(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, suggestion_id)


@router.post(
    "/{int:suggestion_id}/confidential", response=SuggestionDetail, summary="设置或取消不予公开"
)
@api_allow(*OFFICE)
def set_confidential(request: HttpRequest, suggestion_id: Id, payload: ConfidentialIn):
    actions.set_confidential(
        acting_user=request.user,
        suggestion=_visible(request, suggestion_id),
        confidential=payload.confidential,
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, suggestion_id)
