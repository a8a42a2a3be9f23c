"""Background work of the activity app: e-mailing notifications. Tasks take ids, call
services and are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from innohub.activity import services


@task(queue_name="email")  # only e-mails: their own queue (settings.TASK_QUEUES)
def deliver_notification_email(notification_id: int) -> bool:
    """E-mail one notification; a second run finds it already sent and does nothing."""
    return services.notification_email_deliver(notification_id=notification_id)
