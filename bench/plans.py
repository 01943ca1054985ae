"""The leaders' plans dashboard at 1×, 10× and 100× the demo plans: the dashboard query (per
office and per plan kind), the dashboard page when it exists, and the leader's home-page
attention panels, each with its query count and a ratio against one raw SQL GROUP BY computing
the same counts.

The demo year's plans are built through the real actions; the larger years copy the items of the
approved plans (with their sub-items, milestones and progress reports) into the same plans with
bulk inserts. Dates, reports and states are copied as they are, so the health mix (on track, at
risk, overdue, completed) stays the demo's; the figures are taken on the day the demo is looked
at (2026-11-27)."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.roster import measure, setup_django  # noqa: E402

YEAR = 2026
TODAY = date(2026, 11, 27)
MOMENT = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def scale_plans(factor: int) -> int:
    """Copy the binding plans' items (factor - 1) more times; returns the number of leaf items
    the dashboard counts."""
    from renda.plans.models import Milestone, PlanItem, ProgressReport
    from renda.plans.queries import tracked_items

    originals = list(
        PlanItem.objects.binding()
        .filter(plan__year=YEAR)
        .prefetch_related("milestones", "reports")
        .order_by("id")
    )
    skip = {"id", "parent_id"}
    fields = [f.attname for f in PlanItem._meta.concrete_fields if f.attname not in skip]
    depth = {}
    by_id = {i.pk: i for i in originals}
    for item in originals:  # parents come before children: ids grow with creation
        depth[item.pk] = 0 if item.parent_id is None else depth[item.parent_id] + 1
    for _ in range(1, factor):
        clone_of: dict[int, int] = {}
        for level in sorted(set(depth.values())):
            batch = [i for i in originals if depth[i.pk] == level]
            clones = PlanItem.objects.bulk_create(
                [
                    PlanItem(
                        parent_id=clone_of.get(i.parent_id),
                        **{name: getattr(i, name) for name in fields},
                    )
                    for i in batch
                ],
                batch_size=1000,
            )
            clone_of.update({i.pk: c.pk for i, c in zip(batch, clones, strict=True)})
        milestones, reports = [], []
        for pk, clone in clone_of.items():
            original = by_id[pk]
            for m in original.milestones.all():
                milestones.append(
                    Milestone(item_id=clone, title=m.title, due_on=m.due_on, done_on=m.done_on)
                )
            for r in original.reports.all():
                reports.append(
                    ProgressReport(
                        item_id=clone,
                        text=r.text,
                        percent=r.percent,
                        reported_on=r.reported_on,
                        reported_by_id=r.reported_by_id,
                        created_at=r.created_at,
                    )
                )
        Milestone.objects.bulk_create(milestones, batch_size=2000)
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
    return tracked_items().filter(plan__year=YEAR).count()


# Health of a leaf item of a binding plan, as renda.plans.queries defines it, per item; then one
# GROUP BY. %(x)s parameters: today, the day before which a milestone or item is late, the
# stale limit and the busy window's end.
RAW_DASHBOARD = """
SELECT {group}, COUNT(*),
       SUM(CASE WHEN is_open = 1 AND late = 0 AND stale + busy = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN is_open = 1 AND late = 0 AND stale + busy > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN is_open = 1 AND late = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END)
