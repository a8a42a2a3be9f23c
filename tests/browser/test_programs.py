"""A call run from application to the last payment in headless Chromium (Playwright), in
Vietnamese, by the applicant, the officer, the reviewer and the manager; key pages at 360 px.

Uses the shared Chromium fixtures of tests/browser/conftest.py.
"""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from innohub.accounts.tests.factories import MembershipFactory
from innohub.programs.models import Application, Award, Disbursement
from innohub.programs.tests.factories import (
    ApplicationFactory,
    AwardFactory,
    CallFactory,
    ReviewFactory,
    applicant_for,
    decide,
    reviewer,
    startup,
)
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    ZOOMED_TEXT,
    assert_accessible,
    assert_descriptions_exist,
    assert_no_horizontal_scroll,
    described_by,
    refused_summary,
    small_targets,
)

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
    founder.get_by_role("textbox", name="Tóm tắt dự án", exact=True).fill("Robot hái nấm cho trang trại nhỏ")
    founder.get_by_role("textbox", name="Tính đổi mới sáng tạo", exact=True).fill("Thị giác máy tính")
    founder.get_by_role("textbox", name="Số thành viên", exact=True).fill("4")
    founder.get_by_role("textbox", name="Kế hoạch sử dụng kinh phí và các mốc", exact=True).fill("Mẫu thử trong 3 tháng")
    # (an expect, not wait_for_function: that evaluates a string, which the CSP forbids)
    expect(founder.locator(".prog-autosave-status")).to_have_text(re.compile(r"^Đã lưu"))
    application = Application.objects.get(organisation=org)
    assert application.amount_requested == 40_000_000 and application.title == "Robot hái nấm"  # saved without pressing Save
    assert_no_horizontal_scroll(founder)
    plan = tmp_path / "ke-hoach.pdf"
    plan.write_bytes(b"%PDF-1.4 ke hoach kinh doanh\n%%EOF\n")
    founder.locator("#file-business_plan").set_input_files(str(plan))
    founder.get_by_role("button", name="Đính kèm – Kế hoạch kinh doanh").click()
    founder.get_by_text("Hồ sơ đã đầy đủ và có thể nộp.").wait_for()
    founder.get_by_label("Tôi cam đoan thông tin trong hồ sơ").check()
    founder.get_by_role("button", name="Nộp hồ sơ").click()
    founder.get_by_text("Đã nộp, chờ kiểm tra", exact=True).wait_for()  # the state; the message also names it
    founder.get_by_text("đã được nộp. Biên nhận ở bên dưới").wait_for()

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
    officer.get_by_role("link", name="Phân công chuyên gia", exact=True).click()  # the proposal first, nothing saved yet
    officer.get_by_text("Phương án phân công đề xuất (chưa lưu)").wait_for()
    officer.get_by_role("button", name="Lưu phân công").click()
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
    rank = officer.get_by_role("button", name="Xếp hạng các hồ sơ đã chấm")
    assert rank.is_disabled()  # aria-disabled, still reached by keyboard
    officer.get_by_text("Chỉ xếp hạng được khi đợt tiếp nhận đóng").wait_for()
    rank.focus()
    officer.keyboard.press("Enter")  # pressed, it leads to why it waits
    expect(officer.locator("#rank-why")).to_be_focused()
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save(update_fields=["closes_at"])
    officer.goto(f"/programs/staff/calls/{call.pk}/")
    officer.get_by_role("button", name="Xếp hạng các hồ sơ đã chấm").click()
    officer.get_by_role("cell", name="trong ngân sách — đề xuất tài trợ").wait_for()
    manager = page_for(users["manager"])
    manager.goto(f"/programs/applications/{application.pk}/")
    manager.get_by_role("link", name="Phê duyệt…", exact=True).click()
    _sign(manager, tmp_path, "1234/QĐ-SKHCN")
    manager.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    manager.get_by_text("Đã phê duyệt").first.wait_for()
    assert Award.objects.get(application=application).amount == 40_000_000

    # milestone, contract, report, check, payment
    officer.goto(f"/programs/applications/{application.pk}/")
    officer.get_by_role("textbox", name="Mốc thực hiện").fill("Mẫu thử hoạt động")
    officer.get_by_label("Hạn", exact=False).first.fill("2026-12-31")
    officer.get_by_label("Đợt kinh phí chi khi đạt mốc (đồng)").fill("40.000.000")
    officer.get_by_role("button", name="Thêm mốc").click()
    officer.get_by_role("link", name="Ghi nhận ký hợp đồng…").click()
    _sign(officer, tmp_path, "15/2026/HĐ-SKHCN")
    officer.get_by_role("button", name="Xác nhận: Ghi nhận ký hợp đồng").click()
    officer.get_by_text("văn bản đã ký được lưu").wait_for()
    founder.goto(f"/programs/applications/{application.pk}/")
    founder.get_by_label("Báo cáo của bạn").fill("Mẫu thử đã hái được 200 kg nấm")
    founder.get_by_role("button", name="Gửi báo cáo").click()
    officer.goto(f"/programs/applications/{application.pk}/")
    officer.get_by_label("Ghi chú gửi doanh nghiệp (bắt buộc nếu chưa đạt)").fill("Đã xem mẫu thử tại trang trại")
    officer.get_by_role("button", name="Đạt – Mẫu thử hoạt động", exact=True).click()
    officer.get_by_text("Mốc “Mẫu thử hoạt động”: đạt.").wait_for()
    officer.get_by_label("Số ủy nhiệm chi").fill("UNC-2026-001")
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
    founder.get_by_role("textbox", name="Số thành viên", exact=True).fill("năm")
    founder.get_by_role("button", name="Lưu lại", exact=True).click()
    summary = founder.get_by_role("alert").filter(has_text="Có 1 lỗi; chưa có gì được lưu:")
    summary.wait_for()
    assert summary.is_visible() and summary.bounding_box()["y"] < 640  # in the first screen, not below the fold
    summary.get_by_role("link", name="Số thành viên: Hãy nhập một số nguyên.").click()
    assert founder.evaluate("document.activeElement.id") == "id_answer_team_size"
    assert founder.get_by_role("textbox", name="Số thành viên", exact=True).input_value() == "năm"
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
    founder.get_by_role("textbox", name="Số thành viên", exact=True).fill("năm")
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


