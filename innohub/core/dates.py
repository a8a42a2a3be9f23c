"""Dates as Vietnamese readers expect them: 22/11/2026, 14:30 22/11/2026.

English keeps the day-first order too (the audience is in Vietnam), with the
time after the date. All datetimes are shown in Asia/Ho_Chi_Minh.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from innohub.core.i18n import current_language


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return value.strftime("%d/%m/%Y")


def format_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return "—"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if current_language() == "vi":
        return local.strftime("%H:%M %d/%m/%Y")
    return local.strftime("%d/%m/%Y %H:%M")
