"""The language of the request being served, as the two-letter code the models store."""

from __future__ import annotations

from django.utils import translation


def current_language() -> str:
    """"vi" or "en": the active language (Vietnamese when none is active)."""
    return (translation.get_language() or "vi")[:2]


def in_language(vi: str, en: str, language: str | None = None) -> str:
    """The English text on English pages when there is one, otherwise the Vietnamese;
    ``language`` defaults to the active one."""
    return en if (language or current_language()) == "en" and en else vi
