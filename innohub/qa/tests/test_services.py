"""The Q&A services: asking and its refusals, routing, working days, the answer
workflow, drafting (extractive and through a real local OpenAI-compatible server),
publication with redaction, and the knowledge base."""

from __future__ import annotations

import datetime as dt
import html
import io
import itertools
import json
import re
import threading
import unicodedata
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from innohub.activity.models import Event
from innohub.core import calendar
from innohub.core.errors import ApplicationError, ConflictError
from innohub.qa import selectors, services
from innohub.qa.drafting import Source, compose_extractive, pick_sources, unanswered_hint
from innohub.qa.knowledge import drop_page_furniture, extract_pages, split_passages
from innohub.qa.models import Answer, KnowledgeDocument, Passage, Question
from innohub.qa.tests.factories import (
    DocumentFactory,
    PassageFactory,
    QuestionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

GOOD_TEXT = "Doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ bao nhiêu tiền ở giai đoạn ươm tạo?"


def ask(**kwargs):
    params = {"topic": kwargs.pop("topic", None) or TopicFactory(), "text": GOOD_TEXT, "asker_email": "an@example.vn", "asker_name": "Nguyễn Văn An", "ip": "10.0.0.1"}
    params.update(kwargs)
    return services.question_ask(**params)


# -- asking ----------------------------------------------------------------------------
def test_asking_routes_to_the_topics_unit_and_sets_a_due_date():
    topic = TopicFactory(answer_working_days=5)
    question = ask(topic=topic)
    assert question.state == "received"
    assert question.unit == topic.unit
    assert question.tracking_code.startswith("HD-") and len(question.tracking_code) == 12
    assert question.due_date > dt.date.today()
    assert Event.objects.filter(action="question.received", target_id=str(question.pk)).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write your question"), ("   ", "Write your question"), ("x" * 100_000, "too long"), ("<p></p>", "Write your question"), ("hi", "too short")],
    ids=["empty", "blank", "100k", "only-markup", "short"],
)
def test_bad_text_is_refused_and_nothing_is_stored(text, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ApplicationError) as err:
        ask(text=text)
    assert message in str(err.value.message)
    assert Question.objects.count() == 0


def test_html_and_script_are_stored_inert():
    question = ask(text='Xin hỏi <script>alert("x")</script><b>hỗ trợ</b> ươm tạo & tăng tốc <img src=x onerror=alert(1)> thế nào?')
    assert "<script" not in question.text and "alert" not in question.text and "<b>" not in question.text
    assert "onerror" not in question.text
    assert question.text == "Xin hỏi hỗ trợ ươm tạo & tăng tốc  thế nào?"


def test_a_pdf_that_is_not_a_pdf_is_refused():
    fake = SimpleUploadedFile("giay-to.pdf", b"MZ\x90\x00 this is an executable", content_type="application/pdf")
    with pytest.raises(ApplicationError) as err:
        ask(attachment=fake)
    assert "attachment" in err.value.extra
    assert Question.objects.count() == 0


# a Windows program's header: MZ, and at 0x3C the offset of its PE signature
_PROGRAM = b"MZ" + b"\x90" * 0x3A + b"\x80\x00\x00\x00" + b"\x00" * 0x40 + b"PE\x00\x00" + b"\x00" * 64


def test_a_program_behind_a_pdf_header_is_refused():
    # Given a file that starts "%PDF-1.4" and ends "%%EOF" with a Windows program between,
    # when it is attached to a question, then it is refused and no question is created
    polyglot = SimpleUploadedFile("giay-to.pdf", b"%PDF-1.4\n" + _PROGRAM + b"\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(ApplicationError) as err:
        ask(attachment=polyglot)
    assert str(err.value) == "Nội dung tệp đính kèm không đúng với loại tệp (PDF)."
    assert Question.objects.count() == 0


def test_a_real_pdf_is_accepted_and_stored_under_a_generated_name():
    pdf = SimpleUploadedFile("Giấy tờ của tôi.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    question = ask(attachment=pdf)
    assert question.attachment.name.startswith("qa/attachments/") and question.attachment.name.endswith(".pdf")
    assert "tôi" not in question.attachment.name


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def test_the_askers_file_name_is_kept_in_nfc():
    # given a file named on a Mac, whose names arrive decomposed (NFD)
    question = ask(attachment=_pdf(unicodedata.normalize("NFD", "Hồ sơ đăng ký.pdf")))
    question.refresh_from_db()
    # then its name is kept as typed, composed, while the file is stored under a generated one
    assert question.attachment_name == unicodedata.normalize("NFC", "Hồ sơ đăng ký.pdf")
    assert "sơ" not in question.attachment.name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../etc/Đơn xin hỗ trợ.pdf", "Đơn xin hỗ trợ.pdf"),
        ("C:\\x\\y.pdf", "y.pdf"),
        ("C:\\Users\\An\\Tài liệu\\Hồ sơ đăng ký.pdf", "Hồ sơ đăng ký.pdf"),
        ("..\\..\\Đơn.pdf", "Đơn.pdf"),
        ("Hồ\x00 sơ\u202e\t.pdf", "Hồ sơ.pdf"),
    ],
    ids=["posix-parent", "windows-path", "windows-path-vietnamese", "windows-parent", "control-and-bidi-characters"],
)
def test_only_the_base_name_of_an_attachment_is_kept(sent, kept):
    question = ask(attachment=_pdf(sent))
    question.refresh_from_db()
    assert question.attachment_name == kept
    assert question.attachment.name.startswith("qa/attachments/") and question.attachment.name.endswith(".pdf")


def test_a_300_character_file_name_is_trimmed_to_200_and_keeps_its_extension():
    sent = ("Hồ sơ đăng ký dự án khởi nghiệp sáng tạo " * 10)[:296] + ".pdf"
    assert len(sent) == 300
    question = ask(attachment=_pdf(sent))
    question.refresh_from_db()
    kept = question.attachment_name
    assert kept.endswith(".pdf") and 190 < len(kept) <= 200
    assert sent.startswith(kept.removesuffix(".pdf"))


def test_a_name_with_nothing_but_an_extension_keeps_no_name():
    question = ask(attachment=_pdf("\x01\x02 .pdf"))
    question.refresh_from_db()
    assert question.attachment_name == ""
    assert question.attachment_download_name == f"{question.tracking_code}-tep-dinh-kem.pdf"


def test_a_refused_attachment_stores_no_question_and_no_file(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    # given a file of a type not accepted, under a name that would otherwise be kept
    refused = SimpleUploadedFile("Hồ sơ đăng ký.exe", b"MZ\x90\x00 an executable", content_type="application/octet-stream")
    # when it is asked with, the asker is told why and nothing is written
    with pytest.raises(ApplicationError) as err:
        ask(attachment=refused)
    assert err.value.extra["attachment"] == "Hãy đính kèm tệp PDF, PNG, JPEG hoặc DOCX."
    assert Question.objects.count() == 0
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    # while an accepted one is written there, with its name
    kept = ask(attachment=_pdf("Hồ sơ đăng ký.pdf"))
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [tmp_path / kept.attachment.name]
    assert Question.objects.get().attachment_name == "Hồ sơ đăng ký.pdf"


def test_oversized_attachment_is_refused():
    big = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1))
    with pytest.raises(ApplicationError):
        ask(attachment=big)
    assert Question.objects.count() == 0


def test_bad_email_is_refused():
    with pytest.raises(ApplicationError) as err:
        ask(asker_email="not-an-address")
    assert "asker_email" in err.value.extra
    assert Question.objects.count() == 0


def test_the_honeypot_refuses_bots():
    with pytest.raises(ApplicationError):
        ask(honeypot="http://spam.example")
    assert Question.objects.count() == 0


def test_a_flood_from_one_address_is_refused():
    topic = TopicFactory()
    for _ in range(services.ASK_LIMIT_PER_HOUR):
        ask(topic=topic, ip="10.9.9.9")
    with pytest.raises(ApplicationError) as err:
        ask(topic=topic, ip="10.9.9.9")
    assert err.value.code == "rate_limited"
    assert Question.objects.count() == services.ASK_LIMIT_PER_HOUR
    ask(topic=topic, ip="10.9.9.10")  # another address is not affected


def test_visitors_flooding_an_address_do_not_block_a_member_asking_from_it(users):
    # given an office whose visitors used up the address's questions for the hour
    topic = TopicFactory()
    for _ in range(services.ASK_LIMIT_PER_HOUR):
        ask(topic=topic, ip="10.8.8.8")
    with pytest.raises(ApplicationError):
        ask(topic=topic, ip="10.8.8.8")
    # when a signed-in member asks from the same address, then the question is received
    question = ask(topic=topic, ip="10.8.8.8", asker=users["applicant"], asker_email="", asker_name="")
    assert question.asker == users["applicant"] and question.state == "received"


def test_a_member_who_floods_is_limited_by_account_and_the_refusal_stores_nothing(users, django_capture_on_commit_callbacks):
    topic, member = TopicFactory(), users["applicant"]
    for n in range(services.ASK_LIMIT_PER_ACCOUNT_PER_HOUR):
        ask(topic=topic, asker=member, asker_email="", ip=f"10.7.7.{n}")  # from a new address each time
    stored = Question.objects.count()
    events = Event.objects.count()
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ApplicationError) as err:
        ask(topic=topic, asker=member, asker_email="", ip="10.7.7.200")
    assert err.value.code == "rate_limited"
    assert str(err.value.message) == "Tài khoản của bạn đã gửi quá nhiều câu hỏi. Vui lòng thử lại sau một giờ."
    assert (Question.objects.count(), Event.objects.count(), callbacks, mail.outbox) == (stored, events, [], [])
    # a visitor at that address, and another member, still ask
    ask(topic=topic, ip="10.7.7.200")
    ask(topic=topic, asker=users["officer"], asker_email="", ip="10.7.7.200")


def test_a_logged_in_asker_needs_no_email_field(users):
    question = ask(asker=users["applicant"], asker_email="", asker_name="")
    assert question.asker == users["applicant"]
    assert question.asker_email == users["applicant"].email


# -- the receipt e-mail ------------------------------------------------------------------
def test_a_received_question_is_confirmed_by_email_with_its_code_link_and_due_date(settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://innohub.example.vn"
    with django_capture_on_commit_callbacks(execute=True):
        question = ask(topic=TopicFactory(answer_working_days=5))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@example.vn"]
    assert question.tracking_code in message.subject
    link = f"https://innohub.example.vn{reverse('qa:track')}?code={question.tracking_code}&key="
    assert link in message.body
    assert question.due_date.strftime("%d/%m/%Y") in message.body
    question.refresh_from_db()
    assert question.receipt_emailed_at is not None
    assert not Event.objects.filter(target_id=str(question.pk)).exclude(action="question.received").exists()


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [("vi", "đã được tiếp nhận", "Mã tra cứu"), ("en", "has been received", "tracking code")],
)
def test_the_receipt_is_in_the_questions_language(language, subject, body, django_capture_on_commit_callbacks):
    from django.utils import translation

    # the page's language at the time of sending does not matter, the question's does
    with translation.override("en" if language == "vi" else "vi"), django_capture_on_commit_callbacks(execute=True):
        question = ask(language=language)
    (message,) = mail.outbox
    assert subject in message.subject and body in message.body
    assert question.tracking_code in message.body


def test_the_receipt_of_a_visitor_without_a_name_greets_them_and_quotes_a_long_question_in_part(django_capture_on_commit_callbacks):
    # Given a visitor who gives no name and writes a long question, when it is received,
    # then the receipt greets them without one and quotes the first 1,000 characters, cut
    # at a word, with the due date and the link.
    long_text = "Xin hỏi về hỗ trợ ươm tạo khởi nghiệp " * 60
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        question = ask(text=long_text, asker_name="")
    (message,) = mail.outbox
    lines = message.body.splitlines()
    assert lines[:4] == [
        "Kính gửi Ông/Bà,", "",
        f"Sở đã tiếp nhận câu hỏi của Ông/Bà. Mã tra cứu: {question.tracking_code}; Sở trả lời chậm nhất vào ngày {question.due_date:%d/%m/%Y}.", "",
    ]
    assert lines[4] == f"Câu hỏi của Ông/Bà ({question.tracking_code}):"
    quoted = lines[5]
    assert quoted.endswith(" …") and len(quoted) <= 1002 and question.text.startswith(quoted[:-2])
    assert lines[7] == "Theo dõi câu hỏi tại:" and lines[8].endswith(selectors.track_path(question))


