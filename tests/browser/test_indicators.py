"""The ecosystem index as people see it in Chromium at phone width, in both languages: the
public ranking (sortable), a unit's profile and the uncertainty of the ranking."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    described_by,
    refused_summary,
)

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
    ("", "Chỉ số đổi mới sáng tạo của các phường, xã TP. Hồ Chí Minh", "Xã Nhà Bè", ","),
    ("/en", "Innovation index of Ho Chi Minh City's wards and communes", "Nha Be Commune", "."),
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


def test_on_a_phone_the_ranking_shows_each_units_index_and_its_pillars_when_asked(page_at, demo_index):
    # Given a citizen on a phone, each unit of the ranking shows its rank, name and index, so
    # that the 24 units do not each stack seven pillar scores; ticking the box shows them, and
    # a ranking sorted by a pillar shows that pillar's score. A wide screen shows every column.
    page = page_at(PHONE)
    page.goto("/indicators/")
    first_row = page.locator("table.ind-ranking tbody tr").first
    institutions = first_row.locator('td[data-label="Thể chế"]')
    expect(first_row.locator('td[data-label="Chỉ số đổi mới sáng tạo (ĐMST)"]')).to_be_visible()
    expect(institutions).to_be_hidden()
    short = page.evaluate("document.documentElement.scrollHeight")
    page.get_by_label("Hiện điểm từng trụ cột").check()
    expect(institutions).to_be_visible()
    assert page.evaluate("document.documentElement.scrollHeight") > short + 2000
    check_page(page, "ranking-pillars-vi")
    page.get_by_label("Hiện điểm từng trụ cột").uncheck()
    page.get_by_label("Sắp xếp theo").select_option(label="Thể chế")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    first_row = page.locator("table.ind-ranking tbody tr").first
    expect(first_row.locator('td[data-label="Thể chế"]')).to_be_visible()
    expect(first_row.locator('td[data-label="Tác động"]')).to_be_hidden()
    wide = page_at(DESKTOP)
    wide.goto("/indicators/")
    expect(wide.get_by_label("Hiện điểm từng trụ cột")).to_be_hidden()
    expect(wide.locator('table.ind-ranking tbody tr td[data-label="Thể chế"]').first).to_be_visible()


def test_the_ranking_sorts_by_name_with_the_form(page_at, demo_index):
    page = page_at(PHONE)
    page.goto("/indicators/")
    page.get_by_label("Sắp xếp theo").select_option("name")
    page.get_by_label("Thứ tự").select_option("asc")
    page.get_by_role("button", name="Xem").click()
    page.wait_for_load_state()
    first_unit = page.locator("table.ind-ranking tbody tr").first.locator("td").nth(1).inner_text()
    assert first_unit.strip().endswith("Phường Bình Thạnh")


@pytest.mark.parametrize(("prefix", "title", "strengths"), [
    ("", "Phường Tăng Nhơn Phú", "Điểm mạnh"),
    ("/en", "Tang Nhon Phu Ward", "Strengths"),
])
def test_a_unit_profile_at_phone_width(page_at, demo_index, prefix, title, strengths):
    page = page_at(PHONE)
    page.goto(f"{prefix}/indicators/units/phuong-tang-nhon-phu/")
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
        "name": "bad.csv", "mimeType": "text/csv", "buffer": b"unit,indicator,year,value\nphuong-sai-gon,INS1,2025,abc\nQ99,INS1,2025,1\n"}])
    page.get_by_role("button", name="Nhập").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="2 lỗi", exact=True).is_visible()
    problems = page.locator("table").inner_text()
    assert "abc" in problems and "Q99" in problems
    check_page(page, "import-vi")


# -- accessibility beyond axe's serious and critical rules ---------------------------------


def out_of_sight_tab_stops(page, limit: int = 60) -> list[str]:
    """Tab from the top of <main> to its end: the stops whose focus a sighted reader cannot see
    (no box, or a 1-px visually hidden one)."""
    page.locator("main").focus()
    hidden = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        where = page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
            return {inMain: !!e.closest('main'), text: (e.textContent || e.name || '').trim().slice(0, 40), w: r.width, h: r.height}; }""")
        if not where["inMain"]:
            break
        if where["w"] <= 1 or where["h"] <= 1:
            hidden.append(where["text"])
    return hidden


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_rankings_tab_order_on_a_phone_has_no_stop_out_of_sight(page_at, demo_index, prefix):
    """The stacked table hides its header on a phone: its sort links were nine tab stops nobody
    could see. The "Sort by" form sorts by the same columns by keyboard."""
    page = page_at(PHONE)
    page.goto(f"{prefix}/indicators/")
    assert not out_of_sight_tab_stops(page)
    page.get_by_role("button", name="Show" if prefix else "Xem").focus()
    page.keyboard.press("Tab")  # the box that shows each pillar's score, then the first unit
    expect(page.get_by_label("Show each pillar's score" if prefix else "Hiện điểm từng trụ cột")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("table.ind-ranking tbody tr").first.get_by_role("link")).to_be_focused()
    # on a desktop the header's links still sort, for a pointer and a screen reader's link list
    desktop = page_at(DESKTOP)
    desktop.goto(f"{prefix}/indicators/")
    desktop.locator("table.ind-ranking thead").get_by_role("link", name="Unit" if prefix else "Đơn vị").click()
    expect(desktop).to_have_url(re.compile(r"sort=name"))


def test_a_bad_statistics_file_is_summarised_focused_and_leads_to_its_problems(page_at, demo_index, login):
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/indicators/staff/import/")
    page.get_by_role("button", name="Nhập").click()  # no file: the page's summary, not the browser's bubble
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_file")).to_have_attribute("aria-invalid", "true")
    assert described_by(page, "#id_file").endswith("| Trường này là bắt buộc.")
    page.set_input_files("input[type=file]", files=[{
        "name": "bad.csv", "mimeType": "text/csv", "buffer": b"unit,indicator,year,value\nphuong-sai-gon,INS1,2025,abc\nQ99,INS1,2025,1\n"}])
    page.get_by_role("button", name="Nhập").click()
    summary = refused_summary(page)
    expect(summary.get_by_role("heading", level=2)).to_have_text("Tệp chưa được nhập: có 2 lỗi. Không có gì bị thay đổi.")
    expect(page.locator(".messages")).to_have_count(0)  # said once, in the summary
    summary.get_by_role("link", name="Xem từng lỗi kèm dòng và cột").click()
    expect(page.locator("#problems")).to_be_focused()
    assert page.get_by_role("heading", name="2 lỗi", exact=True).is_visible()
    shot(page, "import-errors-vi")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_a_refused_run_is_summarised_with_links_to_its_fields(page_at, demo_index, login):
    page = page_at(PHONE)
    login(page, "manager")
    page.goto("/indicators/staff/")
    page.get_by_label("Đến năm").first.fill("1900")
    page.get_by_label("Số lần chạy Monte Carlo (0: không chạy)").fill("5")
    page.get_by_role("button", name="Chạy", exact=True).click()
    summary = refused_summary(page)
    expect(summary.get_by_role("link")).to_have_count(2)
    summary.get_by_role("link").filter(has_text="Số lần chạy Monte Carlo").click()
    expect(page.locator("#id_monte_carlo_runs")).to_be_focused()
    expect(page.locator("#id_monte_carlo_runs")).to_have_attribute("aria-invalid", "true")
    assert_no_horizontal_scroll(page)
