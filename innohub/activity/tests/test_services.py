"""The audit log is append-only; notifications are stored and e-mailed once, after commit."""

import pytest
from django.core import mail

from innohub.activity.models import AppendOnlyError, Event, Notification
from innohub.activity.services import (
    event_record,
    notification_mark_read,
    notification_send,
    snapshot,
)
from innohub.activity.tasks import deliver_notification_email
from innohub.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_event_records_actor_target_before_after(users):
    org = OrganisationFactory(name="Công ty Cổ phần Sao Việt")
    event = event_record(
        actor=users["officer"], action="organisation.verified", target=org,
        before={"verified": False}, after=snapshot(org, ["name", "verified"]),
    )
    event.refresh_from_db()
    assert event.actor == users["officer"]
    assert event.actor_label == "officer-user"
    assert event.target_label == "Công ty Cổ phần Sao Việt"
    assert event.target_type.model == "organisation"
    assert event.target_id == str(org.pk)
    assert event.before == {"verified": False}
    assert event.after == {"name": "Công ty Cổ phần Sao Việt", "verified": False}


def test_events_cannot_be_changed_or_deleted(users):
    event = event_record(actor=users["officer"], action="x.y")
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert Event.objects.get(pk=event.pk).action == "x.y"


def test_system_events_have_no_actor():
    event = event_record(actor=None, action="task.ran")
    assert event.actor is None and event.actor_label == "system"


def test_notification_is_emailed_after_commit_in_the_recipients_language(users, django_capture_on_commit_callbacks):
    users["applicant"].language = "en"
    users["applicant"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [notification] = notification_send(recipients=[users["applicant"]], message="programs.reviews_assigned", params={"n": 3}, url="/my/")
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [users["applicant"].email]
    assert mail.outbox[0].subject == "3 new applications to review"
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_delivering_twice_sends_one_email(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notification_send(recipients=[users["officer"]], message="programs.reviews_assigned", params={"n": 1})
    assert len(mail.outbox) == 1
    assert deliver_notification_email.call(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


def test_only_the_recipient_marks_a_notification_read(users):
    from django.core.exceptions import PermissionDenied

    [notification] = notification_send(recipients=[users["applicant"]], message="programs.reviews_assigned", params={"n": 1}, email=False)
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notification, user=users["officer"])
    assert Notification.objects.get(pk=notification.pk).read_at is None
    notification_mark_read(notification=notification, user=users["applicant"])
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_action_labels_follow_the_readers_language_and_fall_back_to_the_code():
    from django.utils import translation

    from innohub.activity.labels import action_label

    with translation.override("vi"):
        assert action_label("indicator_framework.english_filled") == "Bổ sung tiếng Anh cho bộ chỉ số"
        assert action_label("award.created") == "Cấp khoản hỗ trợ"
        assert action_label("no_such.action") == "no_such.action"
    with translation.override("en"):
        assert action_label("award.created") == "Award granted"
