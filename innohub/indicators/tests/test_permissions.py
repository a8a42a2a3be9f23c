"""Every role against every page and endpoint of the index; nothing changes when refused.

The index, rankings, profiles and reports are public; imports are for officers, managers and
administrators; runs, computations and the staff pages for managers and administrators.
Anonymous visitors are sent to log in (pages) or get 401 (API); a wrong role gets 403.
"""

from __future__ import annotations

import io

import pytest
from django.test import Client

from innohub.activity.models import Event
from innohub.core.roles import Role
from innohub.indicators.models import Framework, Run, Value

pytestmark = pytest.mark.django_db

ROLES = [None, *[r.value for r in Role]]
EVERYONE = set(ROLES)
IMPORTERS = {"officer", "manager", "administrator"}
MANAGERS = {"manager", "administrator"}


def _client(users, role):
    c = Client()
    if role:
        c.force_login(users[role])
    return c


PAGES = [
    ("/indicators/", EVERYONE),
    ("/en/indicators/", EVERYONE),
    ("/indicators/units/Q1/", EVERYONE),
    ("/indicators/sensitivity/", EVERYONE),
    ("/indicators/method/", EVERYONE),
    ("/indicators/report.pdf", EVERYONE),
    ("/indicators/report.xlsx", EVERYONE),
    ("/indicators/units/Q1/report.pdf", EVERYONE),
    ("/indicators/units/Q1/report.xlsx", EVERYONE),
    ("/indicators/staff/", MANAGERS),
    ("/indicators/staff/import/", IMPORTERS),
    ("/indicators/staff/runs/{run}/", MANAGERS),
    ("/indicators/staff/test-index/configure/", MANAGERS),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_pages(users, finished_run, role):
    c = _client(users, role)
    for template, allowed in PAGES:
        path = template.format(run=finished_run.pk)
        response = c.get(path)
        if role in allowed:
            assert response.status_code == 200, (path, role, response.status_code)
        elif role is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], path
        else:
            assert response.status_code == 403, (path, role, response.status_code)


def _snapshot():
    return (Run.objects.count(), Value.objects.count(), Event.objects.count(),
            list(Run.objects.values_list("uncertainty_status", flat=True)),
            list(Framework.objects.values_list("version", flat=True)))


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_actions(users, finished_run, role):
    c = _client(users, role)
    actions = [
        ("/indicators/staff/test-index/run/", {"year_from": 2023, "year_to": 2025}, MANAGERS),
        ("/indicators/staff/test-index/compute/", {"year_from": 2023, "year_to": 2025}, MANAGERS),
        (f"/indicators/staff/runs/{finished_run.pk}/uncertainty/", {"runs": 30}, MANAGERS),
        ("/indicators/staff/test-index/configure/", {"spec": '{"steps": [{"step": "normalise"}, {"step": "aggregate"}]}'},
         MANAGERS),
    ]
    for path, data, allowed in actions:
        before = _snapshot()
        response = c.post(path, data)
        if role in allowed:
            assert response.status_code == 302 and "/accounts/login/" not in response["Location"], path
        else:
            assert response.status_code in (302, 403), path
            if response.status_code == 302:
                assert "/accounts/login/" in response["Location"]
            assert _snapshot() == before, (path, role)
    before = _snapshot()
    upload = io.BytesIO(b"unit,indicator,year,value\nQ1,A1,2024,99\n")
    upload.name = "s.csv"
    response = c.post("/indicators/staff/import/", {"file": upload})
    if role in IMPORTERS:
        assert response.status_code == 302
        assert Value.objects.get(unit__code="Q1", indicator__code="A1", year=2024).value == 99
    else:
        assert response.status_code in (302, 403) and _snapshot() == before


API = [
    ("get", "/api/v1/indicators/frameworks", None, EVERYONE),
    ("get", "/api/v1/indicators/frameworks/test-index", None, EVERYONE),
    ("get", "/api/v1/indicators/frameworks/test-index/values", None, EVERYONE),
    ("get", "/api/v1/indicators/frameworks/test-index/results", None, EVERYONE),
    ("get", "/api/v1/indicators/frameworks/test-index/uncertainty", None, EVERYONE),
    ("get", "/api/v1/indicators/runs", None, MANAGERS),
    ("get", "/api/v1/indicators/runs/{run}", None, MANAGERS),
]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_api(users, finished_run, role):
    from innohub.accounts.services import api_token_create

    headers = {}
    if role:
        _t, key = api_token_create(user=users[role], name="m")
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    c = Client()
    for method, template, _body, allowed in API:
        path = template.format(run=finished_run.pk)
        response = getattr(c, method)(path, **headers)
        if role in allowed:
            assert response.status_code == 200, (path, role, response.status_code)
        else:
            assert response.status_code == (401 if role is None else 403), (path, role, response.status_code)
    before = _snapshot()
    response = c.post("/api/v1/indicators/frameworks/test-index/runs", {"year_from": 2023, "year_to": 2025},
                      content_type="application/json", **headers)
    if role in MANAGERS:
        assert response.status_code == 202
    else:
        assert response.status_code == (401 if role is None else 403) and _snapshot() == before
