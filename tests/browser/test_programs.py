"""A call run from application to the last payment in headless Chromium (Playwright), in
Vietnamese, by the applicant, the officer, the reviewer and the manager; key pages at 360 px.

Uses the shared Chromium fixtures of tests/browser/conftest.py.
"""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs.models import Application, Award, Disbursement
from innohub.programs.tests.factories import ApplicationFactory, CallFactory, reviewer, startup
from tests.browser.conftest import DESKTOP, PHONE, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/innohub-programs-shots"  # noqa: S108


@pytest.fixture
def page_for(page_at, login):
    """A logged-in page for a user (any user, not only the per-role ones), phone or desktop."""

    def _page(user, width=1280):
        page = page_at(PHONE if width <= 360 else DESKTOP)
        login(page, user)
        return page

    return _page


def test_a_call_from_application_to_payment_in_the_browser(page_for, users, tmp_path):
    call = CallFactory(title="Đợt tiền ươm tạo 2026", reviewers_per_application=1)
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    expert = reviewer(username="expert-e2e")

    # the founder applies, on a phone
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/calls/{call.pk}/")
    assert_no_horizontal_scroll(founder)
    founder.get_by_role("button", name="Bắt đầu lập hồ sơ").click()
    founder.get_by_label("Tên dự án").fill("Robot hái nấm")
    founder.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").fill("40 triệu")
    founder.get_by_label("Tóm tắt dự án *").fill("Robot hái nấm cho trang trại nhỏ")
    founder.get_by_label("Tính đổi mới sáng tạo *").fill("Thị giác máy tính")
    founder.get_by_label("Số thành viên *").fill("4")
    founder.get_by_label("Kế hoạch sử dụng kinh phí và các mốc *").fill("Mẫu thử trong 3 tháng")
    founder.wait_for_function("document.querySelector('.prog-autosave-status').textContent.startsWith('Đã lưu')")
    application = Application.objects.get(organisation=org)
    assert application.amount_requested == 40_000_000 and application.title == "Robot hái nấm"  # saved without pressing Save
    assert_no_horizontal_scroll(founder)
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(b"%PDF-1.4 ke hoach kinh doanh")
    founder.locator("#file-business_plan").set_input_files(str(plan))
    founder.get_by_role("button", name="Đính kèm").first.click()
    founder.get_by_text("Hồ sơ đã đầy đủ và có thể nộp.").wait_for()
    founder.get_by_role("button", name="Nộp hồ sơ").click()
    founder.get_by_text("Đã nộp, chờ kiểm tra", exact=True).wait_for()  # the state; the message also names it
    founder.get_by_text("Nộp hồ sơ: hồ sơ HS-").wait_for()

    # the officer checks eligibility in bulk and assigns the reviewer
    officer = page_for(users["officer"])
    officer.goto("/programs/staff/applications/")
    officer.get_by_label(f"Chọn {application.reference}").check()
    officer.get_by_label("Thao tác").select_option("start_check")
    officer.get_by_role("button", name="Áp dụng").click()
    officer.get_by_label(f"Chọn {application.reference}").check()
    officer.get_by_label("Thao tác").select_option("accept")
    officer.get_by_role("button", name="Áp dụng").click()
    officer.goto(f"/programs/staff/calls/{call.pk}/")
    officer.get_by_role("button", name="Phân công chuyên gia").click()
    officer.get_by_text("Đã phân công 1 phiếu đánh giá.").wait_for()

    # the reviewer scores, marking one criterion not applicable
    rev = page_for(expert)
    rev.goto("/programs/reviews/")
    rev.get_by_role("link", name=application.reference).click()
    for label, value in [("Tính đổi mới sáng tạo", "9"), ("Năng lực đội ngũ", "8"), ("Thị trường và mô hình kinh doanh", "7"),
                         ("Tác động xã hội và môi trường", "na"), ("Tính khả thi của kế hoạch", "8")]:
        rev.get_by_label(label).select_option(value)
    rev.get_by_role("button", name="Nộp phiếu đánh giá").click()
    rev.get_by_text("Đã nộp phiếu đánh giá.").wait_for()

    # ranking waits for the call to close; then approval by the manager
    officer.goto(f"/programs/staff/calls/{call.pk}/")
    assert officer.get_by_role("button", name="Xếp hạng các hồ sơ đã chấm").is_disabled()
    officer.get_by_text("Chỉ xếp hạng được khi đợt tiếp nhận đóng").wait_for()
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    officer.goto(f"/programs/staff/calls/{call.pk}/")
    officer.get_by_role("button", name="Xếp hạng các hồ sơ đã chấm").click()
    officer.get_by_text("trên ngưỡng", exact=True).wait_for()
    manager = page_for(users["manager"])
    manager.goto(f"/programs/applications/{application.pk}/")
    manager.get_by_role("button", name="Phê duyệt", exact=True).click()
    manager.get_by_text("Đã phê duyệt").first.wait_for()
    assert Award.objects.get(application=application).amount == 40_000_000

    # milestone, contract, report, check, payment
    officer.goto(f"/programs/applications/{application.pk}/")
    officer.get_by_role("textbox", name="Mốc thực hiện").fill("Mẫu thử hoạt động")
    officer.get_by_label("Hạn", exact=False).first.fill("2026-12-31")
    officer.get_by_label("Đợt kinh phí chi khi đạt mốc (đồng)").fill("40.000.000")
    officer.get_by_role("button", name="Thêm mốc").click()
    officer.get_by_role("button", name="Ghi nhận ký hợp đồng").click()
    founder.goto(f"/programs/applications/{application.pk}/")
    founder.get_by_label("Báo cáo của bạn").fill("Mẫu thử đã hái được 200 kg nấm")
    founder.get_by_role("button", name="Gửi báo cáo").click()
    officer.goto(f"/programs/applications/{application.pk}/")
    officer.get_by_label("Ghi chú gửi doanh nghiệp (bắt buộc nếu chưa đạt)").fill("Đã xem mẫu thử tại trang trại")
    officer.get_by_role("button", name="Đạt", exact=True).click()
    officer.get_by_text("Mốc “Mẫu thử hoạt động”: đạt.").wait_for()
    officer.get_by_label("Số uỷ nhiệm chi").fill("UNC-2026-001")
    officer.get_by_label("Ngày chi").fill("2026-11-23")
    officer.get_by_role("button", name="Ghi nhận giải ngân").click()
    officer.get_by_text("Đã ghi nhận giải ngân.").wait_for()
    assert Disbursement.objects.get().amount == 40_000_000

    # the founder sees the payment, in applicant wording, on a phone
    founder.goto(f"/programs/applications/{application.pk}/")
    founder.get_by_text("Đã ký hợp đồng").first.wait_for()
    assert "23/11/2026" in founder.content() and "40.000.000" in founder.content()
    assert_no_horizontal_scroll(founder)
    for path in ["/programs/", "/programs/my/"]:
        founder.goto(path)
        assert_no_horizontal_scroll(founder)


