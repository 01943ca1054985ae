"""The supervision API: the law library under /api/v1/supervision/laws.

Read by the whole organ; imported by the administrator and staff (the same rule and the same
action as the import page). A text with problems is refused with 400 `parse_errors` and one
error per problem: {"field": "line 12", "message": "…"}; nothing is saved."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from renda.core.access import api_allow
from renda.core.api_types import Id, Limit, Offset, Position, Serial, Total
from renda.core.models import TimelineEvent
from renda.supervision import queries_laws as queries
from renda.supervision.actions import laws as actions
from renda.supervision.laws import KIND_NAMES, parse_law, read_law_upload
from renda.supervision.models import LawVersion

router = Router(tags=["监督工作"])

READERS = ("admin", "leader", "staff")
IMPORTERS = ("admin", "staff")
MAX_LIMIT = 200


# ---------------------------------------------------------------------------------------------
# Output


class VersionOut(Schema):
    id: Id
    label: str
    effective_on: date | None
    article_count: Total
    source_name: str
    imported_by: str
    imported_at: datetime


class LawOut(Schema):
    id: Id
    title: str
    short_title: str
    versions: list[VersionOut] = Field(description="最新的版本在前")


class LawPage(Schema):
    count: Total
    offset: Offset
    limit: Limit
    items: list[LawOut]


class LawProvisionOut(Schema):
    id: Id
    parent_id: Id | None
    position: Position
    kind: str = Field(description="part/chapter/section/article/clause/item（编/章/节/条/款/项）")
    kind_name: str
    label: str = Field(description="原文编号，如“第二十一条”“（一）”；款为“第一款”")
    number: Serial
    heading: str
    text: str
    line: Serial = Field(description="在原文中的行号")
    citation: str = Field(description="完整引用，如“第二十一条第（三）项”")


class LawEventOut(Schema):
    at: datetime
    actor: str | None
    verb: str
    summary: str
    note: str


class VersionDetail(VersionOut):
    law_id: Id
    title: str
    note: str = Field(description="题注：通过、修正的时间")
    provisions: list[LawProvisionOut]
    timeline: list[LawEventOut]


def _version_row(version: LawVersion) -> dict:
    return {
        "id": version.pk,
        "label": version.label,
        "effective_on": version.effective_on,
        "article_count": version.article_count,
        "source_name": version.source_name,
        "imported_by": version.imported_by.get_full_name(),
        "imported_at": version.imported_at,
    }


def _detail(version: LawVersion) -> dict:
    outline = queries.outline(version)
    return {
        **_version_row(version),
        "law_id": version.law_id,
        "title": version.law.title,
        "note": parse_law(version.source_text).note,
        "provisions": [
            {
                "id": p.pk,
                "parent_id": p.parent_id,
                "position": p.position,
                "kind": p.kind,
                "kind_name": KIND_NAMES[p.kind],
                "label": p.label,
                "number": p.number,
                "heading": p.heading,
                "text": p.text,
                "line": p.line,
                "citation": p.citation_text,
            }
            for p in outline.provisions
        ],
        "timeline": [
            {
                "at": e.created_at,
                "actor": e.actor.get_full_name() if e.actor_id else None,
                "verb": e.verb,
                "summary": e.summary,
                "note": e.note,
            }
            for e in TimelineEvent.objects.for_object(version)
        ],
    }


def _current(request: HttpRequest, version_id: Id) -> dict:
    return _detail(queries.get_law_version_for_user(request.user, version_id))


# ---------------------------------------------------------------------------------------------
# Reads


class LawListQuery(Schema):
    q: str = Field("", description="按名称查找")
    offset: Offset = Field(0, ge=0)
    limit: Limit = 50


@router.get("", response=LawPage, summary="法律法规列表（含各版本）")
@api_allow(*READERS)
def list_laws(request: HttpRequest, params: Query[LawListQuery]):
    laws = queries.law_list(q=params.q)
    limit = min(max(params.limit, 1), MAX_LIMIT)
    page = laws[params.offset : params.offset + limit]
    items = [
        {
            "id": law.pk,
            "title": law.title,
            "short_title": law.short_title,
            "versions": [_version_row(v) for v in law.versions.all()],
        }
        for law in page
    ]
    return {"count": laws.count(), "offset": params.offset, "limit": limit, "items": items}


@router.get(
    "/versions/{int:version_id}", response=VersionDetail, summary="法律法规版本（全部条文及引用）"
)
@api_allow(*READERS)
def get_version(request: HttpRequest, version_id: Id):
    return _current(request, version_id)


# ---------------------------------------------------------------------------------------------
# Import


class ImportIn(Schema):
    text: str = Field(description="全文：第一行为名称，每条以“第一条”这样的编号开头")
    label: str = Field(description="版本，如“2021年修正”")
    effective_on: date | None = None
    title: str = Field("", description="名称；不填则取全文第一行")
    source_name: str = ""


@router.post(
    "/import",
    response={201: VersionDetail},
    summary="导入法律法规（粘贴全文）；有问题则整份不导入，逐行返回问题",
)
@api_allow(*IMPORTERS)
def import_law(request: HttpRequest, payload: ImportIn):
    version = actions.import_law(acting_user=request.user, **payload.dict())
    return HttpStatus(201, _current(request, version.pk))


@router.post(
    "/import-file",
    response={201: VersionDetail},
    summary="导入法律法规（multipart：file 为 .txt/.md/.docx，及 label 等字段）",
)
@api_allow(*IMPORTERS)
def import_law_file(
    request: HttpRequest,
    file: File[UploadedFile],
    label: Form[str],
    effective_on: Form[date | None] = None,
    title: Form[str] = "",
):
    text, name = read_law_upload(file)
    version = actions.import_law(
        acting_user=request.user,
        text=text,
        label=label,
        effective_on=effective_on,
        source_name=name,
        title=title,
    )
    return HttpStatus(201, _current(request, version.pk))
