"""The Q&A pages as people use them."""

from __future__ import annotations

import re
from email.message import Message
from html import escape
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from innohub.core.text import fold_diacritics
from innohub.qa import selectors, services
from innohub.qa.models import Question
from innohub.qa.tests.factories import (
    AnswerFactory,
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp", number="12/2026/QĐ-SKHCN")
    passage = PassageFactory(document=document, order=4, article="5", clause="2")
    answer = AnswerFactory(
        question=QuestionFactory(state="published", text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?"),
        published_question="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?",
        published_text="Tối đa 80.000.000 đồng [1].",
    )
    answer.citations.create(number=1, passage=passage, document=document, source_label="12/2026/QĐ-SKHCN Quy định hỗ trợ khởi nghiệp, Điều 5, Khoản 2", place="Điều 5, Khoản 2", anchor=passage.anchor, quote=passage.text)
    return answer


def test_faq_search_with_and_without_diacritics(client, published):
    for query in ["ươm tạo", "uom tao"]:
        response = client.get("/qa/", {"q": query})
        assert response.status_code == 200
        assert "Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?" in response.content.decode()
    assert "Ươm tạo khởi nghiệp" not in client.get("/qa/", {"q": "vắc xin"}).content.decode()


def test_the_list_of_answers_shows_what_each_says_without_the_opening_line_bullets_or_source_numbers(client):
    AnswerFactory(
        question=QuestionFactory(state="published"),
        published_question="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?",
        published_text="Sở Khoa học và Công nghệ trả lời như sau:\n- Tối đa 80.000.000 đồng cho mỗi doanh nghiệp. [1]\n- Mỗi giai đoạn một lần. [2]",
    )
    page = client.get("/qa/").content.decode()
    card = page[page.index("Giai đoạn ươm tạo được hỗ trợ bao nhiêu?"):]
    card = card[: card.index("</article>")]
    assert "Tối đa 80.000.000 đồng cho mỗi doanh nghiệp. Mỗi giai đoạn một lần." in card
    assert "trả lời như sau" not in card
    assert "[1]" not in card and "- Tối đa" not in card


def test_a_search_shows_each_answer_from_the_sentence_that_matched(client):
    opening = "Sở Khoa học và Công nghệ trả lời như sau:\n" + "".join(f"- Điều kiện thứ {n} về hồ sơ đăng ký và thẩm định dự án khởi nghiệp. [1]\n" for n in range(1, 6))
    AnswerFactory(
        question=QuestionFactory(state="published"),
        published_question="Hồ sơ khởi nghiệp gồm những gì và nộp ở đâu?",
        published_text=opening + "- Hồ sơ nộp trực tuyến trên Cổng dịch vụ công. [2]",
    )
    for query in ["nộp trực tuyến", "nop truc tuyen"]:
        page = client.get("/qa/", {"q": query}).content.decode()
        card = page[page.index("Hồ sơ khởi nghiệp gồm những gì"):]
        card = card[: card.index("</article>")]
        assert "… Hồ sơ nộp trực tuyến trên Cổng dịch vụ công." in card, query
        assert "Điều kiện thứ 1" not in card
    # without a search, the answer reads from its start
    page = client.get("/qa/").content.decode()
    assert "Điều kiện thứ 1 về hồ sơ" in page


def test_an_answer_sharing_only_the_phrasing_of_a_search_is_not_offered(client, published, settings):
    # "bao nhiêu" is all this search shares with the published answer: it asks about vaccines
    query = "tiêm vắc xin hết bao nhiêu tiền"
    page = client.get("/qa/", {"q": query}).content.decode()
    assert "Ươm tạo khởi nghiệp" not in page
    assert "Chưa có câu trả lời phù hợp." in page
    assert client.get("/qa/suggest/", {"q": fold_diacritics(query)}).json() == {"results": []}
    # the page offers to ask the department, the search already written as the question
    assert f'href="/qa/ask/?text={quote(query)}"' in page
    ask = client.get("/qa/ask/", {"text": query}).content.decode()
    assert f">\n{query}</textarea>" in ask
    scripted = client.get("/qa/ask/", {"text": "<script>alert(1)</script>"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in scripted and "<script>alert(1)" not in scripted
    settings.QA_SEARCH_MIN_COVERAGE = 0  # without the floor, any shared word was enough
    assert "Ươm tạo khởi nghiệp" in client.get("/qa/", {"q": query}).content.decode()


def test_answer_page_links_each_citation_to_the_exact_passage(client, published):
    html = client.get(f"/qa/answers/{published.pk}/").content.decode()
    assert 'href="#cite-1"' in html
    assert f'/qa/documents/{published.citations.first().document_id}/?at=p4#p4' in html
    document_html = client.get(f"/qa/documents/{published.citations.first().document_id}/").content.decode()
    assert 'id="p4"' in document_html


def test_after_a_new_version_an_answer_still_links_the_passage_it_quoted_whose_page_names_the_new_version(client, users, published, django_capture_on_commit_callbacks):
    cited = published.citations.first()
    quoted = cited.passage.text
    new_file = SimpleUploadedFile("qd-v2.txt", "Điều 5. Mức hỗ trợ\n1. Ươm tạo tối đa 100.000.000 đồng.\n2. Tăng tốc tối đa 500.000.000 đồng.".encode())
    with django_capture_on_commit_callbacks(execute=True):
        new = services.knowledge_document_upload(actor=users["officer"], title=cited.document.title, number="15/2027/QĐ-SKHCN", file=new_file, document=cited.document)
    # the answer's [1] still lands on the passage it quoted, on the version it quoted
    html = client.get(f"/qa/answers/{published.pk}/").content.decode()
    assert f"/qa/documents/{cited.document_id}/?at=p4#p4" in html and "hết hiệu lực" in html
    old_page = client.get(f"/qa/documents/{cited.document_id}/?at=p4").content.decode()
    assert 'id="p4"' in old_page and escape(quoted) in old_page
    # and that page says which version replaced it, with a link to it
    assert "Được thay thế bởi phiên bản 2" in old_page and f'href="/qa/documents/{new.pk}/"' in old_page and "15/2027/QĐ-SKHCN" in old_page
    assert "Tăng tốc tối đa 500.000.000 đồng." in client.get(f"/qa/documents/{new.pk}/").content.decode()


def test_unpublished_answers_are_not_public(client):
    answer = AnswerFactory(question=QuestionFactory(state="drafted"), published_at=None)
    assert client.get(f"/qa/answers/{answer.pk}/").status_code == 404


def test_suggestions_are_json(client, published):
    data = client.get("/qa/suggest/", {"q": "uom tao khoi nghiep"}).json()
    assert data["results"][0]["url"] == f"/qa/answers/{published.pk}/"
    assert data["results"][0]["language"] == "vi"  # qa.js marks it on English pages
    assert data["results"][0]["answer"] == "Tối đa 80.000.000 đồng."  # what it says, without its [1]
    assert client.get("/qa/suggest/", {"q": "a"}).json() == {"results": []}


def test_ask_then_track(client):
    topic = TopicFactory()
    response = client.post("/qa/ask/", {"topic": topic.pk, "text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "asker_name": "Lan", "asker_email": "lan@example.vn", "website": "", "consent": "on"})
    assert response.status_code == 302
    question = Question.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert question.tracking_code in page
    assert "Chúng tôi đã gửi mã tới lan@example.vn" in page
    tracked = client.post("/qa/track/", {"code": question.tracking_code.lower(), "email": "LAN@example.vn"}).content.decode()
    assert "Đã tiếp nhận" in tracked
    wrong = client.post("/qa/track/", {"code": question.tracking_code, "email": "other@example.vn"}).content.decode()
    assert "Không có câu hỏi" in wrong or "No question" in wrong


def test_the_askers_link_opens_the_question_and_a_code_alone_asks_for_the_email(client):
    topic = TopicFactory()
    response = client.post("/qa/ask/", {"topic": topic.pk, "text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "asker_name": "Lan", "asker_email": "lan@example.vn", "website": "", "consent": "on"})
    question = Question.objects.get()
    # the thanks page's button (the asker's own browser) opens the status without the e-mail
    thanks = client.get(response["Location"])
    link = thanks.context["track_path"]
    assert f'href="{escape(link)}"' in thanks.content.decode() and "key=" in link
    opened = client.get(link).content.decode()
    assert "Đã tiếp nhận" in opened and "Xin hỏi thủ tục đăng ký ươm tạo" in opened and 'role="alert"' not in opened

    # the code alone (read out on the phone, or typed) asks for the e-mail, without an error
    other = Client()
    plain = other.get("/qa/track/", {"code": question.tracking_code}).content.decode()
    assert 'role="alert"' not in plain and "Xin hỏi thủ tục" not in plain
    assert "Nhập địa chỉ e-mail bạn đã dùng khi hỏi để xem câu hỏi." in plain
    assert f'value="{question.tracking_code}"' in plain

    # a key made for another code, or tampered with, opens nothing and says so
    stranger = QuestionFactory(asker_email="khac@example.vn")
    for key in [selectors.track_key(stranger.tracking_code), link.rsplit("key=", 1)[1][:-1] + "x", "x" * 500]:
        refused = other.get("/qa/track/", {"code": question.tracking_code, "key": key}).content.decode()
        assert "Liên kết này không mở được câu hỏi." in refused and "Xin hỏi thủ tục" not in refused
    assert Question.objects.count() == 2


def test_a_visitor_must_give_an_email_address_and_a_member_need_not(client, client_for, users):
    topic = TopicFactory()
    form = client.get("/qa/ask/").content.decode()
    field = re.search(r'<input[^>]*name="asker_email"[^>]*>', form).group(0)
    assert "required" in field
    response = client.post("/qa/ask/", {"topic": topic.pk, "text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "asker_email": "", "website": "", "consent": "on"})
    assert response.status_code == 400
    assert "Hãy nhập địa chỉ e-mail hợp lệ" in response.content.decode()
    assert not Question.objects.exists()
    # a member is written to at the account's address, already filled in
    member = client_for("applicant")
    field = re.search(r'<input[^>]*name="asker_email"[^>]*>', member.get("/qa/ask/").content.decode()).group(0)
    assert "required" not in field and f'value="{users["applicant"].email}"' in field
    response = member.post("/qa/ask/", {"topic": topic.pk, "text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "asker_email": "", "website": "", "consent": "on"})
    assert response.status_code == 302 and Question.objects.get().asker_email == users["applicant"].email


def test_a_member_lists_their_own_questions(client, client_for, users, make_user):
    member = users["visitor"]
    mine = [QuestionFactory(asker=member, asker_email=member.email, text=f"Câu hỏi số {n} của tôi về ươm tạo?") for n in range(26)]
    QuestionFactory(state="published", asker=member, asker_email=member.email, text="Câu hỏi đã được trả lời?")
    stranger = QuestionFactory(asker=make_user(role="visitor"), text="Câu hỏi của người khác?")
    browser = client_for("visitor")
    first = browser.get("/qa/mine/").content.decode()
    assert "Câu hỏi của tôi" in first and "Câu hỏi đã được trả lời?" in first and "Đã trả lời" in first
    assert stranger.tracking_code not in first and "Câu hỏi của người khác?" not in first
    assert f'href="/qa/track/?code={mine[-1].tracking_code}"' in first  # the latest first
    second = browser.get("/qa/mine/", {"page": 2}).content.decode()
    assert mine[0].tracking_code in second and mine[0].tracking_code not in first
    # the member's link opens the question without the e-mail
    assert "Câu hỏi số 0 của tôi" in browser.get(f"/qa/track/?code={mine[0].tracking_code}").content.decode()
    assert "/qa/mine/" in browser.get("/qa/").content.decode()
    assert "Bạn chưa đặt câu hỏi nào." in client_for("officer").get("/qa/mine/").content.decode()
    anonymous = client.get("/qa/mine/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_ask_refusals_are_shown_and_nothing_is_stored(client):
    topic = TopicFactory()
    base = {"topic": topic.pk, "asker_email": "lan@example.vn", "website": "", "consent": "on"}
    response = client.post("/qa/ask/", {**base, "text": "x" * 100_000})
    assert response.status_code == 400
    response = client.post("/qa/ask/", {**base, "text": "Câu hỏi có tệp đính kèm giả?", "attachment": SimpleUploadedFile("a.pdf", b"not a pdf")})
    assert response.status_code == 400 and "attachment" in response.context["form"].errors
    assert Question.objects.count() == 0


def test_every_problem_of_a_question_is_reported_in_one_round(client):
    # Given a visitor who writes too little, mistypes the address and attaches a file that
    # is not a PDF, when they send it, then all three problems are shown at once (the text
    # and the file used to be checked only once the address was right) and nothing is stored.
    topic = TopicFactory()
    fake = SimpleUploadedFile("giay-to.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post("/qa/ask/", {"topic": topic.pk, "text": "hi", "asker_email": "khong-phai-email", "website": "", "consent": "on", "attachment": fake})
    assert response.status_code == 400
    errors = {field: [str(e) for e in errs] for field, errs in response.context["form"].errors.items()}
    assert errors == {
        "text": ["Câu hỏi quá ngắn."],
        "asker_email": ["Địa chỉ e-mail này không hợp lệ; hãy kiểm tra lại để chúng tôi báo cho bạn khi có câu trả lời."],
        "attachment": ["Nội dung tệp đính kèm không đúng với loại tệp (PDF)."],
    }
    page = response.content.decode()
    assert page.count('aria-invalid="true"') == 3
    assert Question.objects.count() == 0


def test_script_in_a_question_is_shown_escaped(client_for, users):
    question = services.question_ask(topic=TopicFactory(), text="Hỏi về <b>ươm tạo</b> & <i>tăng tốc</i> \"<x>\"", asker_email="a@example.vn")
    html = client_for("officer").get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "<b>ươm tạo</b>" not in html and "&amp; tăng tốc" in html


def test_inbox_lists_overdue_first(client_for):
    import datetime as dt

    later = QuestionFactory(due_date=dt.date.today() + dt.timedelta(days=5))
    late = QuestionFactory(due_date=dt.date.today() - dt.timedelta(days=2))
    response = client_for("officer").get("/qa/inbox/")
    codes = [q.tracking_code for q in response.context["page"]]
    assert codes.index(late.tracking_code) < codes.index(later.tracking_code)
    assert "qa-overdue" in response.content.decode()


def test_an_unassigned_question_offers_the_officer_who_opened_it_and_an_assigned_one_its_officer(client_for, users):
    question = QuestionFactory()
    officer = client_for("officer")
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert f'<option value="{users["officer"].pk}" selected>' in page
    # one click on "Assign" with what is offered takes the question on
    officer.post(f"/qa/inbox/{question.pk}/assign/", {"assignee": users["officer"].pk})
    question.refresh_from_db()
    assert question.assignee == users["officer"] and question.state == "assigned"
    # a manager opening it later sees the officer it is assigned to, not themselves
    page = client_for("manager").get(f"/qa/inbox/{question.pk}/").content.decode()
    assert f'<option value="{users["officer"].pk}" selected>' in page
    assert f'<option value="{users["manager"].pk}" selected>' not in page


def test_the_question_page_tells_its_history_who_did_what_and_why(client_for, users, published):
    """Given a question asked, assigned, drafted, sent for approval and returned with a reason,
    when its officer opens it, then its history lists those steps newest first, with who took
    them and the manager's reason, and links to the audit log of the question."""
    question = services.question_ask(topic=TopicFactory(), text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?", asker_email="an@example.vn")
    officer, manager = client_for("officer"), client_for("manager")
    officer.post(f"/qa/inbox/{question.pk}/assign/", {"assignee": users["officer"].pk})
    officer.post(f"/qa/inbox/{question.pk}/draft/")
    officer.post(f"/qa/inbox/{question.pk}/submit/")
    manager.post(f"/qa/inbox/{question.pk}/return/", {"reason": "Cần dẫn thêm Điều 6"})

    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    history = page[page.index("Diễn biến"):]
    steps = ["Trả câu trả lời cho cán bộ", "Cần dẫn thêm Điều 6", "Gửi câu trả lời chờ phê duyệt", "Soạn câu trả lời", "Phân công câu hỏi", "Nhận câu hỏi"]
    positions = [history.index(step) for step in steps]
    assert positions == sorted(positions)
    assert users["manager"].display_name in history and users["officer"].display_name in history
    assert f"target_type=qa.question&amp;target_id={question.pk}" in history


def test_officer_drafts_edits_and_manager_publishes_through_the_pages(client_for, published):
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?")
    officer, manager = client_for("officer"), client_for("manager")
    officer.post(f"/qa/inbox/{question.pk}/draft/")
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "Điều 5, Khoản 2" in page
    # sources in the order retrieval ranked them, without its raw scores: BM25 and fused
    # scores live on different scales and mean nothing to the officer
    assert "(điểm" not in page
    assert 'name="public_question"' in page and "Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?</textarea>" in page
    officer.post(f"/qa/inbox/{question.pk}/edit/", {"text": "Tối đa 80.000.000 đồng [1].", "public_question": "Mức hỗ trợ ươm tạo tối đa?"})
    officer.post(f"/qa/inbox/{question.pk}/submit/")
    assert officer.post(f"/qa/inbox/{question.pk}/publish/").status_code == 403
    question.refresh_from_db()
    assert question.state == "awaiting_approval"  # an officer cannot publish
    # the manager sees the wording that will be published before approving it
    review = manager.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "Câu hỏi sẽ được công bố như sau" in review and "Mức hỗ trợ ươm tạo tối đa?" in review
    manager.post(f"/qa/inbox/{question.pk}/publish/")
    question.refresh_from_db()
    assert question.state == "published"
    assert question.answer.published_question == "Mức hỗ trợ ươm tạo tối đa?"


def test_a_manager_takes_a_published_answer_down_on_its_page_and_the_officer_can_edit_it_again(client, client_for, published):
    question = published.question
    path = f"/qa/inbox/{question.pk}/"
    assert "Gỡ câu trả lời xuống để đính chính" not in client_for("officer").get(path).content.decode()
    manager = client_for("manager")
    assert "Gỡ câu trả lời xuống để đính chính" in manager.get(path).content.decode()
    # a reason is needed: without one the page says so and nothing changes
    refused = manager.post(f"{path}correct/", {"reason": ""}, follow=True).content.decode()
    question.refresh_from_db()
    assert question.state == "published" and "Trường này là bắt buộc." in refused
    page = manager.post(f"{path}correct/", {"reason": "Mức hỗ trợ đã thay đổi"}, follow=True).content.decode()
    question.refresh_from_db()
    assert question.state == "drafted" and "Đã gỡ câu trả lời khỏi trang công khai" in page
    assert client.get(f"/qa/answers/{published.pk}/").status_code == 404
    assert 'name="text"' in client_for("officer").get(path).content.decode()  # the draft is editable again
    # and through the API
    question.state = "published"
    question.save(update_fields=["state"])
    answered = manager.post(f"/api/v1/qa/questions/{question.pk}/correct", {"reason": "Sai số hiệu văn bản"}, content_type="application/json")
    assert answered.status_code == 200 and answered.json()["state"] == "drafted"
    officer = client_for("officer").post(f"/api/v1/qa/questions/{question.pk}/correct", {"reason": "x"}, content_type="application/json")
    assert officer.status_code == 403


def test_an_officer_finds_a_passage_and_adds_it_as_a_source(client_for, published):
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?")
    document = DocumentFactory(title="Quy chế tiếp nhận văn bản", number="45/QC-SKHCN")
    wanted = PassageFactory(document=document, order=3, article="4", clause="1", text="Văn bản gửi qua Cổng dịch vụ công của Thành phố.")
    officer = client_for("officer")
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "Thêm nguồn từ cơ sở tri thức" not in page  # nothing to add to before a draft
    officer.post(f"/qa/inbox/{question.pk}/draft/")
    cited = question.answer.citations.get(number=1)
    assert not question.answer.citations.filter(passage=wanted).exists()
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "Thêm nguồn từ cơ sở tri thức" in page and "Đã là nguồn" not in page

    found = officer.get(f"/qa/inbox/{question.pk}/", {"kb": "van ban cong dich vu"}).content.decode()
    assert "45/QC-SKHCN Quy chế tiếp nhận văn bản, Điều 4, Khoản 1" in found
    assert f'name="passage" value="{wanted.pk}"' in found and "Thêm làm nguồn" in found
    response = officer.post(f"/qa/inbox/{question.pk}/source/", {"passage": wanted.pk}, follow=True)
    number = question.answer.citations.get(passage=wanted).number
    assert f"Đoạn văn bản là nguồn [{number}]" in response.content.decode()
    assert f'id="src-{number}"' in response.content.decode()
    # already a source: said, with no button
    again = officer.get(f"/qa/inbox/{question.pk}/", {"kb": "van ban cong dich vu"}).content.decode()
    assert f"Đã là nguồn [{number}]." in again and f'name="passage" value="{wanted.pk}"' not in again
    if cited.passage_id:
        assert f'name="passage" value="{cited.passage_id}"' not in officer.get(f"/qa/inbox/{question.pk}/", {"kb": "uom tao"}).content.decode()
    # bad input is refused with a message and adds nothing
    count = question.answer.citations.count()
    for bad in [{"passage": "abc"}, {"passage": "0"}, {"passage": "99999999"}, {}]:
        assert officer.post(f"/qa/inbox/{question.pk}/source/", bad).status_code == 302
    assert question.answer.citations.count() == count
    assert "Không có đoạn nào của văn bản đang có hiệu lực khớp." in officer.get(f"/qa/inbox/{question.pk}/", {"kb": "xyzzy"}).content.decode()


def test_an_empty_public_question_is_refused_on_the_page(client_for, published):
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?")
    officer = client_for("officer")
    officer.post(f"/qa/inbox/{question.pk}/draft/")
    draft = question.answer.draft_text
    response = officer.post(f"/qa/inbox/{question.pk}/edit/", {"text": "Khác [1].", "public_question": ""}, follow=True)
    assert "Trường này là bắt buộc" in response.content.decode() or "This field is required" in response.content.decode()
    question.answer.refresh_from_db()
    assert question.answer.draft_text == draft


def test_a_document_without_a_title_and_with_a_bad_file_gets_both_errors_at_once(client_for):
    from innohub.qa.models import KnowledgeDocument

    response = client_for("officer").post("/qa/knowledge/", {"title": "", "file": SimpleUploadedFile("qd.pdf", b"MZ not a pdf")})
    assert response.status_code == 400
    errors = {field: [str(e) for e in errs] for field, errs in response.context["form"].errors.items()}
    assert errors == {
        "title": ["Trường này là bắt buộc."],
        "file": ["Hãy tải lên tệp PDF, DOCX, HTML hoặc TXT; nội dung tệp này không thuộc loại nào trong số đó."],
    }
    assert not KnowledgeDocument.objects.exists()


def test_knowledge_upload_page(client_for):
    officer = client_for("officer")
    response = officer.post("/qa/knowledge/", {"title": "Quy định", "file": SimpleUploadedFile("qd.txt", "Điều 1. Phạm vi\n1. Áp dụng cho doanh nghiệp.".encode())})
    assert response.status_code == 302
    page = officer.get(response["Location"])
    assert page.status_code == 200
    assert officer.post("/qa/knowledge/", {"title": "Giả", "file": SimpleUploadedFile("qd.pdf", b"nope")}).status_code == 400


def test_knowledge_page_says_whether_drafting_has_the_passage_vectors(client_for, settings, request, django_capture_on_commit_callbacks):
    from innohub.qa.tasks import embed_knowledge

    officer = client_for("officer")
    upload = {"title": "Quy định", "file": SimpleUploadedFile("qd.txt", "Điều 1. Phạm vi\n1. Áp dụng cho doanh nghiệp.".encode())}
    settings.QA_DENSE_RETRIEVAL = False
    with django_capture_on_commit_callbacks(execute=True):  # ingestion, run at once
        assert officer.post("/qa/knowledge/", upload).status_code == 302
    assert "qa-vectors" not in officer.get("/qa/knowledge/").content.decode()  # dense retrieval off: nothing to say

    request.getfixturevalue("dense_retrieval")  # now on, nothing encoded yet
    page = officer.get("/qa/knowledge/").content.decode()
    assert "đang chờ tiến trình nền mã hóa" in page and "chỉ dùng tìm theo từ khóa" in page
    embed_knowledge.call()  # what the worker does after an upload
    page = officer.get("/qa/knowledge/").content.decode()
    assert "vectơ ngữ nghĩa của cả 1 đoạn văn bản đang có hiệu lực" in page


def test_stats_page(client_for, published):
    response = client_for("manager").get("/qa/stats/")
    assert response.status_code == 200
    assert response.context["s"]["answered"] == 1


def test_stats_page_shows_the_open_questions_past_their_due_date(client_for, published):
    # Given an open question due last week beside the published one
    import datetime as dt

    from django.utils import timezone

    from innohub.qa.models import Question

    Question.objects.filter(pk=published.question_id).update(closed_at=timezone.now(), due_date=timezone.localdate() + dt.timedelta(days=5))
    QuestionFactory(state="received", due_date=dt.date.today() - dt.timedelta(days=7))
    page = client_for("manager").get("/qa/stats/").content.decode()
    # Then the page says so, beside the share answered on time, and leads to the inbox
    assert "Câu hỏi chưa trả lời đã quá hạn</h2><p class=\"stat\">1</p>" in page
    assert "Đến hộp thư (câu quá hạn lên trước)" in page
    # and the share on time says what it divides: the one answered on time, of it and the late one
    assert "<p class=\"stat\">50%</p><p class=\"small\">1 trên 2 câu hỏi: các câu đã trả lời và các câu chưa trả lời đã quá hạn</p>" in page


def test_statistics_download_as_csv_and_xlsx(client_for, client, published):
    import csv
    import datetime as dt
    import io

    from django.utils import timezone
    from openpyxl import load_workbook

    from innohub.qa.models import Question as Q

    question = published.question
    asked = timezone.make_aware(dt.datetime(2026, 10, 5, 9, 0))
    Q.objects.filter(pk=question.pk).update(created_at=asked, closed_at=asked + dt.timedelta(days=3), due_date=dt.date(2026, 10, 19))
    QuestionFactory(text="Câu hỏi đang chờ?")
    manager = client_for("manager")
    page = manager.get("/qa/stats/", {"date_from": "2026-10-01"}).content.decode()
    assert 'href="/qa/stats/export.xlsx?date_from=2026-10-01"' in page and "Xuất CSV" in page

    response = manager.get("/qa/stats/export.csv")
    assert response["Content-Type"].startswith("text/csv") and "innohub-qa-statistics.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Câu hỏi", "2"] in rows and ["Đã trả lời", "1"] in rows and ["Thời gian trả lời trung vị (ngày)", "3,0"] in rows
    assert ["Tỷ lệ trả lời đúng hạn", "1,0"] in rows
    assert ["10/2026", "1", "1", "0", "3,0", "3,0", "1,0"] in rows

    book = load_workbook(io.BytesIO(manager.get("/qa/stats/export.xlsx", {"date_from": "2026-11-01"}).content))
    assert book.sheetnames == ["Tổng hợp", "Theo trạng thái", "Theo chủ đề", "Theo tháng", "Câu trả lời cần xem lại"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Từ ngày"] == dt.datetime(2026, 11, 1) and summary["Câu hỏi"] == 1 and summary["Đã trả lời"] == 0  # the answered one was asked in October
    assert manager.get("/qa/stats/export.pdf").status_code == 404
    assert client_for("applicant").get("/qa/stats/export.csv").status_code == 403
    assert client.get("/qa/stats/export.csv").status_code == 302


def test_pages_in_english(client, published):
    html = client.get("/en/qa/").content.decode()
    assert "Questions and answers" in html and "Latest answers" in html
    assert "Ask the department" in client.get("/en/qa/ask/").content.decode()


def test_attachments_are_only_for_staff(client_for, client):
    question = services.question_ask(
        topic=TopicFactory(), text="Câu hỏi có tệp đính kèm hợp lệ?", asker_email="a@example.vn",
        attachment=SimpleUploadedFile("giay-to.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    url = f"/qa/inbox/{question.pk}/attachment/"
    assert client.get(url).status_code == 302
    assert client_for("applicant").get(url).status_code == 403
    response = client_for("officer").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_question_attachment_is_served_by_its_checked_extension(client_for):
    # Given a PDF the asker's browser called "text/html" under a name ending ".html.pdf",
    # when an officer downloads it, then it is a PDF to save, never a page to show
    question = services.question_ask(
        topic=TopicFactory(), text="Câu hỏi có tệp đính kèm hợp lệ?", asker_email="a@example.vn",
        attachment=SimpleUploadedFile("trang.html.pdf", b"%PDF-1.4\n%%EOF\n", content_type="text/html"),
    )
    response = client_for("officer").get(f"/qa/inbox/{question.pk}/attachment/")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_officer_withdraws_a_document_and_the_public_sees_it_is_no_longer_in_force(client, client_for, published):
    document = published.citations.first().document
    officer = client_for("officer")
    page = officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    assert "Thu hồi: văn bản hết hiệu lực" in page
    # without a reason: a clear error, nothing changes
    refused = officer.post(f"/qa/knowledge/{document.pk}/withdraw/", {"reason": ""}, follow=True).content.decode()
    assert "Trường này là bắt buộc" in refused
    document.refresh_from_db()
    assert document.in_force
    done = officer.post(f"/qa/knowledge/{document.pk}/withdraw/", {"reason": "Thay thế bởi Quyết định 15/2027/QĐ-SKHCN"}, follow=True).content.decode()
    assert "Đã thu hồi văn bản" in done and "Thay thế bởi Quyết định 15/2027/QĐ-SKHCN" in done
    assert "hết hiệu lực" in officer.get("/qa/knowledge/").content.decode()
    public = client.get(f"/qa/documents/{document.pk}/").content.decode()
    assert "Hết hiệu lực từ ngày" in public and "Thay thế bởi Quyết định 15/2027/QĐ-SKHCN" in public
    answer_page = client.get(f"/qa/answers/{published.pk}/").content.decode()
    assert "hết hiệu lực" in answer_page and "Tối đa 80.000.000 đồng" in answer_page
    officer.post(f"/qa/knowledge/{document.pk}/reinstate/")
    document.refresh_from_db()
    assert document.in_force
    assert "Hết hiệu lực từ ngày" not in client.get(f"/qa/documents/{document.pk}/").content.decode()


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("applicant", 403), ("reviewer", 403)])
def test_only_knowledge_managers_withdraw(client, client_for, published, role, status):
    document = published.citations.first().document
    who = client if role is None else client_for(role)
    response = who.post(f"/qa/knowledge/{document.pk}/withdraw/", {"reason": "Hết hiệu lực"})
    assert response.status_code == status
    document.refresh_from_db()
    assert document.in_force


def test_a_long_document_lists_its_passages_page_by_page(client_for):
    document = DocumentFactory(title="Sổ tay dài")
    for n in range(1, 131):
        PassageFactory(document=document, order=n, article=str(n), clause="", text=f"Nội dung điều {n}.")
    officer = client_for("officer")
    first = officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    assert "Nội dung điều 100." in first and "Nội dung điều 101." not in first and "Trang 1 / 2" in first
    second = officer.get(f"/qa/knowledge/{document.pk}/", {"page": 2}).content.decode()
    assert "Nội dung điều 130." in second and "Nội dung điều 100." not in second


def test_a_passage_says_its_page_once(client, client_for):
    document = DocumentFactory(title="Quyết định có phụ lục")
    PassageFactory(document=document, order=1, article="5", clause="2", page=2, text="Mức hỗ trợ ươm tạo.")
    PassageFactory(document=document, order=2, article="", clause="", page=4, heading="PHỤ LỤC I. MẪU ĐƠN", text="Kính gửi: Sở.")
    for html in (
        client.get(f"/qa/documents/{document.pk}/").content.decode(),
        client_for("officer").get(f"/qa/knowledge/{document.pk}/").content.decode(),
    ):
        assert "Điều 5, Khoản 2 · trang 2" in html
        assert "Phụ lục I, tr. 4<" in html and "tr. 4 · trang 4" not in html
    english = client.get(f"/en/qa/documents/{document.pk}/").content.decode()
    assert "Article 5, clause 2 · page 2" in english and "Phụ lục I, p. 4<" in english and "Điều 5" not in english


def test_a_citation_opens_the_page_of_a_long_document_its_passage_is_on(client):
    document = DocumentFactory(title="Sổ tay dài")
    for n in range(1, 131):
        PassageFactory(document=document, order=n, article=str(n), clause="", text=f"Nội dung điều {n}.")
    url = f"/qa/documents/{document.pk}/"
    first = client.get(url).content.decode()
    assert 'id="p50"' in first and 'id="p51"' not in first and "Trang 1 / 3" in first
    cited = client.get(url, {"at": "p120"}).content.decode()
    assert 'id="p120"' in cited and "Nội dung điều 120." in cited and "Trang 3 / 3" in cited
    assert 'id="p100"' not in cited
    # The pages' own links win over the passage, and anchors the document lacks open page 1.
    assert "Trang 2 / 3" in client.get(url, {"at": "p120", "page": 2}).content.decode()
    for wrong in ["p999", "p0", "x12", "p1e3", "p" + "9" * 30, ""]:
        response = client.get(url, {"at": wrong})
        assert response.status_code == 200
        assert "Trang 1 / 3" in response.content.decode()


def test_a_citation_of_an_earlier_answer_links_to_that_answer(client, published):
    later = AnswerFactory(published_question="Giai đoạn ươm tạo nhận bao nhiêu?", published_text="Như Sở đã trả lời [1].")
    later.citations.create(number=1, cited_answer=published, source_label="Câu trả lời ngày 24/11/2026", quote="Tối đa 80.000.000 đồng")
    html = client.get(f"/qa/answers/{later.pk}/").content.decode()
    assert f'<a href="/qa/answers/{published.pk}/">Câu trả lời ngày 24/11/2026</a>' in html
    assert client.get(f"/qa/answers/{published.pk}/").status_code == 200


def test_a_search_that_finds_nothing_links_to_asking_and_tells_english_readers_answers_are_in_vietnamese(client, published):
    english = client.get("/en/qa/", {"q": "incubation support"}).content.decode()
    assert "No published answer matches." in english and 'href="/en/qa/ask/"' in english
    assert "Answers are published in Vietnamese" in english
    vietnamese = client.get("/qa/", {"q": "vắc xin"}).content.decode()
    assert "Chưa có câu trả lời phù hợp." in vietnamese and 'href="/qa/ask/"' in vietnamese
    assert "công bố bằng tiếng Việt" not in vietnamese


def test_a_reader_searching_in_english_finds_published_answers_by_meaning(client, dense_retrieval):
    from innohub.qa.tasks import embed_answers

    incubation = AnswerFactory(published_question="Doanh nghiệp khởi nghiệp ở giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?", published_text="Tối đa 80.000.000 đồng cho mỗi doanh nghiệp.")
    delegation = AnswerFactory(published_question="Sở đón tiếp đoàn công tác nước ngoài như thế nào?", published_text="Đơn vị chủ trì gửi kế hoạch đón tiếp đoàn trước 10 ngày làm việc.")
    question = "How much money does a startup receive at the incubation stage?"
    before = client.get("/en/qa/", {"q": question}).content.decode()
    # No vectors yet: keyword search alone, where only "the" meets a syllable ("thế", folded).
    assert incubation.published_question not in before
    embed_answers.call()  # what the worker does after a publication
    english = client.get("/en/qa/", {"q": question}).content.decode()
    assert english.index(incubation.published_question) < english.index(delegation.published_question)
    assert "Answers are published in Vietnamese; a search on these pages also finds the ten closest in meaning." in english
    other = client.get("/en/qa/", {"q": "How are foreign delegations received by the department?"}).content.decode()
    assert other.index(delegation.published_question) < other.index(incubation.published_question)
    assert client.get("/en/qa/suggest/", {"q": question}).json()["results"][0]["url"] == f"/en/qa/answers/{incubation.pk}/"
    # Vietnamese pages keep keyword search alone.
    assert incubation.published_question not in client.get("/qa/", {"q": question}).content.decode()


def _as_a_browser_posts(html: str, names: list[str]) -> dict[str, str]:
    """The values a browser posts back for these inputs of a page: a date input whose value
    is not an ISO date (2026-11-20) is emptied, as the HTML value sanitisation does."""
    values = {}
    for name in names:
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        value = re.search(r'value="([^"]*)"', tag)
        values[name] = value.group(1) if value else ""
        if 'type="date"' in tag and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values[name]):
            values[name] = ""
    return values


def test_a_new_version_of_a_document_keeps_its_date_issued(client_for, django_capture_on_commit_callbacks):
    import datetime as dt

    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp", number="12/2026/QĐ-SKHCN", issued_on=dt.date(2026, 11, 20))
    officer = client_for("officer")
    # given the document's page, whose upload form is filled with what the document says
    page = officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    assert re.search(r'<input type="date" name="issued_on" value="2026-11-20"', page)
    # when the officer picks only the new file and uploads it
    posted = _as_a_browser_posts(page, ["title", "number", "issuing_body", "issued_on"])
    posted["file"] = SimpleUploadedFile("qd-v2.txt", "Điều 1. Phạm vi\n1. Áp dụng cho doanh nghiệp.".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(f"/qa/knowledge/{document.pk}/", posted, follow=True)
    # then the new version keeps the date issued, and its page says so and what it replaces
    new = document.successor
    assert new.version == 2 and new.issued_on == dt.date(2026, 11, 20)
    assert response.redirect_chain[-1][0] == f"/qa/knowledge/{new.pk}/"
    body = response.content.decode()
    assert "Đã tải lên phiên bản 2" in body and "20/11/2026" in body and "Thay thế phiên bản 1" in body
    english = officer.get(f"/en/qa/knowledge/{new.pk}/").content.decode()
    assert 'name="issued_on" value="2026-11-20"' in english
    # the first version's page says what replaced it, and offers no upload of its own
    first = officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    assert "bởi phiên bản 2" in first and f'href="/qa/knowledge/{new.pk}/"' in first and 'enctype="multipart/form-data"' not in first
    # and the list of documents says so beside it
    listing = officer.get("/qa/knowledge/").content.decode()
    assert "đã được thay thế bởi phiên bản 2" in listing


def test_a_version_replaced_twice_over_sends_new_uploads_to_the_version_in_force(client_for, users, django_capture_on_commit_callbacks):
    first = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp", number="12/2026/QĐ-SKHCN")
    PassageFactory(document=first, order=1, text="Điều 1. Bản đầu.")
    latest = first
    for n in (2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            latest = services.knowledge_document_upload(
                actor=users["officer"], title=first.title, document=first, file=SimpleUploadedFile(f"v{n}.txt", f"Điều 1. Bản số {n}.".encode()),
            )
    assert latest.version == 3
    page = client_for("officer").get(f"/qa/knowledge/{first.pk}/").content.decode()
    assert "bởi phiên bản 2" in page and f'<a href="/qa/knowledge/{latest.pk}/">Phiên bản mới được tải lên tại trang của phiên bản 3.</a>' in page


def test_the_progress_of_a_document_being_split_reads_as_its_page_does(client_for):
    document = DocumentFactory(title="Quy định đang tách", status="processing", progress=40)
    officer = client_for("officer")
    page = officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    assert 'data-status="processing">Đang xử lý (40%)</span>' in page
    # the page's script writes the label the endpoint gives beside the code it polls on
    data = officer.get(f"/qa/knowledge/{document.pk}/progress/").json()
    assert data["status"] == "processing" and data["status_label"] == "Đang xử lý" and data["progress"] == 40
    document.status, document.progress = "ready", 100
    document.save(update_fields=["status", "progress"])
    assert officer.get(f"/qa/knowledge/{document.pk}/progress/").json()["status_label"] == "Sẵn sàng"
    assert officer.get(f"/en/qa/knowledge/{document.pk}/progress/").json()["status_label"] == "Ready"


def _link_targets(html: str) -> tuple[list[str], set[str]]:
    """The in-page anchors a page's citation links point to, and the ids it has."""
    return re.findall(r'<a class="qa-cite" href="#([^"]+)"', html), set(re.findall(r'\sid="([^"]+)"', html))


def test_the_askers_page_lists_the_sources_its_answer_cites(client, published):
    # given a published answer citing [1] (and a source retrieved but not cited)
    document = published.citations.first().document
    published.citations.create(number=2, document=document, source_label="12/2026/QĐ-SKHCN, Điều 9", place="Điều 9", anchor="p9", quote="Không được trích.")
    merged = QuestionFactory(state="merged", merged_into=published.question, asker_email="lan@example.vn")
    for question in (published.question, merged):
        # when the asker opens the link e-mailed to them
        html = client.get(selectors.track_path(question)).content.decode()
        # then every [n] of the answer lands on its source, listed as on the public page
        links, ids = _link_targets(html)
        assert links == ["cite-1"] and set(links) <= ids
        assert "Văn bản được trích dẫn" in html and "12/2026/QĐ-SKHCN Quy định hỗ trợ khởi nghiệp, Điều 5, Khoản 2" in html
        assert f'href="/qa/documents/{document.pk}/?at=p4#p4"' in html
        assert "Không được trích." not in html
    public = client.get(f"/qa/answers/{published.pk}/").content.decode()
    links, ids = _link_targets(public)
    assert links == ["cite-1"] and set(links) <= ids and "Không được trích." not in public


def _ask_with_attachment(client, name: str) -> Question:
    """A citizen asks on the public form, attaching a PDF under this name."""
    response = client.post("/qa/ask/", {
        "topic": TopicFactory().pk, "asker_email": "lan@example.vn", "website": "", "consent": "on",
        "text": "Xin gửi kèm hồ sơ, hỏi về hỗ trợ ươm tạo?", "attachment": SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n"),
    })
    assert response.status_code == 302, response.content.decode()
    return Question.objects.get()


def _saved_as(response) -> str | None:
    """The name a browser saves a download under, read from Content-Disposition as a mail
    or HTTP client does (RFC 2231/6266, so filename*=utf-8''… too)."""
    message = Message()
    message["Content-Disposition"] = response["Content-Disposition"]
    return message.get_filename()


def test_an_attachment_downloads_under_the_askers_own_name(client, client_for):
    # given a citizen who attaches a file named in Vietnamese
    question = _ask_with_attachment(client, "Hồ sơ đăng ký.pdf")
    assert "Hồ sơ" not in question.attachment.name  # stored under a generated name
    officer = client_for("officer")
    # when an officer opens the question, the attachment is shown by its name
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert f'<a href="/qa/inbox/{question.pk}/attachment/">Hồ sơ đăng ký.pdf</a>' in page
    # and downloading it saves it under that name, written for non-ASCII names
    response = officer.get(f"/qa/inbox/{question.pk}/attachment/")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("Hồ sơ đăng ký.pdf")
    assert _saved_as(response) == "Hồ sơ đăng ký.pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_html_in_an_attachments_name_is_shown_escaped_to_the_officer(client, client_for):
    question = _ask_with_attachment(client, "<img src=x onerror=alert(1)>Đơn & <b>gấp.pdf")
    assert question.attachment_name == "<img src=x onerror=alert(1)>Đơn & <b>gấp.pdf"
    page = client_for("officer").get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;Đơn &amp; &lt;b&gt;gấp.pdf</a>" in page
    assert "<img src=x" not in page and "<b>gấp" not in page


def test_an_attachment_kept_without_its_name_downloads_under_the_questions(client_for):
    # given a question asked before the asker's file name was kept
    question = services.question_ask(
        topic=TopicFactory(), text="Câu hỏi có tệp đính kèm hợp lệ?", asker_email="a@example.vn",
        attachment=SimpleUploadedFile("Giấy tờ của tôi.PDF", b"%PDF-1.4\n%%EOF\n"),
    )
    Question.objects.filter(pk=question.pk).update(attachment_name="")
    assert question.tracking_code not in question.attachment.name
    # when an officer sees and downloads it, it is named after the question, in the officer's language
    officer = client_for("officer")
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert f">{question.tracking_code}-tep-dinh-kem.pdf</a>" in page
    response = officer.get(f"/qa/inbox/{question.pk}/attachment/")
    assert response["Content-Disposition"] == f'attachment; filename="{question.tracking_code}-tep-dinh-kem.pdf"'
    english = officer.get(f"/en/qa/inbox/{question.pk}/attachment/")
    assert english["Content-Disposition"] == f'attachment; filename="{question.tracking_code}-attachment.pdf"'


@pytest.mark.parametrize(("language", "letter"), [
    ("vi", "Kính gửi Ông/Bà Lan,\n\nSở đã trả lời câu hỏi của Ông/Bà.\n\nCâu hỏi của Ông/Bà ({code}):\n{text}\n\n"
           "Trả lời của Sở:\n{answer}\n\nVăn bản được trích dẫn:\n{sources}\n\nXem câu trả lời tại:\n{link}\n\n"
           "Thư này được gửi tự động; thư trả lời sẽ không được đọc.\n\nSở Khoa học và Công nghệ Thành phố Hồ Chí Minh\n"),
    ("en", "Dear Lan,\n\nThe department has answered your question.\n\nYour question ({code}):\n{text}\n\n"
           "Answer of the department:\n{answer}\n\nDocuments cited:\n{sources}\n\nRead the answer here:\n{link}\n\n"
           "This e-mail was sent automatically; replies to it are not read.\n\nDepartment of Science and Technology of Ho Chi Minh City\n"),
])
def test_the_answered_email_is_a_letter_giving_the_askers_link_once(client_for, published, django_capture_on_commit_callbacks, settings, language, letter):
    from django.core import mail
    from django.utils import translation

    # given a question asked on the pages in this language, answered and sent for approval
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?", asker_email="lan@example.vn", asker_name="Lan", language=language)
    officer = client_for("officer")
    officer.post(f"/qa/inbox/{question.pk}/draft/")
    officer.post(f"/qa/inbox/{question.pk}/submit/")
    # when the manager publishes the answer
    with django_capture_on_commit_callbacks(execute=True):
        client_for("manager").post(f"/qa/inbox/{question.pk}/publish/")
    # then the asker reads a letter in their language: addressed to them, their question
    # quoted so that they know which one, the answer as published with the documents it
    # cites, the link to it once, and who writes
    (message,) = [m for m in mail.outbox if m.to == ["lan@example.vn"]]
    question.refresh_from_db()
    answer = selectors.asker_answer_shown(question)
    assert answer.published_text and answer.cited
    with translation.override(language):
        link = f"{settings.SITE_URL}{selectors.track_path(question)}"
    sources = "\n".join(f"[{c.number}] {c.source_label}" for c in answer.cited)
    assert message.body == letter.format(code=question.tracking_code, text=question.text, link=link, answer=answer.published_text, sources=sources)
    assert message.body.count("http") == 1


def test_an_earlier_answer_cited_as_a_source_is_quoted_without_its_own_numbers(client, published):
    # Given an answer citing, as [2], an earlier answer whose text cites its own [1] and [3]
    earlier = AnswerFactory(
        question=QuestionFactory(state="published"), published_question="Giai đoạn tăng tốc?",
        published_text="Tối đa 400.000.000 đồng [1]. Không chi lương [3].",
    )
    published.citations.create(number=2, cited_answer=earlier, source_label="Câu trả lời đã công bố", quote=earlier.published_text)
    published.published_text = "Tối đa 80.000.000 đồng [1], giai đoạn sau 400.000.000 đồng [2]."
    published.save()
    # When a reader opens the answer, then the quote reads without the other answer's numbers
    html = client.get(f"/qa/answers/{published.pk}/").content.decode()
    assert "Tối đa 400.000.000 đồng. Không chi lương." in html
    assert "400.000.000 đồng [1]" not in html


def test_an_earlier_answer_taken_down_for_correction_is_still_quoted_but_no_longer_linked(client, users, published):
    earlier = AnswerFactory(question=QuestionFactory(state="published"), published_question="Giai đoạn tăng tốc?", published_text="Tối đa 400.000.000 đồng.")
    published.citations.create(number=2, cited_answer=earlier, source_label="Câu trả lời đã công bố", quote=earlier.published_text)
    published.published_text = "Tối đa 80.000.000 đồng [1], giai đoạn sau 400.000.000 đồng [2]."
    published.save()
    assert f'href="/qa/answers/{earlier.pk}/"' in client.get(f"/qa/answers/{published.pk}/").content.decode()
    services.question_correct(question=earlier.question, actor=users["manager"], reason="Sai mức hỗ trợ")
    html = client.get(f"/qa/answers/{published.pk}/").content.decode()
    assert f'href="/qa/answers/{earlier.pk}/"' not in html and "Tối đa 400.000.000 đồng." in html


def test_the_service_is_named_in_the_readers_language_where_staff_filter_the_audit_log(client_for):
    # the audit log's kinds of object read "Questions and answers · …" on the English page
    # (the app's name was the Vietnamese "Hỏi đáp" in both)
    vietnamese = client_for("manager").get("/backoffice/audit/").content.decode()
    english = client_for("manager").get("/en/backoffice/audit/").content.decode()
    assert "Hỏi đáp · " in vietnamese
    assert "Questions and answers · " in english and "Hỏi đáp · " not in english


def test_a_reader_says_an_answer_did_not_help_and_what_was_missing_and_its_officer_reads_it(client, client_for, published):
    """Given a published answer, when a visitor answers "No" to "did it help?" and then says
    what was missing, then the page thanks them, offers to ask, keeps their words; the officer
    sees the rating and the comment on the question's page; a second visit shows the choice."""
    page = f"/qa/answers/{published.pk}/"
    first = client.get(page).content.decode()
    assert "Câu trả lời này có giúp ích cho bạn không?" in first and 'value="no"' in first
    response = client.post(f"{page}feedback/", {"helpful": "no"})
    assert response.status_code == 302 and response["Location"] == f"{page}#feedback"
    body = client.get(page).content.decode()
    assert "Bạn đã cho biết câu trả lời này chưa giúp được bạn." in body
    assert "Câu trả lời còn thiếu hoặc chưa rõ điều gì? (không bắt buộc)" in body and 'href="/qa/ask/"' in body
    client.post(f"{page}feedback/", {"helpful": "no", "comment": "Chưa nói hồ sơ nộp ở đâu <script>alert(1)</script>"})
    body = client.get(page).content.decode()
    assert "Chưa nói hồ sơ nộp ở đâu</textarea>" in body and "<script>alert" not in body

    staff = client_for("officer").get(f"/qa/inbox/{published.question_id}/").content.decode()
    assert "0 trên 1 người đọc thấy hữu ích" in staff and "Chưa nói hồ sơ nộp ở đâu" in staff
    # another reader (another browser) starts afresh, and says it helped
    other = Client()
    other.post(f"{page}feedback/", {"helpful": "yes"})
    assert "Bạn đã cho biết câu trả lời này hữu ích. Cảm ơn bạn!" in other.get(page).content.decode()
    assert "1 trên 2 người đọc thấy hữu ích" in client_for("officer").get(f"/qa/inbox/{published.question_id}/").content.decode()


def test_bad_feedback_is_refused_on_the_page_and_nothing_is_kept(client, published):
    from innohub.qa.models import AnswerFeedback

    page = f"/qa/answers/{published.pk}/"
    too_long = "Thiếu " * 300
    refused = client.post(f"{page}feedback/", {"helpful": "no", "comment": too_long})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Góp ý tối đa 1.000 ký tự." in body and too_long.strip() in body  # kept to shorten
    refused = client.post(f"{page}feedback/", {"helpful": "maybe"})
    assert refused.status_code == 400 and "Hãy cho biết câu trả lời có giúp ích cho bạn không." in refused.content.decode()
    assert client.get(f"{page}feedback/").status_code == 405
    unpublished = AnswerFactory(question=QuestionFactory(state="drafted"), published_at=None)
    assert client.post(f"/qa/answers/{unpublished.pk}/feedback/", {"helpful": "yes"}).status_code == 404
    assert not AnswerFeedback.objects.exists()


def test_the_statistics_show_how_readers_rated_the_answers(client_for, published):
    from innohub.qa.models import AnswerFeedback

    for n, helpful in enumerate([True, True, True, False]):
        AnswerFeedback.objects.create(answer=published, reader=f"r{n}", helpful=helpful)
    body = client_for("manager").get("/qa/stats/").content.decode()
    card = body[body.index("Người đọc thấy câu trả lời hữu ích"):]
    assert "75%" in card[:200] and "3 trên 4 lượt đánh giá" in card
    assert f'href="/qa/inbox/{published.question_id}/">' in body[body.index("Câu trả lời người đọc thấy ít hữu ích nhất"):]
    csv = client_for("manager").get("/qa/stats/export.csv").content.decode("utf-8-sig")
    assert "Đánh giá của người đọc,4" in csv and "Thấy hữu ích (tỷ lệ)" in csv
    assert f"{published.question.tracking_code},{published.published_question},4,\"0,75\"" in csv


def test_the_officer_reads_every_comment_of_readers_page_by_page(client_for, published):
    from innohub.qa.models import AnswerFeedback

    for n in range(7):
        AnswerFeedback.objects.create(answer=published, reader=f"r{n}", helpful=False, comment=f"Góp ý số {n}")
    AnswerFeedback.objects.create(answer=published, reader="happy", helpful=True)
    officer = client_for("officer")
    body = officer.get(f"/qa/inbox/{published.question_id}/").content.decode()
    assert body.count("Góp ý số") == 5 and "Góp ý số 6" in body  # the latest five
    assert f'href="/qa/inbox/{published.question_id}/feedback/">Xem cả 7 góp ý</a>' in body
    page = officer.get(f"/qa/inbox/{published.question_id}/feedback/").content.decode()
    assert all(f"Góp ý số {n}" in page for n in range(7)) and "1 trên 8 người đọc thấy hữu ích" in page
    unanswered = QuestionFactory()
    assert officer.get(f"/qa/inbox/{unanswered.pk}/feedback/").status_code == 404


def test_the_asker_reading_their_answer_is_asked_whether_it_helped(client, published):
    tracked = client.get(selectors.track_path(published.question)).content.decode()
    assert "Tối đa 80.000.000 đồng" in tracked
    assert f'<a href="/qa/answers/{published.pk}/#feedback">Câu trả lời này có giúp ích cho bạn không? Cho Sở biết</a>' in tracked


def test_the_question_page_offers_the_questions_asking_nearly_the_same_to_merge_into(client_for, users):
    """Given a question and, among others, one asking nearly the same in other words and an
    answered one asking it too, when the officer opens the question, then those two are
    offered (the unrelated and the already merged ones are not), and one click merges."""
    asked = QuestionFactory(text="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?")
    same = QuestionFactory(text="Cho tôi hỏi hồ sơ đề nghị hỗ trợ khởi nghiệp thì nộp ở đâu ạ?")
    answered = AnswerFactory(question=QuestionFactory(state="published", text="Nộp hồ sơ đề nghị hỗ trợ khởi nghiệp ở đâu?")).question
    unrelated = QuestionFactory(text="Sở có tổ chức đoàn công tác sang Hàn Quốc không?")
    merged = QuestionFactory(state="merged", merged_into=same, text="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu vậy?")
    officer = client_for("officer")
    page = officer.get(f"/qa/inbox/{asked.pk}/").content.decode()
    offered = page[page.index("Câu hỏi gần như trùng"):page.index("Gộp vào câu hỏi khác")]
    assert same.tracking_code in offered and answered.tracking_code in offered
    assert unrelated.tracking_code not in offered and merged.tracking_code not in offered
    officer.post(f"/qa/inbox/{asked.pk}/merge/", {"into": same.tracking_code})
    asked.refresh_from_db()
    assert (asked.state, asked.merged_into) == ("merged", same)
    # once merged, nothing more is offered
    assert "Câu hỏi gần như trùng" not in officer.get(f"/qa/inbox/{asked.pk}/").content.decode()


def test_an_answered_question_is_offered_as_published_not_with_its_askers_details(client_for):
    """Given an answered question whose asker told their name and phone number, published in
    the officer's wording, when another question asks the same, then its page offers the
    answered one in the published wording: another citizen's details are not shown there."""
    story = "Tôi là Trần Thị Mai, SĐT 0912 345 678. Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?"
    answered = AnswerFactory(
        question=QuestionFactory(state="published", text=story),
        published_question="Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?",
    ).question
    asked = QuestionFactory(text="Cho tôi hỏi hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu ạ?")
    page = client_for("officer").get(f"/qa/inbox/{asked.pk}/").content.decode()
    offered = page[page.index("Câu hỏi gần như trùng"):page.index("Gộp vào câu hỏi khác")]
    assert answered.tracking_code in offered
    assert "<p>Hồ sơ đề nghị hỗ trợ khởi nghiệp nộp ở đâu?</p>" in offered
    assert "0912 345 678" not in offered and "Trần Thị Mai" not in offered


def test_a_documents_page_counts_the_answers_citing_it_and_the_inbox_lists_them(client_for, published):
    """Given a published answer and a draft citing a document, when its rule changes and an
    officer withdraws it, then its page counts the answers citing it, asks to read them again,
    and links to the inbox filtered to those questions; an unrelated question is not listed."""
    from innohub.qa.models import Answer

    document = published.citations.get().document
    draft = QuestionFactory(state="drafted", text="Mức hỗ trợ ươm tạo?")
    Answer.objects.create(question=draft, draft_text="Tối đa 80.000.000 đồng [1].").citations.create(
        number=1, document=document, source_label="QĐ", place="Điều 5", anchor="p4", quote="…")
    unrelated = QuestionFactory(text="Sở có tổ chức đoàn công tác sang Hàn Quốc không?")
    officer = client_for("officer")
    page = officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    assert "1 câu trả lời đã công bố trích dẫn văn bản này (2 câu hỏi, kể cả dự thảo)." in page
    assert f'href="/qa/inbox/?state=all&amp;cites={document.pk}"' in page
    officer.post(f"/qa/knowledge/{document.pk}/withdraw/", {"reason": "Được thay thế bởi Quyết định 15/2027/QĐ-UBND"})
    assert "Văn bản không còn hiệu lực: hãy đọc lại các câu trả lời này" in officer.get(f"/qa/knowledge/{document.pk}/").content.decode()
    listed = officer.get("/qa/inbox/", {"state": "all", "cites": document.pk})
    codes = [q.tracking_code for q in listed.context["page"]]
    assert sorted(codes) == sorted([published.question.tracking_code, draft.tracking_code]) and unrelated.tracking_code not in codes
    assert "Chỉ hiện các câu hỏi có câu trả lời trích dẫn 12/2026/QĐ-SKHCN" in listed.content.decode()
    assert officer.get("/qa/inbox/", {"cites": "x"}).status_code == 200  # a bad value filters nothing


# -- public holidays -------------------------------------------------------------------
def test_the_inbox_asks_for_the_public_holidays_of_a_year_without_any(client_for):
    """Given no public holiday configured for this year or the year 60 days ahead, when an
    administrator opens the inbox, then each such year is named with what it does to due
    dates and the link that fills it (officers, who cannot, are not shown it); once holidays
    are configured the notice is gone."""
    from django.utils import timezone

    from innohub.core import calendar
    from innohub.core.tests.factories import HolidayFactory

    years = calendar.years_without_holidays(today=timezone.localdate())
    assert years  # none is configured yet
    officer_page = client_for("officer").get("/qa/inbox/").content.decode()
    admin_page = client_for("administrator").get("/qa/inbox/").content.decode()
    for year in years:
        notice = f"Chưa có ngày nghỉ lễ nào của năm {year}: hạn trả lời rơi vào năm {year} sẽ tính các ngày nghỉ lễ, kể cả Tết, là ngày làm việc."
        assert notice in admin_page
        assert f'href="/admin/core/publicholiday/fill/?year={year}">Thêm các ngày nghỉ lễ năm {year}</a>' in admin_page
    assert "Chưa có ngày nghỉ lễ nào" not in officer_page and "/admin/core/publicholiday/fill/" not in officer_page
    for year in years:
        HolidayFactory(date=f"{year}-01-01", name="Tết Dương lịch")
    assert "Chưa có ngày nghỉ lễ nào" not in client_for("administrator").get("/qa/inbox/").content.decode()


def test_an_administrator_sees_a_years_holidays_then_adds_them(client_for):
    """Given an administrator on the holidays' page of the administration, when they choose
    2027, then its statutory holidays are listed (dates and names, nothing saved yet), and
    confirming adds them and returns to the list of that year's holidays."""
    from innohub.core.models import PublicHoliday

    admin = client_for("administrator")
    assert 'href="/admin/core/publicholiday/fill/"' in admin.get("/admin/core/publicholiday/").content.decode()
    preview = admin.get("/admin/core/publicholiday/fill/", {"year": 2027}).content.decode()
    assert "15 ngày nghỉ lễ của năm 2027 sẽ được thêm" in preview
    assert "06/02/2027 (Thứ 7): Tết Nguyên Đán" in preview
    assert not PublicHoliday.objects.exists()
    added = admin.post("/admin/core/publicholiday/fill/", {"year": 2027})
    assert added.status_code == 302 and added["Location"] == "/admin/core/publicholiday/?date__year=2027"
    assert PublicHoliday.objects.filter(date__year=2027).count() == 15
    again = admin.get("/admin/core/publicholiday/fill/", {"year": 2027}).content.decode()
    assert "Mọi ngày nghỉ lễ theo luật của năm 2027 đều đã có." in again


def test_a_year_out_of_range_on_the_holidays_page_is_refused_and_adds_nothing(client_for):
    from innohub.core.models import PublicHoliday

    admin = client_for("administrator")
    for year in ("1850", "abc", ""):
        page = admin.post("/admin/core/publicholiday/fill/", {"year": year})
        assert page.status_code == 200
        assert "errorlist" in page.content.decode()
    assert not PublicHoliday.objects.exists()


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_staff_other_than_administrators_cannot_fill_holidays(client_for, role):
    from innohub.core.models import PublicHoliday

    response = client_for(role).post("/admin/core/publicholiday/fill/", {"year": 2027})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not PublicHoliday.objects.exists()


def test_an_officer_moves_a_question_to_the_topic_it_is_about_and_the_inbox_lists_it_under_that_unit(client_for):
    """Given a question on startup support asked under "Other", when the officer moves it from
    its page, then they are told where it went, and the inbox filtered to the startup unit
    lists it; moving it to the topic it is in already is refused and changes nothing."""
    other = TopicFactory(code="other", name="Khác")
    support = TopicFactory(code="startup-support", name="Hỗ trợ khởi nghiệp")
    question = QuestionFactory(topic=other, unit=other.unit, text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    officer = client_for("officer")
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    assert "Chuyển sang chủ đề khác" in page and f'action="/qa/inbox/{question.pk}/reroute/"' in page
    moved = officer.post(f"/qa/inbox/{question.pk}/reroute/", {"topic": support.pk}, follow=True).content.decode()
    assert f"Câu hỏi đã được chuyển sang chủ đề “Hỗ trợ khởi nghiệp” ({support.unit.name})." in moved
    listed = officer.get("/qa/inbox/", {"unit": support.unit.code})
    assert [q.tracking_code for q in listed.context["page"]] == [question.tracking_code]
    again = officer.post(f"/qa/inbox/{question.pk}/reroute/", {"topic": support.pk}, follow=True).content.decode()
    assert "Câu hỏi đã thuộc chủ đề này." in again
    assert Question.objects.get(pk=question.pk).topic == support


def test_an_over_long_answer_is_refused_on_the_page_with_the_text_kept(client_for):
    # Given a draft answer, when the officer saves an answer of 20,001 characters, then the
    # page says the limit beside the field, still holds what they wrote, and the draft is unchanged
    from innohub.qa.tests.factories import AnswerFactory

    answer = AnswerFactory(question=QuestionFactory(state="drafted"), draft_text="Bản nháp cũ [1].", published_at=None)
    long_text = "Nội dung trả lời " + "x" * 20_000
    response = client_for("officer").post(f"/qa/inbox/{answer.question.pk}/edit/",
                                          {"text": long_text, "public_question": "Câu hỏi công bố?"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "tối đa 20000 kí tự" in page  # Django's own words for a field's limit, in Vietnamese
    assert f"{long_text}</textarea>" in page and "Câu hỏi công bố?</textarea>" in page
    answer.refresh_from_db()
    assert answer.draft_text == "Bản nháp cũ [1]."
