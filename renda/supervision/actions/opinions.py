"""Review opinions (审议意见): the committee's opinions on a report it reviewed (an inspection
report or a work report), one row per body. The office that runs the source drafts them point
by point; the office or a leader issues them (each point becomes a rectification item, the
handling report is due within the configured months); the body reports its handling; the
committee votes on its satisfaction, which closes the opinion or sends it round again.

Every function: keyword-only, the acting user first, one transaction; the source (if any) is
locked before the opinion, one lock order for every action here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import models, transaction
from django.urls import reverse

from renda.core.deadlines import MONTHS, DueDate, Period, compute_due
from renda.core.errors import DomainError
from renda.core.models import Unit, User
from renda.meetings.models import Meeting
from renda.supervision import permissions as perms
from renda.supervision.actions import common
from renda.supervision.actions.rectification import NewRectification, open_rectifications
from renda.supervision.models import (
    INSPECTION_TRANSITIONS,
    OPINION_TRANSITIONS,
    Inspection,
    InspectionStatus,
    OpinionPoint,
    OpinionStatus,
    Problem,
    Rectification,
    ReviewOpinion,
    SupervisionRules,
    WorkReport,
    WorkReportStatus,
)

# [local] The standing committee's satisfaction vote passes when 满意 + 基本满意 make at least
# half of the votes cast (满意率 ≥ 50%); below that the body must handle the opinion again.
SATISFACTION_THRESHOLD = 0.5

# The states in which a source has a report the committee can have reviewed.
INSPECTION_SOURCE_STATES = (InspectionStatus.REPORTED, InspectionStatus.REVIEWED)
WORK_REPORT_SOURCE_STATES = (WorkReportStatus.SENT_TO_MEMBERS, WorkReportStatus.REVIEWED)

POINT_TITLE_LENGTH = 60


# ---------------------------------------------------------------------------------------------
# Shared steps


def opinion_url(opinion: ReviewOpinion) -> str:
    return reverse("supervision:opinion", args=[opinion.pk])


def percent_text(rate: float) -> str:
    """0.5 → "50%", 2/3 → "66.7%" (one decimal only when the ratio is not whole)."""
    value = round(rate * 100, 1)
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


def handling_due(start: date, basis: str) -> DueDate:
    """The configured handling period (2 months) from `start`, on the work calendar."""
    months = SupervisionRules.current().opinion_handling_months
    return compute_due(start=start, period=Period(months, MONTHS), basis=basis)


def _lock_opinion(opinion: ReviewOpinion | int, *, version: int | None = None) -> ReviewOpinion:
    """Lock the opinion's inspection (if that is its source) first, then the opinion."""
    pk = opinion.pk if isinstance(opinion, ReviewOpinion) else opinion
    inspection_id = ReviewOpinion.objects.filter(pk=pk).values_list("inspection_id", flat=True)
    inspection_id = inspection_id.first()
    if inspection_id:
        common.lock(Inspection, inspection_id, what="执法检查")
    locked = common.lock(ReviewOpinion, pk, version=version, what="审议意见")
    return ReviewOpinion.objects.select_related("unit", "office", "meeting").get(pk=locked.pk)


def _drafting(user: User, opinion: ReviewOpinion) -> None:
    common.require(
        perms.runs(user, opinion.office_id), f"只有{opinion.office.name}可以修改该审议意见。"
    )
    if opinion.status != OpinionStatus.DRAFT:
        raise DomainError(
            "not_draft", f"审议意见当前为“{opinion.get_status_display()}”，已不能修改。"
        )


def _point_text(text: str | None) -> str:
    return common.required_text(text, "text", "意见内容")


def _check_problem(
    problem: Problem | None, *, inspection: Inspection | None, unit_id: int
) -> Problem | None:
    """A point may cite a problem the inspection found at this body, and nothing else."""
    if problem is None:
        return None
    if inspection is None:
        raise DomainError(
            "invalid",
            "专项工作报告的审议意见不能关联执法检查发现的问题。",
            field_errors={"problem": "不能关联问题"},
        )
    if problem.inspection_id != inspection.pk:
        raise DomainError(
            "invalid", "所选问题不属于该执法检查。", field_errors={"problem": "不属于该执法检查"}
        )
    if problem.unit_id != unit_id:
        raise DomainError(
            "invalid",
            "所选问题的责任主体不是该交办机关。",
            field_errors={"problem": "不是该机关的问题"},
        )
    return problem


