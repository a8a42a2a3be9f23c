"""Events' pages: what a visitor, an attendee and staff see and can do."""

import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from innohub.events import services
from innohub.events.codes import attendee_token, checkin_code
from innohub.events.models import Certificate, CheckIn, Event, Registration
from innohub.events.tests.factories import (
    EventFactory,
    EventFormFactory,
    SeriesFactory,
    SessionFactory,
)
from innohub.events.workflows import has_flag

pytestmark = pytest.mark.django_db


def attendee(n=1, **kw):
    return services.Attendee(name=kw.get("name", f"Lê Văn {n}"), email=f"le{n}@example.vn", organisation_name="Sihub", consent_public=kw.get("consent", False))


def test_list_series_and_event_pages_show_published_events_in_the_readers_language(client):
    series = SeriesFactory(slug="whise-2026", title="WHISE 2026 – Tuần lễ", title_en="WHISE 2026 – Week")
    event = EventFactory(series=series, title="Hội thảo thành phố thông minh", title_en="Smart city workshop")
    EventFactory(title="Bản nháp bí mật", status=Event.Status.DRAFT)
    page = client.get(reverse("events:list")).content.decode()
    assert "Hội thảo thành phố thông minh" in page and "Bản nháp bí mật" not in page
    assert event.title in client.get(reverse("events:series", args=["whise-2026"])).content.decode()
    english = client.get("/en" + reverse("events:detail", args=[event.slug])).content.decode()
    assert "Smart city workshop" in english


def test_a_draft_is_hidden_from_the_public_but_previewed_by_staff(client, client_for):
    draft = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("events:detail", args=[draft.slug])).status_code == 404
    assert client_for("officer").get(reverse("events:detail", args=[draft.slug])).status_code == 200


def test_the_event_page_carries_schema_org_event_data(client):
    event = EventFactory(mode=Event.Mode.MIXED, online_url="https://meet.example.vn/x")
    html = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["offers"]["price"] == 0 and data["offers"]["priceCurrency"] == "VND"
    services.event_cancel(event=event, actor=_staff(), reason="Bão")
    html = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "EventCancelled" in html


def _staff():
    from innohub.accounts.tests.factories import UserFactory

    return UserFactory(role="officer")


