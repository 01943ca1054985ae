"""The plans API under /api/v1/plans: one operation per action, named after the verb.

It calls the same actions, reads and rules as the pages. Ids resolve through
permissions.get_plan_for_user / get_item_for_user: what the caller cannot see is 404; a visible
plan or item the caller may not act on is the action's own refusal (403 not_allowed). Moves
return the plan or the item as it now is; creations (a plan, an item, a milestone, a progress
report, a change request) return 201 with the plan or item as it now is.

Evidence files are uploaded on the pages only (multipart, checked by content). Completing an item
through the API therefore succeeds only when result evidence is already attached to the item —
the action's own rule: "completed" without evidence is refused (400 evidence_required)."""

from datetime import date, datetime
from typing import Literal

from django.db.models import Case, CharField, Count, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names, inline_choices, version_of
from renda.core.api_types import (
    FileSize,
    Id,
    Invitees,
    Limit,
    Offset,
    Percent,
    Position,
    Small,
    Total,
    Version,
    Weight,
    Year,
)
from renda.core.errors import DomainError, NotAllowed
from renda.core.models import STATE_LABELS, Office, TimelineEvent, User
from renda.meetings.models import Meeting
from renda.plans import actions, imports, queries
from renda.plans.actions import GRADES, ItemFields
from renda.plans.exports import build_plan_xlsx
from renda.plans.models import (
    ChangeRequest,
    Milestone,
    Plan,
    PlanItem,
    PlanKind,
    PlanStatus,
)
from renda.plans.permissions import (
    get_item_for_user,
    get_plan_for_user,
    is_leader,
    item_actions,
    plan_actions,
)
from renda.plans.reports import evaluation_report, plan_sheet

router = Router(tags=["plans"])

READERS = ("admin", "leader", "staff")
DRAFTERS = ("admin", "staff")  # the drafting office; the actions narrow staff to their office
OWNERS = ("admin", "staff")  # the owner office of an item; narrowed by the actions
LEADERS = ("admin", "leader")
PUBLISHERS = ("admin", "leader", "staff")  # the drafting office or a leader
MAX_LIMIT = 200


# ---------------------------------------------------------------------------------------------
# Output


class PlanItemOut(Schema):
    id: Id
    kind: str
    kind_name: str
    year: Year
    title: str
    office_id: Id
    office: str
    status: str
    status_name: str
    item_count: Total
    version: Version


class PlanPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[PlanItemOut]


class PlanEventOut(Schema):
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


class ItemNode(Schema):
    id: Id
    parent_id: Id | None
    position: Position
    title: str
    owner_office_id: Id
    owner_office: str
    leader_id: Id | None
    leader: str | None
    objective: str
    expected_result: str
    measure: str
    starts_on: date | None
    ends_on: date | None
    invited_deputies: Invitees
    weight: Weight
    progress: Percent
    status: str
    status_name: str
    health: str = Field(
        description="on_track / at_risk / overdue / completed / cancelled；未计量为空"
    )
    health_name: str
    grade: str
    version: Version
    children: list["ItemNode"]


ItemNode.model_rebuild()


class PlanDetail(PlanItemOut):
    note: str
    is_public_kind: bool
    needs_party_committee: bool
    approved_meeting_id: Id | None
    approved_meeting: str | None
    party_committee_date: date | None
    party_committee_note: str
    approved_at: datetime | None
    published_at: datetime | None
    return_reason: str
    created_at: datetime
    items: list[ItemNode]
    timeline: list[PlanEventOut]
    actions: list[str] = Field(description="当前用户此刻可以进行的操作（actions.py 中的函数名）")


class MilestoneOut(Schema):
    id: Id
    title: str
    due_on: date
    done_on: date | None
    note: str
    is_overdue: bool


class PlanEvidenceOut(Schema):
    id: Id
    name: str
    purpose: str
    purpose_name: str
    size: FileSize
    report_id: Id | None
    uploaded_at: datetime


class PlanReportOut(Schema):
    id: Id
    text: str
    percent: Percent
    reported_on: date
    reported_by: str
    evidence: list[str] = Field(description="佐证材料文件名")


