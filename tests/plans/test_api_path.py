"""A plan from draft to a graded item through the API alone, each role with its own calls."""

from datetime import date

import pytest
import time_machine

from renda.plans.models import PlanItem, PlanRules
from tests.plans.matrix_api import BASE, attach_result_evidence, refused, send

pytestmark = pytest.mark.django_db


class Api:
    """Calls as one user at a time; every call must answer with the expected status."""

    def __init__(self, client):
        self.client = client

    def raw(self, user, method: str, path: str, body=None):
        return send(self.client, user, method, f"{BASE}{path}", body)

    def __call__(self, user, method: str, path: str, body=None, status: int = 200) -> dict:
        response = self.raw(user, method, path, body)
        assert response.status_code == status, response.content.decode()
        return response.json()


def overdue_ids(api, user) -> list[int]:
    return [row["id"] for row in api(user, "GET", "/attention?list=overdue")["items"]]


def test_full_path_via_the_api(client, planning):
    api = Api(client)
    p, office = planning.p, planning.office
    PlanRules.current()
    with time_machine.travel(date(2026, 1, 20), tick=False):
        plan = api(
            p.social_staff,
            "POST",
            "/",
            {"kind": "supervision", "year": 2026, "title": "2026年监督工作计划"},
            status=201,
        )
        pid = plan["id"]
        item = {
            "title": "《安全生产法》执法检查",
            "owner_office_id": office.pk,
            "leader_id": p.leader.pk,
            "expected_result": "形成执法检查报告",
            "measure": "报告经常委会审议",
            "starts_on": "2026-03-01",
            "ends_on": "2026-06-30",
        }
        inspection = api(p.social_staff, "POST", f"/{pid}/items", item, status=201)
        vague = api(
            p.social_staff,
            "POST",
            f"/{pid}/items",
            {**item, "title": "专题调研", "measure": "", "parent_id": None},
            status=201,
        )
        plan = api(p.social_staff, "GET", f"/{pid}")
        body = refused(
            api.raw(p.social_staff, "POST", f"/{pid}/submit", {"version": plan["version"]}),
            400,
            "not_measurable",
        )
        assert "“专题调研”" in body["message"]
        assert api(p.social_staff, "GET", f"/{pid}")["status"] == "draft"
        api(
            p.social_staff,
            "PUT",
            f"/items/{vague['id']}",
            {
                **item,
                "title": "专题调研",
                "measure": "调研报告经主任会议审议",
                "version": vague["version"],
            },
        )
        plan = api(p.social_staff, "POST", f"/{pid}/submit", {"version": plan["version"]})
        assert plan["status"] == "submitted"
        plan = api(
            p.leader,
            "POST",
            f"/{pid}/approve",
            {
                "meeting_id": planning.meeting.pk,
                "party_committee_date": "2026-02-10",
                "version": plan["version"],
            },
        )
        assert plan["status"] == "approved" and plan["actions"] == ["publish_plan"]
        iid = inspection["id"]
        api(
            p.social_staff,
            "POST",
            f"/items/{iid}/milestones",
            {"title": "实地检查", "due_on": "2026-05-15"},
            status=201,
        )
    with time_machine.travel(date(2026, 4, 1), tick=False):
        current = api(p.social_staff, "GET", f"/items/{iid}")
        current = api(
            p.social_staff,
            "POST",
            f"/items/{iid}/progress",
            {"text": "制定检查方案，召开动员会", "percent": 30, "version": current["version"]},
            status=201,
        )
        assert (current["status"], current["progress"]) == ("in_progress", 30)
    with time_machine.travel(date(2026, 7, 3), tick=False):
        assert iid in overdue_ids(api, p.leader)
        assert api(p.leader, "GET", f"/items/{iid}")["health"] == "overdue"
        api(
            p.social_staff,
            "POST",
            f"/milestones/{current['milestones'][0]['id']}/complete",
            {"done_on": "2026-05-20"},
        )
        item_now = api(
            p.social_staff,
            "POST",
            f"/items/{iid}/changes",
            {"kind": "postpone", "reason": "配合市人大联动检查，顺延", "new_ends_on": "2026-09-30"},
            status=201,
        )
        change_id = item_now["changes"][0]["id"]
        assert "decide_change" in api(p.leader, "GET", f"/items/{iid}")["actions"]
        decided = api(
            p.leader, "POST", f"/changes/{change_id}/decide", {"approve": True, "note": "同意"}
        )
        assert decided["ends_on"] == "2026-09-30" and decided["health"] != "overdue"
        assert iid not in overdue_ids(api, p.leader)
        refused(
            api.raw(
                p.social_staff, "POST", f"/items/{iid}/complete", {"result_statement": "报告已审议"}
            ),
            400,
            "evidence_required",
        )
        assert api(p.social_staff, "GET", f"/items/{iid}")["status"] == "in_progress"
        # The evidence is uploaded first (multipart, tests/plans/test_api_evidence.py), then the
        # API completes.
        attach_result_evidence(PlanItem.objects.get(pk=iid), p.social_staff)
        done = api(
            p.social_staff,
            "POST",
            f"/items/{iid}/complete",
            {"result_statement": "执法检查报告经常委会第12次会议审议"},
        )
        assert (done["status"], done["progress"]) == ("completed", 100)
    with time_machine.travel(date(2026, 12, 10), tick=False):
        api(p.social_staff, "POST", f"/items/{iid}/self-assessment", {"text": "检查覆盖全部街道"})
        graded = api(p.leader, "POST", f"/items/{iid}/grade", {"grade": "excellent"})
        assert graded["grade_name"] == "优"
        verbs = [e["verb"] for e in graded["timeline"]]
        assert verbs == [
            "create",
            "add_milestone",
            "report",
            "complete_milestone",
            "request_change",
            "decide_change",
            "add_evidence",
            "complete",
            "self_assess",
            "grade",
        ]
        plan = api(p.leader, "GET", f"/{pid}")
        assert [i["status"] for i in plan["items"]] == ["completed", "planned"]
