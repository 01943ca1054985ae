"""Pure builders of the suggestion documents: the answer letter (答复函, docx and PDF), the session
statistics workbook and the handling report (办理情况的报告).

They take frozen dataclasses and return bytes; nothing of the web (no request, no models), so a
page, the API, a command and a background task can all call them with the same result.

Layout follows the official document format (党政机关公文格式, GB/T 9704) in spirit: A4, type area
156 × 225 mm, title in 小标宋 二号, body in 仿宋_GB2312 三号 with a fixed 28 pt line pitch.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook, load_workbook

from renda.core.docx import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    NOTE_SIZE,
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
from renda.core.exports import build_table_xlsx, write_cell
from renda.core.numbers import chinese_numeral

if TYPE_CHECKING:
    import weasyprint
    from docx.document import Document as DocxDocument


DASH = "—"
LETTER_TEMPLATE = "suggestions/letter_pdf.html"
_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class AnswerLetter:
    """Everything printed on one answer letter (答复函)."""

    region: str  # "泉城区": spelled out in the opening sentence; the title says 区 only
    term_number: int
    session_number: int
    suggestion_number: int
    suggestion_title: str
    deputy_names: tuple[str, ...]  # lead first, then co-signers: the letter answers each signer
    unit_name: str
    document_number: str  # 文号; may be ""
    category_code: str  # "A".."D", or "甲"… under another scheme
    category_label: str
    answer_text: str
    signer: str
    contact_person: str
    contact_phone: str
    answered_on: date
    co_unit_names: tuple[str, ...] = ()
    copy_to: tuple[str, ...] = ()
    is_face_to_face: bool = False
    round_label: str = ""  # "（再次答复）": appended after the title


@dataclass(frozen=True)
class Rate:
    """A ratio as reports print it: the percentage with the counts it comes from."""

    numerator: int
    denominator: int

    def __post_init__(self) -> None:
        # A rate above 100 % or below zero is a counting bug upstream; never print it.
        if self.numerator < 0 or self.denominator < 0 or self.numerator > self.denominator:
            raise ValueError(f"invalid rate {self.numerator}/{self.denominator}")

    @property
    def percent(self) -> float | None:
        """One decimal, rounded half up (四舍五入) as statistics are; None without a denominator."""
        if not self.denominator:
            return None
        exact = Decimal(100 * self.numerator) / Decimal(self.denominator)
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    @property
    def percent_text(self) -> str:
        """Like "93.5%" and "93.0%" (rounded), "50%" (exact), or "—" without a denominator."""
        percent = self.percent
        if percent is None:
            return DASH
        # Only an exact ratio drops the decimal: "93%" would claim more than 40/43 is.
        exact = (100 * self.numerator) % self.denominator == 0
        return f"{percent:.0f}%" if exact else f"{percent:.1f}%"

    def __str__(self) -> str:
        if not self.denominator:
            return DASH
        return f"{self.percent_text}（{self.numerator}/{self.denominator}）"


@dataclass(frozen=True)
class UnitRow:
    """One handling unit's figures for a session."""

    unit_name: str
    assigned: int
    answered: int
    answered_on_time: int
    overdue_open: int
    satisfied: int
    basically_satisfied: int
    not_satisfied: int

    @property
    def on_time_rate(self) -> Rate:
        # Open overdue items count as late; open items not yet due are not counted at all.
        return Rate(self.answered_on_time, self.answered + self.overdue_open)

    @property
    def satisfaction_rate(self) -> Rate:
        rated = self.satisfied + self.basically_satisfied + self.not_satisfied
        return Rate(self.satisfied + self.basically_satisfied, rated)


@dataclass(frozen=True)
class SessionStatistics:
    """The figures of one congress session's suggestions, as of `generated_on`."""

    congress_name: str
    term_number: int
    session_number: int
    generated_on: date
    total: int
    by_state: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]
    by_answer_category: tuple[tuple[str, str, int], ...]  # (code, label, count)
    units: tuple[UnitRow, ...]
    on_time_rate: Rate  # 按期答复率: open overdue counted as late
    satisfaction_rate: Rate  # 满意率: 满意 + 基本满意
    solved_rate: Rate  # 解决率: A
    solved_or_planned_rate: Rate  # A + B
    key_suggestions: tuple[tuple[int | None, str, str, str], ...] = ()  # (no., title, units, state)


