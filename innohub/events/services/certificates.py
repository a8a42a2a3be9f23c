"""Certificates of attendance: issued from the check-ins (a course requires its share of
sessions), numbered with a random part that cannot be guessed, revoked with a reason. The
public verification page tells genuine, revoked or unknown."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.services import event_record, snapshot
from innohub.core.errors import ApplicationError, ConflictError
from innohub.core.permissions import ensure_role
from innohub.events import permissions
from innohub.events.models import Certificate, CheckIn, Event, Registration
from innohub.events.workflows import states_with

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def _new_number(event: Event) -> str:
    year = timezone.localtime(event.starts_at).year
    while True:
        number = f"SKHCN-{year}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))
        if not Certificate.objects.filter(number=number).exists():
            return number


def attendance_of(registration: Registration) -> tuple[int, int]:
    """(sessions attended, sessions of the event); (1, 1) or (0, 1) for an event without sessions."""
    total = registration.event.sessions.count()
    if total == 0:
        attended = 1 if CheckIn.objects.filter(registration=registration).exists() else 0
        return attended, 1
    return CheckIn.objects.filter(registration=registration, session__isnull=False).values("session").distinct().count(), total


def is_eligible(registration: Registration) -> bool:
    attended, total = attendance_of(registration)
    if registration.event.sessions.exists():
        return attended * 100 >= registration.event.required_share * total
    return attended >= 1


@transaction.atomic
def certificates_issue(*, event: Event, actor: Any) -> list[Certificate]:
    """Issue a certificate to every attendee who qualifies and has none yet; the others are
    left out (a second run issues nothing new)."""
    ensure_role(actor, permissions.ISSUE_CERTIFICATES)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.issues_certificates:
        raise ApplicationError(_("This event does not issue certificates."), code="no_certificates")
    issued = []
    candidates = event.registrations.filter(state__in=states_with("attended", "confirmed"), certificate__isnull=True).select_related("event")
    for registration in candidates:
        if not is_eligible(registration):
            continue
        attended, total = attendance_of(registration)
        certificate = Certificate.objects.create(registration=registration, number=_new_number(event), issued_by=actor,
                                                 sessions_attended=attended, sessions_total=total)
        event_record(actor=actor, action="certificate.issued", target=certificate, after=snapshot(certificate, ["number", "registration"]))
        from innohub.core.background import enqueue_on_commit

        enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message="events.certificate_issued")
        issued.append(certificate)
    return issued


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, actor: Any, reason: str) -> Certificate:
    """Revoke a certificate; its public page says so, with the date (the reason stays internal)."""
    ensure_role(actor, permissions.REVOKE_CERTIFICATES)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("Give the reason for revoking the certificate."), extra={"reason": _("Give the reason for revoking the certificate.")}, code="reason")
    if certificate.revoked:
        raise ConflictError(_("This certificate is already revoked."), code="already_revoked")
    before = snapshot(certificate, ["revoked", "revoked_reason"])
    certificate.revoked, certificate.revoked_at, certificate.revoked_reason = True, timezone.now(), reason[:500]
    certificate.save(update_fields=["revoked", "revoked_at", "revoked_reason", "updated_at"])
    event_record(actor=actor, action="certificate.revoked", target=certificate, before=before,
                 after=snapshot(certificate, ["revoked", "revoked_reason"]), note=reason)
    return certificate
