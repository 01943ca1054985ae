"""The suggestion document builders: open the bytes again and check what a reader would see."""

from __future__ import annotations

import dataclasses
from datetime import date
from io import BytesIO

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from renda.suggestions.exports import (
    AnswerLetter,
    Rate,
    SessionStatistics,
    UnitRow,
    answer_letter_html,
    build_answer_letter_docx,
    build_answer_letter_pdf,
    build_handling_report_docx,
    build_statistics_xlsx,
    letter_title,
    render_answer_letter_pdf_document,
)

TITLE = "关于区十八届人大五次会议第12号建议的答复"


def make_letter(**changes) -> AnswerLetter:
    letter = AnswerLetter(
        region="泉城区",
        term_number=18,
        session_number=5,
        suggestion_number=12,
        suggestion_title="关于加快老旧小区改造的建议",
        deputy_names=("张三", "李四", "王小五"),
        unit_name="区住房和城乡建设局",
        document_number="泉住建函〔2026〕12号",
        category_code="B",
        category_label="正在解决或列入计划逐步解决",
        answer_text=(
            "　　一、关于改造进度。我局已将所提小区列入2027年改造计划。\n\n"
            "二、关于资金保障。区财政已安排专项资金。\n"
            "感谢您对住房和城乡建设工作的关心和支持。"
        ),
        signer="刘局长",
        contact_person="赵六",
        contact_phone="0531-12345678",
        answered_on=date(2026, 11, 27),
        co_unit_names=("区财政局", "区自然资源局"),
        copy_to=("区人大常委会人事代表工作室", "区政府办公室"),
    )
    return dataclasses.replace(letter, **changes)


def open_docx(data: bytes):
    return docx.Document(BytesIO(data))


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs if paragraph.text]


def find(document, fragment: str):
    matches = [p for p in document.paragraphs if fragment in p.text]
    assert matches, f"no paragraph contains {fragment!r}"
    return matches[0]


def east_asia_font(run) -> str | None:
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


# ---------------------------------------------------------------------------------------------
# Rates


def test_rate_prints_percent_with_its_counts():
    rate = Rate(43, 46)
    assert rate.percent == 93.5
    assert str(rate) == "93.5%（43/46）"
    assert rate.percent_text == "93.5%"


def test_rate_without_denominator_is_a_dash():
    assert Rate(0, 0).percent is None
    assert str(Rate(0, 0)) == "—"
    assert Rate(0, 0).percent_text == "—"


def test_rate_rounds_half_up_and_drops_a_useless_decimal():
    # 1/16 = 6.25 %: statistics round half up to 6.3; Python's round() would say 6.2.
    assert Rate(1, 16).percent == 6.3
    assert Rate(46, 46).percent_text == "100%"
    assert Rate(0, 5).percent_text == "0%"
    assert Rate(40, 43).percent_text == "93.0%"  # rounded, so the decimal stays
    assert str(Rate(2, 3)) == "66.7%（2/3）"


@pytest.mark.parametrize(("numerator", "denominator"), [(5, 4), (-1, 3), (1, -1)])
def test_rate_refuses_impossible_counts(numerator, denominator):
    with pytest.raises(ValueError):
        Rate(numerator, denominator)


def test_unit_rates_count_open_overdue_as_late_and_both_satisfied_grades():
    unit = UnitRow("区住建局", 18, 16, 15, 2, 12, 3, 1)
    assert unit.on_time_rate == Rate(15, 18)  # 16 answered + 2 overdue and still open
    assert unit.satisfaction_rate == Rate(15, 16)


# ---------------------------------------------------------------------------------------------
# Answer letter


def test_letter_title_names_the_session_in_chinese_numerals():
    assert letter_title(make_letter()) == TITLE
    assert letter_title(make_letter(term_number=9, session_number=10, suggestion_number=105)) == (
        "关于区九届人大十次会议第105号建议的答复"
    )
    assert letter_title(make_letter(round_label="（再次答复）")) == TITLE + "（再次答复）"


def test_letter_docx_puts_category_top_right_in_a_box():
    document = open_docx(build_answer_letter_docx(make_letter()))
    first = document.paragraphs[0]
    assert first.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert "B" in first.text
    boxed = [run for run in first.runs if run._element.rPr.find(qn("w:bdr")) is not None]
    assert [run.text.strip() for run in boxed] == ["B"]


