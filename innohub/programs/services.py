"""Writes on support programmes: one transition service for every change of an
application's state, and the services around it (answers, attachments, messages,
reviews, assignment, ranking, awards, milestones, disbursements, cohorts).

Money rules are checked here with clear messages and held again by the database
(see models.py). Approvals lock the call row (`select_for_update`) before reading its
remaining budget, so two managers approving the last of a budget at the same time
cannot both succeed; disbursements lock the award and are keyed, so recording the same
payment twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Avg, Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from innohub.activity.services import event_record, events_record_many, notification_send, snapshot
from innohub.core.dates import format_date, format_datetime
from innohub.core.db import insert_many
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.money import format_vnd, parse_vnd
from innohub.core.permissions import ensure_role, user_has_role
from innohub.core.roles import ADMIN_ROLES, Role
from innohub.programs import selectors
from innohub.programs.models import (
    Application,
    Attachment,
    Award,
    Call,
    Cohort,
    CohortMentor,
    CohortSession,
    ConflictDeclaration,
    Disbursement,
    Message,
    Milestone,
    Programme,
    Review,
    ReviewerProfile,
    StageCeiling,
    Tranche,
)
from innohub.programs.workflows import RANKED, Transition, spec_for

APPLICATION_FIELDS = ["state", "title", "amount_requested", "submitted_at", "decided_at", "decision_reason", "score", "rank"]
ALLOWED_UPLOADS = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
}
DEFAULT_MAX_UPLOAD_MB = 10


def _url(application: Application) -> str:
    return reverse("programs:application-detail", kwargs={"pk": application.pk})


def _members(organisation_id: int):
    from innohub.accounts.models import User

    return list(User.objects.filter(memberships__organisation_id=organisation_id, is_active=True))


def _officers():
    from innohub.accounts.models import User

    return list(User.objects.filter(role=Role.OFFICER, is_active=True)[:20])


# --- Configuration ---------------------------------------------------------------------------------


@transaction.atomic
def ceiling_set(*, programme: Programme, year: int, amount: int, actor: Any) -> StageCeiling:
    ensure_role(actor, ADMIN_ROLES)
    if amount <= 0:
        raise ApplicationError(_("A ceiling must be more than zero."))
    row, created = StageCeiling.objects.select_for_update().get_or_create(
        programme=programme, year=year, defaults={"amount": amount}
    )
    before = None if created else snapshot(row, ["year", "amount"])
    row.amount = amount
    row.save(update_fields=["amount"])
    event_record(actor=actor, action="programme.ceiling_set", target=programme, before=before, after=snapshot(row, ["year", "amount"]))
    return row


# --- Applications: start, answers, attachments, messages ------------------------------------------


@transaction.atomic
def application_start(*, call: Call, organisation: Any, actor: Any) -> Application:
    if not selectors.is_member(actor, organisation.pk):
        raise PermissionDenied
    if not selectors.call_is_open(call):
        raise ApplicationError(_("This call is not open for applications."), code="call_closed")
    existing = Application.objects.filter(call=call, organisation=organisation).exclude(state="withdrawn").first()
    if existing is not None:
        raise ConflictError(_("Your startup already has an application in this call (%(ref)s).") % {"ref": existing.reference},
                            extra={"application_id": existing.pk})
    spec = spec_for(call.workflow)
    application = Application.objects.create(
        call=call, organisation=organisation, created_by=actor, form=call.form, state=spec.initial,
    )
    event_record(actor=actor, action="application.started", target=application, after=snapshot(application, APPLICATION_FIELDS))
    return application


def _ensure_editable(application: Application, actor: Any) -> None:
    if not selectors.can_act_as_member(actor, application):
        raise PermissionDenied
    if application.state not in selectors.OPEN_STATES:
        raise ConflictError(_("This application can no longer be changed."), code="not_editable")


@transaction.atomic
def application_save(
    *, application: Application, actor: Any, title: str | None = None, amount_requested: Any = None,
    answers: dict[str, Any] | None = None,
) -> Application:
    """Autosave: keeps what was typed (even incomplete); checks only the shape of each answer."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application, actor)
    before = snapshot(application, ["title", "amount_requested", "answers"])
    errors: dict[str, str] = {}
    if title is not None:
        application.title = title.strip()[:255]
    if amount_requested not in (None, ""):
        try:
            amount = parse_vnd(amount_requested)
            if amount < 0:
                raise ValueError
            application.amount_requested = amount
        except ValueError:
            errors["amount_requested"] = _("Enter an amount in VND, for example 40,000,000.")
    if answers:
        fields = {f["key"]: f for f in application.form.fields() if f.get("kind") != "file"}
        for key, value in answers.items():
            field = fields.get(key)
            if field is None:
                continue
            text = "" if value is None else str(value)
            if field.get("kind") in ("number", "money") and text.strip():
                try:
                    parse_vnd(text)
                except ValueError:
                    errors[key] = _("Enter a whole number.")
                    continue
            if field.get("kind") == "choice" and text and text not in {c[0] for c in field.get("choices", [])}:
                errors[key] = _("Choose one of the options.")
                continue
            application.answers[key] = text[:10_000]
    if errors:
        raise ApplicationError(_("Some answers could not be saved."), extra=errors)
    application.save(update_fields=["title", "amount_requested", "answers", "updated_at"])
    after = snapshot(application, ["title", "amount_requested", "answers"])
    if after != before:
        event_record(actor=actor, action="application.saved", target=application, before=before, after=after)
    return application


