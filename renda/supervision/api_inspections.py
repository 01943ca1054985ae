"""The supervision API: law-enforcement inspections (执法检查), under
/api/v1/supervision/inspections.

The same actions, reads and rules as the pages. Ids resolve through
queries_inspections.get_inspection_for_user (a step, member, clause or problem through its
inspection): what the caller cannot see is 404; a visible inspection the caller may not act on
is the action's own refusal (403 not_allowed). Every move returns the inspection as it now is
(creations: 201); the report is a Word document at /{id}/report.docx."""

from datetime import date, datetime

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_tools import body_field_names, version_of
from renda.core.api_types import Id, Invitees, Limit, Offset, People, Position, Total, Version, Year
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.models import STATE_LABELS, Office, Unit, User
from renda.deputies.models import Deputy
from renda.meetings.models import Meeting
from renda.plans.models import PlanItem
from renda.supervision import queries_inspections as q
from renda.supervision.actions import inspections as actions
from renda.supervision.exports_inspections import build_inspection_report_docx, report_name
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InspectionMethod,
    InspectionStatus,
    InspectionStep,
    LawProvision,
    LawVersion,
    Problem,
    Rectification,
    ReviewOpinion,
    TeamMember,
    TeamRole,
)

router = Router(tags=["监督工作"])

READERS = ("admin", "leader", "staff", "deputy", "unit")  # deputies and units are narrowed
OFFICE = ("admin", "staff")  # the office running the inspection; narrowed by the actions
LEADERS = ("admin", "leader")
DEPUTY = ("deputy",)
MAX_LIMIT = 200
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# Output


class InspectionRow(Schema):
    id: Id
    title: str
    year: Year
    office_id: Id
    office: str
    law_version_id: Id | None
    law: str | None
    status: str
    status_name: str
    starts_on: date | None
    ends_on: date | None
    leader: str | None
    is_published: bool
    version: Version


class InspectionPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[InspectionRow]


class Ref(Schema):
    id: Id
    name: str


class StepOut(Schema):
    id: Id
    title: str
    starts_on: date
    ends_on: date
    done_on: date | None
    note: str


class MemberOut(Schema):
    id: Id
    role: str
    role_name: str
    user_id: Id | None
    deputy_id: Id | None
    name: str
    title: str
    level_label: str
    invitation: str = Field(
        description="代表的邀请状态：invited / accepted / declined；其他成员为空"
    )
    invitation_name: str
    invited_at: datetime | None
    replied_at: datetime | None
    reply_note: str
    attended_visits: Total


class InvitationCounts(Schema):
    planned: Total = Field(description="方案中拟邀请的代表人数")
    invited: Total
    accepted: Total
    declined: Total
    waiting: Total


class ClauseOut(Schema):
    id: Id
    provision_id: Id
    citation: str
    position: Position
    duty_kind: str
    duty_kind_name: str
    duty: str
    bodies: list[Ref]
    conclusion: str
    conclusion_name: str
    finding: str


class VisitOut(Schema):
    id: Id
    method: str
    method_name: str
    held_on: date
    place: str
    bodies: list[Ref]
    participant_ids: list[Id]
    other_participants: str
    notes: str


class QuestionnaireOut(Schema):
    id: Id
    title: str
    audience: str
    distributed: People
    returned: People
    results: str
    held_from: date | None
    held_to: date | None


class ProblemOut(Schema):
    id: Id
    position: Position
    clause_id: Id | None
    citation: str | None
    unit_id: Id
    unit: str
    description: str
    suggestion: str


class OpinionRef(Schema):
    id: Id
    title: str
    unit: str
    status: str
    status_name: str


class RectificationRef(Schema):
    id: Id
    title: str
    unit: str
    due_on: date
    status: str
    status_name: str


class InspectionEventOut(Schema):
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


