"""The work-report pages: the list (who sees which, filters, query count), scheduling a report,
the report page (the statutory checklist with dates and states, the link to draft review
opinions once reviewed, the timeline, only the allowed actions), and every action through its
page: allowed, refused with its message and nothing changed, stale."""

from __future__ import annotations

from datetime import date

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
