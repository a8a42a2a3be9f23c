"""The forms engine on its own: a schema's problems, the Django form it builds, answers
stored and shown in each language. No model: a schema and a dict of answers."""

import io

import pytest
from django import forms
from django.utils import translation

from innohub.core.errors import ApplicationError
from innohub.forms import (
    SchemaForm,
    answers_display,
    answers_merge,
    answers_missing,
    schema_problems,
    upload_check,
)


def _l(vi, en=""):
    return {"vi": vi, "en": en} if en else {"vi": vi}


# an event's registration form, say: nothing about applications in it
SCHEMA = {
    "sections": [
        {"key": "you", "title": _l("Về bạn"), "fields": [  # no English title: English readers get the Vietnamese
            {"key": "name", "kind": "text", "required": True, "label": _l("Họ tên", "Full name"), "max_length": 20},
            {"key": "role", "kind": "choice", "label": _l("Vai trò", "Role"),
             "choices": [["founder", _l("Nhà sáng lập", "Founder")], ["investor", _l("Nhà đầu tư")]]},
            {"key": "seats", "kind": "number", "label": _l("Số chỗ", "Seats")},
        ]},
        {"key": "more", "title": _l("Thêm", "More"), "fields": [
            {"key": "day", "kind": "date", "label": _l("Ngày", "Day"), "help": _l("Ngày bạn đến", "The day you come")},
            {"key": "consent", "kind": "checkbox", "required": True, "label": _l("Đồng ý", "I agree")},
            {"key": "cv", "kind": "file", "required": True, "accept": [".pdf"], "max_size_mb": 1, "label": _l("Lý lịch", "CV")},
        ]},
    ]
}


def test_a_valid_schema_has_no_problem():
    assert schema_problems(SCHEMA) == []


@pytest.mark.parametrize(("schema", "says"), [
    ([], "The schema must be an object with a list of sections."),
    ({"sections": "x"}, "The schema must be an object with a list of sections."),
    ({"sections": ["x"]}, "Section 1 must be an object with a list of fields."),
    ({"sections": [{"title": {"en": "Only English"}, "fields": []}]}, "Section 1: its title needs the Vietnamese text."),
    ({"sections": [{"fields": ["x"]}]}, "Section 1: a field must be an object."),
    ({"sections": [{"fields": [{"kind": "text", "label": _l("A")}]}]}, "A field has no key."),
    ({"sections": [{"fields": [{"key": "a", "kind": "text", "label": _l("A")}, {"key": "a", "kind": "text", "label": _l("B")}]}]},
     "The key “a” is used twice."),
    ({"sections": [{"fields": [{"key": "a", "kind": "video", "label": _l("A")}]}]}, "a: unknown kind “video”."),
    ({"sections": [{"fields": [{"key": "a", "kind": "choice", "label": _l("A")}]}]}, "a: a choice field needs choices."),
    ({"sections": [{"fields": [{"key": "a", "kind": "choice", "label": _l("A"), "choices": [["x"]]}]}]},
     "a: each choice must be a pair of a code and a label with its Vietnamese text."),
    ({"sections": [{"fields": [{"key": "a", "kind": "choice", "label": _l("A"), "choices": [["x", _l("X")], ["x", _l("Y")]]}]}]},
     "a: two choices have the same code."),
    ({"sections": [{"fields": [{"key": "a", "kind": "text", "label": {"en": "A"}}]}]}, "a: a Vietnamese label is required."),
    ({"sections": [{"fields": [{"key": "a", "kind": "text", "label": _l("A"), "help": "plain"}]}]},
     "a: the help text must be given as {\"vi\": …, \"en\": …}."),
    ({"sections": [{"fields": [{"key": "a", "kind": "text", "label": _l("A"), "max_length": 0}]}]},
     "a: the longest answer must be a whole number above zero."),
    ({"sections": [{"fields": [{"key": "a", "kind": "file", "label": _l("A"), "accept": [".exe"]}]}]},
     "a: files of type .exe cannot be accepted (allowed: .pdf, .png, .jpg, .jpeg, .docx, .xlsx, .pptx)."),
    ({"sections": [{"fields": [{"key": "a", "kind": "file", "label": _l("A"), "max_size_mb": -1}]}]},
     "a: the largest file size must be a number of MB above zero."),
])
def test_each_kind_of_schema_problem_is_named(schema, says):
    with translation.override("en"):
        assert schema_problems(schema) == [says]


def test_every_problem_is_listed_at_once_and_in_vietnamese():
    schema = {"sections": [{"fields": [{"key": "a", "kind": "video", "label": _l("A")}, {"key": "a", "kind": "choice", "label": {}}]}]}
    problems = schema_problems(schema)
    assert len(problems) == 4
    assert "a: loại trường “video” không tồn tại." in problems


def test_the_built_form_has_each_field_with_its_widget_marks_and_choices():
    form = SchemaForm(schema=SCHEMA)
    assert list(form.fields) == ["answer_name", "answer_role", "answer_seats", "answer_day", "answer_consent"]  # files apart
    assert [s["title"] for s in form.sections] == ["Về bạn", "Thêm"]
    assert isinstance(form.fields["answer_role"], forms.ChoiceField)
    assert [c[0] for c in form.fields["answer_role"].choices] == ["", "founder", "investor"]
    assert isinstance(form.fields["answer_consent"], forms.BooleanField)
    assert form.fields["answer_day"].widget.input_type == "date" and form.fields["answer_day"].help_text == "Ngày bạn đến"
    assert form.fields["answer_seats"].widget.attrs["inputmode"] == "numeric"
    assert form.fields["answer_name"].max_length == 20
    # a draft: required fields are marked, not enforced
    assert form.fields["answer_name"].widget.attrs["aria-required"] == "true" and not form.fields["answer_name"].required
    assert SchemaForm(data={}, schema=SCHEMA).is_valid()


