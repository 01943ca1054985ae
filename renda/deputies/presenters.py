"""How a deputy is shown to one viewer: personal data masked unless the viewer needs it."""

from __future__ import annotations

from dataclasses import dataclass

from renda.core.privacy import mask_id_number, mask_phone
from renda.deputies.models import Deputy
from renda.deputies.permissions import is_own_record, sees_identity, sees_phone

ROSTER_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "政治面貌",
    "构成类别",
    "代表层级",
    "所在街道",
    "代表小组",
    "工作单位及职务",
    "手机号",
    "身份证号",
]
ROSTER_WIDTHS = [10, 6, 8, 12, 12, 14, 28, 14, 20, 40, 14, 22]


@dataclass(frozen=True)
class Disclosure:
    phone: bool
    identity: bool

    @classmethod
    def for_viewer(cls, user, deputy: Deputy | None = None) -> Disclosure:
        own = deputy is not None and is_own_record(user, deputy)
        return cls(phone=own or sees_phone(user), identity=own or sees_identity(user))

    def phone_of(self, deputy: Deputy) -> str:
        return deputy.phone if self.phone else mask_phone(deputy.phone)

    def id_number_of(self, deputy: Deputy) -> str:
        return deputy.id_number if self.identity else mask_id_number(deputy.id_number)


def levels_text(deputy: Deputy) -> str:
    return "、".join(m.get_level_display() for m in deputy.active_mandates)


def streets_text(deputy: Deputy) -> str:
    return "、".join(dict.fromkeys(m.street.name for m in deputy.active_mandates if m.street))


def groups_text(deputy: Deputy) -> str:
    return "、".join(dict.fromkeys(m.group.name for m in deputy.active_mandates if m.group))


def roster_row(deputy: Deputy, disclosure: Disclosure) -> list:
    return [
        deputy.full_name,
        deputy.get_gender_display(),
        deputy.ethnicity,
        deputy.birth_date.isoformat(),
        deputy.get_party_display(),
        deputy.get_occupation_category_display(),
        levels_text(deputy),
        streets_text(deputy),
        groups_text(deputy),
        deputy.work_position,
        disclosure.phone_of(deputy),
        disclosure.id_number_of(deputy),
    ]
