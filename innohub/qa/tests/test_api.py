"""The Q&A API: the public FAQ, asking and tracking; staff operations with the page's checks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from innohub.qa import selectors
from innohub.qa.models import Question
from innohub.qa.tests.factories import (
    AnswerFactory,
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def test_public_faq_search_and_detail():
    document = DocumentFactory()
    passage = PassageFactory(document=document, order=2)
    answer = AnswerFactory(published_question="Ươm tạo được hỗ trợ bao nhiêu?", published_text="Tối đa 80.000.000 đồng [1].")
    answer.citations.create(number=1, passage=passage, document=document, source_label="QĐ", place=passage.place, anchor=passage.anchor)
    client = Client()
    data = client.get("/api/v1/qa/answers", {"q": "uom tao"}).json()
    assert data["count"] == 1 and data["items"][0]["id"] == answer.pk
    detail = client.get(f"/api/v1/qa/answers/{answer.pk}").json()
    assert detail["citations"][0]["anchor"] == "p2"
    assert detail["citations"][0]["url"] == f"/qa/documents/{document.pk}/?at=p2#p2"
    assert client.get(detail["citations"][0]["url"]).status_code == 200
    assert client.get("/api/v1/qa/suggestions", {"q": "ươm tạo"}).json()["count"] == 1
    assert client.get("/api/v1/qa/topics").status_code == 200


def test_ask_and_track_over_the_api():
    topic = TopicFactory(code="startup-support")
    client = Client()
    response = client.post("/api/v1/qa/questions", {"topic": "startup-support", "text": "Hồ sơ ươm tạo gồm những gì?", "email": "a@example.vn", "consent": True}, content_type="application/json")
    assert response.status_code == 201, response.content
    code = response.json()["tracking_code"]
    tracked = client.post("/api/v1/qa/track", {"code": code, "email": "a@example.vn", "consent": True}, content_type="application/json")
    assert tracked.status_code == 200 and tracked.json()["state"] == "received"
    assert client.post("/api/v1/qa/track", {"code": code, "email": "b@example.vn"}, content_type="application/json").status_code == 404
    # the key from the asker's link stands for the e-mail; a key for another code does not
    keyed = client.post("/api/v1/qa/track", {"code": code, "key": selectors.track_key(code)}, content_type="application/json")
    assert keyed.status_code == 200 and keyed.json()["tracking_code"] == code
    assert client.post("/api/v1/qa/track", {"code": code, "key": selectors.track_key("HD-AAAA-AAAA")}, content_type="application/json").status_code == 404
    assert client.post("/api/v1/qa/track", {"code": code}, content_type="application/json").status_code == 404
    bad = client.post("/api/v1/qa/questions", {"topic": topic.code, "text": "<script></script>", "email": "a@example.vn", "consent": True}, content_type="application/json")
    assert bad.status_code == 400 and bad["Content-Type"].startswith("application/problem+json")
    assert Question.objects.count() == 1


def test_staff_cycle_over_the_api(client_for, users):
    document = DocumentFactory()
    PassageFactory(document=document, text="Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng.")
    question = QuestionFactory(text="Ươm tạo được hỗ trợ bao nhiêu?")
    officer, manager = client_for("officer"), client_for("manager")
    assert officer.get("/api/v1/qa/inbox").json()["count"] == 1
    assert officer.post(f"/api/v1/qa/questions/{question.pk}/assign", {"assignee_id": users["officer"].pk}, content_type="application/json").status_code == 200
    draft = officer.post(f"/api/v1/qa/questions/{question.pk}/draft").json()
    assert draft["citations"] and "[1]" in draft["draft_text"]
    assert draft["public_question"] == "Ươm tạo được hỗ trợ bao nhiêu?"
    edited = officer.put(f"/api/v1/qa/questions/{question.pk}/answer", {"text": "Tối đa 80.000.000 đồng [1]."}, content_type="application/json")
    assert edited.status_code == 200 and edited.json()["public_question"] == "Ươm tạo được hỗ trợ bao nhiêu?"  # left out: unchanged
    reworded = officer.put(
        f"/api/v1/qa/questions/{question.pk}/answer",
        {"text": "Tối đa 80.000.000 đồng [1].", "question": "Giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?"},
        content_type="application/json",
    )
    assert reworded.json()["public_question"] == "Giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?"
    # a passage the retrieval did not bring, found and added as the next source
    other = PassageFactory(document=DocumentFactory(number="45/QC-SKHCN"), text="Văn bản gửi qua Cổng dịch vụ công.")
    found = officer.get("/api/v1/qa/knowledge/passages", {"q": "cong dich vu"}).json()
    assert [p["id"] for p in found["items"]] == [other.pk] and found["items"][0]["document"].startswith("45/QC-SKHCN")
    added = officer.post(f"/api/v1/qa/questions/{question.pk}/sources", {"passage_id": other.pk}, content_type="application/json")
    assert added.status_code == 201 and [c["number"] for c in added.json()["citations"]] == [1, 2]
    again = officer.post(f"/api/v1/qa/questions/{question.pk}/sources", {"passage_id": other.pk}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "already_cited"
    for bad in [{"passage_id": 0}, {"passage_id": "x"}, {}]:
        assert officer.post(f"/api/v1/qa/questions/{question.pk}/sources", bad, content_type="application/json").status_code in (400, 422)
    assert question.answer.citations.count() == 2
    empty = officer.put(f"/api/v1/qa/questions/{question.pk}/answer", {"text": "Khác [1].", "question": " "}, content_type="application/json")
    assert empty.status_code == 400 and empty["Content-Type"].startswith("application/problem+json")
    assert officer.post(f"/api/v1/qa/questions/{question.pk}/submit").status_code == 200
    assert officer.post(f"/api/v1/qa/questions/{question.pk}/publish").status_code == 403
    published = manager.post(f"/api/v1/qa/questions/{question.pk}/publish")
    assert published.status_code == 200 and published.json()["published_text"] == "Tối đa 80.000.000 đồng [1]."
    assert manager.post(f"/api/v1/qa/questions/{question.pk}/publish").status_code == 409
    stats = manager.get("/api/v1/qa/stats").json()
    assert stats["answered"] == 1 and stats["open_overdue"] == 0
    # an open question past its due date is counted, and counts against the share on time
    QuestionFactory(state="received", due_date=dt.date.today() - dt.timedelta(days=3))
    stats = manager.get("/api/v1/qa/stats").json()
    assert stats["open_overdue"] == 1 and stats["on_time_share"] < 1


def test_a_member_lists_their_own_questions_over_the_api(client, client_for, users):
    member = users["visitor"]
    first = QuestionFactory(asker=member, asker_email=member.email)
    latest = QuestionFactory(asker=member, asker_email=member.email, state="published")
    QuestionFactory()
    mine = client_for("visitor").get("/api/v1/qa/my-questions").json()
    assert mine["count"] == 2 and [q["tracking_code"] for q in mine["items"]] == [latest.tracking_code, first.tracking_code]
    assert [q["state"] for q in mine["items"]] == ["published", "received"]
    assert client.get("/api/v1/qa/my-questions").status_code == 401


def test_the_api_s_refusals_are_in_vietnamese(client_for):
    # Given no such topic, and a question with no draft yet, when a client asks or submits,
    # then the refusal reads in Vietnamese and nothing is created.
    count = Question.objects.count()
    unknown = Client().post("/api/v1/qa/questions", {"topic": "no-such-topic", "text": "Hỏi gì?", "email": "a@example.vn", "consent": True}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["title"] == "Chủ đề không tồn tại."
    assert Question.objects.count() == count
    question = QuestionFactory()
    no_draft = client_for("officer").post(f"/api/v1/qa/questions/{question.pk}/submit")
    assert no_draft.status_code == 400 and no_draft.json()["title"] == "Hãy soạn dự thảo câu trả lời trước."


def test_a_readers_rating_over_the_api_is_checked_and_a_refusal_changes_nothing(client_for, users):
    from innohub.qa.models import AnswerFeedback

    answer = AnswerFactory()
    reader = client_for("visitor")
    url = f"/api/v1/qa/answers/{answer.pk}/feedback"
    for payload in ({"helpful": "yes"}, {"helpful": 1}, {}, {"helpful": False, "comment": "x" * 1001}):
        refused = reader.post(url, payload, content_type="application/json")
        assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json", payload
    assert reader.post(f"/api/v1/qa/answers/{answer.pk + 1000}/feedback", {"helpful": True}, content_type="application/json").status_code == 404
    assert not AnswerFeedback.objects.exists()
    # the statistics over the API carry the ratings
    assert reader.post(url, {"helpful": True}, content_type="application/json").status_code == 200
    stats = client_for("manager").get("/api/v1/qa/stats").json()
    assert (stats["rated"], stats["helpful"], stats["helpful_share"]) == (1, 1, 1.0)
    assert stats["by_topic"][0]["rated"] == 1


def test_a_flood_over_the_api_is_answered_429_as_the_throttle_is(client_for):
    from innohub.qa import services

    answer = AnswerFactory()
    reader = client_for("visitor")
    url = f"/api/v1/qa/answers/{answer.pk}/feedback"
    for n in range(services.FEEDBACK_LIMIT_PER_HOUR):
        assert reader.post(url, {"helpful": n % 2 == 0}, content_type="application/json", REMOTE_ADDR="203.0.113.5").status_code == 200
    flooded = reader.post(url, {"helpful": True}, content_type="application/json", REMOTE_ADDR="203.0.113.5")
    assert flooded.status_code == 429 and flooded.json()["code"] == "rate_limited"
    assert "Có quá nhiều lượt đánh giá" in flooded.json()["title"]
    topic = TopicFactory()
    asks = [
        Client().post("/api/v1/qa/questions", {"topic": topic.code, "text": f"Xin hỏi thủ tục ươm tạo lần {n}?", "email": "an@example.vn", "consent": True},
                      content_type="application/json", REMOTE_ADDR="203.0.113.6").status_code
        for n in range(services.ASK_LIMIT_PER_HOUR + 1)
    ]
    assert asks == [201] * services.ASK_LIMIT_PER_HOUR + [429]


def test_staff_move_a_question_to_another_topic_over_the_api(client_for):
    from innohub.activity.models import Event

    question = QuestionFactory()
    support = TopicFactory(code="startup-support")
    officer = client_for("officer")
    moved = officer.post(f"/api/v1/qa/questions/{question.pk}/topic", {"topic": "startup-support"}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["topic"] == support.code
    unknown = officer.post(f"/api/v1/qa/questions/{question.pk}/topic", {"topic": "no-such-topic"}, content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_topic"
    same = officer.post(f"/api/v1/qa/questions/{question.pk}/topic", {"topic": "startup-support"}, content_type="application/json")
    assert same.status_code == 400 and same.json()["code"] == "same_topic"
    assert Event.objects.filter(action="question.rerouted").count() == 1


def test_staff_read_a_questions_possible_duplicates_and_its_readers_comments_over_the_api(client_for):
    from innohub.qa.models import AnswerFeedback

    asked = QuestionFactory(text="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    same = QuestionFactory(text="Cho tôi hỏi hồ sơ đề nghị hỗ trợ khởi nghiệp thì nộp ở đâu ạ?")
    QuestionFactory(text="Sở có tổ chức đoàn công tác sang Hàn Quốc không?")
    officer = client_for("officer")
    found = officer.get(f"/api/v1/qa/questions/{asked.pk}/duplicates").json()
    assert found["count"] == 1 and found["items"][0]["tracking_code"] == same.tracking_code
    answer = AnswerFactory()
    AnswerFeedback.objects.create(answer=answer, reader="r1", helpful=False, comment="Thiếu địa chỉ nộp")
    AnswerFeedback.objects.create(answer=answer, reader="r2", helpful=True)
    comments = officer.get(f"/api/v1/qa/questions/{answer.question_id}/feedback").json()
    assert [c["comment"] for c in comments["items"]] == ["Thiếu địa chỉ nộp"]
    assert officer.get(f"/api/v1/qa/questions/{asked.pk}/feedback").status_code == 404  # no published answer
    for path in (f"/api/v1/qa/questions/{asked.pk}/duplicates", f"/api/v1/qa/questions/{answer.question_id}/feedback"):
        assert client_for("applicant").get(path).status_code == 403
        assert Client().get(path).status_code == 401


def test_an_over_long_answer_is_refused_over_the_api_and_changes_nothing(client_for):
    # Given a draft answer, when an officer sends a 5 MB answer, then the answer is a 400
    # problem and the draft is as it was (not cut to a prefix of the long text)
    answer = AnswerFactory(question=QuestionFactory(state="drafting"), draft_text="Bản nháp cũ [1].", published_at=None)
    officer = client_for("officer")
    response = officer.put(f"/api/v1/qa/questions/{answer.question.pk}/answer", {"text": "a" * (5 * 1024 * 1024)},
                           content_type="application/json")
    assert response.status_code == 400, response.status_code
    assert response["Content-Type"].startswith("application/problem+json")
    assert "20000" in response.content.decode() or "20.000" in response.content.decode()
    answer.refresh_from_db()
    assert answer.draft_text == "Bản nháp cũ [1]."
