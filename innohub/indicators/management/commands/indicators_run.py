"""``manage.py indicators_run``: run a composite-index spec on COINr-layout files, write the table.

Thin on purpose: reading, checking and computing are the engine's; this command only maps its
errors to a non-zero exit with the engine's message, and writes the CSV only once everything has
succeeded (to a temporary file renamed into place), so bad input leaves no file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from innohub.indicators.engine import EngineError, run_spec


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

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        try:
            result = run_spec(options["spec"], idata=options["idata"], imeta=options["imeta"])
            table = result.table(options["year"])
        except EngineError as exc:
            raise CommandError(f"indicators_run: nothing written.\n{exc}") from exc
        if not out.parent.is_dir():
            raise CommandError(f"indicators_run: nothing written: folder {out.parent} does not exist")
        handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                table.to_csv(stream, index=False, float_format="%.6f")
            os.replace(temporary, out)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        self.stdout.write(
            f"{result.spec.name}: {len(table)} units, {len(table.columns) - 2} aggregates, "
            f"year {result.years[-1] if options['year'] is None else options['year']} -> {out}"
        )
