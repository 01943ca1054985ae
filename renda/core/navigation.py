"""The navigation menu: one entry per module, shown to the roles that may open it."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    icon: str
    roles: frozenset[str]
    shows_unread: bool = False  # carries the unread-messages badge

    @property
    def url(self) -> str:
        # Every page draws the menu and reads each entry's URL twice: reverse once per prefix.
        return _url(self.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=128)
def _url(url_name: str, prefix: str, urlconf: str) -> str:
    return reverse(url_name, urlconf=urlconf)


ALL_ROLES = frozenset({"admin", "leader", "staff", "street", "deputy", "unit"})

ENTRIES: list[NavEntry] = [
    NavEntry("工作台", "home", "bi-house", ALL_ROLES),
    NavEntry(
        "代表名册", "deputies:list", "bi-people", frozenset({"admin", "leader", "staff", "street"})
    ),
    NavEntry(
        "代表工作",
        "deputies:index",
        "bi-person-workspace",
        frozenset({"admin", "leader", "staff", "street"}),
    ),
    NavEntry("我的履职", "deputies:me", "bi-person-badge", frozenset({"deputy"})),
    NavEntry("我的活动", "deputies:my_activities", "bi-calendar-check", frozenset({"deputy"})),
    NavEntry("我的建议", "deputies:my_suggestions", "bi-chat-square-text", frozenset({"deputy"})),
    NavEntry("代表建议", "suggestions:list", "bi-chat-square-text", ALL_ROLES),
    NavEntry(
        "建议统计",
        "suggestions:statistics",
        "bi-bar-chart",
        frozenset({"admin", "leader", "staff"}),
    ),
    NavEntry("计划与落实", "plans:list", "bi-list-check", frozenset({"admin", "leader", "staff"})),
    NavEntry(
        "落实情况", "plans:dashboard", "bi-speedometer2", frozenset({"admin", "leader", "staff"})
    ),
    NavEntry(
        "监督工作",
        "supervision:index",
        "bi-shield-check",
        frozenset({"admin", "leader", "staff", "unit", "deputy"}),
    ),
    NavEntry("会议", "meetings:list", "bi-calendar-event", frozenset({"admin", "leader", "staff"})),
    NavEntry(
        "组织机构",
        "organisation",
        "bi-diagram-3",
        frozenset({"admin", "leader", "staff", "street", "unit"}),
    ),
    NavEntry("工作日历", "calendar", "bi-calendar3", ALL_ROLES),
    NavEntry("我的消息", "notifications", "bi-bell", ALL_ROLES, shows_unread=True),
    NavEntry("系统管理", "admin:index", "bi-gear", frozenset({"admin"})),
]


def entries_for(user) -> list[NavEntry]:
    names = user.roles.names
    return [e for e in ENTRIES if e.roles & names]