def test_registering_on_the_page_opens_the_attendees_page_with_the_qr_code(client):
    event = EventFactory(capacity=5, registration_form=EventFormFactory())
    url = reverse("events:register", args=[event.slug])
    form = client.get(url).content.decode()
    assert "Chức vụ" in form  # the event's own form (forms engine)
    response = client.post(url, {"name": "Phan Thị Hồng", "email": "hong@example.vn", "participant_kind": "startup", "country": "VN",
                                 "answer_position": "CEO", "consent_public": "on", "consent": "on"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Phan Thị Hồng" in page and "<svg" in page
    registration = Registration.objects.get()
    assert registration.answers["position"] == "CEO" and registration.consent_public


def test_a_refused_registration_keeps_what_was_typed_and_says_why(client):
    event = EventFactory(capacity=5, registration_form=EventFormFactory())
    url = reverse("events:register", args=[event.slug])
    response = client.post(url, {"name": "Phan Thị Hồng", "email": "hong@example.vn", "participant_kind": "startup", "country": "VN"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phan Thị Hồng" in html and "error-summary" in html
    assert Registration.objects.count() == 0
    client.post(url, {"name": "Phan Thị Hồng", "email": "hong@example.vn", "participant_kind": "startup", "country": "VN", "answer_position": "CEO", "consent": "on"})
    again = client.post(url, {"name": "Phan Hồng", "email": "HONG@example.vn", "participant_kind": "startup", "country": "VN", "answer_position": "CTO", "consent": "on"})
    assert again.status_code == 400 and "hong@example.vn" in again.content.decode().lower()
    assert Registration.objects.count() == 1


def test_a_delegation_is_registered_on_one_page_each_member_named(client):
    event = EventFactory(capacity=10)
    url = reverse("events:register-group", args=[event.slug])
    response = client.post(url, {"contact_name": "Trưởng đoàn Kim", "contact_email": "kim@example.kr", "organisation_name": "KOTRA",
                                 "participant_kind": "partner", "country": "KR", "member_0_name": "Kim Ji-woo", "member_0_email": "jiwoo@example.kr",
                                 "member_1_name": "Park Min-jun", "member_1_email": "minjun@example.kr", "consent": "on"})
    assert response.status_code == 200
    assert "Kim Ji-woo" in response.content.decode() and "Park Min-jun" in response.content.decode()
    rows = list(Registration.objects.order_by("pk"))
    assert [r.name for r in rows] == ["Kim Ji-woo", "Park Min-jun"]
    assert all(r.registered_by_name == "Trưởng đoàn Kim" and r.country == "KR" for r in rows)


def test_a_delegation_member_without_email_is_asked_for_it_and_nothing_is_saved(client):
    event = EventFactory(capacity=10)
    response = client.post(reverse("events:register-group", args=[event.slug]), {
        "contact_name": "A", "contact_email": "a@example.vn", "organisation_name": "X", "participant_kind": "enterprise", "country": "VN",
        "member_0_name": "Kim", "member_0_email": "kim@example.vn", "member_1_name": "Park", "consent": "on"})
    assert response.status_code == 400 and Registration.objects.count() == 0
    assert "Park" in response.content.decode()


def test_the_attendee_cancels_by_their_link_and_the_first_waiting_is_promoted(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, attendee=attendee(1))
    second = services.registration_create(event=event, attendee=attendee(2))
    token = attendee_token(first)
    assert "Hủy đăng ký" in client.get(reverse("events:attendee", args=[token])).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:attendee-cancel", args=[token]))
    assert response.status_code == 302
    assert has_flag(Registration.objects.get(pk=first.pk).state, "cancelled")
    assert has_flag(Registration.objects.get(pk=second.pk).state, "confirmed")
    assert any(m.to == ["le2@example.vn"] for m in mail.outbox)


def test_a_forged_attendee_link_is_not_found(client):
    registration = services.registration_create(event=EventFactory(), attendee=attendee(1))
    token = attendee_token(registration)
    assert client.get(reverse("events:attendee", args=[token[:-2] + "xx"])).status_code == 404


def test_public_participants_list_only_those_who_agreed(client):
    event = EventFactory(capacity=10)
    services.registration_create(event=event, attendee=attendee(1, name="Người Đồng Ý", consent=True))
    services.registration_create(event=event, attendee=attendee(2, name="Người Kín Đáo", consent=False))
    html = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "Người Đồng Ý" in html and "Người Kín Đáo" not in html


def test_ics_download_and_the_feed(client):
    event = EventFactory(title="Hội nghị hai ngày")
    event.ends_at = event.starts_at + __import__("datetime").timedelta(days=1, hours=2)
    event.save()
    cancelled = EventFactory(title="Sự kiện bị hủy")
    services.event_cancel(event=cancelled, actor=_staff(), reason="Bão")
    ics = client.get(reverse("events:ics", args=[event.slug]))
    assert ics["Content-Type"].startswith("text/calendar")
    body = ics.content.decode()
    assert "BEGIN:VEVENT" in body and "DTSTART;VALUE=DATE:" in body
    feed = client.get(reverse("events:feed")).content.decode()
    assert "X-WR-CALNAME:" in feed and "STATUS:CANCELLED" in feed and "SEQUENCE:1" in feed


def test_certificate_verification_tells_genuine_revoked_and_unknown(client, users):
    event = EventFactory(issues_certificates=True)
    registration = services.registration_create(event=event, attendee=attendee(1))
    services.checkin_record(registration=registration, actor=users["officer"])
    [cert] = services.certificates_issue(event=event, actor=users["officer"])
    url = reverse("events:verify")
    genuine = client.get(url, {"number": cert.number.lower()})
    assert "Giấy chứng nhận hợp lệ" in genuine.content.decode() and registration.name in genuine.content.decode()
    services.certificate_revoke(certificate=cert, actor=users["manager"], reason="Sai")
    assert "Giấy chứng nhận đã bị thu hồi" in client.get(url, {"number": cert.number}).content.decode()
    unknown = client.get(url, {"number": "SKHCN-2026-NOTREAL1"})
    assert unknown.status_code == 404 and "Không có giấy chứng nhận" in unknown.content.decode()


def test_the_attendee_downloads_their_certificate_pdf(client, users):
    event = EventFactory(issues_certificates=True)
    registration = services.registration_create(event=event, attendee=attendee(1))
    services.checkin_record(registration=registration, actor=users["officer"])
    services.certificates_issue(event=event, actor=users["officer"])
    response = client.get(reverse("events:attendee-certificate", args=[attendee_token(registration)]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# -- staff ------------------------------------------------------------------------------------
@pytest.mark.parametrize("role, status", [("visitor", 403), ("applicant", 403), ("reviewer", 403), ("officer", 200), ("manager", 200)])
def test_staff_pages_are_for_staff(client_for, role, status):
    event = EventFactory()
    for name in ("events:staff-event", "events:registrations", "events:checkin", "events:report", "events:certificates"):
        assert client_for(role).get(reverse(name, args=[event.pk])).status_code == status


def test_staff_create_and_publish_an_event(client_for):
    officer = client_for("officer")
    response = officer.post(reverse("events:staff-new"), {
        "kind": "workshop", "title": "Hội thảo mới", "starts_at": "2030-03-02T08:00", "ends_at": "2030-03-02T11:00", "mode": "in_person",
        "place": "244 Điện Biên Phủ", "language": "vi", "required_share": "80"})
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Hội thảo mới")
    assert event.status == Event.Status.DRAFT
    officer.post(reverse("events:staff-publish", args=[event.pk]))
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


def test_an_event_ending_before_it_starts_is_refused(client_for):
    response = client_for("officer").post(reverse("events:staff-new"), {
        "kind": "workshop", "title": "Sai ngày", "starts_at": "2030-03-02T08:00", "ends_at": "2030-03-01T11:00", "mode": "in_person",
        "place": "X", "language": "vi", "required_share": "80"})
    assert response.status_code == 400 and not Event.objects.filter(title="Sai ngày").exists()


def test_registrations_list_search_paginate_and_export_with_privacy(client_for):
    event = EventFactory(capacity=None)
    for i in range(3):
        services.registration_create(event=event, attendee=attendee(i, name=f"Người {i}", consent=i == 0))
    officer = client_for("officer")
    page = officer.get(reverse("events:registrations", args=[event.pk]), {"q": "Người 1"}).content.decode()
    assert "Người 1" in page and "Người 2" not in page
    full = officer.get(reverse("events:registrations-export", args=[event.pk, "csv"])).content.decode("utf-8-sig")
    assert all(f"Người {i}" in full for i in range(3))
    public = officer.get(reverse("events:registrations-export", args=[event.pk, "csv"]), {"public": "1"}).content.decode("utf-8-sig")
    assert "Người 0" in public and "Người 1" not in public
    assert officer.get(reverse("events:registrations-export", args=[event.pk, "xlsx"])).status_code == 200


def test_staff_refuse_needs_a_reason_on_the_list(client_for):
    event = EventFactory(moderated=True)
    registration = services.registration_create(event=event, attendee=attendee(1))
    officer = client_for("officer")
    response = officer.post(reverse("events:registration-action", args=[registration.pk, "refuse"]), {"reason": ""}, follow=True)
    assert "lý do" in response.content.decode().lower()
    assert has_flag(Registration.objects.get(pk=registration.pk).state, "awaiting_approval")
    officer.post(reverse("events:registration-action", args=[registration.pk, "approve"]))
    assert has_flag(Registration.objects.get(pk=registration.pk).state, "confirmed")


def test_checkin_scan_endpoint_answers_each_case(client_for):
    event, other = EventFactory(), EventFactory()
    registration = services.registration_create(event=event, attendee=attendee(1))
    officer = client_for("officer")
    url = reverse("events:checkin-scan", args=[event.pk])
    assert officer.post(url, {"code": checkin_code(registration)}).json()["status"] == "checked_in"
    assert officer.post(url, {"code": checkin_code(registration)}).json()["status"] == "already"
    assert officer.post(url, {"code": checkin_code(registration)[:-1] + "x"}).json()["status"] == "forged"
    foreign = services.registration_create(event=other, attendee=attendee(2))
    assert officer.post(url, {"code": checkin_code(foreign)}).json()["status"] == "other_event"
    assert CheckIn.objects.count() == 1
    assert client_for("visitor").post(url, {"code": checkin_code(registration)}).status_code == 403


def test_checkin_search_by_name_without_accents_and_walk_in(client_for):
    event = EventFactory()
    services.registration_create(event=event, attendee=attendee(1, name="Nguyễn Thị Hương"))
    officer = client_for("officer")
    found = officer.get(reverse("events:checkin-search", args=[event.pk]), {"q": "nguyen thi huong"}).json()["results"]
    assert [r["name"] for r in found] == ["Nguyễn Thị Hương"]
    response = officer.post(reverse("events:walkin", args=[event.pk]), {"name": "Khách vãng lai", "email": "khach@example.vn",
                                                                         "participant_kind": "individual", "country": "VN"})
    assert response.status_code == 302
    assert has_flag(Registration.objects.get(email="khach@example.vn").state, "attended")


def test_course_checkin_per_session_and_report(client_for):
    course = EventFactory(kind=Event.Kind.COURSE, issues_certificates=True, required_share=50)
    s1, s2 = SessionFactory(event=course), SessionFactory(event=course)
    registration = services.registration_create(event=course, attendee=attendee(1))
    officer = client_for("officer")
    url = reverse("events:checkin-scan", args=[course.pk])
    assert officer.post(url, {"code": checkin_code(registration), "session": s1.pk}).json()["ok"]
    assert officer.post(url, {"code": checkin_code(registration), "session": s2.pk}).json()["ok"]
    assert CheckIn.objects.filter(registration=registration).count() == 2
    report = officer.get(reverse("events:report", args=[course.pk])).content.decode()
    assert "Việt Nam" in report
    officer.post(reverse("events:certificates", args=[course.pk]))
    assert Certificate.objects.filter(registration=registration).exists()
    assert officer.get(reverse("events:report-export", args=[course.pk, "xlsx"])).status_code == 200


def test_home_page_navigation_reaches_the_events(client):
    assert reverse("events:list") in Client().get("/").content.decode()


def test_a_courses_check_in_page_opens_on_the_session_under_way(client_for):
    from django.utils import timezone

    course = EventFactory(kind=Event.Kind.COURSE, starts_at=timezone.now() - __import__("datetime").timedelta(days=7),
                          ends_at=timezone.now() + __import__("datetime").timedelta(days=7))
    SessionFactory(event=course, starts_at=timezone.now() - __import__("datetime").timedelta(days=7))
    today = SessionFactory(event=course, title="Buổi hôm nay", starts_at=timezone.now() - __import__("datetime").timedelta(hours=1))
    registration = services.registration_create(event=course, attendee=attendee(1))
    officer = client_for("officer")
    page = officer.get(reverse("events:checkin", args=[course.pk])).content.decode()
    assert f'data-session="{today.pk}"' in page
    assert officer.post(reverse("events:checkin-scan", args=[course.pk]), {"code": checkin_code(registration)}).json()["ok"]
    assert CheckIn.objects.get().session == today
    whole = officer.get(reverse("events:checkin", args=[course.pk]), {"session": "0"}).content.decode()
    assert 'data-session="0"' in whole


def test_staff_build_the_timetable_and_a_session_with_attendance_stays(client_for, users):
    event = EventFactory(kind=Event.Kind.COURSE)
    officer = client_for("officer")
    url = reverse("events:sessions", args=[event.pk])
    bad = officer.post(url, {"title": "Buổi 1", "starts_at": "2030-03-02T08:00", "ends_at": "2030-03-02T07:00"})
    assert bad.status_code == 400 and not event.sessions.exists()
    assert officer.post(url, {"title": "Buổi 1", "starts_at": "2030-03-02T08:00", "ends_at": "2030-03-02T11:00"}).status_code == 302
    session = event.sessions.get()
    registration = services.registration_create(event=event, attendee=attendee(1))
    services.checkin_record(registration=registration, actor=users["officer"], session=session)
    officer.post(reverse("events:session-remove", args=[session.pk]))
    assert event.sessions.count() == 1
    assert "Buổi 1" in client_for("visitor").get(reverse("events:detail", args=[event.slug])).content.decode()
