"""The language people's own text is written in, and its lang attribute on English pages."""

from django.template import Context, Template
from django.utils import translation

from innohub.core.i18n import labelled, text_language


def test_text_with_diacritics_is_vietnamese_and_other_text_in_the_pages_language():
    with translation.override("en"):
        assert text_language("Công ty Cổ phần AI Sao Việt") == "vi"
        assert text_language("Robotics Mekong") == "en"
        assert text_language("") == "en"
        assert text_language(None) == "en"
        assert text_language(5) == "en"


def test_vietnamese_text_is_marked_on_english_pages_only():
    template = Template("<h1{{ title|text_language|lang_attr }}>{{ title }}</h1>")
    with translation.override("en"):
        assert template.render(Context({"title": "Robot hái nấm"})) == '<h1 lang="vi">Robot hái nấm</h1>'
        assert template.render(Context({"title": "Mushroom robot"})) == "<h1>Mushroom robot</h1>"
    with translation.override("vi"):
        assert template.render(Context({"title": "Robot hái nấm"})) == "<h1>Robot hái nấm</h1>"


def test_a_label_kept_in_both_languages_reads_in_the_pages_language_and_falls_back_to_vietnamese():
    labels = {"vi": "Đã công bố", "en": "Published"}
    with translation.override("en"):
        assert labelled(labels) == "Published"
        assert labelled({"vi": "Mới nhận", "en": ""}) == "Mới nhận"  # no English yet
    with translation.override("vi"):
        assert labelled(labels) == "Đã công bố"
    with translation.override("fr"):  # a language the site does not offer
        assert labelled(labels) == "Đã công bố"
