"""Given a finished run, when people open the index's pages and reports, then they see the
ranking, a unit's profile, the uncertainty of the ranking and files that open, in both
languages; staff pages show imports and runs with their trace."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from innohub.indicators.models import Run, Value

pytestmark = pytest.mark.django_db


def test_the_ranking_shows_every_unit_with_scores_in_vietnamese_format(client, finished_run):
    response = client.get(reverse("indicators:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quận 1" in html and "Huyện Củ Chi" in html
    assert "<svg" in html and 'role="img"' in html
    top = finished_run.results.get(code="INDEX", year=2025, rank=1)
    assert f"{top.score:.2f}".replace(".", ",") in html


def test_the_ranking_in_english_uses_english_names_and_decimal_points(client, finished_run):
    html = client.get("/en" + reverse("indicators:home")).content.decode()
    assert "Cu Chi District" in html and "Institutions" in html
    top = finished_run.results.get(code="INDEX", year=2025, rank=1)
    assert f"{top.score:.2f}" in html


def test_the_ranking_sorts_by_a_pillar_and_by_name(client, finished_run):
    rows = client.get(reverse("indicators:home"), {"sort": "name", "order": "asc"}).context["rows"]
    names = [r.unit.name for r in rows]
    assert names == ["Huyện Củ Chi", "Quận 1", "Quận 3", "TP. Thủ Đức"]
    rows = client.get(reverse("indicators:home"), {"sort": "B", "order": "asc"}).context["rows"]
    scores = [r.scores["B"] for r in rows]
    assert scores == sorted(scores)
    rows = client.get(reverse("indicators:home"), {"year": "2023", "sort": "nope"}).context["rows"]
    assert [r.index_rank for r in rows] == [1, 2, 3, 4]


def test_a_unit_profile_has_pillars_strengths_weaknesses_and_trends(client, finished_run):
    response = client.get(reverse("indicators:unit", args=["HCC"]))
    assert response.status_code == 200
    profile = response.context["profile"]
    assert profile.index_rank == 4 and profile.units_ranked == 4
    assert [p["code"] for p in profile.pillars] == ["A", "B"]
    assert profile.years == [2023, 2024, 2025] and len(profile.trend["INDEX"]) == 3
    assert profile.weaknesses and profile.weaknesses[0]["rank"] == 4
    html = response.content.decode()
    assert "Điểm mạnh" in html or "Strengths" in html
    assert client.get(reverse("indicators:unit", args=["NOPE"])).status_code == 404


def test_the_sensitivity_page_shows_intervals(client, finished_run):
    response = client.get(reverse("indicators:sensitivity"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 4
    assert "<svg" in response.content.decode()


def test_pages_without_results_say_so(client, with_values):
    assert client.get(reverse("indicators:home")).status_code == 200
    assert client.get(reverse("indicators:unit", args=["Q1"])).status_code == 404
    assert client.get(reverse("indicators:report", args=["pdf"])).status_code == 404


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_unit_report_pdf_is_in_vietnamese_with_its_scores(client, finished_run):
    response = client.get(reverse("indicators:unit-report", args=["TPTD", "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "TP. Thủ Đức" in text and "Thể chế" in text and "Tác động" in text
    index = finished_run.results.get(code="INDEX", year=2025, unit__code="TPTD")
    assert f"{index.score:.2f}".replace(".", ",") in text
    fonts = PdfReader(io.BytesIO(response.content)).pages[0]["/Resources"]["/Font"]
    assert any("DejaVuSans" in str(font.get_object()["/BaseFont"]) for font in fonts.values())


def test_the_framework_report_pdf_in_english(client, finished_run):
    response = client.get("/en" + reverse("indicators:report", args=["pdf"]))
    text = pdf_text(response.content)
    assert "Test index" in text and "Ranking" in text and "Cu Chi District" in text
    assert "Uncertainty of the ranking" in text


def test_the_xlsx_reports_hold_the_numbers(client, finished_run):
    content = client.get(reverse("indicators:report", args=["xlsx"])).content
    workbook = load_workbook(io.BytesIO(content))
    ranking = workbook.worksheets[0]
    rows = list(ranking.iter_rows(values_only=True))
    assert rows[0][:3] == ("Hạng", "Mã đơn vị", "Đơn vị")
    assert rows[1][0] == 1 and rows[1][1] == "Q1"
    assert len(rows) == 5
    top = finished_run.results.get(code="INDEX", year=2025, rank=1)
    assert rows[1][3] == top.score
    unit_book = load_workbook(io.BytesIO(client.get(reverse("indicators:unit-report", args=["Q3", "xlsx"])).content))
    pillars = list(unit_book.worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in pillars[1:]] == ["INDEX", "A", "B"]
    trends = list(unit_book.worksheets[2].iter_rows(values_only=True))
    assert trends[0][2:] == (2023, 2024, 2025)


def test_staff_import_reports_problems_and_imports_a_clean_file(client_for, framework):
    client = client_for("officer")
    url = reverse("indicators:import")
    bad = io.BytesIO(b"unit,indicator,year,value\nQ1,A1,2024,abc\nQ9,A1,2024,1\n")
    bad.name = "bad.csv"
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert [p["row"] for p in response.context["problems"]] == [2, 3]
    assert not Value.objects.exists()
    good = io.BytesIO(b"unit,indicator,year,value\nQ1,A1,2024,5\n")
    good.name = "good.csv"
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert Value.objects.count() == 1


def test_a_manager_starts_a_run_and_reads_its_trace(client_for, with_values, django_capture_on_commit_callbacks):
    client = client_for("manager")
    assert client.get(reverse("indicators:staff")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("indicators:run-start", args=["test-index"]),
                               {"year_from": 2023, "year_to": 2025, "monte_carlo_runs": 0})
    run = Run.objects.get()
    assert response.status_code == 302 and run.status == Run.Status.SUCCEEDED
    page = client.get(reverse("indicators:run", args=[run.pk]))
    assert page.status_code == 200 and "impute" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("indicators:uncertainty", args=[run.pk]), {"runs": 40})
    run.refresh_from_db()
    assert run.uncertainty_status == Run.Status.SUCCEEDED
    response = client.post(reverse("indicators:compute", args=["test-index"]), {"year_from": 2023, "year_to": 2025})
    assert response.status_code == 302


def test_the_ranking_page_needs_few_queries(client, finished_run, django_assert_max_num_queries):
    client.get(reverse("indicators:home"))  # charts are cached after the first request
    with django_assert_max_num_queries(12):
        assert client.get(reverse("indicators:home")).status_code == 200


def test_a_manager_changes_the_spec_and_a_bad_one_is_shown_with_its_problems(client_for, framework):
    import json

    from innohub.indicators.models import Framework

    client = client_for("manager")
    url = reverse("indicators:configure", args=["test-index"])
    page = client.get(url)
    assert page.status_code == 200 and "minmax" in page.content.decode()
    bad = client.post(url, {"spec": json.dumps({"steps": [{"step": "normalise", "method": "magic"}]}), "uncertainty": ""})
    assert bad.status_code == 400 and any("magic" in p for p in bad.context["problems"])
    assert client.post(url, {"spec": "{not json", "uncertainty": ""}).status_code == 400
    assert Framework.objects.get().version == 1
    good = {"steps": [{"step": "normalise", "method": "zscore"}, {"step": "aggregate"}]}
    response = client.post(url, {"spec": json.dumps(good), "uncertainty": json.dumps({"weight_noise": 0.1})})
    assert response.status_code == 302
    framework = Framework.objects.get()
    assert framework.version == 2 and framework.spec == good and framework.uncertainty == {"weight_noise": 0.1}


def test_a_runs_trace_names_its_steps_in_the_pages_language_with_their_codes(client_for, finished_run):
    client = client_for("manager")
    url = reverse("indicators:run", args=[finished_run.pk])
    vietnamese = client.get(url).content.decode()
    assert "1. Bù dữ liệu thiếu</strong> <code>impute</code>" in vietnamese
    assert "2. Chuẩn hóa</strong> <code>normalise</code>" in vietnamese
    assert "3. Tổng hợp</strong> <code>aggregate</code>" in vietnamese
    english = client.get("/en" + url).content.decode()
    assert "1. Imputation of missing data</strong> <code>impute</code>" in english


def test_a_run_with_bad_years_or_runs_is_refused_with_each_fields_error_and_the_input_kept(client_for, with_values):
    client = client_for("manager")
    url = reverse("indicators:run-start", args=["test-index"])
    response = client.post(url, {"year_from": 2025, "year_to": 2021, "monte_carlo_runs": -3})
    assert response.status_code == 400 and not Run.objects.exists()
    form = response.context["run_form"]
    assert set(form.errors) == {"year_to", "monte_carlo_runs"}
    html = response.content.decode()
    assert "Năm cuối không được trước năm đầu (2025)." in html
    assert 'name="year_from" value="2025"' in html and 'name="year_to" value="2021"' in html
    assert 'name="monte_carlo_runs" value="-3"' in html
    response = client.post(url, {"year_from": 2023, "year_to": 2025, "monte_carlo_runs": 5})
    assert response.status_code == 400 and "monte_carlo_runs" in response.context["run_form"].errors
    response = client.post(url, {"year_from": 2010, "year_to": 2012, "monte_carlo_runs": 0})
    assert response.status_code == 400 and not Run.objects.exists()
    assert "Chưa có số liệu cho các năm này" in response.content.decode()


def test_a_bad_method_in_the_spec_or_the_monte_carlo_set_up_is_shown_under_its_field(client_for, framework):
    import json

    from innohub.indicators.models import Framework

    client = client_for("manager")
    url = reverse("indicators:configure", args=["test-index"])
    steps = framework.spec["steps"]
    bad_spec = {"steps": [{"step": "impute", "method": "bogus"}, *steps[1:]]}
    response = client.post(url, {"spec": json.dumps(bad_spec), "uncertainty": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["spec"] and any("bước 1 (impute)" in e and "'bogus'" in e for e in errors["spec"])
    assert "Cấu hình quy trình tính không hợp lệ: 1 lỗi" in response.content.decode()
    bad_setup = {**framework.uncertainty, "normalisation": [{"method": "minmax"}, {"method": "magic"}]}
    response = client.post(url, {"spec": json.dumps(framework.spec), "uncertainty": json.dumps(bad_setup)})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["uncertainty"] and any("normalisation" in e and "'magic'" in e for e in errors["uncertainty"])
    assert Framework.objects.get().version == 1


@pytest.mark.parametrize(("role", "import_link", "staff_link"), [
    (None, False, False), ("visitor", False, False), ("applicant", False, False), ("reviewer", False, False),
    ("officer", True, False), ("manager", True, True), ("administrator", True, True),
])
def test_the_public_index_page_links_staff_to_the_pages_they_may_open(client, client_for, finished_run, role,
                                                                      import_link, staff_link):
    viewer = client_for(role) if role else client
    html = viewer.get(reverse("indicators:home")).content.decode()
    assert (f'href="{reverse("indicators:import")}?framework=test-index"' in html) is import_link
    assert (f'href="{reverse("indicators:staff")}?framework=test-index"' in html) is staff_link
    if import_link:
        assert "Nhập số liệu thống kê" in html
        assert viewer.get(reverse("indicators:import")).status_code == 200


def test_a_bad_specs_problems_read_in_the_pages_language(client_for, framework):
    import json

    from innohub.indicators.models import Framework

    client = client_for("manager")
    steps = framework.spec["steps"]
    bad_spec = {"steps": [{"step": "impute", "method": "bogus"}, *steps[1:], {"step": "aggregate", "power": "x"}]}
    data = {"spec": json.dumps(bad_spec), "uncertainty": ""}
    vietnamese = client.post(reverse("indicators:configure", args=["test-index"]), data)
    assert vietnamese.status_code == 400
    html = vietnamese.content.decode()
    assert ("spec: bước 1 (impute): method phải là một trong mean, median, group_mean, group_median, linear, last_value, none, "
            "không phải &#x27;bogus&#x27;") in html
    assert "power phải là một số, không phải &#x27;x&#x27;" in html
    assert "bước &#x27;aggregate&#x27; phải có đúng một lần" in html
    assert "must be one of" not in html and "must appear" not in html
    bad_setup = {**framework.uncertainty, "weight_noise": 2}
    response = client.post(reverse("indicators:configure", args=["test-index"]),
                           {"spec": json.dumps(framework.spec), "uncertainty": json.dumps(bad_setup)})
    assert response.status_code == 400 and "weight_noise phải trong khoảng [0, 1)" in response.content.decode()
    english = client.post("/en" + reverse("indicators:configure", args=["test-index"]), data)
    assert english.status_code == 400
    html = english.content.decode()
    assert "spec: step 1 (impute): method must be one of mean, median, group_mean, group_median, linear, last_value, none, not &#x27;bogus&#x27;" in html
    assert "step &#x27;aggregate&#x27; must appear exactly once" in html
    assert Framework.objects.get().version == 1


def test_a_monte_carlo_set_up_of_the_wrong_types_is_shown_in_the_pages_language(client_for, framework):
    import json

    from innohub.indicators.models import Framework

    client = client_for("manager")
    url = reverse("indicators:configure", args=["test-index"])
    data = {"spec": json.dumps(framework.spec), "uncertainty": json.dumps({"weight_noise": "high"})}
    vietnamese = client.post(url, data)
    assert vietnamese.status_code == 400
    html = vietnamese.content.decode()
    assert "Cấu hình Monte Carlo không hợp lệ: 1 lỗi" in html
    assert "weight_noise phải là một số, không phải &#x27;high&#x27;" in html
    assert "could not convert" not in html
    english = client.post("/en" + url, data)
    assert english.status_code == 400
    html = english.content.decode()
    assert "The Monte Carlo set-up is not valid: 1 problem, shown under the set-up with its key." in html
    assert "weight_noise must be a number, not &#x27;high&#x27;" in html
    assert "phải là" not in html
    assert Framework.objects.get().version == 1

def test_computing_from_the_platform_with_bad_years_is_refused_with_the_fields_error_and_the_input_kept(
    client_for, framework
):
    from innohub.indicators.models import Value

    client = client_for("manager")
    url = reverse("indicators:compute", args=["test-index"])
    values_before = Value.objects.count()
    response = client.post(url, {"year_from": 2025, "year_to": 2021})
    assert response.status_code == 400 and Value.objects.count() == values_before
    assert set(response.context["compute_form"].errors) == {"year_to"}
    assert not response.context["run_form"].errors
    html = response.content.decode()
    assert '<p class="error" id="id_compute_year_to_error">Năm cuối không được trước năm đầu (2025).</p>' in html
    assert 'name="year_from" value="2025"' in html and 'name="year_to" value="2021"' in html
    assert "Hãy chọn các năm." not in html
    response = client.post(url, {"year_from": "", "year_to": 1800})
    assert response.status_code == 400
    assert set(response.context["compute_form"].errors) == {"year_from", "year_to"}
    assert Value.objects.count() == values_before


def test_a_refused_spec_is_said_once_in_an_error_summary_that_links_to_its_field(client_for, framework):
    """Given a spec with an unknown method, when the manager saves it, then the page's error
    summary (which takes the focus) carries the refusal as its heading and links to the spec
    field, the title starts with "Lỗi:", and no second message repeats it."""
    import json

    client = client_for("manager")
    url = reverse("indicators:configure", args=["test-index"])
    bad_spec = {"steps": [{"step": "impute", "method": "bogus"}, *framework.spec["steps"][1:]]}
    html = client.post(url, {"spec": json.dumps(bad_spec), "uncertainty": ""}).content.decode()
    summary = html.split('class="form-errors error-summary"', 1)[1].split("</div>", 1)[0]
    assert "Cấu hình quy trình tính không hợp lệ: 1 lỗi" in summary.split("</h2>", 1)[0]
    assert '<a href="#id_spec">' in summary
    assert html.count("Cấu hình quy trình tính không hợp lệ: 1 lỗi") == 1
    assert "<title>Lỗi: " in html
    assert 'action="' + url + '"' in html and "novalidate" in html


def test_an_import_too_large_is_refused_with_its_size_before_it_is_read(client_for, framework):
    # Given a 6 MB CSV (the limit is 5 MB), when an officer imports it, then the page says
    # its real size, nothing is imported, and not a byte of the upload was read into memory
    from unittest import mock

    from django.core.files.uploadedfile import InMemoryUploadedFile, TemporaryUploadedFile

    big = io.BytesIO(b"unit,indicator,year,value\n" + b"Q1,A1,2024,5\n" * (6 * 1024 * 1024 // 13 + 1))
    big.name = "big.csv"

    def never(self):
        raise AssertionError("the upload was read")

    with mock.patch.object(TemporaryUploadedFile, "read", property(never)), \
            mock.patch.object(InMemoryUploadedFile, "read", property(never)):
        response = client_for("officer").post(reverse("indicators:import"), {"file": big})
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert problem["message"] == "Tệp lớn hơn 5 MB (6.0 MB); hãy chia thành nhiều tệp."
    assert not Value.objects.exists()
