"""Background tasks of the core: they take ids and call the core's functions."""

from django_tasks import task


@task()
def send_notification_emails_task(ids: list[int]) -> int:
    from renda.core.notifications import send_notification_emails

    return send_notification_emails(ids)


@task()
def run_job_task(job_id: int) -> str:
    from renda.core.jobs import run_job

    return run_job(job_id)
