"""Every write to plans and their items: one function per move, keyword-only, with the acting user.

Each runs in a transaction, locks the plan (then the item) with select_for_update(), refuses a
move the TRANSITIONS tables or the user's role do not allow (DomainError / NotAllowed, in
Chinese), appends one timeline event and sends its notifications. Progress rolls up by weight in
one function, `recompute_progress`, after every change that can move it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from renda.core.actions import record_event
from renda.core.clock import as_of  # noqa: F401 (the apps' entry point for past work)
from renda.core.clock import now as _now
from renda.core.clock import today as _today
from renda.core.errors import (
    DomainError,
    NotAllowed,
    check_version,
)
from renda.core.models import Office, Role, User
from renda.core.notifications import notify
from renda.core.uploads import delete_files_on_commit, store_upload
from renda.meetings.models import Meeting
from renda.plans import permissions as perms
from renda.plans.models import (
    ITEM_TRANSITIONS,
    OPEN_ITEM_STATES,
    PLAN_TRANSITIONS,
    ChangeRequest,
    Evidence,
    ItemLink,
    ItemStatus,
    Milestone,
    Plan,
    PlanItem,
    PlanKind,
    PlanStatus,
    ProgressReport,
)

GRADES = {"excellent": "优", "good": "良", "fair": "一般", "poor": "差"}


# ---------------------------------------------------------------------------------------------
# Shared steps


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _required_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", f"请填写{label}。", field_errors={field: f"请填写{label}"})
    return value


def _lock_plan(plan: Plan | int, *, version: int | None = None) -> Plan:
    pk = plan.pk if isinstance(plan, Plan) else plan
    locked = (
        Plan.objects.select_for_update(of=("self",)).select_related("office").filter(pk=pk).first()
    )
    if locked is None:
        raise DomainError("not_found", "该计划不存在或已被删除。")
    check_version(locked, version, "计划")
    return locked


def _lock_item(item: PlanItem | int, *, version: int | None = None) -> PlanItem:
    """Lock the item's plan first, then the item: one lock order for every action."""
    pk = item.pk if isinstance(item, PlanItem) else item
    plan_id = PlanItem.objects.filter(pk=pk).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise DomainError("not_found", "该事项不存在或已被删除。")
    plan = _lock_plan(plan_id)
    locked = (
        PlanItem.objects.select_for_update(of=("self",))
        .select_related("owner_office", "leader")
        .get(pk=pk)
    )
    locked.plan = plan
    check_version(locked, version, "事项")
    return locked


def _bump(row, *fields: str) -> None:
    row.version += 1
    row.save(update_fields=[*fields, "version"])


def _event(target, *, actor, verb: str, summary: str, note: str = "", **states) -> None:
    record_event(
        target=target,
        actor=actor,
        verb=verb,
        summary=summary,
        note=note,
        from_state=states.get("from_state", ""),
        to_state=states.get("to_state", ""),
        at=_now(),
    )


def _notify(**kwargs) -> None:
    notify(at=_now(), **kwargs)


def _office_staff(office_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.STAFF, memberships__office_id=office_id
        ).distinct()
    )


def _leaders() -> list[User]:
    return list(User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct())


def _plan_url(plan: Plan) -> str:
    return reverse("plans:detail", args=[plan.pk])


def _item_url(item: PlanItem) -> str:
    return reverse("plans:item", args=[item.pk])


def _drafting(user: User, plan: Plan) -> None:
    _require(perms.drafts(user, plan), f"只有{plan.office.name}可以编写该计划。")
    if plan.status != PlanStatus.DRAFT:
        raise DomainError(
            "not_draft",
            f"计划当前为“{plan.get_status_display()}”，已不能直接修改；"
            "审定后的事项变更请提出变更申请。",
        )


def _owning(user: User, item: PlanItem) -> None:
    _require(perms.owns(user, item), f"只有责任机构（{item.owner_office.name}）可以办理该事项。")


def _binding_open(item: PlanItem, doing: str) -> None:
    if not item.plan.is_binding:
        raise DomainError("not_binding", f"计划尚未审定，不能{doing}。")
    if not item.is_open:
        raise DomainError(
            "invalid_transition", f"事项当前为“{item.get_status_display()}”，不能{doing}。"
        )


