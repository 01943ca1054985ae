"""The law library (法律法规库): importing the text of a law or regulation as a new version.

A text is parsed (renda/supervision/laws.py) and imported only if it has no problem at all; the
problems are returned with their line numbers and nothing is saved. A title already in the
library gets a new version (an inspection keeps pointing at the version it checked); a version
label is unique within its law.

The provisions of a version are written in one INSERT statement, whatever the length of the law
(a law of 119 articles has about 300 provisions, the Civil Code several thousand): the rows go
to the database as one JSON parameter, with ids reserved beforehand so that each row carries its
parent's id. Importing any law takes the same, small number of queries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.db import IntegrityError, connection, transaction

from renda.core.errors import DomainError
from renda.core.models import Role, User
from renda.supervision.actions import common
from renda.supervision.laws import ParsedNode, ParseProblem, parse_law
from renda.supervision.models import Law, LawProvision, LawVersion

BUNDLED_DIR = Path(__file__).resolve().parent.parent / "data" / "laws"
SHOWN_PROBLEMS = 5  # in the message; every problem is in field_errors
MAX_TITLE = 200
MAX_LABEL = 100
MAX_SOURCE_NAME = 200
COMMON_PREFIX = "中华人民共和国"


class LawParseError(DomainError):
    """The text has problems: nothing was imported. `problems` lists every one of them."""

    def __init__(self, problems: list[ParseProblem]):
        self.problems = list(problems)
        shown = "；".join(f"第 {p.line} 行：{p.message}" for p in self.problems[:SHOWN_PROBLEMS])
        more = "……" if len(self.problems) > SHOWN_PROBLEMS else ""
        field_errors: dict[str, str] = {}
        for problem in self.problems:
            key = f"line {problem.line}"
            field_errors[key] = "；".join(filter(None, [field_errors.get(key), problem.message]))
        super().__init__(
            "parse_errors",
            f"文本有 {len(self.problems)} 处问题，未导入：{shown}{more}",
            field_errors=field_errors,
        )


def can_import_laws(user) -> bool:
    """The administrator and the staff of any office keep the library; leaders only read it."""
    return user.is_authenticated and user.roles.has(Role.ADMIN, Role.STAFF)


@transaction.atomic
def import_law(
    *,
    acting_user: User,
    text: str,
    label: str,
    effective_on: date | None = None,
    source_name: str = "",
    title: str = "",
) -> LawVersion:
    """Parse `text` and store it as a new version of its law (created on first import).
    `title` overrides the title read from the text's first line."""
    common.require(
        can_import_laws(acting_user), "只有管理员和各工作机构的工作人员可以导入法律法规。"
    )
    label = _bounded(common.required_text(label, "label", "版本"), MAX_LABEL, "label", "版本")
    if not (text or "").strip():
        raise DomainError(
            "required", "请粘贴法律法规全文或上传文件。", field_errors={"text": "请填写全文"}
        )
    parsed = parse_law(text)
    if parsed.problems:
        raise LawParseError(parsed.problems)
    title = (title or "").strip() or parsed.title
    if not title:
        raise DomainError(
            "required",
            "没有读出法律法规名称：请在全文第一行写名称，或填写“名称”。",
            field_errors={"title": "请填写名称"},
        )
    title = _bounded(title, MAX_TITLE, "title", "名称")
    law = _law(title)
    if LawVersion.objects.filter(law=law, label=label).exists():
        raise _duplicate(law, label)
    try:
        version = LawVersion.objects.create(
            law=law,
            label=label,
            effective_on=effective_on,
            source_text=text,
            source_name=(source_name or "").strip()[:MAX_SOURCE_NAME],
            article_count=parsed.article_count,
            imported_by=acting_user,
            imported_at=common.now(),
        )
    except IntegrityError as error:
        # The same version imported at the same moment; the whole import is rolled back.
        raise _duplicate(law, label) from error
    _insert_provisions(version, parsed.nodes)
    common.event(
        version,
        actor=acting_user,
        verb="import",
        summary=f"导入《{law.title}》（{label}），共 {parsed.article_count} 条",
        note=f"来源文件：{version.source_name}" if version.source_name else "",
    )
    return version


