"""The district column goes once 0004 has moved it to the 2025 units (separately: PostgreSQL
does not alter a table with the moved rows' foreign-key checks still pending)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_units_2025")]

    operations = [migrations.RemoveField(model_name="unit", name="district")]
