"""Pipeline specs: a JSON or YAML file naming the steps, their methods and parameters.

A spec is ``{name, description, steps: [{step: <kind>, <param>: <value>, ...,
per_indicator: {<iCode>: {<param>: <value>} | "none"}}]}``; ``aggregate`` takes
``per_aggregate`` (keyed by parent code) instead and ``weights: {method, values}``. Steps run in
the order written; ``normalise`` and ``aggregate`` must each appear once, aggregation last.
Everything is checked before anything runs and every problem is reported at once. Specs shipped
with the project live in ``specs/`` and can be named instead of given as a path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .aggregate import AGGREGATION_METHODS, WEIGHTING_METHODS
from .errors import SpecError
from .impute import IMPUTATION_METHODS
from .normalise import NORMALISATION_METHODS
from .treat import FALLBACKS, TREATMENT_METHODS

SPECS_DIR = Path(__file__).resolve().parent / "specs"


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _one_of(options: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda value: value in options


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _fraction(value: Any) -> bool:
    return _number(value) and 0 <= value <= 1


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


# step -> parameter -> (check, default, description of what is allowed)
PARAMETERS: dict[str, dict[str, tuple[Callable[[Any], bool], Any, str]]] = {
    "denominate": {
        "method": (_one_of(("framework", "none")), "framework", "'framework' or 'none'"),
        "scale": (_number, 1.0, "a number"),
        "denominator": (_text, None, "a denominator column name"),
    },
    "impute": {
        "method": (_one_of(IMPUTATION_METHODS), "mean", f"one of {', '.join(IMPUTATION_METHODS)}"),
        "group": (_text, None, "a group column name"),
        "fallback": (_one_of(IMPUTATION_METHODS), "none", f"one of {', '.join(IMPUTATION_METHODS)}"),
    },
    "screen": {
        "min_data_fraction": (_fraction, 0.0, "a number between 0 and 1"),
        "when_missing_in_year": (_one_of(("drop_year", "drop_unit")), "drop_year", "'drop_year' or 'drop_unit'"),
    },
    "treat": {
        "method": (_one_of(TREATMENT_METHODS), "skew_kurtosis", f"one of {', '.join(TREATMENT_METHODS)}"),
        "winmax": (_positive_int, 5, "a whole number >= 0"),
        "skew_threshold": (_number, 2.0, "a number"),
        "kurtosis_threshold": (_number, 3.5, "a number"),
        "fallback": (_one_of(FALLBACKS), "log", f"one of {', '.join(FALLBACKS)}"),
    },
    "normalise": {
        "method": (_one_of(NORMALISATION_METHODS), "minmax", f"one of {', '.join(NORMALISATION_METHODS)}"),
        "low": (_number, 0.0, "a number"),
        "high": (_number, 100.0, "a number"),
        "mean": (_number, 0.0, "a number"),
        "sd": (_number, 1.0, "a number"),
        "scale": (_number, 100.0, "a number"),
        "reference_unit": (_text, None, "a unit code"),
        "target": (_number, None, "a number (default: the indicator's target)"),
        "lower": (_number, None, "a number"),
        "upper": (_number, None, "a number"),
        "cap": (_boolean, True, "true or false"),
        "across_years": (_boolean, False, "true or false"),
    },
    "aggregate": {
        "method": (_one_of(AGGREGATION_METHODS), "arithmetic", f"one of {', '.join(AGGREGATION_METHODS)}"),
        "power": (_number, 1.0, "a number"),
    },
}
ORDERLESS_KEYS = {"step", "per_indicator", "per_aggregate", "weights", "note"}


@dataclass(frozen=True)
class StepSpec:
    step: str
    params: dict[str, Any]
    overrides: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # None = skip

    def params_for(self, code: str) -> dict[str, Any] | None:
        if code not in self.overrides:
            return self.params
        override = self.overrides[code]
        return None if override is None else {**self.params, **override}


@dataclass(frozen=True)
class WeightsSpec:
    method: str = "manual"
    values: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class PipelineSpec:
    name: str
    steps: tuple[StepSpec, ...]
    weights: WeightsSpec = WeightsSpec()
    description: str = ""

    def step(self, kind: str) -> StepSpec | None:
        return next((s for s in self.steps if s.step == kind), None)

    def replace_step(self, kind: str, **params: Any) -> PipelineSpec:
        """A copy with ``kind``'s global parameters changed (used by the Monte Carlo analysis)."""
        steps = tuple(
            StepSpec(s.step, {**s.params, **params}, s.overrides) if s.step == kind else s
            for s in self.steps
        )
        return PipelineSpec(self.name, steps, self.weights, self.description)