class ChangeOut(Schema):
    id: Id
    kind: str
    kind_name: str
    status: str
    status_name: str
    reason: str
    new_ends_on: date | None
    new_expected_result: str
    new_measure: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class LinkOut(Schema):
    id: Id
    label: str
    model: str
    object_id: Id


class ChildOut(Schema):
    id: Id
    title: str
    status: str
    progress: Percent
    weight: Weight


class ItemDetail(Schema):
    id: Id
    plan_id: Id
    plan: str
    plan_status: str
    parent_id: Id | None
    position: Position
    title: str
    owner_office_id: Id
    owner_office: str
    leader_id: Id | None
    leader: str | None
    objective: str
    expected_result: str
    measure: str
    starts_on: date | None
    ends_on: date | None
    invited_deputies: Invitees
    weight: Weight
    progress: Percent
    status: str
    status_name: str
    health: str
    health_name: str
    result_statement: str
    completed_on: date | None
    last_report_on: date | None
    report_count: Total
    self_assessment: str
    self_assessed_at: datetime | None
    grade: str
    grade_name: str
    graded_by: str | None
    graded_at: datetime | None
    version: Version
    children: list[ChildOut]
    milestones: list[MilestoneOut]
    reports: list[PlanReportOut]
    changes: list[ChangeOut]
    evidence: list[PlanEvidenceOut]
    links: list[LinkOut]
    timeline: list[PlanEventOut]
    actions: list[str] = Field(description="当前用户此刻可以进行的操作（actions.py 中的函数名）")


class AttentionOut(Schema):
    id: Id
    title: str
    plan_id: Id
    plan: str
    kind: str
    kind_name: str
    owner_office_id: Id
    owner_office: str
    leader: str | None
    ends_on: date | None
    last_report_on: date | None
    progress: Percent
    status: str
    status_name: str


class AttentionPage(Schema):
    list: str
    count: Total
    offset: Offset
    limit: Limit
    items: list[AttentionOut]


class DashboardRow(Schema):
    key: str = Field(description="按机构时为机构名称，按类别时为类别代码")
    label: str
    total: Total
    on_track: Total
    at_risk: Total
    overdue: Total
    completed: Total
    cancelled: Total


class DashboardOut(Schema):
    year: Year
    group_by: str
    labels: dict[str, str]
    rows: list[DashboardRow]


def _state_name(value: str) -> str:
    for labels in (
        STATE_LABELS.get(("plans", "plan"), {}),
        STATE_LABELS.get(("plans", "planitem"), {}),
    ):
        if value in labels:
            return str(labels[value])
    return value


def _timeline(obj) -> list[dict]:
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
        for e in TimelineEvent.objects.for_object(obj)
    ]


def _plan_row(plan: Plan, item_count: int) -> dict:
    return {
        "id": plan.pk,
        "kind": plan.kind,
        "kind_name": plan.get_kind_display(),
        "year": plan.year,
        "title": plan.title,
        "office_id": plan.office_id,
        "office": plan.office.name,
        "status": plan.status,
        "status_name": plan.get_status_display(),
        "item_count": item_count,
        "version": plan.version,
    }


def _health_annotation(today: date) -> Case:
    """The health key of every item by queries.health, in the same query as the items."""
    h = queries.health(today=today)
    return Case(
        *(When(getattr(h, key), then=Value(key)) for key in queries.HEALTH_KEYS),
        default=Value(""),
        output_field=CharField(),
    )


def _health_name(key: str) -> str:
    return queries.HEALTH_LABELS.get(key, "")


