"""The composite-indicator engine: a framework as data, a configurable pipeline, analysis.

Plain numpy/pandas, no Django, so it runs in a notebook, a management command or a background
task alike. ``run_spec("coinr-example", idata=..., imeta=...)`` reproduces COINr's example index;
``monte_carlo`` (in ``uncertainty``) runs the uncertainty and sensitivity analysis. Modules:
``framework`` (indicators, aggregates, units, values), ``coinr_io`` (iData/iMeta files), ``spec``
(pipeline specs), the step modules ``impute``, ``treat``, ``normalise``, ``aggregate``,
``pipeline`` (running a spec, results and their trace), ``analysis`` (correlations, Cronbach's
alpha) and ``uncertainty``.
"""

from .coinr_io import load_coinr
from .errors import DataError, EngineError, FrameworkError, Problem, SpecError
from .framework import Aggregate, Dataset, Framework, Indicator
from .pipeline import PipelineResult, StepRecord, run_pipeline, run_spec
from .spec import PipelineSpec, load_spec, parse_spec

__all__ = [
    "Aggregate",
    "DataError",
    "Dataset",
    "EngineError",
    "Framework",
    "FrameworkError",
    "Indicator",
    "PipelineResult",
    "PipelineSpec",
    "Problem",
    "SpecError",
    "StepRecord",
    "load_coinr",
    "load_spec",
    "parse_spec",
    "run_pipeline",
    "run_spec",
]