def import_bundled_law(
    *, acting_user: User, filename: str, label: str, effective_on: date | None
) -> LawVersion:
    """Import one of the texts shipped with the system (data/laws/, used by the demo)."""
    path = (BUNDLED_DIR / filename).resolve()
    if path.parent != BUNDLED_DIR.resolve() or not path.is_file():
        raise DomainError("not_found", f"系统未附带该法律法规文本：{filename}")
    return import_law(
        acting_user=acting_user,
        text=path.read_text(encoding="utf-8-sig"),
        label=label,
        effective_on=effective_on,
        source_name=filename,
    )


# ---------------------------------------------------------------------------------------------
# Steps


def _bounded(value: str, limit: int, field: str, name: str) -> str:
    if len(value) > limit:
        raise DomainError(
            "invalid", f"{name}不能超过 {limit} 字。", field_errors={field: f"超过 {limit} 字"}
        )
    return value


def _duplicate(law: Law, label: str) -> DomainError:
    return DomainError(
        "duplicate",
        f"《{law.title}》已有“{label}”版本，请换一个版本名称（如“{label}（重新导入）”）。",
        field_errors={"label": "该版本已存在"},
    )


def _short_title(title: str) -> str:
    """安全生产法 for 中华人民共和国安全生产法; other titles have no obvious short form."""
    short = title.removeprefix(COMMON_PREFIX)
    return short if short != title and len(short) <= 50 else ""


def _law(title: str) -> Law:
    """The law with this title, locked; created on its first import."""
    law = Law.objects.select_for_update().filter(title=title).first()
    if law is not None:
        return law
    try:
        with transaction.atomic():
            return Law.objects.create(title=title, short_title=_short_title(title))
    except IntegrityError:  # created by another import meanwhile
        return Law.objects.select_for_update().get(title=title)


def _reserve_ids(count: int) -> list[int]:
    """`count` fresh ids of LawProvision, in increasing order, in one query."""
    table = LawProvision._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: this transaction has written the version row, so it holds the database's write
        # lock until it commits and no other writer can take these ids meanwhile.
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT MAX(m) FROM (SELECT MAX(id) AS m FROM {quoted} "
            "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s)",
            [table],
        )
        base = cursor.fetchone()[0] or 0
        return list(range(base + 1, base + count + 1))


COLUMNS = ("id", "parent_id", "kind", "label", "number", "heading", "text", "position", "line")
PG_TYPES = {
    "id": "bigint",
    "parent_id": "bigint",
    "number": "integer",
    "position": "integer",
    "line": "integer",
}


def _rows(nodes: list[ParsedNode], ids: list[int]) -> list[dict]:
    return [
        {
            "id": ids[index],
            "parent_id": None if node.parent is None else ids[node.parent],
            "kind": node.kind,
            "label": node.label,
            "number": node.number,
            "heading": node.heading,
            "text": node.text,
            "position": index + 1,
            "line": node.line,
        }
        for index, node in enumerate(nodes)
    ]


def _insert_provisions(version: LawVersion, nodes: list[ParsedNode]) -> None:
    """Every provision of the version in one INSERT … SELECT from a JSON array."""
    if not nodes:
        return
    rows = _rows(nodes, _reserve_ids(len(nodes)))
    qn = connection.ops.quote_name
    table = qn(LawProvision._meta.db_table)
    columns = ", ".join(qn(c) for c in ("version_id", *COLUMNS))
    if connection.vendor == "postgresql":
        record = ", ".join(f"{qn(c)} {PG_TYPES.get(c, 'text')}" for c in COLUMNS)
        values = ", ".join(f"r.{qn(c)}" for c in COLUMNS)
        source = f"jsonb_to_recordset(%s::jsonb) AS r({record})"
    else:
        values = ", ".join(f"json_extract(value, '$.{c}')" for c in COLUMNS)
        source = "json_each(%s)"
    sql = f"INSERT INTO {table} ({columns}) SELECT %s, {values} FROM {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, json.dumps(rows, ensure_ascii=False)])