def _tree(plan: Plan, today: date) -> list[dict]:
    """The plan's items nested, each with its health; one query whatever the number of items.
    Health is counted on leaf items of a binding plan only (as the dashboard counts them)."""
    rows = list(
        plan.items.select_related("owner_office", "leader")
        .annotate(health_key=_health_annotation(today))
        .order_by("position", "id")
    )
    nodes: dict[int, dict] = {}
    children: dict[int | None, list[dict]] = {}
    for item in rows:
        nodes[item.pk] = node = {
            "id": item.pk,
            "parent_id": item.parent_id,
            "position": item.position,
            "title": item.title,
            "owner_office_id": item.owner_office_id,
            "owner_office": item.owner_office.name,
            "leader_id": item.leader_id,
            "leader": item.leader.full_name if item.leader_id else None,
            "objective": item.objective,
            "expected_result": item.expected_result,
            "measure": item.measure,
            "starts_on": item.starts_on,
            "ends_on": item.ends_on,
            "invited_deputies": item.invited_deputies,
            "weight": item.weight,
            "progress": item.progress,
            "status": item.status,
            "status_name": item.get_status_display(),
            "health": item.health_key if plan.is_binding else "",
            "grade": item.grade,
            "version": item.version,
            "children": children.setdefault(item.pk, []),
        }
        children.setdefault(item.parent_id, []).append(node)
    for node in nodes.values():
        if node["children"]:
            node["health"] = ""  # a parent's state is its children's
        node["health_name"] = _health_name(node["health"])
    return children.get(None, [])


def _plan_detail(user: User, plan: Plan) -> dict:
    today = timezone.localdate()
    meeting = plan.approved_meeting
    tree = _tree(plan, today)
    return {
        **_plan_row(plan, plan.items.count()),
        "note": plan.note,
        "is_public_kind": plan.is_public_kind,
        "needs_party_committee": plan.needs_party_committee,
        "approved_meeting_id": plan.approved_meeting_id,
        "approved_meeting": meeting.title if meeting else None,
        "party_committee_date": plan.party_committee_date,
        "party_committee_note": plan.party_committee_note,
        "approved_at": plan.approved_at,
        "published_at": plan.published_at,
        "return_reason": plan.return_reason,
        "created_at": plan.created_at,
        "items": tree,
        "timeline": _timeline(plan),
        "actions": sorted(plan_actions(user, plan)),
    }


def _current_plan(request: HttpRequest, plan_id: Id) -> dict:
    return _plan_detail(request.user, get_plan_for_user(request.user, plan_id))


def _change_out(c: ChangeRequest) -> dict:
    return {
        "id": c.pk,
        "kind": c.kind,
        "kind_name": c.get_kind_display(),
        "status": c.status,
        "status_name": c.get_status_display(),
        "reason": c.reason,
        "new_ends_on": c.new_ends_on,
        "new_expected_result": c.new_expected_result,
        "new_measure": c.new_measure,
        "requested_by": c.requested_by.full_name,
        "requested_at": c.requested_at,
        "decided_by": c.decided_by.full_name if c.decided_by_id else None,
        "decided_at": c.decided_at,
        "decision_note": c.decision_note,
    }


def _item_parts(item: PlanItem, today: date) -> dict:
    evidence = list(item.evidence.all())
    names_by_report: dict[int, list[str]] = {}
    for e in evidence:
        if e.report_id:
            names_by_report.setdefault(e.report_id, []).append(e.name)
    return {
        "children": list(
            item.children.order_by("position", "id").values(
                "id", "title", "status", "progress", "weight"
            )
        ),
        "milestones": [
            {
                "id": m.pk,
                "title": m.title,
                "due_on": m.due_on,
                "done_on": m.done_on,
                "note": m.note,
                "is_overdue": m.is_overdue(today),
            }
            for m in item.milestones.all()
        ],
        "reports": [
            {
                "id": r.pk,
                "text": r.text,
                "percent": r.percent,
                "reported_on": r.reported_on,
                "reported_by": r.reported_by.full_name,
                "evidence": names_by_report.get(r.pk, []),
            }
            for r in item.reports.select_related("reported_by")
        ],
        "changes": [
            _change_out(c) for c in item.changes.select_related("requested_by", "decided_by")
        ],
        "evidence": [
            {
                "id": e.pk,
                "name": e.name,
                "purpose": e.purpose,
                "purpose_name": e.get_purpose_display(),
                "size": e.size,
                "report_id": e.report_id,
                "uploaded_at": e.uploaded_at,
            }
            for e in evidence
        ],
        "links": [
            {"id": k.pk, "label": k.label, "model": k.content_type.model, "object_id": k.object_id}
            for k in item.links.select_related("content_type")
        ],
    }


