"""`/healthz` (the process answers), `/readyz` (it can serve: database, cache, migrations; and the
background queue's lag) and `/metrics` (Prometheus, for a scraper holding the token or on the
allow-list). Public and outside the language prefixes and rate limits, they reveal no personal data
and nothing about the configuration: a check's name, true or false, a duration, counts."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from innohub.core.client_ip import client_ip
from innohub.core.permissions import public
from innohub.ops import checks

logger = logging.getLogger(__name__)


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    try:
        return check()
    except Exception:  # any failure of a dependency means "not ready"; the log says which and why
        logger.exception("readiness check %s failed", check.__name__)
        return {"ok": False}


@public
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the schema are ready, 503 otherwise. A late task queue
    is reported (`tasks.ok` false, status "degraded") without taking the server out of service:
    the workers are late, not this server."""
    results = {"database": _run(checks.database), "cache": _run(checks.cache_check)}
    results["migrations"] = _run(checks.migrations) if results["database"]["ok"] else {"ok": False}
    results["tasks"] = _run(checks.task_lag) if results["database"]["ok"] else {"ok": False}
    ready = all(results[name]["ok"] for name in ("database", "cache", "migrations"))
    status = "ok" if ready and results["tasks"]["ok"] else ("degraded" if ready else "unavailable")
    return JsonResponse({"status": status, "checks": results}, status=200 if ready else 503)




def metrics_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return True
    return bool(settings.METRICS_ALLOWED_IPS) and client_ip(request) in settings.METRICS_ALLOWED_IPS


@public
@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """django-prometheus' exposition (requests, latencies, responses by status, migrations), and
    the task queue's gauges. Not found unless the scraper is recognised: nothing to probe for."""
    if not metrics_allowed(request):
        raise Http404
    from django_prometheus.exports import ExportToDjangoView

    response = ExportToDjangoView(request)
    try:
        lag = checks.task_lag()
    except Exception:
        logger.exception("task lag for /metrics")
        return response
    response.content = response.content + (
        "# HELP innohub_tasks_ready Background tasks ready to run, waiting for a worker.\n"
        "# TYPE innohub_tasks_ready gauge\n"
        f"innohub_tasks_ready {lag['ready']}\n"
        "# HELP innohub_tasks_lag_seconds How long the oldest ready task has waited.\n"
        "# TYPE innohub_tasks_lag_seconds gauge\n"
        f"innohub_tasks_lag_seconds {lag['lag_seconds']}\n"
    ).encode()
    return response
