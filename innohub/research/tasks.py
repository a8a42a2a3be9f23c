"""Background work of research: reminders of milestones falling due, counted in working days
(`core.calendar`). Tasks take ids (or nothing), call services and are safe to run twice: a
milestone is reminded at most once a day (`services.milestone_remind`)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from innohub.research import services


@task()
def remind_milestone(milestone_id: int) -> bool:
    return services.milestone_remind(milestone_id=milestone_id)


@task()
def remind_due_milestones() -> int:
    """Queue one reminder per milestone due within five working days (run daily)."""
    ids = services.milestones_to_remind(today=timezone.localdate())
    for pk in ids:
        remind_milestone.enqueue(milestone_id=pk)
    return len(ids)
