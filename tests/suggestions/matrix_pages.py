"""Role-matrix entries (see tests/core/test_role_matrix.py for the format).

Each object page gets a suggestion built through the real actions in the state where every role
the page is open to may take the action: a suggestion of personas.deputy (so the street persona
sees it by its street) assigned to personas.unit's unit. Drafts are seen only by their drafter and
lead deputy, so the draft pages are open to deputies and staff (the admin does not draft)."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.models import Office, Unit
from renda.suggestions import actions
from renda.suggestions.actions import AnswerDraft, AssignmentPlan
from renda.suggestions.models import AnswerCategory, Category, Suggestion
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory

ALL = {"admin", "leader", "staff", "street", "deputy", "unit"}
OFFICE = {"admin", "staff"}
DRAFTERS = {"deputy", "staff"}
UNIT = {"unit"}
DEPUTY = {"deputy"}
LEADERS = {"admin", "leader"}


def _unit(p) -> Unit:
    return Unit.objects.get(pk=min(p.unit.roles.unit_ids))


def _draft(p, *, deputy=None, cosigners=(), **fields) -> Suggestion:
    values = {
        "title": "关于解决老旧小区停车难的建议",
        "content": "老旧小区停车位严重不足，建议挖潜增设停车位。",
        "category": Category.objects.get(name="城乡建设"),
        "timing": Suggestion.Timing.DURING_SESSION,
    }
    values.update(fields)
    # Entered by the office on the deputy's behalf: both the staff and the deputy may edit it.
    return actions.save_draft(
        acting_user=p.staff, deputy=deputy or p.deputy.deputy, cosigners=cosigners, **values
    )


def _submitted(p, **fields) -> Suggestion:
    return actions.submit(acting_user=p.staff, suggestion=_draft(p, **fields))


def _accepted(p, **fields) -> Suggestion:
    return actions.accept(acting_user=p.staff, suggestion=_submitted(p, **fields))


def _assigned(p, *, lead=None, co=()) -> Suggestion:
    plan = AssignmentPlan(mode=Suggestion.Mode.LEAD, lead_unit=lead or _unit(p), co_units=co)
    return actions.assign(acting_user=p.staff, suggestion=_accepted(p), plan=plan)


def _handling(p) -> Suggestion:
    s = _assigned(p)
    actions.sign_for(acting_user=p.unit, assignment=s.assignments.get())
    return Suggestion.objects.get(pk=s.pk)


def _answer(p, *, face_to_face: bool = False):
    s = _handling(p)
    draft = AnswerDraft(
        category=AnswerCategory.objects.get(code="B"),
        text="已将停车泊位施划列入今年计划。",
        signer="王局长",
        contact_person="赵联络员",
        contact_phone="0531-88001234",
        is_face_to_face=face_to_face,
    )
    return actions.answer(acting_user=p.unit, suggestion=s, draft=draft)


def _pk(s: Suggestion) -> dict:
    return {"pk": s.pk}


def draft(p):
    return _pk(_draft(p))


def submitted(p):
    return _pk(_submitted(p))


def motion(p):
    return _pk(_submitted(p, kind=Suggestion.Kind.MOTION))


def accepted(p):
    return _pk(_accepted(p))


def assigned(p):
    return _pk(_assigned(p))


def handling(p):
    return _pk(_handling(p))


def answered(p):
    return {"pk": _answer(p).suggestion_id}


def face_to_face(p):
    return {"pk": _answer(p, face_to_face=True).suggestion_id}


def answer_pk(p):
    return {"answer_pk": _answer(p).pk}


def cosign_invitation(p):
    """A suggestion of another deputy that personas.deputy is invited to co-sign."""
    other = DeputyFactory(full_name="王领衔")
    MandateFactory(deputy=other)
    return _pk(_submitted(p, deputy=other, cosigners=[p.deputy.deputy]))


def co_unit_handling(p):
    """personas.unit's unit is the co-unit; the lead unit has signed, so it is in handling."""
    lead = UnitFactory(name="区交通运输局")
    lead_user = UserFactory(username="m_lead_unit", full_name="交通局联络员")
    grant(lead_user, "unit", unit=lead)
    s = _assigned(p, lead=lead, co=(_unit(p),))
    for user, unit in ((lead_user, lead), (p.unit, _unit(p))):
        actions.sign_for(acting_user=user, assignment=s.assignments.get(unit=unit))
    return _pk(s)


