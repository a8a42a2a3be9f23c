"""The language of the request being served, as the two-letter code the models store."""

from __future__ import annotations

from django.utils import translation


def current_language() -> str:
    """"vi" or "en": the active language (Vietnamese when none is active)."""
    return (translation.get_language() or "vi")[:2]
