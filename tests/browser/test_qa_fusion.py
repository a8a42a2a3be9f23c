"""Issue 33 in Chromium at 360 px: an administrator reaches the knowledge base's search
weights by clicking from the back office, and reads them on a phone; an officer presses
Enter in the "merge into another question" box and the question is merged (it used to save
the answer instead), with the answer as typed kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from innohub.qa.models import Answer, Collection, FusionEstimate
from innohub.qa.tests.factories import DocumentFactory, PassageFactory, QuestionFactory
from tests.browser.conftest import check_page, staff_nav

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_reaches_the_search_weights_from_the_back_office_on_a_phone(phone_for, users):
    FusionEstimate.objects.create(
        collection=Collection.ANSWERS, lexical_share=0.1, rule=FusionEstimate.Rule.CROSS_VALIDATED, pairs=42,
        cv_mrr=0.612, cv_low=0.55, cv_high=0.674, bm25_mrr=0.38, fusion_mrr=0.57, tuned_share=0.1,
        folds=[{"fold": n, "pairs": 8 + (n < 3), "share": 0.1, "mrr": 0.6, "bm25_mrr": 0.38, "fusion_mrr": 0.57} for n in range(1, 6)],
    )  # fmt: skip
    FusionEstimate.objects.create(collection=Collection.LEGAL, lexical_share=1.0, rule=FusionEstimate.Rule.SAFE_DEFAULT, pairs=12,
                                  cv_mrr=0.9, cv_low=0.82, cv_high=0.98, bm25_mrr=0.9, fusion_mrr=0.86,
                                  folds=[{"fold": n, "pairs": 2 + (n < 3), "share": 1.0, "mrr": 0.9, "bm25_mrr": 0.9, "fusion_mrr": 0.86} for n in range(1, 6)])
    page = phone_for(users["administrator"])
    # the log-in lands on the back office, whose navigation leads to the Q&A's inbox
    assert page.url.endswith("/backoffice/")
    staff_nav(page).get_by_role("link", name="Câu hỏi cần trả lời").click()  # on a phone, a menu opened first
    page.get_by_role("link", name="Trọng số tìm kiếm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trọng số tìm kiếm của cơ sở tri thức")
    answers = page.locator("section", has=page.get_by_role("heading", name="Hỏi đáp", exact=True))
    expect(answers).to_contain_text("0,1")
    expect(answers).to_contain_text("Trọng số chọn bằng kiểm định chéo")
    expect(answers).to_contain_text("khoảng tin cậy 95% 0,550–0,674")
    expect(answers.locator("tbody tr")).to_have_count(5)
    legal = page.locator("section", has=page.get_by_role("heading", name="Văn bản pháp luật"))
    expect(legal).to_contain_text("chỉ dùng BM25: tắt vectơ ngữ nghĩa")
    expect(page.locator("section", has=page.get_by_role("heading", name="Hướng dẫn, thủ tục"))).to_contain_text("Chưa ước lượng")
    expect(page.locator("#history-title ~ .table-wrap tbody tr")).to_have_count(2)
    check_page(page)


def test_an_officer_presses_enter_in_the_merge_box_and_the_question_is_merged_with_the_answer_kept(phone_for, users):
    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp", number="12/2026/QĐ-SKHCN")
    PassageFactory(document=document, order=4, article="5", clause="2", text="Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng.")
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?")
    answered = QuestionFactory(text="Chính sách hỗ trợ sở hữu trí tuệ cho doanh nghiệp?", state="published")
    page = phone_for(users["officer"])
    page.goto(f"/qa/inbox/{question.pk}/")
    page.get_by_role("button", name="Soạn dự thảo trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã soạn dự thảo")

    page.get_by_role("textbox", name="Câu trả lời").fill("Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng [1].")
    page.get_by_text("Gộp vào câu hỏi khác").click()
    code_box = page.get_by_label("Mã tra cứu của câu hỏi được gộp vào")
    code_box.fill(answered.tracking_code)
    check_page(page)
    code_box.press("Enter")

    expect(page.locator(".messages")).to_contain_text("Đã gộp câu hỏi.")
    question.refresh_from_db()
    assert (question.state, question.merged_into_id) == ("merged", answered.pk)
    assert Answer.objects.get(question=question).draft_text == "Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng [1]."
