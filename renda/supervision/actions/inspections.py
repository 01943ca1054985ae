"""Law-enforcement inspections (执法检查, 监督法 31–37): the organ's own example is the test —
which articles and clauses are checked, how many deputies are invited, how the inspection is
organised, when it runs, what problems it finds and how each gets solved.

The office that runs the inspection drafts its plan (content, objects, scope, focus, methods,
steps on working days, organisation, deputies to invite) and submits it; the director meeting
approves or returns it; the office appoints the team and invites deputies of every level, who
accept or decline; the checklist names the law's duties and liabilities clause by clause
(逐条对照); visits, questionnaires, findings and problems lead to the report; the committee's
review opinions go to the bodies (actions.opinions); the inspection closes when every
rectification item is verified, completing its plan item with the report as evidence.

Every function: keyword-only, the acting user first, one transaction; the inspection is locked
first (with the version check), then the row it changes; one timeline event each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse

from renda.core.calendar import WorkCalendar
from renda.core.errors import DomainError
from renda.core.models import Office, Unit, User
from renda.deputies.actions_linked import record_held_activity
from renda.deputies.models import ActivityKind, Deputy, Mandate
from renda.meetings.models import Meeting
from renda.plans import actions as plan_actions
from renda.plans.models import PlanItem
from renda.supervision import permissions as perms
from renda.supervision import queries_inspections as q
from renda.supervision.actions import common
from renda.supervision.models import (
    INSPECTION_TRANSITIONS,
    INVITATION_TRANSITIONS,
    ChecklistClause,
    Inspection,
    InspectionMethod,
    InspectionStatus,
    InspectionStep,
    InvitationStatus,
    LawProvision,
    LawVersion,
    Problem,
    Questionnaire,
    Rectification,
    RectificationStatus,
    ReviewOpinion,
    TeamMember,
    TeamRole,
    Visit,
)

S = InspectionStatus
WHAT = "执法检查"
WEEKDAYS = "一二三四五六日"

# The fields of the inspection plan (执法检查方案) and how a refusal names them.
PLAN_FIELDS: dict[str, str] = {
    "law_version": "检查的法律法规",
    "leader": "检查组组长",
    "content": "检查内容",
    "objects_checked": "检查对象",
    "scope": "检查范围",
    "focus": "检查重点",
    "methods": "检查方式",
    "organisation": "组织形式",
    "deputies_to_invite": "拟邀请代表人数",
    "starts_on": "开始日期",
    "ends_on": "结束日期",
}
TEXT_FIELDS = ("content", "objects_checked", "scope", "focus", "organisation")


# ---------------------------------------------------------------------------------------------
# Shared steps


def inspection_url(inspection: Inspection) -> str:
    return reverse("supervision:inspection", args=[inspection.pk])


def _lock(inspection: Inspection | int, version: int | None = None) -> Inspection:
    pk = inspection.pk if isinstance(inspection, Inspection) else inspection
    return common.lock(Inspection, pk, version=version, what=WHAT)


def _lock_child(model: type[models.Model], row, what: str, version: int | None):
    """Lock the row's inspection first, then the row itself (one lock order everywhere)."""
    pk = row.pk if isinstance(row, models.Model) else row
    inspection_id = model.objects.filter(pk=pk).values_list("inspection_id", flat=True).first()
    if inspection_id is None:
        raise DomainError("not_found", f"该{what}不存在或已被删除。")
    inspection = _lock(inspection_id, version)
    locked = model.objects.select_for_update(of=("self",)).get(pk=pk)
    locked.inspection = inspection
    return inspection, locked


def _office_name(inspection: Inspection) -> str:
    return Office.objects.filter(pk=inspection.office_id).values_list("name", flat=True).first()


def _running(user: User, inspection: Inspection) -> None:
    common.require(
        q.may_run(user, inspection), f"只有{_office_name(inspection)}可以办理该执法检查。"
    )


def _leader_only(user: User, doing: str) -> None:
    common.require(perms.is_leader(user), f"只有常委会领导可以{doing}。")


def _in_state(inspection: Inspection, states, doing: str) -> None:
    if inspection.status not in states:
        raise DomainError(
            "invalid_transition",
            f"执法检查当前为“{inspection.get_status_display()}”，不能{doing}。",
        )


def _invalid(message: str, field: str, short: str | None = None) -> DomainError:
    return DomainError("invalid", message, field_errors={field: short or message})


def _event(inspection: Inspection, actor: User, verb: str, summary: str, **kw) -> None:
    common.event(inspection, actor=actor, verb=verb, summary=summary[:300], **kw)


def _check_workday(day: date, field: str, calendar: WorkCalendar) -> None:
    """A step's dates fall on working days of the work calendar (holidays and 调休 included)."""
    if calendar.is_workday(day):
        return
    name = calendar.day_name(day)
    if not name:
        name = f"星期{WEEKDAYS[day.weekday()]}" if day.weekday() >= 5 else "休息日"
    raise _invalid(f"{day.isoformat()} 是{name}，不是工作日。", field, "不是工作日")


def _check_not_future(day: date, field: str, label: str) -> None:
    if day > common.today():
        raise _invalid(f"{label}不能晚于今天。", field, "晚于今天")


def _names(rows) -> str:
    return "、".join(rows)


# ---------------------------------------------------------------------------------------------
# Creating an inspection


def _check_plan_item(plan_item: PlanItem, office: Office, year: int) -> PlanItem:
    item = PlanItem.objects.select_related("plan", "owner_office").get(pk=plan_item.pk)
    if not item.plan.is_binding:
        raise _invalid(
            "计划事项所属的计划尚未审定，不能据此组织执法检查。", "plan_item", "计划尚未审定"
        )
    if not item.is_open:
        raise _invalid(
            f"计划事项当前为“{item.get_status_display()}”，不能据此组织执法检查。",
            "plan_item",
            "事项已结束",
        )
    if item.owner_office_id != office.pk:
        raise _invalid(
            f"该计划事项由{item.owner_office.name}负责，不是{office.name}的事项。",
            "plan_item",
            "不是本机构的事项",
        )
    if item.plan.year != year:
        raise _invalid(
            f"该计划事项属于{item.plan.year}年度计划，与检查年度不一致。", "year", "年度不一致"
        )
    existing = Inspection.objects.filter(plan_item=item).values_list("title", flat=True).first()
    if existing:
        raise _invalid(f"该计划事项已有执法检查“{existing}”。", "plan_item", "已有执法检查")
    return item


