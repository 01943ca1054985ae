"""The demo's supervision year: the Work Safety Law inspection made concrete as the organ asked,
the urban-management inquiry, work reports on their statutory dates, and rectification items in
every state — as seen on the day the demo is looked at (2026-11-27)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from renda.core.models import User
from renda.plans.models import ItemLink, PlanItem
from renda.supervision.models import (
    ChecklistClause,
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionStatus,
    InvitationStatus,
    LawVersion,
    Problem,
    Rectification,
    ReviewOpinion,
    TeamRole,
    WorkReport,
)
from renda.supervision.queries import overdue_counts

DEMO_DAY = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_summary_line(demo):
    assert demo.supervision == {
        "inspections": 1,
        "inquiries": 1,
        "questions": 12,
        "work_reports": 3,
        "opinions": 5,
        "rectifications": 20,
        "verified": 13,
    }
    assert any(line.startswith("执法检查 1 项，专题询问 1 次") for line in demo.lines())


def test_the_work_safety_law_is_in_the_library_with_its_structure():
    version = LawVersion.objects.get(law__title="中华人民共和国安全生产法")
    assert version.label == "2021年修正" and version.article_count == 119
    assert version.provisions.filter(kind="chapter").count() == 7


def test_the_inspection_settles_clauses_deputies_organisation_dates_and_problems():
    inspection = Inspection.objects.get()
    assert inspection.status == InspectionStatus.REVIEWED and inspection.is_published
    assert inspection.approved_meeting.kind == "director"
    citations = list(ChecklistClause.objects.values_list("citation", flat=True))
    assert citations == ["第四条", "第八条", "第二十一条", "第二十八条", "第四十一条", "第八十一条"]
    deputies = inspection.team.filter(role=TeamRole.DEPUTY)
    replies = Counter(deputies.values_list("invitation", flat=True))
    assert replies == {InvitationStatus.ACCEPTED: 5, InvitationStatus.DECLINED: 2}
    assert inspection.deputies_to_invite == 5
    assert {"区人大代表", "市人大代表"} <= {m.level_label for m in deputies}
    assert inspection.visits.count() == 3 and inspection.questionnaires.count() == 1
    assert inspection.steps.count() == 6 and inspection.organisation
    # Every problem is tied to a clause and a body, and became one rectification item.
    problems = Problem.objects.filter(inspection=inspection)
    assert problems.count() == 6 and not problems.filter(clause=None).exists()
    assert Rectification.objects.filter(problem__in=problems).count() == 6
    item = PlanItem.objects.get(title="开展《中华人民共和国安全生产法》执法检查")
    assert inspection.plan_item == item
    assert ItemLink.objects.filter(
        item=item, content_type=ContentType.objects.get_for_model(Inspection)
    ).exists()


def test_review_opinions_in_every_state_of_the_handling():
    states = dict(ReviewOpinion.objects.values_list("unit__short_name", "status"))
    assert states == {
        "区应急局": "closed",
        "区住建局": "issued",
        "区市场监管局": "reported",
        "区消防救援大队": "issued",
        "区政府办": "issued",
    }
    closed = ReviewOpinion.objects.get(status="closed")
    assert closed.votes_satisfied + closed.votes_basic > closed.votes_unsatisfied


def test_rectification_in_every_state_on_the_day_the_demo_is_looked_at():
    states = Counter(Rectification.objects.values_list("status", flat=True))
    assert set(states) == {"assigned", "in_progress", "submitted", "verified"}
    rejected = Rectification.objects.get(rejection_count=1)
    assert rejected.status == "verified" and rejected.last_rejection
    with time_machine.travel(DEMO_DAY, tick=False):
        counts = overdue_counts(today=date(2026, 11, 27))
    assert counts["overdue"] == 2  # 住建局's second item and 消防救援大队's, past 28 October
    assert counts["submitted"] == 1


def test_the_inquiry_has_votes_per_question_and_a_rectification_list():
    inquiry = Inquiry.objects.get()
    assert inquiry.status == "rectifying" and inquiry.is_published
    assert inquiry.attendees.count() == 7
    questions = InquiryQuestion.objects.filter(inquiry=inquiry)
    assert questions.count() == 12 and not questions.filter(votes_satisfied=None).exists()
    assert questions.filter(asker_kind="deputy", asker_deputy__isnull=False).count() == 6
    items = Counter(Rectification.objects.filter(inquiry=inquiry).values_list("status", flat=True))
    assert items == {"verified": 10, "in_progress": 2}  # the two left for 2027


def test_work_reports_on_the_statutory_timeline():
    reports = {r.title: r for r in WorkReport.objects.all()}
    audit = reports["区人民政府关于2025年度审计查出问题整改情况的报告"]
    assert audit.status == "sent_to_members" and audit.reviewed_on is None
    assert (audit.meeting.date - audit.draft_due_on).days >= 20
    reviewed = [r for r in reports.values() if r.status == "reviewed"]
    assert len(reviewed) == 2 and all(r.due_at is None for r in reviewed)


@pytest.mark.parametrize(
    ("username", "expected"),
    [("zhujian", 4), ("chengguan", 5), ("shehuishi", 20)],
)
def test_demo_log_ins_find_their_rectification_items(client, username, expected):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("supervision:rectifications"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == expected
