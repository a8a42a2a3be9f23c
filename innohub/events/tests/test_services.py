"""Events' services: registration, capacity and the waiting list, delegations, approval,
cancellation with promotion, check-in by signed code, walk-ins, certificates, reminders.
Every refusal is checked to change nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from innohub.activity.models import Event as AuditEvent
from innohub.core.errors import ApplicationError, ConflictError, RateLimitedError
from innohub.events import services
from innohub.events.codes import checkin_code
from innohub.events.models import Certificate, CheckIn, Event, Registration
from innohub.events.services import Attendee
from innohub.events.tests.factories import (
    EventFactory,
    EventFormFactory,
    SessionFactory,
)
from innohub.events.workflows import has_flag

pytestmark = pytest.mark.django_db


def person(n: int = 1, **kw) -> Attendee:
    return Attendee(name=kw.pop("name", f"Trần Thị Lan {n}"), email=kw.pop("email", f"lan{n}@example.vn"), organisation_name="Sihub", **kw)


def state_of(registration) -> str:
    return Registration.objects.get(pk=registration.pk).state


def test_registration_is_confirmed_and_emailed_with_its_qr_code_and_calendar_file(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        registration = services.registration_create(event=event, attendee=person(), ip="10.0.0.1")
    assert has_flag(registration.state, "confirmed")
    assert AuditEvent.objects.filter(action="registration.created", target_id=str(registration.pk)).exists()
    [email] = mail.outbox
    assert email.to == ["lan1@example.vn"]
    assert "Bạn đã đăng ký" in email.subject or event.title in email.subject
    names = [a[0] for a in email.attachments]
    assert "qr-code.png" in names and f"{event.slug}.ics" in names
    assert "/events/r/" in email.body


def test_over_capacity_goes_to_the_waiting_list_in_order():
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, attendee=person(1))
    second = services.registration_create(event=event, attendee=person(2))
    third = services.registration_create(event=event, attendee=person(3))
    assert has_flag(first.state, "confirmed")
    assert has_flag(second.state, "waiting") and has_flag(third.state, "waiting")
    assert services.waiting_rank(second) == 1 and services.waiting_rank(third) == 2
    assert services.seats_taken(event) == 1


def test_a_duplicate_email_is_refused_and_changes_nothing():
    event = EventFactory(capacity=5)
    services.registration_create(event=event, attendee=person(1))
    before = (Registration.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ConflictError) as err:
        services.registration_create(event=event, attendee=person(1, email="LAN1@example.vn", name="Người khác"))
    assert "đã đăng ký" in str(err.value.message) or "already registered" in str(err.value.message)
    assert (Registration.objects.count(), AuditEvent.objects.count()) == before


def test_a_cancelled_person_may_register_again():
    event = EventFactory(capacity=5)
    registration = services.registration_create(event=event, attendee=person(1))
    services.registration_cancel(registration=registration, actor=None, token_checked=True)
    again = services.registration_create(event=event, attendee=person(1))
    assert has_flag(again.state, "confirmed")


def test_cancelling_promotes_the_first_waiting_and_tells_them(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, attendee=person(1))
    second = services.registration_create(event=event, attendee=person(2))
    third = services.registration_create(event=event, attendee=person(3))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=first, actor=None, token_checked=True)
    assert has_flag(state_of(first), "cancelled")
    assert has_flag(state_of(second), "confirmed")
    assert has_flag(state_of(third), "waiting")
    assert services.waiting_rank(Registration.objects.get(pk=third.pk)) == 1
    promoted = [m for m in mail.outbox if m.to == ["lan2@example.vn"]]
    assert promoted and "qr-code.png" in [a[0] for a in promoted[0].attachments]
    assert AuditEvent.objects.filter(action="registration.promote", target_id=str(second.pk)).exists()


def test_cancelling_a_waiting_place_promotes_nobody():
    event = EventFactory(capacity=1)
    services.registration_create(event=event, attendee=person(1))
    second = services.registration_create(event=event, attendee=person(2))
    third = services.registration_create(event=event, attendee=person(3))
    services.registration_cancel(registration=second, actor=None, token_checked=True)
    assert has_flag(state_of(third), "waiting")


def test_another_user_may_not_cancel_someone_elses_registration(users):
    event = EventFactory(capacity=5)
    registration = services.registration_create(event=event, attendee=person(1), actor=users["applicant"])
    with pytest.raises(PermissionDenied):
        services.registration_cancel(registration=registration, actor=users["visitor"])
    assert has_flag(state_of(registration), "confirmed")
    services.registration_cancel(registration=registration, actor=users["applicant"])
    assert has_flag(state_of(registration), "cancelled")


def test_a_delegation_is_registered_by_one_person_each_member_named(users):
    event = EventFactory(capacity=3)
    created = services.registrations_create(event=event, attendees=[person(i) for i in range(1, 5)], actor=users["applicant"], on_behalf=True)
    assert len(created) == 4
    assert len({r.group for r in created}) == 1 and created[0].group is not None
    assert all(r.registered_by == users["applicant"] for r in created)
    assert [has_flag(r.state, "confirmed") for r in created] == [True, True, True, False]
    assert has_flag(created[3].state, "waiting")


def test_a_delegation_with_one_bad_member_registers_nobody():
    event = EventFactory(capacity=10)
    with pytest.raises(ApplicationError) as err:
        services.registrations_create(event=event, attendees=[person(1), person(2, email="khong-phai-email")], on_behalf=True)
    assert "1-email" in err.value.extra
    assert Registration.objects.count() == 0


def test_a_delegation_naming_the_same_email_twice_is_refused():
    event = EventFactory(capacity=10)
    with pytest.raises(ApplicationError):
        services.registrations_create(event=event, attendees=[person(1), person(2, email="lan1@example.vn")], on_behalf=True)
    assert Registration.objects.count() == 0


def test_the_event_form_answers_are_required_and_kept():
    event = EventFactory(capacity=10, registration_form=EventFormFactory())
    with pytest.raises(ApplicationError) as err:
        services.registration_create(event=event, attendee=person(1))
    assert "answer_position" in err.value.extra
    assert Registration.objects.count() == 0
    registration = services.registration_create(event=event, attendee=person(1, answers={"position": "Giám đốc", "interest": "funding"}))
    assert registration.answers["position"] == "Giám đốc"


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.CANCELLED])
def test_an_event_not_open_refuses_registration(status):
    event = EventFactory(status=status)
    with pytest.raises(ConflictError):
        services.registration_create(event=event, attendee=person(1))
    assert Registration.objects.count() == 0


def test_a_past_event_refuses_registration():
    event = EventFactory(starts_at=timezone.now() - dt.timedelta(days=3), ends_at=timezone.now() - dt.timedelta(days=2))
    with pytest.raises(ConflictError):
        services.registration_create(event=event, attendee=person(1))


def test_a_flood_from_one_address_is_refused_and_stores_nothing(settings):
    event = EventFactory(capacity=None)
    for i in range(services.registrations.REGISTER_LIMIT_PER_HOUR):
        services.registration_create(event=event, attendee=person(i), ip="10.9.9.9")
    count = Registration.objects.count()
    with pytest.raises(RateLimitedError):
        services.registration_create(event=event, attendee=person(999), ip="10.9.9.9")
    assert Registration.objects.count() == count


def test_the_spam_trap_refuses():
    with pytest.raises(ApplicationError):
        services.registration_create(event=EventFactory(), attendee=person(1), honeypot="http://spam")
    assert Registration.objects.count() == 0


def test_moderated_event_awaits_approval_then_approve_or_refuse_with_reason(users, django_capture_on_commit_callbacks):
    officer = users["officer"]
    event = EventFactory(capacity=5, moderated=True, created_by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        a = services.registration_create(event=event, attendee=person(1))
        b = services.registration_create(event=event, attendee=person(2))
    assert has_flag(a.state, "awaiting_approval")
    assert officer.notifications.filter(message="events.approval_needed").count() == 2
    services.registration_approve(registration=a, actor=officer)
    assert has_flag(state_of(a), "confirmed")
    with pytest.raises(ApplicationError):
        services.registration_refuse(registration=b, actor=officer, reason="  ")
    assert has_flag(state_of(b), "awaiting_approval")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_refuse(registration=b, actor=officer, reason="Chỉ dành cho doanh nghiệp")
    refused = Registration.objects.get(pk=b.pk)
    assert has_flag(refused.state, "refused") and refused.reason == "Chỉ dành cho doanh nghiệp"
    assert "Chỉ dành cho doanh nghiệp" in mail.outbox[0].body


def test_a_visitor_may_not_approve(users):
    event = EventFactory(moderated=True)
    registration = services.registration_create(event=event, attendee=person(1))
    with pytest.raises(PermissionDenied):
        services.registration_approve(registration=registration, actor=users["visitor"])
    assert has_flag(state_of(registration), "awaiting_approval")


# -- check-in ---------------------------------------------------------------------------------
def test_check_in_by_code_then_the_same_code_again_is_already_checked_in(users):
    officer = users["officer"]
    event = EventFactory()
    registration = services.registration_create(event=event, attendee=person(1))
    result = services.checkin_by_code(event=event, code=checkin_code(registration), actor=officer)
    assert result.status == "checked_in" and registration.name in result.message
    assert has_flag(state_of(registration), "attended")
    again = services.checkin_by_code(event=event, code=checkin_code(registration), actor=officer)
    assert again.status == "already" and ("Đã điểm danh" in again.message or "Already" in again.message)
    assert CheckIn.objects.count() == 1


def test_a_forged_code_is_refused_and_changes_nothing(users):
    event = EventFactory()
    registration = services.registration_create(event=event, attendee=person(1))
    code = checkin_code(registration)
    forged = code[:-3] + ("AAA" if not code.endswith("AAA") else "BBB")
    other_registration_code = code.replace(f".{registration.pk}.", f".{registration.pk + 1}.")
    audit = AuditEvent.objects.count()
    for text in (forged, other_registration_code, "hello", ""):
        result = services.checkin_by_code(event=event, code=text, actor=users["officer"])
        assert result.status == "forged"
    assert CheckIn.objects.count() == 0 and AuditEvent.objects.count() == audit
    assert has_flag(state_of(registration), "confirmed")


def test_a_code_for_another_event_is_refused(users):
    event, other = EventFactory(), EventFactory()
    registration = services.registration_create(event=other, attendee=person(1))
    result = services.checkin_by_code(event=event, code=checkin_code(registration), actor=users["officer"])
    assert result.status == "other_event" and other.title in result.message
    assert CheckIn.objects.count() == 0


def test_a_cancelled_registration_is_not_admitted(users):
    event = EventFactory()
    registration = services.registration_create(event=event, attendee=person(1))
    code = checkin_code(registration)
    services.registration_cancel(registration=registration, actor=None, token_checked=True)
    result = services.checkin_by_code(event=event, code=code, actor=users["officer"])
    assert result.status == "not_confirmed" and CheckIn.objects.count() == 0


def test_only_staff_check_in(users):
    event = EventFactory()
    registration = services.registration_create(event=event, attendee=person(1))
    with pytest.raises(PermissionDenied):
        services.checkin_by_code(event=event, code=checkin_code(registration), actor=users["applicant"])
    assert CheckIn.objects.count() == 0


def test_an_offline_scan_keeps_the_time_it_was_scanned(users):
    event = EventFactory()
    registration = services.registration_create(event=event, attendee=person(1))
    scanned = timezone.now() - dt.timedelta(minutes=12)
    services.checkin_by_code(event=event, code=checkin_code(registration), actor=users["officer"], scanned_at=scanned)
    assert abs((CheckIn.objects.get().checked_at - scanned).total_seconds()) < 1


def test_a_walk_in_is_registered_and_checked_in_even_when_full(users):
    event = EventFactory(capacity=1)
    services.registration_create(event=event, attendee=person(1))
    result = services.walkin_register(event=event, attendee=person(2), actor=users["officer"])
    assert result.ok and has_flag(result.registration.state, "attended")
    assert result.registration.source == Registration.Source.WALK_IN


# -- certificates -----------------------------------------------------------------------------
def test_certificates_follow_the_courses_required_share_of_sessions(users):
    officer = users["officer"]
    course = EventFactory(kind=Event.Kind.COURSE, issues_certificates=True, required_share=75, capacity=10)
    sessions = [SessionFactory(event=course, starts_at=course.starts_at + dt.timedelta(days=i)) for i in range(4)]
    diligent = services.registration_create(event=course, attendee=person(1))
    absent = services.registration_create(event=course, attendee=person(2))
    for s in sessions[:3]:
        services.checkin_record(registration=diligent, actor=officer, session=s)
    services.checkin_record(registration=absent, actor=officer, session=sessions[0])
    issued = services.certificates_issue(event=course, actor=officer)
    assert [c.registration_id for c in issued] == [diligent.pk]
    cert = issued[0]
    assert (cert.sessions_attended, cert.sessions_total) == (3, 4)
    assert cert.number.startswith("SKHCN-")
    assert services.certificates_issue(event=course, actor=officer) == []  # a second run issues nothing new


def test_revoking_needs_a_manager_and_a_reason_and_a_revoked_one_cannot_be_revoked_again(users):
    event = EventFactory(issues_certificates=True)
    registration = services.registration_create(event=event, attendee=person(1))
    services.checkin_record(registration=registration, actor=users["officer"])
    [cert] = services.certificates_issue(event=event, actor=users["officer"])
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=cert, actor=users["officer"], reason="x")
    with pytest.raises(ApplicationError):
        services.certificate_revoke(certificate=cert, actor=users["manager"], reason=" ")
    assert not Certificate.objects.get(pk=cert.pk).revoked
    services.certificate_revoke(certificate=cert, actor=users["manager"], reason="Điểm danh hộ")
    cert.refresh_from_db()
    assert cert.revoked and cert.revoked_reason == "Điểm danh hộ"
    with pytest.raises(ConflictError):
        services.certificate_revoke(certificate=cert, actor=users["manager"], reason="again")


def test_an_event_without_certificates_issues_none(users):
    event = EventFactory(issues_certificates=False)
    with pytest.raises(ApplicationError):
        services.certificates_issue(event=event, actor=users["officer"])


# -- reminders, event changes -----------------------------------------------------------------
def test_reminders_go_the_day_before_once(django_capture_on_commit_callbacks):
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    event = EventFactory(starts_at=tomorrow, ends_at=tomorrow + dt.timedelta(hours=2))
    services.registration_create(event=event, attendee=person(1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    assert len(mail.outbox) == 1 and "qr-code.png" in [a[0] for a in mail.outbox[0].attachments]


def test_cancelling_an_event_needs_a_reason_and_tells_everyone(users, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=5)
    services.registration_create(event=event, attendee=person(1))
    with pytest.raises(ApplicationError):
        services.event_cancel(event=event, actor=users["officer"], reason="")
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    mail.outbox.clear()
    sequence = event.sequence
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event, actor=users["officer"], reason="Bão")
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == sequence + 1
    assert len(mail.outbox) == 1 and "Bão" in mail.outbox[0].body


def test_workflow_definition_is_complete():
    from innohub.events.workflows import REGISTRATION, REGISTRATION_WORKFLOW

    assert REGISTRATION.problems(REGISTRATION_WORKFLOW) == []
