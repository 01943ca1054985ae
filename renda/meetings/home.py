from django.urls import reverse

from renda.core.home import Panel, PanelItem
from renda.meetings.queries import upcoming


def upcoming_meetings(user) -> list[Panel]:
    if not user.roles.has("admin", "leader", "staff"):
        return []
    items = [
        PanelItem(
            title=m.title,
            url=reverse("meetings:detail", args=[m.pk]),
            badge=m.date.strftime("%m-%d"),
        )
        for m in upcoming()
    ]
    return [
        Panel(
            title="近期会议",
            kind="info",
            items=items,
            more_url=reverse("meetings:list"),
            empty_text="近期没有登记的会议。",
        )
    ]
