"""The sizes the runs keep (who may act is in `indicators.permissions`)."""

from __future__ import annotations

TRACE_ROWS = 200  # rows kept per table in a run's trace; the count says how many there were
DEFAULT_MONTE_CARLO_RUNS = 500
