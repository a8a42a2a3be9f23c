"""Re-authentication before deciding on money (OWASP ASVS 3.7.1).

A manager approving an award, signing a decision or recording a payment must have confirmed
their password or a TOTP code within the last ``REAUTH_MAX_AGE_MINUTES`` (default 10). A log-in
counts as a confirmation (``user_logged_in``). ``@reauthentication_required`` goes on each view
or API operation that decides on money, as its innermost decorator (after the role checks):

- a page's POST without a recent confirmation is kept aside — its fields in the session, its
  files in the uploads' storage under ``reauth-pending/`` (a folder or the S3 bucket, so that the
  confirmation may reach another app server) — and the person is sent to the confirm page
  (``accounts:reauthenticate``); once confirmed, the kept POST is sent again to the same view
  (a new request with its own CSRF token, posted by the confirm page), so nothing typed is
  lost: the view answers as if the first POST had come after the confirmation;
- an API call with the session gets a 403 problem, code ``reauthentication_required``, naming
  the confirm page; a bearer token (an integration) never decides on money.

Views that take many workflow steps pass ``transition=`` (where the step's code is read) and
only the steps in ``REAUTH_TRANSITIONS`` (approve, reject, terminate) ask for it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from innohub.core.errors import ApplicationError

SESSION_KEY = "reauth_at"
PENDING_KEY = "reauth_pending"
RESUME_FIELD = "_reauth_resume"
PENDING_MAX = 5  # posts kept aside at once per session
PENDING_SECONDS = 60 * 60  # a kept post older than this is dropped

Extractor = Callable[[HttpRequest, dict[str, Any]], Any]


class ReauthenticationRequired(ApplicationError):
    status = 403
    code = "reauthentication_required"


PENDING_PREFIX = "reauth-pending"


def _pending_name(token: str, path: str) -> str:
    return f"{PENDING_PREFIX}/{token}/{path}"


def pending_count() -> int:
    """How many posts have files kept aside (resumed or not)."""
    try:
        return len(default_storage.listdir(PENDING_PREFIX)[0])
    except FileNotFoundError:
        return 0


def mark_reauthenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def recently_reauthenticated(request: HttpRequest) -> bool:
    at = request.session.get(SESSION_KEY)
    return isinstance(at, int) and time.time() - at <= settings.REAUTH_MAX_AGE_MINUTES * 60


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """A log-in is a confirmation of the password (``user_logged_in``, connected in apps.py)."""
    if request is not None and hasattr(request, "session"):
        mark_reauthenticated(request)


# --- where a view's workflow step is read --------------------------------------------------------

def posted(name: str) -> Extractor:
    return lambda request, kwargs: request.POST.get(name, "")


def argument(name: str) -> Extractor:
    return lambda request, kwargs: kwargs.get(name, "")


def payload_field(name: str) -> Extractor:
    return lambda request, kwargs: getattr(kwargs.get("payload"), name, "")


def decides_on_money(code: Any) -> bool:
    return str(code or "") in settings.REAUTH_TRANSITIONS


# --- posts kept aside while the person confirms --------------------------------------------------

def _drop_files(token: str, files: list[dict[str, Any]]) -> None:
    if token.isalnum() or token.replace("-", "").replace("_", "").isalnum():
        for f in files:
            default_storage.delete(_pending_name(token, f["path"]))


def _stash(request: HttpRequest) -> str:
    pending: dict[str, Any] = dict(request.session.get(PENDING_KEY) or {})
    now = int(time.time())
    for old, item in sorted(pending.items(), key=lambda kv: kv[1]["at"]):
        if now - item["at"] > PENDING_SECONDS or len(pending) >= PENDING_MAX:
            _drop_files(old, pending.pop(old).get("files", []))
    token = secrets.token_urlsafe(16)
    fields = [(key, value) for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken", RESUME_FIELD)
              for value in values]
    files = []
    for i, (field, upload) in enumerate((f, u) for f, uploads in request.FILES.lists() for u in uploads):
        default_storage.save(_pending_name(token, str(i)), upload)
        files.append({"field": field, "name": upload.name, "type": upload.content_type or "application/octet-stream", "path": str(i)})
    pending[token] = {"path": request.path, "fields": fields, "files": files, "at": now}
    request.session[PENDING_KEY] = pending
    return token


def pending_get(request: HttpRequest, token: str) -> dict[str, Any] | None:
    item = (request.session.get(PENDING_KEY) or {}).get(token)
    if item is None or time.time() - item["at"] > PENDING_SECONDS:
        return None
    return item


def _resume(request: HttpRequest, token: str) -> bool:
    """Put the kept POST in place of this one (the confirm page's), if it was kept for this path."""
    pending = dict(request.session.get(PENDING_KEY) or {})
    item = pending.pop(token, None)
    if item is None or item["path"] != request.path or time.time() - item["at"] > PENDING_SECONDS:
        return False
    request.session[PENDING_KEY] = pending
    data = QueryDict(mutable=True)
    for key, value in item["fields"]:
        data.appendlist(key, value)
    data._mutable = False
    files: MultiValueDict = MultiValueDict()
    for f in item["files"]:
        try:
            with default_storage.open(_pending_name(token, f["path"]), "rb") as stored:
                files.appendlist(f["field"], SimpleUploadedFile(f["name"], stored.read(), content_type=f["type"]))
        except FileNotFoundError:
            pass
    _drop_files(token, item["files"])
    request._post = data  # type: ignore[attr-defined]
    request._files = files  # type: ignore[attr-defined]
    return True


def _confirm_url(request: HttpRequest, token: str = "") -> str:
    query = {"next": request.get_full_path()}
    if token:
        query["resume"] = token
    return f"{reverse('accounts:reauthenticate')}?{urlencode(query)}"


def reauthentication_required(view: Any = None, *, transition: Extractor | None = None) -> Any:
    """The decorator (see the module's docstring). ``transition`` reads the workflow step's code
    from the request or the view's arguments; without it, every POST of the view asks."""

    def decorate(fn: Any) -> Any:
        @wraps(fn)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            is_api = request.path_info.startswith("/api/")
            resuming = not is_api and request.method == "POST" and RESUME_FIELD in request.POST
            if resuming and not _resume(request, request.POST[RESUME_FIELD]):
                # sent already, or too old: the page again, nothing done
                messages.error(request, _("This form was already sent, or is too old. Check the page and send it again."))
                return redirect(request.path)
            if request.method != "POST" or (transition is not None and not decides_on_money(transition(request, kwargs))):
                return fn(request, *args, **kwargs)
            if is_api:
                if request.headers.get("Authorization", "").lower().startswith("bearer "):
                    raise ReauthenticationRequired(_("Decisions on money are made by a person on the site, not with an API token."))
                if not recently_reauthenticated(request):
                    raise ReauthenticationRequired(
                        _("Confirm your password or a code from your app first: decisions on money need a confirmation from the last %(minutes)s minutes.")
                        % {"minutes": settings.REAUTH_MAX_AGE_MINUTES},
                        extra={"confirm_url": reverse("accounts:reauthenticate")})
                return fn(request, *args, **kwargs)
            if not getattr(request.user, "is_authenticated", False) or recently_reauthenticated(request):
                return fn(request, *args, **kwargs)
            return redirect(_confirm_url(request, _stash(request)))

        wrapper.reauthentication_required = True  # type: ignore[attr-defined]
        return wrapper

    return decorate(view) if view is not None else decorate


def purge_stale_pending(*, now: float | None = None) -> int:
    """Remove kept files of posts never resumed (older than an hour); returns how many posts."""
    try:
        tokens = default_storage.listdir(PENDING_PREFIX)[0]
    except FileNotFoundError:
        return 0
    cutoff = (now or time.time()) - PENDING_SECONDS
    removed = 0
    for token in tokens:
        names = [_pending_name(token, name) for name in default_storage.listdir(f"{PENDING_PREFIX}/{token}")[1]]
        if names and all(default_storage.get_modified_time(name).timestamp() < cutoff for name in names):
            for name in names:
                default_storage.delete(name)
            removed += 1
    if isinstance(default_storage, FileSystemStorage):  # a folder's empty directories stay behind
        root = Path(default_storage.path(PENDING_PREFIX))
        for entry in root.iterdir():
            if entry.is_dir() and not any(entry.iterdir()):
                entry.rmdir()
    return removed
