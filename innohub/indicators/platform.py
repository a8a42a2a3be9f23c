"""Indicators computed from the platform's own records, per district and year.

Each calculator reads another app's models and returns ``{(district, year): value}``. The other
apps are read defensively: models are looked up by name when a calculation runs (programmes and
Q&A may not be installed or migrated yet), and a query that fails runs inside a savepoint so a
missing table or field leaves the transaction usable; such a calculator returns nothing and says
why. Districts are the ``district`` strings organisations carry in the directory.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

Values = dict[tuple[str, int], float]
Calculator = Callable[[list[int]], Values]


def _model(app_label: str, name: str) -> Any | None:
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _founded_by_year_end(rows: Iterable[tuple[str, dt.date | None]], years: list[int]) -> Values:
    """Count (district, founded_on) rows founded by the end of each year (or with no date)."""
    rows = list(rows)
    out: Values = defaultdict(float)
    for year in years:
        for district, founded in rows:
            if founded is None or founded <= _year_end(year):
                out[(district, year)] += 1
    return dict(out)


def startups_active(years: list[int]) -> Values:
    """Startups founded by the end of the year (or with no founding date), per district."""
    Organisation = _model("directory", "Organisation")  # noqa: N806
    if Organisation is None:
        return {}
    rows = Organisation.objects.filter(kind="startup").exclude(district="").values_list("district", "founded_on")
    return _founded_by_year_end(rows, years)


def startups_new(years: list[int]) -> Values:
    """Startups founded in the year, per district (zero where none: see ``ZERO_WHEN_ABSENT``)."""
    Organisation = _model("directory", "Organisation")  # noqa: N806
    if Organisation is None:
        return {}
    rows = Organisation.objects.filter(kind="startup", founded_on__year__in=years).exclude(district="")
    out: Values = defaultdict(float)
    for district, founded in rows.values_list("district", "founded_on"):
        out[(district, founded.year)] += 1
    return dict(out)


def startup_sectors(years: list[int]) -> Values:
    """Distinct sectors of the district's startups founded by the end of the year."""
    Organisation = _model("directory", "Organisation")  # noqa: N806
    if Organisation is None:
        return {}
    rows = Organisation.objects.filter(kind="startup", sectors__isnull=False).exclude(district="")
    pairs = list(rows.values_list("district", "founded_on", "sectors"))
    out: Values = {}
    for year in years:
        seen: dict[str, set[int]] = defaultdict(set)
        for district, founded, sector in pairs:
            if founded is None or founded <= _year_end(year):
                seen[district].add(sector)
        out.update({(d, year): float(len(s)) for d, s in seen.items()})
    return out


def support_organisations(years: list[int]) -> Values:
    """Universities, institutes, support organisations and investors in the district."""
    Organisation = _model("directory", "Organisation")  # noqa: N806
    if Organisation is None:
        return {}
    rows = (
        Organisation.objects.filter(kind__in=["academia", "support", "investor"])
        .exclude(district="")
        .values_list("district", "founded_on")
    )
    return _founded_by_year_end(rows, years)


def _awards(years: list[int]) -> list[tuple[str, int, int]]:
    Award = _model("programs", "Award")  # noqa: N806
    if Award is None:
        return []
    rows = Award.objects.filter(approved_at__year__in=years).exclude(organisation__district="")
    return [(d, at.year, amount) for d, at, amount in rows.values_list("organisation__district", "approved_at", "amount")]


def awards_count(years: list[int]) -> Values:
    """Support awards approved in the year to organisations of the district."""
    out: Values = defaultdict(float)
    for district, year, _amount in _awards(years):
        out[(district, year)] += 1
    return dict(out)


def awards_amount(years: list[int]) -> Values:
    """Support awarded in the year, in millions of đồng."""
    out: Values = defaultdict(float)
    for district, year, amount in _awards(years):
        out[(district, year)] += amount / 1_000_000
    return dict(out)


def disbursed_amount(years: list[int]) -> Values:
    """Support paid out in the year to organisations of the district, in millions of đồng."""
    Disbursement = _model("programs", "Disbursement")  # noqa: N806
    if Disbursement is None:
        return {}
    rows = Disbursement.objects.filter(paid_on__year__in=years).exclude(award__organisation__district="")
    out: Values = defaultdict(float)
    for district, paid_on, amount in rows.values_list("award__organisation__district", "paid_on", "amount"):
        out[(district, paid_on.year)] += amount / 1_000_000
    return dict(out)


def questions_on_time(years: list[int]) -> Values:
    """Share (%) of the questions closed in the year that were closed by their due date, by
    the district of the asker's organisation."""
    Question = _model("qa", "Question")  # noqa: N806
    Membership = _model("accounts", "Membership")  # noqa: N806
    if Question is None or Membership is None:
        return {}
    district_of: dict[int, str] = {}
    for user_id, district in Membership.objects.exclude(organisation__district="").values_list(
        "user_id", "organisation__district"
    ):
        district_of.setdefault(user_id, district)
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    rows = Question.objects.filter(closed_at__year__in=years, asker__isnull=False)
    for asker_id, closed_at, due in rows.values_list("asker_id", "closed_at", "due_date"):
        district = district_of.get(asker_id)
        if not district:
            continue
        entry = totals[(district, closed_at.year)]
        entry[0] += 1
        entry[1] += int(closed_at.date() <= due)
    return {key: 100.0 * on_time / total for key, (total, on_time) in totals.items() if total}


CALCULATORS: dict[str, tuple[Calculator, Any]] = {
    "startups_active": (startups_active, _("Startups in the district (directory)")),
    "startups_new": (startups_new, _("Startups founded in the year (directory)")),
    "startup_sectors": (startup_sectors, _("Sectors the district's startups work in (directory)")),
    "support_organisations": (support_organisations, _("Universities, support organisations and investors (directory)")),
    "awards_count": (awards_count, _("Support awards approved (programmes)")),
    "awards_amount": (awards_amount, _("Support awarded, million đồng (programmes)")),
    "disbursed_amount": (disbursed_amount, _("Support disbursed, million đồng (programmes)")),
    "questions_on_time": (questions_on_time, _("Questions answered on time, % (Q&A)")),
}


# Counts: a district with no records has zero of them, not a missing value.
ZERO_WHEN_ABSENT = frozenset(CALCULATORS) - {"questions_on_time"}


def calculate(key: str, years: Iterable[int]) -> tuple[Values, str]:
    """Run one calculator; on a missing table or field return no values and the reason."""
    if key not in CALCULATORS:
        return {}, f"unknown calculator {key!r}"
    function = CALCULATORS[key][0]
    try:
        with transaction.atomic():
            return function(sorted(set(years))), ""
    except (DatabaseError, FieldError, AttributeError) as exc:
        logger.warning("indicator calculator %s failed: %s", key, exc)
        return {}, f"{key}: {exc.__class__.__name__}: {exc}"[:500]
