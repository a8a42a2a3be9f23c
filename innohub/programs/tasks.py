"""Background work of the programmes app: reminders of overdue milestones.

Tasks take ids (or nothing), call services and are safe to run twice: a milestone is
reminded at most once a day (`services.milestone_remind`), so a second run the same day
sends nothing.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from innohub.programs import selectors, services


@task()
def remind_overdue_milestone(milestone_id: int) -> bool:
    return services.milestone_remind(milestone_id=milestone_id)


@task()
def remind_overdue_milestones() -> int:
    """Queue one reminder per overdue milestone not yet reminded today (run daily)."""
    ids = selectors.milestones_to_remind(today=timezone.localdate())
    for pk in ids:
        remind_overdue_milestone.enqueue(milestone_id=pk)
    return len(ids)
