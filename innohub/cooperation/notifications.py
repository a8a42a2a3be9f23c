"""The notifications international cooperation sends, declared as messages (`activity.messages`).

An action's owner hears when it is assigned, a few working days before it is due and when it
is late; the owner's manager (the head of the owning unit) when it stays late. Managers hear
of an agreement awaiting approval; the unit's head and the partner's contact owner of an
agreement nearing its expiry, flagged when nothing was done under it for a year.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from innohub.activity.messages import date, message, translated

ACTION_ASSIGNED = message(
    "cooperation.action_assigned", subject=gettext_noop("An action agreed with %(partner)s is yours (due %(due)s)"),
    body="%(what)s", params={"due": date},
)
ACTION_DUE_SOON = message(
    "cooperation.action_due_soon", subject=gettext_noop("Action for %(partner)s is due %(due)s"),
    body="%(what)s", params={"due": date},
)
ACTION_OVERDUE = message(
    "cooperation.action_overdue", subject=gettext_noop("Action for %(partner)s is overdue: it was due %(due)s"),
    body="%(what)s", params={"due": date},
)
ACTION_ESCALATED = message(
    "cooperation.action_escalated",
    subject=gettext_noop("An action of %(owner)s for %(partner)s is still late (due %(due)s)"),
    body="%(what)s", params={"due": date},
)
AGREEMENT_AWAITS_APPROVAL = message(
    "cooperation.agreement_awaits_approval", subject=gettext_noop("The agreement “%(title)s” awaits your approval"),
)
AGREEMENT_EXPIRING = message(
    "cooperation.agreement_expiring", subject=gettext_noop("The agreement “%(title)s” expires %(expires)s"),
    body="%(stale)s", params={"expires": date, "stale": translated},
)

# the body of an expiry reminder when nothing was done under the agreement for a year
STALE_NOTE = gettext_noop("Nothing was done under this agreement in the past year: decide whether to renew it.")
