"""Personal data requests (Decree 13/2023/NĐ-CP): a person asks to see, correct or delete their
data; the request is received once its author is known (signed in with the address, or the
link e-mailed to it followed) and is due ``PRIVACY_REQUEST_DEADLINE_HOURS`` after receipt
(72 by default — the period we read in the decree for providing and deleting data; a setting,
for the Department's legal officer to confirm). An administrator carries it out: a copy of the
data is made into a file the person downloads from a signed link e-mailed to the confirmed
address, for ``PRIVACY_EXPORT_DAYS``, then deleted (``core.personal_data.subject_export``,
``export_download``, ``exports_purge``), or the
data is erased (``subject_erase``), or the correction made is written down; or refuses it
with the reason. Every step is audited by the workflow engine and the export/erase services.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from innohub.activity.reminders import not_reminded_today, reminder_record
from innohub.activity.services import event_record, notification_send
from innohub.core import personal_data
from innohub.core.errors import ApplicationError, RateLimitedError
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.core.roles import ADMIN_ROLES
from innohub.privacy import notifications
from innohub.privacy.models import DataRequest
from innohub.privacy.workflows import DATA_REQUEST, DATA_REQUEST_SPEC
from innohub.workflow.services import transition_perform

SIGNING_SALT = "innohub.privacy.confirm"
EXPORT_SALT = "innohub.privacy.export"
EXPORTS_DIR = "privacy/exports"  # the models' upload_to prefix
REQUESTS_PER_HOUR_PER_IP = 5


@DATA_REQUEST.guard("reason")
def _reason(obj: DataRequest, actor: Any, payload: dict[str, Any]) -> list[str]:
    return [] if str(payload.get("reason", "")).strip() else [_("Give the reason for refusing; the person is told.")]


@DATA_REQUEST.guard("outcome_for_correction")
def _outcome(obj: DataRequest, actor: Any, payload: dict[str, Any]) -> list[str]:
    if obj.kind == DataRequest.Kind.CORRECTION and not str(payload.get("outcome", "")).strip():
        return [_("Write what was corrected; the person is told.")]
    return []


@DATA_REQUEST.effect("start_deadline")
def _start_deadline(obj: DataRequest, actor: Any, payload: dict[str, Any], step: Any) -> None:
    obj.received_at = timezone.now()
    obj.due_at = obj.received_at + dt.timedelta(hours=settings.PRIVACY_REQUEST_DEADLINE_HOURS)
    admins = get_user_model().objects.filter(role__in=ADMIN_ROLES, is_active=True).order_by("pk")[:20]
    notification_send(recipients=list(admins), message=notifications.REQUEST_RECEIVED.id,
                      params={"ref": obj.reference, "due": timezone.localdate(obj.due_at)},
                      url=reverse("privacy:request", args=[obj.pk]))


@DATA_REQUEST.effect("carry_out")
def _carry_out(obj: DataRequest, actor: Any, payload: dict[str, Any], step: Any) -> None:
    if obj.kind == DataRequest.Kind.ACCESS:
        data = personal_data.subject_export(email=obj.email, actor=actor)
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        obj.export_file.save("export.json", ContentFile(body.encode()), save=False)
        obj.export_expires_at = timezone.now() + dt.timedelta(days=settings.PRIVACY_EXPORT_DAYS)
        link = settings.SITE_URL.rstrip("/") + export_path(obj)
        transaction.on_commit(lambda: _send_copy(obj, link))
        obj.outcome = str(payload.get("outcome") or "").strip() or _("A link to download a copy of the data was sent to the address.")
    elif obj.kind == DataRequest.Kind.ERASURE:
        counts = personal_data.subject_erase(email=obj.email, actor=actor)
        obj.outcome = str(payload.get("outcome") or "").strip() or _(
            "Erased: %(questions)s question(s) anonymised, account removed: %(account)s, %(notifications)s notification(s) deleted."
        ) % {"questions": counts["questions"], "account": _("yes") if counts["account"] else _("no"), "notifications": counts["notifications"]}
    else:
        obj.outcome = str(payload["outcome"]).strip()
    if obj.kind != DataRequest.Kind.ACCESS:
        transaction.on_commit(lambda: _send_outcome(obj))


@DATA_REQUEST.effect("close")
def _close(obj: DataRequest, actor: Any, payload: dict[str, Any], step: Any) -> None:
    obj.closed_at = timezone.now()
    if step.code == "refuse":
        obj.outcome = str(payload.get("reason", "")).strip()
        transaction.on_commit(lambda: _send_outcome(obj))


def _mail(to: str, subject: str, body: str, attachment: tuple[str, str, str] | None = None) -> None:
    message = EmailMessage(subject=subject, body=body, to=[to])
    if attachment:
        message.attach(*attachment)
    message.send()


def _send_copy(obj: DataRequest, link: str) -> None:
    with override("vi"):
        _mail(obj.email, _("Your personal data (request %(ref)s)") % {"ref": obj.reference},
              _("Dear Sir/Madam,\n\nA copy of the personal data the Department holds about this address, as you asked in request "
                "%(ref)s, is ready. Download it within %(days)s days from this link (it works only for you and is deleted afterwards):"
                "\n\n%(link)s\n\nIf you did not ask for it, tell the Department.")
              % {"ref": obj.reference, "days": settings.PRIVACY_EXPORT_DAYS, "link": link})


def _send_outcome(obj: DataRequest) -> None:
    with override("vi"):
        _mail(obj.email, _("Your personal data request %(ref)s: %(state)s") % {"ref": obj.reference, "state": DATA_REQUEST_SPEC.label(obj.state)},
              _("Dear Sir/Madam,\n\nYour request %(ref)s is now “%(state)s”.\n\n%(outcome)s")
              % {"ref": obj.reference, "state": DATA_REQUEST_SPEC.label(obj.state), "outcome": obj.outcome})


def confirm_token(obj: DataRequest) -> str:
    return signing.dumps({"pk": obj.pk, "email": obj.email.lower()}, salt=SIGNING_SALT)


def confirm_path(obj: DataRequest) -> str:
    return reverse("privacy:confirm", args=[confirm_token(obj)])


@transaction.atomic
def request_submit(*, kind: str, email: str, name: str, details: str, actor: Any, ip: str = "") -> DataRequest:
    """Record a request; received at once when the signed-in account uses the address, else a
    link to confirm it is e-mailed there. Refused (nothing saved) for flooding or a bad kind."""
    if kind not in DataRequest.Kind.values:
        raise ApplicationError(_("Choose what you ask for."), extra={"kind": "invalid"})
    if rate_limit_exceeded(scope="privacy-request", key=ip or "-", limit=REQUESTS_PER_HOUR_PER_IP, window_seconds=3600):
        raise RateLimitedError(_("Too many requests were sent from your network. Try again in an hour."))
    email = email.strip().lower()
    signed_in = getattr(actor, "is_authenticated", False)
    obj = DataRequest.objects.create(kind=kind, email=email, name=name.strip()[:200], details=details.strip()[:5000],
                                     user=actor if signed_in else None, state=DATA_REQUEST_SPEC.initial)
    event_record(actor=actor, action="data_request.created", target=obj, after={"kind": kind, "by_account": bool(signed_in)})
    if signed_in and (actor.email or "").lower() == email:
        return transition_perform(obj=obj, transition="confirm", actor=actor, note="signed in with the address")
    link = settings.SITE_URL.rstrip("/") + confirm_path(obj)
    transaction.on_commit(lambda: _send_confirmation(obj, link))
    return obj


def _send_confirmation(obj: DataRequest, link: str) -> None:
    with override("vi"):
        _mail(obj.email, _("Confirm your personal data request %(ref)s") % {"ref": obj.reference},
              _("Dear Sir/Madam,\n\nA request about the personal data of this address was sent to the Department. "
                "If it was you, confirm it within %(days)s days by opening this link:\n\n%(link)s\n\n"
                "If it was not you, ignore this message: nothing will be done.")
              % {"days": settings.PRIVACY_REQUEST_CONFIRM_DAYS, "link": link})


def request_for_token(token: str) -> DataRequest:
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=settings.PRIVACY_REQUEST_CONFIRM_DAYS * 86400)
    except signing.BadSignature:
        raise ApplicationError(_("This confirmation link is not valid or has expired. Send the request again.")) from None
    obj = DataRequest.objects.filter(pk=data.get("pk"), email__iexact=data.get("email", "")).first()
    if obj is None:
        raise ApplicationError(_("This confirmation link is not valid or has expired. Send the request again."))
    return obj


def export_token(obj: DataRequest) -> str:
    """The download link's key: signed for this request, its address and its copy's file (a
    new copy or the copy's deletion makes the old link void), valid ``PRIVACY_EXPORT_DAYS``."""
    return signing.dumps({"pk": obj.pk, "email": obj.email.lower(), "file": obj.export_file.name}, salt=EXPORT_SALT)


def export_path(obj: DataRequest) -> str:
    return reverse("privacy:export", args=[export_token(obj)])


class ExportRefused(ApplicationError):
    """Why a download of a copy is refused; ``status`` is the HTTP answer (404: no such link,
    403: expired or not the requester's). The message names nobody."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message, code="export_refused")
        self.status = status


def export_for_token(token: str, *, actor: Any) -> DataRequest:
    """The request whose copy ``token`` downloads, if ``actor`` may have it: a request made
    from an account needs that account signed in; one made by e-mail needs its link (sent to
    the confirmed address) and nobody signed in under another address."""
    invalid = ExportRefused(_("This download link is not valid. Use the link from the e-mail exactly as it was sent."), status=404)
    try:
        data = signing.loads(token, salt=EXPORT_SALT, max_age=settings.PRIVACY_EXPORT_DAYS * 86400)
    except signing.SignatureExpired:
        raise ExportRefused(_("This download link has expired and the copy was deleted. Send a new request to receive another one."),
                            status=403) from None
    except signing.BadSignature:
        raise invalid from None
    obj = DataRequest.objects.filter(pk=data.get("pk"), email__iexact=data.get("email", ""), kind=DataRequest.Kind.ACCESS).first()
    if obj is None:
        raise invalid
    if not obj.export_file or obj.export_file.name != data.get("file") or not obj.export_expires_at or obj.export_expires_at <= timezone.now():
        raise ExportRefused(_("This download link has expired and the copy was deleted. Send a new request to receive another one."), status=403)
    signed_in = getattr(actor, "is_authenticated", False)
    if (obj.user_id and (not signed_in or actor.pk != obj.user_id)) or (
            not obj.user_id and signed_in and (actor.email or "").lower() != obj.email.lower()):
        raise ExportRefused(_("This copy belongs to the person who made the request. Sign in with their account, or open the link "
                              "while signed out if the request was sent by e-mail."), status=403)
    return obj


def export_download(*, token: str, actor: Any) -> tuple[DataRequest, Any]:
    """Open the copy for its requester (``export_for_token``) and record the download."""
    obj = export_for_token(token, actor=actor)
    try:
        handle = obj.export_file.open("rb")
    except FileNotFoundError:
        raise ExportRefused(_("This download link has expired and the copy was deleted. Send a new request to receive another one."),
                            status=403) from None
    event_record(actor=actor, action="personal_data.export_downloaded", target=obj, after={"expires_at": obj.export_expires_at.isoformat() if obj.export_expires_at else None})
    return obj, handle


def exports_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> int:
    """Delete the copies whose download period has ended (file and link), one audit event each;
    part of the daily retention run. Returns how many were (or would be) deleted."""
    now = now or timezone.now()
    due = list(DataRequest.objects.filter(export_expires_at__lte=now).exclude(export_file=""))
    if dry_run:
        return len(due) + _orphan_exports_purge(now=now, dry_run=True)
    for obj in due:
        with transaction.atomic():
            name = obj.export_file.name
            DataRequest.objects.filter(pk=obj.pk).update(export_file="", export_expires_at=None)
            event_record(actor=None, action="personal_data.export_deleted", target=obj, after={"reason": "retention"})
            transaction.on_commit(partial(obj.export_file.storage.delete, name))
    return len(due) + _orphan_exports_purge(now=now)


def _orphan_exports_purge(*, now: dt.datetime, dry_run: bool = False) -> int:
    """Copies written by a carry-out whose transaction then failed: no request points to them.
    Deleted once older than a day (a carry-out under way is never caught), one audit event."""
    storage = DataRequest._meta.get_field("export_file").storage  # type: ignore[attr-defined]
    try:
        _folders, files = storage.listdir(EXPORTS_DIR)
    except FileNotFoundError:
        return 0
    kept = set(DataRequest.objects.exclude(export_file="").values_list("export_file", flat=True))
    orphans = [name for name in (f"{EXPORTS_DIR}/{f}" for f in files)
               if name not in kept and storage.get_modified_time(name) < now - dt.timedelta(days=1)]
    if dry_run:
        return len(orphans)
    for name in orphans:
        storage.delete(name)
    if orphans:
        event_record(actor=None, action="personal_data.export_deleted", after={"reason": "no request points to it", "files": len(orphans)})
    return len(orphans)


def request_confirm(*, token: str, actor: Any) -> DataRequest:
    """The person followed the link: the request is received and its deadline runs."""
    obj = request_for_token(token)
    if not DATA_REQUEST_SPEC.has_flag(obj.state, "unconfirmed"):
        return obj  # confirmed already: following the link twice changes nothing
    return transition_perform(obj=obj, transition="confirm", actor=actor, note="confirmed by the e-mailed link")


def request_carry_out(*, request: DataRequest, actor: Any, outcome: str = "") -> DataRequest:
    return transition_perform(obj=request, transition="carry_out", actor=actor, payload={"outcome": outcome}, note=outcome.strip()[:500])


def request_refuse(*, request: DataRequest, actor: Any, reason: str) -> DataRequest:
    return transition_perform(obj=request, transition="refuse", actor=actor, payload={"reason": reason}, note=reason.strip()[:500])


def requests_remind(*, now: dt.datetime | None = None) -> int:
    """Tell administrators, once a day, of each received request due within a day or late."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = not_reminded_today(
        DataRequest.objects.filter(state__in=DATA_REQUEST_SPEC.states_with("open"), due_at__lte=now + dt.timedelta(hours=24)),
        today=today, field="last_reminded_on").order_by("due_at")
    admins = list(get_user_model().objects.filter(role__in=ADMIN_ROLES, is_active=True).order_by("pk")[:20])
    count = 0
    for obj in due:
        with transaction.atomic():
            notification_send(recipients=admins, message=notifications.REQUEST_DUE.id,
                              params={"ref": obj.reference, "due": timezone.localdate(obj.due_at)},
                              url=reverse("privacy:request", args=[obj.pk]))
            reminder_record(obj, today=today, action="data_request.reminded", field="last_reminded_on",
                            detail={"due_at": obj.due_at.isoformat() if obj.due_at else None})
        count += 1
    return count
