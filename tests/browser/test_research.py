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
from innohub.research.models import Interest, Need, Task
from innohub.research.tests.factories import NeedFactory, OfferFactory, TaskFactory
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_no_horizontal_scroll,
    staff_nav,
)

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
    staff_nav(page).get_by_role("link", name="Nhiệm vụ KH&CN").click()
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


def test_a_task_from_selection_to_transfer_end_to_end(page_at, login, users, make_user, tmp_path, settings):
    """Selected by a council, contracted, reported on, accepted on the minutes, registered,
    its result offered, matched with a need, and transferred — all by clicking."""
    from innohub.research.models import Council, Offer

    settings.MEDIA_ROOT = tmp_path
    matching.forget()
    expert = make_user(role="reviewer", username="expert-research", full_name="TS. Lê Văn Chuyên")
    host = OrganisationFactory(kind="academia", name="Viện Vật liệu")
    company = OrganisationFactory(kind="enterprise", name="Công ty Thiết bị Y tế Sài Gòn")
    NeedFactory(title="Cần màng phủ kháng khuẩn cho thiết bị y tế", description="Màng phủ kháng khuẩn", organisation=company)
    task = TaskFactory(code="NV-E2E", title="Màng phủ kháng khuẩn nano bạc", host=host, state="selection_council")
    officer = page_at(DESKTOP)
    login(officer, "officer")
    officer.goto(f"/research/tasks/{task.pk}/")

    def form_council(kind_label):
        officer.get_by_text("Thành lập hội đồng", exact=True).first.click()
        officer.locator("#k_kind").select_option(label=kind_label)
        officer.get_by_role("button", name="Thành lập hội đồng").click()
        council = Council.objects.filter(task=task).order_by("-id").first()
        member_form = officer.locator(f"form[action$='member-{council.pk}/']")
        member_form.locator("xpath=..").locator("summary").click()
        member_form.locator("select").select_option(label=str(expert))
        member_form.get_by_role("button").click()
        expect(officer.get_by_text("Đã thêm thành viên hội đồng.")).to_be_visible()
        return council

    def score(council, values):
        member = page_at(DESKTOP)
        login(member, expert)
        member.goto("/backoffice/")
        member.get_by_role("link", name="Hội đồng của tôi").click()
        member.get_by_role("link", name=f"{council.get_kind_display()} – NV-E2E").click()
        for code, value in values.items():
            member.locator(f"#id_score_{code}").fill(str(value))
        member.get_by_role("button", name="Gửi điểm của tôi").click()
        expect(member.get_by_text("Đã lưu điểm của bạn.")).to_be_visible()
        assert_accessible(member)
        member.close()

    def step(name, state):
        officer.get_by_role("button", name=name).click()
        expect(officer.locator(".research-state")).to_have_text(state)

    selection = form_council("Hội đồng tuyển chọn, giao trực tiếp")
    score(selection, {"objectives": 9, "method": 8, "team": 8, "budget": 8})
    officer.reload()
    step("Hội đồng chọn – thẩm định kinh phí", "Thẩm định nội dung, kinh phí")
    officer.get_by_text("Thêm dòng kinh phí").click()
    officer.locator("#b_year").fill("2026")
    officer.locator("#b_amount").fill("500.000.000")
    officer.get_by_role("button", name="Thêm dòng").click()
    officer.get_by_text("Nhập tổng kinh phí được phê duyệt").click()
    officer.locator("#t_total").fill("500.000.000")
    officer.get_by_role("button", name="Lưu tổng kinh phí").click()
    # the manager approves
    manager = page_at(DESKTOP)
    login(manager, "manager")
    manager.goto(f"/research/tasks/{task.pk}/")
    manager.get_by_role("button", name="Phê duyệt nhiệm vụ và kinh phí").click()
    expect(manager.locator(".research-state")).to_have_text("Đã phê duyệt")
    officer.reload()
    officer.locator("#c_number").fill("HĐ-E2E/2026")
    officer.locator("#c_start").fill("2026-01-01")
    officer.locator("#c_end").fill("2026-12-31")
    officer.get_by_role("button", name="Lưu hợp đồng").click()
    step("Ghi nhận ký hợp đồng", "Đã ký hợp đồng")
    step("Bắt đầu thực hiện", "Đang thực hiện – báo cáo, kiểm tra định kỳ")
    officer.get_by_text("Ghi nhận báo cáo hoặc kiểm tra").click()
    officer.locator("#r_dated").fill("2027-01-15")  # after the contract's end: refused
    officer.locator("#r_summary").fill("Báo cáo giữa kỳ")
    officer.get_by_role("button", name="Ghi nhận báo cáo").click()
    expect(officer.get_by_text("Báo cáo có ngày sau ngày kết thúc hợp đồng (31/12/2026).")).to_be_visible()
    expect(officer.locator("#r_summary")).to_have_value("Báo cáo giữa kỳ")  # nothing typed is lost
    officer.locator("#r_dated").fill("2026-06-30")
    officer.get_by_role("button", name="Ghi nhận báo cáo").click()
    expect(officer.get_by_text("Đã ghi nhận báo cáo.")).to_be_visible()
    step("Nhận hồ sơ tự đánh giá", "Tự đánh giá")
    step("Chuyển hội đồng nghiệm thu", "Hội đồng đánh giá nghiệm thu")
    acceptance = form_council("Hội đồng nghiệm thu")
    score(acceptance, {"products": 9, "quality": 8, "application": 9})
    # without the minutes the results are not recognised
    manager.reload()
    manager.get_by_role("button", name="Công nhận kết quả").click()
    expect(manager.get_by_text("Hãy đính kèm biên bản họp hội đồng nghiệm thu trước.")).to_be_visible()
    minutes = tmp_path / "bien-ban.pdf"
    minutes.write_bytes(b"%PDF-1.4\n% bien ban\n%%EOF\n")
    officer.reload()
    minutes_form = officer.locator(f"form[action$='minutes-{acceptance.pk}/']")
    minutes_form.locator("xpath=..").locator("summary").click()
    minutes_form.locator("input[type=file]").set_input_files(str(minutes))
    minutes_form.get_by_role("button", name="Đính kèm").click()
    expect(officer.get_by_text("Đã đính kèm biên bản.")).to_be_visible()
    manager.reload()
    manager.get_by_role("button", name="Công nhận kết quả").click()
    expect(manager.locator(".research-state")).to_have_text("Công nhận kết quả, thanh lý hợp đồng")
    officer.reload()
    step("Đăng ký kết quả", "Đã đăng ký kết quả")
    officer.get_by_text("Thêm kết quả", exact=True).first.click()
    officer.locator("#o_kind").select_option(label="Mẫu thử")
    officer.locator("#o_title").fill("Màng phủ kháng khuẩn nano bạc")
    officer.locator("#o_trl").select_option("6")
    officer.get_by_role("button", name="Thêm kết quả").click()
    officer.get_by_text("Chào bán trên sàn").click()
    officer.locator("#of_title").fill("Màng phủ kháng khuẩn nano bạc cho thiết bị y tế")
    officer.locator("#of_summary").fill("Màng phủ kháng khuẩn dùng nano bạc, đã nghiệm thu.")
    officer.get_by_role("button", name="Đăng chào bán").click()
    expect(officer.get_by_role("heading", name="Màng phủ kháng khuẩn nano bạc cho thiết bị y tế")).to_be_visible()
    expect(officer.get_by_role("link", name="Cần màng phủ kháng khuẩn cho thiết bị y tế")).to_be_visible()  # matched
    officer.get_by_text("Ghi nhận giao dịch chuyển giao").click()
    officer.locator("#deal_buyer").fill("Thiết bị Y tế Sài Gòn")  # the directory's picker: resolved when sent
    officer.locator("#deal_signed_on").fill("2027-03-01")
    officer.locator("#deal_value").fill("800.000.000")
    officer.get_by_role("button", name="Ghi nhận giao dịch").click()
    expect(officer.get_by_text("Đã ghi nhận giao dịch chuyển giao.")).to_be_visible()
    assert Offer.objects.get().deals.get().value == 800_000_000
    assert_accessible(officer)