def _sniff_ok(upload: Any, extension: str) -> bool:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return any(head.startswith(magic) for magic in ALLOWED_UPLOADS[extension])


@transaction.atomic
def attachment_add(*, application: Application, field_key: str, upload: Any, actor: Any) -> Attachment:
    """Attach a file to a file field; the type is checked by extension and content, and the size."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application, actor)
    field = next((f for f in application.form.fields() if f["key"] == field_key and f.get("kind") == "file"), None)
    if field is None:
        raise ApplicationError(_("This form has no such file field."))
    name = upload.name or "file"
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    accept = [a.lower() for a in field.get("accept") or [".pdf"]]
    if extension not in accept or extension not in ALLOWED_UPLOADS or not _sniff_ok(upload, extension):
        raise ApplicationError(_("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": ", ".join(accept)},
                               extra={field_key: "type"})
    max_mb = field.get("max_size_mb") or DEFAULT_MAX_UPLOAD_MB
    if upload.size > max_mb * 1024 * 1024:
        raise ApplicationError(_("The file is larger than %(mb)s MB.") % {"mb": max_mb}, extra={field_key: "size"})
    if upload.size == 0:
        raise ApplicationError(_("The file is empty."), extra={field_key: "size"})
    attachment = Attachment(
        application=application, field_key=field_key, original_name=name[:255],
        content_type=getattr(upload, "content_type", "") or "application/octet-stream", size=upload.size, uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    event_record(actor=actor, action="application.file_attached", target=application,
                 after={"field": field_key, "name": attachment.original_name, "size": attachment.size})
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: Any) -> None:
    _ensure_editable(attachment.application, actor)
    event_record(actor=actor, action="application.file_removed", target=attachment.application,
                 before={"field": attachment.field_key, "name": attachment.original_name})
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def message_post(*, application: Application, actor: Any, body: str, kind: str = Message.Kind.NOTE) -> Message:
    member = selectors.can_act_as_member(actor, application)
    staff = user_has_role(actor, selectors.MANAGE_PROGRAMMES)
    if not (member or staff):
        raise PermissionDenied
    if not body.strip():
        raise ApplicationError(_("Write a message."), extra={"body": "required"})
    message = Message.objects.create(application=application, author=actor, kind=kind, body=body.strip())
    event_record(actor=actor, action="application.message_posted", target=application, after={"kind": kind, "message": message.pk})
    recipients = _officers() if member else _members(application.organisation_id)
    notification_send(recipients=recipients, subject=gettext_lazy("New message on application %(ref)s") % {"ref": application.reference},
                      body=body.strip()[:500], url=_url(application))
    return message


# --- The transition service ---------------------------------------------------------------------------

GuardFn = Callable[[Application, Any, dict[str, Any]], list[str]]
EffectFn = Callable[[Application, Any, dict[str, Any], Transition], None]


def _guard_eligible(application, actor, payload):
    return [p["message"] for p in selectors.eligibility_problems(application)]


def _guard_eligible_after_close(application, actor, payload):
    return [p["message"] for p in selectors.eligibility_problems(application, after_close=True)]


def _guard_reason(application, actor, payload):
    return [] if str(payload.get("message", "")).strip() else [_("Give the reason; it is sent to the applicant.")]


def _guard_message(application, actor, payload):
    return [] if str(payload.get("message", "")).strip() else [_("Write what the applicant must add.")]


def _guard_reviews_complete(application, actor, payload):
    counts = dict(application.reviews.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    needed = application.call.reviewers_per_application
    if counts.get(Review.State.ASSIGNED, 0) or counts.get(Review.State.SUBMITTED, 0) < needed:
        return [_("%(done)s of %(needed)s reviews are submitted.") % {"done": counts.get(Review.State.SUBMITTED, 0), "needed": needed}]
    return []


def _guard_has_milestones(application, actor, payload):
    award = Award.objects.filter(application=application).first()
    if award is None or not award.tranches.exists():
        return [_("Add the milestones and tranches of the award first.")]
    planned = sum(award.tranches.values_list("amount", flat=True))
    if planned != award.amount:
        return [_("The tranches add up to %(planned)s, not the award of %(amount)s.") % {
            "planned": format_vnd(planned), "amount": format_vnd(award.amount)}]
    return []


def _guard_milestones_met(application, actor, payload):
    award = Award.objects.filter(application=application).first()
    if award is not None and award.milestones.exclude(state=Milestone.State.MET).exists():
        return [_("Every milestone must be met first.")]
    return []


GUARDS: dict[str, GuardFn] = {
    "eligible": _guard_eligible,
    "eligible_after_close": _guard_eligible_after_close,
    "reason": _guard_reason,
    "message": _guard_message,
    "reviews_complete": _guard_reviews_complete,
    "has_milestones": _guard_has_milestones,
    "milestones_met": _guard_milestones_met,
}


def _effect_mark_submitted(application, actor, payload, transition):
    application.submitted_at = timezone.now()


def _effect_decide(application, actor, payload, transition):
    application.decided_at = timezone.now()
    application.decision_reason = str(payload.get("message", "")).strip()
    if application.decision_reason:
        Message.objects.create(application=application, author=actor, kind=Message.Kind.DECISION, body=application.decision_reason)


def _effect_request_message(application, actor, payload, transition):
    Message.objects.create(application=application, author=actor, kind=Message.Kind.REQUEST, body=str(payload["message"]).strip())


def _effect_reply_message(application, actor, payload, transition):
    if str(payload.get("message", "")).strip():
        Message.objects.create(application=application, author=actor, kind=Message.Kind.REPLY, body=str(payload["message"]).strip())


def _effect_create_award(application, actor, payload, transition):
    _award_create(application=application, actor=actor, amount=payload.get("amount"))


def _notify(recipients, application, transition):
    spec = spec_for(application.call.workflow)
    for user in recipients:
        with translation.override(getattr(user, "language", None) or "vi"):
            label = spec.applicant_label(transition.target) if selectors.is_member(user, application.organisation_id) else spec.staff_label(transition.target)
            subject = _("Application %(ref)s: %(state)s") % {"ref": application.reference, "state": label}
            body = application.decision_reason if transition.target in ("rejected", "ineligible", "terminated", "approved") else ""
            notification_send(recipients=[user], subject=subject, body=body, url=_url(application))


def _effect_notify_applicant(application, actor, payload, transition):
    _notify(_members(application.organisation_id), application, transition)


def _effect_notify_staff(application, actor, payload, transition):
    from innohub.activity.services import notification_send as send

    for officer in _officers():
        send(recipients=[officer], subject=gettext_lazy("Application %(ref)s: %(state)s") % {
            "ref": application.reference, "state": transition.label.get(officer.language or "vi", transition.code)},
            url=_url(application), email=False)


EFFECTS: dict[str, EffectFn] = {
    "mark_submitted": _effect_mark_submitted,
    "decide": _effect_decide,
    "request_message": _effect_request_message,
    "reply_message": _effect_reply_message,
    "create_award": _effect_create_award,
    "notify_applicant": _effect_notify_applicant,
    "notify_staff": _effect_notify_staff,
}


def _actor_may(actor: Any, application: Application, transition: Transition) -> bool:
    if "member" in transition.roles and selectors.is_member(actor, application.organisation_id):
        return True
    return user_has_role(actor, [r for r in transition.roles if r != "member"])


@transaction.atomic
def application_transition(
    *, application: Application, transition: str, actor: Any, message: str = "", amount: Any = None,
) -> Application:
    """Perform one transition of the application's workflow: roles, guards, effects, save, audit.

    Raises PermissionDenied when the actor may not, ConflictError when the state does not
    allow it, ApplicationError listing every unmet guard.
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__workflow", "call__programme", "organisation", "form")
        .get(pk=application.pk)
    )
    spec = spec_for(application.call.workflow)
    step = spec.transitions.get(transition)
    if step is None:
        raise ApplicationError(_("Unknown action."), code="unknown_transition")
    if not _actor_may(actor, application, step):
        raise PermissionDenied
    if application.state not in step.source:
        raise ConflictError(
            _("This cannot be done now: the application is “%(state)s”.") % {"state": spec.staff_label(application.state)},
            code="wrong_state",
        )
    if step.target == RANKED:
        _ensure_call_may_be_ranked(application.call)
    payload = {"message": message, "amount": amount}
    problems = [p for g in step.guards for p in GUARDS[g](application, actor, payload)]
    if problems:
        raise ApplicationError(problems[0] if len(problems) == 1 else _("The application cannot go on yet."),
                               extra={"problems": problems}, code="guard_failed")
    before = snapshot(application, APPLICATION_FIELDS)
    application.state = step.target
    for effect in step.effects:
        EFFECTS[effect](application, actor, payload, step)
    application.save(update_fields=[*APPLICATION_FIELDS, "updated_at"])
    event_record(actor=actor, action=f"application.{step.code}", target=application, before=before,
                 after=snapshot(application, APPLICATION_FIELDS), note=message[:1000])
    return application


