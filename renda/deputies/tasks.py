"""The deputies' background jobs: a large roster import runs in the worker (renda/core/jobs.py),
the office following it on the job page."""

from __future__ import annotations

from renda.core.imports import job_outcome, take_stash
from renda.core.jobs import Progress, job_kind
from renda.deputies import imports

IMPORT_ROSTER = "deputies.import_roster"


def imported(result: imports.ImportResult) -> str:
    return (
        f"已导入代表资格 {result.mandates} 个：新增代表 {result.people} 人，"
        f"为名册中已有的 {result.existing} 位代表增加了资格。"
    )


@job_kind(IMPORT_ROSTER)
def import_roster_job(*, user, params: dict, progress: Progress) -> tuple[bytes, str, str]:
    data = take_stash(params["path"])
    progress(1, 2)  # read: the import itself is one transaction
    result = imports.import_roster(acting_user=user, data=data)
    return job_outcome(result, imported(result))