def adjustment_requested(p):
    s = _assigned(p)
    actions.request_adjustment(
        acting_user=p.unit, assignment=s.assignments.get(), reason="该事项属于街道职责。"
    )
    return _pk(s)


def extension_requested(p):
    s = _handling(p)
    actions.request_extension(
        acting_user=p.unit, suggestion=s, new_due=s.due_at + timedelta(days=30), reason="需要调研"
    )
    return _pk(s)


def published(p):
    s = _accepted(p)
    actions.publish(acting_user=p.staff, suggestion=s)
    return _pk(s)


def flagged(p):
    s = _accepted(p)
    office = Office.objects.get(pk=min(p.staff.roles.office_ids))
    actions.flag_key(acting_user=p.leader, suggestion=s, leader=p.leader, office=office)
    return _pk(s)


def _attachment(p, s: Suggestion):
    upload = SimpleUploadedFile("现场照片说明.txt", "小区停车情况说明".encode())
    return actions.add_attachment(acting_user=p.staff, suggestion=s, upload=upload)


def attachment(p):
    return {"attachment_pk": _attachment(p, _assigned(p)).pk}


def draft_attachment(p):
    return {"attachment_pk": _attachment(p, _draft(p)).pk}


SUGGESTION_PAGES: dict = {
    "suggestions:list": (ALL, "get", None, 200),
    "suggestions:export": (ALL, "get", None, 200),
    "suggestions:create": (DRAFTERS, "get", None, 200),
    "suggestions:assign_batch": (OFFICE, "get", None, 200),
    "suggestions:detail": (ALL, "get", assigned, 200),
    "suggestions:edit": (DRAFTERS, "get", draft, 200),
    "suggestions:submit": (DRAFTERS, "get", draft, 200),
    "suggestions:delete_draft": (DRAFTERS, "get", draft, 200),
    "suggestions:withdraw": (DRAFTERS, "get", submitted, 200),
    "suggestions:reply_cosign": (DEPUTY, "get", cosign_invitation, 200),
    "suggestions:accept": (OFFICE, "get", submitted, 200),
    "suggestions:decline": (OFFICE, "get", submitted, 200),
    "suggestions:convert_motion": (OFFICE, "get", motion, 200),
    "suggestions:merge": (OFFICE, "get", submitted, 200),
    "suggestions:assign": (OFFICE, "get", accepted, 200),
    "suggestions:sign_for": (UNIT, "get", assigned, 200),
    "suggestions:request_adjustment": (UNIT, "get", assigned, 200),
    "suggestions:decide_adjustment": (OFFICE, "get", adjustment_requested, 200),
    "suggestions:record_contact": (UNIT, "get", handling, 200),
    "suggestions:submit_opinion": (UNIT, "get", co_unit_handling, 200),
    "suggestions:answer": (UNIT, "get", handling, 200),
    "suggestions:return_answer": (OFFICE, "get", answered, 200),
    "suggestions:correct_category": (OFFICE, "get", answered, 200),
    "suggestions:rate": (DEPUTY, "get", answered, 200),
    "suggestions:confirm_face_to_face": (DEPUTY, "get", face_to_face, 200),
    "suggestions:close": (OFFICE, "get", answered, 200),
    "suggestions:request_extension": (UNIT, "get", handling, 200),
    "suggestions:decide_extension": (OFFICE, "get", extension_requested, 200),
    "suggestions:extend_deadline": (OFFICE, "get", handling, 200),
    "suggestions:flag_key": (LEADERS, "get", accepted, 200),
    "suggestions:unflag_key": (LEADERS, "get", flagged, 200),
    "suggestions:publish": (OFFICE, "get", accepted, 200),
    "suggestions:unpublish": (OFFICE, "get", published, 200),
    "suggestions:set_confidential": (OFFICE, "get", accepted, 200),
    # Who may attach depends on the state (the drafter early, a unit to its answer): posting
    # without a file reaches the form check (400) for every role the page is open to.
    "suggestions:add_attachment": (OFFICE | DEPUTY | UNIT, "post", assigned, 400),
    "suggestions:attachment": (ALL, "get", attachment, 200),
    "suggestions:remove_attachment": (DRAFTERS, "get", draft_attachment, 200),
    "suggestions:letter_docx": (ALL, "get", answer_pk, 200),
    "suggestions:letter_pdf": (ALL, "get", answer_pk, 200),
}
