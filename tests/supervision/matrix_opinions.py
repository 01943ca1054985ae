"""Role-matrix entries (see tests/core/test_role_matrix.py for the format) for the review-opinion
pages and /api/v1/supervision/opinions.

The matrix has the personas only, and calls an API builder once per role (a page builder once
per page), so every builder makes a fresh inspection (written with the ORM in "reported", with
one problem at personas.unit's body: inspections are built elsewhere) and takes the opinion to
the state its page or operation needs through the real actions. personas.staff's office runs
the inspection, so staff (and the admin) draft, edit and record the vote; the leader issues too;
personas.unit reports the handling. The committee reviewed the report three days ago."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from renda.core.models import Office, Unit
from renda.meetings.models import Meeting
from renda.supervision.actions import opinions as actions
from renda.supervision.models import (
    Inspection,
    InspectionStatus,
    OpinionPoint,
    Problem,
    ReviewOpinion,
)

READERS = {"admin", "leader", "staff", "unit"}
OFFICE = {"admin", "staff"}
ISSUERS = {"admin", "leader", "staff"}
UNITS = {"unit"}
BASE = "/api/v1/supervision/opinions"


def office_of(p) -> Office:
    return Office.objects.get(pk=min(p.staff.roles.office_ids))


def unit_of(p) -> Unit:
    return Unit.objects.get(pk=min(p.unit.roles.unit_ids))


def review_meeting() -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.STANDING,
        term_number=18,
        number=60,
        defaults={"date": timezone.localdate() - timedelta(days=3)},
    )
    return meeting


def vote_meeting() -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.STANDING,
        term_number=18,
        number=61,
        defaults={"date": timezone.localdate()},
    )
    return meeting


def reported_inspection(p) -> tuple[Inspection, Problem]:
    n = Inspection.objects.count() + 1
    inspection = Inspection.objects.create(
        title=f"《中华人民共和国安全生产法》执法检查（{n}）",
        year=timezone.localdate().year,
        office=office_of(p),
        status=InspectionStatus.REPORTED,
        review_meeting=review_meeting(),
        created_by=p.staff,
    )
    problem = Problem.objects.create(
        inspection=inspection, unit=unit_of(p), position=1, description="安全生产责任制落实不到位"
    )
    return inspection, problem


def draft(p) -> ReviewOpinion:
    inspection, problem = reported_inspection(p)
    return actions.draft_opinion(
        acting_user=p.staff,
        unit=unit_of(p),
        meeting=review_meeting(),
        title="关于安全生产法执法检查报告的审议意见",
        inspection=inspection,
        points=[("压实企业安全生产主体责任。", problem)],
    )


def issued(p) -> ReviewOpinion:
    return actions.issue_opinion(acting_user=p.staff, opinion=draft(p))


def reported(p) -> ReviewOpinion:
    return actions.report_opinion_handling(
        acting_user=p.unit, opinion=issued(p), text="已逐条研究并整改。"
    )


def draft_point(p) -> OpinionPoint:
    return draft(p).points.get()


def _pk(row) -> dict:
    return {"pk": row.pk}


SUP_OPINION_PAGES: dict = {
    "supervision:opinions": (READERS, "get", None, 200),
    "supervision:opinions_export": (READERS, "get", None, 200),
    "supervision:opinion_create": (OFFICE, "get", None, 200),
    "supervision:opinion": (READERS, "get", lambda p: _pk(issued(p)), 200),
    "supervision:opinion_docx": (READERS, "get", lambda p: _pk(issued(p)), 200),
    "supervision:update_opinion": (OFFICE, "get", lambda p: _pk(draft(p)), 200),
    "supervision:add_opinion_point": (OFFICE, "get", lambda p: _pk(draft(p)), 200),
    "supervision:update_opinion_point": (OFFICE, "get", lambda p: _pk(draft_point(p)), 200),
    "supervision:remove_opinion_point": (OFFICE, "get", lambda p: _pk(draft_point(p)), 200),
    "supervision:issue_opinion": (ISSUERS, "get", lambda p: _pk(draft(p)), 200),
    "supervision:report_opinion_handling": (UNITS, "get", lambda p: _pk(issued(p)), 200),
    "supervision:record_opinion_vote": (OFFICE, "get", lambda p: _pk(reported(p)), 200),
}


def _create(p):
    inspection, problem = reported_inspection(p)
    body = {
        "inspection_id": inspection.pk,
        "unit_id": unit_of(p).pk,
        "meeting_id": review_meeting().pk,
        "title": "关于安全生产法执法检查报告的审议意见",
        "points": [{"text": "压实企业安全生产主体责任。", "problem_id": problem.pk}],
    }
    return f"{BASE}/", body


def _vote(p):
    body = {
        "meeting_id": vote_meeting().pk,
        "votes_satisfied": 20,
        "votes_basic": 5,
        "votes_unsatisfied": 2,
    }
    return f"{BASE}/{reported(p).pk}/vote", body


SUP_OPINION_API: dict = {
    ("GET", "/supervision/opinions/"): (READERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/supervision/opinions/"): (OFFICE, _create, 201),
    ("GET", "/supervision/opinions/{int:opinion_id}"): (
        READERS,
        lambda p: (f"{BASE}/{issued(p).pk}", None),
        200,
    ),
    ("PUT", "/supervision/opinions/{int:opinion_id}"): (
        OFFICE,
        lambda p: (f"{BASE}/{draft(p).pk}", {"title": "关于安全生产法执法检查的审议意见"}),
        200,
    ),
    ("GET", "/supervision/opinions/{int:opinion_id}/docx"): (
        READERS,
        lambda p: (f"{BASE}/{issued(p).pk}/docx", None),
        200,
    ),
    ("POST", "/supervision/opinions/{int:opinion_id}/points"): (
        OFFICE,
        lambda p: (f"{BASE}/{draft(p).pk}/points", {"text": "加强安全生产宣传教育。"}),
        201,
    ),
    ("PUT", "/supervision/opinions/points/{int:point_id}"): (
        OFFICE,
        lambda p: (f"{BASE}/points/{draft_point(p).pk}", {"text": "压实主体责任。"}),
        200,
    ),
    ("DELETE", "/supervision/opinions/points/{int:point_id}"): (
        OFFICE,
        lambda p: (f"{BASE}/points/{draft_point(p).pk}", None),
        200,
    ),
    ("POST", "/supervision/opinions/{int:opinion_id}/issue"): (
        ISSUERS,
        lambda p: (f"{BASE}/{draft(p).pk}/issue", {}),
        200,
    ),
    ("POST", "/supervision/opinions/{int:opinion_id}/handling-report"): (
        UNITS,
        lambda p: (f"{BASE}/{issued(p).pk}/handling-report", {"text": "已逐条研究并整改。"}),
        200,
    ),
    ("POST", "/supervision/opinions/{int:opinion_id}/vote"): (OFFICE, _vote, 200),
}
