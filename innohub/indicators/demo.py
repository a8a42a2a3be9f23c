"""Demo data of the index: a framework for the city's wards and communes (since 1 July 2025) on
the seven pillars of Vietnam's Provincial Innovation Index (PII), twelve communes as units grouped
by former area, five years of plausible statistics converted from the former districts (seeded, so every run gives the same numbers, with a few gaps for the
imputation step to fill), the indicators computed from the directory and programmes, and a run
with its Monte Carlo analysis. A second run adds nothing.
"""

from __future__ import annotations

import random
from typing import Any

from innohub.activity.services import event_record
from innohub.indicators import services
from innohub.indicators.models import Framework, Indicator, Run, Unit, Value

FRAMEWORK_CODE = "pii-hcmc"
YEARS = list(range(2021, 2026))

# The units are communes of the city as it is since 1 July 2025 (the ecosystem's organisations
# are placed by commune in the directory), one in each of twelve former areas, grouped by that
# former area (and the former province: Phường Thủ Dầu Một was in Bình Dương). Why communes and
# not the 34 provinces of the national PII: the department compares places within its own city,
# and the platform's records (organisations, awards, questions) are the city's.
# code, commune code, English name, area group, strength (0-1)
UNITS = [
    ("phuong-sai-gon", "26740", "Sai Gon Ward", "urban", 0.95),
    ("phuong-xuan-hoa", "27139", "Xuan Hoa Ward", "urban", 0.8),
    ("phuong-cho-lon", "27343", "Cho Lon Ward", "urban", 0.6),
    ("phuong-tan-thuan", "27478", "Tan Thuan Ward", "urban", 0.7),
    ("phuong-dien-hong", "27169", "Dien Hong Ward", "urban", 0.75),
    ("phuong-binh-thanh", "26929", "Binh Thanh Ward", "urban", 0.65),
    ("phuong-phu-nhuan", "27073", "Phu Nhuan Ward", "urban", 0.6),
    ("phuong-tan-son-nhat", "26968", "Tan Son Nhat Ward", "urban", 0.7),
    ("phuong-go-vap", "26884", "Go Vap Ward", "urban", 0.45),
    ("phuong-tang-nhon-phu", "26842", "Tang Nhon Phu Ward", "urban", 0.9),
    ("xa-nha-be", "27655", "Nha Be Commune", "suburban", 0.3),
    ("phuong-thu-dau-mot", "25747", "Thu Dau Mot Ward", "urban", 0.55),
]
# Measures that add up (counts, amounts): a former district's figure is divided among its
# communes when converted; the others (rates, scores, per-person figures) are not.
ADDITIVE_MEASURES = {"tỷ đồng", "bài", "hợp đồng"}

PILLARS = [
    ("INS", "Thể chế", "Institutions"),
    ("HCR", "Nguồn nhân lực và nghiên cứu", "Human capital and research"),
    ("INF", "Cơ sở hạ tầng", "Infrastructure"),
    ("MKT", "Phát triển thị trường", "Market development"),
    ("BUS", "Phát triển kinh doanh", "Business development"),
    ("KTO", "Sản phẩm tri thức và công nghệ", "Knowledge and technology outputs"),
    ("IMP", "Tác động", "Impact"),
]

# code, pillar, name, English name, measure, direction, (low, high) or calculator
INDICATORS: list[tuple[str, str, str, str, str, int, Any]] = [
    ("INS1", "INS", "Hồ sơ hành chính giải quyết đúng hạn", "Administrative files settled on time", "%", 1, (85, 99)),
    ("INS2", "INS", "Điểm cải cách hành chính", "Administrative reform score", "điểm", 1, (70, 95)),
    ("INS3", "INS", "Số ngày đăng ký kinh doanh", "Days to register a business", "ngày", -1, (3, 9)),
    ("HCR1", "HCR", "Lao động qua đào tạo", "Trained workforce", "%", 1, (60, 90)),
    ("HCR2", "HCR", "Cán bộ nghiên cứu trên 10.000 dân", "Researchers per 10,000 people", "người", 1, (5, 60)),
    ("HCR3", "HCR", "Chi cho nghiên cứu và phát triển trên GRDP", "R&D spending as share of GRDP", "%", 1, (0.2, 1.5)),
    ("INF1", "INF", "Hộ gia đình có internet cáp quang", "Households with fibre internet", "%", 1, (60, 98)),
    ("INF2", "INF", "Dịch vụ công trực tuyến toàn trình", "Public services fully online", "%", 1, (30, 80)),
    ("INF3", "INF", "Diện tích không gian sáng tạo trên 10.000 dân", "Innovation space per 10,000 people", "m²", 1, (5, 200)),
    ("MKT1", "MKT", "Vốn đầu tư mạo hiểm huy động", "Venture capital raised", "tỷ đồng", 1, (0, 500)),
    ("MKT2", "MKT", "Hỗ trợ khởi nghiệp đã giải ngân", "Startup support disbursed", "triệu đồng", 1, "disbursed_amount"),
    ("MKT3", "MKT", "Trường, viện, tổ chức hỗ trợ và nhà đầu tư", "Universities, support organisations and investors",
     "tổ chức", 1, "support_organisations"),
    ("BUS1", "BUS", "Doanh nghiệp khởi nghiệp sáng tạo", "Innovative startups", "doanh nghiệp", 1, "startups_active"),
    ("BUS2", "BUS", "Khởi nghiệp mới thành lập trong năm", "Startups founded in the year", "doanh nghiệp", 1, "startups_new"),
    ("BUS3", "BUS", "Doanh nghiệp có hoạt động đổi mới sáng tạo", "Firms that innovate", "%", 1, (10, 45)),
    ("BUS4", "BUS", "Số lĩnh vực của các khởi nghiệp", "Sectors the startups work in", "lĩnh vực", 1, "startup_sectors"),
    ("KTO1", "KTO", "Đơn đăng ký sáng chế trên 100.000 dân", "Patent applications per 100,000 people", "đơn", 1, (1, 40)),
    ("KTO2", "KTO", "Bài báo khoa học quốc tế", "International scientific papers", "bài", 1, (5, 400)),
    ("KTO3", "KTO", "Hợp đồng chuyển giao công nghệ", "Technology transfer contracts", "hợp đồng", 1, (0, 30)),
    ("IMP1", "IMP", "Tăng trưởng GRDP", "GRDP growth", "%", 1, (4, 10)),
    ("IMP2", "IMP", "Thu nhập bình quân đầu người", "Income per person", "triệu đồng", 1, (60, 180)),
    ("IMP3", "IMP", "Năng suất lao động", "Labour productivity", "triệu đồng", 1, (150, 450)),
]