def test_the_built_form_can_enforce_required_answers_and_choices():
    form = SchemaForm(data={"answer_role": "pirate"}, schema=SCHEMA, enforce_required=True)
    assert not form.is_valid()
    assert set(form.errors) == {"answer_name", "answer_consent", "answer_role"}
    form = SchemaForm(data={"answer_name": "Lan", "answer_consent": "on", "answer_role": "founder"}, schema=SCHEMA, enforce_required=True)
    assert form.is_valid()
    assert form.answers() == {"name": "Lan", "role": "founder", "seats": "", "day": "", "consent": True}


def test_english_labels_fall_back_to_vietnamese():
    with translation.override("en"):
        form = SchemaForm(schema=SCHEMA)
        assert [s["title"] for s in form.sections] == ["Về bạn", "More"]
        assert form.fields["answer_name"].label == "Full name"
        assert dict(form.fields["answer_role"].choices)["investor"] == "Nhà đầu tư"


def test_answers_round_trip_and_bad_ones_are_refused_without_being_written():
    stored, errors = answers_merge(schema=SCHEMA, stored={}, given={"name": "Nguyễn Thị Lan" * 3, "role": "founder", "seats": "2", "cv": "x", "other": "y"})
    # an answer past its limit is refused, not cut (issue 32); files and unknown keys ignored
    assert errors == {"name": "Tối đa 20 ký tự (câu trả lời này có 42)."}
    assert stored == {"role": "founder", "seats": "2"}
    again, errors = answers_merge(schema=SCHEMA, stored=stored, given={"role": "pirate", "seats": "many", "consent": True})
    assert errors == {"role": "Hãy chọn một trong các lựa chọn.", "seats": "Hãy nhập một số nguyên."}
    assert again == {**stored, "consent": "True"}
    assert stored["role"] == "founder"  # the stored dict itself is left alone


def test_missing_required_answers_count_files_and_unticked_boxes():
    assert [f["key"] for f in answers_missing(schema=SCHEMA, answers={"name": " ", "consent": "False"})] == ["name", "consent", "cv"]
    assert answers_missing(schema=SCHEMA, answers={"name": "Lan", "consent": "True"}, files={"cv"}) == []


def test_answers_display_in_each_language_with_the_vietnamese_fallback():
    answers = {"name": "Lan", "role": "investor", "seats": "2", "consent": "True"}
    vietnamese = answers_display(SCHEMA, answers)
    assert vietnamese[0]["title"] == "Về bạn"
    assert [(r["label"], r["value"]) for r in vietnamese[0]["rows"]] == [("Họ tên", "Lan"), ("Vai trò", "Nhà đầu tư"), ("Số chỗ", "2")]
    assert [(r["label"], r["value"]) for r in vietnamese[1]["rows"]] == [("Ngày", ""), ("Đồng ý", "Có")]
    with translation.override("en"):
        english = answers_display(SCHEMA, answers)
    # the section without an English title reads in Vietnamese, never blank
    assert [s["title"] for s in english] == ["Về bạn", "More"]
    assert [(r["label"], r["value"]) for r in english[0]["rows"]] == [("Full name", "Lan"), ("Role", "Nhà đầu tư"), ("Seats", "2")]
    assert english[1]["rows"][1] == {"key": "consent", "label": "I agree", "value": "Yes"}


class _Upload(io.BytesIO):
    def __init__(self, name, content):
        super().__init__(content)
        self.name, self.size = name, len(content)


def test_uploads_are_checked_by_type_content_and_size():
    cv = SCHEMA["sections"][1]["fields"][2]
    upload_check(field=cv, upload=_Upload("cv.pdf", b"%PDF-1.7 ...\n%%EOF\n"))
    for upload, reason in [
        (_Upload("cv.docx", b"PK\x03\x04..."), "type"),  # not accepted by this field
        (_Upload("cv.pdf", b"MZ not a pdf"), "type"),  # a program renamed
        (_Upload("cv.pdf", b"%PDF-" + b"0" * 1024 * 1024 + b"%%EOF"), "size"),
    ]:
        with pytest.raises(ApplicationError) as refused:
            upload_check(field=cv, upload=upload)
        assert refused.value.extra == {"cv": reason}


def test_a_number_in_arabic_indic_digits_is_refused_and_not_written():
    # Given a stored answer of 2 seats, when "٣" (Arabic-Indic three) is given, then the
    # field has the whole-number error and the stored answer stays 2
    merged, errors = answers_merge(schema=SCHEMA, stored={"seats": "2"}, given={"seats": "٣"})
    assert errors == {"seats": "Hãy nhập một số nguyên."}
    assert merged == {"seats": "2"}


def test_every_kind_of_field_is_described_for_the_editor():
    from innohub.forms import FIELD_KIND_HELP, FIELD_KINDS

    assert set(FIELD_KIND_HELP) == set(FIELD_KINDS)
    with translation.override("vi"):
        assert str(FIELD_KIND_HELP["checkbox"]) == "Một ô để đánh dấu (có hoặc không)."
