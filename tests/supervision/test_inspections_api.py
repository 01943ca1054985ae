"""The inspections API: reads (who sees what, the detail's parts, the provisions picker, the
report), every move through its operation, and the one error shape for refusals."""

import pytest

from renda.supervision.actions import inspections as actions
from renda.supervision.actions import rectification as rect
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InspectionStatus,
    InvitationStatus,
    ReviewOpinion,
    TeamMember,
)
from tests.plans.factories import pdf
from tests.suggestions.matrix_api import field_messages, refused, send
from tests.supervision.inspection_builders import PLAN, TITLE, VISIT_DAY, world_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/supervision/inspections"
S = InspectionStatus


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


def call(client, user, method: str, path: str, body=None):
    return send(client, user, method, f"{BASE}{path}", body)


def state(inspection) -> tuple:
    return Inspection.objects.values_list("status", "version").get(pk=inspection.pk)


# -- reads ----------------------------------------------------------------------------------------


def test_the_list_for_each_reader(client, world, supervision):
    invited = world.teamed()
    world.draft(title="起草中")
    body = call(client, world.leader, "GET", "/").json()
    assert body["count"] == 2 and {row["title"] for row in body["items"]} == {TITLE, "起草中"}
    deputy = call(client, world.deputies[0].user, "GET", "/").json()
    assert [row["id"] for row in deputy["items"]] == [invited.pk]
    assert call(client, world.unit_user, "GET", "/").json()["count"] == 0
    assert call(client, world.leader, "GET", "/?status=draft").json()["count"] == 1
    refused(call(client, supervision.p.street, "GET", "/"), 403, "forbidden")


def test_the_detail_has_every_part(client, world):
    inspection = world.checked()
    body = call(client, world.staff, "GET", f"/{inspection.pk}").json()
    assert (body["status"], body["law"], body["leader"]) == (
        "inspecting",
        "中华人民共和国安全生产法（2021年修正）",
        "李主任",
    )
    assert body["methods"] == PLAN["methods"] and body["method_names"] == ["座谈会", "实地检查"]
    assert [s["title"] for s in body["steps"]] == ["动员部署", "实地检查", "形成报告"]
    assert body["invitations"] == {
        "planned": 3,
        "invited": 3,
        "accepted": 2,
        "declined": 1,
        "waiting": 0,
    }
    assert [c["citation"] for c in body["checklist"]] == [
        "第二十一条第（一）项",
        "第二十一条第（三）项",
        "第二十八条",
    ]
    assert body["checklist"][2]["bodies"] == [
        {"id": world.unit.pk, "name": "区住房和城乡建设局"},
        {"id": world.other_unit.pk, "name": "区城市管理局"},
    ]
    assert [(p["position"], p["unit"], p["citation"]) for p in body["problems"]] == [
        (1, "区住房和城乡建设局", "第二十一条第（一）项"),
        (2, "区住房和城乡建设局", "第二十一条第（三）项"),
        (3, "区城市管理局", "第二十八条"),
    ]
    assert body["visits"][0]["held_on"] == VISIT_DAY.isoformat()
    assert len(body["visits"][0]["participant_ids"]) == 4
    assert body["questionnaires"][0]["returned"] == 186
    declined = next(m for m in body["team"] if m["invitation"] == "declined")
    assert (declined["name"], declined["invitation_name"]) == ("李守法", "已谢绝")
    summaries = [e["summary"] for e in body["timeline"]]
    assert "张代表代表接受邀请" in summaries
    accept = next(e for e in body["timeline"] if e["verb"] == "accept")
    assert (accept["from_state_name"], accept["to_state_name"]) == ("待答复", "已接受")
    assert "form_report" in body["actions"] and "add_problem" in body["actions"]
    unit_view = call(client, world.unit_user, "GET", f"/{inspection.pk}").json()
    assert unit_view["actions"] == []


def test_what_a_caller_cannot_see_is_404(client, world, supervision):
    inspection = world.draft()
    for user in (world.deputies[0].user, world.unit_user):
        refused(call(client, user, "GET", f"/{inspection.pk}"), 404, "not_found")
    step = world.planned(title="另一项").steps.first()
    refused(call(client, world.unit_user, "DELETE", f"/steps/{step.pk}"), 403, "forbidden")
    refused(call(client, supervision.p.admin, "DELETE", "/steps/99999"), 404, "not_found")


def test_the_provisions_picker(client, world):
    inspection = world.draft()
    actions.choose_clauses(
        acting_user=world.staff,
        inspection=inspection,
        entries=[(world.provision("第二十八条"), "duty", "", [])],
    )
    rows = call(client, world.staff, "GET", f"/{inspection.pk}/provisions?q=培训").json()
    assert [(r["citation"], r["chosen"]) for r in rows] == [
        ("第二十一条第（三）项", False),
        ("第二十八条", True),
    ]
    assert len(call(client, world.staff, "GET", f"/{inspection.pk}/provisions").json()) == 13


