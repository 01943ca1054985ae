"""The work-reports API: reads (visibility, filters, the checklist, query count) and every write,
allowed and refused (400 with field errors, 403, 404, 409), a refused call changing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda.meetings.models import Meeting
from renda.supervision.models import WorkReport
from tests.suggestions.matrix_api import field_messages, send
from tests.suggestions.matrix_api import refused as api_refused
from tests.supervision.factories import at
from tests.supervision.matrix_work_reports import BASE, TITLE, WorkReportWorld

pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 7)


@pytest.fixture
def world(supervision, time_machine) -> WorkReportWorld:
    time_machine.move_to(at(DAY), tick=False)
    return WorkReportWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        meeting=supervision.standing_meeting,
    )


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def test_the_list_and_its_filters(client, world, supervision, org):
    own = world.scheduled()
    world.scheduled(unit=org.other_unit)
    body = call(client, supervision.p.unit, "GET", "/").json()
    assert [row["id"] for row in body["items"]] == [own.pk]
    row = body["items"][0]
    assert (row["next_step"], row["due_at"], row["is_overdue"]) == (
        "报告稿送常委会办事机构",
        "2026-09-04",
        True,
    )
    leader = supervision.p.leader
    assert call(client, leader, "GET", "/").json()["count"] == 2
    assert call(client, leader, "GET", f"/?unit={org.other_unit.pk}").json()["count"] == 1
    assert call(client, leader, "GET", "/?status=reviewed").json()["count"] == 0
    assert call(client, leader, "GET", "/?overdue=true").json()["count"] == 2
    api_refused(call(client, supervision.p.deputy, "GET", "/"), 403, "forbidden")


def test_list_query_count(client, world, supervision, django_assert_num_queries):
    world.scheduled()
    client.force_login(supervision.p.leader)
    with django_assert_num_queries(5):
        assert client.get(f"{BASE}/").status_code == 200
    world.after(1)
    world.after(2)
    with django_assert_num_queries(5):
        assert client.get(f"{BASE}/").json()["count"] == 3


def test_the_detail_has_the_checklist(client, world, supervision, org):
    report = world.after(1)
    body = call(client, world.staff, "GET", f"/{report.pk}").json()
    assert body["actions"] == ["record_revised_received", "reschedule_work_report"]
    assert [(c["step"], c["state"]) for c in body["checklist"]] == [
        ("draft", "on_time"),
        ("revised", "upcoming"),
        ("members", "upcoming"),
        ("reviewed", "upcoming"),
    ]
    assert body["checklist"][1]["basis"] == "会议 2026-09-24 前 10 日 = 2026-09-14"
    assert body["timeline"][-1]["to_state_name"] == "已收到报告稿"
    assert call(client, supervision.p.unit, "GET", f"/{report.pk}").json()["actions"] == []
    api_refused(call(client, supervision.other_unit_user, "GET", f"/{report.pk}"), 404, "not_found")


def test_scheduling_and_the_steps(client, world, supervision, time_machine):
    response = call(
        client,
        world.staff,
        "POST",
        "/",
        {"title": TITLE, "year": 2026, "unit_id": world.unit.pk, "meeting_id": world.meeting.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["draft_due_on"], body["revised_due_on"], body["members_due_on"]) == (
        "2026-09-04",
        "2026-09-14",
        "2026-09-17",
    )
    report_id = body["id"]
    response = call(
        client, world.staff, "POST", f"/{report_id}/draft-received", {"on": "2026-09-07"}
    )
    assert response.json()["timeline"][-1]["summary"] == (
        "2026-09-07 报告稿送常委会办事机构，晚于法定时间 3 日"
    )
    later = Meeting.objects.create(
        kind="standing", term_number=18, number=31, date=date(2026, 10, 15)
    )
    response = call(
        client, world.staff, "POST", f"/{report_id}/reschedule", {"meeting_id": later.pk}
    )
    assert (response.json()["meeting_id"], response.json()["revised_due_on"]) == (
        later.pk,
        "2026-09-30",
    )
    time_machine.move_to(at(date(2026, 10, 15)), tick=False)
    for path, day in (
        ("revised-received", "2026-09-29"),
        ("sent-to-members", "2026-10-08"),
        ("reviewed", "2026-10-15"),
    ):
        response = call(client, world.staff, "POST", f"/{report_id}/{path}", {"on": day})
        assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["due_at"], body["actions"]) == ("reviewed", None, [])


def test_refusals_change_nothing(client, world, supervision):
    report = world.scheduled()
    before = WorkReport.objects.filter(pk=report.pk).values().get()
    bad = api_refused(
        call(client, world.staff, "POST", f"/{report.pk}/revised-received", {"on": "2026-09-07"}),
        400,
        "invalid_transition",
    )
    assert bad["message"] == "当前状态为“已列入议程”，不能登记收到修改稿。"
    bad = api_refused(
        call(client, world.staff, "POST", f"/{report.pk}/draft-received", {"on": "2026-09-08"}),
        400,
        "invalid",
    )
    assert field_messages(bad) == {"on": "晚于今天"}
    bad = api_refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{report.pk}/reschedule",
            {"meeting_id": supervision.director_meeting.pk},
        ),
        400,
        "invalid",
    )
    assert field_messages(bad) == {"meeting_id": "应为常委会会议"}
    bad = api_refused(
        call(
            client,
            world.staff,
            "POST",
            "/",
            {"title": TITLE, "year": 2026, "unit_id": 999999, "meeting_id": world.meeting.pk},
        ),
        400,
        "invalid",
    )
    assert field_messages(bad) == {"unit_id": "报告机关不存在"}
    api_refused(
        call(
            client,
            supervision.p.staff,
            "POST",
            f"/{report.pk}/draft-received",
            {"on": "2026-09-03"},
        ),
        403,
        "not_allowed",
    )
    api_refused(
        call(
            client, supervision.p.unit, "POST", f"/{report.pk}/draft-received", {"on": "2026-09-03"}
        ),
        403,
        "forbidden",
    )
    api_refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{report.pk}/draft-received",
            {"on": "2026-09-03", "version": 7},
        ),
        409,
        "stale_version",
    )
    api_refused(
        call(client, world.staff, "POST", "/999999/draft-received", {"on": "2026-09-03"}),
        404,
        "not_found",
    )
    assert WorkReport.objects.filter(pk=report.pk).values().get() == before
    assert WorkReport.objects.count() == 1
