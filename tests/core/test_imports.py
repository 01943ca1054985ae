"""The Excel import machinery the apps share (renda/core/imports.py): the workbook's refusals,
the header row, the rows' numbering, and each cell reader's accepted and refused inputs."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date, datetime
from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.core.errors import DomainError, NotAllowed
from renda.core.forms import ImportForm
from renda.core.imports import (
    SPLIT_ADVICE,
    XLS_SIGNATURE,
    ImportProblem,
    ImportResult,
    Rollback,
    RowReader,
    SheetFormat,
    as_row,
    body_rows,
    choice_labels,
    find_header,
    read_date,
    read_records,
    read_sheet,
    text,
    whole_number,
)

SHEET = SheetFormat(
    columns=("编号", "标题", "日期"),
    required=("编号", "标题"),
    recognise=lambda names: "标题" in names,
    max_rows=3,
    not_xlsx="不是工作簿",
    no_header="没有表头",
    no_rows="没有内容",
    aliases={"名称": "标题"},
    ignored_in_headings=" *",
    max_bytes=64 * 1024,
    header_search_rows=2,
)


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (3.0, "3"),  # a whole number Excel keeps as a float
        (2.5, "2.5"),
        (12, "12"),
        ("\u3000 张三 \u3000", "张三"),
        ("一行\r\n二行", "一行\n二行"),
    ],
)
def test_text(value, expected):
    assert text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 3, 2, 9, 30), date(2026, 3, 2)),
        (date(2026, 3, 2), date(2026, 3, 2)),
        ("2026-03-02", date(2026, 3, 2)),
        ("2026/3/2", date(2026, 3, 2)),
        ("2026.3.2", date(2026, 3, 2)),
        ("2026年3月2日", date(2026, 3, 2)),
        (" 2026 - 3 - 2 ", date(2026, 3, 2)),
    ],
)
def test_read_date_accepts(value, expected):
    assert read_date(value) == expected


@pytest.mark.parametrize(
    "value", [None, "", "2026-02-30", "2026-13-01", "3月2日", "2026.05", "明天", 20260302]
)
def test_read_date_refuses(value):
    assert read_date(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(7, 7), (7.0, 7), ("7", 7), (" 80% ", 80), ("80％", 80), ("0", 0)],
)
def test_whole_number_accepts(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize("value", [None, "", True, False, 7.5, "7.5", "-3", "七", "百分之八十"])
def test_whole_number_refuses(value):
    assert whole_number(value) is None


def test_choice_labels_map_labels_to_values():
    assert choice_labels([("m", "男"), ("f", "女")]) == {"男": "m", "女": "f"}


# ---------------------------------------------------------------------------------------------
# A row


def test_row_reader_required_and_text():
    reader = RowReader(5, {"标题": "  议题 ", "编号": None})
    assert reader.required("标题") == "议题"
    assert reader.required("编号") == ""
    assert reader.text("不存在的列") == ""
    assert reader.errors == [ImportProblem(5, "编号", "编号不能为空")]


def test_row_reader_date_empty_is_none_unless_required():
    reader = RowReader(3, {"日期": "  "})
    assert reader.date("日期", example="2026-03-02") is None
    assert reader.errors == []
    assert reader.date("日期", example="2026-03-02", required=True) is None
    assert reader.errors == [ImportProblem(3, "日期", "日期不能为空")]


def test_row_reader_date_names_the_bad_value_and_an_example():
    reader = RowReader(4, {"日期": "2026-02-30", "其他": "2026年3月2日"})
    assert reader.date("日期", example="2026-03-01") is None
    assert reader.date("其他", example="2026-03-01") == date(2026, 3, 2)
    assert reader.errors == [
        ImportProblem(4, "日期", "“2026-02-30”不是有效的日期（如 2026-03-01）")
    ]


# ---------------------------------------------------------------------------------------------
# The workbook


def test_read_records_reads_the_first_sheet():
    assert read_records(workbook(["编号", "标题"], [1, "甲"]), SHEET) == [
        ("编号", "标题"),
        (1, "甲"),
    ]


def refusal(data: bytes, sheet: SheetFormat = SHEET) -> list[ImportProblem]:
    rows, problems = read_sheet(data, sheet)
    assert rows == []
    return problems


def test_refuses_too_large_a_file():
    assert refusal(b"x" * (SHEET.max_bytes + 1)) == [ImportProblem(None, "", "文件超过 0 MB。")]
    big = replace(SHEET, max_bytes=10, size_advice=SPLIT_ADVICE)
    problem = "文件超过 0 MB，请拆分后分批导入。"
    assert refusal(workbook(["标题"]), big) == [ImportProblem(None, "", problem)]


def test_refuses_an_old_xls_file():
    (problem,) = refusal(XLS_SIGNATURE + b"\0" * 100)
    assert "另存为 .xlsx" in problem.problem


def test_refuses_what_is_not_a_workbook_in_the_apps_words():
    assert refusal("编号,标题\n1,甲".encode()) == [ImportProblem(None, "", "不是工作簿")]


def test_refuses_a_damaged_workbook():
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    (problem,) = refusal(buffer.getvalue())
    assert problem == ImportProblem(None, "", "文件已损坏或不是 Excel 工作簿（.xlsx），无法读取。")


def test_refuses_too_many_rows_counting_the_header_search_rows():
    fits = workbook(["标题"], *[[f"第{i}行"] for i in range(4)])  # 5 rows = 3 + 2
    assert len(read_records(fits, SHEET)) == 5
    too_many = workbook(["标题"], *[[f"第{i}行"] for i in range(5)])
    assert refusal(too_many) == [ImportProblem(None, "", "一次最多导入 3 行。")]
    advised = replace(SHEET, rows_advice=SPLIT_ADVICE)
    assert refusal(too_many, advised) == [
        ImportProblem(None, "", "一次最多导入 3 行，请拆分后分批导入。")
    ]


def test_header_found_below_a_title_with_aliases_and_marks():
    records = [("2026 年议题表",), ("* 编号", "名称", "备注", "日 期")]
    assert find_header(records, SHEET) == (1, {"编号": 0, "标题": 1, "日期": 3})


def test_header_a_heading_twice_reads_the_first():
    assert find_header([("标题", "编号", "标题")], SHEET) == (0, {"标题": 0, "编号": 1})


def test_header_searched_only_in_the_first_rows():
    assert find_header([("说明",), ("说明",), ("编号", "标题")], SHEET) is None
    assert refusal(workbook(["说明"], ["说明"], ["编号", "标题"])) == [
        ImportProblem(None, "", "没有表头")
    ]


def test_missing_required_columns_named_on_the_header_row():
    assert refusal(workbook(["议题表"], ["标题", "日期"])) == [
        ImportProblem(2, "编号", "表头缺少该列")
    ]


def test_a_sheet_without_rows_is_refused():
    assert refusal(workbook(["编号", "标题"], [None, "  "])) == [
        ImportProblem(None, "", "没有内容")
    ]


def test_body_rows_numbered_as_excel_skipping_empty_and_short_rows():
    records = [("标题行",), ("编号", "标题", "日期"), (1, "甲"), (None, None, None), (2, "乙", "x")]
    assert body_rows(records, 1, {"编号": 0, "标题": 1, "日期": 2}) == [
        (3, {"编号": 1, "标题": "甲", "日期": None}),
        (5, {"编号": 2, "标题": "乙", "日期": "x"}),
    ]


def test_read_sheet_returns_the_rows_under_their_headings():
    rows, problems = read_sheet(workbook(["标题", "编号"], ["甲", 1]), SHEET)
    assert problems == []
    assert rows == [(2, {"标题": "甲", "编号": 1})]


# ---------------------------------------------------------------------------------------------
# All or nothing


def test_as_row_turns_an_actions_refusal_into_a_rollback_naming_the_row():
    with pytest.raises(Rollback) as caught, as_row(7):
        raise DomainError("invalid", "该事项已办结")
    assert caught.value.problem == ImportProblem(7, "", "该事项已办结")


def test_as_row_lets_other_errors_through():
    with pytest.raises(KeyError), as_row(7):
        raise KeyError("x")


def test_as_row_refusal_subclasses_roll_back_too():
    with pytest.raises(Rollback), as_row(None):
        raise NotAllowed("无权导入。")


def test_result_ok_only_without_errors():
    assert ImportResult().ok
    assert not ImportResult(errors=[ImportProblem(None, "", "没有内容")]).ok


# ---------------------------------------------------------------------------------------------
# The upload form


class _Form(ImportForm):
    sheet = replace(SHEET, max_bytes=2 * 1024 * 1024)


def test_import_form_refuses_too_large_a_file_in_the_sheets_words():
    upload = SimpleUploadedFile("a.xlsx", b"x" * (2 * 1024 * 1024 + 1))
    form = _Form(data={}, files={"file": upload})
    assert not form.is_valid()
    assert form.errors["file"] == ["文件超过 2 MB。"]


def test_import_form_accepts_a_file_within_the_limit():
    form = _Form(data={}, files={"file": SimpleUploadedFile("a.xlsx", b"x" * 100)})
    assert form.is_valid()
