"""Signed records behind an application's steps (issue 27): the decision of an approval, a
rejection or a termination, and the contract, each with its number, its date, its signer and
the scanned signed file; the applicant's declaration and the receipt of a submission; the
deletion of a draft never submitted.

The records ride on the workflow as data: a step whose definition names the guard
``decision_record`` or ``contract_record`` is refused until the caller gives the record
(``payload["record"]``: number, signed_on, signer, file), and its effect ``record_decision``
or ``record_contract`` stores it, in the transition's transaction. Files are checked by
their bytes (`innohub.forms.upload_check`, which uses `core.uploads`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.dates import format_date
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.money import format_vnd
from innohub.core.uploads import content_type_for
from innohub.forms import upload_check
from innohub.programs import selectors
from innohub.programs.models import Application, Award, DecisionRecord
from innohub.programs.services.base import APPLICATION_FIELDS, _members, _url

# what a signed record may be: a scan (PDF or an image) of the signed paper
RECORD_ACCEPT = [".pdf", ".png", ".jpg", ".jpeg"]
RECORD_MAX_MB = 20
RECORD_FIELD = {"key": "file", "accept": RECORD_ACCEPT, "max_size_mb": RECORD_MAX_MB}


def record_problems(record: Any) -> dict[str, str]:
    """Every missing or wrong part of a signed record, by field (empty when it is complete)."""
    record = record if isinstance(record, dict) else {}
    problems: dict[str, str] = {}
    if not str(record.get("number") or "").strip():
        problems["number"] = _("Enter the number of the signed document.")
    signed_on = record.get("signed_on")
    if not isinstance(signed_on, dt.date):
        problems["signed_on"] = _("Enter the date the document was signed.")
    elif signed_on > timezone.localdate():
        problems["signed_on"] = _("The date of signing, %(date)s, is after today.") % {"date": format_date(signed_on)}
    if not str(record.get("signer") or "").strip():
        problems["signer"] = _("Enter who signed the document (name and position).")
    upload = record.get("file")
    if upload is None:
        problems["file"] = _("Attach the scan of the signed document (PDF or image).")
    else:
        try:
            upload_check(field=RECORD_FIELD, upload=upload)
        except ApplicationError as exc:
            problems["file"] = str(exc.message)
    return problems


def _guard_record(application: Application, actor: Any, payload: dict[str, Any]) -> list[str]:
    return list(record_problems(payload.get("record")).values())


def _guard_declaration(application: Application, actor: Any, payload: dict[str, Any]) -> list[str]:
    if payload.get("declaration"):
        return []
    return [_("Tick the declaration that your answers are true and complete; nothing was submitted.")]


def _kind_of(application: Application, step: Any) -> str:
    from innohub.programs.workflows import spec_for

    spec = spec_for(application.call.workflow)
    if spec.has_flag(step.target, "funded") and not spec.has_flag(step.target, "under_contract"):
        return DecisionRecord.Kind.APPROVAL
    if any(spec.has_flag(source, "under_contract") for source in step.source):
        return DecisionRecord.Kind.TERMINATION
    return DecisionRecord.Kind.REJECTION


def record_store(*, application: Application, actor: Any, record: dict[str, Any], kind: str, transition: str,
                 amount: int | None = None) -> DecisionRecord:
    """Store one signed record (the caller holds the transaction) and audit it."""
    upload = record["file"]
    name = upload.name or "file"
    row = DecisionRecord(
        application=application, kind=kind, transition=transition, number=str(record["number"]).strip()[:80],
        signed_on=record["signed_on"], signer=str(record["signer"]).strip()[:200], amount=amount,
        original_name=name[:255], content_type=content_type_for(name), size=upload.size, recorded_by=actor,
    )
    upload.seek(0)
    row.file.save(name, upload, save=False)
    row.save()
    event_record(actor=actor, action="application.record_added", target=application, before={},
                 after=snapshot(row, ["kind", "transition", "number", "signed_on", "signer", "amount", "original_name"]))
    return row


def _effect_record_decision(application: Application, actor: Any, payload: dict[str, Any], step: Any) -> None:
    kind = _kind_of(application, step)
    amount = None
    if kind == DecisionRecord.Kind.APPROVAL:
        award = Award.objects.filter(application=application).first()
        amount = award.amount if award else None
    record_store(application=application, actor=actor, record=payload["record"], kind=kind, transition=step.code, amount=amount)


def _effect_record_contract(application: Application, actor: Any, payload: dict[str, Any], step: Any) -> None:
    award = Award.objects.filter(application=application).first()
    record_store(application=application, actor=actor, record=payload["record"], kind=DecisionRecord.Kind.CONTRACT,
                 transition=step.code, amount=award.amount if award else None)


def receipt_items(application: Application) -> list[str]:
    """What was submitted, one line each: the title, the amount, each answered question, each file."""
    items = [f"{_('Project title')}: {application.title or '—'}", f"{_('Amount asked')}: {format_vnd(application.amount_requested)}"]
    for section in selectors.application_answers(application):
        for row in section["rows"]:
            if row["value"] not in (None, ""):
                items.append(str(row["label"]))
    items += [f"{_('File')}: {a.original_name}" for a in application.attachments.all()]
    return items


def _effect_send_receipt(application: Application, actor: Any, payload: dict[str, Any], step: Any) -> None:
    """The applicant's declaration is stamped, and a receipt e-mailed to the startup's members."""
    now = timezone.now()
    application.declared_at = now
    notification_send(
        recipients=_members(application.organisation_id), message="programs.application_receipt",
        params={"ref": application.reference, "date": timezone.localtime(now).strftime("%d/%m/%Y %H:%M"),
                "items": "\n".join(f"- {item}" for item in receipt_items(application))},
        url=_url(application), email=True,
    )


GUARDS = {"decision_record": _guard_record, "contract_record": _guard_record, "declaration": _guard_declaration}
EFFECTS = {"record_decision": _effect_record_decision, "record_contract": _effect_record_contract, "send_receipt": _effect_send_receipt}


@transaction.atomic
def application_delete_draft(*, application: Application, actor: Any) -> None:
    """Delete a draft never submitted (its files too); audited. Anything submitted is withdrawn instead."""
    application = Application.objects.select_for_update().select_related("call__workflow").get(pk=application.pk)
    if not selectors.can_act_as_member(actor, application):
        raise PermissionDenied
    if not selectors.has_flag(application, "draft") or application.submitted_at is not None:
        raise ConflictError(_("Only a draft never submitted can be deleted; nothing was changed."), code="not_draft")
    event_record(actor=actor, action="application.draft_deleted", target=application,
                 before={**snapshot(application, APPLICATION_FIELDS), "reference": application.reference,
                         "files": [a.original_name for a in application.attachments.all()]}, after={})
    for attachment in application.attachments.all():
        attachment.file.delete(save=False)
    application.attachments.all().delete()
    application.messages.all().delete()
    application.delete()
