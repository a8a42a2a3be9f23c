"""An object's history: its latest events beside its page, and the audit log's page of all of them."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from innohub.activity.selectors import HISTORY_SHOWN, event_history
from innohub.activity.services import event_record
from innohub.qa.tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_the_history_of_an_object_is_its_own_latest_events_newest_first(users):
    question, other = QuestionFactory(), QuestionFactory()
    for step in ("received", "assign", "draft"):
        event_record(actor=users["officer"], action=f"question.{step}", target=question)
    event_record(actor=users["officer"], action="question.noted", target=other)

    history = event_history(user=users["manager"], target=question)

    assert [e.action for e in history.events] == ["question.draft", "question.assign", "question.received"]
    assert history.total == 3 and not history.more
    assert history.events[0].actor_display == users["officer"].display_name


def test_a_long_history_shows_its_latest_events_and_opens_the_log_filtered_to_the_object(client_for, users):
    question = QuestionFactory()
    for i in range(HISTORY_SHOWN + 5):
        event_record(actor=users["officer"], action="question.noted", target=question, note=f"ghi chú {i}")
    history = event_history(user=users["officer"], target=question)
    assert len(history.events) == HISTORY_SHOWN and history.total == HISTORY_SHOWN + 5 and history.more
    assert history.events[0].note == f"ghi chú {HISTORY_SHOWN + 4}"

    url = urlsplit(history.log_url)
    assert url.path == reverse("activity:log")
    assert parse_qs(url.query) == {"target_type": ["qa.question"], "target_id": [str(question.pk)]}
    log = client_for("officer").get(history.log_url)
    assert log.context["page"].paginator.count == HISTORY_SHOWN + 5


def test_the_systems_own_steps_say_so(users):
    question = QuestionFactory()
    event_record(actor=None, action="question.reminded", target=question)
    (event,) = event_history(user=users["officer"], target=question).events
    assert event.actor_display == "innohub (tự động)"


@pytest.mark.parametrize("role", ["visitor", "applicant", "reviewer"])
def test_only_staff_read_an_objects_history(users, role):
    question = QuestionFactory()
    with pytest.raises(PermissionDenied):
        event_history(user=users[role], target=question)
