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
