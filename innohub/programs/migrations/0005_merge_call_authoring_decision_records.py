"""Call authoring and decision records were written side by side (issue 27); nothing to change."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0004_call_authoring"),
        ("programs", "0004_decision_records"),
    ]

    operations = []
