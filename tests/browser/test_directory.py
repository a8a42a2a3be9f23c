"""The ecosystem directory in Chromium on a 360 px phone: search without diacritics, a profile, a
facet, in Vietnamese and in English, and the officer's records list."""

import re

import pytest
from playwright.sync_api import expect

from innohub.directory.models import Organisation
from innohub.directory.tests.factories import (
    OrganisationFactory,
    PositionFactory,
    RelationFactory,
    SectorFactory,
)
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

HUB = "Trung tâm Khởi nghiệp sáng tạo TP.HCM"


@pytest.fixture
def directory():
    """The Startup Center (a support organisation in Quận 1) among startups elsewhere."""
    ai = SectorFactory(code="ai", name="Trí tuệ nhân tạo", name_en="Artificial intelligence")
    hub = OrganisationFactory(
        name=HUB, name_en="Ho Chi Minh City Startup Center", short_name="SIHUB-SC", slug="startup-center",
        kind=Organisation.Kind.SUPPORT, stage="", district="Quận 1", verified=True, with_sectors=[ai],
    )
    OrganisationFactory(name="Công ty Cổ phần Khởi nghiệp Xanh", district="Quận 3", with_sectors=[ai])
    OrganisationFactory(name="Trung tâm Nghiên cứu Vật liệu", kind=Organisation.Kind.ACADEMIA, stage="", district="Thủ Đức")
    PositionFactory(organisation=hub, person__full_name="Nguyễn Thị Lan", title="Giám đốc")
    RelationFactory(source=OrganisationFactory(name="Công ty TNHH Robot Sao Việt", district="Quận 7"), target=hub)
    return hub


def _search(page, path: str, query: str, button: str) -> None:
    page.goto(path)
    page.locator("#dir-q").fill(query)
    page.locator("form[role=search]").get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_visitor_on_a_phone_finds_the_startup_center_without_diacritics(page_at, directory):
    page = page_at(PHONE)
    _search(page, "/directory/", "trung tam khoi nghiep", "Tìm kiếm")
    expect(page).to_have_url(re.compile(r"q=trung\+tam\+khoi\+nghiep"))
    results = page.locator(".dir-cards")
    expect(results.get_by_role("link", name=HUB)).to_be_visible()
    assert results.locator(".dir-card").count() == 1  # every word must match: not the research centre
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    page.locator(".dir-cards").get_by_role("link", name=HUB).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HUB)
    expect(page.locator("main")).to_contain_text("Nguyễn Thị Lan")
    expect(page.locator("main")).to_contain_text("Công ty TNHH Robot Sao Việt")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_visitor_on_a_phone_narrows_a_partial_search_with_a_facet(page_at, directory):
    page = page_at(PHONE)
    _search(page, "/directory/", "khoi ngh", "Tìm kiếm")
    cards = page.locator(".dir-card")
    expect(cards).to_have_count(2)  # the Startup Center and "Khởi nghiệp Xanh"
    # the filters come after the results on a phone; a link at the top leads down to them
    page.get_by_role("link", name=re.compile(r"^Lọc kết quả")).click()
    expect(page).to_have_url(re.compile(r"#dir-filters$"))
    kind = page.locator("details.dir-facet", has_text="Loại")
    expect(kind).to_be_in_viewport()
    kind.get_by_role("link", name=re.compile(r"^Tổ chức hỗ trợ")).click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"kind=support"))
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text(HUB)
    selected = page.locator("a.dir-facet-on")
    expect(selected).to_contain_text("Tổ chức hỗ trợ")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    selected.click()  # removing the filter brings both back
    page.wait_for_load_state()
    expect(cards).to_have_count(2)


def test_the_same_in_english(page_at, directory):
    page = page_at(PHONE, locale="en-GB")
    _search(page, "/en/directory/", "trung tam khoi nghiep", "Search")
    assert page.locator("html").get_attribute("lang") == "en"
    link = page.locator(".dir-cards").get_by_role("link", name="Ho Chi Minh City Startup Center")
    expect(link).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    page.locator("details.dir-facet", has_text="Sector").get_by_role("link", name=re.compile(r"^Artificial intelligence")).click()
    page.wait_for_load_state()
    expect(page).to_have_url(re.compile(r"sector=ai"))
    expect(page.locator(".dir-card")).to_have_count(1)

    page.locator(".dir-cards").get_by_role("link", name="Ho Chi Minh City Startup Center").click()
    expect(page).to_have_url(re.compile(r"/en/directory/startup-center/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ho Chi Minh City Startup Center")
    expect(page.locator("main")).to_contain_text(HUB)  # the Vietnamese name beside it
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_officer_reads_the_records_list_on_a_phone(page_at, login, directory):
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/directory/staff/?q=khoi+nghiep")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quản lý danh bạ")
    expect(page.locator("main")).to_contain_text(HUB)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
