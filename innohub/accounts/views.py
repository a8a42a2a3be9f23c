"""Log in (throttled by django-axes), log out, sign up, password reset (rate-limited)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from innohub.accounts import services
from innohub.accounts.forms import LoginForm, SignupForm
from innohub.accounts.lockout import normalise_login
from innohub.core.ratelimit import rate_limit_exceeded
from innohub.core.roles import Role

SIGNUPS_PER_HOUR_PER_IP = 10


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("portal:after-login")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and rate_limit_exceeded(
        scope="signup", key=request.META.get("REMOTE_ADDR", ""), limit=SIGNUPS_PER_HOUR_PER_IP, window_seconds=3600
    ):
        messages.error(request, _("Too many accounts were created from your network. Try again in an hour."))
        return TemplateResponse(request, "accounts/signup.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = services.user_create(
            username=data["username"],
            email=data["email"],
            password=data["password"],
            full_name=data["full_name"],
            role=Role.APPLICANT if data["is_startup"] else Role.VISITOR,
            language=request.LANGUAGE_CODE,
        )
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
            scope="password-reset", key=self.request.META.get("REMOTE_ADDR", ""),
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
