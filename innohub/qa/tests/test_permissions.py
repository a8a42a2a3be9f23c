"""Every role against every staff page, action and API endpoint of the Q&A service.

Refused means: a redirect to log in (anonymous, pages), 401 (anonymous, API) or 403,
and nothing changed — no audit event, no note, the question in the same state."""

from __future__ import annotations

import pytest
from django.test import Client

from innohub.activity.models import Event
from innohub.core.roles import Role
from innohub.qa.models import Answer, InternalNote, KnowledgeDocument, Question
from innohub.qa.tests.factories import (
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [None, *[r.value for r in Role]]
STAFF = {"officer", "manager", "administrator"}
MANAGERS = {"manager", "administrator"}


def _client(users, role):
    c = Client()
    if role:
        c.force_login(users[role])
    return c


@pytest.fixture
def world():
    document = DocumentFactory()
    PassageFactory(document=document, order=1, text="Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng.")
    received = QuestionFactory(text="Ươm tạo được hỗ trợ bao nhiêu?")
    drafted = QuestionFactory(state="drafted")
    Answer.objects.create(question=drafted, draft_text="Tối đa 80.000.000 đồng [1].")
    waiting = QuestionFactory(state="awaiting_approval")
    Answer.objects.create(question=waiting, draft_text="Tối đa 80.000.000 đồng.")
    other = QuestionFactory()
    unused = PassageFactory(document=document, order=2, text="Hồ sơ nộp trực tuyến trên Cổng dịch vụ công.")
    published = QuestionFactory(state="published")
    Answer.objects.create(question=published, draft_text="Tối đa 80.000.000 đồng.", published_text="Tối đa 80.000.000 đồng.", published_at=published.created_at)
    topic = TopicFactory(code="international", name="Hợp tác quốc tế")
    return {"document": document, "received": received, "drafted": drafted, "waiting": waiting, "other": other, "passage": unused, "published": published, "topic": topic}


def _filled(data: dict, world: dict) -> dict:
    """A form's or body's values with the world's objects put in ("{other}", "{passage}", "{topic}")."""
    names = {"other": world["other"].tracking_code, "passage": world["passage"].pk, "topic": world["topic"].pk, "topic_code": world["topic"].code}
    return {k: (v.format(**names) if isinstance(v, str) else v) for k, v in data.items()}


PAGES = [
    "/qa/inbox/",
    "/qa/inbox/{received}/",
    "/qa/inbox/{published}/feedback/",
    "/qa/knowledge/",
    "/qa/knowledge/{document}/",
    "/qa/knowledge/{document}/progress/",
    "/qa/stats/",
    "/qa/stats/export.xlsx",
    "/en/qa/inbox/",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", PAGES)
def test_staff_pages(users, world, role, path):
    url = path.format(received=world["received"].pk, published=world["published"].pk, document=world["document"].pk)
    response = _client(users, role).get(url)
    if role in STAFF:
        assert response.status_code == 200, (role, url)
    elif role is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 403


def test_public_pages_are_open_to_everyone(users, world, client):
    for path in ["/qa/", "/qa/ask/", "/qa/track/", "/qa/suggest/?q=uom", f"/qa/documents/{world['document'].pk}/"]:
        assert client.get(path).status_code == 200, path


# (action, question key, form data, roles allowed, state after when allowed)
ACTIONS = [
    ("assign", "received", lambda u: {"assignee": u["officer"].pk}, STAFF, "assigned"),
    ("note", "received", lambda u: {"text": "Ghi chú nội bộ"}, STAFF, "received"),
    ("reroute", "received", lambda u: {"topic": "{topic}"}, STAFF, "received"),
    ("draft", "received", lambda u: {}, STAFF, "drafted"),
    ("edit", "drafted", lambda u: {"text": "Đã sửa [1].", "public_question": "Câu hỏi đã biên tập?"}, STAFF, "drafted"),
    ("source", "drafted", lambda u: {"passage": "{passage}"}, STAFF, "drafted"),
    ("submit", "drafted", lambda u: {}, STAFF, "awaiting_approval"),
    ("publish", "waiting", lambda u: {}, MANAGERS, "published"),
    ("return", "waiting", lambda u: {"reason": "Bổ sung căn cứ"}, MANAGERS, "drafted"),
    ("correct", "published", lambda u: {"reason": "Mức hỗ trợ đã thay đổi"}, MANAGERS, "drafted"),
    ("reject", "received", lambda u: {"reason": "Ngoài phạm vi"}, STAFF, "rejected_out_of_scope"),
    ("merge", "received", lambda u: {"into": "{other}"}, STAFF, "merged"),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "key", "data", "allowed", "after"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_staff_actions(users, world, role, action, key, data, allowed, after):
    question = world[key]
    payload = _filled(data(users), world)
    events, notes, state = Event.objects.count(), InternalNote.objects.count(), question.state
    draft_before = Answer.objects.filter(question=question).values_list("draft_text", flat=True).first()
    response = _client(users, role).post(f"/qa/inbox/{question.pk}/{action}/", payload)
    question.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302 and question.state == after, (role, action, question.state)
        assert Event.objects.count() > events
    else:
        assert response.status_code in (302, 403)
        if role is None:
            assert "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 403
        assert (Event.objects.count(), InternalNote.objects.count(), question.state) == (events, notes, state)
        assert Answer.objects.filter(question=question).values_list("draft_text", flat=True).first() == draft_before


@pytest.mark.parametrize("role", ROLES)
def test_knowledge_upload(users, role):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = _client(users, role).post("/qa/knowledge/", {"title": "Quy định", "file": SimpleUploadedFile("q.txt", "Điều 1. Phạm vi".encode())})
    if role in STAFF:
        assert response.status_code == 302 and KnowledgeDocument.objects.count() == 1
    else:
        assert response.status_code in (302, 403) and KnowledgeDocument.objects.count() == 0


API = [
    ("get", "/api/v1/qa/inbox", None, STAFF, 200),
    ("get", "/api/v1/qa/questions/{received}", None, STAFF, 200),
    ("get", "/api/v1/qa/stats", None, STAFF, 200),
    ("post", "/api/v1/qa/questions/{received}/assign", lambda u: {"assignee_id": u["officer"].pk}, STAFF, 200),
    ("post", "/api/v1/qa/questions/{received}/notes", lambda u: {"text": "Ghi chú"}, STAFF, 201),
    ("post", "/api/v1/qa/questions/{received}/topic", lambda u: {"topic": "{topic_code}"}, STAFF, 200),
    ("post", "/api/v1/qa/questions/{received}/draft", None, STAFF, 200),
    ("put", "/api/v1/qa/questions/{drafted}/answer", lambda u: {"text": "Đã sửa [1]."}, STAFF, 200),
    ("get", "/api/v1/qa/knowledge/passages?q=uom+tao", None, STAFF, 200),
    ("post", "/api/v1/qa/questions/{drafted}/sources", lambda u: {"passage_id": "{passage}"}, STAFF, 201),
    ("post", "/api/v1/qa/questions/{drafted}/submit", None, STAFF, 200),
    ("post", "/api/v1/qa/questions/{waiting}/publish", None, MANAGERS, 200),
    ("post", "/api/v1/qa/questions/{waiting}/return", lambda u: {"reason": "Bổ sung"}, MANAGERS, 200),
    ("post", "/api/v1/qa/questions/{received}/reject", lambda u: {"reason": "Ngoài phạm vi"}, STAFF, 200),
    ("post", "/api/v1/qa/questions/{received}/merge", lambda u: {"into": "{other}"}, STAFF, 200),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "data", "allowed", "ok"), API, ids=[f"{a[0]} {a[1]}" for a in API])
def test_api_matrix(users, world, role, method, path, data, allowed, ok):
    url = path.format(received=world["received"].pk, drafted=world["drafted"].pk, waiting=world["waiting"].pk)
    payload = _filled(data(users) if data else {}, world)
    states = dict(Question.objects.values_list("pk", "state"))
    events = Event.objects.count()
    client = _client(users, role)
    response = getattr(client, method)(url, payload, content_type="application/json") if method != "get" else client.get(url)
    if role in allowed:
        assert response.status_code == ok, (role, url, response.content[:300])
    else:
        assert response.status_code == (401 if role is None else 403), (role, url, response.status_code)
        assert dict(Question.objects.values_list("pk", "state")) == states
        assert Event.objects.count() == events


@pytest.mark.parametrize("role", ROLES)
def test_every_reader_rates_a_published_answer_on_its_page_and_signed_in_readers_through_the_api(users, world, role):
    """Rating is open to every reader on the answer's page (a visitor by their browser
    session); the API takes it from signed-in readers only, and an anonymous call changes nothing."""
    from innohub.qa.models import AnswerFeedback

    answer = world["published"].answer
    client = _client(users, role)
    assert client.post(f"/qa/answers/{answer.pk}/feedback/", {"helpful": "yes"}).status_code == 302
    assert AnswerFeedback.objects.filter(answer=answer).count() == 1
    response = client.post(f"/api/v1/qa/answers/{answer.pk}/feedback", {"helpful": False, "comment": "Thiếu địa chỉ"}, content_type="application/json")
    if role is None:
        assert response.status_code == 401
        assert list(AnswerFeedback.objects.values_list("helpful", flat=True)) == [True]
    else:  # the same reader as on the page: their rating changes, it is not counted twice
        assert response.status_code == 200 and response.json() == {"answer_id": answer.pk, "helpful": False, "comment": "Thiếu địa chỉ"}
        assert list(AnswerFeedback.objects.values_list("helpful", "comment")) == [(False, "Thiếu địa chỉ")]