# ---------------------------------------------------------------------------------------------
# Shared wording


def session_label(term_number: int, session_number: int) -> str:
    """How titles name a session: "区十八届人大五次会议"."""
    return f"区{chinese_numeral(term_number)}届人大{chinese_numeral(session_number)}次会议"


def letter_title(letter: AnswerLetter) -> str:
    """The letter's title: "关于区十八届人大五次会议第12号建议的答复", then the round label if
    any ("（再次答复）")."""
    base = f"关于{session_label(letter.term_number, letter.session_number)}"
    return f"{base}第{letter.suggestion_number}号建议的答复{letter.round_label}"


def handling_report_title(stats: SessionStatistics) -> str:
    return f"关于{session_label(stats.term_number, stats.session_number)}代表建议办理情况的报告"


def _text_width(text: str) -> float:
    # In character widths of the body font: Latin letters and digits are half-width.
    return sum(0.5 if ord(char) < 0x2E80 else 1 for char in text)


def _split_paragraphs(text: str) -> list[str]:
    # Units paste text with their own indentation (full-width spaces); the layout indents instead.
    lines = (line.strip().strip("\u3000").strip() for line in text.splitlines())
    return [line for line in lines if line]


def _book_title(title: str) -> str:
    title = title.strip()
    return title if title.startswith("《") else f"《{title}》"


def _listing(names: tuple[str, ...] | list[str]) -> str:
    return "、".join(name for name in names if name)


@dataclass(frozen=True)
class _LetterLayout:
    """What the docx and the PDF both print, worked out once."""

    category_code: str
    category_label: str
    mode_line: str
    document_number: str
    title: str
    salutation: str
    paragraphs: list[str]
    unit_name: str
    date_text: str
    unit_right_chars: float
    date_right_chars: float
    notes: list[str]
    co_units_line: str
    copy_to_line: str


def _letter_layout(letter: AnswerLetter) -> _LetterLayout:
    paragraphs = _split_paragraphs(letter.answer_text)
    # Most units open with "…收悉"; add the standard opening only when theirs lacks one.
    if not paragraphs or "收悉" not in paragraphs[0]:
        addressee = "您" if len(letter.deputy_names) <= 1 else "各位代表"
        session = (
            f"{letter.region}第{chinese_numeral(letter.term_number)}届人民代表大会"
            f"第{chinese_numeral(letter.session_number)}次会议"
        )
        paragraphs.insert(
            0,
            f"{addressee}在{session}期间提出的{_book_title(letter.suggestion_title)}"
            f"（第{letter.suggestion_number}号）收悉。现答复如下：",
        )
    date_text = chinese_date(letter.answered_on)
    # A sealed document: the date sits four characters from the right and the unit's name is
    # centred over it (GB/T 9704 7.3.5.1).
    date_right = 4.0
    unit_right = max(0.0, date_right + (_text_width(date_text) - _text_width(letter.unit_name)) / 2)
    notes = [f"签发人：{letter.signer}"] if letter.signer else []
    contact = "　　".join(
        part
        for part in (
            f"联系人：{letter.contact_person}" if letter.contact_person else "",
            f"联系电话：{letter.contact_phone}" if letter.contact_phone else "",
        )
        if part
    )
    if contact:
        notes.append(contact)
    copy_to = [name for name in letter.copy_to if name]
    return _LetterLayout(
        category_code=letter.category_code,
        category_label=letter.category_label,
        mode_line="答复方式：当面答复" if letter.is_face_to_face else "",
        document_number=letter.document_number.strip(),
        title=letter_title(letter),
        salutation=f"{_listing(letter.deputy_names)}代表：",
        paragraphs=paragraphs,
        unit_name=letter.unit_name,
        date_text=date_text,
        unit_right_chars=unit_right,
        date_right_chars=date_right,
        notes=notes,
        co_units_line=f"会办单位：{_listing(letter.co_unit_names)}" if letter.co_unit_names else "",
        # 抄送 lists are separated by commas and end with a full stop (GB/T 9704 7.4.2).
        copy_to_line=f"抄送：{'，'.join(copy_to)}。" if copy_to else "",
    )


