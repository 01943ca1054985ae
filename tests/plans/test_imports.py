"""The Excel round-trip of a plan: export, fill in, import back — progress reports on a binding
plan, new and edited items on a draft, all or nothing with a row-by-row report of problems."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest

from renda.core.errors import NotAllowed
from renda.core.models import TimelineEvent
from renda.plans import actions
from renda.plans.exports import PLAN_COLUMNS, build_plan_xlsx
from renda.plans.imports import BINDING_EDIT, ImportProblem, import_plan
from renda.plans.models import ItemStatus, Plan, PlanItem, ProgressReport
from renda.plans.reports import plan_sheet
from tests.plans.factories import item_fields, pdf

pytestmark = pytest.mark.django_db

COLUMN = {name: index + 1 for index, name in enumerate(PLAN_COLUMNS)}


class Sheet:
    """The exported workbook of a plan, as an office edits it in Excel."""

    def __init__(self, plan: Plan):
        self.workbook = openpyxl.load_workbook(BytesIO(build_plan_xlsx(plan_sheet(plan))))
        self.table = self.workbook.worksheets[0]

    @property
    def last_row(self) -> int:
        # Empty 序号 cells are formatted as text below the items, so max_row is further down.
        filled = [c.row for c in self.table["A"] if c.value not in (None, "")]
        return max(filled)

    def numbers(self) -> list[str]:
        return [self.table.cell(row=r, column=1).value for r in range(3, self.last_row + 1)]

    def row_of(self, number: str) -> int:
        for row in range(3, self.last_row + 1):
            if self.table.cell(row=row, column=1).value == number:
                return row
        raise KeyError(number)

    def set(self, number: str, **cells) -> int:
        row = self.row_of(number)
        for name, value in cells.items():
            self.table.cell(row=row, column=COLUMN[name], value=value)
        return row

    def append(self, **cells) -> int:
        row = self.last_row + 1
        for name, value in cells.items():
            self.table.cell(row=row, column=COLUMN[name], value=value)
        return row

    def data(self) -> bytes:
        buffer = BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def nested(planning, *, approve: bool = True) -> Plan:
    """1 执法检查 (parent) with 1.1 (weight 1) and 1.2 (weight 3); 2 代表培训."""
    staff = planning.p.social_staff
    plan = planning.draft(items=0)
    parent = actions.add_item(
        acting_user=staff, plan=plan, values=item_fields(planning.office, title="执法检查")
    )
    for title, weight in (("制定检查方案", 1), ("实地检查", 3)):
        actions.add_item(
            acting_user=staff,
            plan=plan,
            parent=parent,
            values=item_fields(planning.office, title=title, weight=weight),
        )
    actions.add_item(
        acting_user=staff, plan=plan, values=item_fields(planning.office, title="代表培训")
    )
    if approve:
        plan = actions.submit_plan(acting_user=staff, plan=plan)
        plan = actions.approve_plan(
            acting_user=planning.p.leader,
            plan=plan,
            meeting=planning.meeting,
            party_committee_date=date(2026, 2, 10),
        )
    return Plan.objects.get(pk=plan.pk)


def item(plan: Plan, title: str) -> PlanItem:
    return PlanItem.objects.get(plan=plan, title=title)


def snapshot(plan: Plan) -> dict:
    """Everything an import could change."""
    plan.refresh_from_db()
    return {
        "plan_version": plan.version,
        "items": list(
            PlanItem.objects.filter(plan=plan)
            .order_by("pk")
            .values_list("pk", "title", "version", "progress", "status", "report_count")
        ),
        "reports": ProgressReport.objects.count(),
        "events": TimelineEvent.objects.count(),
    }


def problems(result) -> set[tuple]:
    return {(p.row, p.column, p.problem) for p in result.errors}


# ---------------------------------------------------------------------------------------------
# Binding plan: progress


def test_round_trip_reports_progress_and_rolls_up(planning):
    plan = nested(planning)
    sheet = Sheet(plan)
    assert sheet.numbers() == ["1", "1.1", "1.2", "2"]
    sheet.set("1.1", 本次进展="检查方案已起草", 本次进度=40)
    sheet.set("1.2", 本次进展="已检查三家企业", 本次进度="80%")
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=sheet.data())
    assert result.ok, result.errors
    assert (result.added, result.updated, result.reported) == (0, 0, 2)
    first, second = item(plan, "制定检查方案"), item(plan, "实地检查")
    assert (first.progress, first.status, first.report_count) == (40, ItemStatus.IN_PROGRESS, 1)
    assert first.reports.get().text == "检查方案已起草"
    assert second.progress == 80
    assert item(plan, "执法检查").progress == round((40 * 1 + 80 * 3) / 4)  # rolled up by weight
    assert TimelineEvent.objects.filter(verb="report", object_id=first.pk).exists()
    # The next export shows the reports; re-importing it unchanged changes nothing.
    again = Sheet(plan)
    latest = again.table.cell(row=again.row_of("1.1"), column=COLUMN["最近进展"]).value
    assert latest.endswith("检查方案已起草")
    before = snapshot(plan)
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=again.data())
    assert not result.ok and "没有新增或修改的事项" in result.errors[0].problem
    assert snapshot(plan) == before


def test_binding_plan_refuses_new_rows_and_edits_per_row(planning):
    plan = nested(planning)
    sheet = Sheet(plan)
    edited = sheet.set("2", 事项="代表培训（扩大范围）", 完成期限="2026-12-31")
    added = sheet.append(序号="3", 事项="新增的调研", 责任机构="社会建设工作室")
    reported = sheet.set("1.1", 本次进展="起草中", 本次进度=20)
    before = snapshot(plan)
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=sheet.data())
    assert not result.ok
    found = problems(result)
    assert (edited, "事项", f"{BINDING_EDIT}（如需调整请提出变更申请）") in found
    assert (edited, "完成期限", f"{BINDING_EDIT}（如需调整请提出变更申请）") in found
    assert any(
        row == added and column == "序号" and "不能通过导入新增事项" in text and "变更申请" in text
        for row, column, text in found
    )
    assert not any(row == reported for row, _, _ in found)
    assert snapshot(plan) == before  # the good row was not applied either


def test_progress_only_by_the_owner_office_on_open_leaf_items(planning):
    plan = planning.draft(items=0)
    staff = planning.p.social_staff
    parent = actions.add_item(acting_user=staff, plan=plan, values=item_fields(planning.office))
    actions.add_item(
        acting_user=staff,
        plan=plan,
        parent=parent,
        values=item_fields(planning.office, title="子项"),
    )
    actions.add_item(
        acting_user=staff,
        plan=plan,
        values=item_fields(planning.org.deputy_office, title="代表室的事项"),
    )
    done = actions.add_item(
        acting_user=staff, plan=plan, values=item_fields(planning.office, title="已完成的事项")
    )
    plan = actions.submit_plan(acting_user=staff, plan=plan)
    plan = actions.approve_plan(
        acting_user=planning.p.leader,
        plan=plan,
        meeting=planning.meeting,
        party_committee_date=date(2026, 2, 10),
    )
    actions.complete_item(acting_user=staff, item=done, result_statement="完成", evidence=[pdf()])
    sheet = Sheet(plan)
    rows = {number: sheet.set(number, 本次进展="推进中", 本次进度=30) for number in ("1", "2", "3")}
    half = sheet.set("1.1", 本次进展="只写了进展")
    before = snapshot(plan)
    result = import_plan(acting_user=staff, plan=plan, data=sheet.data())
    assert problems(result) == {
        (rows["1"], "本次进展", "该事项有下级事项，进度由下级事项按权重汇总"),
        (rows["2"], "本次进展", "只有责任机构（人事代表工作室）可以报告该事项的进展"),
        (rows["3"], "本次进展", "事项当前为“已完成”，不能报告进展"),
        (half, "本次进度", "填写了本次进展，请同时填写本次进度"),
    }
    assert snapshot(plan) == before
    # The deputy-affairs office may report on its own item (and only that row).
    only = Sheet(plan)
    only.set("2", 本次进展="培训方案已定", 本次进度=30)
    result = import_plan(acting_user=planning.p.staff, plan=plan, data=only.data())
    assert result.ok and result.reported == 1
    assert item(plan, "代表室的事项").progress == 30


# ---------------------------------------------------------------------------------------------
# Draft plan: new and edited items


def test_draft_plan_new_rows_add_items_and_edits_update(planning):
    plan = nested(planning, approve=False)
    sheet = Sheet(plan)
    sheet.set("2", 事项="代表履职培训", 权重=2, 分管领导=planning.p.leader.full_name)
    sheet.append(序号="1.3", 事项="整改跟踪", 责任机构="社会建设工作室", 完成期限="2026-11-30")
    sheet.append(序号="3", 事项="街道调研", 责任机构="人事代表工作室", 拟邀请代表人数=8)
    sheet.append(序号="3.1", 事项="泉城路街道调研", 责任机构="人事代表工作室")
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=sheet.data())
    assert result.ok, result.errors
    assert (result.added, result.updated, result.reported) == (3, 1, 0)
    training = PlanItem.objects.get(plan=plan, position=2, parent=None)
    assert (training.title, training.weight, training.leader) == (
        "代表履职培训",
        2,
        planning.p.leader,
    )
    follow_up = item(plan, "整改跟踪")
    assert (follow_up.parent.title, follow_up.position) == ("执法检查", 3)
    assert follow_up.ends_on == date(2026, 11, 30)
    research = item(plan, "街道调研")
    assert (research.position, research.owner_office, research.invited_deputies) == (
        3,
        planning.org.deputy_office,
        8,
    )
    assert item(plan, "泉城路街道调研").parent == research
    assert TimelineEvent.objects.filter(verb="edit", object_id=training.pk).exists()
    # Exported again, the numbers are the ones the file used.
    assert Sheet(plan).numbers() == ["1", "1.1", "1.2", "1.3", "2", "3", "3.1"]


def test_a_malformed_file_changes_nothing_and_names_each_problem(planning):
    plan = nested(planning, approve=False)
    sheet = Sheet(plan)
    office = sheet.set("1.1", 责任机构="不存在工作室")
    bad_date = sheet.set("1.2", 开始日期="2026-13-01")
    percent = sheet.set("2", 本次进展="进展", 本次进度=150)
    duplicate = sheet.append(序号="2", 事项="重复序号", 责任机构="社会建设工作室")
    orphan = sheet.append(序号="4.1", 事项="没有上级", 责任机构="社会建设工作室")
    gap = sheet.append(序号="1.5", 事项="跳号", 责任机构="社会建设工作室")
    bad_number = sheet.append(序号="第三项", 事项="序号不对", 责任机构="社会建设工作室")
    no_title = sheet.append(序号="3", 责任机构="社会建设工作室")
    weight = sheet.append(序号="5", 事项="权重不对", 责任机构="社会建设工作室", 权重=0)
    backwards = sheet.append(
        序号="6",
        事项="期限倒置",
        责任机构="社会建设工作室",
        开始日期="2026-05-01",
        完成期限="2026-04-01",
    )
    leader = sheet.append(序号="7", 事项="领导不对", 责任机构="社会建设工作室", 分管领导="王局长")
    ok_row = sheet.append(序号="3", 事项="本行本身没问题", 责任机构="社会建设工作室")
    before = snapshot(plan)
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=sheet.data())
    assert not result.ok
    found = problems(result)
    expected = {
        (office, "责任机构", "没有名为“不存在工作室”的工作机构"),
        (bad_date, "开始日期", "“2026-13-01”不是有效的日期（如 2026-03-01）"),
        (percent, "本次进度", "“150”应为 0 到 99 的整数；完成事项请在系统中提交成果和佐证"),
        (duplicate, "序号", f"序号“2”与第 {percent} 行重复"),
        (orphan, "序号", "上级事项“4”不存在（须在计划中或在本行之前新增）"),
        (gap, "序号", "新增事项的序号应为“1.3”（接续同级事项的编号）"),
        (bad_number, "序号", "“第三项”不是有效的序号（如 1、1.2、1.2.3，最多三级）"),
        (no_title, "事项", "事项不能为空"),
        (weight, "权重", "“0”应为 1 到 100 的整数"),
        (backwards, "完成期限", "完成期限不能早于开始日期"),
        (leader, "分管领导", "“王局长”不是系统中的常委会领导"),
        (ok_row, "序号", f"序号“3”与第 {no_title} 行重复"),
    }
    assert expected <= found, expected - found
    assert snapshot(plan) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a workbook at all", "文件不是 Excel 工作簿（.xlsx），请上传从本系统导出的计划表。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "这是旧版 Excel（.xls）文件"),
        (b"PK\x03\x04broken zip", "文件"),
    ],
)
def test_not_an_xlsx_file_is_refused(planning, data, message):
    plan = planning.approved()
    before = snapshot(plan)
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=data)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert result.errors[0].problem.startswith(message)
    assert snapshot(plan) == before


def test_a_sheet_without_the_columns_is_refused(planning):
    plan = planning.approved()
    workbook = openpyxl.Workbook()
    workbook.active.append(["序号", "事项", "进展"])
    workbook.active.append(["1", "《安全生产法》执法检查", "开展中"])
    buffer = BytesIO()
    workbook.save(buffer)
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=buffer.getvalue())
    assert ImportProblem(1, "责任机构", "表头缺少该列") in result.errors
    assert ImportProblem(1, "本次进度", "表头缺少该列") in result.errors


def test_numbers_typed_as_numbers_are_read_as_numbers(planning):
    plan = nested(planning, approve=False)
    sheet = Sheet(plan)
    sheet.table.cell(row=sheet.row_of("1.1"), column=1, value=1.1)  # Excel turned it into 1.1
    sheet.table.cell(row=sheet.row_of("2"), column=1, value=2)
    sheet.append(序号=1.3, 事项="整改跟踪", 责任机构="社会建设工作室")
    result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=sheet.data())
    assert result.ok and result.added == 1
    assert item(plan, "整改跟踪").parent.title == "执法检查"


def test_who_may_import(planning):
    plan = planning.draft()
    data = Sheet(plan).data()
    with pytest.raises(NotAllowed):
        import_plan(acting_user=planning.p.staff, plan=plan, data=data)  # not the drafting office
    submitted = actions.submit_plan(acting_user=planning.p.social_staff, plan=plan)
    result = import_plan(acting_user=planning.p.social_staff, plan=submitted, data=data)
    assert result.errors == [ImportProblem(None, "", "计划待审定，暂不能导入。")]
