"""The Q&A forms as they render and what they accept."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import translation

from innohub.qa import forms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(("form_class", "field"), [(forms.DocumentForm, "issued_on"), (forms.StatsForm, "date_from"), (forms.StatsForm, "date_to")])
def test_a_date_picker_holds_its_date_in_iso_form(form_class, field, language):
    # a browser date picker shows nothing (and posts nothing) for a value like 20/11/2026
    with translation.override(language):
        html = str(form_class(initial={field: dt.date(2026, 11, 20)})[field])
    assert re.search(r'type="date"', html) and 'value="2026-11-20"' in html
    # what is typed the Vietnamese way, without a picker, is still understood
    with translation.override(language):
        bound = form_class(data={field: "20/11/2026", "title": "Quy định"})
        bound.is_valid()
    assert bound.cleaned_data[field] == dt.date(2026, 11, 20)


@pytest.mark.parametrize(
    ("language", "empty", "invalid"),
    [
        ("vi", "Hãy nhập địa chỉ e-mail hợp lệ", "Địa chỉ e-mail này không hợp lệ; hãy kiểm tra lại để chúng tôi báo cho bạn khi có câu trả lời."),
        ("en", "Enter a valid e-mail address, so we can tell you when it is answered.", "This e-mail address is not valid; check it, so we can tell you when your question is answered."),
    ],
)
def test_a_visitors_email_address_gets_the_services_own_message_whether_empty_or_invalid(client, language, empty, invalid):
    from innohub.qa.models import Question
    from innohub.qa.tests.factories import TopicFactory

    prefix = "" if language == "vi" else "/en"
    ask = {"topic": TopicFactory().pk, "text": "Xin hỏi thủ tục đăng ký ươm tạo tại Trung tâm?", "website": ""}
    for typed, message in [("", empty), ("lan@example", invalid), ("lan.example.vn", invalid)]:
        response = client.post(f"{prefix}/qa/ask/", {**ask, "asker_email": typed})
        assert response.status_code == 400
        errors = response.context["form"].errors["asker_email"]
        assert len(errors) == 1 and errors[0].startswith(message)
        assert message in response.content.decode() and "Nhập địa chỉ email." not in response.content.decode()
    assert not Question.objects.exists()