# the English of each unit of measure above (money in VND, as the English pages write amounts)
MEASURES_EN = {
    "%": "%", "điểm": "points", "ngày": "days", "người": "people", "m²": "m²", "tỷ đồng": "billion VND",
    "triệu đồng": "million VND", "tổ chức": "organisations", "doanh nghiệp": "firms", "lĩnh vực": "sectors",
    "đơn": "applications", "bài": "papers", "hợp đồng": "contracts",
}
ENGLISH_FIELDS = ("measure_en", "source_note_en")  # what _fill_english gives a demo made before them
SOURCE_NOTE = "Cục Thống kê TP.HCM (số liệu minh họa)"
SOURCE_NOTE_EN = "HCMC Statistics Office (illustrative figures)"

SPEC = {
    "name": "pii-hcmc",
    "description": "Impute by the median of the unit's area, else the mean; treat outliers by the "
    "skewness/kurtosis rule; min-max to 0-100; arithmetic means up to the index.",
    "steps": [
        {"step": "impute", "method": "group_median", "group": "area", "fallback": "mean"},
        {"step": "treat", "method": "skew_kurtosis", "winmax": 2},
        {"step": "normalise", "method": "minmax", "low": 0, "high": 100},
        {"step": "aggregate", "method": "arithmetic", "weights": "equal"},
    ],
}

UNCERTAINTY: dict[str, Any] = {
    "weight_noise": 0.25,
    "weight_sets": 100,
    "imputation": [{"method": "group_median", "group": "area"}, {"method": "mean"}],
    "normalisation": [{"method": "minmax", "low": 1, "high": 100}, {"method": "percentile_rank"}],
    "aggregation": ["arithmetic", "geometric"],
    "runs": 600,
}


def definition() -> dict[str, Any]:
    return {
        "code": FRAMEWORK_CODE,
        "name": "Chỉ số đổi mới sáng tạo của các phường, xã TP. Hồ Chí Minh",
        "name_en": "Innovation index of Ho Chi Minh City's wards and communes",
        "description": "Xây dựng trên 7 trụ cột của Chỉ số đổi mới sáng tạo cấp địa phương (PII); so sánh các phường, xã từ ngày 1/7/2025, nhóm theo địa bàn cũ.",
        "description_en": "Built on the seven pillars of Vietnam's Provincial Innovation Index (PII); compares wards and communes as they are since 1 July 2025, grouped by former area.",
        "spec": SPEC,
        "uncertainty": UNCERTAINTY,
        "is_published": True,
        "aggregates": [{"code": "INDEX", "name": "Chỉ số đổi mới sáng tạo (ĐMST)", "name_en": "Innovation index", "level": 3}]
        + [
            {"code": code, "name": name, "name_en": name_en, "level": 2, "parent": "INDEX", "order": i}
            for i, (code, name, name_en) in enumerate(PILLARS)
        ],
        "indicators": [
            {
                "code": code, "parent": pillar, "name": name, "name_en": name_en, "measure": measure,
                "measure_en": MEASURES_EN[measure], "direction": direction, "additive": measure in ADDITIVE_MEASURES,
                "source": "computed" if isinstance(spec, str) else "imported",
                "calculator": spec if isinstance(spec, str) else "",
                "source_note": "" if isinstance(spec, str) else SOURCE_NOTE,
                "source_note_en": "" if isinstance(spec, str) else SOURCE_NOTE_EN,
            }
            for code, pillar, name, name_en, measure, direction, spec in INDICATORS
        ],
    }


