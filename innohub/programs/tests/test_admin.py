"""Configuration as data is validated, and versions in use are frozen."""

import copy
import json

import pytest

from innohub.programs import defaults
from innohub.programs.admin import FormDefinitionForm, WorkflowForm, form_schema_problems
from innohub.programs.models import FormDefinition
from innohub.programs.workflows import DEFAULT_WORKFLOW

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_default_form_and_workflow_are_valid():
    assert form_schema_problems(defaults.DEFAULT_FORM_SCHEMA) == []
    assert WorkflowForm(data={"code": "w", "version": 2, "name": "W", "definition": json.dumps(DEFAULT_WORKFLOW)}).is_valid()


def test_broken_definitions_are_refused_with_every_problem():
    schema = {"sections": [{"fields": [{"key": "a", "kind": "video", "label": {"vi": "A"}}, {"key": "a", "kind": "choice", "label": {}}]}]}
    assert len(form_schema_problems(schema)) == 4
    assert not FormDefinitionForm(data={"code": "f", "version": 1, "title": "F", "schema": json.dumps(schema)}).is_valid()
    broken = copy.deepcopy(DEFAULT_WORKFLOW)
    broken["transitions"][0]["guards"] = ["is_lucky"]
    broken["transitions"][1]["target"] = "limbo"
    form = WorkflowForm(data={"code": "w", "version": 3, "name": "W", "definition": json.dumps(broken)})
    assert not form.is_valid() and len(form.errors["definition"]) == 2


def test_a_form_version_in_use_is_frozen_and_can_be_copied(client_for):
    application = ApplicationFactory()
    c = client_for("administrator")
    page = c.get(f"/admin/programs/formdefinition/{application.form_id}/change/").content.decode()
    assert 'name="schema"' not in page
    c.post("/admin/programs/formdefinition/", {"action": "new_version", "_selected_action": [application.form_id]})
    assert FormDefinition.objects.filter(code=application.form.code, version=application.form.version + 1).exists()