def _next_position(opinion: ReviewOpinion) -> int:
    return (opinion.points.aggregate(m=models.Max("position"))["m"] or 0) + 1


def _renumber(opinion: ReviewOpinion) -> None:
    # Points are numbered 一、二、三 in the document: keep the positions without gaps.
    for position, point in enumerate(opinion.points.order_by("position", "id"), start=1):
        if point.position != position:
            point.position = position
            point.save(update_fields=["position"])


def _check_meeting(meeting: Meeting, *, field: str = "meeting") -> None:
    if meeting.kind != Meeting.Kind.STANDING:
        raise DomainError(
            "invalid",
            "审议意见由常委会会议审议形成，请选择常委会会议。",
            field_errors={field: "应为常委会会议"},
        )


# ---------------------------------------------------------------------------------------------
# Drafting


def _lock_source(
    inspection: Inspection | None, work_report: WorkReport | None
) -> Inspection | WorkReport:
    if (inspection is None) == (work_report is None):
        raise DomainError(
            "invalid",
            "请选择审议意见的来源：一项执法检查或一项专项工作报告（二者选一）。",
            field_errors={"source": "请选择一个来源"},
        )
    if inspection is not None:
        source = common.lock(Inspection, inspection.pk, what="执法检查")
    else:
        source = common.lock(WorkReport, work_report.pk, what="专项工作报告")
    return source


def _check_source_state(source: Inspection | WorkReport) -> None:
    if isinstance(source, Inspection):
        if source.status not in INSPECTION_SOURCE_STATES:
            raise DomainError(
                "invalid_transition",
                f"执法检查当前为“{source.get_status_display()}”，形成检查报告后才能起草审议意见。",
            )
    elif source.status not in WORK_REPORT_SOURCE_STATES:
        raise DomainError(
            "invalid_transition",
            f"专项工作报告当前为“{source.get_status_display()}”，"
            "送常委会组成人员审议后才能起草审议意见。",
        )


@transaction.atomic
def draft_opinion(
    *,
    acting_user: User,
    unit: Unit,
    meeting: Meeting,
    title: str,
    inspection: Inspection | None = None,
    work_report: WorkReport | None = None,
    preamble: str = "",
    points: Sequence[tuple[str, Problem | None]] = (),
) -> ReviewOpinion:
    """Draft the opinion to one body on a reviewed inspection or work report. One draft per
    source and body at a time: the source is locked, so two clerks cannot both start one."""
    source = _lock_source(inspection, work_report)
    office = source.office
    common.require(
        perms.runs(acting_user, source.office_id), f"只有{office.name}可以起草该审议意见。"
    )
    _check_source_state(source)
    locked_inspection = source if isinstance(source, Inspection) else None
    locked_report = source if isinstance(source, WorkReport) else None
    title = common.required_text(title, "title", "标题")[:200]
    if not unit.is_active:
        raise DomainError("invalid", f"{unit.name}已停用。", field_errors={"unit": "已停用"})
    _check_meeting(meeting)
    values = [
        (
            _point_text(text),
            _check_problem(problem, inspection=locked_inspection, unit_id=unit.pk),
        )
        for text, problem in points
    ]
    drafts = ReviewOpinion.objects.filter(
        inspection=locked_inspection,
        work_report=locked_report,
        unit=unit,
        status=OpinionStatus.DRAFT,
    )
    if drafts.exists():
        raise DomainError(
            "duplicate_draft",
            f"对{unit.name}已有一份起草中的审议意见，请在该草稿中修改。",
            field_errors={"unit": "已有草稿"},
        )
    opinion = ReviewOpinion.objects.create(
        title=title,
        unit=unit,
        office=office,
        inspection=locked_inspection,
        work_report=locked_report,
        meeting=meeting,
        preamble=(preamble or "").strip(),
        created_by=acting_user,
        created_at=common.now(),
    )
    OpinionPoint.objects.bulk_create(
        OpinionPoint(opinion=opinion, problem=problem, position=n, text=text)
        for n, (text, problem) in enumerate(values, start=1)
    )
    common.event(
        opinion,
        actor=acting_user,
        verb="draft",
        summary=f"起草审议意见（交{unit.name}，{len(values)} 条意见）",
        to_state=OpinionStatus.DRAFT,
    )
    return opinion


