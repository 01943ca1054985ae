"""The one cell writer and the one docx run writer: stored control characters never break a
file, text that starts like a formula is written as text, numbers and dates stay numbers and
dates; and no module writes a cell or a docx run around them."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from docx import Document
from openpyxl import Workbook, load_workbook

from renda.core.docx import add_paragraph, new_official_document, save_document
from renda.core.exports import CELL_MAX_CHARS, append_row, build_table_xlsx, write_cell
from tests.core.writers import PAYLOADS, assert_neutralised_xlsx, cleaned, dirty

RENDA = Path(__file__).resolve().parents[2] / "renda"


def test_table_keeps_stored_text_as_inert_text():
    content = build_table_xlsx(
        title=dirty("=标题"),
        headers=["甲", "乙"],
        rows=[[dirty(p), dirty("普通文字")] for p in PAYLOADS],
    )
    assert_neutralised_xlsx(content, [*PAYLOADS, "=标题", "普通文字"])
    sheet = load_workbook(BytesIO(content)).active
    assert [sheet.cell(row=r, column=1).value for r in range(3, 8)] == [
        cleaned(p) for p in PAYLOADS
    ]
    # Plain text is not marked: only what starts like a formula.
    assert sheet["B3"].value == cleaned("普通文字") and not sheet["B3"].quotePrefix


def test_numbers_dates_and_error_lookalikes():
    content = build_table_xlsx(
        title="表",
        headers=["数"],
        rows=[[-5], [2.5], [Decimal("-1.25")], [date(2026, 3, 1)], [datetime(2026, 3, 1, 9)]]
        + [["#N/A"], [None], [True]],
    )
    sheet = load_workbook(BytesIO(content)).active
    values = [sheet.cell(row=r, column=1) for r in range(3, 11)]
    assert [c.value for c in values[:3]] == [-5, 2.5, -1.25]
    assert all(c.data_type == "n" and not c.quotePrefix for c in values[:3])
    assert values[3].value == datetime(2026, 3, 1) and values[3].is_date
    assert values[4].value == datetime(2026, 3, 1, 9) and values[4].is_date
    # "#N/A" typed by someone is their text, not an Excel error value.
    assert values[5].value == "#N/A" and values[5].data_type == "s"
    assert values[6].value is None and values[7].value is True


def test_an_aware_datetime_is_written_as_local_time():
    sheet = Workbook().active
    write_cell(sheet["A1"], datetime(2026, 3, 1, 1, tzinfo=UTC))
    assert sheet["A1"].value == datetime(2026, 3, 1, 9) and sheet["A1"].is_date  # Asia/Shanghai


def test_overlong_text_is_cut_to_what_excel_opens():
    sheet = Workbook().active
    write_cell(sheet["A1"], "长" * (CELL_MAX_CHARS + 10))
    assert len(sheet["A1"].value) == CELL_MAX_CHARS


def test_append_row_continues_after_the_last_row():
    sheet = Workbook().active
    append_row(sheet, ["=1+1", 3])
    append_row(sheet, [dirty("@x")])
    buffer = BytesIO()
    sheet.parent.save(buffer)
    assert_neutralised_xlsx(buffer.getvalue(), ["@x"])
    sheet = load_workbook(buffer).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["=1+1", 3],
        [cleaned("@x"), None],
    ]


def test_docx_with_stored_control_characters_opens():
    document = new_official_document(title=dirty("标题"), author=dirty("单位"))
    add_paragraph(document, dirty("答复正文"))
    content = save_document(document)
    opened = Document(BytesIO(content))
    assert cleaned("答复正文") in [p.text for p in opened.paragraphs]
    assert opened.core_properties.title == cleaned("标题")


# ---------------------------------------------------------------------------------------------
# One home: nobody writes a cell or a docx run around the helpers.

CELL_HELPER = RENDA / "core" / "exports.py"
RUN_HELPER = RENDA / "core" / "docx.py"


def _is_sheet(value: ast.expr) -> bool:
    """workbook.active, workbook.create_sheet(…), workbook.worksheets[…]."""
    if isinstance(value, ast.Call):
        value = value.func
    if isinstance(value, ast.Subscript):
        value = value.value
    return isinstance(value, ast.Attribute) and value.attr in {
        "active",
        "create_sheet",
        "worksheets",
    }


def _writes_around_the_helpers(path: Path) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sheets = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and _is_sheet(node.value)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        where = f"{path.relative_to(RENDA.parent)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Assign):
            for target in node.targets:
                # cell.value = …, or sheet["A1"] = …
                if isinstance(target, ast.Attribute) and target.attr == "value":
                    found.append(f"{where} assigns .value")
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and isinstance(target.slice.value, str)
                    and target.slice.value[:1].isupper()
                    and target.slice.value[-1:].isdigit()
                ):
                    found.append(f"{where} assigns a cell by its address")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name == "cell" and any(k.arg == "value" for k in node.keywords):
                found.append(f"{where} writes a cell's value")
            receiver = node.func.value
            if name == "append" and isinstance(receiver, ast.Name) and receiver.id in sheets:
                found.append(f"{where} appends a sheet row")
            if name == "add_run" and path != RUN_HELPER:
                found.append(f"{where} adds docx text")
    return found


def test_cells_and_docx_text_are_written_only_by_the_helpers():
    modules = [p for p in RENDA.rglob("*.py") if "migrations" not in p.parts and p != CELL_HELPER]
    offenders = [line for path in modules for line in _writes_around_the_helpers(path)]
    assert offenders == []
