"""API tokens: issued once, stored as a hash, checked on every request; revoked by their owner
and, all at once, whenever the owner's password changes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone

from renda.core.models import ApiToken, User

# "Last used" is shown to the nearest minute; it is not rewritten more often than that.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """Returns the token row and the key, which is shown once and never stored."""
    key = "rd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_hash(key), prefix=key[3:11], expires_at=expires_at
    )
    return token, key


def user_for_token(key: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A write per API read would queue every reader behind SQLite's one writer.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def own_tokens(user: User):
    """A user's tokens, newest first. Only the prefix of a key is ever shown."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


@transaction.atomic
def revoke_token(*, acting_user: User, token_id: int) -> ApiToken:
    """A user revokes one of their own tokens; anyone else's is not found (404)."""
    token = own_tokens(acting_user).select_for_update().filter(pk=token_id).first()
    if token is None:
        raise Http404("未找到该令牌。")
    token.delete()
    return token


def revoke_all_tokens(*, user: User) -> int:
    return ApiToken.objects.filter(user=user).delete()[0]


@receiver(post_save, sender=User, dispatch_uid="revoke_tokens_on_password_change")
def _revoke_tokens_on_password_change(sender, instance: User, created: bool, **kwargs) -> None:
    """Every way of changing a password (the page, the admin, `changepassword`, code) ends in
    set_password() and save(); Django keeps the new raw password in `_password` until after
    post_save, so this is the one place that sees them all."""
    if not created and getattr(instance, "_password", None) is not None:
        revoke_all_tokens(user=instance)
