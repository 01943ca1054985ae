"""The demo's points bulletins: 2026's first three quarters, each published by the deputy-affairs
office through the real action on the first day after its quarter. Build it after the
suggestions and the activities: a bulletin freezes the points of what is recorded by then."""

from __future__ import annotations

from datetime import date

from renda.core import clock
from renda.core.models import User
from renda.deputies.actions_points import publish_bulletin
from renda.deputies.models import PointBulletinRow

YEAR = 2026
NOTES = {
    1: "第一季度代表履职积分已核定，请各代表小组组织传达，积分较低的代表请主动联系人事代表工作室。",
    2: "上半年代表履职积分已核定。请各街道人大工委督促积分偏低、缺席较多的代表参加下半年活动。",
    3: "前三季度代表履职积分已核定，年度积分将作为代表履职评价的重要依据。",
}


def _first_day_after(quarter: int) -> date:
    return date(YEAR + quarter // 4, quarter % 4 * 3 + 1, 1)


def save_points(*, accounts: dict[str, User]) -> dict[str, int]:
    office = accounts["daibiaoshi"]  # 人事代表工作室
    bulletins = []
    for quarter in (1, 2, 3):
        with clock.as_of(_first_day_after(quarter)):
            bulletins.append(
                publish_bulletin(
                    acting_user=office, year=YEAR, quarter=quarter, note=NOTES[quarter]
                )
            )
    rows = PointBulletinRow.objects.filter(bulletin__in=bulletins).count()
    return {"point_bulletins": len(bulletins), "point_bulletin_rows": rows}
