"""Plans in every state, reached through the real actions (never by writing the status)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.actions import ItemFields
from renda.plans.models import Plan, PlanItem, PlanKind


def pdf(name: str = "佐证材料.pdf") -> SimpleUploadedFile:
    """A small file that passes the content check (a PDF header)."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n% renda test evidence\n", "application/pdf")


def item_fields(office, **overrides) -> ItemFields:
    values = {
        "title": "《安全生产法》执法检查",
        "owner_office": office,
        "objective": "检查安全生产法在本区的实施情况",
        "expected_result": "形成执法检查报告，提出审议意见并跟踪整改",
        "measure": "报告经常委会审议；整改事项全部销号",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 10, 31),
        "invited_deputies": 5,
        "weight": 1,
    }
    values.update(overrides)
    return ItemFields(**values)


@dataclass
class Planning:
    """The personas plus a director meeting; the social-construction office drafts."""

    p: object  # Personas
    org: object
    meeting: Meeting

    @property
    def office(self):
        return self.org.social_office

    def draft(self, *, kind: str = PlanKind.SUPERVISION, year: int = 2026, items: int = 1) -> Plan:
        plan = actions.create_plan(
            acting_user=self.p.social_staff,
            kind=kind,
            year=year,
            title=f"{year}年{PlanKind(kind).label}",
            office=self.office,
        )
        for n in range(items):
            title = "《安全生产法》执法检查" if n == 0 else f"第{n + 1}项工作"
            actions.add_item(
                acting_user=self.p.social_staff,
                plan=plan,
                values=item_fields(self.office, title=title),
            )
        return Plan.objects.get(pk=plan.pk)

    def submitted(self, **kw) -> Plan:
        plan = self.draft(**kw)
        return actions.submit_plan(acting_user=self.p.social_staff, plan=plan)

    def approved(self, **kw) -> Plan:
        plan = self.submitted(**kw)
        return actions.approve_plan(
            acting_user=self.p.leader,
            plan=plan,
            meeting=self.meeting,
            party_committee_date=date(2026, 2, 10),
        )

    def published(self, **kw) -> Plan:
        plan = self.approved(**kw)
        return actions.publish_plan(acting_user=self.p.social_staff, plan=plan)

    def item(self, plan: Plan, n: int = 0) -> PlanItem:
        return plan.items.order_by("position", "id")[n]

    def in_progress(self, percent: int = 40, **kw) -> PlanItem:
        item = self.item(self.approved(**kw))
        actions.report_progress(
            acting_user=self.p.social_staff, item=item, text="召开座谈会两次", percent=percent
        )
        return PlanItem.objects.get(pk=item.pk)

    def completed(self, **kw) -> PlanItem:
        item = self.in_progress(**kw)
        return actions.complete_item(
            acting_user=self.p.social_staff,
            item=item,
            result_statement="执法检查报告经常委会第12次会议审议",
            evidence=[pdf()],
        )


@pytest.fixture
def planning(personas, org) -> Planning:
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=3, date=date(2026, 2, 5)
    )
    return Planning(p=personas, org=org, meeting=meeting)
