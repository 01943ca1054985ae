"""Importing laws (actions/laws.py) and reading them back (queries_laws.py): who may import, the
stored structure and its parent links, refusals that save nothing, new versions of a known law,
the constant number of queries whatever the length of the law, citations and search."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.core.errors import DomainError, NotAllowed
from renda.core.models import TimelineEvent
from renda.supervision import queries_laws as queries
from renda.supervision.actions import common
from renda.supervision.actions.laws import (
    LawParseError,
    can_import_laws,
    import_bundled_law,
    import_law,
)
from renda.supervision.laws import parse_law
from renda.supervision.models import Law, LawProvision, LawVersion, ProvisionKind
from tests.supervision.factories import ITEMS_21, Mark
from tests.supervision.test_laws_parser import FACTS, LAWS, SAFETY, text_of

pytestmark = pytest.mark.django_db

SMALL = "\n".join(
    [
        "示例条例",
        "第一条 为了示例，制定本条例。",
        "第二条 本条例自公布之日起施行。",
    ]
)


def snapshot() -> tuple[int, ...]:
    """What a refused import must leave alone."""
    return (
        Law.objects.count(),
        LawVersion.objects.count(),
        LawProvision.objects.count(),
        TimelineEvent.objects.count(),
    )


def refused_import(call, message: str, error: type = DomainError) -> DomainError:
    before = snapshot()
    with pytest.raises(error) as info:
        call()
    assert info.value.message == message, info.value.message
    assert snapshot() == before
    return info.value


def import_safety(user, **kw) -> LawVersion:
    values = {"text": text_of(SAFETY), "label": "2021年修正", "effective_on": date(2021, 9, 1)}
    return import_law(acting_user=user, **{**values, **kw})


# ---------------------------------------------------------------------------------------------
# Importing


def test_staff_imports_the_work_safety_law(supervision):
    staff = supervision.staff
    with common.as_of(date(2026, 3, 2)):
        version = import_safety(staff, source_name="安全生产法-2021.md")
    law = version.law
    assert (law.title, law.short_title) == ("中华人民共和国安全生产法", "安全生产法")
    assert (version.label, version.effective_on, version.article_count) == (
        "2021年修正",
        date(2021, 9, 1),
        119,
    )
    assert version.source_text == text_of(SAFETY) and version.source_name == "安全生产法-2021.md"
    assert version.imported_by == staff
    assert timezone.localtime(version.imported_at).date() == date(2026, 3, 2)
    (event,) = TimelineEvent.objects.for_object(version)
    assert (event.verb, event.summary, event.actor) == (
        "import",
        "导入《中华人民共和国安全生产法》（2021年修正），共 119 条",
        staff,
    )
    assert event.note == "来源文件：安全生产法-2021.md"


def test_stored_provisions_are_the_parsed_outline(supervision):
    version = import_safety(supervision.staff)
    parsed = parse_law(text_of(SAFETY))
    rows = list(version.provisions.order_by("position"))
    assert [r.position for r in rows] == list(range(1, len(parsed.nodes) + 1))
    position_of = {r.pk: r.position for r in rows}
    for row, node in zip(rows, parsed.nodes, strict=True):
        assert (row.kind, row.label, row.number, row.heading, row.text, row.line) == (
            node.kind,
            node.label,
            node.number,
            node.heading,
            node.text,
            node.line,
        )
        expected_parent = None if node.parent is None else node.parent + 1
        assert (position_of[row.parent_id] if row.parent_id else None) == expected_parent
    kinds = {kind: version.provisions.filter(kind=kind).count() for kind in ProvisionKind.values}
    assert kinds == {
        "part": 0,
        "chapter": 7,
        "section": 0,
        "article": 119,
        "clause": 135,
        "item": 60,
    }
    a21 = version.provisions.get(kind="article", number=21)
    assert [i.text for i in a21.children.order_by("position")] == ITEMS_21
    assert a21.parent.label == "第二章"


def test_admin_imports_and_leaders_only_read(supervision):
    p = supervision.p
    assert [can_import_laws(u) for u in (p.admin, p.staff, p.social_staff)] == [True] * 3
    assert [can_import_laws(u) for u in (p.leader, p.deputy, p.unit, p.street, p.nobody)] == [
        False
    ] * 5
    assert import_law(acting_user=p.admin, text=SMALL, label="2020年").article_count == 2
    for user in (p.leader, p.deputy, p.unit, p.nobody):
        refused_import(
            lambda user=user: import_law(acting_user=user, text=SMALL, label="2021年"),
            "只有管理员和各工作机构的工作人员可以导入法律法规。",
            NotAllowed,
        )


def test_a_text_with_problems_saves_nothing(supervision):
    lines = text_of(SAFETY).split("\n")
    lines[24] = lines[24].removeprefix("第四条 ")
    error = refused_import(
        lambda: import_law(
            acting_user=supervision.staff, text="\n".join(lines), label="2021年修正"
        ),
        "文本有 1 处问题，未导入：第 29 行：条文序号不连续：第三条之后是第五条（缺少第四条）",
        LawParseError,
    )
    assert error.code == "parse_errors" and error.status == 400
    assert [(p.line, p.message) for p in error.problems] == [
        (29, "条文序号不连续：第三条之后是第五条（缺少第四条）")
    ]
    assert error.field_errors == {"line 29": "条文序号不连续：第三条之后是第五条（缺少第四条）"}


def test_many_problems_are_all_listed_and_the_message_names_the_first_five(supervision):
    text = "\n".join(
        [
            "示例条例",
            "（一）项",  # 2
            "第一章",  # 3: no title, and no article under it
            "第二章 附则",  # 4
            "第三条 一。",  # 5
            "第三条 二。",  # 6
            "（二）项",  # 7
            "第九条",  # 8
        ]
    )
    error = refused_import(
        lambda: import_law(acting_user=supervision.staff, text=text, label="试行"),
        "文本有 8 处问题，未导入：第 2 行：（一）不属于任何条文；第 3 行：第一章缺少标题；"
        "第 3 行：第一章下没有任何条文；第 5 行：条文序号不连续：应从第一条开始，实际为第三条；"
        "第 6 行：条文序号重复：第三条已在第 5 行出现……",
        LawParseError,
    )
    assert len(error.problems) == 8
    assert error.field_errors["line 3"] == "第一章缺少标题；第一章下没有任何条文"
    assert sorted(error.field_errors) == [f"line {n}" for n in (2, 3, 5, 6, 7, 8)]


def test_same_title_is_a_new_version_and_a_label_is_unique(supervision):
    staff = supervision.staff
    first = import_law(acting_user=staff, text=SMALL, label="2019年", effective_on=date(2019, 1, 1))
    second = import_law(
        acting_user=staff, text=SMALL + "\n第三条 新增。", label="2024年修订", effective_on=None
    )
    assert first.law_id == second.law_id and Law.objects.count() == 1
    assert (second.article_count, second.effective_on) == (3, None)
    error = refused_import(
        lambda: import_law(acting_user=staff, text=SMALL, label="2019年"),
        "《示例条例》已有“2019年”版本，请换一个版本名称（如“2019年（重新导入）”）。",
    )
    assert error.code == "duplicate" and error.field_errors == {"label": "该版本已存在"}


def test_title_given_overrides_the_first_line(supervision):
    version = import_law(
        acting_user=supervision.staff, text=SMALL, label="2019年", title="  济南市示例条例 "
    )
    assert version.law.title == "济南市示例条例" and version.law.short_title == ""
    without_title = "第一条 为了示例，制定本条例。\n第二条 施行。"
    refused_import(
        lambda: import_law(acting_user=supervision.staff, text=without_title, label="2019年"),
        "没有读出法律法规名称：请在全文第一行写名称，或填写“名称”。",
    )
    version = import_law(
        acting_user=supervision.staff, text=without_title, label="2019年", title="无题条例"
    )
    assert version.article_count == 2 and version.law.title == "无题条例"


@pytest.mark.parametrize(
    ("kw", "message", "field"),
    [
        ({"label": "  "}, "请填写版本。", "label"),
        ({"label": "版" * 101}, "版本不能超过 100 字。", "label"),
        ({"text": " \n "}, "请粘贴法律法规全文或上传文件。", "text"),
        ({"title": "名" * 201}, "名称不能超过 200 字。", "title"),
    ],
)
def test_bad_input_is_refused(supervision, kw, message, field):
    values = {"text": SMALL, "label": "2019年", **kw}
    error = refused_import(lambda: import_law(acting_user=supervision.staff, **values), message)
    assert list(error.field_errors) == [field]


def test_query_count_does_not_grow_with_the_law(supervision):
    """One INSERT for all the provisions: 13 rows or 321 rows, the same queries."""
    staff = supervision.staff
    import_law(acting_user=staff, text=SMALL, label="预热")  # caches the content type

    def count(text: str, label: str) -> int:
        with CaptureQueriesContext(connection) as run:
            import_law(acting_user=staff, text=text, label=label)
        return len(run)

    # A new law: its row is created under a savepoint (3 queries more).
    assert count(SMALL.replace("示例", "小"), "一") == count(text_of(SAFETY), "一") == 11
    # A new version of a law already in the library.
    assert count(SMALL, "二") == count(text_of(SAFETY), "二") == 8
    assert LawProvision.objects.filter(version__label="二").count() == 2 + 321


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_bundled_law_imports(supervision, name):
    version = import_bundled_law(
        acting_user=supervision.p.admin, filename=name, label="现行", effective_on=None
    )
    title, _, _, articles, _ = FACTS[name]
    assert (version.law.title, version.article_count, version.source_name) == (
        title,
        articles,
        name,
    )
    assert version.provisions.filter(kind="article").count() == articles


def test_bundled_law_must_be_one_of_the_shipped_files(supervision):
    for name in ("不存在.md", "../models.py", "/etc/passwd"):
        refused_import(
            lambda name=name: import_bundled_law(
                acting_user=supervision.p.admin, filename=name, label="现行", effective_on=None
            ),
            f"系统未附带该法律法规文本：{name}",
        )
    assert (LAWS / "..").resolve().name == "data"


def test_a_new_version_keeps_the_old_ones_provisions(supervision):
    old = import_safety(supervision.staff, label="2014年修正")
    before = list(old.provisions.values_list("id", "text"))
    new = import_safety(supervision.staff, label="2021年修正")
    assert list(old.provisions.values_list("id", "text")) == before
    assert not set(new.provisions.values_list("id", flat=True)) & {pk for pk, _ in before}


# ---------------------------------------------------------------------------------------------
# Reads


def test_citations_in_one_query(supervision, django_assert_num_queries):
    version = import_safety(supervision.staff)
    with django_assert_num_queries(1):
        cited = queries.citations(version)
    by_label = {}
    for provision in version.provisions.select_related("parent").order_by("position"):
        by_label.setdefault(provision.label, []).append(cited[provision.pk])
    assert by_label["第二十一条"] == ["第二十一条"]
    assert by_label["第一章"] == ["第一章"]
    a21 = version.provisions.get(kind="article", number=21)
    third = a21.children.get(number=3)
    assert cited[third.pk] == "第二十一条第（三）项"
    a4 = version.provisions.get(kind="article", number=4)
    assert [cited[c.pk] for c in a4.children.order_by("position")] == [
        "第四条第一款",
        "第四条第二款",
    ]
    a25 = version.provisions.get(kind="article", number=25)
    first_clause = a25.children.get(number=1)
    assert cited[first_clause.children.get(number=7).pk] == "第二十五条第一款第（七）项"


def test_citations_of_parts_chapters_and_sections(supervision):
    text = "示例法典\n第一编 总则\n第一章 一般规定\n第一节 适用\n第一条 本法适用于示例。"
    version = import_law(acting_user=supervision.staff, text=text, label="草案")
    cited = queries.citations(version)
    assert [cited[p.pk] for p in version.provisions.order_by("position")] == [
        "第一编",
        "第一编第一章",
        "第一编第一章第一节",
        "第一条",
    ]


def test_outline_is_one_query(supervision, django_assert_num_queries):
    version = import_safety(supervision.staff)
    with django_assert_num_queries(1):
        outline = queries.outline(version)
    assert [r.label for r in outline.roots] == [f"第{n}章" for n in "一二三四五六七"]
    assert len(outline.articles) == 119 and len(outline.chapters) == 7
    chapter2 = outline.roots[1]
    a21 = next(c for c in chapter2.children_list if c.label == "第二十一条")
    assert [i.citation_text for i in a21.children_list][:2] == [
        "第二十一条第（一）项",
        "第二十一条第（二）项",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("21", ["第二十一条"]),
        ("第二十一条", ["第二十一条"]),
        ("一百一十九", ["第一百一十九条"]),
        ("（三）", []),  # an item's label alone is not a search (most lists have one)
        ("双重预防", ["第四条第一款", "第二十一条第（五）项"]),
        ("第九十五条", ["第九十五条", "第一百一十五条"]),  # and the article citing it
        ("   ", []),
    ],
)
def test_search_provisions(supervision, django_assert_num_queries, query, expected):
    version = import_safety(supervision.staff)
    count = 2 if expected else (1 if query.strip() else 0)
    with django_assert_num_queries(count):
        found = queries.search_provisions(version, query)
    assert [p.citation_text for p in found] == expected


def test_search_is_within_the_version(supervision):
    old = import_law(acting_user=supervision.staff, text=SMALL, label="旧")
    new = import_law(acting_user=supervision.staff, text=SMALL + "\n第三条 示例新增。", label="新")
    assert [p.citation_text for p in queries.search_provisions(old, "新增")] == []
    assert [p.citation_text for p in queries.search_provisions(new, "新增")] == ["第三条"]


def test_reading_a_version_needs_the_organ(supervision):
    version = import_law(acting_user=supervision.staff, text=SMALL, label="旧")
    p = supervision.p
    for user in (p.admin, p.leader, p.staff):
        assert queries.get_law_version_for_user(user, version.pk) == version
    from django.http import Http404

    for user in (p.deputy, p.unit, p.street, p.nobody):
        with pytest.raises(Http404):
            queries.get_law_version_for_user(user, version.pk)
    with pytest.raises(Http404):
        queries.get_law_version_for_user(p.admin, version.pk + 1000)


def test_law_list_orders_versions_newest_first(supervision, django_assert_num_queries):
    staff = supervision.staff
    import_law(acting_user=staff, text=SMALL, label="2019年", effective_on=date(2019, 1, 1))
    import_law(acting_user=staff, text=SMALL, label="2024年", effective_on=date(2024, 1, 1))
    import_safety(staff)
    with django_assert_num_queries(2):
        laws = list(queries.law_list())
        rows = [
            (law.title, law.version_count, [v.label for v in law.versions.all()]) for law in laws
        ]
    assert rows == [
        ("中华人民共和国安全生产法", 1, ["2021年修正"]),
        ("示例条例", 2, ["2024年", "2019年"]),
    ]
    assert [law.title for law in queries.law_list(q="安全生产")] == ["中华人民共和国安全生产法"]
    assert isinstance(laws[0].versions.all()[0].imported_at, datetime)


def test_refused_import_is_proven_by_state(supervision):
    """The generic `refused` helper also holds: the version row and the timeline are unchanged."""
    version = import_law(acting_user=supervision.staff, text=SMALL, label="旧")
    before = Mark(version)
    with pytest.raises(NotAllowed):
        import_law(acting_user=supervision.p.leader, text=SMALL, label="新")
    assert before.events() == []
