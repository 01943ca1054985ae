"""Inspections in every state, reached through the real actions (never by writing the status).

`Inspections` is built from the `supervision` fixture (`from_supervision`) or, for the role
matrix, from the personas alone (`from_personas`, which runs the inspection from personas.staff's
office). The organ's own example: the Work Safety Law, checked clause by clause, with deputies
invited, visits, problems, a report, review opinions and their rectification.

Dates: the inspection runs 2026-05-06 to 2026-09-30 (steps on working days), the review meeting
is on 2026-09-24 and the tests' "today" is TODAY (2026-10-12); the builders run `as_of(TODAY)`
so they give the same result whatever the machine's date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from renda.core.models import Office, Unit, User
from renda.deputies.models import Deputy
from renda.meetings.models import Meeting
from renda.supervision.actions import common
from renda.supervision.actions import inspections as actions
from renda.supervision.actions import opinions as opinion_actions
from renda.supervision.actions import rectification as rect_actions
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InspectionMethod,
    LawVersion,
    Rectification,
    TeamRole,
)
from renda.supervision.queries_inspections import provision_citations
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.plans.factories import at, pdf
from tests.supervision.factories import make_law_version

TODAY = date(2026, 10, 12)  # a Monday after the review meeting
STARTS, ENDS = date(2026, 5, 6), date(2026, 9, 30)
STEPS = [
    ("动员部署", date(2026, 5, 11), date(2026, 5, 15)),
    ("实地检查", date(2026, 6, 1), date(2026, 7, 31)),
    ("形成报告", date(2026, 8, 3), date(2026, 8, 28)),
]
VISIT_DAY = date(2026, 6, 10)
TITLE = "《安全生产法》执法检查"
PLAN = {
    "content": "检查安全生产法在本区的贯彻实施情况，重点是生产经营单位主体责任的落实",
    "objects_checked": "区住房和城乡建设局、区城市管理局及部分建筑施工企业",
    "scope": "全区",
    "focus": "主要负责人安全生产职责、安全生产教育和培训",
    "methods": [InspectionMethod.SYMPOSIUM, InspectionMethod.SITE_VISIT],
    "organisation": "常委会副主任任组长，社会建设工作室具体承办，邀请各级人大代表参加",
    "deputies_to_invite": 3,
    "starts_on": STARTS,
    "ends_on": ENDS,
}
# The clauses the organ's example checks, with the body each duty lies on ("unit"/"other").
CLAUSES = [
    ("第二十一条第（一）项", "duty", "主要负责人建立健全并落实全员安全生产责任制", ["unit"]),
    ("第二十一条第（三）项", "duty", "主要负责人组织制定并实施安全生产教育和培训计划", ["unit"]),
    ("第二十八条", "duty", "对从业人员进行安全生产教育和培训", ["unit", "other"]),
]


@dataclass
class Inspections:
    staff: User  # runs the inspection (staff of `office`)
    leader: User
    office: Office
    law_version: LawVersion
    unit: Unit
    other_unit: Unit
    unit_user: User
    other_unit_user: User
    deputies: list[Deputy]  # the first has a user account (the deputy persona)
    director_meeting: Meeting
    standing_meeting: Meeting
    made: dict = field(default_factory=dict)

    # -- lookups ------------------------------------------------------------------------------

    def provision(self, citation: str, version: LawVersion | None = None):
        version = version or self.law_version
        by_citation = {c: pk for pk, c in provision_citations(version).items()}
        return version.provisions.get(pk=by_citation[citation])

    def units(self, keys) -> list[Unit]:
        return [self.unit if key == "unit" else self.other_unit for key in keys]

    @staticmethod
    def reload(inspection: Inspection) -> Inspection:
        return Inspection.objects.get(pk=inspection.pk)

    # -- states -------------------------------------------------------------------------------

    def draft(self, **kw) -> Inspection:
        values = {
            "title": TITLE,
            "year": 2026,
            "office": self.office,
            "law_version": self.law_version,
        }
        values.update(kw)
        with common.as_of(TODAY):
            return actions.create_inspection(acting_user=self.staff, **values)

    def planned(self, **kw) -> Inspection:
        inspection = self.draft(**kw)
        with common.as_of(TODAY):
            actions.update_inspection_plan(
                acting_user=self.staff, inspection=inspection, leader=self.leader, **PLAN
            )
            for title, starts_on, ends_on in STEPS:
                actions.add_step(
                    acting_user=self.staff,
                    inspection=inspection,
                    title=title,
                    starts_on=starts_on,
                    ends_on=ends_on,
                )
        return self.reload(inspection)

    def submitted(self, **kw) -> Inspection:
        inspection = self.planned(**kw)
        with common.as_of(TODAY):
            return actions.submit_inspection_plan(acting_user=self.staff, inspection=inspection)

    def approved(self, **kw) -> Inspection:
        inspection = self.submitted(**kw)
        with common.as_of(TODAY):
            return actions.approve_inspection_plan(
                acting_user=self.leader, inspection=inspection, meeting=self.director_meeting
            )

    def inspecting(self, **kw) -> Inspection:
        inspection = self.approved(**kw)
        with common.as_of(TODAY):
            return actions.start_inspection(acting_user=self.staff, inspection=inspection)

    def teamed(self, **kw) -> Inspection:
        """Inspecting, with a leader and a staff member appointed, three deputies invited: the
        first accepted (themself), the second accepted by phone, the third declined."""
        inspection = self.inspecting(**kw)
        with common.as_of(TODAY):
            actions.appoint_team_member(
                acting_user=self.staff,
                inspection=inspection,
                role=TeamRole.LEADER,
                user=self.leader,
                title="区人大常委会副主任",
            )
            actions.appoint_team_member(
                acting_user=self.staff, inspection=inspection, role=TeamRole.STAFF, user=self.staff
            )
            first, second, third = actions.invite_deputies(
                acting_user=self.staff, inspection=inspection, deputies=self.deputies[:3]
            )
            actions.reply_invitation(acting_user=self.deputies[0].user, member=first, accept=True)
            actions.record_reply_for_deputy(acting_user=self.staff, member=second, accept=True)
            actions.record_reply_for_deputy(
                acting_user=self.staff, member=third, accept=False, note="出差"
            )
        return self.reload(inspection)

    def checked(self, **kw) -> Inspection:
        """Teamed, with the checklist, findings, a visit, a questionnaire, three problems (two
        at the unit, one at the other unit) and the report's sections."""
        inspection = self.teamed(**kw)
        with common.as_of(TODAY):
            clauses = actions.choose_clauses(
                acting_user=self.staff,
                inspection=inspection,
                entries=[
                    (self.provision(c), kind, duty, self.units(units))
                    for c, kind, duty, units in CLAUSES
                ],
            )
            for clause, conclusion in zip(
                clauses, ("partly", "not_implemented", "implemented"), strict=True
            ):
                actions.record_finding(
                    acting_user=self.staff,
                    clause=clause,
                    conclusion=conclusion,
                    finding="" if conclusion == "implemented" else "部分企业未落实",
                )
            participants = list(inspection.team.exclude(invitation="declined"))
            actions.record_visit(
                acting_user=self.staff,
                inspection=inspection,
                method=InspectionMethod.SITE_VISIT,
                held_on=VISIT_DAY,
                place="区建筑工地三处",
                bodies=[self.unit],
                participants=participants,
                notes="抽查施工企业安全生产责任制落实情况",
            )
            actions.record_questionnaire(
                acting_user=self.staff,
                inspection=inspection,
                title="企业安全生产培训情况问卷",
                audience="建筑施工企业从业人员",
                distributed=200,
                returned=186,
                results="六成受访者近一年接受过安全培训",
            )
            first, second, third = clauses
            for clause, unit, text, suggestion in (
                (
                    first,
                    self.unit,
                    "部分建筑施工企业全员安全生产责任制流于形式",
                    "督促企业逐级落实",
                ),
                (second, self.unit, "安全生产教育培训计划执行不到位", "加强培训考核"),
                (third, self.other_unit, "市政养护企业新员工岗前培训缺失", ""),
            ):
                actions.add_problem(
                    acting_user=self.staff,
                    inspection=inspection,
                    clause=clause,
                    unit=unit,
                    description=text,
                    suggestion=suggestion,
                )
            actions.write_report(
                acting_user=self.staff,
                inspection=inspection,
                implementation="全区安全生产形势总体平稳。\n各部门认真履行监管职责。",
                suggestions="进一步压实企业主体责任。",
                amendments="建议修订地方性法规，细化培训要求。",
            )
        return self.reload(inspection)

    def reported(self, **kw) -> Inspection:
        inspection = self.checked(**kw)
        with common.as_of(TODAY):
            return actions.form_report(acting_user=self.staff, inspection=inspection)

    def reviewed(self, **kw) -> Inspection:
        """Reported, its opinions drafted from the problems and issued (one per body)."""
        inspection = self.reported(**kw)
        with common.as_of(TODAY):
            opinions = actions.draft_opinions_from_problems(
                acting_user=self.staff, inspection=inspection, meeting=self.standing_meeting
            )
            for opinion in opinions:
                opinion_actions.issue_opinion(acting_user=self.staff, opinion=opinion)
        return self.reload(inspection)

    def rectify(self, inspection: Inspection, *, leave_open: int = 0) -> None:
        """The bodies submit and the office verifies every item but the last `leave_open`."""
        items = list(Rectification.objects.filter(inspection=inspection).order_by("id"))
        users = {self.unit.pk: self.unit_user, self.other_unit.pk: self.other_unit_user}
        with common.as_of(TODAY):
            for item in items[: len(items) - leave_open]:
                rect_actions.submit_rectification(
                    acting_user=users[item.unit_id],
                    item=item,
                    result="已整改到位",
                    evidence=[pdf("整改报告.pdf")],
                )
                rect_actions.verify_rectification(acting_user=self.staff, item=item)

    def closed(self, **kw) -> Inspection:
        inspection = self.reviewed(**kw)
        self.rectify(inspection)
        with common.as_of(TODAY):
            return actions.close_inspection(
                acting_user=self.staff,
                inspection=inspection,
                result_statement="执法检查报告经常委会审议，整改事项全部销号",
            )

    def state(self, name: str, **kw) -> Inspection:
        return getattr(self, name)(**kw)

    def clause(self, inspection: Inspection, n: int = 0) -> ChecklistClause:
        return inspection.checklist.order_by("position", "id")[n]


