"""Every write to a suggestion: one function per move, keyword-only, with the acting user.

Each runs in a transaction, re-reads the row with select_for_update(), refuses a move that the
TRANSITIONS table or the user's role does not allow (DomainError / NotAllowed, in Chinese),
writes with update_fields, appends one timeline event and sends its notifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.urls import reverse

from renda.core.actions import record_event
from renda.core.calendar import WorkCalendar
from renda.core.clock import as_of  # noqa: F401 (the apps' entry point for past work)
from renda.core.clock import now as _now
from renda.core.clock import today as _today
from renda.core.deadlines import DueDate, Period, compute_due
from renda.core.errors import ConflictError, DomainError, NotAllowed, check_version
from renda.core.models import Congress, Office, Role, Street, Unit, User
from renda.core.notifications import notify
from renda.core.uploads import delete_files_on_commit, store_upload
from renda.deputies.models import Deputy, Level
from renda.suggestions import permissions as perms
from renda.suggestions.models import (
    OPEN_STATES,
    REGISTERED_STATES,
    TRANSITIONS,
    Answer,
    AnswerCategory,
    Assignment,
    Attachment,
    Category,
    Contact,
    CoSigner,
    Extension,
    HandlingRules,
    Rating,
    Satisfaction,
    Status,
    Suggestion,
)
from renda.suggestions.queries import deputy_users, leaders, office_staff, unit_users

# ---------------------------------------------------------------------------------------------
# Shared steps


def _lock(suggestion: Suggestion | int, *, version: int | None = None) -> Suggestion:
    """Re-read the row under a lock; refuse if someone saved it since the user read it."""
    pk = suggestion.pk if isinstance(suggestion, Suggestion) else suggestion
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("deputy__user", "category")
        .filter(pk=pk)
        .first()
    )
    if locked is None:
        raise DomainError("not_found", "该建议不存在或已被删除。")
    check_version(locked, version, "建议")
    return locked


def _wrong_state(suggestion: Suggestion, doing: str) -> DomainError:
    return DomainError(
        "invalid_transition", f"当前状态为“{suggestion.get_status_display()}”，不能{doing}。"
    )


def _lock_part(model: type[models.Model], part, missing: str, *related: str):
    """Lock a suggestion's part (assignment, answer, extension, attachment) together with the
    suggestion: the suggestion first, as every action does, so two actions never lock the same
    two rows in opposite orders (a deadlock on PostgreSQL)."""
    pk = part.pk if isinstance(part, models.Model) else part
    suggestion_id = model.objects.filter(pk=pk).values_list("suggestion_id", flat=True).first()
    if suggestion_id is None:
        raise DomainError("not_found", missing)
    suggestion = _lock(suggestion_id)
    locked = (
        model.objects.select_for_update(of=("self",))
        .select_related(*related)
        .filter(pk=pk, suggestion_id=suggestion_id)
        .first()
    )
    if locked is None:
        raise DomainError("not_found", missing)
    return locked, suggestion


def _refuse_move(suggestion: Suggestion, to: str, doing: str) -> None:
    if to not in TRANSITIONS[suggestion.status]:
        raise _wrong_state(suggestion, doing)


def _save(suggestion: Suggestion, *fields: str) -> None:
    suggestion.version += 1
    suggestion.save(update_fields=[*fields, "version"])


def _move(
    suggestion: Suggestion,
    to: str,
    *,
    actor: User | None,
    verb: str,
    summary: str,
    doing: str,
    note: str = "",
    fields: Sequence[str] = (),
    data: dict | None = None,
) -> None:
    _refuse_move(suggestion, to, doing)
    before = suggestion.status
    suggestion.status = to
    _save(suggestion, "status", *fields)
    record_event(
        target=suggestion,
        actor=actor,
        verb=verb,
        summary=summary,
        from_state=before,
        to_state=to,
        note=note,
        data=data,
        at=_now(),
    )


def _notify(**kwargs) -> list:
    """Notify, dated as of the action (so entered past work is not all "new")."""
    return notify(at=_now(), **kwargs)


def _event(suggestion: Suggestion, *, actor, verb: str, summary: str, note: str = "", data=None):
    record_event(
        target=suggestion, actor=actor, verb=verb, summary=summary, note=note, data=data, at=_now()
    )


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _required_text(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", f"请填写{label}。", field_errors={field: f"请填写{label}"})
    return value


def _set_deadline(
    suggestion: Suggestion,
    *,
    start: date,
    period: Period,
    basis: str,
    calendar: WorkCalendar | None = None,
) -> None:
    due = compute_due(start=start, period=period, basis=basis, calendar=calendar)
    suggestion.due_at = due.due
    suggestion.due_start = start
    suggestion.due_period = str(period)
    suggestion.due_basis = basis
    suggestion.due_explanation = due.explanation[:300]
    suggestion.due_provisional_years = list(due.provisional_years)


# A suggestion runs to a few thousand characters; longer is a pasted document.
MAX_CONTENT = 10_000
DEADLINE_FIELDS = (
    "due_at",
    "due_start",
    "due_period",
    "due_basis",
    "due_explanation",
    "due_provisional_years",
)


def _url(suggestion: Suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def _live(suggestion: Suggestion):
    return suggestion.assignments.exclude(status=Assignment.Status.WITHDRAWN)


def _answering_unit_ids(suggestion: Suggestion) -> list[int]:
    return list(
        _live(suggestion)
        .filter(role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE))
        .values_list("unit_id", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# Drafting and submission


def _street_of(deputy: Deputy) -> Street | None:
    """The street of the deputy's active district mandate (suggestions are filed by street)."""
    mandate = (
        deputy.mandates.active()
        .filter(level=Level.DISTRICT, street__isnull=False)
        .select_related("street")
        .first()
    )
    return mandate.street if mandate else None


