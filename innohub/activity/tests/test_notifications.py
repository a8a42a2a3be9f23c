"""Every kind of notification reaches each reader in their own language, in-app and by e-mail.

Given a recipient who reads English and one who reads Vietnamese, when any declared message
is sent, then each reads it in their language (amounts and dates in their format) in the
inbox, in the API and in an e-mail with a real body, plain text and HTML, whose link is
absolute from ``SITE_URL``. The list of examples must name every declared message, so a new
kind of notification without its test fails here.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import translation

from innohub.activity.messages import MessageParamsError, UnknownMessage, messages_all
from innohub.activity.models import Notification
from innohub.activity.services import notification_send

pytestmark = pytest.mark.django_db

SITE = "https://innohub.example.gov.vn"
PAID_ON = dt.date(2026, 11, 22)


def _workflow_state(**value):
    from innohub.programs.tests.factories import CallFactory

    return {"workflow": CallFactory().workflow_id, **value}


def _event(**value):
    from django.utils import timezone

    from innohub.events.tests.factories import EventFactory

    start = timezone.make_aware(dt.datetime(2026, 11, 22, 8, 0))
    event = EventFactory(title="Hội thảo AI", title_en="AI workshop", starts_at=start, ends_at=start + dt.timedelta(hours=4))
    return {"event": event.pk, "when": event.pk, **value}


# message id → (params, English subject, Vietnamese subject, a part of the English body, of the Vietnamese body)
EXAMPLES = {
    "programs.application_state": (
        lambda: {"ref": "HS-2026-0001", "reason": "Đủ điều kiện.", "state": _workflow_state(state="approved", audience="applicant")},
        "Application HS-2026-0001: Support granted", "Hồ sơ HS-2026-0001: Được hỗ trợ", "Đủ điều kiện.", "Đủ điều kiện."),
    "programs.application_receipt": (
        lambda: {"ref": "HS-2026-0001", "date": "22/11/2026 09:30", "items": "- Tên dự án: Robot hái nấm"},
        "Receipt: application HS-2026-0001 is submitted", "Biên nhận: hồ sơ HS-2026-0001 đã được nộp",
        "Your application HS-2026-0001 was received on 22/11/2026 09:30.", "Hồ sơ HS-2026-0001 của Ông/Bà đã được tiếp nhận lúc 22/11/2026 09:30."),
    "programs.message_posted": (
        lambda: {"ref": "HS-2026-0001", "text": "Xin bổ sung hồ sơ."},
        "New message on application HS-2026-0001", "Tin nhắn mới về hồ sơ HS-2026-0001", "Xin bổ sung hồ sơ.", "Xin bổ sung hồ sơ."),
    "programs.milestone_reported": (
        lambda: {"title": "Mẫu thử", "ref": "HS-2026-0001", "date": PAID_ON},
        "A milestone report is waiting for a check", "Có báo cáo mốc thực hiện đang chờ kiểm tra",
        "Milestone “Mẫu thử” of application HS-2026-0001 was reported on 22/11/2026.",
        "Mốc “Mẫu thử” của hồ sơ HS-2026-0001 đã được báo cáo ngày 22/11/2026."),
    "programs.milestone_checked": (
        lambda: {"title": "Mẫu thử", "state": "missed", "note": "Thiếu số liệu."},
        "Milestone “Mẫu thử”: Not met", "Mốc “Mẫu thử”: Không đạt", "Thiếu số liệu.", "Thiếu số liệu."),
    "programs.milestone_overdue": (
        lambda: {"title": "Mẫu thử", "date": PAID_ON},
        "Milestone overdue: Mẫu thử", "Quá hạn mốc: Mẫu thử",
        "The milestone was due on 22/11/2026. Please send your report.", "22/11/2026"),
    "programs.payment_received": (
        lambda: {"amount": 40_000_000, "date": PAID_ON, "title": "Mẫu thử", "ref": "HS-2026-0001"},
        "Payment received: 40,000,000\u00a0VND", "Đã nhận kinh phí: 40.000.000\u00a0₫",
        "40,000,000\u00a0VND was paid on 22/11/2026 for the milestone “Mẫu thử” of application HS-2026-0001.",
        "Đã chi 40.000.000\u00a0₫ ngày 22/11/2026 cho mốc “Mẫu thử” của hồ sơ HS-2026-0001."),
    "programs.review_conflict": (
        lambda: {"ref": "HS-2026-0001", "reason": "Tôi là cổ đông."},
        "A reviewer declared a conflict on HS-2026-0001", None, "Tôi là cổ đông.", "Tôi là cổ đông."),
    "programs.approvals_waiting": (
        lambda: {"call": "Đợt ươm tạo 2026", "n": 3, "above": 2},
        "3 ranked applications await your decision", "3 hồ sơ đã xếp hạng chờ ông/bà quyết định",
        "The applications of the call “Đợt ươm tạo 2026” are ranked: 3 await a decision, 2 of them within the budget.",
        "Các hồ sơ của đợt “Đợt ươm tạo 2026” đã được xếp hạng: 3 hồ sơ chờ quyết định, trong đó 2 hồ sơ nằm trong ngân sách."),
    "programs.reviews_assigned": (
        lambda: {"n": 3}, "3 new applications to review", None, "", ""),
    "qa.question_assigned": (
        lambda: {"code": "HD-AAAA-BBBB", "due": dt.date(2026, 12, 4)},
        "Question HD-AAAA-BBBB is assigned to you (due 04/12/2026)", "Câu hỏi HD-AAAA-BBBB được giao cho Ông/Bà (hạn 04/12/2026)", "", ""),
    "qa.answer_awaits_approval": (
        lambda: {"code": "HD-AAAA-BBBB", "due": dt.date(2026, 12, 4)},
        "The answer to question HD-AAAA-BBBB awaits your approval (due 04/12/2026)",
        "Câu trả lời cho câu hỏi HD-AAAA-BBBB đang chờ Ông/Bà phê duyệt (hạn 04/12/2026)", "", ""),
    "qa.draft_returned": (
        lambda: {"code": "HD-AAAA-BBBB", "due": dt.date(2026, 12, 4), "reason": "Bổ sung căn cứ."},
        "Your draft for question HD-AAAA-BBBB is returned", "Dự thảo trả lời câu hỏi HD-AAAA-BBBB của Ông/Bà bị trả lại",
        "Bổ sung căn cứ.", "Bổ sung căn cứ."),
    "qa.answer_taken_down": (
        lambda: {"code": "HD-AAAA-BBBB", "due": dt.date(2026, 12, 4), "reason": "Mức hỗ trợ đã đổi."},
        "The answer to question HD-AAAA-BBBB is taken down for correction", None, "Mức hỗ trợ đã đổi.", "Mức hỗ trợ đã đổi."),
    "qa.question_overdue": (
        lambda: {"code": "HD-AAAA-BBBB", "due": dt.date(2026, 12, 4)},
        "Question HD-AAAA-BBBB is overdue: it was due 04/12/2026", "Câu hỏi HD-AAAA-BBBB đã quá hạn: hạn trả lời là 04/12/2026", "", ""),
    "qa.question_due": (
        lambda: {"code": "HD-AAAA-BBBB", "due": dt.date(2026, 12, 4)},
        "Question HD-AAAA-BBBB is due 04/12/2026", "Câu hỏi HD-AAAA-BBBB đến hạn trả lời ngày 04/12/2026", "", ""),
    "qa.question_answered": (
        lambda: {"code": "HD-AAAA-BBBB", "answer": None},
        "Your question HD-AAAA-BBBB has an answer", "Câu hỏi HD-AAAA-BBBB của Ông/Bà đã được trả lời", "", ""),
    "qa.answer_corrected": (
        lambda: {"code": "HD-AAAA-BBBB", "answer": None},
        "The answer to your question HD-AAAA-BBBB has been corrected", None, "", ""),
    "qa.question_news": (
        lambda: {"code": "HD-AAAA-BBBB", "reason": "Ngoài phạm vi.", "answer": None},
        "News about your question HD-AAAA-BBBB", None, "Ngoài phạm vi.", "Ngoài phạm vi."),
    "directory.startup_registered": (
        lambda: {"name": "EdTech Sao Việt", "text": "Nhờ xác minh."},
        "A startup registered in the directory: EdTech Sao Việt", None, "Nhờ xác minh.", "Nhờ xác minh."),
    "directory.startup_claimed": (
        lambda: {"name": "EdTech Sao Việt", "text": ""}, "A startup was claimed: EdTech Sao Việt", None, "", ""),
    "directory.changes_proposed": (
        lambda: {"name": "EdTech Sao Việt", "text": ""}, "Changes proposed to EdTech Sao Việt", None, "", ""),
    "directory.request_approved": (
        lambda: {"name": "EdTech Sao Việt", "note": "Đã xác minh."},
        "Your request about EdTech Sao Việt was approved", None, "Đã xác minh.", "Đã xác minh."),
    "directory.request_rejected": (
        lambda: {"name": "EdTech Sao Việt", "note": "Không đúng mã số thuế."},
        "Your request about EdTech Sao Việt was rejected", None, "Không đúng mã số thuế.", "Không đúng mã số thuế."),
    "cooperation.action_assigned": (
        lambda: {"partner": "Victorian Government", "what": "Gửi thư mời WHISE", "due": dt.date(2026, 12, 4)},
        "An action agreed with Victorian Government is yours (due 04/12/2026)",
        "Ông/Bà phụ trách một việc đã thống nhất với Victorian Government (hạn 04/12/2026)", "Gửi thư mời WHISE", "Gửi thư mời WHISE"),
    "cooperation.action_due_soon": (
        lambda: {"partner": "IAL", "what": "Đề cương", "due": dt.date(2026, 12, 4)},
        "Action for IAL is due 04/12/2026", "Việc cần làm với IAL đến hạn ngày 04/12/2026", "Đề cương", "Đề cương"),
    "cooperation.action_overdue": (
        lambda: {"partner": "IAL", "what": "Đề cương", "due": dt.date(2026, 12, 4)},
        "Action for IAL is overdue: it was due 04/12/2026", "Việc cần làm với IAL đã quá hạn: hạn là 04/12/2026", "Đề cương", "Đề cương"),
    "cooperation.action_escalated": (
        lambda: {"partner": "IAL", "owner": "Nguyễn Thị Thu Hà", "what": "Đề cương", "due": dt.date(2026, 12, 4)},
        "An action of Nguyễn Thị Thu Hà for IAL is still late (due 04/12/2026)", None, "Đề cương", "Đề cương"),
    "cooperation.agreement_awaits_approval": (
        lambda: {"title": "Thư ý định"}, "The agreement “Thư ý định” awaits your approval", None, "", ""),
    "cooperation.agreement_expiring": (
        lambda: {"title": "MoU", "expires": dt.date(2027, 2, 1),
                 "stale": "Nothing was done under this agreement in the past year: decide whether to renew it."},
        "The agreement “MoU” expires 01/02/2027", "Thỏa thuận “MoU” hết hạn ngày 01/02/2027",
        "Nothing was done under this agreement in the past year", "Không có hoạt động nào theo thỏa thuận này trong năm qua"),
    # research (issue 31)
    "research.task_step": (
        lambda: {"code": "NV-01", "step": "2025:accepted"},
        "Research task NV-01: Results recognised, contract closed", "Nhiệm vụ NV-01: Công nhận kết quả, thanh lý hợp đồng", "", ""),
    "research.council_appointed": (
        lambda: {"council": "Hội đồng nghiệm thu", "code": "NV-01"},
        "You sit on the Hội đồng nghiệm thu of research task NV-01", "Ông/Bà là thành viên Hội đồng nghiệm thu của nhiệm vụ NV-01", "", ""),
    "research.interest_expressed": (
        lambda: {"organisation": "Công ty Vật tư Y tế", "offer": "Băng gạc kháng khuẩn"},
        "Công ty Vật tư Y tế is interested in your technology “Băng gạc kháng khuẩn”",
        "Công ty Vật tư Y tế quan tâm đến công nghệ “Băng gạc kháng khuẩn” của Ông/Bà", "", ""),
    "research.milestone_due": (
        lambda: {"code": "NV-01", "milestone": "Mẫu thử", "due": dt.date(2026, 12, 4)},
        "Research task NV-01: “Mẫu thử” is due on 04/12/2026", "Nhiệm vụ NV-01: “Mẫu thử” đến hạn ngày 04/12/2026", "", ""),
    "research.need_approved": (
        lambda: {"title": "Cảm biến ngập"},
        "Your enterprise's need “Cảm biến ngập” is published on the technology marketplace",
        "Nhu cầu “Cảm biến ngập” của doanh nghiệp Ông/Bà đã được đăng trên sàn công nghệ", "", ""),
    "research.need_rejected": (
        lambda: {"title": "Cảm biến ngập", "reason": "thiếu liên hệ"},
        "Your enterprise's need “Cảm biến ngập” is not published: thiếu liên hệ",
        "Nhu cầu “Cảm biến ngập” của doanh nghiệp Ông/Bà chưa được đăng: thiếu liên hệ", "", ""),
    # personal data requests (issue 32)
    "privacy.request_received": (
        lambda: {"ref": "DL-7", "due": dt.date(2026, 12, 10)},
        "Personal data request DL-7 received: answer by 10/12/2026",
        "Đã tiếp nhận yêu cầu về dữ liệu cá nhân DL-7: trả lời trước 10/12/2026", "", ""),
    "privacy.request_due": (
        lambda: {"ref": "DL-7", "due": dt.date(2026, 12, 10)},
        "Personal data request DL-7 is due 10/12/2026", "Yêu cầu về dữ liệu cá nhân DL-7 đến hạn 10/12/2026", "", ""),
    "events.registration_confirmed": (
        lambda: _event(place="Hội trường 272"), "You are registered for AI workshop", "Ông/Bà đã đăng ký tham dự Hội thảo AI",
        "When: 22/11/2026 08:00–12:00", "Địa điểm: Hội trường 272"),
    "events.registration_waiting": (
        lambda: _event(position=3), "You are on the waiting list of AI workshop", "Ông/Bà đang trong danh sách chờ của Hội thảo AI",
        "you are number 3 on its waiting list", "Ông/Bà đứng thứ 3 trong danh sách chờ"),
    "events.registration_awaiting_approval": (
        lambda: _event(), "Your registration for AI workshop awaits the organiser's approval",
        "Đăng ký tham dự Hội thảo AI của Ông/Bà đang chờ ban tổ chức duyệt", "The organiser approves each registration", "Ban tổ chức duyệt từng đăng ký"),
    "events.registration_promoted": (
        lambda: _event(place="Hội trường 272"), "A place freed up: you are registered for AI workshop", "Đã có chỗ trống: Ông/Bà được tham dự Hội thảo AI",
        "you were first on the waiting list", "Ông/Bà đứng đầu danh sách chờ"),
    "events.registration_promoted_to_approval": (
        lambda: _event(), "A place freed up at AI workshop", "Đã có chỗ trống tại Hội thảo AI",
        "now awaits the organiser's approval", "nay chờ ban tổ chức duyệt"),
    "events.registration_approved": (
        lambda: _event(place="Hội trường 272"), "Your registration for AI workshop is approved", "Đăng ký tham dự Hội thảo AI của Ông/Bà đã được duyệt",
        "The organiser approved your registration.", "Ban tổ chức đã duyệt đăng ký của Ông/Bà."),
    "events.registration_refused": (
        lambda: _event(reason="Chỉ dành cho doanh nghiệp."), "Your registration for AI workshop was not accepted",
        "Đăng ký tham dự Hội thảo AI của Ông/Bà không được chấp nhận", "Reason: Chỉ dành cho doanh nghiệp.", "Lý do: Chỉ dành cho doanh nghiệp."),
    "events.registration_cancelled": (
        lambda: _event(), "Your registration for AI workshop is cancelled", "Đăng ký tham dự Hội thảo AI của Ông/Bà đã được hủy",
        "you may register again", "Ông/Bà có thể đăng ký lại"),
    "events.reminder": (
        lambda: _event(place="Hội trường 272"), "Tomorrow: AI workshop", "Ngày mai: Hội thảo AI",
        "A reminder that you are registered.", "Xin nhắc Ông/Bà đã đăng ký tham dự."),
    "events.certificate_issued": (
        lambda: _event(number="SKHCN-2026-ABCD2345"), "Your certificate for AI workshop", "Giấy chứng nhận tham dự Hội thảo AI của Ông/Bà",
        "number SKHCN-2026-ABCD2345", "số SKHCN-2026-ABCD2345"),
    "events.approval_needed": (
        lambda: _event(name="Trần Thị Lan", organisation="Sihub"), "A registration for AI workshop awaits your approval",
        "Một đăng ký tham dự Hội thảo AI đang chờ Ông/Bà duyệt", "Trần Thị Lan (Sihub) registered", "Trần Thị Lan (Sihub) đã đăng ký"),
    "events.event_cancelled": (
        lambda: _event(reason="Bão số 9."), "Cancelled: AI workshop", "Đã hủy: Hội thảo AI", "Reason: Bão số 9.", "Lý do: Bão số 9."),
}


def test_every_declared_message_has_an_example_here():
    assert sorted(messages_all()) == sorted(EXAMPLES)


@pytest.fixture
def readers(make_user):
    return make_user(role="applicant", username="reader-en", language="en", email="en@example.vn"), make_user(
        role="applicant", username="reader-vi", language="vi", email="vi@example.vn")


@pytest.mark.parametrize("message_id", sorted(EXAMPLES))
def test_each_notification_reads_in_its_recipients_language_in_app_and_by_email(
    message_id, readers, settings, django_capture_on_commit_callbacks,
):
    settings.SITE_URL = SITE
    params, en_subject, vi_subject, en_body, vi_body = EXAMPLES[message_id]
    english, vietnamese = readers
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):  # sent from a Vietnamese page
        sent = notification_send(recipients=[english, vietnamese], message=message_id, params=params(), url="/programs/my/")
    en_notice, vi_notice = (Notification.objects.get(pk=n.pk) for n in sent)
    # in-app, on each reader's page
    with translation.override("en"):
        assert en_notice.shown_subject == en_subject
        assert en_body in en_notice.shown_body
    with translation.override("vi"):
        assert vi_notice.shown_subject != en_subject or vi_subject is None
        if vi_subject:
            assert vi_notice.shown_subject == vi_subject
        assert vi_body in vi_notice.shown_body
    # by e-mail, each in their own language, plain text and HTML, with an absolute link
    emails = {m.to[0]: m for m in mail.outbox}
    assert sorted(emails) == ["en@example.vn", "vi@example.vn"]
    en_mail, vi_mail = emails["en@example.vn"], emails["vi@example.vn"]
    assert en_mail.subject == en_subject
    if vi_subject:
        assert vi_mail.subject == vi_subject
    assert en_mail.body.startswith("Hello, ") and vi_mail.body.startswith("Kính gửi Ông/Bà ")
    assert en_subject in en_mail.body and en_body in en_mail.body and vi_body in vi_mail.body
    assert f"{SITE}/en/programs/my/" in en_mail.body and f"{SITE}/programs/my/" in vi_mail.body
    [(html, kind)] = en_mail.alternatives
    assert kind == "text/html" and f'href="{SITE}/en/programs/my/"' in html and "Read more and act on innohub" in html
    assert "Xem chi tiết và xử lý trên innohub" in vi_mail.alternatives[0][0]


def test_the_overdue_milestone_reminder_reaches_an_english_founder_in_english(settings, django_capture_on_commit_callbacks):
    """The defect: the worker rendered it in its own language, so they read "Quá hạn mốc"."""
    from django.utils import timezone

    from innohub.programs import tasks
    from innohub.programs.models import Milestone
    from innohub.programs.tests.factories import AwardFactory, applicant_for

    settings.SITE_URL = SITE
    award = AwardFactory(application__state="contracted")
    milestone = Milestone.objects.create(award=award, title="Mẫu thử", due_on=timezone.localdate() - dt.timedelta(days=3))
    founder = applicant_for(award.organisation, language="en", email="founder@example.vn")
    with translation.override("vi"), django_capture_on_commit_callbacks(execute=True):
        tasks.remind_overdue_milestones.call()
    notice = Notification.objects.get(recipient=founder)
    with translation.override("en"):
        assert notice.shown_subject == "Milestone overdue: Mẫu thử"
    [email] = [m for m in mail.outbox if m.to == ["founder@example.vn"]]
    due = milestone.due_on.strftime("%d/%m/%Y")
    assert email.subject == "Milestone overdue: Mẫu thử"
    assert f"The milestone was due on {due}. Please send your report." in email.body
    assert f"{SITE}/en/programs/applications/{award.application_id}/" in email.body


def test_a_notification_read_after_the_reader_switched_language_reads_in_the_new_one(readers, client):
    _english, reader = readers
    [notice] = notification_send(recipients=[reader], message="programs.payment_received", email=False,
                                 params={"amount": 40_000_000, "date": PAID_ON, "title": "Mẫu thử", "ref": "HS-2026-0001"})
    client.force_login(reader)
    assert "Đã nhận kinh phí: 40.000.000\u00a0₫" in client.get("/notifications/").content.decode()
    reader.language = "en"
    reader.save(update_fields=["language"])
    page = client.get("/en/notifications/").content.decode()
    assert "Payment received: 40,000,000\u00a0VND" in page and "was paid on 22/11/2026" in page
    api = client.get("/api/v1/activity/notifications", HTTP_ACCEPT_LANGUAGE="en").json()
    [item] = api["items"]
    assert item["subject"] == "Payment received: 40,000,000\u00a0VND" and item["message"] == "programs.payment_received"
    assert Notification.objects.get(pk=notice.pk).subject == "Đã nhận kinh phí: 40.000.000\u00a0₫"  # as first sent


def test_an_old_notification_without_a_message_id_reads_as_it_was_stored(readers, client):
    _english, reader = readers
    Notification.objects.create(recipient=reader, subject="Quá hạn mốc: Mẫu thử", body="Cũ", send_email=False)
    client.force_login(reader)
    page = client.get("/en/notifications/").content.decode()
    assert "Quá hạn mốc: Mẫu thử" in page and "Cũ" in page


def test_an_unknown_message_or_a_missing_parameter_is_refused_and_nothing_is_written(readers):
    with pytest.raises(UnknownMessage, match="programs.no_such_message"):
        notification_send(recipients=readers, message="programs.no_such_message", params={})
    with pytest.raises(MessageParamsError, match="date, title"):
        notification_send(recipients=readers, message="programs.milestone_overdue", params={"ref": "x"})
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_deploy_check_warns_while_the_site_address_is_left_at_localhost(settings):
    from innohub.activity.checks import site_url_check

    settings.SITE_URL = "http://127.0.0.1:8000"
    [warning] = site_url_check()
    assert warning.id == "innohub.W001" and "127.0.0.1" in warning.msg
    settings.SITE_URL = "innohub.example.gov.vn"
    assert [w.id for w in site_url_check()] == ["innohub.W001"]
    settings.SITE_URL = SITE
    assert site_url_check() == []