def application_bulk_transition(*, application_ids: Iterable[int], transition: str, actor: Any, message: str = "") -> dict[str, Any]:
    """The same transition on many applications, each in its own transaction; returns what failed and why."""
    done, failed = [], {}
    for application in Application.objects.filter(pk__in=list(application_ids)):
        try:
            application_transition(application=application, transition=transition, actor=actor, message=message)
            done.append(application.pk)
        except PermissionDenied:
            failed[application.reference] = _("You are not allowed to do this.")
        except ApplicationError as exc:
            failed[application.reference] = "; ".join(exc.extra.get("problems", [])) or str(exc.message)
    return {"done": done, "failed": failed}


# --- Awards ---------------------------------------------------------------------------------------------


def _award_create(*, application: Application, actor: Any, amount: Any) -> Award:
    """Within the approve transition: lock the call, check ceiling, budget and one-per-stage, write."""
    call = Call.objects.select_for_update().select_related("programme").get(pk=application.call_id)
    stage = call.programme.stage
    try:
        amount = parse_vnd(amount) if amount not in (None, "") else application.amount_requested
    except ValueError:
        raise ApplicationError(_("Enter an amount in VND, for example 40,000,000."), extra={"amount": "invalid"}) from None
    ceiling = selectors.ceiling_for(stage=stage, year=call.year)
    if amount <= 0:
        raise ApplicationError(_("The amount of an award must be more than zero."), extra={"amount": "invalid"})
    if amount > ceiling:
        raise ApplicationError(_("The amount, %(amount)s, is above the ceiling of %(ceiling)s.") % {
            "amount": format_vnd(amount), "ceiling": format_vnd(ceiling)}, extra={"amount": "above_ceiling"})
    if amount > call.budget - call.awarded_total:
        raise ConflictError(_("Only %(left)s of the call's budget is left; %(amount)s cannot be awarded.") % {
            "left": format_vnd(call.budget - call.awarded_total), "amount": format_vnd(amount)}, code="budget_exhausted")
    if Award.objects.filter(organisation_id=application.organisation_id, stage=stage).exists():
        raise ConflictError(_("This startup already holds an award at this stage."), code="already_awarded")
    try:
        with transaction.atomic():
            award = Award.objects.create(
                application=application, organisation_id=application.organisation_id, call=call, stage=stage,
                amount=amount, ceiling=ceiling, approved_by=actor, approved_at=timezone.now(),
            )
            Call.objects.filter(pk=call.pk).update(awarded_total=F("awarded_total") + amount)
    except IntegrityError:
        raise ConflictError(_("The award would break the budget, the ceiling or the one-award-per-stage rule."), code="constraint") from None
    event_record(actor=actor, action="award.created", target=award, after=snapshot(award, ["application", "stage", "amount", "ceiling"]))
    return award


