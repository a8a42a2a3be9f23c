"""Research and technology transfer in headless Chromium at 360 px, in Vietnamese: from the
home page an officer moves a task through its legal stages by clicking; a company searches
the marketplace typed without diacritics, finds the dressing and expresses interest. axe clean.

Uses the shared Chromium fixtures of tests/browser/conftest.py.
"""

import pytest
from playwright.sync_api import expect

from innohub.accounts.tests.factories import MembershipFactory
from innohub.directory.tests.factories import OrganisationFactory
from innohub.research import matching
from innohub.research.models import Interest, Task
from innohub.research.tests.factories import NeedFactory, OfferFactory, TaskFactory
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)


def _open_menu(page) -> None:
    page.get_by_role("button", name="Trình đơn").click()  # the phone's menu


def test_an_officer_moves_a_task_through_its_stages_by_clicking(page_at, login, users):
    host = OrganisationFactory(kind="academia", name="Trung tâm Nghiên cứu Triển khai")
    task = TaskFactory(code="NV-2026-07", title="Cảm biến áp suất SiC cho trạm quan trắc ngập", host=host)
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/")
    _open_menu(page)
    page.get_by_role("link", name="Trang quản trị").click()
    page.get_by_role("navigation", name="Điều hướng trang quản trị").get_by_role("link", name="Nhiệm vụ KH&CN").click()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("link", name="NV-2026-07").click()
    expect(page.locator(".research-state")).to_have_text("Đề xuất đặt hàng")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    for button, state in (("Xác định nhiệm vụ", "Đã xác định nhiệm vụ"), ("Thông báo tuyển chọn", "Thông báo tuyển chọn"),
                          ("Ghi nhận hồ sơ", "Đã nhận hồ sơ"), ("Hồ sơ hợp lệ – chuyển hội đồng", "Hội đồng tư vấn tuyển chọn, giao trực tiếp")):
        page.get_by_role("button", name=button).click()
        expect(page.locator(".research-state")).to_have_text(state)
    # the council's score is missing: the step is refused and the task stays
    page.get_by_role("button", name="Hội đồng chọn – thẩm định kinh phí").click()
    expect(page.get_by_text("Hội đồng tuyển chọn chưa chấm điểm hồ sơ.")).to_be_visible()
    task.refresh_from_db()
    assert task.state == "selection_council"
    # a budget line, typed as people write amounts
    page.get_by_text("Thêm dòng kinh phí").click()
    page.locator("#b_year").fill("2026")
    page.locator("#b_amount").fill("600.000.000")
    page.get_by_role("button", name="Thêm dòng").click()
    expect(page.get_by_text("Đã thêm dòng kinh phí.")).to_be_visible()
    assert Task.objects.get(pk=task.pk).budget_total == 600_000_000
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_a_company_finds_the_dressing_without_diacritics_and_expresses_interest(page_at, login, users):
    matching.forget()
    company = OrganisationFactory(kind="enterprise", name="Công ty Vật tư Y tế Phương Nam")
    MembershipFactory(user=users["applicant"], organisation=company)
    dressing = OfferFactory(title="Băng gạc kháng khuẩn nano vàng – Polyurethane",
                            summary="Băng dán vết thương kháng khuẩn, đã nghiệm thu năm 2022, sẵn sàng chuyển giao.", trl=6)
    OfferFactory(title="Cảm biến áp suất SiC", summary="Quan trắc ngập lụt đô thị trực tuyến")
    NeedFactory(title="Cần công nghệ băng gạc kháng khuẩn cho bệnh viện", organisation=company)
    page = page_at(PHONE)
    login(page, "applicant")
    page.goto("/")
    _open_menu(page)
    page.get_by_role("link", name="Sàn giao dịch công nghệ").click()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Tìm kiếm").fill("bang gac khang khuan")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="Cảm biến áp suất SiC")).to_have_count(0)
    page.get_by_role("link", name="Băng gạc kháng khuẩn nano vàng – Polyurethane").click()
    expect(page.get_by_text("Cần công nghệ băng gạc kháng khuẩn cho bệnh viện")).to_be_visible()  # the matched need
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Lời nhắn gửi bên chào bán").fill("Chúng tôi muốn sản xuất thử.")
    page.get_by_role("button", name="Bày tỏ quan tâm").click()
    expect(page.get_by_text("Bạn đã bày tỏ quan tâm đến công nghệ này.")).to_be_visible()
    interest = Interest.objects.get(offer=dressing)
    assert interest.organisation == company and interest.message == "Chúng tôi muốn sản xuất thử."
    assert_accessible(page)
