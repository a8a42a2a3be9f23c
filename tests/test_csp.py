"""Every page sends the Content-Security-Policy, and no page needs it relaxed.

With the demo data loaded, each role (and an anonymous visitor) walks the site from its home
page and back office by following the links on every page; every page must carry the policy
(scripts and styles only from this site, nothing inline, no eval, no plug-ins, no framing)
and must hold nothing the policy would block: no inline ``<script>``, no ``on…=""`` handler,
no ``style=""`` attribute, no ``<style>`` element, no ``javascript:`` link.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from innohub.core import access
from innohub.core.roles import Role

pytestmark = pytest.mark.django_db

REQUIRED = {
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "default-src": "'self'",
}
# pages that change things on GET or take long and add nothing to the policy's check
SKIP = re.compile(r"/(logout|i18n|jsi18n|static|media)/|/download|/export|\.(csv|xlsx|pdf|json|ics|docx)$|/api/")
MAX_PAGES = 120


def policy(response) -> dict[str, str]:
    header = response.get("Content-Security-Policy", "")
    parts = [p.strip().split(None, 1) for p in header.split(";") if p.strip()]
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def assert_policy(path: str, response) -> None:
    directives = policy(response)
    assert directives, f"{path}: no Content-Security-Policy"
    for name, value in REQUIRED.items():
        assert directives.get(name) == value, f"{path}: {name} is {directives.get(name)!r}, not {value!r}"


class PageScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # a JSON or JSON-LD data block (schema.org Event data) is never executed, so the policy does not apply to it
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in ("application/json", "application/ld+json"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=\"{value}\">")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])


def crawl(client: Client, starts: list[str]) -> int:
    seen: set[str] = set()
    queue = list(starts)
    while queue and len(seen) < MAX_PAGES:
        path = urldefrag(queue.pop(0))[0]
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/") or path in seen or SKIP.search(parts.path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        assert_policy(path, response)
        scan = PageScan()
        scan.feed(response.content.decode())
        assert not scan.problems, f"{path}: {sorted(set(scan.problems))[:5]}"
        # follow a page of each list rather than all of them: one ?page=2 per path
        queue.extend(link for link in scan.links if "page=" not in link or "page=2" in link)
    return len(seen)


@pytest.fixture
def demo():
    from django.core.cache import cache

    cache.clear()  # the demo's questions count against the asking limit kept in the cache
    call_command("seed_demo", "--quiet", stdout=io.StringIO())


@pytest.mark.slow
def test_every_page_a_role_reaches_sends_the_policy(demo):
    """One demo database for every role's walk (seeding it is the costly part)."""
    from innohub.accounts.models import User

    for username in [None, "citizen", "founder", "reviewer", "officer", "manager", "admin"]:
        client = Client()
        if username:
            client.force_login(User.objects.get(username=username))
        try:
            visited = crawl(client, ["/", "/en/", "/my/", "/backoffice/", "/notifications/", "/admin/"])
        except AssertionError as problem:
            raise AssertionError(f"as {username or 'an anonymous visitor'}: {problem}") from problem
        assert visited > 15, f"as {username or 'an anonymous visitor'}: only {visited} pages reached"


@pytest.mark.parametrize("role", [None, *[r.value for r in Role]])
def test_every_page_without_parameters_sends_the_policy(users, role):
    client = Client()
    if role:
        client.force_login(users[role])
    for route in access.routes():
        if route.has_parameters or SKIP.search(route.path):
            continue
        response = client.get(route.path)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            assert_policy(route.path, response)
            scan = PageScan()
            scan.feed(response.content.decode())
            assert not scan.problems, f"{route.path}: {sorted(set(scan.problems))[:5]}"


def test_error_pages_and_the_api_send_the_policy(client):
    assert_policy("/no-such-page/", client.get("/no-such-page/"))
    assert_policy("/api/v1/me", client.get("/api/v1/me"))


def test_the_api_docs_allow_inline_styles_and_data_images_but_no_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" in directives["style-src"]
    assert "data:" in directives["img-src"]
    scan = PageScan()
    scan.feed(response.content.decode())
    assert not [p for p in scan.problems if "script" in p]
    # the rest of the site keeps the strict policy
    assert "'unsafe-inline'" not in policy(client.get("/"))["style-src"]


def test_the_other_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
