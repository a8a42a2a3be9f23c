"""The framework's PDF is a report a department publishes: cover, a summary written from the
results, the method, the ranking, one page per unit, the uncertainty, in Vietnamese and in
English, with title, author and language set."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def _read(client, prefix=""):
    response = client.get(prefix + reverse("indicators:report", args=["pdf"]) + "?year=2025")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def test_the_report_has_cover_summary_method_ranking_and_a_page_per_unit(client, finished_run):
    reader = _read(client)
    pages = [p.extract_text() for p in reader.pages]
    assert "Báo cáo năm 2025" in pages[0] and "Sở Khoa học và Công nghệ" in pages[0]
    assert "Tóm tắt" in pages[1] and "Phương pháp" in pages[1]
    assert "dẫn đầu" in pages[1] and "trụ cột mạnh nhất" in pages[1]  # findings written from the results
    assert "Chuẩn hóa" in pages[1] and "2023–2025" in pages[1]
    for name in ("Quận 1", "Quận 3", "TP. Thủ Đức", "Huyện Củ Chi"):
        assert any(name in page and "Điểm các trụ cột" in page for page in pages), name  # its own page
    meta = reader.metadata
    assert meta.title.startswith("Chỉ số thử nghiệm") and meta.author == "Sở Khoa học và Công nghệ TP. Hồ Chí Minh"
    assert reader.trailer["/Root"]["/Lang"] == "vi"


def test_the_report_reads_in_english(client, finished_run):
    reader = _read(client, "/en")
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Report 2025" in text and "Summary" in text and "Method" in text and "leads the" in text
    assert reader.metadata.title.startswith("Test index") and reader.trailer["/Root"]["/Lang"] == "en"


def test_the_method_page_says_which_units_and_why_and_how_older_figures_are_converted(client, finished_run):
    home = client.get(reverse("indicators:home")).content.decode()
    assert reverse("indicators:method") in home
    page = client.get("/en" + reverse("indicators:method")).content.decode()
    assert "Which units are compared, and why" in page and "34 provinces" in page
    assert "share of the district's former wards" in page
    assert "Normalisation" in page


@pytest.mark.parametrize(("prefix", "names"), [
    ("", ("trung bình của các đơn vị khác", "thang 0–100 theo phương pháp min–max", "trọng số bằng nhau", "trung bình cộng")),
    ("/en", ("the mean of the other units", "min–max rescaling to a 0–100 scale", "equal weights", "arithmetic means")),
])
def test_the_method_names_its_choices_in_words_in_the_pdf_and_on_the_method_page(client, finished_run, prefix, names):
    """The run's spec says ``mean``, ``minmax``, ``equal``, ``arithmetic``: a reader sees their names."""
    pdf = " ".join(" ".join(p.extract_text().split()) for p in _read(client, prefix).pages)
    translation.activate("vi")  # the request left its language active; the URLs are reversed bare
    page = client.get(prefix + reverse("indicators:method")).content.decode()
    for name in names:
        assert name in pdf and name in page, name
    for code in ("minmax", "arithmetic", "(mean)", "equal weights weights"):
        assert code not in pdf.replace("arithmetic means", "") and code not in page.replace("arithmetic means", ""), code


def test_the_data_line_counts_its_computed_indicators_in_the_right_number(client, finished_run):
    """'1 indicator computed', not '1 indicators computed' (Vietnamese has one form)."""
    from innohub.indicators.models import Indicator

    text = " ".join(" ".join(p.extract_text().split()) for p in _read(client, "/en").pages)
    computed = Indicator.objects.filter(framework=finished_run.framework, source="computed").count()
    assert computed == 1  # the fixture computes one indicator from the records
    noun = "indicator"
    assert f"{computed} {noun} computed from the platform's records" in text
    assert "1 indicators computed" not in text
