"""The person's request page (and its e-mailed confirmation), the administrators' list and the
page of one request where it is carried out or refused."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from innohub.activity.selectors import event_history
from innohub.core.client_ip import client_ip
from innohub.core.errors import ApplicationError
from innohub.core.pagination import paginate
from innohub.core.permissions import public, role_required
from innohub.core.roles import ADMIN_ROLES
from innohub.privacy import selectors, services
from innohub.privacy.forms import CarryOutForm, RefuseForm, RequestForm
from innohub.privacy.models import DataRequest
from innohub.privacy.workflows import DATA_REQUEST_SPEC, state_label


@public
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            obj = services.request_submit(kind=data["kind"], email=data["email"], name=data["name"], details=data["details"],
                                          actor=request.user, ip=client_ip(request) or "")
        except ApplicationError as exc:
            form.add_error(None, str(exc.message))
        else:
            request.session["privacy_request"] = obj.pk
            return redirect("privacy:request-sent")
    return TemplateResponse(request, "privacy/request_new.html", {"form": form, "hours": settings.PRIVACY_REQUEST_DEADLINE_HOURS},
                            status=400 if form.errors else 200)


@public
def request_sent(request: HttpRequest) -> HttpResponse:
    obj = DataRequest.objects.filter(pk=request.session.get("privacy_request") or 0).first()
    if obj is None:
        return redirect("privacy:request-new")
    return TemplateResponse(request, "privacy/request_sent.html", {
        "obj": obj, "received": DATA_REQUEST_SPEC.has_flag(obj.state, "open")})


@public
def request_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to the address: a page with a button (a mail scanner opening the link
    confirms nothing); its POST receives the request."""
    try:
        obj = services.request_for_token(token)
    except ApplicationError as exc:
        return TemplateResponse(request, "privacy/request_confirm.html", {"error": str(exc.message)}, status=400)
    if request.method == "POST":
        obj = services.request_confirm(token=token, actor=request.user)
        request.session["privacy_request"] = obj.pk
        return redirect("privacy:request-sent")
    return TemplateResponse(request, "privacy/request_confirm.html", {"obj": obj, "pending": DATA_REQUEST_SPEC.has_flag(obj.state, "unconfirmed")})


@public
def export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The link e-mailed when an access request is carried out: a page with a button (opening
    the link downloads nothing, as the request's confirmation); its POST downloads the copy,
    for the requester only (``services.export_for_token``), audited. Never cached."""
    try:
        if request.method == "POST":
            obj, handle = services.export_download(token=token, actor=request.user)
            response: HttpResponseBase = FileResponse(handle, as_attachment=True, filename=f"du-lieu-ca-nhan-{obj.reference}.json",
                                                  content_type="application/json")
        else:
            obj = services.export_for_token(token, actor=request.user)
            response = TemplateResponse(request, "privacy/export.html", {"obj": obj})
    except services.ExportRefused as exc:
        response = TemplateResponse(request, "privacy/export.html", {"error": str(exc.message)}, status=exc.status)
    patch_cache_control(response, no_store=True, private=True)
    return response


@role_required(ADMIN_ROLES)
def request_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    if state not in DATA_REQUEST_SPEC.states:
        state = ""
    page = paginate(request, selectors.request_list(user=request.user, state=state))
    for obj in page.object_list:
        obj.state_label = state_label(obj.state)
    states = [(code, state_label(code)) for code in DATA_REQUEST_SPEC.states]
    return TemplateResponse(request, "privacy/request_list.html", {"page": page, "state": state, "states": states})


@role_required(ADMIN_ROLES)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = selectors.request_get(user=request.user, pk=pk)
    carry_form = CarryOutForm(request.POST if request.POST.get("action") == "carry_out" else None)
    refuse_form = RefuseForm(request.POST if request.POST.get("action") == "refuse" else None)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "carry_out" and carry_form.is_valid():
                services.request_carry_out(request=obj, actor=request.user, outcome=carry_form.cleaned_data["outcome"])
                messages.success(request, _("Request %(ref)s is carried out; the person is told.") % {"ref": obj.reference})
                return redirect("privacy:request", pk=pk)
            if request.POST.get("action") == "refuse" and refuse_form.is_valid():
                services.request_refuse(request=obj, actor=request.user, reason=refuse_form.cleaned_data["reason"])
                messages.success(request, _("Request %(ref)s is refused; the person is told why.") % {"ref": obj.reference})
                return redirect("privacy:request", pk=pk)
        except PermissionDenied:
            raise
        except ApplicationError as exc:
            form = carry_form if request.POST.get("action") == "carry_out" else refuse_form
            form.add_error(None, str(exc.message))
        status = 400
    return TemplateResponse(request, "privacy/request_detail.html", {
        "obj": obj, "state_label": state_label(obj.state), "open": DATA_REQUEST_SPEC.has_flag(obj.state, "open"),
        "closed": DATA_REQUEST_SPEC.has_flag(obj.state, "closed"), "carry_form": carry_form, "refuse_form": refuse_form,
        "history": event_history(user=request.user, target=obj), "overdue": obj.is_overdue,
    }, status=status)