@transaction.atomic
def create_inspection(
    *,
    acting_user: User,
    title: str,
    year: int,
    office: Office,
    plan_item: PlanItem | None = None,
    law_version: LawVersion | None = None,
) -> Inspection:
    """Open an inspection of `office` (its staff, or the admin); a topic of a binding
    supervision plan is linked to its plan item, so the plan shows what carries it out."""
    common.require(perms.runs(acting_user, office.pk), "只能为本机构组织执法检查。")
    title = common.required_text(title, "title", "执法检查名称")[:200]
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise _invalid("年度不正确。", "year", "年度不正确")
    item = _check_plan_item(plan_item, office, year) if plan_item is not None else None
    inspection = Inspection.objects.create(
        title=title,
        year=year,
        office=office,
        plan_item=item,
        law_version=law_version,
        created_by=acting_user,
        created_at=common.now(),
    )
    where = f"（落实计划事项“{item.title}”）" if item else ""
    _event(inspection, acting_user, "create", f"立项：{title}{where}", to_state=S.DRAFT)
    if item is not None:
        plan_actions.link_item(
            acting_user=acting_user, item=item, target=inspection, label=f"执法检查：{title}"
        )
    return inspection


# ---------------------------------------------------------------------------------------------
# The plan (执法检查方案) and its steps


def _clean_methods(methods) -> list[str]:
    if not isinstance(methods, list | tuple):
        raise _invalid("检查方式应为列表。", "methods", "格式不正确")
    unknown = [str(m) for m in methods if m not in InspectionMethod.values]
    if unknown:
        raise _invalid(f"检查方式不正确：{_names(unknown)}。", "methods", "不正确")
    return list(dict.fromkeys(methods))


def _clean_plan(inspection: Inspection, fields: dict) -> dict:
    values: dict = {}
    for name in TEXT_FIELDS:
        if name in fields:
            values[name] = (fields[name] or "").strip()
    if "methods" in fields:
        values["methods"] = _clean_methods(fields["methods"])
    if "deputies_to_invite" in fields:
        count = fields["deputies_to_invite"]
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 1000:
            raise _invalid("拟邀请代表人数应为 0 到 1000。", "deputies_to_invite", "0–1000")
        values["deputies_to_invite"] = count
    if "law_version" in fields:
        values["law_version"] = _clean_law_version(inspection, fields["law_version"])
    if "leader" in fields:
        values["leader"] = _clean_leader(inspection, fields["leader"])
    for name in ("starts_on", "ends_on"):
        if name in fields:
            if fields[name] is not None and not isinstance(fields[name], date):
                raise _invalid(f"{PLAN_FIELDS[name]}不正确。", name, "日期不正确")
            values[name] = fields[name]
    _check_dates(inspection, values.get("starts_on", inspection.starts_on), values, fields)
    return values


def _clean_law_version(inspection: Inspection, version: LawVersion | None):
    if version is not None and not isinstance(version, LawVersion):
        raise _invalid("请选择检查的法律法规。", "law_version", "请选择")
    new_id = version.pk if version is not None else None
    if new_id != inspection.law_version_id and inspection.checklist.exists():
        raise _invalid(
            "已选定的检查条款属于原来的法律法规版本，请先移除检查条款再更换。",
            "law_version",
            "已有检查条款",
        )
    return version


def _clean_leader(inspection: Inspection, leader: User | None):
    if leader is not None and (not isinstance(leader, User) or not leader.is_active):
        raise _invalid("请选择检查组组长。", "leader", "请选择")
    team_leader = inspection.team.filter(role=TeamRole.LEADER).first()
    if team_leader is not None and (leader is None or team_leader.user_id != leader.pk):
        raise _invalid(
            f"检查组已任命{team_leader.name}为组长，请先在检查组中调整。",
            "leader",
            "与检查组不一致",
        )
    return leader


def _check_dates(inspection: Inspection, starts_on, values: dict, fields: dict) -> None:
    ends_on = values.get("ends_on", inspection.ends_on)
    if starts_on and ends_on and ends_on < starts_on:
        raise _invalid("结束日期不能早于开始日期。", "ends_on", "早于开始日期")
    for day, name in ((starts_on, "starts_on"), (ends_on, "ends_on")):
        if name in fields and day and not inspection.year - 1 <= day.year <= inspection.year + 1:
            raise _invalid(f"日期应在{inspection.year}年度前后。", name, "不在检查年度")
    if not ("starts_on" in fields or "ends_on" in fields):
        return
    outside = [
        step.title
        for step in inspection.steps.all()
        if (starts_on and step.starts_on < starts_on) or (ends_on and step.ends_on > ends_on)
    ]
    if outside:
        raise _invalid(
            f"以下检查步骤不在新的起止日期内：{_names(outside)}。请先调整步骤。",
            "starts_on",
            "步骤超出起止日期",
        )


@transaction.atomic
def update_inspection_plan(
    *, acting_user: User, inspection: Inspection, version: int | None = None, **fields
) -> Inspection:
    """Change the plan's fields (only those given) while it is drafted or after it was
    returned."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.DRAFT,), "修改方案")
    unknown = sorted(set(fields) - set(PLAN_FIELDS))
    if unknown:
        raise DomainError("invalid", f"方案中没有这些内容：{_names(unknown)}。")
    values = _clean_plan(inspection, fields)
    for name, value in values.items():
        setattr(inspection, name, value)
    common.bump(inspection, *values)
    changed = _names(label for name, label in PLAN_FIELDS.items() if name in values) or "无"
    _event(inspection, acting_user, "edit", f"修改检查方案：{changed}")
    return inspection


@transaction.atomic
def add_step(
    *,
    acting_user: User,
    inspection: Inspection,
    title: str,
    starts_on: date,
    ends_on: date,
    version: int | None = None,
) -> InspectionStep:
    """A step of the plan (动员部署、自查、实地检查、形成报告…) on working days within the
    inspection's dates."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.DRAFT,), "增加检查步骤")
    title = common.required_text(title, "title", "步骤名称")[:200]
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise _invalid("请填写步骤的开始和结束日期。", "starts_on", "请填写日期")
    if ends_on < starts_on:
        raise _invalid("步骤结束日期不能早于开始日期。", "ends_on", "早于开始日期")
    if inspection.starts_on is None or inspection.ends_on is None:
        raise _invalid("请先在方案中确定检查的起止日期。", "starts_on", "检查日期未定")
    if starts_on < inspection.starts_on or ends_on > inspection.ends_on:
        raise _invalid(
            f"步骤日期应在检查起止日期（{inspection.starts_on} 至 {inspection.ends_on}）之内。",
            "starts_on" if starts_on < inspection.starts_on else "ends_on",
            "超出检查日期",
        )
    calendar = WorkCalendar.load()
    _check_workday(starts_on, "starts_on", calendar)
    _check_workday(ends_on, "ends_on", calendar)
    step = InspectionStep.objects.create(
        inspection=inspection, title=title, starts_on=starts_on, ends_on=ends_on
    )
    common.bump(inspection)
    _event(
        inspection, acting_user, "add_step", f"增加检查步骤：{title}（{starts_on} 至 {ends_on}）"
    )
    return step


