"""Given the index's services, when statistics are imported, platform indicators computed and
runs executed, then values, results, traces and audit events are what a manager expects, and a
bad file changes nothing while reporting every problem at once."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import Workbook

from innohub.activity.models import Event
from innohub.core.errors import ApplicationError
from innohub.directory.tests.factories import OrganisationFactory
from innohub.indicators import services
from innohub.indicators.imports import MAX_BYTES
from innohub.indicators.models import Result, Run, SensitivityIndex, UncertaintyResult, Value
from innohub.indicators.tasks import execute_run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages(_vietnamese):
    """The messages are checked in English (their msgids); the pages test the Vietnamese."""
    from django.utils import translation

    with translation.override("en"):
        yield


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def problems_of(excinfo) -> list[dict]:
    return excinfo.value.extra["problems"]


def test_a_clean_csv_is_imported_and_a_second_import_updates(framework, users):
    data = csv_bytes("unit,indicator,year,value,note\nQ1,A1,2024,12.5,\nQuận 3,a2,2024,\"7,25\",ước tính\n")
    summary = services.values_import(framework=framework, data=data, filename="stats.csv", actor=users["officer"])
    assert summary == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "conversions": []}
    assert Value.objects.get(unit__code="Q3", indicator__code="A2").value == 7.25
    again = services.values_import(
        framework=framework, data=csv_bytes("unit,indicator,year,value\nQ1,A1,2024,13\nQ3,A2,2024,7.25\n"),
        filename="stats.csv", actor=users["manager"],
    )
    assert again["updated"] == 2  # A1 changed; A2's note was dropped
    assert Value.objects.get(unit__code="Q1", indicator__code="A1").value == 13
    assert Event.objects.filter(action="indicator_value.imported").count() == 2


def test_a_semicolon_separated_csv_from_vietnamese_excel_is_imported(framework, users):
    """Given a file saved by Excel set to Vietnamese ("CSV UTF-8": a BOM, ';' between fields,
    a decimal comma, CRLF), when it is imported, then every value is stored as a number."""
    data = "\ufeffunit;indicator;year;value;note\r\nQ1;A1;2024;12,5;\r\nQuận 3;a2;2024;7,25;ước tính\r\n".encode()
    summary = services.values_import(framework=framework, data=data, filename="so-lieu.csv", actor=users["officer"])
    assert summary == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "conversions": []}
    assert Value.objects.get(unit__code="Q1", indicator__code="A1").value == 12.5
    assert Value.objects.get(unit__code="Q3", indicator__code="A2").note == "ước tính"


def test_a_unicode_text_file_from_excel_is_imported(framework, users):
    """Excel's "Unicode text" is UTF-16 with a BOM and tabs between fields."""
    data = "unit\tindicator\tyear\tvalue\r\nQ1\tA1\t2024\t3\r\n".encode("utf-16")
    summary = services.values_import(framework=framework, data=data, filename="so-lieu.csv", actor=users["officer"])
    assert summary["created"] == 1 and Value.objects.get().value == 3


def test_an_xlsx_file_is_imported(framework, users):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Unit", "Indicator", "Year", "Value"])
    sheet.append(["TPTD", "B1", 2025, 88.5])
    sheet.append(["Thu Duc City", "B2", 2025.0, 4])
    buffer = io.BytesIO()
    workbook.save(buffer)
    summary = services.values_import(framework=framework, data=buffer.getvalue(), filename="s.xlsx", actor=users["manager"])
    assert summary["created"] == 2


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("unit,indicator,value\nQ1,A1,3\n", [(1, "year", "Missing column")]),
        ("unit,indicator,year,value,colour\nQ1,A1,2024,3,red\n", [(1, "colour", "Unknown column")]),
        ("unit,indicator,year,value\nQ1,A1,2024,abc\n", [(2, "value", "not a number")]),
        ("unit,indicator,year,value\nQ99,A1,2024,1\n", [(2, "unit", "Unknown unit")]),
        ("unit,indicator,year,value\nQ1,ZZ9,2024,1\n", [(2, "indicator", "Unknown indicator")]),
        ("unit,indicator,year,value\nQ1,S1,2024,1\n", [(2, "indicator", "cannot be imported")]),
        ("unit,indicator,year,value\nQ1,A1,20x4,1\nQ1,A1,1800,1\n", [(2, "year", "not a year"), (3, "year", "between")]),
        ("unit,indicator,year,value\nQ1,A1,2024,1\nQ1,A1,2024,2\n", [(3, "", "Duplicate of row 2")]),
        ("unit,indicator,year,value\nQ1,A1,2024,\n", [(2, "value", "empty")]),
        ("unit,indicator,year,value\n", [(2, "", "no data rows")]),
    ],
)
def test_a_bad_file_is_refused_with_every_problem_and_nothing_is_written(framework, users, content, expected):
    with pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=framework, data=csv_bytes(content), filename="bad.csv", actor=users["manager"])
    found = problems_of(excinfo)
    assert len(found) == len(expected)
    for problem, (row, column, text) in zip(found, expected, strict=True):
        assert problem["row"] == row and problem["column"] == column and text in problem["message"]
    assert not Value.objects.exists()
    assert not Event.objects.filter(action="indicator_value.imported").exists()


