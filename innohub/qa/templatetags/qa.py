"""`{{ text|cite_links }}`: plain text, escaped, paragraphs kept, each [n] a link to its source;
`{{ text|answer_summary:query }}`: an answer as one run of text for a list, from what matched a
search (`drafting.summary`).
(`lang_attr`, which marks text in another language than the page's, is a builtin of
innohub.core.templatetags.innohub, used by the programmes' pages too.)"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from innohub.core.i18n import current_language
from innohub.qa import drafting

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
def answer_summary(text: str, query: str = "") -> str:
    return drafting.summary(text or "", query=query or "", language=current_language())
