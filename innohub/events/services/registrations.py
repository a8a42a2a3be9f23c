"""Registering for an event, on one's own or for a delegation; the waiting list and its
automatic promotion; the organiser's approval or refusal; cancellation.

Capacity is checked under a row lock on the event (`select_for_update`), so that two
people taking the last seat at the same time cannot both have it. Every check runs before
anything is written: a refused registration stores and sends nothing. State changes go
through the workflow engine (`workflow.services.transition_perform`); new registrations
enter the state carrying the flag that fits (`confirmed`, `awaiting_approval`, `waiting`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from innohub.activity.reminders import never_reminded, reminder_record
from innohub.activity.services import event_record, notification_send, snapshot
from innohub.core import personal_data
from innohub.core.background import enqueue_on_commit
from innohub.core.errors import ApplicationError, ConflictError, RateLimitedError
from innohub.core.permissions import user_has_role
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.core.text import normalize
from innohub.events import permissions
from innohub.events.models import Event, Registration
from innohub.events.workflows import REGISTRATION, has_flag, state_with, states_with
from innohub.forms import answers_merge, answers_missing
from innohub.workflow.services import transition_perform

REGISTER_LIMIT_PER_HOUR = 20  # registrations sent from one address (a delegation counts once)
REGISTER_LIMIT_PER_ACCOUNT_PER_HOUR = 30
MAX_DELEGATION = 30
REGISTRATION_FIELDS = ["state", "name", "email", "organisation_name", "participant_kind", "country", "waiting_position", "group", "source"]


@dataclass
class Attendee:
    """One person to register, as a form or the API gives them."""

    name: str
    email: str
    organisation_name: str = ""
    participant_kind: str = Registration.ParticipantKind.INDIVIDUAL
    country: str = "VN"
    consent_public: bool = False
    answers: dict[str, Any] = field(default_factory=dict)
    organisation_id: int | None = None


def _clean_attendee(attendee: Attendee, prefix: str = "") -> tuple[Attendee, dict[str, str]]:
    problems: dict[str, str] = {}
    name = normalize(attendee.name or "").strip()[:200]
    email = (attendee.email or "").strip()
    if not name:
        problems[f"{prefix}name"] = _("Enter the attendee's full name.")
    try:
        EmailValidator()(email)
    except DjangoValidationError:
        problems[f"{prefix}email"] = _("Enter a valid e-mail address: the confirmation and the QR code are sent there.")
    kind = attendee.participant_kind or Registration.ParticipantKind.INDIVIDUAL
    if kind not in Registration.ParticipantKind.values:
        problems[f"{prefix}participant_kind"] = _("Choose a kind of participant from the list.")
    country = (attendee.country or "VN").strip().upper()
    if len(country) != 2 or not country.isalpha():
        problems[f"{prefix}country"] = _("Choose a country from the list.")
    organisation_name = normalize(attendee.organisation_name or "").strip()[:255]
    cleaned = Attendee(
        name=name, email=email, organisation_name=organisation_name,
        participant_kind=kind, country=country, consent_public=bool(attendee.consent_public),
        answers=attendee.answers or {}, organisation_id=attendee.organisation_id or _directory_match(organisation_name),
    )
    return cleaned, problems


def _directory_match(name: str) -> int | None:
    """The directory's organisation of that exact name or short name (case aside), for the reports' links."""
    if not name:
        return None
    from django.db.models import Q

    from innohub.directory.models import Organisation

    found = list(Organisation.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name) | Q(name_en__iexact=name),
                                             archived_at__isnull=True).values_list("pk", flat=True)[:2])
    return found[0] if len(found) == 1 else None


def registration_open_problem(event: Event) -> str:
    """Why the event takes no registration now ("" when it does)."""
    if event.is_cancelled:
        return _("This event is cancelled.")
    if not event.is_published:
        return _("This event is not open for registration.")
    if event.ends_at < timezone.now():
        return _("This event is over.")
    return ""


def _rate_limit_refusal(*, actor: Any, ip: str | None) -> str | None:
    if getattr(actor, "is_authenticated", False):
        if rate_limit_exceeded(scope="events-register-account", key=str(actor.pk), limit=REGISTER_LIMIT_PER_ACCOUNT_PER_HOUR, window_seconds=3600):
            return _("Too many registrations from your account. Please try again in an hour.")
        return None
    if ip and rate_limit_exceeded(scope="events-register", key=ip, limit=REGISTER_LIMIT_PER_HOUR, window_seconds=3600):
        return _("Too many registrations from your address. Please try again in an hour.")
    return None


def seats_taken(event: Event) -> int:
    return event.registrations.filter(state__in=states_with("holds_seat")).count()


def _next_waiting_position(event: Event) -> int:
    return (event.registrations.aggregate(m=Max("waiting_position"))["m"] or 0) + 1


@transaction.atomic
def registrations_create(
    *, event: Event, attendees: list[Attendee], actor: Any = None, ip: str | None = None, honeypot: str = "",
    on_behalf: bool = False, walk_in: bool = False, contact_name: str = "", consent: str = "",
) -> list[Registration]:
    """Register one person or a delegation (each member named) and return the registrations.

    ``consent`` names the consent the person (or the delegation's contact) ticked, recorded with
    its text and version for each registration in the same transaction
    (``core.personal_data.consent_record``); callers check it was ticked (form or API).

    Over capacity, the people go on the waiting list in order (never refused for that); an
    e-mail already registered for the event is refused, as is an event not open. A walk-in
    is recorded by staff at the door, confirmed whatever the capacity. Nothing is written
    when any check fails."""
    if honeypot:
        raise ApplicationError(_("Your registration could not be accepted."), code="spam")
    if not attendees:
        raise ApplicationError(_("Name at least one attendee."), code="no_attendee")
    if len(attendees) > MAX_DELEGATION:
        raise ApplicationError(_("At most %(n)s people may be registered at once.") % {"n": MAX_DELEGATION}, code="too_many")
    if walk_in and not user_has_role(actor, permissions.CHECK_IN):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    problems: dict[str, str] = {}
    cleaned: list[Attendee] = []
    schema = event.registration_form.schema if event.registration_form else None
    group = len(attendees) > 1
    for index, attendee in enumerate(attendees):
        prefix = f"{index}-" if group else ""
        person, person_problems = _clean_attendee(attendee, prefix)
        problems.update(person_problems)
        if schema and not walk_in:
            merged, answer_problems = answers_merge(schema=schema, stored={}, given=person.answers)
            problems.update({f"{prefix}answer_{k}": v for k, v in answer_problems.items()})
            for missing in answers_missing(schema=schema, answers=merged, files=set()):
                problems.setdefault(f"{prefix}answer_{missing['key']}", _("This answer is required."))
            person.answers = merged
        else:
            person.answers = {}
        cleaned.append(person)
    emails = [p.email.lower() for p in cleaned]
    for index, email in enumerate(emails):
        if email and email in emails[:index]:
            problems[f"{index}-email" if group else "email"] = _("The same e-mail address is given twice: each attendee needs their own.")
    if problems:
        raise ApplicationError(next(iter(problems.values())), extra=problems, code="invalid_registration")
    if not walk_in:
        if closed := registration_open_problem(event):
            raise ConflictError(closed, code="registration_closed")
        if refusal := _rate_limit_refusal(actor=actor, ip=ip):
            raise RateLimitedError(refusal)
    event = Event.objects.select_for_update().get(pk=event.pk)  # capacity: one registration at a time per event
    taken = set(event.registrations.filter(email_key__in=emails, state__in=states_with("live")).values_list("email_key", flat=True))
    if taken:
        duplicate = {f"{i}-email" if group else "email": _("%(email)s is already registered for this event.") % {"email": cleaned[i].email}
                     for i, e in enumerate(emails) if e in taken}
        raise ConflictError(next(iter(duplicate.values())), extra=duplicate, code="duplicate")
    free = None if event.capacity is None else max(event.capacity - seats_taken(event), 0)
    group_id = uuid.uuid4() if group else None
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    position = _next_waiting_position(event)
    created = []
    for person in cleaned:
        registration = Registration(
            event=event, name=person.name, email=person.email, organisation_name=person.organisation_name,
            organisation_id=person.organisation_id, participant_kind=person.participant_kind, country=person.country,
            consent_public=person.consent_public, answers=person.answers, form=event.registration_form if not walk_in else None,
            group=group_id, language=_language(),
            registered_by=actor_user if (on_behalf or group) else None,
            registered_by_name=(normalize(contact_name).strip()[:200] or (actor_user.display_name if actor_user else "")) if (on_behalf or group) else "",
            user=actor_user if not (on_behalf or group) and not walk_in else None,
            source=Registration.Source.WALK_IN if walk_in else Registration.Source.ON_BEHALF if (on_behalf or group) else Registration.Source.ONLINE,
        )
        if walk_in:
            registration.state = state_with("confirmed")
        elif free is not None and free <= 0:
            registration.state = state_with("waiting")
            registration.waiting_position = position
            position += 1
        else:
            registration.state = state_with("awaiting_approval") if event.moderated else state_with("confirmed")
            if free is not None:
                free -= 1
        registration.save()
        event_record(actor=actor, action="registration.created", target=registration, after=snapshot(registration, REGISTRATION_FIELDS))
        if not walk_in:
            enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message=_entry_message(registration.state))
        if consent:
            personal_data.consent_record(purpose=consent, target=registration, actor=actor)
        if has_flag(registration.state, "awaiting_approval"):
            _tell_organisers_approval_needed(registration)
        created.append(registration)
    return created


def _language() -> str:
    from innohub.core.i18n import current_language

    return current_language()


def _entry_message(state: str) -> str:
    if has_flag(state, "waiting"):
        return "events.registration_waiting"
    if has_flag(state, "awaiting_approval"):
        return "events.registration_awaiting_approval"
    return "events.registration_confirmed"


def _tell_organisers_approval_needed(registration: Registration) -> None:
    from django.urls import reverse

    from innohub.events.selectors import event_staff_recipients

    notification_send(
        recipients=event_staff_recipients(registration.event), message="events.approval_needed",
        params={"event": registration.event_id, "when": registration.event_id, "name": registration.name,
                "organisation": registration.organisation_name or "—"},
        url=reverse("events:registrations", args=[registration.event_id]) + "?state=" + registration.state,
    )


def registration_create(*, event: Event, attendee: Attendee, actor: Any = None, ip: str | None = None, honeypot: str = "",
                        consent: str = "") -> Registration:
    """Register one person (see `registrations_create`)."""
    return registrations_create(event=event, attendees=[attendee], actor=actor, ip=ip, honeypot=honeypot, consent=consent)[0]


def waiting_rank(registration: Registration) -> int | None:
    """The registration's place on its event's waiting list now (1 = next), None when not waiting."""
    if not has_flag(registration.state, "waiting") or registration.waiting_position is None:
        return None
    return registration.event.registrations.filter(
        state__in=states_with("waiting"), waiting_position__lt=registration.waiting_position).count() + 1


# -- state changes ----------------------------------------------------------------------------
@REGISTRATION.guard("reason")
def _reason_given(registration: Registration, actor: Any, payload: dict[str, Any]) -> list[str]:
    return [] if (payload.get("reason") or "").strip() else [_("Give the reason: the attendee reads it.")]


def _promote_waiting(event: Event) -> list[Registration]:
    """Fill the seats freed with the first on the waiting list, in order, and tell them (the
    event row is locked by the caller)."""
    promoted = []
    if event.capacity is None:
        candidates = list(event.registrations.filter(state__in=states_with("waiting")).order_by("waiting_position", "id"))
    else:
        free = event.capacity - seats_taken(event)
        if free <= 0:
            return []
        candidates = list(event.registrations.filter(state__in=states_with("waiting")).order_by("waiting_position", "id")[:free])
    for waiting in candidates:
        step = "promote_to_approval" if event.moderated else "promote"
        registration = transition_perform(obj=waiting, transition=step, actor=None, internal=True, changes={"waiting_position": None})
        message = "events.registration_promoted_to_approval" if event.moderated else "events.registration_promoted"
        enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message=message)
        if has_flag(registration.state, "awaiting_approval"):
            _tell_organisers_approval_needed(registration)
        promoted.append(registration)
    return promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: Any, token_checked: bool = False, reason: str = "") -> Registration:
    """Cancel a registration (by the attendee, whoever registered them, or staff; by the
    attendee's signed link when ``token_checked``); a seat freed goes to the first waiting,
    who is told at once."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    held_seat = has_flag(Registration.objects.get(pk=registration.pk).state, "holds_seat")
    step = "cancel_by_link" if token_checked else "cancel"
    registration = transition_perform(obj=registration, transition=step, actor=actor, internal=token_checked,
                                      payload={"reason": reason}, changes={"reason": reason[:500], "waiting_position": None})
    enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message="events.registration_cancelled")
    if held_seat:
        _promote_waiting(event)
    return registration


@transaction.atomic
def registration_approve(*, registration: Registration, actor: Any) -> Registration:
    registration = transition_perform(obj=registration, transition="approve", actor=actor)
    enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message="events.registration_approved")
    return registration


