"""Role-matrix entries (see tests/core/test_role_matrix.py for the format) for the inspection
pages and /api/v1/supervision/inspections.

The inspections are run by personas.staff's office (人事代表工作室), so that staff — and the
admin — act on them; the leader (and the admin) approve or return the plan; the deputy persona
is invited (first of the team's deputies) and replies; the unit persona's unit is named in the
checklist and the problems, so it reads them. Every builder makes a fresh inspection in the
state its page or operation needs, through the real actions (tests/supervision/
inspection_builders.py); the API builders run once per role."""

from __future__ import annotations

from renda.core.access import PUBLIC
from renda.supervision.actions import common
from renda.supervision.actions import inspections as actions
from renda.supervision.models import InvitationStatus, TeamRole
from tests.supervision.inspection_builders import TODAY, from_personas

READERS = {"admin", "leader", "staff", "deputy", "unit"}
OFFICE = {"admin", "staff"}
LEADERS = {"admin", "leader"}
DEPUTY = {"deputy"}
BASE = "/api/v1/supervision/inspections"


def _state(p, name: str):
    return from_personas(p).state(name)


def _pk(row) -> dict:
    return {"pk": row.pk}


def _page(name: str):
    return lambda p: _pk(_state(p, name))


def _published(p):
    inspection = _state(p, "reported")
    with common.as_of(TODAY):
        actions.publish_inspection(acting_user=p.staff, inspection=inspection)
    return _pk(inspection)


def _own_invitation(p):
    """The deputy persona's invitation (accepted: they may still decline)."""
    inspection = _state(p, "teamed")
    return inspection.team.get(deputy=p.deputy.deputy)


SUP_INSPECTION_PAGES: dict = {
    "supervision:inspections": (READERS, "get", None, 200),
    "supervision:inspections_export": (READERS, "get", None, 200),
    "supervision:inspection_create": (OFFICE, "get", None, 200),
    "supervision:inspection": (READERS, "get", _page("checked"), 200),
    "supervision:inspection_report_docx": (READERS, "get", _page("checked"), 200),
    "supervision:update_inspection_plan": (OFFICE, "get", _page("draft"), 200),
    "supervision:add_step": (OFFICE, "get", _page("draft"), 200),
    "supervision:remove_step": (OFFICE, "get", _page("planned"), 200),
    "supervision:submit_inspection_plan": (OFFICE, "get", _page("planned"), 200),
    "supervision:approve_inspection_plan": (LEADERS, "get", _page("submitted"), 200),
    "supervision:return_inspection_plan": (LEADERS, "get", _page("submitted"), 200),
    "supervision:start_inspection": (OFFICE, "get", _page("approved"), 200),
    "supervision:complete_step": (OFFICE, "get", _page("approved"), 200),
    "supervision:appoint_team_member": (OFFICE, "get", _page("draft"), 200),
    "supervision:invite_deputies": (OFFICE, "get", _page("approved"), 200),
    "supervision:record_reply_for_deputy": (OFFICE, "get", _page("teamed"), 200),
    "supervision:remove_team_member": (OFFICE, "get", _page("teamed"), 200),
    "supervision:choose_clauses": (OFFICE, "get", _page("draft"), 200),
    "supervision:update_clause": (OFFICE, "get", _page("checked"), 200),
    "supervision:remove_clause": (OFFICE, "get", _page("checked"), 200),
    "supervision:record_finding": (OFFICE, "get", _page("checked"), 200),
    "supervision:record_visit": (OFFICE, "get", _page("teamed"), 200),
    "supervision:record_questionnaire": (OFFICE, "get", _page("teamed"), 200),
    "supervision:add_problem": (OFFICE, "get", _page("checked"), 200),
    "supervision:update_problem": (OFFICE, "get", _page("checked"), 200),
    "supervision:remove_problem": (OFFICE, "get", _page("checked"), 200),
    "supervision:write_report": (OFFICE, "get", _page("teamed"), 200),
    "supervision:form_report": (OFFICE, "get", _page("checked"), 200),
    "supervision:reopen_inspection": (OFFICE, "get", _page("reported"), 200),
    "supervision:draft_opinions_from_problems": (OFFICE, "get", _page("reported"), 200),
    "supervision:close_inspection": (OFFICE, "get", _page("reviewed"), 200),
    "supervision:publish_inspection": (OFFICE, "get", _page("reported"), 200),
    "supervision:my_invitations": (DEPUTY, "get", None, 200),
    "supervision:reply_invitation": (DEPUTY, "get", lambda p: _pk(_own_invitation(p)), 200),
    "supervision:public_inspections": (PUBLIC, "get", None, 200),
    "supervision:public_inspection": (PUBLIC, "get", _published, 200),
}


