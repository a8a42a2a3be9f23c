"""Background work of international cooperation: the daily reminders. Tasks take ids, call
services and are safe to run twice (each reminder stage is recorded once sent)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from innohub.cooperation import selectors, services


@task()
def remind_action(action_id: int) -> bool:
    return services.action_remind(action_id=action_id)


@task()
def remind_actions() -> int:
    """Queue a reminder check for each open action due soon or late (run daily:
    `manage.py send_reminders`); the service sends each stage once."""
    ids = selectors.actions_to_remind(today=timezone.localdate())
    for pk in ids:
        remind_action.enqueue(action_id=pk)
    return len(ids)


@task()
def remind_expiring_agreement(agreement_id: int) -> bool:
    return services.agreement_expiry_remind(agreement_id=agreement_id)


@task()
def remind_expiring_agreements() -> int:
    ids = selectors.agreements_to_remind(today=timezone.localdate(), days=services.EXPIRY_NOTICE_DAYS)
    for pk in ids:
        remind_expiring_agreement.enqueue(agreement_id=pk)
    return len(ids)
