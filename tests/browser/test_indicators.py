"""The ecosystem index as people see it in Chromium at phone width, in both languages: the
public ranking (sortable), a unit's profile and the uncertainty of the ranking."""

from __future__ import annotations

import os
import re

import pytest

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)
SCREENSHOTS = os.environ.get("INNOHUB_SCREENSHOTS", "")


@pytest.fixture
def demo_index(db):
    from innohub.indicators import demo

    demo.seed()


def shot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def check_page(page, name: str) -> None:
    """The page fits the width and is accessible; a screenshot is kept when asked for."""
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    shot(page, name)


@pytest.mark.parametrize(("prefix", "heading", "unit", "score_pattern"), [
    ("", "Chỉ số đổi mới sáng tạo của các quận, huyện TP. Hồ Chí Minh", "Huyện Củ Chi", ","),
    ("/en", "Innovation index of Ho Chi Minh City's districts", "Cu Chi District", "."),
])
def test_the_public_ranking_at_phone_width(page_at, demo_index, prefix, heading, unit, score_pattern):
    page = page_at(PHONE)
    page.goto(f"{prefix}/indicators/")
    assert page.get_by_role("heading", level=1).inner_text() == heading
    table = page.locator("table.ind-ranking")
    first_row = table.locator("tbody tr").first
    assert first_row.locator("td").first.inner_text().strip().endswith("1")
    assert score_pattern in first_row.locator("td").nth(2).inner_text()
    assert unit in table.inner_text()
    assert page.locator("figure.ind-chart svg[role=img]").first.is_visible()
    check_page(page, f"ranking{prefix.replace('/', '-') or '-vi'}")


def test_the_ranking_sorts_by_name_with_the_form(page_at, demo_index):
    page = page_at(PHONE)
    page.goto("/indicators/")
    page.get_by_label("Sắp xếp theo").select_option("name")
    page.get_by_label("Thứ tự").select_option("asc")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    first_unit = page.locator("table.ind-ranking tbody tr").first.locator("td").nth(1).inner_text()
    assert first_unit.strip().endswith("Huyện Củ Chi")


@pytest.mark.parametrize(("prefix", "title", "strengths"), [
    ("", "TP. Thủ Đức", "Điểm mạnh"),
    ("/en", "Thu Duc City", "Strengths"),
])
def test_a_unit_profile_at_phone_width(page_at, demo_index, prefix, title, strengths):
    page = page_at(PHONE)
    page.goto(f"{prefix}/indicators/units/TPTD/")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_role("heading", name=strengths, exact=True).is_visible()
    assert page.locator("figure.ind-chart svg[role=img]").count() == 2
    check_page(page, f"unit{prefix.replace('/', '-') or '-vi'}")


def test_the_sensitivity_page_on_a_desktop(page_at, demo_index):
    page = page_at(DESKTOP)
    page.goto("/indicators/sensitivity/")
    assert "5–95%" in page.locator("main").inner_text()
    assert_accessible(page)
    shot(page, "sensitivity-vi")
    page = page_at(PHONE)
    page.goto("/en/indicators/sensitivity/")
    assert_no_horizontal_scroll(page)


def test_staff_pages_at_phone_width(page_at, demo_index, login):
    page = page_at(PHONE)
    login(page, "manager")
    page.goto("/indicators/staff/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Chỉ số: ")
    check_page(page, "staff-vi")
    page.get_by_role("link", name=re.compile(r"^#\d+$")).first.click()
    page.wait_for_load_state()
    page.locator("details.ind-step summary").first.click()
    assert "imputed" in page.locator("details.ind-step").first.inner_text()
    check_page(page, "run-vi")
    page.goto("/indicators/staff/import/")
    page.set_input_files("input[type=file]", files=[{
        "name": "bad.csv", "mimeType": "text/csv", "buffer": b"unit,indicator,year,value\nQ1,INS1,2025,abc\nQ99,INS1,2025,1\n"}])
    page.get_by_role("button", name="Nhập").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="2 lỗi").is_visible()
    problems = page.locator("table").inner_text()
    assert "abc" in problems and "Q99" in problems
    check_page(page, "import-vi")
