"""Stored text that once broke a writer or turned into a live formula, and the checks every
writer's test applies to what it produced. The rows are written straight to the database:
input cleaning is another rule's, and each writer must survive what is already stored."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from openpyxl import load_workbook

from renda.core.exports import FORMULA_STARTS

# Formula starts per the OWASP CSV-injection guidance, one of them a DDE payload.
PAYLOADS = (
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "-2+3",
    "@SUM(A1)",
    "=cmd|' /C calc'!A0",
)
# C0 controls XML cannot hold (no NUL: the database refuses it already on PostgreSQL).
CONTROLS = "\x01\x0b\x1f"


def dirty(text: str) -> str:
    """The text with control characters in it, as a stored row may hold it."""
    return f"{text}{CONTROLS[0]}甲{CONTROLS[1]}乙{CONTROLS[2]}"


def cleaned(text: str) -> str:
    """What a writer keeps of dirty(text)."""
    return f"{text}甲乙"


def workbook_cells(content: bytes) -> list:
    workbook = load_workbook(BytesIO(content))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_neutralised_xlsx(content: bytes, texts) -> None:
    """No formula anywhere; each text is in the file, as text, quote-prefixed when it starts
    like a formula."""
    cells = workbook_cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    for text in texts:
        holding = [c for c in cells if isinstance(c.value, str) and cleaned(text) in c.value]
        assert holding, f"{text!r} is missing from the workbook"
        for cell in holding:
            assert cell.data_type == "s"
            if cell.value.startswith(FORMULA_STARTS):
                assert cell.quotePrefix, f"{cell.coordinate} {cell.value!r} is not quote-prefixed"


def docx_text(content: bytes) -> str:
    document = Document(BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)
