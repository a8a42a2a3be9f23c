"""Given statistics published before 1 July 2025 by district and ward, when a file naming those
units is imported, then each value goes to today's communes as the method page says (a count
or amount divided by each commune's share of the district's wards, a rate or score whole), the
import reports every conversion by row, and a file naming a unit that never existed is refused
with its row and column and changes nothing."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from innohub.core.errors import ApplicationError
from innohub.indicators import services
from innohub.indicators.models import Unit, Value
from innohub.indicators.tests.conftest import small_definition

pytestmark = pytest.mark.django_db

# Quận 1's ten former wards now lie in four communes: Bến Thành 4, Cầu Ông Lãnh 3, Sài Gòn 2, Tân Định 1.
QUAN_1 = {"26743": ("Phường Bến Thành", 0.4), "26758": ("Phường Cầu Ông Lãnh", 0.3),
          "26740": ("Phường Sài Gòn", 0.2), "26737": ("Phường Tân Định", 0.1)}
THU_DUC = "26824"  # Phường Thủ Đức: 5 of TP. Thủ Đức's 34 former wards


@pytest.fixture
def commune_index(db):
    for code, (name, _share) in {**QUAN_1, THU_DUC: ("Phường Thủ Đức", 0)}.items():
        Unit.objects.create(code=f"c{code}", name=name, commune_id=code, province_id="79")
    definition = small_definition(code="communes-index")
    for item in definition["indicators"]:
        item["additive"] = item["code"] == "B1"  # income in million VND: an amount; the others rates and scores
    return services.framework_create(definition=definition, actor=None)


def values(indicator: str) -> dict[str, float]:
    return {v.unit.commune_id: v.value for v in Value.objects.filter(indicator__code=indicator).select_related("unit")}


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_by_former_district_and_ward_is_converted_and_each_conversion_reported(commune_index, users):
    data = ("unit,indicator,year,value\n"
            "Quận 1,B1,2024,1000\n"        # an amount: divided by the communes' shares
            "Q.1,A1,2024,80\n"             # a rate: whole to each commune
            "Phường Bến Nghé,A2,2024,7\n"  # a former ward: whole to the commune it became
            "760,B2,2024,5\n"              # Quận 1 by the statistics office's code
            ).encode()
    with translation.override("en"):
        summary = services.values_import(framework=commune_index, data=data, filename="2024.csv", actor=users["officer"])
    assert values("B1") == pytest.approx({code: 1000 * share for code, (_n, share) in QUAN_1.items()})
    assert sum(values("B1").values()) == pytest.approx(1000)
    assert values("A1") == {code: 80 for code in QUAN_1}
    assert values("A2") == {"26740": 7}
    assert values("B2") == {code: 5 for code in QUAN_1}
    assert summary["created"] == 13
    notes = {n["row"]: n for n in summary["conversions"]}
    assert sorted(notes) == [2, 3, 4, 5] and {n["column"] for n in notes.values()} == {"unit"}
    assert "Phường Bến Thành (40%)" in notes[2]["message"] and "Quận 1" in notes[2]["message"]
    assert "is now Phường Sài Gòn" in notes[4]["message"]


def test_an_xlsx_naming_thu_duc_city_gives_its_communes_in_the_index_their_share(commune_index, users):
    data = xlsx([["unit", "indicator", "year", "value"],
                 ["Thành phố Thủ Đức", "B1", 2023, 340], ["TP. Thủ Đức", "A1", 2023, 61.5]])
    summary = services.values_import(framework=commune_index, data=data, filename="2023.xlsx", actor=users["manager"])
    assert values("B1") == {THU_DUC: pytest.approx(50)}  # 5/34 of 340
    assert values("A1") == {THU_DUC: 61.5}
    assert [n["row"] for n in summary["conversions"]] == [2, 3]
    assert "Phường Thủ Đức" in summary["conversions"][0]["message"]


@pytest.mark.parametrize("make", ["csv", "xlsx"])
def test_a_unit_that_never_existed_is_refused_with_its_row_and_column_and_nothing_is_imported(commune_index, users, make):
    rows = [["unit", "indicator", "year", "value"], ["Quận 1", "B1", 2024, 10],
            ["Quận 99", "A1", 2024, 3], ["Huyện Atlantis", "A2", 2024, 1]]
    data = xlsx(rows) if make == "xlsx" else "\n".join(",".join(map(str, r)) for r in rows).encode()
    with translation.override("en"), pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=commune_index, data=data, filename=f"bad.{make}", actor=users["officer"])
    problems = excinfo.value.extra["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "unit"), (4, "unit")]
    assert "Quận 99" in problems[0]["message"] and "Huyện Atlantis" in problems[1]["message"]
    assert not Value.objects.exists()


def test_a_district_and_one_of_its_wards_for_the_same_year_are_refused_as_a_duplicate(commune_index, users):
    data = "unit,indicator,year,value\nQuận 1,A1,2024,80\nPhường Bến Nghé,A1,2024,75\n".encode()
    with translation.override("en"), pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=commune_index, data=data, filename="dup.csv", actor=users["officer"])
    [problem] = excinfo.value.extra["problems"]
    assert problem["row"] == 3 and "Row 2" in problem["message"]
    assert not Value.objects.exists()


def test_a_district_with_no_commune_in_the_index_is_refused(commune_index, users):
    data = "unit,indicator,year,value\nHuyện Nhà Bè,A1,2024,80\n".encode()
    with translation.override("en"), pytest.raises(ApplicationError) as excinfo:
        services.values_import(framework=commune_index, data=data, filename="x.csv", actor=users["officer"])
    [problem] = excinfo.value.extra["problems"]
    assert (problem["row"], problem["column"]) == (2, "unit") and "Xã Nhà Bè" in problem["message"]


def test_the_import_page_lists_the_conversions(commune_index, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("2024.csv", "unit,indicator,year,value\nQuận 1,B1,2024,1000\n".encode(), "text/csv")
    response = client_for("officer").post(f"{reverse('indicators:import')}?framework={commune_index.code}", {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="conversions"' in page and "Phường Bến Thành (40%)" in page
    assert Value.objects.count() == 4