# ---------------------------------------------------------------------------------------------
# docx helpers


def _run_border(run) -> None:
    # A box around the characters: the answer category is printed framed at the top right.
    border = OxmlElement("w:bdr")
    for key, value in (("val", "single"), ("sz", "8"), ("space", "1"), ("color", "000000")):
        border.set(qn(f"w:{key}"), value)
    run._element.get_or_add_rPr().insert_element_before(
        border,
        *(
            f"w:{tag}"
            for tag in ("shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout")
        ),
    )


def _paragraph_rules(paragraph, *, top: bool = True, bottom: bool = True) -> None:
    # The 版记 (抄送) sits between two thin rules.
    borders = OxmlElement("w:pBdr")
    for edge, wanted in (("top", top), ("bottom", bottom)):
        if wanted:
            rule = OxmlElement(f"w:{edge}")
            for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
                rule.set(qn(f"w:{key}"), value)
            borders.append(rule)
    paragraph._p.get_or_add_pPr().insert_element_before(
        borders,
        *(
            f"w:{tag}"
            for tag in (
                "shd",
                "tabs",
                "suppressAutoHyphens",
                "kinsoku",
                "wordWrap",
                "overflowPunct",
                "topLinePunct",
                "autoSpaceDE",
                "autoSpaceDN",
                "bidi",
                "adjustRightInd",
                "snapToGrid",
                "spacing",
                "ind",
                "contextualSpacing",
                "mirrorIndents",
                "suppressOverlap",
                "jc",
            )
        ),
    )


# ---------------------------------------------------------------------------------------------
# Answer letter