@transaction.atomic
def remove_step(
    *, acting_user: User, step: InspectionStep, version: int | None = None
) -> Inspection:
    inspection, step = _lock_child(InspectionStep, step, "检查步骤", version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.DRAFT,), "删除检查步骤")
    title = step.title
    step.delete()
    common.bump(inspection)
    _event(inspection, acting_user, "remove_step", f"删除检查步骤：{title}")
    return inspection


@transaction.atomic
def complete_step(
    *,
    acting_user: User,
    step: InspectionStep,
    done_on: date | None = None,
    note: str = "",
    version: int | None = None,
) -> InspectionStep:
    inspection, step = _lock_child(InspectionStep, step, "检查步骤", version)
    _running(acting_user, inspection)
    _in_state(inspection, q.INVITING_STATES, "完成检查步骤")
    if step.done_on is not None:
        raise DomainError("already_done", f"检查步骤“{step.title}”已于 {step.done_on} 完成。")
    done_on = done_on or common.today()
    _check_not_future(done_on, "done_on", "完成日期")
    _check_workday(done_on, "done_on", WorkCalendar.load())
    step.done_on = done_on
    step.note = (note or "").strip()
    step.save(update_fields=["done_on", "note"])
    common.bump(inspection)
    late = "（逾期完成）" if done_on > step.ends_on else ""
    _event(
        inspection,
        acting_user,
        "complete_step",
        f"完成检查步骤：{step.title}{late}",
        note=step.note,
    )
    return step


# ---------------------------------------------------------------------------------------------
# Submission and approval at the director meeting


def _missing_for_submission(inspection: Inspection) -> dict[str, str]:
    missing: dict[str, str] = {}
    if inspection.law_version_id is None:
        missing["law_version"] = PLAN_FIELDS["law_version"]
    for name in ("content", "objects_checked"):
        if not getattr(inspection, name).strip():
            missing[name] = PLAN_FIELDS[name]
    if not inspection.methods:
        missing["methods"] = PLAN_FIELDS["methods"]
    if not inspection.steps.exists():
        missing["steps"] = "检查步骤"
    if inspection.starts_on is None or inspection.ends_on is None:
        missing["starts_on"] = "起止日期"
    return missing


@transaction.atomic
def submit_inspection_plan(
    *, acting_user: User, inspection: Inspection, version: int | None = None
) -> Inspection:
    """A plan goes to the director meeting only when it says what law, what content, which
    objects, by which methods, in which steps and when."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    before = common.move(inspection, S.SUBMITTED, INSPECTION_TRANSITIONS, "提交方案")
    missing = _missing_for_submission(inspection)
    if missing:
        raise DomainError(
            "incomplete_plan",
            f"方案还缺少：{_names(missing.values())}，不能提交。",
            field_errors={name: "请填写" for name in missing},
        )
    inspection.return_reason = ""
    common.bump(inspection, "status", "return_reason")
    _event(
        inspection,
        acting_user,
        "submit",
        "提交主任会议审定方案",
        from_state=before,
        to_state=inspection.status,
    )
    common.notify(
        users=common.leaders(),
        title=f"执法检查方案待审定：{inspection.title}",
        url=inspection_url(inspection),
        key=f"inspection:{inspection.pk}:submitted:{inspection.version}",
    )
    return inspection


@transaction.atomic
def return_inspection_plan(
    *, acting_user: User, inspection: Inspection, reason: str, version: int | None = None
) -> Inspection:
    inspection = _lock(inspection, version)
    _leader_only(acting_user, "退回执法检查方案")
    before = common.move(inspection, S.DRAFT, INSPECTION_TRANSITIONS, "退回方案")
    inspection.return_reason = common.required_text(reason, "reason", "退回理由")
    common.bump(inspection, "status", "return_reason")
    _event(
        inspection,
        acting_user,
        "return",
        "退回修改方案",
        note=inspection.return_reason,
        from_state=before,
        to_state=inspection.status,
    )
    common.notify(
        users=common.office_staff(inspection.office_id),
        title=f"执法检查方案被退回修改：{inspection.title}",
        body=inspection.return_reason,
        url=inspection_url(inspection),
        key=f"inspection:{inspection.pk}:returned:{inspection.version}",
    )
    return inspection


@transaction.atomic
def approve_inspection_plan(
    *, acting_user: User, inspection: Inspection, meeting: Meeting, version: int | None = None
) -> Inspection:
    inspection = _lock(inspection, version)
    _leader_only(acting_user, "审定执法检查方案")
    before = common.move(inspection, S.APPROVED, INSPECTION_TRANSITIONS, "审定方案")
    if not isinstance(meeting, Meeting) or meeting.kind != Meeting.Kind.DIRECTOR:
        raise _invalid("执法检查方案由主任会议审定，请选择主任会议。", "meeting", "应为主任会议")
    inspection.approved_meeting = meeting
    inspection.approved_at = common.now()
    common.bump(inspection, "status", "approved_meeting", "approved_at")
    _event(
        inspection,
        acting_user,
        "approve",
        f"经{meeting.title}审定方案",
        from_state=before,
        to_state=inspection.status,
    )
    common.notify(
        users=common.office_staff(inspection.office_id),
        title=f"执法检查方案已审定，请组织实施：{inspection.title}",
        url=inspection_url(inspection),
        key=f"inspection:{inspection.pk}:approved",
    )
    return inspection


@transaction.atomic
def start_inspection(
    *, acting_user: User, inspection: Inspection, version: int | None = None
) -> Inspection:
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    before = common.move(inspection, S.INSPECTING, INSPECTION_TRANSITIONS, "开始检查")
    common.bump(inspection, "status")
    _event(
        inspection, acting_user, "start", "开始检查", from_state=before, to_state=inspection.status
    )
    return inspection


# ---------------------------------------------------------------------------------------------
# The team: appointed members and invited deputies


@transaction.atomic
def appoint_team_member(
    *,
    acting_user: User,
    inspection: Inspection,
    role: str,
    user: User | None = None,
    name: str = "",
    title: str = "",
    version: int | None = None,
) -> TeamMember:
    """Appoint a leader (one), a deputy leader, a member of the committee or a staff member;
    with a user account or by name. Deputies are invited (`invite_deputies`), not appointed."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, q.PREPARING_STATES, "调整检查组")
    if role == TeamRole.DEPUTY:
        raise _invalid("人大代表请通过“邀请代表”加入检查组。", "role", "请邀请代表")
    if role not in q.APPOINTED_ROLES:
        raise _invalid("请选择检查组职责。", "role", "请选择")
    name = ((name or "").strip() or (user.get_full_name() if user else ""))[:50]
    if not name:
        raise _invalid("请选择人员或填写姓名。", "name", "请填写姓名")
    if user is not None and inspection.team.filter(user=user).exists():
        raise _invalid(f"{name}已在检查组中。", "user", "已在检查组中")
    changed: list[str] = []
    if role == TeamRole.LEADER:
        _check_one_leader(inspection, user)
        if user is not None and inspection.leader_id is None:
            inspection.leader = user
            changed.append("leader")
    member = TeamMember.objects.create(
        inspection=inspection, role=role, user=user, name=name, title=(title or "").strip()[:200]
    )
    common.bump(inspection, *changed)
    label = TeamRole(role).label
    _event(inspection, acting_user, "appoint", f"检查组{label}：{name}")
    return member


