"""`manage.py directory_import FILE [--dry-run] [--json]`: the staff page's import, from a shell.

Exits with status 1 and lists every problem (row, column, message) when the file is not clean;
nothing is written in that case, nor with --dry-run.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innohub.directory.imports import MAX_IMPORT_BYTES, organisations_import


class Command(BaseCommand):
    help = "Import organisations from a CSV or XLSX file (validated as a whole first)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file with the template's columns.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and count, write nothing.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, file: str, dry_run: bool = False, json: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        with path.open("rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)  # enough to tell it is too large
        result = organisations_import(data=data, filename=path.name, actor=None, dry_run=dry_run)
        if json:
            self.stdout.write(_json(result.as_dict()))
        else:
            for p in result.problems:
                self.stderr.write(f"row {p.row}, column {p.column or '-'}: {p.message}")
            verb = "would create" if dry_run else "created"
            self.stdout.write(
                f"{result.rows} rows: {verb} {result.created}, "
                f"{'would update' if dry_run else 'updated'} {result.updated}, unchanged {result.unchanged}, "
                f"{len(result.problems)} problems" + (" (nothing written)" if result.problems or dry_run else "")
            )
        if result.problems:
            raise SystemExit(1)


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
