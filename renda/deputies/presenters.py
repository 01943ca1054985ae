"""How a deputy is shown to one viewer: personal data masked unless the viewer needs it."""

from __future__ import annotations

from dataclasses import dataclass

from renda.core.privacy import mask_id_number, mask_phone
from renda.deputies.models import Deputy
from renda.deputies.permissions import is_own_record, sees_identity, sees_phone


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


# The export: one row per current seat, in the list's order, with the columns the import reads
# (imports.COLUMNS), so that an exported roster can be imported back.
EXPORT_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "政治面貌",
    "构成类别",
    "层级",
    "届次",
    "选区",
    "街道",
    "代表小组",
    "当选日期",
    "工作单位及职务",
    "手机号",
    "身份证号",
]
EXPORT_WIDTHS = [10, 6, 8, 12, 12, 14, 14, 6, 14, 14, 20, 12, 40, 14, 22]


def export_rows(deputies, disclosure: Disclosure) -> list[list]:
    rows = []
    for deputy in deputies:
        person = [
            deputy.full_name,
            deputy.get_gender_display(),
            deputy.ethnicity,
            deputy.birth_date.isoformat(),
            deputy.get_party_display(),
            deputy.get_occupation_category_display(),
        ]
        contact = [
            deputy.work_position,
            disclosure.phone_of(deputy),
            disclosure.id_number_of(deputy),
        ]
        for m in deputy.active_mandates:
            seat = [
                m.get_level_display(),
                m.term_number,
                m.electoral_unit,
                m.street.name if m.street else "",
                m.group.name if m.group else "",
                m.started_on.isoformat(),
            ]
            rows.append([*person, *seat, *contact])
    return rows
