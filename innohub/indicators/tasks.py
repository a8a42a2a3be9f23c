"""Background work of the index: computing a run, its Monte Carlo analysis and its pages' charts. Tasks take ids
and call a service; both services only act on a queued run, so a task run twice does nothing."""

from __future__ import annotations

from django_tasks import task

from innohub.indicators import services


@task()
def execute_run(run_id: int) -> str:
    run = services.run_execute(run_id=run_id)
    return run.status if run else "missing"


@task()
def execute_uncertainty(run_id: int) -> str:
    run = services.uncertainty_execute(run_id=run_id)
    return run.uncertainty_status if run else "missing"


@task()
def precompute_charts(run_id: int) -> int:
    """Draw and store the charts of a finished run's pages (``page_charts``); safe to run twice."""
    from innohub.indicators.models import Run
    from innohub.indicators.page_charts import charts_precompute

    run = Run.objects.filter(pk=run_id, status=Run.Status.SUCCEEDED).first()
    return charts_precompute(run=run) if run else 0
