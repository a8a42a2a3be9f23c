"""The Q&A statistics as a spreadsheet (CSV or XLSX), for the department's reports.

Values stay typed so that a spreadsheet computes with them: a share is a number shown as a
percentage, a date a date cell, a month one shown mm/yyyy (``core.tabular.Formatted``).

The CSV is written by the same writer, with ``,`` between fields (it offers no other
separator). In the Vietnamese export a decimal is written with a decimal comma
(``"3,5"``, quoted by the writer since it holds the separator), which an Excel set to
Vietnamese reads as a number; the English export writes ``3.5``. Dates are ``dd/mm/yyyy``,
shares decimals (``0,75``), as in the XLSX without its format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.i18n import current_language
from innohub.core.tabular import (
    DATE,
    MONTH,
    PERCENT,
    Column,
    Formatted,
    Sheet,
    spreadsheet_response,
)
from innohub.qa import selectors


def statistics_sheets(*, user: Any, date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[Sheet]:
    """The statistics' sheets, their cells typed (see ``Formatted``)."""
    s = selectors.statistics_summary(user=user, date_from=date_from, date_to=date_to)
    times = [_("Median time to answer (days)"), _("90th percentile (days)"), _("Answered on time (share)")]
    overdue = _("Open questions past their due date")

    helpful = _("Found helpful (share)")

    def share(value: float | None) -> Formatted | None:
        return Formatted(value, PERCENT) if value is not None else None

    def timing(row: dict[str, Any]) -> list[Any]:
        return [row["median_days"], row["p90_days"], share(row["on_time_share"])]

    def month(value: dt.datetime | dt.date) -> Formatted:
        if isinstance(value, dt.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return Formatted(dt.date(value.year, value.month, 1), MONTH)

    def day(value: dt.date | None) -> Formatted | None:
        return Formatted(value, DATE) if value else None

    summary = [
        [_("From"), day(date_from)], [_("To"), day(date_to)], [_("Questions"), s["total"]], [_("Answered"), s["answered"]],
        [overdue, s["open_overdue"]], *[[label, value] for label, value in zip(times, timing(s), strict=True)],
        [_("Readers' ratings"), s["rated"]], [helpful, share(s["helpful_share"])],
    ]
    return [
        Sheet(_("Totals"), [_("Item"), _("Value")], summary),
        Sheet(_("By state"), [_("State"), _("Questions")], [[r["label"], r["n"]] for r in s["by_state"]]),
        Sheet(
            _("By topic"), [_("Topic"), _("Questions"), _("Answered"), _("Readers' ratings"), Column(helpful, PERCENT)],
            [[r["topic"], r["n"], r["answered"], r["rated"], share(r["helpful_share"])] for r in s["by_topic"]],
        ),
        Sheet(
            _("By month"), [Column(_("Month"), MONTH), _("Asked"), _("Answered"), overdue, *times[:2], Column(times[2], PERCENT)],
            [[month(r["month"]), r["asked"], r["answered"], r["open_overdue"], *timing(r)] for r in s["by_month"]],
        ),
        Sheet(
            _("Answers to review"), [_("Tracking code"), _("Question"), _("Readers' ratings"), Column(helpful, PERCENT)],
            [[r["tracking_code"], r["question"], r["rated"], share(r["helpful_share"])] for r in s["least_helpful"]],
        ),
    ]  # fmt: skip


def statistics_export(*, user: Any, fmt: str, date_from: dt.date | None = None, date_to: dt.date | None = None) -> HttpResponse:
    sheets = statistics_sheets(user=user, date_from=date_from, date_to=date_to)
    if fmt == "csv" and current_language() == "vi":
        sheets = [Sheet(sheet.title, sheet.columns, [[_decimal_comma(v) for v in r] for r in sheet.rows]) for sheet in sheets]
    return spreadsheet_response("innohub-qa-statistics", fmt, sheets)


def _decimal_comma(value: Any) -> Any:
    """A decimal as a Vietnamese reader writes it ("3,5"), for the CSV."""
    plain = value.value if isinstance(value, Formatted) else value
    return str(plain).replace(".", ",") if isinstance(plain, float) else value
