"""Shared steps of every supervision action: the day the action runs as (past work is entered
"as of" its day), row locks with the version check, the timeline event, notifications, and who
is told. Each area's module (laws, inspections, inquiries, work_reports, opinions,
rectification) uses these and nothing else for the plumbing."""

from __future__ import annotations

from django.db import models

from renda.core.actions import record_event
from renda.core.clock import as_of, now, today  # noqa: F401 (used across the actions)
from renda.core.errors import DomainError, NotAllowed, check_version
from renda.core.models import Role, User
from renda.core.notifications import notify as core_notify


def require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def required_text(value: str | None, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", f"请填写{label}。", field_errors={field: f"请填写{label}"})
    return value


def lock(model: type[models.Model], pk: int, *, version: int | None = None, what: str):
    """Re-read the row FOR UPDATE (of the row itself only: PostgreSQL refuses FOR UPDATE on the
    nullable side of an outer join) and refuse a stale form."""
    row = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if row is None:
        raise DomainError("not_found", f"该{what}不存在或已被删除。")
    check_version(row, version, what)
    return row


def bump(row, *fields: str) -> None:
    """Save the changed fields and move the version on (every write to a versioned row)."""
    row.version += 1
    row.save(update_fields=[*fields, "version"])


def move(row, to: str, transitions: dict[str, set[str]], doing: str) -> str:
    """Change the status if the table allows it; returns the state it left."""
    if to not in transitions[row.status]:
        raise DomainError(
            "invalid_transition", f"当前状态为“{row.get_status_display()}”，不能{doing}。"
        )
    before = row.status
    row.status = to
    return before


def event(target, *, actor, verb: str, summary: str, note: str = "", **states) -> None:
    record_event(
        target=target,
        actor=actor,
        verb=verb,
        summary=summary,
        note=note,
        from_state=states.get("from_state", ""),
        to_state=states.get("to_state", ""),
        at=now(),
    )


def notify(**kwargs) -> list:
    return core_notify(at=now(), **kwargs)


def office_staff(office_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.STAFF, memberships__office_id=office_id
        ).distinct()
    )


def unit_users(unit_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, memberships__role=Role.UNIT, memberships__unit_id=unit_id
        ).distinct()
    )


def leaders() -> list[User]:
    return list(User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct())


def parse_votes(satisfied, basic, unsatisfied) -> tuple[int, int, int]:
    """A satisfaction vote's three counts: whole numbers, not negative, at least one vote."""
    counts = []
    for field, label, value in (
        ("votes_satisfied", "满意票", satisfied),
        ("votes_basic", "基本满意票", basic),
        ("votes_unsatisfied", "不满意票", unsatisfied),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise DomainError(
                "invalid", f"{label}应为不小于 0 的整数。", field_errors={field: "应为非负整数"}
            )
        counts.append(value)
    if sum(counts) == 0:
        raise DomainError("invalid", "请填写测评票数。", field_errors={"votes_satisfied": "无票数"})
    return counts[0], counts[1], counts[2]


def satisfaction_rate(satisfied: int | None, basic: int | None, unsatisfied: int | None):
    """满意率 = (满意 + 基本满意) / 总票数, or None before the vote."""
    if satisfied is None or basic is None or unsatisfied is None:
        return None
    total = satisfied + basic + unsatisfied
    return None if total == 0 else (satisfied + basic) / total
