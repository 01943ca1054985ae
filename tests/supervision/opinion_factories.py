"""Review opinions in every state, for the opinion tests.

The sources (an inspection in "reported" with its problems, a work report in "reviewed") are
written directly with the ORM: their own actions are built elsewhere. The opinions are drafted,
issued, reported on and voted on only through the real actions.

The standing committee reviewed both on 2026-09-24 (the `supervision` fixture's meeting); the
tests run on ISSUE_DAY, within the 7 days for issuing opinions. personas.social_staff's office
(社会建设工作室) runs both sources; org.unit (区住房和城乡建设局, personas.unit) has two of the
inspection's problems, org.other_unit (区城市管理局) one, and made the work report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from renda.meetings.models import Meeting
from renda.supervision.actions import opinions as actions
from renda.supervision.models import (
    Inspection,
    InspectionStatus,
    Problem,
    ReviewOpinion,
    WorkReport,
    WorkReportStatus,
)
from tests.plans.factories import at

ISSUE_DAY = date(2026, 9, 28)  # four days after the review meeting
ISSUE_DUE = date(2026, 11, 30)  # 2026-11-28 + 2 months falls on a Saturday
VOTE_DAY = date(2026, 11, 20)

POINTS = [
    "进一步压实安全生产责任。对照安全生产法第二十一条，督促企业主要负责人履行法定职责。",
    "加强安全生产教育和培训，提高从业人员安全意识。",
]


def make_inspection(office, user, meeting: Meeting, **kw) -> Inspection:
    values = {
        "title": "《中华人民共和国安全生产法》执法检查",
        "year": 2026,
        "office": office,
        "status": InspectionStatus.REPORTED,
        "review_meeting": meeting,
        "created_by": user,
    }
    values.update(kw)
    return Inspection.objects.create(**values)


def make_problem(inspection: Inspection, unit, position: int, description: str, **kw) -> Problem:
    return Problem.objects.create(
        inspection=inspection, unit=unit, position=position, description=description, **kw
    )


def make_work_report(office, unit, user, meeting: Meeting, **kw) -> WorkReport:
    values = {
        "title": "关于城市管理工作情况的报告",
        "year": 2026,
        "unit": unit,
        "office": office,
        "meeting": meeting,
        "status": WorkReportStatus.REVIEWED,
        "draft_due_on": date(2026, 9, 4),
        "revised_due_on": date(2026, 9, 14),
        "members_due_on": date(2026, 9, 17),
        "reviewed_on": meeting.date,
        "created_by": user,
    }
    values.update(kw)
    return WorkReport.objects.create(**values)


@dataclass
class Opinions:
    s: object  # the `supervision` fixture
    inspection: Inspection
    problems: list[Problem]  # two of org.unit, then one of org.other_unit
    work_report: WorkReport

    @property
    def p(self):
        return self.s.p

    @property
    def org(self):
        return self.s.org

    @property
    def staff(self):
        return self.s.p.social_staff

    @property
    def meeting(self) -> Meeting:
        return self.s.standing_meeting

    def draft(self, *, unit=None, source: str = "inspection", points=None, **kw) -> ReviewOpinion:
        unit = unit or self.org.unit
        if points is None:
            if source == "inspection" and unit == self.org.unit:
                points = list(zip(POINTS, self.problems[:2], strict=True))
            else:
                points = [(POINTS[1], None)]
        sources = (
            {"inspection": self.inspection}
            if source == "inspection"
            else {"work_report": self.work_report}
        )
        values = {
            "acting_user": self.staff,
            "unit": unit,
            "meeting": self.meeting,
            "title": "关于《中华人民共和国安全生产法》执法检查报告的审议意见",
            "preamble": "常委会组成人员认为，本区安全生产形势总体平稳。",
            "points": points,
            **sources,
        }
        values.update(kw)
        return actions.draft_opinion(**values)

    def issued(self, **kw) -> ReviewOpinion:
        return actions.issue_opinion(acting_user=self.staff, opinion=self.draft(**kw))

    def reported(self, **kw) -> ReviewOpinion:
        opinion = self.issued(**kw)
        user = self.p.unit if opinion.unit_id == self.org.unit.pk else self.s.other_unit_user
        return actions.report_opinion_handling(
            acting_user=user, opinion=opinion, text="已逐条研究，制定整改方案并落实。"
        )


@pytest.fixture(name="issue_day")
def issue_day_fixture(time_machine) -> date:
    time_machine.move_to(at(ISSUE_DAY), tick=False)
    return ISSUE_DAY


@pytest.fixture(name="opinions")
def opinions_fixture(supervision, issue_day) -> Opinions:
    s = supervision
    inspection = make_inspection(s.office, s.staff, s.standing_meeting)
    problems = [
        make_problem(
            inspection,
            s.org.unit,
            1,
            "部分建筑施工企业主要负责人安全生产责任制落实不到位",
            suggestion="督促企业建立全员安全生产责任制。",
        ),
        make_problem(inspection, s.org.unit, 2, "安全生产教育培训流于形式"),
        make_problem(inspection, s.org.other_unit, 3, "占道经营整治不彻底"),
    ]
    report = make_work_report(s.office, s.org.other_unit, s.staff, s.standing_meeting)
    return Opinions(s=s, inspection=inspection, problems=problems, work_report=report)
