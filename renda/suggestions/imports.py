"""The Excel import of a session's suggestions, for offices that kept their register in a
spreadsheet (编号, 标题, 内容, 类别, 领衔代表, 联名代表, 提出时间, 主办单位, 协办单位, 交办日期).

All or nothing: the file is checked first and every problem is reported as (row, column,
problem) in Chinese; only a file without problems is imported, in one transaction, each row
through the real actions (save_draft → submit → accept → assign), the assignment "as of" its
交办日期. Nothing writes a status directly.

Numbers: `accept` gives the session's next number, so rows are imported in the order of their
编号 and the sheet's numbers must continue the session's register without a gap (1, 2, 3… in a
session with no numbered suggestion yet); otherwise the file is refused before anything is done."""

from __future__ import annotations

import re
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from renda.core.errors import DomainError, NotAllowed
from renda.core.models import Unit, User
from renda.deputies.models import Deputy, Mandate
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Category, Suggestion
from renda.suggestions.permissions import handles_suggestions

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in offices' sheets

# Column heading -> what it holds, in the template's order.
COLUMNS = {
    "编号": "number",
    "标题": "title",
    "内容": "content",
    "类别": "category",
    "领衔代表": "deputy",
    "联名代表": "cosigners",
    "提出时间": "timing",
    "主办单位": "lead_units",
    "协办单位": "co_units",
    "交办日期": "assigned_on",
}
REQUIRED = ("编号", "标题", "内容", "类别", "领衔代表", "提出时间")
TIMINGS = {label: value for value, label in Suggestion.Timing.choices}
# Lists in one cell: 、 as offices write them, commas, semicolons or one name per line.
LIST_SEPARATORS = re.compile(r"[、，,；;\r\n]+")
DATE_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ImportProblem:
    """One problem of the file: its Excel row (None for the whole file), column and what is
    wrong, in words the office can act on."""

    row: int | None
    column: str
    problem: str


@dataclass(frozen=True)
class ImportRow:
    row: int  # as Excel numbers it
    number: int
    title: str
    content: str
    category: Category
    deputy: Deputy
    timing: str
    cosigners: tuple[Deputy, ...] = ()
    lead_units: tuple[Unit, ...] = ()
    co_units: tuple[Unit, ...] = ()
    assigned_on: date | None = None

    @property
    def plan(self) -> AssignmentPlan | None:
        # Several 主办单位 are separate handling (分办): each answers its own part.
        if not self.lead_units:
            return None
        if len(self.lead_units) > 1:
            return AssignmentPlan(mode=Suggestion.Mode.SEPARATE, separate_units=self.lead_units)
        return AssignmentPlan(
            mode=Suggestion.Mode.LEAD, lead_unit=self.lead_units[0], co_units=self.co_units
        )


@dataclass
class ParsedImport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    created: list[Suggestion] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def assigned(self) -> int:
        return sum(1 for s in self.created if s.assigned_on)


# ---------------------------------------------------------------------------------------------
# Reading the workbook


