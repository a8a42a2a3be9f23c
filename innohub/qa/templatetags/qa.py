"""`{{ text|cite_links }}`: plain text, escaped, paragraphs kept, each [n] a link to its source.
`<p{{ question.language|lang_attr }}>`: marks text in another language than the page's."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from innohub.core.i18n import current_language

register = template.Library()
_CITE_RE = re.compile(r"\[(\d{1,3})\]")


@register.filter
def cite_links(text: str, prefix: str = "cite") -> SafeString:
    paragraphs = [p for p in escape(text or "").split("\n") if p.strip()]
    linked = [
        _CITE_RE.sub(lambda m: f'<a class="qa-cite" href="#{prefix}-{m.group(1)}">[{m.group(1)}]</a>', p)
        for p in paragraphs
    ]
    return mark_safe("".join(f"<p>{p}</p>" for p in linked))  # noqa: S308 - escaped above


@register.filter
def lang_attr(language: str | None) -> SafeString:
    """` lang="vi"` on an English page for text written in Vietnamese (a question, its
    answer, a document's passage), so a screen reader reads it with a Vietnamese voice;
    nothing when the text is in the page's language."""
    code = (language or "vi")[:2]
    return mark_safe(f' lang="{escape(code)}"') if code != current_language() else mark_safe("")  # noqa: S308 - escaped
