"""Reads of the core."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from renda.core.models import LoginFailure

# An address may fail more often than one account: an office shares one NAT address.
ADDRESS_FAILURE_FACTOR = 4


def login_locked(*, username: str, ip: str | None) -> bool:
    """Too many recent failures for this account, or from this address."""
    since = timezone.now() - timedelta(minutes=settings.RENDA_LOGIN_WINDOW_MINUTES)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.RENDA_LOGIN_MAX_FAILURES
    if recent.filter(username=username.strip().lower()[:150]).count() >= limit:
        return True
    return bool(ip) and recent.filter(ip=ip).count() >= limit * ADDRESS_FAILURE_FACTOR
