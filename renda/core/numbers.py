"""Numbers: Chinese numerals as official documents write them (第十八届, 第二次), and the
ranges of the platform's integers."""

from dataclasses import dataclass
from typing import Annotated

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import CheckConstraint, Q
from pydantic import Field

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 18 → 十八, 20 → 二十, 105 → 一百零五 (numbers up to 9999)."""
    if n < 0 or n > 9999:
        raise ValueError(f"out of range: {n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    parts: list[str] = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            parts.append(_DIGITS[digit] + unit)
        elif parts and n and not parts[-1].endswith("零"):
            parts.append("零")
    return "".join(parts).rstrip("零")


# --- Integer ranges -------------------------------------------------------------------------
# Each meaningful range is declared once here. A model field takes its validators (so ModelForms
# and full_clean refuse out-of-range input in Chinese) and its database check; API schemas take
# the annotated type. The structural tests hold every integer in the models and in the API
# document to a range, because a number beyond the column's range is a 500 on PostgreSQL.

SMALLINT_MAX = 32767
INTEGER_MAX = 2147483647
BIGINT_MAX = 9223372036854775807


@dataclass(frozen=True)
class IntRange:
    low: int
    high: int

    @property
    def validators(self) -> list:
        return [MinValueValidator(self.low), MaxValueValidator(self.high)]

    def check(self, prefix: str, field: str) -> CheckConstraint:
        """The database check `<prefix>_<field>_range`; NULL stays allowed where the column is."""
        within = Q(**{f"{field}__gte": self.low, f"{field}__lte": self.high})
        return CheckConstraint(
            condition=within | Q(**{f"{field}__isnull": True}), name=f"{prefix}_{field}_range"
        )

    def parse(self, value) -> int | None:
        """A query-string number in this range, or None: a list's filter then does not apply,
        and a number beyond the column's range never reaches the database."""
        try:
            number = int(value)
        except (TypeError, ValueError):
            return None
        return number if self.low <= number <= self.high else None

    def form_field(self, **kwargs) -> forms.IntegerField:
        """A form's integer field in this range (a hand-written form; ModelForms get the
        validators)."""
        return forms.IntegerField(min_value=self.low, max_value=self.high, **kwargs)

    @property
    def api(self):
        """The type of an API parameter or schema field in this range."""
        return Annotated[int, Field(ge=self.low, le=self.high)]


def range_checks(prefix: str, **fields: IntRange) -> list[CheckConstraint]:
    """The checks of a model's integer fields, for its Meta.constraints."""
    return [bounds.check(prefix, field) for field, bounds in fields.items()]


ID = IntRange(1, BIGINT_MAX)
YEAR = IntRange(1949, 2100)
QUARTER = IntRange(1, 4)
QUARTER_OR_YEAR = IntRange(0, 4)  # a filter: 0 asks for the whole year
TERM = IntRange(1, 99)  # 届次
SESSION = IntRange(1, 99)  # 第几次会议
SORT_ORDER = IntRange(0, SMALLINT_MAX)
POSITION = IntRange(1, SMALLINT_MAX)  # 序号, 轮次
PERCENT = IntRange(0, 100)
CAPACITY = IntRange(1, 100000)  # 人数上限
PEOPLE = IntRange(0, 100000)  # 份数
INVITEES = IntRange(0, 1000)  # 拟邀请代表人数
VOTES = IntRange(0, 10000)  # 票数
DAYS = IntRange(0, 3650)  # 提前/逾期天数, 月数
DAY_SPAN = IntRange(-36500, 36500)  # days early (-) or late (+)
MEETING_NUMBER = IntRange(1, 999)  # 第几次会议 of a term, 常委会 and 主任会议 included
HALF_DAYS = IntRange(1, 40)
TIMES = IntRange(0, SMALLINT_MAX)  # 次数 kept in a smallint
WEIGHT = IntRange(1, 100)
COUNT = IntRange(0, INTEGER_MAX)  # 条数, 报告数 kept in an integer
VERSION = IntRange(1, INTEGER_MAX)
# The version a page form was read at: any but the current one is stale (409), 0 included.
SEEN_VERSION = IntRange(0, INTEGER_MAX)
FILE_SIZE = IntRange(0, INTEGER_MAX)
SERIAL = IntRange(1, INTEGER_MAX)  # 编号, 行号
TOTAL = IntRange(0, BIGINT_MAX)  # counts computed for a response
OFFSET = IntRange(0, 10**9)
# Any value a smallint column holds: for an input whose action checks the meaningful range with
# its own message.
SMALL = IntRange(0, SMALLINT_MAX)
LIMIT = IntRange(0, 10**4)
