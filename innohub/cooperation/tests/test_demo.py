"""The demo data: the two visits of the seed articles, their directions, actions in every
state with exactly one overdue, a study tour and agreements; loading twice adds nothing."""

import pytest
from django.utils import timezone

from innohub.cooperation import demo, workflows
from innohub.cooperation.models import Action, Agreement, Meeting, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_records_the_victoria_and_ial_visits_once():
    from innohub.accounts import demo as accounts_demo
    from innohub.directory import demo as directory_demo

    directory_demo.seed(startups=2)
    accounts_demo.seed()
    summary = demo.seed()
    assert summary["meetings"] == 4  # Victoria, IAL, UTS on the study tour, Griffith (the flood-sensor task's origin)
    assert Action.objects.filter(direction__meeting__partner__organisation__slug="griffith", state="done").exists()
    victoria = Meeting.objects.get(held_on="2024-10-24")
    assert victoria.partner.organisation.slug == "victoria"
    assert victoria.directions.filter(text__startswith="Kết nối ba nhà").exists()
    assert Meeting.objects.get(held_on="2024-10-25").partner.organisation.slug == "ial-suss"
    assert {p.person.full_name for p in victoria.participants.all()} == {"Nguyễn Việt Dũng", "Lê Thanh Minh"}
    today = timezone.localdate()
    open_states = workflows.action_states_with("open")
    assert Action.objects.filter(state__in=open_states, due_date__lt=today).count() == 1
    assert Action.objects.filter(state__in=workflows.action_states_with("done")).count() >= 2
    assert Action.objects.filter(state="in_progress").exists()
    assert Visit.objects.filter(direction="outgoing").exists() and Agreement.objects.count() == 2
    assert demo.seed() == {"meetings": 0}
