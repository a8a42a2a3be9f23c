"""Pages of events: the public list, series and event pages, registration (one person or a
delegation), the attendee's page (QR code, .ics, cancel, certificate, feedback), the
calendar feed and certificate verification; staff pages for events, registrations,
check-in on a phone, reports and certificates. Views call services and selectors only."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from innohub.core.client_ip import client_ip
from innohub.core.errors import ApplicationError
from innohub.core.pagination import paginate
from innohub.core.permissions import login_required, public, role_required, user_has_role
from innohub.events import calendar, certificates, exports, forms, permissions, selectors, services
from innohub.events.codes import attendee_token, checkin_code, qr_svg
from innohub.events.models import Certificate, Event, Registration, Session
from innohub.events.seo import event_json_ld
from innohub.events.workflows import REGISTRATION_SPEC, attendee_label, has_flag, staff_label
from innohub.forms import answers_display


def _apply_errors(form: Any, exc: ApplicationError, mapping: dict[str, str] | None = None) -> None:
    placed = False
    for key, message in (exc.extra or {}).items():
        if key == "problems":
            continue
        name = (mapping or {}).get(key, key)
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


# -- public ---------------------------------------------------------------------------------
@public
def event_list(request: HttpRequest, past: bool = False) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.events_public(past=past, query=query), per_page=12)
    return TemplateResponse(request, "events/list.html", {"page": page, "past": past, "query": query, "series": selectors.series_all()})


@public
def event_list_past(request: HttpRequest) -> HttpResponse:
    return event_list(request, past=True)


@public
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.series_public_get(slug=slug)
    page = paginate(request, selectors.events_public(series=series) | selectors.events_public(series=series, past=True), per_page=20)
    return TemplateResponse(request, "events/series.html", {"series": series, "page": page})


def _event_context(request: HttpRequest, event: Event) -> dict[str, Any]:
    taken = services.seats_taken(event)
    return {
        "event": event, "dates": selectors.event_dates(event), "json_ld": event_json_ld(event, request),
        "seats_left": None if event.capacity is None else max(event.capacity - taken, 0),
        "closed_reason": services.registration_open_problem(event),
        "participants": selectors.public_participants(event)[:200],
        "sessions": list(event.sessions.all()),
    }


@public
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_public_get(slug=slug, user=request.user)
    return TemplateResponse(request, "events/detail.html", _event_context(request, event))


def _attendee_from(data: dict[str, Any], form: Any) -> services.Attendee:
    return services.Attendee(
        name=data.get("name", ""), email=data.get("email", ""), organisation_name=data.get("organisation_name", ""),
        participant_kind=data.get("participant_kind", ""), country=data.get("country", "VN"),
        consent_public=bool(data.get("consent_public")), answers=form.answers() if hasattr(form, "answers") else {},
    )


@public
def register(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_public_get(slug=slug, user=request.user)
    initial = {}
    if request.user.is_authenticated:
        initial = {"name": request.user.display_name, "email": request.user.email}
    form = forms.RegistrationForm(request.POST or None, event=event, initial=initial)
    closed = services.registration_open_problem(event)
    if request.method == "POST" and not closed and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.registration_create(
                event=event, attendee=_attendee_from(data, form), actor=request.user, ip=client_ip(request), honeypot=data.get("website", ""),
                consent="events.register")
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("events:attendee", token=attendee_token(registration))
    context = {"event": event, "form": form, "closed_reason": closed, "dates": selectors.event_dates(event)}
    return TemplateResponse(request, "events/register.html", context, status=400 if form.errors else 200)


@public
def register_group(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_public_get(slug=slug, user=request.user)
    initial = {"contact_name": request.user.display_name, "contact_email": request.user.email} if request.user.is_authenticated else {}
    form = forms.DelegationForm(request.POST or None, event=event, initial=initial)
    closed = services.registration_open_problem(event)
    if request.method == "POST" and not closed and form.is_valid():
        data = form.cleaned_data
        attendees = [services.Attendee(name=name, email=email, organisation_name=data["organisation_name"], participant_kind=data["participant_kind"],
                                       country=data["country"], consent_public=bool(data.get("consent_public")), answers=form.answers())
                     for name, email in data["members"]]
        try:
            created = services.registrations_create(event=event, attendees=attendees, actor=request.user, ip=client_ip(request),
                                                    honeypot=data.get("website", ""), on_behalf=True, contact_name=data["contact_name"],
                                                    consent="events.register_group")
        except ApplicationError as exc:
            mapping = {}
            for i in range(forms.DELEGATION_ROWS):
                mapping[f"{i}-name"], mapping[f"{i}-email"] = f"member_{i}_name", f"member_{i}_email"
            mapping.update({"name": "member_0_name", "email": "member_0_email"})
            _apply_errors(form, _renumber(exc, data["members"], form), mapping)
        else:
            if len(created) == 1:
                return redirect("events:attendee", token=attendee_token(created[0]))
            return _group_done(request, event, created)
    context = {"event": event, "form": form, "closed_reason": closed, "dates": selectors.event_dates(event)}
    return TemplateResponse(request, "events/register_group.html", context, status=400 if form.errors else 200)


def _renumber(exc: ApplicationError, members: list[tuple[str, str]], form: Any) -> ApplicationError:
    """Problems keyed by the attendee's index among the rows filled map back to the form's rows."""
    filled = [i for i in range(forms.DELEGATION_ROWS) if (form.cleaned_data.get(f"member_{i}_name") or "").strip()]
    extra = {}
    for key, message in (exc.extra or {}).items():
        index, sep, rest = key.partition("-")
        if sep and index.isdigit() and int(index) < len(filled):
            extra[f"{filled[int(index)]}-{rest}"] = message
        else:
            extra[key] = message
    return ApplicationError(exc.message, extra=extra, code=exc.code)


def _group_done(request: HttpRequest, event: Event, created: list[Registration]) -> HttpResponse:
    rows = [{"registration": r, "state": attendee_label(r.state), "url": reverse("events:attendee", args=[attendee_token(r)])} for r in created]
    return TemplateResponse(request, "events/group_done.html", {"event": event, "rows": rows, "dates": selectors.event_dates(event)})


@public
def attendee_page(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.attendee_registration(token=token)
    event = registration.event
    holds_ticket = has_flag(registration.state, "confirmed") or has_flag(registration.state, "attended")
    certificate = Certificate.objects.filter(registration=registration).first()
    context = {
        "registration": registration, "event": event, "token": token, "dates": selectors.event_dates(event),
        "state_label": attendee_label(registration.state), "holds_ticket": holds_ticket,
        "qr": qr_svg(checkin_code(registration), title=_("QR code for check-in")) if holds_ticket else "",
        "waiting_rank": services.waiting_rank(registration),
        "cancellable": has_flag(registration.state, "cancellable") and not event.is_past,
        "is_waiting": has_flag(registration.state, "waiting"), "is_cancelled": has_flag(registration.state, "cancelled"),
        "is_refused": has_flag(registration.state, "refused"), "awaiting": has_flag(registration.state, "awaiting_approval"),
        "certificate": certificate,
        "feedback_open": bool(event.feedback_form_id) and has_flag(registration.state, "attended") and not hasattr(registration, "feedback"),
        "answers": answers_display(registration.form.schema, registration.answers) if registration.form else [],
    }
    return TemplateResponse(request, "events/attendee.html", context)


@public
def attendee_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.attendee_registration(token=token)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, actor=request.user, token_checked=True)
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("events:attendee", token=token)
    return TemplateResponse(request, "events/attendee_cancel.html", {"registration": registration, "event": registration.event, "token": token,
                                                                     "dates": selectors.event_dates(registration.event)})


@public
@require_GET
def attendee_qr(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.attendee_registration(token=token)
    if not (has_flag(registration.state, "confirmed") or has_flag(registration.state, "attended")):
        raise Http404
    return HttpResponse(qr_svg(checkin_code(registration), scale=8), content_type="image/svg+xml")


@public
@require_GET
def attendee_certificate(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.attendee_registration(token=token)
    certificate = Certificate.objects.filter(registration=registration, revoked=False).first()
    if certificate is None:
        raise Http404
    response = HttpResponse(certificates.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@public
@require_GET
def attendee_badge(request: HttpRequest, token: str) -> HttpResponse:
    """The certificate as an Open Badges 3.0 credential (JSON-LD), to keep in a digital wallet."""
    from innohub.events.badges import open_badge

    registration = selectors.attendee_registration(token=token)
    certificate = Certificate.objects.filter(registration=registration, revoked=False).select_related("registration__event").first()
    if certificate is None:
        raise Http404
    response = JsonResponse(open_badge(certificate), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/ld+json"
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.json"'
    return response


@public
def attendee_feedback(request: HttpRequest, token: str) -> HttpResponse:
    from innohub.events.services.feedback import feedback_give
    from innohub.forms import SchemaForm

    registration = selectors.attendee_registration(token=token)
    event = registration.event
    if event.feedback_form is None:
        raise Http404
    form = SchemaForm(request.POST or None, schema=event.feedback_form.schema, enforce_required=True)
    if request.method == "POST" and form.is_valid():
        try:
            feedback_give(registration=registration, answers=form.answers())
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:attendee", token=token)
    return TemplateResponse(request, "events/feedback.html", {"form": form, "event": event, "token": token}, status=400 if form.errors else 200)


@login_required
def my_registrations(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.my_registrations(user=request.user))
    rows = [{"r": r, "state": attendee_label(r.state), "url": reverse("events:attendee", args=[attendee_token(r)])} for r in page.object_list]
    return TemplateResponse(request, "events/mine.html", {"page": page, "rows": rows})


@public
@require_GET
def event_ics_download(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_public_get(slug=slug, user=request.user)
    response = HttpResponse(calendar.event_ics(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@public
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    return HttpResponse(calendar.feed_ics(selectors.events_feed()), content_type="text/calendar; charset=utf-8")


@public
def certificate_verify(request: HttpRequest) -> HttpResponse:
    form = forms.VerifyForm(request.GET or None)
    certificate, searched = None, False
    if form.is_bound and form.is_valid():
        searched = True
        certificate = selectors.certificate_lookup(number=form.cleaned_data["number"])
    return TemplateResponse(request, "events/verify.html", {"form": form, "certificate": certificate, "searched": searched},
                            status=404 if searched and certificate is None else 200)


# -- staff ----------------------------------------------------------------------------------
MANAGE = permissions.MANAGE_EVENTS


@role_required(MANAGE)
def staff_events(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.events_for_staff(user=request.user, query=query))
    return TemplateResponse(request, "events/staff_events.html", {"page": page, "query": query})


@role_required(MANAGE)
def staff_event(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    report = selectors.event_report(user=request.user, event=event)
    context = {"event": event, "dates": selectors.event_dates(event), "report": report, "reason_form": forms.ReasonForm(auto_id="cancel_%s")}
    return TemplateResponse(request, "events/staff_event.html", context)


@role_required(MANAGE)
def staff_event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk) if pk else Event()
    form = forms.EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        m2m = {name: form.cleaned_data[name] for name in ("organisers", "partners", "speakers", "sectors")}
        try:
            saved = services.event_save(event=form.save(commit=False), actor=request.user, m2m=m2m)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The event is saved."))
            return redirect("events:staff-event", pk=saved.pk)
    return TemplateResponse(request, "events/staff_event_edit.html", {"form": form, "event": event}, status=400 if form.errors else 200)


@role_required(MANAGE)
@require_POST
def staff_event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    try:
        services.event_publish(event=event, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The event is published."))
    return redirect("events:staff-event", pk=pk)


@role_required(MANAGE)
@require_POST
def staff_event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    try:
        services.event_cancel(event=event, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The event is cancelled; everyone registered is told."))
    return redirect("events:staff-event", pk=pk)


@role_required(MANAGE)
def staff_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(event=event, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The session is added."))
            return redirect("events:sessions", pk=pk)
    return TemplateResponse(request, "events/staff_sessions.html", {"event": event, "form": form, "sessions": list(event.sessions.all())},
                            status=400 if form.errors else 200)


@role_required(MANAGE)
@require_POST
def staff_session_remove(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("event"), pk=pk)
    try:
        services.session_remove(session=session, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The session is removed."))
    return redirect("events:sessions", pk=session.event_id)


@role_required(MANAGE)
def staff_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    form = forms.RegistrationSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rows = selectors.registrations_for_staff(user=request.user, event=event, query=data.get("q", ""), state=data.get("state", ""))
    page = paginate(request, rows, per_page=50)
    items = [{"r": r, "state": staff_label(r.state), "waiting": has_flag(r.state, "waiting"),
              "actions": [t for t in REGISTRATION_SPEC.transitions_from(r.state) if "staff" in t.roles]} for r in page.object_list]
    return TemplateResponse(request, "events/staff_registrations.html", {
        "event": event, "form": form, "page": page, "items": items, "query": request.GET.urlencode()})


@role_required(MANAGE)
@require_GET
def staff_registrations_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    public_only = request.GET.get("public") == "1"
    return exports.registrations_response(user=request.user, event=event, fmt=fmt, public_only=public_only)


@role_required(permissions.MODERATE_REGISTRATIONS)
@require_POST
def staff_registration_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "approve":
            services.registration_approve(registration=registration, actor=request.user)
        elif action == "refuse":
            services.registration_refuse(registration=registration, actor=request.user, reason=reason)
        elif action == "cancel":
            services.registration_cancel(registration=registration, actor=request.user, reason=reason)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, f"{registration.name}: {exc.message}")
    else:
        messages.success(request, _("%(name)s: done.") % {"name": registration.name})
    return redirect(reverse("events:registrations", args=[registration.event_id]) + ("?" + request.POST.get("back", "") if request.POST.get("back") else ""))


def _session_of(request: HttpRequest, event: Event) -> Session | None:
    """The session checked in at: the one asked for ("0": the whole event); by default a
    course's session under way or next (its attendance is what certificates count)."""
    value = request.GET.get("session") or request.POST.get("session")
    if value == "0":
        return None
    if not value:
        from django.utils import timezone

        sessions = list(event.sessions.all())
        upcoming = [s for s in sessions if s.ends_at >= timezone.now()]
        return upcoming[0] if upcoming else (sessions[-1] if sessions else None)
    try:
        return event.sessions.get(pk=int(value))
    except (ValueError, Session.DoesNotExist):
        raise Http404 from None


