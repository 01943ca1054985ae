"""The deadline tick of work reports: each statutory date (report draft, revised report, to the
members) that is near (SupervisionRules.remind_days_before) or has passed without its step is
told once to the reporting unit's users and the office's staff. The key carries the date, so a
rescheduled meeting (new dates) re-arms the reminder."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from renda.core.notifications import notify
from renda.core.ticks import register
from renda.supervision.actions import common
from renda.supervision.actions.work_reports import STEP_LABELS, STEPS
from renda.supervision.models import SupervisionRules, WorkReport, WorkReportStatus


class _Recipients:
    """The unit's users and the office's staff, each read once per tick."""

    def __init__(self) -> None:
        self._units: dict[int, list] = {}
        self._offices: dict[int, list] = {}

    def __call__(self, report: WorkReport) -> list:
        if report.unit_id not in self._units:
            self._units[report.unit_id] = common.unit_users(report.unit_id)
        if report.office_id not in self._offices:
            self._offices[report.office_id] = common.office_staff(report.office_id)
        return self._units[report.unit_id] + self._offices[report.office_id]


def _open_steps(report: WorkReport):
    """(step, due date) of the statutory steps not yet done."""
    for step, _status, due_field, done_field in STEPS:
        if due_field and getattr(report, done_field) is None:
            yield step, getattr(report, due_field)


def _message(report: WorkReport, step: str, due: date, today: date) -> tuple[str, str, str]:
    label = STEP_LABELS[step]
    if today > due:
        days = (today - due).days
        return (
            "overdue",
            f"专项工作报告已逾期：{report.title}",
            f"{label}应于 {due} 前完成，已逾期 {days} 日",
        )
    days = (due - today).days
    when = "今天到期" if days == 0 else f"还有 {days} 日"
    return "due", f"专项工作报告即将到期：{report.title}", f"{label}应于 {due} 前完成，{when}"


@register("supervision_work_reports")
def remind_work_reports(now: datetime) -> int:
    today = timezone.localdate(now)
    horizon = today + timedelta(days=SupervisionRules.current().remind_days_before)
    # due_at is the earliest open date: a report whose due_at is beyond the horizon has nothing
    # to tell (the partial index on open reports serves this filter).
    reports = (
        WorkReport.objects.exclude(status=WorkReportStatus.REVIEWED)
        .filter(due_at__lte=horizon)
        .order_by("due_at", "id")
    )
    recipients = _Recipients()
    sent = 0
    for report in reports:
        for step, due in _open_steps(report):
            if due > horizon:
                continue
            kind, title, body = _message(report, step, due, today)
            sent += len(
                notify(
                    users=recipients(report),
                    title=title,
                    body=body,
                    url=reverse("supervision:work_report", args=[report.pk]),
                    key=f"work-report:{report.pk}:{step}:{kind}:{due}",
                )
            )
    return sent
