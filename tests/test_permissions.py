"""Every role against every page and API endpoint.

The generated matrices read what each page and operation declares (`innohub.core.access`):
every role, and an anonymous visitor, asks for every page and every GET operation without
parameters. The hand-listed rows below add pages and endpoints whose rule lies elsewhere
(the admin) or is narrower than the API's authentication. A refusal is a redirect to log in for
anonymous visitors on pages, 401 on the API, and 403 for a logged-in wrong role.
"""

import pytest
from django.test import Client

from innohub.activity.models import Event, Notification
from innohub.api.api import api
from innohub.core import access
from innohub.core.roles import Role

pytestmark = pytest.mark.django_db

ROLES = [None, *[r.value for r in Role]]
STAFF = {"officer", "manager", "administrator"}
BACKOFFICE = STAFF | {"reviewer"}
EVERYONE_LOGGED_IN = {r.value for r in Role}

# (path, roles allowed) for pages
PAGES = [
    ("/backoffice/", BACKOFFICE),
    ("/backoffice/audit/", STAFF),
    ("/en/backoffice/audit/", STAFF),
    ("/admin/", {"administrator"}),
    ("/notifications/", EVERYONE_LOGGED_IN),
    ("/my/", EVERYONE_LOGGED_IN),
]
# (method, path, roles allowed) for the API
ENDPOINTS = [
    ("get", "/api/v1/me", EVERYONE_LOGGED_IN),
    ("get", "/api/v1/activity/events", STAFF),
    ("get", "/api/v1/activity/notifications", EVERYONE_LOGGED_IN),
]


def _client(users, role):
    c = Client()
    if role:
        c.force_login(users[role])
    return c


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_page_access_matrix(users, role, path, allowed):
    events_before = Event.objects.count()
    response = _client(users, role).get(path)
    if role in allowed:
        assert response.status_code == 200, (role, path, response.status_code)
    elif role is None or path.startswith("/admin/"):
        assert response.status_code == 302 and "login" in response["Location"]
    else:
        assert response.status_code == 403
        assert "403" in response.content.decode()
    assert Event.objects.count() == events_before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "allowed"), ENDPOINTS)
def test_api_access_matrix(users, role, method, path, allowed):
    response = getattr(_client(users, role), method)(path)
    if role in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == (401 if role is None else 403)
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", [r.value for r in Role if r.value != "applicant"])
def test_nobody_reads_someone_elses_notification(users, role):
    from innohub.activity.services import notification_send

    [n] = notification_send(recipients=[users["applicant"]], message="programs.reviews_assigned", params={"n": 1}, email=False)
    c = _client(users, role)
    assert c.post(f"/notifications/{n.pk}/open/").status_code == 404
    assert c.post(f"/api/v1/activity/notifications/{n.pk}/read").status_code == 404
    assert Notification.objects.get(pk=n.pk).read_at is None


GENERATED_PAGES = sorted(
    {(route.path, access.view_access(route.callback)) for route in access.routes()
     if not route.has_parameters and access.exception_for(route) is None},
    key=lambda row: row[0],
)
GENERATED_ENDPOINTS = sorted(
    (path, public) for method, path, public in access.api_operations(api)
    if method == "GET" and "{" not in path
)


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "allowed"), GENERATED_PAGES, ids=[row[0] for row in GENERATED_PAGES])
def test_generated_page_matrix(users, role, path, allowed):
    """Given a page's declared rule, when each role asks for it, then the allowed are not
    refused (the page, a redirect onwards, 405 for a form's POST, 404 for data the empty test
    database lacks), an anonymous visitor is sent to log in, the others get 403, and nothing
    is written to the audit log."""
    events_before = Event.objects.count()
    response = _client(users, role).get(path)
    if allowed == access.PUBLIC or role in allowed:
        assert response.status_code in (200, 302, 404, 405), (role, path, response.status_code)
        assert not response.get("Location", "").startswith(("/accounts/login/", "/en/accounts/login/")), (role, path)
    elif role is None:
        assert response.status_code == 302 and "login" in response["Location"], (path, response.status_code)
    else:
        assert response.status_code == 403, (role, path, response.status_code)
    assert Event.objects.count() == events_before


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "public"), GENERATED_ENDPOINTS, ids=[row[0] for row in GENERATED_ENDPOINTS])
def test_generated_api_matrix(users, role, path, public):
    """Given an operation's declared authentication, an anonymous caller is refused with a 401
    problem unless it is public; a logged-in role gets its answer or a problem (403, or 422
    for a required query parameter), and nothing is written to the audit log."""
    events_before = Event.objects.count()
    response = _client(users, role).get(path)
    if public:
        assert response.status_code == 200, (role, path, response.status_code)
    elif role is None:
        assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"
    else:
        # 422: the operation needs a query parameter, so the request got past authentication
        assert response.status_code in (200, 403, 422), (role, path, response.status_code)
        if response.status_code != 200:
            assert response["Content-Type"] == "application/problem+json"
    assert Event.objects.count() == events_before
