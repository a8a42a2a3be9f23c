"""The Q&A statistics as a spreadsheet (CSV or XLSX), for the department's reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.exports import spreadsheet_response
from innohub.qa import selectors


def statistics_export(*, user: Any, fmt: str, date_from: dt.date | None = None, date_to: dt.date | None = None) -> HttpResponse:
    s = selectors.statistics_summary(user=user, date_from=date_from, date_to=date_to)
    times = [_("Median time to answer (days)"), _("90th percentile (days)"), _("Answered on time (share)")]

    def timing(row: dict[str, Any]) -> list[Any]:
        return [row["median_days"], row["p90_days"], row["on_time_share"]]

    def month(value: dt.datetime | dt.date) -> str:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%m/%Y")

    period = [date_from.strftime("%d/%m/%Y") if date_from else "", date_to.strftime("%d/%m/%Y") if date_to else ""]
    summary = [
        [_("From"), period[0]], [_("To"), period[1]], [_("Questions"), s["total"]], [_("Answered"), s["answered"]],
        *[[label, value] for label, value in zip(times, timing(s), strict=True)],
    ]
    return spreadsheet_response("innohub-qa-statistics", fmt, [
        (_("Totals"), [_("Item"), _("Value")], summary),
        (_("By state"), [_("State"), _("Questions")], [[r["label"], r["n"]] for r in s["by_state"]]),
        (_("By topic"), [_("Topic"), _("Questions"), _("Answered")], [[r["topic"], r["n"], r["answered"]] for r in s["by_topic"]]),
        (_("By month"), [_("Month"), _("Asked"), _("Answered"), *times], [[month(r["month"]), r["asked"], r["answered"], *timing(r)] for r in s["by_month"]]),
    ])
