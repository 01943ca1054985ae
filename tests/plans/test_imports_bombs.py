"""The plan import against crafted workbooks: its own exported sheet swapped for a zip bomb is
refused in Chinese before it is unpacked; the same sheet declaring Excel's largest dimension
still imports, in bounded memory. Nothing changes on a refusal."""

from __future__ import annotations

import pytest

from renda.plans.imports import ImportProblem, import_plan
from tests.core.officebombs import MB, huge_dimension, measured, sheet_bomb
from tests.plans.test_imports import Sheet, nested, snapshot

pytestmark = pytest.mark.django_db


def test_a_zip_bomb_is_refused_and_changes_nothing(planning):
    plan = nested(planning, approve=False)
    bomb = sheet_bomb(Sheet(plan).data(), 200 * MB)
    before = snapshot(plan)
    with measured() as peak:
        result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=bomb)
    assert result.errors == [
        ImportProblem(
            None, "", "文件解压后超过 50 MB，无法读取。请删除其中的大图片或拆分后再上传。"
        )
    ]
    assert snapshot(plan) == before
    assert peak.python_bytes < 20 * MB and peak.rss_growth < 100 * MB


def test_a_huge_dimension_still_imports(planning):
    plan = nested(planning, approve=False)
    sheet = Sheet(plan)
    sheet.append(序号="3", 事项="新增事项", 责任机构="社会建设工作室")
    data = huge_dimension(sheet.data(), far_row=900)
    with measured() as peak:
        result = import_plan(acting_user=planning.p.social_staff, plan=plan, data=data)
    assert result.errors == [] and result.added == 1
    assert peak.python_bytes < 40 * MB
