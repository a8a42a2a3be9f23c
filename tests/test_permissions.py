"""Every role against every staff page and API endpoint of the foundation.

Modules add their own rows as they arrive. A refusal is a redirect to log in for
anonymous visitors on pages, 401 on the API, and 403 for a logged-in wrong role.
"""

import pytest
from django.test import Client

from innohub.activity.models import Event, Notification
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
