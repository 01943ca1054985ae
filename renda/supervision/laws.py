"""Reading the text of a law or regulation into its structure: 编、章、节、条、款、项.

Pure Python, no database: `parse_law(text)` returns the title, the note under it (题注: when it was
adopted and amended), the provisions in document order with their parents, and every problem
with its line number. A text with problems is not imported (actions/laws.py), so the parser
never guesses silently: each non-blank line ends up in the title, the note, a provision, the list
of deliberately skipped lines (markup, a repeated title, the table of contents), or a problem.

How a text is read:
- The first non-blank line is the title (markdown '#' stripped), unless it is already structure.
- Lines before the first 编/章/节/条 (or 目录) are the note; a line repeating the title is skipped.
- 目录: the entries after it are skipped until the first entry appears again as the real heading
  (or the first article appears).
- 第N条 opens an article. Its paragraphs are its clauses (款): one paragraph is the article's own
  text; two or more become 第一款, 第二款… and the article keeps no text of its own.
- （一）… lines are items (项) of the paragraph they follow.
- A line that does not end a sentence (。；：！？) is continued by the next plain line: text
  copied from a PDF or a fixed-width file is wrapped; "第一条" or "（一）" alone on a line takes
  the next line as its text.
- A short line right after a 章/节 heading, without sentence punctuation, continues the heading
  (headings wrapped over two lines, "第一章" with its title on the next line).
- Articles are numbered through the whole law; chapters within their part, sections within their
  chapter, items within their paragraph. Gaps and repeats are problems."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from renda.core.errors import DomainError
from renda.core.officefiles import docx_paragraphs

# The same values as models.ProvisionKind (kept here so that the parser needs no Django).
PART, CHAPTER, SECTION, ARTICLE, CLAUSE, ITEM = (
    "part",
    "chapter",
    "section",
    "article",
    "clause",
    "item",
)
KINDS = (PART, CHAPTER, SECTION, ARTICLE, CLAUSE, ITEM)
# Depth in the outline: a node's parent is always the nearest node before it of a lower rank.
RANK = {kind: rank for rank, kind in enumerate(KINDS)}
HEADING_KINDS = {"编": PART, "章": CHAPTER, "节": SECTION}
KIND_NAMES = {PART: "编", CHAPTER: "章", SECTION: "节", ARTICLE: "条", CLAUSE: "款", ITEM: "项"}

MAX_LABEL = 30  # LawProvision.label
# A heading is short (the longest in the shipped texts has 21 characters) and wraps at most twice,
# so it always fits LawProvision.heading (200). A longer line after a heading is a paragraph.
MAX_HEADING_LINE = 40
MAX_CONTINUATIONS = 2
MAX_NUMBER = 9999  # no law has more; a bigger number is a typing error
MAX_BYTES = 5 * 1024 * 1024
FILE_TYPES = ("txt", "md", "docx")

_DIGITS = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "〇零一二两三四五六七八九十百千0-9０-９"
_SENTENCE_PUNCTUATION = "。；;：:！？!?，,"
_SENTENCE_END = "。；;：:！？!?"
_CLOSING = "”’」』）)》"

_HEADING_RE = re.compile(rf"^第\s*([{_NUMERAL}]+)\s*([编章节])\s*(.*)$")
_ARTICLE_RE = re.compile(rf"^第\s*([{_NUMERAL}]+)\s*条(?:之([{_NUMERAL}]+))?(\s*)(.*)$")
_ITEM_RE = re.compile(r"^[（(]\s*([〇零一二两三四五六七八九十百]+)\s*[）)]\s*(.*)$")
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_CJK_GAP_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


# ---------------------------------------------------------------------------------------------
# Numerals


def chinese_number(text: str) -> int | None:
    """The integer a Chinese (or Arabic) numeral writes: 一百一十九 → 119, 一百零一 → 101,
    十二 → 12, 二〇二一 → 2021 (digit by digit), 21 → 21. None if it is not a well-formed numeral,
    is zero, or is beyond 9999."""
    value = _numeral_value(text)
    return value if value is not None and 0 < value <= MAX_NUMBER else None


def _numeral_value(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        value = int(text)
        return value or None
    if any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        if len(text) > 1 and text[0] in "〇零":
            return None
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value or None
    return _positional(text)


def _positional(text: str) -> int | None:
    """一千零一十 style: each digit followed by its unit, units decreasing, 零 for a gap."""
    total = 0
    digit: int | None = None
    last_unit = 10_000
    after_zero = False
    for ch in text:
        if ch in _DIGITS:
            value = _DIGITS[ch]
            if digit is not None:
                return None  # two digits in a row
            if value == 0:
                if total == 0 or after_zero:
                    return None
                after_zero = True
                continue
            digit = value
        else:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None
            if digit is None:
                if unit != 10:
                    return None
                digit = 1  # 十二, 一百十 (十 stands for 一十)
            total += digit * unit
            digit, last_unit = None, unit
            after_zero = False
    if digit is not None:
        # A trailing digit counts ones only after 十 or after 零 (一百零一); "一百二" is ambiguous.
        if last_unit != 10 and not after_zero:
            return None
        total += digit
    elif after_zero:
        return None
    return total or None


def chinese_numeral(number: int) -> str:
    """The Chinese numeral of 1–9999 as laws write it: 10 → 十, 101 → 一百零一, 110 → 一百一十."""
    if not 0 < number < 10_000:
        raise ValueError(f"number out of range: {number}")
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero_pending = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        value = number // unit % 10
        if value == 0:
            if parts:
                zero_pending = True
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(digits[value] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


# ---------------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class ParseProblem:
    line: int
    message: str


@dataclass(frozen=True)
class SkippedLine:
    """A line deliberately not stored, and why (markup, a repeated title, a table of contents)."""

    line: int
    text: str
    reason: str


@dataclass
class ParsedNode:
    kind: str
    label: str
    number: int
    heading: str = ""
    text: str = ""
    line: int = 0
    end_line: int = 0  # the last line the node was read from (a heading or text on the next line)
    parent: int | None = None  # index into ParsedLaw.nodes
    sub: int = 0  # 第二十条之一 → 1: an added article keeps its base number

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]


@dataclass
class ParsedLaw:
    title: str = ""
    title_line: int | None = None
    note: str = ""
    note_lines: list[int] = field(default_factory=list)
    nodes: list[ParsedNode] = field(default_factory=list)
    problems: list[ParseProblem] = field(default_factory=list)
    skipped: list[SkippedLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def article_count(self) -> int:
        return sum(1 for node in self.nodes if node.kind == ARTICLE)

    def count(self, kind: str) -> int:
        return sum(1 for node in self.nodes if node.kind == kind)

    def children(self, index: int) -> list[ParsedNode]:
        return [node for node in self.nodes if node.parent == index]

    def find(self, kind: str, label: str) -> int:
        """Index of the first node of this kind and label (tests and callers that know it exists)."""
        for index, node in enumerate(self.nodes):
            if node.kind == kind and node.label == label:
                return index
        raise KeyError(f"{kind} {label}")


# ---------------------------------------------------------------------------------------------
# Lines


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (\\r\\n, \\r or \\n; no other separators)."""
    text = (text or "").removeprefix("\ufeff")
    return re.split(r"\r\n|\r|\n", text)


