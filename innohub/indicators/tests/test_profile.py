"""A unit's profile: ties and zeros never read as strengths, a shared rank says so ("đồng
hạng"), an indicator without the unit's own data says so instead of showing a score."""

from __future__ import annotations

import pytest
from django.urls import reverse

from innohub.indicators import selectors, services
from innohub.indicators.models import Value


@pytest.fixture
def tied_run(with_values, django_capture_on_commit_callbacks):
    # 2025: three of the four units share the best A2 value; Q1 has no B1 figure of its own
    for unit, value in (("Q1", 5), ("Q3", 5), ("TPTD", 5), ("HCC", 1)):
        Value.objects.filter(indicator__code="A2", unit__code=unit, year=2025).update(value=value)
    Value.objects.filter(indicator__code="B1", unit__code="Q1", year=2025).delete()
    Value.objects.filter(indicator__code="A1", unit__code="HCC", year=2025).update(value=0)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(framework=with_values, year_from=2023, year_to=2025, actor=None, monte_carlo_runs=60)
    run.refresh_from_db()
    return run


def test_ties_zeros_and_missing_data_are_not_strengths(tied_run):
    from innohub.indicators.models import Unit

    q1 = selectors.unit_profile(run=tied_run, unit=Unit.objects.get(code="Q1"), year=2025)
    strengths = {i["code"] for i in q1.strengths}
    assert "A2" not in strengths  # rank 1 shared by three of four units
    assert "B1" not in strengths and "B1" not in {i["code"] for i in q1.weaknesses}  # no data of its own
    a2 = next(i for i in q1.indicators if i["code"] == "A2")
    assert a2["tied"] and a2["rank"] == 1
    b1 = next(i for i in q1.indicators if i["code"] == "B1")
    assert b1["no_data"]
    hcc = selectors.unit_profile(run=tied_run, unit=Unit.objects.get(code="HCC"), year=2025)
    assert all(i["value"] != 0 and i["score"] > 0 for i in hcc.strengths)
    assert all(not i["no_data"] for i in hcc.strengths + hcc.weaknesses)


def test_the_profile_page_says_shared_rank_and_no_data(client, tied_run):
    url = reverse("indicators:unit", args=["Q1"]) + "?year=2025"
    page = client.get(url).content.decode()
    assert "đồng hạng 1" in page
    assert "Không có số liệu" in page
    english = client.get("/en" + url).content.decode()
    assert "tied 1" in english and "No data for this unit" in english
