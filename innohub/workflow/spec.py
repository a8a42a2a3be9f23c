"""A workflow definition parsed from data: states with their labels per audience and their
flags, transitions naming source, target, roles, guards and effects; and the check that a
definition is complete for the model that runs it.

Definitions are the JSON the apps keep (`programs.Workflow.definition`, `qa.workflows`):
``{"initial": code, "states": [{"code", "<audience>": {"vi", "en"}, "flags": [...]}],
"transitions": [{"code", "source": [...], "target", "roles": [...], "guards": [...],
"effects": [...], "label": {"vi", "en"}}]}``. Code asks a spec for a flag
(``spec.states_with("rankable")``), never for a literal state code, so an administrator may
rename states as long as the flags stay. Roles name `core.roles` codes, the groups in
`ROLE_GROUPS`, or a pseudo-role the model's `WorkflowKind` resolves per object.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from innohub.core.i18n import labelled
from innohub.core.roles import ADMIN_ROLES, ALL_ROLES, BACKOFFICE_ROLES, MANAGER_ROLES, STAFF_ROLES

if TYPE_CHECKING:
    from innohub.workflow.registry import WorkflowKind

# Groups of `core.roles` a definition may name instead of listing the roles.
ROLE_GROUPS: dict[str, frozenset[str]] = {
    "staff": frozenset(str(r) for r in STAFF_ROLES),
    "backoffice": frozenset(str(r) for r in BACKOFFICE_ROLES),
    "managers": frozenset(str(r) for r in MANAGER_ROLES),
    "administrators": frozenset(str(r) for r in ADMIN_ROLES),
}
ROLE_CODES = frozenset(str(r) for r in ALL_ROLES)
# Keys of a state that are not an audience's labels.
_STATE_KEYS = frozenset({"code", "flags", "terminal"})


@dataclass(frozen=True)
class State:
    code: str
    labels: dict[str, dict[str, str]]
    flags: frozenset[str]


@dataclass(frozen=True)
class Transition:
    code: str
    source: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    label: dict[str, str] = field(default_factory=dict)
    # an internal step the code takes (not offered on a page), audited as ``action``
    internal: bool = False
    action: str = ""

    @property
    def display_label(self) -> str:
        return labelled(self.label) if self.label else self.code

    @property
    def audit_action(self) -> str:
        return self.action or self.code

    def user_roles(self) -> frozenset[str]:
        """The `core.roles` codes this transition names, groups expanded (pseudo-roles left out)."""
        roles: set[str] = set()
        for role in self.roles:
            roles |= ROLE_GROUPS.get(role, {role} if role in ROLE_CODES else set())
        return frozenset(roles)


class MalformedDefinition(ValueError):
    """A definition that is not even in the expected shape."""


def _codes(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise MalformedDefinition(_("%(what)s must be a list.") % {"what": what})
    return tuple(str(v) for v in value)


class WorkflowSpec:
    """A parsed workflow definition (cheap to build; the apps cache one per stored version)."""

    def __init__(self, definition: dict[str, Any]):
        if not isinstance(definition, dict):
            raise MalformedDefinition(_("The definition must be an object with “initial”, “states” and “transitions”."))
        self.definition = definition
        self.initial: str = str(definition.get("initial") or "")
        self.states: dict[str, State] = {}
        self.transitions: dict[str, Transition] = {}
        self.duplicates: list[str] = []
        for raw in definition.get("states") or []:
            if not isinstance(raw, dict) or not raw.get("code"):
                raise MalformedDefinition(_("Every state needs a code."))
            flags = set(_codes(raw.get("flags", []), _("The flags of state “%(code)s”") % {"code": raw["code"]}))
            if raw.get("terminal"):
                flags.add("terminal")
            labels = {k: v for k, v in raw.items() if k not in _STATE_KEYS and isinstance(v, dict)}
            if raw["code"] in self.states:
                self.duplicates.append(str(raw["code"]))
            self.states[str(raw["code"])] = State(code=str(raw["code"]), labels=labels, flags=frozenset(flags))
        for raw in definition.get("transitions") or []:
            if not isinstance(raw, dict) or not raw.get("code") or "target" not in raw:
                raise MalformedDefinition(_("Every transition needs a code and a target."))
            code = str(raw["code"])
            if code in self.transitions:
                self.duplicates.append(code)
            self.transitions[code] = Transition(
                code=code, source=_codes(raw.get("source", []), code), target=str(raw["target"]),
                roles=_codes(raw.get("roles", []), code), guards=_codes(raw.get("guards", []), code),
                effects=_codes(raw.get("effects", []), code), label=raw.get("label") or {},
                internal=bool(raw.get("internal")), action=str(raw.get("action") or ""),
            )  # fmt: skip

    # --- labels and flags ---------------------------------------------------------------------
    def label(self, state: str, audience: str = "staff") -> str:
        """A state's label for an audience in the active language (its code when unknown)."""
        found = self.states.get(state)
        if found is None or audience not in found.labels:
            return state
        return labelled(found.labels[audience])

    def has_flag(self, state: str, flag: str) -> bool:
        found = self.states.get(state)
        return found is not None and flag in found.flags

    def states_with(self, *flags: str) -> tuple[str, ...]:
        """The codes of the states carrying any of the flags, in the definition's order."""
        return tuple(s.code for s in self.states.values() if s.flags.intersection(flags))

    def states_without(self, *flags: str) -> tuple[str, ...]:
        return tuple(s.code for s in self.states.values() if not s.flags.intersection(flags))

    def is_terminal(self, state: str) -> bool:
        return self.has_flag(state, "terminal")

    # --- transitions ---------------------------------------------------------------------------
    def transitions_from(self, state: str, *, internal: bool = False) -> list[Transition]:
        """The transitions that start from a state (internal steps only when asked for)."""
        return [t for t in self.transitions.values() if state in t.source and (internal or not t.internal)]

    def transitions_into(self, source: str, flag: str) -> list[Transition]:
        """The transitions from ``source`` into a state carrying ``flag``."""
        return [t for t in self.transitions_from(source) if self.has_flag(t.target, flag)]

    # --- validation ----------------------------------------------------------------------------
    def problems(self, kind: WorkflowKind | None = None) -> list[str]:
        """Every problem of the definition, translated; empty when the kind may run it."""
        problems = [_("“%(code)s” is defined twice.") % {"code": code} for code in self.duplicates]
        if not self.initial:
            problems.append(_("The workflow has no initial state."))
        elif self.initial not in self.states:
            problems.append(_("The initial state “%(state)s” is not one of the states.") % {"state": self.initial})
        known_roles = set(ROLE_CODES) | set(ROLE_GROUPS) | (set(kind.pseudo_roles) if kind else set())
        for t in self.transitions.values():
            for state in dict.fromkeys((*t.source, t.target)):
                if state not in self.states:
                    problems.append(_("Transition “%(code)s”: unknown state “%(state)s”.") % {"code": t.code, "state": state})
            if not t.roles:
                problems.append(_("Transition “%(code)s” names no role.") % {"code": t.code})
            problems += [_("Transition “%(code)s”: unknown role “%(role)s”.") % {"code": t.code, "role": r} for r in t.roles if r not in known_roles]
            if kind is not None:
                problems += [_("Transition “%(code)s”: unknown guard “%(name)s”.") % {"code": t.code, "name": g} for g in t.guards if g not in kind.guards]
                problems += [_("Transition “%(code)s”: unknown effect “%(name)s”.") % {"code": t.code, "name": e} for e in t.effects if e not in kind.effects]
        if kind is not None:
            present = {flag for s in self.states.values() for flag in s.flags}
            problems += [
                _("No state carries the flag “%(flag)s”, which the platform relies on.") % {"flag": flag}
                for flag in kind.required_flags if flag not in present
            ]
            problems += [
                _("The transition “%(code)s”, which the platform relies on, is missing.") % {"code": code}
                for code in kind.required_transitions if code not in self.transitions
            ]
            for check in kind.checks:
                problems += check(self)
        return problems


def definition_problems(definition: Any, kind: WorkflowKind | None = None) -> list[str]:
    """Every problem of a stored definition, a malformed one included (never raises)."""
    try:
        return WorkflowSpec(definition).problems(kind)
    except MalformedDefinition as exc:
        return [str(exc)]
