"""The work-report pages: the list (who sees which, filters, query count), scheduling a report,
the report page (the statutory checklist with dates and states, the link to draft review
opinions once reviewed, the timeline, only the allowed actions), and every action through its
page: allowed, refused with its message and nothing changed, stale."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from renda.core.models import TimelineEvent
from renda.meetings.models import Meeting
from renda.supervision.actions import work_reports as actions
from renda.supervision.models import WorkReport
from tests.supervision.factories import at
from tests.supervision.matrix_work_reports import TITLE, WorkReportWorld

pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 7)
LIST = reverse("supervision:work_reports")
CREATE = reverse("supervision:work_report_create")
EXPORT = reverse("supervision:work_reports_export")
EXPORT_QUERIES = 4


@pytest.fixture
def world(supervision, time_machine) -> WorkReportWorld:
    time_machine.move_to(at(DAY), tick=False)
    return WorkReportWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        meeting=supervision.standing_meeting,
    )


def url(name: str, report: WorkReport) -> str:
    return reverse(f"supervision:{name}", args=[report.pk])


def listed(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


def state(report: WorkReport) -> tuple:
    row = WorkReport.objects.filter(pk=report.pk).values().get()
    return row, TimelineEvent.objects.count()


# -- the list -----------------------------------------------------------------------------------


def test_who_sees_which_report_and_the_filters(client, world, supervision, org):
    own = world.scheduled()  # due 2026-09-04: overdue on 09-07
    other = world.scheduled(unit=org.other_unit, title="关于城市管理工作的报告")
    done = world.after(1)
    p = supervision.p
    assert set(listed(client, p.leader)) == {own.pk, other.pk, done.pk}
    assert set(listed(client, p.unit)) == {own.pk, done.pk}
    assert listed(client, supervision.other_unit_user) == [other.pk]
    assert listed(client, p.leader, unit=org.other_unit.pk) == [other.pk]
    assert listed(client, p.leader, status="draft_received") == [done.pk]
    assert set(listed(client, p.leader, overdue="1")) == {own.pk, other.pk}
    assert listed(client, p.leader, office=org.deputy_office.pk) == []
    client.force_login(p.deputy)
    assert client.get(LIST).status_code == 403


def test_list_query_count_does_not_grow_with_rows(
    client, world, supervision, django_assert_num_queries
):
    client.force_login(supervision.p.leader)
    world.scheduled()
    with django_assert_num_queries(10):
        response = client.get(LIST)
    assert "data-overdue" in response.content.decode()
    world.after(1)
    world.after(2)
    with django_assert_num_queries(10):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 3


def exported(client, user, **params) -> list[list]:
    """The workbook's rows after the title and the header, dates as dates."""
    client.force_login(user)
    response = client.get(EXPORT, params)
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == ["报告名称", "年度", "报告机关"]
    return [
        [v.date() if isinstance(v, datetime) else v for v in row]
        for row in sheet.iter_rows(min_row=3, values_only=True)
    ]


def titles(client, user, **params) -> list[str]:
    """The list's rows as the page shows them, in its order."""
    return [WorkReport.objects.get(pk=pk).title for pk in listed(client, user, **params)]


def test_the_export_holds_exactly_the_filtered_list(client, world, supervision, org):
    own = world.scheduled(title="关于住房保障工作的报告")  # due 2026-09-04: overdue on 09-07
    world.scheduled(unit=org.other_unit, title="关于城市管理工作的报告")
    done = world.after(1, title="关于物业管理工作的报告")
    leader = supervision.p.leader
    everything = exported(client, leader)
    assert [r[0] for r in everything] == titles(client, leader)
    assert len(everything) == 3
    row = everything[[r[0] for r in everything].index(own.title)]
    assert row == [
        own.title,
        own.year,
        org.unit.name,
        world.office.name,
        world.meeting.title,
        world.meeting.date,
        own.draft_due_on,
        None,
        own.revised_due_on,
        None,
        own.members_due_on,
        None,
        None,
        "已列入议程",
        "报告稿送常委会办事机构",
        own.draft_due_on,
        "逾期",
    ]
    row = everything[[r[0] for r in everything].index(done.title)]
    assert row[7] == done.draft_received_on and row[15] == done.revised_due_on
    for params in (
        {"unit": org.other_unit.pk},
        {"status": "draft_received"},
        {"overdue": "1"},
        {"year": str(DAY.year)},
    ):
        assert [r[0] for r in exported(client, leader, **params)] == titles(
            client, leader, **params
        )
    assert exported(client, leader, office=org.deputy_office.pk) == []
    # A unit exports only its own reports.
    assert sorted(r[0] for r in exported(client, supervision.p.unit)) == sorted(
        [own.title, done.title]
    )
    client.force_login(supervision.p.deputy)
    assert client.get(EXPORT).status_code == 403


def test_the_export_link_carries_the_filters(client, world, supervision):
    client.force_login(supervision.p.leader)
    response = client.get(LIST, {"overdue": "1", "page": "2"})
    assert response.context["export_url"] == f"{EXPORT}?overdue=1"
    assert f'href="{EXPORT}?overdue=1"' in response.content.decode()
    assert client.get(LIST).context["export_url"] == EXPORT


def test_export_query_count_does_not_grow_with_rows(
    client, world, supervision, django_assert_num_queries
):
    client.force_login(supervision.p.leader)
    world.scheduled()
    with django_assert_num_queries(EXPORT_QUERIES):
        assert client.get(EXPORT).status_code == 200
    world.after(1)
    world.after(2)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(EXPORT)
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    assert sheet.max_row == 2 + 3