def _leader_only(user: User, doing: str) -> None:
    _require(perms.is_leader(user), f"只有常委会领导可以{doing}。")


def _move_item(item: PlanItem, to: str, doing: str) -> str:
    if to not in ITEM_TRANSITIONS[item.status]:
        raise DomainError(
            "invalid_transition", f"事项当前为“{item.get_status_display()}”，不能{doing}。"
        )
    before = item.status
    item.status = to
    return before


# ---------------------------------------------------------------------------------------------
# Plans


@transaction.atomic
def create_plan(
    *,
    acting_user: User,
    kind: str,
    year: int,
    title: str,
    office: Office,
    note: str = "",
) -> Plan:
    if kind not in PlanKind.values:
        raise DomainError("invalid", "请选择计划类别。", field_errors={"kind": "请选择"})
    if not 2000 <= year <= 2100:
        raise DomainError("invalid", "年度不正确。", field_errors={"year": "年度不正确"})
    title = _required_text(title, "title", "计划名称")
    _require(
        acting_user.roles.is_admin or office.pk in acting_user.roles.office_ids,
        "只能为本机构起草计划。",
    )
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                kind=kind,
                year=year,
                title=title,
                office=office,
                note=note.strip(),
                created_by=acting_user,
                created_at=_now(),
            )
    except IntegrityError as exc:
        raise DomainError(
            "duplicate_plan",
            f"{office.name}{year}年已有{PlanKind(kind).label}。",
            field_errors={"kind": "重复"},
        ) from exc
    _event(plan, actor=acting_user, verb="draft", summary=f"起草{plan.title}")
    return plan


@transaction.atomic
def update_plan(
    *, acting_user: User, plan: Plan, title: str, note: str = "", version: int | None = None
) -> Plan:
    plan = _lock_plan(plan, version=version)
    _drafting(acting_user, plan)
    plan.title = _required_text(title, "title", "计划名称")
    plan.note = note.strip()
    _bump(plan, "title", "note")
    _event(plan, actor=acting_user, verb="edit", summary="修改计划")
    return plan


def _unmeasurable(plan: Plan) -> list[str]:
    return [
        f"“{item.title}”"
        for item in plan.items.order_by("position", "id")
        if not item.has_measurable_result or item.ends_on is None
    ]


@transaction.atomic
def submit_plan(*, acting_user: User, plan: Plan, version: int | None = None) -> Plan:
    """A plan without measurable results cannot be submitted: every item says what result it
    must reach, how that is measured, and by when."""
    plan = _lock_plan(plan, version=version)
    _drafting(acting_user, plan)
    if not plan.items.exists():
        raise DomainError("no_items", "计划还没有事项，不能提交。")
    missing = _unmeasurable(plan)
    if missing:
        raise DomainError(
            "not_measurable",
            "以下事项缺少预期成果、成果衡量方式或完成期限，不能提交：" + "、".join(missing) + "。",
            field_errors={"items": "缺少可衡量的成果"},
        )
    plan.status = PlanStatus.SUBMITTED
    plan.return_reason = ""
    _bump(plan, "status", "return_reason")
    _event(
        plan,
        actor=acting_user,
        verb="submit",
        summary="提交主任会议审定",
        from_state=PlanStatus.DRAFT,
        to_state=PlanStatus.SUBMITTED,
    )
    _notify(
        users=_leaders(),
        title=f"计划待审定：{plan.title}",
        url=_plan_url(plan),
        key=f"plan:{plan.pk}:submitted:{plan.version}",
    )
    return plan


@transaction.atomic
def return_plan(*, acting_user: User, plan: Plan, reason: str, version: int | None = None) -> Plan:
    plan = _lock_plan(plan, version=version)
    _leader_only(acting_user, "退回计划")
    reason = _required_text(reason, "reason", "退回理由")
    if plan.status != PlanStatus.SUBMITTED:
        raise DomainError("invalid_transition", "只有待审定的计划可以退回。")
    plan.status = PlanStatus.DRAFT
    plan.return_reason = reason
    _bump(plan, "status", "return_reason")
    _event(
        plan,
        actor=acting_user,
        verb="return",
        summary="退回修改",
        note=reason,
        from_state=PlanStatus.SUBMITTED,
        to_state=PlanStatus.DRAFT,
    )
    _notify(
        users=_office_staff(plan.office_id),
        title=f"计划被退回修改：{plan.title}",
        body=reason,
        url=_plan_url(plan),
        key=f"plan:{plan.pk}:returned:{plan.version}",
    )
    return plan


