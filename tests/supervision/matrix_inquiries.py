"""Role-matrix entries for special inquiries (see tests/core/test_role_matrix.py for the format),
and the inquiry builders the inquiry tests share.

An inquiry is built through the real actions in the state each page or operation needs. For the
matrix it is run by personas.staff's office (人事代表工作室), so that staff and the admin may act;
personas.unit's unit must attend and personas.deputy asks a question, so that the unit and the
deputy see it. Dates count from today (the matrix does not freeze time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from renda.core.models import Office, Unit, User
from renda.deputies.models import Deputy
from renda.meetings.models import Meeting
from renda.supervision.actions import common
from renda.supervision.actions import inquiries as actions
from renda.supervision.actions import rectification as rect_actions
from renda.supervision.models import Inquiry, InquiryQuestion
from tests.plans.factories import pdf

READERS = {"admin", "leader", "staff", "unit", "deputy"}
OFFICE = {"admin", "staff"}
PUBLISHERS = {"admin", "leader", "staff"}
BASE = "/api/v1/supervision/inquiries"

TOPIC = "城市管理工作"
QUESTION = "背街小巷环境卫生整治有哪些长效措施？"
ANSWER = "今年将完成全区背街小巷改造，建立巡查保洁机制。"


@dataclass
class InquiryWorld:
    """Who runs, attends and asks, and the meeting: the inquiry's surroundings."""

    staff: User
    office: Office
    unit: Unit
    unit_user: User
    deputy: Deputy | None
    meeting: Meeting

    def create(self, **overrides) -> Inquiry:
        values = {
            "topic": TOPIC,
            "year": self.meeting.date.year,
            "office": self.office,
            "meeting": self.meeting,
            "background": "城市管理是群众关心的热点",
        }
        values.update(overrides)
        return actions.create_inquiry(acting_user=self.staff, **values)

    def preparing(self, **overrides) -> Inquiry:
        """Arranged, with the unit's head as the one attendee."""
        inquiry = self.create(**overrides)
        actions.add_attendee(
            acting_user=self.staff,
            inquiry=inquiry,
            unit=self.unit,
            official="张局长",
            official_title="局长",
        )
        return self.fresh(inquiry)

    def with_question(self, *, answered: bool = False, **overrides) -> Inquiry:
        inquiry = self.preparing(**overrides)
        kind = InquiryQuestion.AskerKind.DEPUTY if self.deputy else "member"
        question = actions.add_question(
            acting_user=self.staff,
            inquiry=inquiry,
            asker_kind=kind,
            asker_name="常委甲",
            asker_deputy=self.deputy,
            attendee=inquiry.attendees.get(),
            question=QUESTION,
        )
        if answered:
            actions.record_answer(
                acting_user=self.staff, inquiry=inquiry, question=question, answer=ANSWER
            )
        return self.fresh(inquiry)

    def held(self, **overrides) -> Inquiry:
        inquiry = self.with_question(answered=True, **overrides)
        actions.hold_inquiry(
            acting_user=self.staff,
            inquiry=inquiry,
            held_on=self.meeting.date,
            summary="常委会组成人员和代表共提出问题 1 个",
        )
        return self.fresh(inquiry)

    def rectifying(self, **overrides) -> Inquiry:
        inquiry = self.held(**overrides)
        actions.list_commitments(
            acting_user=self.staff,
            inquiry=inquiry,
            entries=[(self.question(inquiry), "背街小巷保洁", "建立巡查保洁长效机制", None)],
        )
        return self.fresh(inquiry)

    def verify_all(self, inquiry: Inquiry) -> Inquiry:
        for item in inquiry.rectifications.all():
            rect_actions.submit_rectification(
                acting_user=self.unit_user, item=item, result="已建立机制", evidence=[pdf()]
            )
            rect_actions.verify_rectification(acting_user=self.staff, item=item)
        return self.fresh(inquiry)

    def closed(self, **overrides) -> Inquiry:
        inquiry = self.verify_all(self.rectifying(**overrides))
        actions.close_inquiry(
            acting_user=self.staff, inquiry=inquiry, result_statement="整改事项全部销号"
        )
        return self.fresh(inquiry)

    def published(self, **overrides) -> Inquiry:
        inquiry = self.held(**overrides)
        actions.publish_inquiry(acting_user=self.staff, inquiry=inquiry)
        return self.fresh(inquiry)

    @staticmethod
    def fresh(inquiry: Inquiry) -> Inquiry:
        return Inquiry.objects.get(pk=inquiry.pk)

    @staticmethod
    def question(inquiry: Inquiry, n: int = 0) -> InquiryQuestion:
        return inquiry.questions.order_by("position", "id")[n]