@transaction.atomic
def registration_refuse(*, registration: Registration, actor: Any, reason: str) -> Registration:
    """Refuse with a reason the attendee reads; a seat it held goes to the first waiting."""
    reason = (reason or "").strip()
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    held_seat = has_flag(Registration.objects.get(pk=registration.pk).state, "holds_seat")
    registration = transition_perform(obj=registration, transition="refuse", actor=actor, payload={"reason": reason},
                                      changes={"reason": reason[:500], "waiting_position": None}, note=reason)
    enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message="events.registration_refused")
    if held_seat:
        _promote_waiting(event)
    return registration


def reminders_send(*, today: Any = None) -> int:
    """Queue the reminder to everyone holding a confirmed place at a published event that
    starts tomorrow; each registration is reminded once (a second run the same day sends nothing)."""
    import datetime as dt

    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    count = 0
    events = Event.objects.filter(status=Event.Status.PUBLISHED, starts_at__date=tomorrow)
    for event in events:
        with transaction.atomic():
            due = list(never_reminded(event.registrations.select_for_update().filter(state__in=states_with("confirmed"))))
            for registration in due:
                reminder_record(registration, today=today, action="registration.reminded")
                enqueue_on_commit("innohub.events.tasks.email_attendee", registration_id=registration.pk, message="events.reminder")
                count += 1
    return count