def test_a_save_with_an_error_far_down_the_form_is_summed_up_at_the_top_on_a_phone(page_for, users):
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    application = Application.objects.create(call=call, organisation=org, created_by=users["applicant"], form=call.form,
                                             title="Robot hái nấm", amount_requested=40_000_000, answers={"team_size": "4"})
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    assert founder.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").input_value() == "40.000.000"
    founder.get_by_label("Số thành viên *").fill("năm")
    founder.get_by_role("button", name="Lưu lại", exact=True).click()
    summary = founder.get_by_role("alert").filter(has_text="Có 1 lỗi; chưa có gì được lưu:")
    summary.wait_for()
    assert summary.is_visible() and summary.bounding_box()["y"] < 640  # in the first screen, not below the fold
    summary.get_by_role("link", name="Số thành viên: Hãy nhập một số nguyên.").click()
    assert founder.evaluate("document.activeElement.id") == "id_answer_team_size"
    assert founder.get_by_label("Số thành viên *").input_value() == "năm"
    assert_no_horizontal_scroll(founder)
    application.refresh_from_db()
    assert application.answers["team_size"] == "4"


def test_after_a_save_with_errors_the_focus_is_on_the_error_summary(page_for, users):
    # given the founder's draft
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    application = Application.objects.create(call=call, organisation=org, created_by=users["applicant"], form=call.form,
                                             title="Robot hái nấm", amount_requested=40_000_000, answers={"team_size": "4"})
    founder = page_for(users["applicant"])
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    assert founder.evaluate("document.activeElement === document.body")  # no summary, the focus stays where it was
    # when they save a word as the team size
    founder.get_by_label("Số thành viên *").fill("năm")
    founder.get_by_role("button", name="Lưu lại", exact=True).click()
    founder.get_by_role("alert").filter(has_text="Có 1 lỗi; chưa có gì được lưu:").wait_for()
    # then the focus is on the error summary, which a screen reader reads out by its heading
    assert founder.evaluate("document.activeElement.classList.contains('error-summary')")
    assert founder.evaluate("document.activeElement.getAttribute('aria-labelledby')") == "error-summary-title"
    assert founder.locator("#error-summary-title").inner_text() == "Có 1 lỗi; chưa có gì được lưu:"
    # and the next Tab reaches its link to the field in error
    founder.keyboard.press("Tab")
    assert founder.evaluate("document.activeElement.getAttribute('href')") == "#id_answer_team_size"


