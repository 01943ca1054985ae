"""Excel import of a roster: the sheet offices already keep (one row per seat), or the roster
this system exports (deputies:export), which has the same columns.

- A row is one mandate of one person. Rows with the same 身份证号 are the same person holding
  several seats (e.g. a municipal and a district deputy); their personal columns must agree.
- A person already on the roster (same 身份证号, same name) gets the row's mandate added; their
  personal data is not overwritten (that is edited on their page).
- 性别 and 出生日期 may be left empty: the 身份证号 says them. When filled they must agree with it;
  出生日期 may be given to the month (1975.05), as many rosters write 出生年月.

All or nothing: every row is read and checked with the actions' own rules (actions.person_errors,
seat_errors), every problem is reported as (row, column, problem) in Chinese, and only a file
without problems is written, in one transaction, each person and seat through actions.py."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from renda.core import imports as sheets
from renda.core.errors import NotAllowed
from renda.core.idcard import birth_date_from_id, gender_from_id, is_valid_id_number
from renda.core.imports import ImportProblem, Rollback, as_row, choice_labels, read_date
from renda.core.models import Street, User
from renda.deputies import actions
from renda.deputies.actions import PERSON_LABELS, SEAT_LABELS, PersonFields, SeatFields
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
from renda.deputies.presenters import EXPORT_HEADERS

MAX_ROWS = 2000

# The export's headings (presenters.EXPORT_HEADERS): an exported roster can be imported back.
COLUMNS = tuple(EXPORT_HEADERS)
REQUIRED = ("姓名", "民族", "政治面貌", "构成类别", "层级", "届次", "当选日期", "身份证号")
# Headings other rosters use for the same column.
ALIASES = {
    "出生年月": "出生日期",
    "代表层级": "层级",
    "所在街道": "街道",
    "街道（乡镇）": "街道",
    "选区/选举单位": "选区",
    "选举单位": "选区",
    "选举单位/选区": "选区",
    "联系电话": "手机号",
    "手机": "手机号",
    "工作单位和职务": "工作单位及职务",
    "单位及职务": "工作单位及职务",
    "公民身份号码": "身份证号",
    "身份证号码": "身份证号",
    "代表构成": "构成类别",
}

LEVEL_NAMES = {
    **choice_labels(Level.choices),
    "全国人大": Level.NATIONAL,
    "全国": Level.NATIONAL,
    "省人大": Level.PROVINCIAL,
    "省级": Level.PROVINCIAL,
    "省": Level.PROVINCIAL,
    "市人大": Level.MUNICIPAL,
    "市级": Level.MUNICIPAL,
    "市": Level.MUNICIPAL,
    "区人大": Level.DISTRICT,
    "区级": Level.DISTRICT,
    "区": Level.DISTRICT,
}
PARTY_NAMES = {
    **choice_labels(Party.choices),
    "中国共产党党员": Party.CPC,
    "中共预备党员": Party.CPC,
    "中共": Party.CPC,
    "民革": Party.RCCK,
    "民盟": Party.CDL,
    "民建": Party.CDNCA,
    "民进": Party.CAPD,
    "农工党": Party.PWDP,
    "致公党": Party.ZGD,
    "九三学社": Party.JS,
    "无党派": Party.INDEPENDENT,
}
CATEGORY_NAMES = choice_labels(OccupationCategory.choices)
GENDER_NAMES = choice_labels(Gender.choices)

MONTH_PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
TERM_PATTERN = re.compile(r"^第?\s*([0-9一二三四五六七八九十]+)\s*届?$")
CHINESE_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}

# Errors of actions.person_errors / seat_errors, by field, shown under the sheet's column.
FIELD_COLUMNS = {**PERSON_LABELS, **SEAT_LABELS}


# The export puts the roster's title above the header; other rosters mark required columns "*".
SHEET = sheets.SheetFormat(
    columns=COLUMNS,
    required=REQUIRED,
    recognise=lambda names: "姓名" in names and len(set(names) & set(COLUMNS)) >= 3,
    max_rows=MAX_ROWS,
    not_xlsx="文件不是 Excel 工作簿（.xlsx）。",
    no_header="没有找到表头（应有“姓名、性别、民族……”一行）",
    no_rows="表中没有代表",
    size_advice=sheets.SPLIT_ADVICE,
    aliases=ALIASES,
    ignored_in_headings=" *",
)


@dataclass
class ImportResult(sheets.ImportResult):
    people: int = 0  # new people on the roster
    mandates: int = 0  # seats added (a new person's first seat included)
    existing: int = 0  # people already on the roster who got a seat


# ---------------------------------------------------------------------------------------------
# Reading the cells deputies' rosters write their own way


def _month(value) -> tuple[int, int] | None:
    """A year and month (出生年月): "1975.05", "1975-5", "1975年5月", or 1975.05 typed as a
    number, which Excel keeps as 1975.05 (and 1975.10 as 1975.1)."""
    text = f"{value:.2f}" if isinstance(value, float) else sheets.text(value)
    match = MONTH_PATTERN.match(text)
    if not match:
        return None
    year, month = (int(part) for part in match.groups())
    return (year, month) if 1 <= month <= 12 else None


def _chinese_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text or any(c not in CHINESE_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        return int("".join(str(CHINESE_DIGITS[c]) for c in text)) if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[ones] if ones else 0)


def _term(value) -> int | None:
    if not isinstance(value, str):
        return sheets.whole_number(value)  # 18 typed as a number
    match = TERM_PATTERN.match(sheets.text(value))
    return _chinese_number(match.group(1)) if match else None


# ---------------------------------------------------------------------------------------------
# One row


@dataclass
class _Lookups:
    streets: dict[str, Street]
    groups: dict[tuple[int, str], Group]
    group_terms: dict[str, list[int]]

    @classmethod
    def load(cls) -> _Lookups:
        groups = {}
        group_terms: dict[str, list[int]] = defaultdict(list)
        for group in Group.objects.all():
            groups[(group.term_number, group.name)] = group
            group_terms[group.name].append(group.term_number)
        return cls(
            streets={s.name: s for s in Street.objects.all()},
            groups=groups,
            group_terms=group_terms,
        )


@dataclass
class _Row:
    row: int
    person: PersonFields
    seat: SeatFields


class _RowReader(sheets.RowReader):
    """One sheet row as a person and a seat, every problem noted under its column."""

    def __init__(self, row: int, cells: dict[str, object], lookups: _Lookups, today: date):
        super().__init__(row, cells)
        self.lookups = lookups
        self.today = today

    def problem(self, column: str, problem: str) -> None:
        if not any(e.column == column for e in self.errors):  # one complaint per cell
            super().problem(column, problem)

    def choice(self, column: str, names: dict[str, str], choices) -> str:
        value = self.required(column)
        if value and value.replace(" ", "") not in names:
            known = "、".join(label for _, label in choices)
            self.problem(column, f"“{value}”不是可识别的{column}（可填：{known}）")
        return names.get(value.replace(" ", ""), "")

    def id_number(self) -> str:
        value = self.required("身份证号").upper().replace(" ", "")
        if value and "*" in value:
            self.problem("身份证号", "身份证号是部分隐藏的号码，请使用完整号码")
        elif value and not is_valid_id_number(value, today=self.today):
            self.problem("身份证号", f"身份证号“{value}”校验不通过，请核对（18 位，末位为校验码）")
        return value

    def gender(self, id_valid: bool, id_number: str) -> str:
        value = self.text("性别")
        if not value:
            if not id_valid:
                self.problem("性别", "性别不能为空")
            return gender_from_id(id_number) if id_valid else ""
        return self.choice("性别", GENDER_NAMES, Gender.choices)

    def birth_date(self, id_valid: bool, id_number: str) -> date | None:
        raw = self.cells.get("出生日期")
        from_id = birth_date_from_id(id_number) if id_valid else None
        if sheets.text(raw) == "":
            if from_id is None:
                self.problem("出生日期", "出生日期不能为空")
            return from_id
        day = read_date(raw)
        if day is not None:
            return day  # compared with the ID number by actions.person_errors
        month = _month(raw)
        if month is None:
            self.problem(
                "出生日期", f"“{sheets.text(raw)}”不是有效的日期（如 1975-05-01 或 1975.05）"
            )
            return None
        if from_id is not None and month != (from_id.year, from_id.month):
            self.problem("出生日期", f"出生年月与身份证号不符（身份证号为 {from_id:%Y-%m-%d}）")
        return from_id

    def started_on(self) -> date | None:
        return self.date("当选日期", example="2022-01-06", required=True)

    def term(self) -> int | None:
        raw = self.cells.get("届次")
        if sheets.text(raw) == "":
            self.problem("届次", "届次不能为空")
            return None
        number = _term(raw)
        if number is None:
            self.problem("届次", f"“{sheets.text(raw)}”不是有效的届次（如 18 或 第十八届）")
        return number

    def street(self) -> Street | None:
        name = self.text("街道")
        if not name:
            return None
        street = self.lookups.streets.get(name)
        if street is None:
            self.problem("街道", f"没有名为“{name}”的街道")
        return street

    def group(self, term: int | None) -> Group | None:
        name = self.text("代表小组")
        if not name or term is None:
            return None
        group = self.lookups.groups.get((term, name))
        if group is None:
            terms = self.lookups.group_terms.get(name)
            where = f"（该小组属于第{'、'.join(map(str, terms))}届）" if terms else ""
            self.problem("代表小组", f"第{term}届没有名为“{name}”的代表小组{where}")
        return group

    def read(self) -> _Row | None:
        id_number = self.id_number()
        id_valid = "身份证号" not in {e.column for e in self.errors}
        person = PersonFields(
            full_name=self.required("姓名"),
            gender=self.gender(id_valid, id_number),
            ethnicity=self.required("民族"),
            birth_date=self.birth_date(id_valid, id_number),
            party=self.choice("政治面貌", PARTY_NAMES, Party.choices),
            occupation_category=self.choice("构成类别", CATEGORY_NAMES, OccupationCategory.choices),
            work_position=self.text("工作单位及职务"),
            id_number=id_number,
            phone=self.text("手机号"),
        ).cleaned()
        term = self.term()
        seat = SeatFields(
            level=self.choice("层级", LEVEL_NAMES, Level.choices),
            term_number=term,
            started_on=self.started_on(),
            electoral_unit=self.text("选区"),
            street=self.street(),
            group=self.group(term),
        )
        if self.errors:
            return None
        rules = {
            **actions.person_errors(person, today=self.today),
            **actions.seat_errors(seat, today=self.today),
        }
        for name, text in rules.items():
            self.problem(FIELD_COLUMNS[name], text)
        return None if self.errors else _Row(row=self.row, person=person, seat=seat)


# ---------------------------------------------------------------------------------------------
# The rows together, and against the roster


@dataclass
class _Person:
    """The rows of one 身份证号: one person and their seats."""

    rows: list[_Row]
    existing: Deputy | None = None


def _group_people(rows: list[_Row]) -> tuple[list[_Person], list[ImportProblem]]:
    people: dict[str, _Person] = {}
    problems = []
    for row in rows:
        person = people.get(row.person.id_number)
        if person is None:
            people[row.person.id_number] = _Person(rows=[row])
            continue
        first = person.rows[0]
        differing = [
            label
            for name, label in PERSON_LABELS.items()
            if getattr(first.person, name) != getattr(row.person, name)
        ]
        if differing:
            problems.append(
                ImportProblem(
                    row.row,
                    differing[0],
                    f"与第 {first.row} 行身份证号相同，但{'、'.join(differing)}不一致",
                )
            )
            continue
        seat = (row.seat.level, row.seat.term_number)
        twin = next((r for r in person.rows if (r.seat.level, r.seat.term_number) == seat), None)
        if twin is not None:
            problems.append(
                ImportProblem(
                    row.row,
                    "层级",
                    f"与第 {twin.row} 行重复（同一人的{actions.seat_label(*seat)}）",
                )
            )
            continue
        person.rows.append(row)
    return list(people.values()), problems


def _against_roster(people: list[_Person]) -> list[ImportProblem]:
    ids = [p.rows[0].person.id_number for p in people]
    existing = {d.id_number: d for d in Deputy.objects.filter(id_number__in=ids)}
    seats = defaultdict(set)
    for deputy_id, level, term in Mandate.objects.filter(deputy__in=existing.values()).values_list(
        "deputy_id", "level", "term_number"
    ):
        seats[deputy_id].add((level, term))
    problems = []
    for person in people:
        first = person.rows[0]
        deputy = existing.get(first.person.id_number)
        if deputy is None:
            continue
        if deputy.full_name != first.person.full_name:
            problems.append(
                ImportProblem(
                    first.row,
                    "身份证号",
                    f"名册中已有该身份证号的代表“{deputy.full_name}”，与本行姓名不同",
                )
            )
            continue
        person.existing = deputy
        for row in person.rows:
            seat = (row.seat.level, row.seat.term_number)
            if seat in seats[deputy.pk]:
                problems.append(
                    ImportProblem(
                        row.row,
                        "层级",
                        f"名册中{deputy.full_name}已有{actions.seat_label(*seat)}资格（重复）",
                    )
                )
    return problems


def _position(problem: ImportProblem) -> tuple[int, int]:
    """Problems in the order of the sheet: by row, then by column."""
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else len(COLUMNS)
    return problem.row or 0, column


def parse_roster_workbook(data: bytes, *, today: date | None = None):
    """Read and check a workbook: (the people to import, every problem found)."""
    today = today or timezone.localdate()
    body, refusal = sheets.read_sheet(data, SHEET)
    if refusal:
        return [], refusal
    lookups = _Lookups.load()
    rows, errors = [], []
    for number, cells in body:
        reader = _RowReader(number, cells, lookups, today)
        row = reader.read()
        errors.extend(reader.errors)
        if row is not None:
            rows.append(row)
    people, problems = _group_people(rows)
    errors.extend(problems)
    errors.extend(_against_roster(people))
    errors.sort(key=_position)
    return people, errors


# ---------------------------------------------------------------------------------------------
# Importing


def _import_person(person: _Person, acting_user: User, result: ImportResult) -> None:
    rows = list(person.rows)
    deputy = person.existing
    if deputy is None:
        first = rows.pop(0)
        deputy = actions.add_deputy(acting_user=acting_user, person=first.person, seat=first.seat)
        result.people += 1
        result.mandates += 1
    else:
        result.existing += 1
    for row in rows:
        with as_row(row.row):
            actions.add_mandate(acting_user=acting_user, deputy=deputy, seat=row.seat)
        result.mandates += 1


def import_roster(*, acting_user: User, data: bytes) -> ImportResult:
    """Import the workbook: every row, or — on any problem — none."""
    if not keeps_roster(acting_user):
        raise NotAllowed("只有系统管理员和人事代表工作室可以导入代表名册。")
    people, errors = parse_roster_workbook(data)
    if errors:
        return ImportResult(errors=errors)
    result = ImportResult()
    try:
        with transaction.atomic():
            for person in people:
                # Someone changed the roster between the check and the write: name the person.
                with as_row(person.rows[0].row):
                    _import_person(person, acting_user, result)
    except Rollback as rollback:
        return ImportResult(errors=[rollback.problem])
    return result


COLUMN_NOTES = (
    ("姓名", "必填。"),
    ("性别", "男 或 女；可不填，按身份证号确定。"),
    ("民族", "必填，如 汉族、回族。"),
    ("出生日期", "如 1975-05-01，也可只填年月 1975.05；可不填，按身份证号确定。"),
    ("政治面貌", "必填：" + "、".join(label for _, label in Party.choices) + "。"),
    ("构成类别", "必填：" + "、".join(label for _, label in OccupationCategory.choices) + "。"),
    ("层级", "必填：" + "、".join(label for _, label in Level.choices) + "（也可写 区、市）。"),
    ("届次", "必填，如 18 或 第十八届。"),
    ("选区", "选填。"),
    ("街道", "选填，须为系统中的街道名称。"),
    ("代表小组", "选填，须为该届次、该街道的代表小组。"),
    ("当选日期", "必填，如 2022-01-06。"),
    ("工作单位及职务", "选填。"),
    ("手机号", "选填，填写完整号码。"),
    (
        "身份证号",
        "必填，18 位并通过校验。同一身份证号的多行是同一人的多个代表资格；"
        "名册中已有的代表只增加代表资格，不修改个人信息。",
    ),
)
