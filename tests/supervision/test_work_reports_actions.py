"""Work reports: the statutory dates counted back from the meeting (across holidays, weekends,
make-up working days and a year nobody has entered), scheduling, the steps in order with late
steps flagged, rescheduling — each refused move changing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda.core.calendar import WorkCalendar
from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.models import CalendarDay, CalendarYear, TimelineEvent
from renda.meetings.models import Meeting
from renda.plans.models import ItemLink
from renda.supervision.actions import common
from renda.supervision.actions import work_reports as actions
from renda.supervision.actions.work_reports import statutory_dates
from renda.supervision.models import SupervisionRules, WorkReport
from tests.supervision.factories import Mark, at, refused
from tests.supervision.matrix_work_reports import TITLE, WorkReportWorld

pytestmark = pytest.mark.django_db

DAY = date(2026, 8, 20)  # five weeks before the standing meeting of 2026-09-24
RUNS_ONLY = "只有社会建设工作室可以办理该专项工作报告。"
RULES = SupervisionRules(pk=1)  # the statutory defaults: 20, 10, 7 days


def dates(meeting_day: date, calendar: WorkCalendar | None = None, rules=RULES):
    found = statutory_dates(meeting_day, rules, calendar or WorkCalendar())
    return [(d.step, d.due, d.explanation) for d in found]


# -- statutory_dates (pure) ---------------------------------------------------------------------


def test_plain_working_days_are_the_dates_themselves():
    assert dates(date(2026, 9, 24)) == [
        ("draft", date(2026, 9, 4), "会议 2026-09-24 前 20 日 = 2026-09-04"),
        ("revised", date(2026, 9, 14), "会议 2026-09-24 前 10 日 = 2026-09-14"),
        ("members", date(2026, 9, 17), "会议 2026-09-24 前 7 日 = 2026-09-17"),
    ]


def test_a_date_on_a_holiday_moves_to_the_working_day_before():
    # 2026-09-25 is 中秋节; 2026-10-01..07 国庆节 (09-30 is the last working day before it).
    assert dates(date(2026, 10, 15)) == [
        (
            "draft",
            date(2026, 9, 24),
            "会议 2026-10-15 前 20 日 = 2026-09-25，逢中秋节假期提前至 2026-09-24",
        ),
        (
            "revised",
            date(2026, 9, 30),
            "会议 2026-10-15 前 10 日 = 2026-10-05，逢国庆节假期提前至 2026-09-30",
        ),
        ("members", date(2026, 10, 8), "会议 2026-10-15 前 7 日 = 2026-10-08"),
    ]


def test_a_weekend_moves_to_friday_and_a_make_up_working_day_stays():
    # 2026-09-19 is a Saturday; 2026-09-20, a Sunday, is worked (调休 for 国庆节).
    saturday = dates(date(2026, 9, 26))[2]
    assert saturday == (
        "members",
        date(2026, 9, 18),
        "会议 2026-09-26 前 7 日 = 2026-09-19，逢休息日提前至 2026-09-18",
    )
    assert dates(date(2026, 9, 27))[2] == (
        "members",
        date(2026, 9, 20),
        "会议 2026-09-27 前 7 日 = 2026-09-20",
    )


def test_a_year_nobody_entered_counts_weekends_only_and_says_so():
    assert dates(date(2027, 1, 20)) == [
        ("draft", date(2026, 12, 31), "会议 2027-01-20 前 20 日 = 2026-12-31"),
        (
            "revised",
            date(2027, 1, 8),
            "会议 2027-01-20 前 10 日 = 2027-01-10，逢休息日提前至 2027-01-08"
            "（2027 年节假日安排未录入，暂按周末计算）",
        ),
        (
            "members",
            date(2027, 1, 13),
            "会议 2027-01-20 前 7 日 = 2027-01-13（2027 年节假日安排未录入，暂按周末计算）",
        ),
    ]


def test_an_admin_entered_holiday_and_other_rules_are_used():
    calendar = WorkCalendar(overrides={date(2026, 9, 4): (CalendarDay.Kind.HOLIDAY, "区庆")})
    rules = SupervisionRules(pk=1, draft_days_before=30, revised_days_before=15)
    found = dates(date(2026, 9, 24), calendar)
    assert found[0] == (
        "draft",
        date(2026, 9, 3),
        "会议 2026-09-24 前 20 日 = 2026-09-04，逢区庆假期提前至 2026-09-03",
    )
    assert [d[1] for d in dates(date(2026, 9, 24), rules=rules)] == [
        date(2026, 8, 25),
        date(2026, 9, 9),
        date(2026, 9, 17),
    ]


# -- scheduling ---------------------------------------------------------------------------------


@pytest.fixture
def world(supervision, time_machine) -> WorkReportWorld:
    time_machine.move_to(at(DAY), tick=False)
    return WorkReportWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        meeting=supervision.standing_meeting,
    )


def fresh(report: WorkReport) -> WorkReport:
    return WorkReport.objects.get(pk=report.pk)


def schedule(world, user=None, **overrides):
    values = {
        "title": TITLE,
        "year": 2026,
        "unit": world.unit,
        "office": world.office,
        "meeting": world.meeting,
        **overrides,
    }
    return actions.schedule_work_report(acting_user=user or world.staff, **values)


def test_scheduling_computes_the_statutory_dates(world, planning):
    item = planning.item(planning.approved())
    report = schedule(world, plan_item=item)
    assert (
        report.status,
        report.draft_due_on,
        report.revised_due_on,
        report.members_due_on,
        report.due_at,
    ) == ("scheduled", date(2026, 9, 4), date(2026, 9, 14), date(2026, 9, 17), date(2026, 9, 4))
    event = TimelineEvent.objects.for_object(report).get()
    assert event.summary == "列入第十八届人大常委会第30次会议议程，听取区住房和城乡建设局的报告"
    assert event.note.splitlines() == [
        "报告稿送常委会办事机构：2026-09-04（会议 2026-09-24 前 20 日 = 2026-09-04）",
        "修改后的报告送常委会：2026-09-14（会议 2026-09-24 前 10 日 = 2026-09-14）",
        "报告送常委会组成人员：2026-09-17（会议 2026-09-24 前 7 日 = 2026-09-17）",
    ]
    assert ItemLink.objects.get(item=item).object_id == report.pk


def test_the_unit_is_told_the_dates(world):
    mark = Mark(world.meeting)
    schedule(world)
    assert mark.notified() == {"p_unit": [f"请按期报送专项工作报告：{TITLE}"]}


def test_schedule_refusals(world, supervision):
    past = Meeting.objects.create(kind="standing", term_number=18, number=29, date=DAY)
    cases = [
        ({"title": " "}, "请填写报告名称。"),
        ({"year": 99}, "年度不正确。"),
        (
            {"meeting": supervision.director_meeting},
            "专项工作报告由常委会会议听取和审议，请选择常委会会议。",
        ),
        ({"meeting": past}, "所选会议（2026-08-20）不在今天之后，请选择将要举行的常委会会议。"),
    ]
    for overrides, message in cases:
        with pytest.raises(DomainError) as info:
            schedule(world, **overrides)
        assert info.value.message == message
    for who in ("staff", "leader", "unit"):
        with pytest.raises(NotAllowed) as info:
            schedule(world, user=getattr(supervision.p, who))
        assert info.value.message == "只能为本机构安排专项工作报告。"
    assert not WorkReport.objects.exists()


# -- the steps ----------------------------------------------------------------------------------


def test_the_steps_in_order_with_a_late_one_flagged(world, time_machine, supervision):
    report = schedule(world)
    time_machine.move_to(at(date(2026, 9, 7)), tick=False)
    mark = Mark(report)
    actions.record_draft_received(
        acting_user=world.staff, report=report, on=date(2026, 9, 7), version=report.version
    )
    report = fresh(report)
    event = mark.event()
    assert (report.status, report.draft_received_on, report.due_at) == (
        "draft_received",
        date(2026, 9, 7),
        date(2026, 9, 14),
    )
    assert (event.summary, event.from_state, event.to_state) == (
        "2026-09-07 报告稿送常委会办事机构，晚于法定时间 3 日",
        "scheduled",
        "draft_received",
    )
    time_machine.move_to(at(date(2026, 9, 18)), tick=False)
    mark = Mark(report)
    actions.record_revised_received(acting_user=world.staff, report=report, on=date(2026, 9, 14))
    actions.record_sent_to_members(acting_user=world.staff, report=report, on=date(2026, 9, 16))
    report = fresh(report)
    assert [e.summary for e in mark.events()] == [
        "2026-09-14 修改后的报告送常委会，符合法定时间",
        "2026-09-16 报告送常委会组成人员，符合法定时间",
    ]
    assert (report.status, report.due_at) == ("sent_to_members", date(2026, 9, 24))
    time_machine.move_to(at(date(2026, 9, 24)), tick=False)
    mark = Mark(report)
    actions.record_reviewed(acting_user=supervision.p.admin, report=report, on=date(2026, 9, 24))
    report = fresh(report)
    assert (report.status, report.reviewed_on, report.due_at) == (
        "reviewed",
        date(2026, 9, 24),
        None,
    )
    assert mark.event().summary == "2026-09-24 常委会会议审议"
    assert mark.notified() == {"p_social": [f"专项工作报告已审议，请起草审议意见：{TITLE}"]}


def test_step_refusals(world, supervision, time_machine):
    report = schedule(world)
    time_machine.move_to(at(date(2026, 9, 10)), tick=False)

    def draft(**kw):
        values = {"on": date(2026, 9, 3), **kw}
        return lambda: actions.record_draft_received(
            acting_user=values.pop("user", world.staff), report=report, **values
        )

    refused(
        report,
        lambda: actions.record_revised_received(
            acting_user=world.staff, report=report, on=date(2026, 9, 3)
        ),
        "当前状态为“已列入议程”，不能登记收到修改稿。",
    )
    refused(report, draft(on=date(2026, 9, 11)), "日期不能晚于今天。")
    refused(report, draft(on=None), "请填写日期。")
    refused(report, draft(user=supervision.p.staff), RUNS_ONLY, NotAllowed)
    refused(report, draft(user=supervision.p.unit), RUNS_ONLY, NotAllowed)
    refused(
        report,
        draft(version=report.version - 1),
        "该专项工作报告已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    draft()()
    report = fresh(report)
    refused(
        report,
        lambda: actions.record_revised_received(
            acting_user=world.staff, report=report, on=date(2026, 9, 2)
        ),
        "日期不能早于上一环节（2026-09-03）。",
    )
    actions.record_revised_received(acting_user=world.staff, report=report, on=date(2026, 9, 8))
    actions.record_sent_to_members(acting_user=world.staff, report=report, on=date(2026, 9, 9))
    report = fresh(report)
    refused(
        report,
        lambda: actions.record_reviewed(
            acting_user=world.staff, report=report, on=date(2026, 9, 10)
        ),
        "审议日期不能早于会议日期（2026-09-24）。",
    )


# -- rescheduling -------------------------------------------------------------------------------


def test_rescheduling_recounts_the_open_steps_only(world, time_machine):
    report = schedule(world)
    time_machine.move_to(at(date(2026, 9, 3)), tick=False)
    actions.record_draft_received(acting_user=world.staff, report=report, on=date(2026, 9, 3))
    later = Meeting.objects.create(
        kind="standing", term_number=18, number=31, date=date(2026, 10, 15)
    )
    report = fresh(report)
    mark = Mark(report)
    actions.reschedule_work_report(
        acting_user=world.staff, report=report, meeting=later, version=report.version
    )
    report = fresh(report)
    assert (
        report.meeting,
        report.draft_due_on,
        report.revised_due_on,
        report.members_due_on,
        report.due_at,
    ) == (later, date(2026, 9, 4), date(2026, 9, 30), date(2026, 10, 8), date(2026, 9, 30))
    event = mark.event()
    assert event.summary == "由第十八届人大常委会第30次会议改至第十八届人大常委会第31次会议"
    assert event.note.splitlines() == [
        "修改后的报告送常委会：2026-09-30（会议 2026-10-15 前 10 日 = 2026-10-05，"
        "逢国庆节假期提前至 2026-09-30）",
        "报告送常委会组成人员：2026-10-08（会议 2026-10-15 前 7 日 = 2026-10-08）",
    ]
    assert sorted(mark.notified()) == ["p_social", "p_unit"]


def test_reschedule_refusals(world, supervision, time_machine):
    report = schedule(world)

    def move(meeting, user=None):
        return lambda: actions.reschedule_work_report(
            acting_user=user or world.staff, report=report, meeting=meeting
        )

    refused(report, move(world.meeting), "所选会议与原会议相同。")
    refused(
        report,
        move(supervision.director_meeting),
        "专项工作报告由常委会会议听取和审议，请选择常委会会议。",
    )
    later = Meeting.objects.create(
        kind="standing", term_number=18, number=31, date=date(2026, 10, 15)
    )
    refused(report, move(later, user=supervision.p.leader), RUNS_ONLY, NotAllowed)
    time_machine.move_to(at(date(2026, 9, 24)), tick=False)
    with common.as_of(date(2026, 9, 24)):
        for action, day in (
            (actions.record_draft_received, 4),
            (actions.record_revised_received, 14),
            (actions.record_sent_to_members, 17),
            (actions.record_reviewed, 24),
        ):
            action(acting_user=world.staff, report=report, on=date(2026, 9, day))
    report = fresh(report)
    refused(report, move(later), "报告已经审议，不能改期。")


# -- the calendar entered later -----------------------------------------------------------------


def test_entering_a_years_holidays_recounts_the_open_dates(world, time_machine):
    time_machine.move_to(at(date(2026, 11, 2)), tick=False)
    meeting = Meeting.objects.create(
        kind="standing", term_number=18, number=35, date=date(2027, 1, 20)
    )
    report = schedule(world, meeting=meeting, year=2027)
    assert (report.revised_due_on, report.members_due_on) == (date(2027, 1, 8), date(2027, 1, 13))
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕1号")
    CalendarDay.objects.create(date=date(2027, 1, 8), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    mark = Mark(report)
    assert actions.recompute_statutory_dates(years={2027}) == 1
    report = fresh(report)
    assert (report.revised_due_on, report.members_due_on, report.version) == (
        date(2027, 1, 7),
        date(2027, 1, 13),
        2,
    )
    event = mark.event()
    assert (event.summary, event.actor) == ("节假日安排变更后重新计算法定日期", None)
    assert event.note == (
        "修改后的报告送常委会 2027-01-08 → 2027-01-07"
        "（会议 2027-01-20 前 10 日 = 2027-01-10，逢休息日提前至 2027-01-07）"
    )
    assert actions.recompute_statutory_dates(years={2027}) == 0  # nothing moves twice
    assert actions.recompute_statutory_dates(years={2025}) == 0
