"""The notifications research sends (`activity.messages`): the host organisation's members
hear of their task's decisive steps, council members of their appointment, an offer's
organisation of each expression of interest."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from innohub.activity.messages import date, message


def state_of(value: str) -> str:
    """A task's state ("<regime>:<code>") as the reader's language names it."""
    from innohub.research.workflows import SPECS

    regime, _sep, code = str(value).partition(":")
    spec = SPECS.get(regime)
    return spec.label(code) if spec else code


TASK_STEP = message(
    "research.task_step", subject=gettext_noop("Research task %(code)s: %(step)s"), params={"step": state_of},
)
COUNCIL_APPOINTED = message(
    "research.council_appointed", subject=gettext_noop("You sit on the %(council)s of research task %(code)s"),
)
INTEREST_EXPRESSED = message(
    "research.interest_expressed", subject=gettext_noop("%(organisation)s is interested in your technology “%(offer)s”"),
)
MILESTONE_DUE = message(
    "research.milestone_due", subject=gettext_noop("Research task %(code)s: “%(milestone)s” is due on %(due)s"),
    params={"due": date},
)
NEED_APPROVED = message(
    "research.need_approved", subject=gettext_noop("Your enterprise's need “%(title)s” is published on the technology marketplace"),
)
NEED_REJECTED = message(
    "research.need_rejected", subject=gettext_noop("Your enterprise's need “%(title)s” is not published: %(reason)s"),
)
