"""Compile every .po catalogue of the project into .mo, without GNU gettext.

Django's `compilemessages` needs `msgfmt`, which a fresh machine with only Python and
make does not have; Babel (a dependency) compiles the same files in pure Python.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the project's .po translation catalogues to .mo files (pure Python)."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        catalogues = [p for p in base.glob("**/locale/*/LC_MESSAGES/*.po") if ".venv" not in p.parts]
        if not catalogues:
            raise CommandError("No .po catalogues found.")
        for po_path in catalogues:
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=po_path.parent.parent.name)
            with po_path.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            self.stdout.write(f"compiled {po_path.relative_to(base)} ({len(catalog)} messages)")
