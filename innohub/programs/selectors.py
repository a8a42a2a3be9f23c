"""Reads on support programmes."""

from __future__ import annotations

from innohub.programs.stages import DEFAULT_STAGES, StageInfo


def stage_list() -> list[StageInfo]:
    """The support stages with this year's ceiling per award."""
    return list(DEFAULT_STAGES)