@transaction.atomic
def milestone_add(*, award: Award, title: str, due_on: dt.date, amount: int, actor: Any) -> Milestone:
    """A milestone with the tranche paid when it is met; tranches never add up beyond the award."""
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if award.application.state not in ("approved", "contracted", "in_progress"):
        raise ConflictError(_("Milestones can be planned only for an approved award."))
    if not title.strip():
        raise ApplicationError(_("Give the milestone a title."), extra={"title": "required"})
    planned = sum(award.tranches.values_list("amount", flat=True))
    if amount <= 0 or planned + amount > award.amount:
        raise ApplicationError(_("The tranches would add up to more than the award (%(left)s left to plan).") % {
            "left": format_vnd(award.amount - planned)}, extra={"amount": "above_award"})
    order = (award.milestones.count() or 0) + 1
    milestone = Milestone.objects.create(award=award, order=order, title=title.strip(), due_on=due_on)
    Tranche.objects.create(award=award, milestone=milestone, amount=amount)
    event_record(actor=actor, action="milestone.created", target=milestone, after={"award": award.pk, "title": title, "due_on": due_on, "amount": amount})
    return milestone


@transaction.atomic
def milestone_report(*, milestone: Milestone, actor: Any, report: str) -> Milestone:
    milestone = Milestone.objects.select_for_update().select_related("award").get(pk=milestone.pk)
    if not selectors.is_member(actor, milestone.award.organisation_id):
        raise PermissionDenied
    if milestone.state not in (Milestone.State.PENDING, Milestone.State.REPORTED, Milestone.State.MISSED):
        raise ConflictError(_("This milestone is already checked."))
    if not report.strip():
        raise ApplicationError(_("Write your report."), extra={"report": "required"})
    before = snapshot(milestone, ["state", "report"])
    milestone.report, milestone.state, milestone.reported_at = report.strip(), Milestone.State.REPORTED, timezone.now()
    milestone.save(update_fields=["report", "state", "reported_at", "updated_at"])
    event_record(actor=actor, action="milestone.reported", target=milestone, before=before, after=snapshot(milestone, ["state", "report"]))
    notification_send(recipients=_officers(), subject=gettext_lazy("A milestone report is waiting for a check"),
                      url=_url(milestone.award.application), email=False)
    return milestone


@transaction.atomic
def milestone_check(*, milestone: Milestone, actor: Any, met: bool, note: str = "") -> Milestone:
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    milestone = Milestone.objects.select_for_update().select_related("award__application").get(pk=milestone.pk)
    if milestone.state == Milestone.State.MET:
        raise ConflictError(_("This milestone is already met."))
    note = (note or "").strip()
    if not met and not note:
        # the founder is told why and what to do next; a bare "not met" tells them nothing
        raise ApplicationError(_("Write a note saying why the milestone is not met; nothing was changed."), extra={"note": "required"})
    before = snapshot(milestone, ["state"])
    milestone.state = Milestone.State.MET if met else Milestone.State.MISSED
    milestone.checked_by, milestone.checked_at = actor, timezone.now()
    milestone.save(update_fields=["state", "checked_by", "checked_at", "updated_at"])
    event_record(actor=actor, action="milestone.checked", target=milestone, before=before, after=snapshot(milestone, ["state"]), note=note)
    notification_send(recipients=_members(milestone.award.organisation_id),
                      subject=gettext_lazy("Milestone “%(title)s”: %(state)s") % {"title": milestone.title, "state": milestone.get_state_display()},
                      body=note, url=_url(milestone.award.application))
    return milestone


