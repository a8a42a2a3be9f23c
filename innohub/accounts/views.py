"""Log in (throttled by django-axes), log out, sign up, password reset (rate-limited)."""

from __future__ import annotations

import base64
import hashlib
from typing import cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticToken

from innohub.accounts import reauth, services
from innohub.accounts.forms import (
    LoginForm,
    ReauthenticateForm,
    SignupForm,
    TwoFactorCodeForm,
    TwoFactorEnrolForm,
)
from innohub.accounts.lockout import normalise_login
from innohub.accounts.models import User
from innohub.accounts.two_factor import is_verified, requires_two_factor
from innohub.core import personal_data
from innohub.core.client_ip import client_ip_or_empty
from innohub.core.errors import ApplicationError
from innohub.core.permissions import login_required
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.core.roles import Role

SIGNUPS_PER_HOUR_PER_IP = 10


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["idle_timeout"] = self.request.GET.get("idle") == "1"
        return context


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:after-login")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and rate_limit_exceeded(
        scope="signup", key=client_ip_or_empty(request), limit=SIGNUPS_PER_HOUR_PER_IP, window_seconds=3600
    ):
        messages.error(request, _("Too many accounts were created from your network. Try again in an hour."))
        return TemplateResponse(request, "accounts/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user = services.user_create(
                username=data["username"],
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                role=Role.APPLICANT if data["is_startup"] else Role.VISITOR,
                language=request.LANGUAGE_CODE,
            )
            personal_data.consent_record(purpose="accounts.signup", target=user, actor=user)
        login(request, user, backend="innohub.accounts.backends.EmailOrUsernameBackend")
        messages.success(request, _("Welcome to innohub. Your account is ready."))
        return redirect("portal:after-login")
    return TemplateResponse(request, "accounts/signup.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per e-mail typed.

    The limit by e-mail counts whatever is typed, account or not, so a refusal says nothing
    about whether an account uses the address.
    """

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def form_valid(self, form):
        email_key = hashlib.sha256(normalise_login(form.cleaned_data["email"]).encode()).hexdigest()
        if rate_limit_exceeded(
            scope="password-reset", key=client_ip_or_empty(self.request),
            limit=settings.PASSWORD_RESET_LIMIT_PER_HOUR, window_seconds=3600,
        ) or rate_limit_exceeded(
            scope="password-reset-email", key=email_key,
            limit=settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT_PER_HOUR, window_seconds=3600,
        ):
            messages.error(self.request, _("Too many password reset requests were made from your network or for this address. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")


# --- two-factor authentication (innohub/accounts/two_factor.py) ---

def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("portal:after-login")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app (QR code and the key to type), then show the recovery codes
    once; an enrolled account, once verified, sees its state and may replace its recovery codes."""
    user = cast(User, request.user)
    if not requires_two_factor(user):  # nothing to do for an account without a second step
        return redirect(_next_url(request))
    if user_has_device(user):
        if not is_verified(user):  # a password alone never enrols a new device over an old one
            return redirect(f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': _next_url(request)})}")
        if request.method == "POST" and request.POST.get("action") == "replace-codes":
            codes = services.two_factor_recovery_codes_replace(user=user)
            return TemplateResponse(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
        left = StaticToken.objects.filter(device__user=user).count()
        return TemplateResponse(request, "accounts/two_factor_status.html", {"codes_left": left})
    device = services.two_factor_device_pending(user=user)
    form = TwoFactorEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_confirm(user=user, token=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", str(exc.message))
        else:
            otp_login(request, device)
            return TemplateResponse(request, "accounts/two_factor_codes.html", {"codes": codes, "next": _next_url(request)})
    key = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)),  # noqa: S308 - segno's own SVG of our URL
        "key_groups": [key[i:i + 4] for i in range(0, len(key), 4)],
        "next": _next_url(request),
    }
    return TemplateResponse(request, "accounts/two_factor_setup.html", context, status=200 if form.is_bound is False or form.is_valid() else 400)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a staff log-in: a code from the authenticator app or a recovery code."""
    user = cast(User, request.user)
    if not requires_two_factor(user):  # nothing to do for an account without a second step
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect(f"{reverse('accounts:two-factor-setup')}?{urlencode({'next': _next_url(request)})}")
    if is_verified(user):
        return redirect(_next_url(request))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_verify(user=user, token=form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("This code was not accepted. Enter the code your app shows now (after a wrong code, wait a few seconds), or an unused recovery code."))
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)}, status=status)


# --- re-authentication before decisions on money (innohub/accounts/reauth.py) ---

@login_required
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm the password or a code from the app; then back to what the person was doing: the
    POST kept aside is sent again (the page posts it by itself, or with its button), or the
    page they came from opens."""
    user = cast(User, request.user)
    with_code = requires_two_factor(user) and user_has_device(user)
    form = ReauthenticateForm(request.POST or None, with_code=with_code)
    token = request.POST.get("resume") or request.GET.get("resume") or ""
    target = _next_url(request)
    pending = reauth.pending_get(request, token) if token else None
    status = 200
    if request.method == "POST" and form.is_valid():
        failures_key = f"reauth-failures:{user.pk}"
        if cache.get(failures_key, 0) >= settings.REAUTH_FAILURES_PER_15_MINUTES:
            form.add_error(None, _("Too many attempts. Wait 15 minutes, or log out and log in again."))
            return TemplateResponse(request, "accounts/reauthenticate.html", {"form": form, "next": target, "resume": token}, status=429)
        data = form.cleaned_data
        confirmed = bool(data.get("password")) and user.check_password(data["password"])
        if not confirmed and with_code and data.get("code"):
            confirmed = services.two_factor_verify(user=user, token=data["code"]) is not None
        if confirmed:
            reauth.mark_reauthenticated(request)
            services.reauthentication_record(user=user, succeeded=True)
            if pending is not None:
                return TemplateResponse(request, "accounts/reauth_resume.html", {
                    "action": pending["path"], "token": token, "field": reauth.RESUME_FIELD})
            return redirect(target)
        services.reauthentication_record(user=user, succeeded=False)
        if not cache.add(failures_key, 1, timeout=900):
            cache.incr(failures_key)
        form.add_error(None, _("This password or code was not accepted. Try again."))
    if form.is_bound and form.errors:
        status = 400
    return TemplateResponse(request, "accounts/reauthenticate.html", {
        "form": form, "next": target, "resume": token if pending is not None else "", "kept": pending is not None,
        "minutes": settings.REAUTH_MAX_AGE_MINUTES}, status=status)
