"""The programme code reads each call's own workflow for flags, never the default workflow's
state codes: a call running an edited workflow whose draft, returned and in-review states
have other codes still gets its reviews assigned and scored, its export and its staff list
right, and its returned applications sent back as answers to the request."""


import pytest

from innohub.core.errors import ConflictError
from innohub.programs import exports, selectors, services
from innohub.programs.models import Application, Review, Workflow
from innohub.programs.workflows import DEFAULT_WORKFLOW, workflow_problems
from innohub.workflow.tests.renaming import renamed

from .factories import ApplicationFactory, CallFactory, applicant_for, reviewer
from .test_views import login

pytestmark = pytest.mark.django_db

RENAMED = {"draft": "nhap", "returned": "can_bo_sung", "under_review": "tham_dinh"}
SCORES = {"innovation": 8, "team": 7, "market": 6, "impact": 8, "feasibility": 7}


@pytest.fixture
def call():
    definition = renamed(DEFAULT_WORKFLOW, RENAMED)
    assert workflow_problems(definition) == []
    return CallFactory(workflow=Workflow.objects.create(code="renamed", name="Quy trình đổi mã", definition=definition))


def test_reviews_are_assigned_and_scored_in_the_state_the_calls_workflow_flags_in_review(users, call):
    # given an application in the renamed in-review state and one still submitted, and two free reviewers
    in_review = ApplicationFactory(call=call, state="tham_dinh")
    submitted = ApplicationFactory(call=call, state="submitted")
    experts = [reviewer(capacity=5), reviewer(capacity=5)]
    # when the officer assigns reviewers, then the one in review gets two, the submitted one none
    result = services.reviewers_assign(call=call, actor=users["officer"])
    assert (result["assigned"], result["applications"]) == (2, 1)
    assert set(Review.objects.filter(application=in_review).values_list("reviewer_id", flat=True)) == {e.pk for e in experts}
    assert not Review.objects.filter(application=submitted).exists()
    # and a reviewer scores it
    review = Review.objects.get(application=in_review, reviewer=experts[0])
    services.review_submit(review=review, actor=experts[0], scores=SCORES)
    review.refresh_from_db()
    assert review.state == Review.State.SUBMITTED and review.weighted_score is not None
    # but once the application has left review, the other review can no longer be changed
    Application.objects.filter(pk=in_review.pk).update(state="ranked")
    other = Review.objects.get(application=in_review, reviewer=experts[1])
    with pytest.raises(ConflictError):
        services.review_submit(review=other, actor=experts[1], scores=SCORES)
    other.refresh_from_db()
    assert other.state == Review.State.ASSIGNED and other.weighted_score is None


def test_the_call_export_leaves_out_the_state_the_calls_workflow_flags_draft(users, call):
    draft = ApplicationFactory(call=call, state="nhap")
    submitted = ApplicationFactory(call=call, state="submitted")
    _header, rows = exports.call_rows(user=users["officer"], call=call)
    assert [row[0] for row in rows] == [submitted.reference]
    assert draft.reference not in officer_csv(users, call)


def officer_csv(users, call):
    return login(users["officer"]).get(f"/programs/staff/calls/{call.pk}/export.csv").content.decode("utf-8-sig")


def test_the_staff_list_filters_by_the_states_of_the_calls_own_workflows(users, call):
    in_review = ApplicationFactory(call=call, state="tham_dinh")
    draft = ApplicationFactory(call=call, state="nhap")
    officer = login(users["officer"])
    # the filter offers the workflow's own codes, not the default workflow's that no call uses
    assert [code for code, _label in selectors.application_state_choices()][:2] == ["nhap", "submitted"]
    body = officer.get("/programs/staff/applications/").content.decode()
    assert 'value="tham_dinh"' in body and 'value="under_review"' not in body
    # and filtering by one lists the applications in it
    body = officer.get("/programs/staff/applications/", {"call": call.pk, "state": "tham_dinh"}).content.decode()
    assert in_review.reference in body and draft.reference not in body


def test_a_returned_application_in_the_renamed_state_is_sent_back_as_the_answer_to_the_request(call):
    application = ApplicationFactory(call=call, state="can_bo_sung")
    member = applicant_for(application.organisation)
    body = login(member).get(f"/programs/applications/{application.pk}/edit/").content.decode()
    assert 'name="action" value="resubmit"' in body and 'value="submit"' not in body
    # and its badge has the returned colour, on its page and in the member's list
    assert 'class="prog-state prog-state-warning"' in login(member).get(f"/programs/applications/{application.pk}/").content.decode()
    assert 'class="prog-state prog-state-warning"' in login(member).get("/programs/my/").content.decode()


@pytest.mark.parametrize(("state", "offered"), [("approved", True), ("contracted", True), ("in_progress", True), ("completed", False), ("terminated", False)])
def test_staff_are_offered_a_new_milestone_while_the_award_may_still_change(users, state, offered):
    # the form follows what `milestone_add` accepts (a "funded" state), not a list of codes
    from .factories import AwardFactory

    award = AwardFactory(application=ApplicationFactory(state=state), amount=30_000_000)
    body = login(users["officer"]).get(f"/programs/applications/{award.application_id}/").content.decode()
    assert ("Thêm mốc thực hiện và đợt kinh phí" in body) is offered
