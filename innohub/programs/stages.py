"""The three stages of non-refundable support and their default ceilings per award.

These are the seeded defaults (HCMC's policy: 40, 80 and 400 million đồng); the
programmes app lets administrators change the ceiling by year.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class StageInfo:
    code: str
    label: str | Promise
    ceiling: int
    description: str | Promise


DEFAULT_STAGES: tuple[StageInfo, ...] = (
    StageInfo(
        "pre_incubation", _("Pre-incubation"), 40_000_000,
        _("For teams turning an idea into a first product: validation, prototype, first customers."),
    ),
    StageInfo(
        "incubation", _("Incubation"), 80_000_000,
        _("For young startups in an incubator: product development, market testing, team building."),
    ),
    StageInfo(
        "acceleration", _("Acceleration"), 400_000_000,
        _("For startups with traction: scaling up, new markets, investment readiness."),
    ),
)