# ---------------------------------------------------------------------------------------------
# The API: each builder makes a fresh inspection per call (one per role)


def _at(p, state: str, suffix: str = "", body=None):
    inspection = _state(p, state)
    return f"{BASE}/{inspection.pk}{suffix}", body


def _create(p):
    world = from_personas(p)
    return f"{BASE}/", {"title": "代表法执法检查", "year": 2026, "office_id": world.office.pk}


def _step(p, state: str, suffix: str = "", body=None):
    step = _state(p, state).steps.order_by("id").first()
    return f"{BASE}/steps/{step.pk}{suffix}", body


def _member(p, suffix: str, body, *, which: str):
    inspection = _state(p, "teamed")
    if which == "declined":
        member = inspection.team.get(invitation=InvitationStatus.DECLINED)
    elif which == "own":
        member = inspection.team.get(deputy=p.deputy.deputy)
    else:  # a deputy whose phone reply the office entered
        member = inspection.team.filter(role=TeamRole.DEPUTY).exclude(deputy=p.deputy.deputy)
        member = member.filter(invitation=InvitationStatus.ACCEPTED).get()
    return f"{BASE}/{'team' if which == 'declined' else 'invitations'}/{member.pk}{suffix}", body


def _clause(p, suffix: str = "", body=None):
    clause = _state(p, "checked").checklist.order_by("position").first()
    return f"{BASE}/clauses/{clause.pk}{suffix}", body


def _free_clause(p):
    """A clause without problems (a checked inspection's clauses all have one)."""
    world = from_personas(p)
    inspection = world.draft()
    with common.as_of(TODAY):
        (clause,) = actions.choose_clauses(
            acting_user=world.staff,
            inspection=inspection,
            entries=[(world.provision("第二十八条"), "duty", "", [])],
        )
    return f"{BASE}/clauses/{clause.pk}", None


def _problem(p, body=None):
    problem = _state(p, "checked").problems.order_by("position").first()
    return f"{BASE}/problems/{problem.pk}", body


def _clauses_body(p):
    world = from_personas(p)
    inspection = world.draft()
    provision = world.provision("第二十一条第（一）项")
    body = {"clauses": [{"provision_id": provision.pk, "duty": "", "body_ids": [world.unit.pk]}]}
    return f"{BASE}/{inspection.pk}/clauses", body


def _visit(p):
    inspection = _state(p, "teamed")
    leader = inspection.team.get(role=TeamRole.LEADER)
    body = {
        "method": "site_visit",
        "held_on": "2026-06-10",
        "place": "区建筑工地",
        "participant_ids": [leader.pk],
        "notes": "抽查施工企业",
    }
    return f"{BASE}/{inspection.pk}/visits", body


def _approve(p):
    world = from_personas(p)
    return _at(p, "submitted", "/approve", {"meeting_id": world.director_meeting.pk})


def _opinions(p):
    world = from_personas(p)
    return _at(p, "reported", "/opinions", {"meeting_id": world.standing_meeting.pk})


def _close(p):
    world = from_personas(p)
    inspection = world.reviewed()
    world.rectify(inspection)
    return f"{BASE}/{inspection.pk}/close", {"result_statement": "整改全部销号"}


def _problem_body(p):
    world = from_personas(p)
    return {"unit_id": world.unit.pk, "description": "企业培训台账缺失"}


