"""The 审议意见书 as Word: opened with python-docx, its text in order — title, addressee, what was
reviewed, the overall opinion, the numbered points, the deadline and the reporting requirement,
the committee and the date — for a draft, an issued opinion and a follow-up round."""

from dataclasses import replace
from datetime import date
from io import BytesIO

import pytest
from docx import Document
from docx.oxml.ns import qn

from renda.core.docx import HEADING_FONT, TITLE_FONT
from renda.meetings.models import Meeting
from renda.supervision.actions import opinions as actions
from renda.supervision.exports_opinions import (
    build_opinion_docx,
    document_title,
    opinion_document,
)
from tests.plans.factories import at
from tests.supervision.opinion_factories import (  # noqa: F401  (the fixtures)
    POINTS,
    VOTE_DAY,
    issue_day_fixture,
    opinions_fixture,
)

pytestmark = pytest.mark.django_db
TITLE = "泉城区人大常委会关于《中华人民共和国安全生产法》执法检查报告的审议意见"
OPENING = (
    "2026年9月24日，泉城区第十八届人大常委会第30次会议听取和审议了执法检查组关于"
    "《中华人民共和国安全生产法》执法检查情况的报告。现将常委会组成人员的审议意见交由你单位研究处理。"
)


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(BytesIO(data)).paragraphs if p.text.strip()]


def test_an_issued_opinion(opinions):
    opinion = opinions.issued()
    data = build_opinion_docx(opinion)
    assert paragraphs(data) == [
        TITLE,
        "区住房和城乡建设局：",
        OPENING,
        "常委会组成人员认为，本区安全生产形势总体平稳。",
        f"一、{POINTS[0]}",
        f"二、{POINTS[1]}",
        "请你单位认真研究处理，对所提问题逐条明确整改措施、责任和时限，"
        "并于2026年11月30日前将研究处理情况书面报告泉城区人大常委会。",
        "泉城区人大常委会",
        "2026年9月28日",
    ]
    document = Document(BytesIO(data))
    assert document.core_properties.title == TITLE
    title_run = document.paragraphs[1].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == TITLE_FONT
    number_run = next(p for p in document.paragraphs if p.text.startswith("一、")).runs[0]
    assert number_run.text == "一、"
    assert number_run._element.rPr.rFonts.get(qn("w:eastAsia")) == HEADING_FONT


def test_a_draft_on_a_work_report(opinions):
    o = opinions
    opinion = o.draft(
        unit=o.org.other_unit,
        source="work_report",
        title="关于城市管理工作情况的报告",
        preamble="",
        points=[("加强城市精细化管理。\n建立长效机制。", None)],
    )
    assert paragraphs(build_opinion_docx(opinion)) == [
        "泉城区人大常委会关于城市管理工作情况的报告的审议意见",
        "（草稿）",
        "区城市管理局：",
        "2026年9月24日，泉城区第十八届人大常委会第30次会议听取和审议了"
        "区城市管理局《关于城市管理工作情况的报告》。现将常委会组成人员的审议意见交由你单位研究处理。",
        "一、加强城市精细化管理。",
        "建立长效机制。",
        "请你单位认真研究处理，对所提问题逐条明确整改措施、责任和时限，"
        "并自收到本审议意见之日起二个月内将研究处理情况书面报告泉城区人大常委会。",
        "泉城区人大常委会",
        "\u3000\u3000年\u3000月\u3000日",
    ]


def test_a_follow_up_round_says_why(opinions, time_machine):
    o = opinions
    opinion = o.reported()
    meeting = Meeting.objects.create(kind="standing", term_number=18, number=32, date=VOTE_DAY)
    time_machine.move_to(at(VOTE_DAY), tick=False)
    actions.record_opinion_vote(
        acting_user=o.staff,
        opinion=opinion,
        meeting=meeting,
        votes_satisfied=3,
        votes_basic=2,
        votes_unsatisfied=10,
    )
    text = paragraphs(build_opinion_docx(opinion))
    assert text[-3] == (
        "泉城区第十八届人大常委会第32次会议对你单位研究处理情况进行了满意度测评，满意率为33.3%，"
        "未达到要求。请你单位继续研究处理，对所提问题逐条明确整改措施、责任和时限，"
        "并于2027年1月20日前将研究处理情况书面报告泉城区人大常委会。"
    )


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("关于某某的审议意见", "泉城区人大常委会关于某某的审议意见"),
        ("泉城区人大常委会关于某某的审议意见", "泉城区人大常委会关于某某的审议意见"),
        ("某某报告", "泉城区人大常委会关于某某报告的审议意见"),
        ("关于某某报告", "泉城区人大常委会关于某某报告的审议意见"),
    ],
)
def test_the_title_takes_any_form_of_the_stored_title(opinions, subject, expected):
    doc = opinion_document(opinions.draft())
    assert document_title(replace(doc, subject=subject)) == expected


def test_without_a_congress_row_the_generic_name_is_used(opinions):
    from renda.core.models import Congress

    Congress.objects.all().delete()
    doc = opinion_document(opinions.draft())
    assert doc.committee == "区人大常委会" and doc.region == ""
    assert paragraphs(build_opinion_docx(opinions.draft(unit=opinions.org.other_unit)))[0] == (
        "区人大常委会关于《中华人民共和国安全生产法》执法检查报告的审议意见"
    )
    assert doc.meeting_date == date(2026, 9, 24)
