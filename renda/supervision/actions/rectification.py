"""Rectification (整改): one mechanism for inspection problems, review-opinion points and inquiry
commitments. Items are opened by the action that creates them (issuing review opinions, closing
an inquiry's rectification list) through `open_rectifications`; the body then reports, submits
for closing (申请销号), and the office verifies (销号) or rejects it back."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from renda.core.deadlines import MONTHS, Period, compute_due
from renda.core.errors import DomainError
from renda.core.models import User
from renda.core.uploads import store_upload, validate_upload
from renda.supervision import permissions as perms
from renda.supervision.actions import common
from renda.supervision.models import (
    OPEN_RECTIFICATION_STATES,
    RECTIFICATION_TRANSITIONS,
    Inquiry,
    InquiryQuestion,
    Inspection,
    OpinionPoint,
    Problem,
    Rectification,
    RectificationEvidence,
    RectificationReport,
    RectificationStatus,
    ReviewOpinion,
    SupervisionRules,
)


@dataclass(frozen=True)
class NewRectification:
    """What one new item needs; exactly one of point / problem / question by `source`."""

    source: str
    unit_id: int
    office_id: int
    title: str
    description: str
    # Annotated, so that they are fields the caller can pass (a bare `point = None` is a class
    # attribute a frozen dataclass refuses in its constructor).
    point: OpinionPoint | None = None
    problem: Problem | None = None
    question: InquiryQuestion | None = None
    opinion: ReviewOpinion | None = None
    inspection: Inspection | None = None
    inquiry: Inquiry | None = None
    due_on: date | None = None
    due_basis: str = ""


def default_due(*, start: date) -> tuple[date, str]:
    """The configured default period (3 months) from `start`, on the work calendar."""
    months = SupervisionRules.current().rectification_months
    due = compute_due(start=start, period=Period(months, MONTHS), basis="交办日")
    return due.due, due.explanation


def rectification_url(item: Rectification) -> str:
    return reverse("supervision:rectification", args=[item.pk])


def open_rectifications(
    *, acting_user: User, items: Sequence[NewRectification]
) -> list[Rectification]:
    """Create the items inside the caller's transaction (the caller has checked the permission
    and locked its own record), one timeline event each, one notification per unit."""
    created: list[Rectification] = []
    for new in items:
        title = common.required_text(new.title, "title", "整改事项")[:200]
        description = common.required_text(new.description, "description", "问题或要求")
        if new.due_on is None:
            due_on, basis = default_due(start=common.today())
        else:
            due_on, basis = new.due_on, new.due_basis or "交办时确定"
        if due_on < common.today():
            raise DomainError(
                "invalid", "整改期限不能早于今天。", field_errors={"due_on": "早于今天"}
            )
        item = Rectification.objects.create(
            source=new.source,
            point=new.point,
            problem=new.problem,
            question=new.question,
            opinion=new.opinion,
            inspection=new.inspection,
            inquiry=new.inquiry,
            unit_id=new.unit_id,
            office_id=new.office_id,
            title=title,
            description=description,
            due_on=due_on,
            due_basis=basis,
            created_by=acting_user,
            created_at=common.now(),
        )
        common.event(
            item,
            actor=acting_user,
            verb="open",
            summary=f"交办整改事项，期限 {due_on}",
            to_state=item.status,
        )
        created.append(item)
    by_unit: dict[int, list[Rectification]] = {}
    for item in created:
        by_unit.setdefault(item.unit_id, []).append(item)
    for unit_id, rows in by_unit.items():
        common.notify(
            users=common.unit_users(unit_id),
            title=f"新交办整改事项 {len(rows)} 项",
            body="；".join(row.title for row in rows),
            url=reverse("supervision:rectifications"),
            key=f"rectification-open:{rows[0].pk}",
        )
    return created


# ---------------------------------------------------------------------------------------------
# Shared steps of the moves below

Status = RectificationStatus
WITH_THE_UNIT = (Status.ASSIGNED, Status.IN_PROGRESS)  # the body is working on it
MAX_DUE_YEARS = 5  # a deadline further away than this is a typo, not a plan


def _lock(item: Rectification | int, version: int | None) -> Rectification:
    pk = item.pk if isinstance(item, Rectification) else item
    return common.lock(Rectification, pk, version=version, what="整改事项")


def may_answer(user: User, item: Rectification) -> bool:
    """The body responsible (its own unit users) reports, attaches proof and asks to close."""
    return perms.answers_for(user, item.unit_id)


def may_supervise(user: User, item: Rectification) -> bool:
    """The office that supervises the item (and the admin) verifies, rejects, extends."""
    return perms.runs(user, item.office_id)


def _answering(user: User, item: Rectification) -> None:
    common.require(
        may_answer(user, item), f"只有整改责任单位（{item.unit.name}）可以办理该整改事项。"
    )


def _supervising(user: User, item: Rectification) -> None:
    common.require(
        may_supervise(user, item), f"只有督办机构（{item.office.name}）可以办理该整改事项。"
    )


def _in(item: Rectification, states: Sequence[str], doing: str) -> None:
    if item.status not in states:
        raise DomainError(
            "invalid_transition", f"当前状态为“{item.get_status_display()}”，不能{doing}。"
        )


def _url(item: Rectification) -> str:
    return rectification_url(item)


def _checked(files: Sequence) -> list:
    """Check every file before anything is written: one bad file refuses the whole move."""
    files = [f for f in (files or ()) if f]
    for upload in files:
        validate_upload(upload)
    return files


@contextmanager
def _files_kept_on_success() -> Iterator[list[str]]:
    """Paths stored inside the block are deleted again if the block fails, so a move whose
    transaction rolls back leaves no file behind. (Django has no rollback hook: a caller that
    wraps a move in its own transaction and fails after it returns must clean up itself.)"""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for path in stored:
            default_storage.delete(path)
        raise


def _store(
    files: Sequence,
    *,
    item: Rectification,
    actor: User,
    stored: list[str],
    report: RectificationReport | None = None,
) -> list[RectificationEvidence]:
    """Store the checked files; called after every check of the move has passed."""
    rows = []
    for upload in files:
        kept = store_upload(upload, folder="supervision", day=common.today())
        stored.append(kept.path)
        rows.append(
            RectificationEvidence.objects.create(
                rectification=item,
                report=report,
                file=kept.path,
                name=kept.name[:200],
                size=kept.size,
                content_type=kept.content_type,
                uploaded_by=actor,
                uploaded_at=common.now(),
            )
        )
    return rows


def _names(rows: Sequence[RectificationEvidence]) -> str:
    return "、".join(row.name for row in rows)


# ---------------------------------------------------------------------------------------------
# The body: report progress, attach proof, ask to close (申请销号)


@transaction.atomic
def report_rectification(
    *,
    acting_user: User,
    item: Rectification | int,
    text: str,
    percent: int,
    measures: str = "",
    evidence: Sequence = (),
    version: int | None = None,
) -> RectificationReport:
    """The body reports its measures and how far it is (0–99: 100 is the office's 销号). The
    first report moves the item from 待整改 to 整改中."""
    item = _lock(item, version)
    _answering(acting_user, item)
    _in(item, WITH_THE_UNIT, "报告整改进展")
    text = common.required_text(text, "text", "整改进展")
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 <= percent <= 99:
        raise DomainError(
            "invalid",
            "进度应为 0 到 99 的整数；整改完成请“申请销号”。",
            field_errors={"percent": "0–99"},
        )
    files = _checked(evidence)
    with _files_kept_on_success() as stored:
        report = RectificationReport.objects.create(
            rectification=item,
            text=text,
            percent=percent,
            reported_by=acting_user,
            reported_at=common.now(),
        )
        rows = _store(files, item=item, actor=acting_user, stored=stored, report=report)
        before = item.status
        if item.status == Status.ASSIGNED:
            common.move(item, Status.IN_PROGRESS, RECTIFICATION_TRANSITIONS, "报告整改进展")
        item.progress = percent
        measures = (measures or "").strip()
        if measures:
            item.measures = measures
        common.bump(item, "status", "progress", "measures")
        moved = before != item.status
        common.event(
            item,
            actor=acting_user,
            verb="report",
            summary=f"报告整改进展：{percent}%" + (f"，佐证 {_names(rows)}" if rows else ""),
            note=text,
            from_state=before if moved else "",
            to_state=item.status if moved else "",
        )
    return report


@transaction.atomic
def add_rectification_evidence(
    *, acting_user: User, item: Rectification | int, files: Sequence
) -> list[RectificationEvidence]:
    """Attach proof while the item is open (before or after asking to close)."""
    item = _lock(item, None)
    _answering(acting_user, item)
    _in(item, OPEN_RECTIFICATION_STATES, "上传整改佐证")
    files = _checked(files)
    if not files:
        raise DomainError("required", "请选择要上传的文件。", field_errors={"files": "请选择文件"})
    with _files_kept_on_success() as stored:
        rows = _store(files, item=item, actor=acting_user, stored=stored)
        common.bump(item)
        common.event(
            item, actor=acting_user, verb="add_evidence", summary=f"上传整改佐证：{_names(rows)}"
        )
    return rows


@transaction.atomic
def submit_rectification(
    *,
    acting_user: User,
    item: Rectification | int,
    result: str,
    evidence: Sequence = (),
    version: int | None = None,
) -> Rectification:
    """The body asks the office to close the item (申请销号): what was done, with proof — at
    least one file, attached before or with this request."""
    item = _lock(item, version)
    _answering(acting_user, item)
    _in(item, WITH_THE_UNIT, "申请销号")
    result = common.required_text(result, "result", "整改结果")
    files = _checked(evidence)
    if not files and not item.evidence.exists():
        raise DomainError(
            "evidence_required",
            "申请销号须上传整改佐证材料（如整改报告、文件、照片）。",
            field_errors={"evidence": "请上传佐证材料"},
        )
    with _files_kept_on_success() as stored:
        report = RectificationReport.objects.create(
            rectification=item,
            text=result,
            percent=100,
            reported_by=acting_user,
            reported_at=common.now(),
        )
        rows = _store(files, item=item, actor=acting_user, stored=stored, report=report)
        before = common.move(item, Status.SUBMITTED, RECTIFICATION_TRANSITIONS, "申请销号")
        item.result = result
        item.submitted_at = common.now()
        common.bump(item, "status", "result", "submitted_at")
        common.event(
            item,
            actor=acting_user,
            verb="submit",
            summary="申请销号" + (f"，佐证 {_names(rows)}" if rows else ""),
            note=result,
            from_state=before,
            to_state=item.status,
        )
        common.notify(
            users=common.office_staff(item.office_id),
            title=f"整改事项申请销号：{item.title}",
            body=f"{item.unit.name}：{result}",
            url=_url(item),
            key=f"rectification:{item.pk}:submitted:{item.version}",
        )
    return item


# ---------------------------------------------------------------------------------------------
# The office: verify (销号), reject, change the deadline


@transaction.atomic
def verify_rectification(
    *, acting_user: User, item: Rectification | int, note: str = "", version: int | None = None
) -> Rectification:
    """The office checks the result and its proof and closes the item (销号)."""
    item = _lock(item, version)
    _supervising(acting_user, item)
    before = common.move(item, Status.VERIFIED, RECTIFICATION_TRANSITIONS, "销号")
    item.progress = 100
    item.verified_by = acting_user
    item.verified_at = common.now()
    common.bump(item, "status", "progress", "verified_by", "verified_at")
    note = (note or "").strip()
    common.event(
        item,
        actor=acting_user,
        verb="verify",
        summary="审核通过，予以销号",
        note=note,
        from_state=before,
        to_state=item.status,
    )
    common.notify(
        users=common.unit_users(item.unit_id),
        title=f"整改事项已销号：{item.title}",
        body=note,
        url=_url(item),
        key=f"rectification:{item.pk}:verified",
    )
    return item


@transaction.atomic
def reject_rectification(
    *, acting_user: User, item: Rectification | int, reason: str, version: int | None = None
) -> Rectification:
    """The office sends the request to close back: the body works on it again."""
    item = _lock(item, version)
    _supervising(acting_user, item)
    _in(item, (Status.SUBMITTED,), "退回")
    reason = common.required_text(reason, "reason", "退回理由")
    before = common.move(item, Status.IN_PROGRESS, RECTIFICATION_TRANSITIONS, "退回")
    item.rejection_count += 1
    item.last_rejection = reason
    common.bump(item, "status", "rejection_count", "last_rejection")
    common.event(
        item,
        actor=acting_user,
        verb="reject",
        summary=f"退回继续整改（第 {item.rejection_count} 次）",
        note=reason,
        from_state=before,
        to_state=item.status,
    )
    common.notify(
        users=common.unit_users(item.unit_id),
        title=f"整改事项被退回：{item.title}",
        body=reason,
        url=_url(item),
        key=f"rectification:{item.pk}:rejected:{item.rejection_count}",
    )
    return item


@transaction.atomic
def change_rectification_deadline(
    *,
    acting_user: User,
    item: Rectification | int,
    due_on: date,
    reason: str,
    version: int | None = None,
) -> Rectification:
    """The office moves the deadline (usually extends it), with a reason; the basis shown with
    the deadline says so. A moved deadline re-arms the reminders (their key has the date)."""
    item = _lock(item, version)
    _supervising(acting_user, item)
    _in(item, OPEN_RECTIFICATION_STATES, "调整整改期限")
    reason = common.required_text(reason, "reason", "调整理由")
    today = common.today()
    if not isinstance(due_on, date):
        raise DomainError("required", "请填写新的整改期限。", field_errors={"due_on": "请填写"})
    if due_on < today:
        raise DomainError("invalid", "整改期限不能早于今天。", field_errors={"due_on": "早于今天"})
    if due_on.year > today.year + MAX_DUE_YEARS:
        raise DomainError(
            "invalid",
            f"整改期限不能晚于{today.year + MAX_DUE_YEARS}年。",
            field_errors={"due_on": "过远"},
        )
    if due_on == item.due_on:
        raise DomainError(
            "invalid", f"新期限与现期限（{item.due_on}）相同。", field_errors={"due_on": "未改变"}
        )
    old = item.due_on
    item.due_on = due_on
    item.due_basis = f"{today} 由 {old} 调整：{reason}"[:200]
    common.bump(item, "due_on", "due_basis")
    common.event(
        item,
        actor=acting_user,
        verb="change_deadline",
        summary=f"整改期限由 {old} 调整为 {due_on}",
        note=reason,
    )
    common.notify(
        users=common.unit_users(item.unit_id),
        title=f"整改期限已调整为 {due_on}：{item.title}",
        body=reason,
        url=_url(item),
        key=f"rectification:{item.pk}:deadline:{item.version}",
    )
    return item