class InspectionDetail(InspectionRow):
    plan_item_id: Id | None
    leader_id: Id | None
    content: str
    objects_checked: str
    scope: str
    focus: str
    methods: list[str]
    method_names: list[str]
    organisation: str
    deputies_to_invite: Invitees
    approved_meeting_id: Id | None
    approved_meeting: str | None
    approved_at: datetime | None
    return_reason: str
    report_implementation: str
    report_suggestions: str
    report_amendments: str
    reported_at: datetime | None
    review_meeting_id: Id | None
    created_at: datetime
    steps: list[StepOut]
    team: list[MemberOut]
    invitations: InvitationCounts
    checklist: list[ClauseOut]
    visits: list[VisitOut]
    questionnaires: list[QuestionnaireOut]
    problems: list[ProblemOut]
    opinions: list[OpinionRef]
    rectifications: list[RectificationRef]
    timeline: list[InspectionEventOut]
    actions: list[str] = Field(description="当前用户此刻可以进行的操作（actions 中的函数名）")


class InspectionInvitationOut(Schema):
    id: Id
    inspection_id: Id
    inspection: str
    inspection_status: str
    office: str
    starts_on: date | None
    ends_on: date | None
    invitation: str
    invitation_name: str
    reply_note: str
    replies: list[str] = Field(description="此刻可作的答复：accept / decline")


class InspectionProvisionOut(Schema):
    id: Id
    kind: str
    citation: str
    text: str
    chosen: bool


def _state_name(value: str) -> str:
    for key in (("supervision", "inspection"), ("supervision", "teammember")):
        labels = STATE_LABELS.get(key, {})
        if value in labels:
            return str(labels[value])
    return value


def _row(inspection: Inspection) -> dict:
    version = inspection.law_version
    return {
        "id": inspection.pk,
        "title": inspection.title,
        "year": inspection.year,
        "office_id": inspection.office_id,
        "office": inspection.office.name,
        "law_version_id": inspection.law_version_id,
        "law": f"{version.law.title}（{version.label}）" if version else None,
        "status": inspection.status,
        "status_name": inspection.get_status_display(),
        "starts_on": inspection.starts_on,
        "ends_on": inspection.ends_on,
        "leader": inspection.leader.get_full_name() if inspection.leader_id else None,
        "is_published": inspection.is_published,
        "version": inspection.version,
    }


def _refs(units) -> list[dict]:
    return [{"id": u.pk, "name": u.name} for u in units]


def _member(m: TeamMember) -> dict:
    return {
        "id": m.pk,
        "role": m.role,
        "role_name": m.get_role_display(),
        "user_id": m.user_id,
        "deputy_id": m.deputy_id,
        "name": m.name,
        "title": m.title,
        "level_label": m.level_label,
        "invitation": m.invitation,
        "invitation_name": m.get_invitation_display() if m.invitation else "",
        "invited_at": m.invited_at,
        "replied_at": m.replied_at,
        "reply_note": m.reply_note,
        "attended_visits": m.attended_visits,
    }


