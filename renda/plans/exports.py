"""Pure builders of the plans' documents: the year-end evaluation report (.docx, .xlsx) and a plan
with its items as the workbook of the Excel round-trip. They take the frozen dataclasses of
reports.py and return bytes; nothing of the web.

The report follows the official document layout of the suggestions' handling report (same fonts,
margins and page numbers: the generic docx helpers are imported from there)."""

from __future__ import annotations

from io import BytesIO

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import load_workbook
from openpyxl.styles import Font

from renda.core.docx import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    SUBHEADING_FONT,
    TABLE_SIZE,
    TITLE_FONT,
    TITLE_SIZE,
    add_paragraph,
    add_run,
    chinese_date,
    new_official_document,
    save_document,
)
from renda.core.exports import append_row, build_table_xlsx, sheet_title, write_cell
from renda.core.numbers import chinese_numeral
from renda.core.officefiles import check_package
from renda.plans.reports import EvaluationReport, EvaluationRow, PlanSheet

# ---------------------------------------------------------------------------------------------
# Evaluation report


EVALUATION_COLUMNS = (
    "计划",
    "序号",
    "事项",
    "责任机构",
    "分管领导",
    "预期成果",
    "成果说明",
    "佐证材料（件）",
    "自评",
    "等次",
    "进度（%）",
    "状态",
    "落实情况",
)
EVALUATION_WIDTHS = [24, 8, 36, 16, 10, 36, 36, 10, 36, 8, 10, 10, 12]
REPORT_TABLE_COLUMNS = ("事项", "责任机构", "成果", "自评", "等次")
REPORT_TABLE_WIDTHS = (Mm(40), Mm(22), Mm(44), Mm(38), Mm(12))  # 156 mm of type area


def evaluation_xlsx_rows(report: EvaluationReport) -> list[list]:
    return [
        [
            row.plan_title,
            row.number,
            row.title,
            row.owner_office,
            row.leader,
            row.expected_result,
            row.result_statement,
            row.evidence_count,
            row.self_assessment,
            row.grade_label,
            row.progress,
            row.status_label,
            row.health_label,
        ]
        for row in report.rows
    ]


def build_evaluation_xlsx(report: EvaluationReport) -> bytes:
    return build_table_xlsx(
        title=report.title,
        headers=list(EVALUATION_COLUMNS),
        rows=evaluation_xlsx_rows(report),
        widths=EVALUATION_WIDTHS,
    )


def _counted(pairs, unit: str = "项") -> str:
    return "、".join(f"{label}{count}{unit}" for label, count in pairs)


def overview_paragraphs(report: EvaluationReport) -> list[str]:
    """一、总体情况: the counts by state and by grade, as sentences."""
    if not report.total:
        return [f"{report.year}年度，{report.subject}没有列入已审定计划的事项。"]
    states = _counted((label, n) for label, n in report.by_state if n)
    graded = [(label, n) for label, n in report.by_grade[:-1]]
    ungraded = report.by_grade[-1][1]
    grade_text = _counted(graded)
    tail = f"，尚未评定{ungraded}项" if ungraded else ""
    return [
        f"{report.year}年度，{report.subject}列入已审定计划的事项共{report.total}项，"
        f"其中{states}。",
        f"经责任机构自评、常委会领导评定，评为{grade_text}{tail}。",
    ]


def _problem_line(row: EvaluationRow) -> str:
    return f"“{row.title}”（{row.owner_office}）"


def problem_paragraphs(report: EvaluationReport) -> list[tuple[str, str]]:
    """三、存在的问题: (run-in heading, text) per kind of problem; the items named."""
    out: list[tuple[str, str]] = []
    groups = (
        ("逾期未完成。", report.overdue, "已过完成期限或节点期限仍未完成"),
        ("计划未落实。", report.stale, "长期没有进展报告"),
        ("忙而无果。", report.busy, "临近完成期限仍没有可衡量的成果"),
        ("调整取消。", report.cancelled, "经批准取消"),
    )
    for heading, rows, what in groups:
        if not rows:
            continue
        names = "、".join(_problem_line(r) for r in rows)
        reasons = "；".join(f"{r.title}：{r.cancel_reason}" for r in rows if r.cancel_reason)
        text = f"{names}共{len(rows)}项{what}。" + (f"取消理由：{reasons}。" if reasons else "")
        out.append((heading, text))
    numbered = [
        (f"（{chinese_numeral(index)}）{heading}", text)
        for index, (heading, text) in enumerate(out, start=1)
    ]
    return numbered or [("", "未发现逾期、长期无进展、忙而无果或取消的事项。")]


def _result_cell(row: EvaluationRow) -> str:
    if row.result_statement:
        return f"{row.result_statement}（佐证{row.evidence_count}件）"
    return f"尚无成果（进度{row.progress}%）"


def _fill_cells(cells, values, *, header: bool = False) -> None:
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.width = REPORT_TABLE_WIDTHS[index]
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.LEFT
        font = HEADING_FONT if header else BODY_FONT
        add_run(paragraph, str(value), font, TABLE_SIZE)


