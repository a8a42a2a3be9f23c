"""The events API: public events, registration (one person, a delegation, refusals), the
certificate check; staff operations with the pages' checks."""

import pytest
from django.test import Client

from innohub.events import services
from innohub.events.codes import checkin_code
from innohub.events.models import CheckIn, Registration
from innohub.events.tests.factories import EventFactory
from innohub.events.workflows import has_flag

pytestmark = pytest.mark.django_db


def body(*people, **kw):
    return {"attendees": [{"name": n, "email": e} for n, e in people], "consent": True, **kw}


def test_public_events_and_one_event():
    event = EventFactory(title="Hội thảo AI", capacity=5)
    client = Client()
    data = client.get("/api/v1/events/events").json()
    assert data["count"] == 1 and data["items"][0]["slug"] == event.slug and data["items"][0]["seats_left"] == 5
    assert client.get(f"/api/v1/events/events/{event.slug}").json()["title"] == "Hội thảo AI"
    assert client.get("/api/v1/events/events/khong-co").status_code == 404


def test_register_over_the_api_then_waiting_list_then_duplicate_refused():
    event = EventFactory(capacity=1)
    client = Client()
    first = client.post(f"/api/v1/events/events/{event.slug}/registrations", body(("Lan", "lan@example.vn")), content_type="application/json")
    assert first.status_code == 201 and first.json()[0]["state"] == "confirmed" and "/events/r/" in first.json()[0]["link"]
    group = client.post(f"/api/v1/events/events/{event.slug}/registrations",
                        body(("Kim", "kim@example.kr"), ("Park", "park@example.kr"), contact_name="Trưởng đoàn"), content_type="application/json")
    assert group.status_code == 201 and [r["waiting_position"] for r in group.json()] == [1, 2]
    duplicate = client.post(f"/api/v1/events/events/{event.slug}/registrations", body(("Lan 2", "LAN@example.vn")), content_type="application/json")
    assert duplicate.status_code == 409
    bad = client.post(f"/api/v1/events/events/{event.slug}/registrations", body(("", "x")), content_type="application/json")
    assert bad.status_code == 400
    assert Registration.objects.count() == 3


def test_staff_operations_need_staff(client_for):
    event = EventFactory(moderated=True, capacity=3)
    registration = services.registration_create(event=event, attendee=services.Attendee(name="Lan", email="lan@example.vn"))
    visitor, officer = client_for("visitor"), client_for("officer")
    assert visitor.get(f"/api/v1/events/manage/events/{event.pk}/registrations").status_code == 403
    assert visitor.post(f"/api/v1/events/manage/registrations/{registration.pk}/approve").status_code == 403
    assert has_flag(Registration.objects.get(pk=registration.pk).state, "awaiting_approval")
    assert officer.get(f"/api/v1/events/manage/events/{event.pk}/registrations").json()["count"] == 1
    refused = officer.post(f"/api/v1/events/manage/registrations/{registration.pk}/refuse", {"reason": ""}, content_type="application/json")
    assert refused.status_code == 400
    approved = officer.post(f"/api/v1/events/manage/registrations/{registration.pk}/approve")
    assert approved.status_code == 200 and approved.json()["state"] == "confirmed"


def test_check_in_and_certificates_over_the_api(client_for):
    event = EventFactory(issues_certificates=True)
    registration = services.registration_create(event=event, attendee=services.Attendee(name="Lan", email="lan@example.vn"))
    officer, manager = client_for("officer"), client_for("manager")
    url = f"/api/v1/events/manage/events/{event.pk}/checkins"
    assert officer.post(url, {"code": checkin_code(registration)}, content_type="application/json").json()["status"] == "checked_in"
    assert officer.post(url, {"code": checkin_code(registration)}, content_type="application/json").json()["status"] == "already"
    assert officer.post(url, {"code": "IHEV:1.2.x:forged"}, content_type="application/json").json()["status"] == "forged"
    assert client_for("applicant").post(url, {"code": checkin_code(registration)}, content_type="application/json").status_code == 403
    assert CheckIn.objects.count() == 1
    [cert] = officer.post(f"/api/v1/events/manage/events/{event.pk}/certificates").json()
    assert Client().get(f"/api/v1/events/certificates/{cert['number']}").json()["status"] == "genuine"
    assert officer.post(f"/api/v1/events/manage/certificates/{cert['number']}/revoke", {"reason": "x"}, content_type="application/json").status_code == 403
    revoked = manager.post(f"/api/v1/events/manage/certificates/{cert['number']}/revoke", {"reason": "Sai"}, content_type="application/json")
    assert revoked.json()["status"] == "revoked"
    assert Client().get("/api/v1/events/certificates/SKHCN-0000-NOPE").status_code == 404
