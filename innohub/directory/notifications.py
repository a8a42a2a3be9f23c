"""The notifications the directory sends, declared as messages (`activity.messages`):
officers hear of registrations, claims and proposed changes waiting for them; the applicant
who asked hears of the decision, with the officer's note."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from innohub.activity.messages import message

STARTUP_REGISTERED = message(
    "directory.startup_registered", subject=gettext_noop("A startup registered in the directory: %(name)s"), body="%(text)s",
)
STARTUP_CLAIMED = message(
    "directory.startup_claimed", subject=gettext_noop("A startup was claimed: %(name)s"), body="%(text)s",
)
CHANGES_PROPOSED = message(
    "directory.changes_proposed", subject=gettext_noop("Changes proposed to %(name)s"), body="%(text)s",
)
REQUEST_APPROVED = message(
    "directory.request_approved", subject=gettext_noop("Your request about %(name)s was approved"), body="%(note)s",
)
REQUEST_REJECTED = message(
    "directory.request_rejected", subject=gettext_noop("Your request about %(name)s was rejected"), body="%(note)s",
)
