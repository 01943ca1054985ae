"""Masking of personal data in lists and exports for roles that do not need it, and the free
text that may carry it (an ID number, a phone, a voter's address written into an answer)."""

from __future__ import annotations

import re

# 18-digit resident ID (the last may be X); mobile 1[3-9] + 9 digits; landline with its area
# code (0531-86012345, (0531)86012345, 053186012345). No digit may touch either end, so a
# longer number is not read as one of these.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![\d-])1[3-9]\d{9}(?![\d-])")
LANDLINE = re.compile(r"(?<![\d-])(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?![\d-])")
# A stored address shorter than this is too common a string ("3号") to look for in free text.
MIN_ADDRESS = 4


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(id_number: str) -> str:
    value = id_number.strip()
    if len(value) < 10:
        return "*" * len(value)
    return f"{value[:6]}{'*' * (len(value) - 10)}{value[-4:]}"


def mask_address(address: str) -> str:
    address = address.strip()
    if not address:
        return ""
    return address[: min(6, max(len(address) // 2, 1))] + "****"


def _own(value: str, text: str, shortest: int) -> bool:
    value = value.strip()
    return len(value) >= shortest and value in text


def personal_data_in(text: str, *, phone: str = "", address: str = "") -> list[str]:
    """What personal data free text seems to carry (in Chinese): ID numbers, phone numbers, and
    the person's own stored phone or address written out."""
    found = []
    if ID_NUMBER.search(text):
        found.append("身份证号码")
    if MOBILE.search(text) or LANDLINE.search(text) or _own(phone, text, 7):
        found.append("电话号码")
    if _own(address, text, MIN_ADDRESS):
        found.append("住址")
    return found


def personal_data_warning(label: str, text: str, *, phone: str = "", address: str = "") -> str:
    """The warning shown at entry (saving is not blocked), or "" when the text looks clean."""
    found = personal_data_in(text, phone=phone, address=address)
    if not found:
        return ""
    return (
        f"提示：“{label}”中含有{'、'.join(found)}。无权查看联系方式的人员看到的将是遮挡后的"
        "内容；如非必要，请删去。"
    )


def mask_free_text(text: str, *, phone: str = "", address: str = "") -> str:
    """Free text as shown to someone who may not see the person's contact: ID numbers and phone
    numbers masked like the contact columns, and the person's own address where it is written
    out verbatim."""
    if not text:
        return text
    if _own(address, text, MIN_ADDRESS):
        text = text.replace(address.strip(), mask_address(address))
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text)
    text = MOBILE.sub(lambda m: mask_phone(m.group()), text)
    text = LANDLINE.sub(lambda m: mask_phone(m.group()), text)
    if _own(phone, text, 7):
        text = text.replace(phone.strip(), mask_phone(phone))
    return text


def free_text_warnings(texts: dict[str, str], *, phone: str = "", address: str = "") -> list[str]:
    """The entry warnings of several free-text fields ({label: text}) about one person."""
    warnings = (
        personal_data_warning(label, text or "", phone=phone, address=address)
        for label, text in texts.items()
    )
    return [warning for warning in warnings if warning]
