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
from .errors import Problem, SpecError
from .impute import IMPUTATION_METHODS
from .normalise import NORMALISATION_METHODS
from .treat import FALLBACKS, TREATMENT_METHODS

SPECS_DIR = Path(__file__).resolve().parent / "specs"


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _one_of(options: tuple[str, ...]) -> Callable[[Any], bool]:
    return lambda value: value in options


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _fraction(value: Any) -> bool:
    return is_number(value) and 0 <= value <= 1


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _ONE_OF(options: tuple[str, ...]) -> Problem:  # noqa: N802 - reads as the description it builds
    return Problem("allowed_one_of", "one of {options}", options=", ".join(options))


_NUMBER = Problem("allowed_number", "a number")
_FRACTION = Problem("allowed_fraction", "a number between 0 and 1")
_WHOLE = Problem("allowed_whole", "a whole number >= 0")
_TARGET = Problem("allowed_target", "a number (default: the indicator's target)")
_DENOMINATOR = Problem("allowed_denominator", "a denominator column name")
_GROUP = Problem("allowed_group", "a group column name")
_UNIT = Problem("allowed_unit", "a unit code")
_BOOLEAN = Problem("allowed_boolean", "true or false")


def _where_code(where: Problem, code: Any) -> Problem:
    return Problem("where_code", "{where}, {code}", where=where, code=code)


