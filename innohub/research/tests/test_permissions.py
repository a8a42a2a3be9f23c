"""Every role against research's staff pages, actions and API: refused means a redirect to
log in, 401 or 403, and nothing changed."""

import pytest
from django.test import Client

from innohub.activity.models import Event
from innohub.core.roles import Role
from innohub.research import services
from innohub.research.models import Task
from innohub.research.tests.factories import OfferFactory, TaskFactory

pytestmark = pytest.mark.django_db

ROLES = [None, *[r.value for r in Role]]
STAFF = {"officer", "manager", "administrator"}
MANAGERS = {"manager", "administrator"}


def _client(users, role):
    c = Client()
    if role:
        c.force_login(users[role])
    return c


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/research/tasks/", "/research/tasks/new/", "/research/tasks/{task}/", "/research/pipeline/",
                                  "/research/deals/", "/research/tasks/results.xlsx",
                                  "/research/offers/new/", "/research/needs/new/"])
def test_staff_pages(users, role, path):
    task = TaskFactory()
    status = _client(users, role).get(path.format(task=task.pk)).status_code
    if role is None:
        assert status == 302
    else:
        assert status == (200 if role in STAFF else 403)


@pytest.mark.parametrize("role", ROLES)
def test_public_pages(users, role):
    offer = OfferFactory()
    c = _client(users, role)
    assert c.get("/research/").status_code == 200
    assert c.get(f"/research/offers/{offer.pk}/").status_code == 200
    assert c.get("/research/needs/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("step", "allowed"), [("define", STAFF), ("assign_directly", MANAGERS)])
def test_workflow_steps_by_role(users, role, step, allowed):
    task = TaskFactory(state="proposed" if step == "define" else "defined")
    before_state, before_events = task.state, Event.objects.count()
    status = _client(users, role).post(f"/research/tasks/{task.pk}/step-{step}/").status_code
    task.refresh_from_db()
    if role in allowed:
        assert task.state != before_state
    else:
        assert status in (302, 403) and task.state == before_state and Event.objects.count() == before_events


@pytest.mark.parametrize("role", ROLES)
def test_api_staff_operations(users, role):
    task = TaskFactory()
    c = _client(users, role)
    listing = c.get("/api/v1/research/tasks")
    step = c.post(f"/api/v1/research/tasks/{task.pk}/steps", {"transition": "define"}, content_type="application/json")
    task.refresh_from_db()
    if role is None:
        assert listing.status_code == 401 and step.status_code == 401
    elif role in STAFF:
        assert listing.status_code == 200 and step.status_code == 200 and task.state == "defined"
    else:
        assert listing.status_code == 403 and step.status_code == 403 and task.state == "proposed"


def test_council_scoring_is_for_its_members_only(users, make_user):
    task = TaskFactory(state="selection_council")
    council = services.council_create(task=task, kind="selection", actor=users["officer"])
    for role in ROLES:
        c = _client(users, role)
        status = c.get(f"/research/councils/{council.pk}/").status_code
        assert status in (302, 403)
    assert Task.objects.get(pk=task.pk).state == "selection_council"
