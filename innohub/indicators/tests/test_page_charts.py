"""Given a finished run, its pages' charts are drawn once — at the end of the run, in the
background — and stored with the run, so that every server process shows them without drawing;
a new run has its own charts, and a new Monte Carlo analysis replaces the old interval chart."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from innohub.indicators import services
from innohub.indicators.models import RunChart
from innohub.indicators.page_charts import charts_precompute

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    """Run ids repeat between tests (each rolled back); a process's cache must not carry a chart over."""
    cache.clear()


def test_a_finished_run_draws_every_chart_of_its_pages_in_both_languages(finished_run, client, settings,
                                                                          django_capture_on_commit_callbacks):
    drawn = charts_precompute(run=finished_run)
    # per language: a ranking per year (3), each unit's pillars of the latest year (4) and trend (4), the intervals (1)
    assert drawn == 2 * (3 + 4 + 4 + 1) == RunChart.objects.filter(run=finished_run).count()
    assert charts_precompute(run=finished_run) == 0  # run twice: nothing drawn again
    stored = RunChart.objects.get(run=finished_run, key__endswith=":vi:pillars:2025:" + str(finished_run.results.first().unit_id))
    cache.clear()  # another server process: nothing in its memory
    page = client.get(reverse("indicators:unit", args=[finished_run.results.first().unit.code])).content.decode()
    assert stored.svg in page
    assert RunChart.objects.filter(run=finished_run).count() == drawn  # read, not drawn


def test_the_charts_are_drawn_when_a_run_ends_and_a_new_run_has_its_own(with_values, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.INDICATORS_CHARTS_AT_RUN_END = True
    with django_capture_on_commit_callbacks(execute=True):
        first = services.run_start(framework=with_values, year_from=2025, year_to=2025, actor=None)
    # per language: the ranking of 2025 and each unit's pillars (one year: no trend, no Monte Carlo asked)
    assert RunChart.objects.filter(run=first).count() == 2 * (1 + 4)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.run_start(framework=with_values, year_from=2025, year_to=2025, actor=None)
    assert RunChart.objects.filter(run=second).count() == 2 * (1 + 4)  # its own, drawn from its results
    assert set(RunChart.objects.filter(run=first).values_list("key", flat=True)) == set(
        RunChart.objects.filter(run=second).values_list("key", flat=True))


def test_the_unit_page_draws_a_missing_chart_once_for_every_process(finished_run, client):
    unit = finished_run.results.first().unit
    url = reverse("indicators:unit", args=[unit.code])
    assert not RunChart.objects.filter(run=finished_run).exists()
    client.get(url)
    stored = list(RunChart.objects.filter(run=finished_run).values_list("svg", flat=True))
    assert len(stored) == 2  # the pillars of 2025 and the trend, in Vietnamese
    cache.clear()
    again = client.get(url).content.decode()
    assert all(svg in again for svg in stored)
    assert RunChart.objects.filter(run=finished_run).count() == 2
