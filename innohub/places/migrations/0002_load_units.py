"""Loads every administrative unit from the pinned package (reference.py), so that the
migrations moving stored districts to the new units find them on a fresh database too."""

from django.db import migrations


def load(apps, schema_editor):
    from innohub.places.reference import load_units

    load_units(apps)


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
