"""Background work of events: attendees' e-mails, and the reminder the day before."""

from __future__ import annotations

from django_tasks import task

from innohub.events import emails, services


@task(queue_name="email")  # only e-mails: their own queue (settings.TASK_QUEUES)
def email_attendee(registration_id: int, message: str) -> bool:
    return emails.attendee_email_send(registration_id=registration_id, message=message)


@task()
def remind_registrants() -> int:
    """Remind everyone with a place at an event starting tomorrow (once per registration)."""
    return services.reminders_send()
