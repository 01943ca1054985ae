"""Who may do what to a suggestion. The actions check these before every write; pages and the API
use `available_actions` to show only the moves this user may take now — the same rules."""

from __future__ import annotations

from datetime import date

from django.http import Http404

from renda.core.models import Congress, Role
from renda.suggestions.models import (
    OPEN_STATES,
    REGISTERED_STATES,
    Answer,
    Assignment,
    Attachment,
    CoSigner,
    Extension,
    Status,
    Suggestion,
)
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


def get_attachment_for_user(user, pk: int) -> Attachment:
    """An attachment, only if the user may see its suggestion (the file is served after this)."""
    attachment = (
        Attachment.objects.select_related("suggestion", "answer")
        .filter(pk=pk, suggestion__in=visible_suggestions(user).values("pk"))
        .first()
    )
    if attachment is None:
        raise Http404("未找到该附件，或您无权查看。")
    return attachment


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


def units_owing_answer(suggestion: Suggestion) -> set[int]:
    """The answering units that still owe an answer in the current round. In follow-up only the
    units whose rated answer needs follow-up (B/C) answer again: in separate handling a unit
    that answered A has nothing left to report."""
    answering = set(
        suggestion.assignments.exclude(status=Assignment.Status.WITHDRAWN)
        .filter(role__in=(Assignment.Role.LEAD, Assignment.Role.SEPARATE))
        .values_list("unit_id", flat=True)
    )
    done = set(
        suggestion.answers.filter(round=suggestion.round, status=Answer.Status.SENT).values_list(
            "unit_id", flat=True
        )
    )
    if suggestion.status != Status.FOLLOW_UP:
        return answering - done
    # The rated answer of each unit: its latest answer of an earlier round not sent back.
    rated: dict[int, Answer] = {}
    earlier = (
        suggestion.answers.filter(round__lt=suggestion.round)
        .exclude(status=Answer.Status.RETURNED)
        .select_related("category")
        .order_by("unit_id", "-round", "-id")
    )
    for answer in earlier:
        rated.setdefault(answer.unit_id, answer)
    needing = {uid for uid, answer in rated.items() if answer.category.needs_follow_up}
    return (answering & needing) - done


def missing_co_opinions(suggestion: Suggestion):
    """Live co-unit assignments whose written opinion (会办意见) the lead still waits for."""
    return suggestion.assignments.exclude(status=Assignment.Status.WITHDRAWN).filter(
        role=Assignment.Role.CO, opinion_at=None
    )


def may_add_attachment(user, suggestion: Suggestion, *, answer: Answer | None = None) -> bool:
    """The drafter while draft or submitted; the office at any time once submitted (a draft is
    the deputy's own); a unit on its own current answer while answered or under follow-up."""
    if answer is not None:
        return (
            answer.suggestion_id == suggestion.pk
            and answer.status == Answer.Status.SENT
            and suggestion.status in (Status.ANSWERED, Status.FOLLOW_UP)
            and any(a.unit_id == answer.unit_id for a in unit_assignments(user, suggestion))
        )
    if suggestion.status in (Status.DRAFT, Status.SUBMITTED) and may_edit_draft(user, suggestion):
        return True
    return suggestion.status != Status.DRAFT and handles_suggestions(user)


def own_current_answer(user, suggestion: Suggestion) -> Answer | None:
    """The current (sent) answer of one of the user's units, the latest first."""
    unit_ids = [a.unit_id for a in unit_assignments(user, suggestion) if a.answers_deputy]
    if not unit_ids:
        return None
    return (
        suggestion.answers.filter(unit_id__in=unit_ids, status=Answer.Status.SENT)
        .select_related("unit")
        .order_by("-id")
        .first()
    )


def may_remove_attachment(user, suggestion: Suggestion) -> bool:
    """The drafter while it is a draft; the office once it is submitted."""
    if suggestion.status == Status.DRAFT:
        return may_edit_draft(user, suggestion)
    return handles_suggestions(user)


def _has_requested_extension(suggestion: Suggestion) -> bool:
    return suggestion.extensions.filter(status=Extension.Status.REQUESTED).exists()


