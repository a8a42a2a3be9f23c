"""Reads: statistics arithmetic, who sees the inbox, and query counts of list pages."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from innohub.qa import selectors
from innohub.qa.models import Question
from innohub.qa.tests.factories import AnswerFactory, QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db


def _answered(topic, days_to_answer: int, due_in_days: int):
    created = timezone.now() - dt.timedelta(days=40)
    question = QuestionFactory(topic=topic, state="published", due_date=(created + dt.timedelta(days=due_in_days)).date())
    question.__class__.objects.filter(pk=question.pk).update(created_at=created, closed_at=created + dt.timedelta(days=days_to_answer))
    return question


def test_statistics_median_p90_and_share_on_time(users):
    topic = TopicFactory(name="Hỗ trợ khởi nghiệp")
    for days, due in [(1, 14), (2, 14), (3, 14), (4, 14), (20, 14)]:
        _answered(topic, days, due)
    QuestionFactory(topic=topic)  # still open
    s = selectors.statistics_summary(user=users["manager"])
    assert s["total"] == 6 and s["answered"] == 5
    assert s["median_days"] == 3.0
    assert s["p90_days"] == pytest.approx(13.6, abs=0.1)  # 4 + 0.6 * (20 - 4)
    assert s["on_time_share"] == 0.8
    assert {r["code"]: r["n"] for r in s["by_state"]}["published"] == 5
    assert s["by_topic"][0]["n"] == 6 and s["by_topic"][0]["answered"] == 5
    assert sum(m["asked"] for m in s["by_month"]) == 6
    # over time: each month has the same figures for the questions asked in it
    asked_month = [m for m in s["by_month"] if m["answered"]]
    assert len(asked_month) == 1
    assert (asked_month[0]["median_days"], asked_month[0]["on_time_share"]) == (3.0, 0.8)
    assert asked_month[0]["p90_days"] == pytest.approx(13.6, abs=0.1)


def test_statistics_over_time_keep_months_apart(users):
    topic = TopicFactory()
    early = _answered(topic, 2, 14)
    late = _answered(topic, 10, 5)  # late: answered after its due date
    Question.objects.filter(pk=late.pk).update(
        created_at=timezone.now() - dt.timedelta(days=5), closed_at=timezone.now(), due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    s = selectors.statistics_summary(user=users["manager"])
    months = {timezone.localtime(m["month"]).strftime("%Y-%m"): m for m in s["by_month"]}
    first = months[timezone.localtime(Question.objects.get(pk=early.pk).created_at).strftime("%Y-%m")]
    last = months[timezone.localtime(Question.objects.get(pk=late.pk).created_at).strftime("%Y-%m")]
    assert first is not last
    assert (first["median_days"], first["on_time_share"]) == (2.0, 1.0)
    assert (last["median_days"], last["on_time_share"]) == (5.0, 0.0)
    assert s["on_time_share"] == 0.5


def test_an_open_question_past_its_due_date_counts_as_not_on_time(users):
    # given one question answered on time, one open past its due date, one open and not yet due
    topic = TopicFactory()
    answered = _answered(topic, 2, 14)
    today = timezone.localdate()
    late = QuestionFactory(topic=topic, state="drafted", due_date=today - dt.timedelta(days=1))
    QuestionFactory(topic=topic, state="assigned", due_date=today + dt.timedelta(days=3))
    QuestionFactory(topic=topic, state="rejected_out_of_scope", due_date=today - dt.timedelta(days=5))  # closed: not late
    # when the statistics are read
    s = selectors.statistics_summary(user=users["manager"])
    # then the share is answered on time over answered and open past due (it read 100 %)
    assert (s["answered"], s["open_overdue"], s["on_time_share"]) == (1, 1, 0.5)
    months = {timezone.localtime(m["month"]).strftime("%Y-%m"): m for m in s["by_month"]}
    late_month = months[timezone.localtime(late.created_at).strftime("%Y-%m")]
    answered_month = months[timezone.localtime(Question.objects.get(pk=answered.pk).created_at).strftime("%Y-%m")]
    assert (late_month["open_overdue"], late_month["on_time_share"]) == (1, 0.0)
    assert (answered_month["open_overdue"], answered_month["on_time_share"]) == (0, 1.0)


def test_only_open_overdue_questions_give_a_share_when_none_is_answered(users):
    QuestionFactory(due_date=timezone.localdate() - dt.timedelta(days=2))
    s = selectors.statistics_summary(user=users["manager"])
    assert (s["answered"], s["open_overdue"], s["on_time_share"], s["median_days"]) == (0, 1, 0.0, None)
    assert selectors.statistics_summary(user=users["manager"], date_to=timezone.localdate() - dt.timedelta(days=30))["on_time_share"] is None


@pytest.mark.parametrize("role", ["visitor", "applicant", "reviewer"])
def test_only_staff_read_the_inbox_and_statistics(users, role):
    with pytest.raises(PermissionDenied):
        selectors.inbox(user=users[role])
    with pytest.raises(PermissionDenied):
        selectors.statistics_summary(user=users[role])


def test_list_pages_do_not_query_per_row(client_for, client, django_assert_max_num_queries):
    topic = TopicFactory()
    for _ in range(15):
        QuestionFactory(topic=topic)
        AnswerFactory(question=QuestionFactory(topic=topic, state="published"))
    officer = client_for("officer")
    with django_assert_max_num_queries(20):
        assert officer.get("/qa/inbox/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/qa/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/qa/", {"q": "khởi nghiệp"}).status_code == 200


def test_the_answers_readers_found_least_helpful_are_listed_for_review_lowest_first(users):
    """Answers with at least three ratings, not all helpful, come least helpful first; an
    answer with too few ratings to tell, or found helpful by all, is not listed."""
    from innohub.qa.models import AnswerFeedback
    from innohub.qa.tests.factories import AnswerFactory

    def rated(answer, helpful: int, not_helpful: int) -> None:
        for n, found in enumerate([True] * helpful + [False] * not_helpful):
            AnswerFeedback.objects.create(answer=answer, reader=f"{answer.pk}-{n}", helpful=found)

    half, worst, few, liked = AnswerFactory(), AnswerFactory(), AnswerFactory(), AnswerFactory()
    rated(half, 2, 2)
    rated(worst, 1, 3)
    rated(few, 0, 2)
    rated(liked, 5, 0)
    listed = selectors.statistics_summary(user=users["manager"])["least_helpful"]
    assert [(r["question_id"], r["rated"], r["helpful"], r["helpful_share"]) for r in listed] == [
        (worst.question_id, 4, 1, 0.25), (half.question_id, 4, 2, 0.5),
    ]
    assert listed[0]["tracking_code"] == worst.question.tracking_code and listed[0]["question"] == worst.published_question
