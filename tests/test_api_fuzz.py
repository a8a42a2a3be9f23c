"""Schemathesis fuzzes every operation of the OpenAPI description: no input may cause a 5xx,
and every error is a problem detail (application/problem+json), 405 included.

Requests are authenticated as an administrator (who may reach every operation, so the fuzzer
gets past authentication into the handlers) and as an officer (whose selectors and refusals
differ), and as each other role with fewer examples; anonymous access is covered by the permission matrix. The number of examples per
operation is bounded so that both runs together stay under about a minute on a 2-core machine.
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


@pytest.fixture
def officer_token(users):
    _token, key = api_token_create(user=users["officer"], name="fuzz")
    return key


def check_response(case, token: str) -> None:
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    assert response.status_code < 500, f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:500]}"
    if response.status_code >= 400:
        headers = {k.lower(): v for k, v in response.headers.items()}
        content_type = headers.get("content-type", "")
        content_type = content_type[0] if isinstance(content_type, list) else content_type
        assert content_type.startswith("application/problem+json"), (case.method, case.formatted_path, response.status_code, headers)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=14, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail_for_an_administrator(case, admin_token):
    check_response(case, admin_token)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail_for_an_officer(case, officer_token):
    check_response(case, officer_token)


@pytest.fixture
def token_for(users):
    return lambda role: api_token_create(user=users[role], name="fuzz")[1]


@pytest.mark.slow  # about 300 cases: `make test` and CI run it, `make test-fast` leaves it out
@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "reviewer", "applicant", "visitor"])
@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail_for_every_other_role(case, role, token_for):
    """The other roles' selectors and refusals differ again (a reviewer sees only assigned
    applications, an applicant their organisation's, a citizen their questions): no 5xx and
    every error a problem for them too (issue 32)."""
    check_response(case, token_for(role))


@pytest.mark.django_db
def test_every_path_answers_a_method_it_lacks_with_a_405_problem(admin_token):
    # The fuzzer only sends the methods the description declares; every other method of every
    # path must be refused as a problem detail naming the allowed methods.
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {admin_token}")
    spec = client.get("/api/v1/openapi.json").json()
    seen = 0
    for path, operations in spec["paths"].items():
        declared = {method.upper() for method in operations}
        lacking = sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - declared)
        if not lacking:
            continue
        url = path.replace("{", "").replace("}", "")  # parameters become literal segments
        url = "/".join("1" if segment.endswith("_id") else segment for segment in url.split("/"))
        response = client.generic(lacking[0], url)
        if response.status_code == 404:  # a path parameter that is not an id (a code, a slug) may not match
            continue
        seen += 1
        assert response.status_code == 405, (lacking[0], url, response.status_code)
        assert response["Content-Type"] == "application/problem+json", (lacking[0], url)
        assert set(response["Allow"].replace(" ", "").split(",")) == declared, (url, response["Allow"])
    assert seen > 30