@transaction.atomic
def save_draft(
    *,
    acting_user: User,
    deputy: Deputy,
    title: str,
    content: str,
    category: Category,
    timing: str,
    kind: str = Suggestion.Kind.SUGGESTION,
    wants_face_to_face: bool = False,
    cosigners: Sequence[Deputy] = (),
    term_number: int | None = None,
    session_number: int | None = None,
    suggestion: Suggestion | None = None,
    version: int | None = None,
) -> Suggestion:
    """Create a draft, or change one. A deputy drafts their own; the assigning office may enter
    one on a deputy's behalf."""
    title = _required_text(title, "title", "标题")
    content = _required_text(content, "content", "建议内容")
    if len(title) > 200:
        raise DomainError("too_long", "标题不能超过 200 字。", field_errors={"title": "太长"})
    if len(content) > MAX_CONTENT:
        raise DomainError(
            "too_long", f"建议内容不能超过 {MAX_CONTENT} 字。", field_errors={"content": "太长"}
        )
    if timing not in Suggestion.Timing.values:
        raise DomainError("invalid", "请选择提出时间。", field_errors={"timing": "请选择"})
    if kind not in Suggestion.Kind.values:
        raise DomainError("invalid", "请选择类型。", field_errors={"kind": "请选择"})
    if not category.is_active:
        raise DomainError("invalid", "该类别已停用。", field_errors={"category": "已停用"})
    co = {d.pk: d for d in cosigners}
    if deputy.pk in co:
        raise DomainError(
            "invalid", "领衔代表不必再列为联名代表。", field_errors={"cosigners": "含领衔代表"}
        )
    if not (acting_user.roles.has(Role.DEPUTY) and deputy.user_id == acting_user.pk) and not (
        perms.handles_suggestions(acting_user)
    ):
        raise NotAllowed("只能以本人名义提出建议；代为录入须由代表工作机构办理。")
    if not deputy.mandates.active().exists():
        raise DomainError("no_mandate", f"{deputy.full_name}没有有效的代表资格，不能提出建议。")
    lapsed = [d.full_name for d in co.values() if not d.mandates.active().exists()]
    if lapsed:
        raise DomainError(
            "no_mandate",
            f"{'、'.join(lapsed)}没有有效的代表资格，不能联名。",
            field_errors={"cosigners": "无有效代表资格"},
        )
    congress = Congress.current()
    fields = {
        "title": title,
        "content": content,
        "category": category,
        "timing": timing,
        "kind": kind,
        "wants_face_to_face": wants_face_to_face,
        "deputy": deputy,
        "street": _street_of(deputy),
        "term_number": term_number or (congress.term_number if congress else 1),
        "session_number": session_number or (congress.session_number if congress else 1),
    }
    if suggestion is None:
        suggestion = Suggestion.objects.create(created_by=acting_user, created_at=_now(), **fields)
        _event(suggestion, actor=acting_user, verb="draft", summary="起草建议")
    else:
        suggestion = _lock(suggestion, version=version)
        _require(perms.may_edit_draft(acting_user, suggestion), "只有起草人可以修改草稿。")
        if suggestion.status != Status.DRAFT:
            raise DomainError("not_draft", "建议已提交，不能再修改草稿。")
        for name, value in fields.items():
            setattr(suggestion, name, value)
        _save(suggestion, *fields)
        _event(suggestion, actor=acting_user, verb="edit_draft", summary="修改草稿")
    existing = {c.deputy_id: c for c in suggestion.cosigners.all()}
    suggestion.cosigners.exclude(deputy_id__in=list(co)).delete()
    CoSigner.objects.bulk_create(
        [CoSigner(suggestion=suggestion, deputy=d) for pk, d in co.items() if pk not in existing]
    )
    return suggestion


@transaction.atomic
def delete_draft(*, acting_user: User, suggestion: Suggestion, version: int | None = None) -> None:
    suggestion = _lock(suggestion, version=version)
    _require(perms.may_edit_draft(acting_user, suggestion), "只有起草人可以删除草稿。")
    if suggestion.status != Status.DRAFT:
        raise DomainError("not_draft", "只能删除草稿。")
    # A draft was never part of the record; its timeline stays (append-only) but points nowhere.
    files = list(suggestion.attachments.values_list("file", flat=True))
    suggestion.cosigners.all().delete()
    suggestion.attachments.all().delete()
    Suggestion.objects.filter(pk=suggestion.pk).delete()
    delete_files_on_commit(files)


@transaction.atomic
def submit(*, acting_user: User, suggestion: Suggestion, version: int | None = None) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _require(perms.may_edit_draft(acting_user, suggestion), "只有起草人可以提交。")
    _refuse_move(suggestion, Status.SUBMITTED, "提交")
    suggestion.submitted_at = _now()
    _move(
        suggestion,
        Status.SUBMITTED,
        actor=acting_user,
        verb="submit",
        summary="提交建议",
        doing="提交",
        fields=["submitted_at"],
    )
    cosigners = suggestion.cosigners.select_related("deputy__user")
    # Keyed on the version: after a withdrawal the co-signers confirm again, so they are asked again.
    _notify(
        users=[c.deputy.user for c in cosigners if c.deputy.user_id],
        title=f"请确认联名：{suggestion.title}",
        body=f"{suggestion.deputy.full_name}代表邀请您联名提出建议，请确认或拒绝。",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:cosign:{suggestion.version}",
    )
    _notify(
        users=office_staff(),
        title=f"新提交的建议待审查：{suggestion.title}",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:submitted:{suggestion.version}",
    )
    return suggestion


@transaction.atomic
def withdraw(
    *, acting_user: User, suggestion: Suggestion, version: int | None = None
) -> Suggestion:
    """Take a submitted suggestion back to draft before the office has reviewed it."""
    suggestion = _lock(suggestion, version=version)
    _require(perms.may_edit_draft(acting_user, suggestion), "只有起草人可以撤回。")
    _refuse_move(suggestion, Status.DRAFT, "撤回")
    suggestion.submitted_at = None
    _move(
        suggestion,
        Status.DRAFT,
        actor=acting_user,
        verb="withdraw",
        summary="撤回建议，退回草稿",
        doing="撤回",
        fields=["submitted_at"],
    )
    suggestion.cosigners.update(status=CoSigner.Status.PENDING, replied_at=None)
    return suggestion


@transaction.atomic
def reply_cosign(*, acting_user: User, suggestion: Suggestion, confirm: bool) -> CoSigner:
    suggestion = _lock(suggestion)
    if suggestion.status != Status.SUBMITTED:
        raise DomainError("invalid_transition", "建议已审查，联名确认已截止。")
    cosigner = perms.cosigner_of(acting_user, suggestion)
    _require(cosigner is not None, "您不是该建议的联名代表。")
    if cosigner.status != CoSigner.Status.PENDING:
        raise DomainError("already_replied", "您已答复过联名邀请。")
    cosigner.status = CoSigner.Status.CONFIRMED if confirm else CoSigner.Status.DECLINED
    cosigner.replied_at = _now()
    cosigner.save(update_fields=["status", "replied_at"])
    _save(suggestion)
    word = "确认联名" if confirm else "拒绝联名"
    _event(
        suggestion, actor=acting_user, verb="cosign", summary=f"{cosigner.deputy.full_name}{word}"
    )
    return cosigner


@transaction.atomic
def record_cosign(
    *, acting_user: User, suggestion: Suggestion, deputy: Deputy, note: str = ""
) -> CoSigner:
    """The office records a co-signer's confirmation given on paper (entering past work)."""
    suggestion = _lock(suggestion)
    _office_only(acting_user, "登记联名确认")
    if suggestion.status != Status.SUBMITTED:
        raise DomainError("invalid_transition", "建议已审查，联名确认已截止。")
    cosigner = suggestion.cosigners.select_related("deputy").filter(deputy=deputy).first()
    if cosigner is None:
        raise DomainError("invalid", f"{deputy.full_name}不是该建议的联名代表。")
    if cosigner.status != CoSigner.Status.PENDING:
        raise DomainError("already_replied", f"{deputy.full_name}已答复过联名邀请。")
    cosigner.status = CoSigner.Status.CONFIRMED
    cosigner.replied_at = _now()
    cosigner.save(update_fields=["status", "replied_at"])
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="cosign",
        summary=f"登记{deputy.full_name}书面确认联名",
        note=note,
    )
    return cosigner


# ---------------------------------------------------------------------------------------------
# Review


def _office_only(user: User, doing: str) -> None:
    _require(perms.handles_suggestions(user), f"只有代表工作机构可以{doing}。")


def _next_number(suggestion: Suggestion) -> int:
    last = Suggestion.objects.for_session(
        suggestion.term_number, suggestion.session_number
    ).aggregate(n=Max("number"))["n"]
    return (last or 0) + 1


def _number(suggestion: Suggestion) -> None:
    """Give the next running number of the session (第N号); a concurrent review that took the
    same number makes the unique constraint refuse, and the user is asked to retry."""
    suggestion.number = _next_number(suggestion)


