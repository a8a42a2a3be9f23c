"""The demo data: published answers citing the policy documents, an overdue question; twice adds nothing."""

import pytest

from innohub.activity.models import Event
from innohub.qa import demo, selectors
from innohub.qa.models import Answer, Citation, KnowledgeDocument, Passage, Question

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_answers_cite_the_documents(users, make_user, django_capture_on_commit_callbacks):
    citizen = make_user(role="visitor", username="citizen")
    with django_capture_on_commit_callbacks(execute=True):
        first = demo.seed()
    assert first == {"documents": 3, "published": 4, "open": 5}
    assert list(Question.objects.filter(asker=citizen).values_list("text", flat=True)) == [demo.MEMBER_QUESTION]
    # no stale "awaits your approval" for the answers published weeks ago
    from innohub.activity.models import Notification

    assert not Notification.objects.filter(subject__contains="chờ Ông/Bà phê duyệt").exists()
    assert KnowledgeDocument.objects.filter(status="ready").count() == 3
    assert Answer.objects.filter(published_at__isnull=False).count() == 4
    stage = Answer.objects.get(question__asker_email="mai.demo@example.vn")
    assert stage.published_question == demo.PUBLISHED[0][4]  # the officer's wording, without name or phone
    assert "Trần Thị Mai" not in stage.published_question and "0912" not in stage.published_question
    assert "80.000.000" in stage.published_text
    assert Citation.objects.filter(answer=stage, place="Điều 5, Khoản 2").exists()
    assert Question.objects.filter(state="received", due_date__lt=__import__("datetime").date.today()).count() == 1
    # a story weeks long reads as one: the answer published when the question was closed, the
    # question's history from the day it was asked to the day it was answered, in order
    question = stage.question
    assert stage.published_at == question.closed_at and question.created_at < stage.created_at < question.closed_at
    from innohub.activity.selectors import event_history

    history = event_history(user=users["officer"], target=question).events
    assert (history[-1].action, history[-1].created_at) == ("question.received", question.created_at)
    assert (history[0].action, history[0].created_at) == ("question.answer_published", question.closed_at)
    assert [e.created_at for e in history] == sorted((e.created_at for e in history), reverse=True)
    overdue = Question.objects.get(state="received", due_date__lt=__import__("datetime").date.today())
    assert event_history(user=users["officer"], target=overdue).events[0].created_at == overdue.created_at
    # one open question asks what a published answer says: its officer is offered to merge it there
    repeated = Question.objects.get(asker_email="bao.demo@example.vn")
    assert selectors.possible_duplicates(user=users["officer"], question=repeated) == [stage.question]
    # readers have rated the answers: the statistics and the question pages have ratings to show
    assert Event.objects.filter(action="question.feedback_given").count() == 13
    assert stage.feedback.filter(helpful=True).count() == 5 and stage.feedback.exclude(comment="").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert demo.seed() == {"documents": 0, "published": 0, "open": 0}


def test_seed_has_the_demo_documents_encoded_when_dense_retrieval_is_on(users, dense_retrieval, django_capture_on_commit_callbacks):
    from innohub.qa import search

    with django_capture_on_commit_callbacks(execute=True):  # the worker's task, run at once here
        demo.seed()
    vectors = search._dense_for(search._get("kb"))
    assert vectors is not None
    assert len(vectors.passage_ids) == Passage.objects.count() > 0
    # and the published answers were drafted with them, as an officer's draft is: the answer
    # on the startup dossier quotes the startup decision's dossier first, not the
    # technology-transfer guide's (BM25 alone ranks that one first)
    dossier = Answer.objects.get(question__asker_email="thu.demo@example.vn")
    first = Citation.objects.get(answer=dossier, number=1)
    assert (first.document.number, first.place.split(",")[0]) == ("1208/QĐ-SKHCN", "Điều 8")
