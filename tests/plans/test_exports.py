"""The pure builders: the evaluation report (.docx, .xlsx) and the plan workbook open as real
files with the right content."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import docx
import openpyxl
from docx.oxml.ns import qn

from renda.plans.exports import (
    PLAN_COLUMNS,
    build_evaluation_docx,
    build_evaluation_xlsx,
    build_plan_xlsx,
)
from renda.plans.reports import EvaluationReport, EvaluationRow, PlanSheet, PlanSheetRow


def row(**overrides) -> EvaluationRow:
    values = {
        "item_id": 1,
        "plan_title": "2026年监督工作计划",
        "number": "1",
        "title": "《安全生产法》执法检查",
        "owner_office": "社会建设工作室",
        "leader": "李主任",
        "expected_result": "形成执法检查报告",
        "result_statement": "执法检查报告经常委会第12次会议审议",
        "evidence_count": 2,
        "self_assessment": "按期完成，报告质量较高",
        "grade": "excellent",
        "status": "completed",
        "status_label": "已完成",
        "progress": 100,
        "health": "completed",
        "is_stale": False,
        "is_busy": False,
        "ends_on": date(2026, 10, 31),
    }
    values.update(overrides)
    return EvaluationRow(**values)


def report(rows=None, office_name="社会建设工作室") -> EvaluationReport:
    rows = (
        rows
        if rows is not None
        else (
            row(),
            row(
                item_id=2,
                number="2",
                title="城市管理专题询问",
                result_statement="",
                evidence_count=0,
                self_assessment="",
                grade="",
                status="in_progress",
                status_label="推进中",
                progress=40,
                health="overdue",
            ),
            row(
                item_id=3,
                number="3",
                title="街道调研",
                result_statement="",
                grade="",
                status="cancelled",
                status_label="已取消",
                progress=0,
                health="cancelled",
                cancel_reason="与专题询问合并开展",
            ),
            row(
                item_id=4,
                number="4",
                title="代表培训",
                grade="",
                status="in_progress",
                status_label="推进中",
                result_statement="",
                progress=10,
                health="at_risk",
                is_stale=True,
            ),
        )
    )
    return EvaluationReport(
        year=2026,
        office_name=office_name,
        generated_on=date(2026, 12, 20),
        rows=tuple(rows),
        by_state=(("未开始", 0), ("推进中", 2), ("已完成", 1), ("已取消", 1)),
        by_grade=(("优", 1), ("良", 0), ("一般", 0), ("差", 0), ("未评定", 2)),
    )


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(BytesIO(data)).paragraphs]


def test_evaluation_docx_is_a_report_with_its_three_sections():
    data = build_evaluation_docx(report())
    document = docx.Document(BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    title = "社会建设工作室2026年度工作计划落实情况评估报告"
    assert title in texts
    assert "（截至2026年12月20日）" in texts
    headings = [t for t in texts if t in ("一、总体情况", "二、逐项评估", "三、存在的问题")]
    assert headings == ["一、总体情况", "二、逐项评估", "三、存在的问题"]
    overview = "".join(texts[texts.index("一、总体情况") : texts.index("二、逐项评估")])
    assert "共4项" in overview and "推进中2项、已完成1项、已取消1项" in overview
    assert "未开始" not in overview  # zero counts are not listed
    assert "优1项" in overview and "尚未评定2项" in overview
    problems = "".join(texts[texts.index("三、存在的问题") :])
    assert "（一）逾期未完成。" in problems and "“城市管理专题询问”（社会建设工作室）" in problems
    assert "（二）计划未落实。" in problems and "“代表培训”" in problems
    assert "（三）调整取消。" in problems and "与专题询问合并开展" in problems
    # The item table: the five columns, one row per item.
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["事项", "责任机构", "成果", "自评", "等次"]
    assert len(table.rows) == 5
    first = [c.text for c in table.rows[1].cells]
    assert first == [
        "1 《安全生产法》执法检查",
        "社会建设工作室",
        "执法检查报告经常委会第12次会议审议（佐证2件）",
        "按期完成，报告质量较高",
        "优",
    ]
    assert [c.text for c in table.rows[2].cells][3:] == ["未自评", "未评定"]
    # Official fonts: the title in 小标宋, the body in 仿宋_GB2312, set for Chinese text.
    title_run = next(p for p in document.paragraphs if p.text == title).runs[0]
    fonts = title_run._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if "共4项" in p.text).runs[0]
    assert body._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert document.core_properties.title == title


def test_evaluation_docx_for_the_organ_without_items_or_problems():
    texts = paragraphs(build_evaluation_docx(report(rows=(), office_name="")))
    assert "机关2026年度工作计划落实情况评估报告" in texts
    assert "2026年度，机关没有列入已审定计划的事项。" in texts
    assert "未发现逾期、长期无进展、忙而无果或取消的事项。" in texts
    texts = paragraphs(build_evaluation_docx(report(rows=(row(),))))
    assert "未发现逾期、长期无进展、忙而无果或取消的事项。" in texts


def test_evaluation_xlsx_has_the_same_rows():
    sheet = openpyxl.load_workbook(BytesIO(build_evaluation_xlsx(report()))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "社会建设工作室2026年度工作计划落实情况评估报告"
    assert rows[1][:3] == ("计划", "序号", "事项")
    assert len(rows) == 2 + 4
    assert rows[2][2:] == (
        "《安全生产法》执法检查",
        "社会建设工作室",
        "李主任",
        "形成执法检查报告",
        "执法检查报告经常委会第12次会议审议",
        2,
        "按期完成，报告质量较高",
        "优",
        100,
        "已完成",
        "已完成",
    )
    assert rows[3][-1] == "已逾期"


def test_plan_xlsx_has_one_row_per_item_and_text_numbers():
    sheet = PlanSheet(
        title="2026年监督工作计划",
        status_label="已审定",
        is_binding=True,
        rows=(
            PlanSheetRow(
                number="1",
                title="执法检查",
                owner_office="社会建设工作室",
                leader="李主任",
                objective="目标",
                expected_result="报告",
                measure="审议",
                starts_on=date(2026, 3, 1),
                ends_on=date(2026, 10, 31),
                invited_deputies=5,
                weight=2,
                progress=40,
                status_label="推进中",
                latest_report="2026-04-01 召开座谈会",
            ),
            PlanSheetRow(
                number="1.1",
                title="制定方案",
                owner_office="社会建设工作室",
                leader="",
                objective="",
                expected_result="方案",
                measure="印发",
                starts_on=None,
                ends_on=date(2026, 4, 30),
                invited_deputies=0,
                weight=1,
                progress=0,
                status_label="未开始",
                latest_report="",
            ),
        ),
    )
    workbook = openpyxl.load_workbook(BytesIO(build_plan_xlsx(sheet)))
    table = workbook.worksheets[0]
    rows = list(table.iter_rows(values_only=True))
    assert rows[0][0] == "2026年监督工作计划（已审定）"
    assert rows[1] == PLAN_COLUMNS
    assert rows[2][:2] == ("1", "执法检查") and rows[3][:2] == ("1.1", "制定方案")
    assert rows[2][7].date() == date(2026, 3, 1) and rows[2][9:14] == (
        5,
        2,
        40,
        "推进中",
        "2026-04-01 召开座谈会",
    )
    assert rows[2][14:] == (None, None)  # 本次进展, 本次进度 are left to fill in
    assert table["A4"].number_format == "@" and table["A50"].number_format == "@"
    assert workbook.sheetnames[1] == "填写说明"
