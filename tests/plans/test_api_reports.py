"""The Excel round-trip and the evaluation through the API: the same functions as the pages."""

from io import BytesIO

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renda.plans.models import PlanItem, ProgressReport
from tests.plans.matrix_api import BASE
from tests.plans.test_imports import Sheet

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, user, plan, data: bytes):
    client.force_login(user)
    return client.post(
        f"{BASE}/{plan.pk}/import", data={"file": SimpleUploadedFile("计划.xlsx", data, XLSX)}
    )


def test_export_then_import_progress(client, planning):
    plan = planning.approved()
    client.force_login(planning.p.leader)
    response = client.get(f"{BASE}/{plan.pk}/export.xlsx")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    titles = [c.value for c in openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]["B"]]
    assert "《安全生产法》执法检查" in titles
    sheet = Sheet(plan)
    sheet.set("1", 本次进展="召开座谈会三次", 本次进度=45)
    response = upload(client, planning.p.social_staff, plan, sheet.data())
    assert response.status_code == 200, response.content
    assert response.json() == {"added": 0, "updated": 0, "reported": 1}
    assert PlanItem.objects.get(plan=plan).progress == 45


def test_a_bad_file_is_refused_whole_with_each_problem(client, planning):
    plan = planning.approved()
    sheet = Sheet(plan)
    sheet.set("1", 本次进展="推进中", 本次进度=150)
    response = upload(client, planning.p.social_staff, plan, sheet.data())
    body = response.json()
    assert response.status_code == 400 and body["code"] == "import_refused"
    assert body["message"] == "导入的文件有 1 处问题，未作任何修改。"
    assert len(body["errors"]) == 1 and body["errors"][0]["field"].startswith("第")
    assert not ProgressReport.objects.exists()
    response = upload(client, planning.p.social_staff, plan, b"not a workbook")
    assert response.status_code == 400 and not ProgressReport.objects.exists()


def test_import_refused_to_an_office_without_items(client, planning):
    plan = planning.approved()
    response = upload(client, planning.p.staff, plan, Sheet(plan).data())
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"


def test_evaluation(client, planning):
    item = planning.completed()
    client.force_login(planning.p.leader)
    body = client.get(f"{BASE}/evaluation", {"year": 2026}).json()
    assert body["title"] == "机关2026年度工作计划落实情况评估报告"
    row = body["rows"][0]
    assert (row["item_id"], row["status"], row["evidence_count"]) == (item.pk, "completed", 1)
    response = client.get(f"{BASE}/evaluation", {"year": 2026, "office_id": 999999})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "office_id"
