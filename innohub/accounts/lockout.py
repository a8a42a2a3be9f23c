"""Log-in lockout on django-axes: by the account, however its name is typed, and by the address.

django-axes records every failed log-in and refuses a client once it has failed too often.
Three settings hook us in (config/settings/base.py). `AXES_USERNAME_CALLABLE` is
`account_key`: the text typed is normalised (NFC, stripped, case-folded) and, when it names an
account by its username or e-mail in any case, replaced by that account's username, so that
`Lan@Example.vn`, `lan@example.vn` and `lan` are one account to axes (and
`manage.py axes_reset_username <username>` unlocks it). `AXES_LOCKOUT_PARAMETERS` counts by
the account and, separately, by the client's address. Axes compares every count with one
limit, while an address (an office, a café) must be allowed more failures across its
accounts than one account is: `AccountAndAddressHandler` gives the address its own limit,
`LOGIN_FAILURE_LIMIT_PER_ADDRESS`, and on a successful log-in clears only that account's
failures, not the address's, so that logging in to one's own account does not wipe the
guesses made at others. `lockout_response` is the page a locked-out client gets.
"""

from __future__ import annotations

import unicodedata

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from innohub.accounts.models import User


def normalise_login(text: str) -> str:
    """The typed username or e-mail as one account's key: NFC, without surrounding spaces, case-folded."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def account_key(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The key axes counts a log-in attempt under: the username of the account the typed text
    names (by username or e-mail, in any case), else the normalised text itself."""
    typed = (credentials or {}).get(User.USERNAME_FIELD)
    if typed is None and request is not None:
        typed = request.POST.get(User.USERNAME_FIELD)
    if not typed:
        return None
    stripped = unicodedata.normalize("NFC", str(typed)).strip()
    usernames = list(
        User.objects.filter(Q(username__iexact=stripped) | Q(email__iexact=stripped)).values_list("username", flat=True)[:2]
    )
    # two accounts answering to one text (a username spelt like another's e-mail) share its key
    return usernames[0] if len(usernames) == 1 else normalise_login(stripped)


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the client's address."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count against `AXES_FAILURE_LIMIT`: the account's own, or the whole
        limit once the address has reached `LOGIN_FAILURE_LIMIT_PER_ADDRESS` across accounts."""
        by_account = _failures(self._attempts(request, credentials, "username"))
        by_address = _failures(self._attempts(request, credentials, "ip_address"))
        if by_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS:
            return max(by_account, get_failure_limit(request, credentials))
        return by_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """After a successful log-in, forget that account's failures (from every address) only."""
        username = get_client_username(request, credentials)
        if username is None:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count

    def _attempts(self, request, credentials: dict | None, parameter: str) -> QuerySet:
        """The recent attempts that share this request's `parameter` (as listed in AXES_LOCKOUT_PARAMETERS)."""
        parameters = [p if isinstance(p, str) else tuple(p) for p in settings.AXES_LOCKOUT_PARAMETERS]
        return self.get_user_attempts(request, credentials)[parameters.index(parameter)]


def _failures(attempts: QuerySet) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None) -> HttpResponse:
    """The page a locked-out client gets (429), saying for how many minutes log-in is paused."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    response = TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, {"minutes": minutes}, status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429))
    return response.render()
