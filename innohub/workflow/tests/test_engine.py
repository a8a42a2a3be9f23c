"""The workflow engine: definitions parsed and validated, roles resolved, transitions refused
without a trace, effects run once; and programmes ranking by flags, not by state codes."""

import copy
import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from innohub.activity.models import Event
from innohub.core.errors import ApplicationError, ConflictError
from innohub.programs import services
from innohub.programs.admin import WorkflowForm
from innohub.programs.models import Application, Review, Workflow
from innohub.programs.tests.factories import ApplicationFactory, CallFactory, reviewer
from innohub.programs.workflows import APPLICATION, DEFAULT_WORKFLOW, workflow_problems
from innohub.qa import workflows as qa_workflows
from innohub.qa.models import Question
from innohub.qa.services import question_transition
from innohub.qa.tests.factories import QuestionFactory
from innohub.workflow.registry import WorkflowKind
from innohub.workflow.services import transitions_allowed
from innohub.workflow.spec import WorkflowSpec, definition_problems
from innohub.workflow.tests.renaming import renamed

TOY = {
    "initial": "a",
    "states": [
        {"code": "a", "staff": {"vi": "A vi", "en": "A"}, "flags": ["open"]},
        {"code": "b", "staff": {"vi": "B vi", "en": "B"}, "terminal": True, "flags": ["done"]},
    ],
    "transitions": [{"code": "go", "source": ["a"], "target": "b", "roles": ["managers", "owner"], "guards": ["ok"], "effects": ["count"]}],
}


def test_a_spec_reads_states_flags_labels_and_transitions():
    spec = WorkflowSpec(TOY)
    assert spec.initial == "a" and spec.states_with("open") == ("a",) and spec.has_flag("b", "terminal")
    assert spec.label("a") in ("A", "A vi") and spec.label("zzz") == "zzz"
    assert spec.transitions["go"].user_roles() == {"manager", "administrator"}
    assert [t.code for t in spec.transitions_into("a", "done")] == ["go"]


def test_validation_names_every_problem():
    kind = WorkflowKind(model="tests.toy", audit_prefix="toy", spec_of=lambda o: WorkflowSpec(TOY),
                        required_flags=("open", "rankable"), required_transitions=("go", "stop"))
    broken = copy.deepcopy(TOY)
    broken["initial"] = ""
    broken["transitions"][0].update(target="limbo", roles=["wizard"])
    problems = definition_problems(broken, kind)
    assert len(problems) == 7, problems  # no initial, limbo, wizard, guard ok, effect count, flag rankable, transition stop
    assert any("rankable" in p for p in problems) and any("limbo" in p for p in problems) and any("wizard" in p for p in problems)
    assert definition_problems("nonsense") and definition_problems({"states": [{}]})


@pytest.mark.django_db
def test_an_edited_workflow_missing_a_required_flag_is_refused_and_not_saved(client_for):
    edited = copy.deepcopy(DEFAULT_WORKFLOW)
    for state in edited["states"]:
        state["flags"] = [f for f in state.get("flags", []) if f != "rankable"]
    with translation.override("en"):
        problems = workflow_problems(edited)
    assert problems == ["No state carries the flag “rankable”, which the platform relies on."]
    assert not WorkflowForm(data={"code": "w", "version": 9, "name": "W", "definition": json.dumps(edited)}).is_valid()
    page = client_for("administrator").post("/admin/programs/workflow/add/", {"code": "w", "version": 9, "name": "W", "definition": json.dumps(edited)})
    assert "rankable" in page.content.decode() and not Workflow.objects.filter(code="w").exists()


@pytest.mark.django_db
def test_a_refused_transition_changes_nothing(users):
    application = ApplicationFactory(state="submitted")
    before = Event.objects.count()
    with pytest.raises(PermissionDenied):
        services.application_transition(application=application, transition="start_check", actor=users["reviewer"])
    with pytest.raises(ConflictError):
        services.application_transition(application=application, transition="contract", actor=users["officer"])
    with pytest.raises(ApplicationError):
        services.application_transition(application=application, transition="return", actor=users["officer"])  # no message
    assert Application.objects.get(pk=application.pk).state == "submitted" and Event.objects.count() == before
    assert "start_check" in [t.code for t in transitions_allowed(user=users["officer"], obj=application)]
    assert transitions_allowed(user=users["reviewer"], obj=application) == []


@pytest.mark.django_db
def test_a_question_runs_on_the_engine_and_its_effect_runs_once(users):
    question = QuestionFactory()
    assert qa_workflows.QUESTION.problems(qa_workflows.QUESTION_WORKFLOW) == []
    with pytest.raises(ApplicationError):  # an internal step is not offered
        question_transition(question=question, actor=users["officer"], code="reject_with_original")
    question = question_transition(question=question, actor=users["officer"], code="reject", changes={"reject_reason": "x"})
    first = question.closed_at
    assert first is not None and Question.objects.get(pk=question.pk).state == "rejected_out_of_scope"
    assert Event.objects.filter(action="question.reject", target_id=str(question.pk)).count() == 1


@pytest.mark.django_db
def test_a_workflow_renaming_ranked_but_keeping_its_flags_still_ranks(users):
    definition = renamed(DEFAULT_WORKFLOW, {"ranked": "shortlisted"})
    assert APPLICATION.problems(definition) == []
    workflow = Workflow.objects.create(code="renamed", version=1, name="Renamed", definition=definition)
    call = CallFactory(workflow=workflow, budget=50_000_000, reviewers_per_application=1, closes_at=timezone.now() - dt.timedelta(days=1))
    expert = reviewer()
    apps = []
    for s in (6, 9):
        app = ApplicationFactory(call=call, state="under_review", amount_requested=30_000_000, submitted_at=timezone.now())
        review = Review.objects.create(application=app, reviewer=expert)
        services.review_submit(review=review, actor=expert, scores={"innovation": s, "team": s, "market": s, "impact": s, "feasibility": s})
        apps.append(app)
    assert services.call_rank(call=call, actor=users["officer"]) == {"ranked": 2, "moved": 2, "above_line": 1, "below_min_score": 1}
    rows = {a.pk: (a.state, a.rank) for a in Application.objects.filter(call=call)}
    assert rows == {apps[1].pk: ("shortlisted", 1), apps[0].pk: ("shortlisted", 2)}
    event = Event.objects.get(action="application.rank", target_id=str(apps[1].pk))
    assert (event.before, event.after["state"]) == ({"state": "under_review"}, "shortlisted")
    assert services.call_rank(call=call, actor=users["officer"])["ranked"] == 2  # re-ranks the renamed state
