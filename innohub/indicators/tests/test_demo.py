"""Given the demo data, when it is loaded (twice), then the PII-based framework for the city's
wards and communes has its seven pillars, five years of data and a run with Monte Carlo results."""

from __future__ import annotations

import pytest

from innohub.indicators import demo
from innohub.indicators.models import (
    Aggregate,
    Framework,
    Indicator,
    Run,
    SensitivityIndex,
    UncertaintyResult,
    Value,
)

pytestmark = pytest.mark.django_db


def test_the_demo_is_complete_and_idempotent():
    first = demo.seed()
    second = demo.seed()
    assert first["runs"] == 1 and second == {"units": 12, "values": 0, "runs": 0}
    framework = Framework.objects.get(code=demo.FRAMEWORK_CODE)
    assert Aggregate.objects.filter(framework=framework, level=2).count() == 7
    per_pillar = [a.indicators.count() for a in Aggregate.objects.filter(framework=framework, level=2)]
    assert all(2 <= n <= 4 for n in per_pillar)
    assert all(i.name and i.name_en for i in Indicator.objects.filter(framework=framework))
    assert set(Value.objects.values_list("year", flat=True)) == set(demo.YEARS)
    run = Run.objects.get(framework=framework)
    assert run.status == Run.Status.SUCCEEDED and run.uncertainty_status == Run.Status.SUCCEEDED
    assert UncertaintyResult.objects.filter(run=run).count() == 12
    assert SensitivityIndex.objects.filter(run=run).count() == 4
    assert "Phường Tăng Nhơn Phú" in {u.unit.name for u in UncertaintyResult.objects.filter(run=run).select_related("unit")}


def test_the_demo_compares_communes_of_today_grouped_by_former_area():
    from innohub.indicators.models import Unit

    demo.seed()
    units = list(Unit.objects.select_related("commune", "former_district"))
    assert len(units) == 12 and all(u.kind == Unit.Kind.COMMUNE and u.commune and u.province_id == "79" for u in units)
    saigon = next(u for u in units if u.commune.name == "Phường Sài Gòn")
    assert saigon.groups["former_area"] == "Quận 1" and saigon.former_district.name == "Quận 1"
    thu_dau_mot = next(u for u in units if u.commune.name == "Phường Thủ Dầu Một")
    assert thu_dau_mot.groups["former_province"] == "Tỉnh Bình Dương"


def test_district_figures_divide_among_communes_by_their_former_wards():
    from innohub.places.labels import district_shares
    from innohub.places.models import FormerDistrict

    quan_1 = FormerDistrict.objects.get(name="Quận 1", former_province__code="79")
    shares = district_shares(quan_1.code)
    assert sum(shares.values()) == pytest.approx(1.0)
    assert set(shares) == set(quan_1.communes.values_list("code", flat=True))
    assert district_shares("000") == {}


def test_the_demo_gives_every_unit_of_measure_and_source_in_english_and_fills_an_older_demo_in():
    demo.seed()
    framework = Framework.objects.get(code=demo.FRAMEWORK_CODE)
    indicators = Indicator.objects.filter(framework=framework)
    assert all(i.measure_en for i in indicators if i.measure)
    assert {i.measure_en for i in indicators.filter(measure__in=["tỷ đồng", "triệu đồng"])} == {"billion VND", "million VND"}
    assert all(i.source_note_en for i in indicators.filter(source=Indicator.Source.IMPORTED))
    # given a demo loaded before these fields existed
    indicators.update(measure_en="", source_note_en="")
    run = Run.objects.get(framework=framework)
    for item in run.framework_snapshot["indicators"]:
        del item["measure_en"], item["source_note_en"]
    run.save(update_fields=["framework_snapshot"])
    demo.seed()
    assert Indicator.objects.get(framework=framework, code="MKT1").measure_en == "billion VND"
    run.refresh_from_db()
    assert {i["code"]: i["measure_en"] for i in run.framework_snapshot["indicators"]}["INS3"] == "days"
