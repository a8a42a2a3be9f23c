"""The public holidays move from the Q&A to core, where every module's working days read
them: the model changes app in Django's state only (its table stays), then the table and
the content type (which audit events point at) take core's names."""

from django.db import migrations, models


def content_type_to_core(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="publicholiday").exists():
        ContentType.objects.filter(app_label="qa", model="publicholiday").update(app_label="core")


def content_type_to_qa(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="qa", model="publicholiday").exists():
        ContentType.objects.filter(app_label="core", model="publicholiday").update(app_label="qa")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("qa", "0008_answer_feedback"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PublicHoliday",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "public holiday",
                        "verbose_name_plural": "public holidays",
                        "ordering": ["date"],
                        "db_table": "qa_publicholiday",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="publicholiday", table=None),
        migrations.RunPython(content_type_to_core, content_type_to_qa),
    ]
