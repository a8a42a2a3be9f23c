"""Registrations and the event's report as CSV/XLSX (`core.tabular`). The public list of
participants exports only those who agreed to be listed; staff's full list exports everyone."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.core.tabular import DATE, PERCENT, Column, Formatted, Sheet, spreadsheet_response
from innohub.events import selectors
from innohub.events.models import Event, Registration
from innohub.events.workflows import staff_label


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def registrations_response(*, user: Any, event: Event, fmt: str, public_only: bool = False) -> HttpResponse:
    rows = selectors.registrations_for_staff(user=user, event=event, public_only=public_only)
    kinds = dict(Registration.ParticipantKind.choices)
    if public_only:
        rows = selectors.public_participants(event)
        sheet = Sheet(_("Participants"), [Column(_("Full name"), width=30), Column(_("Organisation"), width=30), _("Country")],
                      ([r.name, r.organisation_name, r.country] for r in rows))
        return spreadsheet_response(f"participants-{event.slug}", fmt, [sheet])
    sheet = Sheet(_("Registrations"), [
        Column(_("Full name"), width=30), Column(_("E-mail"), width=28), Column(_("Organisation"), width=30), _("Kind of participant"),
        _("Country"), _("State"), _("Place on the waiting list"), _("Registered by"), Column(_("Registered at"), DATE),
        Column(_("Checked in at"), DATE), _("Agrees to be listed"), _("Certificate"),
    ], ([
        r.name, r.email, r.organisation_name, str(kinds.get(r.participant_kind, r.participant_kind)), r.country, staff_label(r.state),
        r.waiting_position, r.registered_by_name, _local(r.created_at), _local(r.checked_in_at),
        _("yes") if r.consent_public else _("no"), getattr(getattr(r, "certificate", None), "number", ""),
    ] for r in rows))
    return spreadsheet_response(f"registrations-{event.slug}", fmt, [sheet])


def report_response(*, user: Any, event: Event, fmt: str) -> HttpResponse:
    report = selectors.event_report(user=user, event=event)
    summary = Sheet(_("Summary"), [Column(_("Figure"), width=40), _("Value")], [
        [_("Registrations (all states)"), report["total"]],
        [_("Holding a place"), report["registered"]],
        [_("Attended"), report["attended"]],
        [_("No-shows"), report["no_shows"]],
        [_("Waiting list"), report["waiting"]],
        [_("Attendance rate"), Formatted(report["attendance_rate"], PERCENT) if report["attendance_rate"] is not None else None],
    ])
    by_kind = Sheet(_("By kind of participant"), [Column(_("Kind of participant"), width=30), _("Registered"), _("Attended")],
                    [[r["label"], r["registered"], r["attended"]] for r in report["by_kind"]])
    by_country = Sheet(_("By country"), [_("Country"), _("Registered"), _("Attended")],
                       [[r["label"], r["registered"], r["attended"]] for r in report["by_country"]])
    return spreadsheet_response(f"report-{event.slug}", fmt, [summary, by_kind, by_country])
