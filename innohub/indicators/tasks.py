"""Background work of the index: computing a run and its Monte Carlo analysis. Tasks take ids
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
