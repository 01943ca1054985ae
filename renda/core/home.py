"""The home page is assembled from panels that each app contributes: what is waiting for the
user and what is overdue. An app registers a provider in its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PanelItem:
    title: str
    url: str = ""
    note: str = ""
    badge: str = ""
    badge_class: str = "text-bg-secondary"


@dataclass(frozen=True)
class Panel:
    title: str
    kind: str  # "waiting", "overdue" or "info"
    items: list[PanelItem] = field(default_factory=list)
    total: int | None = None
    more_url: str = ""
    empty_text: str = "暂无"


Provider = Callable[[object], list[Panel]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(user) -> dict[str, list[Panel]]:
    grouped: dict[str, list[Panel]] = {"waiting": [], "overdue": [], "info": []}
    for provider in _providers:
        for panel in provider(user):
            grouped[panel.kind].append(panel)
    return grouped
