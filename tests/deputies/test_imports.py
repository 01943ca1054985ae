"""The roster import: a sheet like the ones offices keep (title row, 出生年月 written to the month,
a person with two seats), all-or-nothing, each problem named by row and column; and the round
trip: what deputies:export writes, the import reads back."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook

from renda.core.errors import NotAllowed
from renda.core.idcard import make_id_number
from renda.core.models import TimelineEvent
from renda.deputies.imports import ImportProblem, import_roster
from renda.deputies.models import Deputy, Level, Mandate
from tests.deputies.factories import GroupFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "政治面貌",
    "身份证号",
    "手机号",
    "工作单位及职务",
    "构成类别",
    "层级",
    "届次",
    "选区",
    "街道",
    "代表小组",
    "当选日期",
]

LI = make_id_number(area="370102", birth_date=date(1968, 7, 9), sequence=5, gender="M")
ZHAO = make_id_number(area="370103", birth_date=date(1979, 11, 23), sequence=40, gender="F")
SUN = make_id_number(area="370102", birth_date=date(1985, 2, 1), sequence=7, gender="M")


def bad_checksum(number: str) -> str:
    return number[:-1] + ("1" if number[-1] != "1" else "2")


def good_rows() -> list[list]:
    return [
        # 李建国 is a municipal and a district deputy: two rows, one person.
        [1, "李建国", "男", "汉族", "1968.07", "中共党员", LI, "13805310001",
         "泉城控股集团董事长", "企业负责人", "市人大代表", "第十八届", "历下区", "泉城路街道", "",
         datetime(2022, 1, 6)],
        [2, "李建国", "男", "汉族", "1968.07", "中共党员", LI, "13805310001",
         "泉城控股集团董事长", "企业负责人", "区人大代表", 18, "第1选区", "泉城路街道",
         "泉城路街道代表小组", "2022-01-06"],
        [3, "赵丽华", "", "回族", "", "民盟", ZHAO.lower(), "0531-86001234",
         "区实验小学校长", "专业技术人员", "区", "18", "第2选区", "大明湖街道", "", "2022/1/6"],
        [4, "孙志强", "男", "汉族", 1985.02, "群众", SUN, "", "泉城路社区居委会主任", "社区工作者",
         "区人大代表", 18, "第3选区", "泉城路街道", "泉城路街道代表小组", "2022年1月6日"],
    ]  # fmt: skip


def workbook(rows: list[list], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["泉城区第十八届人民代表大会代表名册"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def snapshot():
    return (
        list(Deputy.objects.order_by("pk").values()),
        list(Mandate.objects.order_by("pk").values()),
        TimelineEvent.objects.count(),
    )


def test_a_roster_sheet_is_imported(personas, org):
    result = import_roster(acting_user=personas.staff, data=workbook(good_rows()))
    assert result.errors == []
    assert (result.people, result.mandates, result.existing) == (3, 4, 0)
    li = Deputy.objects.get(id_number=LI)
    assert li.birth_date == date(1968, 7, 9)  # the month from the sheet, the day from the ID
    assert li.occupation_category == "business" and li.party == "cpc"
    seats = {(m.level, m.term_number, m.group_id) for m in li.mandates.all()}
    assert seats == {("municipal", 18, None), ("district", 18, org.group.pk)}
    zhao = Deputy.objects.get(full_name="赵丽华")
    assert (zhao.id_number, zhao.gender, zhao.birth_date) == (ZHAO, "F", date(1979, 11, 23))
    assert (zhao.ethnicity, zhao.party, zhao.phone) == ("回族", "cdl", "0531-86001234")
    assert Deputy.objects.get(full_name="孙志强").birth_date == date(1985, 2, 1)
    summaries = [e.summary for e in TimelineEvent.objects.for_object(li)]
    assert sorted(summaries) == sorted(
        ["录入代表：李建国，第18届市人大代表", "增加代表资格：第18届区人大代表"]
    )


def test_bad_rows_import_nothing_and_each_problem_is_named(personas, org):
    GroupFactory(name="大明湖街道代表小组", street=org.other_street)
    rows = good_rows() + [
        # row 7: a typo in the ID number's check digit
        [5, "钱进", "男", "汉族", "1970.01", "中共党员", bad_checksum(LI[:6] + "19700101" + LI[14:]),
         "", "", "工人", "区人大代表", 18, "第4选区", "泉城路街道", "", "2022-01-06"],
        # row 8: a date nobody can read, an unknown street
        [6, "周敏", "女", "汉族", "1980.03",  "中共党员",
         make_id_number(area="370102", birth_date=date(1980, 3, 3), sequence=1, gender="F"),
         "", "", "农民", "区人大代表", 18, "第5选区", "趵突泉街道", "", "2022-13-45"],
        # row 9: the same ID number as row 6 and the same seat
        [7, "孙志强", "男", "汉族", "1985.02", "群众", SUN, "", "泉城路社区居委会主任",
         "社区工作者", "区人大代表", 18, "第3选区", "泉城路街道", "泉城路街道代表小组",
         "2022-01-06"],
        # row 10: labels nobody uses, a group of another street
        [8, "吴刚", "男", "汉族", "1966.05", "党员", make_id_number(
            area="370102", birth_date=date(1966, 5, 5), sequence=2, gender="M"),
         "", "", "干部", "乡人大代表", 18, "", "泉城路街道", "大明湖街道代表小组", "2022-01-06"],
        # row 11: the birth date disagrees with the ID number; the group of another term
        [9, "郑和", "男", "汉族", "1971.01", "中共党员", make_id_number(
            area="370102", birth_date=date(1972, 1, 1), sequence=3, gender="M"),
         "", "", "军人", "区人大代表", "第十七届", "", "泉城路街道", "泉城路街道代表小组",
         "2017-01-06"],
    ]  # fmt: skip
    before = snapshot()
    result = import_roster(acting_user=personas.staff, data=workbook(rows))
    assert snapshot() == before  # nothing imported
    problems = {(e.row, e.column): e.problem for e in result.errors}
    assert (
        problems[(7, "身份证号")].startswith("身份证号“")
        and "校验不通过" in problems[(7, "身份证号")]
    )
    assert problems[(8, "当选日期")] == "“2022-13-45”不是有效的日期（如 2022-01-06）"
    assert problems[(8, "街道")] == "没有名为“趵突泉街道”的街道"
    assert problems[(9, "层级")] == "与第 6 行重复（同一人的第18届区人大代表）"
    assert problems[(10, "政治面貌")].startswith("“党员”不是可识别的政治面貌（可填：中共党员、")
    assert problems[(10, "构成类别")].startswith("“干部”不是可识别的构成类别")
    assert problems[(10, "层级")].startswith("“乡人大代表”不是可识别的层级")
    assert problems[(11, "出生日期")] == "出生年月与身份证号不符（身份证号为 1972-01-01）"
    assert (
        problems[(11, "代表小组")]
        == "第17届没有名为“泉城路街道代表小组”的代表小组（该小组属于第18届）"
    )
    assert set(problems) == {
        (7, "身份证号"),
        (8, "当选日期"),
        (8, "街道"),
        (9, "层级"),
        (10, "政治面貌"),
        (10, "构成类别"),
        (10, "层级"),
        (11, "出生日期"),
        (11, "代表小组"),
    }
    assert [e.row for e in result.errors] == sorted(e.row for e in result.errors)


def test_a_group_of_another_street_is_named(personas, org):
    GroupFactory(name="大明湖街道代表小组", street=org.other_street)
    row = good_rows()[3]
    row[14] = "大明湖街道代表小组"
    result = import_roster(acting_user=personas.staff, data=workbook([row]))
    assert result.errors == [
        ImportProblem(3, "代表小组", "代表小组“大明湖街道代表小组”不属于所填街道")
    ]


def test_a_person_already_on_the_roster_gets_the_seat_not_a_second_record(personas, org):
    import_roster(acting_user=personas.staff, data=workbook(good_rows()[2:3]))
    zhao = Deputy.objects.get(id_number=ZHAO)
    municipal = good_rows()[2]
    municipal[10], municipal[14] = "市人大代表", ""
    result = import_roster(acting_user=personas.staff, data=workbook([municipal]))
    assert (result.people, result.mandates, result.existing) == (0, 1, 1)
    assert Deputy.objects.filter(id_number=ZHAO).count() == 1
    assert set(zhao.mandates.values_list("level", flat=True)) == {"district", "municipal"}
    # The same seat again is a duplicate against the roster; a different name is refused.
    again = import_roster(acting_user=personas.staff, data=workbook([municipal]))
    assert again.errors == [
        ImportProblem(3, "层级", "名册中赵丽华已有第18届市人大代表资格（重复）")
    ]
    renamed = good_rows()[2]
    renamed[1], renamed[11] = "赵丽", 19
    assert import_roster(acting_user=personas.staff, data=workbook([renamed])).errors == [
        ImportProblem(3, "身份证号", "名册中已有该身份证号的代表“赵丽华”，与本行姓名不同")
    ]


def test_rows_of_one_person_must_agree(personas, org):
    rows = good_rows()[:2]
    rows[1][7] = "13900000000"
    result = import_roster(acting_user=personas.staff, data=workbook(rows))
    assert result.errors == [ImportProblem(4, "手机号", "与第 3 行身份证号相同，但手机号不一致")]


def test_whole_file_problems(personas, org):
    def problems(data):
        return [(e.row, e.column, e.problem) for e in import_roster(
            acting_user=personas.staff, data=data).errors]  # fmt: skip

    assert problems(b"not a workbook") == [(None, "", "文件不是 Excel 工作簿（.xlsx）。")]
    assert problems(workbook([], header=["序号", "姓名", "性别", "出生日期"])) == [
        (2, name, "表头缺少该列")
        for name in ("民族", "政治面貌", "构成类别", "层级", "届次", "当选日期", "身份证号")
    ]
    assert problems(workbook([])) == [(None, "", "表中没有代表")]
    masked = good_rows()[3]
    masked[6] = SUN[:6] + "********" + SUN[14:]
    assert problems(workbook([masked])) == [
        (3, "身份证号", "身份证号是部分隐藏的号码，请使用完整号码")
    ]


@pytest.mark.parametrize("role", ["leader", "street", "social_staff", "deputy"])
def test_only_the_keepers_import(personas, org, role):
    with pytest.raises(NotAllowed):
        import_roster(acting_user=getattr(personas, role), data=workbook(good_rows()))
    assert not Deputy.objects.filter(full_name="李建国").exists()


def test_round_trip_export_then_import(client, personas, org):
    """The roster exported by the deputy-affairs office imports back into an empty roster as the
    same people with the same seats, and exports the same again."""
    import_roster(acting_user=personas.staff, data=workbook(good_rows()))
    client.force_login(personas.staff)
    first = client.get(reverse("deputies:export")).content

    def roster():
        return sorted(
            (
                d.full_name, d.gender, d.ethnicity, d.birth_date, d.party, d.occupation_category,
                d.work_position, d.phone, d.id_number,
                tuple(sorted(
                    (m.level, m.term_number, m.electoral_unit, m.street_id, m.group_id,
                     m.started_on)
                    for m in d.mandates.all()
                )),
            )
            for d in Deputy.objects.all()
        )  # fmt: skip

    before = roster()
    assert len(before) == 4  # the persona 张代表 and the three imported people
    Mandate.objects.all().delete()
    Deputy.objects.all().delete()
    result = import_roster(acting_user=personas.staff, data=first)
    assert result.errors == []
    assert (result.people, result.mandates) == (4, 5)
    assert roster() == before
    from openpyxl import load_workbook

    def cells(content):
        return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))

    assert cells(client.get(reverse("deputies:export")).content) == cells(first)


def test_levels_of_the_export_are_one_row_per_seat(client, personas, org):
    import_roster(acting_user=personas.staff, data=workbook(good_rows()[:2]))
    client.force_login(personas.staff)
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(client.get(reverse("deputies:export")).content)).active
    li = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0] == "李建国"]
    assert [row[6] for row in li] == [Level.MUNICIPAL.label, Level.DISTRICT.label]