def _ready_for_register(suggestion: Suggestion, doing: str) -> None:
    """Acceptance and merging both give a number: a motion must be converted first, and every
    co-signer must have replied."""
    if suggestion.kind == Suggestion.Kind.MOTION:
        raise DomainError("motion", "这是议案：请先转为建议，或按议案程序处理。")
    if suggestion.cosigners.filter(status=CoSigner.Status.PENDING).exists():
        raise DomainError("cosigners_pending", f"尚有联名代表未确认，待全部确认或拒绝后再{doing}。")


def _save_numbered(suggestion: Suggestion, fields: Sequence[str], **move) -> None:
    try:
        with transaction.atomic():
            _move(suggestion, fields=fields, **move)
    except IntegrityError as exc:
        raise ConflictError("number_taken", "编号被同时占用，请重试。") from exc


@transaction.atomic
def accept(*, acting_user: User, suggestion: Suggestion, version: int | None = None) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "审查建议")
    _refuse_move(suggestion, Status.ACCEPTED, "立案")
    _ready_for_register(suggestion, "立案")
    _number(suggestion)
    suggestion.accepted_at = _now()
    _save_numbered(
        suggestion,
        ["number", "accepted_at"],
        to=Status.ACCEPTED,
        actor=acting_user,
        verb="accept",
        summary=f"立案，编为第{suggestion.number}号",
        doing="立案",
    )
    _notify(
        users=deputy_users(suggestion),
        title=f"您的建议已立案（第{suggestion.number}号）",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:accepted",
    )
    return suggestion


@transaction.atomic
def decline(
    *, acting_user: User, suggestion: Suggestion, reason: str, version: int | None = None
) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "审查建议")
    _refuse_move(suggestion, Status.DECLINED, "不予立案")
    reason = _required_text(reason, "reason", "不予立案的理由")
    suggestion.decline_reason = reason
    _move(
        suggestion,
        Status.DECLINED,
        actor=acting_user,
        verb="decline",
        summary="不予立案",
        note=reason,
        doing="不予立案",
        fields=["decline_reason"],
    )
    _notify(
        users=deputy_users(suggestion),
        title=f"您的建议未予立案：{suggestion.title}",
        body=reason,
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:declined",
    )
    return suggestion


@transaction.atomic
def convert_motion(
    *, acting_user: User, suggestion: Suggestion, note: str = "", version: int | None = None
) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "转为建议")
    if suggestion.status != Status.SUBMITTED or suggestion.kind != Suggestion.Kind.MOTION:
        raise DomainError("invalid_transition", "只有待审查的议案可以转为建议。")
    suggestion.kind = Suggestion.Kind.SUGGESTION
    _save(suggestion, "kind")
    _event(suggestion, actor=acting_user, verb="convert", summary="议案转为建议", note=note)
    return suggestion


@transaction.atomic
def merge(
    *,
    acting_user: User,
    suggestion: Suggestion,
    into: Suggestion,
    version: int | None = None,
) -> Suggestion:
    """Handle an identical suggestion together with an accepted one (并案): it keeps its own
    number and deputy, the units handle and answer the main one, and its deputy gets the answer."""
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "并案")
    _refuse_move(suggestion, Status.MERGED, "并案")
    _ready_for_register(suggestion, "并案")
    main = _lock(into)
    if main.pk == suggestion.pk or main.merged_into_id is not None:
        raise DomainError("invalid_merge", "不能并入自身或已并案的建议。")
    if main.status not in REGISTERED_STATES or main.status == Status.CLOSED:
        raise DomainError("invalid_merge", "只能并入已立案且尚未办结的建议。")
    if (main.term_number, main.session_number) != (
        suggestion.term_number,
        suggestion.session_number,
    ):
        raise DomainError("invalid_merge", "只能并入同一次会议的建议。")
    _number(suggestion)
    suggestion.merged_into = main
    suggestion.accepted_at = _now()
    _save_numbered(
        suggestion,
        ["number", "merged_into", "accepted_at"],
        to=Status.MERGED,
        actor=acting_user,
        verb="merge",
        summary=f"编为第{suggestion.number}号，并入第{main.number}号建议办理",
        doing="并案",
    )
    _event(
        main,
        actor=acting_user,
        verb="merged_in",
        summary=f"第{suggestion.number}号建议（{suggestion.deputy.full_name}）并入本件办理",
    )
    _save(main)
    _notify(
        users=deputy_users(suggestion),
        title=f"您的建议已立案（第{suggestion.number}号），与第{main.number}号建议并案办理",
        body=f"承办单位将对第{main.number}号建议统一办理，并答复您。",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:merged",
    )
    return suggestion


# ---------------------------------------------------------------------------------------------
# Assignment and signing


@dataclass(frozen=True)
class AssignmentPlan:
    """What the office decides at assignment (交办)."""

    mode: str  # Suggestion.Mode
    lead_unit: Unit | None = None
    co_units: tuple[Unit, ...] = ()
    separate_units: tuple[Unit, ...] = ()
    is_difficult: bool = False


def _check_plan(plan: AssignmentPlan) -> list[tuple[Unit, str]]:
    if plan.mode == Suggestion.Mode.LEAD:
        if plan.lead_unit is None:
            raise DomainError("invalid", "请选择主办单位。", field_errors={"lead_unit": "请选择"})
        parts = [(plan.lead_unit, Assignment.Role.LEAD)]
        parts += [(u, Assignment.Role.CO) for u in plan.co_units]
    elif plan.mode == Suggestion.Mode.SEPARATE:
        if len(plan.separate_units) < 2:
            raise DomainError(
                "invalid",
                "分办至少需要两个承办单位；只有一个单位时请选择主办。",
                field_errors={"separate_units": "至少两个"},
            )
        parts = [(u, Assignment.Role.SEPARATE) for u in plan.separate_units]
    else:
        raise DomainError("invalid", "请选择办理方式。", field_errors={"mode": "请选择"})
    ids = [u.pk for u, _ in parts]
    if len(ids) != len(set(ids)):
        raise DomainError("invalid", "同一单位不能重复交办。", field_errors={"co_units": "重复"})
    inactive = [u.name for u, _ in parts if not u.is_active]
    if inactive:
        raise DomainError("invalid", f"单位已停用：{'、'.join(inactive)}。")
    return parts


def _create_assignment(
    suggestion: Suggestion,
    unit: Unit,
    role: str,
    *,
    on: date,
    rules: HandlingRules,
    calendar: WorkCalendar,
) -> Assignment:
    adjust = compute_due(
        start=on, period=rules.period("adjustment_window"), basis="收到日", calendar=calendar
    )
    opinion_due = None
    if role == Assignment.Role.CO:
        opinion_due = compute_due(
            start=on,
            period=rules.period("co_unit_opinion_period"),
            basis="交办日",
            calendar=calendar,
        ).due
    return Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=role,
        assigned_on=on,
        adjust_due=adjust.due,
        opinion_due=opinion_due,
    )


