"""Template filters and tags used on every page (loaded as a builtin).

`{{ amount|vnd }}`, `{{ day|vndate }}`, `{{ when|vndatetime }}`, `{% querystring_replace page=2 %}`,
`<p{{ question.language|lang_attr }}>` and `<h1{{ application.title|text_language|lang_attr }}>`
(text in another language than the page's is marked so, for screen readers' voices).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from innohub.core.dates import format_date, format_datetime
from innohub.core.i18n import current_language
from innohub.core.i18n import text_language as _text_language
from innohub.core.money import format_vnd

register = template.Library()


@register.filter
def nav_waiting(items: Any) -> int:
    """How many things wait in all the work queues shown on a navigation (`core.navigation.nav_for`)."""
    return sum(item.get("count", 0) for item in items or ())


@register.filter
def vnd(amount: Any) -> str:
    return format_vnd(None if amount in (None, "") else int(amount))


@register.filter
def vndate(value: Any) -> str:
    return format_date(value)


@register.filter
def vndatetime(value: Any) -> str:
    return format_datetime(value)


@register.filter
def lang_attr(language: str | None) -> SafeString:
    """` lang="vi"` on an English page for text written in Vietnamese (a question, its
    answer, a document's passage), so a screen reader reads it with a Vietnamese voice;
    nothing when the text is in the page's language."""
    code = (language or "vi")[:2]
    return mark_safe(f' lang="{escape(code)}"') if code != current_language() else mark_safe("")  # noqa: S308 - escaped


@register.filter
def text_language(text: Any) -> str:
    """The language people's own text is written in, for `lang_attr`: see core.i18n.text_language."""
    return _text_language(text)


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
