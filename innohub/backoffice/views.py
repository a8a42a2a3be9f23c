"""The staff site's shell: the dashboard every back-office role lands on, with the work
queues of the user's role (`core.queues`); ``?queue=<code>`` lists one queue whole, paginated."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from innohub.backoffice.selectors import dashboard_figures
from innohub.core import queues
from innohub.core.pagination import paginate
from innohub.core.permissions import role_required
from innohub.core.roles import BACKOFFICE_ROLES


@role_required(BACKOFFICE_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("queue", "")
    if code:
        queue = queues.queue_get(request.user, code)
        if queue is None:
            raise Http404
        page = paginate(request, queue.read(request.user), per_page=50)
        return TemplateResponse(request, "backoffice/queue.html", {"queue": queue, "page": page, "rows": list(page)})
    context = dashboard_figures(user=request.user)
    context["queues"] = queues.landing(request.user)
    return TemplateResponse(request, "backoffice/dashboard.html", context)
