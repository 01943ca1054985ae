"""The one way to fetch a deputy for a user, and who sees personal data unmasked."""

from __future__ import annotations

from django.http import Http404

from renda.core.models import Congress, Role
from renda.deputies.models import Deputy, Mandate
from renda.deputies.queries import active_mandates_prefetch, visible_deputies


def get_deputy_for_user(user, pk: int) -> Deputy:
    deputy = (
        visible_deputies(user).prefetch_related(active_mandates_prefetch()).filter(pk=pk).first()
    )
    if deputy is None:
        raise Http404("未找到该代表，或您无权查看。")
    return deputy


def _works_in_deputy_affairs(user) -> bool:
    # Asked for every seat on a page: remembered on the user object (one per request).
    cached = user.__dict__.get("_works_in_deputy_affairs")
    if cached is None:
        congress = Congress.current()
        office_id = congress.deputy_affairs_office_id if congress else None
        cached = office_id is not None and office_id in user.roles.office_ids
        user.__dict__["_works_in_deputy_affairs"] = cached
    return cached


def keeps_roster(user) -> bool:
    """Who maintains the roster (adds, edits, ends mandates, imports): the administrator and the
    deputy-affairs office. Street staff read their deputies but do not edit them."""
    return user.roles.is_admin or _works_in_deputy_affairs(user)


def deputy_actions(user, deputy: Deputy) -> set[str]:
    """The roster actions the user may take on this person now (pages show only these)."""
    if not keeps_roster(user):
        return set()
    return {"update_deputy", "add_mandate"}


def mandate_actions(user, mandate: Mandate) -> set[str]:
    if not keeps_roster(user) or not mandate.is_active:
        return set()
    return {"update_mandate", "end_mandate"}


def get_mandate_for_user(user, pk: int) -> Mandate:
    mandate = (
        Mandate.objects.select_related("deputy", "street", "group")
        .filter(pk=pk, deputy__in=visible_deputies(user).values("pk"))
        .first()
    )
    if mandate is None:
        raise Http404("未找到该代表资格，或您无权查看。")
    return mandate


def sees_identity(user) -> bool:
    """ID numbers: the administrator and the deputy-affairs office (who keep the roster)."""
    return user.roles.is_admin or _works_in_deputy_affairs(user)


def sees_phone(user) -> bool:
    """Phones: those who keep the roster, and street committees, who call their deputies."""
    return sees_identity(user) or user.roles.has(Role.STREET)


def is_own_record(user, deputy: Deputy) -> bool:
    return deputy.user_id is not None and deputy.user_id == user.pk
