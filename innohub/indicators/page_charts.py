"""The charts of the index's public pages (ranking, unit profile, uncertainty), drawn once per
run and language and stored with the run (``RunChart``), so no request after the first draws
one: ``charts_precompute`` draws them all when a run finishes (a background task), and a chart
missing for any reason (a new drawing version after a deploy, a run made before this existed)
is drawn on its first request and stored for every worker. Each process also keeps what it
read in the cache for an hour. A new run — new data — has its own charts; a run's charts go
with it when it is deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from innohub.indicators import charts, selectors
from innohub.indicators.models import Run, RunChart, Unit

CACHE_SECONDS = 60 * 60


def stored_svg(run: Run, key: str, build: Callable[[], Any], label: str) -> str:
    """The chart ``key`` of ``run`` in the active language: from the cache, else the database,
    else drawn now and stored."""
    full = f"{charts.drawing_version()}:{translation.get_language()}:{key}"
    cache_key = f"indicators:svg:{run.pk}:{full}"
    svg = cache.get(cache_key)
    if svg is None:
        svg = RunChart.objects.filter(run=run, key=full).values_list("svg", flat=True).first()
        if svg is None:
            svg = charts.to_svg(build(), label=label)
            try:
                with transaction.atomic():
                    RunChart.objects.create(run=run, key=full, svg=svg)
            except IntegrityError:
                pass  # another worker drew it at the same moment: same drawing
        cache.set(cache_key, svg, CACHE_SECONDS)
    return str(svg)


def ranking_chart(run: Run, year: int) -> tuple[str, str]:
    index, _pillars = selectors.columns(run)
    label = _("%(index)s scores of the units in %(year)d, highest first") % {"index": index.name, "year": year}

    def build() -> Any:
        rows = selectors.ranking(run=run, year=year)
        by_rank = sorted((r for r in rows if r.ranks[index.code]), key=lambda r: r.ranks[index.code] or 0)
        return charts.bar_chart([r.unit.display_name for r in by_rank], [r.scores[index.code] for r in by_rank],
                                xlabel=_("Score (0–100)"), width=charts.PAGE_WIDTH)

    return stored_svg(run, f"rank:{year}", build, label), label


def unit_charts(run: Run, unit: Unit, year: int, profile: selectors.Profile) -> dict[str, str]:
    """The pillar chart of the year and the trend chart (empty with one year), with their labels."""
    pillar_label = _("Pillar scores of %(unit)s in %(year)d") % {"unit": unit.display_name, "year": year}
    trend_label = _("Scores of %(unit)s by year") % {"unit": unit.display_name}
    names = profile.names
    return {
        "pillar_chart": stored_svg(
            run, f"pillars:{year}:{unit.pk}",
            lambda: charts.bar_chart([p["name"] for p in profile.pillars], [p["score"] for p in profile.pillars],
                                     xlabel=_("Score (0–100)"), width=charts.PAGE_WIDTH, wrap=16),
            pillar_label,
        ),
        "pillar_label": pillar_label,
        "trend_chart": stored_svg(
            run, f"trend:{unit.pk}",
            lambda: charts.line_chart(profile.years, {names[c]: v for c, v in profile.trend.items()},
                                      ylabel=_("Score (0–100)"), width=charts.PAGE_WIDTH),
            trend_label,
        ) if len(profile.years) > 1 else "",
        "trend_label": trend_label,
    }


def uncertainty_chart(run: Run, rows: list[Any]) -> tuple[str, str]:
    label = _("Rank of each unit: median and 5–95%% interval over %(runs)s Monte Carlo runs") % {
        "runs": run.uncertainty_setup.get("runs", "")}
    svg = stored_svg(
        run, "mc",
        lambda: charts.interval_chart(
            [r.unit.display_name for r in rows], [r.median_rank for r in rows], [r.rank_p5 for r in rows],
            [r.rank_p95 for r in rows], [r.nominal_rank for r in rows], xlabel=_("Rank"),
            median_label=_("Median rank"), nominal_label=_("Rank in the index"), width=charts.PAGE_WIDTH),
        label,
    )
    return svg, label


def charts_precompute(*, run: Run, years: list[int] | None = None) -> int:
    """Draw and store the charts of the run's pages in every language: the ranking of every
    year, each unit's pillars and trend, the uncertainty once analysed. Unit pages are drawn for
    ``years`` (default: the latest, which the pages open on; an earlier year's profile is drawn
    on its first request). Returns how many were drawn; those stored are skipped, so it is safe
    to run twice."""
    before = RunChart.objects.filter(run=run).count()
    all_years = selectors.run_years(run)
    unit_years = years if years is not None else all_years[-1:]
    units = list(Unit.objects.filter(results__run=run).distinct())
    rows, _indices = selectors.uncertainty(run=run)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for year in all_years:
                ranking_chart(run, year)
            for year in unit_years:
                for unit in units:
                    unit_charts(run, unit, year, selectors.unit_profile(run=run, unit=unit, year=year))
            if rows:
                uncertainty_chart(run, rows)
    return RunChart.objects.filter(run=run).count() - before
