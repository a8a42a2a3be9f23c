"""Stored names of uploads: generated, never the uploader's, with the extension kept, and
written down by migrations (deconstructible) the same way each time."""

from django.db import models

from innohub.core.uploads import GeneratedUploadPath, generated_upload_path


def test_the_stored_name_is_generated_under_the_prefix_and_keeps_the_extension():
    name = generated_upload_path("research/minutes")(None, "Biên bản hội đồng – bí mật.PDF")
    folder, stored = name.rsplit("/", 1)
    assert folder == "research/minutes"
    assert stored.endswith(".pdf") and "Biên" not in name and "bí mật" not in name
    assert len(stored) == 32 + len(".pdf")


def test_two_uploads_of_the_same_name_are_stored_apart():
    upload_to = generated_upload_path("cooperation")
    assert upload_to(None, "bien-ban.pdf") != upload_to(None, "bien-ban.pdf")


def test_a_name_without_a_usable_extension_is_stored_as_bin():
    upload_to = generated_upload_path("x")
    assert upload_to(None, "README").endswith(".bin")
    assert upload_to(None, "a.p<d>f").endswith(".bin")
    assert upload_to(None, "../../etc/passwd").startswith("x/")


def test_a_folder_from_the_instance_is_put_between_prefix_and_name():
    class Owner:
        application_id = 42

    assert generated_upload_path("programs", "application_id")(Owner(), "a.docx").startswith("programs/42/")


def test_migrations_write_it_down_and_see_no_change():
    field = models.FileField(upload_to=generated_upload_path("research/reports"))
    _, _, _, kwargs = field.deconstruct()
    assert kwargs["upload_to"].deconstruct() == ("innohub.core.uploads.GeneratedUploadPath", ("research/reports", ""), {})
    assert kwargs["upload_to"] == GeneratedUploadPath("research/reports")
    assert kwargs["upload_to"] != GeneratedUploadPath("research/minutes")