# -- accessibility beyond axe's serious and critical rules ---------------------------------


def small_targets(page, selector: str) -> list[str]:
    """Controls under 24 × 24 px (WCAG 2.2 target size), as 'name width×height'."""
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].map(e => [e.textContent.trim() || e.name || e.id, e.getBoundingClientRect()])"
        ".filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24)).map(([t, r]) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`)",
        selector,
    )


def test_bulk_results_are_announced_and_take_the_focus_on_a_phone(page_for, users):
    os.makedirs(SHOTS, exist_ok=True)
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    first = ApplicationFactory(call=call, state="submitted")
    ApplicationFactory(call=call, state="submitted")
    officer = page_for(users["officer"], width=360)
    officer.goto("/programs/staff/applications/")
    # the row checkboxes are big enough to tap (they were 13 px)
    assert not small_targets(officer, "main input:not([type=hidden]), main select, main button")
    # nothing ticked: the error is an alert, and the focus goes to it
    officer.get_by_role("button", name="Áp dụng").click()
    messages = officer.locator(".messages")
    expect(messages.get_by_role("alert")).to_have_text("Hãy chọn hồ sơ và thao tác.")
    expect(messages).to_be_focused()
    # a step done: the result is a status message, read first as the page opens
    officer.get_by_label(f"Chọn {first.reference}").check()
    officer.get_by_label("Thao tác").select_option("start_check")
    officer.get_by_role("button", name="Áp dụng").click()
    expect(messages.get_by_role("status")).to_contain_text("Bắt đầu kiểm tra điều kiện: 1 hồ sơ")
    expect(messages.get_by_role("alert")).to_be_empty()
    expect(messages).to_be_focused()
    officer.screenshot(path=f"{SHOTS}/1-bulk-done-phone.png")
    # the next Tab goes on from the message into the page
    officer.keyboard.press("Tab")
    assert officer.evaluate("document.activeElement.closest('main') !== null")


def test_file_inputs_are_big_enough_to_tap_on_a_phone(page_for, users):
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    application = ApplicationFactory(call=call, organisation=org, created_by=users["applicant"])
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    assert not small_targets(founder, "main input:not([type=hidden]), main select, main button, main textarea")
    # a page without messages leaves the focus where the browser puts it
    assert founder.evaluate("document.activeElement === document.body")
