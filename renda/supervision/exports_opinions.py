"""The review opinion as an official document (审议意见书): title, addressee, what the committee
reviewed, the overall opinion, the numbered points, the handling deadline with the reporting
requirement, the committee and the date.

`opinion_document(opinion)` reads what the document prints (a fixed number of queries) into a
frozen dataclass; `render_opinion_docx` lays it out and knows nothing of models or the web;
`build_opinion_docx(opinion)` does both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH

from renda.core.docx import (
    BODY_FONT,
    BODY_SIZE,
    HEADING_FONT,
    SUBHEADING_FONT,
    TITLE_FONT,
    TITLE_SIZE,
    add_paragraph,
    add_run,
    chinese_date,
    new_official_document,
    save_document,
)
from renda.core.models import Congress
from renda.core.numbers import chinese_numeral
from renda.supervision.actions.common import satisfaction_rate
from renda.supervision.actions.opinions import percent_text
from renda.supervision.models import OpinionStatus, ReviewOpinion, SupervisionRules

DEFAULT_COMMITTEE = "区人大常委会"
BLANK_DATE = "　　年　月　日"


@dataclass(frozen=True)
class OpinionDocument:
    """Everything printed on one 审议意见书."""

    committee: str  # "泉城区人大常委会": the title and the signature
    region: str
    subject: str  # the stored title: "关于……的审议意见" or just "……"
    unit_name: str
    meeting_title: str
    meeting_date: date
    source_phrase: str  # what the committee heard and reviewed
    preamble: str
    points: tuple[str, ...]
    handling_months: int
    due_on: date | None
    issued_on: date | None
    round: int = 1
    vote_meeting_title: str = ""
    vote_rate_text: str = ""
    is_draft: bool = False


def _split_paragraphs(text: str) -> list[str]:
    # Text pasted from Word keeps its own full-width indentation; the layout indents instead.
    lines = (line.strip().strip("\u3000").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


def document_title(doc: OpinionDocument) -> str:
    """ "泉城区人大常委会关于……的审议意见", whether the stored title is the whole phrase, starts
    with 关于, or names only the subject."""
    subject = doc.subject.strip()
    if subject.startswith(doc.committee):
        subject = subject[len(doc.committee) :]
    if not subject.endswith("审议意见"):
        subject = f"{subject}的审议意见"
    if not subject.startswith("关于"):
        subject = f"关于{subject}"
    return f"{doc.committee}{subject}"


def opening(doc: OpinionDocument) -> str:
    return (
        f"{chinese_date(doc.meeting_date)}，{doc.region}{doc.meeting_title}听取和审议了"
        f"{doc.source_phrase}。现将常委会组成人员的审议意见交由你单位研究处理。"
    )


def requirement(doc: OpinionDocument) -> str:
    """The handling deadline and the reporting requirement (监督法 第十四条: the body reports
    its handling of the opinions in writing)."""
    when = (
        f"于{chinese_date(doc.due_on)}前"
        if doc.due_on
        else f"自收到本审议意见之日起{chinese_numeral(doc.handling_months)}个月内"
    )
    verb = "继续研究处理" if doc.round > 1 else "认真研究处理"
    ask = (
        f"请你单位{verb}，对所提问题逐条明确整改措施、责任和时限，"
        f"并{when}将研究处理情况书面报告{doc.committee}。"
    )
    if doc.round > 1 and doc.vote_meeting_title:
        # A follow-up round says why the body must handle the opinions again.
        vote = (
            f"{doc.region}{doc.vote_meeting_title}对你单位研究处理情况进行了满意度测评，"
            f"满意率为{doc.vote_rate_text}，未达到要求。"
        )
        return vote + ask
    return ask


def numbered(points: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Each point as its number ("一、") and its paragraphs."""
    return [
        (f"{chinese_numeral(n)}、", _split_paragraphs(text) or [""])
        for n, text in enumerate(points, start=1)
    ]


def render_opinion_docx(doc: OpinionDocument) -> bytes:
    title = document_title(doc)
    document = new_official_document(title=title, author=doc.committee)
    add_paragraph(document)
    # 方正小标宋 is heavy already: the title is never bolded.
    add_paragraph(
        document,
        title,
        font=TITLE_FONT,
        size=TITLE_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        line_pitch=36,
    )
    if doc.is_draft:
        add_paragraph(document, "（草稿）", font=SUBHEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_paragraph(document)
    add_paragraph(document, f"{doc.unit_name}：")
    add_paragraph(document, opening(doc), first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for text in _split_paragraphs(doc.preamble):
        add_paragraph(document, text, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for number, paragraphs in numbered(doc.points):
        # The first-level number (一、) is set in 黑体, as official documents set it.
        first = add_paragraph(document, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        add_run(first, number, HEADING_FONT, BODY_SIZE)
        add_run(first, paragraphs[0], BODY_FONT, BODY_SIZE)
        for text in paragraphs[1:]:
            add_paragraph(document, text, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add_paragraph(document, requirement(doc), first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    add_paragraph(document)
    date_text = chinese_date(doc.issued_on) if doc.issued_on else BLANK_DATE
    add_paragraph(document, doc.committee, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    add_paragraph(document, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
    return save_document(document)


# ---------------------------------------------------------------------------------------------
# Reading an opinion


def _source_phrase(opinion: ReviewOpinion) -> str:
    if opinion.inspection_id:
        return f"执法检查组关于{opinion.inspection.title}情况的报告"
    report = opinion.work_report
    title = report.title.strip()
    return f"{report.unit.name}{title if title.startswith('《') else f'《{title}》'}"


def opinion_document(opinion: ReviewOpinion) -> OpinionDocument:
    opinion = (
        ReviewOpinion.objects.select_related(
            "unit", "meeting", "vote_meeting", "inspection", "work_report", "work_report__unit"
        )
        .filter(pk=opinion.pk)
        .get()
    )
    congress = Congress.current()
    rate = satisfaction_rate(
        opinion.votes_satisfied, opinion.votes_basic, opinion.votes_unsatisfied
    )
    return OpinionDocument(
        committee=(congress.short_name if congress else "") or DEFAULT_COMMITTEE,
        region=congress.region if congress else "",
        subject=opinion.title,
        unit_name=opinion.unit.name,
        meeting_title=opinion.meeting.title,
        meeting_date=opinion.meeting.date,
        source_phrase=_source_phrase(opinion),
        preamble=opinion.preamble,
        points=tuple(opinion.points.order_by("position", "id").values_list("text", flat=True)),
        handling_months=SupervisionRules.current().opinion_handling_months,
        due_on=opinion.due_on,
        issued_on=opinion.issued_on,
        round=opinion.round,
        vote_meeting_title=opinion.vote_meeting.title if opinion.vote_meeting_id else "",
        vote_rate_text=percent_text(rate) if rate is not None else "",
        is_draft=opinion.status == OpinionStatus.DRAFT,
    )


def build_opinion_docx(opinion: ReviewOpinion) -> bytes:
    return render_opinion_docx(opinion_document(opinion))


def opinion_docx_filename(opinion: ReviewOpinion) -> str:
    return f"审议意见-{opinion.unit.name}-{opinion.pk}.docx"
