"""Long work in the background (DESIGN: imports and big exports run in the worker with a progress
bar). An app registers a job kind: a function that takes the job's user and params and a
`progress(done, total)` callback and returns (file bytes, file name), or (file bytes, file
name, message) when the outcome needs words (an import: what it did, or that a problem list
is to download); empty bytes: no file. `start_job` records the job
and hands it to the task queue; the page polls its progress and offers the file when done."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from renda.core.errors import DomainError
from renda.core.models import Job, User

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
JobFunction = Callable[..., tuple[bytes, str] | tuple[bytes, str, str]]
_kinds: dict[str, JobFunction] = {}

# Finished jobs' files are kept this long, then removed by the tick.
KEEP_DAYS = 7


def job_kind(name: str) -> Callable[[JobFunction], JobFunction]:
    def decorator(func: JobFunction) -> JobFunction:
        _kinds[name] = func
        return func

    return decorator


def start_job(*, user: User, kind: str, title: str, params: dict, back_url: str = "") -> Job:
    if kind not in _kinds:
        raise DomainError("unknown_job", f"未知的后台任务：{kind}")
    job = Job.objects.create(
        user=user, kind=kind, title=title[:200], params=params, back_url=back_url[:300]
    )
    from renda.core.tasks import run_job_task

    run_job_task.enqueue(job.pk)
    return job


def _progress_reporter(job: Job) -> Progress:
    last = {"value": -1}

    def report(done: int, total: int) -> None:
        value = min(99, int(done * 100 / total)) if total else 0
        if value >= last["value"] + 5:  # at most about twenty writes per job
            last["value"] = value
            Job.objects.filter(pk=job.pk).update(progress=value)

    return report


def run_job(job_id: int) -> str:
    """Run one job (called by the worker's task). A failure is recorded on the job with a
    Chinese message; the worker itself never stops on it."""
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    job = Job.objects.select_related("user").get(pk=job_id)
    try:
        content, filename, *said = _kinds[job.kind](
            user=job.user, params=job.params, progress=_progress_reporter(job)
        )
    except DomainError as error:
        _finish(job, status=Job.Status.FAILED, message=error.message)
        return "failed"
    except Exception:  # the job fails visibly; the worker goes on
        logger.exception("job %s failed", job.pk)
        _finish(job, status=Job.Status.FAILED, message="任务出错，请稍后重试或联系管理员。")
        return "failed"
    if content:
        name = f"{job.pk}-{timezone.now():%Y%m%d%H%M%S}"
        job.file.save(name, ContentFile(content), save=False)
        job.filename = filename
    _finish(job, status=Job.Status.DONE, message=said[0] if said else "")
    return "done"


def _finish(job: Job, *, status: str, message: str) -> None:
    job.status = status
    job.message = message[:300]
    job.progress = 100 if status == Job.Status.DONE else job.progress
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "progress", "file", "filename", "finished_at"])


def remove_old_jobs(now) -> int:
    old = Job.objects.filter(finished_at__lt=now - timedelta(days=KEEP_DAYS))
    for name in old.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    count, _ = old.delete()
    return count