def _clean(raw: str) -> str:
    """Strip whitespace (full-width included) and markdown heading marks."""
    line = raw.strip()
    if line.startswith("#"):
        line = line.lstrip("#").strip()
    return line


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _tidy_heading(text: str) -> str:
    """ "总　　则" → "总则": the spaces are typography, not words."""
    return _CJK_GAP_RE.sub("", text.strip())


def _ends_sentence(text: str) -> bool:
    return text.rstrip(_CLOSING).endswith(tuple(_SENTENCE_END))


def _is_short_title_text(text: str) -> bool:
    return len(text) <= MAX_HEADING_LINE and not any(ch in _SENTENCE_PUNCTUATION for ch in text)


@dataclass(frozen=True)
class _Heading:
    kind: str
    label: str
    number: int | None
    text: str


@dataclass(frozen=True)
class _Article:
    label: str
    number: int | None
    sub: int | None
    spaced: bool  # the number is followed by a space (or nothing): surely an article
    text: str


@dataclass(frozen=True)
class _Item:
    label: str
    number: int | None
    text: str


def _heading(line: str) -> _Heading | None:
    match = _HEADING_RE.match(line)
    if not match:
        return None
    numeral, word, rest = match.groups()
    rest = _tidy_heading(rest)
    if rest and not _is_short_title_text(rest):
        return None  # "第二章规定的……" is a sentence citing a chapter
    label = f"第{numeral}{word}"
    return _Heading(HEADING_KINDS[word], label, chinese_number(numeral), rest)


