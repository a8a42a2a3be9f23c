"""The cooperation dashboard's charts, drawn with the platform's one chart library (the
indicators' matplotlib helpers: SVG in the page, PNG in the report); every chart's numbers are
also in the table beside it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from matplotlib.ticker import MaxNLocator

from innohub.indicators import charts as base


def _by_year(figures: list[tuple[int, dict[str, int]]]) -> Any:
    years = sorted(year for year, _f in figures)
    table = dict(figures)
    figure = base.line_chart(years, {
        _("Meetings"): [table[y]["meetings"] for y in years],
        _("Agreements signed"): [table[y]["agreements"] for y in years],
        _("Actions done"): [table[y]["actions_done"] for y in years],
    }, width=6.0)
    figure.axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers only
    return figure


def _by_country(by_country: list[dict[str, Any]]) -> Any:
    rows = by_country[:15]
    return base.bar_chart([str(r["label"]) for r in rows], [float(r["meetings"]) for r in rows], xlabel=_("Meetings"), limit=None,
                          width=5.0)


def dashboard_charts(*, by_country: list[dict[str, Any]], figures: list[tuple[int, dict[str, int]]]) -> dict[str, str]:
    charts = {}
    if len(figures) > 1:
        charts["by_year"] = base.to_svg(_by_year(figures), label=_("Meetings, agreements signed and actions done by year"))
    if by_country:
        charts["by_country"] = base.to_svg(_by_country(by_country), label=_("Meetings by country"))
    return charts


def by_year_png(figures: list[tuple[int, dict[str, int]]]) -> bytes:
    return base.to_png(_by_year(figures))