def _add_item_table(document, rows: tuple[EvaluationRow, ...]) -> None:
    table = document.add_table(rows=1, cols=len(REPORT_TABLE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill_cells(table.rows[0].cells, REPORT_TABLE_COLUMNS, header=True)
    # The header row repeats on every page of a long table.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        _fill_cells(
            table.add_row().cells,
            (
                f"{row.number} {row.title}",
                row.owner_office,
                _result_cell(row),
                row.self_assessment or "未自评",
                row.grade_label or "未评定",
            ),
        )


def build_evaluation_docx(report: EvaluationReport) -> bytes:
    """The evaluation report: overview, the item-by-item table, the problems found."""
    document = new_official_document(title=report.title, author=report.subject)
    add_paragraph(document)
    add_paragraph(
        document,
        report.title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pitch=36,
    )
    add_paragraph(
        document,
        f"（截至{chinese_date(report.generated_on)}）",
        font=SUBHEADING_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(document)
    add_paragraph(document, "一、总体情况", font=HEADING_FONT, first_line_chars=2)
    for text in overview_paragraphs(report):
        add_paragraph(document, text, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add_paragraph(document, "二、逐项评估", font=HEADING_FONT, first_line_chars=2)
    if report.rows:
        _add_item_table(document, report.rows)
    else:
        add_paragraph(document, "无。", first_line_chars=2)
    add_paragraph(document, "三、存在的问题", font=HEADING_FONT, first_line_chars=2)
    for heading, text in problem_paragraphs(report):
        paragraph = add_paragraph(
            document,
            heading,
            font=SUBHEADING_FONT,
            first_line_chars=2,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        add_run(paragraph, text, BODY_FONT, BODY_SIZE)
    return save_document(document)


# ---------------------------------------------------------------------------------------------
# A plan as a workbook: exported, filled in, imported back (imports.py reads these headings)


PLAN_COLUMNS = (
    "序号",
    "事项",
    "责任机构",
    "分管领导",
    "工作目标",
    "预期成果",
    "衡量方式",
    "开始日期",
    "完成期限",
    "拟邀请代表人数",
    "权重",
    "进度",
    "状态",
    "最近进展",
    "本次进展",
    "本次进度",
)
PLAN_WIDTHS = [8, 32, 16, 10, 30, 30, 30, 12, 12, 10, 6, 6, 8, 30, 30, 8]
PLAN_NOTES = (
    (
        "序号",
        "层级编号，如 1、1.1、1.2（请保持文本格式）。表中新的序号即为新增事项，须接续同级编号，上级事项须已存在。",
    ),
    (
        "事项、责任机构…权重",
        "起草中的计划可在表中修改并导入；计划审定后不能通过导入修改，须提出变更申请。",
    ),
    ("进度、状态、最近进展", "仅供参考，导入时不读取。"),
    (
        "本次进展、本次进度",
        "计划审定后由责任机构填写：两列须同时填写，进度为 0 到 99 的整数；完成事项请在系统中提交成果和佐证。",
    ),
    ("整体", "整个文件要么全部导入，要么一处也不导入：只要有一处问题，就列出所有问题而不导入。"),
)
NUMBER_TEXT_ROWS = 300  # 序号 stays text in these rows, so "1.10" is not read as 1.1


def plan_xlsx_rows(sheet: PlanSheet) -> list[list]:
    return [
        [
            row.number,
            row.title,
            row.owner_office,
            row.leader,
            row.objective,
            row.expected_result,
            row.measure,
            row.starts_on,
            row.ends_on,
            row.invited_deputies,
            row.weight,
            row.progress,
            row.status_label,
            row.latest_report,
            "",
            "",
        ]
        for row in sheet.rows
    ]


def build_plan_xlsx(sheet: PlanSheet) -> bytes:
    """The plan with one row per item, two empty columns for this round's progress, and a
    sheet of notes."""
    data = build_table_xlsx(
        title=sheet_title(sheet.title, "计划"),
        headers=list(PLAN_COLUMNS),
        rows=plan_xlsx_rows(sheet),
        widths=PLAN_WIDTHS,
    )
    check_package(data)  # every workbook the platform opens goes through the one bounded check
    workbook = load_workbook(BytesIO(data))
    table = workbook.active
    write_cell(table["A1"], f"{sheet.title}（{sheet.status_label}）")
    for row in range(3, 3 + max(len(sheet.rows), 0) + NUMBER_TEXT_ROWS):
        table.cell(row=row, column=1).number_format = "@"
    for column in ("H", "I"):
        for cell in table[column][2:]:
            cell.number_format = "yyyy-mm-dd"
    notes = workbook.create_sheet("填写说明")
    append_row(notes, ["列", "说明"])
    for note in PLAN_NOTES:
        append_row(notes, note)
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 100
    for cell in notes[1]:
        cell.font = Font(bold=True)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
