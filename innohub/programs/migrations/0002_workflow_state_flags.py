"""Stored workflows gain the state flags the code now reads instead of state codes: each
state of the seeded codes gets the flags the default workflow gives it (a state an
administrator named otherwise is left for them to flag in the admin)."""

from django.db import migrations

FLAGS = {
    "draft": ["draft", "editable_by_applicant", "open"],
    "submitted": ["awaiting_check", "open"],
    "eligibility_check": ["awaiting_check", "open"],
    "returned": ["awaiting_check", "editable_by_applicant", "returned", "open"],
    "under_review": ["in_review", "rankable", "open"],
    "ranked": ["ranked", "open"],
    "approved": ["funded", "decided"],
    "rejected": ["decided", "closed"],
    "ineligible": ["decided", "closed"],
    "contracted": ["funded", "under_contract"],
    "in_progress": ["funded", "under_contract"],
    "completed": ["completed", "closed"],
    "terminated": ["decided", "closed"],
    "withdrawn": ["withdrawn", "closed"],
}


def add_flags(apps, schema_editor):
    Workflow = apps.get_model("programs", "Workflow")
    for workflow in Workflow.objects.all():
        states = (workflow.definition or {}).get("states") or []
        changed = False
        for state in states:
            if isinstance(state, dict) and "flags" not in state and state.get("code") in FLAGS:
                state["flags"] = FLAGS[state["code"]]
                changed = True
        if changed:
            workflow.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(add_flags, migrations.RunPython.noop)]