def test_on_a_phone_a_link_leads_past_the_stacked_rows_to_the_bulk_actions(page_for, users):
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    for _ in range(6):
        ApplicationFactory(call=call, state="submitted")
    officer = page_for(users["officer"], width=360)
    officer.goto("/programs/staff/applications/")
    actions = officer.locator("#bulk-actions")
    expect(actions).not_to_be_in_viewport()  # below the stacked rows
    officer.get_by_role("link", name="Đến các thao tác với hồ sơ đã chọn").click()
    expect(actions).to_be_focused()
    expect(actions).to_be_in_viewport()
    officer.keyboard.press("Tab")
    expect(officer.get_by_label("Thao tác")).to_be_focused()
    # on a wide screen, where the table is a table, the link is not shown
    wide = page_for(users["officer"])
    wide.goto("/programs/staff/applications/")
    expect(wide.get_by_role("link", name="Đến các thao tác với hồ sơ đã chọn")).to_be_hidden()


def test_file_inputs_are_big_enough_to_tap_on_a_phone(page_for, users):
    application = _founders_draft(users)
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    assert not small_targets(founder, "main input:not([type=hidden]), main select, main button, main textarea")
    # a page without messages leaves the focus where the browser puts it
    assert founder.evaluate("document.activeElement === document.body")


def test_a_submit_button_that_cannot_be_pressed_yet_is_reached_and_says_why(page_for, users):
    # Given a founder whose application still lacks answers, the submit button is not taken
    # out of the tab order (disabled was): it is reached, read with what must be settled
    # first, and pressed it sends nothing and leads to that list.
    application = _founders_draft(users)
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    button = founder.get_by_role("button", name="Nộp hồ sơ")
    expect(button).to_have_attribute("aria-disabled", "true")
    assert not button.evaluate("b => b.disabled")  # in the tab order: Tab from the list reaches it
    founder.locator("#submit-problems").focus()
    founder.keyboard.press("Tab")  # the declaration to tick comes first (issue 27), then the button
    expect(founder.get_by_label("Tôi cam đoan thông tin trong hồ sơ")).to_be_focused()
    founder.keyboard.press("Tab")
    expect(button).to_be_focused()
    assert described_by(founder, "button[aria-disabled=true]").startswith(founder.locator("#submit-problems li").first.inner_text())
    founder.keyboard.press("Enter")
    expect(founder.locator("#submit-problems")).to_be_focused()
    application.refresh_from_db()
    assert application.state == "draft"
    assert_accessible(founder)



