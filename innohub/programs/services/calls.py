"""Calls authored in the back office (issue 27): officers create and change a call — its
programme, dates, budget, form, rubric, reviewers per application, eligibility criteria and
required documents — and publish it once previewed. A call written here is a draft, seen only
by staff, until `call_publish`. Every write is checked whole (every problem at once, by
field), changes nothing when refused, and is audited with what changed."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.money import format_vnd
from innohub.core.permissions import ensure_role
from innohub.forms.schema import schema_problems
from innohub.programs import permissions, selectors
from innohub.programs.models import Award, Call, FormDefinition, Programme, Review, Rubric, Workflow

# what an officer writes; `year` follows the opening date, the rest is the call's own
CALL_FIELDS = (
    "programme", "title", "title_en", "description", "eligibility", "required_documents", "opens_at", "closes_at",
    "budget", "form", "rubric", "workflow", "reviewers_per_application", "reviews_due_on",
    "require_previous_stage", "require_verified_profile", "min_score",
)
DEFAULT_MIN_SCORE = Decimal("70")
MAX_REVIEWERS_PER_APPLICATION = 10


def _audited(value: Any) -> Any:
    if isinstance(value, Programme | FormDefinition | Rubric | Workflow):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))  # 70 and 70.00 are the same score
    return value


def _problems(values: dict[str, Any], *, call: Call | None) -> dict[str, str]:
    """Every problem of the values given, by field (empty when they may be saved)."""
    problems: dict[str, str] = {}
    programme, opens, closes = values.get("programme"), values.get("opens_at"), values.get("closes_at")
    if not str(values.get("title") or "").strip():
        problems["title"] = _("Give the call a title.")
    if programme is None:
        problems["programme"] = _("Choose the programme the call belongs to.")
    elif not programme.active:
        problems["programme"] = _("The programme “%(name)s” is not active; choose an active programme.") % {"name": programme.display_name}
    if opens is None:
        problems["opens_at"] = _("Enter when the call opens.")
    if closes is None:
        problems["closes_at"] = _("Enter when the call closes.")
    elif opens is not None and closes <= opens:
        problems["closes_at"] = _("The call must close after it opens.")
    due = values.get("reviews_due_on")
    if due is not None and closes is not None and due < timezone.localtime(closes).date():
        problems["reviews_due_on"] = _("Reviews can only be due once the call has closed, on or after %(date)s.") % {
            "date": timezone.localtime(closes).strftime("%d/%m/%Y")}
    budget = values.get("budget")
    if isinstance(budget, bool) or not isinstance(budget, int) or budget <= 0:
        problems["budget"] = _("Enter the budget as a positive whole number of đồng, for example 1,200,000,000.")
    elif programme is not None and opens is not None and "programme" not in problems:
        ceiling = selectors.ceiling_for(stage=programme.stage, year=timezone.localtime(opens).year)
        if budget < ceiling:
            problems["budget"] = _("The budget, %(budget)s, cannot fund one award at the programme's ceiling of %(ceiling)s.") % {
                "budget": format_vnd(budget), "ceiling": format_vnd(ceiling)}
        elif call is not None and budget < call.awarded_total:
            problems["budget"] = _("The budget cannot be less than what is already awarded, %(awarded)s.") % {"awarded": format_vnd(call.awarded_total)}
    form = values.get("form")
    if form is None:
        problems["form"] = _("Choose the application form.")
    elif schema_problems(form.schema):
        problems["form"] = _("The form “%(form)s” has problems; correct it first.") % {"form": str(form)}
    rubric = values.get("rubric")
    if rubric is None:
        problems["rubric"] = _("Choose the rubric the reviewers score with.")
    elif not rubric.criteria.exists():
        problems["rubric"] = _("The rubric “%(rubric)s” has no criterion.") % {"rubric": rubric.name}
    if values.get("workflow") is None:
        problems["workflow"] = _("Choose the workflow.")
    reviewers = values.get("reviewers_per_application")
    if not isinstance(reviewers, int) or not 1 <= reviewers <= MAX_REVIEWERS_PER_APPLICATION:
        problems["reviewers_per_application"] = _("Each application needs between 1 and %(n)s reviewers.") % {"n": MAX_REVIEWERS_PER_APPLICATION}
    min_score = values.get("min_score")
    if not isinstance(min_score, Decimal) or not min_score.is_finite() or not 0 <= min_score <= 100:
        problems["min_score"] = _("The minimum score is out of 100: enter a number from 0 to 100.")
    elif min_score != min_score.quantize(Decimal("0.01")):
        problems["min_score"] = _("The minimum score has at most two decimals, for example 69.5.")
    if call is not None:
        has_applications = call.applications.exists()
        if has_applications and programme is not None and programme.pk != call.programme_id:
            problems["programme"] = _("The call already has applications: its programme can no longer change.")
        if has_applications and values.get("workflow") is not None and values["workflow"].pk != call.workflow_id:
            problems["workflow"] = _("The call already has applications: its workflow can no longer change.")
        if rubric is not None and rubric.pk != call.rubric_id and Review.objects.filter(application__call=call, state=Review.State.SUBMITTED).exists():
            problems["rubric"] = _("Reviews are already scored with this call's rubric: it can no longer change.")
        if "min_score" not in problems and min_score != call.min_score and Award.objects.filter(application__call=call).exists():
            problems["min_score"] = _("Awards are already approved on this call's ranking: its minimum score can no longer change.")
    return problems


def _clean(values: dict[str, Any], *, call: Call | None) -> dict[str, Any]:
    clean = {k: values.get(k) for k in CALL_FIELDS}
    if "min_score" not in values:  # left out by a caller: the default, or what the call has
        clean["min_score"] = call.min_score if call is not None else DEFAULT_MIN_SCORE
    elif isinstance(clean["min_score"], int | str) and not isinstance(clean["min_score"], bool):
        with contextlib.suppress(InvalidOperation):  # not a number: refused by _problems with the others
            clean["min_score"] = Decimal(str(clean["min_score"]).strip())
    for key in ("title", "title_en", "description", "eligibility", "required_documents"):
        clean[key] = str(clean.get(key) or "").strip()
    clean["require_previous_stage"] = bool(clean.get("require_previous_stage"))
    clean["require_verified_profile"] = bool(clean.get("require_verified_profile"))
    return clean


@transaction.atomic
def call_create(*, actor: Any, **values: Any) -> Call:
    """A new call, as a draft (not public until published). Raises ApplicationError with every problem by field."""
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    clean = _clean(values, call=None)
    problems = _problems(clean, call=None)
    if problems:
        raise ApplicationError(_("The call was not saved: correct what is marked."), extra=problems)
    call = Call.objects.create(year=timezone.localtime(clean["opens_at"]).year, published_at=None, **clean)
    event_record(actor=actor, action="call.created", target=call, after={k: _audited(v) for k, v in clean.items()})
    return call


@transaction.atomic
def call_update(*, call: Call, actor: Any, **values: Any) -> Call:
    """Change a call (drafts and published ones alike); only what changed is audited."""
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    clean = _clean(values, call=call)
    problems = _problems(clean, call=call)
    if problems:
        raise ApplicationError(_("The call was not saved: correct what is marked."), extra=problems)
    clean["year"] = timezone.localtime(clean["opens_at"]).year
    before = {k: _audited(getattr(call, k)) for k in clean}
    after = {k: _audited(v) for k, v in clean.items()}
    changed = [k for k in clean if before[k] != after[k]]
    if not changed:
        return call
    for key in changed:
        setattr(call, key, clean[key])
    call.save(update_fields=[*changed, "updated_at"])
    event_record(actor=actor, action="call.updated", target=call, before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return call


@transaction.atomic
def call_publish(*, call: Call, actor: Any) -> Call:
    """Put a draft call on the public site (from its opening date applicants may apply)."""
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.published_at is not None:
        raise ConflictError(_("The call is already published."), code="already_published")
    if call.closes_at <= timezone.now():
        raise ConflictError(_("The call has already closed: change its closing date before publishing it."), code="closed")
    call.published_at = timezone.now()
    call.save(update_fields=["published_at", "updated_at"])
    event_record(actor=actor, action="call.published", target=call, before={"published_at": None}, after={"published_at": call.published_at.isoformat()})
    return call