def test_letter_docx_has_number_title_salutation_and_body_in_order():
    letter = make_letter()
    document = open_docx(build_answer_letter_docx(letter))
    lines = texts(document)
    number = lines.index("泉住建函〔2026〕12号")
    title = lines.index(TITLE)
    salutation = lines.index("张三、李四、王小五代表：")
    assert number < title < salutation
    assert find(document, "泉住建函").alignment == WD_ALIGN_PARAGRAPH.CENTER

    title_paragraph = find(document, TITLE)
    assert title_paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia_font(title_paragraph.runs[0]) == "方正小标宋简体"
    assert title_paragraph.runs[0].font.size.pt == 22

    # The answer's paragraphs, stripped of the unit's own full-width indentation.
    body = lines[salutation + 1 : salutation + 5]
    assert body[1] == "一、关于改造进度。我局已将所提小区列入2027年改造计划。"
    assert body[2] == "二、关于资金保障。区财政已安排专项资金。"
    assert body[3] == "感谢您对住房和城乡建设工作的关心和支持。"
    for text in body:
        paragraph = find(document, text)
        assert paragraph.paragraph_format.first_line_indent.pt == 32  # two characters of 16 pt
        assert paragraph.paragraph_format.line_spacing.pt == 28
        assert east_asia_font(paragraph.runs[0]) == "仿宋_GB2312"
        assert paragraph.runs[0].font.size.pt == 16


def test_letter_docx_adds_the_standard_opening_only_when_missing():
    document = open_docx(build_answer_letter_docx(make_letter()))
    opening = texts(document)[texts(document).index("张三、李四、王小五代表：") + 1]
    assert opening == (
        "各位代表在泉城区第十八届人民代表大会第五次会议期间提出的"
        "《关于加快老旧小区改造的建议》（第12号）收悉。现答复如下："
    )

    own = "您提出的《关于加快老旧小区改造的建议》收悉，现答复如下："
    letter = make_letter(deputy_names=("张三",), answer_text=own + "\n已列入计划。")
    lines = texts(open_docx(build_answer_letter_docx(letter)))
    assert lines[lines.index("张三代表：") + 1] == own
    assert sum("收悉" in line for line in lines) == 1


def test_letter_docx_signs_off_right_aligned_with_notes_and_copy_to_last():
    document = open_docx(build_answer_letter_docx(make_letter()))
    lines = texts(document)
    unit = find(document, "区住房和城乡建设局")
    day = find(document, "2026年11月27日")
    assert unit.text == "区住房和城乡建设局"
    assert day.text == "2026年11月27日"
    assert unit.alignment == day.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # The date stands four characters from the right; the name is centred over it: nine
    # characters over seven (digits are half-width), so one character further right.
    assert day.paragraph_format.right_indent.pt == 64
    assert unit.paragraph_format.right_indent.pt == 48

    assert "签发人：刘局长" in lines
    assert "联系人：赵六　　联系电话：0531-12345678" in lines
    assert "会办单位：区财政局、区自然资源局" in lines
    assert lines[-1] == "抄送：区人大常委会人事代表工作室，区政府办公室。"
    assert lines.index("2026年11月27日") < lines.index("签发人：刘局长") < len(lines) - 1
    copy_to = document.paragraphs[-1]
    assert copy_to._p.pPr.find(qn("w:pBdr")) is not None


def test_letter_docx_leaves_out_empty_parts():
    letter = make_letter(document_number="", co_unit_names=(), copy_to=(), contact_phone="")
    lines = texts(open_docx(build_answer_letter_docx(letter)))
    assert not any("会办单位" in line or "抄送" in line or "泉住建函" in line for line in lines)
    assert "联系人：赵六" in lines
    assert lines.index(TITLE) < lines.index("张三、李四、王小五代表：")


def test_letter_docx_marks_face_to_face_answers():
    plain = texts(open_docx(build_answer_letter_docx(make_letter())))
    met = texts(open_docx(build_answer_letter_docx(make_letter(is_face_to_face=True))))
    assert "答复方式：当面答复" not in plain
    assert "答复方式：当面答复" in met


def test_letter_docx_is_a4_with_official_margins_and_chinese_fonts():
    data = build_answer_letter_docx(make_letter(category_code="甲"))
    document = open_docx(data)
    section = document.sections[0]
    for measured, expected in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert measured.mm == pytest.approx(expected, abs=0.1)
    assert "甲" in document.paragraphs[0].text

    xml = document.element.xml
    assert "答复如下" in xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    assert 'w:eastAsia="方正小标宋简体"' in xml
    # Word on a machine without the GB2312 fonts substitutes through the font table.
    font_table = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("fontTable")
    )
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in font_table.blob.decode()
    assert document.core_properties.title == TITLE


def test_letter_html_escapes_text_and_reaches_for_nothing_outside():
    letter = make_letter(answer_text='<img src="http://example.invalid/x.png">改造', round_label="")
    html = answer_letter_html(letter)
    assert "&lt;img" in html and "<img" not in html
    assert "http://" not in html.replace("&quot;http://", "")
    assert TITLE in html
    assert "张三、李四、王小五代表：" in html
    assert "泉住建函〔2026〕12号" in html
    assert "Noto Serif CJK SC" in html
    assert "margin: 37mm 26mm 35mm 28mm" in html


