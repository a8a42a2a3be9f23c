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
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    ZOOMED_TEXT,
    assert_accessible,
    assert_descriptions_exist,
    assert_no_horizontal_scroll,
    described_by,
    refused_summary,
    staff_nav,
)

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
    visitor.goto("/")
    visitor.locator("main a[href='/qa/ask/']").first.click()
    assert visitor.get_by_role("heading", level=1).inner_text() == "Hỏi Sở"
    visitor.get_by_label("Chủ đề").select_option(label="Hỗ trợ khởi nghiệp")
    visitor.get_by_label("Câu hỏi của bạn").fill("Tôi là Lê Thị Hoa. Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    suggestion = visitor.locator("#qa-suggestions a").first
    expect(suggestion).to_have_text("Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    # with what the answer says, so that the visitor may read it there without asking
    expect(visitor.locator("#qa-suggestions .qa-suggestion-answer").first).to_have_text("Hồ sơ được nộp trực tuyến trên Cổng dịch vụ công.")
    visitor.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    visitor.get_by_label("Địa chỉ e-mail").fill("hoa@example.vn")
    visitor.locator("#id_consent").check()  # the asker agrees to the processing of their data
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
    # the log-in lands on the back office, whose navigation leads to the inbox
    staff_nav(officer).get_by_role("link", name="Câu hỏi cần trả lời").click()
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
    # the log-in lands on the back office, whose navigation leads to the inbox
    staff_nav(manager).get_by_role("link", name="Câu hỏi cần trả lời").click()
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
    # from the home page, with the code alone, the page asks for the e-mail address used to ask
    visitor.goto("/")
    visitor.locator("main").get_by_role("link", name="Theo dõi câu hỏi của tôi").click()
    visitor.get_by_label("Mã tra cứu").fill(code)
    visitor.get_by_role("button", name="Xem tình trạng").click()
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


def test_on_a_phone_the_inbox_opens_on_its_questions_and_its_filters_say_how_many_are_in_use(page_at, login, knowledge):
    # Given an officer on a phone, the inbox's filters are closed, so the first question shows
    # on the first screen; opened, they filter, and their summary then says how many are in use.
    QuestionFactory(topic=knowledge, text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    page = page_at(PHONE)
    login(page, "officer")
    page.goto("/qa/inbox/")
    panel = page.locator("details.filter-panel")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.get_by_label("Trạng thái")).to_be_hidden()
    first = page.locator("table a").first
    assert first.bounding_box()["y"] + first.bounding_box()["height"] < PHONE["height"]
    panel.locator("summary").click()
    page.get_by_label("Trạng thái").select_option(label="Tất cả")
    page.get_by_label("Chủ đề").select_option(label="Hỗ trợ khởi nghiệp")
    page.get_by_role("button", name="Lọc").click()
    expect(panel.locator("summary")).to_have_text("Lọc câu hỏi · 2 đang áp dụng")
    expect(page.locator("table")).to_contain_text("Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    # on a wide screen they stand open above the list
    wide = page_at(DESKTOP)
    login(wide, "officer")
    wide.goto("/qa/inbox/")
    expect(wide.get_by_label("Trạng thái")).to_be_visible()
    expect(wide.locator("details.filter-panel summary")).to_have_text("Lọc câu hỏi")


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


def test_officer_uploads_a_new_version_on_a_phone_and_the_old_ones_page_names_it(page_at, login, knowledge, tmp_path):
    from innohub.qa.models import KnowledgeDocument

    document = KnowledgeDocument.objects.get(number="1208/QĐ-SKHCN")
    new_file = tmp_path / "qd-1208-sua-doi.txt"
    new_file.write_text("Điều 5. Mức hỗ trợ\n1. Giai đoạn tiền ươm tạo: tối đa 50.000.000 đồng.\n2. Giai đoạn ươm tạo: tối đa 100.000.000 đồng.\n", encoding="utf-8")
    officer = page_at(PHONE)
    login(officer, "officer")
    officer.goto(f"/qa/knowledge/{document.pk}/")
    officer.get_by_label("Tệp (PDF, DOCX, HTML hoặc TXT, tối đa 20 MB)").set_input_files(str(new_file))
    officer.get_by_role("button", name="Tải lên", exact=True).click()
    # the officer lands on the new version, which says what it replaces
    expect(officer.locator(".messages")).to_contain_text("Đã tải lên phiên bản 2")
    expect(officer.locator(".qa-version-of")).to_contain_text("Thay thế phiên bản 1")
    officer.reload()
    expect(officer.locator(".qa-progress")).to_contain_text("Sẵn sàng")
    assert_no_horizontal_scroll(officer)
    assert_accessible(officer)
    new = KnowledgeDocument.objects.get(replaces=document)
    # the public page of the first version says which version replaced it, and leads there
    visitor = page_at(PHONE)
    visitor.goto(f"/qa/documents/{document.pk}/")
    notice = visitor.locator(".qa-withdrawn")
    expect(notice).to_contain_text("Được thay thế bởi phiên bản 2")
    assert_no_horizontal_scroll(visitor)
    assert_accessible(visitor)
    visitor.screenshot(path=f"{SHOTS}/8-replaced-public-phone.png", full_page=True)
    notice.get_by_role("link").click()
    expect(visitor).to_have_url(re.compile(rf"/qa/documents/{new.pk}/$"))
    expect(visitor.locator(".qa-passages")).to_contain_text("100.000.000 đồng")


def test_a_manager_takes_a_published_answer_down_and_readers_no_longer_find_it(page_at, login, knowledge):
    from innohub.qa.models import Answer

    answer = Answer.objects.get(published_question="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    manager = page_at(DESKTOP)
    login(manager, "manager")
    manager.goto(f"/qa/inbox/{answer.question_id}/")
    manager.get_by_text("Gỡ câu trả lời xuống để đính chính").click()
    manager.get_by_label("Nội dung cần sửa").fill("Cổng dịch vụ công đã đổi địa chỉ.")
    manager.get_by_role("button", name="Gỡ xuống").click()
    expect(manager.locator(".messages")).to_contain_text("Đã gỡ câu trả lời khỏi trang công khai")
    expect(manager.get_by_role("textbox", name="Câu trả lời")).to_be_visible()  # a draft again
    assert_accessible(manager)
    reader = page_at(PHONE)
    reader.goto("/qa/")
    expect(reader.locator(".qa-answer-card")).to_have_count(0)
    assert reader.goto(f"/qa/answers/{answer.pk}/").status == 404


def test_an_officer_on_a_phone_merges_a_question_into_the_answered_one_it_repeats(page_at, login, knowledge):
    from innohub.qa.models import Answer, Question

    answered = Answer.objects.get(published_question="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?").question
    repeat = QuestionFactory(topic=knowledge, text="Cho tôi hỏi hồ sơ đề nghị hỗ trợ khởi nghiệp thì nộp ở đâu ạ?", asker_email="an@example.vn")
    officer = page_at(PHONE)
    login(officer, "officer")
    officer.goto(f"/qa/inbox/{repeat.pk}/")
    offered = officer.locator(".qa-duplicates")
    expect(offered).to_contain_text(answered.tracking_code)
    assert_accessible(officer)
    assert_no_horizontal_scroll(officer)
    offered.get_by_role("button", name=f"Gộp vào {answered.tracking_code}").click()
    expect(officer.locator(".messages")).to_contain_text("Đã gộp câu hỏi.")
    repeat.refresh_from_db()
    assert (repeat.state, repeat.merged_into_id) == ("merged", answered.pk)
    assert Question.objects.filter(state="merged").count() == 1


def test_an_administrator_on_a_phone_fills_the_public_holidays_the_inbox_asks_for(page_at, login, knowledge):
    """Given no public holiday configured, when an administrator opens the inbox on a phone,
    then it names the year without any, its link shows that year's statutory holidays, and
    one click adds them; the inbox no longer asks for that year."""
    from django.utils import timezone

    from innohub.core.calendar import years_without_holidays
    from innohub.core.models import PublicHoliday

    year = years_without_holidays(today=timezone.localdate())[0]
    admin = page_at(PHONE)
    login(admin, "administrator")
    admin.goto("/qa/inbox/")
    notice = admin.locator(".message-warning", has_text=f"Chưa có ngày nghỉ lễ nào của năm {year}")
    expect(notice).to_be_visible()
    notice.get_by_role("link", name=f"Thêm các ngày nghỉ lễ năm {year}").click()
    expect(admin.get_by_role("heading", level=2)).to_contain_text(f"ngày nghỉ lễ của năm {year} sẽ được thêm")
    expect(admin.locator("#content-main li", has_text="Tết Nguyên Đán").first).to_be_visible()
    assert_accessible(admin)
    assert_no_horizontal_scroll(admin)
    assert not PublicHoliday.objects.exists()
    admin.get_by_role("button", name=f"Thêm các ngày nghỉ lễ năm {year}").click()
    expect(admin.locator(".messagelist")).to_contain_text(f"ngày nghỉ lễ của năm {year}")
    assert PublicHoliday.objects.filter(date__year=year, name="Tết Nguyên Đán").count() == 1
    admin.goto("/qa/inbox/")
    expect(admin.locator(".message-warning", has_text=f"năm {year}:")).to_have_count(0)


def test_an_officer_on_a_phone_moves_a_question_to_the_topic_it_is_about(page_at, login, knowledge):
    """Given a question on startup support asked under another topic, when the officer opens
    its disclosure on a phone, then the topic field reads what moving does, and moving it
    routes it to the startup unit."""
    from innohub.qa.models import Question

    elsewhere = TopicFactory(code="international", name="Hợp tác quốc tế")
    question = QuestionFactory(topic=elsewhere, unit=elsewhere.unit, text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    officer = page_at(PHONE)
    login(officer, "officer")
    officer.goto(f"/qa/inbox/{question.pk}/")
    officer.get_by_text("Chuyển sang chủ đề khác").click()
    assert "hạn trả lời vẫn là hạn đã báo cho người hỏi" in described_by(officer, "#reroute_topic")
    assert_accessible(officer)
    assert_no_horizontal_scroll(officer)
    officer.get_by_label("Chủ đề").select_option(label="Hỗ trợ khởi nghiệp")
    officer.get_by_role("button", name="Chuyển", exact=True).click()
    expect(officer.locator(".messages")).to_contain_text("Câu hỏi đã được chuyển sang chủ đề “Hỗ trợ khởi nghiệp”")
    question = Question.objects.get(pk=question.pk)
    assert (question.topic, question.unit) == (knowledge, knowledge.unit)


def test_a_reader_on_a_phone_says_an_answer_did_not_help_and_what_was_missing_and_the_officer_reads_it(page_at, login, knowledge):
    from innohub.qa.models import Answer

    answer = Answer.objects.get(published_question="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    reader = page_at(PHONE)
    reader.goto(f"/qa/answers/{answer.pk}/")
    feedback = reader.get_by_role("region", name="Câu trả lời này có giúp ích cho bạn không?")
    assert_accessible(reader)
    feedback.get_by_role("button", name="Không").click()
    expect(feedback.get_by_role("status")).to_have_text("Bạn đã cho biết câu trả lời này chưa giúp được bạn. Cảm ơn bạn đã phản hồi.")
    comment = feedback.get_by_label("Câu trả lời còn thiếu hoặc chưa rõ điều gì? (không bắt buộc)")
    expect(comment).to_be_visible()
    assert_accessible(reader)
    assert_no_horizontal_scroll(reader)
    comment.fill("Chưa nói giờ tiếp nhận hồ sơ trực tiếp.")
    feedback.get_by_role("button", name="Gửi").click()
    expect(feedback.get_by_label("Câu trả lời còn thiếu hoặc chưa rõ điều gì? (không bắt buộc)")).to_have_value("Chưa nói giờ tiếp nhận hồ sơ trực tiếp.")
    expect(feedback.get_by_role("link", name="Đặt câu hỏi")).to_have_attribute("href", "/qa/ask/")

    officer = page_at(PHONE)
    login(officer, "officer")
    officer.goto(f"/qa/inbox/{answer.question_id}/")
    expect(officer.locator(".qa-feedback-summary")).to_contain_text("0 trên 1 người đọc thấy hữu ích")
    expect(officer.locator(".qa-feedback-summary")).to_contain_text("Chưa nói giờ tiếp nhận hồ sơ trực tiếp.")
    assert_accessible(officer)
    assert_no_horizontal_scroll(officer)


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


# -- accessibility beyond axe's serious and critical rules ---------------------------------



def test_ask_form_errors_are_summarised_focused_and_tied_to_their_fields_on_a_phone(page_at, knowledge):
    page = page_at(PHONE)
    page.goto("/qa/ask/")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    # the summary takes the focus, so a screen reader starts at the problems, and the title says so
    summary = refused_summary(page)
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.get_by_role("heading", level=2)).to_have_text("Câu hỏi chưa được gửi. Hãy sửa 3 lỗi sau:")
    expect(summary.get_by_role("link")).to_have_count(3)  # the question, the address, the consent
    # each field with a problem says so, and reads its error (and its help) as its description
    text = page.get_by_label("Câu hỏi của bạn")
    expect(text).to_have_attribute("aria-invalid", "true")
    assert "Trường này là bắt buộc." in described_by(page, "#id_text")
    assert "Không ghi số CCCD" in described_by(page, "#id_text")
    email = page.get_by_label("Địa chỉ e-mail")
    expect(email).to_have_attribute("aria-invalid", "true")
    assert described_by(page, "#id_asker_email").endswith("Hãy nhập địa chỉ e-mail hợp lệ để chúng tôi báo cho bạn khi có câu trả lời.")
    expect(page.get_by_label("Họ và tên")).not_to_have_attribute("aria-invalid", "true")
    assert_descriptions_exist(page)
    # a summary link takes the reader to the field
    summary.get_by_role("link").filter(has_text="Địa chỉ e-mail").click()
    expect(page).to_have_url(re.compile(r"#id_asker_email$"))
    page.screenshot(path=f"{SHOTS}/8-ask-errors-phone.png", full_page=True)

    # a badly written address: the same, with the address's own message
    page.get_by_label("Câu hỏi của bạn").fill("Hồ sơ khởi nghiệp nộp ở đâu?")
    page.get_by_label("Địa chỉ e-mail").fill("hoa@example")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.get_by_label("Câu hỏi của bạn")).not_to_have_attribute("aria-invalid", "true")
    assert "Địa chỉ e-mail này không hợp lệ" in described_by(page, "#id_asker_email")
    assert_descriptions_exist(page)
    assert_no_horizontal_scroll(page)
    # the question kept by the refused form is looked up again, without typing a key
    expect(page.get_by_label("Câu hỏi của bạn")).to_have_value("Hồ sơ khởi nghiệp nộp ở đâu?")
    expect(page.locator("#qa-suggestions a").first).to_have_text("Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")


def test_a_question_typed_while_the_page_still_loads_gets_its_suggestions(page_at, knowledge):
    """On a slow connection a citizen types before the page's script has run (CI's failure)."""
    page = page_at(PHONE)
    held = []
    page.route("**/js/qa*.js", lambda route: held.append(route))  # the script arrives late
    page.goto("/qa/ask/", wait_until="commit")
    page.get_by_label("Câu hỏi của bạn").fill("Hồ sơ khởi nghiệp nộp ở đâu?")
    assert held, "the page asked for its script"
    for route in held:
        route.continue_()
    expect(page.locator("#qa-suggestions a").first).to_have_text("Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")


def test_fields_of_the_shared_form_read_their_help(page_at, login, knowledge):
    """partials/form.html gives the help the id Django's aria-describedby names."""
    question = QuestionFactory(topic=knowledge, text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    page = page_at(PHONE)
    login(page, "officer")
    page.goto(f"/qa/inbox/{question.pk}/")
    page.get_by_role("button", name="Soạn dự thảo trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã soạn dự thảo")
    assert "Số điện thoại, địa chỉ e-mail" in described_by(page, "#answer_public_question")
    assert_descriptions_exist(page)


@pytest.mark.parametrize(("prefix", "one"), [
    ("", "1 câu trả lời đã công bố có thể giải đáp câu hỏi của bạn; xem danh sách ngay dưới ô câu hỏi."),
    ("/en", "1 published answer may answer your question; it is listed below the question box."),
])
def test_suggestions_are_announced_with_their_count_and_reached_by_keyboard(page_at, knowledge, prefix, one):
    page = page_at(PHONE, locale="en-GB" if prefix else "vi-VN")
    page.goto(f"{prefix}/qa/ask/")
    status = page.locator("#qa-suggestions-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    text = page.locator("#id_text")
    text.press_sequentially("hồ sơ khởi nghiệp nộp ở đâu", delay=10)
    expect(status).to_have_text(one)
    suggestion = page.locator("#qa-suggestions a")
    expect(suggestion).to_have_count(1)
    # the answer is in Vietnamese: on the English page it is marked so, for the reader's voice
    if prefix:
        expect(suggestion).to_have_attribute("lang", "vi")
    else:
        expect(suggestion).not_to_have_attribute("lang", re.compile(".*"))
    # the next Tab from the question reaches the suggestion
    text.focus()
    page.keyboard.press("Tab")
    expect(suggestion).to_be_focused()
    text.fill("")
    text.press_sequentially("xyz", delay=10)
    expect(status).to_have_text("")
    expect(page.locator(".qa-suggestions")).to_be_hidden()


def test_phone_menu_is_a_disclosure_that_escape_closes(page_at):
    page = page_at(PHONE)
    page.goto("/qa/")
    toggle = page.get_by_role("button", name="Trình đơn")
    menu_link = page.locator("#site-menu").get_by_role("link", name="Hỏi đáp")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_link).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu_link).to_be_visible()
    # the focus goes on into the menu, and Escape closes it and brings the focus back to its button
    page.keyboard.press("Tab")
    expect(page.locator("#site-menu a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu_link).to_be_hidden()
    expect(toggle).to_be_focused()
    page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.screenshot(path=f"{SHOTS}/9-menu-open-phone.png")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")


def test_vietnamese_text_on_english_pages_is_marked_as_vietnamese(page_at, login, knowledge):
    from innohub.qa.models import Answer, Citation, Passage

    answer = Answer.objects.get()
    passage = Passage.objects.get(order=3)
    Citation.objects.create(answer=answer, number=1, passage=passage, document=passage.document, source_label=passage.source_label,
                            place=passage.place, anchor=passage.anchor, quote=passage.text)
    QuestionFactory(topic=knowledge, text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    page = page_at(DESKTOP, locale="en-GB")
    page.goto("/en/qa/")
    card = page.locator(".qa-answer-card").first
    expect(card.locator("h3")).to_have_attribute("lang", "vi")
    expect(card.locator("p[lang=vi]")).to_contain_text("Cổng dịch vụ công")
    expect(card.locator("p.muted")).not_to_have_attribute("lang", "vi")  # the topic and date are in English
    card.get_by_role("link").click()
    expect(page.locator(".qa-question")).to_have_attribute("lang", "vi")
    expect(page.locator(".qa-answer-text")).to_have_attribute("lang", "vi")
    expect(page.locator(".qa-sources p[lang=vi]")).to_contain_text("Hồ sơ được nộp trực tuyến")
    assert_accessible(page)
    page.locator(".qa-sources a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "vi")
    expect(page.locator("#p3 [lang=vi]")).to_contain_text("Hồ sơ được nộp trực tuyến")
    # staff read the questions on English pages too
    login(page, "officer")
    page.goto("/en/qa/inbox/")
    expect(page.locator("td[lang=vi]").first).to_contain_text("Giai đoạn ươm tạo")
    # on Vietnamese pages nothing is marked: the page's own language applies
    page.goto("/qa/")
    expect(page.locator("main [lang]")).to_have_count(0)


def test_enlarged_text_and_narrow_screens_do_not_scroll_sideways(page_at, login, knowledge):
    from innohub.qa.models import KnowledgeDocument

    document = KnowledgeDocument.objects.get(number="1208/QĐ-SKHCN")
    # 200 % text on a desktop: the navigation wraps, "Log in" stays in sight
    page = page_at(DESKTOP)
    page.goto("/qa/")
    page.evaluate(ZOOMED_TEXT)
    assert_no_horizontal_scroll(page)
    login_link = page.locator(".site-header").get_by_role("link", name="Đăng nhập")
    assert login_link.bounding_box()["x"] + login_link.bounding_box()["width"] <= DESKTOP["width"]
    page.screenshot(path=f"{SHOTS}/10-faq-desktop-200.png")
    # a 180-px screen (a 360-px phone at 200 % zoom): the filters and the document's details fit
    narrow = page_at({"width": 180, "height": 800})
    for path in ["/qa/", "/qa/track/", f"/qa/documents/{document.pk}/"]:
        narrow.goto(path)
        assert_no_horizontal_scroll(narrow)
    narrow.screenshot(path=f"{SHOTS}/11-document-180.png")


def test_stacked_tables_stay_readable_with_enlarged_text_on_a_phone(page_at, login, users, knowledge):
    QuestionFactory(topic=knowledge, asker=users["visitor"], asker_email=users["visitor"].email, text="Hồ sơ khởi nghiệp nộp ở đâu, và giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    page = page_at(PHONE)
    login(page, "visitor")
    page.goto("/qa/mine/")
    page.evaluate(ZOOMED_TEXT)
    assert_no_horizontal_scroll(page)
    # each value keeps (nearly) the card's width; beside its label it was one letter a line
    cell = page.locator("table.qa-mine td[data-label]").nth(1)
    table = page.locator("table.qa-mine").bounding_box()
    text_width = cell.evaluate("td => { const r = document.createRange(); r.selectNodeContents(td); return r.getBoundingClientRect().width; }")
    assert text_width > table["width"] * 0.6, f"the question reads in a {text_width:.0f}-px column of a {table['width']:.0f}-px table"
    page.screenshot(path=f"{SHOTS}/12-mine-phone-200.png", full_page=True)
    # at 100 % the label stays beside its value
    page.evaluate("document.documentElement.style.fontSize = ''")
    label_side = cell.evaluate("td => parseFloat(getComputedStyle(td).paddingLeft)")
    assert label_side > 100


def test_touch_targets_on_a_phone_are_at_least_24_px(page_at, login, knowledge):
    def small_targets(page, selector):
        return page.evaluate(
            "s => [...document.querySelectorAll(s)].map(e => [e.textContent.trim() || e.name, e.getBoundingClientRect()])"
            ".filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24)).map(([t, r]) => `${t} ${Math.round(r.width)}×${Math.round(r.height)}`)",
            selector,
        )

    page = page_at(PHONE)
    page.goto("/qa/")
    assert not small_targets(page, "main a.btn, main button, main input, main select, .qa-topics a")
    login(page, "officer")
    page.goto("/qa/inbox/")
    assert not small_targets(page, "main button, main input:not([type=hidden]), main select")
