"""Resident identity card numbers (公民身份号码, GB 11643-1999).

An 18-character number: a 6-digit address code (行政区划代码), an 8-digit birth date (YYYYMMDD), a
3-digit order code whose last digit is odd for men and even for women, and a check character
computed with ISO 7064 MOD 11-2 (0–9 or X)."""

from __future__ import annotations

from datetime import date

# ISO 7064 MOD 11-2: weight of position i is 2^(17-i) mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"

# First two digits of the address code: provinces, regions, municipalities, Taiwan, HK, Macao.
_PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82",
    }
)  # fmt: skip

# The standard's birth dates start in the 19th century (its own example is born in 1880).
_EARLIEST_BIRTH = date(1800, 1, 1)


def check_digit(first17: str) -> str:
    """The check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("身份证号前 17 位必须是数字")
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_id_number(s: str) -> str:
    """Strip spaces and write a trailing x as X (people type both)."""
    return s.strip().upper()


def _parse_birth_date(s: str) -> date | None:
    try:
        return date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None


def is_valid_id_number(s: str, *, today: date | None = None) -> bool:
    """True for a well-formed 18-character number with a real, past birth date and the right
    check character. A lower-case x is accepted; store the normalised form."""
    if not isinstance(s, str):
        return False
    s = normalize_id_number(s)
    if len(s) != 18 or not s.isascii() or not s[:17].isdigit():
        return False
    if s[:2] not in _PROVINCE_CODES:
        return False
    born = _parse_birth_date(s)
    if born is None or born < _EARLIEST_BIRTH or born > (today or date.today()):
        return False
    return check_digit(s[:17]) == s[17]


def make_id_number(*, area: str, birth_date: date, sequence: int, gender: str) -> str:
    """Build a valid number.

    ``sequence`` (0–499) is the person's place among people of the same gender registered in
    that area on that birth date; the order code is ``2 * sequence + 1`` for a man ("M") and
    ``2 * sequence`` for a woman ("F"), so that its last digit has the parity the standard
    requires."""
    if len(area) != 6 or not area.isdigit() or area[:2] not in _PROVINCE_CODES:
        raise ValueError(f"行政区划代码无效：{area}")
    if gender not in ("M", "F"):
        raise ValueError(f"性别必须是 M 或 F：{gender}")
    if not 0 <= sequence <= 499:
        raise ValueError(f"顺序号超出范围（0–499）：{sequence}")
    if not _EARLIEST_BIRTH <= birth_date <= date(2099, 12, 31):
        raise ValueError(f"出生日期超出范围：{birth_date}")
    order = 2 * sequence + (1 if gender == "M" else 0)
    first17 = f"{area}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_digit(first17)


def birth_date_from_id(s: str) -> date:
    """The birth date written in a number (raises ValueError when it is not a real date)."""
    s = normalize_id_number(s)
    born = _parse_birth_date(s) if len(s) == 18 else None
    if born is None:
        raise ValueError("身份证号中的出生日期无效")
    return born


def gender_from_id(s: str) -> str:
    """ "M" or "F" from the parity of the 17th digit."""
    s = normalize_id_number(s)
    if len(s) != 18 or not s[16].isdigit():
        raise ValueError("身份证号格式不正确")
    return "M" if int(s[16]) % 2 else "F"
