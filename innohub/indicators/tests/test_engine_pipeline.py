"""Given a small framework worked through by hand, when specs run on it, then scores, ranks,
the trace, strengths/weaknesses and trends are the hand-computed ones; bad specs and bad files
are refused with every problem named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innohub.indicators.engine import (
    Aggregate,
    DataError,
    Dataset,
    Framework,
    FrameworkError,
    Indicator,
    SpecError,
    load_coinr,
    load_spec,
    parse_spec,
    run_pipeline,
)
from innohub.indicators.engine.analysis import correlations, cronbach_by_aggregate

NAN = np.nan


def small_framework() -> Framework:
    return Framework(
        [
            Indicator("a", "P1", name_en="Startups", name_vi="Khởi nghiệp"),
            Indicator("b", "P1", direction=-1),
            Indicator("c", "P2"),  # no variance in the data below
        ],
        [Aggregate("P1", 2, "Index"), Aggregate("P2", 2, "Index"), Aggregate("Index", 3)],
        group_columns=["zone"],
    )


def small_dataset() -> Dataset:
    values = np.array([[[0, 10, 1], [5, 20, 1], [10, 30, 1], [NAN, 40, 1]]], dtype=float)
    groups = pd.DataFrame({"zone": ["n", "n", "s", "s"]}, index=["U1", "U2", "U3", "U4"])
    return Dataset(small_framework(), ("U1", "U2", "U3", "U4"), (2024,), values, groups=groups)


def spec(*steps: dict) -> object:
    return parse_spec({"name": "t", "steps": list(steps)})


NORMALISE = {"step": "normalise", "method": "minmax"}
AGGREGATE = {"step": "aggregate", "method": "arithmetic"}


def test_small_framework_end_to_end():
    result = run_pipeline(small_dataset(), spec({"step": "impute", "method": "mean"}, NORMALISE, AGGREGATE))
    # a: U4 imputed (0+5+10)/3 = 5 -> minmax [0, 50, 100, 50]
    # b (-1): [10..40] -> [100, 66.67, 33.33, 0]; c constant -> 50 for all
    # P1 = (a+b)/2 = [50, 58.33, 66.67, 25]; P2 = 50; Index = (P1+P2)/2 = [50, 54.17, 58.33, 37.5]
    table = result.table().set_index("uCode")
    assert table["Index"].to_dict() == pytest.approx({"U1": 50, "U2": 325 / 6, "U3": 175 / 3, "U4": 37.5})
    assert table["P1"].to_dict() == pytest.approx({"U1": 50, "U2": 175 / 3, "U3": 200 / 3, "U4": 25})
    assert table["Rank"].to_dict() == {"U3": 1, "U2": 2, "U1": 3, "U4": 4}
    assert list(table.columns) == ["Rank", "Index", "P1", "P2"]
    assert result.trace[0].details["imputed"].to_dict("records") == [
        {"year": 2024, "uCode": "U4", "iCode": "a", "value": 5.0}
    ]
    assert result.trace[1].details["no_variance"] == ["2024 c: no variance"]


def test_group_imputation_per_indicator_override_and_manual_weights():
    result = run_pipeline(
        small_dataset(),
        spec(
            {"step": "impute", "method": "group_mean", "group": "zone"},
            {**NORMALISE, "per_indicator": {"b": {"method": "distance_to_best"}}},
            {**AGGREGATE, "weights": {"method": "manual", "values": {"a": 3, "P2": 0}}},
        ),
    )
    # a: U4 takes zone s's mean = 10 -> minmax [0, 50, 100, 100]
    # b (-1) distance to best: 100 * 10 / x = [100, 50, 33.33, 25]
    # P1 = (3a + b) / 4 = [25, 50, 83.33, 81.25]; P2 has weight 0, so Index = P1
    scores = result.scores_frame()
    assert scores["a"].tolist() == [0, 50, 100, 100]
    assert scores["b"].tolist() == pytest.approx([100, 50, 100 / 3, 25])
    assert scores["Index"].tolist() == pytest.approx([25, 50, 250 / 3, 81.25])
    assert result.weights["a"] == 3 and result.weights["P2"] == 0


def test_screening_removes_units_below_the_data_threshold_and_leaves_them_unranked():
    result = run_pipeline(small_dataset(), spec({"step": "screen", "min_data_fraction": 0.9}, NORMALISE, AGGREGATE))
    assert result.trace[0].details["removed"]["uCode"].tolist() == ["U4"]
    # without U4: a -> [0, 50, 100], b (-1) -> [100, 50, 0], so P1 = 50 for all; P2 = 50: a three-way tie
    table = result.table()
    assert table["uCode"].tolist() == ["U1", "U2", "U3"]
    assert table["Rank"].tolist() == [1, 1, 1]
    assert table["Index"].tolist() == [50, 50, 50]
    assert np.isnan(result.ranks[0, 3]).all()


def test_geometric_aggregation_with_a_zero_and_the_negative_check():
    result = run_pipeline(
        small_dataset(), spec({"step": "impute", "method": "mean"}, NORMALISE, {"step": "aggregate", "method": "geometric"})
    )
    # U1's a is 0 after min-max, so its P1 is 0; U2: sqrt(50 * 66.67)
    p1 = result.scores_frame()["P1"]
    assert p1["U1"] == 0
    assert p1["U2"] == pytest.approx(np.sqrt(50 * 200 / 3))
    with pytest.raises(SpecError, match="negative"):
        run_pipeline(small_dataset(), spec({"step": "normalise", "method": "zscore"}, {"step": "aggregate", "method": "geometric"}))


def test_copeland_and_per_aggregate_override():
    result = run_pipeline(
        small_dataset(),
        spec({"step": "impute", "method": "mean"}, NORMALISE, {**AGGREGATE, "per_aggregate": {"P1": {"method": "copeland"}}}),
    )
    # P1 by Copeland over a=[0,50,100,50], b=[100,66.7,33.3,0]: U1 splits 1-1 with everyone;
    # U2-U3 split; U2 beats U4 (a ties, b favours U2); U3 beats U4 on both -> [0, 1, 1, -2]
    assert result.scores_frame()["P1"].tolist() == [0, 1, 1, -2]


def test_pca_weights_are_recorded():
    result = run_pipeline(small_dataset(), spec({"step": "impute", "method": "mean"}, NORMALISE, {**AGGREGATE, "weights": "pca"}))
    assert result.weights["a"] + result.weights["b"] == pytest.approx(1.0)
    assert result.weights["c"] == 1.0  # a single child carries all its parent's weight


def test_strengths_weaknesses_correlations_and_alpha():
    result = run_pipeline(small_dataset(), spec({"step": "impute", "method": "mean"}, NORMALISE, AGGREGATE))
    picks = result.strengths_weaknesses("U3", count=1)
    assert picks["strengths"]["iCode"].tolist() == ["a"]  # rank 1 of 4
    assert picks["weaknesses"]["iCode"].tolist() == ["b"]  # rank 3 of 4 (c ties at 1 for all)
    corr = correlations(result, rows_level=2, columns_level=3)
    assert corr.loc["P1", "Index"] == pytest.approx(1.0)  # P2 is constant, so Index = P1/2 + 25
    assert set(cronbach_by_aggregate(result).index) == {"P1", "P2", "Index"}


def test_trends_over_years():
    values = np.array([[[1, 1, 1]], [[2, 1, 1]], [[4, 1, 1]]], dtype=float)
    ds = Dataset(small_framework(), ("U1",), (2020, 2021, 2022), values)
    result = run_pipeline(ds, spec({"step": "normalise", "method": "none"}, AGGREGATE))
    trends = result.trends().loc["U1"]
    # a: 1 -> 4 over 2 years: CAGR sqrt(4) - 1 = 1; slope of (1,2,4) on (0,1,2) = 1.5
    assert trends.loc["a", "cagr"] == pytest.approx(1.0)
    assert trends.loc["a", "slope_per_year"] == pytest.approx(1.5)
    assert trends.loc["a", "change"] == 3


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"steps": [{"step": "bake"}]}, "unknown step 'bake'"),
        ({"steps": [{"step": "normalise", "method": "cubic"}, AGGREGATE]}, "method must be one of"),
        ({"steps": [{"step": "normalise", "colour": 1}, AGGREGATE]}, "unknown parameter 'colour'"),
        ({"steps": [NORMALISE]}, "'aggregate' must appear exactly once"),
        ({"steps": [AGGREGATE, NORMALISE]}, "'aggregate' must be the last step"),
        ({"steps": [{"step": "impute", "method": "group_mean"}, NORMALISE, AGGREGATE]}, "needs 'group'"),
        ({"steps": [{"step": "normalise", "method": "goalposts"}, AGGREGATE]}, "goalposts need"),
        ({"steps": [{"step": "screen", "min_data_fraction": 2}, NORMALISE, AGGREGATE]}, "between 0 and 1"),
        ({"steps": [NORMALISE, {**AGGREGATE, "weights": "magic"}]}, "weights method"),
        ({"steps": []}, "non-empty list"),
        ([1, 2], "must be a mapping"),
    ],
)
def test_bad_specs_are_refused_with_a_clear_message(raw, message):
    with pytest.raises(SpecError, match=message):
        parse_spec(raw)


def test_every_spec_problem_is_reported_at_once():
    with pytest.raises(SpecError) as caught:
        parse_spec({"steps": [{"step": "normalise", "method": "cubic", "colour": 1}, {"step": "bake"}]})
    assert len(caught.value.problems) >= 3


def test_overrides_naming_unknown_codes_are_refused_at_run_time():
    bad = spec({**NORMALISE, "per_indicator": {"zz": "none"}}, AGGREGATE)
    with pytest.raises(SpecError, match="unknown code 'zz'"):
        run_pipeline(small_dataset(), bad)


def test_unknown_spec_name_and_bad_yaml(tmp_path):
    with pytest.raises(SpecError, match="no spec file or shipped spec named 'nope'.*coinr-example"):
        load_spec("nope")
    broken = tmp_path / "broken.yaml"
    broken.write_text("steps: [unclosed", encoding="utf-8")
    with pytest.raises(SpecError, match="not valid YAML"):
        load_spec(str(broken))


def test_json_spec_file(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"name": "j", "steps": [{"step": "normalise"}, {"step": "aggregate"}]}', encoding="utf-8")
    assert load_spec(str(path)).name == "j"


def test_framework_errors_list_every_problem():
    with pytest.raises(FrameworkError) as caught:
        Framework(
            [Indicator("a", "nowhere", direction=2), Indicator("a", "P1")],
            [Aggregate("P1", 2, "Index"), Aggregate("Index", 3), Aggregate("Other", 3)],
        )
    text = str(caught.value)
    assert "duplicate codes: a" in text
    assert "direction must be 1 or -1" in text
    assert "parent 'nowhere'" in text
    assert "exactly one aggregate must top the tree" in text


IMETA = """Level,iCode,iName,Direction,Weight,Parent,Type
1,x,X,1,1,P,Indicator
1,y,Y,-1,1,P,Indicator
2,P,Pillar,1,1,Index,Aggregate
3,Index,Index,1,1,,Aggregate
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_loader_names_missing_columns_and_non_numeric_cells(tmp_path):
    imeta = write(tmp_path, "m.csv", IMETA)
    with pytest.raises(DataError, match="iData: missing column 'y'"):
        load_coinr(write(tmp_path, "d.csv", "uCode,x\nA,1\n"), imeta)
    with pytest.raises(DataError) as caught:
        load_coinr(write(tmp_path, "d2.csv", "uCode,x,y\nA,1,2\nB,lots,3\nC,4,n/a\n"), imeta)
    assert caught.value.problems == [
        "iData row 3 (B), column x: 'lots' is not a number",
        "iData row 4 (C), column y: 'n/a' is not a number",
    ]


