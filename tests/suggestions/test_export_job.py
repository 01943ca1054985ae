"""A big export goes to the worker: the page redirects to the job, whose file holds exactly the
rows the list shows."""

from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse

from renda.core.models import Job
from renda.suggestions import views

pytestmark = pytest.mark.django_db


def sheet_titles(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if "标题" in row)
    column = rows[header].index("标题")
    return [row[column] for row in rows[header + 1 :] if row[column]]


def test_big_export_runs_as_a_job(client, world, monkeypatch):
    monkeypatch.setattr(views, "EXPORT_IN_REQUEST", 2)
    for n in range(3):
        world.submitted(title=f"关于第{n}号停车问题的建议")
    world.submitted(title="关于学校周边交通的建议", content="学校周边上下学时段交通拥堵。")
    client.force_login(world.p.staff)
    response = client.get(reverse("suggestions:export"), {"q": "停车"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.status == Job.Status.DONE and job.title == "导出代表建议（3 件）"
    download = client.get(reverse("job_download", args=[job.pk]))
    titles = sheet_titles(b"".join(download.streaming_content))
    assert sorted(titles) == sorted(f"关于第{n}号停车问题的建议" for n in range(3))


def test_small_export_is_written_in_the_request(client, world):
    world.submitted()
    client.force_login(world.p.staff)
    response = client.get(reverse("suggestions:export"))
    assert response.status_code == 200 and not Job.objects.exists()
    assert sheet_titles(response.content) == ["关于解决老旧小区停车难的建议"]
