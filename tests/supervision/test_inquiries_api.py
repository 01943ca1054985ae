"""The inquiries API: reads (visibility, filters, detail with its allowed actions, query count)
and every write, allowed and refused (400 with field errors, 403, 404, 409), a refused call
changing nothing."""

from __future__ import annotations

from datetime import date

import pytest

from renda.supervision.models import Inquiry, InquiryQuestion
from tests.suggestions.matrix_api import field_messages, send
from tests.suggestions.matrix_api import refused as api_refused
from tests.supervision.factories import at
from tests.supervision.matrix_inquiries import ANSWER, BASE, TOPIC, InquiryWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervision, time_machine) -> InquiryWorld:
    time_machine.move_to(at(date(2026, 9, 25)), tick=False)
    return InquiryWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        unit_user=supervision.p.unit,
        deputy=supervision.deputies[0],
        meeting=supervision.standing_meeting,
    )


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def state(inquiry: Inquiry) -> tuple:
    return (
        Inquiry.objects.filter(pk=inquiry.pk).values().get(),
        list(InquiryQuestion.objects.filter(inquiry=inquiry).values()),
        inquiry.attendees.count(),
        inquiry.rectifications.count(),
    )


# -- reads --------------------------------------------------------------------------------------


def test_the_list_shows_what_each_sees(client, world, supervision):
    held = world.held()
    world.create(topic="物业管理", year=2025)
    body = call(client, supervision.p.leader, "GET", "/?status=held").json()
    assert body["count"] == 1
    row = body["items"][0]
    assert (row["id"], row["topic"], row["status_name"], row["question_count"]) == (
        held.pk,
        TOPIC,
        "已询问",
        1,
    )
    assert call(client, supervision.p.leader, "GET", "/?year=2025").json()["count"] == 1
    assert call(client, supervision.p.unit, "GET", "/").json()["count"] == 1
    assert call(client, supervision.other_unit_user, "GET", "/").json()["count"] == 0
    api_refused(call(client, supervision.p.street, "GET", "/"), 403, "forbidden")


def test_list_query_count(client, world, supervision, django_assert_num_queries):
    world.held()
    client.force_login(supervision.p.leader)
    with django_assert_num_queries(5):
        assert client.get(f"{BASE}/").status_code == 200
    world.rectifying()
    world.preparing()
    with django_assert_num_queries(5):
        assert client.get(f"{BASE}/").json()["count"] == 3