@transaction.atomic
def assign(
    *,
    acting_user: User,
    suggestion: Suggestion,
    plan: AssignmentPlan,
    assigned_on: date | None = None,
    version: int | None = None,
    calendar: WorkCalendar | None = None,
) -> Suggestion:
    """Assign to a lead unit with co-units, or to several units separately. The answer is due
    3 months from assignment, 6 when wide-ranging and difficult (代表法 51; periods configurable)."""
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "交办")
    _refuse_move(suggestion, Status.ASSIGNED, "交办")
    parts = _check_plan(plan)
    on = assigned_on or _today()
    rules = HandlingRules.current()
    calendar = calendar or WorkCalendar.load()
    for unit, role in parts:
        _create_assignment(suggestion, unit, role, on=on, rules=rules, calendar=calendar)
    suggestion.mode = plan.mode
    suggestion.is_difficult = plan.is_difficult
    suggestion.assigned_on = on
    period = rules.period("difficult_answer_period" if plan.is_difficult else "answer_period")
    _set_deadline(suggestion, start=on, period=period, basis="交办日", calendar=calendar)
    names = "、".join(f"{u.name}（{Assignment.Role(r).label}）" for u, r in parts)
    _move(
        suggestion,
        Status.ASSIGNED,
        actor=acting_user,
        verb="assign",
        summary=f"交办：{names}",
        note=suggestion.due_explanation,
        doing="交办",
        fields=["mode", "is_difficult", "assigned_on", *DEADLINE_FIELDS],
    )
    _notify(
        users=unit_users(u.pk for u, _ in parts),
        title=f"新交办建议：{suggestion.display_number}{suggestion.title}",
        body=f"请及时签收。答复期限：{suggestion.due_at}。",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:assigned:{on}",
    )
    _notify(
        users=deputy_users(suggestion),
        title=f"您的建议已交办：{suggestion.display_number}{suggestion.title}",
        body=f"承办单位：{names}",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:assigned-deputy",
    )
    return suggestion


@transaction.atomic
def assign_many(
    *,
    acting_user: User,
    plans: Sequence[tuple[Suggestion, AssignmentPlan]],
    assigned_on: date | None = None,
) -> list[Suggestion]:
    """Assign a batch at one 交办会: all of them or, on the first refusal, none."""
    calendar = WorkCalendar.load()
    done = []
    for suggestion, plan in plans:
        try:
            done.append(
                assign(
                    acting_user=acting_user,
                    suggestion=suggestion,
                    plan=plan,
                    assigned_on=assigned_on,
                    calendar=calendar,
                )
            )
        except DomainError as error:
            # Same error class (403 stays 403, 409 stays 409), told which suggestion failed.
            error.message = (
                f"{suggestion.display_number}{suggestion.title}：{error.message}（本批均未交办）"
            )
            error.args = (error.message,)
            raise
    return done


def _lock_assignment(assignment: Assignment | int) -> tuple[Assignment, Suggestion]:
    return _lock_part(Assignment, assignment, "该交办记录不存在。", "unit")


def _unit_member(user: User, assignment: Assignment) -> None:
    _require(assignment.unit_id in user.roles.unit_ids, "只有承办单位本身可以办理此事项。")


def _refuse_assignment_move(assignment: Assignment, to: str, doing: str) -> None:
    if to not in Assignment.TRANSITIONS[assignment.status]:
        raise DomainError(
            "invalid_transition",
            f"该交办当前为“{assignment.get_status_display()}”，不能{doing}。",
        )


@transaction.atomic
def sign_for(*, acting_user: User, assignment: Assignment) -> Assignment:
    """The unit signs for its part. The suggestion is in handling once an answering unit signs."""
    assignment, suggestion = _lock_assignment(assignment)
    _unit_member(acting_user, assignment)
    _refuse_assignment_move(assignment, Assignment.Status.SIGNED, "签收")
    assignment.status = Assignment.Status.SIGNED
    assignment.signed_at = _now()
    assignment.save(update_fields=["status", "signed_at"])
    summary = f"{assignment.unit.name}签收（{assignment.get_role_display()}）"
    if suggestion.status == Status.ASSIGNED and assignment.answers_deputy:
        _move(
            suggestion,
            Status.HANDLING,
            actor=acting_user,
            verb="sign",
            summary=summary,
            doing="签收",
        )
    else:
        _save(suggestion)
        _event(suggestion, actor=acting_user, verb="sign", summary=summary)
    return assignment


@transaction.atomic
def request_adjustment(*, acting_user: User, assignment: Assignment, reason: str) -> Assignment:
    """A unit that thinks the item is not its own explains this to the office within the
    adjustment window (SD 12). It cannot drop the item itself: the office decides."""
    assignment, suggestion = _lock_assignment(assignment)
    _unit_member(acting_user, assignment)
    _refuse_assignment_move(assignment, Assignment.Status.ADJUST_REQUESTED, "申请调整")
    if assignment.adjust_refused:
        raise DomainError("adjust_refused", "代表工作机构已决定由本单位办理，不能再次申请调整。")
    if _today() > assignment.adjust_due:
        raise DomainError(
            "window_closed",
            f"申请调整的期限已过（截至 {assignment.adjust_due}），请签收办理。",
        )
    reason = _required_text(reason, "reason", "申请调整的理由")
    assignment.status = Assignment.Status.ADJUST_REQUESTED
    assignment.adjust_reason = reason
    assignment.save(update_fields=["status", "adjust_reason"])
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="request_adjustment",
        summary=f"{assignment.unit.name}申请调整承办单位",
        note=reason,
    )
    _notify(
        users=office_staff(),
        title=f"{assignment.unit.name}申请调整：{suggestion.display_number}{suggestion.title}",
        body=reason,
        url=_url(suggestion),
        key=f"assignment:{assignment.pk}:adjust",
    )
    return assignment


@transaction.atomic
def decide_adjustment(
    *,
    acting_user: User,
    assignment: Assignment,
    reassign_to: Unit | None,
    note: str = "",
) -> Assignment:
    """The office reassigns the part to another unit, or insists the unit handles it."""
    assignment, suggestion = _lock_assignment(assignment)
    _office_only(acting_user, "决定调整")
    if assignment.status != Assignment.Status.ADJUST_REQUESTED:
        raise DomainError("invalid_transition", "该单位没有待决定的调整申请。")
    if reassign_to is None:
        note = _required_text(note, "note", "不予调整的说明")
        assignment.status = Assignment.Status.PENDING
        assignment.adjust_refused = True
        assignment.save(update_fields=["status", "adjust_refused"])
        _save(suggestion)
        _event(
            suggestion,
            actor=acting_user,
            verb="insist",
            summary=f"不同意调整，仍由{assignment.unit.name}办理",
            note=note,
        )
        _notify(
            users=unit_users([assignment.unit_id]),
            title=f"调整申请未获同意，请签收办理：{suggestion.display_number}{suggestion.title}",
            body=note,
            url=_url(suggestion),
            key=f"assignment:{assignment.pk}:insist",
        )
        return assignment
    if _live(suggestion).filter(unit=reassign_to).exists():
        raise DomainError("invalid", f"{reassign_to.name}已在承办单位之中。")
    if not reassign_to.is_active:
        raise DomainError("invalid", f"{reassign_to.name}已停用。")
    assignment.status = Assignment.Status.WITHDRAWN
    assignment.save(update_fields=["status"])
    new = _create_assignment(
        suggestion,
        reassign_to,
        assignment.role,
        on=_today(),
        rules=HandlingRules.current(),
        calendar=WorkCalendar.load(),
    )
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="reassign",
        summary=f"同意调整：{assignment.unit.name}改为{reassign_to.name}（{new.get_role_display()}）",
        note=note,
    )
    _notify(
        users=unit_users([reassign_to.pk]),
        title=f"新交办建议（调整）：{suggestion.display_number}{suggestion.title}",
        body=f"请及时签收。答复期限：{suggestion.due_at}。",
        url=_url(suggestion),
        key=f"assignment:{new.pk}:assigned",
    )
    _notify(
        users=unit_users([assignment.unit_id]),
        title=f"调整申请已同意，改由{reassign_to.name}办理：{suggestion.display_number}{suggestion.title}",
        body=note,
        key=f"assignment:{assignment.pk}:withdrawn",
    )
    return new


# ---------------------------------------------------------------------------------------------
# Handling


