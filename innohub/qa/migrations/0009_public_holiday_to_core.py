"""The public holidays now belong to core (core 0001 took the table): removed from the
Q&A's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("qa", "0008_answer_feedback"),
        ("core", "0001_public_holiday_from_qa"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PublicHoliday")],
            database_operations=[],
        ),
    ]
