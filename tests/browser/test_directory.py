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
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    described_by,
    refused_summary,
    small_targets,
)

pytestmark = pytest.mark.django_db(transaction=True)

HUB = "Trung tâm Khởi nghiệp sáng tạo TP.HCM"


@pytest.fixture
def directory():
    """The Startup Center (a support organisation in Phường Sài Gòn) among startups elsewhere."""
    ai = SectorFactory(code="ai", name="Trí tuệ nhân tạo", name_en="Artificial intelligence")
    hub = OrganisationFactory(
        name=HUB, name_en="Ho Chi Minh City Startup Center", short_name="SIHUB-SC", slug="startup-center",
        kind=Organisation.Kind.SUPPORT, stage="", commune_id="26740", verified=True, with_sectors=[ai],
    )
    OrganisationFactory(name="Công ty Cổ phần Khởi nghiệp Xanh", commune_id="27139", with_sectors=[ai])  # Phường Xuân Hòa
    OrganisationFactory(name="Trung tâm Nghiên cứu Vật liệu", kind=Organisation.Kind.ACADEMIA, stage="", commune_id="26800")  # Phường Linh Xuân
    PositionFactory(organisation=hub, person__full_name="Nguyễn Thị Lan", title="Giám đốc")
    RelationFactory(source=OrganisationFactory(name="Công ty TNHH Robot Sao Việt", commune_id="27478"), target=hub)
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


# -- accessibility beyond axe's serious and critical rules ---------------------------------


def test_search_and_filters_say_how_many_match_and_a_filter_leads_to_the_count_by_keyboard(page_at, directory):
    page = page_at(PHONE)
    _search(page, "/directory/", "khoi ngh", "Tìm kiếm")
    # the count is a status at the top of the results, and the title says it, read first on a new page
    count = page.locator("#dir-count")
    expect(count).to_have_attribute("role", "status")
    expect(count).to_have_text("2 tổ chức phù hợp với “khoi ngh”")
    assert page.title().startswith("2 tổ chức phù hợp với “khoi ngh” · Danh bạ hệ sinh thái")
    # a filter chosen by keyboard opens the new page at its count, which names the filter
    page.locator("details.dir-facet", has_text="Loại").get_by_role("link", name=re.compile(r"^Tổ chức hỗ trợ")).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"kind=support.*#dir-count$"))
    expect(count).to_be_focused()
    expect(count).to_have_text("1 tổ chức phù hợp với “khoi ngh” · lọc theo Loại: Tổ chức hỗ trợ")
    page.keyboard.press("Tab")
    expect(page.locator(".dir-cards").get_by_role("link", name=HUB)).to_be_focused()
    # "clear all filters" is a button-sized link, and only there when something is filtered
    clear = page.locator(".dir-facets").get_by_role("link", name=re.compile("tất cả bộ lọc"))
    assert not small_targets(page, ".dir-facets a.btn, #dir-verified")
    clear.click()
    expect(count).to_have_text("4 tổ chức")
    assert page.title().startswith("Danh bạ hệ sinh thái")
    expect(page.locator(".dir-facets").get_by_role("link", name=re.compile("tất cả bộ lọc"))).to_have_count(0)
    # the "verified only" box is 24 px to tap, and its filter is said too
    page.get_by_label("Chỉ hồ sơ đã xác minh").check()
    page.locator("form[role=search]").get_by_role("button", name="Tìm kiếm").click()
    expect(count).to_have_text("1 tổ chức · lọc theo Chỉ hồ sơ đã xác minh")
    assert_no_horizontal_scroll(page)


def test_on_a_phone_tab_goes_through_the_results_before_the_filters_below_them(page_at, directory):
    # Given a visitor on a phone, the results are shown before the filters; when they Tab on
    # from the search, they reach the results first (the page used to send them down to the
    # filters at the bottom first, and back up); on a wide screen the filters stand on the left.
    page = page_at(PHONE)
    _search(page, "/directory/", "khoi ngh", "Tìm kiếm")
    first_result = page.locator(".dir-cards").get_by_role("link").first
    first_filter = page.locator(".dir-facets summary").first
    assert first_result.bounding_box()["y"] < first_filter.bounding_box()["y"]
    page.get_by_role("link", name=re.compile(r"^Lọc kết quả")).focus()
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.closest('.dir-facets') ? 'filters' : document.activeElement.closest('.dir-cards') ? 'results' : 'other'"))
    assert "results" in reached and "filters" in reached
    assert reached.index("results") < reached.index("filters")
    wide = page_at(DESKTOP)
    _search(wide, "/directory/", "khoi ngh", "Tìm kiếm")
    facets, results = wide.locator(".dir-facets").bounding_box(), wide.locator(".dir-results").bounding_box()
    assert facets["x"] < results["x"] and abs(facets["y"] - results["y"]) < 2


