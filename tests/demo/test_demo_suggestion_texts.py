"""The demo's corpus of deputies' suggestions, answers and handling texts: pure data, no database."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from renda.demo.organisation import STREETS, UNITS
from renda.demo.suggestion_texts import (
    ADJUST_REASONS,
    ANSWER_TEXTS,
    CATEGORIES,
    CO_UNIT_OPINIONS,
    CONTACT_NOTES,
    DECLINE_REASONS,
    EXTENSION_REASONS,
    FOLLOW_UP_REPORTS,
    NOT_SATISFIED_COMMENTS,
    SUGGESTION_TEMPLATES,
    SuggestionText,
    format_answer,
)

UNIT_NAMES = {u.name for u in UNITS}
HAN = re.compile(r"[\u4e00-\u9fff]")


def han_count(text: str) -> int:
    return len(HAN.findall(text))


def test_categories_are_the_fixed_nine():
    assert CATEGORIES == (
        "城乡建设",
        "教育",
        "医疗卫生",
        "交通",
        "生态环境",
        "社会保障",
        "经济发展",
        "政法",
        "其他",
    )


def test_templates_are_frozen_dataclasses():
    assert len(SUGGESTION_TEMPLATES) >= 130
    assert all(isinstance(s, SuggestionText) for s in SUGGESTION_TEMPLATES)
    with pytest.raises(AttributeError):
        SUGGESTION_TEMPLATES[0].title = "x"  # type: ignore[misc]


def test_every_lead_and_co_unit_is_a_unit_of_the_organisation():
    for s in SUGGESTION_TEMPLATES:
        assert s.lead_unit in UNIT_NAMES, (s.title, s.lead_unit)
        for unit in s.co_units:
            assert unit in UNIT_NAMES, (s.title, unit)


def test_co_units_never_contain_the_lead_nor_repeat():
    for s in SUGGESTION_TEMPLATES:
        assert isinstance(s.co_units, tuple), s.title
        assert s.lead_unit not in s.co_units, s.title
        assert len(set(s.co_units)) == len(s.co_units), s.title


def test_categories_are_valid_and_each_is_well_filled():
    counts = Counter(s.category for s in SUGGESTION_TEMPLATES)
    assert set(counts) <= set(CATEGORIES)
    for category in CATEGORIES:
        assert counts[category] >= (3 if category == "其他" else 8), category


def test_flag_and_co_unit_counts():
    assert sum(bool(s.co_units) for s in SUGGESTION_TEMPLATES) >= 15
    assert sum(s.difficult for s in SUGGESTION_TEMPLATES) >= 10
    assert sum(s.motion for s in SUGGESTION_TEMPLATES) >= 5


def test_titles_are_unique_and_shaped_like_suggestions_or_motions():
    titles = [s.title for s in SUGGESTION_TEMPLATES]
    assert len(set(titles)) == len(titles)
    for s in SUGGESTION_TEMPLATES:
        assert s.title.startswith("关于"), s.title
        assert s.title.endswith("的议案" if s.motion else "的建议"), s.title


def test_search_terms_occur_often_enough():
    titles = [s.title for s in SUGGESTION_TEMPLATES]
    assert sum("停车" in t for t in titles) >= 6
    assert sum("教育" in t for t in titles) >= 6
    content_only = [
        s for s in SUGGESTION_TEMPLATES if "停车" in s.content and "停车" not in s.title
    ]
    assert len(content_only) >= 3


def test_contents_have_the_usual_structure_and_length():
    for s in SUGGESTION_TEMPLATES:
        assert han_count(s.content) >= 150, (s.title, han_count(s.content))
        assert len(s.content) <= 400, (s.title, len(s.content))
        assert s.content.startswith("一、"), s.title
        assert "\n二、" in s.content, s.title
        assert s.content.index("一、") < s.content.index("二、")
        for n in ("（1）", "（2）", "（3）"):
            assert n in s.content, (s.title, n)
        assert "{" not in s.content and "}" not in s.content, s.title


def test_contents_name_the_districts_own_streets():
    mentioning = [s for s in SUGGESTION_TEMPLATES if any(st in s.content for st in STREETS)]
    assert len(mentioning) >= 40
    # Every "某某路街道"-like name that is spelled out is one of the district's streets.
    text = "".join(s.content for s in SUGGESTION_TEMPLATES)
    for street_like in re.findall(r"[\u4e00-\u9fff]{1,4}(?:路|湖|泉|山|柳|家|远|洞)街道", text):
        assert any(street_like.endswith(st) for st in STREETS), street_like


def test_answer_texts_by_category():
    assert set(ANSWER_TEXTS) == {"A", "B", "C", "D"}
    all_texts = [t for texts in ANSWER_TEXTS.values() for t in texts]
    assert len(set(all_texts)) == len(all_texts)
    for code, texts in ANSWER_TEXTS.items():
        assert len(texts) >= 6, code
        for text in texts:
            assert 200 <= len(text) <= 400, (code, len(text))
            assert text.startswith("您提出的《{title}》收悉。"), text
            assert "感谢您对" in text and "关心和支持" in text, text
            assert text.count("{title}") == 1, text
            assert "{" not in text.replace("{title}", ""), text


# What each category must not say (SD 18: A says how it was solved, B the plan and its time limit,
# C the reasons of the constraint, D why it is kept for reference).
NOT_IN_CATEGORY = {
    "A": ("待以后", "留作参考", "列入计划", "条件限制", "暂不", "无法解决"),
    "B": ("留作参考", "待以后", "已全部整改到位", "已经解决", "不具备实施条件"),
    "C": ("留作参考", "已全部整改到位", "已经解决", "已基本解决", "已按期完工"),
    "D": ("已全部整改到位", "已经解决", "已基本解决", "列入计划", "年底前"),
}
TIME_LIMIT = re.compile(r"\d{4}年(?:\d{1,2}月)?底前")


@pytest.mark.parametrize("code", ["A", "B", "C", "D"])
def test_answer_texts_do_not_contradict_their_category(code):
    for text in ANSWER_TEXTS[code]:
        for phrase in NOT_IN_CATEGORY[code]:
            assert phrase not in text, (code, phrase, text)


def test_answer_texts_say_what_their_category_requires():
    for text in ANSWER_TEXTS["A"]:
        assert "解决" in text or "到位" in text or "完工" in text, text
        assert not TIME_LIMIT.search(text), text
    for text in ANSWER_TEXTS["B"]:
        assert TIME_LIMIT.search(text), text
    for text in ANSWER_TEXTS["C"]:
        assert "限制" in text or "制约" in text, text
        assert not TIME_LIMIT.search(text), text
    for text in ANSWER_TEXTS["D"]:
        assert "留作参考" in text, text
        assert not TIME_LIMIT.search(text), text


def test_format_answer_fills_the_title():
    title = SUGGESTION_TEMPLATES[0].title
    for texts in ANSWER_TEXTS.values():
        for text in texts:
            filled = format_answer(text, title=title)
            assert f"《{title}》" in filled
            assert "{" not in filled and "}" not in filled
    for text in (*CO_UNIT_OPINIONS, *FOLLOW_UP_REPORTS):
        filled = format_answer(text, title=title)
        assert title in filled and "{title}" not in filled


def test_format_answer_keeps_braces_of_a_title_and_leaves_plain_text_alone():
    assert format_answer("《{title}》", title="关于{x}的建议") == "《关于{x}的建议》"
    assert format_answer("没有占位符。", title="关于停车的建议") == "没有占位符。"


def _assert_texts(texts, minimum, *, shortest=10, longest=200):
    assert len(texts) >= minimum
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert isinstance(text, str)
        assert shortest <= len(text) <= longest, text
        assert text.endswith("。"), text


def test_handling_texts():
    _assert_texts(CO_UNIT_OPINIONS, 6, shortest=40)
    assert all(t.startswith("关于《{title}》的会办意见：") for t in CO_UNIT_OPINIONS)
    assert set(CONTACT_NOTES) == {"before", "during", "after"}
    for notes in CONTACT_NOTES.values():
        _assert_texts(notes, 5)
    _assert_texts(NOT_SATISFIED_COMMENTS, 8)
    _assert_texts(DECLINE_REASONS, 5)
    _assert_texts(EXTENSION_REASONS, 4)
    _assert_texts(ADJUST_REASONS, 4)
    _assert_texts(FOLLOW_UP_REPORTS, 4, shortest=40)
    assert all(t.startswith("关于《{title}》的办理情况续报：") for t in FOLLOW_UP_REPORTS)
    assert all("解决" in t or "完成" in t or "兑现" in t for t in FOLLOW_UP_REPORTS)


def test_decline_reasons_cover_the_usual_grounds():
    joined = "".join(DECLINE_REASONS)
    for ground in ("个人诉求", "诉讼", "信访", "不属于本行政区域"):
        assert ground in joined, ground


def test_units_named_in_adjust_reasons_exist():
    for text in ADJUST_REASONS:
        for name in re.findall(r"(区[\u4e00-\u9fff]+?(?:局|委员会|中心)|公安泉城分局)", text):
            assert name in UNIT_NAMES, name