def _item_detail(user: User, item: PlanItem) -> dict:
    today = timezone.localdate()
    health = queries.item_health(item, today=today)
    return {
        "id": item.pk,
        "plan_id": item.plan_id,
        "plan": item.plan.title,
        "plan_status": item.plan.status,
        "parent_id": item.parent_id,
        "position": item.position,
        "title": item.title,
        "owner_office_id": item.owner_office_id,
        "owner_office": item.owner_office.name,
        "leader_id": item.leader_id,
        "leader": item.leader.full_name if item.leader_id else None,
        "objective": item.objective,
        "expected_result": item.expected_result,
        "measure": item.measure,
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "invited_deputies": item.invited_deputies,
        "weight": item.weight,
        "progress": item.progress,
        "status": item.status,
        "status_name": item.get_status_display(),
        "health": health,
        "health_name": _health_name(health),
        "result_statement": item.result_statement,
        "completed_on": item.completed_on,
        "last_report_on": item.last_report_on,
        "report_count": item.report_count,
        "self_assessment": item.self_assessment,
        "self_assessed_at": item.self_assessed_at,
        "grade": item.grade,
        "grade_name": GRADES.get(item.grade, ""),
        "graded_by": item.graded_by.full_name if item.graded_by_id else None,
        "graded_at": item.graded_at,
        "version": item.version,
        **_item_parts(item, today),
        "timeline": _timeline(item),
        "actions": sorted(item_actions(user, item)),
    }


def _current_item(request: HttpRequest, item_id: Id) -> dict:
    return _item_detail(request.user, get_item_for_user(request.user, item_id))


# ---------------------------------------------------------------------------------------------
# Resolving ids


def _plan(request: HttpRequest, plan_id: Id) -> Plan:
    return get_plan_for_user(request.user, plan_id)


def _item(request: HttpRequest, item_id: Id) -> PlanItem:
    return get_item_for_user(request.user, item_id)


def _milestone(request: HttpRequest, milestone_id: Id) -> Milestone:
    """A milestone or a change request is found only through an item the caller sees."""
    milestone = Milestone.objects.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404
    _item(request, milestone.item_id)
    return milestone


def _change(request: HttpRequest, change_id: Id) -> ChangeRequest:
    change = ChangeRequest.objects.filter(pk=change_id).first()
    if change is None:
        raise Http404
    _item(request, change.item_id)
    return change