def _units() -> dict[str, Unit]:
    from innohub.places.models import Commune

    communes = {c.code: c for c in Commune.objects.filter(code__in=[u[1] for u in UNITS]).select_related(
        "former_district", "former_province")}
    units = {}
    for code, commune_code, name_en, area, _strength in UNITS:
        commune = communes[commune_code]
        assert commune.former_district is not None and commune.former_province is not None  # the city's communes have both
        units[code], _ = Unit.objects.get_or_create(
            code=code,
            defaults={"name": commune.name, "name_en": name_en, "kind": Unit.Kind.COMMUNE, "province_id": "79",
                      "commune_id": commune_code, "former_district_id": commune.former_district.code,
                      "groups": {"area": area, "former_area": commune.former_district.name,
                                 "former_province": commune.former_province.name}},
        )
    return units


def _statistics(framework: Framework, units: dict[str, Unit]) -> int:
    """Illustrative statistics as the statistics office published them: by former district.
    Each is converted to the commune through the official mapping (places.labels.district_shares):
    a count or amount gives the commune its share (of the district's former wards), a rate
    or score is the district's."""
    from innohub.places.labels import district_shares

    if Value.objects.filter(indicator__framework=framework, source=Value.Source.IMPORTED).exists():
        return 0
    rng = random.Random(2026)
    strength = {code: s for code, *_rest, s in UNITS}
    shares = {code: district_shares(unit.former_district_id or "").get(unit.commune_id or "", 1.0) for code, unit in units.items()}
    indicators = {i.code: i for i in framework.indicators.filter(source=Indicator.Source.IMPORTED)}
    rows = []
    for code, _pillar, _name, _name_en, measure, direction, spec in INDICATORS:
        if isinstance(spec, str):
            continue
        low, high = spec
        for unit_code, unit in units.items():
            level = strength[unit_code] if direction == 1 else 1 - strength[unit_code]
            level = min(1.0, max(0.0, level + rng.uniform(-0.15, 0.15)))
            growth = rng.uniform(0.0, 0.04) * direction
            for step, year in enumerate(YEARS):
                if rng.random() < 0.03:
                    continue  # a gap for the imputation step
                share = min(1.0, max(0.0, level + growth * step + rng.uniform(-0.03, 0.03)))
                value = low + (high - low) * share
                if measure in ADDITIVE_MEASURES:
                    value *= shares[unit_code]
                digits = 0 if measure in ("bài", "hợp đồng") else 2  # papers and contracts are whole
                rows.append(Value(unit=unit, indicator=indicators[code], year=year, value=round(value, digits),
                                  source=Value.Source.IMPORTED))
    Value.objects.bulk_create(rows)
    return len(rows)


def _fill_english(framework: Framework) -> int:
    """Give a demo framework made before indicators had English units of measure and sources
    (and its runs' snapshots) their English forms; what is already filled in is kept."""
    english = {i["code"]: i for i in definition()["indicators"]}
    filled = 0
    for indicator in framework.indicators.filter(code__in=english):
        item = english[indicator.code]
        changed = [f for f in ENGLISH_FIELDS if not getattr(indicator, f) and item[f]]
        for f in changed:
            setattr(indicator, f, item[f])
        if changed:
            indicator.save(update_fields=changed)
            filled += 1
    for run in framework.runs.all():
        snapshot = run.framework_snapshot
        items = [i for i in snapshot.get("indicators", []) if i.get("code") in english]
        missing = [i for i in items if any(f not in i for f in ENGLISH_FIELDS)]
        for item in missing:
            for f in ENGLISH_FIELDS:
                item.setdefault(f, english[item["code"]][f])
        if missing:
            run.save(update_fields=["framework_snapshot"])
    if filled:
        event_record(actor=None, action="indicator_framework.english_filled", target=framework,
                     after={"indicators": filled})
    return filled


def seed() -> dict[str, int]:
    units = _units()
    framework = Framework.objects.filter(code=FRAMEWORK_CODE).first()
    if framework is None:
        framework = services.framework_create(definition=definition(), actor=None)
    else:
        _fill_english(framework)
    values = _statistics(framework, units)
    runs = 0
    if not framework.runs.filter(status=Run.Status.SUCCEEDED).exists():
        services.indicators_compute(framework=framework, years=YEARS, actor=None)
        run = services.run_start(framework=framework, year_from=YEARS[0], year_to=YEARS[-1], actor=None,
                                 monte_carlo_runs=int(UNCERTAINTY["runs"]))
        # The demo computes now rather than waiting for a worker; the queued tasks then find
        # the run done and do nothing.
        services.run_execute(run_id=run.pk)
        services.uncertainty_execute(run_id=run.pk)
        runs = 1
    return {"units": len(units), "values": values, "runs": runs}
