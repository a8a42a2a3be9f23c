"""Per-model workflow kinds: what a model's workflow must provide (flags, transitions), how
its pseudo-roles are resolved, and its registries of guards and effects by name.

Each app declares one `WorkflowKind` in its `workflows.py` beside its definition and
registers its guards and effects where they are implemented (``@KIND.guard("eligible")``),
so a stored definition can only name functions the code has. A kind is found from a model
instance by its label (`kind_for`), which is how the one transition service stays generic.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from innohub.workflow.spec import Transition, WorkflowSpec

GuardFn = Callable[[Any, Any, dict[str, Any]], list[str]]
EffectFn = Callable[[Any, Any, dict[str, Any], Transition], None]
RoleFn = Callable[[Any, Any], bool]
CheckFn = Callable[[WorkflowSpec], list[str]]
HookFn = Callable[[Any, Transition, WorkflowSpec], None]

_KINDS: dict[str, WorkflowKind] = {}


@dataclass
class WorkflowKind:
    """What the engine knows of one model's workflow."""

    model: str  # "app_label.modelname"
    audit_prefix: str  # the action codes' prefix: "application" -> "application.submit"
    spec_of: Callable[[Any], WorkflowSpec]
    required_flags: Sequence[str] = ()
    required_transitions: Sequence[str] = ()
    # where the guards and effects are registered, imported before a definition is checked
    registers_in: Sequence[str] = ()
    # messages with %(state)s, in the model's words
    wrong_state_message: Any = None
    guard_failed_message: Any = None
    fields: Sequence[str] = ("state",)
    select_related: Sequence[str] = ()
    pseudo_roles: dict[str, RoleFn] = field(default_factory=dict)
    guards: dict[str, GuardFn] = field(default_factory=dict)
    effects: dict[str, EffectFn] = field(default_factory=dict)
    checks: list[CheckFn] = field(default_factory=list)
    # run after the source state is checked, before the guards (may raise)
    before_guards: list[HookFn] = field(default_factory=list)

    def __post_init__(self) -> None:
        _KINDS[self.model] = self

    def guard(self, name: str) -> Callable[[GuardFn], GuardFn]:
        def register(fn: GuardFn) -> GuardFn:
            self.guards[name] = fn
            return fn

        return register

    def effect(self, name: str) -> Callable[[EffectFn], EffectFn]:
        def register(fn: EffectFn) -> EffectFn:
            self.effects[name] = fn
            return fn

        return register

    def pseudo_role(self, name: str) -> Callable[[RoleFn], RoleFn]:
        def register(fn: RoleFn) -> RoleFn:
            self.pseudo_roles[name] = fn
            return fn

        return register

    def load(self) -> None:
        """Import the modules that register this kind's guards and effects."""
        for module in self.registers_in:
            importlib.import_module(module)

    def problems(self, definition: Any) -> list[str]:
        from innohub.workflow.spec import definition_problems

        self.load()
        return definition_problems(definition, self)


def kind_for(obj: models.Model | type[models.Model]) -> WorkflowKind:
    """The workflow kind of a model instance (or class)."""
    return _KINDS[obj._meta.label_lower]
