"""Log in (throttled by django-axes), log out, sign up, password reset."""

from __future__ import annotations

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


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/password_reset_email.txt",
    subject_template_name="accounts/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