def test_vietnamese_names_are_marked_as_vietnamese_on_english_pages(page_at, directory):
    page = page_at(DESKTOP, locale="en-GB")
    page.goto("/en/directory/")
    cards = page.locator(".dir-cards")
    expect(cards.get_by_role("link", name="Ho Chi Minh City Startup Center")).not_to_have_attribute("lang", re.compile(".*"))
    expect(cards.get_by_role("link", name="Công ty Cổ phần Khởi nghiệp Xanh")).to_have_attribute("lang", "vi")
    expect(cards.locator(".dir-meta span[lang=vi]", has_text="Phường Xuân Hòa")).to_have_count(1)
    expect(page.locator(".dir-facets a", has_text="Phường Linh Xuân").locator("span[lang=vi]")).to_have_count(1)
    expect(page.locator(".dir-facets a", has_text="Startup").locator("[lang]")).to_have_count(0)
    expect(page.locator(".dir-tag[lang]")).to_have_count(0)  # "Artificial intelligence"
    assert_accessible(page)
    page.goto("/en/directory/startup-center/")
    expect(page.get_by_role("heading", level=1)).not_to_have_attribute("lang", re.compile(".*"))
    expect(page.locator("strong[lang=vi]")).to_contain_text("Nguyễn Thị Lan")
    expect(page.locator("dd span[lang=vi]")).to_have_text("Phường Sài Gòn, Thành phố Hồ Chí Minh")
    expect(page.get_by_role("link", name="Công ty TNHH Robot Sao Việt")).to_have_attribute("lang", "vi")
    page.goto(f"/en/directory/{Organisation.objects.get(name='Công ty Cổ phần Khởi nghiệp Xanh').slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "vi")
    assert_accessible(page)
    # on Vietnamese pages the page's own language applies: nothing is marked
    page.goto("/directory/")
    expect(page.locator("main [lang]")).to_have_count(0)


def test_the_registration_forms_problems_are_summarised_focused_and_tied_to_their_fields(page_at, login, directory):
    page = page_at(PHONE)
    login(page, "applicant")
    page.goto("/directory/register/")
    # the sectors' boxes are one group a screen reader names
    expect(page.get_by_role("group", name="Lĩnh vực").get_by_role("checkbox")).to_have_count(1)
    page.locator("#id_tax_code").fill("12")
    page.locator("form.dir-form").get_by_role("button", name="Đăng ký").click()
    # the browser's own check no longer stops the form: the page's summary says it all, focused
    summary = refused_summary(page)
    expect(summary.get_by_role("heading", level=2)).to_have_text("Chưa lưu được: hãy sửa 2 lỗi sau.")
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    assert described_by(page, "#id_name") == "Trường này là bắt buộc."
    assert described_by(page, "#id_tax_code").startswith("10 chữ số, hoặc 10 chữ số-3 chữ số đối với chi nhánh. | Mã số thuế gồm")
    expect(page.locator("#id_short_name")).not_to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link").filter(has_text="Mã số thuế").click()
    expect(page.locator("#id_tax_code")).to_be_focused()
    # sent again from there, the page opens at the summary, not at the field the link named
    page.locator("#id_name").fill("Công ty Cổ phần Robot Hái Nấm")
    page.locator("form.dir-form").get_by_role("button", name="Đăng ký").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator(".error-summary").get_by_role("link")).to_have_count(1)
    assert_no_horizontal_scroll(page)


def test_a_bad_import_file_is_summarised_and_leads_to_its_problems(page_at, login, directory):
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/directory/staff/import/")
    page.get_by_role("button", name="Tải lên").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(page.locator("#id_file")).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link").click()
    expect(page.locator("#id_file")).to_be_focused()
    page.set_input_files("#id_file", files=[{
        "name": "bad.csv", "mimeType": "text/csv", "buffer": b"slug,name,kind,helix\n,,startup,private\n"}])
    page.get_by_role("button", name="Tải lên").click()
    summary = refused_summary(page)
    expect(summary.get_by_role("heading", level=2)).to_contain_text("không dữ liệu nào được ghi")
    summary.get_by_role("link", name="Xem từng lỗi kèm dòng và cột").click()
    problems = page.locator("#import-problems")
    expect(problems).to_be_focused()
    expect(problems.locator("caption")).to_be_visible()
    expect(problems.locator("caption")).to_have_text("Lỗi trong tệp")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
