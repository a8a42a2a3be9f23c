"""Fixtures shared by every test: one user per role, a logged-in client per role."""

from __future__ import annotations

import pytest

from innohub.core.roles import Role


@pytest.fixture
def make_user(db):
    from innohub.accounts.tests.factories import UserFactory

    def _make(role: str = Role.VISITOR, **kwargs):
        return UserFactory(role=role, **kwargs)

    return _make


@pytest.fixture
def users(make_user):
    """One active user per role, keyed by role code."""
    return {role.value: make_user(role=role.value, username=f"{role.value}-user") for role in Role}


@pytest.fixture
def client_for(client, users):
    """`client_for("officer")` → a test client logged in as that role's user."""
    from django.test import Client

    def _client(role: str) -> Client:
        c = Client()
        c.force_login(users[role])
        return c

    return _client


@pytest.fixture
def unverified_logins():
    """Asked for by a test of the second factor itself: `force_login` leaves a staff session
    at the password step (see `_staff_logins_pass_the_second_factor`)."""


@pytest.fixture(autouse=True)
def _staff_logins_pass_the_second_factor(request, monkeypatch):
    """A test client's `force_login` of an account that needs a second factor (staff roles,
    innohub/accounts/two_factor.py) also verifies the session with the account's authenticator
    device, as the log-in's second step does: a test of a staff page is about the page. The
    tests of the second factor ask for `unverified_logins` and log in through both steps."""
    if "unverified_logins" in request.fixturenames:
        return
    from django.test.client import ClientMixin
    from django_otp import DEVICE_ID_SESSION_KEY

    from innohub.accounts.two_factor import requires_two_factor

    original = ClientMixin._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        if requires_two_factor(user):
            from innohub.accounts.tests.factories import totp_device_for

            session = self.session
            session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
            session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login)


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language. A request to an /en/ page leaves English
    active in the thread, and a later test's `reverse()` or `gettext` outside a request
    would follow whichever test ran before it on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test's flush empties every table, the administrative units that the
    places migration loaded included: load them again for the tests that follow."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    from pytest_django.plugin import blocking_manager_key

    from innohub.places.reference import load_units

    with item.config.stash[blocking_manager_key].unblock():
        load_units()
