"""Backups restore: the demo backed up, restored into an empty database and uploads folder, is the
same data (every table's rows, every record of every model, every uploaded file by checksum) and its
audit chain holds. A damaged, truncated or newer archive is refused and changes nothing. Runs on
SQLite and on PostgreSQL (CI runs the suite on both)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import models

from innohub.ops import backup
from innohub.ops.tests.conftest import assert_same_rows, raw_connection

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [(m, f.name) for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, models.FileField)]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_demo_backed_up_restores_into_an_empty_database_whole(media, tmp_path, empty_database):
    # given the demo, with uploaded files beside the documents it ingests
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    from innohub.directory.models import Organisation

    logos = []
    for n, org in enumerate(Organisation.objects.order_by("pk")[:3]):
        name = default_storage.save(f"directory/logos/logo-{n}.png", ContentFile(PNG + bytes([n])))
        Organisation.objects.filter(pk=org.pk).update(logo=name)
        logos.append(name)
    default_storage.save("qa/questions/2026/attachment.pdf", ContentFile(b"%PDF-1.4\n" + os.urandom(20_000) + b"\n%%EOF"))
    uploaded = {p.relative_to(media).as_posix(): _sha(p) for p in media.rglob("*") if p.is_file()}
    assert len(uploaded) >= 4
    source_counts = backup.table_counts(backup.DatabaseTarget.current())

    # when it is backed up and restored into an empty database and an empty uploads folder
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").iterdir()
    assert "checked" in out.getvalue()
    restored_media = tmp_path / "restored-media"
    out = io.StringIO()
    call_command("restore", str(archive), "--database-url", empty_database, "--media-root", str(restored_media), stdout=out)
    assert f"{sum(source_counts.values()):,} rows" in out.getvalue()

    # then every table has the same rows …
    target = backup.DatabaseTarget.from_url(empty_database)
    assert backup.table_counts(target) == source_counts
    assert source_counts["activity_event"] > 100 and source_counts["directory_organisation"] >= 50
    # … every row of every table reads the same …
    assert_same_rows(source_counts, target)
    with raw_connection(target) as restored:
        # … every uploaded file is there with the same bytes, and every file a record names exists
        assert {p.relative_to(restored_media).as_posix(): _sha(p) for p in restored_media.rglob("*") if p.is_file()} == uploaded
        for model, field in _file_fields():
            cursor = restored.cursor()
            cursor.execute(f'SELECT "{model._meta.get_field(field).column}" FROM "{model._meta.db_table}"')  # noqa: S608
            for (name,) in cursor.fetchall():
                assert not name or (restored_media / name).is_file(), (model._meta.label, name)
        cursor = restored.cursor()
        cursor.execute('SELECT logo FROM "directory_organisation"')
        assert set(logos) <= {name for (name,) in cursor.fetchall()}
    # … and the audit log's hash chain holds in the restored database
    verify = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "audit_verify"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False,
        env={**os.environ, "DATABASE_URL": empty_database, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert verify.returncode == 0, verify.stderr
    assert f"Audit chain holds: {source_counts['activity_event']} events" in verify.stdout


def _rewrite(archive: Path, dest: Path, *, manifest_change=None, member_change=None, extra=None) -> Path:
    """A copy of `archive` with its manifest or one member altered."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(dest, "w:gz") as out:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == backup.MANIFEST and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
            elif member_change and member.name.startswith(backup.MEDIA_PREFIX):
                data = member_change(data)
                member_change = None
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
        if extra:
            info = tarfile.TarInfo(extra)
            info.size = 1
            out.addfile(info, io.BytesIO(b"x"))
    return dest


@pytest.mark.django_db(transaction=True)
def test_a_bad_archive_is_refused_and_changes_nothing(media, tmp_path, empty_database, users):
    default_storage.save("directory/logos/one.png", ContentFile(PNG))
    call_command("backup", "--dir", str(tmp_path / "backups"), stdout=io.StringIO())
    [archive] = (tmp_path / "backups").iterdir()
    target = backup.DatabaseTarget.from_url(empty_database)
    restored_media = tmp_path / "restored-media"
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    cases = {
        "truncated": (truncated, "damaged or truncated"),
        "a file changed": (_rewrite(archive, tmp_path / "changed.tar.gz", member_change=lambda d: d[:-1] + b"!"),
                           "does not match its checksum"),
        "a wrong checksum": (_rewrite(archive, tmp_path / "sum.tar.gz", manifest_change=lambda m: next(
            v.update(sha256="0" * 64) for k, v in m["files"].items() if k.startswith("database/"))), "does not match its checksum"),
        "newer migrations": (_rewrite(archive, tmp_path / "newer.tar.gz", manifest_change=lambda m: m["migrations"].append(
            ["directory", "9999_from_the_future"])), "made by a newer version"),
        "an unlisted file": (_rewrite(archive, tmp_path / "extra.tar.gz", extra="media/../../etc/passwd"), "unexpected entry"),
        "not a backup": (tmp_path / "other.tar.gz", "not a readable archive"),
    }
    (tmp_path / "other.tar.gz").write_bytes(b"hello")
    for case, (path, message) in cases.items():
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), "--database-url", empty_database, "--media-root", str(restored_media))
        assert backup.table_counts(target) == {}, case
        assert not restored_media.exists() or not any(restored_media.rglob("*")), case
    # a database that is not empty is not overwritten without --replace
    call_command("restore", str(archive), "--database-url", empty_database, "--media-root", str(restored_media), stdout=io.StringIO())
    counts = backup.table_counts(target)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), "--database-url", empty_database, "--media-root", str(tmp_path / "m2"))
    assert backup.table_counts(target) == counts
    # with --replace it is restored again, whole
    call_command("restore", str(archive), "--database-url", empty_database, "--media-root", str(restored_media), "--replace",
                 stdout=io.StringIO())
    assert backup.table_counts(target) == counts


def test_retention_keeps_the_newest_of_each_day_week_and_month():
    names = [f"innohub-2026{m:02d}{d:02d}-{h:02d}0000.tar.gz" for m in (10, 11, 12) for d in range(1, 29) for h in (2, 14)]
    names.append("notes.txt")
    kept, deleted = backup.retention_plan(names, daily=3, weekly=3, monthly=2)
    assert kept[:3] == ["innohub-20261228-140000.tar.gz", "innohub-20261227-140000.tar.gz", "innohub-20261226-140000.tar.gz"]
    # weeks 53 (28/12) and 52 (27/12) are kept as days already; week 51's newest is 20/12; November's newest
    assert "innohub-20261220-140000.tar.gz" in kept and "innohub-20261128-140000.tar.gz" in kept
    assert len(kept) == 5 and "notes.txt" not in kept + deleted
    assert len(kept) + len(deleted) == len(names) - 1