@transaction.atomic
def record_contact(
    *,
    acting_user: User,
    suggestion: Suggestion,
    stage: str,
    method: str,
    contacted_on: date,
    summary: str,
) -> Contact:
    suggestion = _lock(suggestion)
    signed = [
        a
        for a in perms.unit_assignments(acting_user, suggestion)
        if a.status == Assignment.Status.SIGNED
    ]
    _require(bool(signed), "只有已签收的承办单位可以记录与代表的沟通。")
    if suggestion.status not in (Status.HANDLING, Status.ANSWERED, Status.FOLLOW_UP):
        raise DomainError("invalid_transition", "当前状态不能记录沟通情况。")
    if stage not in Contact.Stage.values or method not in Contact.Method.values:
        raise DomainError("invalid", "请选择沟通阶段和方式。")
    summary = _required_text(summary, "summary", "沟通情况及商定事项")
    if contacted_on > _today():
        raise DomainError(
            "invalid", "沟通日期不能晚于今天。", field_errors={"contacted_on": "晚于今天"}
        )
    contact = Contact.objects.create(
        suggestion=suggestion,
        unit=signed[0].unit,
        stage=stage,
        method=method,
        contacted_on=contacted_on,
        summary=summary,
        recorded_by=acting_user,
        recorded_at=_now(),
    )
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="contact",
        summary=f"{contact.unit.name}{contact.get_stage_display()}{contact.get_method_display()}沟通（{contacted_on}）",
        note=summary,
    )
    return contact


@transaction.atomic
def submit_opinion(*, acting_user: User, assignment: Assignment, opinion: str) -> Assignment:
    """A co-unit's written opinion (会办意见) to the lead unit."""
    assignment, suggestion = _lock_assignment(assignment)
    _unit_member(acting_user, assignment)
    if assignment.role != Assignment.Role.CO:
        raise DomainError("invalid", "只有协办单位提交会办意见。")
    if assignment.status != Assignment.Status.SIGNED:
        raise DomainError("invalid_transition", "请先签收，再提交会办意见。")
    # Before the lead has signed is fine: the opinion waits for it.
    if suggestion.status not in OPEN_STATES:
        raise DomainError("invalid_transition", "主办单位已答复，不能再提交会办意见。")
    assignment.opinion = _required_text(opinion, "opinion", "会办意见")
    assignment.opinion_at = _now()
    assignment.save(update_fields=["opinion", "opinion_at"])
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="opinion",
        summary=f"{assignment.unit.name}提交会办意见",
        note=assignment.opinion,
    )
    _notify(
        users=unit_users(_answering_unit_ids(suggestion)),
        title=f"{assignment.unit.name}已提交会办意见：{suggestion.display_number}{suggestion.title}",
        url=_url(suggestion),
        key=f"assignment:{assignment.pk}:opinion:{assignment.opinion_at:%Y%m%d%H%M%S}",
    )
    return assignment


@dataclass(frozen=True)
class AnswerDraft:
    category: AnswerCategory
    text: str
    signer: str
    contact_person: str
    contact_phone: str
    document_number: str = ""
    is_face_to_face: bool = False


def _check_answer(draft: AnswerDraft) -> None:
    errors = {}
    for field, label in (
        ("text", "答复内容"),
        ("signer", "签发人"),
        ("contact_person", "联系人"),
        ("contact_phone", "联系电话"),
    ):
        if not (getattr(draft, field) or "").strip():
            errors[field] = f"请填写{label}"
    if errors:
        raise DomainError(
            "required", "答复内容不完整：" + "；".join(errors.values()) + "。", field_errors=errors
        )
    if not draft.category.is_active:
        raise DomainError("invalid", "该答复类别已停用。", field_errors={"category": "已停用"})


@transaction.atomic
def answer(
    *, acting_user: User, suggestion: Suggestion, draft: AnswerDraft, version: int | None = None
) -> Answer:
    """The lead unit (or each unit in separate handling) answers the deputy. From follow-up this
    is the answer once the matter is actually solved."""
    suggestion = _lock(suggestion, version=version)
    assignment = perms.answering_assignment(acting_user, suggestion)
    _require(assignment is not None, "只有已签收的主办单位（或分办单位）可以答复。")
    _refuse_move(suggestion, Status.ANSWERED, "答复")
    follow_up = suggestion.status == Status.FOLLOW_UP
    owing = perms.units_owing_answer(suggestion)
    if assignment.unit_id not in owing:
        if follow_up and not _answered_this_round(suggestion, assignment.unit_id):
            raise DomainError("no_follow_up", "本单位的答复无需跟踪落实，不必再次答复。")
        raise DomainError("already_answered", "本单位本轮已答复，请等待代表评价。")
    if suggestion.mode == Suggestion.Mode.LEAD and not follow_up:
        missing = perms.missing_co_opinions(suggestion)
        if missing.exists():
            names = "、".join(missing.values_list("unit__name", flat=True))
            raise DomainError("opinions_missing", f"协办单位尚未提交会办意见：{names}。")
    _check_answer(draft)
    today = _today()
    # A later answer of the same unit replaces the earlier one as the current text.
    suggestion.answers.filter(unit=assignment.unit, status=Answer.Status.SENT).update(
        status=Answer.Status.SUPERSEDED
    )
    record = Answer.objects.create(
        suggestion=suggestion,
        unit=assignment.unit,
        round=suggestion.round,
        category=draft.category,
        text=draft.text.strip(),
        signer=draft.signer.strip(),
        contact_person=draft.contact_person.strip(),
        contact_phone=draft.contact_phone.strip(),
        document_number=draft.document_number.strip(),
        is_face_to_face=draft.is_face_to_face,
        is_follow_up=follow_up,
        answered_on=today,
        created_by=acting_user,
    )
    summary = f"{assignment.unit.name}答复（{draft.category.code}类）"
    if follow_up:
        summary = f"{assignment.unit.name}报告落实情况并再次答复（{draft.category.code}类）"
    if owing - {assignment.unit_id}:  # separate handling: the others still owe their part
        _save(suggestion)
        _event(
            suggestion, actor=acting_user, verb="answer", summary=summary + "，待其他分办单位答复"
        )
        return record
    fields = []
    if suggestion.first_answered_on is None:
        suggestion.first_answered_on = today
        suggestion.answered_on_time = suggestion.due_at is None or today <= suggestion.due_at
        fields += ["first_answered_on", "answered_on_time"]
    _move(
        suggestion,
        Status.ANSWERED,
        actor=acting_user,
        verb="answer",
        summary=summary,
        doing="答复",
        fields=fields,
    )
    # Every signer gets the answer (DOMAIN: a jointly signed suggestion is answered to each);
    # the office receives its copy.
    _notify(
        users=deputy_users(suggestion, with_cosigners=True),
        title=f"您的建议已答复：{suggestion.display_number}{suggestion.title}",
        body="请查看答复；领衔代表征求联名代表意见后对办理情况作出评价。",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:answered:{suggestion.round}:{record.pk}",
    )
    _notify(
        users=office_staff(),
        title=f"{assignment.unit.name}已答复：{suggestion.display_number}{suggestion.title}",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:answered:{suggestion.round}:{record.pk}",
    )
    return record


def _answered_this_round(suggestion: Suggestion, unit_id: int) -> bool:
    return suggestion.answers.filter(
        round=suggestion.round, unit_id=unit_id, status=Answer.Status.SENT
    ).exists()


