"""Frameworks of the index: a definition checked whole before it is kept, its specification edited, its snapshot for a run."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError
from innohub.core.permissions import ensure_role
from innohub.indicators import engine
from innohub.indicators.engine.spec import is_number
from innohub.indicators.engine.uncertainty import Uncertainties
from innohub.indicators.engine.uncertainty import check as check_uncertainties
from innohub.indicators.models import (
    Aggregate,
    Framework,
    Indicator,
)
from innohub.indicators.permissions import MANAGE_ROLES
from innohub.indicators.platform import CALCULATORS
from innohub.indicators.problems import problems_text
from innohub.indicators.services.base import DEFAULT_MONTE_CARLO_RUNS

# --- frameworks -------------------------------------------------------------------------------

@transaction.atomic
def framework_create(*, definition: dict[str, Any], actor: Any) -> Framework:
    """Create a framework with its aggregates and indicators from a definition dict (the layout
    of ``framework_snapshot``); the engine checks the tree and the spec first."""
    _check_definition(definition)
    framework = Framework.objects.create(
        code=definition["code"],
        name=definition["name"],
        name_en=definition.get("name_en", ""),
        description=definition.get("description", ""),
        description_en=definition.get("description_en", ""),
        spec=definition["spec"],
        uncertainty=definition.get("uncertainty", {}),
        is_published=definition.get("is_published", False),
    )
    by_code: dict[str, Aggregate] = {}
    for order, item in enumerate(sorted(definition["aggregates"], key=lambda a: -a["level"])):
        by_code[item["code"]] = Aggregate.objects.create(
            framework=framework,
            code=item["code"],
            name=item["name"],
            name_en=item.get("name_en", ""),
            level=item["level"],
            parent=by_code.get(item.get("parent") or ""),
            weight=item.get("weight", 1.0),
            order=item.get("order", order),
        )
    for order, item in enumerate(definition["indicators"]):
        Indicator.objects.create(
            framework=framework,
            code=item["code"],
            name=item["name"],
            name_en=item.get("name_en", ""),
            parent=by_code[item["parent"]],
            measure=item.get("measure", ""),
            measure_en=item.get("measure_en", ""),
            direction=item.get("direction", 1),
            additive=bool(item.get("additive", False)),
            weight=item.get("weight", 1.0),
            source=item.get("source", Indicator.Source.IMPORTED),
            calculator=item.get("calculator", ""),
            source_note=item.get("source_note", ""),
            source_note_en=item.get("source_note_en", ""),
            order=item.get("order", order),
        )
    event_record(actor=actor, action="indicator_framework.created", target=framework, after=framework_snapshot(framework))
    return framework


def _check_definition(definition: Any) -> None:
    """Every problem of a definition at once, in the reader's language, before anything is written:
    its shape (keys, lists, numbers) here, then the tree and the spec by the engine."""
    problems: list[str] = _shape_problems(definition)
    if not isinstance(definition, dict):
        definition = {}
    elif not problems:
        try:
            engine_framework(definition)
        except engine.FrameworkError as exc:
            problems.extend(exc.problems)
    try:
        engine.parse_spec(definition.get("spec"), source="spec")
    except engine.SpecError as exc:
        problems.extend(exc.problems)
    for item in _items(definition, "indicators"):
        if item.get("source") == Indicator.Source.COMPUTED and item.get("calculator") not in CALCULATORS:
            problems.append(_("indicator %(code)s: unknown calculator %(calculator)s")
                            % {"code": item.get("code"), "calculator": repr(item.get("calculator"))})
    code = definition.get("code")
    if isinstance(code, str) and code and Framework.objects.filter(code=code).exists():
        problems.append(_("a framework with the code %(code)s already exists") % {"code": code})
    if problems:
        raise _refusal(ngettext("The framework is not valid: %(count)d problem. Nothing was saved.",
                                "The framework is not valid: %(count)d problems. Nothing was saved.", len(problems)),
                       problems)


def _refusal(message: str, problems: list[Any], **extra: Any) -> ApplicationError:
    """A refusal whose ``message`` (chosen by ``ngettext`` for ``len(problems)``) counts the
    problems, with every problem in the reader's language."""
    return ApplicationError(message % {"count": len(problems)}, extra={"problems": problems_text(problems), **extra})


