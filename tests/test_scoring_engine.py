"""The engine's options one by one: imputation, outlier treatment, normalisation, weights, aggregation, coverage."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from pipeline.scoring import Methodology, aggregate, normalise, score_details
from pipeline.scoring.treatment import carry_forward, impute, kurtosis, skewness, treat_outliers


def _m(level0: str = "", pillar: str = "", extra: str = "") -> Methodology:
    """Three indicators in two pillars under one index; options injected per level."""
    return Methodology.from_text(f"""
[methodology]
min_coverage = 0.0
[[level]]
name = "indicator"
normalisation = "minmax"
{level0}
[[level]]
name = "pillar"
{pillar}
[[level]]
name = "index"
[[aggregate]]
code = "p"
level = "pillar"
parent = "idx"
[[aggregate]]
code = "q"
level = "pillar"
parent = "idx"
[[aggregate]]
code = "idx"
level = "index"
[[indicator]]
code = "a"
source = "a"
parent = "p"
[[indicator]]
code = "b"
source = "b"
parent = "p"
[[indicator]]
code = "c"
source = "c"
parent = "q"
{extra}
""")


def _values(data: dict[str, list[float | None]], units: list[str], years: list[int] | None = None) -> pl.DataFrame:
    years = years or [2022] * len(units)
    rows = [(u, y, k, v) for k, vs in data.items() for u, y, v in zip(units, years, vs, strict=True)]
    return pl.DataFrame(rows, schema=["cluster_code", "year", "indicator", "raw_value"], orient="row")


# Expected values from COINr's skew, kurt, winsorise and log_CT (R/treat.R @ 0889f05) run in R 4.2.2
# (/tmp/reference/coinr/oracle*.R).


def test_skewness_and_kurtosis_match_coinr():
    x = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100])  # COINr's check_SkewKurt example
    assert skewness(x) == pytest.approx(3.0632410342, abs=1e-9)
    assert kurtosis(x) == pytest.approx(9.7413908346, abs=1e-9)


def test_winsorising_then_log_as_coinr():
    z = np.r_[np.ones(30), 2.0 ** np.arange(1, 11)]
    t, flags = treat_outliers(z)  # COINr: winsorised 4 points (1024, 512, 256, 128 -> 64)
    assert t[-4:].tolist() == [64.0] * 4 and flags.count("winsorised high") == 4 and t[30] == 2.0
    z = np.r_[np.ones(60), 3.0 ** np.arange(1, 11)]
    t, flags = treat_outliers(z)  # COINr: still failing after 5 points: log_CT of the original values
    assert set(flags) == {"log"}
    assert [t[0], t[60], t[69]] == pytest.approx([6.380935765462, 6.384317117165, 10.996056282303], abs=1e-11)
    w, wflags = treat_outliers(z, "winsorise")
    assert wflags.count("winsorised high") == 5 and w.max() == 3.0**5
    untouched, none = treat_outliers(z, "none")
    assert untouched.tolist() == z.tolist() and set(none) == {""}


def test_imputations():
    x = np.array([[1.0, 10.0], [3.0, np.nan], [np.nan, 30.0], [5.0, 50.0], [7.0, 70.0]])
    assert impute(x, "median")[2, 0] == 4.0
    knn = impute(x, "knn", neighbours=2)
    assert knn[1, 1] == pytest.approx(30.0)  # the 2 nearest to a = 3 are a = 1 and a = 5: (10 + 50) / 2
    it = impute(x, "iterative", seed=0)
    assert it[1, 1] == pytest.approx(30.0, abs=0.01) and it[2, 0] == pytest.approx(3.0, abs=0.01)  # on the line b = 10a
    panel = carry_forward(np.array([[1.0], [np.nan], [2.0]]), np.array([0, 0, 0]), np.array([2020, 2021, 2022]))
    assert panel[:, 0].tolist() == [1.0, 1.0, 2.0]


def test_locf_and_group_mean_in_a_methodology():
    m = _m('imputation = "locf"')
    vals = _values({"a": [1.0, 3.0, None, 5.0], "b": [1.0, 2.0, 3.0, 4.0], "c": [1.0, 2.0, 3.0, 4.0]},
                   ["A", "B", "A", "B"], [2021, 2021, 2022, 2022])
    res = score_details(vals, m)
    assert res.treatments.rows() == [("A", 2022, "a", None, 1.0, "imputed")]
    g = _m('imputation = "group_mean"\nimputation_group = "kind"')
    groups = pl.DataFrame({"cluster_code": ["A", "B", "C"], "kind": ["x", "x", "y"]})
    vals = _values({"a": [2.0, None, 9.0], "b": [1.0, 2.0, 3.0], "c": [1.0, 2.0, 3.0]}, ["A", "B", "C"])
    imputed = score_details(vals, g, groups=groups).treatments
    assert imputed.select("cluster_code", "value").rows() == [("B", 2.0)]


def test_normalisations_with_direction_and_targets():
    x = np.array([10.0, 20.0, 40.0])
    assert normalise(x, "zscore").tolist() == pytest.approx([-0.8728715, -0.2182179, 1.0910895])
    assert normalise(x, "percentile").tolist() == pytest.approx([100 / 3, 200 / 3, 100])
    assert normalise(x, "rank", direction=-1).tolist() == [3.0, 2.0, 1.0]
    assert normalise(x, "distance_to_target", target=30).tolist() == pytest.approx([0.0, 50.0, 100.0])
    assert normalise(x, "distance_to_target", direction=-1, target=15).tolist() == pytest.approx([100, 80, 0])
    assert normalise(x, "distance_to_best", direction=-1).tolist() == pytest.approx([100, 50, 25])
    assert normalise(x, "ratio_to_mean").tolist() == pytest.approx([100 * 3 / 7, 200 * 3 / 7, 400 * 3 / 7])
    assert normalise(x, "goalposts", goalposts=(0, 30), direction=-1).tolist() == pytest.approx([200 / 3, 100 / 3, 0])
    assert normalise(x, "none", goalposts=(0, 25)).tolist() == [10.0, 20.0, 25.0]
    # against last year's scale (the change explanation): 40 on a 10-20 scale is 300
    assert normalise(x, "minmax", reference=np.array([10.0, 20.0])).tolist() == [0.0, 100.0, 300.0]
    assert normalise(np.array([3.0, 3.0]), "zscore").tolist() == [0.0, 0.0]


def test_aggregations():
    x = np.array([[1.0, 4.0], [2.0, 2.0], [0.0, 9.0], [-1.0, 3.0]])
    assert aggregate(x, [1, 1], "harmonic")[:3].tolist() == pytest.approx([1.6, 2.0, 0.0])
    assert np.isnan(aggregate(x, [1, 1], "geometric")[3])  # not defined for a negative input
    assert aggregate(x, [1, 1], "generalised", power=2)[:2].tolist() == pytest.approx([np.sqrt(8.5), 2.0])
    assert aggregate(x, [1, 1], "generalised", power=0)[:2].tolist() == pytest.approx([2.0, 2.0])
    assert aggregate(x, [3, 1], "arithmetic").tolist() == pytest.approx([1.75, 2.0, 2.25, 0.0])


def test_pca_weights_at_a_level():
    rng = np.random.default_rng(3)
    f = rng.normal(size=60)
    data = {"a": (f + 0.2 * rng.normal(size=60)).tolist(), "b": (f + 0.3 * rng.normal(size=60)).tolist(),
            "c": (f + 1.5 * rng.normal(size=60)).tolist()}
    m = Methodology.from_text(
        '[[level]]\nname = "indicator"\n[[level]]\nname = "index"\nweights = "pca"\n'
        + "".join(f'[[indicator]]\ncode = "{c}"\nsource = "{c}"\n' for c in "abc"))
    res = score_details(_values(data, [f"U{i}" for i in range(60)]), m)
    w = res.indicators.unique("indicator").sort("indicator").get_column("weight").to_list()
    assert w[2] < min(w[0], w[1]) and sum(w) == pytest.approx(1.0)


def test_coverage_thresholds_and_notes():
    m = Methodology.from_text(_text_with(index_cover=1.0))
    vals = _values({"a": [1.0, 2.0, 3.0], "b": [1.0, None, 3.0], "c": [3.0, 2.0, None]}, ["A", "B", "C"])
    res = score_details(vals, m)
    scores = {r[0]: r for r in res.scores.select("cluster_code", "score", "note").rows()}
    assert scores["A"][1] is not None and scores["B"][1] is not None  # B's pillar p has a alone: 50% weight is enough
    assert scores["C"][1] is None and "too few of the 2 parts of the index (p, q)" in scores["C"][2]
    pillars = res.aggregates.filter(pl.col("cluster_code") == "B", pl.col("code") == "p").row(0, named=True)
    assert pillars["coverage"] == 0.5 and pillars["score"] == 50.0


def _text_with(index_cover: float) -> str:
    return f"""
[methodology]
min_coverage = 0.0
[[level]]
name = "indicator"
[[level]]
name = "pillar"
min_coverage = 0.5
[[level]]
name = "index"
min_coverage = {index_cover}
[[aggregate]]
code = "p"
level = "pillar"
parent = "idx"
[[aggregate]]
code = "q"
level = "pillar"
parent = "idx"
[[aggregate]]
code = "idx"
level = "index"
[[indicator]]
code = "a"
source = "a"
parent = "p"
[[indicator]]
code = "b"
source = "b"
parent = "p"
[[indicator]]
code = "c"
source = "c"
parent = "q"
"""


def test_cagr_growth():
    m = Methodology.from_text('[[indicator]]\ncode = "g"\nsource = "v"\ngrowth = "cagr"\ngrowth_years = 2\n')
    from pipeline.scoring import indicator_values

    rep = pl.DataFrame({"cluster_code": ["A"] * 3, "year": [2020, 2021, 2022], "indicator": ["v"] * 3,
                        "value": [100.0, 150.0, 121.0]})
    out = indicator_values(rep, m).sort("year").get_column("raw_value").to_list()
    assert out[:2] == [None, None] and out[2] == pytest.approx(10.0)  # (121 / 100)^(1/2) - 1 = 10%