def standing_meeting(number: int, day: date) -> Meeting:
    meeting, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.STANDING, term_number=18, number=number, defaults={"date": day}
    )
    return meeting


def world_of(p) -> InquiryWorld:
    """The matrix's world: personas.staff's office runs it, personas.unit attends, personas.deputy
    asks; the meeting was a week ago."""
    return InquiryWorld(
        staff=p.staff,
        office=Office.objects.get(pk=min(p.staff.roles.office_ids)),
        unit=Unit.objects.get(pk=min(p.unit.roles.unit_ids)),
        unit_user=p.unit,
        deputy=p.deputy.deputy,
        meeting=standing_meeting(41, common.today() - timedelta(days=7)),
    )


def _pk(inquiry: Inquiry) -> dict:
    return {"pk": inquiry.pk}


SUP_INQUIRY_PAGES: dict = {
    "supervision:inquiries": (READERS, "get", None, 200),
    "supervision:inquiries_export": (READERS, "get", None, 200),
    "supervision:inquiry_create": (OFFICE, "get", None, 200),
    "supervision:public_inquiries": ("public", "get", None, 200),
    "supervision:inquiry": (READERS, "get", lambda p: _pk(world_of(p).held()), 200),
    "supervision:inquiry_report_docx": (READERS, "get", lambda p: _pk(world_of(p).held()), 200),
    "supervision:inquiry_votes_xlsx": (READERS, "get", lambda p: _pk(world_of(p).held()), 200),
    "supervision:update_inquiry": (OFFICE, "get", lambda p: _pk(world_of(p).preparing()), 200),
    "supervision:add_attendee": (OFFICE, "get", lambda p: _pk(world_of(p).preparing()), 200),
    "supervision:remove_attendee": (OFFICE, "get", lambda p: _pk(world_of(p).preparing()), 200),
    "supervision:record_attendance": (OFFICE, "get", lambda p: _pk(world_of(p).preparing()), 200),
    "supervision:add_question": (OFFICE, "get", lambda p: _pk(world_of(p).preparing()), 200),
    "supervision:update_question": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p).with_question()),
        200,
    ),
    "supervision:remove_question": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p).with_question()),
        200,
    ),
    "supervision:record_answer": (OFFICE, "get", lambda p: _pk(world_of(p).with_question()), 200),
    "supervision:hold_inquiry": (
        OFFICE,
        "get",
        lambda p: _pk(world_of(p).with_question(answered=True)),
        200,
    ),
    "supervision:record_question_vote": (OFFICE, "get", lambda p: _pk(world_of(p).held()), 200),
    "supervision:list_commitments": (OFFICE, "get", lambda p: _pk(world_of(p).held()), 200),
    "supervision:close_inquiry": (OFFICE, "get", lambda p: _pk(world_of(p).rectifying()), 200),
    "supervision:publish_inquiry": (PUBLISHERS, "get", lambda p: _pk(world_of(p).held()), 200),
}


# ---------------------------------------------------------------------------------------------
# The API: every build makes a fresh inquiry (the matrix calls it once per role)


def _attendee_id(inquiry: Inquiry) -> int:
    return inquiry.attendees.get().pk


def _question_body(inquiry: Inquiry) -> dict:
    return {
        "asker_kind": "member",
        "asker_name": "常委乙",
        "attendee_id": _attendee_id(inquiry),
        "question": "占道经营治理如何做到疏堵结合？",
    }


def _create(p) -> tuple[str, dict]:
    world = world_of(p)
    return f"{BASE}/", {"topic": TOPIC, "year": 2026, "office_id": world.office.pk}


def _commitments(p) -> tuple[str, dict]:
    world = world_of(p)
    inquiry = world.held()
    entry = {
        "question_id": world.question(inquiry).pk,
        "title": "背街小巷保洁",
        "description": "建立巡查保洁长效机制",
    }
    return f"{BASE}/{inquiry.pk}/commitments", {"entries": [entry]}


