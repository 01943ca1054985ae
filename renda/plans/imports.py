"""The Excel round-trip of a plan: the workbook exports.build_plan_xlsx writes, filled in and
uploaded back.

- A row whose 序号 is not in the plan is a new item: only while the plan is a draft (an approved
  plan changes through change requests), its parent must exist and its number must continue its
  siblings' (add_item gives the next position).
- A row whose 序号 is in the plan: its item's columns must equal the plan's; in a draft plan a
  difference updates the item (update_item), in a binding plan it is refused. With 本次进展 and
  本次进度 filled, a binding plan's item gets a progress report (report_progress) from its owner
  office.
- Items the file does not list are left as they are; 进度, 状态 and 最近进展 are not read.

All or nothing: the plan is locked, every row is checked and every problem is reported as (row,
column, problem) in Chinese; only a file without problems is applied, in the same transaction,
each change through actions.py."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date

from django.db import transaction

from renda.core import imports as sheets
from renda.core.errors import NotAllowed
from renda.core.imports import ImportProblem, Rollback, as_row, whole_number
from renda.core.models import Office, Role, User
from renda.plans import actions
from renda.plans import permissions as perms
from renda.plans.actions import ItemFields
from renda.plans.exports import PLAN_COLUMNS
from renda.plans.models import Plan, PlanItem, PlanStatus
from renda.plans.reports import item_numbers

MAX_ROWS = 1000
NOT_READ = ("进度", "状态", "最近进展")
REQUIRED = tuple(name for name in PLAN_COLUMNS if name not in NOT_READ)
NUMBER_PATTERN = re.compile(r"^[1-9]\d{0,2}(\.[1-9]\d{0,2}){0,2}$")
BINDING_EDIT = "审定后的计划内容不能通过导入修改"

# Item field -> column, for the comparison with the plan.
FIELD_COLUMNS = {
    "title": "事项",
    "owner_office": "责任机构",
    "leader": "分管领导",
    "objective": "工作目标",
    "expected_result": "预期成果",
    "measure": "衡量方式",
    "starts_on": "开始日期",
    "ends_on": "完成期限",
    "invited_deputies": "拟邀请代表人数",
    "weight": "权重",
}


# The export (exports.build_plan_xlsx) puts the plan's title above the header.
SHEET = sheets.SheetFormat(
    columns=PLAN_COLUMNS,
    required=REQUIRED,
    recognise=lambda names: "序号" in names and "事项" in names,
    max_rows=MAX_ROWS,
    not_xlsx="文件不是 Excel 工作簿（.xlsx），请上传从本系统导出的计划表。",
    no_header="没有找到表头（应有“序号、事项、责任机构……”一行）",
    no_rows="表中没有事项",
)


@dataclass
class ImportResult(sheets.ImportResult):
    added: int = 0
    updated: int = 0
    reported: int = 0


# ---------------------------------------------------------------------------------------------
# Who may import


def can_import(user, plan: Plan) -> bool:
    """The drafting office while the plan is a draft; once binding, the drafting office and
    every owner office (each row is then checked against its own item)."""
    if plan.status == PlanStatus.DRAFT:
        return perms.drafts(user, plan)
    if not plan.is_binding:
        return False
    if perms.drafts(user, plan):
        return True
    offices = list(user.roles.office_ids)
    return plan.items.filter(owner_office_id__in=offices).exists()


# ---------------------------------------------------------------------------------------------
# Reading the workbook


@dataclass
class _Lookups:
    offices: dict[str, list[Office]]
    leaders: dict[str, list[User]]

    @classmethod
    def load(cls) -> _Lookups:
        offices: dict[str, list[Office]] = defaultdict(list)
        for office in Office.objects.filter(is_active=True):
            offices[office.name].append(office)
            if office.short_name and office.short_name != office.name:
                offices[office.short_name].append(office)
        leaders: dict[str, list[User]] = defaultdict(list)
        rows = User.objects.filter(is_active=True, memberships__role=Role.LEADER).distinct()
        for user in rows:
            leaders[user.full_name].append(user)
        return cls(offices=offices, leaders=leaders)


@dataclass
class _Row:
    row: int
    number: str
    values: ItemFields | None
    report_text: str
    report_percent: int | None

    @property
    def parts(self) -> tuple[int, ...]:
        return tuple(int(p) for p in self.number.split("."))

    @property
    def parent_number(self) -> str:
        return ".".join(self.number.split(".")[:-1])

    @property
    def reports(self) -> bool:
        return bool(self.report_text) or self.report_percent is not None


class _RowReader(sheets.RowReader):
    """One sheet row: its values as ItemFields and its progress report, every problem noted."""

    def __init__(self, row: int, cells: dict[str, object], lookups: _Lookups, plan: Plan):
        super().__init__(row, cells)
        self.lookups = lookups
        self.plan = plan

    def number(self) -> str:
        value = self.cells.get("序号")
        # A number typed into a cell Excel keeps as a number: 1.2 → "1.2".
        text = (
            repr(value)
            if isinstance(value, float) and not value.is_integer()
            else sheets.text(value)
        )
        if not text:
            self.problem("序号", "序号不能为空")
        elif not NUMBER_PATTERN.match(text):
            self.problem("序号", f"“{text}”不是有效的序号（如 1、1.2、1.2.3，最多三级）")
        return text

    def title(self) -> str:
        value = self.text("事项")
        if not value:
            self.problem("事项", "事项不能为空")
        elif len(value) > 200:
            self.problem("事项", f"事项有 {len(value)} 字，不能超过 200 字")
        return value

    def office(self) -> Office | None:
        name = self.text("责任机构")
        found = self.lookups.offices.get(name, [])
        if not name:
            self.problem("责任机构", "责任机构不能为空")
        elif not found:
            self.problem("责任机构", f"没有名为“{name}”的工作机构")
        elif len(found) > 1:
            self.problem("责任机构", f"“{name}”对应多个工作机构，请填写全称")
        return found[0] if len(found) == 1 else None

    def leader(self) -> User | None:
        name = self.text("分管领导")
        if not name:
            return None
        found = self.lookups.leaders.get(name, [])
        if not found:
            self.problem("分管领导", f"“{name}”不是系统中的常委会领导")
        elif len(found) > 1:
            self.problem("分管领导", f"有 {len(found)} 位领导名为“{name}”，无法确定是哪一位")
        return found[0] if len(found) == 1 else None

    def day(self, column: str) -> date | None:
        day = self.date(column, example=f"{self.plan.year}-03-01")
        if day is not None and not self.plan.year - 1 <= day.year <= self.plan.year + 1:
            self.problem(column, f"日期应在{self.plan.year}年度前后")
        return day

    def whole(self, column: str, low: int, high: int, default: int) -> int:
        value = self.cells.get(column)
        if sheets.text(value) == "":
            return default
        number = whole_number(value)
        if number is None or not low <= number <= high:
            self.problem(column, f"“{sheets.text(value)}”应为 {low} 到 {high} 的整数")
            return default
        return number

    def report(self) -> tuple[str, int | None]:
        text = self.text("本次进展")
        raw = self.cells.get("本次进度")
        percent = None
        if sheets.text(raw) != "":
            percent = whole_number(raw)
            if percent is None or not 0 <= percent <= 99:
                self.problem(
                    "本次进度",
                    f"“{sheets.text(raw)}”应为 0 到 99 的整数；完成事项请在系统中提交成果和佐证",
                )
                percent = -1  # filled, but wrong: no second complaint below
        if text and percent is None:
            self.problem("本次进度", "填写了本次进展，请同时填写本次进度")
        if percent is not None and not text:
            self.problem("本次进展", "填写了本次进度，请同时填写本次进展")
        return text, percent

    def read(self) -> _Row:
        number = self.number()
        values = dict(
            title=self.title(),
            owner_office=self.office(),
            leader=self.leader(),
            objective=self.text("工作目标"),
            expected_result=self.text("预期成果"),
            measure=self.text("衡量方式"),
            starts_on=self.day("开始日期"),
            ends_on=self.day("完成期限"),
            invited_deputies=self.whole("拟邀请代表人数", 0, 1000, 0),
            weight=self.whole("权重", 1, 100, 1),
        )
        if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
            self.problem("完成期限", "完成期限不能早于开始日期")
        text, percent = self.report()
        complete = not self.errors
        return _Row(
            row=self.row,
            number=number,
            values=ItemFields(**values) if complete else None,
            report_text=text,
            report_percent=percent if complete else None,
        )


def _read_sheet(data: bytes, plan: Plan) -> tuple[list[_Row], list[ImportProblem]]:
    body, refusal = sheets.read_sheet(data, SHEET)
    if refusal:
        return [], refusal
    lookups = _Lookups.load()
    rows, errors = [], []
    for row, cells in body:
        reader = _RowReader(row, cells, lookups, plan)
        rows.append(reader.read())
        errors.extend(reader.errors)
    return rows, errors


# ---------------------------------------------------------------------------------------------
# Checking the rows against the plan


def _item_values(item: PlanItem) -> dict:
    return {
        "title": item.title,
        "owner_office": item.owner_office_id,
        "leader": item.leader_id,
        "objective": item.objective.replace("\r\n", "\n").strip(),
        "expected_result": item.expected_result.replace("\r\n", "\n").strip(),
        "measure": item.measure.replace("\r\n", "\n").strip(),
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "invited_deputies": item.invited_deputies,
        "weight": item.weight,
    }


def _changed_columns(row: _Row, item: PlanItem) -> list[str]:
    current = _item_values(item)
    changed = []
    for f in fields(row.values):
        value = getattr(row.values, f.name)
        if f.name in ("owner_office", "leader"):
            value = value.pk if value is not None else None
        if value != current[f.name]:
            changed.append(FIELD_COLUMNS[f.name])
    return changed


@dataclass
class _Plan:
    """What the checked file will do, in order."""

    adds: list[_Row] = field(default_factory=list)
    updates: list[tuple[_Row, PlanItem]] = field(default_factory=list)
    reports: list[tuple[_Row, PlanItem]] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    def problem(self, row: _Row, column: str, text: str) -> None:
        self.errors.append(ImportProblem(row.row, column, text))


def _check_existing(row: _Row, item: PlanItem, plan: Plan, user, todo: _Plan, leaf: bool) -> None:
    changed = _changed_columns(row, item)
    if changed and plan.is_binding:
        for column in changed:
            todo.problem(row, column, f"{BINDING_EDIT}（如需调整请提出变更申请）")
    elif changed:
        todo.updates.append((row, item))
    if not row.reports:
        return
    if not plan.is_binding:
        todo.problem(row, "本次进展", "计划尚未审定，不能报告进展")
    elif not perms.owns(user, item):
        todo.problem(
            row, "本次进展", f"只有责任机构（{item.owner_office.name}）可以报告该事项的进展"
        )
    elif not item.is_open:
        todo.problem(row, "本次进展", f"事项当前为“{item.get_status_display()}”，不能报告进展")
    elif not leaf:
        todo.problem(row, "本次进展", "该事项有下级事项，进度由下级事项按权重汇总")
    else:
        todo.reports.append((row, item))


def _check_new(row: _Row, plan: Plan, known: set[str], next_position: dict[str, int], todo) -> None:
    if plan.is_binding:
        todo.problem(
            row,
            "序号",
            f"计划中没有序号为“{row.number}”的事项：计划已审定，不能通过导入新增事项，"
            "增加事项须提出变更申请",
        )
        return
    parent = row.parent_number
    if parent and parent not in known:
        todo.problem(row, "序号", f"上级事项“{parent}”不存在（须在计划中或在本行之前新增）")
        return
    expected = next_position[parent]
    if row.parts[-1] != expected:
        wanted = f"{parent}.{expected}" if parent else str(expected)
        todo.problem(row, "序号", f"新增事项的序号应为“{wanted}”（接续同级事项的编号）")
        return
    if row.reports:
        todo.problem(row, "本次进展", "新增事项尚未审定，不能报告进展")
        return
    next_position[parent] += 1
    known.add(row.number)
    todo.adds.append(row)


def _check_rows(rows: list[_Row], plan: Plan, items: list[PlanItem], user) -> _Plan:
    numbers = item_numbers(items)
    by_number = {numbers[item.pk]: item for item in items}
    parents = {item.parent_id for item in items}
    next_position: dict[str, int] = defaultdict(lambda: 1)
    for item in items:
        parent = numbers[item.parent_id] if item.parent_id else ""
        next_position[parent] = max(next_position[parent], item.position + 1)
    known = set(by_number)
    first_row: dict[str, int] = {}
    todo = _Plan()
    for row in rows:
        if row.number in first_row:
            todo.problem(row, "序号", f"序号“{row.number}”与第 {first_row[row.number]} 行重复")
            continue
        first_row[row.number] = row.row
        if row.values is None:
            known.add(row.number)  # its problems are reported; its children need no more
            continue
        item = by_number.get(row.number)
        if item is not None:
            _check_existing(row, item, plan, user, todo, leaf=item.pk not in parents)
        else:
            _check_new(row, plan, known, next_position, todo)
    return todo


# ---------------------------------------------------------------------------------------------
# Importing


def _apply(todo: _Plan, *, plan: Plan, user, by_number: dict[str, PlanItem]) -> ImportResult:
    for row in todo.adds:
        with as_row(row.row):
            _add(row, plan, user, by_number)
    for row, item in todo.updates:
        with as_row(row.row):
            actions.update_item(acting_user=user, item=item, values=row.values)
    for row, item in todo.reports:
        with as_row(row.row):
            actions.report_progress(
                acting_user=user, item=item, text=row.report_text, percent=row.report_percent
            )
    return ImportResult(added=len(todo.adds), updated=len(todo.updates), reported=len(todo.reports))


def _add(row: _Row, plan: Plan, user, by_number: dict[str, PlanItem]) -> None:
    parent = by_number.get(row.parent_number) if row.parent_number else None
    by_number[row.number] = actions.add_item(
        acting_user=user, plan=plan, values=row.values, parent=parent
    )


def import_plan(*, acting_user: User, plan: Plan, data: bytes) -> ImportResult:
    """Apply the workbook to the plan: every change, or — on any problem — none."""
    rows, errors = _read_sheet(data, plan)
    if not rows:
        return ImportResult(errors=errors)  # the file as a whole is refused
    try:
        with transaction.atomic():
            # Lock the plan: the rows are checked against the plan as it is when applied.
            plan = Plan.objects.select_for_update().select_related("office").get(pk=plan.pk)
            if plan.status == PlanStatus.SUBMITTED:
                return ImportResult(errors=[ImportProblem(None, "", "计划待审定，暂不能导入。")])
            if not can_import(acting_user, plan):
                raise NotAllowed("无权导入该计划。")
            items = list(PlanItem.objects.filter(plan=plan).select_related("owner_office"))
            todo = _check_rows(rows, plan, items, acting_user)
            if errors or todo.errors:
                # Every problem at once, in the order of the sheet.
                found = sorted([*errors, *todo.errors], key=lambda p: p.row or 0)
                return ImportResult(errors=found)
            if not (todo.adds or todo.updates or todo.reports):
                problem = "表中没有新增或修改的事项，也没有填写本次进展，未导入任何内容"
                return ImportResult(errors=[ImportProblem(None, "", problem)])
            numbers = item_numbers(items)
            by_number = {numbers[item.pk]: item for item in items}
            return _apply(todo, plan=plan, user=acting_user, by_number=by_number)
    except Rollback as rollback:
        return ImportResult(errors=[rollback.problem])