def test_the_report_document(client, world):
    inspection = world.reported()
    response = call(client, world.deputies[0].user, "GET", f"/{inspection.pk}/report.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert "filename" in response["Content-Disposition"]


# -- the plan -------------------------------------------------------------------------------------


def test_create_and_write_the_plan(client, world, planning):
    item = planning.item(planning.approved())
    body = {
        "title": TITLE,
        "year": 2026,
        "plan_item_id": item.pk,
        "law_version_id": world.law_version.pk,
    }
    response = call(client, world.staff, "POST", "/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["plan_item_id"], created["office"]) == (
        "draft",
        item.pk,
        "社会建设工作室",
    )
    pk = created["id"]
    plan = {**PLAN, "starts_on": "2026-05-06", "ends_on": "2026-09-30", "version": 1}
    response = call(client, world.staff, "PUT", f"/{pk}/plan", plan)
    assert response.status_code == 200, response.content
    assert response.json()["content"] == PLAN["content"] and response.json()["version"] == 2
    partial = call(client, world.staff, "PUT", f"/{pk}/plan", {"scope": "槐荫片区"}).json()
    assert (partial["scope"], partial["content"]) == ("槐荫片区", PLAN["content"])
    stale = refused(
        call(client, world.staff, "PUT", f"/{pk}/plan", {"scope": "x", "version": 1}),
        409,
        "stale_version",
    )
    assert "已被他人修改" in stale["message"]


def test_create_refusals(client, world, supervision, planning):
    body = {"title": TITLE, "year": 2026, "office_id": world.office.pk}
    refused(call(client, supervision.p.staff, "POST", "/", body), 403, "not_allowed")
    refused(call(client, world.leader, "POST", "/", body), 403, "forbidden")
    missing = refused(
        call(client, world.staff, "POST", "/", {**body, "plan_item_id": 99999}), 400, "invalid"
    )
    assert field_messages(missing) == {"plan_item_id": "计划事项不存在"}
    draft_item = planning.item(planning.draft(year=2026))
    not_binding = refused(
        call(client, world.staff, "POST", "/", {**body, "plan_item_id": draft_item.pk}),
        400,
        "invalid",
    )
    assert field_messages(not_binding) == {"plan_item_id": "计划尚未审定"}
    bad = refused(call(client, world.staff, "POST", "/", {**body, "year": "明年"}), 422, "invalid")
    assert field_messages(bad) == {"year": "应为整数"}
    assert not Inspection.objects.exists()


def test_plan_refusals_name_the_fields(client, world):
    inspection = world.draft()
    bad_method = refused(
        call(client, world.staff, "PUT", f"/{inspection.pk}/plan", {"methods": ["dance"]}),
        422,
        "invalid",
    )
    assert field_messages(bad_method) == {"methods.0": "不是允许的取值"}
    no_law = refused(
        call(client, world.staff, "PUT", f"/{inspection.pk}/plan", {"law_version_id": 99999}),
        400,
        "invalid",
    )
    assert field_messages(no_law) == {"law_version_id": "法律法规不存在"}
    assert state(inspection) == ("draft", 1)


def test_steps_and_the_plans_way_to_approval(client, world):
    inspection = world.planned()
    pk = inspection.pk
    holiday = refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{pk}/steps",
            {"title": "座谈", "starts_on": "2026-06-19", "ends_on": "2026-06-22"},
        ),
        400,
        "invalid",
    )
    assert holiday["message"] == "2026-06-19 是端午节，不是工作日。"
    assert field_messages(holiday) == {"starts_on": "不是工作日"}
    added = call(
        client,
        world.staff,
        "POST",
        f"/{pk}/steps",
        {"title": "座谈", "starts_on": "2026-06-10", "ends_on": "2026-06-12"},
    )
    assert added.status_code == 201 and len(added.json()["steps"]) == 4
    step = added.json()["steps"][-1]["id"]
    assert len(call(client, world.staff, "DELETE", f"/steps/{step}").json()["steps"]) == 3
    assert call(client, world.staff, "POST", f"/{pk}/submit", {}).json()["status"] == "submitted"
    refused(
        call(
            client, world.staff, "POST", f"/{pk}/approve", {"meeting_id": world.director_meeting.pk}
        ),
        403,
        "forbidden",
    )
    standing = refused(
        call(
            client,
            world.leader,
            "POST",
            f"/{pk}/approve",
            {"meeting_id": world.standing_meeting.pk},
        ),
        400,
        "invalid",
    )
    assert field_messages(standing) == {"meeting_id": "应为主任会议"}
    returned = call(
        client, world.leader, "POST", f"/{pk}/return", {"reason": "补充检查重点"}
    ).json()
    assert (returned["status"], returned["return_reason"]) == ("draft", "补充检查重点")
    call(client, world.staff, "POST", f"/{pk}/submit", {})
    approved = call(
        client, world.leader, "POST", f"/{pk}/approve", {"meeting_id": world.director_meeting.pk}
    ).json()
    assert (approved["status"], approved["approved_meeting"]) == (
        "approved",
        "第十八届人大常委会第21次主任会议",
    )
    first = approved["steps"][0]["id"]
    done = call(client, world.staff, "POST", f"/steps/{first}/complete", {"done_on": "2026-05-15"})
    assert done.json()["steps"][0]["done_on"] == "2026-05-15"
    assert call(client, world.staff, "POST", f"/{pk}/start", {}).json()["status"] == "inspecting"


