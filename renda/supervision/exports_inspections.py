"""The inspection report (执法检查报告) as a Word document in the official layout: title, the
four sections the committee reviews — 一、法律实施的基本情况 二、存在的主要问题 (each problem with
its clause and body) 三、意见建议 四、修改完善法律法规的建议 — then an appendix with the
clause-by-clause checklist, the team and the visits.

`report_data` reads what the document prints into frozen dataclasses (a fixed number of
queries); `build_report_docx` turns them into bytes and knows nothing of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch
from django.utils import timezone
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renda.core.docx import (
    BODY_FONT,
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
from renda.core.models import Congress, Unit
from renda.core.numbers import chinese_numeral
from renda.supervision.models import (
    ChecklistClause,
    Inspection,
    InspectionMethod,
    InvitationStatus,
    TeamRole,
)

SECTIONS = (
    "一、法律实施的基本情况",
    "二、存在的主要问题",
    "三、意见建议",
    "四、修改完善法律法规的建议",
)
NONE_TEXT = "无。"


# ---------------------------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class ReportProblem:
    position: int
    unit: str
    citation: str  # "" when the problem is not tied to one clause
    description: str
    suggestion: str


@dataclass(frozen=True)
class ReportClause:
    position: int
    citation: str
    duty_kind: str
    duty: str
    bodies: str
    conclusion: str
    finding: str


@dataclass(frozen=True)
class ReportMember:
    role: str
    name: str
    title: str
    level: str


@dataclass(frozen=True)
class ReportVisit:
    held_on: date
    method: str
    place: str
    bodies: str
    participants: int


@dataclass(frozen=True)
class ReportQuestionnaire:
    title: str
    audience: str
    distributed: int
    returned: int
    results: str


@dataclass(frozen=True)
class InspectionReport:
    congress_name: str
    law_title: str  # "" when no law was chosen yet
    inspection_title: str
    year: int
    starts_on: date | None
    ends_on: date | None
    reported_on: date
    leader: str
    methods: tuple[str, ...]
    implementation: str
    suggestions: str
    amendments: str
    problems: tuple[ReportProblem, ...]
    clauses: tuple[ReportClause, ...]
    team: tuple[ReportMember, ...]
    visits: tuple[ReportVisit, ...]
    questionnaires: tuple[ReportQuestionnaire, ...]

    @property
    def title(self) -> str:
        return report_title(self.law_title, self.inspection_title)

    @property
    def deputies(self) -> int:
        return sum(1 for m in self.team if m.role == TeamRole.DEPUTY.label)


def report_title(law_title: str, inspection_title: str) -> str:
    if law_title:
        return f"关于检查《{law_title}》实施情况的报告"
    return f"关于{inspection_title}情况的报告"


def report_name(inspection: Inspection) -> str:
    """The file name of the report: "安全生产法执法检查报告"."""
    version = inspection.law_version
    if version is not None:
        law = version.law
        return f"{law.short_title or law.title}执法检查报告"
    return f"{inspection.title}报告"


def _units(rows) -> str:
    return "、".join(unit.name for unit in rows)


def report_data(inspection: Inspection) -> InspectionReport:
    """Everything the report prints, in a fixed number of queries."""
    inspection = (
        Inspection.objects.select_related("law_version__law", "leader")
        .prefetch_related(
            Prefetch(
                "checklist",
                queryset=ChecklistClause.objects.prefetch_related(
                    Prefetch("bodies", queryset=Unit.objects.order_by("sort_order", "id"))
                ).order_by("position", "id"),
            ),
            Prefetch("visits__bodies", queryset=Unit.objects.order_by("sort_order", "id")),
        )
        .get(pk=inspection.pk)
    )
    congress = Congress.current()
    law = inspection.law_version.law.title if inspection.law_version_id else ""
    problems = tuple(
        ReportProblem(
            position=p.position,
            unit=p.unit.name,
            citation=p.clause.citation if p.clause_id else "",
            description=p.description,
            suggestion=p.suggestion,
        )
        for p in inspection.problems.select_related("unit", "clause").order_by("position", "id")
    )
    clauses = tuple(
        ReportClause(
            position=n,
            citation=c.citation,
            duty_kind=c.get_duty_kind_display(),
            duty=c.duty,
            bodies=_units(c.bodies.all()),
            conclusion=c.get_conclusion_display(),
            finding=c.finding,
        )
        for n, c in enumerate(inspection.checklist.all(), start=1)
    )
    team = tuple(
        ReportMember(
            role=m.get_role_display(),
            name=m.name,
            title=m.title,
            level=m.level_label,
        )
        for m in inspection.team.order_by("role", "id")
        if m.role != TeamRole.DEPUTY or m.invitation == InvitationStatus.ACCEPTED
    )
    team = tuple(sorted(team, key=lambda m: _ROLE_ORDER.index(m.role)))
    visits = tuple(
        ReportVisit(
            held_on=v.held_on,
            method=v.get_method_display(),
            place=v.place,
            bodies=_units(v.bodies.all()),
            participants=v.participant_count,
        )
        for v in inspection.visits.annotate(participant_count=Count("participants")).order_by(
            "held_on", "id"
        )
    )
    questionnaires = tuple(
        ReportQuestionnaire(
            title=row.title,
            audience=row.audience,
            distributed=row.distributed,
            returned=row.returned,
            results=row.results,
        )
        for row in inspection.questionnaires.order_by("id")
    )
    reported = inspection.reported_at or timezone.now()
    return InspectionReport(
        congress_name=congress.name if congress else "",
        law_title=law,
        inspection_title=inspection.title,
        year=inspection.year,
        starts_on=inspection.starts_on,
        ends_on=inspection.ends_on,
        reported_on=timezone.localtime(reported).date(),
        leader=inspection.leader.get_full_name() if inspection.leader_id else "",
        methods=tuple(InspectionMethod(m).label for m in inspection.methods),
        implementation=inspection.report_implementation,
        suggestions=inspection.report_suggestions,
        amendments=inspection.report_amendments,
        problems=problems,
        clauses=clauses,
        team=team,
        visits=visits,
        questionnaires=questionnaires,
    )


_ROLE_ORDER = [
    TeamRole.LEADER.label,
    TeamRole.DEPUTY_LEADER.label,
    TeamRole.MEMBER.label,
    TeamRole.DEPUTY.label,
    TeamRole.STAFF.label,
]


# ---------------------------------------------------------------------------------------------
# Wording


def _paragraphs(text: str) -> list[str]:
    lines = (line.strip().strip("\u3000").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


def opening(report: InspectionReport) -> str:
    """The first paragraph: when, who, how, how many clauses and visits."""
    parts = [f"根据区人大常委会{report.year}年度监督工作计划"]
    if report.starts_on and report.ends_on:
        parts.append(f"{chinese_date(report.starts_on)}至{chinese_date(report.ends_on)}")
    subject = f"《{report.law_title}》" if report.law_title else report.inspection_title
    sentence = "，".join(parts) + f"，区人大常委会执法检查组对{subject}在本区的实施情况进行了检查。"
    if report.leader:
        sentence += f"检查组由{report.leader}任组长"
        sentence += f"，{report.deputies}名人大代表应邀参加。" if report.deputies else "。"
    elif report.deputies:
        sentence += f"{report.deputies}名人大代表应邀参加。"
    if report.methods:
        sentence += f"检查采取{'、'.join(report.methods)}等方式，"
    else:
        sentence += "检查"
    sentence += (
        f"逐条对照法律规定检查了{len(report.clauses)}个条款，"
        f"开展检查活动{len(report.visits)}次。现将检查情况报告如下："
    )
    return sentence


def problems_by_unit(report: InspectionReport) -> list[tuple[str, list[ReportProblem]]]:
    groups: dict[str, list[ReportProblem]] = {}
    for problem in report.problems:
        groups.setdefault(problem.unit, []).append(problem)
    return list(groups.items())


def problem_line(number: int, problem: ReportProblem) -> str:
    cited = f"（对照{problem.citation}）" if problem.citation else ""
    return f"{number}．{problem.description.rstrip('。')}{cited}。"


def suggestion_lines(report: InspectionReport) -> list[str]:
    """The report's own suggestions; without them, the problems' suggestions by body."""
    own = _paragraphs(report.suggestions)
    if own:
        return own
    return [
        f"{p.unit}：{p.suggestion.rstrip('。')}。" for p in report.problems if p.suggestion.strip()
    ]


# ---------------------------------------------------------------------------------------------
# The document


def _heading(document, text: str) -> None:
    add_paragraph(document, text, font=HEADING_FONT, first_line_chars=2)


def _body(document, text: str) -> None:
    add_paragraph(document, text, first_line_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _fill(cells, values, widths, *, header: bool = False) -> None:
    for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
        cell.width = widths[index]
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.LEFT
        font = HEADING_FONT if header else BODY_FONT
        add_run(paragraph, str(value), font, TABLE_SIZE)


def _table(document, headers: tuple[str, ...], rows: list[tuple], widths_mm: tuple) -> None:
    widths = [Mm(w) for w in widths_mm]  # together the 156 mm of the type area
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fill(table.rows[0].cells, headers, widths, header=True)
    # The header row repeats on every page of a long table.
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in rows:
        _fill(table.add_row().cells, row, widths)


CHECKLIST_COLUMNS = ("序号", "条款", "职责", "责任主体", "结论", "发现")
TEAM_COLUMNS = ("职责", "姓名", "单位职务", "代表层级")
VISIT_COLUMNS = ("日期", "方式", "地点", "被检查单位", "参加人数")


def _appendix(document, report: InspectionReport) -> None:
    document.add_page_break()
    add_paragraph(document, "附件", font=HEADING_FONT)
    add_paragraph(
        document,
        "执法检查有关情况",
        font=TITLE_FONT,
        size=NOTE_SIZE + 4,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _heading(document, "一、检查条款对照表")
    if report.clauses:
        _table(
            document,
            CHECKLIST_COLUMNS,
            [
                (
                    c.position,
                    c.citation,
                    f"{c.duty_kind}：{c.duty}",
                    c.bodies or "—",
                    c.conclusion,
                    c.finding or "—",
                )
                for c in report.clauses
            ],
            (10, 26, 50, 26, 16, 28),
        )
    else:
        _body(document, NONE_TEXT)
    _heading(document, "二、检查组成员")
    if report.team:
        _table(
            document,
            TEAM_COLUMNS,
            [(m.role, m.name, m.title or "—", m.level or "—") for m in report.team],
            (26, 26, 70, 34),
        )
    else:
        _body(document, NONE_TEXT)
    _heading(document, "三、检查活动")
    if report.visits:
        _table(
            document,
            VISIT_COLUMNS,
            [
                (v.held_on.isoformat(), v.method, v.place, v.bodies or "—", v.participants)
                for v in report.visits
            ],
            (24, 22, 46, 46, 18),
        )
    else:
        _body(document, NONE_TEXT)
    for n, row in enumerate(report.questionnaires, start=1):
        audience = f"，调查对象为{row.audience}" if row.audience else ""
        _body(
            document,
            f"问卷调查{n}：{row.title}{audience}，发放{row.distributed}份，回收{row.returned}份。"
            f"{row.results}",
        )


def build_report_docx(report: InspectionReport) -> bytes:
    document = new_official_document(title=report.title, author=report.congress_name)
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
        f"（{chinese_date(report.reported_on)}）",
        font=SUBHEADING_FONT,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    add_paragraph(document)
    add_paragraph(document, "主任、各位副主任、秘书长、各位委员：")
    _body(document, opening(report))

    _heading(document, SECTIONS[0])
    for text in _paragraphs(report.implementation) or [NONE_TEXT]:
        _body(document, text)

    _heading(document, SECTIONS[1])
    groups = problems_by_unit(report)
    for index, (unit, problems) in enumerate(groups, start=1):
        add_paragraph(
            document,
            f"（{chinese_numeral(index)}）{unit}",
            font=SUBHEADING_FONT,
            first_line_chars=2,
        )
        for number, problem in enumerate(problems, start=1):
            _body(document, problem_line(number, problem))
    if not groups:
        _body(document, "检查未发现需要交办整改的问题。")

    _heading(document, SECTIONS[2])
    for text in suggestion_lines(report) or [NONE_TEXT]:
        _body(document, text)

    _heading(document, SECTIONS[3])
    for text in _paragraphs(report.amendments) or [NONE_TEXT]:
        _body(document, text)

    _appendix(document, report)
    return save_document(document)


def build_inspection_report_docx(inspection: Inspection) -> bytes:
    return build_report_docx(report_data(inspection))
