"""Reviewer assignment (issue 27): the officer sees the engine's proposal before anything is
saved, keeps what they want, and on an application's page adds, replaces or removes a
reviewer; a conflict of interest is refused with a message and nothing changes."""

import pytest
from django.test import Client

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event, Notification
from innohub.core.errors import ApplicationError, ConflictError
from innohub.programs import assignment, services
from innohub.programs.models import Review

from .factories import ApplicationFactory, CallFactory, reviewer

pytestmark = pytest.mark.django_db


def login(user):
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setup(users):
    call = CallFactory(reviewers_per_application=2)
    apps = [ApplicationFactory(call=call, state="under_review", title=f"Dự án {i}") for i in range(2)]
    experts = [reviewer(username=f"expert-{i}", full_name=f"TS. Chuyên gia {i}") for i in range(3)]
    return {"call": call, "apps": apps, "experts": experts, "officer": users["officer"]}


def test_the_proposal_saves_nothing(setup):
    plan = assignment.proposal(call=setup["call"])
    assert len(plan.pairs) == 4 and plan.applications == 2 and not plan.short
    assert not Review.objects.exists() and not Event.objects.filter(action="call.reviewers_assigned").exists()


def test_the_officer_keeps_part_of_the_proposal(setup):
    plan = assignment.proposal(call=setup["call"])
    kept = plan.pairs[:3]
    result = services.reviewers_assign(call=setup["call"], actor=setup["officer"], pairs=kept)
    assert result["assigned"] == 3
    assert set(Review.objects.values_list("application_id", "reviewer_id")) == set(kept)
    assert Notification.objects.filter(recipient_id__in=[uid for _a, uid in kept]).exists()


def test_a_conflicted_pair_refuses_the_whole_assignment(setup):
    app, expert = setup["apps"][0], setup["experts"][0]
    MembershipFactory(user=expert, organisation=app.organisation)  # a member of the startup: a conflict
    events = Event.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.reviewers_assign(call=setup["call"], actor=setup["officer"],
                                  pairs=[(setup["apps"][1].pk, setup["experts"][1].pk), (app.pk, expert.pk)])
    assert "xung đột lợi ích" in str(refused.value.message) or "conflict of interest" in str(refused.value.message)
    assert not Review.objects.exists() and Event.objects.count() == events
    assert expert.pk not in {uid for _a, uid in assignment.proposal(call=setup["call"]).pairs if _a == app.pk}


def test_add_replace_and_remove_one_reviewer(setup):
    app, (a, b, c) = setup["apps"][0], setup["experts"]
    first = services.review_assign(application=app, reviewer=a, actor=setup["officer"])
    replacement = services.review_assign(application=app, reviewer=b, actor=setup["officer"], replacing=first)
    assert list(app.reviews.values_list("reviewer_id", flat=True)) == [b.pk]
    services.review_unassign(review=replacement, actor=setup["officer"])
    assert not app.reviews.exists()
    assert [e.action for e in Event.objects.filter(action__startswith="review.").order_by("id")] == [
        "review.assigned", "review.unassigned", "review.assigned", "review.unassigned"]
    with pytest.raises(ConflictError):  # twice on one application
        services.review_assign(application=app, reviewer=c, actor=setup["officer"])
        services.review_assign(application=app, reviewer=c, actor=setup["officer"])


def test_a_submitted_review_is_never_removed(setup):
    app, expert = setup["apps"][0], setup["experts"][0]
    review = Review.objects.create(application=app, reviewer=expert, state=Review.State.SUBMITTED)
    with pytest.raises(ConflictError):
        services.review_unassign(review=review, actor=setup["officer"])
    assert Review.objects.filter(pk=review.pk).exists()


def test_the_pages_show_the_proposal_then_save_it(setup):
    officer = login(setup["officer"])
    dashboard = officer.get(f"/programs/staff/calls/{setup['call'].pk}/").content.decode()
    assert f"/programs/staff/calls/{setup['call'].pk}/reviewers/" in dashboard
    page = officer.get(f"/programs/staff/calls/{setup['call'].pk}/reviewers/")
    body = page.content.decode()
    assert "Phương án phân công đề xuất (chưa lưu)" in body and "TS. Chuyên gia 0" in body
    assert not Review.objects.exists()
    pairs = [f"{a}:{u}" for a, u in assignment.proposal(call=setup["call"]).pairs]
    saved = officer.post(f"/programs/staff/calls/{setup['call'].pk}/reviewers/", {"pair": pairs[:2]})
    assert saved.status_code == 302 and Review.objects.count() == 2


def test_the_application_page_leads_to_its_reviewers_and_a_conflict_is_refused_with_a_message(setup):
    app, expert = setup["apps"][0], setup["experts"][2]
    MembershipFactory(user=expert, organisation=app.organisation)
    officer = login(setup["officer"])
    detail = officer.get(f"/programs/applications/{app.pk}/").content.decode()
    assert f"/programs/staff/applications/{app.pk}/reviewers/" in detail
    page = officer.get(f"/programs/staff/applications/{app.pk}/reviewers/").content.decode()
    assert "xung đột lợi ích" in page and "được đề xuất" in page
    response = officer.post(f"/programs/staff/applications/{app.pk}/reviewers/", {"action": "add", "reviewer": expert.pk}, follow=True)
    assert "có xung đột lợi ích với doanh nghiệp" in response.content.decode()
    assert not Review.objects.exists()
    ok = officer.post(f"/programs/staff/applications/{app.pk}/reviewers/", {"action": "add", "reviewer": setup["experts"][0].pk}, follow=True)
    assert "được phân công đánh giá hồ sơ này" in ok.content.decode()
    review = Review.objects.get()
    officer.post(f"/programs/staff/applications/{app.pk}/reviewers/", {"action": "remove", "review": review.pk})
    assert not Review.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "reviewer", "visitor"])
def test_others_cannot_assign_and_nothing_changes(users, setup, role):
    app = setup["apps"][0]
    c = login(users[role])
    assert c.post(f"/programs/staff/applications/{app.pk}/reviewers/", {"action": "add", "reviewer": setup["experts"][0].pk}).status_code == 403
    assert c.post(f"/programs/staff/calls/{setup['call'].pk}/reviewers/", {"pair": [f"{app.pk}:{setup['experts'][0].pk}"]}).status_code == 403
    assert not Review.objects.exists()
