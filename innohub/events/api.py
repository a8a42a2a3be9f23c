"""Events over the API: public events and registration (rate-limited as the page is), the
certificate check; staff operations (registrations, approve/refuse/cancel, check-in by code,
certificates) with the same checks as the pages (services and selectors do the checking)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from innohub.api.pagination import PagePagination
from innohub.api.schemas import ERROR_RESPONSES
from innohub.core import personal_data
from innohub.core.client_ip import client_ip
from innohub.core.permissions import user_has_role
from innohub.events import permissions, selectors, services
from innohub.events.codes import attendee_token
from innohub.events.models import Certificate, Event, Registration
from innohub.events.workflows import attendee_label, staff_label

router = Router(tags=["events"])


def _clean(value: str) -> str:
    return (value or "").replace("\x00", "")


class PublicEventOut(Schema):
    id: int
    slug: str
    kind: str
    status: str
    title: str
    title_en: str
    description: str
    description_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str
    place: str
    online_url: str
    language: str
    capacity: int | None
    moderated: bool
    series: str | None = None
    seats_left: int | None = None

    @staticmethod
    def resolve_series(obj: Event) -> str | None:
        return obj.series.slug if obj.series is not None else None

    @staticmethod
    def resolve_seats_left(obj: Event) -> int | None:
        return None if obj.capacity is None else max(obj.capacity - services.seats_taken(obj), 0)


class PublicEventFilters(Schema):
    past: bool = False
    series: str = Field("", max_length=80)
    q: str = Field("", max_length=100)


class AttendeeIn(Schema):
    name: str = Field(..., max_length=200)
    email: str = Field(..., max_length=254)
    organisation: str = Field("", max_length=255)
    participant_kind: str = Field(Registration.ParticipantKind.INDIVIDUAL, max_length=20)
    country: str = Field("VN", max_length=2)
    consent_public: bool = False
    answers: dict[str, str] = Field(default_factory=dict)


class RegisterIn(Schema):
    attendees: list[AttendeeIn] = Field(..., min_length=1, max_length=30, description="one person, or each member of a delegation")
    contact_name: str = Field("", max_length=200, description="who registers a delegation")
    website: str = Field("", description="leave empty (spam trap)")
    consent: bool = Field(False, description="The attendee (for a delegation, its contact for each member) ticked the consent to the "
                                              "processing of their data (required; its current text and version are recorded)")


class RegistrationOut(Schema):
    id: int
    name: str
    state: str
    state_label: str
    waiting_position: int | None = None
    link: str = Field("", description="the attendee's own page (QR code, cancel)")

    @staticmethod
    def resolve_state_label(obj: Registration) -> str:
        return attendee_label(obj.state)

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        return services.waiting_rank(obj)

    @staticmethod
    def resolve_link(obj: Registration) -> str:
        from django.urls import reverse

        return reverse("events:attendee", args=[attendee_token(obj)])


class RegistrationStaffOut(Schema):
    id: int
    name: str
    email: str
    organisation_name: str
    participant_kind: str
    country: str
    state: str
    state_label: str
    waiting_position: int | None
    registered_by_name: str
    consent_public: bool
    checked_in_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_state_label(obj: Registration) -> str:
        return staff_label(obj.state)


class RegistrationFilters(Schema):
    q: str = Field("", max_length=100)
    state: str = Field("", max_length=40)


class RegistrationReasonIn(Schema):
    reason: str = Field("", max_length=500)


class CheckinIn(Schema):
    code: str = Field(..., max_length=500)
    session: int | None = None
    scanned_at: dt.datetime | None = None


class CheckinOut(Schema):
    status: str
    ok: bool
    message: str
    name: str = ""


class CertificateOut(Schema):
    number: str
    status: str = Field(..., description="genuine or revoked")
    name: str
    event: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None = None


def _certificate_out(c: Certificate) -> dict:
    return {"number": c.number, "status": "revoked" if c.revoked else "genuine", "name": c.registration.name,
            "event": c.registration.event.display_title, "issued_at": c.issued_at, "revoked_at": c.revoked_at}


# -- public ---------------------------------------------------------------------------------
@router.get("/events", auth=None, response={200: list[PublicEventOut], **ERROR_RESPONSES}, summary="Public events (upcoming, or past)")
@paginate(PagePagination)
def list_events(request: HttpRequest, filters: Query[PublicEventFilters]):
    series = selectors.series_public_get(slug=_clean(filters.series)) if filters.series else None
    return selectors.events_public(past=filters.past, series=series, query=_clean(filters.q))


@router.get("/events/{slug}", auth=None, response={200: PublicEventOut, **ERROR_RESPONSES}, summary="One public event")
def get_event(request: HttpRequest, slug: str):
    return selectors.event_public_get(slug=_clean(slug), user=request.user)


@router.post("/events/{slug}/registrations", auth=None, response={201: list[RegistrationOut], **ERROR_RESPONSES},
             summary="Register one person or a delegation (each member named); over capacity they join the waiting list")
def register(request: HttpRequest, slug: str, payload: RegisterIn):
    event = selectors.event_public_get(slug=_clean(slug), user=request.user)
    consent = "events.register_group" if len(payload.attendees) > 1 else "events.register"
    personal_data.consent_require(given=payload.consent, purpose=consent)
    attendees = [services.Attendee(name=_clean(a.name), email=_clean(a.email), organisation_name=_clean(a.organisation),
                                   participant_kind=_clean(a.participant_kind), country=_clean(a.country), consent_public=a.consent_public,
                                   answers={k: _clean(v) for k, v in a.answers.items()}) for a in payload.attendees]
    user = request.user if request.user.is_authenticated else None
    created = services.registrations_create(event=event, attendees=attendees, actor=user, ip=client_ip(request), honeypot=payload.website,
                                            on_behalf=len(attendees) > 1, contact_name=_clean(payload.contact_name), consent=consent)
    return Status(201, created)


@router.get("/certificates/{number}", auth=None, response={200: CertificateOut, **ERROR_RESPONSES},
            summary="Check a certificate: genuine or revoked (404 when unknown)")
def verify_certificate(request: HttpRequest, number: str):
    certificate = selectors.certificate_lookup(number=_clean(number))
    if certificate is None:
        raise Http404
    return _certificate_out(certificate)


# -- staff ----------------------------------------------------------------------------------
def _event(request: HttpRequest, event_id: int) -> Event:
    return selectors.event_for_staff(user=request.auth, pk=event_id)


def _registration(request: HttpRequest, registration_id: int) -> Registration:
    if not user_has_role(request.auth, permissions.MODERATE_REGISTRATIONS):
        raise PermissionDenied
    return get_object_or_404(Registration.objects.select_related("event"), pk=registration_id)


@router.get("/manage/events/{event_id}/registrations", response={200: list[RegistrationStaffOut], **ERROR_RESPONSES},
            summary="Every registration of an event (staff), the waiting list in its order")
@paginate(PagePagination)
def list_registrations(request: HttpRequest, event_id: int, filters: Query[RegistrationFilters]):
    event = _event(request, event_id)
    return selectors.registrations_for_staff(user=request.auth, event=event, query=_clean(filters.q), state=_clean(filters.state))


@router.post("/manage/registrations/{registration_id}/approve", response={200: RegistrationStaffOut, **ERROR_RESPONSES}, summary="Approve a registration")
def approve(request: HttpRequest, registration_id: int):
    return services.registration_approve(registration=_registration(request, registration_id), actor=request.auth)


@router.post("/manage/registrations/{registration_id}/refuse", response={200: RegistrationStaffOut, **ERROR_RESPONSES},
             summary="Refuse a registration, with the reason the attendee reads")
def refuse(request: HttpRequest, registration_id: int, payload: RegistrationReasonIn):
    return services.registration_refuse(registration=_registration(request, registration_id), actor=request.auth, reason=_clean(payload.reason))


@router.post("/manage/registrations/{registration_id}/cancel", response={200: RegistrationStaffOut, **ERROR_RESPONSES},
             summary="Cancel a registration (the first on the waiting list takes the place)")
def cancel(request: HttpRequest, registration_id: int, payload: RegistrationReasonIn):
    return services.registration_cancel(registration=_registration(request, registration_id), actor=request.auth, reason=_clean(payload.reason))


@router.post("/manage/events/{event_id}/checkins", response={200: CheckinOut, **ERROR_RESPONSES},
             summary="Check in by a scanned code: checked_in, already, forged, other_event or not_confirmed")
def check_in(request: HttpRequest, event_id: int, payload: CheckinIn):
    if not user_has_role(request.auth, permissions.CHECK_IN):
        raise PermissionDenied
    event = _event(request, event_id)
    session = get_object_or_404(event.sessions, pk=payload.session) if payload.session else None
    result = services.checkin_by_code(event=event, code=_clean(payload.code), actor=request.auth, session=session, scanned_at=payload.scanned_at)
    return {"status": result.status, "ok": result.ok, "message": result.message, "name": result.registration.name if result.registration else ""}


@router.post("/manage/events/{event_id}/certificates", response={200: list[CertificateOut], **ERROR_RESPONSES},
             summary="Issue certificates to the attendees who qualify (those issued already are left)")
def issue_certificates(request: HttpRequest, event_id: int):
    event = _event(request, event_id)
    return [_certificate_out(c) for c in services.certificates_issue(event=event, actor=request.auth)]


@router.post("/manage/certificates/{number}/revoke", response={200: CertificateOut, **ERROR_RESPONSES}, summary="Revoke a certificate, with the reason")
def revoke_certificate(request: HttpRequest, number: str, payload: RegistrationReasonIn):
    if not user_has_role(request.auth, permissions.REVOKE_CERTIFICATES):
        raise PermissionDenied
    certificate = selectors.certificate_lookup(number=_clean(number))
    if certificate is None:
        raise Http404
    return _certificate_out(services.certificate_revoke(certificate=certificate, actor=request.auth, reason=_clean(payload.reason)))