def assert_headings_in_order(page) -> None:
    """One h1, and no heading more than one level below the one before it."""
    levels = page.evaluate("[...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1])")
    assert levels[:1] == [1] and levels.count(1) == 1, f"{page.url}: headings {levels}"
    skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert not skips, f"{page.url}: headings skip a level: {levels}"


def _founders_draft(users, **kwargs):
    call = CallFactory(title="Đợt tiền ươm tạo 2026")
    org = startup(name="Công ty Nấm Xanh")
    MembershipFactory(user=users["applicant"], organisation=org)
    return ApplicationFactory(call=call, organisation=org, created_by=users["applicant"], title="Robot hái nấm", **kwargs)


def test_answers_typed_while_the_page_still_loads_are_autosaved(page_for, users):
    """On a slow connection a founder types before the page's script has run: what is on the
    screen is saved all the same, without a further keystroke."""
    application = _founders_draft(users)
    founder = page_for(users["applicant"], width=360)
    held = []
    founder.route("**/js/programs*.js", lambda route: held.append(route))  # the script arrives late
    founder.goto(f"/programs/applications/{application.pk}/edit/", wait_until="commit")
    founder.get_by_label("Tên dự án").fill("Robot hái nấm thế hệ 2")
    founder.get_by_role("textbox", name="Tính đổi mới sáng tạo", exact=True).fill("Thị giác máy tính trên điện thoại")
    assert held, "the page asked for its script"
    expect(founder.locator(".prog-autosave-status")).to_have_text("")  # nothing saved yet
    for route in held:
        route.continue_()
    expect(founder.locator(".prog-autosave-status")).to_have_text(re.compile(r"^Đã lưu"))
    application.refresh_from_db()
    assert application.title == "Robot hái nấm thế hệ 2"
    assert "Thị giác máy tính trên điện thoại" in application.answers.values()


def test_a_draft_opened_and_left_untouched_is_not_saved_again(page_for, users):
    application = _founders_draft(users)
    before = application.updated_at
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    founder.wait_for_timeout(2500)  # longer than the autosave's pause
    expect(founder.locator(".prog-autosave-status")).to_have_text("")
    application.refresh_from_db()
    assert application.updated_at == before


def test_founder_on_a_phone_hears_what_autosave_refused_and_each_field_reads_its_help_and_error(page_for, users):
    os.makedirs(SHOTS, exist_ok=True)
    application = _founders_draft(users)
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/edit/")
    assert_accessible(founder)
    assert_descriptions_exist(founder)
    # a required answer is named without the star (hidden from screen readers) and says it is needed
    team = founder.get_by_role("textbox", name="Số thành viên", exact=True)
    expect(team).to_have_attribute("aria-required", "true")
    assert "Ví dụ 40.000.000 hoặc 40 triệu." in described_by(founder, "#id_amount_requested")
    expect(founder.locator("#id_amount_requested")).to_have_attribute("inputmode", "numeric")
    # the autosave says what it could not save, by the field's name (it said "check the highlighted answers", and none was)
    team.fill("năm")
    status = founder.get_by_role("status").filter(has_text="Chưa lưu được")
    expect(status).to_have_text("Chưa lưu được: Số thành viên: Hãy nhập một số nguyên.")
    # Save: the summary takes the focus, and each field in error reads its error (and its help)
    founder.get_by_label("Kinh phí đề nghị hỗ trợ (đồng)").fill("bốn mươi")
    founder.get_by_role("button", name="Lưu lại", exact=True).click()
    refused_summary(founder)
    expect(team).to_have_attribute("aria-invalid", "true")
    assert described_by(founder, "#id_answer_team_size") == "Hãy nhập một số nguyên."
    assert described_by(founder, "#id_amount_requested") == "Ví dụ 40.000.000 hoặc 40 triệu. | Hãy nhập số tiền bằng đồng, ví dụ 40.000.000."
    assert_descriptions_exist(founder)
    founder.screenshot(path=f"{SHOTS}/2-edit-errors-phone.png")
    # each file's box and button say which document they are for
    expect(founder.get_by_label("Chọn tệp – Kế hoạch kinh doanh")).to_have_attribute("type", "file")
    expect(founder.get_by_role("button", name="Đính kèm – Bài thuyết trình")).to_have_count(1)
    # 200 % text: nothing runs off the side
    founder.evaluate(ZOOMED_TEXT)
    assert_no_horizontal_scroll(founder)


