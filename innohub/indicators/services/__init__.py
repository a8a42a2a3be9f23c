"""Writing the index, one module per sub-domain: `frameworks` (definitions, their checks and
snapshots), `values` (imported and computed values), `runs` (runs of the engine and their
uncertainty analysis).

A run is created by a manager (``run_start``) and computed by a background task
(``run_execute``), which reads the values, builds the engine's framework from the snapshot the
run took, runs the pipeline, and stores every score and rank with the pipeline's trace. The Monte
Carlo analysis of a finished run works the same way (``uncertainty_start`` /
``uncertainty_execute``). Both executions are safe to run twice: only a queued run is computed.
Callers import from this package.
"""

from __future__ import annotations

from innohub.indicators.services.base import DEFAULT_MONTE_CARLO_RUNS, TRACE_ROWS
from innohub.indicators.services.frameworks import (
    engine_framework,
    framework_create,
    framework_snapshot,
    framework_update_spec,
)
from innohub.indicators.services.runs import (
    dataset_for,
    run_execute,
    run_start,
    trace_as_json,
    uncertainty_execute,
    uncertainty_start,
)
from innohub.indicators.services.values import indicators_compute, values_import

__all__ = [
    "DEFAULT_MONTE_CARLO_RUNS",
    "TRACE_ROWS",
    "dataset_for",
    "engine_framework",
    "framework_create",
    "framework_snapshot",
    "framework_update_spec",
    "indicators_compute",
    "run_execute",
    "run_start",
    "trace_as_json",
    "uncertainty_execute",
    "uncertainty_start",
    "values_import",
]
