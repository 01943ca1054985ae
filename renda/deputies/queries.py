"""Reads of deputies: who may see whom, and the roster with its filters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from renda.core.models import Role, Street
from renda.deputies.models import Deputy, Group, Level, Mandate, OccupationCategory

SORTS = {"stroke": "姓氏笔画", "pinyin": "拼音"}


def visible_deputies(user) -> QuerySet[Deputy]:
    """Deputies a user may look up: the whole roster for the organ, a street's own deputies for
    its work committee, and a deputy their own record."""
    roles = user.roles
    if roles.sees_whole_congress:
        return Deputy.objects.all()
    if roles.has(Role.STREET):
        return Deputy.objects.with_active_mandate(street_id__in=roles.street_ids)
    if roles.has(Role.DEPUTY):
        return Deputy.objects.filter(user=user)
    return Deputy.objects.none()


@dataclass
class RosterFilters:
    level: str = ""
    street: int | None = None
    group: int | None = None
    category: str = ""
    q: str = ""
    sort: str = "stroke"

    @classmethod
    def from_params(cls, params) -> RosterFilters:
        def as_int(name):
            # Pages give strings, the API gives ints already.
            value = str(params.get(name) or "").strip()
            return int(value) if value.isdigit() else None

        level = params.get("level") or ""
        category = params.get("category") or ""
        sort = params.get("sort") or "stroke"
        return cls(
            level=level if level in Level.values else "",
            street=as_int("street"),
            group=as_int("group"),
            category=category if category in OccupationCategory.values else "",
            q=(params.get("q") or "").strip()[:50],
            sort=sort if sort in SORTS else "stroke",
        )


def active_mandates_prefetch() -> Prefetch:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.active().select_related("street", "group").by_level(),
        to_attr="active_mandates",
    )


def roster(user, filters: RosterFilters) -> QuerySet[Deputy]:
    """Current deputies (an active mandate matching the filters), one row per person."""
    mandate_filters = {}
    if filters.level:
        mandate_filters["level"] = filters.level
    if filters.street:
        mandate_filters["street_id"] = filters.street
    if filters.group:
        mandate_filters["group_id"] = filters.group
    deputies = visible_deputies(user).with_active_mandate(**mandate_filters)
    if filters.category:
        deputies = deputies.filter(occupation_category=filters.category)
    deputies = deputies.search(filters.q)
    deputies = (
        deputies.in_pinyin_order() if filters.sort == "pinyin" else deputies.in_stroke_order()
    )
    return deputies.prefetch_related(active_mandates_prefetch())


def streets_for_filter(user) -> QuerySet[Street]:
    streets = Street.objects.active()
    if not user.roles.sees_whole_congress:
        streets = streets.filter(pk__in=user.roles.street_ids)
    return streets


def groups_for_filter(user) -> QuerySet[Group]:
    groups = Group.objects.select_related("street")
    if not user.roles.sees_whole_congress:
        groups = groups.filter(street_id__in=user.roles.street_ids)
    return groups