def _parts(inspection: Inspection) -> dict:
    """The inspection's rows, each table in one query (two with its many-to-many)."""
    steps = list(inspection.steps.all())
    team = list(inspection.team.select_related("deputy").order_by("role", "id"))
    clauses = list(inspection.checklist.prefetch_related("bodies").order_by("position", "id"))
    visits = list(
        inspection.visits.prefetch_related("bodies", "participants").order_by("held_on", "id")
    )
    problems = list(inspection.problems.select_related("unit", "clause").order_by("position"))
    return {
        "steps": [
            {
                "id": s.pk,
                "title": s.title,
                "starts_on": s.starts_on,
                "ends_on": s.ends_on,
                "done_on": s.done_on,
                "note": s.note,
            }
            for s in steps
        ],
        "team": [_member(m) for m in team],
        "invitations": {"planned": inspection.deputies_to_invite, **q.invitation_counts(team)},
        "checklist": [
            {
                "id": c.pk,
                "provision_id": c.provision_id,
                "citation": c.citation,
                "position": c.position,
                "duty_kind": c.duty_kind,
                "duty_kind_name": c.get_duty_kind_display(),
                "duty": c.duty,
                "bodies": _refs(c.bodies.all()),
                "conclusion": c.conclusion,
                "conclusion_name": c.get_conclusion_display(),
                "finding": c.finding,
            }
            for c in clauses
        ],
        "visits": [
            {
                "id": v.pk,
                "method": v.method,
                "method_name": v.get_method_display(),
                "held_on": v.held_on,
                "place": v.place,
                "bodies": _refs(v.bodies.all()),
                "participant_ids": sorted(m.pk for m in v.participants.all()),
                "other_participants": v.other_participants,
                "notes": v.notes,
            }
            for v in visits
        ],
        "questionnaires": list(
            inspection.questionnaires.values(
                "id",
                "title",
                "audience",
                "distributed",
                "returned",
                "results",
                "held_from",
                "held_to",
            )
        ),
        "problems": [
            {
                "id": p.pk,
                "position": p.position,
                "clause_id": p.clause_id,
                "citation": p.clause.citation if p.clause_id else None,
                "unit_id": p.unit_id,
                "unit": p.unit.name,
                "description": p.description,
                "suggestion": p.suggestion,
            }
            for p in problems
        ],
        "opinions": [
            {
                "id": o.pk,
                "title": o.title,
                "unit": o.unit.name,
                "status": o.status,
                "status_name": o.get_status_display(),
            }
            for o in ReviewOpinion.objects.filter(inspection=inspection)
            .select_related("unit")
            .order_by("id")
        ],
        "rectifications": [
            {
                "id": r.pk,
                "title": r.title,
                "unit": r.unit.name,
                "due_on": r.due_on,
                "status": r.status,
                "status_name": r.get_status_display(),
            }
            for r in Rectification.objects.filter(inspection=inspection)
            .select_related("unit")
            .order_by("due_on", "id")
        ],
        "_counts": q.counts_from(steps, team, clauses, problems),
        "_member_ids": [m.pk for m in team],
    }


def _detail(user: User, inspection: Inspection) -> dict:
    parts = _parts(inspection)
    counts = parts.pop("_counts")
    timeline = q.inspection_timeline(inspection, parts.pop("_member_ids"))
    meeting = inspection.approved_meeting
    return {
        **_row(inspection),
        "plan_item_id": inspection.plan_item_id,
        "leader_id": inspection.leader_id,
        "content": inspection.content,
        "objects_checked": inspection.objects_checked,
        "scope": inspection.scope,
        "focus": inspection.focus,
        "methods": list(inspection.methods),
        "method_names": inspection.method_labels,
        "organisation": inspection.organisation,
        "deputies_to_invite": inspection.deputies_to_invite,
        "approved_meeting_id": inspection.approved_meeting_id,
        "approved_meeting": meeting.title if meeting else None,
        "approved_at": inspection.approved_at,
        "return_reason": inspection.return_reason,
        "report_implementation": inspection.report_implementation,
        "report_suggestions": inspection.report_suggestions,
        "report_amendments": inspection.report_amendments,
        "reported_at": inspection.reported_at,
        "review_meeting_id": inspection.review_meeting_id,
        "created_at": inspection.created_at,
        **parts,
        "timeline": [
            {
                "id": e.pk,
                "at": e.created_at,
                "actor": e.actor.get_full_name() if e.actor_id else None,
                "verb": e.verb,
                "summary": e.summary,
                "from_state": e.from_state,
                "from_state_name": _state_name(e.from_state),
                "to_state": e.to_state,
                "to_state_name": _state_name(e.to_state),
                "note": e.note,
            }
            for e in timeline
        ],
        "actions": sorted(q.inspection_actions(user, inspection, counts=counts)),
    }


def _current(request: HttpRequest, inspection_id: Id) -> dict:
    return _detail(request.user, q.get_inspection_for_user(request.user, inspection_id))


# ---------------------------------------------------------------------------------------------
# Resolving ids


def _inspection(request: HttpRequest, inspection_id: Id) -> Inspection:
    return q.get_inspection_for_user(request.user, inspection_id)


def _child(request: HttpRequest, model, pk: Id):
    """A step, member, clause or problem is found only through an inspection the caller sees."""
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    _inspection(request, row.inspection_id)
    return row


