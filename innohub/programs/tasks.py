"""Background work of the programmes app: reminders of overdue milestones.

Tasks take ids (or nothing) and are safe to run twice: a milestone is reminded at most
once a day (`reminded_on`), so a second run the same day sends nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from innohub.activity.services import event_record, notification_send
from innohub.programs.models import Milestone
from innohub.programs.selectors import states_q


@task()
def remind_overdue_milestone(milestone_id: int) -> bool:
    today = timezone.localdate()
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("award__application")
            .filter(pk=milestone_id, due_on__lt=today, state__in=[Milestone.State.PENDING, Milestone.State.MISSED])
            .first()
        )
        if milestone is None or milestone.reminded_on == today:
            return False
        from innohub.accounts.models import User

        members = User.objects.filter(memberships__organisation_id=milestone.award.organisation_id, is_active=True)
        notification_send(
            recipients=members,
            message="programs.milestone_overdue",
            params={"title": milestone.title, "date": milestone.due_on},
            url=reverse("programs:application-detail", kwargs={"pk": milestone.award.application_id}),
        )
        milestone.reminded_on = today
        milestone.save(update_fields=["reminded_on"])
        event_record(actor=None, action="milestone.reminded", target=milestone, after={"due_on": milestone.due_on, "reminded_on": today})
    return True


@task()
def remind_overdue_milestones() -> int:
    """Queue one reminder per overdue milestone not yet reminded today (run daily)."""
    today = timezone.localdate()
    ids = list(
        Milestone.objects.filter(
            due_on__lt=today,
            state__in=[Milestone.State.PENDING, Milestone.State.MISSED],
        )
        .filter(states_q("under_contract", prefix="award__application__"))
        .exclude(reminded_on=today)
        .values_list("id", flat=True)
    )
    for pk in ids:
        remind_overdue_milestone.enqueue(milestone_id=pk)
    return len(ids)
