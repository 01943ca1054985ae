"""Every write to the roster: one function per change, keyword-only, with the acting user.

Each runs in a transaction, locks the person (then the mandate) with select_for_update(),
refuses what the user's role or the rules do not allow (DomainError / NotAllowed, in Chinese,
with the field at fault), and appends one event to the person's timeline. Ending a mandate keeps
the row: the history of a person's seats is the record the law requires.

The checks of a person's and a seat's values are plain functions (`person_errors`,
`seat_errors`) so that the Excel import applies exactly the same rules before it writes."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from django.db import transaction
from django.utils import timezone

from renda.core.actions import record_event
from renda.core.errors import (
    DomainError,
    NotAllowed,
    check_version,
    raise_field_errors,
)
from renda.core.idcard import (
    birth_date_from_id,
    gender_from_id,
    is_valid_id_number,
    normalize_id_number,
)
from renda.core.models import Street, User
from renda.deputies.models import (
    Deputy,
    Gender,
    Group,
    Level,
    Mandate,
    OccupationCategory,
    Party,
)
from renda.deputies.permissions import keeps_roster

MOBILE = re.compile(r"^1\d{10}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
MAX_TERM = 99

PERSON_LABELS = {
    "full_name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "party": "政治面貌",
    "occupation_category": "构成类别",
    "work_position": "工作单位及职务",
    "id_number": "身份证号",
    "phone": "手机号",
}
SEAT_LABELS = {
    "level": "层级",
    "term_number": "届次",
    "electoral_unit": "选区",
    "street": "街道",
    "group": "代表小组",
    "started_on": "当选日期",
}


@dataclass(frozen=True)
class PersonFields:
    """A person's own data, as the add and edit forms, the API and the import give it."""

    full_name: str
    gender: str
    birth_date: date | None
    party: str
    occupation_category: str
    ethnicity: str = "汉族"
    work_position: str = ""
    id_number: str = ""
    phone: str = ""

    def cleaned(self) -> PersonFields:
        return PersonFields(
            full_name=" ".join((self.full_name or "").split()),
            gender=self.gender or "",
            birth_date=self.birth_date,
            party=self.party or "",
            occupation_category=self.occupation_category or "",
            ethnicity=(self.ethnicity or "").strip(),
            work_position=(self.work_position or "").strip(),
            id_number=normalize_id_number(self.id_number or ""),
            phone=(self.phone or "").replace(" ", "").strip(),
        )


@dataclass(frozen=True)
class SeatFields:
    """One mandate: a seat at one level for one term."""

    level: str
    term_number: int | None
    started_on: date | None
    electoral_unit: str = ""
    street: Street | None = None
    group: Group | None = None


# ---------------------------------------------------------------------------------------------
# The rules of a person and of a seat (shared with the import)


def _id_number_errors(person: PersonFields, today: date) -> dict[str, str]:
    if not person.id_number:
        return {}
    if not is_valid_id_number(person.id_number, today=today):
        return {
            "id_number": f"身份证号“{person.id_number}”校验不通过，请核对（18 位，末位为校验码）"
        }
    errors = {}
    if person.gender in Gender.values and gender_from_id(person.id_number) != person.gender:
        errors["gender"] = "性别与身份证号不符"
    if person.birth_date and birth_date_from_id(person.id_number) != person.birth_date:
        errors["birth_date"] = (
            f"出生日期与身份证号不符（身份证号为 {birth_date_from_id(person.id_number):%Y-%m-%d}）"
        )
    return errors


def _phone_error(phone: str) -> str:
    if not phone:
        return ""
    if "*" in phone:
        return "手机号是部分隐藏的号码，请填写完整号码"
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        return f"“{phone}”不是有效的电话号码（手机号 11 位，或 0531-12345678）"
    return ""


