"""The annual report of international cooperation, as PDF in Vietnamese or English, generated
from the records: the year in figures, cooperation by country, each meeting with what was
agreed, the actions' state (late ones named) and the agreements. It is set with the indicators
reports' reportlab pieces (DejaVu Sans, which has every Vietnamese letter; the same table and
page footer), so that the department's reports read alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from innohub.cooperation import charts, selectors, workflows
from innohub.cooperation.models import Action, Agreement, Direction, Meeting
from innohub.core.dates import format_date
from innohub.indicators.reports import (  # the department's one PDF style
    _image,
    _para,
    _pdf,
    _styles,
    _table,
)


def _date(value: dt.date | None) -> str:
    return format_date(value) if value else "—"


def annual_pdf(*, year: int, language: str = "vi", today: dt.date | None = None) -> bytes:
    with translation.override(language):
        return _annual(year=year, language=language, today=today or timezone.localdate())


def _annual(*, year: int, language: str, today: dt.date) -> bytes:
    styles = _styles()
    width = A4[0] - 3.2 * cm
    figures = selectors.figures_by_year(year=year, today=today)
    story: list[Any] = [
        _para(_("International cooperation in %(year)d") % {"year": year}, styles["title"]),
        _para(_("HCMC Department of Science and Technology · generated from the records on %(date)s") % {"date": format_date(today)},
              styles["small"]),
        Spacer(1, 8),
        _para(_("The year in figures"), styles["h2"]),
        _table([
            [_("Partners met"), _("Meetings"), _("Agreements signed"), _("Actions done"), _("of them late"), _("Actions open and overdue")],
            [figures["partners"], figures["meetings"], figures["agreements"], figures["actions_done"], figures["actions_done_late"],
             figures["actions_open_late"]],
        ], [width / 6] * 6, styles),
    ]
    first = min(selectors.years_recorded())
    years = list(range(max(first, year - 4), year + 1))
    if len(years) > 1:
        story.append(Spacer(1, 6))
        story.append(_image(charts.by_year_png([(y, selectors.figures_by_year(year=y, today=today)) for y in years]), width * 0.8))
    rows = [r for r in selectors.grouped("country", year=year) if r["meetings"] or r["agreements"]]
    story.append(_para(_("By country"), styles["h2"]))
    story.append(_table([[_("Country"), _("Partners"), _("Meetings"), _("Agreements"), _("Done on time"), _("Done late"), _("Open"),
                          _("Overdue")]] + [[r["label"], r["partners"], r["meetings"], r["agreements"], r["done_on_time"], r["done_late"],
                                             r["open"], r["late"]] for r in rows] if rows else [[_("Nothing recorded this year.")]],
                        [width / 8] * 8 if rows else [width], styles))

    story.append(_para(_("Meetings and what was agreed"), styles["h2"]))
    actions = Action.objects.select_related("owner").order_by("due_date")
    meetings = (Meeting.objects.filter(held_on__year=year).select_related("partner__organisation", "unit")
                .prefetch_related(Prefetch("directions", queryset=Direction.objects.prefetch_related(Prefetch("actions", queryset=actions))))
                .order_by("held_on", "id"))
    if not meetings:
        story.append(_para(_("Nothing recorded this year."), styles["body"]))
    for meeting in meetings:
        story.append(_para(f"{format_date(meeting.held_on)} · {meeting.partner.organisation.display_name(language)} "
                           f"({meeting.partner.country}) · {meeting.get_direction_display()}", styles["body"]))
        story.append(_para(meeting.title, styles["small"]))
        table = [[_("Direction agreed"), pgettext("cooperation", "Action"), _("Due"), _("State")]]
        for direction in meeting.directions.all():
            text = direction.text_en if language == "en" and direction.text_en else direction.text
            listed = list(direction.actions.all())
            if not listed:
                table.append([text, "—", "", ""])
            for index, action in enumerate(listed):
                late = action.is_open and action.due_date < today
                state = workflows.ACTION_SPEC.label(action.state) + (f" ({_('overdue')})" if late else "")
                table.append([text if index == 0 else "", action.what, _date(action.due_date), state])
        if len(table) > 1:
            story.append(_table(table, [width * 0.34, width * 0.36, width * 0.12, width * 0.18], styles))
        story.append(Spacer(1, 6))

    story.append(_para(_("Agreements"), styles["h2"]))
    agreements = Agreement.objects.exclude(state__in=workflows.agreement_states_with("ended")).prefetch_related("partners__organisation")
    agreement_rows = [[_("Agreement"), _("Parties"), _("Signed"), _("Expires"), _("State")]]
    for agreement in agreements.order_by("expires_on", "id"):
        title = agreement.title_en if language == "en" and agreement.title_en else agreement.title
        flag = f" — {_('nothing done in a year')}" if (selectors.agreement_near_expiry(agreement, today=today)
                                                      and selectors.agreement_is_stale(agreement, today=today)) else ""
        agreement_rows.append([f"{title} ({agreement.get_kind_display()})", "; ".join(p.organisation.display_name(language)
                                                                                for p in agreement.partners.all()),
                               _date(agreement.signed_on), _date(agreement.expires_on) + flag, workflows.AGREEMENT_SPEC.label(agreement.state)])
    if len(agreement_rows) > 1:
        story.append(_table(agreement_rows, [width * 0.34, width * 0.22, width * 0.12, width * 0.16, width * 0.16], styles))
    else:
        story.append(_para(_("Nothing recorded this year."), styles["body"]))
    return _pdf(story)