def from_supervision(s) -> Inspections:
    """From the `supervision` fixture: the social-construction office runs the inspection; the
    deputy persona is the first deputy, then the fixture's five district and two municipal."""
    return Inspections(
        staff=s.staff,
        leader=s.p.leader,
        office=s.office,
        law_version=s.law_version(),
        unit=s.org.unit,
        other_unit=s.org.other_unit,
        unit_user=s.p.unit,
        other_unit_user=s.other_unit_user,
        deputies=[s.p.deputy.deputy, *s.deputies],
        director_meeting=s.director_meeting,
        standing_meeting=s.standing_meeting,
    )


def from_personas(p) -> Inspections:
    """For the role matrix (personas only): personas.staff's office runs the inspection; the
    deputy persona is invited and the unit persona's unit is named, so every reader sees it.
    Made once per test and kept on the personas."""
    if "_inspections" in p.__dict__:
        return p._inspections
    from tests.core.factories import UserFactory, grant

    office = Office.objects.get(pk=min(p.staff.roles.office_ids))
    unit = Unit.objects.get(pk=min(p.unit.roles.unit_ids))
    other_unit = Unit.objects.exclude(pk=unit.pk).order_by("id").first()
    other_user = UserFactory(username="p_unit_other", full_name="另一单位联络员")
    grant(other_user, "unit", unit=other_unit)
    street_id = min(p.street.roles.street_ids)
    others = []
    for name in ("王安全", "李守法"):
        deputy = DeputyFactory(full_name=name)
        MandateFactory(deputy=deputy, street_id=street_id)
        others.append(deputy)
    director, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=61, defaults={"date": date(2026, 3, 10)}
    )
    standing, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.STANDING, term_number=18, number=62, defaults={"date": date(2026, 9, 24)}
    )
    p._inspections = Inspections(
        staff=p.staff,
        leader=p.leader,
        office=office,
        law_version=make_law_version(p.admin, label="矩阵测试版"),
        unit=unit,
        other_unit=other_unit,
        unit_user=p.unit,
        other_unit_user=other_user,
        deputies=[p.deputy.deputy, *others],
        director_meeting=director,
        standing_meeting=standing,
    )
    return p._inspections


def world_for(supervision, time_machine) -> Inspections:
    """The test modules' `world` fixture: the `supervision` fixture's inspections, with today
    frozen at TODAY."""
    time_machine.move_to(at(TODAY), tick=False)
    return from_supervision(supervision)
