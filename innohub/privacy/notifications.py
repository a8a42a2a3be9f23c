"""The notifications of personal data requests (`activity.messages`): administrators hear of a
request received and, daily, of one nearing or past its deadline."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from innohub.activity.messages import date, message

REQUEST_RECEIVED = message(
    "privacy.request_received", subject=gettext_noop("Personal data request %(ref)s received: answer by %(due)s"),
    params={"due": date},
)
REQUEST_DUE = message(
    "privacy.request_due", subject=gettext_noop("Personal data request %(ref)s is due %(due)s"),
    params={"due": date},
)