def _close(p) -> tuple[str, dict]:
    world = world_of(p)
    inquiry = world.verify_all(world.rectifying())
    return f"{BASE}/{inquiry.pk}/close", {"result_statement": "整改事项全部销号"}


def _update_question(p) -> tuple[str, dict]:
    world = world_of(p)
    inquiry = world.with_question()
    return f"{BASE}/questions/{world.question(inquiry).pk}", _question_body(inquiry)


def _question_of(build):
    def path(p) -> int:
        world = world_of(p)
        return world.question(build(world)).pk

    return path


_preparing_question = _question_of(lambda w: w.with_question())
_held_question = _question_of(lambda w: w.held())


SUP_INQUIRY_API: dict = {
    ("GET", "/supervision/inquiries/"): (READERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/supervision/inquiries/"): (OFFICE, _create, 201),
    ("GET", "/supervision/inquiries/{int:inquiry_id}"): (
        READERS,
        lambda p: (f"{BASE}/{world_of(p).held().pk}", None),
        200,
    ),
    ("GET", "/supervision/inquiries/{int:inquiry_id}/report.docx"): (
        READERS,
        lambda p: (f"{BASE}/{world_of(p).held().pk}/report.docx", None),
        200,
    ),
    ("PUT", "/supervision/inquiries/{int:inquiry_id}"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p).preparing().pk}",
            {"topic": TOPIC, "research": "组织代表走访 6 个街道"},
        ),
        200,
    ),
    ("POST", "/supervision/inquiries/{int:inquiry_id}/attendees"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{world_of(p).create().pk}/attendees",
            {"unit_id": world_of(p).unit.pk, "official": "李副局长", "official_title": "副局长"},
        ),
        201,
    ),
    ("DELETE", "/supervision/inquiries/attendees/{int:attendee_id}"): (
        OFFICE,
        lambda p: (f"{BASE}/attendees/{_attendee_id(world_of(p).preparing())}", None),
        200,
    ),
    ("POST", "/supervision/inquiries/attendees/{int:attendee_id}/attendance"): (
        OFFICE,
        lambda p: (
            f"{BASE}/attendees/{_attendee_id(world_of(p).preparing())}/attendance",
            {"attended": True},
        ),
        200,
    ),
    ("POST", "/supervision/inquiries/{int:inquiry_id}/questions"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{(i := world_of(p).preparing()).pk}/questions",
            _question_body(i),
        ),
        201,
    ),
    ("PUT", "/supervision/inquiries/questions/{int:question_id}"): (OFFICE, _update_question, 200),
    ("DELETE", "/supervision/inquiries/questions/{int:question_id}"): (
        OFFICE,
        lambda p: (f"{BASE}/questions/{_preparing_question(p)}", None),
        200,
    ),
    ("POST", "/supervision/inquiries/questions/{int:question_id}/answer"): (
        OFFICE,
        lambda p: (f"{BASE}/questions/{_preparing_question(p)}/answer", {"answer": ANSWER}),
        200,
    ),
    ("POST", "/supervision/inquiries/questions/{int:question_id}/vote"): (
        OFFICE,
        lambda p: (
            f"{BASE}/questions/{_held_question(p)}/vote",
            {"votes_satisfied": 30, "votes_basic": 5, "votes_unsatisfied": 2},
        ),
        200,
    ),
    ("POST", "/supervision/inquiries/{int:inquiry_id}/hold"): (
        OFFICE,
        lambda p: (
            f"{BASE}/{(w := world_of(p)).with_question(answered=True).pk}/hold",
            {"held_on": str(w.meeting.date), "summary": "共提出问题 1 个"},
        ),
        200,
    ),
    ("POST", "/supervision/inquiries/{int:inquiry_id}/commitments"): (OFFICE, _commitments, 201),
    ("POST", "/supervision/inquiries/{int:inquiry_id}/close"): (OFFICE, _close, 200),
    ("POST", "/supervision/inquiries/{int:inquiry_id}/publish"): (
        PUBLISHERS,
        lambda p: (f"{BASE}/{world_of(p).held().pk}/publish", {}),
        200,
    ),
}
