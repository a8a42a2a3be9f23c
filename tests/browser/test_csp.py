"""Chromium enforces the Content-Security-Policy and reports no violation on the site's key
pages: every script, style and image the pages use comes from the site's static files."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

# recorded before any of the page's own scripts run (an init script is not subject to the CSP)
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""

PUBLIC_PAGES = ["/", "/en/", "/qa/", "/qa/ask/", "/qa/track/", "/programs/", "/directory/", "/indicators/",
                "/indicators/sensitivity/", "/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]
STAFF_PAGES = ["/backoffice/", "/qa/inbox/", "/qa/knowledge/", "/qa/stats/", "/programs/staff/applications/",
               "/programs/staff/calls/", "/programs/staff/disbursements/", "/directory/staff/",
               "/indicators/staff/", "/backoffice/audit/", "/notifications/"]
ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/", "/admin/activity/event/"]


@pytest.fixture
def demo(transactional_db):
    from django.core.cache import cache

    cache.clear()
    call_command("seed_demo", "--quiet", stdout=io.StringIO())


def watched(page):
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script(LISTEN)
    return messages


def visit_all(page, paths, messages) -> None:
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.ok, (path, response and response.status)
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or ""), path
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__cspViolations")
        if violations or messages:
            problems.append((path, violations, list(messages)))
        messages.clear()
    assert not problems, problems


def test_public_pages_report_no_policy_violation(page_at, demo):
    page = page_at(PHONE)
    messages = watched(page)
    visit_all(page, PUBLIC_PAGES, messages)
    # the scripts ran: the phone menu opens (innohub.js)
    page.goto("/")
    page.get_by_role("button", name="Trình đơn").click()
    assert page.get_by_role("button", name="Trình đơn").get_attribute("aria-expanded") == "true"


def test_staff_and_admin_pages_report_no_policy_violation(page_at, demo, login, users):
    page = page_at(DESKTOP)
    messages = watched(page)
    login(page, "manager")
    visit_all(page, STAFF_PAGES, messages)
    admin = page_at(DESKTOP)
    admin_messages = watched(admin)
    login(admin, "administrator")
    visit_all(admin, ADMIN_PAGES, admin_messages)


def test_the_api_docs_render_under_their_own_policy(page_at):
    page = page_at(DESKTOP)
    messages = watched(page)
    visit_all(page, ["/api/v1/docs"], messages)
    page.get_by_text("/api/v1/health").first.wait_for()


def test_an_inline_script_is_blocked(page_at, live_server):
    """The policy is enforced, not only sent: a script written into a page does not run."""
    page = page_at(DESKTOP)
    watched(page)
    page.goto("/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';
                           document.body.appendChild(s); }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("window.__cspViolations.length") == 1
