"""The staff site's shell: the dashboard every back-office role lands on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from innohub.backoffice.selectors import dashboard_figures
from innohub.core.permissions import role_required
from innohub.core.roles import BACKOFFICE_ROLES


@role_required(BACKOFFICE_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "backoffice/dashboard.html", dashboard_figures(user=request.user))
