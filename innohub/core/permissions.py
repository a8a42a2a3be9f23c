"""Who may do what: role checks for views, services and the API.

Each app names its capabilities as role sets (e.g. `VIEW_AUDIT_LOG = STAFF_ROLES`) and
checks them with these helpers, so a refusal looks the same everywhere: anonymous
users are sent to log in, logged-in users without the role get 403.

Every page declares who may open it, and the declaration is data the permission tests read
(`innohub.core.access`): `role_required(roles)` records `allowed_roles` on the view,
`login_required` is `role_required` of every role (what each user sees is then narrowed by
the selectors), and `public` marks a page anyone may open, logged in or not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from innohub.core.roles import ALL_ROLES


def user_role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return user.role


def user_has_role(user: Any, roles: Iterable[str]) -> bool:
    role = user_role(user)
    return role is not None and role in set(roles)


def ensure_role(user: Any, roles: Iterable[str]) -> None:
    """Raise PermissionDenied unless the user holds one of the roles (for services)."""
    if not user_has_role(user, roles):
        raise PermissionDenied


def role_required(roles: Iterable[str]) -> Callable:
    """View decorator: login first, then 403 unless the user holds one of the roles."""
    allowed = frozenset(roles)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_has_role(request.user, allowed):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """View decorator: any logged-in user (Django's `login_required`, with the roles recorded)."""
    return role_required(ALL_ROLES)(view)


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view anyone may open, anonymous visitors included (it checks nothing itself)."""
    view.public = True  # type: ignore[attr-defined]
    return view
