"""Deputies' work at 1×, 10× and 100× the demo roster (421 deputies → ~4 200 → ~42 000), with the
demo year's activities and invitations scaled alike: the roster list page, the activity list
(page, API, Excel export of every row, the session's attendance sheet), every district deputy's
points for the year, and the yearly PDF archive of one deputy and of twenty — each with its time,
its query count and a ratio against one raw SQL query returning the same rows.

The demo (and its 38 activities, entered through the real actions) is built once; each larger
scale adds copies of the demo's deputies, mandates, activities and invitations with bulk inserts
(each copy's activities invite that copy's deputies, so every copy has the demo's attendance, leave
and absences). Suggestions are not copied: the copies' points come from activities only.

The points (renda/deputies/points.py) and the archive (renda/deputies/archive.py) are imported
when their section runs; if either is missing the script stops there and says so."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.roster import measure, raw_sql_page, setup_django  # noqa: E402

YEAR = 2026
SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 2000


def _need(module: str, name: str):
    """A function another part of the project provides; stop with a clear message without it."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as error:
        raise SystemExit(
            f"\n{module}.{name} is not available ({error}); "
            "this section cannot be measured until it exists."
        ) from error


# ---------------------------------------------------------------------------------------------
# Data


def ensure_activities() -> None:
    """The demo build may not include the activities yet: enter them through the actions."""
    from renda.core.models import User
    from renda.demo.activities import save_activities
    from renda.deputies.models import Activity, ActivityKind

    if not Activity.objects.filter(kind=ActivityKind.SESSION).exists():
        save_activities(accounts={u.username: u for u in User.objects.all()})


class Scaler:
    """Adds copies of the demo's deputies (with their mandates) and activities (with their
    invitations, mapped onto the same copy's deputies)."""

    def __init__(self) -> None:
        from renda.deputies.models import Activity, Deputy, Invitation

        self.deputies = list(Deputy.objects.prefetch_related("mandates").order_by("pk"))
        self.activities = list(Activity.objects.order_by("pk"))
        self.invitations = list(Invitation.objects.order_by("pk"))
        self.copies = 1  # the demo itself

    def scale_to(self, factor: int) -> None:
        while self.copies < factor:
            self._copy(self.copies)
            self.copies += 1

    def _copy(self, n: int) -> None:
        from renda.deputies.models import Activity, Deputy, Invitation, Mandate

        clones = Deputy.objects.bulk_create(
            [
                Deputy(
                    full_name=d.full_name + str(n),
                    gender=d.gender,
                    ethnicity=d.ethnicity,
                    birth_date=d.birth_date,
                    party=d.party,
                    occupation_category=d.occupation_category,
                    work_position=d.work_position,
                    phone=d.phone,
                    name_stroke_key=d.name_stroke_key + f"{n:04d}",
                    name_pinyin=d.name_pinyin + f" {n:04d}",
                )
                for d in self.deputies
            ],
            batch_size=BATCH,
        )
        deputy = {d.pk: c.pk for d, c in zip(self.deputies, clones, strict=True)}
        skip = {"id", "deputy_id", "activity_id"}
        mandate_fields = [f.attname for f in Mandate._meta.concrete_fields if f.attname not in skip]
        Mandate.objects.bulk_create(
            [
                Mandate(deputy_id=deputy[d.pk], **{f: getattr(m, f) for f in mandate_fields})
                for d in self.deputies
                for m in d.mandates.all()
            ],
            batch_size=BATCH,
        )
        activity_fields = [f.attname for f in Activity._meta.concrete_fields if f.attname != "id"]
        copies = Activity.objects.bulk_create(
            [
                Activity(
                    **{f: getattr(a, f) for f in activity_fields} | {"title": f"{a.title}·{n}"}
                )
                for a in self.activities
            ],
            batch_size=BATCH,
        )
        activity = {a.pk: c.pk for a, c in zip(self.activities, copies, strict=True)}
        fields = [f.attname for f in Invitation._meta.concrete_fields if f.attname not in skip]
        Invitation.objects.bulk_create(
            [
                Invitation(
                    activity_id=activity[i.activity_id],
                    deputy_id=deputy[i.deputy_id],
                    **{f: getattr(i, f) for f in fields},
                )
                for i in self.invitations
            ],
            batch_size=BATCH,
        )


# ---------------------------------------------------------------------------------------------
# Raw SQL baselines: the same rows as the code under test


