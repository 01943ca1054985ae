"""What every Excel import shares: reading the workbook an office uploads, finding its header
row, reading cells, and reporting every problem as (row, column, problem) in Chinese.

The apps keep their own columns and rules (plans/imports.py, suggestions/imports.py,
deputies/imports.py); each describes its sheet with a SheetFormat and reads its rows with a
RowReader. All or nothing: a row whose action refuses rolls the whole file back (`as_row`)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from openpyxl import load_workbook

from renda.core.cleaning import clean_text
from renda.core.errors import DomainError
from renda.core.officefiles import OfficeFileRefused, check_package

MAX_BYTES = 5 * 1024 * 1024
# A bigger file is imported by the worker, the office following it on the job page: a large
# roster can take longer than a request may.
IN_REQUEST_BYTES = 512 * 1024
# Cells right of this are not read: no import has half as many columns, and a sheet can declare
# (or hold) 16,384 of them per row.
MAX_COLUMNS = 64
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common (exports put one)
SPLIT_ADVICE = "，请拆分后分批导入"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DAMAGED = "文件已损坏或不是 Excel 工作簿（.xlsx），无法读取。"
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass(frozen=True)
class ImportProblem:
    """One problem: the Excel row (None for the whole file), the column and what is wrong, in
    words the office can act on."""

    row: int | None
    column: str
    problem: str


@dataclass
class ImportResult:
    """An import's outcome: its problems, or (in the apps' subclasses) what it did."""

    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class SheetFormat:
    """One app's sheet: the headings it reads, how its header row is recognised, its limits,
    and the words of its refusals."""

    columns: tuple[str, ...]
    required: tuple[str, ...]
    recognise: Callable[[list[str]], bool]  # the row's headings -> is this the header row?
    max_rows: int
    not_xlsx: str  # the refusal of a file that is no workbook: says what to upload instead
    no_header: str
    no_rows: str
    size_advice: str = ""
    rows_advice: str = ""
    aliases: Mapping[str, str] = field(default_factory=dict)  # other rosters' headings
    ignored_in_headings: str = " "
    max_bytes: int = MAX_BYTES
    max_columns: int = MAX_COLUMNS
    header_search_rows: int = HEADER_SEARCH_ROWS

    @property
    def too_large(self) -> str:
        return f"文件超过 {self.max_bytes // 1024 // 1024} MB{self.size_advice}。"

    @property
    def too_many_rows(self) -> str:
        return f"一次最多导入 {self.max_rows} 行{self.rows_advice}。"

    def heading(self, value) -> str:
        name = text(value)
        for char in self.ignored_in_headings:
            name = name.replace(char, "")
        return self.aliases.get(name, name)


class FileRefused(Exception):
    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


class Rollback(Exception):
    """Raised inside the import's transaction: nothing is written, the problem is reported."""

    def __init__(self, problem: ImportProblem):
        super().__init__(problem.problem)
        self.problem = problem


@contextmanager
def as_row(row: int | None) -> Iterator[None]:
    """An action refusing a row rolls the whole file back, naming the row."""
    try:
        yield
    except DomainError as error:
        raise Rollback(ImportProblem(row, "", error.message)) from error


# ---------------------------------------------------------------------------------------------
# The workbook


def read_records(data: bytes, sheet: SheetFormat) -> list[tuple]:
    """The first worksheet's rows as tuples of cell values; FileRefused for what is not one."""
    if len(data) > sheet.max_bytes:
        raise FileRefused(sheet.too_large)
    if data.startswith(XLS_SIGNATURE):
        raise FileRefused("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 格式后上传。")
    if not zipfile.is_zipfile(BytesIO(data)):
        raise FileRefused(sheet.not_xlsx)
    try:
        check_package(data, damaged=DAMAGED)
    except OfficeFileRefused as refused:
        raise FileRefused(refused.message) from refused
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged package: openpyxl raises many kinds
        raise FileRefused(DAMAGED) from exc
    try:
        if not workbook.worksheets:
            raise FileRefused("工作簿中没有工作表。")
        return _bounded_rows(workbook.worksheets[0], sheet)
    finally:
        workbook.close()


def _bounded_rows(worksheet, sheet: SheetFormat) -> list[tuple]:
    """At most max_rows (+ the header search) rows of at most max_columns cells. The bounds are
    passed to openpyxl because the sheet's declared dimension (A1:XFD1048576, say) would
    otherwise pad every row and row gap to that size."""
    limit = sheet.max_rows + sheet.header_search_rows
    declared = worksheet.max_column
    width = min(declared, sheet.max_columns) if declared else sheet.max_columns
    records = []
    try:
        for cells in worksheet.iter_rows(max_row=limit + 1, max_col=width, values_only=True):
            if len(records) >= limit:
                raise FileRefused(sheet.too_many_rows)
            records.append(cells)
    except FileRefused:
        raise
    except Exception as exc:  # a malformed sheet, or lxml refusing a huge text node
        raise FileRefused(DAMAGED) from exc
    return records


