"""Role-matrix entries for work reports (see tests/core/test_role_matrix.py for the format), and the
work-report builders the work-report tests share.

Reports are scheduled by personas.staff's office (人事代表工作室) for personas.unit's unit, so that
staff and the admin may act and the unit sees its own. The matrix does not freeze time: a report
that must be reviewable is scheduled "as of" two months ago for a meeting five days ago, its
steps recorded as of the days before that."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from renda.core.models import Office, Unit, User
from renda.meetings.models import Meeting
from renda.supervision.actions import common
from renda.supervision.actions import work_reports as actions
from renda.supervision.models import WorkReport
from tests.supervision.matrix_inquiries import standing_meeting

READERS = {"admin", "leader", "staff", "unit"}
OFFICE = {"admin", "staff"}
BASE = "/api/v1/supervision/work-reports"
TITLE = "关于全区城市管理工作情况的报告"

# The steps in order, as (action, days before the meeting it is recorded on).
STEPS = (
    (actions.record_draft_received, 21),
    (actions.record_revised_received, 12),
    (actions.record_sent_to_members, 8),
)


@dataclass
class WorkReportWorld:
    staff: User
    office: Office
    unit: Unit
    meeting: Meeting

    def scheduled(self, *, meeting: Meeting | None = None, **overrides) -> WorkReport:
        """Scheduled two months before the meeting (so the meeting is in the future then)."""
        meeting = meeting or self.meeting
        values = {
            "title": TITLE,
            "year": meeting.date.year,
            "unit": self.unit,
            "office": self.office,
            "meeting": meeting,
        }
        values.update(overrides)
        with common.as_of(min(common.today(), meeting.date - timedelta(days=60))):
            return actions.schedule_work_report(acting_user=self.staff, **values)

    def after(self, steps: int, **overrides) -> WorkReport:
        """Scheduled, then the first `steps` statutory steps recorded on time."""
        report = self.scheduled(**overrides)
        for action, days in STEPS[:steps]:
            day = report.meeting.date - timedelta(days=days)
            with common.as_of(min(day, common.today())):
                action(acting_user=self.staff, report=report, on=min(day, common.today()))
        return WorkReport.objects.get(pk=report.pk)


def world_of(p, *, days_ahead: int = -5) -> WorkReportWorld:
    """personas.staff's office, personas.unit's unit; a meeting `days_ahead` from today."""
    number = 50 if days_ahead < 0 else 51
    return WorkReportWorld(
        staff=p.staff,
        office=Office.objects.get(pk=min(p.staff.roles.office_ids)),
        unit=Unit.objects.get(pk=min(p.unit.roles.unit_ids)),
        meeting=standing_meeting(number, common.today() + timedelta(days=days_ahead)),
    )


def future_meeting(number: int = 52, days: int = 70) -> Meeting:
    return standing_meeting(number, common.today() + timedelta(days=days))


def _pk(report: WorkReport) -> dict:
    return {"pk": report.pk}


SUP_WORK_REPORT_PAGES: dict = {
    "supervision:work_reports": (READERS, "get", None, 200),
    "supervision:work_reports_export": (READERS, "get", None, 200),
    "supervision:work_report_create": (OFFICE, "get", None, 200),
    "supervision:work_report": (READERS, "get", lambda p: _pk(world_of(p).after(1)), 200),
    "supervision:record_draft_received": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p).scheduled()),
        200,
    ),
    "supervision:record_revised_received": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p).after(1)),
        200,
    ),
    "supervision:record_sent_to_members": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p).after(2)),
        200,
    ),
    "supervision:record_reviewed": (OFFICE, "get", lambda p: _pk(world_of(p).after(3)), 200),
    "supervision:reschedule_work_report": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p, days_ahead=30).scheduled()),
        200,
    ),
}


def _schedule(p) -> tuple[str, dict]:
    world = world_of(p, days_ahead=30)
    return f"{BASE}/", {
        "title": TITLE,
        "year": world.meeting.date.year,
        "unit_id": world.unit.pk,
        "office_id": world.office.pk,
        "meeting_id": world.meeting.pk,
    }


def _step(steps: int, path: str):
    def build(p) -> tuple[str, dict]:
        report = world_of(p).after(steps)
        day: date = report.meeting.date if path == "reviewed" else common.today()
        return f"{BASE}/{report.pk}/{path}", {"on": str(day)}

    return build


SUP_WORK_REPORT_API: dict = {
    ("GET", "/supervision/work-reports/"): (READERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/supervision/work-reports/"): (OFFICE, _schedule, 201),
    ("GET", "/supervision/work-reports/{int:report_id}"): (
        READERS,
        lambda p: (f"{BASE}/{world_of(p).after(1).pk}", None),
        200,
    ),
    ("POST", "/supervision/work-reports/{int:report_id}/reschedule"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p, days_ahead=30).scheduled().pk}/reschedule",
            {"meeting_id": future_meeting().pk},
        ),
        200,
    ),
    ("POST", "/supervision/work-reports/{int:report_id}/draft-received"): (
        OFFICE,
        _step(0, "draft-received"),
        200,
    ),
    ("POST", "/supervision/work-reports/{int:report_id}/revised-received"): (
        OFFICE,
        _step(1, "revised-received"),
        200,
    ),
    ("POST", "/supervision/work-reports/{int:report_id}/sent-to-members"): (
        OFFICE,
        _step(2, "sent-to-members"),
        200,
    ),
    ("POST", "/supervision/work-reports/{int:report_id}/reviewed"): (
        OFFICE,
        _step(3, "reviewed"),
        200,
    ),
}
