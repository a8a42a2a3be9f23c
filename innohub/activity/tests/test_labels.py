"""Every action the code records has a label for the audit log's readers."""

import re
from pathlib import Path

import innohub
from innohub.activity.labels import ACTION_LABELS
from innohub.programs.workflows import DEFAULT_SPEC
from innohub.qa.workflows import TRANSITIONS as QUESTION_TRANSITIONS

_LITERAL_ACTION = re.compile(r"""action=["']([a-z_]+\.[a-z_]+)["']""")


def recorded_actions() -> set[str]:
    """The action codes written by the code: literal ones, and each workflow step's."""
    root = Path(innohub.__file__).parent
    codes = {
        code
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        for code in _LITERAL_ACTION.findall(path.read_text("utf-8"))
    }
    codes |= {f"application.{code}" for code in DEFAULT_SPEC.transitions}
    codes |= {f"question.{code}" for code in QUESTION_TRANSITIONS}
    return codes


def test_every_recorded_action_has_a_label():
    codes = recorded_actions()
    assert len(codes) > 50  # the scan found the services' actions
    assert sorted(codes - ACTION_LABELS.keys()) == []
