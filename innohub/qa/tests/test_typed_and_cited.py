"""Issue 27, the Q&A side: whatever is on an officer's screen when a button is pressed is what
is kept; citations read [1], [2], [3] … in order of appearance wherever a citizen reads the
answer; the answer e-mail lists its sources only when there are some; the tracking page
shows the result alone."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.core import mail

from innohub.activity.models import Event
from innohub.qa import letters, selectors
from innohub.qa.models import Answer, Question
from innohub.qa.tests.factories import (
    AnswerFactory,
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db

EDITED = "Doanh nghiệp được hỗ trợ tối đa 80.000.000 đồng (đã sửa) [1]."
WORDING = "Mức hỗ trợ ươm tạo tối đa là bao nhiêu?"


@pytest.fixture
def drafted(client_for):
    """A question drafted by the officer from a knowledge base of one document in force."""
    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp", number="12/2026/QĐ-SKHCN")
    PassageFactory(document=document, order=4, article="5", clause="2", text="Giai đoạn ươm tạo được hỗ trợ tối đa 80.000.000 đồng.")
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu?")
    client_for("officer").post(f"/qa/inbox/{question.pk}/draft/")
    question.refresh_from_db()
    assert question.state == "drafted" and question.answer.draft_text != EDITED
    return question


def _events(question: Question) -> list[str]:
    return list(Event.objects.filter(target_type__model="question", target_id=str(question.pk)).order_by("pk").values_list("action", flat=True))


def test_send_for_approval_is_a_button_of_the_answers_form(client_for, drafted):
    page = client_for("officer").get(f"/qa/inbox/{drafted.pk}/").content.decode()
    form = page[page.index('id="answer-form"'):]
    form = form[: form.index("</form>")]
    assert f'formaction="/qa/inbox/{drafted.pk}/submit/"' in form and "Trình phê duyệt" in form
    # no second form posts "submit" without the text
    assert f' action="/qa/inbox/{drafted.pk}/submit/"' not in page


def test_an_officer_who_sends_an_edited_answer_without_saving_it_has_the_edit_kept(client_for, drafted):
    officer, manager = client_for("officer"), client_for("manager")
    response = officer.post(f"/qa/inbox/{drafted.pk}/submit/", {"text": EDITED, "public_question": WORDING})
    assert response.status_code == 302
    drafted.refresh_from_db()
    answer = Answer.objects.get(question=drafted)
    assert drafted.state == "awaiting_approval"
    assert answer.draft_text == EDITED and answer.published_question == WORDING and answer.generator == Answer.Generator.OFFICER
    # audited as an edit, before the step to approval
    actions = _events(drafted)
    assert actions.index("question.answer_edited") < actions.index("question.submit")
    # the manager reads, and publishes, what the officer sent
    assert "Doanh nghiệp được hỗ trợ tối đa 80.000.000 đồng (đã sửa)" in manager.get(f"/qa/inbox/{drafted.pk}/").content.decode()
    manager.post(f"/qa/inbox/{drafted.pk}/publish/")
    answer.refresh_from_db()
    assert answer.published_text == EDITED


def test_sending_an_unchanged_answer_records_no_edit(client_for, drafted):
    answer = Answer.objects.get(question=drafted)
    from innohub.qa.services import public_question_proposal

    client_for("officer").post(f"/qa/inbox/{drafted.pk}/submit/", {"text": answer.draft_text, "public_question": public_question_proposal(answer)})
    drafted.refresh_from_db()
    assert drafted.state == "awaiting_approval" and "question.answer_edited" not in _events(drafted)


def test_a_refused_send_shows_the_answer_as_typed_and_changes_nothing(client_for, drafted):
    before = Answer.objects.get(question=drafted).draft_text
    typed = "Tối đa 80.000.000 đồng [9]."  # cites a source that was not retrieved
    response = client_for("officer").post(f"/qa/inbox/{drafted.pk}/submit/", {"text": typed, "public_question": WORDING})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{typed}</textarea>" in page and "Hãy kiểm tra trích dẫn của dự thảo trước" in page
    drafted.refresh_from_db()
    assert drafted.state == "drafted" and Answer.objects.get(question=drafted).draft_text == before
    assert "question.answer_edited" not in _events(drafted)
    # an empty answer: the field's own error, the page again
    empty = client_for("officer").post(f"/qa/inbox/{drafted.pk}/submit/", {"text": "  ", "public_question": WORDING})
    assert empty.status_code == 400 and f"{WORDING}</textarea>" in empty.content.decode()
    drafted.refresh_from_db()
    assert drafted.state == "drafted"


def test_adding_a_source_keeps_the_answer_as_typed(client_for, drafted):
    other = PassageFactory(document=DocumentFactory(number="99/2026/QĐ-SKHCN"), order=1, article="2", clause="1")
    typed = "Tối đa 80.000.000 đồng [1]; hồ sơ theo Điều 2 [2]."
    response = client_for("officer").post(f"/qa/inbox/{drafted.pk}/source/", {"passage": other.pk, "text": typed, "public_question": WORDING})
    assert response.status_code == 302
    answer = Answer.objects.get(question=drafted)
    numbers = list(answer.citations.values_list("number", flat=True))
    assert answer.draft_text == typed and answer.published_question == WORDING
    # the text cites the source just added: checked against it, not flagged
    assert answer.citations.filter(passage=other, number=max(numbers)).exists() and not answer.flagged


def test_the_source_buttons_and_the_search_post_the_answers_form(client_for, drafted):
    PassageFactory(document=DocumentFactory(number="99/2026/QĐ-SKHCN"), order=1, article="2", clause="1", text="Hồ sơ đề nghị hỗ trợ ươm tạo gồm đơn và kế hoạch.")
    page = client_for("officer").get(f"/qa/inbox/{drafted.pk}/", {"kb": "hồ sơ ươm tạo"}).content.decode()
    assert f'form="answer-form" formaction="/qa/inbox/{drafted.pk}/source/" name="passage"' in page
    search_box = re.search(r'<input[^>]*name="kb"[^>]*>', page).group(0)
    # in the answer's form, and not required: an empty search box must not stop "Trình phê duyệt"
    assert 'form="answer-form"' in search_box and "required" not in search_box


def test_searching_the_knowledge_base_keeps_the_answer_as_typed(client_for, drafted):
    officer = client_for("officer")
    response = officer.post(f"/qa/inbox/{drafted.pk}/edit/", {"text": EDITED, "public_question": WORDING, "kb": "ươm tạo", "find": "1"})
    assert response.status_code == 302 and "kb=" in response["Location"] and response["Location"].endswith("#add-source")
    assert Answer.objects.get(question=drafted).draft_text == EDITED
    # unchanged, a search saves nothing
    count = _events(drafted).count("question.answer_edited")
    officer.post(f"/qa/inbox/{drafted.pk}/edit/", {"text": EDITED, "public_question": WORDING, "kb": "ươm tạo", "find": "1"})
    assert _events(drafted).count("question.answer_edited") == count


def test_drafting_again_asks_before_replacing_the_answer_as_typed(client_for, drafted):
    officer = client_for("officer")
    machine = Answer.objects.get(question=drafted).draft_text
    response = officer.post(f"/qa/inbox/{drafted.pk}/draft/", {"text": EDITED, "public_question": WORDING})
    assert response.status_code == 409
    page = response.content.decode()
    assert f"{EDITED}</textarea>" in page and "Thay bằng bản dự thảo mới" in page
    assert Answer.objects.get(question=drafted).draft_text == machine
    # confirmed: a new draft replaces it
    officer.post(f"/qa/inbox/{drafted.pk}/draft/", {"text": EDITED, "public_question": WORDING, "confirm": "replace"})
    assert Answer.objects.get(question=drafted).draft_text == machine


@pytest.mark.parametrize(("action", "data"), [
    ("note", {"text": "Đã gọi điện cho người hỏi."}),
    ("assign", None),
])
def test_a_client_may_send_the_answer_as_typed_with_another_action(client_for, users, drafted, action, data):
    data = data or {"assignee": users["officer"].pk}
    response = client_for("officer").post(f"/qa/inbox/{drafted.pk}/{action}/", {**data, "draft_text": EDITED, "draft_public_question": WORDING})
    assert response.status_code == 302
    answer = Answer.objects.get(question=drafted)
    assert answer.draft_text == EDITED and answer.published_question == WORDING
    page = client_for("officer").get(f"/qa/inbox/{drafted.pk}/").content.decode()
    assert f"{EDITED}</textarea>" in page


# -- the "Handling" forms belong to the answer's form: the browser posts the answer with them, no JavaScript needed


class _FormPost(HTMLParser):
    """What a browser posts when a button of the form ``form_id`` is pressed: the controls inside
    it and those naming it in their form attribute (HTML's form owner), the pressed button's
    name and value, and the URL it posts to (its formaction)."""

    def __init__(self, page: str, form_id: str) -> None:
        super().__init__()
        self.form_id, self.depth, self.fields, self.buttons = form_id, 0, [], []
        self._select: list | None = None
        self._textarea: list | None = None
        self.feed(page)

    def _owned(self, attrs: dict) -> bool:
        return attrs.get("form") == self.form_id if "form" in attrs else self.depth > 0

    def handle_starttag(self, tag, attrs_list):
        attrs = dict(attrs_list)
        if tag == "form":
            self.depth = 1 if attrs.get("id") == self.form_id else 0
            if self.depth:
                self.action = attrs["action"]
        elif tag == "button" and self._owned(attrs) and attrs.get("type", "submit") == "submit":
            self.buttons.append(attrs)
        elif tag == "input" and self._owned(attrs) and attrs.get("name") and attrs.get("type") not in ("checkbox", "radio", "file", "submit"):
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "textarea" and self._owned(attrs):
            self._textarea = [attrs["name"], ""]
        elif tag == "select" and self._owned(attrs):
            self._select = [attrs["name"], None]
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in attrs):
            self._select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth = 0
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select[0], self._select[1] or ""))
            self._select = None

    def press(self, formaction_end: str, *, value: str | None = None, **typed: str) -> tuple[str, dict]:
        """The URL and the data posted by the button whose formaction ends with ``formaction_end``
        (and with this value), once ``typed`` was typed into the boxes of those names."""
        button = next(b for b in self.buttons if (b.get("formaction") or self.action).endswith(formaction_end) and (value is None or b.get("value") == value))
        data: dict[str, list[str]] = {}
        for name, field_value in self.fields:
            data.setdefault(name, []).append(typed.get(name, field_value))
        if button.get("name"):
            data.setdefault(button["name"], []).append(button.get("value", ""))
        return button.get("formaction") or self.action, data


def _press(officer, question, formaction_end: str, *, value: str | None = None, **typed: str):
    page = officer.get(f"/qa/inbox/{question.pk}/").content.decode()
    url, data = _FormPost(page, "answer-form").press(formaction_end, value=value, **typed)
    return officer.post(url, data)


@pytest.mark.parametrize("action", ["assign", "note", "reroute", "merge_listed", "reject"])
def test_every_handling_button_posts_the_answer_as_it_is_on_the_screen_without_javascript(client_for, users, drafted, action):
    from innohub.qa.tests.factories import TopicFactory

    officer = client_for("officer")
    other = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu vậy?")  # asks nearly the same: listed to merge into
    moved_to = TopicFactory(name="Sở hữu trí tuệ")
    typed = {"text": EDITED, "public_question": WORDING}
    box = {
        "assign": {"assignee": str(users["manager"].pk)}, "note": {"note-text": "Đã gọi điện cho người hỏi."},
        "reroute": {"topic": str(moved_to.pk)}, "merge_listed": {},
        "reject": {"reason": "Câu hỏi không thuộc lĩnh vực của Sở."},
    }[action]
    response = _press(officer, drafted, f"/{action.removesuffix('_listed')}/", value=other.tracking_code if action == "merge_listed" else None, **typed, **box)
    assert response.status_code == 302
    answer = Answer.objects.get(question=drafted)
    assert answer.draft_text == EDITED and answer.published_question == WORDING  # kept, and before the action
    actions = _events(drafted)
    assert "question.answer_edited" in actions
    drafted.refresh_from_db()
    if action == "assign":
        assert drafted.assignee == users["manager"]
    elif action == "note":
        assert list(drafted.notes.values_list("text", flat=True)) == ["Đã gọi điện cho người hỏi."]
    elif action == "reroute":
        assert drafted.topic == moved_to
    elif action.startswith("merge"):
        assert (drafted.state, drafted.merged_into) == ("merged", other)
    else:
        assert drafted.state == "rejected_out_of_scope" and drafted.reject_reason == "Câu hỏi không thuộc lĩnh vực của Sở."
    assert actions.index("question.answer_edited") < len(actions) - 1  # the action came after the edit


def test_the_handling_forms_are_part_of_the_answers_form_while_it_is_on_the_page(client_for, drafted):
    page = client_for("officer").get(f"/qa/inbox/{drafted.pk}/").content.decode()
    for action in ("assign", "note", "reroute", "reject"):
        assert f' action="/qa/inbox/{drafted.pk}/{action}/"' not in page  # no form of their own, which would post no answer
        assert f'form="answer-form" formaction="/qa/inbox/{drafted.pk}/{action}/" formnovalidate' in page
    # but the merge box is a form of its own: Enter in its code box merges, not saves the
    # answer (the answer's first button); qa.js carries the answer with it
    assert f'<form method="post" action="/qa/inbox/{drafted.pk}/merge/" data-carries-answer="answer-form">' in page
    merge_box = re.search(r'<input[^>]*name="into"[^>]*>', page).group(0)
    assert 'form="answer-form"' not in merge_box
    note_box = re.search(r'<textarea[^>]*name="note-text"[^>]*>', page).group(0)
    assert 'form="answer-form"' in note_box and "required" not in note_box  # an empty note box does not stop "Send for approval"
    # without an answer on the page they are forms of their own, as before
    fresh = QuestionFactory()
    plain = client_for("officer").get(f"/qa/inbox/{fresh.pk}/").content.decode()
    assert f' action="/qa/inbox/{fresh.pk}/note/"' in plain and 'name="note-text"' not in plain


def test_the_merge_box_merges_and_keeps_the_answer_it_carries(client_for, drafted):
    """The merge box's own form, as qa.js sends it (the answer as typed in draft_text and
    draft_public_question): the answer is kept first, then the question merged; sent
    without them (no script), it merges and the answer stays as last saved."""
    officer = client_for("officer")
    other = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu vậy?")
    saved = Answer.objects.get(question=drafted).draft_text
    response = officer.post(f"/qa/inbox/{drafted.pk}/merge/", {"into": other.tracking_code, "draft_text": EDITED, "draft_public_question": WORDING})
    assert response.status_code == 302
    drafted.refresh_from_db()
    answer = Answer.objects.get(question=drafted)
    assert (drafted.state, drafted.merged_into) == ("merged", other)
    assert answer.draft_text == EDITED and answer.published_question == WORDING and saved != EDITED
    actions = _events(drafted)
    assert actions.index("question.answer_edited") < actions.index("question.merge")

    plain = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ tối đa bao nhiêu ạ?")
    officer.post(f"/qa/inbox/{plain.pk}/draft/")
    before = Answer.objects.get(question=plain).draft_text
    assert officer.post(f"/qa/inbox/{plain.pk}/merge/", {"into": other.tracking_code}).status_code == 302
    plain.refresh_from_db()
    assert plain.state == "merged" and Answer.objects.get(question=plain).draft_text == before


def test_a_refused_answer_keeps_the_note_typed_beside_it_and_adds_nothing(client_for, drafted):
    officer = client_for("officer")
    response = _press(officer, drafted, "/note/", text="   ", public_question=WORDING, **{"note-text": "Ghi chú chưa được lưu"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ghi chú chưa được lưu</textarea>" in page  # nothing typed is lost
    assert not drafted.notes.exists() and Answer.objects.get(question=drafted).draft_text != "   "


def test_a_standalone_handling_form_is_still_read_as_before(client_for, users, drafted):
    # a client that posts the note's own form (no answer with it): nothing of the answer changes
    before = Answer.objects.get(question=drafted).draft_text
    response = client_for("officer").post(f"/qa/inbox/{drafted.pk}/note/", {"text": "Ghi chú riêng"})
    assert response.status_code == 302
    assert list(drafted.notes.values_list("text", flat=True)) == ["Ghi chú riêng"]
    assert Answer.objects.get(question=drafted).draft_text == before


def test_an_answer_carried_without_its_public_wording_keeps_the_saved_wording(client_for, drafted):
    before = Answer.objects.get(question=drafted).published_question
    response = client_for("officer").post(f"/qa/inbox/{drafted.pk}/note/", {"text": "Ghi chú", "draft_text": EDITED})
    assert response.status_code == 302
    answer = Answer.objects.get(question=drafted)
    assert answer.draft_text == EDITED and answer.published_question == before and drafted.notes.count() == 1


def test_a_refused_carried_answer_shows_it_and_does_nothing_else(client_for, drafted):
    response = client_for("officer").post(f"/qa/inbox/{drafted.pk}/note/", {"text": "Ghi chú", "draft_text": "   ", "draft_public_question": WORDING})
    assert response.status_code == 400
    assert not drafted.notes.exists()


# -- citations as citizens read them ------------------------------------------------------
@pytest.fixture
def cited_out_of_order():
    """A published answer whose text cites its stored sources [3], [1], [7] in that order; [2]
    was retrieved but is not cited."""
    answer = AnswerFactory(
        question=QuestionFactory(state="published", asker_name="Võ Thị Lan"),
        published_question="Hỗ trợ ươm tạo?",
        published_text="Mức hỗ trợ tối đa 80.000.000 đồng [3]. Hồ sơ gồm đơn đề nghị [1].\nMỗi giai đoạn một lần [3] [7].",
    )
    for number, label in [(1, "Nguồn một"), (2, "Nguồn hai"), (3, "Nguồn ba"), (7, "Nguồn bảy")]:
        document = DocumentFactory(number=f"{number}/2026/QĐ")
        passage = PassageFactory(document=document, order=number)
        answer.citations.create(number=number, passage=passage, document=document, source_label=label, place="Điều 1", anchor=passage.anchor, quote=f"Trích {label}")
    return answer


def test_citations_are_numbered_in_order_of_appearance_on_the_public_page(client, cited_out_of_order):
    page = client.get(f"/qa/answers/{cited_out_of_order.pk}/").content.decode()
    text = page[page.index("qa-answer-text"):]
    text = text[: text.index("</div>")]
    assert [text.index(f">[{n}]</a>") for n in (1, 2, 3)] == sorted(text.index(f">[{n}]</a>") for n in (1, 2, 3))
    assert "[7]" not in text and 'href="#cite-1"' in text
    sources = page[page.index('id="sources-title"'):]
    assert sources.index("Nguồn ba") < sources.index("Nguồn một") < sources.index("Nguồn bảy")
    assert "Nguồn hai" not in sources and 'id="cite-1"' in sources and 'id="cite-7"' not in sources


def test_citations_are_numbered_in_order_of_appearance_in_the_api(client, cited_out_of_order):
    data = client.get(f"/api/v1/qa/answers/{cited_out_of_order.pk}").json()
    assert data["answer"] == "Mức hỗ trợ tối đa 80.000.000 đồng [1]. Hồ sơ gồm đơn đề nghị [2].\nMỗi giai đoạn một lần [1] [3]."
    assert [(c["number"], c["source"]) for c in data["citations"]] == [(1, "Nguồn ba"), (2, "Nguồn một"), (3, "Nguồn bảy")]
    listed = client.get("/api/v1/qa/answers").json()["items"]
    assert listed[0]["answer"] == data["answer"]


def test_citations_are_numbered_in_order_of_appearance_in_the_email_and_on_the_tracking_page(client, cited_out_of_order):
    question = cited_out_of_order.question
    _subject, body = letters.outcome_letter(question)
    assert "đồng [1]. Hồ sơ gồm đơn đề nghị [2]." in body and "một lần [1] [3]." in body
    assert "Văn bản được trích dẫn:\n[1] Nguồn ba\n[2] Nguồn một\n[3] Nguồn bảy" in body
    page = client.get(selectors.track_path(question)).content.decode()
    assert "đồng <a" in page and 'href="#cite-1">[1]</a>. Hồ sơ gồm đơn đề nghị <a class="qa-cite" href="#cite-2">[2]</a>' in page


def test_the_answer_email_has_no_sources_heading_without_sources(cited_out_of_order):
    answer = AnswerFactory(question=QuestionFactory(state="published"), published_text="Sở không có quy định riêng về việc này.")
    answer.citations.create(number=1, source_label="Nguồn không được trích", quote="…")  # retrieved, not cited
    _subject, body = letters.outcome_letter(answer.question)
    assert "Sở không có quy định riêng về việc này." in body
    assert "Văn bản được trích dẫn" not in body and "Nguồn không được trích" not in body
    assert "Văn bản được trích dẫn:\n[1]" in letters.outcome_letter(cited_out_of_order.question)[1]
    assert mail.outbox == []


def test_the_tracking_page_shows_the_result_alone(client, cited_out_of_order):
    question = cited_out_of_order.question
    page = client.post("/qa/track/", {"code": question.tracking_code, "email": question.asker_email}).content.decode()
    assert "Đã trả lời" in page and "Mức hỗ trợ tối đa 80.000.000 đồng" in page
    assert 'name="code"' not in page and 'name="email"' not in page and "Xem tình trạng" not in page
    assert 'href="/qa/track/">Tra cứu mã khác</a>' in page
    linked = client.get(selectors.track_path(question)).content.decode()
    assert 'name="code"' not in linked and "Tra cứu mã khác" in linked
    # nothing found: the form, with what was typed, to correct it
    missing = client.post("/qa/track/", {"code": question.tracking_code, "email": "khac@example.vn"}).content.decode()
    assert 'name="code"' in missing and "khac@example.vn" in missing and "Tra cứu mã khác" not in missing


# -- other Q&A pages: a file chosen is never dropped unnoticed ------------------------------
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_a_refused_question_says_to_choose_the_file_again(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from innohub.qa.tests.factories import TopicFactory

    topic = TopicFactory()
    response = client.post("/qa/ask/", {
        "topic": topic.pk, "text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "asker_name": "Lan", "asker_email": "không-hợp-lệ",
        "website": "", "attachment": SimpleUploadedFile("giay-to.pdf", PDF, content_type="application/pdf"),
    })
    assert response.status_code == 400
    page = response.content.decode()
    assert "Xin chọn lại tệp “giay-to.pdf”" in page and "Xin hỏi thủ tục đăng ký ươm tạo" in page
    assert not Question.objects.exists()


def test_a_refused_upload_to_the_knowledge_base_says_to_choose_the_file_again(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("manager").post("/qa/knowledge/", {"title": "", "file": SimpleUploadedFile("quy-dinh.txt", "Điều 1. Phạm vi.".encode(), content_type="text/plain")})
    assert response.status_code == 400
    assert "Xin chọn lại tệp “quy-dinh.txt”" in response.content.decode()