@transaction.atomic
def return_answer(
    *, acting_user: User, suggestion: Suggestion, reason: str, version: int | None = None
) -> Suggestion:
    """The office sends an answer back for redrafting (it misses the point, or the deputy was
    not heard). The deadline is unchanged."""
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "退回答复")
    # Handling is also reached by signing: only an answered suggestion has an answer to return.
    if suggestion.status != Status.ANSWERED:
        raise _wrong_state(suggestion, "退回答复")
    if suggestion.ratings.filter(round=suggestion.round).exists():
        raise DomainError("already_rated", "代表已评价，不能再退回本轮答复。")
    reason = _required_text(reason, "reason", "退回理由")
    current = suggestion.answers.filter(round=suggestion.round, status=Answer.Status.SENT)
    units = list(current.values_list("unit_id", flat=True))
    # A follow-up answer sent back goes back to the follow-up list, not to handling: its original
    # deadline has long passed and handling would count it as overdue.
    back_to = Status.FOLLOW_UP if current.filter(is_follow_up=True).exists() else Status.HANDLING
    current.update(status=Answer.Status.RETURNED, return_reason=reason)
    _move(
        suggestion,
        back_to,
        actor=acting_user,
        verb="return_answer",
        summary="答复退回重新办理",
        note=reason,
        doing="退回答复",
    )
    _notify(
        users=unit_users(units),
        title=f"答复被退回，请重新办理：{suggestion.display_number}{suggestion.title}",
        body=reason,
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:returned:{suggestion.version}",
    )
    return suggestion


@transaction.atomic
def correct_category(
    *, acting_user: User, answer: Answer, category: AnswerCategory, note: str = ""
) -> Answer:
    """The supervising office corrects the category a unit marked (the unit's stays on record)."""
    answer, suggestion = _lock_part(Answer, answer, "该答复不存在。", "category")
    _office_only(acting_user, "更正答复类别")
    if answer.status != Answer.Status.SENT:
        raise DomainError("invalid", "只能更正现行答复的类别。")
    if suggestion.status not in (Status.ANSWERED, Status.FOLLOW_UP):
        raise DomainError("invalid_transition", "当前状态不能更正答复类别。")
    if category.pk == answer.category_id:
        raise DomainError("invalid", "类别未改变。", field_errors={"category": "未改变"})
    before = answer.category
    if answer.original_category_id is None:
        answer.original_category = before
    answer.category = category
    answer.save(update_fields=["category", "original_category"])
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="correct_category",
        summary=f"答复类别由 {before.code} 更正为 {category.code}",
        note=note,
    )
    return answer


# ---------------------------------------------------------------------------------------------
# Rating, follow-up, closing


@transaction.atomic
def rate(
    *,
    acting_user: User,
    suggestion: Suggestion,
    attitude: str,
    result: str,
    comment: str = "",
    cosigners_consulted: bool = False,
    version: int | None = None,
) -> Rating:
    """The lead deputy rates attitude and result (SD 23). 不满意 reopens handling with a new
    deadline (SD 24); after the configured number in a row the leaders are told."""
    suggestion = _lock(suggestion, version=version)
    _require(perms.is_lead_deputy(acting_user, suggestion), "只有领衔代表可以评价办理情况。")
    if suggestion.status != Status.ANSWERED:
        raise _wrong_state(suggestion, "评价")
    if attitude not in Satisfaction.values or result not in Satisfaction.values:
        raise DomainError("invalid", "请对办理态度和办理结果分别作出评价。")
    rating = Rating(
        suggestion=suggestion,
        round=suggestion.round,
        attitude=attitude,
        result=result,
        comment=(comment or "").strip(),
        cosigners_consulted=cosigners_consulted,
        rated_by=acting_user,
        rated_at=_now(),
    )
    if rating.is_not_satisfied and not rating.comment:
        raise DomainError(
            "comment_required",
            "选择“不满意”时，请写明具体意见。",
            field_errors={"comment": "请写明不满意的具体意见"},
        )
    if (
        suggestion.cosigners.filter(status=CoSigner.Status.CONFIRMED).exists()
        and not cosigners_consulted
    ):
        raise DomainError(
            "consult_cosigners",
            "联名建议须由领衔代表征求联名代表意见后统一反馈，请确认已征求意见。",
            field_errors={"cosigners_consulted": "请确认"},
        )
    if suggestion.ratings.filter(round=suggestion.round).exists():
        raise DomainError("already_rated", "本轮答复已评价。")
    rating.save()
    label = f"态度{rating.get_attitude_display()}、结果{rating.get_result_display()}"
    rules = HandlingRules.current()
    units = _answering_unit_ids(suggestion)
    if rating.is_not_satisfied:
        suggestion.not_satisfied_streak += 1
        suggestion.round += 1
        today = _today()
        _set_deadline(
            suggestion, start=today, period=rules.period("rehandling_period"), basis="不满意反馈日"
        )
        fields = ["not_satisfied_streak", "round", *DEADLINE_FIELDS]
        escalate = (
            suggestion.not_satisfied_streak >= rules.escalate_after_not_satisfied
            and not suggestion.is_escalated
        )
        if escalate:
            suggestion.is_escalated = True
            fields.append("is_escalated")
        _move(
            suggestion,
            Status.HANDLING,
            actor=acting_user,
            verb="rate",
            summary=f"代表评价：{label}，重新办理",
            note=rating.comment,
            doing="评价",
            fields=fields,
            data={"attitude": attitude, "result": result},
        )
        _notify(
            users=unit_users(units) + office_staff(),
            title=f"代表不满意，请重新办理：{suggestion.display_number}{suggestion.title}",
            body=f"{rating.comment}\n重新答复期限：{suggestion.due_at}",
            url=_url(suggestion),
            key=f"suggestion:{suggestion.pk}:not-satisfied:{rating.round}",
        )
        if escalate:
            _notify(
                users=leaders(),
                title=f"代表连续{suggestion.not_satisfied_streak}次不满意：{suggestion.display_number}{suggestion.title}",
                body="按规定报主任会议研究。",
                url=_url(suggestion),
                key=f"suggestion:{suggestion.pk}:escalated",
            )
        return rating
    suggestion.not_satisfied_streak = 0
    current = list(
        suggestion.answers.filter(round=rating.round, status=Answer.Status.SENT).select_related(
            "category"
        )
    )
    if any(a.category.needs_follow_up for a in current):
        suggestion.round += 1
        _move(
            suggestion,
            Status.FOLLOW_UP,
            actor=acting_user,
            verb="rate",
            summary=f"代表评价：{label}；列入跟踪落实",
            note=rating.comment,
            doing="评价",
            fields=["not_satisfied_streak", "round"],
            data={"attitude": attitude, "result": result},
        )
    else:
        suggestion.closed_at = _now()
        _move(
            suggestion,
            Status.CLOSED,
            actor=acting_user,
            verb="rate",
            summary=f"代表评价：{label}；办结",
            note=rating.comment,
            doing="评价",
            fields=["not_satisfied_streak", "closed_at"],
            data={"attitude": attitude, "result": result},
        )
    _notify(
        users=unit_users(units) + office_staff(),
        title=f"代表已评价（{label}）：{suggestion.display_number}{suggestion.title}",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:rated:{rating.round}",
    )
    return rating


