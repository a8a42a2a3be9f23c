"""No page or API operation escapes the permission matrix: each declares who may use it.

Given the whole URLconf (nested includes, Vietnamese unprefixed and English under /en/) and
every operation of the API's OpenAPI description, when the checker reads each one's rule
(`role_required`/`login_required`/`public` on the view, a listed exception, the API's
authentication or `auth=None`), then nothing is left undeclared — and a page added without a
rule is named.
"""

import sys
import types

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import include, path
from ninja import NinjaAPI
from ninja.security import HttpBearer

from innohub.api.api import api
from innohub.core import access
from innohub.core.permissions import login_required, public, role_required


def test_every_page_declares_who_may_open_it():
    assert access.uncovered_pages() == []


def test_the_walk_reaches_nested_pages_in_both_languages():
    seen = {(route.language, route.path) for route in access.routes()}
    assert ("vi", "/qa/inbox/<int:pk>/") in seen
    assert ("en", "/en/qa/inbox/<int:pk>/") in seen
    assert ("en", "/api/v1/health") in seen  # the API has no language prefix


def test_every_api_operation_declares_who_may_call_it():
    operations = access.api_operations(api)
    assert len(operations) > 50
    assert access.uncovered_api_operations(api) == []
    assert ("GET", "/api/v1/health", True) in operations
    assert ("GET", "/api/v1/activity/events", False) in operations


def _view(request):
    return HttpResponse("ok")


def _other_view(request):
    return HttpResponse("ok")


@pytest.fixture
def small_urlconf():
    """A URLconf of its own: a staff page, a public one, a page for any logged-in user, and
    one the author forgot to declare, nested in an include and under language prefixes."""
    inner = types.ModuleType("tests_small_inner_urls")
    inner.app_name = "small"
    inner.urlpatterns = [
        path("staff/", role_required({"officer"})(_view), name="staff"),
        path("open/", public(_other_view), name="open"),
        path("mine/", login_required(_view), name="mine"),
        path("forgotten/<int:pk>/", _view, name="forgotten"),
    ]
    root = types.ModuleType("tests_small_urls")
    root.urlpatterns = i18n_patterns(path("small/", include(inner)), prefix_default_language=False)
    sys.modules[root.__name__] = root
    yield root.__name__
    del sys.modules[root.__name__]


def test_a_page_without_a_rule_is_named_in_both_languages(small_urlconf):
    assert access.uncovered_pages(small_urlconf) == [
        "/en/small/forgotten/<int:pk>/ (small:forgotten)",
        "/small/forgotten/<int:pk>/ (small:forgotten)",
    ]


def test_a_listed_exception_needs_its_reason(small_urlconf):
    exceptions = {**access.EXCEPTIONS, "small:forgotten": "a test says why"}
    assert access.uncovered_pages(small_urlconf, exceptions) == []


def test_an_api_without_authentication_leaves_its_operations_undeclared():
    bare = NinjaAPI(urls_namespace="coverage-bare")

    @bare.get("/things")
    def things(request):
        return []

    assert access.uncovered_api_operations(bare, "/api") == ["GET /api/things"]

    class Bearer(HttpBearer):
        def authenticate(self, request, token):
            return None

    guarded = NinjaAPI(urls_namespace="coverage-guarded", auth=Bearer())

    @guarded.get("/things")
    def guarded_things(request):
        return []

    @guarded.get("/open", auth=None)
    def open_things(request):
        return []

    assert access.uncovered_api_operations(guarded, "/api") == []
    assert ("GET", "/api/open", True) in access.api_operations(guarded, "/api")
