"""The law parser on the real texts shipped with the system (data/laws/) and on broken copies of
them: exact structure facts, zero problems on every real text, every line accounted for, and the
right line number for each kind of mistake."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from renda.core.errors import DomainError
from renda.supervision.laws import (
    ARTICLE,
    CHAPTER,
    CLAUSE,
    ITEM,
    KINDS,
    RANK,
    SECTION,
    ParsedLaw,
    chinese_number,
    chinese_numeral,
    parse_law,
    read_law_file,
)
from renda.supervision.models import ProvisionKind
from tests.supervision.factories import ITEMS_21

LAWS = Path(__file__).resolve().parents[2] / "renda" / "supervision" / "data" / "laws"
SAFETY = "安全生产法-2021.md"


def text_of(name: str) -> str:
    return (LAWS / name).read_text(encoding="utf-8")


def lines_of(name: str) -> list[str]:
    return text_of(name).split("\n")


def line_starting(lines: list[str], start: str) -> int:
    """The 1-based number of the only line starting with `start`."""
    found = [n for n, line in enumerate(lines, start=1) if line.startswith(start)]
    assert len(found) == 1, (start, found)
    return found[0]


def node(law: ParsedLaw, kind: str, label: str):
    return law.nodes[law.find(kind, label)]


def kids(law: ParsedLaw, kind: str, label: str, child_kind: str | None = None) -> list:
    children = law.children(law.find(kind, label))
    return [c for c in children if child_kind is None or c.kind == child_kind]


def problems(law: ParsedLaw) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in law.problems]


# ---------------------------------------------------------------------------------------------
# Numerals


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("一", 1),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("二十一", 21),
        ("一百", 100),
        ("一百零一", 101),
        ("一百一十", 110),
        ("一百一十九", 119),
        ("一千零一", 1001),
        ("一千零一十", 1010),
        ("二千一百零二", 2102),
        ("两百", 200),
        ("二〇二一", 2021),
        ("一〇一", 101),
        ("21", 21),
        ("２１", 21),
    ],
)
def test_chinese_number_reads(text, value):
    assert chinese_number(text) == value


@pytest.mark.parametrize(
    "text", ["", "零", "〇", "十十", "百", "一百二", "一百零", "零一", "一万", "甲", "99999"]
)
def test_chinese_number_refuses_malformed(text):
    assert chinese_number(text) is None


def test_chinese_numeral_round_trips_every_number_a_law_uses():
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 101, 110, 119, 1001, 1010)] == [
        "一",
        "十",
        "十一",
        "二十",
        "一百零一",
        "一百一十",
        "一百一十九",
        "一千零一",
        "一千零一十",
    ]
    assert all(chinese_number(chinese_numeral(n)) == n for n in range(1, 10_000))


def test_kinds_are_the_models_kinds():
    assert list(KINDS) == list(ProvisionKind.values)


# ---------------------------------------------------------------------------------------------
# The real texts: exact facts per file

# file -> (title, chapters, sections, articles, {article label: (clauses, items per clause or
# items of the article)}).
FACTS = {
    "安全生产法-2021.md": (
        "中华人民共和国安全生产法",
        7,
        0,
        119,
        {
            "第二十一条": (0, 7),
            "第四条": (2, [0, 0]),
            "第二十五条": (2, [7, 0]),
            "第九十九条": (0, 8),
        },
    ),
    "代表法-2025.md": (
        "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法",
        6,
        0,
        65,
        {"第七条": (0, 8), "第十七条": (6, [0] * 6), "第六十二条": (2, [7, 0])},
    ),
    "地方组织法-2022.md": (
        "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法",
        5,
        14,
        90,
        {"第十一条": (0, 15), "第四十七条": (5, [0, 0, 0, 3, 0]), "第五十条": (2, [18, 0])},
    ),
    "监督法-2024.md": (
        "中华人民共和国各级人民代表大会常务委员会监督法",
        9,
        0,
        65,
        {"第十八条": (0, 10), "第十二条": (3, [6, 0, 0]), "第三十六条": (2, [0, 2])},
    ),
    "山东省代表建议办理工作条例-2017.md": (
        "山东省人民代表大会代表建议、批评和意见办理工作条例",
        6,
        0,
        33,
        {"第三条": (2, [0, 0]), "第六条": (0, 5), "第十四条": (3, [0, 0, 4])},
    ),
    "山东省安全生产条例-2021.md": (
        "山东省安全生产条例",
        6,
        0,
        80,
        {"第十七条": (0, 12), "第三十五条": (2, [8, 0]), "第三十条": (3, [3, 0, 0])},
    ),
    "山东省实施代表法办法-2015.md": (
        "山东省实施《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》办法",
        6,
        0,
        51,
        {"第三条": (0, 7), "第四十六条": (3, [0, 6, 0])},
    ),
    "济南市人大常委会讨论决定重大事项的规定-2019.md": (
        "济南市人民代表大会常务委员会讨论决定重大事项的规定",
        0,
        0,
        24,
        {"第四条": (0, 20), "第五条": (0, 16), "第十条": (3, [0, 5, 0])},
    ),
}


def test_every_bundled_text_has_its_facts():
    assert sorted(p.name for p in LAWS.glob("*.md")) == sorted(FACTS)


@pytest.mark.parametrize("name", sorted(FACTS))
def test_real_text_parses_without_problems(name):
    title, chapters, sections, articles, shape = FACTS[name]
    law = parse_law(text_of(name))
    assert law.problems == []
    assert law.title == title
    assert (law.count(CHAPTER), law.count(SECTION), law.article_count) == (
        chapters,
        sections,
        articles,
    )
    # Articles run 第一条 … without gaps, numbered as written.
    numbers = [n.number for n in law.nodes if n.kind == ARTICLE]
    assert numbers == list(range(1, articles + 1))
    assert all(
        n.label == f"第{chinese_numeral(n.number)}条" for n in law.nodes if n.kind == ARTICLE
    )
    for label, (clauses, items) in shape.items():
        found_clauses = kids(law, ARTICLE, label, CLAUSE)
        assert len(found_clauses) == clauses, label
        if clauses:
            assert [c.label for c in found_clauses] == [
                f"第{chinese_numeral(i)}款" for i in range(1, clauses + 1)
            ]
            per_clause = [len(law.children(law.nodes.index(c))) for c in found_clauses]
            assert per_clause == items, label
            assert node(law, ARTICLE, label).text == ""  # the clauses carry the text
        else:
            assert len(kids(law, ARTICLE, label, ITEM)) == items, label
            assert node(law, ARTICLE, label).text


@pytest.mark.parametrize("name", sorted(FACTS))
def test_every_line_is_accounted_for(name):
    """Never silently dropped: each non-blank line is the title, the note, part of a provision
    or deliberately skipped (markup, repeated title)."""
    text = text_of(name)
    law = parse_law(text)
    used = {law.title_line, *law.note_lines, *(s.line for s in law.skipped)}
    for n in law.nodes:
        used.update(range(n.line, n.end_line + 1))
    blank = {i for i, line in enumerate(text.split("\n"), start=1) if not line.strip()}
    every = set(range(1, len(text.split("\n")) + 1))
    assert every - blank - used == set()
    assert all(n.text or n.heading or law.children(i) for i, n in enumerate(law.nodes))


@pytest.mark.parametrize("name", sorted(FACTS))
def test_parent_is_the_nearest_higher_node_before(name):
    """The import relies on it: the tree is exactly the outline of the document."""
    law = parse_law(text_of(name))
    for index, n in enumerate(law.nodes):
        expected = next(
            (i for i in range(index - 1, -1, -1) if RANK[law.nodes[i].kind] < RANK[n.kind]),
            None,
        )
        if n.kind in (CLAUSE, ITEM):
            assert n.parent is not None
        assert n.parent == expected, (n.label, n.line)


def test_safety_law_details():
    lines = lines_of(SAFETY)
    law = parse_law("\n".join(lines))
    a21 = node(law, ARTICLE, "第二十一条")
    assert a21.line == line_starting(lines, "第二十一条") == 79
    assert a21.text == "生产经营单位的主要负责人对本单位安全生产工作负有下列职责:"  # as written
    items = kids(law, ARTICLE, "第二十一条", ITEM)
    assert [i.label for i in items] == [f"（{chinese_numeral(n)}）" for n in range(1, 8)]
    assert [i.text for i in items] == ITEMS_21
    assert [i.number for i in items] == list(range(1, 8))
    assert node(law, ARTICLE, "第一百一十九条").number == 119
    clauses = kids(law, ARTICLE, "第四条", CLAUSE)
    assert clauses[0].line == 25 and clauses[1].line == 27
    assert clauses[1].text.startswith("平台经济等新兴行业")
    chapter2 = node(law, CHAPTER, "第二章")
    assert (chapter2.heading, chapter2.number, chapter2.line) == (
        "生产经营单位的安全生产保障",
        2,
        75,
    )
    assert a21.parent == law.nodes.index(chapter2)
    assert (
        law.note.splitlines()[0]
        == "2002年6月29日  第九届全国人民代表大会常务委员会第二十八次会议通过"
    )
    assert len(law.note.splitlines()) == 4 and "第三次修正" in law.note
    assert [(s.line, s.reason) for s in law.skipped] == [(11, "标记")]


def test_heading_wrapped_over_two_lines_is_one_heading():
    law = parse_law(text_of("山东省代表建议办理工作条例-2017.md"))
    chapter5 = node(law, CHAPTER, "第五章")
    assert chapter5.heading == "代表建议、批评和意见办理工作的监督检查"
    assert (chapter5.line, chapter5.end_line) == (125, 127)
    assert node(law, CHAPTER, "第一章").heading == "总则"


def test_spaced_headings_and_repeated_titles():
    law = parse_law(text_of("代表法-2025.md"))
    assert node(law, CHAPTER, "第一章").heading == "总则"  # "总 则"
    assert (15, "重复的标题") in [(s.line, s.reason) for s in law.skipped]
    assert law.note.count("\n") == 4 and law.note.endswith("第四次修正）")
    local = parse_law(text_of("地方组织法-2022.md"))
    assert [(s.line, s.reason) for s in local.skipped][:2] == [(3, "重复的标题"), (5, "重复的标题")]
    assert node(local, SECTION, "第六节").parent == local.find(CHAPTER, "第二章")
    assert node(local, ARTICLE, "第十条").parent == local.find(SECTION, "第二节")


def test_items_written_with_ascii_brackets_keep_their_label():
    law = parse_law(text_of("济南市人大常委会讨论决定重大事项的规定-2019.md"))
    second = kids(law, ARTICLE, "第十条", CLAUSE)[1]
    items = law.children(law.nodes.index(second))
    assert (
        len(items) == 5
        and items[0].label == "(一)"
        and items[0].number == 1
        and items[0].text == "基本情况;"
    )
    assert law.count(CHAPTER) == 0 and node(law, ARTICLE, "第一条").parent is None


# ---------------------------------------------------------------------------------------------
# Broken copies: the right problem on the right line


def broken(edit) -> tuple[ParsedLaw, list[str]]:
    lines = lines_of(SAFETY)
    edit(lines)
    return parse_law("\n".join(lines)), lines


def test_the_shipped_source_missing_an_article_number_is_caught():
    """The shared copy of 山东省代表建议办理工作条例 lost "第四条" (the bundled copy is corrected)."""
    lines = lines_of("山东省代表建议办理工作条例-2017.md")
    assert lines[24].startswith("第四条 有关机关和组织")
    lines[24] = lines[24].removeprefix("第四条 ")
    law = parse_law("\n".join(lines))
    assert problems(law) == [(29, "条文序号不连续：第三条之后是第五条（缺少第四条）")]


def test_missing_article_number():
    def edit(lines):
        lines[24] = lines[24].removeprefix("第四条 ")

    law, _ = broken(edit)
    assert problems(law) == [(29, "条文序号不连续：第三条之后是第五条（缺少第四条）")]


def test_repeated_article_number_and_the_gap_it_leaves():
    def edit(lines):
        lines[30] = lines[30].replace("第六条", "第五条", 1)

    law, _ = broken(edit)
    assert problems(law) == [
        (31, "条文序号重复：第五条已在第 29 行出现"),
        (33, "条文序号不连续：第五条之后是第七条（缺少第六条）"),
    ]


def test_gap_of_several_articles():
    def edit(lines):
        del lines[28:46]  # 第五条 … 第九条 and their clauses

    law, lines = broken(edit)
    assert lines[28].startswith("第十条")
    assert problems(law) == [(29, "条文序号不连续：第四条之后是第十条（缺少第五条至第九条）")]


def test_item_and_text_outside_any_article():
    def edit(lines):
        lines[75:75] = [
            "（一）这一项没有所属的条文；",
            "这一段也没有所属的条文，而且是一句完整的话。",
        ]

    law, lines = broken(edit)
    assert lines[74].startswith("## 第二章")
    assert problems(law) == [
        (76, "（一）不属于任何条文"),
        (
            77,
            "这段文字不属于任何条文，无法归入法律结构：“这一段也没有所属的条文，而且是一句完整的……”",
        ),
    ]


def test_item_in_the_preamble():
    def edit(lines):
        lines[3:3] = ["（一）题注里不应有项"]

    law, _ = broken(edit)
    assert problems(law) == [(4, "（一）不属于任何条文")]


def test_empty_article_and_empty_item():
    def edit(lines):
        lines[46] = "第十条"  # its next paragraph (line 49) then becomes its first clause
        lines[80] = "（一）"

    law, _ = broken(edit)
    assert problems(law) == [(81, "（一）没有内容")]
    clauses = kids(law, ARTICLE, "第十条", CLAUSE)
    assert [c.line for c in clauses] == [47, 51] and clauses[0].text.startswith("国务院交通运输")

    def edit_empty(lines):
        lines[46:52] = ["第十条"]  # 第十条 and its three paragraphs

    law, _ = broken(edit_empty)
    assert problems(law) == [(47, "第十条没有内容")]


def test_item_numbering_gap():
    def edit(lines):
        lines[84] = lines[84].replace("（三）", "（四）", 1)

    law, lines = broken(edit)
    assert lines[82].startswith("（二）")
    assert problems(law)[0] == (85, "项的序号不连续：（二）之后是（四）")


def test_chapter_numbering():
    def edit(lines):
        lines[228] = "## 第四章 从业人员的安全生产权利义务"

    law, _ = broken(edit)
    assert problems(law) == [
        (229, "章的序号不连续：第二章之后是第四章（缺少第三章）"),
        (263, "章的序号重复：第四章已在第 229 行出现"),
    ]


def test_numbering_must_start_at_one():
    law = parse_law("示例条例\n第二章 总则\n第一节 一般规定\n第三条 一。\n第二节 其他\n第四条 二。")
    assert problems(law) == [
        (2, "章的序号不连续：应从第一章开始，实际为第二章"),
        (4, "条文序号不连续：应从第一条开始，实际为第三条"),
    ]
    law = parse_law("示例条例\n第一章 总则\n第二节 适用\n第一条 一。")
    assert problems(law) == [(3, "节的序号不连续：本章应从第一节开始，实际为第二节")]


def test_unreadable_numeral_is_one_problem():
    """Read on as the expected number: its paragraphs stay with it, and no gap follows."""

    def edit(lines):
        lines[46] = lines[46].replace("第十条", "第十十条", 1)

    law, _ = broken(edit)
    assert problems(law) == [(47, "无法识别“第十十条”中的序号")]


def test_empty_and_articleless_texts():
    assert problems(parse_law("")) == [(1, "文本是空的")]
    assert problems(parse_law("  \n\n")) == [(1, "文本是空的")]
    assert problems(parse_law("某某条例\n\n这里什么条文也没有。")) == [
        (1, "没有识别出任何条文（条文应以“第一条”这样的编号开头）")
    ]


# ---------------------------------------------------------------------------------------------
# Forms of text the files do not show


def test_table_of_contents_and_bracketed_note():
    text = "\n".join(
        [
            "中华人民共和国示例法",  # 1
            "（2002年6月29日第九届全国人民代表大会常务委员会第二十八次会议通过　根据2021年6月10日",
            "第十三届全国人民代表大会常务委员会第二十九次会议修正）",  # 3
            "目　　录",
            "第一章　总　　则",  # 5
            "第二章　监督管理",
            "　第一节　一般规定",  # 7
            "第三章　附　　则",
            "第一章　总　　则",  # 9: the body starts
            "第一条　为了示例，制定本法。",
            "第二章　监督管理",  # 11
            "第一节　一般规定",
            "第二条　监督管理包括下列事项：",  # 13
            "（一）检查；",
            "（二）整改。",  # 15
            "第三章　附　　则",
            "第三条　本法自公布之日起施行。",  # 17
        ]
    )
    law = parse_law(text)
    assert law.problems == []
    assert law.title == "中华人民共和国示例法" and law.note_lines == [2, 3]
    assert law.note.startswith("（2002年6月29日") and law.note.endswith("修正）")
    assert [(s.line, s.reason) for s in law.skipped] == [(n, "目录") for n in range(4, 9)]
    assert [(n.kind, n.label, n.heading, n.line) for n in law.nodes if n.kind != ITEM] == [
        (CHAPTER, "第一章", "总则", 9),
        (ARTICLE, "第一条", "", 10),
        (CHAPTER, "第二章", "监督管理", 11),
        (SECTION, "第一节", "一般规定", 12),
        (ARTICLE, "第二条", "", 13),
        (CHAPTER, "第三章", "附则", 16),
        (ARTICLE, "第三条", "", 17),
    ]
    assert node(law, ARTICLE, "第二条").parent == law.find(SECTION, "第一节")
    assert [i.text for i in kids(law, ARTICLE, "第二条", ITEM)] == ["检查；", "整改。"]


def test_parts_restart_chapters_and_headings_on_the_next_line():
    text = "\n".join(
        [
            "示例法典",
            "第一编",  # 2
            "总则",  # 3: the part's title on its own line
            "第一章 基本规定",
            "第一条",  # 5: the article's text on its own line
            "为了示例，制定本法。",
            "第二编 分则",  # 7
            "第一章 一般规定",  # chapters start again in a new part
            "第二条 分则适用本编。",  # 9
            "第二条之一 新增的条文。",
            "第三条 第二条之一规定的事项，依照本法办理。",  # 11
            "第二条规定的事项另有规定的，从其规定。",  # a paragraph citing an article
        ]
    )
    law = parse_law(text)
    assert law.problems == []
    part1 = node(law, "part", "第一编")
    assert (part1.heading, part1.line, part1.end_line) == ("总则", 2, 3)
    a1 = node(law, ARTICLE, "第一条")
    assert (a1.text, a1.line, a1.end_line) == ("为了示例，制定本法。", 5, 6)
    chapters = [n for n in law.nodes if n.kind == CHAPTER]
    assert [(c.label, law.nodes[c.parent].label) for c in chapters] == [
        ("第一章", "第一编"),
        ("第一章", "第二编"),
    ]
    added = node(law, ARTICLE, "第二条之一")
    assert (added.number, added.sub) == (2, 1)
    assert [c.text[:6] for c in kids(law, ARTICLE, "第三条", CLAUSE)] == [
        "第二条之一规",
        "第二条规定的",
    ]


def test_articles_without_a_space_after_the_number():
    law = parse_law(
        "示例条例\n第一条为了示例。\n第二条本条例自公布之日起施行。\n第五条规定的除外。"
    )
    assert law.problems == []
    assert [n.label for n in law.nodes if n.kind == ARTICLE] == ["第一条", "第二条"]
    assert [c.text for c in kids(law, ARTICLE, "第二条", CLAUSE)] == [
        "本条例自公布之日起施行。",
        "第五条规定的除外。",
    ]


def wrap(line: str, width: int) -> list[str]:
    """Hard-wrap a line as a PDF copy does. (A break right after 。 cannot be told from a new
    paragraph, nor one before "第…条" from a new article: this wrap avoids both.)"""
    pieces = []
    while len(line) > width:
        cut = width
        while cut < len(line) and (line[cut - 1] in "。；：:;" or line[cut] in "第（("):
            cut += 1
        pieces.append(line[:cut])
        line = line[cut:]
    return [*pieces, line] if line else pieces


def test_wrapped_lines_are_joined_back():
    original = parse_law(text_of(SAFETY))
    lines = []
    for line in text_of(SAFETY).split("\n"):
        lines.extend(wrap(line, 28) if line.startswith(("第", "（")) or len(line) > 28 else [line])
    wrapped = parse_law("\n".join(lines))
    assert wrapped.problems == []
    assert len(lines) > len(text_of(SAFETY).split("\n")) + 300
    assert [(n.kind, n.label, n.text, n.heading) for n in wrapped.nodes] == [
        (n.kind, n.label, n.text, n.heading) for n in original.nodes
    ]
    a21 = node(wrapped, ARTICLE, "第二十一条")
    assert a21.end_line == a21.line + 1  # its lead-in is 31 characters long


def test_label_alone_on_its_line_takes_the_next_line():
    law = parse_law("示例条例\n第一条\n为了示例，\n制定本条例。\n（一）\n示例；\n第二条 施行。")
    assert law.problems == []
    a1 = node(law, ARTICLE, "第一条")
    assert (a1.text, a1.line, a1.end_line) == ("为了示例，制定本条例。", 2, 4)
    item = kids(law, ARTICLE, "第一条", ITEM)[0]
    assert (item.text, item.line, item.end_line) == ("示例；", 5, 6)


def test_line_numbers_count_every_kind_of_line_break():
    law = parse_law("\ufeff示例条例\r\n\r\n第一条 一。\r第二条 二。\n第三条 三。")
    assert [(n.label, n.line) for n in law.nodes] == [("第一条", 3), ("第二条", 4), ("第三条", 5)]


def test_a_heading_continues_over_two_short_lines_at_most():
    text = "\n".join(
        [
            "示例条例",
            "第一章",
            "关于",
            "示例的",
            "规定",
            "第一条 一。",
            "第二章 附则",
            "本章的第一句话是一个完整的句子。",
        ]
    )
    law = parse_law(text)
    assert node(law, CHAPTER, "第一章").heading == "关于示例的"
    assert problems(law) == [
        (5, "这段文字不属于任何条文，无法归入法律结构：“规定”"),
        (7, "第二章下没有任何条文"),
        (8, "这段文字不属于任何条文，无法归入法律结构：“本章的第一句话是一个完整的句子。”"),
    ]


def test_heading_without_title():
    law = parse_law("示例条例\n第一章\n第一条 为了示例，制定本条例。")
    assert problems(law) == [(2, "第一章缺少标题")]


# ---------------------------------------------------------------------------------------------
# Files


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_read_text_files():
    text = text_of(SAFETY)
    assert read_law_file("安全生产法.md", text.encode("utf-8")) == text
    assert read_law_file("安全生产法.TXT", b"\xef\xbb\xbf" + text.encode("utf-8")) == text


def test_read_docx_paragraphs():
    data = docx_bytes(
        ["中华人民共和国示例法", "第一条 为了示例，制定本法。", "第二条 本法自公布之日起施行。"]
    )
    text = read_law_file("示例法.docx", data)
    assert text.split("\n") == [
        "中华人民共和国示例法",
        "第一条 为了示例，制定本法。",
        "第二条 本法自公布之日起施行。",
    ]
    assert parse_law(text).article_count == 2


def test_docx_text_is_cleaned_like_typed_text():
    # A carriage return is legal in the XML of a .docx; stored text has \n line ends only.
    data = docx_bytes(["第一条 为了示例MARK制定本法。"])
    with zipfile.ZipFile(BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"MARK", b"&#13;")
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    assert read_law_file("示例法.docx", out.getvalue()) == "第一条 为了示例\n制定本法。"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("示例法.pdf", b"%PDF-1.4", "不支持.pdf，请上传 .txt、.md 或 .docx 文件，或直接粘贴文本。"),
        (
            "示例法",
            b"abc",
            "不支持无扩展名的文件，请上传 .txt、.md 或 .docx 文件，或直接粘贴文本。",
        ),
        ("示例法.txt", b"", "文件是空的。"),
        (
            "示例法.txt",
            "第一条 为了示例。".encode("gbk"),
            "文件不是 UTF-8 编码（可能是 GBK）。请用记事本“另存为”UTF-8 编码后再上传。",
        ),
        ("示例法.txt", b"\x00\x01binary", "文件不是纯文本，请上传 UTF-8 编码的 .txt 或 .md 文件。"),
        (
            "示例法.docx",
            b"not a zip at all",
            "文件内容不是 Word 文档（.docx），可能已损坏或被改名。",
        ),
        ("示例法.docx", b"PK\x03\x04broken", "无法读取该 Word 文档（.docx），可能已损坏或被改名。"),
    ],
)
def test_read_refuses_in_chinese(name, data, message):
    with pytest.raises(DomainError) as info:
        read_law_file(name, data)
    assert info.value.message == message
    assert info.value.field_errors == {"file": message}