def _check_params(where: str, step: str, raw: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    allowed = PARAMETERS[step]
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ORDERLESS_KEYS:
            continue
        if key not in allowed:
            problems.append(f"{where}: unknown parameter {key!r} for step {step!r} (allowed: {', '.join(allowed)})")
            continue
        check, _, description = allowed[key]
        if value is not None and not check(value):
            problems.append(f"{where}: {key} must be {description}, not {value!r}")
        params[key] = value
    return params


def parse_spec(raw: Any, *, source: str = "spec") -> PipelineSpec:
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise SpecError(f"{source}: the spec must be a mapping with a 'steps' list")
    unknown_top = set(raw) - {"name", "description", "steps"}
    if unknown_top:
        problems.append(f"{source}: unknown top-level keys: {', '.join(sorted(unknown_top))}")
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise SpecError(problems + [f"{source}: 'steps' must be a non-empty list"])
    steps: list[StepSpec] = []
    weights = WeightsSpec()
    for position, raw_step in enumerate(raw_steps, start=1):
        where = f"{source}: step {position}"
        if not isinstance(raw_step, Mapping) or "step" not in raw_step:
            problems.append(f"{where}: each step must be a mapping with a 'step' key")
            continue
        kind = raw_step["step"]
        if kind not in PARAMETERS:
            problems.append(f"{where}: unknown step {kind!r} (known: {', '.join(PARAMETERS)})")
            continue
        where = f"{source}: step {position} ({kind})"
        defaults = {k: default for k, (_, default, _) in PARAMETERS[kind].items()}
        params = {**defaults, **_check_params(where, kind, raw_step, problems)}
        override_key = "per_aggregate" if kind == "aggregate" else "per_indicator"
        wrong_key = "per_indicator" if kind == "aggregate" else "per_aggregate"
        if wrong_key in raw_step:
            problems.append(f"{where}: use {override_key!r}, not {wrong_key!r}, for this step")
        overrides: dict[str, dict[str, Any] | None] = {}
        raw_overrides = raw_step.get(override_key) or {}
        if not isinstance(raw_overrides, Mapping):
            problems.append(f"{where}: {override_key} must map codes to parameters or 'none'")
            raw_overrides = {}
        for code, override in raw_overrides.items():
            if override == "none":
                overrides[str(code)] = None
            elif isinstance(override, Mapping):
                overrides[str(code)] = _check_params(f"{where}, {code}", kind, override, problems)
            else:
                problems.append(f"{where}, {code}: override must be a mapping of parameters or 'none'")
        if kind == "aggregate" and "weights" in raw_step:
            weights = _parse_weights(where, raw_step["weights"], problems)
        elif "weights" in raw_step:
            problems.append(f"{where}: 'weights' belongs to the aggregate step")
        if kind == "impute" and params["method"].startswith("group_") and not params.get("group"):
            problems.append(f"{where}: method {params['method']} needs 'group' (a group column)")
        if kind == "normalise" and params["method"] == "goalposts":
            for code, override in {"": params, **{k: v for k, v in overrides.items() if v}}.items():
                merged = {**params, **override}
                if merged.get("lower") is None or merged.get("upper") is None:
                    problems.append(f"{where}{', ' + code if code else ''}: goalposts need 'lower' and 'upper'")
                    break
        if kind == "normalise" and params["method"] == "distance_to_reference" and not params.get(
            "reference_unit"
        ):
            problems.append(f"{where}: distance_to_reference needs 'reference_unit'")
        if kind == "normalise" and params["method"] == "minmax" and params["low"] >= params["high"]:
            problems.append(f"{where}: low must be below high")
        steps.append(StepSpec(kind, params, overrides))
    kinds = [s.step for s in steps]
    for required in ("normalise", "aggregate"):
        if kinds and kinds.count(required) != 1:
            problems.append(f"{source}: step {required!r} must appear exactly once")
    if kinds and "aggregate" in kinds and kinds[-1] != "aggregate":
        problems.append(f"{source}: 'aggregate' must be the last step")
    for kind in set(kinds):
        if kinds.count(kind) > 1 and kind not in ("impute", "treat"):
            problems.append(f"{source}: step {kind!r} appears more than once")
    if problems:
        raise SpecError(problems)
    return PipelineSpec(
        name=str(raw.get("name", source)),
        steps=tuple(steps),
        weights=weights,
        description=str(raw.get("description", "")),
    )


def _parse_weights(where: str, raw: Any, problems: list[str]) -> WeightsSpec:
    if isinstance(raw, str):
        raw = {"method": raw}
    if not isinstance(raw, Mapping):
        problems.append(f"{where}: weights must be a method name or {{method, values}}")
        return WeightsSpec()
    method = raw.get("method", "manual")
    if method not in WEIGHTING_METHODS:
        problems.append(f"{where}: weights method must be one of {', '.join(WEIGHTING_METHODS)}, not {method!r}")
    values = raw.get("values") or {}
    if not isinstance(values, Mapping) or not all(_number(v) and v >= 0 for v in values.values()):
        problems.append(f"{where}: weights values must map codes to numbers >= 0")
        values = {}
    extra = set(raw) - {"method", "values"}
    if extra:
        problems.append(f"{where}: unknown weights keys: {', '.join(sorted(extra))}")
    return WeightsSpec(method=str(method), values={str(k): float(v) for k, v in values.items()})


def shipped_spec_names() -> list[str]:
    return sorted(p.stem for p in SPECS_DIR.glob("*.y*ml")) + sorted(p.stem for p in SPECS_DIR.glob("*.json"))


def load_spec(file_or_name: str | Path) -> PipelineSpec:
    """Load a spec from a path, or by the name of a spec shipped in ``specs/``."""
    path = Path(file_or_name)
    if not path.is_file():
        candidates = [SPECS_DIR / f"{file_or_name}{ext}" for ext in (".yaml", ".yml", ".json")]
        found = next((c for c in candidates if c.is_file()), None)
        if found is None:
            raise SpecError(
                f"no spec file or shipped spec named {str(file_or_name)!r} "
                f"(shipped: {', '.join(shipped_spec_names()) or 'none'})"
            )
        path = found
    text = path.read_text(encoding="utf-8")
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SpecError(f"{path.name}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}") from exc
    return parse_spec(raw, source=path.name)