def _existing(model, pk: int, field: str, label: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return obj


# The actions name a field after their argument; the API body names it after the id it carries.
_BODY_FIELDS = {
    "office": "office_id",
    "owner_office": "owner_office_id",
    "leader": "leader_id",
    "parent": "parent_id",
    "meeting": "meeting_id",
}


def _body_field_names():
    return body_field_names(_BODY_FIELDS)


_version = version_of


# ---------------------------------------------------------------------------------------------
# Reads


class PlanListQuery(Schema):
    year: Year | None = None
    kind: PlanKind | None = None
    office: Id | None = None
    status: PlanStatus | None = None
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("/", response=PlanPage, summary="计划列表")
@api_allow(*READERS)
def list_plans(request: HttpRequest, params: Query[PlanListQuery]):
    rows = queries.plan_list(
        request.user,
        year=params.year,
        kind=params.kind or "",
        office_id=params.office,
        status=params.status or "",
    )
    limit = min(max(params.limit, 1), MAX_LIMIT)
    page = rows.annotate(item_count=Count("items"))[params.offset : params.offset + limit]
    items = [_plan_row(plan, plan.item_count) for plan in page]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


class AttentionQuery(Schema):
    list: Literal["overdue", "stale", "busy"] = "overdue"
    office: Id | None = None
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get(
    "/attention",
    response=AttentionPage,
    summary="提醒清单：已逾期（overdue）、计划未落实（stale）、忙而无果（busy）",
)
@api_allow(*READERS)
def attention(request: HttpRequest, params: Query[AttentionQuery]):
    # As on the home page: leaders see every office's list, staff their own offices'.
    office_ids = None if is_leader(request.user) else set(request.user.roles.office_ids)
    if params.office is not None:
        office_ids = {params.office} if office_ids is None else office_ids & {params.office}
    rows = queries.attention(params.list, today=timezone.localdate(), office_ids=office_ids)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [
        {
            "id": item.pk,
            "title": item.title,
            "plan_id": item.plan_id,
            "plan": item.plan.title,
            "kind": item.plan.kind,
            "kind_name": item.plan.get_kind_display(),
            "owner_office_id": item.owner_office_id,
            "owner_office": item.owner_office.name,
            "leader": item.leader.full_name if item.leader_id else None,
            "ends_on": item.ends_on,
            "last_report_on": item.last_report_on,
            "progress": item.progress,
            "status": item.status,
            "status_name": item.get_status_display(),
        }
        for item in rows[params.offset : params.offset + limit]
    ]
    return {
        "list": params.list,
        "count": rows.count(),
        "offset": params.offset,
        "limit": limit,
        "items": items,
    }


class DashboardQuery(Schema):
    year: Year | None = Field(None, ge=2000, le=2100)
    group_by: Literal["office", "kind"] = "office"


@router.get("/dashboard", response=DashboardOut, summary="落实情况统计（按机构或计划类别）")
@api_allow(*READERS)
def dashboard(request: HttpRequest, params: Query[DashboardQuery]):
    today = timezone.localdate()
    year = params.year or today.year
    rows = queries.dashboard(year=year, today=today, group_by=params.group_by)
    field = {"office": "owner_office__name", "kind": "plan__kind"}[params.group_by]
    return {
        "year": year,
        "group_by": params.group_by,
        "labels": queries.HEALTH_LABELS,
        "rows": [
            {
                "key": row[field],
                "label": PlanKind(row[field]).label if params.group_by == "kind" else row[field],
                **{key: row[key] for key in ("total", *queries.HEALTH_KEYS)},
            }
            for row in rows
        ],
    }


@router.get("/{int:plan_id}", response=PlanDetail, summary="计划详情（含事项树）")
@api_allow(*READERS)
def get_plan(request: HttpRequest, plan_id: Id):
    return _current_plan(request, plan_id)


@router.get("/items/{int:item_id}", response=ItemDetail, summary="事项详情")
@api_allow(*READERS)
def get_item(request: HttpRequest, item_id: Id):
    return _current_item(request, item_id)


# ---------------------------------------------------------------------------------------------
# Drafting, submission, approval


class PlanVersionIn(Schema):
    version: Version


class PlanIn(Schema):
    kind: PlanKind
    year: Year
    title: str
    office_id: Id | None = Field(None, description="起草机构；本人只属一个机构时可省略")
    note: str = ""


class PlanEditIn(PlanVersionIn):
    title: str
    note: str = ""


class PlanReasonIn(PlanVersionIn):
    reason: str


class ApproveIn(PlanVersionIn):
    meeting_id: Id
    party_committee_date: date | None = None
    party_committee_note: str = ""


def _drafting_office(request: HttpRequest, office_id: Id | None) -> Office:
    if office_id is not None:
        return _existing(Office, office_id, "office_id", "起草机构")
    own = list(request.user.roles.office_ids)
    if len(own) != 1:
        raise DomainError("required", "请选择起草机构。", field_errors={"office_id": "请选择"})
    return Office.objects.get(pk=own[0])


@router.post("/", response={201: PlanDetail}, summary="起草计划")
@api_allow(*DRAFTERS)
@_body_field_names()
def create_plan(request: HttpRequest, payload: PlanIn):
    plan = actions.create_plan(
        acting_user=request.user,
        kind=payload.kind,
        year=payload.year,
        title=payload.title,
        office=_drafting_office(request, payload.office_id),
        note=payload.note,
    )
    return HttpStatus(201, _current_plan(request, plan.pk))


@router.put("/{int:plan_id}", response=PlanDetail, summary="修改计划")
@api_allow(*DRAFTERS)
def update_plan(request: HttpRequest, plan_id: Id, payload: PlanEditIn):
    actions.update_plan(
        acting_user=request.user,
        plan=_plan(request, plan_id),
        title=payload.title,
        note=payload.note,
        version=payload.version,
    )
    return _current_plan(request, plan_id)


@router.post("/{int:plan_id}/submit", response=PlanDetail, summary="提交主任会议审定")
@api_allow(*DRAFTERS)
def submit_plan(request: HttpRequest, plan_id: Id, payload: PlanVersionIn):
    actions.submit_plan(
        acting_user=request.user, plan=_plan(request, plan_id), version=_version(payload)
    )
    return _current_plan(request, plan_id)


@router.post("/{int:plan_id}/return", response=PlanDetail, summary="退回修改")
@api_allow(*LEADERS)
def return_plan(request: HttpRequest, plan_id: Id, payload: PlanReasonIn):
    actions.return_plan(
        acting_user=request.user,
        plan=_plan(request, plan_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current_plan(request, plan_id)


@router.post("/{int:plan_id}/approve", response=PlanDetail, summary="主任会议审定")
@api_allow(*LEADERS)
@_body_field_names()
def approve_plan(request: HttpRequest, plan_id: Id, payload: ApproveIn):
    plan = _plan(request, plan_id)
    actions.approve_plan(
        acting_user=request.user,
        plan=plan,
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        party_committee_date=payload.party_committee_date,
        party_committee_note=payload.party_committee_note,
        version=payload.version,
    )
    return _current_plan(request, plan_id)


@router.post("/{int:plan_id}/publish", response=PlanDetail, summary="印发")
@api_allow(*PUBLISHERS)
def publish_plan(request: HttpRequest, plan_id: Id, payload: PlanVersionIn):
    actions.publish_plan(
        acting_user=request.user, plan=_plan(request, plan_id), version=_version(payload)
    )
    return _current_plan(request, plan_id)


# ---------------------------------------------------------------------------------------------
# Items of a draft plan


class ItemIn(Schema):
    title: str
    owner_office_id: Id
    leader_id: Id | None = None
    objective: str = ""
    expected_result: str = ""
    measure: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    invited_deputies: Invitees = 0
    weight: Small = 1  # the action answers 1–100 itself


class NewItemIn(ItemIn):
    parent_id: Id | None = Field(None, description="上级事项（同一计划内）")


class ItemEditIn(ItemIn):
    version: Version


def _item_fields(payload: ItemIn) -> ItemFields:
    leader = None
    if payload.leader_id is not None:
        leader = _existing(User, payload.leader_id, "leader_id", "分管领导")
    return ItemFields(
        title=payload.title,
        owner_office=_existing(Office, payload.owner_office_id, "owner_office_id", "责任机构"),
        leader=leader,
        objective=payload.objective,
        expected_result=payload.expected_result,
        measure=payload.measure,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        invited_deputies=payload.invited_deputies,
        weight=payload.weight,
    )


@router.post("/{int:plan_id}/items", response={201: ItemDetail}, summary="增加事项")
@api_allow(*DRAFTERS)
@_body_field_names()
def add_item(request: HttpRequest, plan_id: Id, payload: NewItemIn):
    plan = _plan(request, plan_id)
    parent = None
    if payload.parent_id is not None:
        parent = _existing(PlanItem, payload.parent_id, "parent_id", "上级事项")
    item = actions.add_item(
        acting_user=request.user, plan=plan, values=_item_fields(payload), parent=parent
    )
    return HttpStatus(201, _current_item(request, item.pk))


@router.put("/items/{int:item_id}", response=ItemDetail, summary="修改事项")
@api_allow(*DRAFTERS)
@_body_field_names()
def update_item(request: HttpRequest, item_id: Id, payload: ItemEditIn):
    actions.update_item(
        acting_user=request.user,
        item=_item(request, item_id),
        values=_item_fields(payload),
        version=payload.version,
    )
    return _current_item(request, item_id)


@router.delete("/items/{int:item_id}", response={204: None}, summary="删除事项（含下级事项）")
@api_allow(*DRAFTERS)
def remove_item(request: HttpRequest, item_id: Id, version: Version):
    actions.remove_item(acting_user=request.user, item=_item(request, item_id), version=version)
    return HttpStatus(204, None)


# ---------------------------------------------------------------------------------------------
# Implementation


class MilestoneIn(Schema):
    title: str
    due_on: date


class MilestoneDoneIn(Schema):
    done_on: date | None = Field(None, description="完成日期；省略为今天")
    note: str = ""


class ProgressIn(PlanVersionIn):
    text: str
    percent: Percent = Field(description="0–99；完成请使用“完成事项”")


class CompleteIn(PlanVersionIn):
    result_statement: str


@router.post("/items/{int:item_id}/milestones", response={201: ItemDetail}, summary="设定节点")
@api_allow(*OWNERS)
def add_milestone(request: HttpRequest, item_id: Id, payload: MilestoneIn):
    actions.add_milestone(
        acting_user=request.user,
        item=_item(request, item_id),
        title=payload.title,
        due_on=payload.due_on,
    )
    return HttpStatus(201, _current_item(request, item_id))


@router.post("/milestones/{int:milestone_id}/complete", response=ItemDetail, summary="完成节点")
@api_allow(*OWNERS)
def complete_milestone(request: HttpRequest, milestone_id: Id, payload: MilestoneDoneIn):
    milestone = _milestone(request, milestone_id)
    actions.complete_milestone(
        acting_user=request.user, milestone=milestone, done_on=payload.done_on, note=payload.note
    )
    return _current_item(request, milestone.item_id)


@router.post(
    "/items/{int:item_id}/progress",
    response={201: ItemDetail},
    summary="报告进展（佐证材料请在页面上传）",
)
@api_allow(*OWNERS)
def report_progress(request: HttpRequest, item_id: Id, payload: ProgressIn):
    actions.report_progress(
        acting_user=request.user,
        item=_item(request, item_id),
        text=payload.text,
        percent=payload.percent,
        version=payload.version,
    )
    return HttpStatus(201, _current_item(request, item_id))


@router.post(
    "/items/{int:item_id}/evidence",
    response={201: ItemDetail},
    summary="上传佐证材料（multipart：purpose 与一个或多个 files）",
)
@api_allow(*OWNERS)
def add_evidence(
    request: HttpRequest,
    item_id: Id,
    purpose: Form[str],
    files: File[list[UploadedFile]],
):
    actions.add_evidence(
        acting_user=request.user, item=_item(request, item_id), purpose=purpose, files=files
    )
    return HttpStatus(201, _current_item(request, item_id))


@router.post(
    "/items/{int:item_id}/complete",
    response=ItemDetail,
    summary="完成事项（须已上传成果佐证材料，见 /evidence）",
)
@api_allow(*OWNERS)
def complete_item(request: HttpRequest, item_id: Id, payload: CompleteIn):
    actions.complete_item(
        acting_user=request.user,
        item=_item(request, item_id),
        result_statement=payload.result_statement,
        version=payload.version,
    )
    return _current_item(request, item_id)


# ---------------------------------------------------------------------------------------------
# Change requests


class ChangeIn(Schema):
    kind: inline_choices(ChangeRequest.Kind)
    reason: str
    new_ends_on: date | None = None
    new_expected_result: str = ""
    new_measure: str = ""


class DecisionIn(Schema):
    approve: bool
    note: str = ""


@router.post(
    "/items/{int:item_id}/changes",
    response={201: ItemDetail},
    summary="申请变更（延期、调整、取消）",
)
@api_allow(*OWNERS)
def request_change(request: HttpRequest, item_id: Id, payload: ChangeIn):
    actions.request_change(acting_user=request.user, item=_item(request, item_id), **payload.dict())
    return HttpStatus(201, _current_item(request, item_id))


@router.post("/changes/{int:change_id}/decide", response=ItemDetail, summary="审批变更申请")
@api_allow(*LEADERS)
def decide_change(request: HttpRequest, change_id: Id, payload: DecisionIn):
    change = _change(request, change_id)
    actions.decide_change(
        acting_user=request.user, change=change, approve=payload.approve, note=payload.note
    )
    return _current_item(request, change.item_id)


# ---------------------------------------------------------------------------------------------
# Year-end evaluation


class SelfAssessIn(Schema):
    text: str
    version: Version


class GradeIn(Schema):
    grade: Literal[tuple(GRADES)]  # type: ignore[valid-type]
    note: str = ""
    version: Version


@router.post(
    "/items/{int:item_id}/self-assessment",
    response=ItemDetail,
    summary="年终自评（佐证材料请在页面上传）",
)
@api_allow(*OWNERS)
def self_assess(request: HttpRequest, item_id: Id, payload: SelfAssessIn):
    actions.self_assess(
        acting_user=request.user,
        item=_item(request, item_id),
        text=payload.text,
        version=payload.version,
    )
    return _current_item(request, item_id)


@router.post("/items/{int:item_id}/grade", response=ItemDetail, summary="评定等次（优/良/一般/差）")
@api_allow(*LEADERS)
def grade_item(request: HttpRequest, item_id: Id, payload: GradeIn):
    actions.grade_item(
        acting_user=request.user,
        item=_item(request, item_id),
        grade=payload.grade,
        note=payload.note,
        version=payload.version,
    )
    return _current_item(request, item_id)


# ---------------------------------------------------------------------------------------------
# Excel round-trip and the year-end evaluation (the same functions as the pages)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{int:plan_id}/export.xlsx", summary="导出计划表（.xlsx，可填写进展后导入）")
@api_allow(*READERS)
def export_plan(request: HttpRequest, plan_id: Id):
    plan = _plan(request, plan_id)
    response = HttpResponse(build_plan_xlsx(plan_sheet(plan)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.xlsx"'
    return response


class PlanImportOut(Schema):
    added: Total
    updated: Total
    reported: Total


@router.post(
    "/{int:plan_id}/import",
    response=PlanImportOut,
    summary="导入计划表（multipart：file）；有任何错误则整份不导入，逐行返回错误",
)
@api_allow(*DRAFTERS)
def import_plan(request: HttpRequest, plan_id: Id, file: File[UploadedFile]):
    plan = _plan(request, plan_id)
    if not imports.can_import(request.user, plan):
        raise NotAllowed("只有起草机构（计划起草中）或责任机构（计划审定后）可以导入该计划。")
    result = imports.import_plan(acting_user=request.user, plan=plan, data=file.read())
    if not result.ok:
        raise DomainError(
            "import_refused",
            f"导入的文件有 {len(result.errors)} 处问题，未作任何修改。",
            field_errors={
                f"{'第' + str(e.row) + '行' if e.row else '文件'}·{e.column}": e.problem
                for e in result.errors
            },
        )
    return {"added": result.added, "updated": result.updated, "reported": result.reported}


class EvaluationQuery(Schema):
    year: Year | None = None
    office_id: Id | None = None


class EvaluationRowOut(Schema):
    item_id: Id
    plan_title: str
    number: str
    title: str
    owner_office: str
    result_statement: str
    evidence_count: Total
    self_assessment: str
    grade: str
    grade_label: str
    status: str
    progress: Percent
    health: str


class EvaluationOut(Schema):
    year: Year
    title: str
    rows: list[EvaluationRowOut]
    by_grade: list[tuple[str, Total]]


@router.get("/evaluation", response=EvaluationOut, summary="年终评估（按机构或全机关）")
@api_allow(*READERS)
def evaluation(request: HttpRequest, params: Query[EvaluationQuery]):
    today = timezone.localdate()
    office = None
    if params.office_id is not None:
        office = Office.objects.filter(pk=params.office_id).first()
        if office is None:
            raise DomainError("invalid", "没有该工作机构。", field_errors={"office_id": "不存在"})
    report = evaluation_report(year=params.year or today.year, today=today, office=office)
    return {
        "year": report.year,
        "title": report.title,
        "rows": list(report.rows),
        "by_grade": list(report.by_grade),
    }