@transaction.atomic
def update_opinion(
    *,
    acting_user: User,
    opinion: ReviewOpinion,
    title: str,
    preamble: str = "",
    version: int | None = None,
) -> ReviewOpinion:
    opinion = _lock_opinion(opinion, version=version)
    _drafting(acting_user, opinion)
    opinion.title = common.required_text(title, "title", "标题")[:200]
    opinion.preamble = (preamble or "").strip()
    common.bump(opinion, "title", "preamble")
    common.event(opinion, actor=acting_user, verb="edit", summary="修改标题和总体意见")
    return opinion


@transaction.atomic
def add_point(
    *,
    acting_user: User,
    opinion: ReviewOpinion,
    text: str,
    problem: Problem | None = None,
    version: int | None = None,
) -> OpinionPoint:
    opinion = _lock_opinion(opinion, version=version)
    _drafting(acting_user, opinion)
    text = _point_text(text)
    problem = _check_problem(problem, inspection=opinion.inspection, unit_id=opinion.unit_id)
    point = OpinionPoint.objects.create(
        opinion=opinion, problem=problem, position=_next_position(opinion), text=text
    )
    common.bump(opinion)
    common.event(
        opinion, actor=acting_user, verb="add_point", summary=f"增加第 {point.position} 条意见"
    )
    return point


def _lock_point(point: OpinionPoint | int, version: int | None) -> OpinionPoint:
    pk = point.pk if isinstance(point, OpinionPoint) else point
    opinion_id = OpinionPoint.objects.filter(pk=pk).values_list("opinion_id", flat=True).first()
    if opinion_id is None:
        raise DomainError("not_found", "该意见条目不存在或已被删除。")
    opinion = _lock_opinion(opinion_id, version=version)
    locked = OpinionPoint.objects.select_for_update(of=("self",)).get(pk=pk)
    locked.opinion = opinion
    return locked


@transaction.atomic
def update_point(
    *,
    acting_user: User,
    point: OpinionPoint,
    text: str,
    problem: Problem | None = None,
    version: int | None = None,
) -> OpinionPoint:
    """Change a point's text or the problem it cites; `version` is the opinion's."""
    point = _lock_point(point, version)
    opinion = point.opinion
    _drafting(acting_user, opinion)
    point.text = _point_text(text)
    point.problem = _check_problem(problem, inspection=opinion.inspection, unit_id=opinion.unit_id)
    point.save(update_fields=["text", "problem"])
    common.bump(opinion)
    common.event(
        opinion, actor=acting_user, verb="edit_point", summary=f"修改第 {point.position} 条意见"
    )
    return point


@transaction.atomic
def remove_point(
    *, acting_user: User, point: OpinionPoint, version: int | None = None
) -> ReviewOpinion:
    point = _lock_point(point, version)
    opinion = point.opinion
    _drafting(acting_user, opinion)
    position = point.position
    point.delete()
    _renumber(opinion)
    common.bump(opinion)
    common.event(
        opinion, actor=acting_user, verb="remove_point", summary=f"删除第 {position} 条意见"
    )
    return opinion


# ---------------------------------------------------------------------------------------------
# Issuing


def point_title(text: str) -> str:
    """A rectification item's title: the point's first sentence, shortened."""
    first = text.strip().splitlines()[0]
    for stop in "。；;":
        if stop in first[:-1]:
            first = first.split(stop, 1)[0]
    return first if len(first) <= POINT_TITLE_LENGTH else first[: POINT_TITLE_LENGTH - 1] + "…"


def _late_note(opinion: ReviewOpinion, today: date) -> str:
    days = SupervisionRules.current().opinion_issue_days
    if (today - opinion.meeting.date).days > days:
        return f"（超过 {days} 日交办期限）"
    return ""


