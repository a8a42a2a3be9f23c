"""Playwright driving Debian's Chromium against the live test server.

Chromium is never downloaded: we launch /usr/bin/chromium. CI sets
INNOHUB_REQUIRE_BROWSER=1 so a missing browser fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}
ZOOMED_TEXT = "document.documentElement.style.fontSize = '200%'"  # the reader's text at 200 %


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("INNOHUB_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium); CI requires it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page_at(browser, live_server):
    """`page_at(size)` → a fresh page (own cookies) sized for a phone or a desktop."""
    contexts = []

    def _page(viewport: dict = DESKTOP, locale: str = "vi-VN"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(15_000)
        context.set_default_navigation_timeout(30_000)  # the first request warms up the live server
        contexts.append(context)
        return context.new_page()

    yield _page
    for context in contexts:
        context.close()


@pytest.fixture
def login(users):
    """`login(page, "officer")` or `login(page, some_user)`; every test user's password is the factory's.
    A staff account then gives the code its authenticator app would show (the tests' key,
    enrolled on first use), as a person does on the two-step verification page."""
    from innohub.accounts.tests.factories import totp_code, totp_device_for
    from innohub.accounts.two_factor import requires_two_factor

    def _login(page, who) -> None:
        user = users[who] if isinstance(who, str) else who
        device = totp_device_for(user) if requires_two_factor(user) else None
        page.goto("/accounts/login/")
        page.get_by_label("Tên đăng nhập hoặc e-mail").fill(user.username)
        page.get_by_label("Mật khẩu").fill("correct-horse-battery")
        page.locator("main").get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        if device is not None:
            assert "/accounts/two-factor/verify/" in page.url, page.url
            page.get_by_label("Mã xác thực").fill(totp_code(device))
            page.locator("main").get_by_role("button", name="Xác thực").click()
            page.wait_for_load_state()
            assert "/accounts/two-factor/" not in page.url, page.url

    return _login


def assert_no_horizontal_scroll(page) -> None:
    # a click that navigates may still be loading the next page: measure the page once it is there
    page.wait_for_load_state()
    page.wait_for_function("document.documentElement !== null && document.body !== null")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
        )
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px at {page.viewport_size['width']}px: {wide}")


def assert_accessible(page) -> None:
    """No serious or critical axe-core violations (axe ships inside axe-playwright-python)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, "\n".join(f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in bad)


@pytest.fixture
def phone_for(page_at, login):
    """`phone_for(user)` → a 360 px page with that user logged in (staff through the second step)."""
    def _page(user):
        page = page_at(PHONE)
        login(page, user)
        return page

    return _page


def staff_nav(page):
    """The back office's navigation, ready to click: on a phone it is a closed menu
    (backoffice_base.html), opened here by its button as a person would."""
    page.wait_for_load_state()
    nav = page.get_by_role("navigation", name="Điều hướng trang quản trị")
    if page.viewport_size["width"] < 960:
        toggle = nav.get_by_role("button", name="Danh mục trang quản trị")
        toggle.wait_for(state="visible")
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
    return nav


def check_page(page) -> None:
    """No sideways scroll and no serious or critical axe-core violation."""
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def refused_summary(page):
    """The error summary of a refused form (partials/error_summary.html), after checking that it
    took the focus and that the page's title starts with "Lỗi: "."""
    from playwright.sync_api import expect

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.title().startswith("Lỗi: ")
    return summary


def described_by(page, selector: str) -> str:
    """The text a screen reader reads as an element's description (its aria-describedby)."""
    return page.evaluate(
        "s => (document.querySelector(s).getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)"
        ".map(id => (document.getElementById(id) || {textContent: '<missing ' + id + '>'}).textContent.trim()).join(' | ')",
        selector,
    )


def small_targets(page, selector: str) -> list[str]:
    """The elements matching ``selector`` that are narrower or lower than 24 px (WCAG 2.2's target size)."""
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].map(e => [e.textContent.trim() || e.name || e.id, e.getBoundingClientRect()])"
        ".filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24)).map(([t, r]) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`)",
        selector,
    )


def assert_descriptions_exist(page) -> None:
    """Every aria-describedby names elements that are on the page (a missing id is read as nothing)."""
    missing = page.evaluate(
        "[...document.querySelectorAll('[aria-describedby]')].flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/)"
        ".filter(id => id && !document.getElementById(id)).map(id => (e.id || e.name) + ' → ' + id))"
    )
    assert not missing, f"{page.url}: aria-describedby names no element: {missing}"
