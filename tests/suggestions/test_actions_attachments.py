"""Attachments: uploads checked by content (renda.core.uploads), stored under MEDIA_ROOT with a
random name, added and removed by the right people only, fetched only through the permission
check. Real small files of every allowed kind."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from PIL import Image

from renda.core.errors import DomainError, NotAllowed
from renda.core.uploads import CONTENT_TYPES, sanitise_name, validate_upload
from renda.suggestions import actions
from renda.suggestions.models import Attachment
from renda.suggestions.permissions import get_attachment_for_user
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.suggestions.factories import Mark, person, refused, reload

pytestmark = pytest.mark.django_db


# -- real small files -----------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("关于解决老旧小区停车难的建议（附件）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["小区", "车位缺口"])
    book.active.append(["甲小区", 120])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ole_bytes() -> bytes:
    # The Compound File header legacy .doc and .xls files begin with, then one empty sector.
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00" + b"\x00" * 996


def image_bytes(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format=kind)
    return out.getvalue()


def png_by_hand() -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_without_content_types() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# -- validate_upload ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [
        ("停车调查报告.pdf", pdf_bytes(), "pdf"),
        ("建议全文.docx", docx_bytes(), "docx"),
        ("车位统计.xlsx", xlsx_bytes(), "xlsx"),
        ("旧格式.doc", ole_bytes(), "doc"),
        ("旧表格.XLS", ole_bytes(), "xls"),
        ("现场照片.jpg", image_bytes("JPEG"), "jpg"),
        ("现场照片.jpeg", image_bytes("JPEG"), "jpg"),
        ("示意图.png", image_bytes("PNG"), "png"),
        ("最小.png", png_by_hand(), "png"),
        ("说明.txt", "停车位不足，居民反映强烈。".encode(), "txt"),
    ],
)
def test_every_allowed_kind_passes_by_content(name, data, ext):
    file = upload(name, data)
    assert validate_upload(file) == (name, CONTENT_TYPES[ext])
    assert file.read() == data  # left at the start for storing


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 60),  # a program renamed
        ("伪装.docx", xlsx_bytes()),  # a spreadsheet renamed: the package says xl/, not word/
        ("伪装.xlsx", docx_bytes()),
        ("残缺.docx", zip_without_content_types()),
        ("伪装.doc", pdf_bytes()),
        ("伪装.jpg", image_bytes("PNG")),
        ("伪装.png", image_bytes("JPEG")),
        ("国标编码.txt", "停车位不足".encode("gbk")),
        ("二进制.txt", b"abc\x00def"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(name, data):
    ext = name.rsplit(".", 1)[1]
    with pytest.raises(DomainError) as info:
        validate_upload(upload(name, data))
    assert (
        info.value.message
        == f"文件内容与扩展名 .{ext} 不符，可能已损坏或被改名，请检查后重新上传。"
    )
    assert info.value.field_errors == {"file": info.value.message}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "setup.exe",
            "不支持该文件类型（.exe），只能上传：pdf、docx、xlsx、doc、xls、jpg、png、txt。",
        ),
        (
            "README",
            "不支持该文件类型（无扩展名），只能上传：pdf、docx、xlsx、doc、xls、jpg、png、txt。",
        ),
        (
            "..pdf",
            "不支持该文件类型（无扩展名），只能上传：pdf、docx、xlsx、doc、xls、jpg、png、txt。",
        ),
        (
            "/.pdf",
            "不支持该文件类型（无扩展名），只能上传：pdf、docx、xlsx、doc、xls、jpg、png、txt。",
        ),
        (
            "\u202e.pdf",
            "不支持该文件类型（无扩展名），只能上传：pdf、docx、xlsx、doc、xls、jpg、png、txt。",
        ),
    ],
)
def test_bad_names_and_types(name, message):
    with pytest.raises(DomainError) as info:
        validate_upload(upload(name, pdf_bytes()))
    assert info.value.message == message


def test_allowed_kinds_can_be_narrowed():
    with pytest.raises(DomainError, match="只能上传：pdf。"):
        validate_upload(upload("a.png", image_bytes("PNG")), allowed=("pdf",))


def test_size_limits():
    with pytest.raises(DomainError) as info:
        validate_upload(upload("空.pdf", b""))
    assert info.value.message == "文件是空的，请检查后重新上传。"
    big = pdf_bytes() + b"0" * (20 * 1024 * 1024)
    with pytest.raises(DomainError) as info:
        validate_upload(upload("大.pdf", big))
    assert info.value.message == "文件过大（20.1 MB），单个文件不能超过 20 MB。"
    exact = pdf_bytes() + b"0" * (20 * 1024 * 1024 - len(pdf_bytes()))
    assert validate_upload(upload("刚好.pdf", exact))[0] == "刚好.pdf"
    with pytest.raises(DomainError, match="单个文件不能超过 0.5 MB"):
        validate_upload(upload("a.pdf", pdf_bytes() + b"0" * 600_000), max_bytes=512 * 1024)


def test_a_plain_file_object_works_too(tmp_path):
    path = tmp_path / "说明.txt"
    path.write_text("内容", encoding="utf-8")
    with path.open("rb") as handle:
        assert validate_upload(handle)[0] == "说明.txt"


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Users\\张三\\Desktop\\建议 附件.pdf", "建议 附件.pdf"),
        ("a\x00b\r\n\tc.pdf", "abc.pdf"),
        ("报告\u202egpj.pdf", "报告gpj.pdf"),  # a right-to-left override hiding the real type
        ('坏<名>:"字"|?*.pdf', "坏名字.pdf"),
        ("  多   空格 .pdf ", "多 空格 .pdf"),
        ("长" * 150 + ".docx", "长" * 95 + ".docx"),
        ("ｆｕｌｌ.pdf", "ｆｕｌｌ.pdf"),
    ],
)
def test_names_are_sanitised_and_chinese_kept(raw, safe):
    assert sanitise_name(raw) == safe


# -- add_attachment / remove_attachment ------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def on_disk(attachment: Attachment) -> Path:
    return Path(settings.MEDIA_ROOT) / attachment.file.name


def test_drafter_attaches_a_file_to_a_draft(world, media):
    s = world.draft()
    mark = Mark(s)
    a = actions.add_attachment(
        acting_user=world.p.deputy, suggestion=s, upload=upload("../停车调查.pdf", pdf_bytes())
    )
    assert (a.name, a.size, a.content_type, a.uploaded_by, a.answer) == (
        "停车调查.pdf",
        len(pdf_bytes()),
        "application/pdf",
        world.p.deputy,
        None,
    )
    # Stored under MEDIA_ROOT (outside the web root) with a random name, not the user's.
    path = on_disk(a)
    assert path.read_bytes() == pdf_bytes()
    assert path.is_relative_to(media) and path.suffix == ".pdf" and "停车" not in path.name
    assert not Path(settings.MEDIA_ROOT).is_relative_to(settings.STATIC_ROOT)
    event = mark.event()
    assert (event.verb, event.summary) == ("add_attachment", "添加附件：停车调查.pdf")
    assert reload(s).version == s.version + 1


def test_drafter_may_still_attach_while_submitted_not_after(world):
    s = world.submitted()
    actions.add_attachment(
        acting_user=world.p.deputy, suggestion=s, upload=upload("照片.png", image_bytes("PNG"))
    )
    actions.accept(acting_user=world.p.staff, suggestion=s)
    refused(
        s,
        lambda: actions.add_attachment(
            acting_user=world.p.deputy, suggestion=s, upload=upload("b.pdf", pdf_bytes())
        ),
        "只有起草人（审查前）、代表工作机构或已答复的承办单位可以添加附件。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", ["submitted", "accepted", "handling", "closed", "declined"])
def test_office_attaches_at_any_time(world, status):
    s = world.in_state(status)
    a = actions.add_attachment(
        acting_user=world.p.staff, suggestion=s, upload=upload("交办函.docx", docx_bytes())
    )
    assert a.suggestion_id == s.pk and on_disk(a).exists()


def test_the_office_does_not_write_into_a_deputys_draft(world):
    s = world.draft()
    refused(
        s,
        lambda: actions.add_attachment(
            acting_user=world.p.staff, suggestion=s, upload=upload("a.pdf", pdf_bytes())
        ),
        "只有起草人（审查前）、代表工作机构或已答复的承办单位可以添加附件。",
        NotAllowed,
    )


def test_answering_unit_attaches_to_its_own_answer(world):
    s = world.answered()
    mark = Mark(s)
    a = actions.add_attachment(
        acting_user=world.p.unit, suggestion=s, upload=upload("施划照片.jpg", image_bytes("JPEG"))
    )
    assert a.answer == s.answers.get()
    assert mark.event().summary == "添加附件（区住房和城乡建设局答复）：施划照片.jpg"


@pytest.mark.parametrize("who", ["unit", "co_unit_user", "street", "leader", "social_staff"])
def test_others_may_not_attach(world, who):
    s = world.handling()
    refused(
        s,
        lambda: actions.add_attachment(
            acting_user=person(world, who), suggestion=s, upload=upload("a.pdf", pdf_bytes())
        ),
        "只有起草人（审查前）、代表工作机构或已答复的承办单位可以添加附件。",
        NotAllowed,
    )


def test_a_unit_may_not_attach_to_another_units_answer(world):
    s = world.answered()
    refused(
        s,
        lambda: actions.add_attachment(
            acting_user=world.co_unit_user,
            suggestion=s,
            upload=upload("a.pdf", pdf_bytes()),
            answer=s.answers.get(),
        ),
        "只有答复单位可以为本单位的现行答复添加附件。",
        NotAllowed,
    )


def test_a_bad_file_saves_nothing(world, media):
    s = world.draft()
    refused(
        s,
        lambda: actions.add_attachment(
            acting_user=world.p.deputy, suggestion=s, upload=upload("a.pdf", b"MZ\x90\x00")
        ),
        "文件内容与扩展名 .pdf 不符，可能已损坏或被改名，请检查后重新上传。",
    )
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_drafter_removes_from_a_draft_and_the_file_goes_on_commit(
    world, django_capture_on_commit_callbacks
):
    s = world.draft()
    a = actions.add_attachment(
        acting_user=world.p.deputy, suggestion=s, upload=upload("a.txt", "内容".encode())
    )
    path = on_disk(a)
    mark = Mark(s)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.remove_attachment(acting_user=world.p.deputy, attachment=a)
    assert not Attachment.objects.filter(pk=a.pk).exists()
    assert path.exists()  # not yet: a rollback would have kept row and file together
    for callback in callbacks:
        callback()
    assert not path.exists()
    assert (mark.event().verb, mark.event().summary) == ("remove_attachment", "删除附件：a.txt")


def test_only_the_office_removes_once_submitted(world):
    s = world.submitted()
    a = actions.add_attachment(
        acting_user=world.p.deputy, suggestion=s, upload=upload("a.pdf", pdf_bytes())
    )
    for who in ("deputy", "unit", "leader", "social_staff", "cosigner"):
        refused(
            s,
            lambda who=who: actions.remove_attachment(acting_user=person(world, who), attachment=a),
            "只有起草人（草稿阶段）或代表工作机构可以删除附件。",
            NotAllowed,
        )
    actions.remove_attachment(acting_user=world.p.staff, attachment=a)
    assert not Attachment.objects.filter(pk=a.pk).exists()
    with pytest.raises(DomainError, match="该附件不存在或已被删除。"):
        actions.remove_attachment(acting_user=world.p.staff, attachment=a)


def test_deleting_a_draft_deletes_its_files(world, django_capture_on_commit_callbacks):
    s = world.draft()
    a = actions.add_attachment(
        acting_user=world.p.deputy, suggestion=s, upload=upload("a.pdf", pdf_bytes())
    )
    path = on_disk(a)
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_draft(acting_user=world.p.deputy, suggestion=s)
    assert not path.exists() and not Attachment.objects.exists()


# -- get_attachment_for_user ----------------------------------------------------------------------


def test_attachments_are_fetched_only_by_those_who_see_the_suggestion(world):
    s = world.assigned(co_unit=False)
    a = actions.add_attachment(
        acting_user=world.p.staff, suggestion=s, upload=upload("交办函.pdf", pdf_bytes())
    )
    for who in ("staff", "admin", "leader", "social_staff", "deputy", "unit", "street"):
        assert get_attachment_for_user(person(world, who), a.pk) == a
    stranger = UserFactory(username="p_stranger_unit")
    grant(stranger, "unit", unit=UnitFactory(name="区教育局"))
    for user in (world.co_unit_user, world.p.nobody, stranger):
        with pytest.raises(Http404):
            get_attachment_for_user(user, a.pk)
    with pytest.raises(Http404):
        get_attachment_for_user(world.p.staff, a.pk + 1000)


def test_draft_attachments_stay_with_the_drafter(world):
    s = world.draft()
    a = actions.add_attachment(
        acting_user=world.p.deputy, suggestion=s, upload=upload("a.pdf", pdf_bytes())
    )
    assert get_attachment_for_user(world.p.deputy, a.pk) == a
    for who in ("staff", "leader", "cosigner"):
        with pytest.raises(Http404):
            get_attachment_for_user(person(world, who), a.pk)