# -- team and invitations -------------------------------------------------------------------------


def test_the_team_and_the_replies(client, world, supervision):
    inspection = world.approved()
    pk = inspection.pk
    appointed = call(
        client, world.staff, "POST", f"/{pk}/team", {"role": "leader", "user_id": world.leader.pk}
    )
    assert appointed.status_code == 201
    twice = refused(
        call(client, world.staff, "POST", f"/{pk}/team", {"role": "leader", "name": "另一位"}),
        400,
        "invalid",
    )
    assert twice["message"] == "检查组已有组长：李主任。"
    ids = [d.pk for d in world.deputies[:2]]
    invited = call(client, world.staff, "POST", f"/{pk}/invitations", {"deputy_ids": ids})
    assert invited.status_code == 201
    assert invited.json()["invitations"]["invited"] == 2
    again = refused(
        call(client, world.staff, "POST", f"/{pk}/invitations", {"deputy_ids": ids[:1]}),
        400,
        "invalid",
    )
    assert field_messages(again) == {"deputy_ids": "已受邀"}
    own = TeamMember.objects.get(inspection=inspection, deputy=world.deputies[0])
    other = TeamMember.objects.get(inspection=inspection, deputy=world.deputies[1])
    mine = call(client, world.deputies[0].user, "GET", "/invitations").json()
    assert [(m["id"], m["replies"]) for m in mine] == [(own.pk, ["accept", "decline"])]
    reply = call(
        client, world.deputies[0].user, "POST", f"/invitations/{own.pk}/reply", {"accept": True}
    )
    assert reply.status_code == 200 and reply.json()["invitations"]["accepted"] == 1
    refused(
        call(
            client,
            world.deputies[0].user,
            "POST",
            f"/invitations/{other.pk}/reply",
            {"accept": True},
        ),
        404,
        "not_found",
    )
    refused(
        call(client, world.staff, "POST", f"/invitations/{own.pk}/reply", {"accept": False}),
        403,
        "forbidden",
    )
    phone = call(
        client,
        world.staff,
        "POST",
        f"/invitations/{other.pk}/reply-for-deputy",
        {"accept": False, "note": "出差"},
    ).json()
    member = next(m for m in phone["team"] if m["id"] == other.pk)
    assert (member["invitation"], member["reply_note"]) == (
        "declined",
        "电话答复，由社建室干部代为登记：出差",
    )
    removed = call(client, world.staff, "DELETE", f"/team/{other.pk}").json()
    assert other.pk not in [m["id"] for m in removed["team"]]


# -- checklist, visits, problems, report ----------------------------------------------------------


