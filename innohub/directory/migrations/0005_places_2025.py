"""Organisations' districts (before 1 July 2025) moved to today's province and commune.

A district that became one commune gives that commune; one spread over several ("Quận 1")
gives the province and keeps the former district; a name the reference data does not know
stays readable in ``city`` (nothing is lost), and staff place it by hand."""

import django.db.models.deletion
from django.db import migrations, models


def move_districts(apps, schema_editor):
    from django.conf import settings

    from innohub.places.migrating import OldNames

    Organisation = apps.get_model("directory", "Organisation")
    names = OldNames(apps, getattr(settings, "PLACES_HOME_PROVINCE", "79"))
    for org in Organisation.objects.exclude(district="").only("id", "district", "city", "country"):
        found = names.resolve(org.district)
        if found is None:
            city = org.district if not org.city else f"{org.district}, {org.city}"
            Organisation.objects.filter(pk=org.pk).update(city=city[:80])
            continue
        Organisation.objects.filter(pk=org.pk).update(
            province_id=found.province, commune_id=found.commune, former_district_id=found.former_district
        )


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0004_organisation_description_en_position_title_en'),
        ('places', '0002_load_units'),
    ]

    operations = [
        migrations.AddField(
            model_name='organisation',
            name='commune',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.commune', to_field='code', verbose_name='commune or ward'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='former_district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.formerdistrict', to_field='code', verbose_name='former district (before July 2025)'),
        ),
        migrations.AddField(
            model_name='organisation',
            name='province',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.province', to_field='code', verbose_name='province'),
        ),
        migrations.RunPython(move_districts, migrations.RunPython.noop),
    ]