# step -> parameter -> (check, default, description of what is allowed)
PARAMETERS: dict[str, dict[str, tuple[Callable[[Any], bool], Any, Problem]]] = {
    "denominate": {
        "method": (_one_of(("framework", "none")), "framework", _ONE_OF(("framework", "none"))),
        "scale": (is_number, 1.0, _NUMBER),
        "denominator": (_text, None, _DENOMINATOR),
    },
    "impute": {
        "method": (_one_of(IMPUTATION_METHODS), "mean", _ONE_OF(IMPUTATION_METHODS)),
        "group": (_text, None, _GROUP),
        "fallback": (_one_of(IMPUTATION_METHODS), "none", _ONE_OF(IMPUTATION_METHODS)),
    },
    "screen": {
        "min_data_fraction": (_fraction, 0.0, _FRACTION),
        "when_missing_in_year": (_one_of(("drop_year", "drop_unit")), "drop_year", _ONE_OF(("drop_year", "drop_unit"))),
    },
    "treat": {
        "method": (_one_of(TREATMENT_METHODS), "skew_kurtosis", _ONE_OF(TREATMENT_METHODS)),
        "winmax": (_positive_int, 5, _WHOLE),
        "skew_threshold": (is_number, 2.0, _NUMBER),
        "kurtosis_threshold": (is_number, 3.5, _NUMBER),
        "fallback": (_one_of(FALLBACKS), "log", _ONE_OF(FALLBACKS)),
    },
    "normalise": {
        "method": (_one_of(NORMALISATION_METHODS), "minmax", _ONE_OF(NORMALISATION_METHODS)),
        "low": (is_number, 0.0, _NUMBER),
        "high": (is_number, 100.0, _NUMBER),
        "mean": (is_number, 0.0, _NUMBER),
        "sd": (is_number, 1.0, _NUMBER),
        "scale": (is_number, 100.0, _NUMBER),
        "reference_unit": (_text, None, _UNIT),
        "target": (is_number, None, _TARGET),
        "lower": (is_number, None, _NUMBER),
        "upper": (is_number, None, _NUMBER),
        "cap": (_boolean, True, _BOOLEAN),
        "across_years": (_boolean, False, _BOOLEAN),
    },
    "aggregate": {
        "method": (_one_of(AGGREGATION_METHODS), "arithmetic", _ONE_OF(AGGREGATION_METHODS)),
        "power": (is_number, 1.0, _NUMBER),
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


def _check_params(where: Problem, step: str, raw: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    allowed = PARAMETERS[step]
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ORDERLESS_KEYS:
            continue
        if key not in allowed:
            problems.append(Problem("unknown_parameter", "{where}: unknown parameter {key} for step {step} (allowed: {allowed})",
                                    where=where, key=repr(key), step=repr(step), allowed=", ".join(allowed)))
            continue
        check, _, description = allowed[key]
        if value is not None and not check(value):
            problems.append(Problem("bad_value", "{where}: {key} must be {allowed}, not {value}",
                                    where=where, key=key, allowed=description, value=repr(value)))
        params[key] = value
    return params


def parse_spec(raw: Any, *, source: str = "spec") -> PipelineSpec:
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise SpecError([Problem("not_mapping", "{source}: the spec must be a mapping with a 'steps' list", source=source)])
    unknown_top = set(raw) - {"name", "description", "steps"}
    if unknown_top:
        problems.append(Problem("unknown_top_keys", "{source}: unknown top-level keys: {keys}", source=source,
                                keys=", ".join(sorted(map(str, unknown_top)))))
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise SpecError(problems + [Problem("no_steps", "{source}: 'steps' must be a non-empty list", source=source)])
    steps: list[StepSpec] = []
    weights = WeightsSpec()
    for position, raw_step in enumerate(raw_steps, start=1):
        where = Problem("where_step", "{source}: step {position}", source=source, position=position)
        if not isinstance(raw_step, Mapping) or "step" not in raw_step:
            problems.append(Problem("step_not_mapping", "{where}: each step must be a mapping with a 'step' key", where=where))
            continue
        kind = raw_step["step"]
        if kind not in PARAMETERS:
            problems.append(Problem("unknown_step", "{where}: unknown step {step} (known: {known})", where=where,
                                    step=repr(kind), known=", ".join(PARAMETERS)))
            continue
        where = Problem("where_step_kind", "{source}: step {position} ({step})", source=source, position=position,
                        step=kind)
        defaults = {k: default for k, (_, default, _) in PARAMETERS[kind].items()}
        params = {**defaults, **_check_params(where, kind, raw_step, problems)}
        override_key = "per_aggregate" if kind == "aggregate" else "per_indicator"
        wrong_key = "per_indicator" if kind == "aggregate" else "per_aggregate"
        if wrong_key in raw_step:
            problems.append(Problem("wrong_override_key", "{where}: use {right}, not {wrong}, for this step", where=where,
                                    right=repr(override_key), wrong=repr(wrong_key)))
        overrides: dict[str, dict[str, Any] | None] = {}
        raw_overrides = raw_step.get(override_key) or {}
        if not isinstance(raw_overrides, Mapping):
            problems.append(Problem("bad_overrides", "{where}: {key} must map codes to parameters or 'none'", where=where,
                                    key=override_key))
            raw_overrides = {}
        for code, override in raw_overrides.items():
            if override == "none":
                overrides[str(code)] = None
            elif isinstance(override, Mapping):
                overrides[str(code)] = _check_params(_where_code(where, code), kind, override, problems)
            else:
                problems.append(Problem("bad_override", "{where}: override must be a mapping of parameters or 'none'",
                                        where=_where_code(where, code)))
        if kind == "aggregate" and "weights" in raw_step:
            weights = _parse_weights(where, raw_step["weights"], problems)
        elif "weights" in raw_step:
            problems.append(Problem("weights_misplaced", "{where}: 'weights' belongs to the aggregate step", where=where))
        if kind == "impute" and params["method"].startswith("group_") and not params.get("group"):
            problems.append(Problem("needs_group", "{where}: method {method} needs 'group' (a group column)", where=where,
                                    method=params["method"]))
        if kind == "normalise" and params["method"] == "goalposts":
            for code, override in {"": params, **{k: v for k, v in overrides.items() if v}}.items():
                merged = {**params, **override}
                if merged.get("lower") is None or merged.get("upper") is None:
                    problems.append(Problem("goalposts_bounds", "{where}: goalposts need 'lower' and 'upper'",
                                             where=_where_code(where, code) if code else where))
                    break
        if kind == "normalise" and params["method"] == "distance_to_reference" and not params.get(
            "reference_unit"
        ):
            problems.append(Problem("needs_reference_unit", "{where}: distance_to_reference needs 'reference_unit'",
                                    where=where))
        if kind == "normalise" and params["method"] == "minmax" and params["low"] >= params["high"]:
            problems.append(Problem("low_not_below_high", "{where}: low must be below high", where=where))
        steps.append(StepSpec(kind, params, overrides))
    kinds = [s.step for s in steps]
    for required in ("normalise", "aggregate"):
        if kinds and kinds.count(required) != 1:
            problems.append(Problem("step_not_once", "{source}: step {step} must appear exactly once", source=source,
                                    step=repr(required)))
    if kinds and "aggregate" in kinds and kinds[-1] != "aggregate":
        problems.append(Problem("aggregate_not_last", "{source}: 'aggregate' must be the last step", source=source))
    for kind in set(kinds):
        if kinds.count(kind) > 1 and kind not in ("impute", "treat"):
            problems.append(Problem("step_repeated", "{source}: step {step} appears more than once", source=source,
                                    step=repr(kind)))
    if problems:
        raise SpecError(problems)
    return PipelineSpec(
        name=str(raw.get("name", source)),
        steps=tuple(steps),
        weights=weights,
        description=str(raw.get("description", "")),
    )


def _parse_weights(where: Problem, raw: Any, problems: list[str]) -> WeightsSpec:
    if isinstance(raw, str):
        raw = {"method": raw}
    if not isinstance(raw, Mapping):
        problems.append(Problem("bad_weights", "{where}: weights must be a method name or {{method, values}}", where=where))
        return WeightsSpec()
    method = raw.get("method", "manual")
    if method not in WEIGHTING_METHODS:
        problems.append(Problem("bad_weights_method", "{where}: weights method must be one of {allowed}, not {value}",
                                where=where, allowed=", ".join(WEIGHTING_METHODS), value=repr(method)))
    values = raw.get("values") or {}
    if not isinstance(values, Mapping) or not all(is_number(v) and v >= 0 for v in values.values()):
        problems.append(Problem("bad_weights_values", "{where}: weights values must map codes to numbers >= 0", where=where))
        values = {}
    extra = set(raw) - {"method", "values"}
    if extra:
        problems.append(Problem("unknown_weights_keys", "{where}: unknown weights keys: {keys}", where=where,
                                keys=", ".join(sorted(map(str, extra)))))
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
            raise SpecError([Problem("spec_not_found", "no spec file or shipped spec named {name} (shipped: {shipped})",
                                     name=repr(str(file_or_name)), shipped=", ".join(shipped_spec_names()) or "-")])
        path = found
    text = path.read_text(encoding="utf-8")
    try:
        raw = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SpecError([Problem("spec_not_parsable", "{file}: not valid {format}: {error}", file=path.name,
                                 format="JSON" if path.suffix == ".json" else "YAML", error=str(exc))]) from exc
    return parse_spec(raw, source=path.name)