FROM (
  SELECT o.name AS office, o.sort_order AS office_order, p.kind AS kind, i.status,
         CASE WHEN i.status IN ('planned', 'in_progress') THEN 1 ELSE 0 END AS is_open,
         CASE WHEN i.ends_on < %(today)s OR EXISTS (
              SELECT 1 FROM plans_milestone m
              WHERE m.item_id = i.id AND m.done_on IS NULL AND m.due_on < %(today)s)
              THEN 1 ELSE 0 END AS late,
         CASE WHEN i.starts_on <= %(stale)s
              AND (i.last_report_on IS NULL OR i.last_report_on < %(stale)s)
              THEN 1 ELSE 0 END AS stale,
         CASE WHEN i.report_count > 0 AND i.ends_on <= %(busy)s THEN 1 ELSE 0 END AS busy
  FROM plans_planitem i
  JOIN plans_plan p ON p.id = i.plan_id
  JOIN core_office o ON o.id = i.owner_office_id
  WHERE p.status IN ('approved', 'published') AND p.year = %(year)s
    AND NOT EXISTS (SELECT 1 FROM plans_planitem c WHERE c.parent_id = i.id)
) t
GROUP BY {group_by}
ORDER BY {order}
"""
GROUPS = {
    "office": ("office, office_order", "office, office_order", "office_order"),
    "kind": ("kind", "kind", "kind"),
}


def raw_dashboard(group_by: str) -> list[tuple]:
    from datetime import timedelta

    from django.db import connection

    from renda.plans.models import PlanRules

    rules = PlanRules.current()
    select, group, order = GROUPS[group_by]
    sql = RAW_DASHBOARD.format(group=select, group_by=group, order=order)
    params = {
        "today": TODAY,
        "stale": TODAY - timedelta(days=rules.stale_days),
        "busy": TODAY + timedelta(days=rules.busy_window_days),
        "year": YEAR,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def check_same_counts() -> None:
    """The baseline must compute what the dashboard computes, or the ratio means nothing."""
    from renda.plans.queries import HEALTH_KEYS, dashboard

    for group_by, label in (("office", "owner_office__name"), ("kind", "plan__kind")):
        ours = [
            (row[label], row["total"], *(row[k] for k in HEALTH_KEYS))
            for row in dashboard(year=YEAR, today=TODAY, group_by=group_by)
        ]
        theirs = [
            (row[0], *row[-6:]) for row in raw_dashboard(group_by)
        ]  # office rows carry the sort order
        assert ours == [tuple(r) for r in theirs], (group_by, ours, theirs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    import time_machine
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from renda.core.models import User
    from renda.demo.build import build_demo
    from renda.plans.home import plan_panels
    from renda.plans.queries import dashboard

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'scale':>5} {'items':>6}  {'scenario':<30} {'median ms':>9} {'queries':>7} "
        f"{'vs raw SQL':>10}"
    )
    try:
        dashboard_url = reverse("plans:dashboard")
    except NoReverseMatch:
        dashboard_url = None
        print("(plans:dashboard page not found: page scenario skipped)")
    for scale in args.scales:
        # the bench's own scratch database: named, as flush asks of a database that is not test_
        call_command(
            "flush",
            interactive=False,
            verbosity=0,
            confirm_database=str(connection.settings_dict["NAME"]),
        )
        build_demo(seed=2026)
        count = scale_plans(scale)
        check_same_counts()
        leader = User.objects.get(username="zhuren")
        client = Client()
        client.force_login(leader)

        def query(group_by: str):
            return lambda: dashboard(year=YEAR, today=TODAY, group_by=group_by)

        def page(client=client):
            response = client.get(dashboard_url, {"year": YEAR})
            assert response.status_code == 200, response.status_code

        def both_raw():
            raw_dashboard("office")
            raw_dashboard("kind")

        scenarios = [
            ("dashboard query by office", query("office"), lambda: raw_dashboard("office")),
            ("dashboard query by kind", query("kind"), lambda: raw_dashboard("kind")),
            ("leader's home attention panels", lambda u=leader: plan_panels(u), both_raw),
        ]
        if dashboard_url:
            scenarios.append(("dashboard page (both tables)", page, both_raw))
        with time_machine.travel(MOMENT, tick=False):
            for label, func, baseline in scenarios:
                base_ms, _ = measure(baseline, args.repeat)
                ms, queries = measure(func, args.repeat)
                print(
                    f"{scale:>5} {count:>6}  {label:<30} {ms:>9.1f} {queries:>7} "
                    f"{ms / base_ms:>9.1f}×   (raw SQL {base_ms:.1f} ms)"
                )


if __name__ == "__main__":
    main()