# -- scheduling ---------------------------------------------------------------------------------


def test_staff_schedule_a_report(client, world, supervision):
    client.force_login(world.staff)
    form = client.get(CREATE).context["form"]
    assert list(form.fields["meeting"].queryset) == [world.meeting]  # future standing meetings
    response = client.post(
        CREATE,
        {
            "title": TITLE,
            "year": "2026",
            "unit": world.unit.pk,
            "office": world.office.pk,
            "meeting": world.meeting.pk,
        },
    )
    report = WorkReport.objects.get()
    assert response.status_code == 302 and response["Location"] == url("work_report", report)
    assert report.members_due_on == date(2026, 9, 17)
    response = client.post(CREATE, {"title": "", "year": "2026", "unit": world.unit.pk})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "office", "meeting"}
    assert WorkReport.objects.count() == 1


# -- the report page ----------------------------------------------------------------------------


def test_the_checklist_with_dates_and_states(client, world, supervision, time_machine):
    report = world.scheduled()
    with actions.common.as_of(date(2026, 9, 7)):
        actions.record_draft_received(acting_user=world.staff, report=report, on=date(2026, 9, 7))
    time_machine.move_to(at(date(2026, 9, 15)), tick=False)
    client.force_login(supervision.p.unit)
    response = client.get(url("work_report", report))
    rows = [
        (r.step, r.due_on, r.done_on, r.state, r.state_label) for r in response.context["checklist"]
    ]
    assert rows == [
        ("draft", date(2026, 9, 4), date(2026, 9, 7), "late", "逾期完成 3 日"),
        ("revised", date(2026, 9, 14), None, "overdue", "已逾期 1 日"),
        ("members", date(2026, 9, 17), None, "upcoming", "未到期"),
        ("reviewed", date(2026, 9, 24), None, "upcoming", "未到期"),
    ]
    html = response.content.decode()
    assert "会议 2026-09-24 前 20 日 = 2026-09-04" in html
    assert "晚于法定时间 3 日" in html  # the timeline
    assert response.context["actions"] == [] and 'id="draft-opinion"' not in html


def test_the_office_sees_its_next_step_and_the_opinion_link_once_reviewed(
    client, world, supervision, time_machine
):
    report = world.after(3)
    client.force_login(world.staff)
    response = client.get(url("work_report", report))
    assert [a.page.name for a in response.context["actions"]] == [
        "record_reviewed",
        "reschedule_work_report",
    ]
    time_machine.move_to(at(date(2026, 9, 24)), tick=False)
    actions.record_reviewed(acting_user=world.staff, report=report, on=date(2026, 9, 24))
    client.force_login(world.staff)  # the session of 09-07 has expired
    response = client.get(url("work_report", report))
    assert response.context["actions"] == []
    html = response.content.decode()
    link = reverse("supervision:opinion_create") + f"?work_report={report.pk}"
    assert f'href="{link}"' in html and "起草审议意见" in html
    assert [r.state for r in response.context["checklist"]] == ["on_time"] * 4


def test_an_invisible_report_is_404(client, world, supervision, org):
    report = world.scheduled(unit=org.other_unit)
    client.force_login(supervision.p.unit)
    assert client.get(url("work_report", report)).status_code == 404


# -- the actions through their pages ------------------------------------------------------------


def post(client, user, name: str, report: WorkReport, data=None):
    client.force_login(user)
    return client.post(url(name, report), data or {})


def test_the_steps_through_the_pages(client, world):
    report = world.scheduled()
    response = post(client, world.staff, "record_draft_received", report, {"on": "2026-09-03"})
    assert response.status_code == 302 and response["Location"] == url("work_report", report)
    report = WorkReport.objects.get(pk=report.pk)
    assert (report.status, report.draft_received_on) == ("draft_received", date(2026, 9, 3))
    post(client, world.staff, "record_revised_received", report, {"on": "2026-09-07"})
    later = Meeting.objects.create(
        kind="standing", term_number=18, number=31, date=date(2026, 10, 15)
    )
    response = post(client, world.staff, "reschedule_work_report", report, {"meeting": later.pk})
    assert response.status_code == 302
    report = WorkReport.objects.get(pk=report.pk)
    assert (report.meeting, report.members_due_on, report.due_at) == (
        later,
        date(2026, 10, 8),
        date(2026, 10, 8),
    )


def test_refused_and_stale_steps_change_nothing(client, world, supervision):
    report = world.scheduled()
    before = state(report)
    response = post(client, world.staff, "record_draft_received", report, {"on": "2026-09-08"})
    assert response.status_code == 400 and "日期不能晚于今天。" in response.content.decode()
    response = post(
        client, world.staff, "record_draft_received", report, {"on": "2026-09-03", "version": 0}
    )
    assert response.status_code == 409
    client.force_login(world.staff)
    response = client.get(url("record_sent_to_members", report))
    assert response.status_code == 403
    assert "您当前不能进行“登记送组成人员”。" in response.content.decode()
    response = post(
        client, supervision.p.staff, "record_draft_received", report, {"on": "2026-09-03"}
    )
    assert response.status_code == 403
    assert "只有社会建设工作室可以办理该专项工作报告。" in response.content.decode()
    assert state(report) == before