def _existing(model, pk: int, field: str, label: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise DomainError("invalid", f"所选{label}不存在。", field_errors={field: f"{label}不存在"})
    return obj


def _many(model, ids: list[int], field: str, label: str) -> list:
    rows = {row.pk: row for row in model.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise DomainError(
            "invalid",
            f"所选{label}不存在：{'、'.join(map(str, missing))}。",
            field_errors={field: f"{label}不存在"},
        )
    return [rows[pk] for pk in ids]


def _optional(model, pk: int | None, field: str, label: str):
    return None if pk is None else _existing(model, pk, field, label)


# The actions name a field after their argument; the API body names it after the id it carries.
_BODY_FIELDS = {
    "office": "office_id",
    "plan_item": "plan_item_id",
    "law_version": "law_version_id",
    "leader": "leader_id",
    "meeting": "meeting_id",
    "user": "user_id",
    "deputies": "deputy_ids",
    "provisions": "clauses",
    "bodies": "body_ids",
    "participants": "participant_ids",
    "clause": "clause_id",
    "unit": "unit_id",
}


def _body_field_names():
    return body_field_names(_BODY_FIELDS)


# ---------------------------------------------------------------------------------------------
# Reads


class InspectionListQuery(Schema):
    year: Year | None = None
    office: Id | None = None
    status: InspectionStatus | None = None
    law: Id | None = Field(None, description="法律（Law）的编号，含其各版本")
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("/", response=InspectionPage, summary="执法检查列表")
@api_allow(*READERS)
def list_inspections(request: HttpRequest, params: Query[InspectionListQuery]):
    filters = q.InspectionFilters(
        year=params.year, office=params.office, status=params.status or "", law=params.law
    )
    rows = q.inspection_list(request.user, filters)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    items = [_row(i) for i in rows[params.offset : params.offset + limit]]
    return {"count": rows.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get(
    "/invitations", response=list[InspectionInvitationOut], summary="我的执法检查邀请（代表）"
)
@api_allow(*DEPUTY)
def my_invitations(request: HttpRequest):
    return [
        {
            "id": m.pk,
            "inspection_id": m.inspection_id,
            "inspection": m.inspection.title,
            "inspection_status": m.inspection.status,
            "office": m.inspection.office.name,
            "starts_on": m.inspection.starts_on,
            "ends_on": m.inspection.ends_on,
            "invitation": m.invitation,
            "invitation_name": m.get_invitation_display(),
            "reply_note": m.reply_note,
            "replies": sorted(q.reply_moves(m)) if m.inspection.status in q.INVITING_STATES else [],
        }
        for m in q.my_invitations(request.user)[:MAX_LIMIT]
    ]


@router.get("/{int:inspection_id}", response=InspectionDetail, summary="执法检查详情")
@api_allow(*READERS)
def get_inspection(request: HttpRequest, inspection_id: Id):
    return _current(request, inspection_id)


class ProvisionQuery(Schema):
    q: str = Field("", description="按条款编号或内容搜索，如“第二十一条”“培训”")


@router.get(
    "/{int:inspection_id}/provisions",
    response=list[InspectionProvisionOut],
    summary="可选的检查条款（所检查法律版本的条、款、项）",
)
@api_allow(*READERS)
def provisions(request: HttpRequest, inspection_id: Id, params: Query[ProvisionQuery]):
    inspection = _inspection(request, inspection_id)
    if inspection.law_version is None:
        return []
    chosen = set(inspection.checklist.values_list("provision_id", flat=True))
    return [
        {
            "id": row.pk,
            "kind": row.kind,
            "citation": citation,
            "text": row.text,
            "chosen": row.pk in chosen,
        }
        for row, citation in q.provision_choices(inspection.law_version, search=params.q)
    ]


@router.get("/{int:inspection_id}/report.docx", summary="下载执法检查报告（Word）")
@api_allow(*READERS)
def report_docx(request: HttpRequest, inspection_id: Id):
    inspection = _inspection(request, inspection_id)
    return download(
        build_inspection_report_docx(inspection),
        content_type=DOCX,
        filename=f"{report_name(inspection)}.docx",
    )


# ---------------------------------------------------------------------------------------------
# Creating, the plan, its steps, approval


class InspectionVersionIn(Schema):
    version: Version


class CreateIn(Schema):
    title: str
    year: Year
    office_id: Id | None = Field(None, description="承办机构；本人只属一个机构时可省略")
    plan_item_id: Id | None = Field(None, description="年度监督工作计划中的事项")
    law_version_id: Id | None = None


class InspectionPlanIn(InspectionVersionIn):
    """Only the fields sent are changed."""

    law_version_id: Id | None = None
    leader_id: Id | None = None
    content: str | None = None
    objects_checked: str | None = None
    scope: str | None = None
    focus: str | None = None
    methods: list[InspectionMethod] | None = None
    organisation: str | None = None
    deputies_to_invite: Invitees | None = None
    starts_on: date | None = None
    ends_on: date | None = None


class InspectionStepIn(InspectionVersionIn):
    title: str
    starts_on: date
    ends_on: date


class StepDoneIn(Schema):
    done_on: date | None = Field(None, description="完成日期；省略为今天")
    note: str = ""


class InspectionReasonIn(InspectionVersionIn):
    reason: str


class InspectionMeetingIn(InspectionVersionIn):
    meeting_id: Id


def _office(request: HttpRequest, office_id: Id | None) -> Office:
    if office_id is not None:
        return _existing(Office, office_id, "office_id", "承办机构")
    own = list(request.user.roles.office_ids)
    if len(own) != 1:
        raise DomainError("required", "请选择承办机构。", field_errors={"office_id": "请选择"})
    return Office.objects.get(pk=own[0])


@router.post("/", response={201: InspectionDetail}, summary="执法检查立项")
@api_allow(*OFFICE)
@_body_field_names()
def create_inspection(request: HttpRequest, payload: CreateIn):
    inspection = actions.create_inspection(
        acting_user=request.user,
        title=payload.title,
        year=payload.year,
        office=_office(request, payload.office_id),
        plan_item=_optional(PlanItem, payload.plan_item_id, "plan_item_id", "计划事项"),
        law_version=_optional(LawVersion, payload.law_version_id, "law_version_id", "法律法规"),
    )
    return HttpStatus(201, _current(request, inspection.pk))


@router.put("/{int:inspection_id}/plan", response=InspectionDetail, summary="修改检查方案")
@api_allow(*OFFICE)
@_body_field_names()
def update_plan(request: HttpRequest, inspection_id: Id, payload: InspectionPlanIn):
    sent = payload.model_fields_set - {"version"}
    fields = {}
    for name in sent:
        value = getattr(payload, name)
        if name == "law_version_id":
            fields["law_version"] = _optional(LawVersion, value, name, "法律法规")
        elif name == "leader_id":
            fields["leader"] = _optional(User, value, name, "检查组组长")
        elif name == "methods":
            fields["methods"] = [str(m.value) for m in value or []]
        elif name in ("content", "objects_checked", "scope", "focus", "organisation"):
            fields[name] = value or ""
        elif name == "deputies_to_invite":
            fields[name] = value if value is not None else 0
        else:
            fields[name] = value
    actions.update_inspection_plan(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        version=payload.version,
        **fields,
    )
    return _current(request, inspection_id)


@router.post("/{int:inspection_id}/steps", response={201: InspectionDetail}, summary="增加检查步骤")
@api_allow(*OFFICE)
def add_step(request: HttpRequest, inspection_id: Id, payload: InspectionStepIn):
    actions.add_step(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.delete("/steps/{int:step_id}", response=InspectionDetail, summary="删除检查步骤")
@api_allow(*OFFICE)
def remove_step(request: HttpRequest, step_id: Id):
    step = _child(request, InspectionStep, step_id)
    actions.remove_step(acting_user=request.user, step=step)
    return _current(request, step.inspection_id)


@router.post("/steps/{int:step_id}/complete", response=InspectionDetail, summary="完成检查步骤")
@api_allow(*OFFICE)
def complete_step(request: HttpRequest, step_id: Id, payload: StepDoneIn):
    step = _child(request, InspectionStep, step_id)
    actions.complete_step(
        acting_user=request.user, step=step, done_on=payload.done_on, note=payload.note
    )
    return _current(request, step.inspection_id)


@router.post(
    "/{int:inspection_id}/submit", response=InspectionDetail, summary="提交主任会议审定方案"
)
@api_allow(*OFFICE)
def submit_plan(request: HttpRequest, inspection_id: Id, payload: InspectionVersionIn):
    actions.submit_inspection_plan(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        version=version_of(payload),
    )
    return _current(request, inspection_id)


@router.post("/{int:inspection_id}/return", response=InspectionDetail, summary="退回修改方案")
@api_allow(*LEADERS)
def return_plan(request: HttpRequest, inspection_id: Id, payload: InspectionReasonIn):
    actions.return_inspection_plan(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, inspection_id)


@router.post("/{int:inspection_id}/approve", response=InspectionDetail, summary="主任会议审定方案")
@api_allow(*LEADERS)
@_body_field_names()
def approve_plan(request: HttpRequest, inspection_id: Id, payload: InspectionMeetingIn):
    inspection = _inspection(request, inspection_id)
    actions.approve_inspection_plan(
        acting_user=request.user,
        inspection=inspection,
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        version=payload.version,
    )
    return _current(request, inspection_id)


@router.post("/{int:inspection_id}/start", response=InspectionDetail, summary="开始检查")
@api_allow(*OFFICE)
def start(request: HttpRequest, inspection_id: Id, payload: InspectionVersionIn):
    actions.start_inspection(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        version=version_of(payload),
    )
    return _current(request, inspection_id)


# ---------------------------------------------------------------------------------------------
# The team and invitations


class AppointIn(InspectionVersionIn):
    role: TeamRole
    user_id: Id | None = None
    name: str = ""
    title: str = ""


class InspectionInviteIn(InspectionVersionIn):
    deputy_ids: list[Id]


class ReplyIn(Schema):
    accept: bool
    note: str = ""


@router.post(
    "/{int:inspection_id}/team", response={201: InspectionDetail}, summary="任命检查组成员"
)
@api_allow(*OFFICE)
@_body_field_names()
def appoint(request: HttpRequest, inspection_id: Id, payload: AppointIn):
    actions.appoint_team_member(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        role=payload.role,
        user=_optional(User, payload.user_id, "user_id", "人员"),
        name=payload.name,
        title=payload.title,
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.delete("/team/{int:member_id}", response=InspectionDetail, summary="移出检查组（撤回邀请）")
@api_allow(*OFFICE)
def remove_member(request: HttpRequest, member_id: Id):
    member = _child(request, TeamMember, member_id)
    actions.remove_team_member(acting_user=request.user, member=member)
    return _current(request, member.inspection_id)


@router.post(
    "/{int:inspection_id}/invitations",
    response={201: InspectionDetail},
    summary="邀请代表（各级人大代表）",
)
@api_allow(*OFFICE)
@_body_field_names()
def invite(request: HttpRequest, inspection_id: Id, payload: InspectionInviteIn):
    actions.invite_deputies(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        deputies=_many(Deputy, payload.deputy_ids, "deputy_ids", "代表"),
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.post(
    "/invitations/{int:member_id}/reply",
    response=InspectionDetail,
    summary="答复邀请（受邀代表本人）",
)
@api_allow(*DEPUTY)
def reply(request: HttpRequest, member_id: Id, payload: ReplyIn):
    member = q.get_invitation_for_user(request.user, member_id)
    actions.reply_invitation(
        acting_user=request.user, member=member, accept=payload.accept, note=payload.note
    )
    return _current(request, member.inspection_id)


@router.post(
    "/invitations/{int:member_id}/reply-for-deputy",
    response=InspectionDetail,
    summary="代为登记代表的答复（电话答复）",
)
@api_allow(*OFFICE)
def reply_for_deputy(request: HttpRequest, member_id: Id, payload: ReplyIn):
    member = _child(request, TeamMember, member_id)
    actions.record_reply_for_deputy(
        acting_user=request.user, member=member, accept=payload.accept, note=payload.note
    )
    return _current(request, member.inspection_id)


# ---------------------------------------------------------------------------------------------
# The checklist


class ClauseIn(Schema):
    provision_id: Id
    duty_kind: ChecklistClause.DutyKind = ChecklistClause.DutyKind.DUTY
    duty: str = Field("", description="检查的职责或责任；不填则为条文原文")
    body_ids: list[Id] = []


class ChooseIn(InspectionVersionIn):
    clauses: list[ClauseIn]


class ClauseEditIn(Schema):
    duty_kind: ChecklistClause.DutyKind
    duty: str
    body_ids: list[Id] = []


class FindingIn(Schema):
    conclusion: ChecklistClause.Conclusion
    finding: str = ""


@router.post(
    "/{int:inspection_id}/clauses", response={201: InspectionDetail}, summary="选定检查条款"
)
@api_allow(*OFFICE)
@_body_field_names()
def choose_clauses(request: HttpRequest, inspection_id: Id, payload: ChooseIn):
    inspection = _inspection(request, inspection_id)
    entries = [
        (
            _existing(LawProvision, c.provision_id, "clauses", "条款"),
            c.duty_kind,
            c.duty,
            _many(Unit, c.body_ids, "body_ids", "责任主体"),
        )
        for c in payload.clauses
    ]
    actions.choose_clauses(
        acting_user=request.user, inspection=inspection, entries=entries, version=payload.version
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.put("/clauses/{int:clause_id}", response=InspectionDetail, summary="修改检查条款")
@api_allow(*OFFICE)
@_body_field_names()
def update_clause(request: HttpRequest, clause_id: Id, payload: ClauseEditIn):
    clause = _child(request, ChecklistClause, clause_id)
    actions.update_clause(
        acting_user=request.user,
        clause=clause,
        duty_kind=payload.duty_kind,
        duty=payload.duty,
        bodies=_many(Unit, payload.body_ids, "body_ids", "责任主体"),
    )
    return _current(request, clause.inspection_id)


@router.delete("/clauses/{int:clause_id}", response=InspectionDetail, summary="移除检查条款")
@api_allow(*OFFICE)
def remove_clause(request: HttpRequest, clause_id: Id):
    clause = _child(request, ChecklistClause, clause_id)
    actions.remove_clause(acting_user=request.user, clause=clause)
    return _current(request, clause.inspection_id)


@router.post(
    "/clauses/{int:clause_id}/finding", response=InspectionDetail, summary="记录检查结论和发现"
)
@api_allow(*OFFICE)
def record_finding(request: HttpRequest, clause_id: Id, payload: FindingIn):
    clause = _child(request, ChecklistClause, clause_id)
    actions.record_finding(
        acting_user=request.user,
        clause=clause,
        conclusion=payload.conclusion,
        finding=payload.finding,
    )
    return _current(request, clause.inspection_id)


# ---------------------------------------------------------------------------------------------
# Visits, questionnaires, problems


class VisitIn(InspectionVersionIn):
    method: InspectionMethod
    held_on: date
    place: str
    body_ids: list[Id] = []
    participant_ids: list[Id]
    other_participants: str = ""
    notes: str


class QuestionnaireIn(InspectionVersionIn):
    title: str
    audience: str = ""
    distributed: People = Field(0, ge=0)
    returned: People = Field(0, ge=0)
    results: str
    held_from: date | None = None
    held_to: date | None = None


class ProblemIn(Schema):
    clause_id: Id | None = None
    unit_id: Id
    description: str
    suggestion: str = ""


def _problem_values(payload: ProblemIn) -> dict:
    return {
        "clause": _optional(ChecklistClause, payload.clause_id, "clause_id", "检查条款"),
        "unit": _existing(Unit, payload.unit_id, "unit_id", "责任主体"),
        "description": payload.description,
        "suggestion": payload.suggestion,
    }


@router.post(
    "/{int:inspection_id}/visits", response={201: InspectionDetail}, summary="登记检查活动"
)
@api_allow(*OFFICE)
@_body_field_names()
def record_visit(request: HttpRequest, inspection_id: Id, payload: VisitIn):
    actions.record_visit(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        method=payload.method,
        held_on=payload.held_on,
        place=payload.place,
        bodies=_many(Unit, payload.body_ids, "body_ids", "被检查单位"),
        participants=_many(TeamMember, payload.participant_ids, "participant_ids", "参加人员"),
        other_participants=payload.other_participants,
        notes=payload.notes,
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.post(
    "/{int:inspection_id}/questionnaires",
    response={201: InspectionDetail},
    summary="登记问卷调查",
)
@api_allow(*OFFICE)
def record_questionnaire(request: HttpRequest, inspection_id: Id, payload: QuestionnaireIn):
    actions.record_questionnaire(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        **payload.dict(),
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.post(
    "/{int:inspection_id}/problems", response={201: InspectionDetail}, summary="登记发现的问题"
)
@api_allow(*OFFICE)
@_body_field_names()
def add_problem(request: HttpRequest, inspection_id: Id, payload: ProblemIn):
    actions.add_problem(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        **_problem_values(payload),
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.put("/problems/{int:problem_id}", response=InspectionDetail, summary="修改问题")
@api_allow(*OFFICE)
@_body_field_names()
def update_problem(request: HttpRequest, problem_id: Id, payload: ProblemIn):
    problem = _child(request, Problem, problem_id)
    actions.update_problem(acting_user=request.user, problem=problem, **_problem_values(payload))
    return _current(request, problem.inspection_id)


@router.delete("/problems/{int:problem_id}", response=InspectionDetail, summary="删除问题")
@api_allow(*OFFICE)
def remove_problem(request: HttpRequest, problem_id: Id):
    problem = _child(request, Problem, problem_id)
    actions.remove_problem(acting_user=request.user, problem=problem)
    return _current(request, problem.inspection_id)


# ---------------------------------------------------------------------------------------------
# The report, opinions, closing, publishing


class InspectionReportIn(InspectionVersionIn):
    implementation: str
    suggestions: str = ""
    amendments: str = ""


class InspectionCloseIn(InspectionVersionIn):
    result_statement: str


@router.put("/{int:inspection_id}/report", response=InspectionDetail, summary="撰写检查报告")
@api_allow(*OFFICE)
def write_report(request: HttpRequest, inspection_id: Id, payload: InspectionReportIn):
    actions.write_report(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        implementation=payload.implementation,
        suggestions=payload.suggestions,
        amendments=payload.amendments,
        version=payload.version,
    )
    return _current(request, inspection_id)


@router.post("/{int:inspection_id}/form-report", response=InspectionDetail, summary="形成检查报告")
@api_allow(*OFFICE)
def form_report(request: HttpRequest, inspection_id: Id, payload: InspectionVersionIn):
    actions.form_report(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        version=version_of(payload),
    )
    return _current(request, inspection_id)


@router.post(
    "/{int:inspection_id}/reopen", response=InspectionDetail, summary="报告退回检查组补充检查"
)
@api_allow(*OFFICE)
def reopen(request: HttpRequest, inspection_id: Id, payload: InspectionReasonIn):
    actions.reopen_inspection(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        reason=payload.reason,
        version=payload.version,
    )
    return _current(request, inspection_id)


@router.post(
    "/{int:inspection_id}/opinions",
    response={201: InspectionDetail},
    summary="据发现的问题起草审议意见（每个责任主体一份）",
)
@api_allow(*OFFICE)
@_body_field_names()
def draft_opinions(request: HttpRequest, inspection_id: Id, payload: InspectionMeetingIn):
    actions.draft_opinions_from_problems(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        meeting=_existing(Meeting, payload.meeting_id, "meeting_id", "会议"),
        version=payload.version,
    )
    return HttpStatus(201, _current(request, inspection_id))


@router.post(
    "/{int:inspection_id}/close",
    response=InspectionDetail,
    summary="办结（整改事项须全部销号；同时完成计划事项）",
)
@api_allow(*OFFICE)
def close(request: HttpRequest, inspection_id: Id, payload: InspectionCloseIn):
    actions.close_inspection(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        result_statement=payload.result_statement,
        version=payload.version,
    )
    return _current(request, inspection_id)


@router.post("/{int:inspection_id}/publish", response=InspectionDetail, summary="向社会公开")
@api_allow(*OFFICE)
def publish(request: HttpRequest, inspection_id: Id, payload: InspectionVersionIn):
    actions.publish_inspection(
        acting_user=request.user,
        inspection=_inspection(request, inspection_id),
        version=version_of(payload),
    )
    return _current(request, inspection_id)