@transaction.atomic
def approve_plan(
    *,
    acting_user: User,
    plan: Plan,
    meeting: Meeting,
    party_committee_date: date | None = None,
    party_committee_note: str = "",
    version: int | None = None,
) -> Plan:
    """Record the approval at a director meeting (and, for the kinds that need it, the party
    committee's standing meeting). From now on the plan binds."""
    plan = _lock_plan(plan, version=version)
    _leader_only(acting_user, "审定计划")
    if PlanStatus.APPROVED not in PLAN_TRANSITIONS[plan.status]:
        raise DomainError(
            "invalid_transition", f"计划当前为“{plan.get_status_display()}”，不能审定。"
        )
    if meeting.kind != Meeting.Kind.DIRECTOR:
        raise DomainError(
            "invalid",
            "计划由主任会议审定，请选择主任会议。",
            field_errors={"meeting": "应为主任会议"},
        )
    if plan.needs_party_committee and party_committee_date is None:
        raise DomainError(
            "required",
            f"{plan.get_kind_display()}还须经区委常委会审定，请填写审定日期。",
            field_errors={"party_committee_date": "请填写"},
        )
    plan.status = PlanStatus.APPROVED
    plan.approved_meeting = meeting
    plan.party_committee_date = party_committee_date
    plan.party_committee_note = party_committee_note.strip()
    plan.approved_at = _now()
    _bump(
        plan,
        "status",
        "approved_meeting",
        "party_committee_date",
        "party_committee_note",
        "approved_at",
    )
    _event(
        plan,
        actor=acting_user,
        verb="approve",
        summary=f"经{meeting.title}审定",
        from_state=PlanStatus.SUBMITTED,
        to_state=PlanStatus.APPROVED,
    )
    owners = set(plan.items.values_list("owner_office_id", flat=True)) | {plan.office_id}
    _notify(
        users=[u for office_id in owners for u in _office_staff(office_id)],
        title=f"计划已审定，请抓好落实：{plan.title}",
        url=_plan_url(plan),
        key=f"plan:{plan.pk}:approved",
    )
    return plan


@transaction.atomic
def publish_plan(*, acting_user: User, plan: Plan, version: int | None = None) -> Plan:
    plan = _lock_plan(plan, version=version)
    _require(perms.drafts(acting_user, plan) or perms.is_leader(acting_user), "无权印发该计划。")
    if plan.status != PlanStatus.APPROVED:
        raise DomainError("invalid_transition", "只有已审定的计划可以印发。")
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = _now()
    _bump(plan, "status", "published_at")
    where = "，并向社会公开" if plan.is_public_kind else ""
    _event(
        plan,
        actor=acting_user,
        verb="publish",
        summary=f"印发{where}",
        from_state=PlanStatus.APPROVED,
        to_state=PlanStatus.PUBLISHED,
    )
    return plan


# ---------------------------------------------------------------------------------------------
# Items (while the plan is a draft)


@dataclass(frozen=True)
class ItemFields:
    title: str
    owner_office: Office
    leader: User | None = None
    objective: str = ""
    expected_result: str = ""
    measure: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    invited_deputies: int = 0
    weight: int = 1


