"""Reads of the law library: the list of laws with their versions, a version's structure in one
query, the citation of every provision (第二十一条第（三）项) and the search the inspection
checklist picks provisions with.

The whole organ (admin, leaders, staff) reads the library; nobody else sees it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from renda.supervision.laws import (
    ARTICLE,
    CHAPTER,
    CLAUSE,
    ITEM,
    PART,
    SECTION,
    chinese_number,
    chinese_numeral,
)
from renda.supervision.models import Law, LawProvision, LawVersion
from renda.supervision.permissions import is_organ, not_found

SEARCH_LIMIT = 50


def get_law_version_for_user(user, pk: int) -> LawVersion:
    """The one way to fetch a version: 404 for whoever may not read the library."""
    if not is_organ(user):
        raise not_found("法律法规版本")
    version = LawVersion.objects.select_related("law", "imported_by").filter(pk=pk).first()
    if version is None:
        raise not_found("法律法规版本")
    return version


def law_list(*, q: str = "") -> QuerySet[Law]:
    """Laws (by title), each with its versions newest first and each version's article count
    (stored on the version at import). Three queries per page with the paginator's count."""
    laws = Law.objects.annotate(version_count=Count("versions"))
    q = (q or "").strip()
    if q:
        laws = laws.filter(Q(title__icontains=q) | Q(short_title__icontains=q))
    # The full text is not needed in a list (and is the biggest column by far).
    versions = (
        LawVersion.objects.select_related("imported_by")
        .defer("source_text")
        .order_by("-effective_on", "-imported_at", "-id")
    )
    return laws.prefetch_related(Prefetch("versions", queryset=versions)).order_by("title", "id")


def other_versions(version: LawVersion) -> list[LawVersion]:
    return list(
        LawVersion.objects.filter(law_id=version.law_id)
        .exclude(pk=version.pk)
        .defer("source_text")
        .order_by("-effective_on", "-id")
    )


# ---------------------------------------------------------------------------------------------
# Citations


def cite(kind: str, label: str, number: int, parent: tuple[str, str] | None) -> str:
    """How a document cites a provision, given its parent's (kind, citation): articles stand
    alone (第二十一条); a clause follows its article (第四条第二款); an item follows its clause or
    article (第二十一条第（三）项); chapters follow their part, sections their chapter."""
    parent_kind, parent_citation = parent or ("", "")
    if kind == ITEM:
        return f"{parent_citation}第（{chinese_numeral(number)}）项"
    if kind == CLAUSE or (kind in (CHAPTER, SECTION) and parent_kind in (PART, CHAPTER)):
        return f"{parent_citation}{label}"
    return label


def _citations(rows: Iterable[tuple[int, int | None, str, str, int]]) -> dict[int, str]:
    """Rows (id, parent_id, kind, label, number) in document order: parents come first."""
    result: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for pk, parent_id, kind, label, number in rows:
        parent = None if parent_id is None else (kinds[parent_id], result[parent_id])
        result[pk] = cite(kind, label, number, parent)
        kinds[pk] = kind
    return result


def citations(version: LawVersion) -> dict[int, str]:
    """provision id → full citation, for every provision of the version, from one query."""
    rows = (
        LawProvision.objects.filter(version=version)
        .order_by("position")
        .values_list("id", "parent_id", "kind", "label", "number")
    )
    return _citations(rows)


# ---------------------------------------------------------------------------------------------
# The structure


@dataclass
class Outline:
    """A version's provisions as a tree, each with `citation_text` and `children` set."""

    roots: list[LawProvision]
    provisions: list[LawProvision]

    @property
    def chapters(self) -> list[LawProvision]:
        return [p for p in self.provisions if p.kind in (PART, CHAPTER, SECTION)]

    @property
    def articles(self) -> list[LawProvision]:
        return [p for p in self.provisions if p.kind == ARTICLE]


def outline(version: LawVersion) -> Outline:
    """The whole structure of a version in one query."""
    provisions = list(LawProvision.objects.filter(version=version).order_by("position"))
    texts = _citations((p.pk, p.parent_id, p.kind, p.label, p.number) for p in provisions)
    by_id = {p.pk: p for p in provisions}
    roots: list[LawProvision] = []
    for provision in provisions:
        provision.citation_text = texts[provision.pk]
        provision.children_list = []
        parent = by_id.get(provision.parent_id)
        (parent.children_list if parent is not None else roots).append(provision)
    return Outline(roots=roots, provisions=provisions)


# ---------------------------------------------------------------------------------------------
# Search (the inspection checklist's picker)


def _article_number(query: str) -> int | None:
    """ "21", "二十一", "第二十一条" → 21."""
    text = query.strip().removeprefix("第").removesuffix("条").strip()
    return chinese_number(text)


def search_provisions(
    version: LawVersion,
    query: str,
    *,
    kinds: Iterable[str] = (ARTICLE, CLAUSE, ITEM),
    limit: int = SEARCH_LIMIT,
) -> list[LawProvision]:
    """Provisions of the version whose text (or heading) contains `query`, or the article it
    numbers ("21", "第二十一条"), in document order, each with `citation_text`. Two queries."""
    query = (query or "").strip()
    if not query:
        return []
    match = Q(text__icontains=query) | Q(heading__icontains=query)
    number = _article_number(query)
    if number is not None:
        match |= Q(kind=ARTICLE, number=number)
    found = list(
        LawProvision.objects.filter(match, version=version, kind__in=list(kinds)).order_by(
            "position"
        )[:limit]
    )
    if found:
        texts = citations(version)
        for provision in found:
            provision.citation_text = texts[provision.pk]
    return found
