"""Staff work queues on the back office's landing page and their counts in the navigation
(issue 27): each role sees what waits for it, read through workflow flags; the page's
queries do not grow with the number of items; the queues are a registry apps add to."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from innohub.core import queues, registry
from innohub.programs.models import Message, Milestone, Review
from innohub.programs.tests.factories import ApplicationFactory, AwardFactory, CallFactory, reviewer

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


def _question(state, due):
    from innohub.qa.tests.factories import QuestionFactory

    return QuestionFactory(state=state, due_date=due)


@pytest.fixture
def work(users):
    call = CallFactory(reviews_due_on=timezone.localdate() - dt.timedelta(days=1))
    first = ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Hồ sơ mới nộp")
    answered = ApplicationFactory(call=call, state="submitted", submitted_at=timezone.now(), title="Hồ sơ đã bổ sung")
    Message.objects.create(application=answered, author=users["officer"], kind=Message.Kind.REQUEST, body="Bổ sung báo cáo tài chính")
    Message.objects.create(application=answered, author=answered.created_by, kind=Message.Kind.REPLY, body="Đã gửi")
    ApplicationFactory(call=call, state="returned", title="Hồ sơ đang chờ doanh nghiệp")  # with the applicant: in no queue
    ranked = ApplicationFactory(call=call, state="ranked", rank=1, score=81, title="Hồ sơ đã xếp hạng")
    award = AwardFactory()
    Milestone.objects.create(award=award, order=1, title="Sản phẩm mẫu", due_on=timezone.localdate(), state=Milestone.State.REPORTED,
                             report="Đã xong", reported_at=timezone.now())
    expert = users["reviewer"]
    from innohub.programs.models import ReviewerProfile

    ReviewerProfile.objects.get_or_create(user=expert)
    Review.objects.create(application=ApplicationFactory(call=call, state="under_review", title="Hồ sơ cần chấm"), reviewer=expert)
    return {"call": call, "first": first, "answered": answered, "ranked": ranked}


def test_an_officer_lands_on_their_queues_with_counts_in_the_navigation(users, work):
    page = login(users["officer"]).get("/backoffice/")
    body = page.content.decode()
    shown = {q["queue"].code: q["count"] for q in page.context["queues"]}
    assert shown == {"programs.eligibility": 1, "programs.information": 1, "programs.milestones": 1, "qa.due": 0, "research.needs": 0}
    assert "Hồ sơ chờ kiểm tra điều kiện" in body and "Hồ sơ mới nộp" in body
    assert "Hồ sơ đã gửi bổ sung theo yêu cầu" in body and "Hồ sơ đã bổ sung" in body
    assert "Báo cáo mốc chờ đánh giá" in body and "Sản phẩm mẫu" in body
    assert "Hồ sơ đang chờ doanh nghiệp" not in body  # returned: with the applicant
    nav = body.split('class="bo-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'Hồ sơ đăng ký <span class="badge nav-badge">3<span class="visually-hidden"> việc đang chờ</span>' in nav


def test_a_reviewer_sees_their_reviews_with_due_dates(users, work):
    body = login(users["reviewer"]).get("/backoffice/").content.decode()
    assert "Hồ sơ được phân công cho ông/bà đánh giá" in body and "Hồ sơ cần chấm" in body
    assert work["call"].reviews_due_on.strftime("%d/%m/%Y") in body and "quá hạn" in body
    assert "Hồ sơ mới nộp" not in body
    reviews = login(users["reviewer"]).get("/programs/reviews/").content.decode()
    assert "Hạn hoàn thành đánh giá" in reviews and work["call"].reviews_due_on.strftime("%d/%m/%Y") in reviews


def test_a_manager_sees_approvals_answers_and_budget(users, work):
    _question("awaiting_approval", timezone.localdate() + dt.timedelta(days=5))
    page = login(users["manager"]).get("/backoffice/")
    body = page.content.decode()
    shown = {q["queue"].code: q["count"] for q in page.context["queues"]}
    assert shown["programs.approvals"] == 1 and shown["qa.approval"] == 1
    assert "Hồ sơ đã xếp hạng" in body and "Ngân sách đã sử dụng theo đợt tiếp nhận" in body
    assert work["call"].title in body


def test_questions_due_or_overdue_for_officers(users, work):
    late = _question("assigned", timezone.localdate() - dt.timedelta(days=2))
    _question("assigned", timezone.localdate() + dt.timedelta(days=30))
    body = login(users["officer"]).get("/backoffice/").content.decode()
    assert late.tracking_code in body and "quá hạn" in body
    assert queues.counts_for(users["officer"])["qa.due"] == 1


def test_the_whole_queue_is_one_click_away_paginated(users, work):
    for i in range(7):
        ApplicationFactory(call=work["call"], state="submitted", submitted_at=timezone.now(), title=f"Hồ sơ thêm {i}")
    officer = login(users["officer"])
    body = officer.get("/backoffice/").content.decode()
    assert "?queue=programs.eligibility" in body and "Xem cả 8" in body
    full = officer.get("/backoffice/?queue=programs.eligibility").content.decode()
    assert "Hồ sơ thêm 6" in full and "Hồ sơ mới nộp" in full
    assert officer.get("/backoffice/?queue=programs.approvals").status_code == 404  # not an officer's queue


def test_the_landing_page_queries_do_not_grow_with_the_queues(users, work, django_assert_max_num_queries):
    officer = login(users["officer"])
    officer.get("/backoffice/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        officer.get("/backoffice/")
    for i in range(15):
        ApplicationFactory(call=work["call"], state="submitted", submitted_at=timezone.now(), title=f"Thêm {i}")
        AwardFactory().milestones.create(order=1, title=f"Mốc {i}", due_on=timezone.localdate(), state=Milestone.State.REPORTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer.get("/backoffice/")
    assert len(few.captured_queries) <= 45


def test_a_queue_code_declared_twice_is_refused(monkeypatch):
    duplicate = queues.WorkQueue("programs.eligibility", "x", frozenset({"officer"}), "innohub.programs.queues.eligibility_checks", "t.html")
    from django.apps import apps

    config = apps.get_app_config("portal")
    monkeypatch.setattr(config, "work_queues", (duplicate,), raising=False)
    registry.clear_cache()
    try:
        with pytest.raises(ImproperlyConfigured):
            registry.work_queues()
    finally:
        monkeypatch.undo()
        registry.clear_cache()


def test_anonymous_and_applicants_have_no_queues(users, client):
    assert queues.queues_for(users["applicant"]) == []
    assert client.get("/backoffice/").status_code == 302
    assert login(users["applicant"]).get("/backoffice/").status_code == 403


def test_ranking_tells_managers_that_approvals_wait(users):
    from innohub.activity.models import Notification
    from innohub.programs import services

    call = CallFactory(budget=100_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    expert = reviewer()
    app = ApplicationFactory(call=call, state="under_review", amount_requested=30_000_000, submitted_at=timezone.now())
    review = Review.objects.create(application=app, reviewer=expert)
    services.review_submit(review=review, actor=expert, scores={"innovation": 8, "team": 8, "market": 8, "impact": 8, "feasibility": 8})
    services.call_rank(call=call, actor=users["officer"])
    note = Notification.objects.get(recipient=users["manager"], message="programs.approvals_waiting")
    assert note.params["n"] == 1 and note.url.endswith(f"/programs/staff/calls/{call.pk}/")
    assert Notification.objects.filter(recipient=users["administrator"], message="programs.approvals_waiting").exists()
    assert not Notification.objects.filter(recipient=users["officer"], message="programs.approvals_waiting").exists()
    body = login(users["manager"]).get(reverse("activity:notifications")).content.decode()
    assert "1 hồ sơ đã xếp hạng chờ ông/bà quyết định" in body