def _article(line: str) -> _Article | None:
    match = _ARTICLE_RE.match(line)
    if not match:
        return None
    numeral, sub, space, rest = match.groups()
    label = f"第{numeral}条" + (f"之{sub}" if sub else "")
    sub_number = chinese_number(sub) if sub else 0
    return _Article(label, chinese_number(numeral), sub_number, bool(space) or not rest, rest)


def _item(line: str) -> _Item | None:
    match = _ITEM_RE.match(line)
    if not match:
        return None
    numeral, rest = match.groups()
    label = line[: match.start(2)].strip()
    return _Item(_compact(label), chinese_number(numeral), rest.strip())


# ---------------------------------------------------------------------------------------------
# The parser


@dataclass
class _Block:
    """A paragraph or an item of the open article, with the lines it was read from."""

    line: int
    text: str
    end_line: int = 0
    item: _Item | None = None
    items: list[_Block] = field(default_factory=list)  # a paragraph's items

    def take(self, line: int, text: str) -> None:
        self.text += text
        self.end_line = line

    @property
    def complete(self) -> bool:
        """Ends a sentence. A paragraph or item that does not was wrapped over lines (text
        copied from a PDF or a fixed-width file), and the next plain line continues it."""
        return _ends_sentence(self.text)


@dataclass
class _OpenArticle:
    index: int
    paragraphs: list[_Block]

    def last(self) -> _Block:
        paragraph = self.paragraphs[-1]
        return paragraph.items[-1] if paragraph.items else paragraph


