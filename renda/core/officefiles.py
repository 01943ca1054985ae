"""Reading an Office file (.xlsx, .docx) someone uploaded without letting it exhaust memory.

Both are zip packages: a few hundred KB can unpack to gigabytes, and one part can hold a single
text node too large for the XML parser. Every package the platform reads is first checked here
(entry count, total unpacked size, each entry's compression ratio, against the limits in
settings) by actually unpacking it in chunks and stopping past the limit, since the sizes a zip
declares can lie. A refusal is an OfficeFileRefused in Chinese; nothing has been read or saved.

The .docx text is then read as a stream (`docx_paragraphs`), so memory stays bounded whatever
the document's shape; workbooks are read with openpyxl `read_only` (renda/core/imports.py)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import BinaryIO

from lxml import etree

from renda.core.errors import DomainError

CHUNK = 64 * 1024
# Below this an entry cannot hurt whatever its ratio; small XML parts often pack 100:1 or more.
RATIO_FLOOR_BYTES = 1024 * 1024

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
# What a run's inner elements read as, as python-docx's Paragraph.text gives them.
RUN_TEXT = {f"{W}tab": "\t", f"{W}ptab": "\t", f"{W}cr": "\n", f"{W}noBreakHyphen": "-"}
RUN_ITEMS = {f"{W}t", f"{W}br", *RUN_TEXT}
# A long statute is some 100,000 XML elements; ten times that is still read in a few seconds.
MAX_DOCX_ELEMENTS = 1_000_000

DAMAGED = "文件已损坏，无法读取，请检查后重新上传。"
NOT_DOCX = "文件内容不是 Word 文档（.docx），可能已损坏或被改名。"
UNREADABLE_DOCX = "无法读取该 Word 文档（.docx），可能已损坏或被改名。"
TOO_MANY_ELEMENTS = "Word 文档的内容过多，无法读取，请拆分后再上传。"


class OfficeFileRefused(DomainError):
    def __init__(self, message: str):
        super().__init__("invalid_upload", message, field_errors={"file": message})


@dataclass(frozen=True)
class Limits:
    entries: int
    uncompressed_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            entries=settings.RENDA_OFFICE_MAX_ENTRIES,
            uncompressed_bytes=settings.RENDA_OFFICE_MAX_UNCOMPRESSED_BYTES,
            ratio=settings.RENDA_OFFICE_MAX_RATIO,
        )


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


def _too_large(limits: Limits) -> OfficeFileRefused:
    return OfficeFileRefused(
        f"文件解压后超过 {_megabytes(limits.uncompressed_bytes)}，无法读取。"
        "请删除其中的大图片或拆分后再上传。"
    )


def check_package(
    source: bytes | BinaryIO, *, damaged: str = DAMAGED, limits: Limits | None = None
) -> None:
    """Refuse a zip package that would unpack beyond the limits, or a damaged one in the
    caller's words (`damaged`); leaves a file at position 0."""
    limits = limits or Limits.from_settings()
    stream = BytesIO(source) if isinstance(source, bytes | bytearray) else source
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            _check_declared(entries, limits)
            _check_unpacked(package, entries, limits)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as error:
        # RuntimeError: an encrypted entry; the others: a damaged package or a lying header
        raise OfficeFileRefused(damaged) from error
    finally:
        stream.seek(0)


