"""The review-opinion API: reads (who sees what), drafting and points, issuing, the handling
report and the vote — allowed and refused, in the one error shape."""

from datetime import date

import pytest

from renda.meetings.models import Meeting
from renda.supervision.models import OpinionStatus, Rectification, ReviewOpinion
from tests.plans.factories import at
from tests.suggestions.matrix_api import field_messages, refused, send
from tests.supervision.opinion_factories import (  # noqa: F401  (the fixtures)
    ISSUE_DUE,
    POINTS,
    VOTE_DAY,
    issue_day_fixture,
    opinions_fixture,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/opinions"


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def state(opinion) -> tuple:
    return ReviewOpinion.objects.values_list("status", "version", "title").get(pk=opinion.pk)


def create_body(o, **overrides) -> dict:
    body = {
        "inspection_id": o.inspection.pk,
        "unit_id": o.org.unit.pk,
        "meeting_id": o.meeting.pk,
        "title": "关于安全生产法执法检查报告的审议意见",
        "preamble": "总体平稳。",
        "points": [
            {"text": POINTS[0], "problem_id": o.problems[0].pk},
            {"text": POINTS[1]},
        ],
    }
    body.update(overrides)
    return body


# -- reads -------------------------------------------------------------------------------------


def test_list_and_get_by_role(client, opinions):
    o = opinions
    issued = o.issued()
    draft = o.draft(unit=o.org.other_unit)
    body = call(client, o.p.leader, "GET", "/").json()
    assert body["count"] == 2
    assert {(i["id"], i["status"], i["point_count"]) for i in body["items"]} == {
        (issued.pk, "issued", 2),
        (draft.pk, "draft", 1),
    }
    mine = call(client, o.p.unit, "GET", "/").json()
    assert [i["id"] for i in mine["items"]] == [issued.pk]
    assert call(client, o.s.other_unit_user, "GET", "/").json()["count"] == 0
    only = call(client, o.p.leader, "GET", "/?status=draft&source=inspection").json()
    assert [i["id"] for i in only["items"]] == [draft.pk]
    detail = call(client, o.p.unit, "GET", f"/{issued.pk}").json()
    assert detail["source"] == "inspection" and detail["source_id"] == o.inspection.pk
    assert detail["due_on"] == str(ISSUE_DUE) and detail["is_overdue"] is False
    assert detail["due_basis"].startswith("交办日 2026-09-28 + 2 个月")
    items = list(Rectification.objects.order_by("id").values_list("id", flat=True))
    assert [p["rectification_id"] for p in detail["points"]] == items
    assert [p["rectification_status_name"] for p in detail["points"]] == ["待整改", "待整改"]
    assert detail["actions"] == ["report_opinion_handling"]
    assert [e["to_state_name"] for e in detail["timeline"]] == ["起草中", "已交办"]
    refused(call(client, o.p.unit, "GET", f"/{draft.pk}"), 404, "not_found")
    refused(call(client, o.s.other_unit_user, "GET", f"/{issued.pk}"), 404, "not_found")
    refused(call(client, o.p.deputy, "GET", "/"), 403, "forbidden")


def test_overdue_filter(client, opinions, time_machine):
    o = opinions
    issued = o.issued()
    assert call(client, o.p.leader, "GET", "/?overdue=true").json()["count"] == 0
    time_machine.move_to(at(date(2026, 12, 1)), tick=False)
    body = call(client, o.p.leader, "GET", "/?overdue=true").json()
    assert [i["id"] for i in body["items"]] == [issued.pk] and body["items"][0]["is_overdue"]


def test_docx(client, opinions):
    o = opinions
    opinion = o.issued()
    response = call(client, o.p.unit, "GET", f"/{opinion.pk}/docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "wordprocessingml" in response["Content-Type"]


# -- drafting ----------------------------------------------------------------------------------


def test_create_a_draft(client, opinions):
    o = opinions
    response = call(client, o.staff, "POST", "/", create_body(o))
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["unit"], body["office"]) == (
        "draft",
        "区住房和城乡建设局",
        "社会建设工作室",
    )
    assert [(p["position"], p["problem_id"]) for p in body["points"]] == [
        (1, o.problems[0].pk),
        (2, None),
    ]
    assert body["actions"] == [
        "add_opinion_point",
        "issue_opinion",
        "remove_opinion_point",
        "update_opinion",
        "update_opinion_point",
    ]
    dup = refused(call(client, o.staff, "POST", "/", create_body(o)), 400, "duplicate_draft")
    assert field_messages(dup) == {"unit_id": "已有草稿"}
    assert ReviewOpinion.objects.count() == 1


def test_create_refused(client, opinions):
    o = opinions
    refused(call(client, o.p.staff, "POST", "/", create_body(o)), 403, "not_allowed")
    refused(call(client, o.p.leader, "POST", "/", create_body(o)), 403, "forbidden")
    refused(call(client, o.p.unit, "POST", "/", create_body(o)), 403, "forbidden")
    both = create_body(o, work_report_id=o.work_report.pk)
    assert refused(call(client, o.staff, "POST", "/", both), 400, "invalid")["message"] == (
        "请选择审议意见的来源：一项执法检查或一项专项工作报告（二者选一）。"
    )
    missing = refused(
        call(client, o.staff, "POST", "/", create_body(o, unit_id=9999)), 400, "invalid"
    )
    assert field_messages(missing) == {"unit_id": "交办机关不存在"}
    other = create_body(o, points=[{"text": "整治", "problem_id": o.problems[2].pk}])
    wrong = refused(call(client, o.staff, "POST", "/", other), 400, "invalid")
    assert field_messages(wrong) == {"problem_id": "不是该机关的问题"}
    director = create_body(o, meeting_id=o.s.director_meeting.pk)
    assert field_messages(
        refused(call(client, o.staff, "POST", "/", director), 400, "invalid")
    ) == {"meeting_id": "应为常委会会议"}
    bad = refused(
        call(client, o.staff, "POST", "/", create_body(o, unit_id="住建局")), 422, "invalid"
    )
    assert field_messages(bad) == {"unit_id": "应为整数"}
    assert not ReviewOpinion.objects.exists()


def test_points_and_text_while_a_draft(client, opinions):
    o = opinions
    opinion = o.draft()
    response = call(
        client, o.staff, "PUT", f"/{opinion.pk}", {"title": "新标题", "version": opinion.version}
    )
    assert response.status_code == 200 and response.json()["title"] == "新标题"
    response = call(client, o.staff, "POST", f"/{opinion.pk}/points", {"text": "加强宣传。"})
    assert response.status_code == 201 and len(response.json()["points"]) == 3
    first = opinion.points.get(position=1)
    response = call(
        client,
        o.staff,
        "PUT",
        f"/points/{first.pk}",
        {"text": "压实责任。", "problem_id": o.problems[1].pk},
    )
    assert response.json()["points"][0]["text"] == "压实责任。"
    response = call(client, o.p.admin, "DELETE", f"/points/{first.pk}")
    assert response.status_code == 200
    assert [(p["position"], p["text"]) for p in response.json()["points"]] == [
        (1, POINTS[1]),
        (2, "加强宣传。"),
    ]
    before = state(opinion)
    stale = call(client, o.staff, "PUT", f"/{opinion.pk}", {"title": "他人修改", "version": 1})
    assert "刷新" in refused(stale, 409, "stale_version")["message"]
    second = opinion.points.get(position=1)
    refused(call(client, o.staff, "DELETE", f"/points/{second.pk}?version=1"), 409, "stale_version")
    refused(
        call(client, o.p.staff, "POST", f"/{opinion.pk}/points", {"text": "意见"}),
        403,
        "not_allowed",
    )
    blank = refused(
        call(client, o.staff, "POST", f"/{opinion.pk}/points", {"text": " "}), 400, "required"
    )
    assert field_messages(blank) == {"text": "请填写意见内容"}
    refused(call(client, o.p.unit, "PUT", f"/points/{second.pk}", {"text": "改"}), 403, "forbidden")
    refused(call(client, o.staff, "PUT", "/points/99999", {"text": "改"}), 404, "not_found")
    assert state(opinion) == before and opinion.points.count() == 2


# -- issuing, handling, the vote ---------------------------------------------------------------


def test_issue(client, opinions):
    o = opinions
    opinion = o.draft()
    refused(call(client, o.p.unit, "POST", f"/{opinion.pk}/issue"), 403, "forbidden")
    refused(call(client, o.p.staff, "POST", f"/{opinion.pk}/issue"), 403, "not_allowed")
    response = call(
        client, o.p.leader, "POST", f"/{opinion.pk}/issue", {"version": opinion.version}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["issued_on"], body["due_on"]) == (
        "issued",
        "2026-09-28",
        "2026-11-30",
    )
    assert Rectification.objects.filter(opinion=opinion).count() == 2
    assert body["actions"] == []
    again = refused(
        call(client, o.staff, "POST", f"/{opinion.pk}/issue"), 400, "invalid_transition"
    )
    assert again["message"] == "当前状态为“已交办”，不能交办。"
    empty = o.draft(unit=o.org.other_unit, points=[])
    refused(call(client, o.staff, "POST", f"/{empty.pk}/issue"), 400, "no_points")


def test_handling_report_and_vote(client, opinions, time_machine):
    o = opinions
    opinion = o.issued()
    path = f"/{opinion.pk}/handling-report"
    refused(call(client, o.staff, "POST", path, {"text": "已办"}), 403, "forbidden")
    refused(call(client, o.s.other_unit_user, "POST", path, {"text": "已办"}), 404, "not_found")
    blank = refused(call(client, o.p.unit, "POST", path, {"text": ""}), 400, "required")
    assert field_messages(blank) == {"text": "请填写研究处理情况"}
    response = call(
        client, o.p.unit, "POST", path, {"text": "已整改。", "version": opinion.version}
    )
    assert response.status_code == 200 and response.json()["status"] == "reported"
    meeting = Meeting.objects.create(kind="standing", term_number=18, number=32, date=VOTE_DAY)
    time_machine.move_to(at(VOTE_DAY), tick=False)
    vote = {
        "meeting_id": meeting.pk,
        "votes_satisfied": 2,
        "votes_basic": 1,
        "votes_unsatisfied": 7,
    }
    refused(call(client, o.p.leader, "POST", f"/{opinion.pk}/vote", vote), 403, "forbidden")
    refused(call(client, o.p.staff, "POST", f"/{opinion.pk}/vote", vote), 403, "not_allowed")
    zero = {**vote, "votes_satisfied": 0, "votes_basic": 0, "votes_unsatisfied": 0}
    empty = refused(call(client, o.staff, "POST", f"/{opinion.pk}/vote", zero), 400, "invalid")
    assert field_messages(empty) == {"votes_satisfied": "无票数"}
    bad = refused(
        call(client, o.staff, "POST", f"/{opinion.pk}/vote", {**vote, "votes_basic": "几票"}),
        422,
        "invalid",
    )
    assert field_messages(bad) == {"votes_basic": "应为整数"}
    missing = refused(
        call(client, o.staff, "POST", f"/{opinion.pk}/vote", {**vote, "meeting_id": 9999}),
        400,
        "invalid",
    )
    assert field_messages(missing) == {"meeting_id": "会议不存在"}
    assert ReviewOpinion.objects.get(pk=opinion.pk).status == OpinionStatus.REPORTED
    body = call(client, o.staff, "POST", f"/{opinion.pk}/vote", vote).json()
    assert (body["status"], body["round"], body["satisfaction_rate"]) == ("follow_up", 2, 0.3)
    assert body["due_on"] == "2027-01-20" and body["vote_meeting"] == meeting.title
    assert call(client, o.p.unit, "GET", f"/{opinion.pk}").json()["actions"] == [
        "report_opinion_handling"
    ]
