"""Indicators computed from the platform's own records, per commune and year.

Each calculator asks the owning app's selectors for its figures (the directory's
organisations, the programmes' awards and payments, the Q&A's closed questions, research
outputs and technology transfer deals) and returns
``{(commune code, year): value}``; it reads no other app's models itself. A calculation runs
inside a savepoint, so a database failure (a table not migrated yet) leaves the transaction
usable and gives no values and the reason; a mistake in the code is not caught. Communes are
the 2025 units organisations are placed in by the directory (``innohub.places``); an
organisation known only by its former district is not counted in any commune.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

from innohub.accounts import selectors as accounts_selectors
from innohub.directory import selectors as directory_selectors
from innohub.programs import selectors as programs_selectors
from innohub.qa import selectors as qa_selectors
from innohub.research import selectors as research_selectors

logger = logging.getLogger(__name__)

Values = dict[tuple[str, int], float]
Calculator = Callable[[list[int]], Values]


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _founded_by_year_end(rows: Iterable[tuple[str, dt.date | None]], years: list[int]) -> Values:
    """Count (commune, founded_on) rows founded by the end of each year (or with no date)."""
    rows = list(rows)
    out: Values = defaultdict(float)
    for year in years:
        for commune, founded in rows:
            if founded is None or founded <= _year_end(year):
                out[(commune, year)] += 1
    return dict(out)


def startups_active(years: list[int]) -> Values:
    """Startups founded by the end of the year (or with no founding date), per commune."""
    return _founded_by_year_end(directory_selectors.organisations_by_commune(kinds=["startup"]), years)


def startups_new(years: list[int]) -> Values:
    """Startups founded in the year, per commune (zero where none: see ``ZERO_WHEN_ABSENT``)."""
    out: Values = defaultdict(float)
    for commune, founded in directory_selectors.organisations_by_commune(kinds=["startup"]):
        if founded is not None and founded.year in years:
            out[(commune, founded.year)] += 1
    return dict(out)


def startup_sectors(years: list[int]) -> Values:
    """Distinct sectors of the commune's startups founded by the end of the year."""
    pairs = directory_selectors.startup_sectors_by_commune()
    out: Values = {}
    for year in years:
        seen: dict[str, set[int]] = defaultdict(set)
        for commune, founded, sector in pairs:
            if founded is None or founded <= _year_end(year):
                seen[commune].add(sector)
        out.update({(d, year): float(len(s)) for d, s in seen.items()})
    return out


def support_organisations(years: list[int]) -> Values:
    """Universities, institutes, support organisations and investors in the commune."""
    rows = directory_selectors.organisations_by_commune(kinds=["academia", "support", "investor"])
    return _founded_by_year_end(rows, years)


def awards_count(years: list[int]) -> Values:
    """Support awards approved in the year to organisations of the commune."""
    out: Values = defaultdict(float)
    for commune, year, _amount in programs_selectors.awards_by_commune(years=years):
        out[(commune, year)] += 1
    return dict(out)


def awards_amount(years: list[int]) -> Values:
    """Support awarded in the year, in millions of đồng."""
    out: Values = defaultdict(float)
    for commune, year, amount in programs_selectors.awards_by_commune(years=years):
        out[(commune, year)] += amount / 1_000_000
    return dict(out)


def disbursed_amount(years: list[int]) -> Values:
    """Support paid out in the year to organisations of the commune, in millions of đồng."""
    out: Values = defaultdict(float)
    for commune, year, amount in programs_selectors.disbursements_by_commune(years=years):
        out[(commune, year)] += amount / 1_000_000
    return dict(out)


def questions_on_time(years: list[int]) -> Values:
    """Share (%) of the questions closed in the year that were closed by their due date, by
    the commune of the asker's organisation."""
    commune_of = accounts_selectors.member_communes()
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for asker_id, closed_at, due in qa_selectors.questions_closed_by_asker(years=years):
        commune = commune_of.get(asker_id)
        if not commune:
            continue
        entry = totals[(commune, closed_at.year)]
        entry[0] += 1
        entry[1] += int(closed_at.date() <= due)
    return {key: 100.0 * on_time / total for key, (total, on_time) in totals.items() if total}


CALCULATORS: dict[str, tuple[Calculator, Any]] = {
    "startups_active": (startups_active, _("Startups in the ward or commune (directory)")),
    "startups_new": (startups_new, _("Startups founded in the year (directory)")),
    "startup_sectors": (startup_sectors, _("Sectors the commune's startups work in (directory)")),
    "support_organisations": (support_organisations, _("Universities, support organisations and investors (directory)")),
    "awards_count": (awards_count, _("Support awards approved (programmes)")),
    "awards_amount": (awards_amount, _("Support awarded, million đồng (programmes)")),
    "disbursed_amount": (disbursed_amount, _("Support disbursed, million đồng (programmes)")),
    "questions_on_time": (questions_on_time, _("Questions answered on time, % (Q&A)")),
    "research_outputs": (research_selectors.index_outputs, _("Outputs of research tasks recorded in the year (research)")),
    "technology_transfers": (research_selectors.index_transfer_deals, _("Technology transfer deals signed in the year (research)")),
}


# Counts: a commune with no records has zero of them, not a missing value.
ZERO_WHEN_ABSENT = frozenset(CALCULATORS) - {"questions_on_time"}


def calculate(key: str, years: Iterable[int]) -> tuple[Values, str]:
    """Run one calculator; on a database failure (a missing table) return no values and the
    reason. A mistake in the code (an AttributeError, a FieldError) is not caught: it is a bug
    to fix, not a figure that is missing."""
    if key not in CALCULATORS:
        return {}, f"unknown calculator {key!r}"
    function = CALCULATORS[key][0]
    try:
        with transaction.atomic():
            return function(sorted(set(years))), ""
    except DatabaseError as exc:
        logger.warning("indicator calculator %s failed: %s", key, exc)
        return {}, f"{key}: {exc.__class__.__name__}: {exc}"[:500]