def stash_upload(data: bytes) -> str:
    """Keep an uploaded sheet for the worker's import job; `take_stash` reads it back once."""
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    return default_storage.save(f"jobs/imports/{uuid.uuid4().hex}.xlsx", ContentFile(data))


def take_stash(path: str) -> bytes:
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(path, "rb") as stashed:
            return stashed.read()
    finally:
        default_storage.delete(path)


def job_outcome(result: ImportResult, done: str) -> tuple[bytes, str, str]:
    """An import job's outcome (renda/core/jobs.py): what it did, or the list of problems to
    download, as the import page would have shown them."""
    if result.ok:
        return b"", "", done
    from renda.core.exports import build_table_xlsx

    rows = [["" if e.row is None else e.row, e.column, e.problem] for e in result.errors]
    table = build_table_xlsx(
        title="导入问题清单", headers=["行", "列", "问题"], rows=rows, widths=[8, 16, 60]
    )
    said = f"未导入任何数据：发现 {len(result.errors)} 处问题，请下载问题清单，改正后重新导入。"
    return table, "导入问题清单.xlsx", said


def find_header(records: list[tuple], sheet: SheetFormat) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and heading -> column index; a heading twice: the first."""
    for index, cells in enumerate(records[: sheet.header_search_rows]):
        names = [sheet.heading(c) for c in cells]
        if sheet.recognise(names):
            positions: dict[str, int] = {}
            for i, name in enumerate(names):
                if name in sheet.columns:
                    positions.setdefault(name, i)
            return index, positions
    return None


def body_rows(records: list[tuple], header_index: int, positions: dict[str, int]) -> list:
    """The non-empty rows below the header: (Excel row number, heading -> cell value)."""
    body = []
    for offset, cells in enumerate(records[header_index + 1 :]):
        values = {name: cells[i] if i < len(cells) else None for name, i in positions.items()}
        if any(text(v) for v in values.values()):
            body.append((header_index + 2 + offset, values))
    return body


def read_sheet(data: bytes, sheet: SheetFormat) -> tuple[list, list[ImportProblem]]:
    """The sheet's rows (as body_rows), or the problems that refuse the file as a whole."""
    try:
        records = read_records(data, sheet)
    except FileRefused as refused:
        return [], [ImportProblem(None, "", refused.problem)]
    header = find_header(records, sheet)
    if header is None:
        return [], [ImportProblem(None, "", sheet.no_header)]
    header_index, positions = header
    missing = [name for name in sheet.required if name not in positions]
    if missing:
        return [], [ImportProblem(header_index + 1, name, "表头缺少该列") for name in missing]
    body = body_rows(records, header_index, positions)
    if not body:
        return [], [ImportProblem(None, "", sheet.no_rows)]
    return body, []


# ---------------------------------------------------------------------------------------------
# Cells


def text(value) -> str:
    """A cell as text: 3 typed as a number reads "3", full-width spaces and Windows line ends
    are evened out."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value).replace("\u3000", " ")).strip()


def read_date(value) -> date | None:
    """A date cell, or text such as 2026-03-02, 2026/3/2, 2026.3.2, 2026年3月2日."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(text(value))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def whole_number(value) -> int | None:
    """A whole number: typed as one, or as digits (a trailing % allowed: 权重, 进度)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    digits = text(value).rstrip("%％").strip()
    return int(digits) if digits.isdigit() else None


def choice_labels(choices) -> dict[str, str]:
    """A model's choices by their Chinese label, as the sheet names them: label -> value."""
    return {label: value for value, label in choices}


class RowReader:
    """Reads one sheet row cell by cell, noting every problem under its column; the apps'
    readers add their columns' rules."""

    def __init__(self, row: int, cells: Mapping[str, object]):
        self.row = row
        self.cells = cells
        self.errors: list[ImportProblem] = []

    def problem(self, column: str, problem: str) -> None:
        self.errors.append(ImportProblem(self.row, column, problem))

    def text(self, column: str) -> str:
        return text(self.cells.get(column))

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.problem(column, f"{column}不能为空")
        return value

    def date(self, column: str, *, example: str, required: bool = False) -> date | None:
        raw = self.cells.get(column)
        if text(raw) == "":
            if required:
                self.problem(column, f"{column}不能为空")
            return None
        day = read_date(raw)
        if day is None:
            self.problem(column, f"“{text(raw)}”不是有效的日期（如 {example}）")
        return day
