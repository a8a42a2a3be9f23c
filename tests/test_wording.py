"""Words (issue 27): e-mails and letters address people as "Ông/Bà" after "Kính gửi …", never
"bạn"; the log-in error is our own Vietnamese; the indicators' sort order, the directory's
"side" and the innovation index read in plain words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from innohub.activity.emails import notification_email
from innohub.activity.messages import messages_all
from innohub.activity.services import notification_send
from innohub.qa import letters
from innohub.qa.tests.factories import AnswerFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/vi/LC_MESSAGES/django.po") if ".venv" not in p.parts)
BAN = re.compile(r"\bbạn\b", re.IGNORECASE)


def test_the_askers_letters_say_ong_ba_after_kinh_gui():
    named = QuestionFactory(asker_name="Võ Thị Lan")
    unnamed = QuestionFactory(asker_name="")
    answered = AnswerFactory(question=QuestionFactory(state="published", asker_name="Võ Thị Lan")).question
    rejected = QuestionFactory(state="rejected_out_of_scope", reject_reason="Ngoài phạm vi của Sở.")
    with translation.override("vi"):
        letters_ = [letters.receipt_letter(named), letters.receipt_letter(unnamed), letters.outcome_letter(answered), letters.outcome_letter(rejected)]
    for subject, body in letters_:
        assert body.startswith("Kính gửi Ông/Bà"), body[:60]
        assert not BAN.search(subject) and not BAN.search(body), (subject, body)
    assert letters_[0][1].startswith("Kính gửi Ông/Bà Võ Thị Lan,") and letters_[1][1].startswith("Kính gửi Ông/Bà,")
    assert "câu hỏi của Ông/Bà" in letters_[0][1]


def test_every_notification_says_ong_ba_never_ban():
    with translation.override("vi"):
        texts = {mid: (translation.gettext(m.subject), translation.gettext(m.body) if m.body else "") for mid, m in messages_all().items()}
    assert texts, "no notification declared"
    assert {mid: t for mid, t in texts.items() if BAN.search(" ".join(t))} == {}


def test_a_notification_email_opens_kinh_gui_ong_ba(users):
    founder = users["applicant"]
    question = QuestionFactory(asker=founder, asker_email=founder.email)
    (notification,) = notification_send(recipients=[founder], message="qa.question_news", params={"code": question.tracking_code, "reason": "Đã gộp.", "answer": None})
    with translation.override("vi"):
        email = notification_email(notification)
    assert email.body.startswith(f"Kính gửi Ông/Bà {founder.display_name},")
    assert not BAN.search(email.body) and not BAN.search(email.subject)
    html = email.alternatives[0][0]
    assert "Kính gửi Ông/Bà" in html and not BAN.search(html)


def test_the_password_reset_email_says_ong_ba(client, users):
    client.post(reverse("accounts:password-reset"), {"email": users["applicant"].email})
    (letter,) = mail.outbox
    assert "Ông/Bà" in letter.body and not BAN.search(letter.body)


def test_the_log_in_error_is_our_own_words(client, users):
    page = client.post(reverse("accounts:login"), {"username": "officer-user", "password": "nope"}).content.decode()
    assert "Tên đăng nhập (hoặc địa chỉ e-mail) và mật khẩu không khớp với tài khoản nào." in page
    assert "Vui lòng điền vào" not in page and "Please enter a correct" not in page


@pytest.mark.parametrize("jargon", ["mô hình ba nhà", "Cao trước (Z–A với tên)", "Thấp trước (A–Z với tên)"])
def test_no_catalogue_keeps_the_confusing_words(jargon):
    assert [str(p.relative_to(ROOT)) for p in CATALOGUES if jargon in p.read_text(encoding="utf-8")] == []


def test_the_innovation_index_is_spelled_out():
    from innohub.indicators import demo

    index = next(a for a in demo.definition()["aggregates"] if a["code"] == "INDEX")
    assert index["name"].startswith("Chỉ số đổi mới sáng tạo")


def test_a_demo_project_title_is_cut_at_a_word_boundary():
    from innohub.programs.demo import _name_shortened

    name = "Công ty Cổ phần Công nghệ Nông nghiệp Xanh Sài Gòn Việt Nam"
    short = _name_shortened(name)
    assert short == "Công ty Cổ phần Công nghệ Nông nghiệp Xanh Sài Gòn …"
    assert all(word in name.split() for word in short.removesuffix(" …").split())
    assert _name_shortened("Công ty Lúa Vàng") == "Công ty Lúa Vàng"


# the old placement of the tone mark ("hoá", "khoá", "thuỷ", "toà"); the official one is
# "hóa", "khóa", "thủy", "tòa" (a final consonant keeps it on the second vowel: "hoàn")
OLD_TONE = re.compile(r"(?<![a-zà-ỹđ])[a-zà-ỹđ]*(?:o[áàảãạéèẻẽẹ]|(?<!q)u[ýỳỷỹỵ])(?![a-zà-ỹđ])", re.IGNORECASE)


def test_one_spelling_the_official_hoa_style_in_catalogues_templates_and_demo_data():
    files = [*CATALOGUES, *(p for p in ROOT.glob("innohub/**/templates/**/*") if p.is_file()), *ROOT.glob("innohub/*/demo.py")]
    found = {str(p.relative_to(ROOT)): OLD_TONE.findall(p.read_text(encoding="utf-8")) for p in files}
    assert {path: words for path, words in found.items() if words} == {}
    assert OLD_TONE.findall("hoá khoá thuỷ toà Uỷ ban") == ["hoá", "khoá", "thuỷ", "toà", "Uỷ"]
    assert OLD_TONE.findall("hóa hoàn toán quý Huỳnh thủy") == []
