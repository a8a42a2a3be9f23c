"""Uploaded files on S3-compatible storage (django-storages' S3Storage against moto's standalone
server on 127.0.0.1, spoken to over HTTP as S3 is). Uploads through the product's own forms land in
the bucket, privately, and nowhere on disk; downloads go through the views that check who asks, and
are refused to anyone else; a backup reads the bucket and a restore writes it back, into an empty
database and an empty bucket, the same data and files. Runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client
from storages.backends.s3 import S3Storage

from innohub.accounts.tests.factories import MembershipFactory
from innohub.activity.models import Event
from innohub.ops import backup
from innohub.ops.tests.conftest import assert_same_rows, raw_connection
from innohub.programs.models import Attachment
from innohub.programs.tests.factories import ApplicationFactory
from innohub.qa.models import Question
from innohub.qa.tests.factories import TopicFactory


def pdf(tag: bytes = b"") -> bytes:
    """A small PDF (it passes the upload checks), different for each tag."""
    return b"%PDF-1.4\n" + tag + bytes(range(256)) * 40 + b"\n%%EOF\n"


PDF = pdf()
ALL_USERS = {"AllUsers", "AuthenticatedUsers"}


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _public_grants(bucket, key: str) -> list[dict]:
    acl = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)
    return [g for g in acl["Grants"] if g["Grantee"].get("URI", "").rsplit("/", 1)[-1] in ALL_USERS]


def _attach(client: Client, application, name: str, content: bytes):
    return client.post(f"/programs/applications/{application.pk}/attach/",
                       {"field_key": "business_plan", "business_plan-file": SimpleUploadedFile(name, content)})


def _files_on_disk() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_every_file_field_stores_through_the_configured_storage(s3_media):
    # given the uploads configured on S3, then every FileField of every model writes through it
    fields = [(m._meta.label, f.name, f.storage) for m in apps.get_models() for f in m._meta.concrete_fields
              if isinstance(f, models.FileField)]
    assert len(fields) >= 10
    for label, name, storage in fields:
        assert storage is default_storage, (label, name)
    assert isinstance(default_storage, S3Storage)
    assert default_storage.bucket_name == s3_media.name and default_storage.default_acl == "private"


@pytest.mark.django_db
def test_an_applicants_upload_goes_to_the_bucket_privately_and_downloads_only_through_the_view(s3_media, users, make_user):
    # given an applicant's draft application and the uploads on S3
    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    me = login(users["applicant"])

    # when the applicant attaches a PDF on the application's page
    response = _attach(me, application, "Kế hoạch kinh doanh.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=application)

    # then the file is an object of the bucket under its generated name, private, and not on disk
    assert s3_media.object_keys() == [attachment.file.name]
    assert "Kế hoạch" not in attachment.file.name and attachment.original_name == "Kế hoạch kinh doanh.pdf"
    assert s3_media.read(attachment.file.name) == PDF
    assert _public_grants(s3_media, attachment.file.name) == []
    assert _files_on_disk() == []
    # and the attachment is in the audit log
    assert Event.objects.filter(action="application.file_attached", target_id=str(application.pk)).count() == 1

    # when the applicant downloads it, it comes through the view, whole, typed by its extension
    download = me.get(f"/programs/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and download["Content-Disposition"].startswith("attachment;")
    # and the page shows no address of the bucket, only the view's
    page = me.get(f"/programs/applications/{application.pk}/edit/").content.decode()
    assert s3_media.endpoint not in page and s3_media.name not in page

    # when another applicant, or a visitor, asks for it, then they are refused and get no byte of it
    stranger = make_user("applicant", username="nguoi-la")
    refused = login(stranger).get(f"/programs/attachments/{attachment.pk}/")
    assert refused.status_code == 404
    anonymous = Client().get(f"/programs/attachments/{attachment.pk}/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


@pytest.mark.django_db
def test_a_bad_upload_is_refused_and_puts_nothing_in_the_bucket(s3_media, users):
    # given an applicant's draft, when a GIF named .pdf is attached, then it is refused with a
    # message, no attachment is recorded and the bucket stays empty
    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    me = login(users["applicant"])
    response = me.post(f"/programs/applications/{application.pk}/attach/",
                       {"field_key": "business_plan", "business_plan-file": SimpleUploadedFile("a.pdf", b"GIF89a\x01\x00")}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Loại tệp này không được chấp nhận. Chấp nhận: .pdf, .docx."]
    assert not Attachment.objects.exists()
    assert s3_media.object_keys() == []


@pytest.mark.django_db
def test_a_removed_attachment_leaves_the_bucket_and_a_missing_object_is_a_404(s3_media, users):
    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    me = login(users["applicant"])
    _attach(me, application, "one.pdf", PDF)
    _attach(me, application, "two.pdf", pdf(b"two"))
    first, second = Attachment.objects.order_by("pk")
    # when the applicant removes the first, its object leaves the bucket; the other stays
    me.post(f"/programs/attachments/{first.pk}/remove/")
    assert s3_media.object_keys() == [second.file.name]
    # when the second's object is gone from the bucket (deleted outside the site), its download is a 404, not an error
    s3_media.client.delete_object(Bucket=s3_media.name, Key=second.file.name)
    assert me.get(f"/programs/attachments/{second.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_citizens_attachment_goes_to_the_bucket_and_only_staff_download_it(s3_media, client, client_for):
    # given a citizen who asks on the public form with a PDF attached
    response = client.post("/qa/ask/", {
        "topic": TopicFactory().pk, "asker_email": "lan@example.vn", "website": "", "consent": "on",
        "text": "Xin gửi kèm hồ sơ, hỏi về hỗ trợ ươm tạo?", "attachment": SimpleUploadedFile("Hồ sơ.pdf", PDF),
    })
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get()
    # then the file is in the bucket, private, and not on disk
    assert s3_media.object_keys() == [question.attachment.name]
    assert _public_grants(s3_media, question.attachment.name) == []
    assert _files_on_disk() == []
    url = f"/qa/inbox/{question.pk}/attachment/"
    # when an officer downloads it, it comes whole through the view
    download = client_for("officer").get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # and an applicant or a visitor is refused
    assert client_for("applicant").get(url).status_code == 403
    assert Client().get(url).status_code == 302


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_the_bucket_restores_into_an_empty_database_and_an_empty_bucket(settings, s3_media, make_bucket, users,
                                                                                    tmp_path, empty_database):
    # given uploads in the bucket through the site: two applicants' attachments and a citizen's
    application = ApplicationFactory(created_by=users["applicant"])
    MembershipFactory(user=users["applicant"], organisation=application.organisation)
    me = login(users["applicant"])
    _attach(me, application, "plan.pdf", PDF)
    _attach(me, application, "plan-2.pdf", pdf(b"second plan" * 500))
    asked = Client().post("/qa/ask/", {"topic": TopicFactory().pk, "asker_email": "lan@example.vn", "website": "", "consent": "on",
                                       "text": "Xin gửi kèm hồ sơ, hỏi về hỗ trợ ươm tạo?",
                                       "attachment": SimpleUploadedFile("a.pdf", pdf(b"question"))})
    assert asked.status_code == 302
    uploaded = {key: _sha(s3_media.read(key)) for key in s3_media.object_keys()}
    assert len(uploaded) == 3
    source_counts = backup.table_counts(backup.DatabaseTarget.current())

    # when it is backed up (the files read from the bucket) …
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    assert "3 uploaded files; checked" in out.getvalue()
    [archive] = (tmp_path / "backups").iterdir()
    assert _files_on_disk() == []

    # … and a restore into a bucket that holds files is refused, changing nothing
    busy = make_bucket()
    busy.client.put_object(Bucket=busy.name, Key="other.txt", Body=b"x")
    target = backup.DatabaseTarget.from_url(empty_database)
    with pytest.raises(CommandError, match="already holds files"):
        call_command("restore", str(archive), "--database-url", empty_database, "--bucket", busy.name)
    assert backup.table_counts(target) == {} and busy.object_keys() == ["other.txt"]
    # … and so is one into a bucket that does not exist
    with pytest.raises(CommandError, match="cannot be read, nothing was changed"):
        call_command("restore", str(archive), "--database-url", empty_database, "--bucket", "innohub-no-such-bucket")
    assert backup.table_counts(target) == {}

    # when it is restored into an empty database and an empty bucket
    restored_bucket = make_bucket()
    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", empty_database, "--bucket", restored_bucket.name, stdout=out)
    assert f"{sum(source_counts.values()):,} rows" in out.getvalue() and "3 uploaded files" in out.getvalue()

    # then every table has the same rows, row for row
    assert backup.table_counts(target) == source_counts
    assert_same_rows(source_counts, target)
    with raw_connection(target) as restored:
        # … every file is in the new bucket with the same bytes, private, and every file a record names is there
        assert {key: _sha(restored_bucket.read(key)) for key in restored_bucket.object_keys()} == uploaded
        assert all(_public_grants(restored_bucket, key) == [] for key in restored_bucket.object_keys())
        for table, column in (("programs_attachment", "file"), ("qa_question", "attachment")):
            cursor = restored.cursor()
            cursor.execute(f'SELECT "{column}" FROM "{table}"')  # noqa: S608
            names = [name for (name,) in cursor.fetchall() if name]
            assert names and set(names) <= set(restored_bucket.object_keys()), table
    # and the audit log's hash chain holds in the restored database
    verify = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "audit_verify"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False,
        env={**os.environ, "DATABASE_URL": empty_database, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert verify.returncode == 0, verify.stderr
    assert f"Audit chain holds: {source_counts['activity_event']} events" in verify.stdout

    # and the site, its first bucket emptied and pointed at the restored one, serves the restored file to its owner
    for key in s3_media.object_keys():
        s3_media.client.delete_object(Bucket=s3_media.name, Key=key)
    settings.STORAGES = {**settings.STORAGES, "default": restored_bucket.storage_settings()}
    first = Attachment.objects.order_by("pk").first()
    download = me.get(f"/programs/attachments/{first.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


@pytest.mark.django_db
def test_restore_into_a_bucket_needs_the_uploads_on_s3(settings, tmp_path):
    # given the uploads in a folder (the default), when a restore is asked into a bucket, then it
    # is refused with what to do instead, before the archive is even read
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = tmp_path / "innohub-20261208-010000.tar.gz"
    archive.write_bytes(b"not read")
    with pytest.raises(CommandError, match="STORAGE_BACKEND=s3"):
        call_command("restore", str(archive), "--database-url", f"sqlite:///{tmp_path / 'x.sqlite3'}", "--bucket", "b")
    assert not (tmp_path / "x.sqlite3").exists()


@pytest.mark.django_db
def test_a_decision_kept_aside_for_reauthentication_keeps_its_file_in_the_bucket(s3_media, users):
    # given a manager whose confirmation is stale, sending an approval with its signed decision
    from innohub.accounts.reauth import purge_stale_pending
    from innohub.accounts.tests.test_reauth import PASSWORD, _decision, _resume, stale_login
    from innohub.programs.models import DecisionRecord

    application = ApplicationFactory(state="ranked", amount_requested=35_000_000)
    c = stale_login(users["manager"])
    response = c.post(f"/programs/applications/{application.pk}/decide/approve/", _decision(amount="33.000.000"))
    assert response["Location"].startswith("/accounts/confirm/?")
    # then the file waits in the bucket (where any app server finds it), not on this server's disk
    [kept] = s3_media.object_keys()
    assert kept.startswith("reauth-pending/") and _files_on_disk() == []
    # when the password is confirmed (on whichever server), the decision is recorded with that file
    done = _resume(c, response["Location"], password=PASSWORD)
    assert done.status_code == 302
    record = DecisionRecord.objects.get()
    assert s3_media.read(record.file.name).startswith(b"%PDF")
    # and the kept copy is gone from the bucket
    assert s3_media.object_keys() == [record.file.name]
    # a kept post never resumed is dropped by the daily purge once an hour old, not before
    stale_login(users["manager"]).post(f"/programs/applications/{ApplicationFactory(state='ranked').pk}/decide/approve/",
                                       _decision(amount="1.000.000"))
    assert len([k for k in s3_media.object_keys() if k.startswith("reauth-pending/")]) == 1
    assert purge_stale_pending() == 0
    assert purge_stale_pending(now=time.time() + 2 * 3600) == 1
    assert s3_media.object_keys() == [record.file.name]
