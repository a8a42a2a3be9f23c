"""Awards, milestones, tranches and disbursements: the money after a decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.dates import format_date
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.money import format_vnd, parse_vnd
from innohub.core.permissions import ensure_role
from innohub.core.uploads import content_type_for
from innohub.forms import upload_check
from innohub.programs import permissions, selectors
from innohub.programs.models import (
    Application,
    Award,
    Call,
    Disbursement,
    Milestone,
    MilestoneEvidence,
    Tranche,
)
from innohub.programs.services.base import _members, _officers, _url

# --- Awards ---------------------------------------------------------------------------------------------


def _award_create(*, application: Application, actor: Any, amount: Any) -> Award:
    """Within the approve transition: lock the call, check ceiling, budget and one-per-stage, write."""
    call = Call.objects.select_for_update().select_related("programme").get(pk=application.call_id)
    stage = call.programme.stage
    if amount in (None, ""):
        # never defaulted (to the amount asked or the ceiling): the amount decided is written on the decision
        raise ApplicationError(_("Enter the amount awarded, as written on the signed decision; nothing was approved."),
                               extra={"amount": "required"})
    try:
        amount = parse_vnd(amount)
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
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if not selectors.has_flag(award.application, "funded"):
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


def milestone_remind(*, milestone_id: int) -> bool:
    """Remind the startup's members of an overdue milestone, in their language; at most once a
    day (``reminded_on``), so a second run the same day sends nothing. Audited. False when the
    milestone is not (or no longer) overdue or was reminded today."""
    today = timezone.localdate()
    with transaction.atomic():
        milestone = (
            Milestone.objects.select_for_update(of=("self",))
            .select_related("award__application")
            .filter(pk=milestone_id, due_on__lt=today, state__in=[Milestone.State.PENDING, Milestone.State.MISSED])
            .first()
        )
        if milestone is None or milestone.reminded_on == today:
            return False
        notification_send(
            recipients=_members(milestone.award.organisation_id),
            message="programs.milestone_overdue",
            params={"title": milestone.title, "date": milestone.due_on},
            url=_url(milestone.award.application),
        )
        milestone.reminded_on = today
        milestone.save(update_fields=["reminded_on"])
        event_record(actor=None, action="milestone.reminded", target=milestone, after={"due_on": milestone.due_on, "reminded_on": today})
    return True


# evidence sent with a milestone report: scans, photos, office documents
EVIDENCE_FIELD = {"key": "evidence", "accept": [".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx"], "max_size_mb": 20}
EVIDENCE_MAX_FILES = 10


@transaction.atomic
def milestone_report(*, milestone: Milestone, actor: Any, report: str, files: list[Any] | None = None) -> Milestone:
    """The startup's report on a milestone, with evidence files (each checked by its bytes); every
    file is checked before anything is stored, so a refused file changes nothing."""
    milestone = Milestone.objects.select_for_update().select_related("award").get(pk=milestone.pk)
    if not selectors.is_member(actor, milestone.award.organisation_id):
        raise PermissionDenied
    if milestone.state not in (Milestone.State.PENDING, Milestone.State.REPORTED, Milestone.State.MISSED):
        raise ConflictError(_("This milestone is already checked."))
    if not report.strip():
        raise ApplicationError(_("Write your report."), extra={"report": "required"})
    files = [f for f in (files or []) if f is not None]
    if len(files) > EVIDENCE_MAX_FILES:
        raise ApplicationError(_("Attach at most %(n)s files to one report.") % {"n": EVIDENCE_MAX_FILES}, extra={"evidence": "count"})
    for upload in files:
        try:
            upload_check(field=EVIDENCE_FIELD, upload=upload)
        except ApplicationError as exc:
            raise ApplicationError(f"{upload.name}: {exc.message}", extra={"evidence": "type"}) from None
    before = snapshot(milestone, ["state", "report"])
    milestone.report, milestone.state, milestone.reported_at = report.strip(), Milestone.State.REPORTED, timezone.now()
    milestone.save(update_fields=["report", "state", "reported_at", "updated_at"])
    names = []
    for upload in files:
        name = upload.name or "file"
        evidence = MilestoneEvidence(milestone=milestone, original_name=name[:255], content_type=content_type_for(name),
                                     size=upload.size, uploaded_by=actor)
        evidence.file.save(name, upload, save=False)
        evidence.save()
        names.append(evidence.original_name)
    event_record(actor=actor, action="milestone.reported", target=milestone, before=before,
                 after={**snapshot(milestone, ["state", "report"]), "evidence": names})
    notification_send(recipients=_officers(), message="programs.milestone_reported", params={
        "title": milestone.title, "ref": milestone.award.application.reference, "date": timezone.localdate()},
                      url=_url(milestone.award.application), email=False)
    return milestone


@transaction.atomic
def milestone_check(*, milestone: Milestone, actor: Any, met: bool, note: str = "") -> Milestone:
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
    milestone = Milestone.objects.select_for_update().select_related("award__application").get(pk=milestone.pk)
    if milestone.state == Milestone.State.MET:
        raise ConflictError(_("This milestone is already met."))
    if milestone.state != Milestone.State.REPORTED:
        # assessed only on a report: a milestone marked met unlocks its payment
        raise ConflictError(_("The startup has not sent a report on “%(title)s” yet: a milestone is assessed only on its report. Nothing was changed.") % {
            "title": milestone.title}, code="no_report")
    note = (note or "").strip()
    if not met and not note:
        # the founder is told why and what to do next; a bare "not met" tells them nothing
        raise ApplicationError(_("Write a note saying why the milestone is not met; nothing was changed."), extra={"note": "required"})
    before = snapshot(milestone, ["state"])
    milestone.state = Milestone.State.MET if met else Milestone.State.MISSED
    milestone.checked_by, milestone.checked_at = actor, timezone.now()
    milestone.save(update_fields=["state", "checked_by", "checked_at", "updated_at"])
    event_record(actor=actor, action="milestone.checked", target=milestone, before=before, after=snapshot(milestone, ["state"]), note=note)
    notification_send(recipients=_members(milestone.award.organisation_id), message="programs.milestone_checked",
                      params={"title": milestone.title, "state": milestone.state, "note": note},
                      url=_url(milestone.award.application))
    return milestone


def disbursement_record(*, tranche: Tranche, actor: Any, key: str, paid_on: dt.date, reference: str = "") -> tuple[Disbursement, bool]:
    """Pay a tranche. Returns (disbursement, created). The same key again returns the first one unchanged."""
    ensure_role(actor, permissions.MANAGE_PROGRAMMES)
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
            if not selectors.has_flag(award.application, "under_contract"):
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
            notification_send(recipients=_members(award.organisation_id), message="programs.payment_received",
                              params={"amount": tranche.amount, "date": paid_on, "title": tranche.milestone.title, "ref": award.application.reference},
                              url=_url(award.application))
    except IntegrityError:
        existing = Disbursement.objects.filter(key=key).first()
        if existing is not None and existing.tranche_id == tranche.pk:
            return existing, False
        raise ConflictError(_("This tranche is already paid."), code="already_paid") from None
    return disbursement, True
