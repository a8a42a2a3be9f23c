"""The engine's problems (``engine.Problem``: a stable code and named params) written in the
reader's language. The engine stays free of Django, so its messages are English; the pages map
each code to a translated template here. A code not listed reads as the engine's English."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

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
}


def problem_text(problem: Any) -> str:
    """``problem`` in the active language: an engine ``Problem`` through its code's template (its
    params translated the same way), anything else as its text."""
    if not isinstance(problem, Problem) or problem.code not in TEMPLATES:
        return str(problem)
    params = {key: problem_text(value) for key, value in problem.params.items()}
    template = str(TEMPLATES[problem.code])
    return template % params if "%(" in template else template

