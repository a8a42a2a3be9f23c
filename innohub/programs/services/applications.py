"""An application before and around its decision: starting it, its answers, attachments and messages.

The answers and the files are checked by the forms engine (`innohub.forms`) against the
application's form version; this module stores them and audits the change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.money import parse_vnd
from innohub.core.permissions import user_has_role
from innohub.core.uploads import content_type_for
from innohub.forms import answers_merge, file_field, upload_check
from innohub.programs import permissions, selectors
from innohub.programs.models import (
    Application,
    Attachment,
    Call,
    Message,
)
from innohub.programs.services.base import (
    APPLICATION_FIELDS,
    _members,
    _officers,
    _url,
)
from innohub.programs.workflows import spec_for

# --- Applications: start, answers, attachments, messages ------------------------------------------


@transaction.atomic
def application_start(*, call: Call, organisation: Any, actor: Any) -> Application:
    if not selectors.is_member(actor, organisation.pk):
        raise PermissionDenied
    if not selectors.call_is_open(call) or not call.is_published:
        raise ApplicationError(_("This call is not open for applications."), code="call_closed")
    existing = Application.objects.filter(call=call, organisation=organisation).exclude(state__in=spec_for(call.workflow).states_with("withdrawn")).first()
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
    if not selectors.has_flag(application, "editable_by_applicant"):
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
        application.answers, answer_errors = answers_merge(schema=application.form.schema, stored=application.answers, given=answers)
        errors.update(answer_errors)
    if errors:
        raise ApplicationError(_("Some answers could not be saved."), extra=errors)
    application.save(update_fields=["title", "amount_requested", "answers", "updated_at"])
    after = snapshot(application, ["title", "amount_requested", "answers"])
    if after != before:
        event_record(actor=actor, action="application.saved", target=application, before=before, after=after)
    return application


@transaction.atomic
def attachment_add(*, application: Application, field_key: str, upload: Any, actor: Any) -> Attachment:
    """Attach a file to a file field; the type is checked by extension and content, and the size."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    _ensure_editable(application, actor)
    field = file_field(application.form.schema, field_key)
    if field is None:
        raise ApplicationError(_("This form has no such file field."))
    upload_check(field=field, upload=upload)
    name = upload.name or "file"
    attachment = Attachment(
        application=application, field_key=field_key, original_name=name[:255],
        # the type its checked extension names, never the one the browser claimed
        content_type=content_type_for(name), size=upload.size, uploaded_by=actor,
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
    staff = user_has_role(actor, permissions.MANAGE_PROGRAMMES)
    if not (member or staff):
        raise PermissionDenied
    if not body.strip():
        raise ApplicationError(_("Write a message."), extra={"body": "required"})
    message = Message.objects.create(application=application, author=actor, kind=kind, body=body.strip())
    event_record(actor=actor, action="application.message_posted", target=application, after={"kind": kind, "message": message.pk})
    recipients = _officers() if member else _members(application.organisation_id)
    notification_send(recipients=recipients, message="programs.message_posted", params={"ref": application.reference, "text": body.strip()[:500]},
                      url=_url(application))
    return message
