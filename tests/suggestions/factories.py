"""Suggestions in every state, reached through the real actions (never by writing the status),
so a test starts from a record the workflow could actually produce."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max

from renda.core.errors import DomainError
from renda.core.models import Notification, TimelineEvent
from renda.suggestions import actions
from renda.suggestions.actions import AnswerDraft, AssignmentPlan
from renda.suggestions.defaults import ensure_default_taxonomies
from renda.suggestions.models import (
    Answer,
    AnswerCategory,
    Assignment,
    Attachment,
    Category,
    Contact,
    CoSigner,
    Extension,
    Rating,
    Suggestion,
)
from tests.core.factories import UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday in a year the holiday package knows: 3 months later (2026-06-02) is a working day.
MONDAY = date(2026, 3, 2)


def at(day: date, hour: int = 10) -> datetime:
    """A moment of `day` in the congress's time zone, for time_machine."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(time_machine) -> date:
    """Today is MONDAY (moves with time_machine.move_to(at(...)) inside a test)."""
    time_machine.move_to(at(MONDAY), tick=False)
    return MONDAY


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

    def declined(self, **kw) -> Suggestion:
        s = self.submitted(**kw)
        return actions.decline(acting_user=self.p.staff, suggestion=s, reason="属于议案范畴。")

    def merged(self, **kw) -> Suggestion:
        main = self.accepted()
        s = self.submitted(title="关于增设老旧小区停车泊位的建议", **kw)
        return actions.merge(acting_user=self.p.staff, suggestion=s, into=main)

    def follow_up(self, **kw) -> Suggestion:
        return self.rated(result="satisfied", code="B", **kw)

    def closed(self, **kw) -> Suggestion:
        return self.rated(result="satisfied", code="A", **kw)

    def in_state(self, status: str, **kw) -> Suggestion:
        """A suggestion in any Status, reached through the actions."""
        build = {
            "draft": self.draft,
            "submitted": self.submitted,
            "declined": self.declined,
            "merged": self.merged,
            "accepted": self.accepted,
            "assigned": self.assigned,
            "handling": self.handling,
            "answered": self.answered,
            "follow_up": self.follow_up,
            "closed": self.closed,
        }[status]
        return Suggestion.objects.get(pk=build(**kw).pk)

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
    # A transactional test before this one may have emptied the migration-seeded taxonomies.
    ensure_default_taxonomies()
    cosigner = UserFactory(username="p_cosigner", full_name="李联名")
    grant(cosigner, "deputy")
    deputy = DeputyFactory(full_name="李联名", user=cosigner)
    MandateFactory(deputy=deputy, street=org.street)
    co_unit_user = UserFactory(username="p_co_unit", full_name="城管局联络员")
    grant(co_unit_user, "unit", unit=org.other_unit)
    return World(p=personas, org=org, cosigner=cosigner, co_unit_user=co_unit_user)


# -- assertions every action test shares ----------------------------------------------------------


def state_of(suggestion: Suggestion) -> dict:
    """Everything an action could change about a suggestion: its row, its parts, its timeline and
    the notifications sent. Equal before and after means nothing changed."""
    pk = suggestion.pk
    return {
        "row": Suggestion.objects.filter(pk=pk).values().first(),
        "events": TimelineEvent.objects.filter(object_id=pk).count(),
        "notifications": Notification.objects.count(),
        "cosigners": list(CoSigner.objects.filter(suggestion_id=pk).values().order_by("id")),
        "assignments": list(Assignment.objects.filter(suggestion_id=pk).values().order_by("id")),
        "answers": list(Answer.objects.filter(suggestion_id=pk).values().order_by("id")),
        "ratings": Rating.objects.filter(suggestion_id=pk).count(),
        "contacts": Contact.objects.filter(suggestion_id=pk).count(),
        "extensions": list(Extension.objects.filter(suggestion_id=pk).values().order_by("id")),
        "attachments": Attachment.objects.filter(suggestion_id=pk).count(),
    }


def refused(suggestion: Suggestion, call, message: str, error: type = DomainError):
    """Run `call`, expect `error` with exactly `message`, and prove nothing changed."""
    before = state_of(suggestion)
    with pytest.raises(error) as info:
        call()
    assert info.value.message == message, info.value.message
    assert state_of(suggestion) == before
    return info.value


class Mark:
    """What happened after this point: new timeline events of a suggestion, new notifications."""

    def __init__(self, suggestion: Suggestion):
        self.pk = suggestion.pk
        self.event_id = TimelineEvent.objects.aggregate(m=Max("id"))["m"] or 0
        self.notification_id = Notification.objects.aggregate(m=Max("id"))["m"] or 0

    def events(self) -> list[TimelineEvent]:
        return list(
            TimelineEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(Suggestion),
                object_id=self.pk,
                id__gt=self.event_id,
            ).order_by("id")
        )

    def event(self) -> TimelineEvent:
        """The one event the action wrote."""
        events = self.events()
        assert len(events) == 1, [e.summary for e in events]
        return events[0]

    def notified(self) -> dict[str, list[str]]:
        """username -> titles of the notifications sent since the mark."""
        sent: dict[str, list[str]] = {}
        rows = Notification.objects.filter(id__gt=self.notification_id).select_related("user")
        for n in rows.order_by("id"):
            sent.setdefault(n.user.username, []).append(n.title)
        return sent


def reload(suggestion: Suggestion) -> Suggestion:
    return Suggestion.objects.select_related("deputy", "category").get(pk=suggestion.pk)


def person(world: World, name: str):
    """A persona by name: the shared ones, plus the world's co-signer and co-unit user."""
    if name in ("cosigner", "co_unit_user"):
        return getattr(world, name)
    return getattr(world.p, name)


# Everyone but the assigning office (its staff and the admin).
NOT_OFFICE = ("leader", "social_staff", "street", "deputy", "unit", "nobody", "cosigner")
