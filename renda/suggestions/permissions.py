"""Who may do what to a suggestion. The actions check these before every write; pages and the API
use `available_actions` to show only the moves this user may take now — the same rules."""

from __future__ import annotations

from datetime import date

from django.http import Http404

from renda.core.models import Congress, Role
from renda.suggestions.models import Assignment, CoSigner, Status, Suggestion
from renda.suggestions.queries import visible_suggestions


def get_suggestion_for_user(user, pk: int) -> Suggestion:
    suggestion = (
        visible_suggestions(user)
        .select_related(
            "category", "deputy", "street", "created_by", "key_leader", "key_office", "merged_into"
        )
        .filter(pk=pk)
        .first()
    )
    if suggestion is None:
        raise Http404("未找到该建议，或您无权查看。")
    return suggestion


def handles_suggestions(user) -> bool:
    """The assigning office: staff of the congress's deputy-affairs office, and the admin."""
    if user.roles.is_admin:
        return True
    congress = Congress.current()
    office_id = congress.deputy_affairs_office_id if congress else None
    return office_id is not None and office_id in user.roles.office_ids


def is_leader(user) -> bool:
    return user.roles.has(Role.LEADER, Role.ADMIN)


def is_lead_deputy(user, suggestion: Suggestion) -> bool:
    return user.roles.has(Role.DEPUTY) and suggestion.deputy.user_id == user.pk


def may_edit_draft(user, suggestion: Suggestion) -> bool:
    return is_lead_deputy(user, suggestion) or (
        handles_suggestions(user) and suggestion.created_by_id == user.pk
    )


def cosigner_of(user, suggestion: Suggestion) -> CoSigner | None:
    if not user.roles.has(Role.DEPUTY):
        return None
    return suggestion.cosigners.filter(deputy__user=user).select_related("deputy").first()


def unit_assignments(user, suggestion: Suggestion) -> list[Assignment]:
    """The live assignments of this suggestion to the user's units."""
    if not user.roles.unit_ids:
        return []
    return list(
        suggestion.assignments.exclude(status=Assignment.Status.WITHDRAWN)
        .filter(unit_id__in=user.roles.unit_ids)
        .select_related("unit")
    )


def answering_assignment(user, suggestion: Suggestion) -> Assignment | None:
    """The user's signed lead or separate assignment: the part that answers the deputy."""
    for assignment in unit_assignments(user, suggestion):
        if assignment.answers_deputy and assignment.status == Assignment.Status.SIGNED:
            return assignment
    return None


def available_actions(user, suggestion: Suggestion, *, today: date) -> set[str]:
    """The names of the actions (functions in actions.py) this user may take on it now."""
    s = suggestion.status
    names: set[str] = set()
    office = handles_suggestions(user)
    if s == Status.DRAFT and may_edit_draft(user, suggestion):
        names |= {"save_draft", "submit", "delete_draft"}
    if s == Status.SUBMITTED:
        if is_lead_deputy(user, suggestion) or (office and suggestion.created_by_id == user.pk):
            names.add("withdraw")
        cosigner = cosigner_of(user, suggestion)
        if cosigner is not None and cosigner.status == CoSigner.Status.PENDING:
            names.add("reply_cosign")
        if office:
            names |= {"accept", "decline", "merge"}
            if suggestion.kind == Suggestion.Kind.MOTION:
                names.add("convert_motion")
    if office and s == Status.ACCEPTED:
        names.add("assign")
    if office and s in (Status.ASSIGNED, Status.HANDLING):
        names.add("extend_deadline")
        if suggestion.extensions.filter(status="requested").exists():
            names.add("decide_extension")
    if office and suggestion.assignments.filter(status="adjust_requested").exists():
        names.add("decide_adjustment")
    mine = unit_assignments(user, suggestion)
    for assignment in mine:
        if assignment.status == Assignment.Status.PENDING:
            names.add("sign_for")
            if not assignment.adjust_refused and today <= assignment.adjust_due:
                names.add("request_adjustment")
        if assignment.status == Assignment.Status.SIGNED and s in (
            Status.HANDLING,
            Status.ANSWERED,
            Status.FOLLOW_UP,
        ):
            names.add("record_contact")
        if (
            assignment.role == Assignment.Role.CO
            and assignment.status == Assignment.Status.SIGNED
            and s == Status.HANDLING
        ):
            names.add("submit_opinion")
    answering = next(
        (a for a in mine if a.answers_deputy and a.status == Assignment.Status.SIGNED), None
    )
    if answering is not None:
        if s in (Status.HANDLING, Status.FOLLOW_UP) and not _answered_this_round(
            suggestion, answering
        ):
            names.add("answer")
        if s == Status.HANDLING and not suggestion.extensions.filter(status="requested").exists():
            names.add("request_extension")
    if s == Status.ANSWERED:
        if is_lead_deputy(user, suggestion):
            names.add("rate")
            if suggestion.answers.filter(
                round=suggestion.round,
                status="sent",
                is_face_to_face=True,
                face_to_face_confirmed_at=None,
            ).exists():
                names.add("confirm_face_to_face")
        if office:
            names |= {"return_answer", "correct_category", "close"}
    if office and s in (Status.FOLLOW_UP,):
        names.add("correct_category")
    if is_leader(user) and s not in (Status.DRAFT, Status.DECLINED, Status.MERGED):
        names.add("unflag_key" if suggestion.is_key else "flag_key")
    if office and suggestion.number and s not in (Status.DECLINED, Status.MERGED):
        names.add("unpublish" if suggestion.published_at else "publish")
    return names


def _answered_this_round(suggestion: Suggestion, assignment: Assignment) -> bool:
    return suggestion.answers.filter(
        round=suggestion.round, unit_id=assignment.unit_id, status="sent"
    ).exists()
