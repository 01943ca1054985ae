"""The law import (/api/v1/supervision/laws/import-file) against crafted .docx files: a zip
bomb and a document with one huge text node are refused in Chinese through the one error shape
(never a 500, never gigabytes), and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.core.officebombs import MB, huge_text_node_docx, measured, paragraphs_bomb
from tests.suggestions.matrix_api import field_messages, refused
from tests.supervision.test_laws_api import counts, upload

pytestmark = pytest.mark.django_db

TOO_LARGE = "文件解压后超过 50 MB，无法读取。请删除其中的大图片或拆分后再上传。"


def send_file(client, user, data: bytes):
    file = SimpleUploadedFile("示例法.docx", data)
    return upload(client, user, {"file": file, "label": "2020年"})


def test_a_docx_bomb_is_refused_with_bounded_memory(client, supervision):
    bomb = paragraphs_bomb(200 * MB)
    assert len(bomb) < 2 * MB  # well under the import's 5 MB
    with measured(trace=False) as peak:
        response = send_file(client, supervision.staff, bomb)
    body = refused(response, 400, "invalid_upload")
    assert field_messages(body) == {"file": TOO_LARGE}
    assert peak.rss_growth < 150 * MB
    assert counts() == (0, 0, 0)


def test_a_huge_text_node_is_a_chinese_refusal_not_a_500(client, supervision, settings):
    huge = huge_text_node_docx()  # 11 MB in one text node, some 40 KB packed
    body = refused(send_file(client, supervision.staff, huge), 400, "invalid_upload")
    assert "压缩比异常" in body["message"]
    settings.RENDA_OFFICE_MAX_RATIO = 100_000  # past the zip check, the XML parser's own guard
    body = refused(send_file(client, supervision.staff, huge), 400, "invalid_upload")
    assert field_messages(body) == {"file": "无法读取该 Word 文档（.docx），可能已损坏或被改名。"}
    assert counts() == (0, 0, 0)
