"""Word documents in the official layout (党政机关公文格式, GB/T 9704 in spirit): A4, type area
156 × 225 mm, title in 小标宋 二号, body in 仿宋_GB2312 三号 with a fixed 28 pt line pitch, page
numbers "— 1 —". Shared by every app's document builders."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from renda.core.exports import xml_text

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

# Fonts of official documents. Machines without them fall back: Word through the font table's
# altName (see _add_font_fallbacks), WeasyPrint through the CSS font-family list (Noto CJK).
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
_FONT_FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "仿宋",
    SUBHEADING_FONT: "楷体",
    HEADING_FONT: "SimHei",
}

# 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt.
TITLE_SIZE = 22
BODY_SIZE = 16
NOTE_SIZE = 14
TABLE_SIZE = 10.5
LINE_PITCH = 28  # fixed line spacing in points: 22 lines on a 225 mm type area


def chinese_date(day: date) -> str:
    """2026-11-27 → "2026年11月27日" (Arabic numerals, as GB/T 9704 writes dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_run_font(run, font: str, size: float, *, bold: bool = False) -> None:
    """Set the East Asian font explicitly: python-docx's font.name only sets the Latin slots,
    and Word would then show Chinese in the theme font."""
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    run.font.name = LATIN_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")


def add_run(paragraph, text: str, font: str, size: float, *, bold: bool = False):
    """Append a run of text in the given font. Every text of a document enters here: a stored
    control character would otherwise make python-docx refuse the whole document."""
    run = paragraph.add_run(xml_text(str(text)))
    set_run_font(run, font, size, bold=bold)
    return run


def add_paragraph(
    container,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = BODY_SIZE,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_line_chars: float = 0,
    left_chars: float = 0,
    right_chars: float = 0,
    line_pitch: float | None = LINE_PITCH,
) -> Paragraph:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if line_pitch:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pitch)
    else:
        fmt.line_spacing = 1.0
    if align is not None:
        fmt.alignment = align
    # Indents are counted in characters of the paragraph's own size, as typists count them.
    if first_line_chars:
        fmt.first_line_indent = Pt(size * first_line_chars)
    if left_chars:
        fmt.left_indent = Pt(size * left_chars)
    if right_chars:
        fmt.right_indent = Pt(size * right_chars)
    if text:
        add_run(paragraph, text, font, size, bold=bold)
    return paragraph


def _add_font_fallbacks(document: DocxDocument) -> None:
    """Declare the official fonts in the font table with an altName, so Word on a machine
    without 方正小标宋 or 仿宋_GB2312 substitutes 宋体/仿宋 instead of a Latin font."""
    rel = next(
        (
            r
            for r in document.part.rels.values()
            if r.reltype == RT.FONT_TABLE and not r.is_external
        ),
        None,
    )
    if rel is None:
        return
    part = rel.target_part
    fonts = parse_xml(part.blob)
    for name, alternative in _FONT_FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), alternative)
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.extend([alt, charset])
        fonts.append(font)
    # The font table is a plain part in python-docx: replace its bytes.
    part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_page_number(section) -> None:
    # "— 1 —" in 四号 宋体 at the foot of the page, as official documents number pages.
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, "— ", PAGE_NUMBER_FONT, NOTE_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    number = add_run(paragraph, "1", PAGE_NUMBER_FONT, NOTE_SIZE)
    field.append(number._r)  # moves the run inside the field: it shows until Word updates it
    add_run(paragraph, " —", PAGE_NUMBER_FONT, NOTE_SIZE)


def new_official_document(*, title: str, author: str) -> DocxDocument:
    """An empty A4 document with the official margins, fonts, language and page numbers."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the page number sits about 7 mm under the type area

    # Defaults for anything not set run by run: explicit fonts, not the theme's, and Chinese.
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for font in run_defaults.findall(qn("w:rFonts")):
        run_defaults.remove(font)
    rfonts = OxmlElement("w:rFonts")
    for slot, value in (("ascii", LATIN_FONT), ("hAnsi", LATIN_FONT), ("eastAsia", BODY_FONT)):
        rfonts.set(qn(f"w:{slot}"), value)
    run_defaults.insert(0, rfonts)
    for lang in run_defaults.findall(qn("w:lang")):
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_SIZE)
    normal.font.name = LATIN_FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)

    _add_font_fallbacks(document)
    _add_page_number(section)
    document.core_properties.title = xml_text(title)
    document.core_properties.author = xml_text(author)
    document.core_properties.language = "zh-CN"
    return document


def save_document(document: DocxDocument) -> bytes:
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
