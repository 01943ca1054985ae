"""Reads of work reports: who sees which (the organ all of them; a unit its own), the list with
its filters, the one way to fetch a report for a user, the moves the user may take now, and the
statutory checklist (step, due date, done date, state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from renda.core.calendar import WorkCalendar
from renda.core.models import Role
from renda.supervision import permissions as perms
from renda.supervision.actions.work_reports import STEP_LABELS, STEPS, statutory_dates
from renda.supervision.models import SupervisionRules, WorkReport, WorkReportStatus

# The action that records the step after each state.
NEXT_STEP_ACTION = {
    WorkReportStatus.SCHEDULED: "record_draft_received",
    WorkReportStatus.DRAFT_RECEIVED: "record_revised_received",
    WorkReportStatus.REVISED_RECEIVED: "record_sent_to_members",
    WorkReportStatus.SENT_TO_MEMBERS: "record_reviewed",
}
# The step whose date `due_at` holds in each open state.
OPEN_STEP = {
    WorkReportStatus.SCHEDULED: "draft",
    WorkReportStatus.DRAFT_RECEIVED: "revised",
    WorkReportStatus.REVISED_RECEIVED: "members",
    WorkReportStatus.SENT_TO_MEMBERS: "reviewed",
}


def visible_work_reports(user) -> QuerySet[WorkReport]:
    if not user.is_authenticated:
        return WorkReport.objects.none()
    if perms.is_organ(user):
        return WorkReport.objects.all()
    if Role.UNIT in user.roles.names:
        return WorkReport.objects.filter(unit_id__in=list(user.roles.unit_ids))
    return WorkReport.objects.none()


def get_work_report_for_user(user, pk: int) -> WorkReport:
    report = (
        visible_work_reports(user)
        .select_related("unit", "office", "meeting", "plan_item", "created_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise perms.not_found("专项工作报告")
    return report


# ---------------------------------------------------------------------------------------------
# The list


@dataclass(frozen=True)
class WorkReportFilters:
    year: int | None = None
    status: str = ""
    unit: int | None = None
    office: int | None = None
    overdue: bool = False


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def filters_from_params(params) -> WorkReportFilters:
    status = params.get("status", "")
    return WorkReportFilters(
        year=_positive_int(params.get("year")),
        status=status if status in WorkReportStatus.values else "",
        unit=_positive_int(params.get("unit")),
        office=_positive_int(params.get("office")),
        overdue=params.get("overdue") in ("1", "true", "on"),
    )


def work_report_list(
    user, filters: WorkReportFilters = WorkReportFilters(), *, today: date | None = None
) -> QuerySet[WorkReport]:
    rows = visible_work_reports(user)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.unit:
        rows = rows.filter(unit_id=filters.unit)
    if filters.office:
        rows = rows.filter(office_id=filters.office)
    if filters.overdue and today is not None:
        rows = rows.exclude(status=WorkReportStatus.REVIEWED).filter(due_at__lt=today)
    return rows.select_related("unit", "office", "meeting").order_by("-year", "due_at", "-id")


def work_report_years() -> list[int]:
    return list(WorkReport.objects.values_list("year", flat=True).distinct().order_by("-year"))


def next_step_label(report: WorkReport) -> str:
    step = OPEN_STEP.get(report.status)
    return STEP_LABELS[step] if step else ""


# ---------------------------------------------------------------------------------------------
# One report


def work_report_actions(user, report: WorkReport) -> set[str]:
    if not perms.runs(user, report.office_id):
        return set()
    names: set[str] = set()
    step = NEXT_STEP_ACTION.get(report.status)
    if step:
        names |= {step, "reschedule_work_report"}
    return names


STATE_LABELS = {
    "on_time": "按时完成",
    "late": "逾期完成",
    "overdue": "已逾期",
    "upcoming": "未到期",
}


@dataclass(frozen=True)
class ChecklistRow:
    step: str
    label: str
    due_on: date
    done_on: date | None
    state: str  # on_time, late, overdue, upcoming
    days: int  # days late (late, overdue) or left (upcoming)
    basis: str

    @property
    def state_label(self) -> str:
        label = STATE_LABELS[self.state]
        if self.state in ("late", "overdue") and self.days:
            return f"{label} {self.days} 日"
        return label


def _state(due: date, done: date | None, today: date) -> tuple[str, int]:
    if done is not None:
        return ("late", (done - due).days) if done > due else ("on_time", 0)
    if today > due:
        return "overdue", (today - due).days
    return "upcoming", (due - today).days


def checklist(
    report: WorkReport,
    *,
    today: date,
    rules: SupervisionRules | None = None,
    calendar: WorkCalendar | None = None,
) -> list[ChecklistRow]:
    """The statutory steps with their dates and states. The basis is the count from the meeting
    by the current rules; a date fixed under other rules says so."""
    rules = rules or SupervisionRules.current()
    calendar = calendar or WorkCalendar.load()
    meeting_date = report.meeting.date
    computed = {d.step: d for d in statutory_dates(meeting_date, rules, calendar)}
    rows = []
    for step, _status, due_field, done_field in STEPS:
        due = getattr(report, due_field) if due_field else meeting_date
        done = getattr(report, done_field)
        if step == "reviewed":
            basis = f"常委会会议 {meeting_date}"
        elif computed[step].due == due:
            basis = computed[step].explanation
        else:
            basis = "按安排时的期限设置确定"
        state, days = _state(due, done, today)
        rows.append(ChecklistRow(step, STEP_LABELS[step], due, done, state, days, basis))
    return rows


def opinion_create_url(report: WorkReport) -> str | None:
    """Where to draft the committee's review opinions on this report (the opinions' pages), or
    None while they are not installed."""
    try:
        return f"{reverse('supervision:opinion_create')}?work_report={report.pk}"
    except NoReverseMatch:
        return None