class _FileRefused(Exception):
    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def _read_records(data: bytes) -> list[tuple]:
    """The first sheet's rows as tuples of cell values."""
    if len(data) > MAX_BYTES:
        raise _FileRefused(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入。")
    if data.startswith(XLS_SIGNATURE):
        raise _FileRefused("这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 格式后上传。")
    if not zipfile.is_zipfile(BytesIO(data)):
        raise _FileRefused("文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。")
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged package: openpyxl raises many kinds
        raise _FileRefused("文件已损坏或不是 Excel 工作簿（.xlsx），无法读取。") from exc
    try:
        if not workbook.worksheets:
            raise _FileRefused("工作簿中没有工作表。")
        records = []
        for cells in workbook.worksheets[0].iter_rows(values_only=True):
            if len(records) >= MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _FileRefused(f"一次最多导入 {MAX_ROWS} 行，请拆分后分批导入。")
            records.append(cells)
        return records
    finally:
        workbook.close()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and heading -> column index: the first row naming 标题."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        names = [_text(c).replace(" ", "") for c in cells]
        if "标题" in names:
            return index, {name: i for i, name in enumerate(names) if name in COLUMNS}
    return None


# ---------------------------------------------------------------------------------------------
# Looking names up: a few queries for the whole file


@dataclass
class _Lookups:
    categories: dict[str, Category]
    units: dict[str, list[Unit]]
    deputies: dict[str, list[Deputy]]  # name -> deputies of that name, `.has_mandate` annotated

    @classmethod
    def load(cls, deputy_names: Iterable[str], unit_names: Iterable[str]) -> _Lookups:
        units: dict[str, list[Unit]] = defaultdict(list)
        unit_names = set(unit_names)
        for unit in Unit.objects.active().filter(
            Q(name__in=unit_names) | Q(short_name__in=unit_names)
        ):
            units[unit.name].append(unit)
            if unit.short_name and unit.short_name != unit.name:
                units[unit.short_name].append(unit)
        deputies: dict[str, list[Deputy]] = defaultdict(list)
        active = Mandate.objects.filter(deputy=OuterRef("pk"), ended_on=None)
        for deputy in Deputy.objects.filter(full_name__in=set(deputy_names)).annotate(
            has_mandate=Exists(active)
        ):
            deputies[deputy.full_name].append(deputy)
        return cls(
            categories={c.name: c for c in Category.objects.filter(is_active=True)},
            units=units,
            deputies=deputies,
        )


def _names(value) -> list[str]:
    return [part.strip() for part in LIST_SEPARATORS.split(_text(value)) if part.strip()]


class _RowReader:
    """Turns one sheet row into an ImportRow, collecting every problem it has."""

    def __init__(self, row: int, cells: dict[str, object], lookups: _Lookups):
        self.row = row
        self.cells = cells
        self.lookups = lookups
        self.errors: list[ImportProblem] = []

    def problem(self, column: str, text: str) -> None:
        self.errors.append(ImportProblem(self.row, column, text))

    def required(self, column: str) -> str:
        value = _text(self.cells.get(column))
        if not value:
            self.problem(column, f"{column}不能为空")
        return value

    def number(self) -> int | None:
        value = self.required("编号")
        if not value:
            return None
        digits = re.sub(r"^第|号$", "", value)
        if not digits.isdigit() or int(digits) < 1:
            self.problem("编号", f"“{value}”不是有效的编号（应为正整数，如 12）")
            return None
        return int(digits)

    def title(self) -> str:
        value = self.required("标题")
        if len(value) > 200:
            self.problem("标题", f"标题有 {len(value)} 字，不能超过 200 字")
        return value

    def category(self) -> Category | None:
        value = self.required("类别")
        if value and value not in self.lookups.categories:
            known = "、".join(self.lookups.categories)
            self.problem("类别", f"没有“{value}”这一类别（可选：{known}）")
        return self.lookups.categories.get(value)

    def timing(self) -> str:
        value = self.required("提出时间")
        if value and value not in TIMINGS:
            self.problem("提出时间", f"“{value}”应为“大会期间”或“闭会期间”")
        return TIMINGS.get(value, "")

    def deputy(self, column: str, name: str) -> Deputy | None:
        found = self.lookups.deputies.get(name, [])
        if not found:
            self.problem(column, f"代表名册中没有“{name}”")
            return None
        if len(found) > 1:
            self.problem(
                column,
                f"代表名册中有 {len(found)} 位“{name}”，无法确定是哪一位，请在名册中区分后再导入",
            )
            return None
        if not found[0].has_mandate:
            self.problem(column, f"“{name}”没有有效的代表资格")
            return None
        return found[0]

    def lead_deputy(self) -> Deputy | None:
        name = self.required("领衔代表")
        return self.deputy("领衔代表", name) if name else None

    def cosigners(self, lead: Deputy | None) -> tuple[Deputy, ...]:
        names = _names(self.cells.get("联名代表"))
        if len(names) != len(set(names)):
            self.problem("联名代表", "联名代表有重复")
        if lead is not None and lead.full_name in names:
            self.problem("联名代表", "领衔代表不必再列为联名代表")
            names = [name for name in names if name != lead.full_name]
        found = [self.deputy("联名代表", name) for name in dict.fromkeys(names)]
        return tuple(d for d in found if d is not None)

    def units(self, column: str) -> tuple[Unit, ...]:
        units = []
        names = _names(self.cells.get(column))
        for name in names:
            found = {u.pk: u for u in self.lookups.units.get(name, [])}
            if not found:
                self.problem(column, f"没有名为“{name}”的在用承办单位")
            elif len(found) > 1:
                self.problem(column, f"简称“{name}”对应多个承办单位，请填写全称")
            else:
                units.extend(found.values())
        if len({u.pk for u in units}) != len(units):
            self.problem(column, "承办单位有重复")
        return tuple(units)

    def assigned_on(self, has_lead: bool) -> date | None:
        value = self.cells.get("交办日期")
        if value is None or _text(value) == "":
            return None
        day = _date(value)
        if day is None:
            self.problem("交办日期", f"“{_text(value)}”不是有效的日期（如 2026-03-02）")
            return None
        if day > timezone.localdate():
            self.problem("交办日期", "交办日期不能晚于今天")
        if not has_lead:
            self.problem("交办日期", "填写了交办日期，但没有填写主办单位")
        return day

    def read(self) -> ImportRow | None:
        number = self.number()
        title = self.title()
        content = self.required("内容")
        category = self.category()
        timing = self.timing()
        lead = self.lead_deputy()
        cosigners = self.cosigners(lead)
        lead_units = self.units("主办单位")
        co_units = self.units("协办单位")
        if len(lead_units) > 1 and co_units:
            self.problem("协办单位", "多个主办单位为分办，各单位分别答复，不再设协办单位")
        if set(lead_units) & set(co_units):
            self.problem("协办单位", "同一单位不能既主办又协办")
        if _names(self.cells.get("协办单位")) and not _names(self.cells.get("主办单位")):
            self.problem("主办单位", "填写了协办单位，但没有填写主办单位")
        assigned_on = self.assigned_on(bool(_names(self.cells.get("主办单位"))))
        if self.errors:
            return None
        return ImportRow(
            row=self.row,
            number=number,
            title=title,
            content=content,
            category=category,
            deputy=lead,
            timing=timing,
            cosigners=cosigners,
            lead_units=lead_units,
            co_units=co_units,
            assigned_on=assigned_on,
        )


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_PATTERN.match(_text(value))
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _duplicate_numbers(rows: list[ImportRow]) -> list[ImportProblem]:
    first: dict[int, int] = {}
    problems = []
    for row in rows:
        if row.number in first:
            problems.append(
                ImportProblem(row.row, "编号", f"第{row.number}号与第 {first[row.number]} 行重复")
            )
        else:
            first[row.number] = row.row
    return problems


def parse_suggestion_workbook(data: bytes) -> ParsedImport:
    """Read and check a workbook: the rows ready to import, or every problem found."""
    parsed = ParsedImport()
    try:
        records = _read_records(data)
    except _FileRefused as refused:
        parsed.errors.append(ImportProblem(None, "", refused.problem))
        return parsed
    header = _find_header(records)
    if header is None:
        parsed.errors.append(
            ImportProblem(None, "", "没有找到表头：第一行应为“编号、标题、内容……”，请使用导入模板")
        )
        return parsed
    header_index, positions = header
    missing = [name for name in REQUIRED if name not in positions]
    for name in missing:
        parsed.errors.append(ImportProblem(header_index + 1, name, "表头缺少该列"))
    if missing:
        return parsed
    body = [
        (header_index + 2 + offset, {name: _cell(cells, i) for name, i in positions.items()})
        for offset, cells in enumerate(records[header_index + 1 :])
    ]
    body = [(row, cells) for row, cells in body if any(_text(v) for v in cells.values())]
    if not body:
        parsed.errors.append(ImportProblem(None, "", "表中没有要导入的建议"))
        return parsed
    lookups = _Lookups.load(
        deputy_names=[
            name
            for _, cells in body
            for name in [_text(cells.get("领衔代表")), *_names(cells.get("联名代表"))]
        ],
        unit_names=[
            name
            for _, cells in body
            for name in [*_names(cells.get("主办单位")), *_names(cells.get("协办单位"))]
        ],
    )
    for row, cells in body:
        reader = _RowReader(row, cells, lookups)
        result = reader.read()
        parsed.errors.extend(reader.errors)
        if result is not None:
            parsed.rows.append(result)
    parsed.errors.extend(_duplicate_numbers(parsed.rows))
    return parsed


def _cell(cells: tuple, index: int):
    return cells[index] if index < len(cells) else None


# ---------------------------------------------------------------------------------------------
# The session's register: numbers must continue it


def session_problems(
    rows: list[ImportRow], *, term_number: int, session_number: int
) -> list[ImportProblem]:
    """Numbers taken in the session already, and numbers that would not match what `accept`
    gives (the session's next number, in order)."""
    session = Suggestion.objects.for_session(term_number, session_number)
    wanted = {row.number: row for row in rows}
    problems = [
        ImportProblem(
            wanted[n].row, "编号", f"第{term_number}届{session_number}次会议已有第{n}号建议"
        )
        for n in session.filter(number__in=list(wanted)).values_list("number", flat=True)
    ]
    last = session.aggregate(n=Max("number"))["n"] or 0
    expected = list(range(last + 1, last + 1 + len(rows)))
    if not problems and sorted(wanted) != expected:
        gaps = sorted(set(expected) - set(wanted))
        start = f"该次会议已编至第{last}号，" if last else ""
        problems.append(
            ImportProblem(
                None,
                "编号",
                f"{start}导入的编号须从第{last + 1}号起连续编排（缺少第"
                + "、".join(str(n) for n in gaps[:10])
                + ("等" if len(gaps) > 10 else "")
                + "号），以保证立案编号与表格一致",
            )
        )
    return problems


# ---------------------------------------------------------------------------------------------
# Importing


class _Rollback(Exception):
    def __init__(self, problem: ImportProblem):
        super().__init__(problem.problem)
        self.problem = problem


def _import_row(row: ImportRow, *, acting_user: User, term_number: int, session_number: int):
    # Past work is entered "as of" the day it was assigned: dates and the timeline say so.
    with actions.as_of(row.assigned_on) if row.assigned_on else nullcontext():
        suggestion = actions.save_draft(
            acting_user=acting_user,
            deputy=row.deputy,
            title=row.title,
            content=row.content,
            category=row.category,
            timing=row.timing,
            cosigners=row.cosigners,
            term_number=term_number,
            session_number=session_number,
        )
        suggestion = actions.submit(acting_user=acting_user, suggestion=suggestion)
        for deputy in row.cosigners:
            # The register's co-signers signed on paper; the office records it.
            actions.record_cosign(
                acting_user=acting_user,
                suggestion=suggestion,
                deputy=deputy,
                note="按导入的建议登记表",
            )
        suggestion = actions.accept(acting_user=acting_user, suggestion=suggestion)
        if suggestion.number != row.number:
            # Someone accepted a suggestion of the session meanwhile: numbers would not match.
            raise _Rollback(
                ImportProblem(
                    row.row, "编号", "立案编号与表格不一致（可能有人同时立案），请重新导入"
                )
            )
        if row.plan is not None:
            suggestion = actions.assign(
                acting_user=acting_user,
                suggestion=suggestion,
                plan=row.plan,
                assigned_on=row.assigned_on,
            )
    return suggestion


def import_suggestions(
    *, acting_user: User, data: bytes, term_number: int, session_number: int
) -> ImportResult:
    """Import the workbook into the session: every row, or — on any problem — none."""
    if not handles_suggestions(acting_user):
        raise NotAllowed("只有代表工作机构可以导入建议。")
    parsed = parse_suggestion_workbook(data)
    if not parsed.ok:
        return ImportResult(errors=parsed.errors)
    problems = session_problems(parsed.rows, term_number=term_number, session_number=session_number)
    if problems:
        return ImportResult(errors=problems)
    created = []
    try:
        with transaction.atomic():
            for row in sorted(parsed.rows, key=lambda r: r.number):
                try:
                    created.append(
                        _import_row(
                            row,
                            acting_user=acting_user,
                            term_number=term_number,
                            session_number=session_number,
                        )
                    )
                except DomainError as error:
                    raise _Rollback(ImportProblem(row.row, "", error.message)) from error
    except _Rollback as rollback:
        return ImportResult(errors=[rollback.problem])
    return ImportResult(created=created)


# ---------------------------------------------------------------------------------------------
# The template


TEMPLATE_WIDTHS = (8, 36, 60, 12, 12, 24, 12, 24, 30, 14)
TEMPLATE_NOTES = (
    (
        "编号",
        "必填。本次会议的建议编号（正整数），须从 1 号（或该次会议已有的最大编号 + 1）起连续。",
    ),
    ("标题", "必填，不超过 200 字。"),
    ("内容", "必填。"),
    ("类别", "必填，须为系统中的建议类别之一（可从下拉列表选择）。"),
    ("领衔代表", "必填，代表姓名，须与代表名册一致且有有效的代表资格。"),
    (
        "联名代表",
        "多人用“、”分隔。暂不能导入：联名须由代表本人在平台确认，含联名代表的行会被指出。",
    ),
    ("提出时间", "必填：大会期间 或 闭会期间。"),
    (
        "主办单位",
        "选填，填写承办单位全称或简称；填写多个（用“、”分隔）即为分办。不填则只立案、不交办。",
    ),
    ("协办单位", "选填，多个用“、”分隔；分办时不填。"),
    ("交办日期", "选填，如 2026-03-02；不填则以导入当天为交办日。答复期限自交办日起计算。"),
)


def build_import_template() -> bytes:
    """The workbook offices fill in: the header row, drop-down lists, and a sheet of notes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "建议"
    sheet.append(list(COLUMNS))
    for index, width in enumerate(TEMPLATE_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF" if cell.value in REQUIRED else "000000")
        cell.fill = PatternFill("solid", fgColor="9B1C1C" if cell.value in REQUIRED else "E9ECEF")
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    columns = list(COLUMNS)
    for heading, options in (
        ("类别", [c.name for c in Category.objects.filter(is_active=True)]),
        ("提出时间", list(TIMINGS)),
    ):
        letter = get_column_letter(columns.index(heading) + 1)
        validation = DataValidation(
            type="list", formula1='"' + ",".join(options) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列", "说明"])
    for row in TEMPLATE_NOTES:
        notes.append(list(row))
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 100
    for cell in notes[1]:
        cell.font = Font(bold=True)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