def _check_item_fields(values: ItemFields, plan: Plan) -> dict:
    title = _required_text(values.title, "title", "事项名称")
    if values.leader is not None and not values.leader.roles.has(Role.LEADER):
        raise DomainError(
            "invalid", "分管领导应为常委会领导。", field_errors={"leader": "不是领导"}
        )
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise DomainError(
            "invalid", "完成期限不能早于开始日期。", field_errors={"ends_on": "早于开始日期"}
        )
    for day, field in ((values.starts_on, "starts_on"), (values.ends_on, "ends_on")):
        if day and not plan.year - 1 <= day.year <= plan.year + 1:
            raise DomainError(
                "invalid", f"日期应在{plan.year}年度前后。", field_errors={field: "不在计划年度"}
            )
    if not 1 <= values.weight <= 100:
        raise DomainError("invalid", "权重应为 1 到 100。", field_errors={"weight": "1–100"})
    if not 0 <= values.invited_deputies <= 1000:
        raise DomainError(
            "invalid", "邀请代表人数不正确。", field_errors={"invited_deputies": "不正确"}
        )
    data = {f.name: getattr(values, f.name) for f in fields(values)}
    data["title"] = title
    for name in ("objective", "expected_result", "measure"):
        data[name] = (data[name] or "").strip()
    return data


@transaction.atomic
def add_item(
    *,
    acting_user: User,
    plan: Plan,
    values: ItemFields,
    parent: PlanItem | None = None,
) -> PlanItem:
    plan = _lock_plan(plan)
    _drafting(acting_user, plan)
    data = _check_item_fields(values, plan)
    if parent is not None and parent.plan_id != plan.pk:
        raise DomainError("invalid", "上级事项不属于该计划。", field_errors={"parent": "不属于"})
    if parent is not None and parent.parent_id is not None and parent.parent.parent_id is not None:
        raise DomainError("invalid", "事项最多分三级。", field_errors={"parent": "层级过深"})
    siblings = plan.items.filter(parent=parent)
    position = (siblings.aggregate(m=models.Max("position"))["m"] or 0) + 1
    item = PlanItem.objects.create(plan=plan, parent=parent, position=position, **data)
    plan.version += 1
    plan.save(update_fields=["version"])
    _event(plan, actor=acting_user, verb="add_item", summary=f"增加事项：{item.title}")
    _event(item, actor=acting_user, verb="create", summary="列入计划")
    return item


@transaction.atomic
def update_item(
    *, acting_user: User, item: PlanItem, values: ItemFields, version: int | None = None
) -> PlanItem:
    item = _lock_item(item, version=version)
    _drafting(acting_user, item.plan)
    data = _check_item_fields(values, item.plan)
    for name, value in data.items():
        setattr(item, name, value)
    _bump(item, *data)
    _event(item, actor=acting_user, verb="edit", summary="修改事项")
    return item


@transaction.atomic
def remove_item(*, acting_user: User, item: PlanItem, version: int | None = None) -> None:
    item = _lock_item(item, version=version)
    _drafting(acting_user, item.plan)
    plan = item.plan
    title = item.title
    files = list(Evidence.objects.filter(item__in=_subtree(item)).values_list("file", flat=True))
    item.delete()  # children, milestones and links go with it
    plan.version += 1
    plan.save(update_fields=["version"])
    _event(plan, actor=acting_user, verb="remove_item", summary=f"删除事项：{title}")
    delete_files_on_commit(files)