def _raw(sql: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


# Counted per row, as the list counts them (a join and GROUP BY is 20× slower at 100×).
ACTIVITY_ROWS = """
SELECT a.id, a.date, a.starts_at, a.title, a.kind, a.place, a.half_days, a.status,
       o.name, s.name,
       (SELECT COUNT(*) FROM deputies_invitation i WHERE i.activity_id = a.id),
       (SELECT COUNT(*) FROM deputies_invitation i
        WHERE i.activity_id = a.id AND i.response = 'signed_up'),
       (SELECT COUNT(*) FROM deputies_invitation i
        WHERE i.activity_id = a.id AND i.leave = 'granted'),
       (SELECT COUNT(*) FROM deputies_invitation i
        WHERE i.activity_id = a.id AND i.attendance = 'attended'),
       (SELECT COUNT(*) FROM deputies_invitation i
        WHERE i.activity_id = a.id AND i.attendance = 'absent')
FROM deputies_activity a
LEFT JOIN core_office o ON o.id = a.organiser_office_id
LEFT JOIN core_street s ON s.id = a.organiser_street_id
ORDER BY a.date DESC, a.starts_at DESC, a.id DESC
"""


def raw_activity_page() -> list[tuple]:
    _raw("SELECT COUNT(*) FROM deputies_activity")
    return _raw(ACTIVITY_ROWS + " LIMIT 30")


def raw_activity_export() -> list[tuple]:
    return _raw(ACTIVITY_ROWS)


def check_same_activities(user) -> None:
    """The baseline's page is the list's page: the same activities and counts, in order."""
    from renda.deputies.queries_activities import ActivityFilters, activity_list

    counts = ("invited_count", "signed_up_count", "leave_count", "attended_count", "absent_count")
    ours = [
        tuple(r) for r in activity_list(user, ActivityFilters()).values_list("pk", *counts)[:30]
    ]
    theirs = [(r[0], *r[10:]) for r in raw_activity_page()]
    assert ours == theirs, (ours[:3], theirs[:3])


SHEET_ROWS = """
SELECT d.full_name, m.level, g.name, i.via, i.via_label, i.response, i.leave, i.leave_reason,
       i.attendance, i.checked_in_at, i.checked_in_by
FROM deputies_invitation i
JOIN deputies_deputy d ON d.id = i.deputy_id
LEFT JOIN deputies_mandate m ON m.deputy_id = d.id AND m.ended_on IS NULL
LEFT JOIN deputies_group g ON g.id = m.group_id
WHERE i.activity_id = %s
ORDER BY d.name_stroke_key, i.id
"""

HELD = ("held", "closed")
POINTS_ROWS = """
SELECT d.id,
       COALESCE(inv.visit, 0), COALESCE(inv.reception, 0), COALESCE(inv.training, 0),
       COALESCE(inv.grp, 0), COALESCE(inv.standing, 0), COALESCE(inv.leave_half_days, 0),
       COALESCE(inv.absent, 0), COALESCE(led.n, 0), COALESCE(cosigned.n, 0)
FROM deputies_deputy d
LEFT JOIN (
    SELECT i.deputy_id,
           SUM(CASE WHEN i.attendance = 'attended'
               AND a.kind IN ('visit', 'research', 'inspection', 'inquiry') THEN 1 ELSE 0 END)
               AS visit,
           SUM(CASE WHEN i.attendance = 'attended' AND a.kind = 'reception' THEN 1 ELSE 0 END)
               AS reception,
           SUM(CASE WHEN i.attendance = 'attended' AND a.kind = 'training' THEN 1 ELSE 0 END)
               AS training,
           SUM(CASE WHEN i.attendance = 'attended' AND a.kind = 'group' THEN 1 ELSE 0 END) AS grp,
           SUM(CASE WHEN i.attendance = 'attended' AND a.kind = 'standing_committee'
               THEN 1 ELSE 0 END) AS standing,
           SUM(CASE WHEN a.kind = 'session' AND i.leave = 'granted' THEN a.half_days ELSE 0 END)
               AS leave_half_days,
           SUM(CASE WHEN i.attendance = 'absent' AND i.leave <> 'granted' THEN 1 ELSE 0 END)
               AS absent
    FROM deputies_invitation i JOIN deputies_activity a ON a.id = i.activity_id
    WHERE a.status IN (%(held)s) AND a.date >= %(start)s AND a.date <= %(end)s
    GROUP BY i.deputy_id
) inv ON inv.deputy_id = d.id
LEFT JOIN (
    SELECT s.deputy_id, COUNT(*) AS n FROM suggestions_suggestion s
    WHERE s.status IN (%(counted)s) AND s.submitted_at >= %(from)s AND s.submitted_at < %(to)s
    GROUP BY s.deputy_id
) led ON led.deputy_id = d.id
LEFT JOIN (
    SELECT c.deputy_id, COUNT(*) AS n FROM suggestions_cosigner c
    JOIN suggestions_suggestion s ON s.id = c.suggestion_id
    WHERE c.status = 'confirmed' AND s.status IN (%(counted)s)
      AND s.submitted_at >= %(from)s AND s.submitted_at < %(to)s
    GROUP BY c.deputy_id
) cosigned ON cosigned.deputy_id = d.id
WHERE EXISTS (SELECT 1 FROM deputies_mandate m
              WHERE m.deputy_id = d.id AND m.ended_on IS NULL AND m.level = 'district')
ORDER BY d.id
"""
POINT_SOURCES = (
    "visit_research",
    "reception",
    "training",
    "group_activity",
    "standing_committee",
    "session_leave",
    "absence",
    "suggestion_lead",
    "suggestion_cosigned",
)


def _bounds() -> tuple[date, date, object, object]:
    """The year as dates, and as the stored form of its first and last moments (local time)."""
    from django.db import connection

    start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
    adapt = connection.ops.adapt_datetimefield_value
    first = adapt(datetime.combine(start, time(0), SHANGHAI))
    after = adapt(datetime.combine(date(YEAR + 1, 1, 1), time(0), SHANGHAI))
    return start, end, first, after


def raw_points() -> list[tuple]:
    from renda.deputies.sources import COUNTED_SUGGESTION_STATES

    counted = list(COUNTED_SUGGESTION_STATES)
    sql = POINTS_ROWS % {
        "held": ", ".join(["%s"] * len(HELD)),
        "start": "%s",
        "end": "%s",
        "counted": ", ".join(["%s"] * len(counted)),
        "from": "%s",
        "to": "%s",
    }
    start, end, first, after = _bounds()
    # Parameters in the order the placeholders appear.
    params = [*HELD, start, end, *counted, first, after, *counted, first, after]
    return _raw(sql, params)


def check_same_points(points: dict) -> None:
    """The baseline must count what the points count, or the ratio means nothing."""
    raw = {row[0]: row[1:] for row in raw_points()}
    assert set(raw) == set(points), (len(raw), len(points))
    for deputy_id, result in points.items():
        ours = tuple(
            result.lines[s].units if s in result.lines else raw[deputy_id][n]
            for n, s in enumerate(POINT_SOURCES)
        )
        assert ours == tuple(raw[deputy_id]), (deputy_id, ours, raw[deputy_id])


RECORD_ROWS = """
SELECT 'activity', a.date, a.kind, a.title, a.half_days, i.attendance, i.leave, i.deputy_id
FROM deputies_invitation i JOIN deputies_activity a ON a.id = i.activity_id
WHERE i.deputy_id IN ({ids}) AND a.status IN ('held', 'closed')
  AND a.date >= %s AND a.date <= %s
UNION ALL
SELECT 'led', s.submitted_at, s.status, s.title, 0, '', '', s.deputy_id
FROM suggestions_suggestion s
WHERE s.deputy_id IN ({ids}) AND s.submitted_at >= %s AND s.submitted_at < %s
UNION ALL
SELECT 'cosigned', s.submitted_at, s.status, s.title, 0, '', '', c.deputy_id
FROM suggestions_cosigner c JOIN suggestions_suggestion s ON s.id = c.suggestion_id
WHERE c.deputy_id IN ({ids}) AND c.status = 'confirmed'
  AND s.submitted_at >= %s AND s.submitted_at < %s
"""


def raw_record(deputy_ids: list[int]) -> list[tuple]:
    """The rows one year's archives print, for these deputies, in one query."""
    ids = ", ".join(str(int(pk)) for pk in deputy_ids)
    start, end, first, after = _bounds()
    return _raw(RECORD_ROWS.format(ids=ids), [start, end, first, after, first, after])


# ---------------------------------------------------------------------------------------------
# The run


def _line(scale, deputies, label, ms, queries, base_ms) -> None:
    print(
        f"{scale:>5} {deputies:>8}  {label:<40} {ms:>9.1f} {queries:>7} "
        f"{ms / base_ms:>10.1f}×   (raw SQL {base_ms:.1f} ms)"
    )


def measure_points(scale: int, deputies: int, repeat: int) -> None:
    points_for = _need("renda.deputies.points", "points_for")
    result = points_for(None, year=YEAR)
    check_same_points(result)
    base, _ = measure(raw_points, repeat)
    ms, q = measure(lambda: points_for(None, year=YEAR), repeat)
    _line(scale, deputies, f"(c) points_for, {len(result)} district deps", ms, q, base)


def measure_archives(scale: int, deputies: int, repeat: int, one: list, twenty: list) -> None:
    archive_pdf = _need("renda.deputies.archive", "archive_pdf")
    for label, chosen, times in [
        ("(d) archive PDF, one deputy", one, max(1, repeat // 2)),
        ("(d) archive PDF, 20 deputies", twenty, 1),
    ]:
        ids = [d.pk for d in chosen]
        base, _ = measure(lambda ids=ids: raw_record(ids), repeat)
        ms, q = measure(lambda chosen=chosen: [archive_pdf(d, YEAR) for d in chosen], times)
        _line(scale, deputies, label, ms, q, base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # one line per PDF step otherwise
    logging.getLogger("fontTools").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from renda.core.models import User
    from renda.demo.build import build_demo
    from renda.deputies.models import Activity, ActivityKind, Deputy, Invitation, Level

    call_command("migrate", verbosity=0)
    # the bench's own scratch database: named, as flush asks of a database that is not test_
    call_command(
        "flush",
        interactive=False,
        verbosity=0,
        confirm_database=str(connection.settings_dict["NAME"]),
    )
    build_demo(seed=2026)
    ensure_activities()
    scaler = Scaler()
    staff, staff_user = Client(), User.objects.get(username="daibiaoshi")
    staff.force_login(staff_user)
    session = Activity.objects.filter(kind=ActivityKind.SESSION).order_by("pk").first()
    own = User.objects.get(username="daibiao").deputy
    twenty = list(Deputy.objects.with_active_mandate(level=Level.DISTRICT).in_stroke_order()[:20])

    def get(url: str, params=None):
        def run():
            response = staff.get(url, params or {})
            assert response.status_code == 200, (url, response.status_code)

        return run

    print(f"database: {connection.vendor}")
    print(
        f"{'scale':>5} {'deputies':>8}  {'scenario':<40} {'median ms':>9} {'queries':>7} "
        f"{'vs raw SQL':>11}"
    )
    for scale in args.scales:
        scaler.scale_to(scale)
        deputies = Deputy.objects.count()
        print(
            f"{scale:>5} {deputies:>8}  ({Activity.objects.count()} activities, "
            f"{Invitation.objects.count()} invitations)"
        )
        repeat = args.repeat
        check_same_activities(staff_user)
        base, _ = measure(raw_sql_page, repeat)
        ms, q = measure(get(reverse("deputies:list")), repeat)
        _line(scale, deputies, "(a) roster list page (50 rows)", ms, q, base)

        base, _ = measure(raw_activity_page, repeat)
        for label, func in [
            ("(b) activity list page (30 rows)", get(reverse("deputies:activities"))),
            ("(b) activity list API (50 rows)", get("/api/v1/deputies/activities/")),
        ]:
            ms, q = measure(func, repeat)
            _line(scale, deputies, label, ms, q, base)
        base, _ = measure(raw_activity_export, max(1, repeat // 2))
        ms, q = measure(
            get(reverse("deputies:activities"), {"export": "xlsx"}), max(1, repeat // 2)
        )
        _line(scale, deputies, "(b) activity export xlsx (every row)", ms, q, base)
        base, _ = measure(lambda: _raw(SHEET_ROWS, [session.pk]), repeat)
        ms, q = measure(get(reverse("deputies:attendance_sheet", args=[session.pk])), repeat)
        _line(scale, deputies, "(b) session attendance sheet (388 rows)", ms, q, base)

        measure_points(scale, deputies, repeat)
        measure_archives(scale, deputies, repeat, [own], twenty)


if __name__ == "__main__":
    main()
