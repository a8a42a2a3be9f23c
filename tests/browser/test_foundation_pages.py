"""The portal and back office as people see them, in Chromium, at phone and desktop width."""

import re

import pytest
from playwright.sync_api import expect

from innohub.activity.services import event_record
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_in_vietnamese(page_at, viewport):
    page = page_at(viewport)
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Đổi mới sáng tạo và khởi nghiệp tại TP. Hồ Chí Minh"
    stages = page.locator("#stages")
    assert "40.000.000 ₫" in stages.inner_text().replace("\u00a0", " ")
    assert "400.000.000 ₫" in stages.inner_text().replace("\u00a0", " ")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_switch_to_english_and_back(page_at):
    page = page_at(PHONE)
    page.goto("/")
    page.get_by_role("button", name="Trình đơn").click()
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Innovation and startups in Ho Chi Minh City"
    assert "80,000,000 VND" in page.locator("#stages").inner_text().replace("\u00a0", " ")
    assert_accessible(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    assert not page.url.rstrip("/").endswith("/en")


def test_phone_menu_opens_and_closes_with_the_keyboard(page_at):
    page = page_at(PHONE)
    page.goto("/")
    toggle = page.get_by_role("button", name="Trình đơn")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Trang chủ").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Trang chủ").is_visible()
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        ("visitor", ["Trang của tôi"], ["Trang quản trị"]),
        ("applicant", ["Trang của tôi"], ["Trang quản trị"]),
        ("reviewer", ["Trang quản trị"], ["Nhật ký hệ thống", "Quản trị hệ thống"]),
        ("officer", ["Trang quản trị", "Nhật ký hệ thống"], ["Quản trị hệ thống"]),
        ("manager", ["Trang quản trị", "Nhật ký hệ thống"], ["Quản trị hệ thống"]),
        ("administrator", ["Trang quản trị", "Nhật ký hệ thống", "Quản trị hệ thống"], []),
    ],
)
def test_each_role_sees_its_navigation(page_at, login, role, sees, does_not_see):
    page = page_at(DESKTOP)
    login(page, role)
    links = page.get_by_role("link").all_inner_texts()
    for label in sees:
        assert label in links, (role, label, links)
    for label in does_not_see:
        assert label not in links, (role, label)
    assert_accessible(page)


def test_officer_reads_the_audit_log_on_a_phone(page_at, login):
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/backoffice/audit/")
    assert page.get_by_role("heading", level=1).inner_text() == "Nhật ký hệ thống"
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_officer_dashboard_on_a_phone_wraps_long_action_codes(page_at, login, users):
    # Actions read as their labels; one without a label reads as its code, the longest
    # unbroken text the recent activity table shows: it wraps inside its cell, and the
    # table neither scrolls sideways nor traps keyboard users.
    event_record(actor=users["officer"], action="indicator_run.uncertainty_succeeded", target=users["officer"])
    event_record(actor=users["officer"], action="indicator_framework.english_filled_for_every_unit", target=users["officer"])
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/backoffice/")
    expect(page.locator(".table-wrap")).to_contain_text("Hoàn thành phân tích độ nhạy")
    expect(page.locator(".table-wrap")).to_contain_text("indicator_framework.english_filled_for_every_unit")
    overflow = page.evaluate("[...document.querySelectorAll('.table-wrap')].map(e => e.scrollWidth - e.clientWidth)")
    assert overflow and max(overflow) <= 0, overflow
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


@pytest.mark.parametrize(("path", "text"), [("/khong-co/", "Không tìm thấy trang bạn yêu cầu"), ("/en/nothing-here/", "We could not find this page")])
def test_404_page(page_at, path, text):
    page = page_at(PHONE)
    response = page.goto(path)
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == text
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_wrong_role_gets_the_403_page(page_at, login):
    page = page_at(DESKTOP)
    login(page, "applicant")
    response = page.goto("/backoffice/")
    assert response.status == 403
    assert "Bạn không có quyền truy cập trang này" in page.get_by_role("heading", level=1).inner_text()


def test_login_and_signup_forms_are_accessible_on_a_phone(page_at):
    page = page_at(PHONE)
    for path in ["/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"]:
        page.goto(path)
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
