"""Long work in the background: a job runs in the worker's task, reports progress, keeps its file
for its starter alone, and fails visibly without stopping anything."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from renda.core.errors import DomainError
from renda.core.jobs import _kinds, job_kind, remove_old_jobs, run_job, start_job
from renda.core.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds():
    seen: list[tuple] = []

    @job_kind("test.count")
    def count(*, user, params, progress):
        for n in range(1, 11):
            progress(n, 10)
            seen.append(Job.objects.get(user=user, kind="test.count").progress)
        return f"{user.username}:{params['n']}".encode(), "结果.txt"

    @job_kind("test.refuse")
    def refuse(*, user, params, progress):
        raise DomainError("bad", "导出条件不正确。")

    @job_kind("test.crash")
    def crash(*, user, params, progress):
        raise RuntimeError("boom")

    yield seen
    for name in ("test.count", "test.refuse", "test.crash"):
        _kinds.pop(name, None)


def test_a_job_runs_reports_progress_and_offers_its_file(client, personas, kinds):
    job = start_job(user=personas.staff, kind="test.count", title="导出", params={"n": 3})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.progress == 100
    assert job.filename == "结果.txt" and job.finished_at is not None
    assert kinds == sorted(kinds) and kinds[-1] == 99  # progress rose while it ran, never 100
    client.force_login(personas.staff)
    page = client.get(reverse("job", args=[job.pk])).content.decode()
    assert "已完成" in page and reverse("job_download", args=[job.pk]) in page
    response = client.get(reverse("job_download", args=[job.pk]))
    assert b"".join(response.streaming_content) == b"p_staff:3"
    assert "attachment" in response["Content-Disposition"]


def test_only_the_starter_sees_the_job(client, personas, kinds):
    job = start_job(user=personas.staff, kind="test.count", title="导出", params={"n": 1})
    client.force_login(personas.leader)
    for name in ("job", "job_status", "job_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_running_job_is_polled_until_it_finishes(client, personas):
    job = Job.objects.create(user=personas.staff, kind="test.count", title="导出", progress=40)
    client.force_login(personas.staff)
    html = client.get(reverse("job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize(
    ("kind", "message"),
    [("test.refuse", "导出条件不正确。"), ("test.crash", "任务出错，请稍后重试或联系管理员。")],
)
def test_a_failing_job_says_why(client, personas, kinds, kind, message):
    job = start_job(user=personas.staff, kind=kind, title="导出", params={})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == message and not job.file
    client.force_login(personas.staff)
    assert message in client.get(reverse("job", args=[job.pk])).content.decode()


def test_a_job_runs_once(personas, kinds):
    job = start_job(user=personas.staff, kind="test.count", title="导出", params={"n": 1})
    assert run_job(job.pk) == "skipped"  # already claimed and done


def test_unknown_kind_is_refused(personas):
    with pytest.raises(DomainError):
        start_job(user=personas.staff, kind="nope", title="x", params={})
    assert not Job.objects.exists()


def test_old_jobs_and_their_files_are_removed(personas, kinds):
    job = start_job(user=personas.staff, kind="test.count", title="导出", params={"n": 1})
    job.refresh_from_db()
    storage = job.file.storage
    name = job.file.name
    assert storage.exists(name)
    assert remove_old_jobs(timezone.now()) == 0
    assert remove_old_jobs(timezone.now() + timedelta(days=8)) == 1
    assert not Job.objects.exists() and not storage.exists(name)
