"""Role-matrix entries (see tests/core/test_role_matrix.py for the format) for the law library:
its pages (SUP_LAW_PAGES) and /api/v1/supervision/laws (SUP_LAW_API).

The whole organ reads the library; the administrator and staff (of any office) import. The
builders import a small law through the real action; each import call takes a fresh version
label, as a label is unique within its law."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from renda.supervision.actions.laws import import_law
from renda.supervision.models import LawVersion
from tests.core.factories import Multipart

READERS = {"admin", "leader", "staff"}
IMPORTERS = {"admin", "staff"}
BASE = "/api/v1/supervision/laws"
TEXT = "示例条例\n第一章 总则\n第一条 为了示例，制定本条例。\n第二条 本条例自公布之日起施行。"


def law_version(p) -> LawVersion:
    version = LawVersion.objects.filter(law__title="示例条例").first()
    return version or import_law(acting_user=p.admin, text=TEXT, label="2019年")


def fresh_label(p) -> str:
    """A label not stored yet (the matrix calls the builder once per role)."""
    return f"第{LawVersion.objects.count() + 1}版"


def version_kwargs(p) -> dict:
    return {"pk": law_version(p).pk}


def import_body(p) -> dict:
    return {"text": TEXT, "label": fresh_label(p), "effective_on": "2019-01-01"}


def import_file(p) -> Multipart:
    upload = SimpleUploadedFile("示例条例.txt", TEXT.encode("utf-8"), "text/plain")
    return Multipart(file=upload, label=fresh_label(p))


# url name -> (roles allowed, method, kwargs builder, status when allowed)
SUP_LAW_PAGES = {
    "supervision:laws": (READERS, "get", None, 200),
    "supervision:law_version": (READERS, "get", version_kwargs, 200),
    "supervision:law_import": (IMPORTERS, "get", None, 200),
}

# (method, path) -> (roles allowed, request builder returning (path, body), status when allowed)
SUP_LAW_API = {
    ("GET", "/supervision/laws"): (READERS, lambda p: (BASE, None), 200),
    ("GET", "/supervision/laws/versions/{int:version_id}"): (
        READERS,
        lambda p: (f"{BASE}/versions/{law_version(p).pk}", None),
        200,
    ),
    ("POST", "/supervision/laws/import"): (
        IMPORTERS,
        lambda p: (f"{BASE}/import", import_body(p)),
        201,
    ),
    ("POST", "/supervision/laws/import-file"): (
        IMPORTERS,
        lambda p: (f"{BASE}/import-file", import_file(p)),
        201,
    ),
}