def person_errors(person: PersonFields, *, today: date | None = None) -> dict[str, str]:
    """Every problem of a person's values, by field (an empty dict: the values are good)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not person.full_name:
        errors["full_name"] = "请填写姓名"
    elif len(person.full_name) > 50:
        errors["full_name"] = "姓名不能超过 50 字"
    if person.gender not in Gender.values:
        errors["gender"] = "请选择性别（男或女）"
    if not person.ethnicity:
        errors["ethnicity"] = "请填写民族"
    elif len(person.ethnicity) > 20:
        errors["ethnicity"] = "民族不能超过 20 字"
    if person.birth_date is None:
        errors["birth_date"] = "请填写出生日期"
    elif person.birth_date > today:
        errors["birth_date"] = "出生日期不能晚于今天"
    if person.party not in Party.values:
        errors["party"] = "请选择政治面貌"
    if person.occupation_category not in OccupationCategory.values:
        errors["occupation_category"] = "请选择构成类别"
    if len(person.work_position) > 200:
        errors["work_position"] = "工作单位及职务不能超过 200 字"
    if phone := _phone_error(person.phone):
        errors["phone"] = phone
    for name, text in _id_number_errors(person, today).items():
        errors.setdefault(name, text)
    return errors


def seat_errors(seat: SeatFields, *, today: date | None = None) -> dict[str, str]:
    """Every problem of a seat's values, by field (the one-seat-per-level-and-term rule is the
    person's, checked by the actions)."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if seat.level not in Level.values:
        errors["level"] = "请选择层级"
    if seat.term_number is None or not 1 <= seat.term_number <= MAX_TERM:
        errors["term_number"] = f"届次应为 1 到 {MAX_TERM} 的整数"
    if len(seat.electoral_unit or "") > 100:
        errors["electoral_unit"] = "选区不能超过 100 字"
    if seat.started_on is None:
        errors["started_on"] = "请填写当选日期"
    elif seat.started_on > today:
        errors["started_on"] = "当选日期不能晚于今天"
    if seat.street is not None and not seat.street.is_active:
        errors["street"] = f"“{seat.street.name}”已停用"
    group = seat.group
    if group is not None:
        if "term_number" in errors:
            pass  # a group is of one term: nothing to compare with a wrong term
        elif group.term_number != seat.term_number:
            errors["group"] = f"代表小组“{group.name}”属于第{group.term_number}届"
        elif group.street_id is not None and (
            seat.street is None or seat.street.pk != group.street_id
        ):
            errors["group"] = f"代表小组“{group.name}”不属于所填街道"
    return errors


def _same_id_number(id_number: str, exclude: int | None = None) -> Deputy | None:
    if not id_number:
        return None
    others = Deputy.objects.filter(id_number=id_number)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    return others.first()


def _check_id_unique(person: PersonFields, exclude: int | None = None) -> None:
    other = _same_id_number(person.id_number, exclude)
    if other is not None:
        message = f"身份证号与名册中的“{other.full_name}”相同，同一人请增加代表资格而不是新增代表"
        raise DomainError("duplicate_person", message + "。", field_errors={"id_number": message})


def _check_seat_free(deputy: Deputy, seat: SeatFields, exclude: int | None = None) -> None:
    taken = deputy.mandates.filter(level=seat.level, term_number=seat.term_number)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        message = f"{deputy.full_name}已有第{seat.term_number}届{Level(seat.level).label}资格"
        raise DomainError("duplicate_mandate", message + "。", field_errors={"level": message})


# ---------------------------------------------------------------------------------------------
# Shared steps


def _require_keeper(user: User) -> None:
    if not keeps_roster(user):
        raise NotAllowed("只有系统管理员和人事代表工作室可以维护代表名册。")


def _lock_deputy(deputy: Deputy | int, *, version: int | None = None) -> Deputy:
    pk = deputy.pk if isinstance(deputy, Deputy) else deputy
    locked = Deputy.objects.select_for_update(of=("self",)).filter(pk=pk).first()
    if locked is None:
        raise DomainError("not_found", "该代表不存在或已被删除。")
    check_version(locked, version, "代表信息")
    return locked


def _lock_mandate(mandate: Mandate | int, *, version: int | None = None) -> Mandate:
    """The person first, then the seat: one lock order for every action."""
    pk = mandate.pk if isinstance(mandate, Mandate) else mandate
    deputy_id = Mandate.objects.filter(pk=pk).values_list("deputy_id", flat=True).first()
    if deputy_id is None:
        raise DomainError("not_found", "该代表资格不存在或已被删除。")
    deputy = _lock_deputy(deputy_id)
    locked = Mandate.objects.select_for_update(of=("self",)).get(pk=pk)
    locked.deputy = deputy
    check_version(locked, version, "代表资格")
    return locked


def seat_label(level: str, term_number: int) -> str:
    return f"第{term_number}届{Level(level).label}"


def _seat_values(mandate: Mandate, seat: SeatFields) -> None:
    mandate.level = seat.level
    mandate.term_number = seat.term_number
    mandate.electoral_unit = (seat.electoral_unit or "").strip()
    mandate.street = seat.street
    mandate.group = seat.group
    mandate.started_on = seat.started_on


# ---------------------------------------------------------------------------------------------
# A person


@transaction.atomic
def add_deputy(*, acting_user: User, person: PersonFields, seat: SeatFields) -> Deputy:
    """A new person on the roster with their first mandate."""
    _require_keeper(acting_user)
    person = person.cleaned()
    raise_field_errors({**person_errors(person), **seat_errors(seat)})
    _check_id_unique(person)
    deputy = Deputy.objects.create(**{f.name: getattr(person, f.name) for f in fields(person)})
    mandate = Mandate(deputy=deputy)
    _seat_values(mandate, seat)
    mandate.save()
    record_event(
        target=deputy,
        actor=acting_user,
        verb="add_deputy",
        summary=f"录入代表：{deputy.full_name}，{seat_label(seat.level, seat.term_number)}",
    )
    return deputy


