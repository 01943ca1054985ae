"""Suggestions at 1×, 10× and 100× the demo session: the list page, the statistics page and the
Excel export, each with its query count and a ratio against one raw SQL query computing the same
result.

The demo session is built through the real actions; the larger sessions copy its registered
suggestions (with their assignments, answers and ratings) with bulk inserts, keeping states,
deadlines and rates as they are — the figures stay realistic while the copy takes seconds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.roster import measure, setup_django  # noqa: E402


def scale_session(factor: int) -> int:
    """Copy the session's registered suggestions (factor - 1) more times; returns the count."""
    from renda.core.models import Congress
    from renda.suggestions.models import Answer, Assignment, Rating, Suggestion

    congress = Congress.current()
    session = Suggestion.objects.for_session(congress.term_number, congress.session_number)
    originals = list(
        session.registered()
        .filter(merged_into=None)
        .prefetch_related("assignments", "answers", "ratings")
    )
    top = max(s.number for s in originals)
    skip = {"id", "pk", "number", "version"}
    fields = [f.attname for f in Suggestion._meta.concrete_fields if f.attname not in skip]
    for copy in range(1, factor):
        clones = Suggestion.objects.bulk_create(
            [
                Suggestion(
                    number=s.number + copy * top,
                    **{name: getattr(s, name) for name in fields},
                )
                for s in originals
            ],
            batch_size=1000,
        )
        children: dict[type, list] = {Assignment: [], Answer: [], Rating: []}
        for original, clone in zip(originals, clones, strict=True):
            for model, related in (
                (Assignment, original.assignments.all()),
                (Answer, original.answers.all()),
                (Rating, original.ratings.all()),
            ):
                for row in related:
                    values = {
                        f.attname: getattr(row, f.attname)
                        for f in model._meta.concrete_fields
                        if f.attname not in ("id", "suggestion_id")
                    }
                    children[model].append(model(suggestion_id=clone.pk, **values))
        for model, rows in children.items():
            model.objects.bulk_create(rows, batch_size=2000)
    return session.registered().count()


RAW_LIST = """
SELECT s.id, s.number, s.title, s.status, s.due_at, d.full_name, c.name,
       (SELECT {agg} FROM suggestions_assignment a JOIN core_unit u ON u.id = a.unit_id
         WHERE a.suggestion_id = s.id AND a.status <> 'withdrawn') AS units
FROM suggestions_suggestion s
JOIN deputies_deputy d ON d.id = s.deputy_id
JOIN suggestions_category c ON c.id = s.category_id
WHERE s.status <> 'draft'
ORDER BY s.due_at IS NULL, s.due_at, s.id DESC
{limit}
"""

RAW_STATISTICS = """
SELECT u.name,
       COUNT(*) AS assigned,
       SUM(CASE WHEN s.first_answered_on IS NOT NULL THEN 1 ELSE 0 END) AS answered,
       SUM(CASE WHEN s.answered_on_time THEN 1 ELSE 0 END) AS on_time,
       SUM(CASE WHEN s.status IN ('assigned', 'handling') AND s.due_at < %s THEN 1 ELSE 0 END)
         AS overdue,
       SUM(CASE WHEN r.result = 'satisfied' THEN 1 ELSE 0 END) AS satisfied,
       SUM(CASE WHEN r.result = 'basically' THEN 1 ELSE 0 END) AS basically,
       SUM(CASE WHEN r.result = 'not_satisfied' THEN 1 ELSE 0 END) AS not_satisfied
FROM suggestions_suggestion s
JOIN suggestions_assignment a ON a.suggestion_id = s.id AND a.status <> 'withdrawn'
     AND a.role IN ('lead', 'separate')
JOIN core_unit u ON u.id = a.unit_id
LEFT JOIN suggestions_rating r ON r.suggestion_id = s.id
     AND r.round = (SELECT MAX(r2.round) FROM suggestions_rating r2 WHERE r2.suggestion_id = s.id)
WHERE s.term_number = %s AND s.session_number = %s
  AND s.status IN ('accepted', 'assigned', 'handling', 'answered', 'follow_up', 'closed')
GROUP BY u.name
"""


def _agg(connection) -> str:
    if connection.vendor == "postgresql":
        return "string_agg(u.name, '、')"
    return "group_concat(u.name, '、')"


def raw(sql: str, params=()):
    def run() -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from renda.core.models import Congress, User
    from renda.demo.build import build_demo

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    print(
        f"{'scale':>5} {'rows':>6}  {'scenario':<30} {'median ms':>9} {'queries':>7} "
        f"{'vs raw SQL':>10}"
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
        count = scale_session(scale)
        congress = Congress.current()
        session = {"session": f"{congress.term_number}-{congress.session_number}"}
        staff = Client()
        staff.force_login(User.objects.get(username="daibiaoshi"))
        agg = _agg(connection)
        today = timezone.localdate()

        def get(url, params=None, client=staff):
            def run() -> None:
                response = client.get(url, params or {})
                assert response.status_code == 200, (url, response.status_code)
                if response.streaming:
                    b"".join(response.streaming_content)

            return run

        scenarios = [
            (
                "list page (30 of all)",
                get(reverse("suggestions:list")),
                raw(RAW_LIST.format(agg=agg, limit="LIMIT 30")),
            ),
            (
                "list search 停车",
                get(reverse("suggestions:list"), {"q": "停车"}),
                raw(
                    RAW_LIST.format(agg=agg, limit="LIMIT 30").replace(
                        "WHERE s.status <> 'draft'",
                        "WHERE s.status <> 'draft' AND (s.title LIKE '%%停车%%' "
                        "OR s.content LIKE '%%停车%%')",
                    )
                ),
            ),
            (
                "statistics page",
                get(reverse("suggestions:statistics"), session),
                raw(RAW_STATISTICS, (today, congress.term_number, congress.session_number)),
            ),
            (
                "export xlsx (≤5000 rows)",
                get(reverse("suggestions:export")),
                raw(RAW_LIST.format(agg=agg, limit="LIMIT 5000")),
            ),
        ]
        for label, page, baseline in scenarios:
            repeat = args.repeat if "export" not in label else max(1, args.repeat // 2)
            base_ms, _ = measure(baseline, repeat)
            ms, queries = measure(page, repeat)
            print(
                f"{scale:>5} {count:>6}  {label:<30} {ms:>9.1f} {queries:>7} "
                f"{ms / base_ms:>9.1f}×   (raw SQL {base_ms:.1f} ms)"
            )


if __name__ == "__main__":
    main()
