"""The district column goes once 0005 has moved it to the 2025 units (a separate migration:
PostgreSQL does not alter a table with the moved rows' foreign-key checks still pending)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("directory", "0005_places_2025")]

    operations = [migrations.RemoveField(model_name="organisation", name="district")]
