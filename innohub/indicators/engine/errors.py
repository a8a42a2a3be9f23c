"""Errors the composite-indicator engine raises: one exception type per kind of bad input.

Each error carries every problem found (not only the first), so a caller can report them all at
once, as the project's conventions ask of any import.
"""

from __future__ import annotations


class EngineError(ValueError):
    """Base class: the message lists every problem, one per line."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class FrameworkError(EngineError):
    """The framework (indicators, levels, parents, weights) is inconsistent."""


class DataError(EngineError):
    """The values (iData) are missing columns, not numeric, or do not match the framework."""


class SpecError(EngineError):
    """A pipeline spec names an unknown step or method, or has a bad parameter."""
