"""Who may do what in international cooperation: every role against every page, and against
each change (officers of the owning unit edit, managers edit everything and alone approve
agreements); nothing changes when refused."""

import pytest
from django.urls import reverse

from innohub.cooperation import workflows
from innohub.cooperation.models import Action, Agreement, Direction, Participant
from innohub.cooperation.tests.factories import ActionFactory, AgreementFactory
from innohub.core.roles import Role
from innohub.directory.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

STAFF = {Role.OFFICER, Role.MANAGER, Role.ADMINISTRATOR}


@pytest.fixture
def records(users, direction, unit, partner):
    action = ActionFactory(direction=direction, owner=users["officer"])
    agreement = AgreementFactory(unit=unit)
    agreement.partners.add(partner)
    return {"action": action, "agreement": agreement, "meeting": direction.meeting, "partner": partner}


PAGES = [
    ("cooperation:partners", None), ("cooperation:partner-create", None), ("cooperation:partner", "partner"),
    ("cooperation:agenda", "partner"), ("cooperation:meeting-create", None), ("cooperation:meeting", "meeting"),
    ("cooperation:action", "action"), ("cooperation:board", None), ("cooperation:agreements", None),
    ("cooperation:agreement", "agreement"), ("cooperation:dashboard", None), ("cooperation:visit-create", None),
]


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize(("name", "obj"), PAGES)
def test_only_staff_open_the_cooperation_pages(client_for, records, role, name, obj):
    url = reverse(name, args=[records[obj].pk] if obj else [])
    response = client_for(role).get(url)
    assert response.status_code == (200 if role in STAFF else 403)


def test_anonymous_visitors_are_sent_to_log_in(client, records):
    response = client.get(reverse("cooperation:board"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(("who", "allowed"), [
    ("officer", True), ("manager", True), ("administrator", True), ("other", False), ("reviewer", False), ("applicant", False),
])
def test_officers_of_the_owning_unit_and_managers_edit_others_do_not(client_for, client, users, other_officer, records, who, allowed):
    if who == "other":
        client.force_login(other_officer)
        c = client
    else:
        c = client_for(who)
    meeting, action = records["meeting"], records["action"]
    person = PersonFactory()
    before = (Participant.objects.count(), Direction.objects.count(), Action.objects.get(pk=action.pk).state)
    c.post(reverse("cooperation:participant-add", args=[meeting.pk]), {"person": person.pk, "side": "partner"})
    c.post(reverse("cooperation:direction-add", args=[meeting.pk]), {"text": "Hướng mới", "unit": meeting.unit.pk})
    c.post(reverse("cooperation:action-transition", args=[action.pk]), {"code": "agree"})
    after = (Participant.objects.count(), Direction.objects.count(), Action.objects.get(pk=action.pk).state)
    if allowed:
        assert after == (before[0] + 1, before[1] + 1, "agreed")
    else:
        assert after == before


@pytest.mark.parametrize(("role", "allowed"), [("officer", False), ("manager", True), ("administrator", True)])
def test_only_managers_approve_agreements(client_for, records, role, allowed):
    agreement = records["agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(state="awaiting_approval", signed_on="2026-11-01")
    client_for(role).post(reverse("cooperation:agreement-transition", args=[agreement.pk]), {"code": "approve"})
    agreement.refresh_from_db()
    assert workflows.AGREEMENT_SPEC.has_flag(agreement.state, "in_force") is allowed
