"""renda/core/officefiles.py: every .xlsx/.docx is checked as a zip before it is read (entry
count, unpacked size, compression ratio, and the bytes really unpacked, not the sizes declared),
and a .docx's text is streamed with bounded memory, as python-docx would read it."""

from __future__ import annotations

from io import BytesIO

import docx
import pytest
from docx.oxml import OxmlElement

from renda.core import officefiles
from renda.core.officefiles import OfficeFileRefused, check_package, docx_paragraphs
from tests.core.officebombs import (
    MB,
    docx_bytes,
    huge_text_node_docx,
    lying_sizes,
    many_entries,
    measured,
    paragraphs_bomb,
    xlsx_bytes,
)

TOO_LARGE = "文件解压后超过 50 MB，无法读取。请删除其中的大图片或拆分后再上传。"
UNREADABLE_DOCX = "无法读取该 Word 文档（.docx），可能已损坏或被改名。"


def refusal(call) -> str:
    with pytest.raises(OfficeFileRefused) as info:
        call()
    assert info.value.code == "invalid_upload"
    assert info.value.field_errors == {"file": info.value.message}
    return info.value.message


def test_normal_packages_pass():
    check_package(docx_bytes())
    check_package(xlsx_bytes([["标题"], ["甲"]]))
    stream = BytesIO(docx_bytes())
    stream.seek(5)
    check_package(stream)
    assert stream.tell() == 0  # left where a reader expects it


def test_refuses_what_unpacks_beyond_the_limit_with_bounded_memory():
    bomb = paragraphs_bomb(200 * MB)
    assert len(bomb) < 2 * MB  # small enough to pass every upload size check
    with measured() as peak:
        assert refusal(lambda: check_package(bomb)) == TOO_LARGE
    assert peak.python_bytes < 20 * MB and peak.rss_growth < 100 * MB


def test_refuses_too_many_entries(settings):
    settings.RENDA_OFFICE_MAX_ENTRIES = 50
    message = refusal(lambda: check_package(many_entries(docx_bytes(), 50)))
    assert message.startswith("文件内含 67 个部件，超过 50 个")
    check_package(many_entries(docx_bytes(), 10))


def test_refuses_an_entry_packed_beyond_the_ratio():
    # 11 MB of one character packs about a thousandfold: within the size limit, not the ratio
    message = refusal(lambda: check_package(huge_text_node_docx()))
    assert message == "文件的压缩比异常（超过 200 倍），可能是恶意构造的文件，无法读取。"


def test_limits_come_from_settings(settings):
    data = huge_text_node_docx(900 * 1024)
    check_package(data)  # below 1 MB an entry's ratio does not matter
    settings.RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES = MB // 2
    assert refusal(lambda: check_package(data)).startswith("文件解压后超过 0.5 MB")
    settings.RENDA_OFFICE_MAX_RATIO = 2
    settings.RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES = 50 * MB
    assert refusal(lambda: check_package(huge_text_node_docx(2 * MB))).startswith(
        "文件的压缩比异常（超过 2 倍）"
    )


def test_does_not_trust_declared_sizes():
    """A header claiming 1,000 bytes for 40 MB: the reader stops and refuses, it does not
    unpack what the header hid."""
    liar = lying_sizes(paragraphs_bomb(40 * MB), "word/document.xml", 1000)
    message = refusal(lambda: check_package(liar, damaged="坏了"))
    assert message == "坏了"


def test_refuses_a_damaged_package_in_the_callers_words():
    assert refusal(lambda: check_package(b"PK\x03\x04broken")) == (
        "文件已损坏，无法读取，请检查后重新上传。"
    )


# ---------------------------------------------------------------------------------------------
# .docx text


def test_docx_text_reads_as_python_docx_does():
    document = docx.Document()
    document.add_paragraph("第一条 为了示例，制定本法。")
    tabbed = document.add_paragraph("甲")
    run = tabbed.add_run("乙")
    run.add_tab()
    run.add_text("丙")
    run.add_break()
    run.add_text("丁")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "表内文字不是正文段落"
    linked = document.add_paragraph("见")
    link = OxmlElement("w:hyperlink")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "第二条"
    inner.append(text)
    link.append(inner)
    linked._p.append(link)
    document.add_paragraph("")
    out = BytesIO()
    document.save(out)
    data = out.getvalue()
    expected = [p.text for p in docx.Document(BytesIO(data)).paragraphs]
    assert docx_paragraphs(data) == expected
    assert expected[1:3] == ["甲乙\t丙\n丁", "见第二条"]


def test_docx_huge_text_node_is_refused_not_a_crash(settings):
    settings.RENDA_OFFICE_MAX_RATIO = 100_000  # past the zip check: lxml's own guard speaks
    assert refusal(lambda: docx_paragraphs(huge_text_node_docx())) == UNREADABLE_DOCX


def test_docx_reading_is_streamed_and_bounded(settings, monkeypatch):
    """Within the limits, half a million paragraphs are read without holding their tree
    (python-docx held ~350 MB for 700,000); more elements than the cap are refused."""
    settings.RENDA_OFFICE_MAX_RATIO = 100_000
    data = paragraphs_bomb(3 * MB)
    with measured(trace=False) as peak:
        paragraphs = docx_paragraphs(data)
    assert len(paragraphs) > 500_000 and set(paragraphs) == {""}
    assert peak.rss_growth < 100 * MB
    monkeypatch.setattr(officefiles, "MAX_DOCX_ELEMENTS", 1000)
    assert refusal(lambda: docx_paragraphs(data)) == (
        "Word 文档的内容过多，无法读取，请拆分后再上传。"
    )
    assert docx_paragraphs(docx_bytes(["甲", "乙"])) == ["甲", "乙"]


def test_docx_refusals():
    assert refusal(lambda: docx_paragraphs(b"%PDF-1.4")) == (
        "文件内容不是 Word 文档（.docx），可能已损坏或被改名。"
    )
    assert refusal(lambda: docx_paragraphs(xlsx_bytes())) == (
        "文件内容不是 Word 文档（.docx），可能已损坏或被改名。"
    )
    assert refusal(lambda: docx_paragraphs(b"PK\x03\x04broken")) == UNREADABLE_DOCX
