"""Writes of the meetings register."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from renda.core.actions import record_event
from renda.core.errors import DomainError
from renda.meetings.models import DUPLICATE_MESSAGE, Meeting


@transaction.atomic
def register_meeting(
    *,
    acting_user,
    kind: str,
    term_number: int,
    number: int,
    date: date,
    place: str = "",
    note: str = "",
) -> Meeting:
    if kind not in Meeting.Kind.values:
        raise DomainError(
            "invalid_kind", "会议类别不正确。", field_errors={"kind": "请选择会议类别"}
        )
    if number < 1 or term_number < 1:
        raise DomainError(
            "invalid_number", "届次和次数必须是正整数。", field_errors={"number": "应为正整数"}
        )
    if Meeting.objects.filter(kind=kind, term_number=term_number, number=number).exists():
        raise DomainError(
            "duplicate_meeting", DUPLICATE_MESSAGE, field_errors={"number": "次数重复"}
        )
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                kind=kind, term_number=term_number, number=number, date=date, place=place, note=note
            )
    except IntegrityError as exc:  # a concurrent registration took the number first
        raise DomainError(
            "duplicate_meeting", DUPLICATE_MESSAGE, field_errors={"number": "次数重复"}
        ) from exc
    record_event(target=meeting, actor=acting_user, verb="register", summary=f"登记{meeting.title}")
    return meeting
