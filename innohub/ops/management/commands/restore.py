"""`manage.py restore ARCHIVE`: check the archive whole, then restore its database and uploaded files
(innohub/ops/backup.py). A damaged, truncated or newer archive is refused before anything changes;
a database that already has tables, or uploads that already hold files, only with --replace.
The uploads go back to the configured storage (a folder or a bucket), or to --media-root (a folder)
or --bucket (another bucket of the configured S3-compatible storage)."""

from __future__ import annotations

from pathlib import Path

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from innohub.ops import backup


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and uploads folder or bucket (or over them with --replace)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="An innohub-YYYYMMDD-HHMMSS.tar.gz written by `manage.py backup`.")
        parser.add_argument("--database-url", default="", help="Restore into this database instead of the configured one.")
        parser.add_argument("--media-root", default="", help="Restore the uploads into this folder instead of the configured storage.")
        parser.add_argument("--bucket", default="", help="Restore the uploads into this bucket of the configured S3-compatible storage.")
        parser.add_argument("--replace", action="store_true", help="Overwrite a database that has tables and uploads that exist.")
        parser.add_argument("--check-only", action="store_true", help="Check the archive and change nothing.")

    def handle(self, *args, archive: str, database_url: str = "", media_root: str = "", bucket: str = "", replace: bool = False,
               check_only: bool = False, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"{path} does not exist.")
        try:
            if check_only:
                import tempfile

                with tempfile.TemporaryDirectory() as tmp:
                    manifest = backup.archive_check(path, Path(tmp))
                self.stdout.write(f"The archive is sound: made {manifest['created_at']} by innohub {manifest['innohub_version']}, "
                                  f"{manifest['database']['vendor']}, {sum(manifest['row_counts'].values()):,} rows, "
                                  f"{manifest['media_files']} uploaded files.")
                return
            target = backup.DatabaseTarget.from_url(database_url) if database_url else backup.DatabaseTarget.current()
            if media_root and bucket:
                raise CommandError("Give --media-root or --bucket, not both.")
            media = backup.media_storage_at(media_root) if media_root else (backup.media_storage_in_bucket(bucket) if bucket else None)
            if not database_url:
                connections.close_all()  # the restored database replaces what this process had open
            report = backup.restore(archive=path, target=target, media=media, replace=replace)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        if not database_url:
            cache.clear()  # cached pages and the search index's version describe the old data
            from innohub.directory import search_index

            search_index.forget()
        self.stdout.write(f"Restored {path.name}: {report.tables} tables, {report.rows:,} rows (as counted at the backup), "
                          f"{report.media_files} uploaded files.")
        if report.missing_migrations:
            self.stdout.write(f"This code has {len(report.missing_migrations)} migration(s) the backup predates: "
                              "run `manage.py migrate` now.")
        self.stdout.write("Check the audit log with `manage.py audit_verify`.")
