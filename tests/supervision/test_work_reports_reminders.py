"""The work reports' tick: each statutory date near (7 days) or passed without its step is told once
to the unit's users and the office's staff; a step done stops it; rescheduling (new dates)
re-arms it."""

from __future__ import annotations

from datetime import date

import pytest

from renda.core.models import Notification
from renda.core.ticks import registered
from renda.meetings.models import Meeting
from renda.supervision.actions import work_reports as actions
from renda.supervision.reminders_work_reports import remind_work_reports
from tests.supervision.factories import at
from tests.supervision.matrix_work_reports import TITLE

pytestmark = pytest.mark.django_db

SOON = f"专项工作报告即将到期：{TITLE}"
LATE = f"专项工作报告已逾期：{TITLE}"


def tick(time_machine, day: date) -> dict[str, list[str]]:
    """Run the tick on `day` at 8 o'clock; who got which new titles."""
    time_machine.move_to(at(day, hour=8), tick=False)
    last = max(Notification.objects.values_list("id", flat=True), default=0)
    remind_work_reports(at(day, hour=8))
    sent: dict[str, list[str]] = {}
    for n in Notification.objects.filter(id__gt=last).select_related("user").order_by("id"):
        sent.setdefault(n.user.username, []).append(n.title)
    return sent


def both(*titles: str) -> dict[str, list[str]]:
    return {"p_unit": list(titles), "p_social": list(titles)}


@pytest.fixture
def report(supervision, time_machine):
    """Scheduled on 2026-08-20 for the meeting of 09-24: due 09-04, 09-14, 09-17."""
    time_machine.move_to(at(date(2026, 8, 20)), tick=False)
    report = actions.schedule_work_report(
        acting_user=supervision.staff,
        title=TITLE,
        year=2026,
        unit=supervision.org.unit,
        office=supervision.office,
        meeting=supervision.standing_meeting,
    )
    Notification.objects.all().delete()  # the scheduling notice is not a reminder
    return report


def test_the_tick_is_registered():
    assert registered()["supervision_work_reports"] is remind_work_reports


def test_each_date_is_told_once_when_near_and_once_when_passed(time_machine, report):
    assert tick(time_machine, date(2026, 8, 27)) == {}
    assert tick(time_machine, date(2026, 8, 28)) == both(SOON)
    assert tick(time_machine, date(2026, 8, 28)) == {}  # the worker ran the tick again
    assert tick(time_machine, date(2026, 9, 4)) == {}  # due today: already told
    assert tick(time_machine, date(2026, 9, 5)) == both(LATE)
    assert tick(time_machine, date(2026, 9, 6)) == {}
    # 09-07: the revised report is 7 days away (the draft is still late, told already).
    assert tick(time_machine, date(2026, 9, 7)) == both(SOON)
    note = Notification.objects.filter(user__username="p_unit").latest("id")
    assert note.body == "修改后的报告送常委会应于 2026-09-14 前完成，还有 7 日"
    assert note.url == f"/supervision/work-reports/{report.pk}/"
    late = Notification.objects.filter(user__username="p_unit", title=LATE).get()
    assert late.body == "报告稿送常委会办事机构应于 2026-09-04 前完成，已逾期 1 日"


def test_a_done_step_is_not_told_and_rescheduling_re_arms(supervision, time_machine, report):
    time_machine.move_to(at(date(2026, 9, 1)), tick=False)
    actions.record_draft_received(acting_user=supervision.staff, report=report, on=date(2026, 9, 1))
    assert tick(time_machine, date(2026, 9, 5)) == {}  # draft in; the revised is 9 days away
    assert tick(time_machine, date(2026, 9, 7)) == both(SOON)
    later = Meeting.objects.create(
        kind="standing", term_number=18, number=31, date=date(2026, 10, 15)
    )
    actions.reschedule_work_report(acting_user=supervision.staff, report=report, meeting=later)
    Notification.objects.all().delete()
    assert tick(time_machine, date(2026, 9, 7)) == {}  # new date 09-30: not near yet
    assert tick(time_machine, date(2026, 9, 23)) == both(SOON)
    assert tick(time_machine, date(2026, 9, 23)) == {}


def test_a_reviewed_report_is_never_told(supervision, time_machine, report):
    time_machine.move_to(at(date(2026, 9, 24)), tick=False)
    for action, day in (
        (actions.record_draft_received, 4),
        (actions.record_revised_received, 14),
        (actions.record_sent_to_members, 17),
        (actions.record_reviewed, 24),
    ):
        action(acting_user=supervision.staff, report=report, on=date(2026, 9, day))
    Notification.objects.all().delete()
    assert tick(time_machine, date(2026, 9, 25)) == {}