def _mark_inspection_reviewed(acting_user: User, opinion: ReviewOpinion) -> None:
    """The first opinion issued on an inspection report moves the inspection on."""
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=opinion.inspection_id)
    if inspection.status != InspectionStatus.REPORTED:
        return
    before = common.move(
        inspection, InspectionStatus.REVIEWED, INSPECTION_TRANSITIONS, "交办审议意见"
    )
    common.bump(inspection, "status")
    common.event(
        inspection,
        actor=acting_user,
        verb="review",
        summary=f"常委会审议意见已交办（{opinion.unit.name}）",
        from_state=before,
        to_state=inspection.status,
    )


def _open_items(
    acting_user: User, opinion: ReviewOpinion, points: list[OpinionPoint]
) -> list[Rectification]:
    return open_rectifications(
        acting_user=acting_user,
        items=[
            NewRectification(
                source=Rectification.Source.OPINION,
                unit_id=opinion.unit_id,
                office_id=opinion.office_id,
                title=point_title(point.text),
                description=point.text,
                point=point,
                problem=point.problem,
                opinion=opinion,
                inspection=opinion.inspection,
                due_on=opinion.due_on,
                due_basis=opinion.due_basis,
            )
            for point in points
        ],
    )


@transaction.atomic
def issue_opinion(
    *, acting_user: User, opinion: ReviewOpinion, version: int | None = None
) -> ReviewOpinion:
    """Send the opinion to its body: the handling report is due in the configured months from
    today (the issue day); each point becomes a rectification item with the same deadline."""
    opinion = _lock_opinion(opinion, version=version)
    common.require(
        perms.runs(acting_user, opinion.office_id) or perms.is_leader(acting_user),
        f"只有{opinion.office.name}或常委会领导可以交办审议意见。",
    )
    before = common.move(opinion, OpinionStatus.ISSUED, OPINION_TRANSITIONS, "交办")
    points = list(opinion.points.select_related("problem").order_by("position", "id"))
    if not points:
        raise DomainError("no_points", "审议意见还没有意见条目，不能交办。")
    today = common.today()
    if today < opinion.meeting.date:
        raise DomainError(
            "invalid",
            f"{opinion.meeting.title}（{opinion.meeting.date}）尚未举行，不能交办审议意见。",
        )
    due = handling_due(today, "交办日")
    opinion.issued_on = today
    opinion.due_on = due.due
    opinion.due_basis = due.explanation[:200]
    common.bump(opinion, "status", "issued_on", "due_on", "due_basis")
    common.event(
        opinion,
        actor=acting_user,
        verb="issue",
        summary=f"交办{opinion.unit.name}，{due.due} 前书面报告研究处理情况",
        note=_late_note(opinion, today),
        from_state=before,
        to_state=opinion.status,
    )
    _open_items(acting_user, opinion, points)
    if opinion.inspection_id:
        _mark_inspection_reviewed(acting_user, opinion)
    common.notify(
        users=common.unit_users(opinion.unit_id),
        title=f"审议意见交办：{opinion.title}",
        body=f"请于 {due.due} 前书面报告研究处理情况。",
        url=opinion_url(opinion),
        key=f"opinion:{opinion.pk}:issued",
    )
    return opinion


# ---------------------------------------------------------------------------------------------
# Handling and the satisfaction vote


@transaction.atomic
def report_opinion_handling(
    *, acting_user: User, opinion: ReviewOpinion, text: str, version: int | None = None
) -> ReviewOpinion:
    """The body's written report on how it handled the opinion (研究处理情况的报告)."""
    opinion = _lock_opinion(opinion, version=version)
    common.require(
        perms.answers_for(acting_user, opinion.unit_id),
        f"只有{opinion.unit.name}可以报告该审议意见的研究处理情况。",
    )
    before = common.move(opinion, OpinionStatus.REPORTED, OPINION_TRANSITIONS, "报告研究处理情况")
    text = common.required_text(text, "text", "研究处理情况")
    today = common.today()
    opinion.handling_report = text
    opinion.reported_on = today
    common.bump(opinion, "status", "handling_report", "reported_on")
    late = (today - opinion.due_on).days if opinion.due_on else 0
    round_label = f"（第 {opinion.round} 轮）" if opinion.round > 1 else ""
    common.event(
        opinion,
        actor=acting_user,
        verb="report",
        summary=f"{opinion.unit.name}报告研究处理情况{round_label}",
        note=f"超过办理期限（{opinion.due_on}）{late} 日报告" if late > 0 else "",
        from_state=before,
        to_state=opinion.status,
    )
    common.notify(
        users=common.office_staff(opinion.office_id),
        title=f"审议意见研究处理情况已报告：{opinion.title}",
        body=f"{opinion.unit.name}{round_label}",
        url=opinion_url(opinion),
        key=f"opinion:{opinion.pk}:reported:{opinion.round}",
    )
    return opinion


