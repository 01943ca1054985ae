"""Reads of the core."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from renda.core.models import LoginFailure

# An address may fail more often than one account: an office shares one NAT address.
ADDRESS_FAILURE_FACTOR = 4


def login_locked(*, username: str, ip: str | None) -> bool:
    """More recent failures than allowed for this account, or from this address. The caller has
    already recorded the guess it is about to check, so it counts here too: of N parallel
    guesses, the one whose row came last sees all earlier ones, and at most the limit pass."""
    since = timezone.now() - timedelta(minutes=settings.RENDA_LOGIN_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.RENDA_LOGIN_MAX_FAILURES
    if recent.filter(username=username.strip().lower()[:150]).count() > limit:
        return True
    return bool(ip) and recent.filter(ip=ip).count() > limit * ADDRESS_FAILURE_FACTOR
