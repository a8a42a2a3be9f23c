"""Every role against every page and endpoint of the programmes; nothing changes when refused.

A refusal is a redirect to log in (pages) or 401 (API) for anonymous visitors, 403 for a
wrong role, and 404 where the object exists but the user may not know it does (another
organisation's application, another reviewer's review).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from innohub.activity.models import Event
from innohub.core.roles import Role
from innohub.programs.models import Application, Award, Review

from .factories import ApplicationFactory, CallFactory, reviewer

pytestmark = pytest.mark.django_db

ROLES = [None, *[r.value for r in Role]]
EVERYONE = set(ROLES)
LOGGED_IN = {r.value for r in Role}
STAFF = {"officer", "manager", "administrator"}
BACKOFFICE = STAFF | {"reviewer"}
MANAGERS = {"manager", "administrator"}


@pytest.fixture
def world(users):
    call = CallFactory()
    application = ApplicationFactory(call=call, state="ranked")
    review = Review.objects.create(application=ApplicationFactory(call=call, state="under_review"), reviewer=reviewer())
    return {"call": call, "application": application, "review": review}


def _client(users, role):
    c = Client()
    if role:
        c.force_login(users[role])
    return c


# (path template, roles allowed, status for a logged-in user who is refused)
PAGES = [
    ("/programs/", EVERYONE, None),
    ("/en/programs/", EVERYONE, None),
    ("/programs/calls/{call}/", EVERYONE, None),
    ("/programs/my/", {"applicant"}, 403),
    ("/programs/reviews/", BACKOFFICE, 403),
    ("/programs/reviews/{review}/", STAFF, {"reviewer": 404, "*": 403}),  # staff read it; another reviewer cannot know it exists
    ("/programs/applications/{application}/", STAFF, 404),
    ("/programs/applications/{application}/edit/", set(), 404),
    ("/programs/staff/applications/", STAFF, 403),
    ("/programs/staff/calls/", STAFF, 403),
    ("/programs/staff/calls/{call}/", STAFF, 403),
    ("/programs/staff/calls/{call}/export.csv", STAFF, 403),
    ("/programs/staff/calls/{call}/export.xlsx", STAFF, 403),
    ("/programs/staff/stages/incubation/", STAFF, 403),
    ("/programs/staff/stages/incubation/export.xlsx", STAFF, 403),
    ("/programs/staff/disbursements/", STAFF, 403),
]

ENDPOINTS = [
    ("get", "/api/v1/programs/stages", EVERYONE, None),
    ("get", "/api/v1/programs/calls", LOGGED_IN, None),
    ("get", "/api/v1/programs/calls/{call}", LOGGED_IN, None),
    ("get", "/api/v1/programs/applications", STAFF | {"reviewer", "applicant"}, 403),
    ("get", "/api/v1/programs/applications/{application}", STAFF, 404),
    ("get", "/api/v1/programs/applications/{application}/eligibility", STAFF, 404),
    ("get", "/api/v1/programs/applications/{application}/messages", STAFF, 404),
    ("get", "/api/v1/programs/reviews", BACKOFFICE, 403),
    ("get", "/api/v1/programs/calls/{call}/ranking", STAFF, 403),
    ("get", "/api/v1/programs/calls/{call}/dashboard", STAFF, 403),
    ("get", "/api/v1/programs/disbursements", STAFF, 403),
]


def _fill(path, world):
    return path.format(call=world["call"].pk, application=world["application"].pk, review=world["review"].pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed", "refused"), PAGES)
def test_page_matrix(users, world, role, path, allowed, refused):
    events = Event.objects.count()
    response = _client(users, role).get(_fill(path, world))
    if role in allowed:
        assert response.status_code == 200, (role, path, response.status_code)
    elif role is None:
        assert response.status_code == 302 and "login" in response["Location"]
    elif path.endswith("/edit/") and role in STAFF:
        assert response.status_code == 403  # staff see the application but never edit it for the startup
    else:
        expected = refused.get(role, refused["*"]) if isinstance(refused, dict) else refused
        assert response.status_code == expected, (role, path, response.status_code)
    assert Event.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed", "refused"), ENDPOINTS)
def test_api_matrix(users, world, role, method, path, allowed, refused):
    response = getattr(_client(users, role), method)(_fill(path, world))
    if role in allowed:
        assert response.status_code == 200, (role, path, response.status_code)
    else:
        assert response.status_code == (401 if role is None else refused), (role, path, response.status_code)
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", ROLES)
def test_only_managers_approve_and_refusals_change_nothing(users, world, role):
    application = world["application"]
    events = Event.objects.count()
    page = _client(users, role).post(f"/programs/applications/{application.pk}/decide/approve/", {
        "amount": "30.000.000", "number": "12/QĐ-SKHCN", "signed_on": "2026-11-20", "signer": "Giám đốc Sở", "confirm": "on",
        "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4 qd\n%%EOF\n")})
    application.refresh_from_db()
    if role in MANAGERS:
        assert page.status_code == 302 and application.state == "approved" and Award.objects.count() == 1
        assert application.records.get().number == "12/QĐ-SKHCN"
        return
    expected = 302 if role is None else (403 if role in STAFF else 404)
    assert page.status_code == expected
    api = _client(users, role).post(f"/api/v1/programs/applications/{application.pk}/transitions",
                                    json.dumps({"transition": "approve"}), content_type="application/json")
    assert api.status_code == (401 if role is None else expected)
    application.refresh_from_db()
    assert application.state == "ranked" and not Award.objects.exists() and Event.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["assign", "rank"])
def test_only_staff_assign_and_rank(users, world, role, action):
    import datetime as dt

    from django.utils import timezone

    call = world["call"]
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)  # ranking waits for the call to close
    call.save(update_fields=["closes_at"])
    reviews = set(Review.objects.values_list("id", "state"))
    # the world's second application is not fully scored: ranking asks to confirm
    page = _client(users, role).post(f"/programs/staff/calls/{call.pk}/", {"action": action, "confirm": "1"})
    api = _client(users, role).post(f"/api/v1/programs/calls/{call.pk}/{action}" + ("?confirm=true" if action == "rank" else ""))
    if role in STAFF:
        assert page.status_code == 302 and api.status_code == 200
        return
    assert page.status_code == (302 if role is None else 403)
    assert api.status_code == (401 if role is None else 403)
    assert set(Review.objects.values_list("id", "state")) == reviews
    assert Application.objects.filter(state="ranked").count() == 1


@pytest.fixture
def assigned(users):
    """A contracted application the demo reviewer scored, with a decision message, an award and a payment."""
    import datetime as dt

    from innohub.accounts.tests.factories import MembershipFactory
    from innohub.programs.models import Disbursement, Message, Milestone, Tranche

    from .factories import AwardFactory

    application = ApplicationFactory(state="contracted", answers={"summary": "Cảm biến đo độ mặn", "innovation": "Mới"},
                                     decision_reason="Phê duyệt hỗ trợ có điều kiện")
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    Review.objects.create(application=application, reviewer=users["reviewer"], state=Review.State.SUBMITTED, scores={})
    Message.objects.create(application=application, author=users["manager"], kind=Message.Kind.DECISION, body="Phê duyệt hỗ trợ có điều kiện")
    award = AwardFactory(application=application, amount=29_000_000, disbursed_total=14_500_000)
    milestone = Milestone.objects.create(award=award, title="Mẫu thử đạt chuẩn", due_on=dt.date(2026, 9, 27), state=Milestone.State.MET)
    tranche = Tranche.objects.create(award=award, milestone=milestone, amount=14_500_000)
    Disbursement.objects.create(award=award, tranche=tranche, amount=14_500_000, key="UNC-1", paid_on=dt.date(2026, 10, 1), recorded_by=users["officer"])
    return application


SEE_CORRESPONDENCE = STAFF | {"applicant"}  # the startup's member and the department; not the reviewer


@pytest.mark.parametrize("role", ROLES)
def test_only_the_startup_and_staff_see_the_thread_award_and_payments(users, assigned, role):
    events = Event.objects.count()
    client = _client(users, role)
    page = client.get(f"/programs/applications/{assigned.pk}/")
    messages = client.get(f"/api/v1/programs/applications/{assigned.pk}/messages")
    milestones = client.get(f"/api/v1/programs/applications/{assigned.pk}/milestones")
    detail = client.get(f"/api/v1/programs/applications/{assigned.pk}")
    if role in SEE_CORRESPONDENCE:
        body = page.content.decode()
        assert page.status_code == 200
        assert "Phê duyệt hỗ trợ có điều kiện" in body and "29.000.000" in body and "14.500.000" in body and "Mẫu thử đạt chuẩn" in body
        assert [m["body"] for m in messages.json()["items"]] == ["Phê duyệt hỗ trợ có điều kiện"]
        assert [m["title"] for m in milestones.json()["items"]] == ["Mẫu thử đạt chuẩn"]
    elif role == "reviewer":
        body = page.content.decode()
        assert page.status_code == 200 and "Cảm biến đo độ mặn" in body  # what they score is there
        assert "Phê duyệt hỗ trợ có điều kiện" not in body and "29.000.000" not in body and "14.500.000" not in body
        assert "Mẫu thử đạt chuẩn" not in body and 'id="thread-title"' not in body and 'id="award-title"' not in body
        assert messages.status_code == 200 and messages.json()["items"] == []
        assert milestones.status_code == 200 and milestones.json()["items"] == []
        assert detail.status_code == 200 and detail.json()["decision_reason"] == ""
    else:
        assert page.status_code == (302 if role is None else 404)
        assert messages.status_code == (401 if role is None else 404)
    assert Event.objects.count() == events
