"""`{{ value|with_measure:measure }}`: an indicator's value with its unit of measure, formatted as
the reports format it (``charts.value_text``), so a page and a PDF show the same text."""

from __future__ import annotations

from django import template

from innohub.indicators import charts

register = template.Library()


@register.filter
def with_measure(value: float | None, measure: str = "") -> str:
    return "" if value is None else charts.value_text(value, measure)
