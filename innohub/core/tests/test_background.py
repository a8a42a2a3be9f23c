"""A service queues a task by name once its transaction commits, and not at all when it
rolls back."""

import contextlib

import pytest
from django.db import transaction

from innohub.activity.models import Notification
from innohub.core.background import enqueue_on_commit

pytestmark = pytest.mark.django_db


def test_the_named_task_runs_once_the_transaction_commits(django_capture_on_commit_callbacks, make_user):
    user = make_user(email="an@example.vn")
    notification = Notification.objects.create(recipient=user, subject="Tin mới", send_email=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit("innohub.activity.tasks.deliver_notification_email", notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.emailed_at is None  # not before the commit
    notification.refresh_from_db()
    assert len(callbacks) == 1 and notification.emailed_at is not None


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, contextlib.suppress(RuntimeError), transaction.atomic():
        enqueue_on_commit("innohub.activity.tasks.deliver_notification_email", notification_id=1)
        raise RuntimeError("the service failed")
    assert callbacks == []


def test_a_task_name_that_does_not_exist_fails_loudly_at_commit(django_capture_on_commit_callbacks):
    with pytest.raises(ImportError), django_capture_on_commit_callbacks(execute=True):
        enqueue_on_commit("innohub.activity.tasks.no_such_task", notification_id=1)
