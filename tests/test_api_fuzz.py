"""Schemathesis fuzzes every operation of the OpenAPI description: no input may cause a 5xx.

Requests are authenticated as an administrator (who may reach every operation), so the
fuzzer gets past authentication into the handlers; anonymous access is covered by the
permission matrix.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from innohub.accounts.services import api_token_create

# Generating the OpenAPI description touches no database, so it can load at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests through the raw WSGI app fire request_started/finished, whose handler closes
    the database connection; inside a test's transaction that would lose it (PostgreSQL).
    Django's own test client detaches the handler the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(users):
    _token, key = api_token_create(user=users["administrator"], name="fuzz")
    return key


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, admin_token):
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    headers = {k.lower(): v for k, v in response.headers.items()}
    if response.status_code >= 400 and response.status_code != 405:  # 405 comes from Django's router
        content_type = headers["content-type"]
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), (response.status_code, headers)