def test_letter_pdf_is_one_page_in_noto_serif_cjk():
    letter = make_letter()
    data = build_answer_letter_pdf(letter)
    assert data.startswith(b"%PDF")
    assert len(data) > 5_000
    document = render_answer_letter_pdf_document(letter)
    assert len(document.pages) == 1
    # Subset fonts are named in the uncompressed file: Chinese was set in Noto, not boxes.
    assert b"Noto-Serif-CJK-SC" in document.write_pdf(uncompressed_pdf=True)


def test_letter_pdf_breaks_a_long_answer_across_pages():
    long_answer = "\n".join(f"{n}. 关于第{n}个小区的改造安排已经列入计划。" * 3 for n in range(60))
    document = render_answer_letter_pdf_document(make_letter(answer_text=long_answer))
    assert 3 <= len(document.pages) <= 10


# ---------------------------------------------------------------------------------------------
# Session statistics


UNITS = (
    UnitRow("区住房和城乡建设局", 18, 16, 15, 2, 12, 3, 1),
    UnitRow("区教育和体育局", 12, 12, 12, 0, 10, 2, 0),
    UnitRow("区城市管理局", 16, 15, 16 - 2, 1, 9, 4, 2),
)


def make_stats(**changes) -> SessionStatistics:
    stats = SessionStatistics(
        congress_name="济南市泉城区人大常委会",
        term_number=18,
        session_number=5,
        generated_on=date(2026, 11, 27),
        total=46,
        by_state=(("已答复", 40), ("办理中", 6)),
        by_category=(("城乡建设", 20), ("教育", 12), ("城市管理", 14)),
        by_answer_category=(
            ("A", "已经解决或基本解决", 20),
            ("B", "正在解决或列入计划逐步解决", 15),
            ("C", "因条件限制需待以后解决", 5),
        ),
        units=UNITS,
        on_time_rate=Rate(43, 46),
        satisfaction_rate=Rate(40, 43),
        solved_rate=Rate(20, 40),
        solved_or_planned_rate=Rate(35, 40),
        key_suggestions=(
            (12, "关于加快老旧小区改造的建议", "区住房和城乡建设局", "办理中"),
            (None, "关于增加学位供给的建议", "区教育和体育局", "已答复"),
        ),
    )
    return dataclasses.replace(stats, **changes)


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_statistics_xlsx_has_one_sheet_per_view():
    workbook = openpyxl.load_workbook(BytesIO(build_statistics_xlsx(make_stats())))
    assert workbook.sheetnames == [
        "概况",
        "按状态",
        "按类别",
        "按答复类别",
        "按承办单位",
        "重点督办",
    ]
    overview = workbook["概况"]
    # The shared table look of renda.core.exports: merged bold title, bold header, frozen.
    assert overview["A1"].value == "区十八届人大五次会议代表建议办理概况（截至2026年11月27日）"
    assert overview["A1"].font.bold
    assert "A1:E1" in {str(merged) for merged in overview.merged_cells.ranges}
    assert overview["A2"].font.bold
    assert overview.freeze_panes == "A3"


def test_statistics_xlsx_overview_gives_rates_with_their_counts():
    workbook = openpyxl.load_workbook(BytesIO(build_statistics_xlsx(make_stats())))
    by_name = {row[0]: row for row in rows(workbook["概况"])[2:]}
    assert by_name["建议总数"][1] == 46
    assert by_name["按期答复率"][1:4] == (93.5, 43, 46)
    assert by_name["满意率"][1:4] == (93.0, 40, 43)
    assert by_name["解决率"][1:4] == (50.0, 20, 40)
    assert by_name["解决和列入计划率"][1:4] == (87.5, 35, 40)


def test_statistics_xlsx_prints_a_dash_for_a_rate_with_nothing_to_count():
    stats = make_stats(total=0, satisfaction_rate=Rate(0, 0), by_state=(("已交办", 0),))
    workbook = openpyxl.load_workbook(BytesIO(build_statistics_xlsx(stats)))
    by_name = {row[0]: row for row in rows(workbook["概况"])[2:]}
    assert by_name["满意率"][1:4] == ("—", 0, 0)
    assert rows(workbook["按状态"])[2] == ("已交办", 0, "—")


