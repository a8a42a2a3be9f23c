"""CSV and XLSX exports of the dashboards (written by `core.tabular`).

Amounts are exported as integer đồng so that spreadsheets can add them up.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from innohub.core.tabular import DECIMAL, MONEY, Column, Formatted, Sheet, spreadsheet_response
from innohub.places.labels import PlaceNames
from innohub.programs import selectors
from innohub.programs.models import Application, Call
from innohub.programs.workflows import spec_for


def call_rows(*, user: Any, call: Call) -> tuple[list[Column | str], list[list[Any]]]:
    selectors.call_dashboard(user=user, call=call)  # permission check
    spec = spec_for(call.workflow)
    yes, no = _("Yes"), _("No")  # read by people: a translated word, not True/False
    header: list[Column | str] = [_("Reference"), _("Startup"), _("Ward or commune"), _("Former province"), _("State"), Column(_("Amount requested (VND)"), MONEY),
                                  Column(_("Weighted score"), DECIMAL), _("Rank"), _("Above the funding line")]
    found = list(
        Application.objects.filter(call=call)
        .exclude(state__in=spec.states_with("draft"))
        .order_by("rank", "id")
        .values_list("reference", "organisation__name", "organisation__province_id", "organisation__commune_id",
                     "organisation__former_district_id", "state", "amount_requested", "score", "rank", "above_funding_line")
    )
    names = PlaceNames(row[2:5] for row in found)  # type: ignore[misc]  # codes: FKs to a code field
    rows = [
        [ref, org, names.label(*place), names.former_province(*place), spec.staff_label(state), amount,  # type: ignore[arg-type]
         float(score) if score is not None else None, rank, yes if above else no]
        for ref, org, *place, state, amount, score, rank, above in found
    ]
    return header, rows


def call_export(*, user: Any, call: Call, fmt: str) -> HttpResponse:
    dashboard = selectors.call_dashboard(user=user, call=call)
    header, rows = call_rows(user=user, call=call)
    summary = [[label, n] for _code, label, n in dashboard["by_state"]] + [
        [_("Budget (VND)"), Formatted(dashboard["budget"], MONEY)], [_("Awarded (VND)"), Formatted(dashboard["awarded"], MONEY)],
        [_("Disbursed (VND)"), Formatted(dashboard["disbursed"], MONEY)],
    ]
    return spreadsheet_response(f"call-{call.pk}", fmt, [Sheet(_("Applications"), header, rows), Sheet(_("Summary"), [_("Item"), _("Value")], summary)])


def stage_export(*, user: Any, stage: str, fmt: str) -> HttpResponse:
    d = selectors.stage_dashboard(user=user, stage=stage)
    figures: list[Column | str] = [_("Number of awards"), Column(_("Amount awarded (VND)"), MONEY), Column(_("Disbursed (VND)"), MONEY)]
    return spreadsheet_response(f"stage-{stage}", fmt, [
        Sheet(_("By sector"), [_("Sector"), *figures], [list(r) for r in d["by_sector"]]),
        Sheet(_("By ward or commune"), [_("Ward or commune"), _("Former province"), *figures], [list(r) for r in d["by_place"]]),
    ])


def disbursement_export(*, disbursements: Any, fmt: str) -> HttpResponse:
    """The (filtered) payments, one row each, and their total (the selector checked the role)."""
    header: list[Column | str] = [_("Paid on"), _("Payment order number"), _("Bank reference"), _("Application"), _("Startup"),
                                  _("Call"), _("Milestone"), Column(_("Amount (VND)"), MONEY)]
    rows = [
        [d.paid_on, d.key, d.reference, d.award.application.reference, d.award.organisation.name, d.award.application.call.display_title,
         d.tranche.milestone.title, d.amount]
        for d in disbursements.iterator(chunk_size=2000)
    ]
    totals = selectors.disbursement_totals(disbursements)
    summary = [[_("Payments"), totals["count"]], [_("Paid in all (VND)"), Formatted(totals["total"], MONEY)],
               [_("Awards paid"), totals["awards"]], [_("Awarded to them (VND)"), Formatted(totals["awarded"], MONEY)]]
    return spreadsheet_response("disbursements", fmt, [Sheet(_("Payments"), header, rows), Sheet(_("Summary"), [_("Item"), _("Value")], summary)])