SUP_INSPECTION_API: dict = {
    ("GET", "/supervision/inspections/"): (READERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/supervision/inspections/"): (OFFICE, _create, 201),
    ("GET", "/supervision/inspections/invitations"): (
        DEPUTY,
        lambda p: (f"{BASE}/invitations", None),
        200,
    ),
    ("GET", "/supervision/inspections/{int:inspection_id}"): (
        READERS,
        lambda p: _at(p, "checked"),
        200,
    ),
    ("GET", "/supervision/inspections/{int:inspection_id}/provisions"): (
        READERS,
        lambda p: _at(p, "checked", "/provisions?q=第二十一条"),
        200,
    ),
    ("GET", "/supervision/inspections/{int:inspection_id}/report.docx"): (
        READERS,
        lambda p: _at(p, "checked", "/report.docx"),
        200,
    ),
    ("PUT", "/supervision/inspections/{int:inspection_id}/plan"): (
        OFFICE,
        lambda p: _at(p, "draft", "/plan", {"scope": "全区"}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/steps"): (
        OFFICE,
        lambda p: _at(
            p,
            "planned",
            "/steps",
            {"title": "座谈会", "starts_on": "2026-06-10", "ends_on": "2026-06-12"},
        ),
        201,
    ),
    ("DELETE", "/supervision/inspections/steps/{int:step_id}"): (
        OFFICE,
        lambda p: _step(p, "planned"),
        200,
    ),
    ("POST", "/supervision/inspections/steps/{int:step_id}/complete"): (
        OFFICE,
        lambda p: _step(p, "approved", "/complete", {"done_on": "2026-06-10"}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/submit"): (
        OFFICE,
        lambda p: _at(p, "planned", "/submit", {}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/return"): (
        LEADERS,
        lambda p: _at(p, "submitted", "/return", {"reason": "请补充检查重点"}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/approve"): (LEADERS, _approve, 200),
    ("POST", "/supervision/inspections/{int:inspection_id}/start"): (
        OFFICE,
        lambda p: _at(p, "approved", "/start", {}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/team"): (
        OFFICE,
        lambda p: _at(p, "draft", "/team", {"role": "member", "name": "赵专家"}),
        201,
    ),
    ("DELETE", "/supervision/inspections/team/{int:member_id}"): (
        OFFICE,
        lambda p: _member(p, "", None, which="declined"),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/invitations"): (
        OFFICE,
        lambda p: _at(p, "approved", "/invitations", {"deputy_ids": [p.deputy.deputy.pk]}),
        201,
    ),
    ("POST", "/supervision/inspections/invitations/{int:member_id}/reply"): (
        DEPUTY,
        lambda p: _member(p, "/reply", {"accept": False, "note": "临时有会"}, which="own"),
        200,
    ),
    ("POST", "/supervision/inspections/invitations/{int:member_id}/reply-for-deputy"): (
        OFFICE,
        lambda p: _member(p, "/reply-for-deputy", {"accept": False}, which="phone"),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/clauses"): (
        OFFICE,
        _clauses_body,
        201,
    ),
    ("PUT", "/supervision/inspections/clauses/{int:clause_id}"): (
        OFFICE,
        lambda p: _clause(p, "", {"duty_kind": "liability", "duty": "法律责任", "body_ids": []}),
        200,
    ),
    ("DELETE", "/supervision/inspections/clauses/{int:clause_id}"): (OFFICE, _free_clause, 200),
    ("POST", "/supervision/inspections/clauses/{int:clause_id}/finding"): (
        OFFICE,
        lambda p: _clause(p, "/finding", {"conclusion": "implemented"}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/visits"): (OFFICE, _visit, 201),
    ("POST", "/supervision/inspections/{int:inspection_id}/questionnaires"): (
        OFFICE,
        lambda p: _at(
            p,
            "teamed",
            "/questionnaires",
            {"title": "问卷", "distributed": 20, "returned": 18, "results": "多数满意"},
        ),
        201,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/problems"): (
        OFFICE,
        lambda p: _at(p, "checked", "/problems", _problem_body(p)),
        201,
    ),
    ("PUT", "/supervision/inspections/problems/{int:problem_id}"): (
        OFFICE,
        lambda p: _problem(p, _problem_body(p)),
        200,
    ),
    ("DELETE", "/supervision/inspections/problems/{int:problem_id}"): (
        OFFICE,
        lambda p: _problem(p),
        200,
    ),
    ("PUT", "/supervision/inspections/{int:inspection_id}/report"): (
        OFFICE,
        lambda p: _at(p, "teamed", "/report", {"implementation": "总体平稳"}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/form-report"): (
        OFFICE,
        lambda p: _at(p, "checked", "/form-report", {}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/reopen"): (
        OFFICE,
        lambda p: _at(p, "reported", "/reopen", {"reason": "补充检查"}),
        200,
    ),
    ("POST", "/supervision/inspections/{int:inspection_id}/opinions"): (OFFICE, _opinions, 201),
    ("POST", "/supervision/inspections/{int:inspection_id}/close"): (OFFICE, _close, 200),
    ("POST", "/supervision/inspections/{int:inspection_id}/publish"): (
        OFFICE,
        lambda p: _at(p, "reported", "/publish", {}),
        200,
    ),
}