@pytest.mark.parametrize("refusal", ["honeypot", "invalid", "rate_limited"])
def test_a_refused_question_sends_no_receipt(refusal, django_capture_on_commit_callbacks):
    topic = TopicFactory()
    if refusal == "rate_limited":
        for _ in range(services.ASK_LIMIT_PER_HOUR):
            ask(topic=topic)  # outside the capture: their receipts are never sent
    refused = {"honeypot": {"honeypot": "http://spam.example"}, "invalid": {"text": "hi"}, "rate_limited": {}}[refusal]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ApplicationError):
        ask(topic=topic, **refused)
    assert callbacks == []
    assert mail.outbox == []


def test_the_receipt_task_is_safe_to_run_twice():
    from innohub.qa.tasks import email_receipt

    question = ask()
    assert email_receipt.call(question_id=question.pk) is True
    assert email_receipt.call(question_id=question.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("outcome", ["published", "rejected_out_of_scope", "merged"])
def test_no_receipt_once_the_question_has_its_outcome(outcome):
    # The worker was down: by the time the receipt task runs, the question is answered,
    # rejected or merged, and the e-mail about that outcome is the one that counts.
    from innohub.qa.tasks import email_receipt

    question = ask()
    Question.objects.filter(pk=question.pk).update(state=outcome)
    assert email_receipt.call(question_id=question.pk) is False
    assert mail.outbox == []
    question.refresh_from_db()
    assert question.receipt_emailed_at is None


# -- workflow -------------------------------------------------------------------------
def test_assign_note_and_permission(users):
    question = QuestionFactory()
    with pytest.raises(PermissionDenied):
        services.question_assign(question=question, actor=users["applicant"], assignee=users["officer"])
    question.refresh_from_db()
    assert question.state == "received" and question.assignee is None
    with pytest.raises(ApplicationError):
        services.question_assign(question=question, actor=users["manager"], assignee=users["visitor"])
    question = services.question_assign(question=question, actor=users["manager"], assignee=users["officer"])
    assert (question.state, question.assignee) == ("assigned", users["officer"])
    note = services.question_note_add(question=question, actor=users["officer"], text="Hỏi lại Phòng Quản lý công nghệ")
    assert note.author == users["officer"]
    assert Event.objects.filter(action="question.assign").exists()


def test_reassigning_moves_the_question_to_the_new_officer_and_a_closed_one_is_not_reassigned(users):
    from innohub.activity.models import Notification

    question = services.question_assign(question=QuestionFactory(), actor=users["manager"], assignee=users["officer"])
    question = services.question_assign(question=question, actor=users["manager"], assignee=users["administrator"])
    assert (question.state, question.assignee) == ("assigned", users["administrator"])
    event = Event.objects.get(action="question.reassigned")
    assert (event.before["assignee"], event.after["assignee"]) == (users["officer"].pk, users["administrator"].pk)
    # the officer it now belongs to is told; a manager who takes it on themselves is not
    assert Notification.objects.filter(recipient=users["administrator"], subject__contains=question.tracking_code).exists()
    services.question_assign(question=question, actor=users["manager"], assignee=users["manager"])
    assert not Notification.objects.filter(recipient=users["manager"]).exists()
    Question.objects.filter(pk=question.pk).update(state="published")
    with pytest.raises(ConflictError):
        services.question_assign(question=question, actor=users["manager"], assignee=users["officer"])
    question.refresh_from_db()
    assert question.assignee == users["manager"] and Event.objects.filter(action="question.reassigned").count() == 2


def test_reject_needs_a_reason_and_emails_the_asker(users, django_capture_on_commit_callbacks):
    question = QuestionFactory()
    with pytest.raises(ApplicationError):
        services.question_reject(question=question, actor=users["officer"], reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_reject(question=question, actor=users["officer"], reason="Câu hỏi về đất đai thuộc Sở Tài nguyên và Môi trường.")
    question.refresh_from_db()
    assert question.state == "rejected_out_of_scope" and question.closed_at
    assert len(mail.outbox) == 1 and "Sở Tài nguyên" in mail.outbox[0].body
    with pytest.raises(ConflictError):
        services.question_reject(question=question, actor=users["officer"], reason="again")


def test_staff_hear_of_the_steps_that_are_theirs(users, make_user, knowledge, django_capture_on_commit_callbacks):
    from innohub.activity.models import Notification

    officer, manager = users["officer"], users["manager"]
    english_manager = make_user(role="manager", username="manager-en", language="en")
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?", due_date=dt.date(2026, 12, 4))
    page = reverse("qa:question", args=[question.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.question_assign(question=question, actor=manager, assignee=officer)
    (assigned,) = Notification.objects.filter(recipient=officer)
    assert assigned.subject == f"Câu hỏi {question.tracking_code} được giao cho Ông/Bà (hạn 04/12/2026)" and assigned.url == page
    assert [m.to for m in mail.outbox] == [[officer.email]] and question.text not in mail.outbox[0].body
    # taking a question oneself, or drafting, tells nobody
    services.question_assign(question=question, actor=officer, assignee=officer)
    services.question_draft(question=question, actor=officer)
    assert Notification.objects.count() == 1

    services.question_submit(question=question, actor=officer)
    waiting = {n.recipient: n.subject for n in Notification.objects.exclude(recipient=officer)}
    code = question.tracking_code
    assert waiting == {
        manager: f"Câu trả lời cho câu hỏi {code} đang chờ Ông/Bà phê duyệt (hạn 04/12/2026)",
        english_manager: f"The answer to question {code} awaits your approval (due 04/12/2026)",
    }
    services.question_return(question=question, actor=manager, reason="Bổ sung căn cứ Điều 2.")
    returned = Notification.objects.filter(recipient=officer).latest("pk")
    assert returned.subject == f"Dự thảo trả lời câu hỏi {code} của Ông/Bà bị trả lại" and returned.body == "Bổ sung căn cứ Điều 2."
    assert Notification.objects.filter(recipient__role="administrator").count() == 0


def test_daily_reminders_go_to_whoever_holds_a_question_due_soon_or_late(users):
    from django.core.management import call_command
    from django.utils import timezone

    from innohub.activity.models import Notification

    today = timezone.localdate()
    officer, manager = users["officer"], users["manager"]
    late = QuestionFactory(state="assigned", assignee=officer, due_date=today - dt.timedelta(days=3))
    soon = QuestionFactory(due_date=calendar.add_working_days(today, 1))
    waiting = QuestionFactory(state="awaiting_approval", assignee=officer, due_date=today)
    QuestionFactory(state="assigned", assignee=officer, due_date=today + dt.timedelta(days=30))
    QuestionFactory(state="published", assignee=officer, due_date=today - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "3 question reminder(s)" in out.getvalue()
    late_on = late.due_date.strftime("%d/%m/%Y")
    assert list(Notification.objects.filter(recipient=officer).values_list("subject", flat=True)) == [
        f"Câu hỏi {late.tracking_code} đã quá hạn: hạn trả lời là {late_on}"
    ]
    assert sorted(Notification.objects.filter(recipient=manager).values_list("subject", flat=True)) == sorted([
        f"Câu hỏi {soon.tracking_code} đến hạn trả lời ngày {soon.due_date.strftime('%d/%m/%Y')}",
        f"Câu hỏi {waiting.tracking_code} đến hạn trả lời ngày {today.strftime('%d/%m/%Y')}",
    ])
    # a second run the same day sends nothing more
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "0 question reminder(s)" in out.getvalue()
    assert Notification.objects.count() == 3
    assert Event.objects.filter(action="question.reminded").count() == 3
    late.refresh_from_db()
    assert late.reminded_on == today


def test_moving_a_question_to_another_topic_routes_it_to_that_topics_unit(users):
    """Given a question asked under "Other" and assigned, when an officer moves it to the
    startup-support topic, then it is that topic's unit's, its due date and officer stay, and
    the audit log keeps the topic and unit before and after."""
    other = TopicFactory(code="other", name="Khác", answer_working_days=10)
    support = TopicFactory(code="startup-support", name="Hỗ trợ khởi nghiệp", answer_working_days=5)
    question = QuestionFactory(topic=other, unit=other.unit, state="assigned", assignee=users["officer"])
    due = question.due_date
    services.question_reroute(question=question, actor=users["officer"], topic=support)
    question.refresh_from_db()
    assert (question.topic, question.unit, question.due_date, question.assignee) == (support, support.unit, due, users["officer"])
    event = Event.objects.get(action="question.rerouted")
    assert (event.before["topic"], event.after["topic"]) == (other.pk, support.pk)
    assert (event.before["unit"], event.after["unit"]) == (other.unit.pk, support.unit.pk)


@pytest.mark.parametrize("state", ["published", "merged", "rejected_out_of_scope"])
def test_a_closed_question_is_not_moved(users, state):
    question = QuestionFactory(state=state)
    topic = question.topic
    with pytest.raises(ConflictError):
        services.question_reroute(question=question, actor=users["officer"], topic=TopicFactory())
    question.refresh_from_db()
    assert question.topic == topic and not Event.objects.exists()


def test_moving_to_the_same_topic_or_by_a_non_officer_changes_nothing(users):
    question = QuestionFactory()
    with translation.override("vi"), pytest.raises(ApplicationError, match="đã thuộc chủ đề này"):
        services.question_reroute(question=question, actor=users["officer"], topic=question.topic)
    for role in ("reviewer", "applicant", "visitor"):
        with pytest.raises(PermissionDenied):
            services.question_reroute(question=question, actor=users[role], topic=TopicFactory())
    assert not Event.objects.exists()


def test_merge_duplicates(users):
    original = QuestionFactory()
    duplicate = QuestionFactory()
    with pytest.raises(ApplicationError):
        services.question_merge(question=original, actor=users["officer"], into=original)
    services.question_merge(question=duplicate, actor=users["officer"], into=original)
    duplicate.refresh_from_db()
    assert (duplicate.state, duplicate.merged_into) == ("merged", original)


# -- drafting ----------------------------------------------------------------------------
@pytest.fixture
def knowledge():
    document = DocumentFactory(title="Quy định hỗ trợ khởi nghiệp sáng tạo", number="12/2026/QĐ-SKHCN")
    PassageFactory(document=document, order=1, article="5", clause="1", text="Giai đoạn tiền ươm tạo: hỗ trợ không hoàn lại tối đa 40.000.000 đồng cho mỗi dự án khởi nghiệp.")
    PassageFactory(document=document, order=2, article="5", clause="2", text="Giai đoạn ươm tạo: doanh nghiệp khởi nghiệp sáng tạo được hỗ trợ không hoàn lại tối đa 80.000.000 đồng.")
    PassageFactory(document=document, order=3, article="9", clause="", text="Hồ sơ đề nghị gửi qua cổng dịch vụ công của Sở trước ngày 30 tháng 6.")
    return document


def test_an_officer_adds_a_passage_the_retrieval_did_not_bring(users, knowledge):
    from django.utils import timezone

    question = QuestionFactory(text="Giai đoạn ươm tạo được hỗ trợ bao nhiêu?", language="en")
    answer = services.question_draft(question=question, actor=users["officer"])
    before = list(answer.citations.values_list("number", "passage_id"))
    other = DocumentFactory(title="Hướng dẫn nộp hồ sơ", number="45/HD-SKHCN")
    wanted = PassageFactory(document=other, order=7, article="3", clause="2", text="Nhóm cá nhân chưa thành lập doanh nghiệp được đề nghị hỗ trợ tiền ươm tạo.")
    citation = services.answer_source_add(answer=answer, actor=users["officer"], passage_id=wanted.pk)
    assert citation.number == len(before) + 1
    # labelled in the question's language, as the retrieved sources are
    assert (citation.source_label, citation.place) == ("45/HD-SKHCN Hướng dẫn nộp hồ sơ, Article 3, clause 2", "Article 3, clause 2")
    assert citation.quote == wanted.text and citation.url.endswith(f"?at={wanted.anchor}#{wanted.anchor}")
    event = Event.objects.filter(action="question.source_added").get()
    assert event.after["number"] == citation.number and event.after["passage"] == wanted.pk
    # the officer may now cite it
    edited = services.answer_edit(answer=answer, actor=users["officer"], text=f"Có [{citation.number}].")
    assert not edited.flagged

    # refused, and nothing changes: already cited, withdrawn, unknown, not staff, not a draft
    withdrawn = PassageFactory(document=DocumentFactory(withdrawn_at=timezone.now()), text="Văn bản đã hết hiệu lực.")
    refusals = [
        (users["officer"], wanted.pk, ApplicationError, f"Đoạn này đã là nguồn [{citation.number}]."),
        (users["officer"], withdrawn.pk, ApplicationError, "không thuộc văn bản nào đang có hiệu lực"),
        (users["officer"], 999_999, ApplicationError, "không thuộc văn bản nào đang có hiệu lực"),
        (users["applicant"], wanted.pk, PermissionDenied, ""),
    ]
    for actor, passage_id, error, message in refusals:
        with pytest.raises(error) as caught:
            services.answer_source_add(answer=answer, actor=actor, passage_id=passage_id)
        assert message in str(caught.value), str(caught.value)
    services.question_submit(question=question, actor=users["officer"])
    with pytest.raises(ConflictError):
        services.answer_source_add(answer=answer, actor=users["officer"], passage_id=knowledge.passages.first().pk)
    assert answer.citations.count() == len(before) + 1
    assert Event.objects.filter(action="question.source_added").count() == 1


def test_an_answer_has_at_most_twenty_sources(users, knowledge):
    answer = services.question_draft(question=QuestionFactory(text="Ươm tạo được hỗ trợ bao nhiêu?"), actor=users["officer"])
    document = DocumentFactory()
    passages = [PassageFactory(document=document, order=n, text=f"Đoạn số {n} của hướng dẫn.") for n in range(1, 25)]
    added = 0
    for passage in passages:
        if answer.citations.count() == services.MAX_SOURCES:
            break
        services.answer_source_add(answer=answer, actor=users["officer"], passage_id=passage.pk)
        added += 1
    with pytest.raises(ApplicationError, match="tối đa 20 nguồn"):
        services.answer_source_add(answer=answer, actor=users["officer"], passage_id=passages[added].pk)
    assert sorted(answer.citations.values_list("number", flat=True)) == list(range(1, 21))


def test_extractive_draft_cites_the_retrieved_passages(users, knowledge):
    question = QuestionFactory(text="Khởi nghiệp giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    answer = services.question_draft(question=question, actor=users["officer"])
    question.refresh_from_db()
    assert question.state == "drafted" and question.assignee == users["officer"]
    assert answer.generator == "extractive" and not answer.flagged
    citations = list(answer.citations.all())
    assert citations and citations[0].place == "Điều 5, Khoản 2"
    assert "80.000.000" in answer.draft_text and "[1]" in answer.draft_text
    assert citations[0].anchor == "p2"
    # the audit log says, in the staff's language, how the draft was made and from how many sources
    note = Event.objects.get(action="question.draft", target_id=str(question.pk)).note
    assert note == f"Trích xuất, {len(citations)} nguồn"


AMOUNT_AND_SALARY = [
    Source(1, "Điều 5, Khoản 3", "3. Giai đoạn tăng tốc: hỗ trợ không hoàn lại tối đa 400.000.000 đồng cho mỗi doanh nghiệp."),
    Source(2, "Điều 5, Khoản 4", "4. Mỗi đối tượng chỉ được hỗ trợ một lần cho mỗi giai đoạn."),
    Source(3, "Điều 6, Khoản 3", "3. Chi thuê mặt bằng làm việc tại cơ sở ươm tạo trong thời gian tối đa 12 tháng."),
    Source(4, "Điều 6, Khoản 4", "4. Không hỗ trợ chi lương thường xuyên, mua sắm tài sản cố định."),
    Source(5, "Điều 5, Khoản 2", "2. Giai đoạn ươm tạo: hỗ trợ không hoàn lại tối đa 80.000.000 đồng."),
]


@pytest.mark.parametrize(
    "question",
    [
        "Giai đoạn tăng tốc được hỗ trợ bao nhiêu và có được dùng để chi lương nhân viên không?",
        "giai doan tang toc duoc ho tro bao nhieu va co duoc dung de chi luong nhan vien khong",
    ],
)
def test_an_extractive_draft_answers_each_thing_the_question_asks(question):
    # The clause on salaries ranks fourth; the top three say nothing of salaries. Once it
    # is in, nothing else adds a word asked about, and the next by rank fills the third line.
    assert [s.number for s in pick_sources(question, AMOUNT_AND_SALARY)] == [1, 2, 4]
    draft = compose_extractive(question, AMOUNT_AND_SALARY)
    lines = draft.text.splitlines()
    assert lines[1].endswith("[1]") and "400.000.000" in lines[1]
    assert lines[3] == "- Không hỗ trợ chi lương thường xuyên, mua sắm tài sản cố định. [4]"
    assert "[3]" not in draft.text and "[5]" not in draft.text


def test_with_marks_a_word_is_not_its_look_alike():
    sources = [
        Source(1, "Điều 5, Khoản 3", "Giai đoạn tăng tốc: hỗ trợ tối đa 400.000.000 đồng."),
        Source(2, "Điều 6, Khoản 2", "Chi đo lường chất lượng sản phẩm."),  # lường, lượng: not lương
        Source(3, "Điều 6, Khoản 4", "Không hỗ trợ chi lương thường xuyên."),
    ]
    question = "Giai đoạn tăng tốc có được dùng để chi lương không?"
    assert [s.number for s in pick_sources(question, sources, limit=2)] == [1, 3]
    # typed without marks the two read alike, and the ranking decides
    folded = "giai doan tang toc co duoc dung de chi luong khong"
    assert [s.number for s in pick_sources(folded, sources, limit=2)] == [1, 2]


def test_an_english_question_is_drafted_from_the_ranking_not_from_folded_look_alikes():
    # Folded, English "it" reads as "ít" (few) and "can" as "cần" (need): no word of an
    # English question is compared with the Vietnamese passages.
    sources = [
        *AMOUNT_AND_SALARY[:3],
        Source(4, "Điều 1, Khoản 1", "1. Tổ chức nước ngoài gửi văn bản ít nhất 10 ngày làm việc trước. Cần nêu rõ thành phần đoàn."),
    ]
    question = "How much support can a startup get at the acceleration stage, and can it pay salaries?"
    assert [s.number for s in pick_sources(question, sources, language="en")] == [1, 2, 3]
    draft = compose_extractive(question, sources, language="en")
    assert draft.text.splitlines()[0] == "The Department answers as follows:" and "[4]" not in draft.text
    # and a passage is quoted from its first sentences, not from those with "cần" and "ít"
    text = "Câu mở đầu của điều này khá dài. Câu thứ hai của điều này cũng dài. Cần nêu rõ thành phần đoàn ít nhất một ngày."
    quoted = compose_extractive(question, [Source(1, "Điều 1", text)], language="en").text.splitlines()[1]
    assert quoted == "- Câu mở đầu của điều này khá dài. Câu thứ hai của điều này cũng dài. [1]"


def test_a_draft_quotes_the_sentences_about_the_question_not_those_sharing_its_little_words():
    text = (
        "Kết quả được công bố và có thông báo không chậm. Hồ sơ nộp qua mạng trên cổng dịch vụ công. "
        "Thời hạn xét chọn là 30 ngày làm việc. Hồ sơ gồm đơn đề nghị và thuyết minh."
    )
    draft = compose_extractive("Hồ sơ có được nộp trực tuyến không và nộp ở đâu?", [Source(1, "Điều 8", text)])
    assert draft.text.splitlines()[1] == (
        "- Hồ sơ nộp qua mạng trên cổng dịch vụ công. Hồ sơ gồm đơn đề nghị và thuyết minh. [1]"
    )


def test_an_earlier_answer_is_quoted_without_its_bullets_its_opening_or_its_own_citations():
    # Given an earlier published answer among the sources, as drafting gives them
    earlier = (
        "Sở Khoa học và Công nghệ trả lời như sau:\n"
        "- Giai đoạn ươm tạo: hỗ trợ không hoàn lại tối đa 80.000.000 đồng cho mỗi doanh nghiệp. [1]\n"
        "- Giai đoạn tăng tốc: hỗ trợ [3] tối đa 400.000.000 đồng cho mỗi doanh nghiệp. [2]"
    )
    sources = [AMOUNT_AND_SALARY[3], Source(2, "Câu trả lời đã công bố HD-3DFW-3LJT", earlier)]
    # When a draft quotes it
    draft = compose_extractive("Giai đoạn tăng tốc có được chi lương không, được hỗ trợ bao nhiêu tiền?", sources)
    # Then the line reads as one bullet, cites only the earlier answer, and leaves out its opening
    line = draft.text.splitlines()[2]
    assert line == (
        "- Giai đoạn ươm tạo: hỗ trợ không hoàn lại tối đa 80.000.000 đồng cho mỗi doanh nghiệp. "
        "Giai đoạn tăng tốc: hỗ trợ tối đa 400.000.000 đồng cho mỗi doanh nghiệp. [2]"
    )
    assert draft.text.count("trả lời như sau") == 1 and "[1]" not in line and "[3]" not in line


def test_an_earlier_answers_opening_line_says_nothing_of_what_it_answers():
    # "Sở Khoa học và Công nghệ trả lời như sau:" holds the "học" of "trường đại học": counted,
    # (and "thị trường" the "trường"), the earlier answer on amounts took the place of the
    # clause on universities
    question = "Doanh nghiệp nhận chuyển giao công nghệ từ trường đại học được hỗ trợ những gì?"
    sources = [
        Source(1, "Điều 1, Khoản 2", "2. Doanh nghiệp nhận chuyển giao công nghệ để sản xuất, kinh doanh tại Thành phố."),
        Source(2, "Điều 1, Khoản 1", "1. Viện nghiên cứu, trường đại học có kết quả nghiên cứu đã được nghiệm thu."),
        Source(3, "Điều 2, Khoản 1", "1. Hỗ trợ tối đa 30% kinh phí hoàn thiện công nghệ được chuyển giao."),
        Source(4, "Câu trả lời đã công bố HD-3DFW-3LJT", "Sở Khoa học và Công nghệ trả lời như sau:\n- Giai đoạn tăng tốc: hỗ trợ tối đa 400.000.000 đồng cho mỗi doanh nghiệp để mở rộng thị trường. [1]"),
    ]
    assert [s.number for s in pick_sources(question, sources)] == [1, 2, 3]


def test_a_source_adding_one_syllable_of_the_question_does_not_take_a_line():
    # "khởi" of "khởi nghiệp" is all the dossier's certificate adds to the clause on the amount
    question = "Doanh nghiệp khởi nghiệp ở giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu tiền?"
    sources = [
        Source(1, "Điều 5, Khoản 2", "2. Giai đoạn ươm tạo: hỗ trợ tối đa 80.000.000 đồng cho mỗi doanh nghiệp."),
        Source(2, "Điều 5, Khoản 1", "1. Giai đoạn tiền ươm tạo: hỗ trợ tối đa 40.000.000 đồng cho mỗi dự án, thị trường."),
        Source(3, "Điều 5, Khoản 3", "3. Giai đoạn tăng tốc: hỗ trợ tối đa 400.000.000 đồng cho mỗi doanh nghiệp."),
        Source(4, "Điều 8, Khoản 3", "3. Bản sao giấy chứng nhận đăng ký doanh nghiệp khởi nghiệp."),
    ]
    # the next by rank takes the third line instead
    assert [s.number for s in pick_sources(question, sources)] == [1, 2, 3]


def test_a_rule_joined_by_a_semicolon_is_quoted_whole():
    # cut at the semicolon, the quote read "… một lần; Hồ sơ được lưu …"
    text = (
        "4. Mỗi đối tượng chỉ được hỗ trợ một lần; kinh phí được cấp theo các đợt gắn với kết quả thực hiện. "
        "Hồ sơ được lưu tại Sở trong thời hạn năm năm."
    )
    line = compose_extractive("Được hỗ trợ mấy lần, hồ sơ lưu ở đâu?", [Source(1, "Điều 5", text)]).text.splitlines()[1]
    assert line == (
        "- Mỗi đối tượng chỉ được hỗ trợ một lần; kinh phí được cấp theo các đợt gắn với kết quả thực hiện. "
        "Hồ sơ được lưu tại Sở trong thời hạn năm năm. [1]"
    )


def test_an_extractive_draft_keeps_the_ranking_when_nothing_more_is_asked():
    # Everything asked is in the first source: the next two by rank, as before.
    question = "Giai đoạn tăng tốc được hỗ trợ tối đa bao nhiêu?"
    assert [s.number for s in pick_sources(question, AMOUNT_AND_SALARY)] == [1, 2, 3]
    assert [s.number for s in pick_sources(question, AMOUNT_AND_SALARY[:2])] == [1, 2]


def test_draft_without_accents_finds_the_same_passage(users, knowledge):
    question = QuestionFactory(text="khoi nghiep giai doan uom tao duoc ho tro bao nhieu")
    answer = services.question_draft(question=question, actor=users["officer"])
    assert answer.citations.first().place == "Điều 5, Khoản 2"


class _FakeLLM(BaseHTTPRequestHandler):
    reply = ""
    requests: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        data = json.dumps({"choices": [{"message": {"role": "assistant", "content": type(self).reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def llm_server(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeLLM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeLLM.requests = []
    settings.QA_LLM_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.QA_LLM_MODEL = "qwen-test"
    settings.QA_LLM_API_KEY = "k-123"
    settings.QA_LLM_TIMEOUT_SECONDS = 5
    yield _FakeLLM
    server.shutdown()
    server.server_close()


def test_generated_draft_with_valid_citations(users, knowledge, llm_server):
    llm_server.reply = "Ở giai đoạn ươm tạo, mức hỗ trợ tối đa là 80.000.000 đồng [1]."
    answer = services.question_draft(question=QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?"), actor=users["officer"])
    assert answer.generator == "llm" and not answer.flagged
    sent = llm_server.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer k-123"
    assert sent["body"]["model"] == "qwen-test"
    prompt = sent["body"]["messages"][0]["content"]
    assert "[1]" in prompt and "80.000.000" in prompt
    assert "Hồ sơ đề nghị" not in prompt or "[3]" in prompt  # only retrieved passages are sent


def test_generated_draft_citing_an_unretrieved_source_is_flagged(users, knowledge, llm_server):
    llm_server.reply = "Mức hỗ trợ là 1 tỷ đồng [7]."
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?")
    answer = services.question_draft(question=question, actor=users["officer"])
    assert answer.flagged and answer.flag_reason == "trích dẫn nguồn không có trong các nguồn tìm được: [7]"
    with pytest.raises(ApplicationError):
        services.question_submit(question=question, actor=users["officer"])
    # the officer fixes it
    services.answer_edit(answer=answer, actor=users["officer"], text="Mức hỗ trợ tối đa là 80.000.000 đồng [1].")
    answer.refresh_from_db()
    assert not answer.flagged
    services.question_submit(question=question, actor=users["officer"])


def test_an_unreachable_model_falls_back_to_an_extractive_draft(users, knowledge, settings):
    settings.QA_LLM_BASE_URL = "http://127.0.0.1:9/v1"
    settings.QA_LLM_TIMEOUT_SECONDS = 2
    answer = services.question_draft(question=QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?"), actor=users["officer"])
    assert answer.generator == "extractive"
    assert answer.flag_reason.startswith("không kết nối được mô hình ngôn ngữ (")
    assert answer.flag_reason.endswith("); dự thảo được trích xuất")


# -- drafts the knowledge base may not answer ----------------------------------------------
CALL_SOURCES = [
    Source(1, "Điều 9, Khoản 2", "2. Trong thời hạn 30 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, Sở thông báo kết quả."),
    Source(2, "Điều 2, Khoản 2", "2. Doanh nghiệp khởi nghiệp thành lập không quá 05 năm tính đến ngày nộp hồ sơ."),
]


@pytest.mark.parametrize(("question", "draft", "hint"), [
    # a year to come that no source mentions
    ("Khi nào Sở mở đợt kêu gọi hỗ trợ khởi nghiệp tiếp theo trong năm 2027?", "- Hồ sơ được nộp trực tuyến. [2]",
     "câu hỏi nêu năm 2027 nhưng không nguồn nào tìm được nhắc đến, có thể cơ sở tri thức chưa trả lời câu hỏi này"),
    # "when", typed without marks, and a draft without any date or time limit
    ("Khi nao So mo dot keu goi moi?", "- Doanh nghiệp khởi nghiệp thành lập không quá 05 năm. [2]", ""),
    ("Khi nao So mo dot keu goi moi?", "- Hồ sơ được nộp trực tuyến. [2]",
     "câu hỏi hỏi về thời gian nhưng dự thảo không nêu ngày tháng hay thời hạn nào, có thể cơ sở tri thức chưa trả lời câu hỏi này"),
    # answered by a time limit, or by a date
    ("Khi nào có kết quả xét chọn?", "- Trong thời hạn 30 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, Sở thông báo kết quả. [1]", ""),
    ("Bao giờ hết hạn nộp hồ sơ?", "- Hồ sơ nộp trước ngày 30 tháng 6 hằng năm. [1]", ""),
    ("Bao giờ hết hạn nộp hồ sơ?", "- Hồ sơ nộp trước 30/6. [1]", ""),
    # a year told in passing, already past, is not looked for
    ("Công ty thành lập năm 2023 có được hỗ trợ ươm tạo không?", "- Doanh nghiệp thành lập không quá 05 năm. [2]", ""),
    # "how long" is answered by the quote itself, not a date
    ("Bao lâu thì có kết quả?", "- Trong thời hạn 30 ngày làm việc. [1]", ""),
])
def test_a_draft_that_may_not_answer_the_question_says_so(question, draft, hint):
    with translation.override("vi"):
        assert unanswered_hint(question, CALL_SOURCES, draft) == hint


def test_a_year_the_sources_mention_is_no_hint():
    sources = [*CALL_SOURCES, Source(3, "Kế hoạch", "Đợt kêu gọi năm 2027 mở từ ngày 01/3/2027.")]
    assert unanswered_hint("Năm 2027 Sở có mở đợt kêu gọi không?", sources, "- Đợt kêu gọi năm 2027 mở từ ngày 01/3/2027. [3]") == ""


def test_an_officer_is_told_when_the_knowledge_base_may_not_answer(users, knowledge, client_for):
    question = QuestionFactory(text="Khi nào Sở mở đợt kêu gọi hỗ trợ khởi nghiệp tiếp theo trong năm 2027?")
    answer = services.question_draft(question=question, actor=users["officer"])
    # a hint, not a flag: the draft can still be edited and submitted
    assert not answer.flagged
    assert answer.flag_reason == "câu hỏi nêu năm 2027 nhưng không nguồn nào tìm được nhắc đến, có thể cơ sở tri thức chưa trả lời câu hỏi này"
    page = client_for("officer").get(reverse("qa:question", args=[question.pk])).content.decode()
    assert '<p class="message message-warning">Cần kiểm tra: câu hỏi nêu năm 2027 nhưng không nguồn nào' in page
    # the officer writes the answer: the hint is gone with the draft it was about
    services.answer_edit(answer=answer, actor=users["officer"], text="Kế hoạch năm 2027 chưa được ban hành; hồ sơ gửi theo Điều 9 [1].")
    answer.refresh_from_db()
    assert (answer.flagged, answer.flag_reason) == (False, "")
    services.question_submit(question=question, actor=users["officer"])
    question.refresh_from_db()
    assert question.state == "awaiting_approval"


def test_a_draft_that_answers_gets_no_hint(users, knowledge):
    question = QuestionFactory(text="Hạn nộp hồ sơ đề nghị hỗ trợ là khi nào?")
    answer = services.question_draft(question=question, actor=users["officer"])
    assert "30 tháng 6" in answer.draft_text
    assert (answer.flagged, answer.flag_reason) == (False, "")


# -- publication --------------------------------------------------------------------------
def test_redaction():
    text = "Tôi là Nguyễn Văn An, ĐT 0903 123 456 hoặc +84 28 3829 7000 hay 0912.345.678, email an.nguyen@gmail.com, CCCD 079203001234, CMND 025123456. Mức 80.000.000 đồng, năm 2026."
    out = services.redact(text, names=["Nguyễn Văn An"])
    for secret in ["Nguyễn Văn An", "0903", "3829", "0912", "an.nguyen", "079203001234", "025123456"]:
        assert secret not in out, secret
    assert "80.000.000" in out and "2026" in out
    amounts = "Không quá 1.000.000.000 đồng hoặc 400.000.000.000 đồng; mã số 0312345678-001."
    assert services.redact(amounts, names=[]).startswith("Không quá 1.000.000.000 đồng hoặc 400.000.000.000 đồng")


def test_redaction_of_a_passport_number_not_of_document_codes():
    text = "Hộ chiếu C1234567 (cấp 2024); văn bản 1208/QĐ-SKHCN, mã Q1234567-A, mẫu B12345."
    assert services.redact(text, names=[]) == (
        "Hộ chiếu [đã ẩn] (cấp 2024); văn bản 1208/QĐ-SKHCN, mã Q1234567-A, mẫu B12345."
    )


def test_redaction_of_a_landline_with_its_area_code_in_brackets():
    out = services.redact("Gọi máy bàn (028) 3829 7373 hoặc (+84) 912 345 678; hỗ trợ (0) 12 tháng.", names=[])
    assert out == "Gọi máy bàn [đã ẩn] hoặc [đã ẩn]; hỗ trợ (0) 12 tháng."


@pytest.mark.parametrize(
    "text, expected",
    [
        ("toi la tran thi mai, o Thu Duc", "toi la [đã ẩn], o Thu Duc"),
        ("TRAN THI  MAI hỏi về ươm tạo", "[đã ẩn] hỏi về ươm tạo"),
        ("Trần Thi Mai hỏi", "[đã ẩn] hỏi"),  # marks on some words only
        # the given name alone is an ordinary word once folded: "ngày mai" stays
        ("chị Mai hỏi: ngày mai nộp được không?", "chị Mai hỏi: ngày mai nộp được không?"),
        ("tran thi maiz", "tran thi maiz"),  # a longer word is another word
    ],
)
def test_redaction_finds_the_askers_name_typed_without_marks(text, expected):
    assert services.redact(text, names=["Trần Thị Mai"]) == expected


def test_full_cycle_officer_drafts_manager_publishes_asker_is_emailed(users, knowledge, django_capture_on_commit_callbacks):
    question = ask(text="Tôi là Nguyễn Văn An (0903123456). Khởi nghiệp ươm tạo được hỗ trợ bao nhiêu?")
    officer, manager = users["officer"], users["manager"]
    services.question_draft(question=question, actor=officer)
    with pytest.raises(ConflictError):
        services.question_publish(question=question, actor=manager)  # not submitted yet
    question.refresh_from_db()
    assert question.state == "drafted"
    services.question_submit(question=question, actor=officer)
    with pytest.raises(PermissionDenied):
        services.question_publish(question=question, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.question_publish(question=question, actor=manager)
    question.refresh_from_db()
    assert question.state == "published"
    assert "Nguyễn Văn An" not in answer.published_question and "0903123456" not in answer.published_question
    assert answer.approved_by == manager
    assert len(mail.outbox) == 1 and question.tracking_code in mail.outbox[0].subject
    # the task is safe to run twice
    from innohub.qa.tasks import email_asker

    assert email_asker.call(question_id=question.pk) is False
    assert len(mail.outbox) == 1


def test_a_member_who_asked_hears_of_the_answer_in_their_notifications_with_the_link_to_it(users, knowledge, django_capture_on_commit_callbacks):
    from innohub.activity.models import Notification

    member = users["applicant"]
    question = ask(asker=member, asker_email=member.email)
    services.question_draft(question=question, actor=users["officer"])
    services.question_submit(question=question, actor=users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.question_publish(question=question, actor=users["manager"])
    question.refresh_from_db()
    notice = Notification.objects.get(recipient=member)
    assert notice.subject == f"Câu hỏi {question.tracking_code} của Ông/Bà đã được trả lời"
    assert notice.url == selectors.track_path(question) and question.answer_emailed_at is not None
    # and it carries the answer as published, with the documents it cites
    answer = selectors.asker_answer_shown(question)
    assert notice.body.startswith(f"Trả lời của Sở:\n{answer.published_text}\n\nVăn bản được trích dẫn:\n[1] ")


def test_a_member_who_reads_english_hears_of_the_answer_in_english_in_app_and_by_email(
    users, make_user, knowledge, settings, django_capture_on_commit_callbacks,
):
    from innohub.activity.models import Notification

    settings.SITE_URL = "https://innohub.example.gov.vn"
    member = make_user(role="applicant", username="asker-en", language="en", email="asker@example.vn")
    question = ask(asker=member, asker_email=member.email)
    services.question_draft(question=question, actor=users["officer"])
    services.question_submit(question=question, actor=users["officer"])
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        services.question_publish(question=question, actor=users["manager"])
    question.refresh_from_db()
    answer = selectors.asker_answer_shown(question)
    notice = Notification.objects.get(recipient=member)
    with translation.override("en"):
        assert notice.shown_subject == f"Your question {question.tracking_code} has an answer"
        assert notice.shown_body.startswith(f"Answer of the department:\n{answer.published_text}\n\nDocuments cited:\n[1] ")
    [email] = [m for m in mail.outbox if m.to == ["asker@example.vn"]]
    assert email.subject == f"Your question {question.tracking_code} has an answer"
    assert f"Answer of the department:\n{answer.published_text}" in email.body
    assert f"https://innohub.example.gov.vn/en{selectors.track_path(question)}" in email.body


def test_a_manager_takes_a_published_answer_down_to_correct_it_and_the_asker_receives_the_correction(users, knowledge, django_capture_on_commit_callbacks):
    from django.http import Http404

    from innohub.activity.models import Notification
    from innohub.qa.models import InternalNote

    officer, manager = users["officer"], users["manager"]
    question = ask(text="Giai đoạn ươm tạo được hỗ trợ tối đa bao nhiêu?")
    services.question_draft(question=question, actor=officer)
    services.question_submit(question=question, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.question_publish(question=question, actor=manager)
    question.refresh_from_db()
    first_closed = question.closed_at
    assert [a.pk for a in selectors.faq_list(query="uom tao ho tro")] == [answer.pk]
    mail.outbox.clear()
    # refused: an officer, and a manager who gives no reason; nothing changes
    with pytest.raises(PermissionDenied):
        services.question_correct(question=question, actor=officer, reason="Sai mức hỗ trợ")
    with pytest.raises(ApplicationError, match="Hãy nêu nội dung cần đính chính."):
        services.question_correct(question=question, actor=manager, reason="   ")
    question.refresh_from_db()
    assert question.state == "published" and not Event.objects.filter(action="question.correct").exists()
    # taken down: off the public pages and the search at once, a draft again, audited with its reason
    services.question_correct(question=question, actor=manager, reason="Mức hỗ trợ ươm tạo đã thay đổi")
    question.refresh_from_db()
    assert question.state == "drafted" and question.closed_at == first_closed
    assert list(selectors.faq_list()) == [] and list(selectors.faq_list(query="uom tao ho tro")) == []
    with pytest.raises(Http404):
        selectors.answer_public_get(pk=answer.pk)
    assert Event.objects.get(action="question.correct").note == "Mức hỗ trợ ươm tạo đã thay đổi"
    assert InternalNote.objects.filter(question=question, text="Mức hỗ trợ ươm tạo đã thay đổi").exists()
    assert Notification.objects.filter(recipient=officer, subject__contains="gỡ xuống để đính chính").exists()
    assert mail.outbox == []  # the asker hears once the correction is published
    # corrected and published again: the asker receives it as a correction; the time to answer stays the first
    services.answer_edit(answer=answer, actor=officer, text="Giai đoạn ươm tạo: tối đa 100.000.000 đồng [2].")
    services.question_submit(question=question, actor=officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_publish(question=question, actor=manager)
    question.refresh_from_db()
    assert question.state == "published" and question.closed_at == first_closed
    (letter,) = mail.outbox
    assert letter.subject == f"Câu trả lời cho câu hỏi {question.tracking_code} của Ông/Bà đã được đính chính"
    # its one citation, stored as [2], reads [1] to the asker, as does its source (issue 27)
    assert "Sở đã đính chính câu trả lời cho câu hỏi của Ông/Bà." in letter.body and "100.000.000 đồng [1]" in letter.body
    assert "\n[1] " in letter.body and "[2]" not in letter.body
    assert [a.published_text for a in selectors.faq_list()] == ["Giai đoạn ươm tạo: tối đa 100.000.000 đồng [2]."]


DEMO_STYLE_QUESTION = (
    "Tôi là Nguyễn Văn An, số điện thoại 0912345678, CCCD 079123456789, email an.nguyen@example.com. "
    "Doanh nghiệp tôi thành lập năm 2025, đang ở giai đoạn ươm tạo thì được hỗ trợ tối đa bao nhiêu và hồ sơ gồm những gì?"
)


def test_the_proposed_public_question_leaves_out_the_askers_introduction(users, knowledge, django_capture_on_commit_callbacks):
    # given the demo's question, which opens with the asker's name and contact details
    question = ask(text=DEMO_STYLE_QUESTION, asker_name="Nguyễn Văn An")
    # when an officer drafts and a manager publishes it
    answer = services.question_draft(question=question, actor=users["officer"])
    # then the wording proposed, and published, starts with what is asked
    expected = "Doanh nghiệp tôi thành lập năm 2025, đang ở giai đoạn ươm tạo thì được hỗ trợ tối đa bao nhiêu và hồ sơ gồm những gì?"
    assert answer.published_question == expected
    services.question_submit(question=question, actor=users["officer"])
    assert services.question_publish(question=question, actor=users["manager"]).published_question == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the name mid-sentence: the sentence asks something, it stays, redacted
        (
            "Kính gửi Sở. Doanh nghiệp của anh Nguyễn Văn An ở giai đoạn ươm tạo được hỗ trợ bao nhiêu? Xin cảm ơn.",
            "Kính gửi Sở. Doanh nghiệp của anh [đã ẩn] ở giai đoạn ươm tạo được hỗ trợ bao nhiêu? Xin cảm ơn.",
        ),
        (
            "Tôi là Nguyễn Văn An, chủ một doanh nghiệp ươm tạo ở Thủ Đức. Hồ sơ nộp ở đâu?",
            "Tôi là [đã ẩn], chủ một doanh nghiệp ươm tạo ở Thủ Đức. Hồ sơ nộp ở đâu?",
        ),
        # contact details on lines of their own, typed without marks
        ("Toi la Nguyen Van An\nSDT: 0903 123 456 hoac email an@gmail.com\nHo so nop o dau?", "Ho so nop o dau?"),
        # an address the redaction does not catch is no introduction only: the officer rewords it
        ("Địa chỉ: 12 Lý Tự Trọng, Quận 1. Hồ sơ nộp ở đâu?", "Địa chỉ: 12 Lý Tự Trọng, Quận 1. Hồ sơ nộp ở đâu?"),
        # the question itself is never dropped: the last sentence stays
        ("Tôi là Nguyễn Văn An, số điện thoại 0912345678.", "Tôi là [đã ẩn], số điện thoại [đã ẩn]."),
        ("Tôi là Nguyễn Văn An, CCCD 079123456789 hỏi về ươm tạo?", "Tôi là [đã ẩn], CCCD [đã ẩn] hỏi về ươm tạo?"),
    ],
)
def test_only_sentences_that_are_an_introduction_are_left_out(text, expected):
    question = QuestionFactory(text=text, asker_name="Nguyễn Văn An")
    assert services.public_question_proposal(Answer(question=question)) == expected


def test_an_english_introduction_is_left_out_too():
    question = QuestionFactory(text="My name is John Smith, phone 0912345678, e-mail js@example.com. How is incubation funded?", asker_name="John Smith", language="en")
    assert services.public_question_proposal(Answer(question=question)) == "How is incubation funded?"


def test_officer_rewords_the_public_question_and_publication_redacts_it_again(users, knowledge):
    question = ask(text="Tôi là Nguyễn Văn An, nhà ở 12 Lý Tự Trọng, Quận 1 (0903123456). Ươm tạo được hỗ trợ bao nhiêu?")
    officer, manager = users["officer"], users["manager"]
    answer = services.question_draft(question=question, actor=officer)
    # the draft proposes the redacted text; the address is personal, but no pattern catches it
    assert services.public_question_proposal(answer) == answer.published_question
    assert "0903123456" not in answer.published_question and "Nguyễn Văn An" not in answer.published_question
    assert "12 Lý Tự Trọng" in answer.published_question
    events_before = Event.objects.filter(action="question.answer_edited").count()
    services.answer_edit(
        answer=answer,
        actor=officer,
        text=answer.draft_text,
        public_question="Giai đoạn ươm tạo được hỗ trợ bao nhiêu? Liên hệ 0903123456.",
    )
    event = Event.objects.filter(action="question.answer_edited").latest("id")
    assert Event.objects.filter(action="question.answer_edited").count() == events_before + 1
    assert "12 Lý Tự Trọng" in event.before["published_question"]
    assert event.after["published_question"].startswith("Giai đoạn ươm tạo")
    services.question_submit(question=question, actor=officer)
    published = services.question_publish(question=question, actor=manager)
    assert published.published_question == "Giai đoạn ươm tạo được hỗ trợ bao nhiêu? Liên hệ [đã ẩn]."
    assert "Lý Tự Trọng" not in published.published_question


@pytest.mark.parametrize(
    ("wording", "code"),
    [("   ", "public_question_required"), ("<script></script>", "public_question_required"), ("x" * 5001, "public_question_too_long")],
)
def test_a_bad_public_question_is_refused_and_changes_nothing(users, knowledge, wording, code):
    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?")
    answer = services.question_draft(question=question, actor=users["officer"])
    draft_before, wording_before = answer.draft_text, answer.published_question
    with pytest.raises(ApplicationError) as caught:
        services.answer_edit(answer=answer, actor=users["officer"], text="Một câu trả lời khác [1].", public_question=wording)
    assert caught.value.code == code
    answer.refresh_from_db()
    assert (answer.draft_text, answer.published_question) == (draft_before, wording_before)


def test_manager_returns_a_draft(users, knowledge):
    question = QuestionFactory()
    services.question_draft(question=question, actor=users["officer"])
    services.question_submit(question=question, actor=users["officer"])
    services.question_return(question=question, actor=users["manager"], reason="Thêm điều kiện về hồ sơ")
    question.refresh_from_db()
    assert question.state == "drafted" and question.notes.count() == 1


# -- knowledge base ----------------------------------------------------------------------
DECISION = """QUYẾT ĐỊNH
Ban hành Quy định hỗ trợ khởi nghiệp

Điều 1. Phạm vi điều chỉnh
Quy định này áp dụng cho doanh nghiệp khởi nghiệp sáng tạo trên địa bàn Thành phố.

Điều 5. Mức hỗ trợ
1. Giai đoạn tiền ươm tạo: tối đa 40.000.000 đồng.
2. Giai đoạn ươm tạo: tối đa 80.000.000 đồng.
3. Giai đoạn tăng tốc: tối đa 400.000.000 đồng.
"""


def upload(users, data: bytes, name: str, **kwargs):
    return services.knowledge_document_upload(actor=users["officer"], title=kwargs.pop("title", "Quy định hỗ trợ"), number="12/2026/QĐ-SKHCN", file=SimpleUploadedFile(name, data), **kwargs)


def test_txt_is_split_by_article_and_clause(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, DECISION.encode(), "qd.txt")
    document.refresh_from_db()
    assert document.status == "ready" and document.progress == 100
    places = [(p.article, p.clause) for p in document.passages.all()]
    assert places == [("", ""), ("1", ""), ("5", "1"), ("5", "2"), ("5", "3")]
    clause = document.passages.get(article="5", clause="3")
    assert "400.000.000" in clause.text and clause.heading == "Điều 5. Mức hỗ trợ"


CHAPTERED = """QUYẾT ĐỊNH
Ban hành Quy định hỗ trợ khởi nghiệp

Chương I
QUY ĐỊNH CHUNG

Điều 1. Mục tiêu
Mục tiêu của Quy định là hỗ trợ khởi nghiệp.

Chương II. MỨC HỖ TRỢ
Mục 1. TIỀN ƯƠM TẠO

Điều 5. Mức hỗ trợ
1. Giai đoạn ươm tạo: tối đa 80.000.000 đồng.
2. Không hỗ trợ chi lương thường xuyên.

Phần thứ hai
TRÌNH TỰ XÉT CHỌN

Điều 8. Hồ sơ
Hồ sơ nộp tại Sở.
"""


def test_chapter_headings_end_the_passage_before_them_and_belong_to_none():
    # A clause followed by "Phần thứ hai / TRÌNH TỰ XÉT CHỌN" used to carry that heading
    # at its end, and the public read it in the cited passage.
    chunks = split_passages([(None, CHAPTERED)])
    assert [(c.article, c.clause) for c in chunks] == [("", ""), ("1", ""), ("5", "1"), ("5", "2"), ("8", "")]
    texts = " | ".join(c.text for c in chunks)
    for heading in ("Chương", "QUY ĐỊNH CHUNG", "MỨC HỖ TRỢ", "TIỀN ƯƠM TẠO", "Phần thứ hai", "TRÌNH TỰ"):
        assert heading not in texts
    assert chunks[3].text == "2. Không hỗ trợ chi lương thường xuyên."
    # "Mục tiêu …" is a sentence, not a division: it stays in its article
    assert chunks[1].text == "Điều 1. Mục tiêu Mục tiêu của Quy định là hỗ trợ khởi nghiệp."


def test_a_reference_wrapped_to_the_start_of_a_line_is_no_new_article():
    # A PDF wraps lines where it likes: "Điều 5 Nghị định …" there is a reference, and
    # "Điều 7:" or a bare "Điều 9" still begins an article.
    text = (
        "Điều 6. Nội dung chi\n1. Chi thuê chuyên gia theo quy định tại khoản 2\n"
        "Điều 5 Nghị định số 38/2018/NĐ-CP.\nĐiều 7: Thủ tục\nNộp hồ sơ tại Sở.\nĐiều 9\nXét chọn trong 30 ngày."
    )
    chunks = split_passages([(None, text)])
    assert [(c.article, c.clause) for c in chunks] == [("6", "1"), ("7", ""), ("9", "")]
    assert chunks[0].text.endswith("khoản 2 Điều 5 Nghị định số 38/2018/NĐ-CP.")
    assert [c.heading for c in chunks] == ["Điều 6. Nội dung chi", "Điều 7. Thủ tục", "Điều 9."]


def test_a_docx_table_stays_in_its_article_row_by_row():
    import docx

    doc = docx.Document()
    doc.add_paragraph("Điều 5. Mức hỗ trợ")
    table = doc.add_table(rows=3, cols=2)
    for row, (stage, amount) in zip(table.rows, [("Giai đoạn", "Mức tối đa"), ("Ươm tạo", "80.000.000 đồng"), ("Tăng tốc", "400.000.000 đồng")], strict=True):
        row.cells[0].text, row.cells[1].text = stage, amount
    merged = doc.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Kinh phí cấp theo đợt"
    doc.add_paragraph("Điều 6. Nội dung chi")
    buf = io.BytesIO()
    doc.save(buf)
    pages = extract_pages(buf.getvalue(), "docx")
    chunks = split_passages(pages)
    assert [c.article for c in chunks] == ["5", "6"]
    assert chunks[0].text == (
        "Điều 5. Mức hỗ trợ Giai đoạn | Mức tối đa Ươm tạo | 80.000.000 đồng "
        "Tăng tốc | 400.000.000 đồng Kinh phí cấp theo đợt"
    )


def test_html_table_cells_and_lists_do_not_run_together():
    html = (
        "<h2>Điều 5. Mức hỗ trợ</h2><table><tr><th>Giai đoạn</th><th>Mức</th></tr>"
        "<tr><td>Ươm tạo</td><td>80.000.000 đồng</td></tr></table>"
        "<ul><li>Không chi lương</li><li>Không mua tài sản</li></ul><noscript>Bật JavaScript</noscript>"
    )
    chunks = split_passages(extract_pages(html.encode(), "html"))
    assert [c.text for c in chunks] == [
        "Điều 5. Mức hỗ trợ Giai đoạn Mức Ươm tạo 80.000.000 đồng Không chi lương Không mua tài sản"
    ]


def test_page_numbers_and_running_headers_stay_out_of_the_passages():
    pdf = _pdf_with_pages([
        ["Quyết định 1208/QĐ-SKHCN", "Điều 5. Mức hỗ trợ", "1. Giai đoạn ươm tạo: tối đa", "Trang 1/3"],
        ["2", "Quyết định 1208/QĐ-SKHCN", "80.000.000 đồng.", "2. Giai đoạn tăng tốc: tối đa 400.000.000 đồng.", "Trang 2/3"],
        ["- 3 -", "Quyết định 1208/QĐ-SKHCN", "Điều 6. Nội dung chi", "1. Chi thuê chuyên gia.", "Trang 3/3"],
    ])  # fmt: skip
    chunks = split_passages(extract_pages(pdf, "pdf"))
    assert [(c.article, c.clause, c.page, c.text) for c in chunks] == [
        ("5", "1", 1, "1. Giai đoạn ươm tạo: tối đa 80.000.000 đồng."),
        ("5", "2", 2, "2. Giai đoạn tăng tốc: tối đa 400.000.000 đồng."),
        ("6", "1", 3, "1. Chi thuê chuyên gia."),
    ]


def test_only_what_recurs_on_most_pages_is_furniture():
    # two pages: a line seen twice may be the text's own, so only the page numbers go
    two = drop_page_furniture([(1, "Sở Khoa học và Công nghệ\nNội dung một\n1"), (2, "Sở Khoa học và Công nghệ\nNội dung hai\n2")])
    assert two == [(1, "Sở Khoa học và Công nghệ\nNội dung một"), (2, "Sở Khoa học và Công nghệ\nNội dung hai")]
    # an article that begins at the top of every page is the text, not a header; and
    # lines alike but for their numbers are the text's own (a table's rows, say)
    pages = [(n, f"Điều 5\nHỗ trợ tối đa {n}0.000.000 đồng.\nTrang {n}") for n in range(1, 5)]
    assert drop_page_furniture(pages) == [(n, f"Điều 5\nHỗ trợ tối đa {n}0.000.000 đồng.") for n in range(1, 5)]


SIGNED_WITH_APPENDIX = """Điều 2. Hiệu lực
Quyết định có hiệu lực từ ngày ký. Hồ sơ gửi về
nơi nhận hồ sơ là Sở, số 244 Điện Biên Phủ,
Q. 10, TP.HCM.
Điều 3. Thi hành
Chánh Văn phòng Sở chịu trách nhiệm thi hành.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC

Nguyễn Văn A

PHỤ LỤC I
MẪU ĐƠN ĐỀ NGHỊ HỖ TRỢ
Kính gửi: Sở Khoa học và Công nghệ.
"""


def test_the_recipients_and_signature_belong_to_no_passage_and_an_appendix_has_its_own():
    chunks = split_passages([(None, SIGNED_WITH_APPENDIX)])
    assert [(c.article, c.heading, c.text) for c in chunks] == [
        # "nơi nhận hồ sơ" in a sentence and "Q. 10" (a district) are the text's own
        ("2", "Điều 2. Hiệu lực", "Điều 2. Hiệu lực Quyết định có hiệu lực từ ngày ký. Hồ sơ gửi về "
         "nơi nhận hồ sơ là Sở, số 244 Điện Biên Phủ, Q. 10, TP.HCM."),
        ("3", "Điều 3. Thi hành", "Điều 3. Thi hành Chánh Văn phòng Sở chịu trách nhiệm thi hành."),
        ("", "PHỤ LỤC I. MẪU ĐƠN ĐỀ NGHỊ HỖ TRỢ", "Kính gửi: Sở Khoa học và Công nghệ."),
    ]  # fmt: skip


def test_a_division_in_a_text_without_articles_keeps_the_paragraphs_under_it():
    chunks = split_passages([(None, "Chương 1\nGIỚI THIỆU\nSở hỗ trợ doanh nghiệp khởi nghiệp.\n\nChương 2\nSở tư vấn miễn phí.")])
    assert [c.text for c in chunks] == ["Sở hỗ trợ doanh nghiệp khởi nghiệp.", "Sở tư vấn miễn phí."]


def test_docx_html_and_pdf(users, django_capture_on_commit_callbacks):
    import docx

    doc = docx.Document()
    for line in DECISION.splitlines():
        doc.add_paragraph(line)
    buf = io.BytesIO()
    doc.save(buf)
    html = "<html><body><script>evil()</script>" + "".join(f"<p>{line}</p>" for line in DECISION.splitlines()) + "</body></html>"
    with django_capture_on_commit_callbacks(execute=True):
        d1 = upload(users, buf.getvalue(), "qd.docx")
        d2 = upload(users, html.encode(), "qd.html")
        d3 = upload(users, _pdf_with_text(["Điều 5. Mức hỗ trợ", "1. Giai đoạn ươm tạo: tối đa 80.000.000 đồng."]), "qd.pdf")
    for document in (d1, d2):
        document.refresh_from_db()
        assert document.status == "ready", document.error
        assert document.passages.filter(article="5", clause="2").exists()
    assert "evil" not in " ".join(d2.passages.values_list("text", flat=True))
    d3.refresh_from_db()
    assert d3.status == "ready", d3.error
    assert d3.passages.filter(page=1).exists()


def _pdf_with_text(lines: list[str]) -> bytes:
    return _pdf_with_pages([lines])


def _pdf_with_pages(pages: list[list[str]]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from innohub.indicators.reports import FONT, _register_fonts

    _register_fonts()  # DejaVu Sans (shipped with matplotlib): Vietnamese comes back out intact
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for lines in pages:
        c.setFont(FONT, 11)
        y = 800
        for line in lines:
            c.drawString(72, y, line)
            y -= 20
        c.showPage()
    c.save()
    return buf.getvalue()


def test_ingestion_progress_advances_page_by_page_and_reaches_100_when_ready(users, monkeypatch, django_capture_on_commit_callbacks):
    written: list[tuple[int, str | None]] = []
    write = services.knowledge_base._progress_write

    def recording(document_pk, progress, **fields):
        written.append((progress, fields.get("status")))
        write(document_pk, progress, **fields)

    monkeypatch.setattr(services.knowledge_base, "_progress_write", recording)
    pages = [[f"Trang so {n}.", f"Muc ho tro toi da {n}0.000.000 dong."] for n in range(1, 31)]
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, _pdf_with_pages(pages), "qd.pdf")
    document.refresh_from_db()
    assert document.status == "ready", document.error
    assert "Trang so 30." in " ".join(document.passages.values_list("text", flat=True))
    values = [progress for progress, _status in written]
    assert values[0] == services.PROGRESS_READ and written[0][1] == "processing"
    assert written[-1] == (100, "ready") and document.progress == 100
    steps = list(itertools.pairwise(values))
    assert all(later > earlier for earlier, later in steps), values
    # advancing while the pages are extracted, without a write per page
    assert len([v for v in values if services.PROGRESS_READ < v <= services.PROGRESS_EXTRACTED]) >= 5
    assert all(later - earlier >= services.PROGRESS_STEP for earlier, later in steps[:-1]), values
    assert 100 not in values[:-1]


def test_extract_pages_reports_each_page():
    from innohub.qa.knowledge import extract_pages

    calls: list[tuple[int, int]] = []
    pages = extract_pages(_pdf_with_pages([["Trang một"], ["Trang hai"], ["Trang ba"]]), "pdf", progress=lambda done, total: calls.append((done, total)))
    assert [n for n, _text in pages] == [1, 2, 3]
    assert calls == [(1, 3), (2, 3), (3, 3)]
    calls.clear()
    extract_pages(DECISION.encode(), "txt", progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 1)]


V2 = "Điều 5. Mức hỗ trợ\n1. Giai đoạn ươm tạo: tối đa 100.000.000 đồng.\n".encode()


def _in_retrieval() -> list[str]:
    """The passages that retrieval finds for what both versions speak of."""
    from innohub.qa.search import search_knowledge

    found = [f.pk for f in search_knowledge("giai đoạn ươm tạo hỗ trợ tối đa", k=20)]
    return list(Passage.objects.filter(pk__in=found).order_by("pk").values_list("text", flat=True))


def test_a_new_version_replaces_the_passages_once_read_and_the_old_keeps_its_own(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, DECISION.encode(), "qd.txt")
    with django_capture_on_commit_callbacks(execute=True):
        new = upload(users, V2, "qd-v2.txt", document=document)
    document.refresh_from_db()
    new.refresh_from_db()
    # the new version is a document of its own, version 2, that replaces the first
    assert (new.pk != document.pk, new.version, new.replaces, new.status) == (True, 2, document, "ready")
    assert list(new.passages.values_list("text", flat=True)) == ["1. Giai đoạn ươm tạo: tối đa 100.000.000 đồng."]
    assert _in_retrieval() == ["1. Giai đoạn ươm tạo: tối đa 100.000.000 đồng."]
    # the first leaves retrieval but keeps its five passages, for the answers that quoted them
    assert document.withdrawn_at is not None and document.replaced and document.successor == new
    assert document.passages.count() == 5
    assert Event.objects.filter(action="knowledge_document.superseded", target_id=str(document.pk)).exists()
    # a third upload, even from the first version's page, follows the newest
    with django_capture_on_commit_callbacks(execute=True):
        third = upload(users, DECISION.encode(), "qd-v3.txt", document=document)
    assert (third.version, third.replaces) == (3, new)
    new.refresh_from_db()
    assert new.replaced and not new.in_force
    # and a fourth, from the first page again, follows the chain through both replaced versions
    with django_capture_on_commit_callbacks(execute=True):
        fourth = upload(users, V2, "qd-v4.txt", document=document)
    assert (fourth.version, fourth.replaces) == (4, third)
    assert [d.version for d in KnowledgeDocument.objects.filter(withdrawn_at__isnull=True)] == [4]
    # the first still reads as replaced, and goes back in force only once version 4 is withdrawn
    document.refresh_from_db()
    assert document.replaced and document.version_in_force == fourth
    with pytest.raises(ConflictError, match="Phiên bản 4 thay thế văn bản này"):
        services.knowledge_document_reinstate(document=document, actor=users["officer"])


def test_until_a_new_version_is_read_and_if_it_cannot_be_the_version_in_force_stays(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, DECISION.encode(), "qd.txt")
    # uploaded, not read yet (the worker has not run)
    waiting = upload(users, V2, "qd-v2.txt", document=document)
    in_force = _in_retrieval()
    assert waiting.status == "pending" and "2. Giai đoạn ươm tạo: tối đa 80.000.000 đồng." in in_force and len(in_force) == 5
    document.refresh_from_db()
    assert document.in_force and document.status == "ready"
    # a file that turns out unreadable: the new version fails, the first stays in force as it was
    broken = SimpleUploadedFile("qd-v2.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage")
    with django_capture_on_commit_callbacks(execute=True):
        again = services.knowledge_document_upload(actor=users["officer"], title="Quy định hỗ trợ", file=broken, document=document)
    again.refresh_from_db()
    document.refresh_from_db()
    # the upload went to the version not read yet, in its place: no third version
    assert (again.pk, again.version, again.status) == (waiting.pk, 2, "failed")
    assert again.error == "Không đọc được văn bản (PdfStreamError)."
    assert document.in_force and document.status == "ready" and not document.replaced and _in_retrieval() == in_force
    assert KnowledgeDocument.objects.count() == 2


def test_a_new_version_withdrawn_before_it_is_read_replaces_nothing(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, DECISION.encode(), "qd.txt")
    waiting = upload(users, V2, "qd-v2.txt", document=document)
    services.knowledge_document_withdraw(document=waiting, actor=users["officer"], reason="Tải nhầm tệp")
    services.knowledge_document_ingest(document_id=waiting.pk, version=waiting.version)
    document.refresh_from_db()
    assert document.in_force and not document.replaced and "2. Giai đoạn ươm tạo: tối đa 80.000.000 đồng." in _in_retrieval()


def test_a_file_that_cannot_be_read_fails_with_its_reason_and_no_passages(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pdf = upload(users, b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage", "qd.pdf")
        empty = upload(users, b"   \n\n  ", "trong.txt")
    for document, reason in [(pdf, "Không đọc được văn bản (PdfStreamError)."), (empty, "Không đọc được nội dung nào từ văn bản.")]:
        document.refresh_from_db()
        assert (document.status, document.progress, document.error, document.passages.count()) == ("failed", 100, reason, 0)
        assert Event.objects.get(action="knowledge_document.failed", target_id=str(document.pk)).after == {"error": reason}
    assert _in_retrieval() == []


def test_a_file_that_is_not_what_it_says_is_refused(users):
    with pytest.raises(ApplicationError):
        upload(users, b"MZ\x90\x00binary", "qd.pdf")
    with pytest.raises(ApplicationError):
        upload(users, b"\xff\xfe\x00\x00garbage\x00", "qd.txt")
    assert KnowledgeDocument.objects.count() == 0


def test_ingestion_is_safe_to_run_twice(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, DECISION.encode(), "qd.txt")
    services.knowledge_document_ingest(document_id=document.pk, version=document.version)
    assert document.passages.count() == 5


def test_only_staff_manage_the_knowledge_base(users):
    with pytest.raises(PermissionDenied):
        upload({"officer": users["applicant"]}, DECISION.encode(), "qd.txt")
    assert KnowledgeDocument.objects.count() == 0
    assert not Answer.objects.exists()


def test_askers_of_merged_duplicates_hear_of_the_answer(client, settings, users, knowledge, django_capture_on_commit_callbacks):
    original = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?", asker_email="first@example.vn")
    duplicate = QuestionFactory(asker_email="second@example.vn")
    services.question_merge(question=duplicate, actor=users["officer"], into=original)
    services.question_draft(question=original, actor=users["officer"])
    services.question_submit(question=original, actor=users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.question_publish(question=original, actor=users["manager"])
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.vn", "second@example.vn"]
    # the second asker's link opens their own question, which shows the answer it shares
    body = next(m.body for m in mail.outbox if m.to == ["second@example.vn"])
    link = re.search(r"http\S+", body).group(0)
    page = client.get(link.removeprefix(settings.SITE_URL)).content.decode()
    assert duplicate.tracking_code in page
    assert f"Câu hỏi được trả lời cùng câu hỏi {original.tracking_code}." in page
    assert "Trả lời của Sở" in page and Answer.objects.get(question=original).published_text[:40] in html.unescape(page)


def test_duplicates_merged_into_a_rejected_question_are_rejected_with_it(client, users, django_capture_on_commit_callbacks):
    from innohub.qa.selectors import track_path

    # given a question with two duplicates merged into it, and an unrelated merged question
    original = QuestionFactory(asker_email="first@example.vn")
    duplicates = [QuestionFactory(asker_email="second@example.vn"), QuestionFactory(asker_email="third@example.vn")]
    for duplicate in duplicates:
        services.question_merge(question=duplicate, actor=users["officer"], into=original)
    elsewhere = QuestionFactory(asker_email="other@example.vn")
    services.question_merge(question=elsewhere, actor=users["officer"], into=QuestionFactory())
    reason = "Câu hỏi về đất đai thuộc Sở Tài nguyên và Môi trường."
    # when the original is rejected
    with django_capture_on_commit_callbacks(execute=True):
        services.question_reject(question=original, actor=users["officer"], reason=reason)
    # then each duplicate is rejected with the same reason, audited, and its asker e-mailed
    for duplicate in duplicates:
        duplicate.refresh_from_db()
        assert (duplicate.state, duplicate.reject_reason, duplicate.merged_into) == ("rejected_out_of_scope", reason, original)
        event = Event.objects.get(action="question.reject", target_id=str(duplicate.pk))
        assert (event.actor, event.before["state"], event.after["state"]) == (users["officer"], "merged", "rejected_out_of_scope")
        assert original.tracking_code in event.note
        page = html.unescape(client.get(track_path(duplicate)).content.decode())
        assert reason in page and "Không thuộc phạm vi trả lời" in page
        assert "được trả lời cùng câu hỏi" not in page
    assert sorted(m.to[0] for m in mail.outbox) == ["first@example.vn", "second@example.vn", "third@example.vn"]
    assert all(reason in m.body for m in mail.outbox)
    elsewhere.refresh_from_db()
    assert elsewhere.state == "merged"


def test_a_rejected_question_whose_duplicate_cannot_follow_changes_nothing(users, monkeypatch):
    # one transaction: when a duplicate cannot be rejected, the question is not rejected either
    original, duplicate = QuestionFactory(), QuestionFactory()
    services.question_merge(question=duplicate, actor=users["officer"], into=original)
    real = services.question_transition

    def failing(**kwargs):
        if kwargs["question"].pk == duplicate.pk:
            raise ConflictError("boom", code="wrong_state")
        return real(**kwargs)

    monkeypatch.setattr(services.handling, "question_transition", failing)  # where question_reject looks it up
    with pytest.raises(ConflictError):
        services.question_reject(question=original, actor=users["officer"], reason="Ngoài phạm vi.")
    original.refresh_from_db()
    duplicate.refresh_from_db()
    assert (original.state, duplicate.state) == ("received", "merged")
    assert not Event.objects.filter(action="question.reject").exists()


def test_dense_retrieval_for_drafting_when_configured(users, knowledge, dense_retrieval):
    from innohub.qa import search
    from innohub.qa.tasks import embed_knowledge

    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?")
    assert search._dense_for(search._get("kb")) is None  # not encoded yet: BM25 alone
    assert embed_knowledge.call() == 3
    assert search._dense_for(search._get("kb")) is not None
    answer = services.question_draft(question=question, actor=users["officer"])
    assert answer.citations.get(number=1).place == "Điều 5, Khoản 2"
    assert embed_knowledge.call() == 3  # vectors reused, nothing re-encoded
    # A question in English shares no word with the decision, and is found by meaning.
    english = QuestionFactory(language="en", text="How much non-refundable support does a startup get at the incubation stage?")
    cited = services.question_draft(question=english, actor=users["officer"]).citations.get(number=1)
    assert cited.place == "Article 5, clause 2" and cited.source_label.endswith(", Article 5, clause 2")  # read with the English answer
    # Taken as Vietnamese, the same words share no term with it: no passage rather than a guess.
    as_vietnamese = QuestionFactory(language="vi", text=english.text)
    assert not services.question_draft(question=as_vietnamese, actor=users["officer"]).citations.exists()


def test_publishing_an_answer_encodes_it_for_readers_searching_in_english(users, knowledge, dense_retrieval, django_capture_on_commit_callbacks):
    from innohub.qa import search

    question = QuestionFactory(text="Ươm tạo khởi nghiệp được hỗ trợ bao nhiêu?")
    services.question_draft(question=question, actor=users["officer"])
    services.question_submit(question=question, actor=users["officer"])
    assert search.search_answers("incubation support", language="en") == []
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.question_publish(question=question, actor=users["manager"])
    assert search._dense_for(search._get("faq"), "faq") is not None
    assert [f.pk for f in search.search_answers("How much support for startups in incubation?", language="en")] == [answer.pk]


# -- withdrawing a document that is no longer in force ------------------------------------
def test_a_withdrawn_document_leaves_drafting_and_published_answers_keep_their_quotes(users, knowledge):
    from innohub.qa import search

    officer, manager = users["officer"], users["manager"]
    first = QuestionFactory(text="Khởi nghiệp giai đoạn ươm tạo được hỗ trợ bao nhiêu?")
    services.question_draft(question=first, actor=officer)
    services.question_submit(question=first, actor=officer)
    published = services.question_publish(question=first, actor=manager)
    assert published.citations.filter(document=knowledge).exists()
    assert search.search_knowledge("ươm tạo hỗ trợ bao nhiêu")

    services.knowledge_document_withdraw(document=knowledge, actor=officer, reason="Thay thế bởi Quyết định 15/2027/QĐ-SKHCN")
    knowledge.refresh_from_db()
    assert not knowledge.in_force and knowledge.withdrawn_by == officer
    event = Event.objects.filter(action="knowledge_document.withdrawn").latest("id")
    assert event.after == {"reason": "Thay thế bởi Quyết định 15/2027/QĐ-SKHCN"} and event.actor == officer
    # retrieval no longer finds it, so a new draft cites nothing of it
    assert search.search_knowledge("ươm tạo hỗ trợ bao nhiêu") == []
    later = services.question_draft(question=QuestionFactory(text="Khởi nghiệp giai đoạn ươm tạo được hỗ trợ bao nhiêu?"), actor=officer)
    assert not later.citations.filter(document=knowledge).exists()
    # the published answer keeps its citations and quotes
    assert published.citations.filter(document=knowledge).count() >= 1

    services.knowledge_document_reinstate(document=knowledge, actor=officer)
    knowledge.refresh_from_db()
    assert knowledge.in_force and knowledge.withdrawn_reason == ""
    assert Event.objects.filter(action="knowledge_document.reinstated", actor=officer).count() == 1
    assert [f.kind for f in search.search_knowledge("ươm tạo hỗ trợ bao nhiêu")][:1] == ["passage"]


@pytest.mark.parametrize(("reason", "code"), [("  ", "reason_required"), ("<b></b>", "reason_required"), ("x" * 301, "reason_too_long")])
def test_withdrawing_without_a_proper_reason_is_refused_and_changes_nothing(users, knowledge, reason, code):
    events = Event.objects.count()
    with pytest.raises(ApplicationError) as caught:
        services.knowledge_document_withdraw(document=knowledge, actor=users["officer"], reason=reason)
    assert caught.value.code == code
    knowledge.refresh_from_db()
    assert knowledge.in_force and Event.objects.count() == events


def test_withdrawal_conflicts_and_roles(users, knowledge):
    with pytest.raises(ConflictError):
        services.knowledge_document_reinstate(document=knowledge, actor=users["officer"])
    for role in ("reviewer", "applicant", "visitor"):
        with pytest.raises(PermissionDenied):
            services.knowledge_document_withdraw(document=knowledge, actor=users[role], reason="Hết hiệu lực")
    services.knowledge_document_withdraw(document=knowledge, actor=users["officer"], reason="Hết hiệu lực")
    with pytest.raises(ConflictError):
        services.knowledge_document_withdraw(document=knowledge, actor=users["officer"], reason="Lần nữa")
    knowledge.refresh_from_db()
    assert knowledge.withdrawn_reason == "Hết hiệu lực"


def test_a_new_version_of_a_withdrawn_document_is_in_force_and_the_old_keeps_its_reason(users, knowledge, django_capture_on_commit_callbacks):
    services.knowledge_document_withdraw(document=knowledge, actor=users["officer"], reason="Hết hiệu lực")
    upload = SimpleUploadedFile("v2.txt", "Điều 1. Mức hỗ trợ\n1. Ươm tạo tối đa 90.000.000 đồng.".encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.knowledge_document_upload(actor=users["officer"], title=knowledge.title, file=upload, document=knowledge)
    new.refresh_from_db()
    knowledge.refresh_from_db()
    assert new.in_force and new.version == 2 and new.status == "ready"
    assert knowledge.withdrawn_reason == "Hết hiệu lực" and knowledge.replaced


def test_a_replaced_version_goes_back_in_force_only_once_its_replacement_is_withdrawn(users, knowledge, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("v2.txt", "Điều 1. Mức hỗ trợ\n1. Ươm tạo tối đa 90.000.000 đồng.".encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        new = services.knowledge_document_upload(actor=users["officer"], title=knowledge.title, file=upload, document=knowledge)
    with pytest.raises(ConflictError, match="Phiên bản 2 thay thế văn bản này"):
        services.knowledge_document_reinstate(document=knowledge, actor=users["officer"])
    knowledge.refresh_from_db()
    assert not knowledge.in_force
    # a new version found wrong: withdrawn, the one before goes back in force
    services.knowledge_document_withdraw(document=new, actor=users["officer"], reason="Tải nhầm tệp")
    services.knowledge_document_reinstate(document=knowledge, actor=users["officer"])
    knowledge.refresh_from_db()
    assert knowledge.in_force and not knowledge.replaced
    # and the next upload replaces it as version 3, the withdrawn version 2 left as it is
    again = SimpleUploadedFile("v3.txt", "Điều 1. Mức hỗ trợ\n1. Ươm tạo tối đa 95.000.000 đồng.".encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        third = services.knowledge_document_upload(actor=users["officer"], title=knowledge.title, file=again, document=knowledge)
    third.refresh_from_db()
    knowledge.refresh_from_db()
    new.refresh_from_db()
    assert (third.version, third.replaces, third.in_force) == (3, knowledge, True)
    assert knowledge.replaced and knowledge.successor == third and new.withdrawn_reason == "Tải nhầm tệp"


@pytest.mark.parametrize(
    ("fields", "place"),
    [
        ({"article": "5", "clause": "2"}, "Điều 5, Khoản 2"),
        ({"article": "9"}, "Điều 9"),
        ({"page": 3}, "tr. 3"),
        ({"article": "9", "page": 3}, "Điều 9"),
        ({}, "đoạn 4"),  # a preamble: its order in the document, in words a reader knows
        ({"heading": "PHỤ LỤC I. MẪU ĐƠN ĐỀ NGHỊ HỖ TRỢ"}, "Phụ lục I"),
        ({"heading": "Phụ lục số 02", "page": 7}, "Phụ lục số 02, tr. 7"),
        ({"heading": "PHỤ LỤC"}, "Phụ lục"),
        ({"heading": "Điều 9. Xét chọn", "article": "9"}, "Điều 9"),
    ],
)
def test_a_passage_is_cited_by_the_place_a_reader_finds_it(fields, place):
    passage = PassageFactory(order=4, **{"article": "", "clause": "", "page": None, **fields})
    assert passage.place == place


@pytest.mark.parametrize(
    ("fields", "place"),
    [
        ({"article": "5", "clause": "2"}, "Article 5, clause 2"),
        ({"page": 3}, "p. 3"),
        ({}, "paragraph 4"),
        ({"heading": "Phụ lục số 02", "page": 7}, "Phụ lục số 02, p. 7"),  # the appendix as the document names it
    ],
)
def test_a_passage_place_reads_in_the_active_language(fields, place):
    passage = PassageFactory(order=4, **{"article": "", "clause": "", "page": None, **fields})
    with translation.override("en"):
        assert passage.place == place


# -- readers' feedback ---------------------------------------------------------------------
def _reader(n: int = 1) -> str:
    return services.feedback_reader(user=None, session_key=f"session-{n}")


def test_a_reader_rates_an_answer_once_and_may_change_their_mind(users):
    """Given a published answer, when one reader says it did not help (with what was missing)
    and then that it did, then one feedback is kept, now helpful, its comment cleared; each
    step is in the question's history, and a second reader counts apart."""
    from innohub.qa.models import AnswerFeedback
    from innohub.qa.tests.factories import AnswerFactory

    answer = AnswerFactory()
    first = services.answer_feedback_give(answer=answer, reader=_reader(), helpful=False, comment="Chưa nói <b>hồ sơ</b> nộp ở đâu")
    assert (first.helpful, first.comment) == (False, "Chưa nói hồ sơ nộp ở đâu")  # markup dropped
    # the reader comes back to add what was missing without changing the rating: the comment stays
    services.answer_feedback_give(answer=answer, reader=_reader(), helpful=False)
    assert AnswerFeedback.objects.get(pk=first.pk).comment == "Chưa nói hồ sơ nộp ở đâu"
    services.answer_feedback_give(answer=answer, reader=_reader(), helpful=True, comment="ignored")
    services.answer_feedback_give(answer=answer, reader=_reader(2), helpful=False)
    assert list(AnswerFeedback.objects.filter(answer=answer).order_by("pk").values_list("helpful", "comment")) == [(True, ""), (False, "")]
    summary = selectors.answer_feedback_summary(user=users["officer"], answer=answer)
    assert (summary.helpful, summary.not_helpful, summary.rated, summary.comments) == (1, 1, 2, [])
    events = Event.objects.filter(action="question.feedback_given").order_by("pk")
    assert [(e.target_id, e.after["helpful"]) for e in events] == [(str(first.pk), False)] * 2 + [(str(first.pk), True), (str(first.pk + 1), False)]
    assert events[2].before == {"helpful": False, "comment": True}
    assert events[2].target_label == f"{answer.question.tracking_code}: hữu ích"
    # the question's own history stays the story of its handling
    from innohub.activity.selectors import event_history

    assert not [e for e in event_history(user=users["officer"], target=answer.question).events if e.action == "question.feedback_given"]
    assert {e.target_type.model for e in events} == {"answerfeedback"}


def test_a_reader_is_their_account_or_their_session_never_a_name(users, make_user):
    member = make_user(role="visitor")
    assert services.feedback_reader(user=member, session_key="abc") == services.feedback_reader(user=member, session_key="other")
    assert services.feedback_reader(user=member, session_key=None) != services.feedback_reader(user=None, session_key="abc")
    assert re.fullmatch(r"[0-9a-f]{40}", _reader())  # a keyed hash: no session key, account or name in it
    with pytest.raises(ValueError):
        services.feedback_reader(user=None, session_key=None)


@pytest.mark.parametrize("state", ["drafted", "awaiting_approval"])
def test_an_answer_not_published_or_taken_down_cannot_be_rated(state):
    from innohub.qa.models import AnswerFeedback
    from innohub.qa.tests.factories import AnswerFactory

    answer = AnswerFactory(question__state=state)  # published once, now back in the officer's hands
    with pytest.raises(ApplicationError) as refused:
        services.answer_feedback_give(answer=answer, reader=_reader(), helpful=True)
    assert refused.value.code == "not_published"
    assert not AnswerFeedback.objects.exists() and not Event.objects.filter(action="question.feedback_given").exists()


def test_a_comment_too_long_is_refused_with_its_limit_and_nothing_is_kept():
    from innohub.qa.models import AnswerFeedback
    from innohub.qa.tests.factories import AnswerFactory

    answer = AnswerFactory()
    for comment in ("x" * (services.MAX_FEEDBACK_CHARS + 1), "x" * 100_000):
        with pytest.raises(ApplicationError) as refused:
            services.answer_feedback_give(answer=answer, reader=_reader(), helpful=False, comment=comment)
        assert refused.value.code == "comment_too_long" and "1.000 ký tự" in str(refused.value.message)
    assert not AnswerFeedback.objects.exists()


def test_a_flood_of_ratings_from_one_address_is_refused(settings):
    from innohub.qa.models import AnswerFeedback
    from innohub.qa.tests.factories import AnswerFactory

    answer = AnswerFactory()
    for n in range(services.FEEDBACK_LIMIT_PER_HOUR):
        services.answer_feedback_give(answer=answer, reader=_reader(n), helpful=True, ip="203.0.113.7")
    with pytest.raises(ApplicationError) as refused:
        services.answer_feedback_give(answer=answer, reader=_reader(999), helpful=True, ip="203.0.113.7")
    assert refused.value.code == "rate_limited"
    assert AnswerFeedback.objects.count() == services.FEEDBACK_LIMIT_PER_HOUR
    services.answer_feedback_give(answer=answer, reader=_reader(999), helpful=True, ip="203.0.113.8")  # another address


def test_a_corrected_answer_starts_its_ratings_again(users):
    """Ratings count for the answer as it reads now: once a manager corrects and republishes
    it, what readers said of the old text no longer counts, on its page or in the statistics."""
    from innohub.qa.tests.factories import AnswerFactory

    answer = AnswerFactory(question__topic=TopicFactory(), approved_by=users["manager"])
    services.answer_feedback_give(answer=answer, reader=_reader(), helpful=False, comment="Sai mức hỗ trợ")
    stats = selectors.statistics_summary(user=users["manager"])
    assert (stats["rated"], stats["helpful"], stats["helpful_share"]) == (1, 0, 0.0)
    question = answer.question
    services.question_correct(question=question, actor=users["manager"], reason="Sửa mức hỗ trợ")
    question.refresh_from_db()
    services.question_submit(question=question, actor=users["officer"])
    services.question_publish(question=question, actor=users["manager"])
    answer.refresh_from_db()
    assert selectors.answer_feedback_summary(user=users["officer"], answer=answer).rated == 0
    assert selectors.reader_feedback(answer=answer, reader=_reader()) is None  # the reader may rate the new text
    stats = selectors.statistics_summary(user=users["manager"])
    assert (stats["rated"], stats["helpful_share"]) == (0, None)
    services.answer_feedback_give(answer=answer, reader=_reader(), helpful=True)
    stats = selectors.statistics_summary(user=users["manager"])
    assert (stats["rated"], stats["helpful"], stats["helpful_share"]) == (1, 1, 1.0)
    assert stats["by_topic"][0]["rated"] == 1 and stats["by_topic"][0]["helpful_share"] == 1.0


def test_a_docx_that_expands_past_the_limit_is_refused_before_it_is_parsed(users, django_capture_on_commit_callbacks, monkeypatch):
    """A small DOCX of repeated XML (the probe's 119 KB file held 35 MB) is refused with a
    clear message by the sizes its ZIP declares; nothing is split into passages."""
    import zipfile

    import docx

    from innohub.qa import knowledge

    doc = docx.Document()
    doc.add_paragraph("Điều 1. Phạm vi")
    buf = io.BytesIO()
    doc.save(buf)
    bomb = io.BytesIO()
    with zipfile.ZipFile(buf) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body>" + b"<!-- x -->" * 3_000_000)  # 30 MB of XML
            target.writestr(item, content)
    assert len(bomb.getvalue()) < 200_000
    parsed = []
    monkeypatch.setattr(docx, "Document", lambda *a, **k: parsed.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, bomb.getvalue(), "bom.docx")
    document.refresh_from_db()
    assert document.status != "ready" and "3 triệu ký tự" in document.error
    assert not parsed and not document.passages.exists()
    assert knowledge.MAX_DOCX_XML_BYTES < 30_000_000


def test_a_document_whose_text_is_too_long_is_refused(users, django_capture_on_commit_callbacks, monkeypatch):
    from innohub.qa import knowledge

    monkeypatch.setattr(knowledge, "MAX_DOCUMENT_TEXT_CHARS", 1_000_000)
    with django_capture_on_commit_callbacks(execute=True):
        document = upload(users, ("Điều 1. Nội dung rất dài. " * 50_000).encode(), "dai.txt")
    document.refresh_from_db()
    assert document.status != "ready" and "1 triệu ký tự" in document.error
    assert not document.passages.exists()
