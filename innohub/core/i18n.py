"""The language of the request being served, as the two-letter code the models store."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation

from innohub.core.text import has_diacritics


def current_language() -> str:
    """"vi" or "en": the active language (Vietnamese when none is active)."""
    return (translation.get_language() or "vi")[:2]


def labelled(labels: Mapping[str, str]) -> str:
    """A label kept in both languages (``{"vi": …, "en": …}``, as workflows keep their
    states and steps) in the active language, the Vietnamese when it has none."""
    return labels.get(current_language()) or labels.get("vi") or ""


def in_language(vi: str, en: str, language: str | None = None) -> str:
    """The English text on English pages when there is one, otherwise the Vietnamese;
    ``language`` defaults to the active one."""
    return en if (language or current_language()) == "en" and en else vi


def text_language(text: object) -> str:
    """The language a text people wrote is in, when nothing records it (an application's
    answers, a startup's name, a reviewer's comment): Vietnamese when it carries diacritics,
    which English never does, otherwise the page's (such text is left unmarked). Text with
    no marks at all ("Robotics Mekong", "5") reads the same in either voice."""
    return "vi" if has_diacritics(str(text or "")) else current_language()
