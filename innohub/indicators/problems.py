"""The engine's problems (``engine.Problem``: a stable code and named params) written in the
reader's language. The engine stays free of Django, so its messages are English; the services,
pages and the ``indicators_run`` command map each code to a translated template here (a problem
that counts something has a template with plural forms, chosen by its ``count``). A code not
listed reads as the engine's English."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy, ngettext_lazy

from innohub.indicators.engine import Problem

TEMPLATES: dict[str, Any] = {
    # where a problem is
    "where_step": gettext_lazy("%(source)s: step %(position)s"),
    "where_step_kind": gettext_lazy("%(source)s: step %(position)s (%(step)s)"),
    "where_code": gettext_lazy("%(where)s, %(code)s"),
    # what is allowed
    "allowed_one_of": gettext_lazy("one of %(options)s"),
    "allowed_number": gettext_lazy("a number"),
    "allowed_fraction": gettext_lazy("a number between 0 and 1"),
    "allowed_whole": gettext_lazy("a whole number >= 0"),
    "allowed_target": gettext_lazy("a number (default: the indicator's target)"),
    "allowed_denominator": gettext_lazy("a denominator column name"),
    "allowed_group": gettext_lazy("a group column name"),
    "allowed_unit": gettext_lazy("a unit code"),
    "allowed_boolean": gettext_lazy("true or false"),
    # the spec
    "unknown_parameter": gettext_lazy("%(where)s: unknown parameter %(key)s for step %(step)s (allowed: %(allowed)s)"),
    "bad_value": gettext_lazy("%(where)s: %(key)s must be %(allowed)s, not %(value)s"),
    "not_mapping": gettext_lazy("%(source)s: the spec must be a mapping with a 'steps' list"),
    "unknown_top_keys": gettext_lazy("%(source)s: unknown top-level keys: %(keys)s"),
    "no_steps": gettext_lazy("%(source)s: 'steps' must be a non-empty list"),
    "step_not_mapping": gettext_lazy("%(where)s: each step must be a mapping with a 'step' key"),
    "unknown_step": gettext_lazy("%(where)s: unknown step %(step)s (known: %(known)s)"),
    "wrong_override_key": gettext_lazy("%(where)s: use %(right)s, not %(wrong)s, for this step"),
    "bad_overrides": gettext_lazy("%(where)s: %(key)s must map codes to parameters or 'none'"),
    "bad_override": gettext_lazy("%(where)s: override must be a mapping of parameters or 'none'"),
    "weights_misplaced": gettext_lazy("%(where)s: 'weights' belongs to the aggregate step"),
    "needs_group": gettext_lazy("%(where)s: method %(method)s needs 'group' (a group column)"),
    "goalposts_bounds": gettext_lazy("%(where)s: goalposts need 'lower' and 'upper'"),
    "needs_reference_unit": gettext_lazy("%(where)s: distance_to_reference needs 'reference_unit'"),
    "low_not_below_high": gettext_lazy("%(where)s: low must be below high"),
    "step_not_once": gettext_lazy("%(source)s: step %(step)s must appear exactly once"),
    "aggregate_not_last": gettext_lazy("%(source)s: 'aggregate' must be the last step"),
    "step_repeated": gettext_lazy("%(source)s: step %(step)s appears more than once"),
    "bad_weights": gettext_lazy("%(where)s: weights must be a method name or {method, values}"),
    "bad_weights_method": gettext_lazy("%(where)s: weights method must be one of %(allowed)s, not %(value)s"),
    "bad_weights_values": gettext_lazy("%(where)s: weights values must map codes to numbers >= 0"),
    "unknown_weights_keys": gettext_lazy("%(where)s: unknown weights keys: %(keys)s"),
    # the Monte Carlo set-up
    "mc_no_impute_step": gettext_lazy("imputation is uncertain but the spec has no impute step"),
    "mc_unknown_parameters": gettext_lazy("%(choice)s option %(option)s: unknown parameters %(keys)s"),
    "mc_unknown_method": gettext_lazy("%(choice)s option %(option)s: unknown method %(method)s"),
    "mc_bad_aggregation": gettext_lazy(
        "aggregation option %(method)s: Monte Carlo supports arithmetic, geometric and harmonic means"),
    "mc_bad_weight_noise": gettext_lazy("weight_noise must be in [0, 1)"),
    "mc_nothing_uncertain": gettext_lazy("nothing is uncertain: give weight noise or at least two options for a choice"),
    "mc_too_few_runs": gettext_lazy("too few runs (%(runs)s) for %(factors)s factors"),
    # the framework's tree
    "fw_no_indicators": gettext_lazy("the framework has no indicators"),
    "fw_no_aggregates": gettext_lazy("the framework has no aggregates (at least an index is needed)"),
    "fw_duplicate_codes": gettext_lazy("duplicate codes: %(codes)s"),
    "fw_bad_direction": gettext_lazy("indicator %(code)s: direction must be 1 or -1, not %(direction)s"),
    "fw_bad_indicator_weight": gettext_lazy("indicator %(code)s: weight must be a number >= 0"),
    "fw_bad_indicator_parent": gettext_lazy("indicator %(code)s: parent %(parent)s is not a level-2 aggregate"),
    "fw_bad_denominator": gettext_lazy("indicator %(code)s: denominator %(denominator)s is not a denominator column"),
    "fw_several_roots": gettext_lazy("exactly one aggregate must top the tree; level %(level)s has %(roots)s"),
    "fw_bad_aggregate_level": gettext_lazy("aggregate %(code)s: level must be >= 2"),
    "fw_bad_aggregate_weight": gettext_lazy("aggregate %(code)s: weight must be a number >= 0"),
    "fw_bad_aggregate_parent": gettext_lazy("aggregate %(code)s: parent %(parent)s is not a level-%(level)s aggregate"),
    "fw_childless_aggregate": gettext_lazy("aggregate %(code)s has no children"),
    # the values
    "data_bad_shape": gettext_lazy("values have shape %(shape)s, expected %(expected)s"),
    "data_units_not_unique": gettext_lazy("unit codes are not unique"),
    "data_years_not_unique": gettext_lazy("years are not unique"),
    "data_infinite": gettext_lazy("values contain infinities"),
    "data_bad_denominator_shape": gettext_lazy("denominator %(name)s has shape %(shape)s, expected %(expected)s"),
    "data_missing_column": gettext_lazy("missing column: %(column)s"),
    "data_unknown_indicator": gettext_lazy("unknown indicator code: %(code)s"),
    # COINr-layout files (iMeta, iData) and spec files
    "file_not_found": gettext_lazy("%(what)s: file not found: %(path)s"),
    "file_not_csv": gettext_lazy("%(what)s: cannot read %(path)s as CSV: %(error)s"),
    "imeta_missing_column": gettext_lazy("iMeta: missing column %(column)s"),
    "imeta_where": gettext_lazy("iMeta row %(row)s (%(code)s)"),
    "imeta_where_no_code": gettext_lazy("iMeta row %(row)s (no code)"),
    "imeta_no_code": gettext_lazy("%(where)s: iCode is empty"),
    "imeta_bad_type": gettext_lazy("%(where)s, column Type: %(value)s is not one of %(types)s"),
    "imeta_not_number": gettext_lazy("%(where)s, column %(column)s: %(value)s is not a number"),
    "imeta_level_not_whole": gettext_lazy("%(where)s, column Level: a whole number is needed"),
    "imeta_indicator_level": gettext_lazy("%(where)s: indicators must be at Level 1"),
    "idata_missing_column": gettext_lazy("iData: missing column %(column)s"),
    "idata_no_unit_code": ngettext_lazy(
        "iData row %(rows)s: uCode is empty", "iData rows %(rows)s: uCode is empty", "count"),
    "idata_not_number": gettext_lazy("iData row %(row)s (%(unit)s), column %(column)s: %(value)s is not a number"),
    "idata_more_not_numbers": ngettext_lazy(
        "iData column %(column)s: %(count)s more value is not a number",
        "iData column %(column)s: %(count)s more values are not numbers", "count"),
    "idata_no_year": gettext_lazy("iData column Time: every row needs a year"),
    "idata_duplicate": gettext_lazy("iData: unit and year appear more than once: %(pair)s"),
    "spec_not_found": gettext_lazy("no spec file or shipped spec named %(name)s (shipped: %(shipped)s)"),
    "spec_not_parsable": gettext_lazy("%(file)s: not valid %(format)s: %(error)s"),
    # running a spec on the values
    "no_results_for_year": gettext_lazy("no results for year %(year)s (years: %(years)s)"),
    "override_unknown_code": gettext_lazy("spec %(spec)s, step %(step)s: unknown code %(code)s in overrides"),
    "unknown_group_column": gettext_lazy("spec %(spec)s, step %(step)s: unknown group column %(group)s"),
    "unknown_reference_unit": gettext_lazy("spec %(spec)s, step %(step)s: unknown reference unit %(unit)s"),
    "unknown_denominator": gettext_lazy("spec %(spec)s, step %(step)s: unknown denominator %(denominator)s"),
    "weights_unknown_code": gettext_lazy("spec %(spec)s, weights: unknown code %(code)s"),
    "denominator_not_in_data": gettext_lazy("indicator %(code)s: denominator %(denominator)s is not in the data"),
    "no_target": gettext_lazy("distance_to_target: no target for %(codes)s"),
    "negative_under_mean": ngettext_lazy(
        "the %(codes)s aggregate uses a geometric, harmonic or generalised mean but some child scores are "
        "negative; normalise to a positive range (e.g. minmax with low: 1)",
        "the %(codes)s aggregates use a geometric, harmonic or generalised mean but some child scores are "
        "negative; normalise to a positive range (e.g. minmax with low: 1)", "count"),
}


def problem_text(problem: Any) -> str:
    """``problem`` in the active language: an engine ``Problem`` through its code's template (its
    params that are problems translated the same way; a count stays a number, for the plural),
    anything else as its text."""
    if not isinstance(problem, Problem) or problem.code not in TEMPLATES:
        return str(problem)
    params = {key: problem_text(value) if isinstance(value, Problem) else value for key, value in problem.params.items()}
    template = TEMPLATES[problem.code]
    return str(template % params) if params else str(template)


def problems_text(problems: Iterable[Any]) -> list[str]:
    """Every problem of a list in the active language (what a service hands to a page or the API)."""
    return [problem_text(problem) for problem in problems]


def problems_stored(problems: Iterable[Any]) -> list[Any]:
    """Problems as JSON a model keeps (a failed run's), so that each reader gets them in their
    own language later (``problems_read``): a ``Problem`` as its code, English template and
    params (a param that is a problem stored the same way), anything else as its text."""
    return [_stored(problem) for problem in problems]


def _stored(value: Any) -> Any:
    if isinstance(value, Problem):
        return {"code": value.code, "template": value.template, "params": {k: _stored(v) for k, v in value.params.items()}}
    if value is None or isinstance(value, bool | int | float):
        return value
    return str(value)


def problems_read(stored: Iterable[Any]) -> list[str]:
    """Stored problems (``problems_stored``) in the active language."""
    return problems_text(_rebuilt(item) for item in stored)


def _rebuilt(value: Any) -> Any:
    if isinstance(value, dict) and {"code", "template", "params"} <= value.keys():
        return Problem(value["code"], value["template"], **{k: _rebuilt(v) for k, v in value["params"].items()})
    return value