def _check_one_leader(inspection: Inspection, user: User | None) -> None:
    current = inspection.team.filter(role=TeamRole.LEADER).first()
    if current is not None:
        raise _invalid(f"检查组已有组长：{current.name}。", "role", "已有组长")
    if inspection.leader_id is not None and (user is None or user.pk != inspection.leader_id):
        leader = User.objects.get(pk=inspection.leader_id)
        raise _invalid(f"方案确定的检查组组长是{leader.get_full_name()}。", "user", "与方案不一致")


@transaction.atomic
def remove_team_member(
    *, acting_user: User, member: TeamMember, version: int | None = None
) -> Inspection:
    """Take someone off the team (withdraws a deputy's invitation); not once they took part in
    a visit, which the record must keep."""
    inspection, member = _lock_child(TeamMember, member, "检查组成员", version)
    _running(acting_user, inspection)
    _in_state(inspection, q.PREPARING_STATES, "调整检查组")
    if member.visits.exists():
        raise DomainError("has_visits", f"{member.name}已参加检查活动，不能移出检查组。")
    changed = []
    if member.role == TeamRole.LEADER and member.user_id == inspection.leader_id:
        inspection.leader = None
        changed.append("leader")
    if member.role == TeamRole.DEPUTY:
        summary = f"撤回对{member.name}代表的邀请"
    else:
        summary = f"{member.name}不再担任检查组{member.get_role_display()}"
    member.delete()
    common.bump(inspection, *changed)
    _event(inspection, acting_user, "remove_member", summary)
    return inspection


def _level_label(mandates) -> str:
    return "、".join(dict.fromkeys(m.get_level_display() for m in mandates))