def _items(definition: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = definition.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shape_problems(definition: Any) -> list[str]:
    """What the engine cannot be given: not a mapping, a missing key, a list that is not one, a
    level or a direction that is not a whole number, a weight that is not a number."""
    if not isinstance(definition, dict):
        return [_("the definition must be a mapping with code, name, spec, aggregates and indicators")]
    problems = [
        _("the framework's %(key)s is missing") % {"key": key}
        for key in ("code", "name") if not isinstance(definition.get(key), str) or not definition[key].strip()
    ]
    for key in ("aggregates", "indicators"):
        value = definition.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
            problems.append(_("%(key)s must be a non-empty list of mappings") % {"key": key})
    must_be = {
        _text: _("%(where)s: %(key)s must be text, not %(value)s"),
        _whole: _("%(where)s: %(key)s must be a whole number, not %(value)s"),
        is_number: _("%(where)s: %(key)s must be a number, not %(value)s"),
    }
    kinds = [
        ("aggregates", _("aggregate %(code)s"), ("code", "name", "level"),
         {"code": _text, "parent": _text, "level": _whole, "weight": is_number}),
        ("indicators", _("indicator %(code)s"), ("code", "name", "parent"),
         {"code": _text, "parent": _text, "direction": _whole, "weight": is_number}),
    ]
    for key, label, required, checks in kinds:
        for position, item in enumerate(_items(definition, key), start=1):
            where = label % {"code": item.get("code") if _text(item.get("code")) else f"#{position}"}
            problems += [_("%(where)s: %(key)s is missing") % {"where": where, "key": name}
                         for name in required if item.get(name) in (None, "")]
            problems += [must_be[check] % {"where": where, "key": name, "value": repr(item[name])}
                         for name, check in checks.items() if item.get(name) not in (None, "") and not check(item[name])]
    return problems


@transaction.atomic
def framework_update_spec(
    *, framework: Framework, spec: dict[str, Any], uncertainty: dict[str, Any] | None, actor: Any
) -> Framework:
    """Change the pipeline spec (and Monte Carlo set-up); the version goes up by one."""
    ensure_role(actor, MANAGE_ROLES)
    try:
        parsed = engine.parse_spec(spec, source="spec")
    except engine.SpecError as exc:
        raise _refusal(
            ngettext("The pipeline spec is not valid: %(count)d problem, shown under the spec with its step and "
                     "key. Nothing was saved.",
                     "The pipeline spec is not valid: %(count)d problems, each shown under the spec with its step "
                     "and key. Nothing was saved.", len(exc.problems)), exc.problems, field="spec",
        ) from exc
    if uncertainty is not None:
        try:
            choices, runs = _uncertainties(uncertainty)
            check_uncertainties(parsed, choices, runs)
        except (ApplicationError, engine.SpecError) as exc:
            problems = exc.problems if isinstance(exc, engine.SpecError) else exc.extra.get("problems") or [str(exc.message)]
            raise _refusal(
                ngettext("The Monte Carlo set-up is not valid: %(count)d problem, shown under the set-up with its "
                         "key. Nothing was saved.",
                         "The Monte Carlo set-up is not valid: %(count)d problems, each shown under the set-up with "
                         "its key. Nothing was saved.", len(problems)), problems, field="uncertainty",
            ) from exc
    before = {"version": framework.version, "spec": framework.spec, "uncertainty": framework.uncertainty}
    framework.spec = spec
    if uncertainty is not None:
        framework.uncertainty = uncertainty
    framework.version += 1
    framework.save(update_fields=["spec", "uncertainty", "version", "updated_at"])
    after = {"version": framework.version, "spec": framework.spec, "uncertainty": framework.uncertainty}
    event_record(actor=actor, action="indicator_framework.spec_changed", target=framework, before=before, after=after)
    return framework


def framework_snapshot(framework: Framework) -> dict[str, Any]:
    """The framework as a definition dict: what a run keeps and what ``framework_create`` takes."""
    from innohub.indicators.selectors import framework_tree  # selectors imports this module

    aggregates, indicators = framework_tree(framework)
    return {
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "name_en": framework.name_en,
        "description": framework.description,
        "description_en": framework.description_en,
        "spec": framework.spec,
        "uncertainty": framework.uncertainty,
        "is_published": framework.is_published,
        "aggregates": [
            {
                "code": a.code, "name": a.name, "name_en": a.name_en, "level": a.level,
                "parent": a.parent.code if a.parent else None, "weight": a.weight, "order": a.order,
            }
            for a in aggregates
        ],
        "indicators": [
            {
                "code": i.code, "name": i.name, "name_en": i.name_en, "parent": i.parent.code,
                "measure": i.measure, "measure_en": i.measure_en, "direction": i.direction, "weight": i.weight,
                "additive": i.additive, "source": i.source, "calculator": i.calculator, "source_note": i.source_note,
                "source_note_en": i.source_note_en, "order": i.order,
            }
            for i in indicators
        ],
    }


def engine_framework(definition: dict[str, Any]) -> engine.Framework:
    indicators = [
        engine.Indicator(
            code=i["code"], parent=i["parent"], name_en=i.get("name_en", ""), name_vi=i["name"],
            unit=i.get("measure", ""), direction=int(i.get("direction", 1)), weight=float(i.get("weight", 1.0)),
            source=i.get("source", ""),
        )
        for i in definition["indicators"]
    ]
    aggregates = [
        engine.Aggregate(
            code=a["code"], level=int(a["level"]), parent=a.get("parent"), name_en=a.get("name_en", ""),
            name_vi=a["name"], weight=float(a.get("weight", 1.0)),
        )
        for a in definition["aggregates"]
    ]
    return engine.Framework(indicators, aggregates)


def _uncertainties(setup: dict[str, Any]) -> tuple[Uncertainties, int]:
    problems = []
    for key, check, default in (("weight_noise", is_number, 0.25), ("weight_sets", _whole, 100),
                                ("runs", _whole, DEFAULT_MONTE_CARLO_RUNS)):
        if not check(setup.get(key, default)):
            message = _("%(key)s must be a whole number, not %(value)s") if check is _whole else _(
                "%(key)s must be a number, not %(value)s")
            problems.append(message % {"key": key, "value": repr(setup[key])})
    for key in ("imputation", "normalisation", "aggregation"):
        options = setup.get(key, [])
        if not isinstance(options, list | tuple):
            problems.append(_("%(key)s must be a list of options, not %(value)s") % {"key": key, "value": repr(options)})
        elif key != "aggregation":
            problems += [_("%(key)s option %(value)s must be a mapping of parameters") % {"key": key, "value": repr(option)}
                         for option in options if not isinstance(option, dict)]
    if problems:
        raise ApplicationError(_("The uncertainty set-up is not valid."), extra={"problems": problems})
    choices = Uncertainties(
        weight_noise=float(setup.get("weight_noise", 0.25)),
        weight_sets=int(setup.get("weight_sets", 100)),
        imputation=tuple(setup.get("imputation", ())),
        normalisation=tuple(setup.get("normalisation", ())),
        aggregation=tuple(setup.get("aggregation", ())),
    )
    runs = int(setup.get("runs", DEFAULT_MONTE_CARLO_RUNS))
    if not 10 <= runs <= 20_000:
        raise ApplicationError(_("The number of Monte Carlo runs must be between 10 and 20,000."))
    return choices, runs