def _subtree(item: PlanItem) -> list[int]:
    ids = [item.pk]
    frontier = [item.pk]
    while frontier:
        frontier = list(
            PlanItem.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return ids


@transaction.atomic
def link_item(
    *, acting_user: User, item: PlanItem, target: models.Model, label: str = ""
) -> ItemLink:
    """Link what carries the item out (a meeting, a suggestion, an inspection…)."""
    item = _lock_item(item)
    _require(
        perms.drafts(acting_user, item.plan) or perms.owns(acting_user, item),
        "只有起草机构或责任机构可以关联落实载体。",
    )
    if item.status == ItemStatus.CANCELLED:
        raise DomainError("invalid_transition", "事项已取消。")
    content_type = ContentType.objects.get_for_model(target)
    label = (label or str(target)).strip()[:200]
    link, created = ItemLink.objects.get_or_create(
        item=item, content_type=content_type, object_id=target.pk, defaults={"label": label}
    )
    if not created:
        raise DomainError("duplicate", "已关联过该落实载体。")
    _bump(item)
    _event(item, actor=acting_user, verb="link", summary=f"关联落实载体：{label}")
    return link


# ---------------------------------------------------------------------------------------------
# Implementation: milestones, progress, completion


@transaction.atomic
def add_milestone(*, acting_user: User, item: PlanItem, title: str, due_on: date) -> Milestone:
    item = _lock_item(item)
    if item.plan.status == PlanStatus.DRAFT:
        _drafting(acting_user, item.plan)
    else:
        _owning(acting_user, item)
        _binding_open(item, "增加节点")
    title = _required_text(title, "title", "节点名称")
    if item.ends_on and due_on > item.ends_on:
        raise DomainError(
            "invalid",
            f"节点期限不能晚于事项完成期限 {item.ends_on}。",
            field_errors={"due_on": "晚于完成期限"},
        )
    milestone = Milestone.objects.create(item=item, title=title, due_on=due_on)
    _bump(item)
    _event(item, actor=acting_user, verb="add_milestone", summary=f"设定节点：{title}（{due_on}）")
    return milestone


@transaction.atomic
def complete_milestone(
    *, acting_user: User, milestone: Milestone, done_on: date | None = None, note: str = ""
) -> Milestone:
    item = _lock_item(milestone.item_id)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    _owning(acting_user, item)
    _binding_open(item, "完成节点")
    if milestone.done_on is not None:
        raise DomainError("already_done", "该节点已完成。")
    done_on = done_on or _today()
    if done_on > _today():
        raise DomainError("invalid", "完成日期不能晚于今天。", field_errors={"done_on": "晚于今天"})
    milestone.done_on = done_on
    milestone.note = note.strip()
    milestone.save(update_fields=["done_on", "note"])
    _bump(item)
    late = "（逾期完成）" if done_on > milestone.due_on else ""
    _event(
        item,
        actor=acting_user,
        verb="complete_milestone",
        summary=f"完成节点：{milestone.title}{late}",
        note=milestone.note,
    )
    return milestone


def _store_evidence(
    uploads: Sequence, *, item: PlanItem, purpose: str, actor: User, report=None
) -> list[Evidence]:
    """Store files after every check of the action has passed, so a refused move leaves none."""
    rows = []
    stored_paths: list[str] = []
    try:
        for upload in uploads:
            stored = store_upload(upload, folder="plans", day=_today())
            stored_paths.append(stored.path)
            rows.append(
                Evidence.objects.create(
                    item=item,
                    report=report,
                    purpose=purpose,
                    file=stored.path,
                    name=stored.name,
                    size=stored.size,
                    content_type=stored.content_type,
                    uploaded_by=actor,
                    uploaded_at=_now(),
                )
            )
    except Exception:
        for path in stored_paths:
            default_storage.delete(path)  # no row will point to it
        raise
    return rows


@transaction.atomic
def report_progress(
    *,
    acting_user: User,
    item: PlanItem,
    text: str,
    percent: int,
    evidence: Sequence = (),
    version: int | None = None,
) -> ProgressReport:
    """The owner office reports what was done, how far the item is, with evidence if any."""
    item = _lock_item(item, version=version)
    _owning(acting_user, item)
    _binding_open(item, "报告进展")
    if item.children.exists():
        raise DomainError("has_children", "有下级事项的事项，进度由下级事项按权重汇总。")
    text = _required_text(text, "text", "进展情况")
    if not isinstance(percent, int) or not 0 <= percent <= 99:
        raise DomainError(
            "invalid",
            "进度应为 0 到 99；完成请使用“完成事项”并提交成果和佐证。",
            field_errors={"percent": "0–99"},
        )
    today = _today()
    report = ProgressReport.objects.create(
        item=item,
        text=text,
        percent=percent,
        reported_on=today,
        reported_by=acting_user,
        created_at=_now(),
    )
    _store_evidence(
        evidence, item=item, purpose=Evidence.Purpose.PROGRESS, actor=acting_user, report=report
    )
    before = item.status
    if item.status == ItemStatus.PLANNED:
        _move_item(item, ItemStatus.IN_PROGRESS, "报告进展")
    item.progress = percent
    item.last_report_on = today
    item.report_count += 1
    _bump(item, "status", "progress", "last_report_on", "report_count")
    _event(
        item,
        actor=acting_user,
        verb="report",
        summary=f"报告进展：{percent}%",
        note=text,
        from_state=before if before != item.status else "",
        to_state=item.status if before != item.status else "",
    )
    recompute_progress(plan=item.plan)
    return report


@transaction.atomic
def add_evidence(
    *, acting_user: User, item: PlanItem, purpose: str, files: Sequence
) -> list[Evidence]:
    """Attach evidence to an open item of a binding plan before completing it (e.g. through the
    API, which uploads first and completes in a second call)."""
    item = _lock_item(item)
    _owning(acting_user, item)
    _binding_open(item, "上传佐证材料")
    if purpose not in Evidence.Purpose.values:
        raise DomainError("invalid", "佐证材料的用途不正确。", field_errors={"purpose": "不正确"})
    if not files:
        raise DomainError("required", "请选择要上传的文件。", field_errors={"files": "请选择文件"})
    rows = _store_evidence(files, item=item, purpose=purpose, actor=acting_user)
    _bump(item)
    names = "、".join(row.name for row in rows)
    label = Evidence.Purpose(purpose).label
    _event(item, actor=acting_user, verb="add_evidence", summary=f"上传{label}：{names}")
    return rows


@transaction.atomic
def complete_item(
    *,
    acting_user: User,
    item: PlanItem,
    result_statement: str,
    evidence: Sequence = (),
    version: int | None = None,
) -> PlanItem:
    """An item is completed only with a result statement and evidence."""
    item = _lock_item(item, version=version)
    _owning(acting_user, item)
    _binding_open(item, "完成")
    if item.children.exclude(status__in=(ItemStatus.COMPLETED, ItemStatus.CANCELLED)).exists():
        raise DomainError("children_open", "下级事项尚未全部完成，不能完成该事项。")
    statement = _required_text(result_statement, "result_statement", "成果说明")
    has_evidence = bool(evidence) or item.evidence.filter(purpose=Evidence.Purpose.RESULT).exists()
    if not has_evidence:
        raise DomainError(
            "evidence_required",
            "完成事项须上传成果佐证材料（如报告、会议纪要、照片）。",
            field_errors={"evidence": "请上传佐证材料"},
        )
    _store_evidence(evidence, item=item, purpose=Evidence.Purpose.RESULT, actor=acting_user)
    before = _move_item(item, ItemStatus.COMPLETED, "完成")
    item.result_statement = statement
    item.progress = 100
    item.completed_on = _today()
    _bump(item, "status", "result_statement", "progress", "completed_on")
    _event(
        item,
        actor=acting_user,
        verb="complete",
        summary="完成事项",
        note=statement,
        from_state=before,
        to_state=ItemStatus.COMPLETED,
    )
    recompute_progress(plan=item.plan)
    users = _leaders() if item.leader is None else [item.leader]
    _notify(
        users=users,
        title=f"事项已完成：{item.title}",
        body=statement,
        url=_item_url(item),
        key=f"plan-item:{item.pk}:completed",
    )
    return item


def recompute_progress(*, plan: Plan) -> int:
    """Roll progress up the tree by weight (Decidim-style): a parent's progress is the weighted
    mean of its children's, cancelled children left out. One read, one bulk write; returns how
    many items changed."""
    items = list(
        PlanItem.objects.filter(plan=plan).only("id", "parent_id", "progress", "weight", "status")
    )
    children: dict[int | None, list[PlanItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    changed: list[PlanItem] = []

    def visit(item: PlanItem) -> int:
        kids = [k for k in children.get(item.pk, []) if k.status != ItemStatus.CANCELLED]
        for kid in children.get(item.pk, []):
            visit(kid)
        if not kids:
            return item.progress
        total = sum(k.weight for k in kids)
        value = round(sum(k.progress * k.weight for k in kids) / total)
        if item.status == ItemStatus.COMPLETED:
            value = 100
        if value != item.progress:
            item.progress = value
            changed.append(item)
        return value

    for root in children.get(None, []):
        visit(root)
    PlanItem.objects.bulk_update(changed, ["progress"])
    return len(changed)


# ---------------------------------------------------------------------------------------------
# Change requests (postpone, adjust, cancel), decided by the leaders


@transaction.atomic
def request_change(
    *,
    acting_user: User,
    item: PlanItem,
    kind: str,
    reason: str,
    new_ends_on: date | None = None,
    new_expected_result: str = "",
    new_measure: str = "",
) -> ChangeRequest:
    item = _lock_item(item)
    _owning(acting_user, item)
    _binding_open(item, "申请变更")
    reason = _required_text(reason, "reason", "变更理由")
    if kind not in ChangeRequest.Kind.values:
        raise DomainError("invalid", "请选择变更类型。", field_errors={"kind": "请选择"})
    late_enough = new_ends_on is not None and not (item.ends_on and new_ends_on <= item.ends_on)
    if kind == ChangeRequest.Kind.POSTPONE and not late_enough:
        raise DomainError(
            "invalid",
            f"延期须填写晚于现完成期限（{item.ends_on}）的日期。",
            field_errors={"new_ends_on": "应晚于现期限"},
        )
    if kind == ChangeRequest.Kind.POSTPONE and new_ends_on <= _today():
        raise DomainError(
            "invalid", "延期后的完成期限应晚于今天。", field_errors={"new_ends_on": "应晚于今天"}
        )
    if kind == ChangeRequest.Kind.POSTPONE and new_ends_on.year > item.plan.year + 1:
        raise DomainError(
            "invalid",
            f"延期不能超过{item.plan.year + 1}年底。",
            field_errors={"new_ends_on": "超出年度"},
        )
    if kind == ChangeRequest.Kind.ADJUST and not (
        new_expected_result.strip() and new_measure.strip()
    ):
        raise DomainError(
            "invalid",
            "调整须写明调整后的预期成果和衡量方式。",
            field_errors={"new_expected_result": "必填", "new_measure": "必填"},
        )
    if item.changes.filter(status=ChangeRequest.Status.REQUESTED).exists():
        raise DomainError("pending_change", "该事项已有待审批的变更申请。")
    change = ChangeRequest.objects.create(
        item=item,
        kind=kind,
        reason=reason,
        new_ends_on=new_ends_on if kind == ChangeRequest.Kind.POSTPONE else None,
        new_expected_result=new_expected_result.strip(),
        new_measure=new_measure.strip(),
        requested_by=acting_user,
        requested_at=_now(),
    )
    _bump(item)
    _event(
        item,
        actor=acting_user,
        verb="request_change",
        summary=f"申请{change.get_kind_display()}",
        note=reason,
    )
    _notify(
        users=[item.leader] if item.leader else _leaders(),
        title=f"事项变更申请待审批（{change.get_kind_display()}）：{item.title}",
        body=reason,
        url=_item_url(item),
        key=f"plan-change:{change.pk}:requested",
    )
    return change


@transaction.atomic
def decide_change(
    *, acting_user: User, change: ChangeRequest, approve: bool, note: str = ""
) -> ChangeRequest:
    item = _lock_item(change.item_id)
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    _leader_only(acting_user, "审批变更申请")
    if change.status != ChangeRequest.Status.REQUESTED:
        raise DomainError("invalid_transition", "该变更申请已审批。")
    if not approve and not note.strip():
        raise DomainError("required", "请写明不同意的理由。", field_errors={"note": "必填"})
    if approve and not item.is_open:
        raise DomainError("invalid_transition", "事项已完成或已取消，无需变更。")
    change.status = ChangeRequest.Status.APPROVED if approve else ChangeRequest.Status.REFUSED
    change.decided_by = acting_user
    change.decided_at = _now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    word = "同意" if approve else "不同意"
    summary = f"{word}{change.get_kind_display()}"
    states: dict[str, str] = {}
    if approve:
        if change.kind == ChangeRequest.Kind.POSTPONE:
            summary += f"：完成期限由 {item.ends_on} 延至 {change.new_ends_on}"
            if _postpone_milestones(item, change.new_ends_on):
                summary += "，未完成的节点相应顺延"
            item.ends_on = change.new_ends_on
            _bump(item, "ends_on")
        elif change.kind == ChangeRequest.Kind.ADJUST:
            item.expected_result = change.new_expected_result
            item.measure = change.new_measure
            _bump(item, "expected_result", "measure")
        else:
            before = _move_item(item, ItemStatus.CANCELLED, "取消")
            _bump(item, "status")
            states = {"from_state": before, "to_state": ItemStatus.CANCELLED}
            _cancel_descendants(item, actor=acting_user, reason=change.reason)
    else:
        _bump(item)
    _event(
        item,
        actor=acting_user,
        verb="decide_change",
        summary=summary,
        note=change.decision_note,
        **states,
    )
    if approve and change.kind == ChangeRequest.Kind.CANCEL:
        recompute_progress(plan=item.plan)
    _notify(
        users=_office_staff(item.owner_office_id),
        title=f"变更申请{word}：{item.title}",
        body=change.decision_note,
        url=_item_url(item),
        key=f"plan-change:{change.pk}:decided",
    )
    return change


def _postpone_milestones(item: PlanItem, new_ends_on: date) -> int:
    """An approved postponement moves the schedule: open milestones slip by as many days as the
    end date, and one that would still be past due is due on the new end date, so the item is
    not overdue. Returns how many moved."""
    delta = new_ends_on - item.ends_on if item.ends_on else None
    today = _today()
    moved = []
    for milestone in item.milestones.filter(done_on=None).select_for_update():
        due = milestone.due_on + delta if delta else milestone.due_on
        if due < today:
            due = new_ends_on
        if due != milestone.due_on:
            milestone.due_on = min(due, new_ends_on)
            moved.append(milestone)
    Milestone.objects.bulk_update(moved, ["due_on"])
    return len(moved)


def _cancel_descendants(item: PlanItem, *, actor: User, reason: str) -> None:
    """Cancelling an item cancels its open sub-items: nothing stays tracked under it."""
    ids = _subtree(item)[1:]
    rows = list(
        PlanItem.objects.select_for_update().filter(pk__in=ids, status__in=OPEN_ITEM_STATES)
    )
    for row in rows:
        before = row.status
        row.status = ItemStatus.CANCELLED
        _bump(row, "status")
        _event(
            row,
            actor=actor,
            verb="cancel",
            summary=f"随上级事项“{item.title}”取消",
            note=reason,
            from_state=before,
            to_state=ItemStatus.CANCELLED,
        )


# ---------------------------------------------------------------------------------------------
# Year-end evaluation


@transaction.atomic
def self_assess(
    *,
    acting_user: User,
    item: PlanItem,
    text: str,
    evidence: Sequence = (),
    version: int | None = None,
) -> PlanItem:
    item = _lock_item(item, version=version)
    _owning(acting_user, item)
    if not item.plan.is_binding or item.status == ItemStatus.CANCELLED:
        raise DomainError("invalid_transition", "只有已审定计划中未取消的事项可以自评。")
    if item.grade:
        raise DomainError("already_graded", "领导已评定，不能再修改自评。")
    item.self_assessment = _required_text(text, "text", "自评内容")
    item.self_assessed_at = _now()
    _store_evidence(evidence, item=item, purpose=Evidence.Purpose.ASSESSMENT, actor=acting_user)
    _bump(item, "self_assessment", "self_assessed_at")
    _event(
        item, actor=acting_user, verb="self_assess", summary="年终自评", note=item.self_assessment
    )
    return item


@transaction.atomic
def grade_item(
    *, acting_user: User, item: PlanItem, grade: str, note: str = "", version: int | None = None
) -> PlanItem:
    item = _lock_item(item, version=version)
    _leader_only(acting_user, "评定等次")
    if grade not in GRADES:
        raise DomainError(
            "invalid", "请选择等次（优、良、一般、差）。", field_errors={"grade": "请选择"}
        )
    if not item.self_assessed_at:
        raise DomainError("no_assessment", "责任机构尚未自评，暂不能评定。")
    if item.status == ItemStatus.CANCELLED:
        raise DomainError("invalid_transition", "已取消的事项不评定等次。")
    item.grade = grade
    item.graded_by = acting_user
    item.graded_at = _now()
    _bump(item, "grade", "graded_by", "graded_at")
    _event(item, actor=acting_user, verb="grade", summary=f"评定为“{GRADES[grade]}”", note=note)
    return item
