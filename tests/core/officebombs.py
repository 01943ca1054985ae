"""Crafted Office-file bombs for the readers' tests (renda/core/officefiles.py): real .docx and
.xlsx packages with one part swapped for content written in streamed chunks, so a part that
unpacks to hundreds of MB costs the test a few hundred KB of memory."""

from __future__ import annotations

import re
import resource
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

import docx
import openpyxl

MB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
WORD_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W_NS}><w:body>'
WORD_TAIL = "</w:body></w:document>"


def docx_bytes(paragraphs: Iterable[str] = ("中华人民共和国示例法",)) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows: Iterable[list] = (["标题"],)) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def repack(data: bytes, parts: Mapping[str, Callable[[], Iterable[bytes]]]) -> bytes:
    """The package with each named part's content replaced by the chunks its function yields
    (streamed into the zip, never held whole)."""
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(
            out,
            "w",
            zipfile.ZIP_DEFLATED,
            compresslevel=1,  # fast: the test stays cheap
        ) as target,
    ):
        for info in source.infolist():
            if info.filename in parts:
                with target.open(info.filename, "w") as part:
                    for chunk in parts[info.filename]():
                        part.write(chunk)
            else:
                target.writestr(info, source.read(info))
    return out.getvalue()


def repeated(head: str, unit: str, total_bytes: int, tail: str) -> Callable[[], Iterable[bytes]]:
    """head, then `unit` repeated to at least total_bytes (UTF-8), then tail, in ~1 MB chunks."""
    unit_bytes = unit.encode()
    chunk = unit_bytes * max(1, min(MB, total_bytes) // len(unit_bytes))

    def chunks() -> Iterable[bytes]:
        yield head.encode()
        for _ in range(-(-total_bytes // len(chunk))):
            yield chunk
        yield tail.encode()

    return chunks


def paragraphs_bomb(total_bytes: int = 300 * MB) -> bytes:
    """A .docx whose body is hundreds of MB of empty paragraphs: a few hundred KB packed, the
    shape that drove a worker to 6.4 GB."""
    body = repeated(WORD_HEAD, "<w:p/>", total_bytes, WORD_TAIL)
    return repack(docx_bytes(), {"word/document.xml": body})


def huge_text_node_docx(text_bytes: int = 11 * MB) -> bytes:
    """A .docx with one paragraph whose single text node is over lxml's 10 MB limit."""
    head = WORD_HEAD + "<w:p><w:r><w:t>"
    body = repeated(head, "法", text_bytes, "</w:t></w:r></w:p>" + WORD_TAIL)
    return repack(docx_bytes(), {"word/document.xml": body})


def edited(data: bytes, name: str, edit: Callable[[str], str]) -> bytes:
    """The package with one small part's XML rewritten by `edit`."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        xml = package.read(name).decode()
    return repack(data, {name: lambda: [edit(xml).encode()]})


def huge_dimension(data: bytes, far_row: int) -> bytes:
    """The workbook's sheet declaring the largest dimension Excel allows (A1:XFD1048576), then
    empty rows down to row `far_row`, which has one cell in the last column: a reader that
    trusted the dimension would pad every one of those rows to 16,384 cells."""

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        last = max(int(n) for n in re.findall(r'<row r="(\d+)"', xml))
        empty = "".join(f'<row r="{n}"/>' for n in range(last + 1, far_row))
        far = f'<row r="{far_row}"><c r="XFD{far_row}" t="n"><v>1</v></c></row>'
        return xml.replace("</sheetData>", empty + far + "</sheetData>")

    return edited(data, SHEET, edit)


def sheet_bomb(data: bytes, total_bytes: int = 200 * MB) -> bytes:
    """The workbook's sheet swapped for hundreds of MB of empty rows (a few hundred KB packed)."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        xml = package.read(SHEET).decode()
    head, _, rest = xml.partition("<sheetData>")
    tail = rest.partition("</sheetData>")[2]
    rows = repeated(head + "<sheetData>", "<row/>", total_bytes, "</sheetData>" + tail)
    return repack(data, {SHEET: rows})


def many_entries(data: bytes, count: int) -> bytes:
    out = BytesIO(data)
    with zipfile.ZipFile(out, "a") as package:
        for i in range(count):
            package.writestr(f"customXml/extra{i}.xml", "<a/>")
    return out.getvalue()


def lying_sizes(data: bytes, name: str, declared: int) -> bytes:
    """The package with `name`'s uncompressed size rewritten to `declared` in both its headers:
    a reader that trusted the declared size would under-count what it unpacks."""
    raw = bytearray(data)
    with zipfile.ZipFile(BytesIO(data)) as package:
        info = package.getinfo(name)
    local = info.header_offset
    assert raw[local : local + 4] == b"PK\x03\x04"
    raw[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_length = int.from_bytes(raw[central + 28 : central + 30], "little")
        if raw[central + 46 : central + 46 + name_length] == name.encode():
            raw[central + 24 : central + 28] = declared.to_bytes(4, "little")
            return bytes(raw)
        central = raw.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"no central directory entry for {name}")


@dataclass
class Peak:
    python_bytes: int = 0  # tracemalloc's peak: the tuples and objects the readers build
    rss_growth: int = 0  # the process's peak resident size grew by this much (C allocations too)


@contextmanager
def measured(*, trace: bool = True) -> Iterable[Peak]:
    """The peak memory of the block; trace=False skips tracemalloc, which slows a long read."""
    peak = Peak()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    if trace:
        tracemalloc.start()
    try:
        yield peak
    finally:
        if trace:
            peak.python_bytes = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        peak.rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before
