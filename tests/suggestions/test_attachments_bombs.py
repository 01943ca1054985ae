"""An attachment that is an Office-file bomb is refused at upload (renda/core/uploads.py checks
every .docx and .xlsx as renda/core/officefiles.py does), so nobody who later opens it can be
hit; nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.suggestions import actions
from renda.suggestions.models import Attachment
from tests.core.officebombs import (
    MB,
    docx_bytes,
    many_entries,
    paragraphs_bomb,
    sheet_bomb,
    xlsx_bytes,
)
from tests.suggestions.factories import refused

pytestmark = pytest.mark.django_db

TOO_LARGE = "文件解压后超过 50 MB，无法读取。请删除其中的大图片或拆分后再上传。"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("调查.docx", lambda: paragraphs_bomb(120 * MB), TOO_LARGE),
        ("统计.xlsx", lambda: sheet_bomb(xlsx_bytes(), 120 * MB), TOO_LARGE),
        (
            "部件.docx",
            lambda: many_entries(docx_bytes(), 1000),
            "文件内含 1017 个部件，超过 1000 个，可能已损坏或是恶意构造的文件，无法读取。",
        ),
    ],
    ids=["docx", "xlsx", "entries"],
)
def test_a_bomb_attachment_is_refused_and_nothing_stored(world, media, name, make, message):
    s = world.draft()
    upload = SimpleUploadedFile(name, make())
    error = refused(
        s,
        lambda: actions.add_attachment(acting_user=world.p.deputy, suggestion=s, upload=upload),
        message,
    )
    assert error.field_errors == {"file": message}
    assert not Attachment.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_normal_office_files_are_still_attached(world, media):
    s = world.draft()
    for name, data in (("调查.docx", docx_bytes()), ("统计.xlsx", xlsx_bytes([["小区"], ["甲"]]))):
        upload = SimpleUploadedFile(name, data)
        actions.add_attachment(acting_user=world.p.deputy, suggestion=s, upload=upload)
    assert sorted(Attachment.objects.values_list("name", flat=True)) == ["统计.xlsx", "调查.docx"]