def test_founder_withdraws_with_the_keyboard_and_hears_the_result(page_for, users):
    application = _founders_draft(users, state="submitted", submitted_at=timezone.now())  # a draft is deleted, not withdrawn
    founder = page_for(users["applicant"], width=360)
    founder.goto(f"/programs/applications/{application.pk}/")
    assert_headings_in_order(founder)
    confirm = founder.get_by_label("Tôi xác nhận rút hồ sơ này")
    # the confirmation is the Tab before the button, and Space ticks it
    confirm.focus()
    founder.keyboard.press("Space")
    expect(confirm).to_be_checked()
    founder.screenshot(path=f"{SHOTS}/3-withdraw-confirm-phone.png")
    founder.keyboard.press("Tab")
    expect(founder.get_by_role("button", name="Rút hồ sơ")).to_be_focused()
    founder.keyboard.press("Enter")
    messages = founder.locator(".messages")
    expect(messages.get_by_role("status")).to_contain_text("Rút hồ sơ: hồ sơ")
    expect(messages).to_be_focused()
    application.refresh_from_db()
    assert application.state == "withdrawn"


def test_reviewer_on_a_phone_declares_a_conflict_and_is_told_what_is_missing(page_for):
    review = ReviewFactory(application=ApplicationFactory(state="under_review", title="Robot hái nấm"))
    rev = page_for(review.reviewer, width=360)
    rev.goto(f"/programs/reviews/{review.pk}/")
    assert_headings_in_order(rev)
    assert_accessible(rev)
    # only spaces pass the browser's check: the page sums the problem up and ties it to the box
    rev.get_by_label("Lý do xung đột lợi ích").fill("   ")
    rev.get_by_role("button", name="Khai báo xung đột lợi ích").click()
    summary = rev.locator(".error-summary")
    expect(summary).to_be_focused()
    reason = rev.get_by_label("Lý do xung đột lợi ích")
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert described_by(rev, "#id_reason") == "Hãy nêu ngắn gọn lý do xung đột lợi ích."
    assert_descriptions_exist(rev)
    summary.get_by_role("link").click()
    expect(reason).to_be_focused()
    reason.fill("Tôi là cố vấn của công ty này.")
    rev.get_by_role("button", name="Khai báo xung đột lợi ích").click()
    expect(rev.locator(".messages").get_by_role("status")).to_contain_text("Đã ghi nhận xung đột lợi ích")
    expect(rev.locator(".messages")).to_be_focused()
    assert_no_horizontal_scroll(rev)


def test_manager_on_a_phone_corrects_an_award_amount_refused(page_for, users, tmp_path):
    os.makedirs(SHOTS, exist_ok=True)
    application = ApplicationFactory(state="ranked", amount_requested=40_000_000, title="Robot hái nấm")
    application.call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    application.call.save(update_fields=["closes_at"])
    manager = page_for(users["manager"], width=360)
    manager.goto(f"/programs/applications/{application.pk}/")
    manager.get_by_role("link", name="Phê duyệt…", exact=True).click()
    amount = manager.get_by_label("Kinh phí được hỗ trợ (đồng)")
    expect(amount).to_have_attribute("inputmode", "numeric")  # the digits keypad on a phone
    expect(amount).to_have_value("40.000.000")  # the amount proposed, to confirm or change
    amount.fill("50 triệu")
    _sign(manager, tmp_path, "1234/QĐ-SKHCN")
    manager.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    # refused: the amount is kept in its box, the error tied to it and summed up at the top, which has the focus
    summary = manager.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(amount).to_have_value("50 triệu")
    expect(amount).to_have_attribute("aria-invalid", "true")
    assert described_by(manager, "#id_amount") == "Ví dụ 40.000.000 hoặc 40 triệu. | Số tiền 50.000.000\u00a0₫ vượt mức tối đa 40.000.000\u00a0₫."
    assert_descriptions_exist(manager)
    manager.screenshot(path=f"{SHOTS}/4-approve-refused-phone.png")
    summary.get_by_role("link").click()
    expect(amount).to_be_focused()
    amount.fill("40.000.000")
    _sign(manager, tmp_path, "1234/QĐ-SKHCN")  # a browser does not keep a chosen file: it is chosen again
    manager.get_by_role("button", name="Xác nhận: Phê duyệt").click()
    expect(manager.locator(".messages").get_by_role("status")).to_contain_text("Phê duyệt: hồ sơ")
    expect(manager.locator(".messages")).to_be_focused()
    assert Award.objects.get(application=application).amount == 40_000_000


