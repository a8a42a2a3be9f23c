"""Index units given as districts (before 1 July 2025) moved to the 2025 units: a district that
became one commune is that commune; one spread over several stays as a former district (a unit
can be any level; its older figures are history), with its province. Kind "district" goes."""

import django.db.models.deletion
from django.db import migrations, models


def move_districts(apps, schema_editor):
    from django.conf import settings

    from innohub.places.migrating import OldNames

    Unit = apps.get_model("indicators", "Unit")
    names = OldNames(apps, getattr(settings, "PLACES_HOME_PROVINCE", "79"))
    for unit in Unit.objects.all():
        found = names.resolve(unit.district) if unit.district else None
        if found is None:
            if unit.kind == "district":
                Unit.objects.filter(pk=unit.pk).update(kind="former_district")
            continue
        kind = "commune" if found.commune else "former_district"
        Unit.objects.filter(pk=unit.pk).update(
            kind=kind, province_id=found.province, commune_id=found.commune, former_district_id=found.former_district
        )


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_run_error_problems'),
        ('places', '0002_load_units'),
    ]

    operations = [
        migrations.AddField(
            model_name='unit',
            name='commune',
            field=models.ForeignKey(blank=True, help_text="Where the platform's records (organisations, awards, questions) are counted for this unit.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.commune', to_field='code', verbose_name='ward or commune'),
        ),
        migrations.AddField(
            model_name='unit',
            name='former_district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.formerdistrict', to_field='code', verbose_name='former district (before July 2025)'),
        ),
        migrations.AddField(
            model_name='unit',
            name='province',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.province', to_field='code', verbose_name='province'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='kind',
            field=models.CharField(choices=[('commune', 'Ward or commune'), ('province', 'Province'), ('former_district', 'Former district (before July 2025)'), ('city', 'City'), ('country', 'Country')], default='commune', max_length=20, verbose_name='kind'),
        ),
        migrations.RunPython(move_districts, migrations.RunPython.noop),
    ]
