"""Writes of the core: the timeline, log-in throttling. Every state change elsewhere records its
event through record_event, inside the same transaction as the change."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from renda.core.models import LoginFailure, TimelineEvent, User


def record_event(
    *,
    target: models.Model,
    actor: User | None,
    verb: str,
    summary: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict | None = None,
    at: datetime | None = None,
) -> TimelineEvent:
    """Append one event to a record's timeline. `actor` None means the system (the worker).
    `at` is for entering past work (imports, the demo); it defaults to now."""
    return TimelineEvent.objects.create(
        created_at=at or timezone.now(),
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        summary=summary,
        from_state=from_state,
        to_state=to_state,
        note=note,
        data=data or {},
    )


def record_login_failure(*, username: str, ip: str | None) -> LoginFailure:
    """Counts a password guess as failed before it is checked (throttled_password_check), so
    that parallel guesses see one another; a success clears the account's rows again."""
    failure = LoginFailure.objects.create(username=_account(username), ip=ip)
    # Old rows are of no use to throttling; keep the table small.
    cutoff = timezone.now() - timedelta(days=1)
    LoginFailure.objects.filter(at__lt=cutoff).delete()
    return failure


def withdraw_login_failure(*, failure: LoginFailure) -> None:
    """A guess refused by the lock was never checked: it does not prolong the lock."""
    LoginFailure.objects.filter(pk=failure.pk).delete()


def clear_login_failures(*, username: str) -> None:
    LoginFailure.objects.filter(username=_account(username)).delete()


def _account(username: str) -> str:
    return username.strip().lower()[:150]
