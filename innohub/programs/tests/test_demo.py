"""The demo data loads, holds the money rules and loads only once."""

import pytest

from innohub.accounts import demo as accounts_demo
from innohub.directory import demo as directory_demo
from innohub.programs import demo, selectors
from innohub.programs.models import Application, Award, Call, Cohort

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_consistent():
    directory_demo.seed()
    accounts_demo.seed()
    first = demo.seed()
    assert first["calls"] == 3 and first["applications"] >= 15
    assert demo.seed() == {"calls": 0, "applications": 0}
    assert Call.objects.count() == 3
    assert selectors.call_list_open().filter(programme__stage="pre_incubation").exists()
    founder_apps = Application.objects.filter(organisation__memberships__user__username="founder")
    assert founder_apps.filter(state="draft").exists()
    for call in Call.objects.all():
        assert call.awarded_total == sum(call.awards.values_list("amount", flat=True)) <= call.budget
    for award in Award.objects.all():
        assert award.disbursed_total == sum(award.disbursements.values_list("amount", flat=True))
    assert set(Application.objects.values_list("state", flat=True)) >= {"draft", "submitted", "returned", "under_review", "ranked", "approved", "contracted", "in_progress", "completed"}
    assert Cohort.objects.count() >= 1


def test_demo_payments_are_dated_in_the_past_and_paid_milestones_were_due():
    import datetime as dt

    from django.utils import timezone

    from innohub.programs.models import Disbursement

    directory_demo.seed()
    accounts_demo.seed()
    demo.seed()
    today = timezone.localdate()
    payments = list(Disbursement.objects.select_related("tranche__milestone"))
    assert payments and all(p.paid_on <= today for p in payments)
    if today >= dt.date(2026, 12, 1):  # the story's date: every paid milestone fell due before its payment
        assert all(p.tranche.milestone.due_on <= p.paid_on for p in payments)


def test_each_demo_application_has_the_history_that_brought_it_to_its_state():
    """Each application's history, oldest first, is a walk of its workflow from the draft to
    the state it is in: every step allowed from where the one before left it, by a role the
    step allows, none dated after now or before the one before."""
    from django.utils import timezone

    from innohub.accounts.models import User
    from innohub.activity.selectors import event_history
    from innohub.programs.workflows import spec_for

    directory_demo.seed()
    accounts_demo.seed()
    demo.seed()
    officer = User.objects.get(username="officer")
    applications = list(Application.objects.select_related("call__workflow"))
    assert len(applications) >= 15
    for application in applications:
        events = event_history(user=officer, target=application, shown=50).events[::-1]
        assert events[0].action == "application.started"
        spec, state = spec_for(application.call.workflow), "draft"
        for event in events[1:]:
            step = spec.transitions[event.action.removeprefix("application.")]
            assert state in step.source, (application.state, event.action)
            role = "member" if event.actor == application.created_by and "member" in step.roles else event.actor.role
            assert role in {*step.roles, *step.user_roles()}, (event.action, role)  # groups ("staff") name core.roles
            state = step.target
        assert state == application.state
        times = [e.created_at for e in events]
        assert times == sorted(times) and times[-1] <= timezone.now()
