"""/healthz, /readyz and /metrics as a load balancer and a monitoring system use them, and the
request id every response and log line carries."""

from __future__ import annotations

import json
import logging

import pytest
from django.db import connection
from django.test import Client

from innohub.ops import checks
from innohub.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_asking_anything():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_reports_each_check_and_nothing_else(users):
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "migrations", "tasks"}
    assert all(check["ok"] for check in body["checks"].values())
    text = response.content.decode()
    for secret in (connection.settings_dict["NAME"], "password", "@", users["officer"].username):
        assert str(secret) not in text


def test_readyz_is_unavailable_when_the_database_is(monkeypatch):
    def broken():
        raise OSError("connection refused to db.internal:5432")

    monkeypatch.setattr(checks, "database", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "db.internal" not in response.content.decode()


def test_readyz_reports_a_late_task_queue_without_leaving_service(settings, monkeypatch):
    monkeypatch.setattr(checks, "task_lag", lambda: {"ok": False, "ready": 12, "lag_seconds": 900.0, "limit_seconds": 300})
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


def test_task_lag_reads_the_database_queue(settings):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult, get_date_max

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.READYZ_TASK_LAG_SECONDS = 60
    assert checks.task_lag() == {"ok": True, "ready": 0, "lag_seconds": 0, "limit_seconds": 60}
    DBTaskResult.objects.create(task_path="innohub.activity.tasks.deliver_notification_email", args_kwargs={"args": [], "kwargs": {}},
                                queue_name="default", backend_name="default", priority=0, status="READY", run_after=get_date_max())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=5))
    lag = checks.task_lag()
    assert lag["ready"] == 1 and lag["lag_seconds"] >= 299 and lag["ok"] is False


def test_health_endpoints_are_not_rate_limited():
    client = Client()
    assert all(client.get("/healthz").status_code == 200 for _ in range(50))


def test_metrics_are_served_only_to_the_token_or_an_allowed_address(settings):
    client = Client()
    assert client.get("/metrics").status_code == 404  # neither configured: not served
    settings.METRICS_TOKEN = "s3cret-token-for-prometheus"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token-for-prometheus")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert "innohub_tasks_lag_seconds" in text
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.5"]
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.6").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.0.0.5").status_code == 200


def test_a_request_id_is_taken_or_made_and_returned():
    client = Client()
    given = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")
    assert given["X-Request-ID"] == "lb-7f3a9c21-0001"
    made = client.get("/healthz")
    assert len(made["X-Request-ID"]) == 32
    forged = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert forged["X-Request-ID"] != "bad id\nwith newline" and len(forged["X-Request-ID"]) == 32


def test_every_log_line_of_a_request_carries_its_id_as_json(caplog):
    caplog.set_level(logging.INFO)
    handler = caplog.handler
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    Client().get("/readyz", HTTP_X_REQUEST_ID="trace-0123456789")
    lines = [json.loads(handler.format(r)) for r in caplog.records]
    request_lines = [line for line in lines if line["logger"] == "innohub.request"]
    assert request_lines and request_lines[0]["request_id"] == "trace-0123456789"
    assert request_lines[0]["status"] == 200 and request_lines[0]["path"] == "/readyz"
    assert {"time", "level", "message"} <= set(request_lines[0])
