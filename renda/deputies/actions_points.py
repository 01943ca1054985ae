"""Writes of the points: publishing a quarter's bulletin (季度积分通报).

Publishing freezes one row per current district deputy, so a correction made afterwards (a late
attendance, a suggestion merged) changes the live points but never a published bulletin."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse

from renda.core import clock
from renda.core.actions import record_event
from renda.core.errors import DomainError, NotAllowed
from renda.core.models import User
from renda.core.notifications import notify
from renda.deputies.models import PointBulletin, PointBulletinRow
from renda.deputies.permissions import keeps_roster
from renda.deputies.points import (
    QUARTERS,
    district_deputies,
    points_for,
    quarter_range,
    with_group_names,
)

FIRST_YEAR = 2000
NOTE_LIMIT = 2000


def bulletin_url(bulletin: PointBulletin) -> str:
    return reverse("deputies:point_bulletin", args=[bulletin.pk])


def _check_period(year, quarter) -> None:
    today = clock.today()
    errors = {}
    if not isinstance(year, int) or not FIRST_YEAR <= year <= today.year:
        errors["year"] = f"年度应在 {FIRST_YEAR} 至 {today.year} 之间"
    if quarter not in QUARTERS:
        errors["quarter"] = "季度应为 1 至 4"
    if errors:
        first = next(iter(errors.values()))
        raise DomainError("invalid", f"{first}。", field_errors=errors)
    end = quarter_range(year, quarter)[1]
    if today <= end:
        raise DomainError(
            "too_early",
            f"{year}年第{quarter}季度于 {end:%Y-%m-%d} 结束，季度结束后才能发布积分通报。",
            field_errors={"quarter": "该季度尚未结束"},
        )


def _already(year: int, quarter: int) -> DomainError:
    return DomainError(
        "already_published",
        f"{year}年第{quarter}季度积分通报已发布，不能重复发布。",
        field_errors={"quarter": "已发布"},
    )


def _frozen_rows(bulletin: PointBulletin, year: int, quarter: int) -> list[PointBulletinRow]:
    deputies = list(
        with_group_names(district_deputies()).values_list("pk", "full_name", "group_name")
    )
    points = points_for(district_deputies().values("pk"), year, quarter)
    return [
        PointBulletinRow(
            bulletin=bulletin,
            deputy_id=pk,
            deputy_name=name,
            group_name=group or "",
            quarter_points=points[pk].period_points,
            year_points=points[pk].year_points,
            band=points[pk].band,
            details=points[pk].details(),
        )
        for pk, name, group in deputies
    ]


@transaction.atomic
def publish_bulletin(
    *, acting_user: User, year: int, quarter: int, note: str = ""
) -> PointBulletin:
    """Publish a quarter's points once the quarter has ended: one frozen row per current
    district deputy, one timeline event, one notification to each deputy."""
    if not keeps_roster(acting_user):
        raise NotAllowed("只有系统管理员和人事代表工作室可以发布积分通报。")
    _check_period(year, quarter)
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        raise DomainError(
            "invalid", f"说明不能超过 {NOTE_LIMIT} 字。", field_errors={"note": "过长"}
        )
    if PointBulletin.objects.filter(year=year, quarter=quarter).exists():
        raise _already(year, quarter)
    now = clock.now()
    try:
        with transaction.atomic():  # two keepers publishing at once: the second is refused
            bulletin = PointBulletin.objects.create(
                year=year, quarter=quarter, published_at=now, published_by=acting_user, note=note
            )
    except IntegrityError:
        raise _already(year, quarter) from None
    rows = _frozen_rows(bulletin, year, quarter)
    PointBulletinRow.objects.bulk_create(rows, batch_size=500)
    record_event(
        target=bulletin,
        actor=acting_user,
        verb="publish_bulletin",
        summary=f"发布{bulletin}：{len(rows)} 名代表",
        note=note,
        at=now,
    )
    notify(
        users=User.objects.filter(deputy__in=district_deputies(), is_active=True),
        title=f"{bulletin}已发布",
        body="请查看本人本季度积分和年度累计积分。",
        url=bulletin_url(bulletin),
        key=f"point_bulletin:{bulletin.pk}",
        at=now,
    )
    return bulletin
