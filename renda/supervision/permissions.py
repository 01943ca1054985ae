"""Who may see and do what in supervision. The actions check these before every write; pages and
the API show only the moves `*_actions(user, row)` return — the same rules.

- The organ (admin, leaders, staff) reads all supervision work; the office that runs an
  inspection, inquiry or work report (its staff, and the admin) writes it.
- Leaders decide at the director meeting: approve an inspection plan, issue review opinions.
- A unit sees only the review opinions addressed to it and its own rectification items.
- A deputy sees the inspections and inquiries they are invited to, and replies."""

from __future__ import annotations

from django.http import Http404

from renda.core.models import Role

ORGAN = (Role.ADMIN, Role.LEADER, Role.STAFF)


def is_organ(user) -> bool:
    return user.is_authenticated and user.roles.has(*ORGAN)


def is_leader(user) -> bool:
    return user.is_authenticated and user.roles.has(Role.LEADER, Role.ADMIN)


def runs(user, office_id: int) -> bool:
    """The office that runs the work (and the admin) writes it."""
    return user.is_authenticated and (user.roles.is_admin or office_id in user.roles.office_ids)


def answers_for(user, unit_id: int) -> bool:
    """A unit's own staff answer its opinions and rectification items."""
    return (
        user.is_authenticated and Role.UNIT in user.roles.names and unit_id in user.roles.unit_ids
    )


def not_found(what: str) -> Http404:
    return Http404(f"未找到该{what}，或您无权查看。")