@transaction.atomic
def update_deputy(
    *, acting_user: User, deputy: Deputy, person: PersonFields, version: int | None = None
) -> Deputy:
    """A person's own data (name, ID number, contact…); their seats are changed one by one."""
    _require_keeper(acting_user)
    deputy = _lock_deputy(deputy, version=version)
    person = person.cleaned()
    raise_field_errors(person_errors(person))
    _check_id_unique(person, exclude=deputy.pk)
    changed = [f.name for f in fields(person) if getattr(deputy, f.name) != getattr(person, f.name)]
    if not changed:
        raise DomainError("unchanged", "没有修改任何内容。")
    for name in changed:
        setattr(deputy, name, getattr(person, name))
    deputy.version += 1
    deputy.save(update_fields=[*changed, "version"])
    # Which fields changed, never their values: the timeline is read more widely than the data.
    record_event(
        target=deputy,
        actor=acting_user,
        verb="update_deputy",
        summary="修改代表信息：" + "、".join(PERSON_LABELS[name] for name in changed),
    )
    return deputy


# ---------------------------------------------------------------------------------------------
# A person's seats


@transaction.atomic
def add_mandate(*, acting_user: User, deputy: Deputy, seat: SeatFields) -> Mandate:
    """Another seat for a person already on the roster (another level, or a new term)."""
    _require_keeper(acting_user)
    deputy = _lock_deputy(deputy)
    raise_field_errors(seat_errors(seat))
    _check_seat_free(deputy, seat)
    mandate = Mandate(deputy=deputy)
    _seat_values(mandate, seat)
    mandate.save()
    record_event(
        target=deputy,
        actor=acting_user,
        verb="add_mandate",
        summary=f"增加代表资格：{seat_label(seat.level, seat.term_number)}",
    )
    return mandate


@transaction.atomic
def update_mandate(
    *, acting_user: User, mandate: Mandate, seat: SeatFields, version: int | None = None
) -> Mandate:
    """Correct a current seat (electoral unit, street, group, election date, level or term)."""
    _require_keeper(acting_user)
    mandate = _lock_mandate(mandate, version=version)
    if not mandate.is_active:
        raise DomainError("ended", "该代表资格已终止，不能再修改。")
    raise_field_errors(seat_errors(seat))
    _check_seat_free(mandate.deputy, seat, exclude=mandate.pk)
    before = {name: getattr(mandate, name) for name in SEAT_LABELS}
    _seat_values(mandate, seat)
    changed = [
        label for name, label in SEAT_LABELS.items() if getattr(mandate, name) != before[name]
    ]
    if not changed:
        raise DomainError("unchanged", "没有修改任何内容。")
    mandate.version += 1
    mandate.save()
    record_event(
        target=mandate.deputy,
        actor=acting_user,
        verb="update_mandate",
        summary=f"修改代表资格：{seat_label(seat.level, seat.term_number)}",
        note="修改了：" + "、".join(changed),
    )
    return mandate


@transaction.atomic
def end_mandate(
    *,
    acting_user: User,
    mandate: Mandate,
    ended_on: date | None,
    reason: str,
    note: str = "",
    version: int | None = None,
) -> Mandate:
    """End a seat (辞职、罢免、迁出、死亡、两次无故缺席、届满…). The row stays: it is history."""
    _require_keeper(acting_user)
    mandate = _lock_mandate(mandate, version=version)
    if not mandate.is_active:
        raise DomainError(
            "ended",
            f"该代表资格已于 {mandate.ended_on:%Y-%m-%d} 终止（{mandate.get_end_reason_display()}）。",
        )
    note = (note or "").strip()
    errors = {}
    if reason not in Mandate.EndReason.values:
        errors["reason"] = "请选择终止原因"
    elif reason == Mandate.EndReason.OTHER and not note:
        errors["note"] = "终止原因为“其他”时，请写明说明"
    if len(note) > 200:
        errors["note"] = "说明不能超过 200 字"
    if ended_on is None:
        errors["ended_on"] = "请填写终止日期"
    elif ended_on < mandate.started_on:
        errors["ended_on"] = f"终止日期不能早于当选日期（{mandate.started_on:%Y-%m-%d}）"
    elif ended_on > timezone.localdate():
        errors["ended_on"] = "终止日期不能晚于今天"
    raise_field_errors(errors)
    mandate.ended_on = ended_on
    mandate.end_reason = reason
    mandate.end_note = note
    mandate.version += 1
    mandate.save(update_fields=["ended_on", "end_reason", "end_note", "version"])
    record_event(
        target=mandate.deputy,
        actor=acting_user,
        verb="end_mandate",
        summary=(
            f"终止代表资格：{seat_label(mandate.level, mandate.term_number)}"
            f"（{mandate.get_end_reason_display()}，{ended_on:%Y-%m-%d}）"
        ),
        note=note,
    )
    return mandate