def disbursement_record(*, tranche: Tranche, actor: Any, key: str, paid_on: dt.date, reference: str = "") -> tuple[Disbursement, bool]:
    """Pay a tranche. Returns (disbursement, created). The same key again returns the first one unchanged."""
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    key = (key or "").strip()
    if not key:
        raise ApplicationError(_("A disbursement needs a key (for example the payment order number)."), extra={"key": "required"})
    if paid_on > timezone.localdate():
        raise ApplicationError(_("The payment date, %(date)s, is after today: record a payment once it is made.") % {
            "date": format_date(paid_on)}, extra={"paid_on": "future"})
    existing = Disbursement.objects.filter(key=key).first()
    if existing is not None:
        if existing.tranche_id != tranche.pk:
            raise ConflictError(_("This key is already used by another payment."), code="key_reused")
        return existing, False
    try:
        with transaction.atomic():
            award = Award.objects.select_for_update().select_related("application").get(pk=tranche.award_id)
            again = Disbursement.objects.filter(key=key).first()  # a concurrent twin may have committed meanwhile
            if again is not None:
                return again, False
            tranche = Tranche.objects.select_related("milestone").get(pk=tranche.pk)
            if award.application.state not in ("contracted", "in_progress"):
                raise ConflictError(_("Payments can be recorded only once the contract is signed."), code="wrong_state")
            if tranche.milestone.state != Milestone.State.MET:
                raise ConflictError(_("The milestone “%(title)s” is not met yet.") % {"title": tranche.milestone.title}, code="milestone_not_met")
            if Disbursement.objects.filter(tranche=tranche).exists():
                raise ConflictError(_("This tranche is already paid."), code="already_paid")
            if award.disbursed_total + tranche.amount > award.amount:
                raise ConflictError(_("This payment would exceed the award."), code="above_award")
            disbursement = Disbursement.objects.create(
                award=award, tranche=tranche, amount=tranche.amount, key=key, paid_on=paid_on, reference=reference[:80], recorded_by=actor,
            )
            Award.objects.filter(pk=award.pk).update(disbursed_total=F("disbursed_total") + tranche.amount)
            event_record(actor=actor, action="disbursement.recorded", target=disbursement,
                         after={"award": award.pk, "tranche": tranche.pk, "amount": tranche.amount, "key": key, "paid_on": paid_on})
            notification_send(recipients=_members(award.organisation_id),
                              subject=gettext_lazy("Payment received: %(amount)s") % {"amount": format_vnd(tranche.amount)},
                              url=_url(award.application))
    except IntegrityError:
        existing = Disbursement.objects.filter(key=key).first()
        if existing is not None and existing.tranche_id == tranche.pk:
            return existing, False
        raise ConflictError(_("This tranche is already paid."), code="already_paid") from None
    return disbursement, True


# --- Reviews ------------------------------------------------------------------------------------------------


