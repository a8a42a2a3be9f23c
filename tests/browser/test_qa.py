"""The Q&A service in Chromium: a visitor asks on a phone and gets a tracking code, an
officer drafts from the knowledge base, a manager publishes, the visitor reads the
answer and follows its citation to the exact passage."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from innohub.qa.tests.factories import (
    AnswerFactory,
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
    TopicFactory,
)
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_no_horizontal_scroll

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = "/tmp/innohub-qa-shots"  # noqa: S108


@pytest.fixture
def knowledge():
    topic = TopicFactory(code="startup-support", name="Hỗ trợ khởi nghiệp", name_en="Support for startups")
    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp đổi mới sáng tạo", number="1208/QĐ-SKHCN")
    PassageFactory(document=document, order=1, article="5", clause="1", text="1. Giai đoạn tiền ươm tạo: hỗ trợ không hoàn lại tối đa 40.000.000 đồng cho mỗi dự án.")
    PassageFactory(document=document, order=2, article="5", clause="2", text="2. Giai đoạn ươm tạo: hỗ trợ không hoàn lại tối đa 80.000.000 đồng cho mỗi doanh nghiệp khởi nghiệp.")
    PassageFactory(document=document, order=3, article="8", clause="4", text="4. Hồ sơ được nộp trực tuyến trên Cổng dịch vụ công của Thành phố.")
    AnswerFactory(
        question=QuestionFactory(topic=topic, state="published"),
        published_question="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?",
        published_text="Hồ sơ được nộp trực tuyến trên Cổng dịch vụ công [1].",
    )
    return topic


def test_visitor_asks_officer_drafts_manager_publishes_visitor_reads(page_at, login, knowledge):
    import os

    os.makedirs(SHOTS, exist_ok=True)
    # a visitor asks on a phone, and is shown published answers while typing
    visitor = page_at(PHONE)
    visitor.goto("/qa/ask/")
    assert visitor.get_by_role("heading", level=1).inner_text() == "Hỏi Sở"
    visitor.get_by_label("Chủ đề").select_option(label="Hỗ trợ khởi nghiệp")
    visitor.get_by_label("Câu hỏi của bạn").fill("Tôi là Lê Thị Hoa. Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    suggestion = visitor.locator("#qa-suggestions a").first
    expect(suggestion).to_have_text("Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    visitor.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    visitor.get_by_label("Địa chỉ e-mail").fill("hoa@example.vn")
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)
    visitor.screenshot(path=f"{SHOTS}/1-ask-phone.png", full_page=True)
    visitor.get_by_role("button", name="Gửi câu hỏi").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Câu hỏi của bạn đã được tiếp nhận")
    code = visitor.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"HD-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)

    # an officer drafts from the knowledge base and sends it for approval
    officer = page_at(DESKTOP)
    login(officer, "officer")
    officer.goto("/qa/inbox/")
    assert_accessible(officer)
    officer.get_by_role("link", name=code).click()
    officer.get_by_role("button", name="Soạn dự thảo trả lời").click()
    expect(officer.locator(".messages")).to_contain_text("Đã soạn dự thảo")
    sources = officer.locator(".qa-sources")
    expect(sources).to_contain_text("Điều 5, Khoản 2")
    draft = officer.get_by_role("textbox", name="Câu trả lời")
    assert "[1]" in draft.input_value() and "80.000.000" in draft.input_value()
    # the public wording is proposed without the asker's self-introduction ("Tôi là Lê Thị Hoa."),
    # not even as "Tôi là [đã ẩn]."; the officer rewords it
    wording = officer.get_by_role("textbox", name="Câu hỏi sẽ được công bố như sau")
    assert wording.input_value() == "Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ bao nhiêu?"
    wording.fill("Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?")
    officer.get_by_role("button", name="Lưu câu trả lời").click()
    expect(officer.locator(".messages")).to_contain_text("Đã lưu câu trả lời")
    officer.screenshot(path=f"{SHOTS}/2-officer-draft.png", full_page=True)
    assert_accessible(officer)
    officer.get_by_role("button", name="Trình phê duyệt").click()
    expect(officer.locator(".messages")).to_contain_text("Đã trình phê duyệt")

    # a manager approves and publishes
    manager = page_at(DESKTOP)
    login(manager, "manager")
    manager.goto("/qa/inbox/")
    manager.get_by_role("link", name=code).click()
    expect(manager.locator(".qa-public-question")).to_have_text("Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?")
    manager.get_by_role("button", name="Phê duyệt và công bố").click()
    expect(manager.locator(".messages")).to_contain_text("Đã công bố")

    # the visitor opens the link in the e-mail that says the question is answered
    answered = [m for m in mail.outbox if m.to == ["hoa@example.vn"]][-1]
    assert code in answered.subject
    link = urlsplit(re.search(r"http\S+", answered.body).group(0))
    visitor.goto(f"{link.path}?{link.query}")
    expect(visitor.locator(".qa-state")).to_have_text("Đã trả lời")
    # with the code alone, the page asks for the e-mail address used to ask
    visitor.goto(f"/qa/track/?code={code}")
    expect(visitor.locator(".qa-state")).to_have_count(0)
    visitor.get_by_label("E-mail đã dùng khi hỏi").fill("hoa@example.vn")
    visitor.get_by_role("button", name="Xem tình trạng").click()
    expect(visitor.locator(".qa-state")).to_have_text("Đã trả lời")
    assert_no_horizontal_scroll(visitor)
    visitor.get_by_role("link", name="Đọc câu trả lời và văn bản căn cứ").click()
    expect(visitor.locator(".qa-question")).to_have_text("Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?")
    expect(visitor.locator(".qa-answer-text")).to_contain_text("80.000.000")
    cited = visitor.locator(".qa-sources")
    expect(cited).to_contain_text("1208/QĐ-SKHCN")
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)
    visitor.screenshot(path=f"{SHOTS}/3-answer-phone.png", full_page=True)
    cited.get_by_role("link").filter(has_text="Điều 5, Khoản 2").first.click()
    expect(visitor).to_have_url(re.compile(r"/qa/documents/\d+/\?at=p2#p2$"))
    expect(visitor.locator("#p2")).to_contain_text("80.000.000")
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)
    visitor.screenshot(path=f"{SHOTS}/4-passage-phone.png")


def test_faq_search_without_diacritics_on_a_phone(page_at, knowledge):
    page = page_at(PHONE)
    page.goto("/qa/")
    page.get_by_role("searchbox", name="Tìm trong các câu trả lời").fill("ho so khoi nghiep nop o dau")
    page.locator("main").get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator(".qa-answer-card").first).to_contain_text("Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)


def test_staff_pages_on_a_phone(page_at, login, knowledge):
    QuestionFactory(topic=knowledge, text="Câu hỏi quá hạn về ươm tạo", due_date=__import__("datetime").date(2026, 1, 5))
    page = page_at(PHONE)
    login(page, "manager")
    for path in ["/qa/inbox/", "/qa/stats/", "/qa/knowledge/"]:
        page.goto(path)
        assert_no_horizontal_scroll(page)
        assert_accessible(page)
    page.goto("/qa/inbox/")
    expect(page.locator(".qa-late").first).to_be_visible()
    page.screenshot(path=f"{SHOTS}/5-inbox-phone.png", full_page=True)


def test_officer_withdraws_a_document_on_a_phone_and_the_public_page_says_so(page_at, login, knowledge):
    from innohub.qa.models import KnowledgeDocument

    document = KnowledgeDocument.objects.get(number="1208/QĐ-SKHCN")
    officer = page_at(PHONE)
    login(officer, "officer")
    officer.goto(f"/qa/knowledge/{document.pk}/")
    officer.get_by_text("Thu hồi: văn bản hết hiệu lực").click()
    officer.get_by_label("Lý do hết hiệu lực").fill("Thay thế bởi Quyết định 15/2027/QĐ-SKHCN")
    officer.get_by_role("button", name="Thu hồi", exact=True).click()
    expect(officer.locator(".messages")).to_contain_text("Đã thu hồi văn bản")
    expect(officer.locator(".qa-withdrawn")).to_contain_text("Thay thế bởi Quyết định 15/2027/QĐ-SKHCN")
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)
    officer.screenshot(path=f"{SHOTS}/6-withdrawn-staff-phone.png", full_page=True)
    visitor = page_at(PHONE)
    visitor.goto(f"/qa/documents/{document.pk}/")
    expect(visitor.locator(".qa-withdrawn")).to_contain_text("Hết hiệu lực từ ngày")
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)
    visitor.screenshot(path=f"{SHOTS}/7-withdrawn-public-phone.png", full_page=True)


def test_officer_adds_a_source_the_draft_missed_on_a_phone(page_at, login, knowledge):
    from innohub.qa.tests.factories import DocumentFactory as Document
    from innohub.qa.tests.factories import PassageFactory as Passage

    question = QuestionFactory(topic=knowledge, text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    rules = Document(title="Quy chế tiếp nhận văn bản", number="45/QC-SKHCN")
    Passage(document=rules, order=1, article="4", clause="1", text="Văn bản gửi qua Cổng dịch vụ công của Thành phố.")
    page = page_at(PHONE)
    login(page, "officer")
    page.goto(f"/qa/inbox/{question.pk}/")
    page.get_by_role("button", name="Soạn dự thảo trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã soạn dự thảo")
    expect(page.locator(".qa-sources")).not_to_contain_text("45/QC-SKHCN")
    page.get_by_text("Thêm nguồn từ cơ sở tri thức").click()
    page.get_by_role("searchbox", name="Tìm đoạn văn bản trong cơ sở tri thức").fill("van ban cong dich vu")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.locator(".qa-found li").first).to_contain_text("45/QC-SKHCN Quy chế tiếp nhận văn bản, Điều 4, Khoản 1")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    found = page.locator(".qa-found li").filter(has_text="45/QC-SKHCN")
    expect(found.get_by_role("button")).to_have_accessible_name("Thêm làm nguồn 45/QC-SKHCN, Điều 4, Khoản 1")
    found.get_by_role("button").click()
    expect(page.locator(".messages")).to_contain_text("Đoạn văn bản là nguồn [")
    number = question.answer.citations.get(document__number="45/QC-SKHCN").number
    expect(page.locator(f"#src-{number}")).to_contain_text("45/QC-SKHCN Quy chế tiếp nhận văn bản, Điều 4, Khoản 1")
    # the officer cites it, and the draft is not flagged
    answer = page.get_by_role("textbox", name="Câu trả lời")
    answer.fill(f"Hồ sơ gửi qua Cổng dịch vụ công [{number}].")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu câu trả lời")
    assert_no_horizontal_scroll(page)
