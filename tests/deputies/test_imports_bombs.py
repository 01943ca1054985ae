"""The roster import (and every sheet import, through renda/core/imports.py) against crafted
workbooks: a zip bomb is refused in Chinese before it is unpacked, and a sheet declaring the
largest dimension Excel allows is read in bounded rows and columns. Nothing is saved."""

from __future__ import annotations

import pytest

from renda.deputies.imports import import_roster
from tests.core.officebombs import MB, huge_dimension, measured, sheet_bomb
from tests.deputies.test_imports import good_rows, snapshot, workbook

pytestmark = pytest.mark.django_db


def problems(user, data: bytes) -> list[tuple]:
    return [(e.row, e.column, e.problem) for e in import_roster(acting_user=user, data=data).errors]


def test_a_zip_bomb_is_refused_with_bounded_memory(personas, org):
    bomb = sheet_bomb(workbook(good_rows()))
    assert len(bomb) < 2 * MB  # under the import's 5 MB limit
    before = snapshot()
    with measured() as peak:
        refused = problems(personas.staff, bomb)
    assert refused == [
        (None, "", "文件解压后超过 50 MB，无法读取。请删除其中的大图片或拆分后再上传。")
    ]
    assert snapshot() == before
    assert peak.python_bytes < 20 * MB and peak.rss_growth < 100 * MB


def test_a_huge_declared_dimension_imports_in_bounded_memory(personas, org):
    """Unbounded, openpyxl built 1,900 rows of 16,384 cells (some 250 MB) for the empty rows
    down to the far cell; the columns read are bounded, the far cell is ignored."""
    data = huge_dimension(workbook(good_rows()), far_row=1900)
    with measured() as peak:
        result = import_roster(acting_user=personas.staff, data=data)
    assert result.errors == []
    assert (result.people, result.mandates) == (3, 4)
    assert peak.python_bytes < 40 * MB


def test_a_huge_dimension_past_the_row_limit_is_refused(personas, org):
    before = snapshot()
    data = huge_dimension(workbook(good_rows()), far_row=5000)
    with measured() as peak:
        refused = problems(personas.staff, data)
    assert refused == [(None, "", "一次最多导入 2000 行。")]
    assert snapshot() == before
    assert peak.python_bytes < 40 * MB
