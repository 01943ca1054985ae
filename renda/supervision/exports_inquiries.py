"""The documents of a special inquiry: the report (.docx, official layout) with the topic, the
preparatory research, the bodies and officials who attended, every question with its asker,
target, answer and vote, and the rectification list with owners, deadlines and status; and the
votes as a workbook (.xlsx).

`inquiry_report(inquiry)` reads everything once into a frozen dataclass; the builders only lay
it out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

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
from renda.core.exports import build_table_xlsx
from renda.core.models import TimelineEvent
from renda.core.numbers import chinese_numeral
from renda.supervision.actions import common
from renda.supervision.models import Inquiry
from renda.supervision.queries_inquiries import (
    attendees_of,
    questions_of,
    rectifications_of,
)


@dataclass(frozen=True)
class ReportQuestion:
    position: int
    asker: str  # "王安全（人大代表）"
    target: str  # "区住房和城乡建设局局长张局长"
    question: str
    answer: str
    votes: tuple[int, int, int] | None
    rate: str

    @property
    def vote_text(self) -> str:
        if self.votes is None:
            return "尚未进行满意度测评。"
        satisfied, basic, unsatisfied = self.votes
        return (
            f"满意度测评：满意 {satisfied} 票，基本满意 {basic} 票，不满意 {unsatisfied} 票，"
            f"满意率 {self.rate}。"
        )


@dataclass(frozen=True)
class ReportCommitment:
    title: str
    description: str
    question: int
    unit: str
    due_on: date
    status: str


@dataclass(frozen=True)
class InquiryReport:
    topic: str
    year: int
    office: str
    status: str
    meeting: str
    held_on: date | None
    background: str
    research: str
    summary: str
    attendees: tuple[str, ...]
    questions: tuple[ReportQuestion, ...]
    commitments: tuple[ReportCommitment, ...]
    result: str
    generated_on: date

    @property
    def title(self) -> str:
        return f"关于{self.topic}专题询问情况的报告"


def _attendance(attended: bool | None) -> str:
    return {True: "（到会）", False: "（未到会）"}.get(attended, "")


def _result(inquiry: Inquiry) -> str:
    event = TimelineEvent.objects.for_object(inquiry).filter(verb="close").last()
    return event.note if event else ""


def inquiry_report(inquiry: Inquiry) -> InquiryReport:
    inquiry = Inquiry.objects.select_related("office", "meeting").get(pk=inquiry.pk)
    questions = []
    for row in questions_of(inquiry):
        attendee = row.attendee
        voted = row.votes_satisfied is not None
        questions.append(
            ReportQuestion(
                position=row.position,
                asker=f"{row.asker_name}（{row.get_asker_kind_display()}）",
                target=f"{attendee.unit.name}{attendee.official_title}{attendee.official}",
                question=row.question,
                answer=row.answer,
                votes=(row.votes_satisfied, row.votes_basic, row.votes_unsatisfied)
                if voted
                else None,
                rate=row.rate_text,
            )
        )
    commitments = tuple(
        ReportCommitment(
            title=item.title,
            description=item.description,
            question=item.question.position,
            unit=item.unit.name,
            due_on=item.due_on,
            status=item.get_status_display(),
        )
        for item in rectifications_of(inquiry)
    )
    return InquiryReport(
        topic=inquiry.topic,
        year=inquiry.year,
        office=inquiry.office.name,
        status=inquiry.get_status_display(),
        meeting=inquiry.meeting.title if inquiry.meeting_id else "",
        held_on=inquiry.held_on,
        background=inquiry.background,
        research=inquiry.research,
        summary=inquiry.summary,
        attendees=tuple(
            f"{a.unit.name}{a.official_title}{a.official}{_attendance(a.attended)}"
            for a in attendees_of(inquiry)
        ),
        questions=tuple(questions),
        commitments=commitments,
        result=_result(inquiry),
        generated_on=common.today(),
    )


# ---------------------------------------------------------------------------------------------
# The report (.docx)

TABLE_COLUMNS = ("序号", "整改事项", "责任单位", "整改期限", "状态")
TABLE_WIDTHS = (Mm(12), Mm(66), Mm(34), Mm(24), Mm(20))  # 156 mm of type area


def _heading(document, text: str) -> None:
    add_paragraph(document, text, font=HEADING_FONT, first_line_chars=2)


def _body(document, text: str) -> None:
    for line in (text or "").splitlines() or [""]:
        if line.strip():
            add_paragraph(
                document, line.strip(), first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY
            )


def _run_in(document, heading: str, text: str) -> None:
    paragraph = add_paragraph(
        document,
        heading,
        font=SUBHEADING_FONT,
        first_line_chars=2,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    add_run(paragraph, text, BODY_FONT, BODY_SIZE)


def _fill(cells, values, *, header: bool = False) -> None:
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.width = TABLE_WIDTHS[index]
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.LEFT
        add_run(paragraph, str(value), HEADING_FONT if header else BODY_FONT, TABLE_SIZE)


def _commitment_table(document, rows: tuple[ReportCommitment, ...]) -> None:
    table = document.add_table(rows=1, cols=len(TABLE_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill(table.rows[0].cells, TABLE_COLUMNS, header=True)
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for number, row in enumerate(rows, start=1):
        _fill(
            table.add_row().cells,
            (
                number,
                f"{row.title}（问题 {row.question}）：{row.description}",
                row.unit,
                row.due_on.isoformat(),
                row.status,
            ),
        )


def _overview(report: InquiryReport) -> str:
    where = f"在{report.meeting}上" if report.meeting else ""
    when = f"{chinese_date(report.held_on)}，" if report.held_on else ""
    count = len(report.questions)
    return (
        f"{when}区人大常委会{where}就{report.topic}开展专题询问，由{report.office}承办，"
        f"共提出问题{count}个。"
    )


def build_inquiry_report_docx(inquiry: Inquiry) -> bytes:
    report = inquiry_report(inquiry)
    document = new_official_document(title=report.title, author=report.office)
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
        f"（{report.office} {chinese_date(report.generated_on)}）",
        font=SUBHEADING_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(document)
    sections = iter(range(1, 10))

    def heading(text: str) -> None:
        _heading(document, f"{chinese_numeral(next(sections))}、{text}")

    heading("基本情况")
    _body(document, _overview(report))
    _body(document, report.background)
    _body(document, report.summary)
    heading("前期调研")
    _body(document, report.research or "无。")
    heading("应询单位和应询人")
    _body(document, "；".join(report.attendees) + "。" if report.attendees else "无。")
    heading("询问问题及回答")
    if not report.questions:
        _body(document, "无。")
    for question in report.questions:
        _run_in(
            document,
            f"（{chinese_numeral(question.position)}）",
            f"{question.asker}询问{question.target}。",
        )
        _run_in(document, "问：", question.question)
        _run_in(document, "答：", question.answer or "尚未回答。")
        _body(document, question.vote_text)
    heading("整改清单")
    if report.commitments:
        _commitment_table(document, report.commitments)
    else:
        _body(document, "尚未列出整改事项。")
    if report.result:
        heading("办理结果")
        _body(document, report.result)
    return save_document(document)


# ---------------------------------------------------------------------------------------------
# The votes (.xlsx)

VOTE_COLUMNS = ["序号", "提问人", "应询人", "问题", "满意", "基本满意", "不满意", "满意率"]
VOTE_WIDTHS = [6, 20, 30, 50, 8, 10, 8, 10]


def build_inquiry_votes_xlsx(inquiry: Inquiry) -> bytes:
    report = inquiry_report(inquiry)
    rows = [
        [
            q.position,
            q.asker,
            q.target,
            q.question,
            *(q.votes if q.votes else ("", "", "")),
            q.rate if q.votes else "",
        ]
        for q in report.questions
    ]
    return build_table_xlsx(
        title="".join("_" if c in "[]:*?/\\" else c for c in f"{report.topic}专题询问满意度测评"),
        headers=VOTE_COLUMNS,
        rows=rows,
        widths=VOTE_WIDTHS,
    )