# the scanner decodes a photo of a code (a blob: image) in the page; the camera stream needs no source
@csp_update({"img-src": ["blob:"]})
@role_required(permissions.CHECK_IN)
def staff_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    session = _session_of(request, event)
    return TemplateResponse(request, "events/checkin.html", {
        "event": event, "session": session, "sessions": list(event.sessions.all()), "walkin_form": forms.WalkInForm(),
        "checked_in": len(selectors.checked_in_ids(event=event, session=session)), "dates": selectors.event_dates(event),
    })


def _result_json(result: services.CheckinResult) -> JsonResponse:
    return JsonResponse({"status": result.status, "ok": result.ok, "message": result.message,
                         "name": result.registration.name if result.registration else "",
                         "organisation": result.registration.organisation_name if result.registration else ""})


@role_required(permissions.CHECK_IN)
@require_POST
def staff_checkin_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """A scanned code (or a registration picked by name) from the check-in page, as JSON;
    the page's offline queue sends the time each was scanned."""
    event = selectors.event_for_staff(user=request.user, pk=pk)
    session = _session_of(request, event)
    scanned_at = parse_datetime(request.POST.get("scanned_at", "") or "")
    try:
        if request.POST.get("registration"):
            registration = get_object_or_404(Registration, pk=int(request.POST["registration"]), event=event)
            result = services.checkin_record(registration=registration, actor=request.user, session=session, scanned_at=scanned_at)
        else:
            result = services.checkin_by_code(event=event, code=request.POST.get("code", "")[:500], actor=request.user, session=session,
                                              scanned_at=scanned_at)
    except (ApplicationError, ValueError) as exc:
        return JsonResponse({"status": "error", "ok": False, "message": str(getattr(exc, "message", exc))}, status=400)
    return _result_json(result)