def test_the_detail(client, world, supervision):
    inquiry = world.rectifying()
    body = call(client, world.staff, "GET", f"/{inquiry.pk}").json()
    assert body["actions"] == [
        "close_inquiry",
        "list_commitments",
        "publish_inquiry",
        "record_question_vote",
    ]
    assert [a["official"] for a in body["attendees"]] == ["张局长"]
    assert body["questions"][0]["answer"] == ANSWER
    assert body["rectifications"][0]["due_on"] == "2026-12-25"
    assert [e["verb"] for e in body["timeline"]][-1] == "list_commitments"
    assert body["timeline"][-1]["to_state_name"] == "整改中"
    assert call(client, supervision.p.unit, "GET", f"/{inquiry.pk}").json()["actions"] == []
    api_refused(
        call(client, supervision.other_unit_user, "GET", f"/{inquiry.pk}"), 404, "not_found"
    )
    docx = call(client, supervision.p.unit, "GET", f"/{inquiry.pk}/report.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


# -- writes -------------------------------------------------------------------------------------


def test_arranging_and_preparing(client, world, supervision):
    staff = world.staff
    response = call(
        client,
        staff,
        "POST",
        "/",
        {"topic": TOPIC, "year": 2026, "meeting_id": world.meeting.pk},
    )
    assert response.status_code == 201, response.content
    inquiry_id = response.json()["id"]
    assert response.json()["office"] == "社会建设工作室"  # the one office of the user
    response = call(
        client,
        staff,
        "PUT",
        f"/{inquiry_id}",
        {"topic": TOPIC, "research": "走访 6 个街道", "meeting_id": world.meeting.pk, "version": 1},
    )
    assert response.json()["research"] == "走访 6 个街道"
    response = call(
        client,
        staff,
        "POST",
        f"/{inquiry_id}/attendees",
        {"unit_id": world.unit.pk, "official": "张局长", "official_title": "局长"},
    )
    assert response.status_code == 201
    attendee_id = response.json()["attendees"][0]["id"]
    response = call(
        client, staff, "POST", f"/attendees/{attendee_id}/attendance", {"attended": True}
    )
    assert response.json()["attendees"][0]["attended"] is True
    response = call(
        client,
        staff,
        "POST",
        f"/{inquiry_id}/questions",
        {
            "asker_kind": "deputy",
            "asker_deputy_id": supervision.deputies[0].pk,
            "attendee_id": attendee_id,
            "question": "问题",
        },
    )
    assert response.status_code == 201
    question = response.json()["questions"][0]
    assert question["asker_name"] == "王安全"
    response = call(
        client,
        staff,
        "PUT",
        f"/questions/{question['id']}",
        {
            "asker_kind": "member",
            "asker_name": "常委甲",
            "attendee_id": attendee_id,
            "question": "新",
        },
    )
    assert response.json()["questions"][0]["question"] == "新"
    response = call(
        client, staff, "POST", f"/questions/{question['id']}/answer", {"answer": ANSWER}
    )
    assert response.json()["questions"][0]["answer"] == ANSWER
    response = call(
        client,
        staff,
        "POST",
        f"/{inquiry_id}/hold",
        {"held_on": "2026-09-24", "summary": "共提出问题 1 个"},
    )
    assert response.json()["status"] == "held"


def test_removing(client, world):
    inquiry = world.with_question()
    question = world.question(inquiry)
    response = call(client, world.staff, "DELETE", f"/questions/{question.pk}")
    assert response.status_code == 200 and response.json()["questions"] == []
    attendee = inquiry.attendees.get()
    response = call(client, world.staff, "DELETE", f"/attendees/{attendee.pk}")
    assert response.json()["attendees"] == []


def test_after_the_inquiry(client, world, supervision):
    inquiry = world.held()
    question = world.question(inquiry)
    staff = world.staff
    response = call(
        client,
        staff,
        "POST",
        f"/questions/{question.pk}/vote",
        {"votes_satisfied": 30, "votes_basic": 5, "votes_unsatisfied": 2},
    )
    assert round(response.json()["questions"][0]["satisfaction_rate"], 3) == 0.946
    response = call(
        client,
        staff,
        "POST",
        f"/{inquiry.pk}/commitments",
        {
            "entries": [
                {"question_id": question.pk, "title": "背街小巷保洁", "description": "建立机制"},
                {
                    "question_id": question.pk,
                    "title": "占道经营治理",
                    "description": "设置疏导点",
                    "due_on": "2026-11-30",
                },
            ]
        },
    )
    assert response.status_code == 201
    assert [r["due_on"] for r in response.json()["rectifications"]] == ["2026-11-30", "2026-12-25"]
    assert response.json()["status"] == "rectifying"
    world.verify_all(inquiry)
    response = call(client, staff, "POST", f"/{inquiry.pk}/close", {"result_statement": "整改到位"})
    assert response.json()["status"] == "closed"
    response = call(client, supervision.p.leader, "POST", f"/{inquiry.pk}/publish")
    assert response.json()["is_published"] is True


def test_refusals_change_nothing(client, world, supervision):
    inquiry = world.with_question()
    question = world.question(inquiry)
    before = state(inquiry)
    bad = api_refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{inquiry.pk}/hold",
            {"held_on": "2026-09-24", "summary": "x"},
        ),
        400,
        "unanswered",
    )
    assert bad["message"] == "以下问题尚未记录回答：第 1 个。"
    bad = api_refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{inquiry.pk}/questions",
            {"asker_kind": "member", "asker_name": "", "attendee_id": 999999, "question": "q"},
        ),
        400,
        "invalid",
    )
    assert field_messages(bad) == {"attendee_id": "不属于"}
    bad = api_refused(
        call(
            client,
            world.staff,
            "POST",
            "/",
            {"topic": TOPIC, "year": 2026, "meeting_id": supervision.director_meeting.pk},
        ),
        400,
        "invalid",
    )
    assert field_messages(bad) == {"meeting_id": "应为常委会会议"}
    api_refused(
        call(
            client, supervision.p.staff, "POST", f"/questions/{question.pk}/answer", {"answer": "x"}
        ),
        403,
        "not_allowed",
    )
    api_refused(
        call(
            client,
            supervision.p.leader,
            "POST",
            f"/questions/{question.pk}/answer",
            {"answer": "x"},
        ),
        403,
        "forbidden",
    )
    api_refused(
        call(client, world.staff, "PUT", f"/{inquiry.pk}", {"topic": "改", "version": 1}),
        409,
        "stale_version",
    )
    api_refused(call(client, world.staff, "DELETE", "/questions/999999"), 404, "not_found")
    api_refused(
        call(client, supervision.other_unit_user, "GET", f"/{inquiry.pk}/report.docx"),
        404,
        "not_found",
    )
    assert state(inquiry) == before
    assert Inquiry.objects.count() == 1
