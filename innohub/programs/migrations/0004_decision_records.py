"""Decision records (issue 27): a call's minimum score, the declaration's time, milestone
evidence files, and the signed record behind an approval, a rejection, a termination and a
contract. Stored workflows gain the guards and effects that ask for them: each transition
of the seeded codes gets what the default workflow now gives it (a step an administrator
named otherwise is left for them to change in the admin), and a draft is deleted, not
withdrawn."""

from decimal import Decimal

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import innohub.core.money
import innohub.programs.models

ADD = {
    "submit": (["declaration"], ["send_receipt"]),
    "approve": (["decision_record"], ["record_decision"]),
    "reject": (["decision_record"], ["record_decision"]),
    "terminate": (["decision_record"], ["record_decision"]),
    "contract": (["contract_record"], ["record_contract"]),
}


def _add(names, extra, before=None):
    out = list(names or [])
    for name in extra:
        if name in out:
            continue
        if before and before in out:
            out.insert(out.index(before), name)
        else:
            out.append(name)
    return out


def update_workflows(apps, schema_editor):
    Workflow = apps.get_model("programs", "Workflow")
    for workflow in Workflow.objects.all():
        transitions = (workflow.definition or {}).get("transitions") or []
        changed = False
        for step in transitions:
            if not isinstance(step, dict):
                continue
            code = step.get("code")
            if code in ADD:
                guards, effects = ADD[code]
                new_guards = _add(step.get("guards"), guards)
                new_effects = _add(step.get("effects"), effects, before="notify_applicant")
                if new_guards != step.get("guards") or new_effects != step.get("effects"):
                    step["guards"], step["effects"] = new_guards, new_effects
                    changed = True
            if code == "withdraw" and "draft" in (step.get("source") or []) and len(step["source"]) > 1:
                step["source"] = [s for s in step["source"] if s != "draft"]
                changed = True
        if changed:
            workflow.save(update_fields=["definition"])


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0003_attachment_content_type_from_extension"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="min_score",
            field=models.DecimalField(
                decimal_places=2, default=Decimal("70"), max_digits=5, verbose_name="minimum score for funding",
                help_text="An application scoring below this (out of 100) is never above the funding line.",
            ),
        ),
        migrations.AddConstraint(
            model_name="call",
            constraint=models.CheckConstraint(condition=models.Q(("min_score__gte", 0), ("min_score__lte", 100)), name="call_min_score_0_100"),
        ),
        migrations.AddField(
            model_name="application",
            name="declared_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="declaration confirmed at"),
        ),
        migrations.CreateModel(
            name="MilestoneEvidence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("file", models.FileField(max_length=255, upload_to=innohub.programs.models.evidence_path, verbose_name="file")),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="type")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                ("milestone", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="evidence", to="programs.milestone")),
                ("uploaded_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={"verbose_name": "milestone evidence", "verbose_name_plural": "milestone evidence", "ordering": ["milestone", "id"]},
        ),
        migrations.CreateModel(
            name="DecisionRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                ("kind", models.CharField(choices=[("approval", "Approval decision"), ("rejection", "Rejection decision"), ("termination", "Termination decision"), ("contract", "Contract")], max_length=20, verbose_name="kind")),
                ("transition", models.CharField(max_length=40, verbose_name="step")),
                ("number", models.CharField(max_length=80, verbose_name="number")),
                ("signed_on", models.DateField(verbose_name="signed on")),
                ("signer", models.CharField(max_length=200, verbose_name="signed by")),
                ("amount", innohub.core.money.MoneyField(blank=True, null=True, verbose_name="amount")),
                ("file", models.FileField(max_length=255, upload_to=innohub.programs.models.record_path, verbose_name="signed file")),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("content_type", models.CharField(max_length=100, verbose_name="type")),
                ("size", models.PositiveIntegerField(verbose_name="size in bytes")),
                ("application", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="records", to="programs.application")),
                ("recorded_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "verbose_name": "decision record", "verbose_name_plural": "decision records", "ordering": ["application", "signed_on", "id"],
                "indexes": [models.Index(fields=["application", "kind"], name="programs_record_app_kind")],
            },
        ),
        migrations.RunPython(update_workflows, migrations.RunPython.noop),
    ]
