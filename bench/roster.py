"""Roster list, filtered list and Excel export at 1×, 10× and 100× the demo roster.

Baselines: one raw SQL query returning the same page (names, levels, streets), and Django admin's
changelist for the same table."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django() -> None:
    if "RENDA_DATABASE_URL" not in os.environ:
        var = tempfile.mkdtemp(prefix="renda-bench-")
        os.environ["RENDA_VAR_DIR"] = var
        os.environ["RENDA_DATABASE_URL"] = f"sqlite:///{var}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = ["testserver"]


def scale_roster(factor: int) -> int:
    """Copy the demo's deputies (factor - 1) more times; returns the number of deputies."""
    from renda.deputies.models import Deputy, Mandate

    originals = list(Deputy.objects.prefetch_related("mandates"))
    for copy in range(1, factor):
        clones = Deputy.objects.bulk_create(
            [
                Deputy(
                    full_name=d.full_name + str(copy),
                    gender=d.gender,
                    ethnicity=d.ethnicity,
                    birth_date=d.birth_date,
                    party=d.party,
                    occupation_category=d.occupation_category,
                    work_position=d.work_position,
                    phone=d.phone,
                    name_stroke_key=d.name_stroke_key + f"{copy:04d}",
                    name_pinyin=d.name_pinyin + f" {copy:04d}",
                )
                for d in originals
            ],
            batch_size=2000,
        )
        mandates = []
        for original, clone in zip(originals, clones, strict=True):
            for m in original.mandates.all():
                mandates.append(
                    Mandate(
                        deputy=clone,
                        level=m.level,
                        term_number=m.term_number,
                        electoral_unit=m.electoral_unit,
                        street_id=m.street_id,
                        group_id=m.group_id,
                        started_on=m.started_on,
                        ended_on=m.ended_on,
                        end_reason=m.end_reason,
                    )
                )
        Mandate.objects.bulk_create(mandates, batch_size=2000)
    return Deputy.objects.count()


def measure(func, repeat: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    func()  # warm up
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


RAW_PAGE = """
SELECT d.full_name, d.gender, d.birth_date, d.party, d.occupation_category, d.work_position, d.phone,
       (SELECT {agg} FROM deputies_mandate m WHERE m.deputy_id = d.id AND m.ended_on IS NULL) AS levels,
       (SELECT {agg_street} FROM deputies_mandate m JOIN core_street s ON s.id = m.street_id
         WHERE m.deputy_id = d.id AND m.ended_on IS NULL) AS streets
FROM deputies_deputy d
WHERE EXISTS (SELECT 1 FROM deputies_mandate m WHERE m.deputy_id = d.id AND m.ended_on IS NULL)
ORDER BY d.name_stroke_key, d.id
LIMIT 50
"""
RAW_COUNT = "SELECT COUNT(*) FROM deputies_deputy d WHERE EXISTS (SELECT 1 FROM deputies_mandate m WHERE m.deputy_id = d.id AND m.ended_on IS NULL)"


def raw_sql_page() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        sql = RAW_PAGE.format(agg="string_agg(m.level, ',')", agg_street="string_agg(s.name, ',')")
    else:
        sql = RAW_PAGE.format(agg="group_concat(m.level)", agg_street="group_concat(s.name)")
    with connection.cursor() as cursor:
        cursor.execute(RAW_COUNT)
        cursor.fetchone()
        cursor.execute(sql)
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from renda.core.models import Street, User
    from renda.demo.build import build_demo

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'scale':>5} {'deputies':>8}  {'scenario':<24} {'median ms':>9} {'queries':>7} {'vs baseline':>12}"
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
        count = scale_roster(scale)
        staff = Client()
        staff.force_login(User.objects.get(username="daibiaoshi"))
        admin = Client()
        admin.force_login(User.objects.get(username="admin"))
        street = Street.objects.first()

        def get(client, url, params=None):
            def run():
                response = client.get(url, params or {})
                assert response.status_code == 200, (url, response.status_code)

            return run

        baseline_ms, baseline_q = measure(raw_sql_page, args.repeat)
        admin_ms, admin_q = measure(get(admin, "/admin/deputies/deputy/"), args.repeat)
        rows = [
            ("raw SQL page (baseline)", baseline_ms, baseline_q, 1.0),
            ("admin changelist", admin_ms, admin_q, admin_ms / baseline_ms),
        ]
        for label, func in [
            ("roster page", get(staff, "/deputies/")),
            ("roster by street", get(staff, "/deputies/", {"street": street.pk})),
            ("roster search 王", get(staff, "/deputies/", {"q": "王"})),
            ("roster API (50)", get(staff, "/api/v1/deputies/")),
        ]:
            ms, q = measure(func, args.repeat)
            rows.append((label, ms, q, ms / baseline_ms))
        export_ms, export_q = measure(get(staff, "/deputies/export/"), max(1, args.repeat // 3))
        rows.append(("export xlsx (≤5000 rows)", export_ms, export_q, export_ms / baseline_ms))
        for label, ms, q, ratio in rows:
            print(f"{scale:>5} {count:>8}  {label:<24} {ms:>9.1f} {q:>7} {ratio:>11.1f}×")


if __name__ == "__main__":
    main()
