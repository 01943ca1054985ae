"""Suggestions in every state, reached through the real actions (never by writing the status),
so a test starts from a record the workflow could actually produce."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from renda.suggestions import actions
from renda.suggestions.actions import AnswerDraft, AssignmentPlan
from renda.suggestions.models import AnswerCategory, Assignment, Category, Suggestion
from tests.core.factories import UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory


def category(name: str = "城乡建设") -> Category:
    return Category.objects.get(name=name)


def answer_category(code: str) -> AnswerCategory:
    return AnswerCategory.objects.get(code=code)


def answer_draft(code: str = "A", **overrides) -> AnswerDraft:
    values = {
        "category": answer_category(code),
        "text": "经实地调查，已完成小区停车位施划 120 个。",
        "signer": "王局长",
        "contact_person": "赵联络员",
        "contact_phone": "0531-88001234",
        "document_number": "泉住建函〔2026〕12号",
    }
    values.update(overrides)
    return AnswerDraft(**values)


@dataclass
class World:
    """The personas plus what the handling needs: a co-signing deputy and a co-unit's user."""

    p: object  # Personas
    org: object
    cosigner: object  # User of a second deputy
    co_unit_user: object  # User of org.other_unit

    def draft(self, *, cosign: bool = False, **fields) -> Suggestion:
        values = {
            "title": "关于解决老旧小区停车难的建议",
            "content": "泉城路街道多个老旧小区停车位严重不足，建议挖潜增设停车位。",
            "category": category(),
            "timing": Suggestion.Timing.DURING_SESSION,
        }
        values.update(fields)
        return actions.save_draft(
            acting_user=self.p.deputy,
            deputy=self.p.deputy.deputy,
            cosigners=[self.cosigner.deputy] if cosign else [],
            **values,
        )

    def submitted(self, **kw) -> Suggestion:
        return actions.submit(acting_user=self.p.deputy, suggestion=self.draft(**kw))

    def accepted(self, **kw) -> Suggestion:
        s = self.submitted(**kw)
        if kw.get("cosign"):
            actions.reply_cosign(acting_user=self.cosigner, suggestion=s, confirm=True)
        return actions.accept(acting_user=self.p.staff, suggestion=s)

    def assigned(self, *, co_unit: bool = True, separate: bool = False, difficult=False, **kw):
        s = self.accepted(**kw)
        if separate:
            plan = AssignmentPlan(
                mode=Suggestion.Mode.SEPARATE,
                separate_units=(self.org.unit, self.org.other_unit),
                is_difficult=difficult,
            )
        else:
            plan = AssignmentPlan(
                mode=Suggestion.Mode.LEAD,
                lead_unit=self.org.unit,
                co_units=(self.org.other_unit,) if co_unit else (),
                is_difficult=difficult,
            )
        return actions.assign(acting_user=self.p.staff, suggestion=s, plan=plan)

    def assignment(self, s: Suggestion, unit) -> Assignment:
        return s.assignments.exclude(status="withdrawn").get(unit=unit)

    def handling(self, *, co_unit: bool = True, **kw) -> Suggestion:
        s = self.assigned(co_unit=co_unit, **kw)
        actions.sign_for(acting_user=self.p.unit, assignment=self.assignment(s, self.org.unit))
        if co_unit:
            co = self.assignment(s, self.org.other_unit)
            actions.sign_for(acting_user=self.co_unit_user, assignment=co)
        return Suggestion.objects.get(pk=s.pk)

    def opinion_given(self, **kw) -> Suggestion:
        s = self.handling(**kw)
        actions.submit_opinion(
            acting_user=self.co_unit_user,
            assignment=self.assignment(s, self.org.other_unit),
            opinion="同意主办单位意见，我局负责道路两侧停车泊位施划。",
        )
        return Suggestion.objects.get(pk=s.pk)

    def answered(self, code: str = "A", **kw) -> Suggestion:
        s = self.opinion_given(**kw)
        actions.answer(acting_user=self.p.unit, suggestion=s, draft=answer_draft(code))
        return Suggestion.objects.get(pk=s.pk)

    def rated(self, result: str = "satisfied", code: str = "A", **kw) -> Suggestion:
        s = self.answered(code, **kw)
        actions.rate(
            acting_user=self.p.deputy,
            suggestion=s,
            attitude="satisfied",
            result=result,
            comment="" if result != "not_satisfied" else "停车位仍然不足，未见实际增加。",
            cosigners_consulted=bool(kw.get("cosign")),
        )
        return Suggestion.objects.get(pk=s.pk)


@pytest.fixture
def world(personas, org) -> World:
    cosigner = UserFactory(username="p_cosigner", full_name="李联名")
    grant(cosigner, "deputy")
    deputy = DeputyFactory(full_name="李联名", user=cosigner)
    MandateFactory(deputy=deputy, street=org.street)
    co_unit_user = UserFactory(username="p_co_unit", full_name="城管局联络员")
    grant(co_unit_user, "unit", unit=org.other_unit)
    return World(p=personas, org=org, cosigner=cosigner, co_unit_user=co_unit_user)