@role_required(permissions.CHECK_IN)
@require_GET
def staff_checkin_search(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    session = _session_of(request, event)
    found = selectors.checkin_candidates(user=request.user, event=event, query=request.GET.get("q", "")[:100])
    done = selectors.checked_in_ids(event=event, session=session)
    return JsonResponse({"results": [{"id": r.pk, "name": r.name, "organisation": r.organisation_name, "state": staff_label(r.state),
                                      "checked_in": r.pk in done} for r in found]})


@role_required(permissions.CHECK_IN)
@require_POST
def staff_walkin(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    session = _session_of(request, event)
    form = forms.WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.walkin_register(event=event, attendee=services.Attendee(**{k: data[k] for k in ("name", "email", "organisation_name", "participant_kind", "country")}),
                                              actor=request.user, session=session)
        except ApplicationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, result.message)
            return redirect(reverse("events:checkin", args=[pk]) + f"?session={session.pk if session else 0}")
    return TemplateResponse(request, "events/checkin.html", {
        "event": event, "session": session, "sessions": list(event.sessions.all()), "walkin_form": form, "walkin_open": True,
        "checked_in": len(selectors.checked_in_ids(event=event, session=session)), "dates": selectors.event_dates(event),
    }, status=400)


@role_required(MANAGE)
def staff_report(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    report = selectors.event_report(user=request.user, event=event)
    for row in report["by_country"]:
        row["label"] = forms.country_name(row["label"])
    return TemplateResponse(request, "events/report.html", {"event": event, "report": report, "dates": selectors.event_dates(event)})


@role_required(MANAGE)
@require_GET
def staff_report_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    return exports.report_response(user=request.user, event=event, fmt=fmt)


@role_required(MANAGE)
def staff_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for_staff(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            issued = services.certificates_issue(event=event, actor=request.user)
        except (ApplicationError, PermissionDenied) as exc:
            messages.error(request, str(getattr(exc, "message", "")) or _("You may not do this."))
        else:
            messages.success(request, _("%(n)s certificate(s) issued.") % {"n": len(issued)})
        return redirect("events:certificates", pk=pk)
    page = paginate(request, selectors.certificates_for_staff(user=request.user, event=event), per_page=50)
    may_revoke = user_has_role(request.user, permissions.REVOKE_CERTIFICATES)
    return TemplateResponse(request, "events/staff_certificates.html", {"event": event, "page": page, "may_revoke": may_revoke})


@role_required(permissions.REVOKE_CERTIFICATES)
@require_POST
def staff_certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = get_object_or_404(Certificate.objects.select_related("registration"), pk=pk)
    try:
        services.certificate_revoke(certificate=certificate, actor=request.user, reason=request.POST.get("reason", ""))
    except ApplicationError as exc:
        messages.error(request, f"{certificate.number}: {exc.message}")
    else:
        messages.success(request, _("Certificate %(number)s is revoked.") % {"number": certificate.number})
    return redirect("events:certificates", pk=certificate.registration.event_id)


@role_required(MANAGE)
def staff_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    from innohub.events.services.feedback import feedback_summary

    event = selectors.event_for_staff(user=request.user, pk=pk)
    return TemplateResponse(request, "events/staff_feedback.html", {"event": event, "summary": feedback_summary(event=event)})
