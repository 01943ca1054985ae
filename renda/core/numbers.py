"""Chinese numerals as official documents write them (第十八届, 第二次)."""

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
