"""Issue 27 in Chromium at 360 px, with the demo's accounts and knowledge base: a citizen asks
from the home page; the demo officer drafts, edits the draft and presses "Trình phê duyệt"
without saving — the edit is what the manager approves (and an edit followed by a note is kept too); the citizen follows the code and
reads the answer alone (no empty form above it), its citations [1], [2] in order of reading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from innohub.accounts.models import User
from innohub.accounts.tests.factories import totp_code, totp_device_for
from innohub.accounts.two_factor import requires_two_factor
from tests.browser.conftest import PHONE, assert_accessible, assert_no_horizontal_scroll, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(db):
    from innohub.accounts import demo as accounts_demo
    from innohub.qa import demo as qa_demo

    accounts_demo.seed()
    qa_demo.seed()
    return accounts_demo.DEMO_PASSWORD


def _log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập hoặc e-mail").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    user = User.objects.get(username=username)
    if requires_two_factor(user):  # staff give the code of the demo's published authenticator key
        page.get_by_label("Mã xác thực").fill(totp_code(totp_device_for(user)))
        page.locator("main").get_by_role("button", name="Xác thực").click()
        page.wait_for_load_state()


def test_an_edit_sent_without_saving_is_what_the_citizen_reads_with_citations_in_order(page_at, demo):
    # a citizen asks from the home page, on a phone
    citizen = page_at(PHONE)
    citizen.goto("/")
    citizen.locator("main a[href='/qa/ask/']").first.click()
    citizen.get_by_label("Chủ đề").select_option(label="Hỗ trợ khởi nghiệp")
    citizen.get_by_label("Câu hỏi của bạn").fill("Doanh nghiệp khởi nghiệp ở giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu, và nộp hồ sơ ở đâu?")
    citizen.get_by_label("Họ và tên").fill("Võ Thị Lan")
    citizen.get_by_label("Địa chỉ e-mail").fill("lan.vo@example.vn")
    citizen.locator("#id_consent").check()  # the asker agrees to the processing of their data
    citizen.get_by_role("button", name="Gửi câu hỏi").click()
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"HD-[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    # the demo officer drafts, edits the draft and presses "Trình phê duyệt" without saving
    officer = page_at(PHONE)
    _log_in(officer, "officer", demo)
    # the log-in lands on the back office, whose navigation leads to the inbox
    staff_nav(officer).get_by_role("link", name="Câu hỏi cần trả lời").click()
    officer.get_by_role("link", name=code).click()
    officer.get_by_role("button", name="Soạn dự thảo trả lời").click()
    expect(officer.locator(".messages")).to_contain_text("Đã soạn dự thảo")
    numbers = [int(n) for n in re.findall(r"\[(\d+)\]", officer.locator(".qa-sources").inner_text())]
    assert len(numbers) >= 2
    first, second = max(numbers), min(numbers)  # cited out of their stored order: [5] before [1], say
    labels = officer.locator(".qa-sources li")
    first_label = labels.nth(numbers.index(first)).locator("span").first.inner_text()
    second_label = labels.nth(numbers.index(second)).locator("span").first.inner_text()
    draft = officer.get_by_role("textbox", name="Câu trả lời")
    # an edit, then a note added with the page's other form: the edit travels with it (qa.js)
    draft.fill(f"Bản sửa đầu [{second}].")
    officer.get_by_label("Ghi chú mới").fill("Đã gọi điện cho người hỏi.")
    officer.get_by_role("button", name="Thêm ghi chú").click()
    expect(officer.locator(".messages")).to_contain_text("Đã lưu ghi chú.")
    expect(draft).to_have_value(f"Bản sửa đầu [{second}].")
    edited = f"Theo quy định hiện hành [{first}], doanh nghiệp nộp hồ sơ trực tuyến; mức hỗ trợ xem tại [{second}]. (Cán bộ đã sửa)"
    draft.fill(edited)
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)
    officer.get_by_role("button", name="Trình phê duyệt").click()
    expect(officer.locator(".messages")).to_contain_text("Đã trình phê duyệt")
    expect(officer.locator(".qa-answer-text")).to_contain_text("(Cán bộ đã sửa)")

    # the demo manager reads the edit and approves it
    manager = page_at(PHONE)
    _log_in(manager, "manager", demo)
    # the log-in lands on the back office, whose navigation leads to the inbox
    staff_nav(manager).get_by_role("link", name="Câu hỏi cần trả lời").click()
    manager.get_by_role("link", name=code).click()
    expect(manager.locator(".qa-answer-text")).to_contain_text("(Cán bộ đã sửa)")
    manager.get_by_role("button", name="Phê duyệt và công bố").click()
    expect(manager.locator(".messages")).to_contain_text("Đã công bố")

    # the citizen follows the code from the home page: the answer alone, [1] then [2]
    citizen.goto("/")
    citizen.locator("main").get_by_role("link", name="Theo dõi câu hỏi của tôi").click()
    citizen.get_by_label("Mã tra cứu").fill(code)
    citizen.get_by_label("E-mail đã dùng khi hỏi").fill("lan.vo@example.vn")
    citizen.get_by_role("button", name="Xem tình trạng").click()
    expect(citizen.locator(".qa-state")).to_have_text("Đã trả lời")
    answer = citizen.locator(".qa-answer-text")
    expect(answer).to_contain_text("(Cán bộ đã sửa)")
    assert re.findall(r"\[\d+\]", answer.inner_text()) == ["[1]", "[2]"]
    sources = citizen.locator(".qa-sources li")
    expect(sources).to_have_count(2)
    expect(sources.nth(0)).to_contain_text("[1]")
    expect(sources.nth(0)).to_contain_text(first_label)
    expect(sources.nth(1)).to_contain_text("[2]")
    expect(sources.nth(1)).to_contain_text(second_label)
    # no form left above the result, and a way to look up another code
    expect(citizen.get_by_label("Mã tra cứu")).to_have_count(0)
    expect(citizen.get_by_role("button", name="Xem tình trạng")).to_have_count(0)
    expect(citizen.get_by_role("link", name="Tra cứu mã khác")).to_be_visible()
    assert_no_horizontal_scroll(citizen)
    assert_accessible(citizen)
    # [1] leads to the first source read
    answer.get_by_role("link", name="[1]").click()
    expect(citizen).to_have_url(re.compile(r"#cite-1$"))


def test_without_javascript_each_handling_button_keeps_the_answer_on_the_screen(browser, live_server, login, users):
    """With JavaScript off, the officer edits the drafted answer and, without saving it, adds a
    note, assigns the question, moves it to another topic and merges it: each button posts the
    answer as it is on the screen (the "Handling" forms belong to the answer's form), so each
    edit is kept, and what was typed is still on the screen after each step."""
    from innohub.qa import services
    from innohub.qa.models import Answer
    from innohub.qa.tests.factories import (
        DocumentFactory,
        PassageFactory,
        QuestionFactory,
        TopicFactory,
    )

    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp", number="12/2026/QĐ-SKHCN")
    PassageFactory(document=document, order=4, article="5", clause="2", text="Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng.")
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?")
    same = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu vậy?")
    TopicFactory(name="Sở hữu trí tuệ")
    services.question_draft(question=question, actor=users["officer"])

    context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    try:
        officer = context.new_page()
        login(officer, "officer")
        officer.goto("/")
        officer.get_by_role("link", name="Trang quản trị").click()
        staff_nav(officer).get_by_role("link", name="Câu hỏi cần trả lời").click()
        officer.get_by_role("link", name=question.tracking_code).click()
        draft = officer.get_by_role("textbox", name="Câu trả lời")

        draft.fill("Bản sửa thứ nhất [1].")
        officer.get_by_label("Ghi chú mới").fill("Đã gọi điện cho người hỏi.")
        officer.get_by_role("button", name="Thêm ghi chú").click()
        expect(officer.locator(".messages")).to_contain_text("Đã lưu ghi chú.")
        expect(draft).to_have_value("Bản sửa thứ nhất [1].")
        assert Answer.objects.get(question=question).draft_text == "Bản sửa thứ nhất [1]."
        # (axe runs on timers, which a page without JavaScript never fires: the same page is checked with it above)
        assert officer.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

        draft.fill("Bản sửa thứ hai [1].")
        officer.get_by_role("button", name="Phân công", exact=True).click()
        expect(officer.locator(".messages")).to_contain_text("Đã phân công")
        expect(draft).to_have_value("Bản sửa thứ hai [1].")

        draft.fill("Bản sửa thứ ba [1].")
        officer.get_by_text("Chuyển sang chủ đề khác").click()  # a <details>: opens without a script
        officer.get_by_label("Chủ đề").select_option(label="Sở hữu trí tuệ")
        officer.get_by_role("button", name="Chuyển", exact=True).click()
        expect(officer.locator(".messages")).to_contain_text("Sở hữu trí tuệ")
        expect(draft).to_have_value("Bản sửa thứ ba [1].")

        draft.fill("Bản sửa cuối cùng [1].")
        officer.get_by_role("button", name=f"Gộp vào {same.tracking_code}").click()
        expect(officer.locator(".messages")).to_contain_text("Đã gộp")
        question.refresh_from_db()
        assert question.state == "merged" and question.merged_into == same
        assert Answer.objects.get(question=question).draft_text == "Bản sửa cuối cùng [1]."
        assert question.notes.count() == 1 and question.assignee == users["officer"]
    finally:
        context.close()
