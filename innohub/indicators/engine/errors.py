"""Errors the composite-indicator engine raises: one exception type per kind of bad input.

Each error carries every problem found (not only the first), so a caller can report them all at
once, as the project's conventions ask of any import.
"""

from __future__ import annotations

from typing import Any


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


class Problem(str):
    """One problem: reads as its English message, and keeps a stable ``code`` and the named
    ``params`` it was written from, so a caller (the services, pages and command, through
    ``indicators.problems``) can write it in the reader's language without the engine depending on
    Django. A param may itself be a ``Problem`` (where the problem is, what is allowed), translated
    the same way; a ``count`` param picks the plural form."""

    code: str
    template: str
    params: dict[str, Any]

    def __new__(cls, problem_code: str, template: str, /, **params: Any) -> Problem:
        problem = super().__new__(cls, template.format(**params))
        problem.code, problem.template, problem.params = problem_code, template, params
        return problem

    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, Any]]:  # so it pickles (caches, tasks)
        return (self.code, self.template), self.params
