"""Template filters and tags used on every page (loaded as a builtin).

`{{ amount|vnd }}`, `{{ day|vndate }}`, `{{ when|vndatetime }}`, `{% querystring_replace page=2 %}`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from innohub.core.dates import format_date, format_datetime
from innohub.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount: Any) -> str:
    return format_vnd(None if amount in (None, "") else int(amount))


@register.filter
def vndate(value: Any) -> str:
    return format_date(value)


@register.filter
def vndatetime(value: Any) -> str:
    return format_datetime(value)


@register.simple_tag(takes_context=True)
def query_replace(context: dict, **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    request = context.get("request")
    params: QueryDict = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
