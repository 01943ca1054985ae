"""The one way to fetch a deputy for a user, and who sees personal data unmasked."""

from __future__ import annotations

from django.http import Http404

from renda.core.models import Congress, Role
from renda.deputies.models import Deputy
from renda.deputies.queries import active_mandates_prefetch, visible_deputies


def get_deputy_for_user(user, pk: int) -> Deputy:
    deputy = (
        visible_deputies(user).prefetch_related(active_mandates_prefetch()).filter(pk=pk).first()
    )
    if deputy is None:
        raise Http404("未找到该代表，或您无权查看。")
    return deputy


def _works_in_deputy_affairs(user) -> bool:
    congress = Congress.current()
    office_id = congress.deputy_affairs_office_id if congress else None
    return office_id is not None and office_id in user.roles.office_ids


def sees_identity(user) -> bool:
    """ID numbers: the administrator and the deputy-affairs office (who keep the roster)."""
    return user.roles.is_admin or _works_in_deputy_affairs(user)


def sees_phone(user) -> bool:
    """Phones: those who keep the roster, and street committees, who call their deputies."""
    return sees_identity(user) or user.roles.has(Role.STREET)


def is_own_record(user, deputy: Deputy) -> bool:
    return deputy.user_id is not None and deputy.user_id == user.pk
