"""Background tasks of the core: they take ids and call the core's functions."""

from django_tasks import task


@task()
def send_notification_emails_task(ids: list[int]) -> int:
    from renda.core.notifications import send_notification_emails

    return send_notification_emails(ids)
