"""The yearly PDF archive, read back: its pages, its text and its fonts."""

import pytest
from weasyprint.formatting_structure import boxes

from renda.deputies.archive import (
    PARTS,
    archive_filename,
    archive_pdf,
    build_archive_pdf,
    render_archive_document,
)
from renda.deputies.queries_record import record_of
from tests.deputies.record_factories import YEAR

# The record fixture (not in the package's conftest, which other helpers own).

pytestmark = pytest.mark.django_db

A4_WIDTH_PX = 210 / 25.4 * 96  # CSS pixels


def text_of(document) -> str:
    """The text WeasyPrint laid out, page by page."""
    return "".join(
        box.text
        for page in document.pages
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )


def test_the_archive_is_an_a4_pdf_in_noto_cjk(record_world):
    data = archive_pdf(record_world.zhang, YEAR)
    assert data.startswith(b"%PDF-")
    document = render_archive_document(record_of(record_world.zhang, YEAR))
    assert abs(document.pages[0].width - A4_WIDTH_PX) < 1
    assert b"Noto-Serif-CJK-SC" in document.write_pdf(uncompressed_pdf=True)


def test_the_archive_holds_the_name_the_summary_and_every_section(record_world):
    record = record_of(record_world.zhang, YEAR)
    text = text_of(render_archive_document(record, congress_name="济南市历下区人大常委会"))
    assert "张代表2026年度履职档案" in text and "济南市历下区人大常委会" in text
    assert "第18届区人大代表" in text and "泉城路街道代表小组" in text
    assert "履职情况汇总" in text
    for part in PARTS:
        assert part in text, part
    for item in ("区十八届人大五次会议", "调研停车", "关于增设停车位的建议", "李代表领衔的建议"):
        assert item in text, item
    assert "泉城路街道代表联络站" in text and "履职培训" in text
    assert "共收集选民意见 3 条" in text
    # Not counted, so not printed.
    assert "一份草稿" not in text and "去年视察" not in text


def test_the_archive_prints_no_private_data(record_world, personas):
    text = text_of(render_archive_document(record_of(record_world.zhang, YEAR)))
    for private in ("11010519491231002X", "13912345678", "1949-12-31", "区人民医院"):
        assert private not in text


def test_an_empty_year_says_so_in_each_section(personas):
    record = record_of(personas.deputy.deputy, 2024)
    text = text_of(render_archive_document(record))
    for empty in ("本年度无会议出席记录", "本年度无履职活动记录", "本年度无领衔提出的建议、议案"):
        assert empty in text
    assert build_archive_pdf(record).startswith(b"%PDF-")


def test_the_file_name():
    assert archive_filename("张三", 2026) == "张三-2026年履职档案.pdf"
