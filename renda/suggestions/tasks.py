"""Background work of suggestions: the big export (DESIGN: big exports run in the worker with a
progress bar). It reads as the user who asked, with the same filters and rows as the page."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from renda.core.exports import build_table_xlsx
from renda.core.jobs import Progress, job_kind
from renda.core.models import User
from renda.suggestions import queries
from renda.suggestions.forms import filters_from_params
from renda.suggestions.presenters import LIST_HEADERS, LIST_WIDTHS, list_row

EXPORT_LIMIT = 5000


def export_rows(user: User, query_string: str, *, progress: Progress | None = None) -> list[list]:
    """Exactly the rows the list shows for these filters, every page of them (capped)."""
    today = timezone.localdate()
    filters = filters_from_params(QueryDict(query_string))
    found = list(queries.suggestion_list(user, filters, today=today)[:EXPORT_LIMIT])
    rows = []
    for n, suggestion in enumerate(found, start=1):
        rows.append(list_row(suggestion, today))
        if progress is not None and n % 100 == 0:
            progress(n, len(found) * 2)  # building rows is about half the work; writing the rest
    return rows


@job_kind("suggestions.export")
def export_job(*, user: User, params: dict, progress: Progress) -> tuple[bytes, str]:
    rows = export_rows(user, params.get("query", ""), progress=progress)
    content = build_table_xlsx(
        title="代表建议", headers=LIST_HEADERS, rows=rows, widths=LIST_WIDTHS
    )
    return content, f"代表建议-{timezone.localdate():%Y%m%d}.xlsx"
