"""Supervision at 1×, 10×, 100× and 1000× the demo's rectification items: the rectification
dashboard aggregate (per unit and per source), the organ's and a unit's rectification list pages,
and the supervision hub — each with its query count and a ratio against raw SQL computing the
same result. Also the law library's import of the Work Safety Law (parse and store 500-odd
provisions) against the parse alone.

The demo year is built through the real actions; the larger sets copy its rectification items
with bulk inserts (as items traced to one inspection problem, keeping unit, office, deadline and
state), so the mix of open, overdue and verified items stays the demo's. Figures are taken on the
day the demo is looked at (2026-11-27)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.roster import measure, setup_django  # noqa: E402

TODAY = date(2026, 11, 27)
MOMENT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def scale_rectifications(factor: int) -> int:
    """Copy the demo's items (factor - 1) more times; returns the number of items."""
    from renda.supervision.models import Problem, Rectification

    problem = Problem.objects.order_by("id").first()
    originals = list(Rectification.objects.order_by("id"))
    skip = {"id", "source", "point_id", "problem_id", "question_id", "opinion_id", "inquiry_id"}
    fields = [f.attname for f in Rectification._meta.concrete_fields if f.attname not in skip]
    for _ in range(1, factor):
        Rectification.objects.bulk_create(
            [
                Rectification(
                    source=Rectification.Source.PROBLEM,
                    problem_id=problem.pk,
                    **{name: getattr(item, name) for name in fields},
                )
                for item in originals
            ],
            batch_size=2000,
        )
    return Rectification.objects.count()


RAW_DASHBOARD = """
SELECT u.id, u.name, COUNT(*),
       SUM(CASE WHEN r.status IN ('assigned', 'in_progress', 'submitted') THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.status IN ('assigned', 'in_progress') AND r.due_on < %(today)s
           THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN r.status IN ('assigned', 'in_progress') AND r.due_on >= %(today)s
           AND r.due_on <= %(soon)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.status = 'submitted' THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.status = 'verified' THEN 1 ELSE 0 END)
FROM supervision_rectification r JOIN core_unit u ON u.id = r.unit_id
GROUP BY u.id, u.name, u.sort_order
ORDER BY overdue DESC, u.sort_order, u.id
"""
RAW_BY_SOURCE = """
SELECT r.source, COUNT(*) FROM supervision_rectification r GROUP BY r.source ORDER BY r.source
"""
# What the hub shows: the totals of the rectification items, the open and overdue review
# opinions, the open and all inspections.
RAW_HUB = (
    """
SELECT COUNT(*),
       SUM(CASE WHEN status IN ('assigned', 'in_progress', 'submitted') THEN 1 ELSE 0 END),
       SUM(CASE WHEN status IN ('assigned', 'in_progress') AND due_on < %(today)s THEN 1 ELSE 0 END)
FROM supervision_rectification
""",
    """
SELECT SUM(CASE WHEN status IN ('issued', 'follow_up') THEN 1 ELSE 0 END),
       SUM(CASE WHEN status IN ('issued', 'follow_up') AND due_on < %(today)s THEN 1 ELSE 0 END)
FROM supervision_reviewopinion
""",
    """
SELECT SUM(CASE WHEN status <> 'closed' THEN 1 ELSE 0 END), COUNT(*) FROM supervision_inspection
""",
)
RAW_PAGE = """
SELECT r.id, r.title, r.status, r.due_on, r.progress, u.name, o.name
FROM supervision_rectification r
JOIN core_unit u ON u.id = r.unit_id JOIN core_office o ON o.id = r.office_id
{where}
ORDER BY r.due_on, r.id LIMIT 30
"""


def _raw(sql: str, **params) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def raw_dashboard() -> None:
    _raw(RAW_DASHBOARD, today=TODAY, soon=TODAY + timedelta(days=7))
    _raw(RAW_BY_SOURCE)


