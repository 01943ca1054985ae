"""Pure builders of office documents from plain rows; nothing of the web.

Every cell the platform writes goes through write_cell: stored text may hold characters XML
cannot carry (one of them made a whole export fail) or begin like a formula (OWASP's CSV
injection: "=HYPERLINK(…)", "=cmd|…" DDE), and Excel or WPS must show it, never run it."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE/U+FFFF). Neither a .xlsx nor a .docx can be saved or opened with them.
XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# The OWASP list of leading characters a spreadsheet may take for the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel refuses (and "repairs" away) a cell longer than this.
CELL_MAX_CHARS = 32767


def xml_text(text: str) -> str:
    """The text without the characters XML cannot hold; the one rule for every writer."""
    return XML_ILLEGAL_RE.sub("", text)


def write_cell(cell, value) -> None:
    """Put one value into an openpyxl cell. Numbers, dates and booleans stay what they are;
    text is always text (data type "s", never a formula or an error code), cleaned, and when it
    starts like a formula also marked quote-prefixed, so a spreadsheet keeps it as text even
    when the cell is edited. The text itself is kept, so a round trip through import reads
    back exactly what was written."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        # Excel has no time zones (openpyxl refuses them): the local wall-clock time is meant.
        value = timezone.localtime(value).replace(tzinfo=None)
    if not isinstance(value, str):
        cell.value = value
        return
    text = xml_text(value)[:CELL_MAX_CHARS]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def append_row(sheet, values) -> None:
    """sheet.append through write_cell."""
    values = list(values)
    sheet.append([None] * len(values))  # reserves the next row as openpyxl counts rows
    for column, value in enumerate(values, start=1):
        write_cell(sheet.cell(row=sheet.max_row, column=column), value)


def sheet_title(title: str, default: str = "Sheet") -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in xml_text(title))
    return cleaned[:31] or default


def build_table_xlsx(
    *, title: str, headers: list[str], rows: list[list], widths: list[int] | None = None
) -> bytes:
    """One sheet: a title row, a header row, then the rows exactly as given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    write_cell(sheet["A1"], title)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(len(headers), 1))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    for row_index, values in enumerate([headers, *rows], start=2):
        for column, value in enumerate(values, start=1):
            write_cell(sheet.cell(row=row_index, column=column), value)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
