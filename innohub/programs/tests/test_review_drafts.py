"""A reviewer keeps a half-done review as a draft (`review.drafts`): the scores and comment come
back when they return, nothing of it counts (no score, no ranking) nor shows to anyone else,
bad scores are refused with nothing saved, and submitting still asks for every score."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from innohub.activity.models import Event
from innohub.core.errors import ApplicationError, ConflictError
from innohub.programs import selectors, services
from innohub.programs.models import Application, Review
from innohub.programs.tests.factories import ApplicationFactory, CallFactory, reviewer

pytestmark = pytest.mark.django_db
ALL = {"innovation": 8, "team": 6, "market": 7, "impact": "na", "feasibility": 5}


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def review():
    return Review.objects.create(application=ApplicationFactory(state="under_review", title="Robot hái nấm"), reviewer=reviewer())


def test_a_draft_keeps_what_was_given_and_counts_nowhere(review):
    expert = review.reviewer
    services.review_draft_save(review=review, actor=expert, scores={"innovation": "8", "team": "", "impact": "na"}, comment=" Nửa chừng ")
    review.refresh_from_db()
    assert review.draft_scores == {"innovation": 8, "impact": None} and review.draft_comment == "Nửa chừng"
    assert review.draft_saved_at is not None
    # not submitted: the review is still to do, without a score or a comment anyone else reads
    assert (review.state, review.scores, review.comment, review.weighted_score, review.submitted_at) == ("assigned", {}, "", None, None)
    event = Event.objects.get(action="review.draft_saved")
    assert event.actor == expert and event.after == {"review": review.pk, "scored": ["impact", "innovation"]}


def test_a_score_out_of_range_refuses_the_draft_and_changes_nothing(review):
    expert = review.reviewer
    services.review_draft_save(review=review, actor=expert, scores={"innovation": "8"}, comment="Lần đầu")
    with pytest.raises(ApplicationError) as refused:
        services.review_draft_save(review=review, actor=expert, scores={"innovation": "11", "team": "5", "market": "na"}, comment="Lần hai")
    assert set(refused.value.extra) == {"innovation", "market"}  # market may not be "not applicable"
    review.refresh_from_db()
    assert review.draft_scores == {"innovation": 8} and review.draft_comment == "Lần đầu"
    assert Event.objects.filter(action="review.draft_saved").count() == 1


@pytest.mark.parametrize("who", ["other_reviewer", "officer", "manager"])
def test_only_the_reviewer_saves_their_draft(review, users, who):
    actor = reviewer() if who == "other_reviewer" else users[who]
    with pytest.raises(PermissionDenied):
        services.review_draft_save(review=review, actor=actor, scores={"innovation": "8"}, comment="Không phải của tôi")
    review.refresh_from_db()
    assert review.draft_saved_at is None and not Event.objects.filter(action="review.draft_saved").exists()


def test_no_draft_once_submitted(review):
    services.review_submit(review=review, actor=review.reviewer, scores=ALL, comment="Xong")
    with pytest.raises(ConflictError):
        services.review_draft_save(review=review, actor=review.reviewer, scores={"innovation": "2"}, comment="Sửa")
    review.refresh_from_db()
    assert review.scores["innovation"] == 8 and review.draft_saved_at is None


def test_submitting_after_a_draft_asks_every_score_then_clears_the_draft(review):
    expert = review.reviewer
    services.review_draft_save(review=review, actor=expert, scores={"innovation": "8"}, comment="Nửa chừng")
    with pytest.raises(ApplicationError) as refused:
        services.review_submit(review=review, actor=expert, scores={"innovation": "8"}, comment="Nửa chừng")
    assert {"team", "market", "feasibility"} <= set(refused.value.extra)
    review.refresh_from_db()
    assert review.state == "assigned" and review.draft_scores == {"innovation": 8}  # the draft stays as it was
    services.review_submit(review=review, actor=expert, scores=ALL, comment="Đầy đủ")
    review.refresh_from_db()
    assert review.state == "submitted" and review.comment == "Đầy đủ"
    assert (review.draft_scores, review.draft_comment, review.draft_saved_at) == ({}, "", None)


def test_a_draft_is_not_counted_in_the_ranking(users):
    call = CallFactory(budget=100_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    expert = reviewer()
    scored = ApplicationFactory(call=call, state="under_review", submitted_at=timezone.now())
    services.review_submit(review=Review.objects.create(application=scored, reviewer=expert), actor=expert, scores=ALL)
    drafted = ApplicationFactory(call=call, state="under_review", submitted_at=timezone.now())
    half = Review.objects.create(application=drafted, reviewer=expert)
    services.review_draft_save(review=half, actor=expert, scores={"innovation": "10", "team": "10"}, comment="")
    with pytest.raises(ConflictError) as unconfirmed:
        services.call_rank(call=call, actor=users["officer"])
    assert unconfirmed.value.extra == {"unchecked": 0, "unscored": 1}  # the drafted one is not scored
    services.call_rank(call=call, actor=users["officer"], confirm=True)
    assert [a.pk for a in selectors.call_ranking(user=users["officer"], call=call)] == [scored.pk]
    assert Application.objects.get(pk=drafted.pk).state == "under_review"


def test_the_review_page_saves_a_draft_and_shows_it_on_return(review, client):
    c = _client(review.reviewer)
    url = f"/programs/reviews/{review.pk}/"
    response = c.post(url, {"action": "draft", "score_innovation": "8", "score_team": "", "score_impact": "na", "comment": "Đội ngũ mạnh, thị trường chưa rõ"})
    assert response.status_code == 302 and response["Location"] == url
    page = c.get(url).content.decode()
    assert "Bản nháp của Ông/Bà đã được lưu." in page and "Đã lưu nháp lúc" in page
    assert "Đội ngũ mạnh, thị trường chưa rõ</textarea>" in page
    assert '<option value="8" selected>' in page and '<option value="na" selected>' in page
    assert "đã lưu nháp" in c.get("/programs/reviews/").content.decode()  # the work list says so


def test_the_review_page_refuses_a_submission_with_missing_scores_keeping_what_was_typed(review):
    c = _client(review.reviewer)
    url = f"/programs/reviews/{review.pk}/"
    response = c.post(url, {"action": "submit", "score_innovation": "8", "comment": "Chưa chấm hết"})
    page = response.content.decode()
    assert response.status_code == 400 and "error-summary" in page
    assert "Chưa chấm hết</textarea>" in page and '<option value="8" selected>' in page
    review.refresh_from_db()
    assert review.state == "assigned" and review.draft_saved_at is None and review.comment == ""


def test_others_do_not_read_a_draft(review, users):
    services.review_draft_save(review=review, actor=review.reviewer, scores={"innovation": "3"}, comment="Nhận xét còn riêng tư")
    officer = _client(users["officer"])
    page = officer.get(f"/programs/applications/{review.application_id}/").content.decode()
    assert "Robot hái nấm" in page and "Nhận xét còn riêng tư" not in page
    api = officer.get(f"/api/v1/programs/applications/{review.application_id}/reviews")
    assert api.status_code == 200 and [r["comment"] for r in api.json()["items"]] == [""]


def test_the_api_saves_a_draft_for_the_reviewer_only(review, users):
    url = f"/api/v1/programs/reviews/{review.pk}/draft"
    body = {"scores": {"innovation": 8, "impact": None}, "comment": "Nửa chừng"}
    mine = _client(review.reviewer).post(url, body, content_type="application/json")
    assert mine.status_code == 200 and mine.json()["draft_scores"] == {"innovation": 8, "impact": None}
    bad = _client(review.reviewer).post(url, {"scores": {"innovation": 12}, "comment": "Sai"}, content_type="application/json")
    assert bad.status_code in (400, 422) and "innovation" in bad.content.decode()
    other = _client(reviewer()).post(url, body, content_type="application/json")
    assert other.status_code == 404
    review.refresh_from_db()
    assert review.draft_comment == "Nửa chừng" and review.state == "assigned"