def _review_actions(user, suggestion: Suggestion, office: bool) -> set[str]:
    names: set[str] = set()
    if may_edit_draft(user, suggestion):
        names.add("withdraw")
    cosigner = cosigner_of(user, suggestion)
    if cosigner is not None and cosigner.status == CoSigner.Status.PENDING:
        names.add("reply_cosign")
    if office:
        names.add("decline")
        if suggestion.kind == Suggestion.Kind.MOTION:
            names.add("convert_motion")
        elif not suggestion.cosigners.filter(status=CoSigner.Status.PENDING).exists():
            names |= {"accept", "merge"}
    return names


def _office_actions(suggestion: Suggestion) -> set[str]:
    s = suggestion.status
    names: set[str] = set()
    if s == Status.ACCEPTED:
        names.add("assign")
    if s in OPEN_STATES:
        names.add("extend_deadline")
        if _has_requested_extension(suggestion):
            names.add("decide_extension")
    if suggestion.assignments.filter(status=Assignment.Status.ADJUST_REQUESTED).exists():
        names.add("decide_adjustment")
    if s == Status.ANSWERED:
        names |= {"return_answer", "correct_category", "close"}
    if s == Status.FOLLOW_UP:
        names.add("correct_category")
    if s in REGISTERED_STATES:
        names.add("set_confidential")
        if suggestion.published_at:
            names.add("unpublish")
        elif not suggestion.is_confidential:
            names.add("publish")
    return names


def _unit_actions(user, suggestion: Suggestion, *, today: date) -> set[str]:
    s = suggestion.status
    names: set[str] = set()
    mine = unit_assignments(user, suggestion)
    for assignment in mine:
        if assignment.status == Assignment.Status.PENDING:
            names.add("sign_for")
            if not assignment.adjust_refused and today <= assignment.adjust_due:
                names.add("request_adjustment")
        if assignment.status != Assignment.Status.SIGNED:
            continue
        if s in (Status.HANDLING, Status.ANSWERED, Status.FOLLOW_UP):
            names.add("record_contact")
        if assignment.role == Assignment.Role.CO and s in OPEN_STATES:
            names.add("submit_opinion")
    answering = next(
        (a for a in mine if a.answers_deputy and a.status == Assignment.Status.SIGNED), None
    )
    if answering is None:
        return names
    if s in (Status.HANDLING, Status.FOLLOW_UP) and answering.unit_id in units_owing_answer(
        suggestion
    ):
        waits_for_opinions = (
            s == Status.HANDLING
            and suggestion.mode == Suggestion.Mode.LEAD
            and missing_co_opinions(suggestion).exists()
        )
        if not waits_for_opinions:
            names.add("answer")
    if s == Status.HANDLING and not _has_requested_extension(suggestion):
        names.add("request_extension")
    own = own_current_answer(user, suggestion)
    if own is not None and may_add_attachment(user, suggestion, answer=own):
        names.add("add_attachment")
    return names


def _deputy_actions(user, suggestion: Suggestion) -> set[str]:
    names: set[str] = set()
    if not is_lead_deputy(user, suggestion):
        return names
    if suggestion.status == Status.ANSWERED:
        names.add("rate")
    unconfirmed = suggestion.answers.filter(
        status=Answer.Status.SENT, is_face_to_face=True, face_to_face_confirmed_at=None
    )
    if unconfirmed.exists():
        names.add("confirm_face_to_face")
    return names


def available_actions(user, suggestion: Suggestion, *, today: date) -> set[str]:
    """The names of the actions (functions in actions.py) this user may take on it now.
    `remove_attachment` means the user may remove this suggestion's attachments."""
    s = suggestion.status
    office = handles_suggestions(user)
    names: set[str] = set()
    if s == Status.DRAFT and may_edit_draft(user, suggestion):
        names |= {"save_draft", "submit", "delete_draft"}
    if s == Status.SUBMITTED:
        names |= _review_actions(user, suggestion, office)
    if office:
        names |= _office_actions(suggestion)
    names |= _unit_actions(user, suggestion, today=today)
    names |= _deputy_actions(user, suggestion)
    if is_leader(user) and s in REGISTERED_STATES:
        names.add("unflag_key" if suggestion.is_key else "flag_key")
    if may_add_attachment(user, suggestion):
        names.add("add_attachment")
    if may_remove_attachment(user, suggestion):
        names.add("remove_attachment")
    return names