def build_answer_letter_docx(letter: AnswerLetter) -> bytes:
    """The answer letter as an official document, ready for the unit head to sign and seal."""
    layout = _letter_layout(letter)
    document = new_official_document(title=layout.title, author=letter.unit_name)
    body = document  # add_paragraph appends to the body

    category = add_paragraph(body, "答复类别：", align=WD_ALIGN_PARAGRAPH.RIGHT)
    code = add_run(category, f" {layout.category_code} ", HEADING_FONT, BODY_SIZE, bold=True)
    _run_border(code)
    if layout.mode_line:
        add_paragraph(body, layout.mode_line, align=WD_ALIGN_PARAGRAPH.RIGHT)

    add_paragraph(body)
    if layout.document_number:
        add_paragraph(body, layout.document_number, align=WD_ALIGN_PARAGRAPH.CENTER)
        add_paragraph(body)
    # 方正小标宋 is a heavy face already; bolding it is a known typist's mistake.
    add_paragraph(
        body,
        layout.title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pitch=36,
    )
    add_paragraph(body)
    add_paragraph(body, layout.salutation)
    for text in layout.paragraphs:
        add_paragraph(body, text, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    add_paragraph(body)  # one blank line between the text and the signature (GB/T 9704)
    add_paragraph(
        body, layout.unit_name, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=layout.unit_right_chars
    )
    add_paragraph(
        body, layout.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=layout.date_right_chars
    )
    if layout.notes:
        for note in layout.notes:
            add_paragraph(body, note, first_line_chars=2)
    if layout.co_units_line:
        add_paragraph(body, layout.co_units_line, first_line_chars=2)
    if layout.copy_to_line:
        add_paragraph(body)
        line = add_paragraph(body, layout.copy_to_line, size=NOTE_SIZE, left_chars=1, right_chars=1)
        _paragraph_rules(line)
    return save_document(document)


def _refuse_url(url: str) -> dict:
    # The letter is self-contained; an intranet server must never reach out while rendering.
    raise ValueError(f"external resources are not allowed in the answer letter: {url}")


def answer_letter_html(letter: AnswerLetter) -> str:
    """The HTML the PDF is printed from (also usable as an on-screen preview)."""
    layout = _letter_layout(letter)
    context = {"letter": letter, "layout": layout}
    try:
        return render_to_string(LETTER_TEMPLATE, context)
    except TemplateDoesNotExist:
        # Outside a project that installs the app, read the template shipped beside this module.
        engine = Engine(dirs=[str(_TEMPLATE_DIR)], autoescape=True)
        return engine.get_template(LETTER_TEMPLATE).render(Context(context))


def render_answer_letter_pdf_document(letter: AnswerLetter) -> weasyprint.Document:
    """The laid-out WeasyPrint document: its `pages` say how many pages the PDF has."""
    import weasyprint  # imported late: loading Pango costs time on every process start

    return weasyprint.HTML(string=answer_letter_html(letter), url_fetcher=_refuse_url).render()


def build_answer_letter_pdf(letter: AnswerLetter) -> bytes:
    """The answer letter as PDF, for sending and publishing."""
    return render_answer_letter_pdf_document(letter).write_pdf()


# ---------------------------------------------------------------------------------------------
# Session statistics workbook


def _percent_cell(rate: Rate) -> float | str:
    # A number Excel can sort and sum; the dash when there is nothing to divide by.
    return DASH if rate.percent is None else rate.percent


def _copy_sheet(source, target) -> None:
    """Copy one sheet's cells, styles and layout into another workbook. The table look is
    build_table_xlsx's; this only gathers its single-sheet outputs into one workbook."""
    for row in source.iter_rows():
        for cell in row:
            new = target.cell(row=cell.row, column=cell.column)
            write_cell(new, cell.value)
            if cell.has_style:
                new.font = copy(cell.font)
                new.alignment = copy(cell.alignment)
                new.border = copy(cell.border)
                new.fill = copy(cell.fill)
                new.number_format = cell.number_format
    for merged in source.merged_cells.ranges:
        target.merge_cells(str(merged))
    for key, dimension in source.column_dimensions.items():
        if dimension.width:
            target.column_dimensions[key].width = dimension.width
    target.freeze_panes = source.freeze_panes


def _share_rows(pairs: list[tuple[list, int]], total: int) -> list[list]:
    return [
        [*cells, count, _percent_cell(Rate(count, total)) if total else DASH]
        for cells, count in pairs
    ]


def build_statistics_xlsx(stats: SessionStatistics) -> bytes:
    """One workbook, one sheet per view of the figures (概况, 按状态, 按类别, 按答复类别,
    按承办单位, 重点督办)."""
    heading = f"{session_label(stats.term_number, stats.session_number)}代表建议"
    as_of = f"（截至{chinese_date(stats.generated_on)}）"
    overview = [
        ["建议总数", stats.total, "", "", "件"],
        *(
            [name, _percent_cell(rate), rate.numerator, rate.denominator, basis]
            for name, rate, basis in (
                (
                    "按期答复率",
                    stats.on_time_rate,
                    "按期答复件数 / 应答复件数（逾期未答复计为未按期）",
                ),
                ("满意率", stats.satisfaction_rate, "满意和基本满意件数 / 已评价件数"),
                ("解决率", stats.solved_rate, "已解决或基本解决件数 / 已答复件数"),
                (
                    "解决和列入计划率",
                    stats.solved_or_planned_rate,
                    "已解决、正在解决或列入计划件数 / 已答复件数",
                ),
            )
        ),
    ]
    total_row = UnitRow(
        "合计",
        *(
            sum(getattr(unit, field) for unit in stats.units)
            for field in (
                "assigned",
                "answered",
                "answered_on_time",
                "overdue_open",
                "satisfied",
                "basically_satisfied",
                "not_satisfied",
            )
        ),
    )
    unit_rows = [
        [
            unit.unit_name,
            unit.assigned,
            unit.answered,
            unit.answered_on_time,
            unit.overdue_open,
            unit.satisfied,
            unit.basically_satisfied,
            unit.not_satisfied,
            _percent_cell(unit.on_time_rate),
            _percent_cell(unit.satisfaction_rate),
        ]
        for unit in (*stats.units, *((total_row,) if stats.units else ()))
    ]
    sheets = [
        (
            "概况",
            f"{heading}办理概况{as_of}",
            ["指标", "比率（%）", "分子", "分母", "口径"],
            overview,
            [20, 12, 10, 10, 52],
        ),
        (
            "按状态",
            f"{heading}按办理状态统计{as_of}",
            ["办理状态", "件数", "占比（%）"],
            _share_rows([([label], count) for label, count in stats.by_state], stats.total),
            [24, 10, 12],
        ),
        (
            "按类别",
            f"{heading}按内容类别统计{as_of}",
            ["类别", "件数", "占比（%）"],
            _share_rows([([label], count) for label, count in stats.by_category], stats.total),
            [24, 10, 12],
        ),
        (
            "按答复类别",
            f"{heading}按答复类别统计{as_of}",
            ["代码", "答复类别", "件数", "占比（%）"],
            _share_rows(
                [([code, label], count) for code, label, count in stats.by_answer_category],
                sum(count for _, _, count in stats.by_answer_category),
            ),
            [8, 30, 10, 12],
        ),
        (
            "按承办单位",
            f"{heading}按承办单位统计{as_of}",
            [
                "承办单位",
                "交办件数",
                "已答复",
                "按期答复",
                "逾期未答复",
                "满意",
                "基本满意",
                "不满意",
                "按期答复率（%）",
                "满意率（%）",
            ],
            unit_rows,
            [30, 10, 10, 10, 12, 8, 10, 8, 16, 12],
        ),
        (
            "重点督办",
            f"{heading}重点督办建议{as_of}",
            ["编号", "建议标题", "承办单位", "办理状态"],
            [
                ["" if number is None else number, title, units, state]
                for number, title, units, state in stats.key_suggestions
            ],
            [8, 48, 30, 14],
        ),
    ]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, title, headers, rows, widths in sheets:
        table = build_table_xlsx(title=title, headers=headers, rows=rows, widths=widths)
        _copy_sheet(load_workbook(BytesIO(table)).active, workbook.create_sheet(name))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Handling report


def _rate_sentence(name: str, rate: Rate, what: str) -> str:
    if rate.percent is None:
        return f"{name}暂无可计算的数据"
    return f"{name}为{rate.percent_text}（{what}{rate.numerator}件，共{rate.denominator}件）"


def _report_paragraphs(stats: SessionStatistics) -> list[tuple[str, ...]]:
    """The report's text as (kind, text…): ("h1", 黑体 heading), ("p", body), or
    ("lead", 楷体 run-in heading, body)."""
    session = session_label(stats.term_number, stats.session_number)
    as_of = chinese_date(stats.generated_on)
    units = stats.units
    out: list[tuple[str, ...]] = [("h1", "一、基本情况")]
    out.append(
        (
            "p",
            f"{session}期间，代表共提出建议{stats.total}件，由{stats.congress_name}交"
            f"{len(units)}个承办单位办理。本报告数据截至{as_of}。",
        )
    )
    if stats.by_category:
        parts = "，".join(
            f"{label}方面{count}件（占{Rate(count, stats.total).percent_text}）"
            if stats.total
            else f"{label}方面{count}件"
            for label, count in stats.by_category
        )
        out.append(("p", f"从内容看，{parts}。"))
    if stats.by_state:
        out.append(
            (
                "p",
                "从办理进度看，"
                + "，".join(f"{label}{count}件" for label, count in stats.by_state)
                + "。",
            )
        )
    busiest = sorted(units, key=lambda unit: -unit.assigned)[:5]
    if busiest:
        listing = "、".join(
            f"{unit.unit_name}（{unit.assigned}件）" for unit in busiest if unit.assigned
        )
        if listing:
            out.append(("p", f"承办件数较多的单位是{listing}。各承办单位办理情况见附表。"))
    if stats.key_suggestions:
        out.append(
            (
                "p",
                f"主任会议确定重点督办建议{len(stats.key_suggestions)}件，由常委会领导牵头督办："
                + "；".join(
                    (f"第{number}号" if number is not None else "")
                    + f"{_book_title(title)}（{units_text}，{state}）"
                    for number, title, units_text, state in stats.key_suggestions
                )
                + "。",
            )
        )

    out.append(("h1", "二、办理成效"))
    answered = sum(unit.answered for unit in units)
    out.append(
        (
            "p",
            f"截至{as_of}，各承办单位已答复{answered}件次。"
            + _rate_sentence("按期答复率", stats.on_time_rate, "按期答复")
            + "，逾期仍未答复的计为未按期答复。",
        )
    )
    if stats.by_answer_category:
        parts = "，".join(
            f"{code}类（{label}）{count}件" for code, label, count in stats.by_answer_category
        )
        out.append(("p", f"从答复类别看，{parts}。"))
    out.append(
        (
            "p",
            _rate_sentence("解决率", stats.solved_rate, "已解决或基本解决")
            + "；"
            + _rate_sentence(
                "已解决和正在解决、列入计划解决的比率", stats.solved_or_planned_rate, "合计"
            )
            + "。",
        )
    )
    satisfied = sum(unit.satisfied for unit in units)
    basically = sum(unit.basically_satisfied for unit in units)
    not_satisfied = sum(unit.not_satisfied for unit in units)
    out.append(
        (
            "p",
            f"代表对办理结果的反馈中，满意{satisfied}件次、基本满意{basically}件次、"
            f"不满意{not_satisfied}件次，"
            + _rate_sentence("满意率（满意和基本满意）", stats.satisfaction_rate, "满意和基本满意")
            + "。",
        )
    )

    out.append(("h1", "三、存在的问题"))
    overdue = [unit for unit in units if unit.overdue_open]
    if overdue:
        out.append(
            (
                "p",
                f"一是部分建议未能按期答复。截至{as_of}，仍有"
                f"{sum(unit.overdue_open for unit in overdue)}件次建议超过办理期限未答复，涉及"
                + "、".join(f"{unit.unit_name}（{unit.overdue_open}件）" for unit in overdue)
                + "。",
            )
        )
    else:
        out.append(
            (
                "p",
                "一是办理时效仍需巩固。目前没有超过办理期限未答复的建议。",
            )
        )
    late = [unit for unit in units if unit.answered > unit.answered_on_time]
    if late:
        out.append(
            (
                "p",
                "另有"
                + "、".join(
                    f"{unit.unit_name}（{unit.answered - unit.answered_on_time}件）"
                    for unit in late
                )
                + "的建议虽已答复，但超过了办理期限。",
            )
        )
    unhappy = [unit for unit in units if unit.not_satisfied]
    if unhappy:
        out.append(
            (
                "p",
                f"二是部分办理结果代表不满意。代表对{not_satisfied}件次办理结果表示不满意，涉及"
                + "、".join(f"{unit.unit_name}（{unit.not_satisfied}件）" for unit in unhappy)
                + "，需重新办理并再次答复。",
            )
        )
    else:
        out.append(
            (
                "p",
                "二是办理质量仍需提升。代表反馈中暂无不满意的情况，答复的针对性和可操作性仍需加强。",
            )
        )
    out.append(
        (
            "p",
            "三是落实力度有待加强。部分建议答复为正在解决或列入计划解决、因条件限制需待以后解决，"
            "存在重答复、轻落实的现象，需持续跟踪。",
        )
    )

    out.append(("h1", "四、下一步工作"))
    for heading, text in (
        (
            "（一）督促按期办结。",
            "对逾期未答复的建议逐件督办，要求承办单位说明原因、限期答复；确需延期的，按规定报经交办机关同意。",
        ),
        (
            "（二）抓好重新办理。",
            "对代表不满意的建议，督促承办单位重新研究、听取代表意见，在1个月内再次答复。",
        ),
        (
            "（三）跟踪落实承诺。",
            "对正在解决或列入计划解决、因条件限制需待以后解决的建议建立跟踪台账，落实后再次答复代表，"
            "重点督办建议跨年度跟踪。",
        ),
        (
            "（四）完善工作机制。",
            "坚持办前、办中、办后与代表沟通，推行当面答复；将办理情况纳入承办单位年度考核，"
            "并依法向社会公开（涉及国家秘密、商业秘密和个人隐私的除外）。",
        ),
    ):
        out.append(("lead", heading, text))
    return out


def build_handling_report_docx(stats: SessionStatistics) -> bytes:
    """The handling report to the standing committee, with the table of units attached."""
    title = handling_report_title(stats)
    document = new_official_document(title=title, author=stats.congress_name)

    add_paragraph(document)
    add_paragraph(
        document,
        title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pitch=36,
    )
    add_paragraph(
        document,
        f"（{chinese_date(stats.generated_on)}）",
        font=SUBHEADING_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(document)
    add_paragraph(document, "主任、各位副主任、秘书长、各位委员：")
    add_paragraph(
        document,
        f"现将{session_label(stats.term_number, stats.session_number)}代表建议办理情况报告如下：",
        first_line_chars=2,
    )
    for kind, text, *rest in _report_paragraphs(stats):
        if kind == "h1":
            add_paragraph(document, text, font=HEADING_FONT, first_line_chars=2)
        elif kind == "lead":
            # A run-in heading: 楷体 then the body text on the same line, as reports write it.
            paragraph = add_paragraph(
                document,
                text,
                font=SUBHEADING_FONT,
                first_line_chars=2,
                align=WD_ALIGN_PARAGRAPH.JUSTIFY,
            )
            add_run(paragraph, rest[0], BODY_FONT, BODY_SIZE)
        else:
            add_paragraph(document, text, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)

    if stats.units:
        document.add_page_break()
        add_paragraph(document, "附表", font=HEADING_FONT)
        add_paragraph(
            document,
            f"各承办单位办理情况统计表（截至{chinese_date(stats.generated_on)}）",
            font=TITLE_FONT,
            size=NOTE_SIZE + 4,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
        _add_units_table(document, stats.units)
    return save_document(document)


_UNIT_COLUMNS = (
    "承办单位",
    "交办",
    "已答复",
    "按期答复",
    "逾期未答复",
    "满意",
    "基本满意",
    "不满意",
    "按期答复率",
    "满意率",
)


def _add_units_table(document: DocxDocument, units: tuple[UnitRow, ...]) -> None:
    table = document.add_table(rows=1, cols=len(_UNIT_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # 156 mm of type area: the name column, then nine narrow figure columns.
    widths = [Mm(37.2)] + [Mm(13.2)] * (len(_UNIT_COLUMNS) - 1)

    def fill(cells, values, *, header: bool = False) -> None:
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[index]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.0
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if index == 0 and not header else WD_ALIGN_PARAGRAPH.CENTER
            )
            add_run(paragraph, str(value), HEADING_FONT if header else BODY_FONT, TABLE_SIZE)

    fill(table.rows[0].cells, _UNIT_COLUMNS, header=True)
    # The header row repeats on every page of a long table.
    header_props = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_props.append(repeat)
    for unit in units:
        fill(
            table.add_row().cells,
            (
                unit.unit_name,
                unit.assigned,
                unit.answered,
                unit.answered_on_time,
                unit.overdue_open,
                unit.satisfied,
                unit.basically_satisfied,
                unit.not_satisfied,
                unit.on_time_rate.percent_text,
                unit.satisfaction_rate.percent_text,
            ),
        )


__all__ = [
    "AnswerLetter",
    "Rate",
    "SessionStatistics",
    "UnitRow",
    "answer_letter_html",
    "build_answer_letter_docx",
    "build_answer_letter_pdf",
    "build_handling_report_docx",
    "build_statistics_xlsx",
    "chinese_date",
    "handling_report_title",
    "letter_title",
    "render_answer_letter_pdf_document",
    "session_label",
]
