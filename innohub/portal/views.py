"""The public site's shell: home page, where to go after logging in, the user's space."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from innohub.accounts.selectors import organisations_of
from innohub.activity.selectors import notification_list
from innohub.core.permissions import login_required, public, user_has_role
from innohub.core.roles import BACKOFFICE_ROLES, Role
from innohub.portal.selectors import home_hubs
from innohub.programs.selectors import (
    applicant_next_step,
    application_list,
    open_calls_with_ceilings,
    stage_list,
)
from innohub.qa.selectors import questions_asked_by


@public
def home(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "portal/home.html", {"stages": stage_list(), "hubs": home_hubs(), "open_calls": open_calls_with_ceilings()}
    )


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    if user_has_role(request.user, BACKOFFICE_ROLES):
        return redirect("backoffice:dashboard")
    return redirect("portal:my-space")


@login_required
def my_space(request: HttpRequest) -> HttpResponse:
    applications: list[tuple[Any, dict[str, str]]] = []
    if user_has_role(request.user, {Role.APPLICANT}):
        applications = [(a, applicant_next_step(a)) for a in application_list(user=request.user)[:10]]
    return TemplateResponse(
        request,
        "portal/my_space.html",
        {
            "organisations": organisations_of(user=request.user)[:20],  # type: ignore[arg-type]
            "notifications": notification_list(user=request.user)[:5],
            "questions": questions_asked_by(user=request.user)[:5],
            "applications": applications,
        },
    )
