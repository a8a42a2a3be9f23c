"""Given every problem the engine can raise (each ``Problem(code, English template, ...)`` in its
source), when it is written for a reader, then it has a translated template here that reads as the
engine's English on English pages and in Vietnamese on Vietnamese ones, so no engine message
reaches a page, the API or the command in English only."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from django.utils import translation

from innohub.indicators.engine import Problem
from innohub.indicators.problems import TEMPLATES, problem_text

ENGINE = Path(__file__).resolve().parents[1] / "engine"


def _variants(node: ast.expr) -> list[str]:
    """The English texts a template expression can take (a literal, a choice between two, a sum)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _variants(node.body) + _variants(node.orelse)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [a + b for a in _variants(node.left) for b in _variants(node.right)]
    raise AssertionError(f"line {node.lineno}: a Problem's template must be a literal, not {ast.dump(node)}")


def engine_problems() -> list[tuple[str, str]]:
    found = []
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Problem":
                code = node.args[0]
                assert isinstance(code, ast.Constant), f"{path.name}:{node.lineno}: the code must be a literal"
                found += [(code.value, template) for template in _variants(node.args[1])]
    return found


PROBLEMS = engine_problems()


def test_the_engine_raises_problems():
    assert len({code for code, _ in PROBLEMS}) > 60


@pytest.mark.parametrize(("code", "template"), PROBLEMS, ids=[f"{c}:{t[:30]}" for c, t in PROBLEMS])
def test_each_problem_reads_as_the_engines_english_and_in_vietnamese(code, template):
    assert code in TEMPLATES, f"no translated template for {code!r}"
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    for count in (1, 2):  # a template with plural forms has one English text for each
        params = {name: f"<{name}>" for name in names} | {"count": count}
        english_text = template.format(**params)
        problem = Problem(code, template, **params)
        with translation.override("en"):
            if problem_text(problem) == english_text:
                break
    else:
        pytest.fail(f"{code}: the English template differs from the engine's {template!r}")
    with translation.override("vi"):
        vietnamese = problem_text(problem)
    assert vietnamese != english_text or not re.search(r"[a-z]{3}", re.sub(r"<\w+>", "", english_text))
    assert all(f"<{name}>" in vietnamese for name in names - {"count"})
