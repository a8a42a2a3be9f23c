"""Attachments stored before issue 32 kept the type the uploading browser claimed (which
the API gave back); rewrite it as the one the file's checked extension names."""

from django.db import migrations

from innohub.core.uploads import content_type_for


def retype(apps, schema_editor):
    Attachment = apps.get_model("programs", "Attachment")
    for attachment in Attachment.objects.only("pk", "file", "content_type").iterator():
        wanted = content_type_for(attachment.file.name)
        if attachment.content_type != wanted:
            Attachment.objects.filter(pk=attachment.pk).update(content_type=wanted)


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_workflow_state_flags")]
    operations = [migrations.RunPython(retype, migrations.RunPython.noop)]
