"""The inquiry report (.docx) says what happened: topic, research, who attended, each question with
its asker, target, answer and vote (满意率), and the rectification list with owners, deadlines
and status; after closing, the result. The votes workbook holds the same counts."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from renda.supervision.actions import inquiries as actions
from renda.supervision.exports_inquiries import build_inquiry_report_docx, build_inquiry_votes_xlsx
from tests.supervision.factories import at
from tests.supervision.matrix_inquiries import ANSWER, QUESTION, InquiryWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(supervision, time_machine) -> InquiryWorld:
    time_machine.move_to(at(date(2026, 9, 25)), tick=False)
    return InquiryWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        unit_user=supervision.p.unit,
        deputy=supervision.deputies[0],
        meeting=supervision.standing_meeting,
    )


def text_of(content: bytes) -> tuple[list[str], list[list[str]]]:
    document = Document(BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, rows


def vote(world, inquiry):
    actions.record_question_vote(
        acting_user=world.staff,
        inquiry=inquiry,
        question=world.question(inquiry),
        votes_satisfied=30,
        votes_basic=5,
        votes_unsatisfied=2,
    )


def test_the_report_of_an_inquiry_in_rectification(world):
    inquiry = world.preparing()
    actions.update_inquiry(
        acting_user=world.staff,
        inquiry=inquiry,
        topic="城市管理工作",
        research="组织代表走访 6 个街道",
        meeting=world.meeting,
    )
    inquiry = world.rectifying()
    vote(world, inquiry)
    paragraphs, rows = text_of(build_inquiry_report_docx(inquiry))
    assert paragraphs[:2] == [
        "关于城市管理工作专题询问情况的报告",
        "（社会建设工作室 2026年9月25日）",
    ]
    assert "一、基本情况" in paragraphs and "二、前期调研" in paragraphs
    assert (
        "2026年9月24日，区人大常委会在第十八届人大常委会第30次会议上就城市管理工作开展专题询问，"
        "由社会建设工作室承办，共提出问题1个。"
    ) in paragraphs
    assert "三、应询单位和应询人" in paragraphs
    assert "区住房和城乡建设局局长张局长。" in paragraphs
    assert "（一）王安全（人大代表）询问区住房和城乡建设局局长张局长。" in paragraphs
    assert f"问：{QUESTION}" in paragraphs and f"答：{ANSWER}" in paragraphs
    assert "满意度测评：满意 30 票，基本满意 5 票，不满意 2 票，满意率 94.6%。" in paragraphs
    assert "五、整改清单" in paragraphs
    assert rows == [
        ["序号", "整改事项", "责任单位", "整改期限", "状态"],
        [
            "1",
            "背街小巷保洁（问题 1）：建立巡查保洁长效机制",
            "区住房和城乡建设局",
            "2026-12-25",
            "待整改",
        ],
    ]
    assert not any(p.startswith("六、") for p in paragraphs)


def test_a_closed_inquiry_reports_its_result(world):
    inquiry = world.closed()
    paragraphs, rows = text_of(build_inquiry_report_docx(inquiry))
    assert "六、办理结果" in paragraphs and "整改事项全部销号" in paragraphs
    assert rows[1][-1] == "已销号"
    assert "尚未进行满意度测评。" in paragraphs


def test_an_inquiry_in_preparation_says_what_is_missing(world):
    inquiry = world.create(meeting=None)
    paragraphs, rows = text_of(build_inquiry_report_docx(inquiry))
    assert paragraphs.count("无。") == 3  # research, attendees, questions
    assert "尚未列出整改事项。" in paragraphs and rows == []


def test_the_votes_workbook(world):
    inquiry = world.held()
    vote(world, inquiry)
    sheet = load_workbook(BytesIO(build_inquiry_votes_xlsx(inquiry))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "城市管理工作专题询问满意度测评"
    assert values[1] == ["序号", "提问人", "应询人", "问题", "满意", "基本满意", "不满意", "满意率"]
    assert values[2] == [
        1,
        "王安全（人大代表）",
        "区住房和城乡建设局局长张局长",
        QUESTION,
        30,
        5,
        2,
        "94.6%",
    ]