@transaction.atomic
def confirm_face_to_face(*, acting_user: User, answer: Answer) -> Answer:
    """The deputy signs the record of a face-to-face answer (SD 20)."""
    answer, suggestion = _lock_part(Answer, answer, "该答复不存在。")
    _require(perms.is_lead_deputy(acting_user, suggestion), "只有领衔代表可以确认当面答复。")
    if not answer.is_face_to_face or answer.status != Answer.Status.SENT:
        raise DomainError("invalid", "这份答复不是待确认的当面答复。")
    if answer.face_to_face_confirmed_at is not None:
        raise DomainError("already_confirmed", "已确认过当面答复。")
    answer.face_to_face_confirmed_at = _now()
    answer.save(update_fields=["face_to_face_confirmed_at"])
    _save(suggestion)
    _event(suggestion, actor=acting_user, verb="confirm_face_to_face", summary="代表确认当面答复")
    return answer


@transaction.atomic
def close(
    *, acting_user: User, suggestion: Suggestion, note: str = "", version: int | None = None
) -> Suggestion:
    """The office closes an answered suggestion: after a follow-up answer reports it solved, or
    when the deputy has not rated within the time given."""
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "办结")
    _refuse_move(suggestion, Status.CLOSED, "办结")
    suggestion.closed_at = _now()
    _move(
        suggestion,
        Status.CLOSED,
        actor=acting_user,
        verb="close",
        summary="办结",
        note=note,
        doing="办结",
        fields=["closed_at"],
    )
    return suggestion


# ---------------------------------------------------------------------------------------------
# Deadlines: extensions and recomputation


def _max_due(suggestion: Suggestion, rules: HandlingRules) -> DueDate:
    return compute_due(
        start=suggestion.assigned_on,
        period=rules.period("difficult_answer_period"),
        basis="交办日",
    )


def _check_new_due(suggestion: Suggestion, new_due: date) -> None:
    if suggestion.due_at and new_due <= suggestion.due_at:
        raise DomainError(
            "invalid",
            f"延期日期应晚于现答复期限 {suggestion.due_at}。",
            field_errors={"new_due": "应晚于现期限"},
        )
    limit = _max_due(suggestion, HandlingRules.current())
    if new_due > limit.due:
        raise DomainError(
            "invalid",
            f"答复期限最长不得超过交办之日起 {limit.period}（{limit.due}）。",
            field_errors={"new_due": "超过最长期限"},
        )


@transaction.atomic
def request_extension(
    *, acting_user: User, suggestion: Suggestion, new_due: date, reason: str
) -> Extension:
    suggestion = _lock(suggestion)
    assignment = perms.answering_assignment(acting_user, suggestion)
    _require(assignment is not None, "只有已签收的主办单位（或分办单位）可以申请延期。")
    if suggestion.status not in OPEN_STATES:
        raise DomainError("invalid_transition", "当前状态不能申请延期。")
    if suggestion.extensions.filter(status=Extension.Status.REQUESTED).exists():
        raise DomainError("pending_extension", "已有待审批的延期申请。")
    reason = _required_text(reason, "reason", "延期理由")
    _check_new_due(suggestion, new_due)
    extension = Extension.objects.create(
        suggestion=suggestion,
        unit=assignment.unit,
        reason=reason,
        new_due=new_due,
        requested_by=acting_user,
        requested_at=_now(),
    )
    _save(suggestion)
    _event(
        suggestion,
        actor=acting_user,
        verb="request_extension",
        summary=f"{assignment.unit.name}申请延期至 {new_due}",
        note=reason,
    )
    _notify(
        users=office_staff(),
        title=f"延期申请待审批：{suggestion.display_number}{suggestion.title}",
        body=reason,
        url=_url(suggestion),
        key=f"extension:{extension.pk}:requested",
    )
    return extension


def _apply_extension(suggestion: Suggestion, new_due: date, *, actor: User, reason: str) -> None:
    previous = suggestion.due_at
    suggestion.due_at = new_due
    suggestion.due_explanation = f"经批准延期至 {new_due}（原期限：{suggestion.due_explanation}）"[
        :300
    ]
    suggestion.due_provisional_years = []
    _save(suggestion, "due_at", "due_explanation", "due_provisional_years")
    _event(
        suggestion,
        actor=actor,
        verb="extend",
        summary=f"答复期限由 {previous} 延至 {new_due}",
        note=reason,
    )


@transaction.atomic
def decide_extension(
    *, acting_user: User, extension: Extension, approve: bool, note: str = ""
) -> Extension:
    extension, suggestion = _lock_part(Extension, extension, "该延期申请不存在。")
    _office_only(acting_user, "审批延期")
    if extension.status != Extension.Status.REQUESTED:
        raise DomainError("invalid_transition", "该延期申请已审批。")
    if approve:
        if suggestion.status not in OPEN_STATES:
            raise DomainError("invalid_transition", "建议已答复，无需延期。")
        _check_new_due(suggestion, extension.new_due)
    elif not (note or "").strip():
        raise DomainError("required", "请写明不同意延期的理由。", field_errors={"note": "必填"})
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
    extension.decided_by = acting_user
    extension.decided_at = _now()
    extension.decision_note = (note or "").strip()
    extension.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if approve:
        _apply_extension(suggestion, extension.new_due, actor=acting_user, reason=extension.reason)
    else:
        _save(suggestion)
        _event(
            suggestion,
            actor=acting_user,
            verb="refuse_extension",
            summary=f"不同意延期至 {extension.new_due}",
            note=extension.decision_note,
        )
    _notify(
        users=unit_users([extension.unit_id] if extension.unit_id else []),
        title=f"延期申请{'已同意' if approve else '未同意'}：{suggestion.display_number}{suggestion.title}",
        body=extension.decision_note,
        url=_url(suggestion),
        key=f"extension:{extension.pk}:decided",
    )
    return extension


@transaction.atomic
def extend_deadline(
    *,
    acting_user: User,
    suggestion: Suggestion,
    new_due: date,
    reason: str,
    version: int | None = None,
) -> Extension:
    """The office extends a deadline on its own authority (with a reason)."""
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "延期")
    if suggestion.status not in OPEN_STATES:
        raise DomainError("invalid_transition", "当前状态不能延期。")
    reason = _required_text(reason, "reason", "延期理由")
    _check_new_due(suggestion, new_due)
    now = _now()
    extension = Extension.objects.create(
        suggestion=suggestion,
        status=Extension.Status.APPROVED,
        reason=reason,
        new_due=new_due,
        requested_by=acting_user,
        requested_at=now,
        decided_by=acting_user,
        decided_at=now,
    )
    _apply_extension(suggestion, new_due, actor=acting_user, reason=reason)
    return extension


def recompute_provisional_deadlines(sender=None, *, years, **kwargs) -> int:
    """When an admin enters a year's holidays, due dates counted weekends-only in that year are
    computed again from what they were computed from."""
    calendar = WorkCalendar.load()
    changed = 0
    candidates = Suggestion.objects.exclude(due_provisional_years=[]).filter(status__in=OPEN_STATES)
    for suggestion in candidates:
        if not set(suggestion.due_provisional_years) & set(years) or not suggestion.due_start:
            continue
        with transaction.atomic():
            locked = _lock(suggestion)
            before = locked.due_at
            _set_deadline(
                locked,
                start=locked.due_start,
                period=Period.parse(locked.due_period),
                basis=locked.due_basis,
                calendar=calendar,
            )
            _save(locked, *DEADLINE_FIELDS)
            if locked.due_at != before:
                _event(
                    locked,
                    actor=None,
                    verb="recompute_due",
                    summary=f"节假日安排录入后重算答复期限：{before} → {locked.due_at}",
                    note=locked.due_explanation,
                )
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------------
# Key suggestions and publication