def test_statistics_xlsx_lists_every_unit_with_its_own_rates_and_a_total():
    workbook = openpyxl.load_workbook(BytesIO(build_statistics_xlsx(make_stats())))
    sheet = rows(workbook["按承办单位"])
    assert sheet[1][0] == "承办单位" and sheet[1][-2:] == ("按期答复率（%）", "满意率（%）")
    body = {row[0]: row for row in sheet[2:]}
    assert body["区住房和城乡建设局"] == ("区住房和城乡建设局", 18, 16, 15, 2, 12, 3, 1, 83.3, 93.8)
    assert body["区教育和体育局"][-2:] == (100.0, 100.0)
    assert body["区城市管理局"][-2:] == (87.5, 86.7)  # 14 of 15 + 1 overdue; 13 of 15 rated
    assert body["合计"][1:8] == (46, 43, 41, 3, 31, 9, 3)
    assert [row[0] for row in sheet[2:]][-1] == "合计"


def test_statistics_xlsx_shares_and_key_suggestions():
    workbook = openpyxl.load_workbook(BytesIO(build_statistics_xlsx(make_stats())))
    assert rows(workbook["按状态"])[2:] == [("已答复", 40, 87.0), ("办理中", 6, 13.0)]
    assert rows(workbook["按答复类别"])[2] == ("A", "已经解决或基本解决", 20, 50.0)
    key = rows(workbook["重点督办"])[2:]
    assert key[0] == (12, "关于加快老旧小区改造的建议", "区住房和城乡建设局", "办理中")
    assert key[1][0] is None  # not numbered yet: an empty cell, not "None"
    assert key[1][1] == "关于增加学位供给的建议"


# ---------------------------------------------------------------------------------------------
# Handling report


def report_text(stats: SessionStatistics) -> tuple[object, str]:
    document = open_docx(build_handling_report_docx(stats))
    return document, "\n".join(texts(document))


def test_handling_report_has_title_and_the_four_parts_in_order():
    document, text = report_text(make_stats())
    title = find(document, "关于区十八届人大五次会议代表建议办理情况的报告")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert east_asia_font(title.runs[0]) == "方正小标宋简体"
    positions = [
        text.index(h) for h in ("一、基本情况", "二、办理成效", "三、存在的问题", "四、下一步工作")
    ]
    assert positions == sorted(positions)
    assert east_asia_font(find(document, "一、基本情况").runs[0]) == "黑体"
    assert "代表共提出建议46件" in text
    assert "由济南市泉城区人大常委会交3个承办单位办理" in text
    assert "城乡建设方面20件（占43.5%）" in text
    assert "第12号《关于加快老旧小区改造的建议》" in text


def test_handling_report_states_the_rates_in_words():
    _, text = report_text(make_stats())
    assert "按期答复率为93.5%（按期答复43件，共46件）" in text
    assert "满意率（满意和基本满意）为93.0%" in text
    assert "解决率为50%" in text
    assert "列入计划解决的比率为87.5%" in text
    assert "满意31件次、基本满意9件次、不满意3件次" in text


def test_handling_report_names_units_with_overdue_and_unsatisfied_items():
    _, text = report_text(make_stats())
    problems = text[text.index("三、存在的问题") : text.index("四、下一步工作")]
    assert (
        "仍有3件次建议超过办理期限未答复，涉及区住房和城乡建设局（2件）、区城市管理局（1件）"
        in problems
    )
    assert "区教育和体育局" not in problems
    assert "不满意，涉及区住房和城乡建设局（1件）、区城市管理局（2件）" in problems


def test_handling_report_without_problems_or_figures_says_so():
    calm = (UnitRow("区教育和体育局", 12, 12, 12, 0, 10, 2, 0),)
    _, text = report_text(make_stats(units=calm, satisfaction_rate=Rate(0, 0)))
    problems = text[text.index("三、存在的问题") : text.index("四、下一步工作")]
    assert "目前没有超过办理期限未答复的建议" in problems
    assert "暂无不满意的情况" in problems
    assert "满意率（满意和基本满意）暂无可计算的数据" in text


def test_handling_report_attaches_the_table_of_units():
    document, _ = report_text(make_stats())
    [table] = document.tables
    header = [cell.text for cell in table.rows[0].cells]
    assert header[0] == "承办单位" and header[-2:] == ["按期答复率", "满意率"]
    assert [row.cells[0].text for row in table.rows[1:]] == [unit.unit_name for unit in UNITS]
    assert [cell.text for cell in table.rows[1].cells] == [
        "区住房和城乡建设局",
        "18",
        "16",
        "15",
        "2",
        "12",
        "3",
        "1",
        "83.3%",
        "93.8%",
    ]
    header_font = table.rows[0].cells[0].paragraphs[0].runs[0]
    assert east_asia_font(header_font) == "黑体"

    empty, _ = report_text(make_stats(units=()))
    assert empty.tables == []