def test_every_problem_of_a_file_is_reported_at_once(framework, users):
    content = "unit,indicator,year,value\nQ1,A1,2024,1\nQ99,A1,2024,x\nQ1,NOPE,2024,2\nQ1,A1,2024,5\n"
    with pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=framework, data=csv_bytes(content), filename="bad.csv", actor=users["manager"])
    rows = [(p["row"], p["column"]) for p in problems_of(excinfo)]
    assert rows == [(3, "unit"), (3, "value"), (4, "indicator"), (5, "")]
    assert not Value.objects.exists()


def test_a_file_in_the_wrong_encoding_is_refused(framework, users):
    # Windows-1258 as old Excel saves Vietnamese (decomposed tones): not UTF-8
    data = csv_bytes("unit,indicator,year,value,note\nQ1,A1,2024,1,So lieu \u01b0\u01a1c\n", "cp1258")
    with pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=framework, data=data, filename="bad.csv", actor=users["manager"])
    assert "UTF-8" in problems_of(excinfo)[0]["message"]


def test_a_huge_file_and_a_broken_workbook_are_refused(framework, users):
    huge = b"unit,indicator,year,value\n" + b"Q1,A1,2024,1\n" * (MAX_BYTES // 12)
    with pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=framework, data=huge, filename="huge.csv", actor=users["manager"])
    assert "larger than" in problems_of(excinfo)[0]["message"]
    with pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=framework, data=b"not a zip", filename="x.xlsx", actor=users["manager"])
    assert "XLSX" in problems_of(excinfo)[0]["message"]
    with pytest.raises(ApplicationError):
        services.values_import(framework=framework, data=b"a", filename="x.pdf", actor=users["manager"])
    assert not Value.objects.exists()


@pytest.mark.parametrize("role", ["visitor", "applicant", "reviewer"])
def test_only_staff_may_import(framework, users, role):
    with pytest.raises(PermissionDenied):
        services.values_import(framework=framework, data=csv_bytes("unit,indicator,year,value\nQ1,A1,2024,1\n"),
                               filename="s.csv", actor=users[role])
    assert not Value.objects.exists()


def test_platform_indicators_are_computed_per_commune_and_year(framework, users):
    OrganisationFactory(commune_id="26740", founded_on=dt.date(2023, 5, 1))
    OrganisationFactory(commune_id="26740", founded_on=dt.date(2024, 5, 1))
    OrganisationFactory(commune_id="27553", founded_on=dt.date(2025, 1, 1))
    summary = services.indicators_compute(framework=framework, years=[2023, 2024, 2025], actor=users["manager"])
    values = {(v.unit.code, v.year): v.value for v in Value.objects.filter(indicator__code="S1").select_related("unit")}
    assert values[("Q1", 2023)] == 1 and values[("Q1", 2024)] == 2 and values[("Q1", 2025)] == 2
    assert values[("HCC", 2024)] == 0 and values[("HCC", 2025)] == 1
    assert values[("Q3", 2025)] == 0  # a commune without startups has none, not a gap
    assert summary["skipped"] == []
    assert all(v.source == "computed" for v in Value.objects.filter(indicator__code="S1"))
    # computing again replaces, it does not add
    services.indicators_compute(framework=framework, years=[2023, 2024, 2025], actor=users["manager"])
    assert Value.objects.filter(indicator__code="S1").count() == 12


def test_a_run_is_computed_by_its_task_with_results_and_trace(finished_run):
    run = finished_run
    assert run.status == Run.Status.SUCCEEDED, run.error
    index = {r.unit.code: r for r in Result.objects.filter(run=run, code="INDEX", year=2025).select_related("unit")}
    assert [c for c, _ in sorted(index.items(), key=lambda kv: kv[1].rank)][0] == "Q1"
    assert index["HCC"].rank == 4 and index["HCC"].score == pytest.approx(0.0, abs=1e-9)
    # every unit, every code (5 indicators, 2 pillars, index), every year
    assert Result.objects.filter(run=run).count() == 4 * 8 * 3
    assert [step["step"] for step in run.trace] == ["impute", "normalise", "aggregate"]
    assert run.framework_snapshot["code"] == "test-index" and run.spec["steps"][0]["step"] == "impute"
    assert Event.objects.filter(action="indicator_run.succeeded", target_id=str(run.pk)).exists()
    # the Monte Carlo analysis followed
    assert run.uncertainty_status == Run.Status.SUCCEEDED, run.uncertainty_error
    assert UncertaintyResult.objects.filter(run=run).count() == 4
    assert set(SensitivityIndex.objects.filter(run=run).values_list("choice", flat=True)) == {
        "weights", "normalisation", "aggregation"}
    for u in UncertaintyResult.objects.filter(run=run):
        assert u.rank_p5 <= u.median_rank <= u.rank_p95


