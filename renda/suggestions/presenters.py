"""How suggestions are shown: the list's rows (the page and its Excel export print the same
cells), the state badges, the deadline note, and the answer letter's input."""

from __future__ import annotations

from datetime import date

from renda.core.models import Congress, Unit
from renda.suggestions.exports import AnswerLetter
from renda.suggestions.models import Answer, Assignment, Status, Suggestion
from renda.suggestions.queries import signer_names

LIST_HEADERS = [
    "届次",
    "编号",
    "标题",
    "领衔代表",
    "类别",
    "承办单位",
    "状态",
    "答复期限",
    "是否逾期",
    "重点督办",
]
LIST_WIDTHS = [12, 8, 50, 10, 12, 40, 10, 12, 10, 10]

STATUS_BADGES = {
    Status.DRAFT: "text-bg-light",
    Status.SUBMITTED: "text-bg-info",
    Status.DECLINED: "text-bg-secondary",
    Status.MERGED: "text-bg-secondary",
    Status.ACCEPTED: "text-bg-primary",
    Status.ASSIGNED: "text-bg-warning",
    Status.HANDLING: "text-bg-warning",
    Status.ANSWERED: "text-bg-success",
    Status.FOLLOW_UP: "text-bg-primary",
    Status.CLOSED: "text-bg-dark",
}

# Copied on a government unit's letter besides the deputy-affairs office (DOMAIN: SD 22).
GOVERNMENT_OFFICE = "区政府办公室"


def status_badge(suggestion: Suggestion) -> str:
    return STATUS_BADGES.get(suggestion.status, "text-bg-secondary")


def session_text(suggestion: Suggestion) -> str:
    return f"{suggestion.term_number}届{suggestion.session_number}次"


ROLE_ORDER = {Assignment.Role.LEAD: 0, Assignment.Role.SEPARATE: 1, Assignment.Role.CO: 2}


def live_units(suggestion: Suggestion) -> list[Assignment]:
    """The live assignments, lead first: needs `live_assignments` (queries.with_list_relations)."""
    return sorted(suggestion.live_assignments, key=lambda a: (ROLE_ORDER[a.role], a.pk))


def units_text(suggestion: Suggestion) -> str:
    return "、".join(f"{a.unit.name}（{a.get_role_display()}）" for a in live_units(suggestion))


def list_row(suggestion: Suggestion, today: date) -> list:
    """One row as the list page shows it and the export writes it."""
    return [
        session_text(suggestion),
        suggestion.number or "",
        suggestion.title,
        suggestion.deputy.full_name,
        suggestion.category.name,
        units_text(suggestion),
        suggestion.get_status_display(),
        suggestion.due_at.isoformat() if suggestion.due_at else "",
        "逾期" if suggestion.is_overdue(today) else "",
        "是" if suggestion.is_key else "",
    ]


def provisional_note(suggestion: Suggestion) -> str:
    """A deadline counted weekends-only because a year's holidays are not entered yet."""
    years = suggestion.due_provisional_years or []
    if not years:
        return ""
    listed = "、".join(str(y) for y in years)
    return f"{listed} 年节假日安排未录入，期限暂按周末计算；录入后将自动重算。"


def answer_letter(
    answer: Answer, *, suggestion: Suggestion, congress: Congress | None
) -> AnswerLetter:
    """The answer letter for one answer, addressed to `suggestion`'s signers: the answered
    suggestion itself, or one merged into it (its own number and deputy, the main one's answer)."""
    unit = answer.unit
    return AnswerLetter(
        region=congress.region if congress else "",
        term_number=suggestion.term_number,
        session_number=suggestion.session_number,
        suggestion_number=suggestion.number or 0,
        suggestion_title=suggestion.title,
        deputy_names=tuple(signer_names(suggestion)),
        unit_name=unit.name,
        document_number=answer.document_number,
        category_code=answer.category.code,
        category_label=answer.category.label,
        answer_text=answer.text,
        signer=answer.signer,
        contact_person=answer.contact_person,
        contact_phone=answer.contact_phone,
        answered_on=answer.answered_on,
        co_unit_names=tuple(_co_unit_names(answer)),
        copy_to=tuple(_copy_to(unit, congress)),
        is_face_to_face=answer.is_face_to_face,
        round_label="（再次答复）" if answer.round > 1 or answer.is_follow_up else "",
    )


def _co_unit_names(answer: Answer) -> list[str]:
    # Co-units' opinions go into the lead's answer; separate units answer only their own part.
    return list(
        Assignment.objects.filter(suggestion_id=answer.suggestion_id, role=Assignment.Role.CO)
        .exclude(status=Assignment.Status.WITHDRAWN)
        .values_list("unit__name", flat=True)
    )


def _copy_to(unit: Unit, congress: Congress | None) -> list[str]:
    names = []
    if congress and congress.deputy_affairs_office:
        names.append(congress.deputy_affairs_office.name)
    if unit.kind == Unit.Kind.GOVERNMENT:
        names.append(GOVERNMENT_OFFICE)
    return names
