"""A large roster file is imported by the worker (renda/core/jobs.py): the page hands it over
and shows the job, which ends with what was imported, or with the problem list to download and
nothing saved. The stashed upload is removed either way."""

from __future__ import annotations

from io import BytesIO

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from renda.core.models import Job
from renda.deputies.models import Deputy
from tests.deputies.test_imports import good_rows, snapshot, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_limit(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # any real roster is over this, so the test files go to the worker
    monkeypatch.setattr("renda.deputies.views.IN_REQUEST_BYTES", 1024)


def stashed() -> list[str]:
    if not default_storage.exists("jobs/imports"):
        return []
    return default_storage.listdir("jobs/imports")[1]


def post(client, user, data: bytes):
    client.force_login(user)
    upload = SimpleUploadedFile("名册.xlsx", data)
    return client.post(reverse("deputies:import"), {"file": upload}, follow=True)


def test_a_large_roster_is_imported_by_the_worker(client, personas, org):
    response = post(client, personas.staff, workbook(good_rows()))
    job = Job.objects.get(user=personas.staff)
    assert response.redirect_chain[-1][0] == reverse("job", args=[job.pk])
    assert (job.kind, job.title, job.status) == ("deputies.import_roster", "导入代表名册", "done")
    assert job.message == "已导入代表资格 4 个：新增代表 3 人，为名册中已有的 0 位代表增加了资格。"
    html = response.content.decode()
    assert job.message in html and "job-download" not in html
    assert Deputy.objects.filter(full_name="李建国").exists()
    assert stashed() == []


def test_a_large_roster_with_problems_offers_the_list_and_saves_nothing(client, personas, org):
    rows = good_rows()
    rows[3][15] = "二〇二二年"
    before = snapshot()
    response = post(client, personas.staff, workbook(rows))
    job = Job.objects.get(user=personas.staff)
    assert job.message == "未导入任何数据：发现 1 处问题，请下载问题清单，改正后重新导入。"
    assert "job-download" in response.content.decode()
    download = client.get(reverse("job_download", args=[job.pk]))
    sheet = openpyxl.load_workbook(BytesIO(b"".join(download.streaming_content))).active
    assert list(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("行", "列", "问题"),
        (6, "当选日期", "“二〇二二年”不是有效的日期（如 2022-01-06）"),
    ]
    assert snapshot() == before
    assert stashed() == []


def test_a_small_file_is_still_imported_in_the_request(client, personas, org, monkeypatch):
    monkeypatch.setattr("renda.deputies.views.IN_REQUEST_BYTES", 10 * 1024 * 1024)
    response = post(client, personas.staff, workbook(good_rows()))
    assert response.redirect_chain[-1][0] == reverse("deputies:list")
    assert not Job.objects.exists()
