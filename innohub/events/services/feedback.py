"""Feedback after an event: the attendee's answers to the event's feedback form (forms
engine), once each, and their summary for the organiser (counts per choice, texts listed)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.i18n import labelled
from innohub.events.models import Event, FeedbackResponse, Registration
from innohub.events.workflows import has_flag
from innohub.forms import answers_merge, answers_missing, schema_fields


@transaction.atomic
def feedback_give(*, registration: Registration, answers: dict[str, Any]) -> FeedbackResponse:
    registration = Registration.objects.select_for_update(of=("self",)).select_related("event__feedback_form").get(pk=registration.pk)
    form = registration.event.feedback_form
    if form is None:
        raise ApplicationError(_("This event asks for no feedback."), code="no_feedback")
    if not has_flag(registration.state, "attended"):
        raise ConflictError(_("Feedback is asked of those who attended."), code="not_attended")
    if FeedbackResponse.objects.filter(registration=registration).exists():
        raise ConflictError(_("You have already given your feedback. Thank you!"), code="already")
    merged, problems = answers_merge(schema=form.schema, stored={}, given=answers)
    for field in answers_missing(schema=form.schema, answers=merged):
        problems.setdefault(field["key"], _("This answer is required."))
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra={f"answer_{k}": v for k, v in problems.items()}, code="invalid")
    response = FeedbackResponse.objects.create(registration=registration, form=form, answers=merged)
    event_record(actor=None, action="feedback.given", target=registration, after={"form": form.pk})
    return response


def feedback_summary(*, event: Event) -> list[dict[str, Any]]:
    """Per question: its label, and counts per choice (choice fields) or the texts given."""
    if event.feedback_form is None:
        return []
    responses = list(FeedbackResponse.objects.filter(registration__event=event).values_list("answers", flat=True))
    summary = []
    for field in schema_fields(event.feedback_form.schema):
        values = [str(r.get(field["key"], "")).strip() for r in responses if str(r.get(field["key"], "")).strip()]
        row: dict[str, Any] = {"label": labelled(field.get("label") or {}), "n": len(values)}
        if field.get("choices"):
            counts = Counter(values)
            row["choices"] = [{"label": labelled(label) if isinstance(label, dict) else str(label), "n": counts.get(str(value), 0),
                               "share": (counts.get(str(value), 0) / len(values)) if values else 0}
                              for value, label in field["choices"]]
        else:
            row["texts"] = values[:200]
        summary.append(row)
    return summary