def _check_vote_meeting(opinion: ReviewOpinion, meeting: Meeting, today: date) -> None:
    _check_meeting(meeting)
    if meeting.date > today:
        raise DomainError(
            "invalid", f"{meeting.title}尚未举行。", field_errors={"meeting": "会议尚未举行"}
        )
    if opinion.reported_on and meeting.date < opinion.reported_on:
        raise DomainError(
            "invalid",
            "测评会议应在报告研究处理情况之后举行。",
            field_errors={"meeting": "早于报告日期"},
        )


@transaction.atomic
def record_opinion_vote(
    *,
    acting_user: User,
    opinion: ReviewOpinion,
    meeting: Meeting,
    votes_satisfied: int,
    votes_basic: int,
    votes_unsatisfied: int,
    version: int | None = None,
) -> ReviewOpinion:
    """The standing committee's satisfaction vote on the handling report: at least
    SATISFACTION_THRESHOLD closes the opinion, below it the body handles it again."""
    opinion = _lock_opinion(opinion, version=version)
    common.require(
        perms.runs(acting_user, opinion.office_id),
        f"只有{opinion.office.name}可以录入满意度测评结果。",
    )
    if opinion.status != OpinionStatus.REPORTED:
        raise DomainError(
            "invalid_transition",
            f"审议意见当前为“{opinion.get_status_display()}”，不能录入满意度测评结果。",
        )
    today = common.today()
    _check_vote_meeting(opinion, meeting, today)
    counts = common.parse_votes(votes_satisfied, votes_basic, votes_unsatisfied)
    rate = common.satisfaction_rate(*counts)
    opinion.votes_satisfied, opinion.votes_basic, opinion.votes_unsatisfied = counts
    opinion.vote_meeting = meeting
    fields = ["status", "votes_satisfied", "votes_basic", "votes_unsatisfied", "vote_meeting"]
    tally = (
        f"满意 {counts[0]}、基本满意 {counts[1]}、不满意 {counts[2]}，满意率 {percent_text(rate)}"
    )
    if rate >= SATISFACTION_THRESHOLD:
        before = common.move(opinion, OpinionStatus.CLOSED, OPINION_TRANSITIONS, "办结")
        summary = f"满意度测评通过，办结（{tally}）"
        title = f"审议意见已办结：{opinion.title}"
    else:
        before = common.move(opinion, OpinionStatus.FOLLOW_UP, OPINION_TRANSITIONS, "跟踪督办")
        due = handling_due(today, "跟踪督办日")
        opinion.round += 1
        opinion.due_on = due.due
        opinion.due_basis = due.explanation[:200]
        fields += ["round", "due_on", "due_basis"]
        summary = (
            f"满意度测评未通过，跟踪督办（{tally}）；第 {opinion.round} 轮，"
            f"{due.due} 前再次报告研究处理情况"
        )
        title = f"审议意见须继续办理：{opinion.title}"
    common.bump(opinion, *fields)
    common.event(
        opinion,
        actor=acting_user,
        verb="vote",
        summary=summary,
        note=meeting.title,
        from_state=before,
        to_state=opinion.status,
    )
    common.notify(
        users=common.unit_users(opinion.unit_id),
        title=title,
        body=tally,
        url=opinion_url(opinion),
        key=f"opinion:{opinion.pk}:voted:{opinion.version}",
    )
    return opinion
