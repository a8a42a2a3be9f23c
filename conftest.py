"""Fixtures shared by every test: one user per role, a logged-in client per role."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from innohub.core.roles import Role

# Property tests run on a shared two-core machine beside a browser and a second database: how long
# an example takes, or how long generating one takes, says nothing about the code, so time is no
# reason to fail. The other health checks (filtering too much, data too large) still apply.
hypothesis_settings.register_profile("innohub", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("innohub")


@pytest.fixture
def page_cache_on(settings):
    """The page cache on for one test (it is off in the tests' settings): its statement hook on the
    connection, an empty cache before and after."""
    from django.core.cache import cache
    from django.db import connection

    from innohub.core import page_cache

    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    page_cache.watch(connection)
    yield
    connection.execute_wrappers.remove(page_cache._watch)
    cache.clear()


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


REFERENCE_APPS = ("places",)


def _flush_keeping_reference_data(style, connection, reset_sequences=True, allow_cascade=False):
    """``django.core.management.sql.sql_flush`` without the reference tables (REFERENCE_APPS):
    the administrative units, which a migration loads and no test writes to."""
    from django.apps import apps

    keep = {
        table
        for label in REFERENCE_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        for table in [model._meta.db_table]
    }
    tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False) if t not in keep]
    return connection.ops.sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)


def pytest_configure(config):
    """A transactional test (live server, concurrency, migrations) ends with Django's flush,
    which empties every table: reloading the 18,000 administrative units after each of them
    cost about a second (84 browser tests, twice in CI). The flush leaves them in place instead;
    ``_reference_data_intact`` reloads them if a test ever took some away."""
    from django.conf import settings
    from django.core.management.commands import flush

    flush.sql_flush = _flush_keeping_reference_data
    # A run's page charts are drawn by the pages that test them, not all at the end of every
    # run a test makes (innohub/indicators/page_charts.py has its own test of the drawing at run end).
    settings.INDICATORS_CHARTS_AT_RUN_END = False


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test (flushed, its writes committed), the administrative units
    are checked by their row counts in one query, and loaded again only if some are missing
    (a test that deleted some, a migration test that rolled the places app back)."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        _reference_data_intact()


def _reference_data_intact() -> None:
    from django.db import connection

    from innohub.places.models import Commune, FormerDistrict, FormerProvince, FormerWard, Province
    from innohub.places.reference import load_units, read_snapshot

    snap = read_snapshot()
    expected = [len(snap.provinces), len(snap.communes), len(snap.former_provinces), len(snap.former_districts),
                len(snap.former_wards), sum(len(c) for c in snap.district_communes.values())]
    tables = [m._meta.db_table for m in (Province, Commune, FormerProvince, FormerDistrict, FormerWard)]
    tables.append(FormerDistrict.communes.through._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))  # noqa: S608 (table names from models)
        counts = list(cursor.fetchone())
    if counts != expected:
        load_units()
