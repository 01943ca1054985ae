"""The inspection report as a Word document: title, the four sections, each problem with its
clause and body, and the appendix (checklist, team, visits) — read back with python-docx."""

from io import BytesIO

import pytest
from django.urls import reverse
from docx import Document

from renda.supervision.exports_inspections import (
    SECTIONS,
    build_inspection_report_docx,
    opening,
    report_data,
)
from tests.supervision.inspection_builders import world_for

pytestmark = pytest.mark.django_db

TITLE = "关于检查《中华人民共和国安全生产法》实施情况的报告"


@pytest.fixture
def world(supervision, time_machine):
    return world_for(supervision, time_machine)


def read(data: bytes):
    document = Document(BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return document, paragraphs, tables


def test_the_report_in_official_layout(world):
    inspection = world.reported()
    document, paragraphs, tables = read(build_inspection_report_docx(inspection))
    assert paragraphs[0] == TITLE
    assert document.core_properties.title == TITLE
    assert paragraphs[1] == "（2026年10月12日）"
    assert paragraphs[2] == "主任、各位副主任、秘书长、各位委员："
    for heading in SECTIONS:
        assert heading in paragraphs
    # The sections come in order, each with its own text.
    at = {heading: paragraphs.index(heading) for heading in SECTIONS}
    assert at[SECTIONS[0]] < at[SECTIONS[1]] < at[SECTIONS[2]] < at[SECTIONS[3]]
    assert paragraphs[at[SECTIONS[0]] + 1 : at[SECTIONS[1]]] == [
        "全区安全生产形势总体平稳。",
        "各部门认真履行监管职责。",
    ]
    problems = paragraphs[at[SECTIONS[1]] + 1 : at[SECTIONS[2]]]
    assert problems == [
        "（一）区住房和城乡建设局",
        "1．部分建筑施工企业全员安全生产责任制流于形式（对照第二十一条第（一）项）。",
        "2．安全生产教育培训计划执行不到位（对照第二十一条第（三）项）。",
        "（二）区城市管理局",
        "1．市政养护企业新员工岗前培训缺失（对照第二十八条）。",
    ]
    assert paragraphs[at[SECTIONS[2]] + 1] == "进一步压实企业主体责任。"
    assert paragraphs[at[SECTIONS[3]] + 1] == "建议修订地方性法规，细化培训要求。"


def test_the_opening_says_who_when_and_how(world):
    report = report_data(world.reported())
    assert opening(report) == (
        "根据区人大常委会2026年度监督工作计划，2026年5月6日至2026年9月30日，"
        "区人大常委会执法检查组对《中华人民共和国安全生产法》在本区的实施情况进行了检查。"
        "检查组由李主任任组长，2名人大代表应邀参加。检查采取座谈会、实地检查等方式，"
        "逐条对照法律规定检查了3个条款，开展检查活动1次。现将检查情况报告如下："
    )


def test_the_appendix_has_the_checklist_the_team_and_the_visits(world):
    _, paragraphs, tables = read(build_inspection_report_docx(world.reported()))
    assert "附件" in paragraphs
    checklist, team, visits = tables
    assert checklist[0] == ["序号", "条款", "职责", "责任主体", "结论", "发现"]
    assert [row[1] for row in checklist[1:]] == [
        "第二十一条第（一）项",
        "第二十一条第（三）项",
        "第二十八条",
    ]
    assert checklist[3][3] == "区住房和城乡建设局、区城市管理局"
    assert [row[4] for row in checklist[1:]] == ["部分落实", "未落实", "落实到位"]
    assert checklist[1][2] == "法定职责：主要负责人建立健全并落实全员安全生产责任制"
    # Those who declined are not on the team.
    assert [row[:2] for row in team[1:]] == [
        ["组长", "李主任"],
        ["特邀代表", "张代表"],
        ["特邀代表", "王安全"],
        ["工作人员", "社建室干部"],
    ]
    assert team[2][3] == "区人大代表"
    assert visits[1] == ["2026-06-10", "实地检查", "区建筑工地三处", "区住房和城乡建设局", "4"]
    assert any(p.startswith("问卷调查1：企业安全生产培训情况问卷") for p in paragraphs)


def test_an_early_report_says_what_is_missing(world):
    _, paragraphs, tables = read(build_inspection_report_docx(world.draft(law_version=None)))
    assert paragraphs[0] == "关于《安全生产法》执法检查情况的报告"
    assert "检查未发现需要交办整改的问题。" in paragraphs
    assert paragraphs.count("无。") >= 3
    assert tables == []


def test_the_report_is_downloaded_by_those_who_see_the_inspection(world, client, supervision):
    inspection = world.reported()
    url = reverse("supervision:inspection_report_docx", args=[inspection.pk])
    client.force_login(world.unit_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert "attachment" in response["Content-Disposition"]
    assert read(response.content)[1][0] == TITLE
    client.force_login(supervision.p.street)
    assert client.get(url).status_code == 403