class _Parser:
    def __init__(self, text: str):
        self.lines = split_lines(text)
        self.law = ParsedLaw()
        self.phase = "title"  # title → preamble → (toc) → body
        self.toc_first: tuple[str, int | None] | None = None
        self.containers: dict[str, int | None] = {PART: None, CHAPTER: None, SECTION: None}
        self.article: _OpenArticle | None = None
        self.continuable: int | None = None  # a heading the next short line may continue
        self.continuations = 0
        self.last_article: ParsedNode | None = None
        self.article_seen: dict[tuple[int, int], int] = {}
        self.last_heading: dict[str, ParsedNode | None] = {PART: None, CHAPTER: None, SECTION: None}
        self.headings_to_check: list[int] = []

    # -- helpers -------------------------------------------------------------------------------

    def problem(self, line: int, message: str) -> None:
        self.law.problems.append(ParseProblem(line, message))

    def skip(self, line: int, text: str, reason: str) -> None:
        self.law.skipped.append(SkippedLine(line, text, reason))

    def add(self, node: ParsedNode) -> int:
        node.end_line = node.end_line or node.line
        if len(node.label) > MAX_LABEL:
            self.problem(node.line, f"编号过长（超过 {MAX_LABEL} 字）：{_excerpt(node.label)}")
        self.law.nodes.append(node)
        return len(self.law.nodes) - 1

    # -- entry ---------------------------------------------------------------------------------

    def run(self) -> ParsedLaw:
        for number, raw in enumerate(self.lines, start=1):
            line = _clean(raw)
            if not line:
                continue
            if _COMMENT_RE.match(line):
                self.skip(number, line, "标记")
                continue
            if self.phase == "title":
                self.read_title(number, line)
            elif self.phase == "preamble":
                self.read_preamble(number, line)
            elif self.phase == "toc":
                self.read_toc(number, line)
            else:
                self.read_body(number, line)
        self.close_article()
        self.check_headings()
        self.finish()
        return self.law

    def is_structure(self, line: str) -> bool:
        if _compact(line) == "目录" or _heading(line) is not None:
            return True
        article = _article(line)
        return article is not None and (article.spaced or self.expects(article))

    def read_title(self, number: int, line: str) -> None:
        if self.is_structure(line):
            self.phase = "preamble"
            self.read_preamble(number, line)
            return
        title = _tidy_heading(line)
        if title.startswith("《") and title.endswith("》"):
            title = title[1:-1]
        self.law.title = title
        self.law.title_line = number
        self.phase = "preamble"

    def read_preamble(self, number: int, line: str) -> None:
        if self.is_structure(line):
            self.phase = "body"
            if _compact(line) == "目录":
                self.phase = "toc"
                self.skip(number, line, "目录")
                return
            self.read_body(number, line)
            return
        if _item(line) is not None:
            self.problem(number, f"{_item(line).label}不属于任何条文")
            return
        compact = _compact(line)
        if len(compact) >= 4 and self.law.title and compact in _compact(self.law.title):
            self.skip(number, line, "重复的标题")
            return
        self.law.note_lines.append(number)

    def read_toc(self, number: int, line: str) -> None:
        heading = _HEADING_RE.match(line)
        if heading:
            key = (HEADING_KINDS[heading.group(2)], chinese_number(heading.group(1)))
            if self.toc_first is None:
                self.toc_first = key
            elif key == self.toc_first:
                self.phase = "body"
                self.read_body(number, line)
                return
            self.skip(number, line, "目录")
            return
        article = _article(line)
        if article is not None and article.spaced:
            self.phase = "body"
            self.read_body(number, line)
            return
        self.skip(number, line, "目录")

    # -- body ----------------------------------------------------------------------------------

    def read_body(self, number: int, line: str) -> None:
        continuable, self.continuable = self.continuable, None
        heading = _heading(line)
        if heading is not None:
            self.open_heading(number, heading)
            return
        article = _article(line)
        if article is not None and (article.spaced or self.expects(article)):
            self.open_article(number, article)
            return
        item = _item(line)
        if item is not None:
            self.add_item(number, item)
            return
        self.add_text(number, line, continuable)

    def expects(self, article: _Article) -> bool:
        """ "第五条为了……" with no space: an article only if it is the next one in sequence;
        otherwise a paragraph that starts by citing an article ("第三十条规定的……")."""
        if article.number is None:
            return False
        previous = self.last_article
        if previous is None:
            return article.number == 1 and not article.sub
        if article.sub:
            return article.number == previous.number and article.sub == previous.sub + 1
        return article.number == previous.number + 1

    def open_heading(self, number: int, heading: _Heading) -> None:
        self.close_article()
        kind = heading.kind
        if heading.number is None:
            # Reported once; read on as the expected number so that the rest is still checked.
            self.problem(number, f"无法识别“{heading.label}”中的序号")
            previous = self.last_heading[kind]
            heading = replace(heading, number=1 if previous is None else previous.number + 1)
        if kind == SECTION and self.containers[CHAPTER] is None:
            self.problem(number, f"{heading.label}不属于任何章")
        self.check_heading_number(number, kind, heading)
        parent = None
        if kind != PART:
            parent = self.containers[CHAPTER] if kind == SECTION else None
            parent = parent if parent is not None else self.containers[PART]
        index = self.add(
            ParsedNode(kind=kind, label=heading.label, number=heading.number, line=number)
        )
        node = self.law.nodes[index]
        node.heading, node.parent = heading.text, parent
        # A new part starts its chapters again; a new part or chapter its sections.
        self.containers[kind] = index
        self.last_heading[kind] = node
        for lower in {PART: (CHAPTER, SECTION), CHAPTER: (SECTION,), SECTION: ()}[kind]:
            self.containers[lower] = None
            self.last_heading[lower] = None
        self.continuable = index
        self.continuations = 0
        self.headings_to_check.append(index)

    def check_heading_number(self, line: int, kind: str, heading: _Heading) -> None:
        """Parts run through the law, chapters through their part, sections through their chapter."""
        name = KIND_NAMES[kind]
        previous = self.last_heading[kind]
        expected = 1 if previous is None else previous.number + 1
        if heading.number == expected:
            return
        if previous is None:
            within = {PART: None, CHAPTER: PART, SECTION: CHAPTER}[kind]
            scope = (
                f"本{KIND_NAMES[within]}" if within and self.containers[within] is not None else ""
            )
            self.problem(
                line, f"{name}的序号不连续：{scope}应从第一{name}开始，实际为{heading.label}"
            )
        elif heading.number == previous.number:
            self.problem(line, f"{name}的序号重复：{heading.label}已在第 {previous.line} 行出现")
        else:
            self.problem(
                line,
                f"{name}的序号不连续：{previous.label}之后是{heading.label}{_missing(previous.number, heading.number, name)}",
            )

    def open_article(self, number: int, article: _Article) -> None:
        self.close_article()
        if article.number is None or article.sub is None:
            # Reported once; read on as the expected number so that its paragraphs stay with it.
            self.problem(number, f"无法识别“{article.label}”中的序号")
            previous = self.last_article
            if previous is None:
                article = replace(article, number=1, sub=0)
            elif article.sub != 0:  # 第N条之M, one of the two unreadable
                article = replace(article, number=previous.number, sub=previous.sub + 1)
            else:
                article = replace(article, number=previous.number + 1, sub=0)
        else:
            self.check_article_number(number, article)
        parent = self.containers[SECTION]
        if parent is None:
            parent = self.containers[CHAPTER]
        if parent is None:
            parent = self.containers[PART]
        node = ParsedNode(
            kind=ARTICLE,
            label=article.label,
            number=article.number,
            line=number,
            parent=parent,
            sub=article.sub,
        )
        index = self.add(node)
        self.article = _OpenArticle(index, [_Block(number, article.text.strip(), number)])
        self.last_article = node
        self.article_seen.setdefault((article.number, article.sub), number)

    def check_article_number(self, line: int, article: _Article) -> None:
        key = (article.number, article.sub)
        previous = self.last_article
        if key in self.article_seen:
            self.problem(
                line, f"条文序号重复：{article.label}已在第 {self.article_seen[key]} 行出现"
            )
            return
        if previous is None:
            if key != (1, 0):
                self.problem(line, f"条文序号不连续：应从第一条开始，实际为{article.label}")
            return
        if article.sub:
            if article.number == previous.number and article.sub == previous.sub + 1:
                return
        elif article.number == previous.number + 1:
            return
        missing = "" if article.sub else _missing(previous.number, article.number, "条")
        self.problem(line, f"条文序号不连续：{previous.label}之后是{article.label}{missing}")

    def add_item(self, number: int, item: _Item) -> None:
        if self.article is None:
            self.problem(number, f"{item.label}不属于任何条文")
            return
        paragraph = self.article.paragraphs[-1]
        expected = len(paragraph.items) + 1
        if item.number is None:
            self.problem(number, f"无法识别“{item.label}”中的序号")
            item = replace(item, number=expected)
        elif item.number != expected:
            if paragraph.items:
                previous = paragraph.items[-1].item
                self.problem(number, f"项的序号不连续：{previous.label}之后是{item.label}")
            else:
                self.problem(number, f"项的序号不连续：第一项应为（一），实际为{item.label}")
        paragraph.items.append(_Block(number, item.text, number, item=item))

    def add_text(self, number: int, line: str, continuable: int | None) -> None:
        if self.article is not None:
            last = self.article.last()
            # "第一条" or "（一）" alone on its line takes the next line as its text; an
            # unfinished sentence takes the next line as its continuation.
            if not last.text or not last.complete:
                last.take(number, line)
            else:
                self.article.paragraphs.append(_Block(number, line, number))
            return
        if (
            continuable is not None
            and self.continuations < MAX_CONTINUATIONS
            and _is_short_title_text(line)
        ):
            node = self.law.nodes[continuable]
            node.heading = _tidy_heading(node.heading + line)
            node.end_line = number
            self.continuable = continuable
            self.continuations += 1
            return
        self.problem(number, f"这段文字不属于任何条文，无法归入法律结构：“{_excerpt(line)}”")

    def close_article(self) -> None:
        """Emit the open article's clauses and items now that all its paragraphs are known."""
        open_article, self.article = self.article, None
        if open_article is None:
            return
        node = self.law.nodes[open_article.index]
        paragraphs = open_article.paragraphs
        if len(paragraphs) == 1:
            node.text = paragraphs[0].text
            node.end_line = paragraphs[0].end_line
            if not node.text and not paragraphs[0].items:
                self.problem(node.line, f"{node.label}没有内容")
            self.add_items(paragraphs[0].items, open_article.index)
            return
        for ordinal, paragraph in enumerate(paragraphs, start=1):
            clause = self.add(
                ParsedNode(
                    kind=CLAUSE,
                    label=f"第{chinese_numeral(ordinal)}款",
                    number=ordinal,
                    text=paragraph.text,
                    line=paragraph.line,
                    end_line=paragraph.end_line,
                    parent=open_article.index,
                )
            )
            self.add_items(paragraph.items, clause)

    def add_items(self, items: list[_Block], parent: int) -> None:
        for block in items:
            if not block.text:
                self.problem(block.line, f"{block.item.label}没有内容")
            self.add(
                ParsedNode(
                    kind=ITEM,
                    label=block.item.label,
                    number=block.item.number or 0,
                    text=block.text,
                    line=block.line,
                    end_line=block.end_line,
                    parent=parent,
                )
            )

    def check_headings(self) -> None:
        parents = {node.parent for node in self.law.nodes}
        for index in self.headings_to_check:
            node = self.law.nodes[index]
            if not node.heading:
                self.problem(node.line, f"{node.label}缺少标题")
            if index not in parents:
                self.problem(node.line, f"{node.label}下没有任何条文")

    def finish(self) -> None:
        law = self.law
        law.note = "\n".join(_clean(self.lines[n - 1]) for n in law.note_lines)
        if not any(_clean(line) for line in self.lines):
            self.problem(1, "文本是空的")
        elif law.article_count == 0:
            self.problem(
                law.title_line or 1, "没有识别出任何条文（条文应以“第一条”这样的编号开头）"
            )
        law.problems.sort(key=lambda p: p.line)