def test_the_inspection_through_the_api(client, world, supervision):
    inspection = world.teamed()
    pk = inspection.pk
    foreign = supervision.law_version(label="2014年修正").provisions.get(label="第二十八条")
    wrong = refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{pk}/clauses",
            {"clauses": [{"provision_id": foreign.pk}]},
        ),
        400,
        "invalid",
    )
    assert (
        wrong["message"]
        == "第二十八条不属于《中华人民共和国安全生产法》（2021年修正），不能列入检查条款。"
    )
    assert field_messages(wrong) == {"clauses": "不属于所检查的法律法规"}
    chosen = call(
        client,
        world.staff,
        "POST",
        f"/{pk}/clauses",
        {
            "clauses": [
                {"provision_id": world.provision("第二十八条").pk, "body_ids": [world.unit.pk]},
                {
                    "provision_id": world.provision("第一条").pk,
                    "duty_kind": "liability",
                    "duty": "立法目的",
                },
            ]
        },
    )
    assert chosen.status_code == 201, chosen.content
    clauses = chosen.json()["checklist"]
    assert clauses[0]["duty"] == "生产经营单位应当对从业人员进行安全生产教育和培训……"
    first, second = clauses[0]["id"], clauses[1]["id"]
    edited = call(
        client,
        world.staff,
        "PUT",
        f"/clauses/{first}",
        {"duty_kind": "duty", "duty": "从业人员培训", "body_ids": [world.other_unit.pk]},
    ).json()
    assert edited["checklist"][0]["bodies"] == [{"id": world.other_unit.pk, "name": "区城市管理局"}]
    assert len(call(client, world.staff, "DELETE", f"/clauses/{second}").json()["checklist"]) == 1
    found = call(
        client,
        world.staff,
        "POST",
        f"/clauses/{first}/finding",
        {"conclusion": "partly", "finding": "部分企业未培训"},
    ).json()
    assert found["checklist"][0]["conclusion_name"] == "部分落实"
    team = {
        m.invitation: m.pk for m in TeamMember.objects.filter(inspection=inspection, role="deputy")
    }
    declined_visit = refused(
        call(
            client,
            world.staff,
            "POST",
            f"/{pk}/visits",
            {
                "method": "site_visit",
                "held_on": VISIT_DAY.isoformat(),
                "place": "工地",
                "participant_ids": [team[InvitationStatus.DECLINED]],
                "notes": "检查",
            },
        ),
        400,
        "invalid",
    )
    assert field_messages(declined_visit) == {"participant_ids": "已谢绝"}
    visit = call(
        client,
        world.staff,
        "POST",
        f"/{pk}/visits",
        {
            "method": "site_visit",
            "held_on": VISIT_DAY.isoformat(),
            "place": "工地",
            "body_ids": [world.unit.pk],
            "participant_ids": [team[InvitationStatus.ACCEPTED]],
            "notes": "检查",
        },
    )
    assert visit.status_code == 201
    questionnaire = call(
        client,
        world.staff,
        "POST",
        f"/{pk}/questionnaires",
        {"title": "问卷", "distributed": 10, "returned": 12, "results": "结果"},
    )
    assert refused(questionnaire, 400, "invalid")["message"] == "回收份数不能多于发放份数。"
    problem = call(
        client,
        world.staff,
        "POST",
        f"/{pk}/problems",
        {"clause_id": first, "unit_id": world.other_unit.pk, "description": "培训缺失"},
    )
    assert problem.status_code == 201
    problem_id = problem.json()["problems"][0]["id"]
    edited = call(
        client,
        world.staff,
        "PUT",
        f"/problems/{problem_id}",
        {"clause_id": first, "unit_id": world.other_unit.pk, "description": "岗前培训缺失"},
    ).json()
    assert edited["problems"][0]["description"] == "岗前培训缺失"
    written = call(
        client, world.staff, "PUT", f"/{pk}/report", {"implementation": "总体平稳"}
    ).json()
    assert written["report_implementation"] == "总体平稳"
    formed = call(client, world.staff, "POST", f"/{pk}/form-report", {}).json()
    assert formed["status"] == "reported" and "draft_opinions_from_problems" in formed["actions"]
    opinions = call(
        client, world.staff, "POST", f"/{pk}/opinions", {"meeting_id": world.standing_meeting.pk}
    )
    assert opinions.status_code == 201
    assert [o["unit"] for o in opinions.json()["opinions"]] == ["区城市管理局"]
    assert ReviewOpinion.objects.get().points.get().problem_id == problem_id
    published = call(client, world.staff, "POST", f"/{pk}/publish", {}).json()
    assert published["is_published"] is True
    reopened = call(client, world.staff, "POST", f"/{pk}/reopen", {"reason": "补充"}).json()
    assert reopened["status"] == "inspecting"
    kept = refused(
        call(client, world.staff, "DELETE", f"/problems/{problem_id}"), 400, "in_opinion"
    )
    assert kept["message"] == "该问题已写入审议意见，不能删除。"
    assert ChecklistClause.objects.filter(inspection=inspection).count() == 1


def test_closing_through_the_api(client, world):
    inspection = world.reviewed()
    pk = inspection.pk
    world.rectify(inspection, leave_open=1)
    still_open = refused(
        call(client, world.staff, "POST", f"/{pk}/close", {"result_statement": "办结"}),
        400,
        "rectification_open",
    )
    assert still_open["message"] == "还有 1 项整改事项未销号，不能办结。"
    item = inspection.rectifications.exclude(status="verified").get()
    rect.submit_rectification(
        acting_user=world.unit_user if item.unit_id == world.unit.pk else world.other_unit_user,
        item=item,
        result="已整改",
        evidence=[pdf()],
    )
    rect.verify_rectification(acting_user=world.staff, item=item)
    closed = call(client, world.staff, "POST", f"/{pk}/close", {"result_statement": "办结"}).json()
    assert closed["status"] == "closed"
    assert state(inspection)[0] == S.CLOSED
