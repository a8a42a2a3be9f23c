"""For tests: a workflow definition with some state codes renamed, flags and labels kept,
to show that code reads a workflow's flags and never its codes."""

from __future__ import annotations

import copy
from typing import Any


def renamed(definition: dict[str, Any], codes: dict[str, str]) -> dict[str, Any]:
    """A copy of ``definition`` whose states named in ``codes`` carry their new codes, in the
    initial state, the states and every transition's sources and target."""
    definition = copy.deepcopy(definition)

    def rename(code: str) -> str:
        return codes.get(code, code)

    definition["initial"] = rename(definition["initial"])
    for state in definition["states"]:
        state["code"] = rename(state["code"])
    for step in definition["transitions"]:
        step["source"], step["target"] = [rename(c) for c in step["source"]], rename(step["target"])
    return definition
