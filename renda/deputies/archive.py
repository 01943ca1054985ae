"""The yearly performance-record archive (代表履职档案) as a printable PDF: A4, official look,
printed by WeasyPrint from an HTML template.

Only the deputy's public facts are printed (name, seats, group, street): never the ID number,
phone or birth date, so the archive can be handed out or published as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from renda.core.downloads import download
from renda.core.models import Congress
from renda.deputies.models import Deputy
from renda.deputies.queries_record import Record, record_of

if TYPE_CHECKING:
    import weasyprint

ARCHIVE_TEMPLATE = "deputies/record/archive_pdf.html"
PDF = "application/pdf"
# The archive's numbered parts, in the order printed (and on the record page).
PARTS = (
    "一、出席会议情况",
    "二、参加履职活动情况",
    "三、提出建议情况",
    "四、联络站接待选民情况",
    "五、参加培训情况",
)


def _refuse_url(url: str) -> dict:
    # The archive is self-contained; an intranet server must never reach out while printing.
    raise ValueError(f"external resources are not allowed in the archive: {url}")


def archive_title(record: Record) -> str:
    return f"{record.full_name}{record.year}年度履职档案"


def archive_filename(full_name: str, year: int) -> str:
    return f"{full_name}-{year}年履职档案.pdf"


def archive_html(record: Record, *, congress_name: str = "") -> str:
    """The HTML the PDF is printed from."""
    context = {
        "record": record,
        "summary": record.summary,
        "title": archive_title(record),
        "congress_name": congress_name,
        "parts": PARTS,
        "generated_on": timezone.localdate(),
    }
    return render_to_string(ARCHIVE_TEMPLATE, context)


def render_archive_document(record: Record, *, congress_name: str = "") -> weasyprint.Document:
    """The laid-out document: its `pages` say how many pages the PDF has."""
    import weasyprint  # imported late: loading Pango costs time on every process start

    html = archive_html(record, congress_name=congress_name)
    return weasyprint.HTML(string=html, url_fetcher=_refuse_url).render()


def build_archive_pdf(record: Record, *, congress_name: str = "") -> bytes:
    return render_archive_document(record, congress_name=congress_name).write_pdf()


def _congress_name() -> str:
    congress = Congress.current()
    return congress.name if congress else ""


def archive_pdf(deputy: Deputy, year: int) -> bytes:
    """One deputy's archive for one year (the bench calls this for every deputy)."""
    return build_archive_pdf(record_of(deputy, year), congress_name=_congress_name())


def archive_response(deputy: Deputy, year: int) -> HttpResponse:
    """The archive as a download named like 张三-2026年履职档案.pdf (pages and the API)."""
    return download(
        archive_pdf(deputy, year),
        content_type=PDF,
        filename=archive_filename(deputy.full_name, year),
    )
