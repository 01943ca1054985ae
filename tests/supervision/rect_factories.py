"""Rectification items from each kind of source, for the rectification tests.

The sources (an inspection and its problem, a work report, a review opinion and its point, an
inquiry and its question) are written directly with the ORM: their own actions are built
elsewhere. The items themselves are opened by the real `open_rectifications`, and moved on only
through the real actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.db import transaction

from renda.core.models import Office, Unit
from renda.meetings.models import Meeting
from renda.supervision.actions import rectification as actions
from renda.supervision.actions.rectification import NewRectification, open_rectifications
from renda.supervision.models import (
    Inquiry,
    InquiryAttendee,
    InquiryQuestion,
    InquiryStatus,
    Inspection,
    InspectionStatus,
    OpinionPoint,
    OpinionStatus,
    Problem,
    Rectification,
    ReviewOpinion,
    WorkReport,
    WorkReportStatus,
)
from tests.plans.factories import pdf

SOURCES = ("opinion", "problem", "inquiry")


def standing_meeting() -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.STANDING, term_number=18, number=30, defaults={"date": date(2026, 3, 24)}
    )
    return meeting


@dataclass
class Sources:
    """One record of each kind, supervised by `office`, naming `unit` as the body."""

    inspection: Inspection
    work_report: WorkReport
    opinion: ReviewOpinion
    inquiry: Inquiry
    attendee: InquiryAttendee
    counter: list[int] = field(default_factory=lambda: [0])

    def _next(self) -> int:
        self.counter[0] += 1
        return self.counter[0]

    def new(self, source: str, *, unit: Unit, office: Office, **kw) -> NewRectification:
        """What one new item of `source` needs, with a fresh point, problem or question."""
        n = self._next()
        links: dict = {}
        if source == "opinion":
            links["point"] = OpinionPoint.objects.create(
                opinion=self.opinion, position=n, text=f"第{n}条：加强安全生产执法检查"
            )
            links["opinion"] = self.opinion
        elif source == "problem":
            links["problem"] = Problem.objects.create(
                inspection=self.inspection,
                unit=unit,
                position=n,
                description=f"问题{n}：部分企业安全生产责任制未落实",
            )
            links["inspection"] = self.inspection
        else:
            links["question"] = InquiryQuestion.objects.create(
                inquiry=self.inquiry,
                position=n,
                asker_kind=InquiryQuestion.AskerKind.DEPUTY,
                asker_name="王安全",
                attendee=self.attendee,
                question=f"问题{n}：占道经营如何治理？",
                answer="三个月内完成集中整治",
            )
            links["inquiry"] = self.inquiry
        values = {
            "title": f"整改事项{n}",
            "description": f"第{n}项问题：限期整改到位",
            **links,
            **kw,
        }
        return NewRectification(source=source, unit_id=unit.pk, office_id=office.pk, **values)


def make_sources(*, user, unit: Unit, office: Office) -> Sources:
    meeting = standing_meeting()
    inspection = Inspection.objects.create(
        title="《安全生产法》执法检查",
        year=2026,
        office=office,
        status=InspectionStatus.REVIEWED,
        created_by=user,
    )
    work_report = WorkReport.objects.create(
        title="关于城市管理工作情况的报告",
        year=2026,
        unit=unit,
        office=office,
        meeting=meeting,
        status=WorkReportStatus.REVIEWED,
        draft_due_on=date(2026, 3, 4),
        revised_due_on=date(2026, 3, 14),
        members_due_on=date(2026, 3, 17),
        created_by=user,
    )
    opinion = ReviewOpinion.objects.create(
        title="关于城市管理工作情况报告的审议意见",
        unit=unit,
        office=office,
        work_report=work_report,
        meeting=meeting,
        status=OpinionStatus.ISSUED,
        created_by=user,
    )
    inquiry = Inquiry.objects.create(
        topic="城市管理专题询问",
        year=2026,
        office=office,
        status=InquiryStatus.RECTIFYING,
        created_by=user,
    )
    attendee = InquiryAttendee.objects.create(
        inquiry=inquiry, unit=unit, official="张局长", official_title="局长"
    )
    return Sources(inspection, work_report, opinion, inquiry, attendee)


@dataclass
class Rect:
    """Items opened by the supervising office's staff (`office_user`) for `unit`, and moved on
    by the unit's user (`unit_user`) through the real actions."""

    sources: Sources
    office: Office
    unit: Unit
    office_user: object
    unit_user: object

    def open(
        self,
        source: str = "opinion",
        *,
        unit: Unit | None = None,
        office: Office | None = None,
        **kw,
    ) -> Rectification:
        new = self.sources.new(source, unit=unit or self.unit, office=office or self.office, **kw)
        with transaction.atomic():
            (item,) = open_rectifications(acting_user=self.office_user, items=[new])
        return item

    def in_progress(self, percent: int = 40, **kw) -> Rectification:
        item = self.open(**kw)
        actions.report_rectification(
            acting_user=self.unit_user, item=item, text="已制定整改方案", percent=percent
        )
        return Rectification.objects.get(pk=item.pk)

    def submitted(self, **kw) -> Rectification:
        item = self.in_progress(**kw)
        return actions.submit_rectification(
            acting_user=self.unit_user,
            item=item,
            result="已全部整改到位",
            evidence=[pdf("整改报告.pdf")],
        )

    def verified(self, **kw) -> Rectification:
        item = self.submitted(**kw)
        return actions.verify_rectification(acting_user=self.office_user, item=item)

    def in_state(self, status: str, **kw) -> Rectification:
        """An item in `status` ("assigned", "in_progress", "submitted", "verified")."""
        return {
            "assigned": self.open,
            "in_progress": self.in_progress,
            "submitted": self.submitted,
            "verified": self.verified,
        }[status](**kw)


@pytest.fixture(name="rect")
def rect_fixture(supervision) -> Rect:
    """The social-construction office (personas.social_staff) supervises; personas.unit
    answers for org.unit (区住房和城乡建设局)."""
    p, org = supervision.p, supervision.org
    sources = make_sources(user=p.social_staff, unit=org.unit, office=org.social_office)
    return Rect(sources, org.social_office, org.unit, p.social_staff, p.unit)


def rect_for_personas(p) -> Rect:
    """For the role matrix: items supervised by personas.staff's office, so that "staff" may
    verify, and addressed to the unit personas.unit answers for."""
    office = Office.objects.get(pk=min(p.staff.roles.office_ids))
    unit = Unit.objects.get(pk=min(p.unit.roles.unit_ids))
    cached = p.__dict__.get("_rect")
    if cached is None:
        sources = make_sources(user=p.staff, unit=unit, office=office)
        cached = p.__dict__["_rect"] = Rect(sources, office, unit, p.staff, p.unit)
    return cached