@transaction.atomic
def invite_deputies(
    *,
    acting_user: User,
    inspection: Inspection,
    deputies: Sequence[Deputy],
    version: int | None = None,
) -> list[TeamMember]:
    """Invite deputies of any level (district, municipal, provincial, national) holding an
    active mandate; each is told and replies."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    if inspection.status in (S.DRAFT, S.SUBMITTED):
        raise DomainError("invalid_transition", "方案经主任会议审定后才能邀请代表。")
    _in_state(inspection, q.INVITING_STATES, "邀请代表")
    ids = list(dict.fromkeys(d.pk for d in deputies))
    if not ids:
        raise _invalid("请选择要邀请的代表。", "deputies", "请选择")
    rows = {
        d.pk: d
        for d in Deputy.objects.filter(pk__in=ids).prefetch_related(
            models.Prefetch(
                "mandates", queryset=Mandate.objects.active().by_level(), to_attr="active_mandates"
            )
        )
    }
    invited = set(inspection.team.filter(deputy_id__in=ids).values_list("deputy_id", flat=True))
    members = []
    for pk in ids:
        deputy = rows[pk]
        if not deputy.active_mandates:
            raise _invalid(f"{deputy.full_name}没有有效的代表资格，不能邀请。", "deputies")
        if pk in invited:
            raise _invalid(f"{deputy.full_name}已受邀参加该执法检查。", "deputies", "已受邀")
        members.append(
            TeamMember.objects.create(
                inspection=inspection,
                role=TeamRole.DEPUTY,
                deputy=deputy,
                name=deputy.full_name[:50],
                title=deputy.work_position[:200],
                level_label=_level_label(deputy.active_mandates)[:50],
                invitation=InvitationStatus.INVITED,
                invited_at=common.now(),
            )
        )
    common.bump(inspection)
    names = _names(m.name for m in members)
    _event(inspection, acting_user, "invite", f"邀请代表：{names}（{len(members)} 名）")
    for member in members:
        user = rows[member.deputy_id].user
        common.notify(
            users=[user] if user is not None else [],
            title=f"邀请您参加执法检查：{inspection.title}",
            body=_invitation_body(inspection),
            url=reverse("supervision:my_invitations"),
            key=f"inspection-member:{member.pk}:invited",
        )
    return members


def _invitation_body(inspection: Inspection) -> str:
    if inspection.starts_on and inspection.ends_on:
        when = f"检查时间：{inspection.starts_on} 至 {inspection.ends_on}。"
    else:
        when = ""
    return f"{when}请在“我的邀请”中答复是否参加。"


def _lock_invitation(member: TeamMember) -> tuple[Inspection, TeamMember]:
    inspection, locked = _lock_child(TeamMember, member, "邀请", None)
    if locked.role != TeamRole.DEPUTY:
        raise DomainError("not_found", "该邀请不存在或已撤回。")
    locked.deputy = Deputy.objects.get(pk=locked.deputy_id)
    return inspection, locked


def _reply(inspection: Inspection, member: TeamMember, *, accept: bool, note: str) -> str:
    """Move the invitation; the rules are the same whoever records the reply."""
    if inspection.status not in q.INVITING_STATES:
        raise DomainError(
            "invalid_transition",
            f"执法检查当前为“{inspection.get_status_display()}”，不能再答复邀请。",
        )
    to = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    doing = "接受" if accept else "谢绝"
    if to not in INVITATION_TRANSITIONS[member.invitation]:
        raise DomainError(
            "invalid_transition", f"邀请当前为“{member.get_invitation_display()}”，不能再{doing}。"
        )
    before = member.invitation
    member.invitation = to
    member.replied_at = common.now()
    member.reply_note = note[:200]
    member.save(update_fields=["invitation", "replied_at", "reply_note"])
    return before


@transaction.atomic
def reply_invitation(
    *, acting_user: User, member: TeamMember, accept: bool, note: str = ""
) -> TeamMember:
    """The invited deputy accepts or declines (a decline needs no reason; a note is kept). The
    office is told."""
    inspection, member = _lock_invitation(member)
    common.require(q.may_reply(acting_user, member), "只有受邀代表本人可以答复邀请。")
    note = (note or "").strip()
    before = _reply(inspection, member, accept=accept, note=note)
    word = "接受" if accept else "谢绝"
    common.event(
        member,
        actor=acting_user,
        verb="accept" if accept else "decline",
        summary=f"{member.name}代表{word}邀请",
        note=note,
        from_state=before,
        to_state=member.invitation,
    )
    common.notify(
        users=common.office_staff(inspection.office_id),
        title=f"{member.name}代表{word}参加执法检查：{inspection.title}",
        body=note,
        url=inspection_url(inspection),
        key=f"inspection-member:{member.pk}:{member.invitation}:{member.replied_at.isoformat()}",
    )
    return member


@transaction.atomic
def record_reply_for_deputy(
    *, acting_user: User, member: TeamMember, accept: bool, note: str = ""
) -> TeamMember:
    """Office staff record a reply a deputy gave by phone: the same rules; the record says who
    entered it."""
    inspection, member = _lock_invitation(member)
    _running(acting_user, inspection)
    extra = (note or "").strip()
    note = f"电话答复，由{acting_user.get_full_name()}代为登记" + (f"：{extra}" if extra else "")
    before = _reply(inspection, member, accept=accept, note=note)
    word = "接受" if accept else "谢绝"
    common.event(
        member,
        actor=acting_user,
        verb="accept" if accept else "decline",
        summary=f"{member.name}代表{word}邀请（代为登记）",
        note=note,
        from_state=before,
        to_state=member.invitation,
    )
    return member


# ---------------------------------------------------------------------------------------------
# The checklist (逐条对照)


def _clean_bodies(bodies) -> list[Unit]:
    bodies = list(bodies or [])
    if any(not isinstance(unit, Unit) for unit in bodies):
        raise _invalid("请选择责任主体。", "bodies", "请选择")
    return list({unit.pk: unit for unit in bodies}.values())


def _clean_duty(duty_kind: str, duty: str, citation: str) -> tuple[str, str]:
    if duty_kind not in ChecklistClause.DutyKind.values:
        raise _invalid("请选择类型（法定职责或法律责任）。", "duty_kind", "请选择")
    duty = (duty or "").strip()
    if not duty:
        raise _invalid(f"请填写{citation}检查的职责或责任。", "duty", "请填写")
    return duty_kind, duty


@transaction.atomic
def choose_clauses(
    *,
    acting_user: User,
    inspection: Inspection,
    entries: Sequence[tuple[LawProvision, str, str, Sequence[Unit]]],
    version: int | None = None,
) -> list[ChecklistClause]:
    """Add articles, clauses or items of the inspected law to the checklist, each with the duty
    or liability checked against it (blank: the provision's own text) and the bodies
    concerned; each provision once."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, q.PREPARING_STATES, "选定检查条款")
    if inspection.law_version_id is None:
        raise _invalid("请先在方案中确定检查的法律法规。", "law_version", "未确定")
    if not entries:
        raise _invalid("请选择检查条款。", "provisions", "请选择")
    law = LawVersion.objects.select_related("law").get(pk=inspection.law_version_id)
    citations = q.provision_citations(law)
    taken = set(inspection.checklist.values_list("provision_id", flat=True))
    position = inspection.checklist.aggregate(m=models.Max("position"))["m"] or 0
    prepared = []
    for provision, duty_kind, duty, bodies in entries:
        if provision.version_id != inspection.law_version_id:
            raise _invalid(
                f"{q.citation_of(provision)}不属于《{law.law.title}》（{law.label}），"
                "不能列入检查条款。",
                "provisions",
                "不属于所检查的法律法规",
            )
        citation = citations[provision.pk]
        if provision.kind not in q.CHECKABLE_KINDS:
            raise _invalid(
                f"{citation}是{provision.get_kind_display()}，请选择条、款或项。", "provisions"
            )
        if provision.pk in taken:
            raise _invalid(f"{citation}已列入检查条款。", "provisions", "已列入")
        taken.add(provision.pk)
        # A blank duty is the provision's own words: what the law itself requires.
        duty = (duty or "").strip() or provision.text.strip()
        duty_kind, duty = _clean_duty(duty_kind, duty, citation)
        position += 1
        prepared.append((provision, citation, position, duty_kind, duty, _clean_bodies(bodies)))
    rows = []
    for provision, citation, pos, duty_kind, duty, units in prepared:
        row = ChecklistClause.objects.create(
            inspection=inspection,
            provision=provision,
            citation=citation[:100],
            position=pos,
            duty_kind=duty_kind,
            duty=duty,
        )
        row.bodies.set(units)
        rows.append(row)
    common.bump(inspection)
    _event(
        inspection,
        acting_user,
        "choose_clauses",
        f"选定检查条款：{_names(r.citation for r in rows)}（{len(rows)} 条）",
    )
    return rows


@transaction.atomic
def update_clause(
    *,
    acting_user: User,
    clause: ChecklistClause,
    duty_kind: str,
    duty: str,
    bodies: Sequence[Unit],
    version: int | None = None,
) -> ChecklistClause:
    inspection, clause = _lock_child(ChecklistClause, clause, "检查条款", version)
    _running(acting_user, inspection)
    _in_state(inspection, q.PREPARING_STATES, "修改检查条款")
    clause.duty_kind, clause.duty = _clean_duty(duty_kind, duty, clause.citation)
    units = _clean_bodies(bodies)
    clause.save(update_fields=["duty_kind", "duty"])
    clause.bodies.set(units)
    common.bump(inspection)
    _event(inspection, acting_user, "update_clause", f"修改检查条款：{clause.citation}")
    return clause


@transaction.atomic
def remove_clause(
    *, acting_user: User, clause: ChecklistClause, version: int | None = None
) -> Inspection:
    inspection, clause = _lock_child(ChecklistClause, clause, "检查条款", version)
    _running(acting_user, inspection)
    _in_state(inspection, q.PREPARING_STATES, "移除检查条款")
    if clause.problems.exists():
        raise DomainError(
            "has_problems", f"{clause.citation}下已有发现的问题，不能移除；请先处理这些问题。"
        )
    citation = clause.citation
    clause.delete()
    common.bump(inspection)
    _event(inspection, acting_user, "remove_clause", f"移除检查条款：{citation}")
    return inspection


@transaction.atomic
def record_finding(
    *,
    acting_user: User,
    clause: ChecklistClause,
    conclusion: str,
    finding: str = "",
    version: int | None = None,
) -> ChecklistClause:
    """What the inspection found against one clause: implemented, partly, or not."""
    inspection, clause = _lock_child(ChecklistClause, clause, "检查条款", version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "记录检查发现")
    Conclusion = ChecklistClause.Conclusion
    if conclusion not in Conclusion.values or conclusion == Conclusion.UNCHECKED:
        raise _invalid("请选择检查结论。", "conclusion", "请选择")
    finding = (finding or "").strip()
    if conclusion != Conclusion.IMPLEMENTED and not finding:
        raise _invalid(
            f"结论为“{Conclusion(conclusion).label}”时，请写明检查发现。", "finding", "请填写"
        )
    clause.conclusion = conclusion
    clause.finding = finding
    clause.save(update_fields=["conclusion", "finding"])
    common.bump(inspection)
    _event(
        inspection,
        acting_user,
        "record_finding",
        f"{clause.citation}：{clause.get_conclusion_display()}",
        note=finding,
    )
    return clause


# ---------------------------------------------------------------------------------------------
# Visits and questionnaires


def _check_participants(inspection: Inspection, participants) -> list[TeamMember]:
    participants = list({m.pk: m for m in participants}.values())
    if not participants:
        raise _invalid("请选择参加检查的人员。", "participants", "请选择")
    rows = {m.pk: m for m in TeamMember.objects.filter(pk__in=[p.pk for p in participants])}
    for one in participants:
        member = rows.get(one.pk)
        if member is None or member.inspection_id != inspection.pk:
            raise _invalid("所选人员不是该检查组的成员。", "participants", "不是检查组成员")
        if member.role == TeamRole.DEPUTY and member.invitation == InvitationStatus.DECLINED:
            raise _invalid(
                f"{member.name}代表已谢绝邀请，不能登记为参加人员。", "participants", "已谢绝"
            )
        if member.role == TeamRole.DEPUTY and member.invitation != InvitationStatus.ACCEPTED:
            raise _invalid(
                f"{member.name}代表尚未接受邀请，不能登记为参加人员。", "participants", "未接受"
            )
    return [rows[p.pk] for p in participants]


@transaction.atomic
def record_visit(
    *,
    acting_user: User,
    inspection: Inspection,
    method: str,
    held_on: date,
    place: str,
    bodies: Sequence[Unit] = (),
    participants: Sequence[TeamMember] = (),
    other_participants: str = "",
    notes: str = "",
    version: int | None = None,
) -> Visit:
    """A site visit, symposium, spot check, third-party assessment or case-file review, and who
    took part: appointed members and the deputies who accepted."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "登记检查活动")
    if method not in InspectionMethod.values:
        raise _invalid("请选择检查方式。", "method", "请选择")
    if method == InspectionMethod.QUESTIONNAIRE:
        raise _invalid("问卷调查请通过“登记问卷调查”记录。", "method", "请登记问卷")
    if not isinstance(held_on, date):
        raise _invalid("请填写检查日期。", "held_on", "请填写")
    _check_not_future(held_on, "held_on", "检查日期")
    place = common.required_text(place, "place", "地点")[:200]
    notes = common.required_text(notes, "notes", "检查记录")
    units = _clean_bodies(bodies)
    members = _check_participants(inspection, participants)
    visit = Visit.objects.create(
        inspection=inspection,
        method=method,
        held_on=held_on,
        place=place,
        other_participants=(other_participants or "").strip()[:500],
        notes=notes,
        recorded_by=acting_user,
    )
    visit.bodies.set(units)
    visit.participants.set(members)
    TeamMember.objects.filter(pk__in=[m.pk for m in members]).update(
        attended_visits=F("attended_visits") + 1
    )
    common.bump(inspection)
    record_held_activity(
        acting_user=acting_user,
        kind=ActivityKind.INSPECTION,
        title=f"执法检查：{inspection.title}（{InspectionMethod(method).label}）",
        day=held_on,
        place=place,
        office=inspection.office,
        deputies=[m.deputy for m in members if m.deputy_id],
        via_label="执法检查组",
        inspection=inspection,
    )
    _event(
        inspection,
        acting_user,
        "record_visit",
        f"{InspectionMethod(method).label}：{place}（{held_on}，{len(members)} 人参加）",
    )
    return visit


@transaction.atomic
def record_questionnaire(
    *,
    acting_user: User,
    inspection: Inspection,
    title: str,
    results: str,
    audience: str = "",
    distributed: int = 0,
    returned: int = 0,
    held_from: date | None = None,
    held_to: date | None = None,
    version: int | None = None,
) -> Questionnaire:
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "登记问卷调查")
    title = common.required_text(title, "title", "问卷名称")[:200]
    results = common.required_text(results, "results", "结果摘要")
    for value, field in ((distributed, "distributed"), (returned, "returned")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _invalid("份数应为不小于 0 的整数。", field, "应为非负整数")
    if returned > distributed:
        raise _invalid("回收份数不能多于发放份数。", "returned", "多于发放份数")
    if held_from and held_to and held_to < held_from:
        raise _invalid("结束日期不能早于开始日期。", "held_to", "早于开始日期")
    for day, field in ((held_from, "held_from"), (held_to, "held_to")):
        if day is not None:
            _check_not_future(day, field, "调查日期")
    row = Questionnaire.objects.create(
        inspection=inspection,
        title=title,
        audience=(audience or "").strip()[:200],
        distributed=distributed,
        returned=returned,
        results=results,
        held_from=held_from,
        held_to=held_to,
    )
    common.bump(inspection)
    _event(
        inspection,
        acting_user,
        "record_questionnaire",
        f"问卷调查：{title}（发放 {distributed} 份，回收 {returned} 份）",
    )
    return row


# ---------------------------------------------------------------------------------------------
# Problems


def _clean_problem(inspection: Inspection, clause, unit, description: str, suggestion: str):
    if clause is not None and (
        not isinstance(clause, ChecklistClause) or clause.inspection_id != inspection.pk
    ):
        raise _invalid("所选条款不属于该执法检查。", "clause", "不属于该执法检查")
    if not isinstance(unit, Unit):
        raise _invalid("请选择问题的责任主体。", "unit", "请选择")
    description = common.required_text(description, "description", "问题")
    return clause, unit, description, (suggestion or "").strip()


def _in_opinion(problem: Problem) -> bool:
    return problem.points.exists() or problem.rectifications.exists()


@transaction.atomic
def add_problem(
    *,
    acting_user: User,
    inspection: Inspection,
    clause: ChecklistClause | None,
    unit: Unit,
    description: str,
    suggestion: str = "",
    version: int | None = None,
) -> Problem:
    """A problem found, tied to the clause it falls short of and the body responsible."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "登记发现的问题")
    clause, unit, description, suggestion = _clean_problem(
        inspection, clause, unit, description, suggestion
    )
    position = (inspection.problems.aggregate(m=models.Max("position"))["m"] or 0) + 1
    problem = Problem.objects.create(
        inspection=inspection,
        clause=clause,
        unit=unit,
        position=position,
        description=description,
        suggestion=suggestion,
    )
    common.bump(inspection)
    cited = f"（{clause.citation}）" if clause else ""
    _event(
        inspection,
        acting_user,
        "add_problem",
        f"发现问题{position}：{unit.name}{cited}",
        note=description,
    )
    return problem


@transaction.atomic
def update_problem(
    *,
    acting_user: User,
    problem: Problem,
    clause: ChecklistClause | None,
    unit: Unit,
    description: str,
    suggestion: str = "",
    version: int | None = None,
) -> Problem:
    inspection, problem = _lock_child(Problem, problem, "问题", version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "修改发现的问题")
    if _in_opinion(problem):
        raise DomainError("in_opinion", "该问题已写入审议意见，不能修改。")
    values = _clean_problem(inspection, clause, unit, description, suggestion)
    problem.clause, problem.unit, problem.description, problem.suggestion = values
    problem.save(update_fields=["clause", "unit", "description", "suggestion"])
    common.bump(inspection)
    _event(
        inspection,
        acting_user,
        "update_problem",
        f"修改问题{problem.position}",
        note=problem.description,
    )
    return problem


@transaction.atomic
def remove_problem(
    *, acting_user: User, problem: Problem, version: int | None = None
) -> Inspection:
    inspection, problem = _lock_child(Problem, problem, "问题", version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "删除发现的问题")
    if _in_opinion(problem):
        raise DomainError("in_opinion", "该问题已写入审议意见，不能删除。")
    position, text = problem.position, problem.description
    problem.delete()
    common.bump(inspection)
    _event(inspection, acting_user, "remove_problem", f"删除问题{position}", note=text)
    return inspection


# ---------------------------------------------------------------------------------------------
# The report


@transaction.atomic
def write_report(
    *,
    acting_user: User,
    inspection: Inspection,
    implementation: str,
    suggestions: str = "",
    amendments: str = "",
    version: int | None = None,
) -> Inspection:
    """The report's own sections; its problems are the Problem rows."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.INSPECTING,), "修改检查报告")
    inspection.report_implementation = (implementation or "").strip()
    inspection.report_suggestions = (suggestions or "").strip()
    inspection.report_amendments = (amendments or "").strip()
    common.bump(inspection, "report_implementation", "report_suggestions", "report_amendments")
    _event(inspection, acting_user, "write_report", "修改检查报告")
    return inspection


def _report_gaps(inspection: Inspection) -> list[str]:
    gaps = []
    if not inspection.visits.exists():
        gaps.append("至少一次检查活动（座谈会、实地检查等）")
    if not inspection.report_implementation.strip():
        gaps.append("报告的“法律实施的基本情况”")
    unchecked = list(
        inspection.checklist.filter(conclusion=ChecklistClause.Conclusion.UNCHECKED).values_list(
            "citation", flat=True
        )
    )
    if unchecked:
        gaps.append(f"检查条款的检查结论（{_names(unchecked)}）")
    return gaps


@transaction.atomic
def form_report(
    *, acting_user: User, inspection: Inspection, version: int | None = None
) -> Inspection:
    """The report is formed when the inspection went out at least once, says how the law is
    carried out, and has a conclusion on every clause; every problem names its body (the
    table requires it) so the opinions can go to each body."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    before = common.move(inspection, S.REPORTED, INSPECTION_TRANSITIONS, "形成检查报告")
    gaps = _report_gaps(inspection)
    if gaps:
        raise DomainError("report_incomplete", f"还缺少{'；'.join(gaps)}，不能形成报告。")
    inspection.reported_at = common.now()
    common.bump(inspection, "status", "reported_at")
    problems = inspection.problems.count()
    _event(
        inspection,
        acting_user,
        "form_report",
        f"形成执法检查报告（发现问题 {problems} 个）",
        from_state=before,
        to_state=inspection.status,
    )
    common.notify(
        users=common.leaders(),
        title=f"执法检查报告已形成：{inspection.title}",
        url=inspection_url(inspection),
        key=f"inspection:{inspection.pk}:reported:{inspection.version}",
    )
    return inspection


@transaction.atomic
def reopen_inspection(
    *, acting_user: User, inspection: Inspection, reason: str, version: int | None = None
) -> Inspection:
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    before = common.move(inspection, S.INSPECTING, INSPECTION_TRANSITIONS, "重新检查")
    reason = common.required_text(reason, "reason", "理由")
    inspection.reported_at = None
    common.bump(inspection, "status", "reported_at")
    _event(
        inspection,
        acting_user,
        "reopen",
        "报告退回检查组补充",
        note=reason,
        from_state=before,
        to_state=inspection.status,
    )
    return inspection


# ---------------------------------------------------------------------------------------------
# Review opinions from the problems, closing, publishing


def opinion_title(inspection: Inspection) -> str:
    if inspection.law_version_id:
        law = LawVersion.objects.select_related("law").get(pk=inspection.law_version_id).law
        return f"关于检查《{law.title}》实施情况的报告的审议意见"
    return f"关于{inspection.title}报告的审议意见"


def _point_text(problem: Problem) -> str:
    """ "问题（条款）。建议……。": the first sentence becomes the rectification item's title."""
    cited = f"（{problem.clause.citation}）" if problem.clause_id else ""
    text = f"{problem.description.rstrip('。')}{cited}。"
    if problem.suggestion:
        text += f"建议{problem.suggestion.rstrip('。')}。"
    return text


@transaction.atomic
def draft_opinions_from_problems(
    *, acting_user: User, inspection: Inspection, meeting: Meeting, version: int | None = None
) -> list[ReviewOpinion]:
    """One draft review opinion per body among the problems, its points prefilled from that
    body's problems; bodies that already have an opinion on this inspection are left alone."""
    from renda.supervision.actions.opinions import draft_opinion

    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    _in_state(inspection, (S.REPORTED, S.REVIEWED), "起草审议意见")
    problems = list(inspection.problems.select_related("unit", "clause").order_by("position", "id"))
    if not problems:
        raise DomainError("no_problems", "该执法检查没有发现问题，无需据此起草审议意见。")
    done = set(
        ReviewOpinion.objects.filter(inspection=inspection).values_list("unit_id", flat=True)
    )
    by_unit: dict[int, list[Problem]] = {}
    for problem in problems:
        if problem.unit_id not in done:
            by_unit.setdefault(problem.unit_id, []).append(problem)
    if not by_unit:
        raise DomainError("already_drafted", "发现问题的各责任主体均已有审议意见。")
    title = opinion_title(inspection)
    opinions = [
        draft_opinion(
            acting_user=acting_user,
            unit=rows[0].unit,
            meeting=meeting,
            title=title,
            inspection=inspection,
            points=[(_point_text(p), p) for p in rows],
        )
        for rows in by_unit.values()
    ]
    inspection.review_meeting = meeting
    common.bump(inspection, "review_meeting")
    units = _names(o.unit.name for o in opinions)
    _event(
        inspection,
        acting_user,
        "draft_opinions",
        f"据发现的问题起草审议意见 {len(opinions)} 份：{units}",
    )
    return opinions


def _report_file(inspection: Inspection) -> ContentFile:
    from renda.supervision.exports_inspections import build_inspection_report_docx, report_name

    return ContentFile(
        build_inspection_report_docx(inspection), name=f"{report_name(inspection)}.docx"
    )


@transaction.atomic
def close_inspection(
    *,
    acting_user: User,
    inspection: Inspection,
    result_statement: str,
    version: int | None = None,
) -> Inspection:
    """Close when every rectification item of the inspection is verified (销号); an open plan
    item of the office is completed with the report as its evidence, in the same transaction —
    a refusal there refuses the close."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    before = common.move(inspection, S.CLOSED, INSPECTION_TRANSITIONS, "办结")
    statement = common.required_text(result_statement, "result_statement", "成果说明")
    open_items = (
        Rectification.objects.filter(inspection=inspection)
        .exclude(status=RectificationStatus.VERIFIED)
        .count()
    )
    if open_items:
        raise DomainError("rectification_open", f"还有 {open_items} 项整改事项未销号，不能办结。")
    item = None
    if inspection.plan_item_id:
        item = PlanItem.objects.get(pk=inspection.plan_item_id)
    if item is not None and item.is_open and item.owner_office_id == inspection.office_id:
        plan_actions.complete_item(
            acting_user=acting_user,
            item=item,
            result_statement=statement,
            evidence=[_report_file(inspection)],
        )
    common.bump(inspection, "status")
    _event(
        inspection,
        acting_user,
        "close",
        "执法检查办结",
        note=statement,
        from_state=before,
        to_state=inspection.status,
    )
    common.notify(
        users=common.leaders(),
        title=f"执法检查已办结：{inspection.title}",
        body=statement,
        url=inspection_url(inspection),
        key=f"inspection:{inspection.pk}:closed",
    )
    return inspection


@transaction.atomic
def publish_inspection(
    *, acting_user: User, inspection: Inspection, version: int | None = None
) -> Inspection:
    """Publish the inspection and its report (监督法: reported to deputies and the public)."""
    inspection = _lock(inspection, version)
    _running(acting_user, inspection)
    if inspection.status not in q.REPORTED_STATES:
        raise DomainError(
            "invalid_transition",
            f"执法检查当前为“{inspection.get_status_display()}”，形成报告后才能公开。",
        )
    if inspection.is_published:
        raise DomainError("already_published", "该执法检查已公开。")
    inspection.is_published = True
    common.bump(inspection, "is_published")
    _event(inspection, acting_user, "publish", "向社会公开执法检查报告")
    return inspection