@transaction.atomic
def flag_key(
    *,
    acting_user: User,
    suggestion: Suggestion,
    leader: User,
    office: Office | None,
    note: str = "",
    version: int | None = None,
) -> Suggestion:
    """The leaders select a key suggestion (重点督办, 代表法 52) with a supervising leader and office."""
    suggestion = _lock(suggestion, version=version)
    _require(perms.is_leader(acting_user), "只有常委会领导可以确定重点督办建议。")
    if office is None or not office.is_active:
        raise DomainError("invalid", "请选择督办机构。", field_errors={"office": "请选择"})
    if suggestion.status not in REGISTERED_STATES:
        raise DomainError("invalid_transition", "只有已立案的建议可以列为重点督办。")
    if suggestion.is_key:
        raise DomainError("already_key", "该建议已是重点督办建议；更换督办领导请先取消后重新确定。")
    if not leader.is_active or not leader.roles.has(Role.LEADER):
        raise DomainError(
            "invalid", "督办领导应为常委会领导。", field_errors={"leader": "不是领导"}
        )
    suggestion.is_key = True
    suggestion.key_leader = leader
    suggestion.key_office = office
    _save(suggestion, "is_key", "key_leader", "key_office")
    _event(
        suggestion,
        actor=acting_user,
        verb="flag_key",
        summary=f"列为重点督办建议：{leader.full_name}督办，{office.name}跟踪",
        note=note,
    )
    _notify(
        users=[leader, *unit_users(_answering_unit_ids(suggestion))],
        title=f"重点督办建议：{suggestion.display_number}{suggestion.title}",
        url=_url(suggestion),
        key=f"suggestion:{suggestion.pk}:key:{suggestion.version}",
    )
    return suggestion


@transaction.atomic
def unflag_key(
    *, acting_user: User, suggestion: Suggestion, note: str = "", version: int | None = None
) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _require(perms.is_leader(acting_user), "只有常委会领导可以调整重点督办建议。")
    if not suggestion.is_key:
        raise DomainError("invalid", "该建议不是重点督办建议。")
    suggestion.is_key = False
    suggestion.key_leader = None
    suggestion.key_office = None
    _save(suggestion, "is_key", "key_leader", "key_office")
    _event(suggestion, actor=acting_user, verb="unflag_key", summary="取消重点督办", note=note)
    return suggestion


@transaction.atomic
def publish(*, acting_user: User, suggestion: Suggestion, version: int | None = None) -> Suggestion:
    """Publish an accepted suggestion and its answers (SD 27) unless it is confidential."""
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "公开建议")
    if suggestion.status not in REGISTERED_STATES:
        raise DomainError("invalid_transition", "只有已立案的建议可以公开。")
    if suggestion.is_confidential:
        raise DomainError("confidential", "该建议涉及国家秘密、商业秘密或个人隐私，不予公开。")
    if suggestion.published_at:
        raise DomainError("already_published", "该建议已公开。")
    suggestion.published_at = _now()
    _save(suggestion, "published_at")
    _event(suggestion, actor=acting_user, verb="publish", summary="向社会公开")
    return suggestion


@transaction.atomic
def unpublish(
    *, acting_user: User, suggestion: Suggestion, reason: str, version: int | None = None
) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "撤回公开")
    if not suggestion.published_at:
        raise DomainError("not_published", "该建议尚未公开。")
    reason = _required_text(reason, "reason", "撤回公开的理由")
    suggestion.published_at = None
    _save(suggestion, "published_at")
    _event(suggestion, actor=acting_user, verb="unpublish", summary="撤回公开", note=reason)
    return suggestion


@transaction.atomic
def set_confidential(
    *,
    acting_user: User,
    suggestion: Suggestion,
    confidential: bool,
    reason: str = "",
    version: int | None = None,
) -> Suggestion:
    suggestion = _lock(suggestion, version=version)
    _office_only(acting_user, "设置不予公开")
    if suggestion.status not in REGISTERED_STATES:
        raise DomainError("invalid_transition", "只有已立案的建议才需决定是否公开。")
    if confidential == suggestion.is_confidential:
        raise DomainError(
            "unchanged", "该建议已设为不予公开。" if confidential else "该建议未设为不予公开。"
        )
    if confidential:
        reason = _required_text(reason, "reason", "不予公开的理由")
    suggestion.is_confidential = confidential
    fields = ["is_confidential"]
    if confidential and suggestion.published_at:
        suggestion.published_at = None
        fields.append("published_at")
    _save(suggestion, *fields)
    _event(
        suggestion,
        actor=acting_user,
        verb="confidential",
        summary="设为不予公开" if confidential else "取消不予公开",
        note=reason,
    )
    return suggestion


# ---------------------------------------------------------------------------------------------
# Attachments


@transaction.atomic
def add_attachment(
    *, acting_user: User, suggestion: Suggestion, upload, answer: Answer | None = None
) -> Attachment:
    """Attach a file: the drafter while draft or submitted, the office at any time once
    submitted, or an answering unit to its own current answer (the default for a unit). The
    type is checked by content; the file is stored under a random name in MEDIA_ROOT and served
    only through the permission check."""
    suggestion = _lock(suggestion)
    if answer is None and not perms.may_add_attachment(acting_user, suggestion):
        # A unit's file belongs to its answer.
        answer = perms.own_current_answer(acting_user, suggestion)
    if answer is not None:
        answer = suggestion.answers.select_related("unit").filter(pk=answer.pk).first()
        _require(
            answer is not None and perms.may_add_attachment(acting_user, suggestion, answer=answer),
            "只有答复单位可以为本单位的现行答复添加附件。",
        )
    else:
        _require(
            perms.may_add_attachment(acting_user, suggestion),
            "只有起草人（审查前）、代表工作机构或已答复的承办单位可以添加附件。",
        )
    stored = store_upload(upload, folder="suggestions", day=_today())
    try:
        attachment = Attachment.objects.create(
            suggestion=suggestion,
            answer=answer,
            file=stored.path,
            name=stored.name,
            size=stored.size,
            content_type=stored.content_type,
            uploaded_by=acting_user,
            uploaded_at=_now(),
        )
        _save(suggestion)
        where = f"（{answer.unit.name}答复）" if answer is not None else ""
        _event(
            suggestion,
            actor=acting_user,
            verb="add_attachment",
            summary=f"添加附件{where}：{stored.name}",
        )
    except Exception:
        default_storage.delete(stored.path)  # no row points to it
        raise
    return attachment


@transaction.atomic
def remove_attachment(*, acting_user: User, attachment: Attachment) -> None:
    """Remove a file: the drafter while it is a draft, or the office."""
    locked, suggestion = _lock_part(Attachment, attachment, "该附件不存在或已被删除。")
    _require(
        perms.may_remove_attachment(acting_user, suggestion),
        "只有起草人（草稿阶段）或代表工作机构可以删除附件。",
    )
    stored = locked.file.name
    locked.delete()
    _save(suggestion)
    _event(
        suggestion, actor=acting_user, verb="remove_attachment", summary=f"删除附件：{locked.name}"
    )
    delete_files_on_commit([stored])


def publish_answered(*, acting_user: User, term_number: int, session_number: int) -> int:
    """Publish every answered, non-confidential suggestion of a session at once."""
    _office_only(acting_user, "公开建议")
    count = 0
    rows = (
        Suggestion.objects.for_session(term_number, session_number)
        .filter(status__in=(Status.ANSWERED, Status.FOLLOW_UP, Status.CLOSED), published_at=None)
        .filter(is_confidential=False)
        .values_list("pk", flat=True)
    )
    for pk in list(rows):
        publish(acting_user=acting_user, suggestion=Suggestion(pk=pk))
        count += 1
    return count
