"""``manage.py indicators_run``: run a composite-index spec on COINr-layout files, write the table.

Thin on purpose: reading, checking and computing are the engine's; this command only maps its
errors to a non-zero exit with the engine's message, and writes the CSV only once everything has
succeeded (to a temporary file renamed into place), so bad input leaves no file behind.

Its messages read in the operator's language: ``--language en`` or ``vi``, by default the site's
(``LANGUAGE_CODE``); the engine's problems are written in it through ``indicators.problems``.
The ``--help`` text stays English, like Django's own options it is listed with.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.indicators.engine import EngineError, run_spec
from innohub.indicators.problems import problems_text


class Command(BaseCommand):
    help = (
        "Run a composite-indicator pipeline spec (a JSON/YAML file or the name of a shipped spec, "
        "e.g. coinr-example) on iData/iMeta CSV files and write uCode, Rank and one column per aggregate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--idata", required=True, help="iData CSV: one row per unit (and year)")
        parser.add_argument("--imeta", required=True, help="iMeta CSV: the framework")
        parser.add_argument("--spec", required=True, help="spec file, or the name of a shipped spec")
        parser.add_argument("--out", required=True, help="where to write the results CSV")
        parser.add_argument("--year", type=int, default=None, help="year to report (default: the latest)")
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default=None,
            help=f"language of the messages (default: the site's, {settings.LANGUAGE_CODE})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or translation.get_language() or settings.LANGUAGE_CODE):
            self._run(**options)

    def _run(self, **options: Any) -> None:
        out = Path(options["out"])
        try:
            result = run_spec(options["spec"], idata=options["idata"], imeta=options["imeta"])
            table = result.table(options["year"])
        except EngineError as exc:
            raise CommandError("\n".join([_("indicators_run: nothing written."), *problems_text(exc.problems)])) from exc
        if not out.parent.is_dir():
            raise CommandError(_("indicators_run: nothing written: folder %(folder)s does not exist")
                               % {"folder": out.parent})
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                table.to_csv(stream, index=False, float_format="%.6f")
            os.replace(temporary, out)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        units, aggregates = len(table), len(table.columns) - 2
        self.stdout.write(_("%(spec)s: %(units)s, %(aggregates)s, year %(year)s -> %(out)s") % {
            "spec": result.spec.name,
            "units": ngettext("%(count)d unit", "%(count)d units", units) % {"count": units},
            "aggregates": ngettext("%(count)d aggregate", "%(count)d aggregates", aggregates) % {"count": aggregates},
            "year": result.years[-1] if options["year"] is None else options["year"],
            "out": out,
        })
