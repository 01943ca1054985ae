"""Reads of deputy groups (代表小组): who sees and keeps which, the list by street with its member
counts, and the moves a user may make on a group now.

The organ sees every group; a street's work committee its own street's. The administrator and
the deputy-affairs office keep all of them; a street committee keeps its own street's. Every id
from a URL or the API resolves through get_group_for_user: invisible → 404."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from renda.core.models import Congress, Role
from renda.deputies.models import Group, Level
from renda.deputies.permissions import keeps_roster

DEFAULT_TERM = 18  # Congress.term_number's default, when no congress row is set up yet
LEVEL_COUNTS = {level: f"{level}_count" for level in Level.values}


def current_term() -> int:
    congress = Congress.current()
    return congress.term_number if congress else DEFAULT_TERM


# ---------------------------------------------------------------------------------------------
# Who


def may_add_group(user) -> bool:
    return keeps_roster(user) or user.roles.has(Role.STREET)


def keeps_group(user, group: Group) -> bool:
    """The administrator and the deputy-affairs office; a street committee its own street's."""
    if keeps_roster(user):
        return True
    roles = user.roles
    return (
        roles.has(Role.STREET)
        and group.street_id is not None
        and group.street_id in roles.street_ids
    )


def visible_groups(user) -> QuerySet[Group]:
    roles = user.roles
    if roles.sees_whole_congress:
        return Group.objects.all()
    if roles.has(Role.STREET):
        return Group.objects.filter(street_id__in=roles.street_ids)
    return Group.objects.none()


# ---------------------------------------------------------------------------------------------
# Counts


def with_member_counts(groups: QuerySet[Group]) -> QuerySet[Group]:
    """Current mandates per level and every mandate ever (a group in use is never deleted), in
    the same query: one relation, so the counts cannot multiply each other."""
    current = Q(mandates__ended_on=None)
    per_level = {
        name: Count("mandates", filter=current & Q(mandates__level=level))
        for level, name in LEVEL_COUNTS.items()
    }
    return groups.annotate(**per_level, mandate_total=Count("mandates"))


def member_count(group: Group) -> int:
    """The group's members: its current district-level mandates."""
    return group.district_count


def level_counts(group: Group) -> dict[str, int]:
    return {level: getattr(group, name) for level, name in LEVEL_COUNTS.items()}


def is_in_use(group: Group) -> bool:
    total = getattr(group, "mandate_total", None)
    if total is None:
        return group.mandates.exists()
    return total > 0


def group_list(user, term: int | None = None) -> QuerySet[Group]:
    """The user's groups of one term (the current one unless given), by street (groups without a
    street last), then by their sort order: one query, whatever the number of groups."""
    term = term or current_term()
    groups = visible_groups(user).filter(term_number=term).select_related("street")
    return with_member_counts(groups).order_by(
        F("street__sort_order").asc(nulls_last=True), "street_id", "sort_order", "name", "id"
    )


def terms_for_filter(user, current: int) -> list[int]:
    """The terms the user's groups are of, and the current one, latest first."""
    terms = visible_groups(user).order_by().values_list("term_number", flat=True).distinct()
    return sorted(set(terms) | {current}, reverse=True)


def get_group_for_user(user, pk: int) -> Group:
    group = with_member_counts(visible_groups(user).select_related("street")).filter(pk=pk).first()
    if group is None:
        raise Http404("未找到该代表小组，或您无权查看。")
    return group


def group_actions(user, group: Group) -> set[str]:
    """What the user may do with the group now (pages and the API show only these): its keepers
    edit it, and delete it while no mandate, current or past, belongs to it."""
    if not keeps_group(user, group):
        return set()
    if is_in_use(group):
        return {"update_group"}
    return {"update_group", "delete_group"}
