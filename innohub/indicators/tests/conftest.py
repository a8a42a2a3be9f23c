"""A small framework (two pillars, five indicators, four districts, three years) for the
platform tests: small enough to check by eye, large enough for every step."""

from __future__ import annotations

import pytest

from innohub.indicators import services
from innohub.indicators.models import Framework, Unit, Value

UNITS = [
    ("Q1", "Quận 1", "District 1", "urban"),
    ("Q3", "Quận 3", "District 3", "urban"),
    ("TPTD", "TP. Thủ Đức", "Thu Duc City", "urban"),
    ("HCC", "Huyện Củ Chi", "Cu Chi District", "suburban"),
]
# indicator -> unit -> value (2023, 2024, 2025)
DATA = {
    "A1": {"Q1": (10, 12, 14), "Q3": (8, 9, 9), "TPTD": (9, 11, 13), "HCC": (2, 3, 3)},
    "A2": {"Q1": (5, 5, 6), "Q3": (7, 7, 8), "TPTD": (6, 7, 7), "HCC": (1, 1, 2)},
    "B1": {"Q1": (90, 91, 93), "Q3": (85, 86, 88), "TPTD": (80, 84, 90), "HCC": (60, 62, 65)},
    "B2": {"Q1": (4, 4, 3), "Q3": (5, 5, 5), "TPTD": (6, 5, 4), "HCC": (9, 9, 8)},  # lower is better
}
YEARS = (2023, 2024, 2025)


def small_definition(**changes):
    definition = {
        "code": "test-index",
        "name": "Chỉ số thử nghiệm",
        "name_en": "Test index",
        "is_published": True,
        "spec": {"steps": [
            {"step": "impute", "method": "mean"},
            {"step": "normalise", "method": "minmax", "low": 0, "high": 100},
            {"step": "aggregate", "method": "arithmetic", "weights": "equal"},
        ]},
        "uncertainty": {"weight_noise": 0.2, "weight_sets": 20, "aggregation": ["arithmetic", "geometric"],
                        "normalisation": [{"method": "minmax", "low": 1, "high": 100}, {"method": "rank"}],
                        "runs": 60},
        "aggregates": [
            {"code": "INDEX", "name": "Chỉ số", "name_en": "Index", "level": 3},
            {"code": "A", "name": "Thể chế", "name_en": "Institutions", "level": 2, "parent": "INDEX"},
            {"code": "B", "name": "Tác động", "name_en": "Impact", "level": 2, "parent": "INDEX"},
        ],
        "indicators": [
            {"code": "A1", "parent": "A", "name": "Hồ sơ đúng hạn", "name_en": "Files on time", "measure": "%"},
            {"code": "A2", "parent": "A", "name": "Cải cách hành chính", "name_en": "Reform score",
             "measure": "điểm", "measure_en": "points", "source_note": "Cục Thống kê (thử nghiệm)",
             "source_note_en": "Statistics Office (test)"},
            {"code": "B1", "parent": "B", "name": "Thu nhập", "name_en": "Income", "measure": "triệu đồng",
             "measure_en": "million VND"},
            {"code": "B2", "parent": "B", "name": "Số ngày đăng ký", "name_en": "Days to register", "direction": -1},
            {"code": "S1", "parent": "B", "name": "Khởi nghiệp", "name_en": "Startups", "source": "computed",
             "calculator": "startups_active", "weight": 0},
        ],
    }
    definition.update(changes)
    return definition


# the 2025 commune each test unit counts the platform's records in (the names stay the test's)
COMMUNES = {"Q1": "26740", "Q3": "27139", "TPTD": "26842", "HCC": "27553"}


@pytest.fixture
def units(db):
    return {
        code: Unit.objects.create(code=code, name=name, name_en=name_en, commune_id=COMMUNES[code], groups={"area": area})
        for code, name, name_en, area in UNITS
    }


@pytest.fixture
def framework(db, units) -> Framework:
    return services.framework_create(definition=small_definition(), actor=None)


@pytest.fixture
def with_values(framework, units) -> Framework:
    indicators = {i.code: i for i in framework.indicators.all()}
    Value.objects.bulk_create([
        Value(unit=units[u], indicator=indicators[code], year=year, value=v, source=Value.Source.IMPORTED)
        for code, by_unit in DATA.items() for u, series in by_unit.items() for year, v in zip(YEARS, series, strict=True)
    ])
    return framework


@pytest.fixture
def finished_run(with_values, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(framework=with_values, year_from=2023, year_to=2025, actor=None, monte_carlo_runs=60)
    run.refresh_from_db()
    return run


@pytest.fixture(autouse=True)
def _vietnamese():
    """Each test starts in Vietnamese (the default), whatever language an earlier request left."""
    from django.utils import translation

    with translation.override("vi"):
        yield
