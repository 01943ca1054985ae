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
from collections import defaultdict
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from renda.core import imports as sheets
from renda.core.errors import NotAllowed
from renda.core.exports import append_row, xml_text
from renda.core.imports import ImportProblem, Rollback, as_row, choice_labels
from renda.core.models import Unit, User
from renda.deputies.models import Deputy, Mandate
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Category, Suggestion
from renda.suggestions.permissions import handles_suggestions

MAX_ROWS = 2000

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
TIMINGS = choice_labels(Suggestion.Timing.choices)
# Lists in one cell: 、 as offices write them, commas, semicolons or one name per line.
LIST_SEPARATORS = re.compile(r"[、，,；;\r\n]+")
# The first row naming 标题 is the header: offices' sheets often have a title line above it.
SHEET = sheets.SheetFormat(
    columns=tuple(COLUMNS),
    required=REQUIRED,
    recognise=lambda names: "标题" in names,
    max_rows=MAX_ROWS,
    not_xlsx="文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。",
    no_header="没有找到表头：第一行应为“编号、标题、内容……”，请使用导入模板",
    no_rows="表中没有要导入的建议",
    size_advice=sheets.SPLIT_ADVICE,
    rows_advice=sheets.SPLIT_ADVICE,
)


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
class ParsedImport(sheets.ImportResult):
    rows: list[ImportRow] = field(default_factory=list)


@dataclass
class ImportResult(sheets.ImportResult):
    created: list[Suggestion] = field(default_factory=list)

    @property
    def assigned(self) -> int:
        return sum(1 for s in self.created if s.assigned_on)


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
    return [part.strip() for part in LIST_SEPARATORS.split(sheets.text(value)) if part.strip()]


class _RowReader(sheets.RowReader):
    """Turns one sheet row into an ImportRow, collecting every problem it has."""

    def __init__(self, row: int, cells: dict[str, object], lookups: _Lookups):
        super().__init__(row, cells)
        self.lookups = lookups

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
        day = self.date("交办日期", example="2026-03-02")
        if day is None:
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
    body, refusal = sheets.read_sheet(data, SHEET)
    parsed = ParsedImport(errors=refusal)
    if refusal:
        return parsed
    lookups = _Lookups.load(
        deputy_names=[
            name
            for _, cells in body
            for name in [sheets.text(cells.get("领衔代表")), *_names(cells.get("联名代表"))]
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
            raise Rollback(
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
                with as_row(row.row):
                    created.append(
                        _import_row(
                            row,
                            acting_user=acting_user,
                            term_number=term_number,
                            session_number=session_number,
                        )
                    )
    except Rollback as rollback:
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
    append_row(sheet, COLUMNS)
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
            type="list", formula1='"' + ",".join(map(xml_text, options)) + '"', allow_blank=True
        )
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)
    notes = workbook.create_sheet("填写说明")
    append_row(notes, ["列", "说明"])
    for row in TEMPLATE_NOTES:
        append_row(notes, row)
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 100
    for cell in notes[1]:
        cell.font = Font(bold=True)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