def test_an_enterprise_posts_its_need_and_an_officer_publishes_it(page_at, login, users):
    """On a phone, a member of a medical-supply company posts the technology it needs from the
    marketplace; a refused field keeps what was typed; the need waits for an officer's approval
    and is public only then. axe clean, no sideways scroll."""
    matching.forget()
    company = OrganisationFactory(kind="enterprise", name="Công ty Vật tư Y tế Phương Nam")
    MembershipFactory(user=users["applicant"], organisation=company)
    page = page_at(PHONE)
    login(page, "applicant")
    page.goto("/")
    _open_menu(page)
    page.get_by_role("link", name="Sàn giao dịch công nghệ").click()
    page.get_by_role("link", name="Nhu cầu công nghệ").click()
    page.get_by_role("link", name="Doanh nghiệp đăng nhu cầu").click()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_label("Doanh nghiệp cần công nghệ gì?").fill("Băng gạc kháng khuẩn cho vết thương mãn tính")
    page.get_by_label("Vấn đề công nghệ cần giải quyết").fill("Quá ngắn")
    page.get_by_label("Kinh phí có thể chi (đồng)").fill("2 tỷ")
    page.get_by_role("button", name="Gửi để đăng").click()
    expect(page.locator(".error-summary")).to_contain_text("ít nhất 30 ký tự")
    expect(page.get_by_label("Doanh nghiệp cần công nghệ gì?")).to_have_value("Băng gạc kháng khuẩn cho vết thương mãn tính")
    expect(page.get_by_label("Kinh phí có thể chi (đồng)")).to_have_value("2 tỷ")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    assert not Need.objects.exists()
    page.get_by_label("Vấn đề công nghệ cần giải quyết").fill(
        "Bệnh viện cần băng gạc kháng khuẩn dùng nhiều ngày cho vết thương mãn tính, sản xuất được trong nước.")
    page.get_by_role("button", name="Gửi để đăng").click()
    expect(page.get_by_text("Nhu cầu đã được gửi: cán bộ của Sở sẽ kiểm tra trước khi đăng.")).to_be_visible()
    expect(page.get_by_text("Chờ kiểm duyệt")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    need = Need.objects.get()
    assert (need.published, need.budget, need.organisation) == (False, 2_000_000_000, company)
    need.published, need.moderation = True, Need.Moderation.APPROVED  # the officer's step is tested in test_chain_and_editing
    need.save()
    matching.forget()
    page.goto("/research/needs/?q=bang gac khang khuan")
    expect(page.get_by_role("link", name="Băng gạc kháng khuẩn cho vết thương mãn tính")).to_be_visible()


def test_an_officer_publishes_a_need_from_the_work_queue_and_follows_a_task_from_the_partner_to_the_market(page_at, login, users):
    """The officer's back office lists the needs enterprises posted; publishing one from there
    makes it public. From a partner's page the officer opens the chain of the task its meeting
    led to: action, task, outputs, deal, spin-off and the index figures, each reached by clicking."""
    from innohub.cooperation.tests.factories import (
        ActionFactory,
        DirectionFactory,
        MeetingFactory,
        PartnerFactory,
    )
    from innohub.research.tests.test_chain_and_editing import _whole_chain

    matching.forget()
    NeedFactory(title="Vật liệu lọc nước nhiễm mặn cho hộ gia đình", description="Lọc nước giếng nhiễm mặn ở Cần Giờ",
                organisation=OrganisationFactory(kind="enterprise", name="Công ty Nước sạch Cần Giờ"),
                moderation=Need.Moderation.PENDING, published=False)
    partner = PartnerFactory(organisation__name="Griffith University")
    action = ActionFactory(direction=DirectionFactory(meeting=MeetingFactory(partner=partner, title="Làm việc với Griffith")),
                           what="Đặt hàng nghiên cứu cảm biến ngập", owner=users["officer"])
    task = TaskFactory(code="NV-SIC", title="Cảm biến áp suất SiC cho trạm đo ngập", origin_action=action)
    _whole_chain(users, task)

    page = page_at(DESKTOP)
    login(page, "officer")
    page.goto("/")
    page.get_by_role("link", name="Trang quản trị").click()
    queue = page.locator("[data-queue='research.needs']")
    expect(queue).to_contain_text("Nhu cầu công nghệ chờ kiểm duyệt")
    queue.get_by_role("link", name="Vật liệu lọc nước nhiễm mặn cho hộ gia đình").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhu cầu chờ kiểm duyệt")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    card = page.locator("article", has=page.get_by_role("heading", name="Vật liệu lọc nước nhiễm mặn cho hộ gia đình"))
    card.get_by_role("radio", name="Công bố", exact=True).check()
    card.get_by_role("button", name="Lưu quyết định").click()
    expect(page.get_by_role("heading", name="Vật liệu lọc nước nhiễm mặn cho hộ gia đình")).to_have_count(0)  # decided: off the list
    need = Need.objects.get(title="Vật liệu lọc nước nhiễm mặn cho hộ gia đình")
    assert (need.published, need.moderation) == (True, Need.Moderation.APPROVED)
    page.get_by_role("link", name="‹ Nhu cầu công nghệ").click()
    expect(page.get_by_role("link", name="Vật liệu lọc nước nhiễm mặn cho hộ gia đình")).to_be_visible()

    # the partner's page leads to the chain of the task its meeting led to
    page.get_by_role("link", name="Trang quản trị").click()
    staff_nav(page).get_by_role("link", name="Hợp tác quốc tế").click()
    page.get_by_role("link", name="Griffith University").first.click()
    page.get_by_role("link", name="NV-SIC – Cảm biến áp suất SiC cho trạm đo ngập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Từ hợp tác đến thị trường")
    chain = page.locator("ol.research-chain")
    for seen in ("Đặt hàng nghiên cứu cảm biến ngập", "Griffith University", "Cảm biến SiC mẫu thử", "Công ty Thiết bị Đô thị",
                 "SiC Sense JSC", "500.000.000 ₫"):
        expect(chain).to_contain_text(seen)
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    # and back along it: the spin-off's page in the directory
    chain.get_by_role("link", name="SiC Sense JSC").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SiC Sense JSC")