def _check_declared(entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(entries) > limits.entries:
        raise OfficeFileRefused(
            f"文件内含 {len(entries)} 个部件，超过 {limits.entries} 个，"
            "可能已损坏或是恶意构造的文件，无法读取。"
        )
    if sum(entry.file_size for entry in entries) > limits.uncompressed_bytes:
        raise _too_large(limits)
    for entry in entries:
        if entry.file_size > RATIO_FLOOR_BYTES and (
            entry.file_size > limits.ratio * max(entry.compress_size, 1)
        ):
            raise OfficeFileRefused(
                f"文件的压缩比异常（超过 {limits.ratio} 倍），可能是恶意构造的文件，无法读取。"
            )


def _check_unpacked(package: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits) -> None:
    """Unpack every entry in chunks, counting what really comes out (and its CRC)."""
    total = 0
    for entry in entries:
        unpacked = 0
        with package.open(entry) as part:
            while chunk := part.read(CHUNK):
                unpacked += len(chunk)
                total += len(chunk)
                if total > limits.uncompressed_bytes:
                    raise _too_large(limits)
                if unpacked > RATIO_FLOOR_BYTES and unpacked > limits.ratio * max(
                    entry.compress_size, 1
                ):
                    raise OfficeFileRefused(
                        f"文件的压缩比异常（超过 {limits.ratio} 倍），"
                        "可能是恶意构造的文件，无法读取。"
                    )


# ---------------------------------------------------------------------------------------------
# .docx


def docx_paragraphs(data: bytes) -> list[str]:
    """The text of a .docx's body paragraphs, in order, as python-docx reads them, streamed so
    that neither a huge document nor a huge text node can blow up (both are refused)."""
    if not data.startswith(b"PK\x03\x04"):
        raise OfficeFileRefused(NOT_DOCX)
    check_package(data, damaged=UNREADABLE_DOCX)
    try:
        with zipfile.ZipFile(BytesIO(data)) as package:
            main = _main_part(package)
            with package.open(main) as part:
                return list(_body_paragraphs(part))
    except KeyError as error:
        raise OfficeFileRefused(NOT_DOCX) from error
    except (etree.LxmlError, zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        # lxml refuses a text node over 10 MB ("huge text node") and any malformed XML
        raise OfficeFileRefused(UNREADABLE_DOCX) from error


def _safe_parser_options() -> dict:
    # no external entities, no network, no lifting of libxml2's size guards
    return {"resolve_entities": False, "no_network": True, "huge_tree": False}


def _main_part(package: zipfile.ZipFile) -> str:
    """The package's main document, as its relationships name it (KeyError if none)."""
    parser = etree.XMLParser(**_safe_parser_options())
    rels = etree.fromstring(package.read("_rels/.rels"), parser)
    for rel in rels.iter(RELS):
        if rel.get("Type") == OFFICE_DOCUMENT:
            target = rel.get("Target", "").lstrip("/")
            if target.startswith("word/"):
                return target
    raise KeyError("officeDocument")


def _body_paragraphs(part: BinaryIO) -> Iterator[str]:
    """Each body-level w:p's text (runs directly in it or in its hyperlinks, as python-docx).
    Every element is dropped as soon as it ends, so memory stays flat; past MAX_DOCX_ELEMENTS
    the document is refused, so that time stays bounded too."""
    texts: list[str] = []
    events = etree.iterparse(part, events=("end",), **_safe_parser_options())
    for count, (_, element) in enumerate(events):
        if count >= MAX_DOCX_ELEMENTS:
            raise OfficeFileRefused(TOO_MANY_ELEMENTS)
        tag = element.tag
        parent = element.getparent()
        if tag in RUN_ITEMS:
            if parent is not None and parent.tag == f"{W}r" and _in_body_paragraph(parent):
                texts.append(_run_item_text(element))
        elif tag == f"{W}p" and parent is not None and parent.tag == f"{W}body":
            yield "".join(texts)
            texts = []
        element.clear(keep_tail=False)
        if parent is not None:
            while element.getprevious() is not None:
                del parent[0]


def _in_body_paragraph(run) -> bool:
    holder = run.getparent()
    if holder is not None and holder.tag == f"{W}hyperlink":
        holder = holder.getparent()
    if holder is None or holder.tag != f"{W}p":
        return False
    body = holder.getparent()
    return body is not None and body.tag == f"{W}body"


def _run_item_text(element) -> str:
    if element.tag == f"{W}t":
        return element.text or ""
    if element.tag == f"{W}br":
        return "\n" if element.get(f"{W}type", "textWrapping") == "textWrapping" else ""
    return RUN_TEXT.get(element.tag, "")
