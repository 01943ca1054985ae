"""Notifications: the one way any app tells people something (in the platform, and by e-mail
where the user has an address and RENDA_EMAIL_NOTIFICATIONS is on). Sent after commit, once per
key and user."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from renda.core.models import Notification, User

logger = logging.getLogger(__name__)


def notify(
    *,
    users: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    at: datetime | None = None,
) -> list[Notification]:
    """Create one notification per user (skipping those who already had `key`), and e-mail
    them once the transaction commits. Returns the notifications created now. `at` dates a
    notification of past work (imports, the demo); it defaults to now."""
    created: list[Notification] = []
    recipients: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active:
            recipients.setdefault(user.pk, user)
    if not recipients:
        return created
    key = key[:150]
    if key:  # one query for all the recipients, not one per user
        already = Notification.objects.filter(user_id__in=list(recipients), key=key)
        for user_id in already.values_list("user_id", flat=True):
            recipients.pop(user_id, None)
    stamp = at or timezone.now()
    rows = [
        Notification(
            user=user,
            title=title[:200],
            body=body,
            url=url[:300],
            key=key,
            created_at=stamp,
        )
        for user in recipients.values()
    ]
    if key:
        # No savepoint per row (thousands of them slow PostgreSQL down): a concurrent tick that
        # sent the same key first simply wins the unique constraint, and we read back ours.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        created = list(
            Notification.objects.filter(
                user_id__in=list(recipients), key=key, created_at=stamp
            ).order_by("id")
        )
    else:
        created = Notification.objects.bulk_create(rows)
    if created and getattr(settings, "RENDA_EMAIL_NOTIFICATIONS", False):
        ids = [n.pk for n in created]
        # Mail goes out from the worker: a slow mail server never holds up a page.
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return created


def _enqueue_emails(ids: list[int]) -> None:
    from renda.core.tasks import send_notification_emails_task

    send_notification_emails_task.enqueue(ids)


def send_notification_emails(ids: list[int]) -> int:
    sent = 0
    for note in Notification.objects.filter(pk__in=ids, emailed_at=None).select_related("user"):
        if not note.user.email:
            continue
        try:
            send_mail(note.title, f"{note.body}\n\n{note.url}".strip(), None, [note.user.email])
        except Exception:  # mail failure must not undo the work; it is logged and left unsent
            logger.exception("notification e-mail %s failed", note.pk)
            continue
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    rows = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    return rows.update(read_at=timezone.now())