def weighted_score(*, criteria: Iterable[Any], scores: dict[str, Any]) -> Decimal | None:
    """Weighted mean on a 0–100 scale; "not applicable" (None) is left out, not counted as zero."""
    total = Decimal(0)
    weights = 0
    for c in criteria:
        value = scores.get(c.code)
        if value is None:
            continue
        total += Decimal(c.weight) * Decimal(int(value) - c.min_score) * 100 / Decimal(c.max_score - c.min_score)
        weights += c.weight
    if weights == 0:
        return None
    return (total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@transaction.atomic
def review_submit(*, review: Review, actor: Any, scores: dict[str, Any], comment: str = "") -> Review:
    review = Review.objects.select_for_update().select_related("application__call__rubric").get(pk=review.pk)
    if review.reviewer_id != actor.pk or not user_has_role(actor, selectors.REVIEW):
        raise PermissionDenied
    if review.state != Review.State.ASSIGNED or review.application.state != "under_review":
        raise ConflictError(_("This review can no longer be changed."))
    criteria = list(review.application.call.rubric.criteria.all())
    clean: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for c in criteria:
        raw = scores.get(c.code, "")
        if raw is None or raw in ("", "na"):
            if raw == "" or not c.allow_not_applicable:
                errors[c.code] = _("Give a score from %(min)s to %(max)s.") % {"min": c.min_score, "max": c.max_score}
            clean[c.code] = None
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            errors[c.code] = _("Give a score from %(min)s to %(max)s.") % {"min": c.min_score, "max": c.max_score}
            continue
        if not c.min_score <= value <= c.max_score:
            errors[c.code] = _("Give a score from %(min)s to %(max)s.") % {"min": c.min_score, "max": c.max_score}
        clean[c.code] = value
    if errors:
        raise ApplicationError(_("Some scores are missing or out of range."), extra=errors)
    score = weighted_score(criteria=criteria, scores=clean)
    if score is None:
        raise ApplicationError(_("At least one criterion must be scored."), extra={"scores": "all_not_applicable"})
    review.scores, review.comment, review.weighted_score = clean, comment.strip(), score
    review.state, review.submitted_at = Review.State.SUBMITTED, timezone.now()
    review.save(update_fields=["scores", "comment", "weighted_score", "state", "submitted_at", "updated_at"])
    event_record(actor=actor, action="review.submitted", target=review.application,
                 after={"review": review.pk, "scores": clean, "weighted_score": score})
    return review


@transaction.atomic
def review_declare_conflict(*, review: Review, actor: Any, reason: str) -> Review:
    review = Review.objects.select_for_update().select_related("application").get(pk=review.pk)
    if review.reviewer_id != actor.pk:
        raise PermissionDenied
    if review.state != Review.State.ASSIGNED:
        raise ConflictError(_("This review can no longer be changed."))
    if not reason.strip():
        raise ApplicationError(_("Say briefly why you have a conflict of interest."), extra={"reason": "required"})
    review.state, review.conflict_reason, review.scores, review.weighted_score = Review.State.CONFLICT, reason.strip(), {}, None
    review.save(update_fields=["state", "conflict_reason", "scores", "weighted_score", "updated_at"])
    ConflictDeclaration.objects.get_or_create(reviewer=actor, organisation_id=review.application.organisation_id, defaults={"reason": reason.strip()})
    event_record(actor=actor, action="review.conflict_declared", target=review.application, after={"review": review.pk, "reason": reason.strip()})
    notification_send(recipients=_officers(), subject=gettext_lazy("A reviewer declared a conflict on %(ref)s") % {"ref": review.application.reference},
                      url=_url(review.application), email=False)
    return review


def _related_organisations(org_ids: set[int] | None = None) -> dict[int, set[int]]:
    """Organisation → organisations related to it in the directory (either direction, any kind).

    Every kind counts (incubated by, invested in, partner, member of): a reviewer working at a
    startup's incubator or investor has a conflict with it.
    """
    from innohub.directory.models import Relation

    relations = Relation.objects.all()
    if org_ids is not None:
        relations = relations.filter(Q(source_id__in=org_ids) | Q(target_id__in=org_ids))
    related: dict[int, set[int]] = defaultdict(set)
    for a, b in relations.values_list("source_id", "target_id").iterator(chunk_size=5000):
        related[a].add(b)
        related[b].add(a)
    return related


@transaction.atomic
def reviewers_assign(*, call: Call, actor: Any) -> dict[str, Any]:
    """Give every application under review its reviewers, balancing the load.

    Candidates are active reviewers with room under their capacity (open reviews across all
    calls), whose sectors meet the startup's (a reviewer without sectors reviews any), and
    without a conflict of interest: a membership of the startup, a declared conflict, or a
    membership of an organisation related to it in the directory. Among candidates the least
    loaded (relative to capacity) come first; sector specialists before generalists on ties.
    """
    from innohub.accounts.models import Membership

    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    wanted = call.reviewers_per_application
    apps = list(Application.objects.filter(call=call, state="under_review").values_list("id", "organisation_id"))
    if not apps:
        return {"assigned": 0, "applications": 0, "short": {}}
    org_ids = {o for _a, o in apps}
    org_sectors: dict[int, set[int]] = defaultdict(set)
    from innohub.directory.models import Organisation

    for org_id, sector_id in Organisation.sectors.through.objects.filter(organisation_id__in=org_ids).values_list("organisation_id", "sector_id"):
        org_sectors[org_id].add(sector_id)
    profiles = list(
        ReviewerProfile.objects.filter(active=True, user__is_active=True, user__role=Role.REVIEWER).values_list("user_id", "capacity")
    )
    capacity = dict(profiles)
    reviewer_sectors: dict[int, set[int]] = defaultdict(set)
    for uid, sid in ReviewerProfile.sectors.through.objects.filter(reviewerprofile__user_id__in=capacity).values_list("reviewerprofile__user_id", "sector_id"):
        reviewer_sectors[uid].add(sid)
    load = dict.fromkeys(capacity, 0)
    for uid, n in Review.objects.filter(reviewer_id__in=capacity, state=Review.State.ASSIGNED).values_list("reviewer_id").annotate(n=Count("id")).values_list("reviewer_id", "n"):
        load[uid] = n
    reviewer_orgs: dict[int, set[int]] = defaultdict(set)
    for uid, oid in Membership.objects.filter(user_id__in=capacity).values_list("user_id", "organisation_id"):
        reviewer_orgs[uid].add(oid)
    declared: dict[int, set[int]] = defaultdict(set)
    for uid, oid in ConflictDeclaration.objects.filter(reviewer_id__in=capacity).values_list("reviewer_id", "organisation_id"):
        declared[uid].add(oid)
    related = _related_organisations(org_ids if len(org_ids) < 5000 else None)
    existing: dict[int, set[int]] = defaultdict(set)
    live: dict[int, int] = defaultdict(int)
    for app_id, uid, state in Review.objects.filter(application__call=call).values_list("application_id", "reviewer_id", "state"):
        existing[app_id].add(uid)
        if state != Review.State.CONFLICT:
            live[app_id] += 1
    reviewers = sorted(capacity)
    # Conflicts depend only on the organisation: precompute the conflicted reviewers of each
    # applying organisation (its members, declared conflicts, members of related organisations).
    conflicted_by_org: dict[int, set[int]] = defaultdict(set)
    for uid in reviewers:
        mine = reviewer_orgs.get(uid, set())
        if not mine and not declared.get(uid):
            continue
        around = set(mine) | declared.get(uid, set())
        for org in mine:
            around |= related.get(org, set())
        for org_id in around & org_ids:
            conflicted_by_org[org_id].add(uid)
    new_reviews: list[tuple[int, int]] = []
    short: dict[int, int] = {}
    per_reviewer: dict[int, int] = defaultdict(int)
    # One heap of all reviewers keyed by (load / capacity, generalist?, id): for each application
    # pop from the least loaded until enough eligible ones are found, then push everyone back
    # (the chosen with their new load). A few pops per application instead of a scan of all.
    heap = [(load[uid] / capacity[uid] if capacity[uid] else 1.0, 0 if reviewer_sectors.get(uid) else 1, uid) for uid in reviewers]
    heapq.heapify(heap)
    for app_id, org_id in apps:
        need = wanted - live[app_id]
        if need <= 0:
            continue
        sectors = org_sectors.get(org_id, set())
        excluded = existing[app_id] | conflicted_by_org.get(org_id, set())
        chosen: list[int] = []
        skipped: list[tuple[float, int, int]] = []
        while heap and len(chosen) < need:
            entry = heapq.heappop(heap)
            ratio, _generalist, uid = entry
            if ratio >= 1.0:
                skipped.append(entry)
                break  # everyone left is at capacity
            rs = reviewer_sectors.get(uid)
            if uid in excluded or (rs and sectors and not rs & sectors):
                skipped.append(entry)
                continue
            chosen.append(uid)
        for entry in skipped:
            heapq.heappush(heap, entry)
        for uid in chosen:
            load[uid] += 1
            heapq.heappush(heap, (load[uid] / capacity[uid], 0 if reviewer_sectors.get(uid) else 1, uid))
            per_reviewer[uid] += 1
            existing[app_id].add(uid)
            new_reviews.append((app_id, uid))
        if len(chosen) < need:
            short[app_id] = need - len(chosen)
    _insert_reviews(new_reviews)
    event_record(actor=actor, action="call.reviewers_assigned", target=call,
                 after={"assigned": len(new_reviews), "reviewers": len(per_reviewer), "short": len(short)})
    if per_reviewer:
        from innohub.accounts.models import User

        for user in User.objects.filter(pk__in=list(per_reviewer)):
            notification_send(recipients=[user], subject=gettext_lazy("%(n)s new applications to review") % {"n": per_reviewer[user.pk]},
                              url=reverse("programs:review-list"))
    return {"assigned": len(new_reviews), "applications": len(apps), "short": short}


def _insert_reviews(pairs: list[tuple[int, int]]) -> None:
    """New assigned reviews, in bulk."""
    now = timezone.now()
    insert_many(Review, ["application", "reviewer"], pairs, {
        "state": Review.State.ASSIGNED, "scores": {}, "comment": "", "conflict_reason": "",
        "weighted_score": None, "submitted_at": None, "created_at": now, "updated_at": now,
    })


# --- Ranking ----------------------------------------------------------------------------------------------


def _ensure_call_may_be_ranked(call: Call) -> None:
    """Refuse any ranking while the call is open: the whole call's and one application's alike."""
    if not selectors.call_may_be_ranked(call):
        # applications can still arrive: a ranking drawn now would be redrawn by every late one
        raise ConflictError(_("The call is still open until %(date)s: applications can still arrive, so rank them once it closes. Nothing was ranked.") % {
            "date": format_datetime(call.closes_at)}, code="call_open")


@transaction.atomic
def call_rank(*, call: Call, actor: Any) -> dict[str, Any]:
    """Rank the call's applications by mean weighted score and draw the funding line.

    Applications under review with all their reviews in move to `ranked` (each one audited);
    already ranked ones are re-ranked. The line is drawn where the cumulative amount asked
    first exceeds the call's remaining budget: everything below it is below the line.
    """
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    call = Call.objects.select_for_update().get(pk=call.pk)
    _ensure_call_may_be_ranked(call)
    needed = call.reviewers_per_application
    stats = (
        Review.objects.filter(application__call=call, application__state__in=["under_review", "ranked"])
        .values("application_id")
        .annotate(
            mean=Avg("weighted_score", filter=Q(state=Review.State.SUBMITTED)),
            done=Count("id", filter=Q(state=Review.State.SUBMITTED)),
            open=Count("id", filter=Q(state=Review.State.ASSIGNED)),
        )
        .values_list("application_id", "mean", "done", "open")
    )
    # Plain tuples, not model instances: ten thousand instances cost most of a second.
    apps = {
        pk: SimpleNamespace(pk=pk, state=state, amount=amount, submitted_at=submitted_at, reference=reference)
        for pk, state, amount, submitted_at, reference in Application.objects.filter(call=call, state__in=["under_review", "ranked"])
        .values_list("id", "state", "amount_requested", "submitted_at", "reference")
    }
    far_future = timezone.now() + dt.timedelta(days=365 * 100)
    rows = []
    for app_id, mean, done, still_open in stats:
        app = apps.get(app_id)
        if app is None or still_open or done < needed or mean is None:
            continue
        app.score = Decimal(mean).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        rows.append(app)
    rows.sort(key=lambda a: (-a.score, a.submitted_at or far_future, a.pk))
    remaining = call.budget - call.awarded_total
    cumulative, line_open = 0, True
    moved = []
    for rank, app in enumerate(rows, start=1):
        cumulative += app.amount
        if cumulative > remaining:
            line_open = False
        app.rank, app.above_funding_line = rank, line_open
        if app.state == "under_review":
            app.state = "ranked"
            moved.append(app)
    # One prepared UPDATE run many times: Django's bulk_update builds CASE expressions that
    # take seconds for 10,000 rows; executemany takes a fraction of that on both databases.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = connection.ops.quote_name(Application._meta.db_table)
    values = [(a.pk, connection.ops.adapt_decimalfield_value(a.score, 6, 2), a.rank, a.above_funding_line, a.state) for a in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS a SET score = v.score, rank = v.rank, above_funding_line = v.above, "  # noqa: S608 - table name from the model
                "state = v.state, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::numeric[], %s::integer[], %s::boolean[], %s::varchar[]) AS v(id, score, rank, above, state) "
                "WHERE a.id = v.id",
                [now, *(list(column) for column in zip(*values, strict=True))] if values else [now, [], [], [], [], []],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET score = %s, rank = %s, above_funding_line = %s, state = %s, updated_at = %s WHERE id = %s",  # noqa: S608 - table name from the model
                [(score, rank, above, state, now, pk) for pk, score, rank, above, state in values],
            )
    # Every ranked application is now in state "ranked", so those still under review are
    # exactly the unranked ones (no 10,000-id NOT IN list needed).
    Application.objects.filter(call=call, state="under_review").update(rank=None, above_funding_line=False)
    _bulk_events(actor=actor, action="application.rank", targets=moved, before={"state": "under_review"}, after_state="ranked")
    above = sum(1 for a in rows if a.above_funding_line)
    event_record(actor=actor, action="call.ranked", target=call,
                 after={"ranked": len(rows), "moved": len(moved), "above_line": above, "remaining_budget": remaining})
    return {"ranked": len(rows), "moved": len(moved), "above_line": above}


def _bulk_events(*, actor: Any, action: str, targets: list[Any], before: dict, after_state: str) -> None:
    """One audit event per application, written in bulk (ranking moves thousands at once)."""
    events_record_many(
        actor=actor, action=action, target_model=Application, before=before,
        targets=((a.pk, a.reference, {"state": after_state, "score": str(a.score), "rank": a.rank}) for a in targets),
    )


# --- Cohorts --------------------------------------------------------------------------------------------------


@transaction.atomic
def cohort_create(*, hub: Any, stage: str, name: str, starts_on: dt.date, ends_on: dt.date, actor: Any, description: str = "") -> Cohort:
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    if ends_on < starts_on:
        raise ApplicationError(_("The cohort ends before it starts."), extra={"ends_on": "before_start"})
    cohort = Cohort.objects.create(hub=hub, stage=stage, name=name, starts_on=starts_on, ends_on=ends_on, description=description)
    event_record(actor=actor, action="cohort.created", target=cohort, after=snapshot(cohort, ["hub", "stage", "name", "starts_on", "ends_on"]))
    return cohort


@transaction.atomic
def cohort_add_startup(*, cohort: Cohort, organisation: Any, actor: Any) -> None:
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    cohort.startups.add(organisation)
    event_record(actor=actor, action="cohort.startup_added", target=cohort, after={"organisation": organisation.pk})


@transaction.atomic
def cohort_add_mentor(*, cohort: Cohort, name: str, expertise: str, actor: Any, user: Any = None) -> CohortMentor:
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    mentor = CohortMentor.objects.create(cohort=cohort, name=name, expertise=expertise, user=user)
    event_record(actor=actor, action="cohort.mentor_added", target=cohort, after={"mentor": name})
    return mentor


@transaction.atomic
def cohort_add_session(*, cohort: Cohort, title: str, starts_at: dt.datetime, actor: Any, location: str = "", mentor: CohortMentor | None = None) -> CohortSession:
    ensure_role(actor, selectors.MANAGE_PROGRAMMES)
    session = CohortSession.objects.create(cohort=cohort, title=title, starts_at=starts_at, location=location, mentor=mentor)
    event_record(actor=actor, action="cohort.session_added", target=cohort, after={"session": title, "starts_at": starts_at})
    return session
