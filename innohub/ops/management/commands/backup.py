"""`manage.py backup`: one archive of the database and the uploaded files (innohub/ops/backup.py),
then the retention rule applied to the folder. Meant for a daily cron job or systemd timer
(docs/operations.md)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from innohub.ops import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one checked archive; apply retention."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(getattr(settings, "BACKUP_DIR", "") or Path(settings.BASE_DIR) / "var" / "backups"),
                            help="Folder of the archives (BACKUP_DIR; default var/backups).")
        parser.add_argument("--keep-daily", type=int, default=7, help="Keep the newest archive of this many days (default 7).")
        parser.add_argument("--keep-weekly", type=int, default=5, help="… of this many ISO weeks (default 5).")
        parser.add_argument("--keep-monthly", type=int, default=12, help="… of this many months (default 12).")
        parser.add_argument("--no-retention", action="store_true", help="Delete no older archive.")

    def handle(self, *args, **options):
        directory = Path(options["dir"])
        try:
            path = backup.backup_create(directory=directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from None
        with tempfile.TemporaryDirectory() as tmp:  # read it back: an archive never checked is not a backup
            try:
                manifest = backup.archive_check(path, Path(tmp))
            except backup.BackupError as exc:
                raise CommandError(f"The archive just written does not read back: {exc}") from None
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(f"Backup written: {path} ({path.stat().st_size:,} bytes; {len(manifest['row_counts'])} tables, "
                          f"{rows:,} rows, {manifest['media_files']} uploaded files; checked).")
        if not options["no_retention"]:
            deleted = backup.retention_apply(directory, daily=options["keep_daily"], weekly=options["keep_weekly"],
                                             monthly=options["keep_monthly"])
            for name in deleted:
                self.stdout.write(f"Deleted by retention: {name}")
