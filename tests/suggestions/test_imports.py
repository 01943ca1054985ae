"""The Excel import of a session's suggestions: all or nothing, every problem named by row and
column, each imported row taken through the real actions."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from renda.core.errors import NotAllowed
from renda.core.models import TimelineEvent
from renda.suggestions import actions, imports
from renda.suggestions.imports import (
    COLUMNS,
    ImportProblem,
    build_import_template,
    import_suggestions,
    parse_suggestion_workbook,
)
from renda.suggestions.models import Assignment, Status, Suggestion
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.suggestions.factories import at

pytestmark = pytest.mark.django_db

HEADER = list(COLUMNS)
TODAY = date(2026, 4, 1)


def workbook(*rows, header=HEADER, title_rows=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for line in title_rows:
        sheet.append(line)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(number, title="关于解决老旧小区停车难的建议", **cells) -> list:
    values = {
        "编号": number,
        "标题": title,
        "内容": "多个老旧小区停车位严重不足，建议挖潜增设停车位。",
        "类别": "城乡建设",
        "领衔代表": "张代表",
        "联名代表": None,
        "提出时间": "大会期间",
        "主办单位": None,
        "协办单位": None,
        "交办日期": None,
    }
    values.update(cells)
    return [values[name] for name in HEADER]


@pytest.fixture
def today(time_machine):
    time_machine.move_to(at(TODAY), tick=False)
    return TODAY


def run(world, data: bytes, session_number: int = 5):
    return import_suggestions(
        acting_user=world.p.staff, data=data, term_number=18, session_number=session_number
    )


def test_a_good_file_imports_every_row_with_its_number_and_assignment(world, today):
    units = world.org
    data = workbook(
        row(2, "关于增设社区养老服务站的建议", 类别="社会保障"),
        row(
            1,
            主办单位=units.unit.name,
            协办单位=units.other_unit.name,
            交办日期=date(2026, 3, 2),
        ),
        row(
            3,
            "关于整治背街小巷积水的建议",
            提出时间="闭会期间",
            主办单位=f"{units.unit.name}、{units.other_unit.name}",
            交办日期="2026年3月2日",
        ),
    )
    result = run(world, data)
    assert result.ok, result.errors
    assert [s.number for s in result.created] == [1, 2, 3]
    assert result.assigned == 2
    first, second, third = (Suggestion.objects.get(number=n) for n in (1, 2, 3))

    assert first.status == Status.ASSIGNED and first.mode == Suggestion.Mode.LEAD
    assert first.assigned_on == date(2026, 3, 2) and first.due_at == date(2026, 6, 2)
    roles = dict(first.assignments.values_list("unit__name", "role"))
    assert roles == {units.unit.name: Assignment.Role.LEAD, units.other_unit.name: "co"}
    # Entered "as of" the day of assignment: the timeline carries that day.
    assign_event = TimelineEvent.objects.for_object(first).get(verb="assign")
    assert timezone.localtime(assign_event.created_at).date() == date(2026, 3, 2)

    assert second.status == Status.ACCEPTED and second.category.name == "社会保障"
    assert second.title == "关于增设社区养老服务站的建议" and second.assigned_on is None
    assert third.mode == Suggestion.Mode.SEPARATE and third.timing == "between"
    assert set(third.assignments.values_list("role", flat=True)) == {"separate"}
    for s in (first, second, third):
        assert s.deputy == world.p.deputy.deputy and s.created_by == world.p.staff
        assert (s.term_number, s.session_number) == (18, 5)
        assert list(
            TimelineEvent.objects.for_object(s).order_by("id").values_list("verb", flat=True)
        )[:3] == ["draft", "submit", "accept"]


def test_a_header_below_a_title_line_and_short_unit_names_are_read(world, today):
    world.org.unit.short_name = "区住建局"
    world.org.unit.save()
    data = workbook(
        row(1, 主办单位="区住建局"), title_rows=[["区十八届人大五次会议代表建议汇总表"]]
    )
    result = run(world, data)
    assert result.ok, result.errors
    assert result.created[0].assignments.get().unit == world.org.unit


def test_three_bad_rows_import_nothing_and_each_is_named(world, today):
    data = workbook(
        row(1),
        row(2, 类别="文化旅游"),
        row(3, 领衔代表="查无此人"),
        row(4, title=""),
        row(5),
    )
    result = run(world, data)
    assert not result.ok
    assert result.errors == [
        ImportProblem(3, "类别", result.errors[0].problem),
        ImportProblem(4, "领衔代表", "代表名册中没有“查无此人”"),
        ImportProblem(5, "标题", "标题不能为空"),
    ]
    assert result.errors[0].problem.startswith("没有“文化旅游”这一类别（可选：城乡建设、教育")
    assert Suggestion.objects.count() == 0
    assert TimelineEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "column", "problem"),
    [
        ({"内容": " "}, "内容", "内容不能为空"),
        ({"编号": "十二"}, "编号", "“十二”不是有效的编号（应为正整数，如 12）"),
        ({"提出时间": "会前"}, "提出时间", "“会前”应为“大会期间”或“闭会期间”"),
        ({"主办单位": "区教育局"}, "主办单位", "没有名为“区教育局”的在用承办单位"),
        ({"交办日期": "2026-03-02"}, "交办日期", "填写了交办日期，但没有填写主办单位"),
        ({"协办单位": "区城市管理局"}, "主办单位", "填写了协办单位，但没有填写主办单位"),
        ({"联名代表": "张代表"}, "联名代表", "领衔代表不必再列为联名代表"),
        ({"title": "长" * 201}, "标题", "标题有 201 字，不能超过 200 字"),
    ],
)
def test_row_problems(world, today, cells, column, problem):
    title = cells.pop("title", "关于解决老旧小区停车难的建议")
    parsed = parse_suggestion_workbook(workbook(row(1, title, **cells)))
    assert parsed.errors == [ImportProblem(2, column, problem)]
    assert parsed.rows == []


def test_bad_and_future_dates_are_told_apart(world, today):
    parsed = parse_suggestion_workbook(
        workbook(
            row(1, 主办单位="区住房和城乡建设局", 交办日期="2026-02-30"),
            row(2, 主办单位="区住房和城乡建设局", 交办日期="2026-05-01"),
        )
    )
    assert [e.problem for e in parsed.errors] == [
        "“2026-02-30”不是有效的日期（如 2026-03-02）",
        "交办日期不能晚于今天",
    ]


def test_deputies_ambiguous_or_without_mandate(world, today):
    for _ in range(2):
        MandateFactory(deputy=DeputyFactory(full_name="王重名"), street=world.org.street)
    lapsed = DeputyFactory(full_name="赵卸任")
    MandateFactory(
        deputy=lapsed, street=world.org.street, ended_on=date(2025, 1, 1), end_reason="resigned"
    )
    parsed = parse_suggestion_workbook(
        workbook(row(1, 领衔代表="王重名"), row(2, 领衔代表="赵卸任"))
    )
    assert parsed.errors == [
        ImportProblem(
            2,
            "领衔代表",
            "代表名册中有 2 位“王重名”，无法确定是哪一位，请在名册中区分后再导入",
        ),
        ImportProblem(3, "领衔代表", "“赵卸任”没有有效的代表资格"),
    ]


def test_cosigned_rows_import_with_the_cosigners_confirmed_on_paper(world, today):
    result = run(world, workbook(row(1, 联名代表="李联名")))
    assert result.ok, result.errors
    suggestion = result.created[0]
    cosigner = suggestion.cosigners.get()
    assert cosigner.deputy.full_name == "李联名" and cosigner.status == "confirmed"
    summaries = [e.summary for e in TimelineEvent.objects.for_object(suggestion)]
    assert "登记李联名书面确认联名" in summaries
    parsed = parse_suggestion_workbook(workbook(row(1, 联名代表="李联名、查无此人")))
    assert [e.problem for e in parsed.errors] == ["代表名册中没有“查无此人”"]


def test_duplicate_numbers_in_the_file(world, today):
    result = run(world, workbook(row(1), row(2), row(1)))
    assert result.errors == [ImportProblem(4, "编号", "第1号与第 2 行重复")]
    assert Suggestion.objects.count() == 0


def test_numbers_already_in_the_session(world, today):
    world.accepted()  # 第1号
    result = run(world, workbook(row(1), row(2)))
    assert result.errors == [ImportProblem(2, "编号", "第18届5次会议已有第1号建议")]
    assert Suggestion.objects.count() == 1
    # Continuing the register keeps the sheet's numbers.
    result = run(world, workbook(row(2), row(3)))
    assert result.ok and [s.number for s in result.created] == [2, 3]


def test_numbers_with_a_gap_are_refused(world, today):
    result = run(world, workbook(row(1), row(3)))
    assert result.errors == [
        ImportProblem(
            None, "编号", "导入的编号须从第1号起连续编排（缺少第2号），以保证立案编号与表格一致"
        )
    ]
    world.accepted(session_number=6)
    result = run(world, workbook(row(3)), session_number=6)
    assert result.errors[0].problem.startswith("该次会议已编至第1号，导入的编号须从第2号起")


def test_header_missing(world):
    parsed = parse_suggestion_workbook(workbook(row(1), header=["序号", "题目", "正文"]))
    assert parsed.errors == [
        ImportProblem(None, "", "没有找到表头：第一行应为“编号、标题、内容……”，请使用导入模板")
    ]
    parsed = parse_suggestion_workbook(
        workbook(["1", "标题"], header=["编号", "标题", "类别", "领衔代表"])
    )
    assert parsed.errors == [
        ImportProblem(1, "内容", "表头缺少该列"),
        ImportProblem(1, "提出时间", "表头缺少该列"),
    ]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"\xef\xbb\xbf\xe7\xbc\x96\xe5\x8f\xb7,\n1,2\n", "文件不是 Excel 工作簿（.xlsx）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "这是旧版 Excel（.xls）文件"),
        (b"PK\x03\x04broken", "文件不是 Excel 工作簿（.xlsx）"),
        (b"", "文件不是 Excel 工作簿（.xlsx）"),
    ],
)
def test_not_an_xlsx(world, data, problem):
    result = run(world, data)
    assert len(result.errors) == 1 and result.errors[0].row is None
    assert result.errors[0].problem.startswith(problem)


def test_a_docx_is_not_a_workbook(world):
    import docx

    buffer = BytesIO()
    docx.Document().save(buffer)
    result = run(world, buffer.getvalue())
    assert result.errors == [
        ImportProblem(None, "", "文件已损坏或不是 Excel 工作簿（.xlsx），无法读取。")
    ]


def test_an_empty_sheet(world):
    assert run(world, workbook()).errors == [ImportProblem(None, "", "表中没有要导入的建议")]


def test_a_refused_action_rolls_back_every_row(world, today, monkeypatch):
    # The second row's deputy leaves office after the file was checked: save_draft refuses it,
    # and the first row, already accepted, is rolled back with it.
    other = DeputyFactory(full_name="钱代表")
    mandate = MandateFactory(deputy=other, street=world.org.street)
    data = workbook(row(1), row(2, 领衔代表="钱代表"))
    parsed = parse_suggestion_workbook(data)
    assert parsed.ok
    mandate.ended_on, mandate.end_reason = date(2026, 3, 31), "resigned"
    mandate.save()
    monkeypatch.setattr(imports, "parse_suggestion_workbook", lambda _data: parsed)
    result = run(world, data)
    assert result.errors == [ImportProblem(3, "", "钱代表没有有效的代表资格，不能提出建议。")]
    assert Suggestion.objects.count() == 0
    assert TimelineEvent.objects.count() == 0


def test_only_the_deputy_affairs_office_imports(world):
    with pytest.raises(NotAllowed):
        import_suggestions(
            acting_user=world.p.social_staff,
            data=workbook(row(1)),
            term_number=18,
            session_number=5,
        )
    assert Suggestion.objects.count() == 0


def test_the_template_reads_back_as_an_empty_import(world):
    data = build_import_template()
    book = openpyxl.load_workbook(BytesIO(data))
    assert [c.value for c in book["建议"][1]] == HEADER
    assert book.sheetnames == ["建议", "填写说明"]
    assert parse_suggestion_workbook(data).errors == [
        ImportProblem(None, "", "表中没有要导入的建议")
    ]


# ---------------------------------------------------------------------------------------------
# The page


def upload(data: bytes, name: str = "建议.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_page_imports_and_redirects_to_the_list(client, world, today):
    client.force_login(world.p.staff)
    response = client.post(
        reverse("suggestions:import"),
        {"file": upload(workbook(row(1), row(2))), "term_number": 18, "session_number": 5},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:list") + "?session=18-5"
    assert Suggestion.objects.filter(status=Status.ACCEPTED).count() == 2
    page = client.get(response["Location"])
    assert "已导入 2 件建议（第18届5次会议），其中 0 件已交办。" in page.content.decode()


def test_page_shows_the_row_by_row_report(client, world, today):
    client.force_login(world.p.staff)
    response = client.post(
        reverse("suggestions:import"),
        {
            "file": upload(workbook(row(1), row(2, 类别="文化旅游"), row(3, 领衔代表="查无此人"))),
            "term_number": 18,
            "session_number": 5,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "本次未导入任何建议" in html
    assert "第 3 行" in html and "文化旅游" in html
    assert "第 4 行" in html and "代表名册中没有“查无此人”" in html
    assert Suggestion.objects.count() == 0


def test_page_explains_a_file_that_is_not_a_workbook(client, world):
    client.force_login(world.p.staff)
    response = client.post(
        reverse("suggestions:import"),
        {"file": upload(b"just text", "建议.csv"), "term_number": 18, "session_number": 5},
    )
    assert "文件不是 Excel 工作簿（.xlsx），请使用导入模板填写后上传。" in response.content.decode()
    assert Suggestion.objects.count() == 0


def test_page_defaults_to_the_current_session(client, world):
    client.force_login(world.p.admin)
    html = client.get(reverse("suggestions:import")).content.decode()
    assert 'name="term_number" value="18"' in html and 'name="session_number" value="5"' in html


def test_staff_of_another_office_are_refused(client, world):
    client.force_login(world.p.social_staff)
    assert client.get(reverse("suggestions:import")).status_code == 403
    assert client.get(reverse("suggestions:import_template")).status_code == 403
    response = client.post(
        reverse("suggestions:import"),
        {"file": upload(workbook(row(1))), "term_number": 18, "session_number": 5},
    )
    assert response.status_code == 403
    assert Suggestion.objects.count() == 0


def test_template_download(client, world):
    client.force_login(world.p.staff)
    response = client.get(reverse("suggestions:import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert [c.value for c in book.active[1]] == HEADER


def test_actions_module_is_what_the_import_calls(world, today, monkeypatch):
    """Every row goes through the actions: an import counts exactly one call of each."""
    calls = []
    for name in ("save_draft", "submit", "accept", "assign"):
        real = getattr(actions, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(actions, name, spy)
    result = run(world, workbook(row(1, 主办单位=world.org.unit.name)))
    assert result.ok
    assert calls == ["save_draft", "submit", "accept", "assign"]