def raw_hub() -> None:
    for sql in RAW_HUB:
        _raw(sql, today=TODAY)


def check_same_counts() -> None:
    """The baseline must compute what the dashboard computes, or the ratio means nothing."""
    from renda.supervision.queries import dashboard

    ours = [
        (r["unit_id"], r["total"], r["open"], r["overdue"], r["verified"])
        for r in dashboard(today=TODAY)["by_unit"]
    ]
    rows = _raw(RAW_DASHBOARD, today=TODAY, soon=TODAY + timedelta(days=7))
    theirs = [(r[0], r[2], r[3], r[4], r[7]) for r in rows]
    assert ours == theirs, (ours, theirs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    import time_machine
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from renda.core.models import User
    from renda.demo.build import build_demo
    from renda.supervision.actions.laws import import_law
    from renda.supervision.laws import parse_law
    from renda.supervision.models import LawVersion
    from renda.supervision.queries import dashboard

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'scale':>5} {'items':>6}  {'scenario':<34} {'median ms':>9} {'queries':>7} "
        f"{'vs baseline':>11}"
    )
    for scale in args.scales:
        # the bench's own scratch database: named, as flush asks of a database that is not test_
        call_command(
            "flush",
            interactive=False,
            verbosity=0,
            confirm_database=str(connection.settings_dict["NAME"]),
        )
        build_demo(seed=2026)
        count = scale_rectifications(scale)
        check_same_counts()
        staff, unit = User.objects.get(username="shehuishi"), User.objects.get(username="zhujian")
        unit_id = unit.roles.unit_ids and min(unit.roles.unit_ids)
        clients = {}
        for user in (staff, unit):
            clients[user.username] = Client()
            clients[user.username].force_login(user)

        def page(name: str, username: str, clients=clients, **params):
            def get():
                response = clients[username].get(reverse(name), params)
                assert response.status_code == 200, response.status_code

            return get

        scenarios = [
            ("dashboard aggregate (2 tables)", lambda: dashboard(today=TODAY), raw_dashboard),
            (
                "dashboard page",
                page("supervision:rectification_dashboard", "shehuishi"),
                raw_dashboard,
            ),
            (
                "list page, organ (first 30)",
                page("supervision:rectifications", "shehuishi"),
                lambda: _raw(RAW_PAGE.format(where="")),
            ),
            (
                "list page, a unit's own",
                page("supervision:rectifications", "zhujian"),
                lambda unit_id=unit_id: _raw(
                    RAW_PAGE.format(where="WHERE r.unit_id = %(unit)s"), unit=unit_id
                ),
            ),
            ("supervision hub page", page("supervision:index", "shehuishi"), raw_hub),
        ]
        with time_machine.travel(MOMENT, tick=False):
            for label, func, baseline in scenarios:
                base_ms, _ = measure(baseline, args.repeat)
                ms, queries = measure(func, args.repeat)
                print(
                    f"{scale:>5} {count:>6}  {label:<34} {ms:>9.1f} {queries:>7} "
                    f"{ms / base_ms:>10.1f}×   (raw SQL {base_ms:.1f} ms)"
                )
    text = (ROOT / "renda/supervision/data/laws/安全生产法-2021.md").read_text(encoding="utf-8")
    admin = User.objects.get(username="admin")
    labels = iter(range(1, 10_000))

    def store():
        with transaction.atomic():
            import_law(acting_user=admin, text=text, label=f"基准{next(labels)}")

    parse_ms, _ = measure(lambda: parse_law(text), args.repeat)
    ms, queries = measure(store, args.repeat)
    provisions = LawVersion.objects.order_by("-id").first().provisions.count()
    print(
        f"law import: 安全生产法, {provisions} provisions: parse {parse_ms:.1f} ms; "
        f"parse and store {ms:.1f} ms, {queries} queries ({ms / parse_ms:.1f}× the parse alone)"
    )


if __name__ == "__main__":
    main()
