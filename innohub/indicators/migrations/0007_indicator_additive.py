"""Indicators say whether they are a count or an amount (divided among communes when a former
district's figure is converted) or a rate or score (given whole to each commune)."""

from django.db import migrations, models


def mark_counts_and_amounts(apps, schema_editor):
    """Indicators created before the field: those measured in the demo framework's counts and
    amounts (billion VND, papers, contracts) are additive; the rest stay rates and scores."""
    Indicator = apps.get_model("indicators", "Indicator")
    Indicator.objects.filter(measure__in=["tỷ đồng", "bài", "hợp đồng"]).update(additive=True)


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0006_sensitivity_intervals"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="additive",
            field=models.BooleanField(default=False, help_text="A count or an amount (papers, contracts, billion VND): a former district's figure is divided among today's communes. A rate or score is given whole to each of them.", verbose_name="count or amount"),
        ),
        migrations.RunPython(mark_counts_and_amounts, migrations.RunPython.noop),
    ]