def test_a_task_run_twice_does_nothing_the_second_time(finished_run):
    before = Result.objects.filter(run=finished_run).count()
    execute_run.call(run_id=finished_run.pk)
    services.uncertainty_execute(run_id=finished_run.pk)
    assert Result.objects.filter(run=finished_run).count() == before
    assert Event.objects.filter(action="indicator_run.succeeded").count() == 1


def test_the_uncertainty_analysis_can_be_asked_again(finished_run, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.uncertainty_start(run=finished_run, actor=users["manager"], runs=50)
    finished_run.refresh_from_db()
    assert finished_run.uncertainty_status == Run.Status.SUCCEEDED
    assert finished_run.uncertainty_setup["runs"] == 50
    assert UncertaintyResult.objects.filter(run=finished_run).count() == 4


def test_a_run_without_values_is_refused_and_a_broken_spec_fails_the_run(with_values, users):
    with pytest.raises(ApplicationError):
        services.run_start(framework=with_values, year_from=2010, year_to=2011, actor=users["manager"])
    with pytest.raises(ApplicationError):
        services.run_start(framework=with_values, year_from=2025, year_to=2023, actor=users["manager"])
    run = services.run_start(framework=with_values, year_from=2023, year_to=2025, actor=users["manager"])
    Run.objects.filter(pk=run.pk).update(spec={"steps": [{"step": "normalise", "method": "nope"}]})
    run = services.run_execute(run_id=run.pk)
    assert run.status == Run.Status.FAILED and "nope" in run.error
    assert not Result.objects.filter(run=run).exists()


def test_a_failed_run_reads_in_each_readers_language(with_values, users, client_for):
    # Given a run whose spec the engine refuses, when it fails in the background (no reader's
    # language then), then its page gives the problem in Vietnamese at / and in English at /en/.
    run = services.run_start(framework=with_values, year_from=2023, year_to=2025, actor=users["manager"])
    Run.objects.filter(pk=run.pk).update(spec={"steps": [{"step": "normalise", "method": "nope"}]})
    with translation.override("en"):
        run = services.run_execute(run_id=run.pk)
    assert run.status == Run.Status.FAILED and run.error_problems
    with translation.override("vi"):
        vietnamese = run.error_shown
    with translation.override("en"):
        english = run.error_shown
    assert english == run.error and "nope" in vietnamese and vietnamese != english
    manager = client_for("manager")
    with translation.override("vi"):
        path = reverse("indicators:run", args=[run.pk])
    page = manager.get(path).content.decode()
    assert '<html lang="vi">' in page and escape(vietnamese) in page
    english_page = manager.get("/en" + path).content.decode()
    assert escape(english) in english_page
    # the API gives it in the language the client accepts
    api = manager.get(f"/api/v1/indicators/runs/{run.pk}", HTTP_ACCEPT_LANGUAGE="vi").json()
    assert api["error"] == vietnamese
    assert manager.get(f"/api/v1/indicators/runs/{run.pk}", HTTP_ACCEPT_LANGUAGE="en").json()["error"] == english
    # a run that failed before the problems were kept shows its stored text
    Run.objects.filter(pk=run.pk).update(error_problems=[])
    run.refresh_from_db()
    assert run.error_shown == run.error


def test_the_spec_changes_with_a_new_version_and_a_bad_one_is_refused(framework, users):
    spec = {"steps": [{"step": "normalise", "method": "zscore"}, {"step": "aggregate"}]}
    services.framework_update_spec(framework=framework, spec=spec, uncertainty=None, actor=users["manager"])
    assert framework.version == 2
    with pytest.raises(ApplicationError) as excinfo:
        services.framework_update_spec(framework=framework, spec={"steps": [{"step": "sing"}]}, uncertainty=None,
                                       actor=users["administrator"])
    assert any("sing" in p for p in excinfo.value.extra["problems"])
    framework.refresh_from_db()
    assert framework.version == 2
    with pytest.raises(PermissionDenied):
        services.framework_update_spec(framework=framework, spec=spec, uncertainty=None, actor=users["officer"])


def test_an_inconsistent_framework_is_refused():
    from innohub.indicators.tests.conftest import small_definition

    bad = small_definition(code="bad")
    bad["indicators"][0]["parent"] = "NOWHERE"
    with pytest.raises(ApplicationError) as excinfo:
        services.framework_create(definition=bad, actor=None)
    assert any("NOWHERE" in p for p in excinfo.value.extra["problems"])


def _a_bad_tree():
    """The small framework with code taken, an indicator under no pillar, a bogus imputation and an
    unknown platform calculation: four problems the engine and the service find."""
    from innohub.indicators.tests.conftest import small_definition

    bad = small_definition()
    bad["indicators"][0]["parent"] = "NOWHERE"
    bad["indicators"][4]["calculator"] = "nope"
    bad["spec"] = {"steps": [{"step": "impute", "method": "bogus"}, *bad["spec"]["steps"][1:]]}
    return bad


def _nothing_changed() -> tuple[int, int, int, int]:
    from innohub.indicators.models import Aggregate, Framework, Indicator

    return (Framework.objects.count(), Aggregate.objects.count(), Indicator.objects.count(),
            Event.objects.filter(action="indicator_framework.created").count())


def test_a_bad_framework_reads_in_vietnamese_with_every_problem_and_nothing_is_created(framework):
    from django.utils import translation

    before = _nothing_changed()
    with translation.override("vi"), pytest.raises(ApplicationError) as excinfo:
        services.framework_create(definition=_a_bad_tree(), actor=None)
    assert str(excinfo.value.message) == "Bộ chỉ số không hợp lệ: 4 lỗi. Chưa có gì được lưu."
    assert problems_of(excinfo) == [
        "chỉ tiêu A1: mục cha 'NOWHERE' không phải là chỉ số tổng hợp cấp 2",
        "spec: bước 1 (impute): method phải là một trong mean, median, group_mean, group_median, linear, "
        "last_value, none, không phải 'bogus'",
        "chỉ tiêu S1: không có phép tính 'nope'",
        "đã có bộ chỉ số mã test-index",
    ]
    assert _nothing_changed() == before


def test_a_bad_framework_reads_in_english_on_english_requests(framework):
    with pytest.raises(ApplicationError) as excinfo:
        services.framework_create(definition=_a_bad_tree(), actor=None)
    assert str(excinfo.value.message) == "The framework is not valid: 4 problems. Nothing was saved."
    assert problems_of(excinfo)[0] == "indicator A1: parent 'NOWHERE' is not a level-2 aggregate"
    assert problems_of(excinfo)[3] == "a framework with the code test-index already exists"


def test_a_framework_of_the_wrong_shape_is_refused_in_the_readers_language_before_the_engine_sees_it(db):
    from django.utils import translation

    from innohub.indicators.tests.conftest import small_definition

    bad = small_definition(name="")
    bad["aggregates"][1]["level"] = "two"
    bad["indicators"][2]["weight"] = "heavy"
    del bad["indicators"][1]["parent"]
    bad["indicators"][3]["parent"] = ["B"]
    before = _nothing_changed()
    with translation.override("vi"), pytest.raises(ApplicationError) as excinfo:
        services.framework_create(definition=bad, actor=None)
    assert problems_of(excinfo) == [
        "bộ chỉ số thiếu name",
        "chỉ số tổng hợp A: level phải là một số nguyên, không phải 'two'",
        "chỉ tiêu A2: thiếu parent",
        "chỉ tiêu B1: weight phải là một số, không phải 'heavy'",
        "chỉ tiêu B2: parent phải là văn bản, không phải ['B']",
    ]
    with pytest.raises(ApplicationError) as excinfo:
        services.framework_create(definition=[bad], actor=None)
    assert str(excinfo.value.message) == "The framework is not valid: 2 problems. Nothing was saved."
    assert problems_of(excinfo)[0] == "the definition must be a mapping with code, name, spec, aggregates and indicators"
    assert _nothing_changed() == before


def test_a_monte_carlo_set_up_of_the_wrong_types_is_refused_in_vietnamese_and_the_version_kept(framework, users):
    from django.utils import translation

    setup = {"weight_noise": "high", "imputation": ["mean"], "runs": 2.5}
    with translation.override("vi"), pytest.raises(ApplicationError) as excinfo:
        services.framework_update_spec(framework=framework, spec=framework.spec, uncertainty=setup,
                                       actor=users["manager"])
    assert str(excinfo.value.message).startswith("Cấu hình Monte Carlo không hợp lệ: 3 lỗi")
    assert problems_of(excinfo) == [
        "weight_noise phải là một số, không phải 'high'",
        "runs phải là một số nguyên, không phải 2.5",
        "phương án 'mean' của imputation phải là một ánh xạ các tham số",
    ]
    framework.refresh_from_db()
    assert framework.version == 1 and framework.uncertainty["weight_noise"] == 0.2
