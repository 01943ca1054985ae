"""Work reports (专项工作报告, 监督法 13–17): a body reports to the standing committee on a topic;
the report reaches the committee's office 20 days before the meeting, the revised report the
committee 10 days before, and the members 7 days before (SupervisionRules).

The three statutory dates are counted back from the meeting in calendar days; a date that falls
on a rest day or holiday moves to the previous working day, so the material is there in time
(`statutory_dates`, a pure function). Each step is then recorded in order; a late step says by
how many days, and `due_at` is always the next open date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from renda.core.calendar import ONE_DAY, WorkCalendar
from renda.core.errors import DomainError, NotAllowed
from renda.core.models import Office, Unit, User
from renda.meetings.models import Meeting
from renda.plans import actions as plan_actions
from renda.plans.models import PlanItem
from renda.supervision import permissions as perms
from renda.supervision.actions import common
from renda.supervision.actions.inquiries import check_plan_item
from renda.supervision.models import (
    WORK_REPORT_TRANSITIONS,
    SupervisionRules,
    WorkReport,
    WorkReportStatus,
)

WHAT = "专项工作报告"


# ---------------------------------------------------------------------------------------------
# The statutory dates


@dataclass(frozen=True)
class StatutoryDate:
    step: str  # "draft", "revised", "members"
    label: str
    days_before: int
    nominal: date  # the meeting date minus the days
    due: date  # the nominal date, or the working day before it
    explanation: str  # "会议 2026-09-24 前 20 日 = 2026-09-04"


@dataclass(frozen=True)
class StatutoryDates:
    draft: StatutoryDate
    revised: StatutoryDate
    members: StatutoryDate

    def __iter__(self):
        return iter((self.draft, self.revised, self.members))


STEP_LABELS = {
    "draft": "报告稿送常委会办事机构",
    "revised": "修改后的报告送常委会",
    "members": "报告送常委会组成人员",
    "reviewed": "常委会会议审议",
}


def _previous_workday(calendar: WorkCalendar, day: date) -> date:
    while not calendar.is_workday(day):
        day -= ONE_DAY
    return day


def _one(step: str, meeting_date: date, days: int, calendar: WorkCalendar) -> StatutoryDate:
    nominal = meeting_date - timedelta(days=days)
    with calendar.track_unknown_years() as touched:
        due = _previous_workday(calendar, nominal)
    text = f"会议 {meeting_date} 前 {days} 日 = {nominal}"
    if due != nominal:
        name = calendar.day_name(nominal)
        reason = f"逢{name}假期" if name else "逢休息日"
        text += f"，{reason}提前至 {due}"
    if touched:
        years = "、".join(str(year) for year in sorted(touched))
        text += f"（{years} 年节假日安排未录入，暂按周末计算）"
    return StatutoryDate(step, STEP_LABELS[step], days, nominal, due, text)


def statutory_dates(
    meeting_date: date, rules: SupervisionRules, calendar: WorkCalendar
) -> StatutoryDates:
    """The three dates before a meeting by which the report must be in (pure: the rules and the
    calendar are given)."""
    return StatutoryDates(
        draft=_one("draft", meeting_date, rules.draft_days_before, calendar),
        revised=_one("revised", meeting_date, rules.revised_days_before, calendar),
        members=_one("members", meeting_date, rules.members_days_before, calendar),
    )


# The steps in order: the status a step leads to, its due-date column, its done-date column.
STEPS = (
    ("draft", WorkReportStatus.DRAFT_RECEIVED, "draft_due_on", "draft_received_on"),
    ("revised", WorkReportStatus.REVISED_RECEIVED, "revised_due_on", "revised_received_on"),
    ("members", WorkReportStatus.SENT_TO_MEMBERS, "members_due_on", "sent_to_members_on"),
    ("reviewed", WorkReportStatus.REVIEWED, None, "reviewed_on"),
)


def next_due(report: WorkReport) -> date | None:
    """The next open date: the first statutory date not yet done, then the meeting itself."""
    for _step, _status, due_field, done_field in STEPS:
        if getattr(report, done_field) is None:
            return getattr(report, due_field) if due_field else report.meeting.date
    return None


# ---------------------------------------------------------------------------------------------
# Shared checks


def _lock(report: WorkReport | int, version: int | None = None) -> WorkReport:
    pk = report.pk if isinstance(report, WorkReport) else report
    return common.lock(WorkReport, pk, version=version, what=WHAT)


def _running(user: User, report: WorkReport) -> None:
    if not perms.runs(user, report.office_id):
        name = Office.objects.filter(pk=report.office_id).values_list("name", flat=True).first()
        raise NotAllowed(f"只有{name}可以办理该专项工作报告。")


def _future_standing_meeting(meeting: Meeting) -> Meeting:
    if meeting is None or meeting.kind != Meeting.Kind.STANDING:
        raise DomainError(
            "invalid",
            "专项工作报告由常委会会议听取和审议，请选择常委会会议。",
            field_errors={"meeting": "应为常委会会议"},
        )
    if meeting.date <= common.today():
        raise DomainError(
            "invalid",
            f"所选会议（{meeting.date}）不在今天之后，请选择将要举行的常委会会议。",
            field_errors={"meeting": "会议日期已过"},
        )
    return meeting


def _url(report: WorkReport) -> str:
    return reverse("supervision:work_report", args=[report.pk])


def _people(report: WorkReport) -> list[User]:
    return common.unit_users(report.unit_id) + common.office_staff(report.office_id)


def _dates_text(dates: StatutoryDates) -> str:
    return "\n".join(f"{d.label}：{d.due}（{d.explanation}）" for d in dates)


# ---------------------------------------------------------------------------------------------
# Scheduling


@transaction.atomic
def schedule_work_report(
    *,
    acting_user: User,
    title: str,
    year: int,
    unit: Unit,
    office: Office,
    meeting: Meeting,
    plan_item: PlanItem | None = None,
) -> WorkReport:
    common.require(perms.runs(acting_user, office.pk), "只能为本机构安排专项工作报告。")
    title = common.required_text(title, "title", "报告名称")[:200]
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("invalid", "年度不正确。", field_errors={"year": "年度不正确"})
    meeting = _future_standing_meeting(meeting)
    plan_item = check_plan_item(plan_item, office)
    dates = statutory_dates(meeting.date, SupervisionRules.current(), WorkCalendar.load())
    report = WorkReport.objects.create(
        title=title,
        year=year,
        unit=unit,
        office=office,
        plan_item=plan_item,
        meeting=meeting,
        draft_due_on=dates.draft.due,
        revised_due_on=dates.revised.due,
        members_due_on=dates.members.due,
        due_at=dates.draft.due,
        created_by=acting_user,
        created_at=common.now(),
    )
    common.event(
        report,
        actor=acting_user,
        verb="schedule",
        summary=f"列入{meeting.title}议程，听取{unit.name}的报告",
        note=_dates_text(dates),
        to_state=report.status,
    )
    if plan_item is not None:
        plan_actions.link_item(
            acting_user=acting_user, item=plan_item, target=report, label=f"专项工作报告：{title}"
        )
    common.notify(
        users=common.unit_users(unit.pk),
        title=f"请按期报送专项工作报告：{title}",
        body=_dates_text(dates),
        url=_url(report),
        key=f"work-report:{report.pk}:scheduled",
    )
    return report


@transaction.atomic
def reschedule_work_report(
    *, acting_user: User, report: WorkReport, meeting: Meeting, version: int | None = None
) -> WorkReport:
    """Move the report to another meeting: the dates of the steps not yet done are counted again
    from the new meeting."""
    report = _lock(report, version)
    _running(acting_user, report)
    if report.status == WorkReportStatus.REVIEWED:
        raise DomainError("invalid_transition", "报告已经审议，不能改期。")
    meeting = _future_standing_meeting(meeting)
    if meeting.pk == report.meeting_id:
        raise DomainError(
            "invalid", "所选会议与原会议相同。", field_errors={"meeting": "与原会议相同"}
        )
    old = report.meeting.title
    dates = statutory_dates(meeting.date, SupervisionRules.current(), WorkCalendar.load())
    changed = ["meeting", "due_at"]
    for new, (_step, _status, due_field, done_field) in zip(dates, STEPS, strict=False):
        if getattr(report, done_field) is None:
            setattr(report, due_field, new.due)
            changed.append(due_field)
    report.meeting = meeting
    report.due_at = next_due(report)
    common.bump(report, *changed)
    open_dates = [d for d, s in zip(dates, STEPS, strict=False) if getattr(report, s[3]) is None]
    common.event(
        report,
        actor=acting_user,
        verb="reschedule",
        summary=f"由{old}改至{meeting.title}",
        note="\n".join(f"{d.label}：{d.due}（{d.explanation}）" for d in open_dates),
    )
    common.notify(
        users=_people(report),
        title=f"专项工作报告改期：{report.title}",
        body=f"改至{meeting.title}（{meeting.date}）",
        url=_url(report),
        key=f"work-report:{report.pk}:rescheduled:{meeting.pk}",
    )
    return report


def _recount_open_steps(report: WorkReport, dates: StatutoryDates) -> list[str]:
    """Set the due dates of the steps not yet done from `dates`; the changes, as text."""
    changed = []
    for new, (_step, _status, due_field, done_field) in zip(dates, STEPS, strict=False):
        old = getattr(report, due_field)
        if getattr(report, done_field) is None and old != new.due:
            setattr(report, due_field, new.due)
            changed.append(f"{new.label} {old} → {new.due}（{new.explanation}）")
    return changed


def recompute_statutory_dates(sender=None, *, years, **kwargs) -> int:
    """When an admin enters or corrects a year's holidays, the dates of the steps not yet done
    are counted again for the open reports they may touch (connected to
    core.deadlines.calendar_changed). Returns how many reports changed."""
    years = set(years)
    calendar = WorkCalendar.load()
    rules = SupervisionRules.current()
    changed = 0
    candidates = WorkReport.objects.exclude(status=WorkReportStatus.REVIEWED).select_related(
        "meeting"
    )
    for report in candidates:
        touched = {report.meeting.date.year, report.draft_due_on.year}
        if not touched & years:
            continue
        with transaction.atomic():
            locked = _lock(report)
            dates = statutory_dates(locked.meeting.date, rules, calendar)
            lines = _recount_open_steps(locked, dates)
            if not lines:
                continue
            locked.due_at = next_due(locked)
            common.bump(locked, "draft_due_on", "revised_due_on", "members_due_on", "due_at")
            common.event(
                locked,
                actor=None,
                verb="recompute_due",
                summary="节假日安排变更后重新计算法定日期",
                note="\n".join(lines),
            )
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------------
# The steps, in order


def _record(
    user: User, report: WorkReport, step: str, on: date, version: int | None, doing: str
) -> tuple[WorkReport, int]:
    """Record one step: in order, on a day not in the future nor before the step before it;
    a step after its statutory date says by how many days."""
    report = _lock(report, version)
    _running(user, report)
    index = [s[0] for s in STEPS].index(step)
    _step, to, due_field, done_field = STEPS[index]
    before = common.move(report, to, WORK_REPORT_TRANSITIONS, doing)
    if not isinstance(on, date):
        raise DomainError("required", "请填写日期。", field_errors={"on": "请填写日期"})
    if on > common.today():
        raise DomainError("invalid", "日期不能晚于今天。", field_errors={"on": "晚于今天"})
    if index:
        previous = getattr(report, STEPS[index - 1][3])
        if previous and on < previous:
            raise DomainError(
                "invalid",
                f"日期不能早于上一环节（{previous}）。",
                field_errors={"on": "早于上一环节"},
            )
    if step == "reviewed" and on < report.meeting.date:
        raise DomainError(
            "invalid",
            f"审议日期不能早于会议日期（{report.meeting.date}）。",
            field_errors={"on": "早于会议日期"},
        )
    setattr(report, done_field, on)
    report.due_at = next_due(report)
    common.bump(report, "status", done_field, "due_at")
    due = getattr(report, due_field) if due_field else None
    late = (on - due).days if due and on > due else 0
    summary = f"{on} {STEP_LABELS[step]}"
    if due:
        summary += f"，晚于法定时间 {late} 日" if late else "，符合法定时间"
    common.event(
        report,
        actor=user,
        verb=f"record_{step}",
        summary=summary,
        from_state=before,
        to_state=report.status,
    )
    return report, late


@transaction.atomic
def record_draft_received(
    *, acting_user: User, report: WorkReport, on: date, version: int | None = None
) -> WorkReport:
    report, _ = _record(acting_user, report, "draft", on, version, "登记收到报告稿")
    return report


@transaction.atomic
def record_revised_received(
    *, acting_user: User, report: WorkReport, on: date, version: int | None = None
) -> WorkReport:
    report, _ = _record(acting_user, report, "revised", on, version, "登记收到修改稿")
    return report


@transaction.atomic
def record_sent_to_members(
    *, acting_user: User, report: WorkReport, on: date, version: int | None = None
) -> WorkReport:
    report, _ = _record(acting_user, report, "members", on, version, "登记送组成人员")
    return report


@transaction.atomic
def record_reviewed(
    *, acting_user: User, report: WorkReport, on: date, version: int | None = None
) -> WorkReport:
    report, _ = _record(acting_user, report, "reviewed", on, version, "登记审议")
    common.notify(
        users=common.office_staff(report.office_id),
        title=f"专项工作报告已审议，请起草审议意见：{report.title}",
        url=_url(report),
        key=f"work-report:{report.pk}:reviewed",
    )
    return report