def _sign(page, tmp_path, number):
    """Fill the signed record of a decision page: number, date, signer, scan, and tick the confirmation."""
    scan = tmp_path / "van-ban-da-ky.pdf"
    scan.write_bytes(b"%PDF-1.4 van ban da ky\n%%EOF\n")
    page.get_by_label("Số văn bản đã ký").fill(number)
    page.get_by_label("Ngày ký").fill(timezone.localdate().isoformat())
    page.get_by_label("Người ký (họ tên và chức vụ)").fill("Lâm Đình Thắng, Giám đốc Sở")
    page.get_by_label("Bản quét văn bản đã ký").set_input_files(str(scan))
    page.get_by_label("Tôi xác nhận quyết định này").check()


def test_officer_on_a_phone_tells_each_milestones_controls_apart_with_enlarged_text(page_for, users):
    from innohub.programs import services

    award = AwardFactory(application=ApplicationFactory(state="approved", title="Robot hái nấm", organisation=startup(name="Công ty Nấm Xanh")))
    for title, due in [("Mẫu thử hoạt động", dt.date(2026, 12, 22)), ("Khách hàng đầu tiên", dt.date(2027, 3, 22))]:
        services.milestone_add(award=award, title=title, due_on=due, amount=15_000_000, actor=users["officer"])
    decide(award.application, "contract", users["officer"])
    member = applicant_for(award.organisation)
    for milestone in award.milestones.all():  # assessed only on a report
        services.milestone_report(milestone=milestone, actor=member, report="Đã làm xong.")
    officer = page_for(users["officer"], width=360)
    officer.goto(f"/programs/applications/{award.application_id}/")
    assert_headings_in_order(officer)
    # each row's box and buttons name their milestone (two "Đạt" buttons did not say which was which)
    for title in ["Mẫu thử hoạt động", "Khách hàng đầu tiên"]:
        expect(officer.get_by_role("button", name=f"Đạt – {title}", exact=True)).to_have_count(1)
        expect(officer.get_by_role("button", name=f"Chưa đạt – {title}")).to_have_count(1)
        expect(officer.get_by_label(f"Ghi chú gửi doanh nghiệp (bắt buộc nếu chưa đạt) – {title}")).to_have_count(1)
    expect(officer.locator("#amount-approve, #id_amount").first).to_have_attribute("inputmode", "numeric")
    officer.evaluate(ZOOMED_TEXT)
    assert_no_horizontal_scroll(officer)
    # the two buttons keep a gap between them when they wrap (they touched)
    met = officer.get_by_role("button", name="Đạt – Mẫu thử hoạt động", exact=True).bounding_box()
    not_met = officer.get_by_role("button", name="Chưa đạt – Mẫu thử hoạt động").bounding_box()
    assert not_met["y"] >= met["y"] + met["height"] + 4 or not_met["x"] >= met["x"] + met["width"] + 4, (met, not_met)
    officer.screenshot(path=f"{SHOTS}/5-milestones-phone-200.png", full_page=True)
    # the same page in English: the startup's Vietnamese text is marked so, for the reader's voice
    english = page_for(users["officer"])
    english.goto(f"/en/programs/applications/{award.application_id}/")
    expect(english.get_by_role("heading", level=1)).to_have_attribute("lang", "vi")
    expect(english.locator("td[data-label=Milestone] > span[lang=vi]").first).to_have_text("Mẫu thử hoạt động")
    expect(english.get_by_role("button", name="Met – Mẫu thử hoạt động", exact=True)).to_have_count(1)
    assert_accessible(english)
