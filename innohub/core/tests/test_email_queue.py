"""E-mails have a queue of their own: a worker of the ``email`` queue sends them while a long
task waits on ``default``, and every task that sends e-mail is declared on ``email``."""

import importlib
import pkgutil
import signal

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

import innohub
from innohub.activity.models import Notification

# The tasks that only send e-mail; any other task stays on "default".
EMAIL_TASKS = {
    "innohub.activity.tasks.deliver_notification_email",
    "innohub.events.tasks.email_attendee",
    "innohub.qa.tasks.email_receipt",
    "innohub.qa.tasks.email_asker",
}


def _all_tasks() -> dict[str, Task]:
    found = {}
    for module in pkgutil.iter_modules(innohub.__path__):
        try:
            tasks = importlib.import_module(f"innohub.{module.name}.tasks")
        except ModuleNotFoundError as error:
            if error.name != f"innohub.{module.name}.tasks":
                raise
            continue
        found.update({obj.module_path: obj for obj in vars(tasks).values() if isinstance(obj, Task)})
    return found


def test_the_email_queue_is_declared_for_every_backend():
    assert settings.TASKS["default"]["QUEUES"] == ["default", "email"]


def test_every_task_that_sends_email_is_on_the_email_queue_and_the_rest_on_default():
    tasks = _all_tasks()
    assert len(tasks) >= 20  # the walk found the apps' tasks
    assert tasks.keys() >= EMAIL_TASKS
    assert {path for path, task in tasks.items() if task.queue_name == "email"} == EMAIL_TASKS
    assert {task.queue_name for path, task in tasks.items() if path not in EMAIL_TASKS} == {"default"}


@pytest.mark.django_db(transaction=True)
def test_a_worker_of_the_email_queue_sends_while_a_long_task_waits_on_default(settings, make_user):
    from innohub.activity.tasks import deliver_notification_email
    from innohub.ops.tasks import probe

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    user = make_user(email="ba.lan@example.vn")
    notification = Notification.objects.create(recipient=user, subject="Hồ sơ đã được nhận", send_email=True)
    long_task = probe.enqueue(key="mailq-long", seconds=600)  # queued first: a single-queue worker would take it first
    email_task = deliver_notification_email.enqueue(notification_id=notification.pk)
    assert DBTaskResult.objects.get(pk=email_task.id).queue_name == "email"

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:  # the real worker, in this process (the test database lives here), until its queue is empty
        call_command("db_worker", "--queue-name", "email", "--batch", "--no-reload", "--no-startup-delay",
                     "--interval", "0", "--verbosity", "0")
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    assert [m.to for m in mail.outbox] == [["ba.lan@example.vn"]]
    assert DBTaskResult.objects.get(pk=email_task.id).status == "SUCCESSFUL"
    assert DBTaskResult.objects.get(pk=long_task.id).status == "READY"  # still waiting for a worker of "default"
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_an_email_task_queued_on_an_undeclared_queue_is_refused(settings):
    from django_tasks.exceptions import InvalidTaskError

    from innohub.qa.tasks import email_receipt

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    with pytest.raises(InvalidTaskError):
        email_receipt.using(queue_name="mail").enqueue(question_id=1)