def test_loader_refuses_duplicate_units_and_bad_imeta(tmp_path):
    imeta = write(tmp_path, "m.csv", IMETA)
    with pytest.raises(DataError, match="more than once: A 0"):
        load_coinr(write(tmp_path, "d.csv", "uCode,x,y\nA,1,2\nA,3,4\n"), imeta)
    with pytest.raises(FrameworkError, match="missing column 'Parent'"):
        load_coinr(write(tmp_path, "d.csv", "uCode,x,y\nA,1,2\n"), write(tmp_path, "m2.csv", "Level,iCode,Direction,Weight,Type\n"))
    with pytest.raises(FrameworkError, match="column Type: 'Widget'"):
        load_coinr(write(tmp_path, "d.csv", "uCode,x,y\nA,1,2\n"), write(tmp_path, "m3.csv", IMETA + "1,z,Z,1,1,P,Widget\n"))


def test_loader_reads_a_panel(tmp_path):
    imeta = write(tmp_path, "m.csv", IMETA)
    ds = load_coinr(write(tmp_path, "d.csv", "uCode,Time,x,y\nA,2021,1,2\nA,2022,3,\nB,2022,5,6\n"), imeta)
    assert ds.years == (2021, 2022) and ds.unit_codes == ("A", "B")
    assert ds.values[1, 0].tolist()[0] == 3 and np.isnan(ds.values[1, 0, 1]) and np.isnan(ds.values[0, 1]).all()
