"""The back office on a 360-px phone, in Chromium, by clicking from the home page: the staff
navigation is a closed menu whose button counts what waits (Enter opens it, Escape closes it
and gives the focus back), so a page's own content starts on the first screen; and a reviewer
saves a half-done review as a draft, leaves, comes back to it, and is refused a submission
with scores missing, what they typed kept."""

import pytest
from playwright.sync_api import expect

from innohub.programs.models import Review
from innohub.programs.tests.factories import ApplicationFactory, CallFactory
from tests.browser.conftest import DESKTOP, check_page, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)


def _to_back_office(page):
    page.goto("/")
    if page.viewport_size["width"] < 1100:  # the header's own menu, closed below that width
        page.get_by_role("button", name="Trình đơn").click()
    page.get_by_role("link", name="Trang quản trị").click()
    page.wait_for_load_state()


def test_the_staff_menu_is_closed_on_a_phone_and_counts_what_waits(phone_for, page_at, login, users):
    call = CallFactory()
    ApplicationFactory(call=call, state="submitted")
    ApplicationFactory(call=call, state="submitted")
    officer = phone_for(users["officer"])
    _to_back_office(officer)
    nav = officer.get_by_role("navigation", name="Điều hướng trang quản trị")
    toggle = nav.get_by_role("button", name="Danh mục trang quản trị")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_contain_text("2")  # the work waiting, in all the queues
    expect(nav.get_by_role("link", name="Hồ sơ đăng ký")).to_be_hidden()
    # the page's own heading is on the first screen, not pushed below the navigation
    top = officer.get_by_role("heading", level=1).bounding_box()
    assert top is not None and top["y"] + top["height"] < 780 / 2, top
    check_page(officer)
    # the keyboard opens it; Escape closes it and the focus goes back to its button
    toggle.focus()
    officer.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    link = nav.get_by_role("link", name="Hồ sơ đăng ký 2 việc đang chờ")
    expect(link).to_be_visible()
    check_page(officer)
    link.focus()
    officer.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(link).to_be_hidden()
    # opened, it leads where it says
    staff_nav(officer).get_by_role("link", name="Hồ sơ đăng ký 2 việc đang chờ").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Hồ sơ đăng ký")

    # on a desktop the sidebar stands open, without a button
    wide = page_at(DESKTOP)
    login(wide, users["officer"])
    _to_back_office(wide)
    wide_nav = wide.get_by_role("navigation", name="Điều hướng trang quản trị")
    expect(wide_nav.get_by_role("button", name="Danh mục trang quản trị")).to_be_hidden()
    expect(wide_nav.get_by_role("link", name="Hồ sơ đăng ký 2 việc đang chờ")).to_be_visible()


def test_a_reviewer_saves_a_draft_comes_back_to_it_and_cannot_submit_it_half_done(phone_for, users):
    application = ApplicationFactory(state="under_review", title="Robot hái nấm")
    review = Review.objects.create(application=application, reviewer=users["reviewer"])
    page = phone_for(users["reviewer"])
    _to_back_office(page)
    staff_nav(page).get_by_role("link", name="Hồ sơ tôi đánh giá").click()
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Robot hái nấm")
    check_page(page)

    # half done: one score and a comment, saved as a draft
    page.locator("#score-innovation").select_option("8")
    page.get_by_label("Nhận xét").fill("Đội ngũ mạnh; còn phải xem kỹ thị trường")
    page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator(".messages")).to_contain_text("Bản nháp của Ông/Bà đã được lưu")
    expect(page.get_by_text("Đã lưu nháp lúc")).to_be_visible()
    check_page(page)

    # leave for the dashboard, then come back through the work list
    staff_nav(page).get_by_role("link", name="Tổng quan").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    staff_nav(page).get_by_role("link", name="Hồ sơ tôi đánh giá").click()
    expect(page.locator("main")).to_contain_text("đã lưu nháp")
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator("#score-innovation")).to_have_value("8")
    expect(page.get_by_label("Nhận xét")).to_have_value("Đội ngũ mạnh; còn phải xem kỹ thị trường")

    # submitting with scores missing is refused, each problem listed, what was typed kept
    page.get_by_label("Nhận xét").fill("Đội ngũ mạnh; thị trường đã rõ hơn")
    page.get_by_role("button", name="Nộp phiếu đánh giá").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(4)  # team, market, impact, feasibility: empty is not "not applicable"
    expect(page.locator("#score-innovation")).to_have_value("8")
    expect(page.get_by_label("Nhận xét")).to_have_value("Đội ngũ mạnh; thị trường đã rõ hơn")
    check_page(page)
    review.refresh_from_db()
    assert review.state == "assigned" and review.weighted_score is None
    assert review.draft_comment == "Đội ngũ mạnh; còn phải xem kỹ thị trường"  # the draft is as it was saved
