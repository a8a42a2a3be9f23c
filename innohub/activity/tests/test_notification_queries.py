"""The notifications list reads the rows its messages name (events, workflows, answers) once
for the page, not once a notification: its queries do not grow with the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from innohub.activity.services import notification_send
from innohub.events.tests.factories import EventFactory
from innohub.programs.tests.factories import CallFactory
from innohub.qa.tests.factories import AnswerFactory

pytestmark = pytest.mark.django_db


def _notify(reader, n: int, start: int = 0) -> None:
    """``n`` notifications of each kind whose text reads a row: an event, a workflow's state, an answer."""
    when = timezone.make_aware(dt.datetime(2026, 11, 22, 8, 0))
    for i in range(start, start + n):
        event = EventFactory(title=f"Hội thảo số {i}", starts_at=when, ends_at=when + dt.timedelta(hours=4))
        notification_send(recipients=[reader], message="events.registration_confirmed", email=False,
                          params={"event": event.pk, "when": event.pk, "place": "Hội trường 272"})
        workflow = CallFactory().workflow_id
        notification_send(recipients=[reader], message="programs.application_state", email=False,
                          params={"ref": f"HS-2026-{i:04d}", "reason": "", "state": {"workflow": workflow, "state": "approved", "audience": "applicant"}})
        answer = AnswerFactory(draft_text=f"Câu trả lời số {i}.")
        notification_send(recipients=[reader], message="qa.question_answered", email=False,
                          params={"code": answer.question.tracking_code, "answer": answer.question_id})


def _read(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/notifications/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_notifications_page_reads_each_kind_of_row_once(make_user, client, django_assert_max_num_queries):
    reader = make_user(role="applicant", username="reader")
    client.force_login(reader)
    # given one notification of each kind, the page's queries are counted
    _notify(reader, 1)
    few, page = _read(client)
    assert "Hội thảo số 0" in page and "22/11/2026 08:00–12:00" in page and "Câu trả lời số 0." in page
    assert "Hồ sơ HS-2026-0000: Được hỗ trợ" in page
    # when there are six of each (eighteen rows), then the page asks no more of the database
    _notify(reader, 5, start=1)
    with django_assert_max_num_queries(few):
        response = client.get("/notifications/")
    page = response.content.decode()
    for i in range(6):
        assert f"Hội thảo số {i}" in page and f"Câu trả lời số {i}." in page and f"Hồ sơ HS-2026-{i:04d}: Được hỗ trợ" in page


def test_a_notification_whose_row_is_gone_still_reads(make_user, client):
    reader = make_user(role="applicant", username="reader")
    client.force_login(reader)
    _notify(reader, 1)
    from innohub.events.models import Event

    Event.objects.all().delete()
    _count, page = _read(client)
    assert "Ông/Bà đã đăng ký tham dự —" in page  # the event's title stands as a dash, the page still opens


def test_the_notifications_api_reads_each_kind_of_row_once(make_user, client, django_assert_max_num_queries):
    reader = make_user(role="applicant", username="reader")
    client.force_login(reader)
    _notify(reader, 1)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/activity/notifications", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    few = len(queries)
    _notify(reader, 5, start=1)
    with django_assert_max_num_queries(few):
        items = client.get("/api/v1/activity/notifications", HTTP_ACCEPT_LANGUAGE="en").json()["items"]
    assert len(items) == 18
    assert {i["subject"] for i in items if i["message"] == "programs.application_state"} == {
        f"Application HS-2026-{i:04d}: Support granted" for i in range(6)}
    assert sum("Câu trả lời số" in i["body"] for i in items) == 6