def _missing(previous: int, current: int, name: str) -> str:
    if current <= previous + 1:
        return ""
    first = f"第{chinese_numeral(previous + 1)}{name}"
    if current == previous + 2:
        return f"（缺少{first}）"
    return f"（缺少{first}至第{chinese_numeral(current - 1)}{name}）"


def _excerpt(text: str, length: int = 20) -> str:
    return text if len(text) <= length else text[:length] + "……"


def parse_law(text: str) -> ParsedLaw:
    """Read a law's text into its title, note, provisions and problems (see the module doc)."""
    return _Parser(text).run()


# ---------------------------------------------------------------------------------------------
# Files


def read_law_file(name: str, data: bytes) -> str:
    """The text of an uploaded law: .txt/.md as UTF-8 (a BOM is fine), .docx paragraph by
    paragraph. Anything else is refused in Chinese."""
    ext = name.rpartition(".")[2].lower() if "." in (name or "") else ""
    if ext not in FILE_TYPES:
        shown = f".{ext}" if ext else "无扩展名的文件"
        raise _refuse(f"不支持{shown}，请上传 .txt、.md 或 .docx 文件，或直接粘贴文本。")
    if not data:
        raise _refuse("文件是空的。")
    if len(data) > MAX_BYTES:
        raise _refuse(f"文件超过 {MAX_BYTES // 1024 // 1024} MB。")
    from renda.core.cleaning import clean_text  # as any text input; the parser needs no Django

    if ext == "docx":
        return clean_text(_docx_text(data))
    if b"\x00" in data:
        raise _refuse("文件不是纯文本，请上传 UTF-8 编码的 .txt 或 .md 文件。")
    try:
        return clean_text(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise _refuse(
            "文件不是 UTF-8 编码（可能是 GBK）。请用记事本“另存为”UTF-8 编码后再上传。"
        ) from error


def read_law_upload(upload) -> tuple[str, str]:
    """(text, safe file name) of an uploaded file; the size is checked before reading it."""
    from renda.core.uploads import sanitise_name

    name = sanitise_name(getattr(upload, "name", "") or "")
    if (getattr(upload, "size", 0) or 0) > MAX_BYTES:
        raise _refuse(f"文件超过 {MAX_BYTES // 1024 // 1024} MB。")
    return read_law_file(name, upload.read()), name


def _docx_text(data: bytes) -> str:
    # streamed and checked as a zip first: a small .docx can unpack to gigabytes
    return "\n".join(docx_paragraphs(data))


def _refuse(message: str) -> DomainError:
    return DomainError("invalid_upload", message, field_errors={"file": message})
