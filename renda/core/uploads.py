"""Checking an uploaded file before it is stored: size, type by content (never by the name the
browser sent alone), and a file name safe to show and to offer back as a download name.

Files are stored under MEDIA_ROOT (outside the web root) and served only through a view that
checks the user may see the record they belong to."""

from __future__ import annotations

import math
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from renda.core.errors import DomainError
from renda.core.officefiles import check_package

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_ALLOWED = ("pdf", "docx", "xlsx", "doc", "xls", "jpg", "png", "txt")

CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "jpg": "image/jpeg",
    "png": "image/png",
    "txt": "text/plain; charset=utf-8",
}
# Extensions that are spelt two ways.
ALIASES = {"jpeg": "jpg"}

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ZIP_SIGNATURE = b"PK\x03\x04"
# Inside an Office Open XML package, the folder that says which kind of document it is.
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/"}

MAX_NAME_LENGTH = 100
# Characters Windows refuses in file names; a download named with them breaks on the desktop.
RESERVED = set('<>:"/\\|?*')


class Upload(Protocol):
    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...
    def seek(self, offset: int, whence: int = 0) -> int: ...
    def tell(self) -> int: ...


def _refuse(message: str) -> DomainError:
    return DomainError("invalid_upload", message, field_errors={"file": message})


def sanitise_name(raw: str) -> str:
    """The last path part, without control or reserved characters, with Chinese kept."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = "".join(
        ch
        for ch in name
        if ch not in RESERVED and not unicodedata.category(ch).startswith("C")  # Cc, Cf, …
    )
    name = " ".join(name.split()).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, ext = name.rpartition(".")
        if dot and len(ext) <= 10:
            name = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    ext = ext.lower() if dot else ""
    return ALIASES.get(ext, ext)


def _head(upload: Upload, n: int) -> bytes:
    upload.seek(0)
    data = upload.read(n)
    upload.seek(0)
    return data


def _is_ooxml(upload: Upload, kind: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:  # type: ignore[arg-type]
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith(OOXML_PARTS[kind]) for n in names)


def _is_utf8_text(upload: Upload) -> bool:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def content_matches(upload: Upload, ext: str) -> bool:
    """Whether the bytes are what the extension claims."""
    head = _head(upload, 8)
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext in OOXML_PARTS:
        return head.startswith(ZIP_SIGNATURE) and _is_ooxml(upload, ext)
    if ext in ("doc", "xls"):
        return head == OLE_SIGNATURE
    if ext == "jpg":
        return head.startswith(JPEG_SIGNATURE)
    if ext == "png":
        return head == PNG_SIGNATURE
    if ext == "txt":
        return _is_utf8_text(upload)
    return False


def _size_of(upload: Upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:  # a plain file object
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return size


def _megabytes(n: int, *, round_up: bool = False) -> str:
    mb = n / (1024 * 1024)
    if round_up:  # a file just over the limit must not read as exactly the limit
        mb = math.ceil(mb * 10) / 10
    return f"{mb:g} MB"


def validate_upload(
    upload: Upload,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: Iterable[str] = DEFAULT_ALLOWED,
) -> tuple[str, str]:
    """Check an upload; return (safe_name, content_type) or raise DomainError in Chinese."""
    allowed = tuple(allowed)
    name = sanitise_name(getattr(upload, "name", "") or "")
    ext = extension_of(name)
    if ext not in allowed:
        kinds = "、".join(allowed)
        shown = f".{ext}" if ext else "无扩展名"
        raise _refuse(f"不支持该文件类型（{shown}），只能上传：{kinds}。")
    size = _size_of(upload)
    if size == 0:
        raise _refuse("文件是空的，请检查后重新上传。")
    if size > max_bytes:
        actual, limit = _megabytes(size, round_up=True), _megabytes(max_bytes)
        raise _refuse(f"文件过大（{actual}），单个文件不能超过 {limit}。")
    if not content_matches(upload, ext):
        raise _refuse(f"文件内容与扩展名 .{ext} 不符，可能已损坏或被改名，请检查后重新上传。")
    if ext in OOXML_PARTS:  # whoever opens it later must not unpack a bomb
        check_package(upload)  # type: ignore[arg-type]
    return name, CONTENT_TYPES[ext]


@dataclass(frozen=True)
class StoredFile:
    path: str  # the storage name, under MEDIA_ROOT
    name: str  # the sanitised name to show and to offer as the download name
    content_type: str
    size: int


def store_upload(upload: Upload, *, folder: str, day: date) -> StoredFile:
    """Check an upload and store it under a random name (`folder/YYYY/MM/…`). The caller deletes
    the file if the row that should point to it is not saved (see `delete_files_on_commit`)."""
    from django.core.files import File
    from django.core.files.storage import default_storage

    name, content_type = validate_upload(upload)
    upload.seek(0)
    path = f"{folder}/{day:%Y/%m}/{uuid.uuid4().hex}.{extension_of(name)}"
    stored = default_storage.save(path, upload if isinstance(upload, File) else File(upload))
    return StoredFile(stored, name, content_type, default_storage.size(stored))


def delete_files_on_commit(paths: Iterable[str]) -> None:
    """A file goes only once its row is gone for good: a rolled-back removal keeps its file."""
    from django.core.files.storage import default_storage
    from django.db import transaction

    paths = [p for p in paths if p]
    if paths:
        transaction.on_commit(lambda: [default_storage.delete(p) for p in paths])
