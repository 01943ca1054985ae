"""Home-page panels of rectification: what waits on the user and what is overdue.

- a unit: its items to work on (待整改、整改中, by deadline) and its overdue items;
- office staff: their offices' items asking to be closed (待销号) and their overdue items;
- leaders (and the admin): the overdue totals, the units with most overdue items first.
Cost per role: one aggregate of the counts, then one query per non-empty panel."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from renda.core.home import Panel, PanelItem
from renda.core.models import Role
from renda.supervision import queries
from renda.supervision.actions.rectification import WITH_THE_UNIT
from renda.supervision.models import Rectification, RectificationStatus

LIMIT = 6


def supervision_panels(user) -> list[Panel]:
    if not user.is_authenticated:
        return []
    roles = user.roles
    today = timezone.localdate()
    panels: list[Panel] = []
    if roles.has(Role.LEADER, Role.ADMIN):
        panels += _leader_panels(today)
    elif roles.has(Role.STAFF) and roles.office_ids:
        panels += _office_panels(sorted(roles.office_ids), today)
    if roles.has(Role.UNIT) and roles.unit_ids:
        panels += _unit_panels(sorted(roles.unit_ids), today)
    return panels


def _list_url(**params) -> str:
    return reverse("supervision:rectifications") + "?" + urlencode(params)


def _item(item: Rectification, today, *, note: str) -> PanelItem:
    late = item.status in WITH_THE_UNIT and item.due_on < today
    return PanelItem(
        title=item.title,
        url=reverse("supervision:rectification", args=[item.pk]),
        note=note,
        badge=f"{item.due_on:%m-%d}",
        badge_class="text-bg-danger" if late else "text-bg-warning",
    )


def _panel(rows, total: int, *, title: str, kind: str, today, note, more_url: str) -> Panel:
    items = [_item(row, today, note=note(row)) for row in rows[:LIMIT]] if total else []
    return Panel(title=title, kind=kind, items=items, total=total, more_url=more_url)


def _unit_panels(unit_ids: list[int], today) -> list[Panel]:
    rows = Rectification.objects.filter(unit_id__in=unit_ids)
    overdue = queries.overdue_q(today)
    counts = rows.aggregate(
        waiting=Count("pk", filter=Q(status__in=WITH_THE_UNIT) & ~overdue),
        overdue=Count("pk", filter=overdue),
    )
    panels = []
    if counts["overdue"]:
        panels.append(
            _panel(
                rows.filter(overdue).select_related("office").order_by("due_on", "id"),
                counts["overdue"],
                title="整改事项已逾期",
                kind="overdue",
                today=today,
                note=lambda r: f"{r.get_status_display()} · 督办：{r.office.name}",
                more_url=_list_url(overdue=1),
            )
        )
    if counts["waiting"]:
        panels.append(
            _panel(
                rows.filter(status__in=WITH_THE_UNIT, due_on__gte=today)
                .select_related("office")
                .order_by("due_on", "id"),
                counts["waiting"],
                title="待办整改事项",
                kind="waiting",
                today=today,
                note=lambda r: f"{r.get_status_display()} · 进度 {r.progress}%",
                more_url=_list_url(status="todo"),
            )
        )
    return panels


def _office_panels(office_ids: list[int], today) -> list[Panel]:
    rows = Rectification.objects.filter(office_id__in=office_ids)
    overdue = queries.overdue_q(today)
    submitted = Q(status=RectificationStatus.SUBMITTED)
    counts = rows.aggregate(
        submitted=Count("pk", filter=submitted), overdue=Count("pk", filter=overdue)
    )
    office = office_ids[0] if len(office_ids) == 1 else ""  # narrow the "more" link if one
    panels = []
    if counts["submitted"]:
        panels.append(
            _panel(
                rows.filter(submitted).select_related("unit").order_by("submitted_at", "id"),
                counts["submitted"],
                title="整改事项待销号",
                kind="waiting",
                today=today,
                note=lambda r: f"{r.unit.name} 申请销号",
                more_url=_list_url(status=RectificationStatus.SUBMITTED, office=office),
            )
        )
    if counts["overdue"]:
        panels.append(
            _panel(
                rows.filter(overdue).select_related("unit").order_by("due_on", "id"),
                counts["overdue"],
                title="督办的整改事项已逾期",
                kind="overdue",
                today=today,
                note=lambda r: f"{r.unit.name} · {r.get_status_display()}",
                more_url=_list_url(overdue=1, office=office),
            )
        )
    return panels


def _leader_panels(today) -> list[Panel]:
    """The overdue total, and the units with the most overdue items."""
    by_unit = list(
        Rectification.objects.filter(queries.overdue_q(today))
        .values("unit_id", "unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit_id")
    )
    total = sum(row["n"] for row in by_unit)
    if not total:
        return []
    items = [
        PanelItem(
            title=row["unit__name"],
            url=_list_url(overdue=1, unit=row["unit_id"]),
            note="逾期未完成整改",
            badge=f"{row['n']} 项",
            badge_class="text-bg-danger",
        )
        for row in by_unit[:LIMIT]
    ]
    return [
        Panel(
            title="整改事项逾期情况",
            kind="overdue",
            items=items,
            total=total,
            more_url=reverse("supervision:rectification_dashboard"),
        )
    ]
