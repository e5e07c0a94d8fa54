"""Strong clusters (U.S. Cluster Mapping rule), region cluster strength and portfolio quadrants.

The rule is checked on the USCMP 2016 state x cluster file (shared/data/uscmp/uscmp_states_clusters_2016.csv, from
the clustermapping.us API): its traded clusters carry USCMP's own strong_b and qualifying_b flags (the local
clusters have "NA"), which the rule reproduces; the rest are hand calculations.
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import shared_data
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.indices._common import IndexInputInvalid
from pipeline.indices.portfolio import QUADRANTS, portfolio_quadrant
from pipeline.indices.strength import percentile_rank, region_cluster_strength, strong_clusters

FAST = settings(max_examples=50, deadline=None)
USCMP = {"region": "region_code_t", "cluster": "cluster_code_t", "employment": "emp_tl", "establishments": "est_tl"}


def uscmp() -> pl.DataFrame:
    return pl.read_csv(
        shared_data("uscmp", "uscmp_states_clusters_2016.csv"), infer_schema_length=10000, null_values="NA"
    )


def test_percentile_rank_formula():
    # round(100/N (i + 0.5)), i the 0-based ascending position: N = 50 gives 1, 3, ..., 99 (rank r from the top:
    # 101 − 2r), so "at or above the 75th percentile" is the top 13 and "above the 25th" excludes the bottom 13.
    df = pl.DataFrame({"v": list(range(50))})
    p = df.select(percentile_rank("v"))["v"].to_list()
    assert p == [2 * i + 1 for i in range(50)]
    # N = 4: 100/4·(0.5, 1.5, 2.5, 3.5) = 12.5, 37.5, 62.5, 87.5 -> half up: 13, 38, 63, 88
    # ties share the lowest position; nulls and values outside `where` are not ranked and do not count in N
    df = pl.DataFrame({"g": ["a"] * 6, "v": [5, 1, 5, None, 9, 7], "keep": [True] * 5 + [False]})
    out = df.select(percentile_rank("v", ["g"], where=pl.col("keep")))["v"].to_list()
    # ranked: 1, 5, 5, 9 (N = 4): 1 -> 13, 5 and 5 -> i = 1 -> 38, 9 -> i = 3 -> 88
    assert out == [38, 13, 38, None, 88, None]


def small() -> pl.DataFrame:
    """Eight regions of one cluster (hand-checkable ranks: N = 8 with employment > 0, i = 0..7 -> 6, 19, 31, 44,
    56, 69, 81, 94; half up: 100/8 (i + 0.5) = 6.25, 18.75, 31.25, 43.75, 56.25, 68.75, 81.25, 93.75)."""
    return pl.DataFrame(
        {
            "region_code": list("ABCDEFGHZ"),
            "cluster_code": "c",
            "employment": [10, 20, 30, 40, 50, 60, 70, 80, 0],
            "establishments": [1, 2, 3, 4, 5, 6, 1, 8, 0],
            "lq": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 1.7, 0.95, 0.0],
        }
    )


def test_strong_cluster_rule_by_hand():
    out = strong_clusters(small(), lq="lq", establishments="establishments")
    assert out.columns == [
        "region_code", "cluster_code", "employment", "establishments", "lq", "lq_percentile",
        "employment_percentile", "establishments_percentile", "qualifying", "strong", "note",
    ]  # fmt: skip
    rows = {r["region_code"]: r for r in out.rows(named=True)}
    assert [rows[k]["lq_percentile"] for k in "ABCDEFGH"] == [6, 19, 31, 44, 56, 69, 94, 81]
    # G: LQ 1.7 (rank 94 >= 75, >= 1), employment 81 > 25, but 1 establishment: ties with A (i = 0) -> 6: not strong
    assert rows["G"]["establishments_percentile"] == 6 and rows["G"]["strong"] is False
    # H: LQ rank 81 but LQ 0.95 < 1: not strong (qualifying though: every rank above 25)
    assert (rows["H"]["qualifying"], rows["H"]["strong"]) == (True, False)
    # Z has no employment: not ranked, not strong, and not counted in N
    assert (rows["Z"]["lq_percentile"], rows["Z"]["strong"]) == (None, False)
    assert rows["Z"]["note"] == "no employment: not ranked, not strong"
    assert out["strong"].sum() == 0
    # G's establishment tie aside, G would be strong: give it 7 establishments (rank 81)
    fixed = small().with_columns(establishments=pl.Series([1, 2, 3, 4, 5, 6, 7, 8, 0]))
    strong = strong_clusters(fixed, lq="lq", establishments="establishments").filter("strong")
    assert strong["region_code"].to_list() == ["G"]
    # thresholds are options: with LQ >= 0.9 allowed, H is strong too
    loose = strong_clusters(fixed, lq="lq", establishments="establishments", min_lq=0.9).filter("strong")
    assert loose["region_code"].to_list() == ["G", "H"]
    # without establishments the criterion is not applied, and every row says so
    plain = strong_clusters(small(), lq="lq")
    assert plain.filter("strong")["region_code"].to_list() == ["G"]
    assert "establishments_percentile" not in plain.columns
    assert plain.filter(region_code="A")["note"].item() == "establishments not given: that criterion is not applied"


def test_strong_clusters_compute_the_lq_within_partitions():
    # Two clusters in two regions, internal reference (the frame's total): LQ_A,x = (30/40)/(40/80) = 1.5
    df = pl.DataFrame(
        {"region_code": ["A", "A", "B", "B"], "cluster_code": ["x", "y", "x", "y"], "employment": [30, 10, 10, 30]}
    )
    out = strong_clusters(df)
    assert out["lq"].to_list() == pytest.approx([1.5, 0.5, 0.5, 1.5])
    # N = 2 per cluster: positions 0, 1 -> 100/2·(0.5, 1.5) = 25, 75. The higher-LQ region of each cluster also has
    # its higher employment: LQ rank 75 >= 75, LQ 1.5 >= 1, employment rank 75 > 25 -> strong; the other region
    # is at 25 on both (not above the 25th percentile: not even qualifying).
    assert out["lq_percentile"].to_list() == [75, 25, 25, 75]
    assert out["employment_percentile"].to_list() == [75, 25, 25, 75]
    assert out["strong"].to_list() == [True, False, False, True]
    assert out["qualifying"].to_list() == [True, False, False, True]
    # explicit region bases (passed to location_quotient), e.g. all traded employment: A 40, B 120
    bases = pl.DataFrame({"region_code": ["A", "B"], "region_total": [40, 120]})
    # e = 160, e_x = 40: LQ_A,x = (30/40)/(40/160) = 3, LQ_B,x = (10/120)/(40/160) = 1/3
    assert strong_clusters(df, region_totals=bases)["lq"].to_list()[::2] == pytest.approx([3, 1 / 3])
    with pytest.raises(IndexInputInvalid, match="share their key"):
        strong_clusters(pl.concat([df, df]))


def test_uscmp_strong_and_qualifying_flags():
    # USCMP 2016, 50 states x 51 traded clusters, with USCMP's own LQ (lq_tf): the rule reproduces strong_b for
    # 2548 of 2550 state-clusters and qualifying_b for 2549. The differences sit exactly at a percentile boundary
    # (Pennsylvania and Virginia at LQ rank 74 here, strong in USCMP; Nevada's employment rank 26 in a tie,
    # not qualifying in USCMP): USCMP ranked DC as well, which this 50-state file leaves out.
    traded = uscmp().filter(pl.col("cluster_type") == "traded")
    out = strong_clusters(traded, **USCMP, lq="lq_tf").join(
        traded.select("region_code_t", "cluster_code_t", "strong_b", "qualifying_b"),
        on=["region_code_t", "cluster_code_t"],
    )
    assert out.height == 2550 and out["strong"].null_count() == 0
    differ = out.filter(pl.col("strong") != pl.col("strong_b")).sort("region_code_t")
    assert differ.select("region_code_t", "cluster_code_t", "lq_percentile").rows() == [(42, 7, 74), (51, 17, 74)]
    assert out.filter(pl.col("qualifying") != pl.col("qualifying_b")).select(
        "region_code_t", "cluster_code_t"
    ).rows() == [(32, 7)]
    assert out["strong"].sum() == 510 and out["strong_b"].sum() == 512


def test_uscmp_with_our_own_traded_lq():
    # The LQ computed here from emp_tl over the traded clusters (the traded base, 50-state sums as the U.S.)
    # agrees with USCMP's lq_tf to a median relative error of 0.8 % (USCMP's U.S. includes DC and PR), and the
    # strong flags still match for all but 3 of 2550 state-clusters.
    traded = uscmp().filter(pl.col("cluster_type") == "traded")
    out = strong_clusters(traded, **USCMP).join(
        traded.select("region_code_t", "cluster_code_t", "lq_tf", "strong_b"), on=["region_code_t", "cluster_code_t"]
    )
    error = ((out["lq"] - out["lq_tf"]).abs() / out["lq_tf"]).filter(out["lq_tf"] > 0)
    assert error.median() < 0.01
    assert (out["strong"] != out["strong_b"]).sum() == 3
    # all clusters at once, traded and local each on their own base (by=cluster_type)
    both = strong_clusters(uscmp(), **USCMP, by=["cluster_type"]).join(
        uscmp().select("region_code_t", "cluster_code_t", "lq_tf"), on=["region_code_t", "cluster_code_t"]
    )
    assert ((both["lq"] - both["lq_tf"]).abs() / both["lq_tf"]).filter(both["lq_tf"] > 0).median() < 0.01


def test_uscmp_region_cluster_strength():
    # region_emp_per_tf is the cluster's share of the state's traded employment; the state's cluster strength is
    # their sum over its strong clusters (USCMP's strong_b), which we reproduce from emp_tl.
    traded = uscmp().filter(pl.col("cluster_type") == "traded")
    out = region_cluster_strength(traded, region="region_code_t", cluster="cluster_code_t", employment="emp_tl",
                                  strong="strong_b")  # fmt: skip
    published = traded.filter("strong_b").group_by("region_code_t").agg(pl.col("region_emp_per_tf").sum())
    both = out.join(published, on="region_code_t", how="left").with_columns(pl.col("region_emp_per_tf").fill_null(0))
    assert out.height == 50 and (out["n_clusters"] == 51).all()
    assert (both["cluster_strength"] - both["region_emp_per_tf"]).abs().max() < 1e-6
    assert out["n_strong"].sum() == 512


def test_region_cluster_strength_by_hand():
    # A: strong c (60) and e (10) of 100 -> 0.7; B: c's strength unknown (null), d not reported -> 0 of 50
    df = pl.DataFrame(
        {"region_code": ["A", "A", "A", "B", "B"], "cluster_code": ["c", "d", "e", "c", "d"],
         "employment": [60, 30, 10, 50, None], "strong": [True, False, True, None, False]}
    )  # fmt: skip
    out = region_cluster_strength(df, strong="strong")
    a, b = out.rows(named=True)
    assert (a["strong_employment"], a["employment_total"], a["cluster_strength"]) == (70, 100, 0.7)
    assert (a["n_strong"], a["n_clusters"], a["note"]) == (2, 3, None)
    assert (b["strong_employment"], b["cluster_strength"]) == (0, 0)
    assert b["note"] == "1 clusters of undefined strength left out"
    # explicit region totals (e.g. all traded employment, larger than the listed clusters): 70 / 200
    totals = pl.DataFrame({"region_code": ["A"], "region_total": [200]})
    with_totals = region_cluster_strength(df, strong="strong", region_totals=totals)
    assert with_totals["cluster_strength"].to_list() == [0.35, None]
    assert with_totals["note"].to_list()[1].startswith("region total not given")


def portfolio_data() -> pl.DataFrame:
    df = pl.DataFrame({"region_code": ["A"] * 3 + ["B"] * 3, "cluster_code": ["x", "y", "z"] * 2})
    return pl.concat(
        [
            df.with_columns(year=2010, employment=pl.Series([20, 10, 10, 10, 10, 20])),
            df.with_columns(year=2020, employment=pl.Series([10, 10, 10, 10, 10, 20])),
        ]
    )


def test_portfolio_quadrants_by_hand():
    # 2010: totals x 30, y 20, z 30, all 80; A 40, B 40. LQ_A,x = (20/40)/(30/80) = 4/3; LQ_A,y = (10/40)/(20/80) = 1
    # 2020: x 20, y 20, z 30, all 70; A 30, B 40. LQ_A,x = (10/30)/(20/70) = 7/6; LQ_A,y = 7/6; LQ_A,z = (1/3)/(3/7)
    #   = 7/9; LQ_B,x = (1/4)/(2/7) = 7/8, LQ_B,y = 7/8, LQ_B,z = (1/2)/(3/7) = 7/6.
    out = portfolio_quadrant(portfolio_data())
    assert out["lq_end"].to_list() == pytest.approx([7 / 6, 7 / 6, 7 / 9, 7 / 8, 7 / 8, 7 / 6])
    assert out["lq_change"].to_list() == pytest.approx(
        [7 / 6 - 4 / 3, 1 / 6, 7 / 9 - 2 / 3, 7 / 8 - 2 / 3, -1 / 8, 7 / 6 - 4 / 3]
    )
    assert out["quadrant"].to_list() == ["Mature", "Star", "Emerging", "Emerging", "Transforming", "Mature"]
    assert out["employment"].to_list() == [10, 10, 10, 10, 10, 20]  # the bubble size: end-year employment
    # against the change of employment instead: A,x fell (−10), B,z stayed (0: not rising)
    by_jobs = portfolio_quadrant(portfolio_data(), change="employment")
    assert by_jobs["quadrant"].to_list() == [
        "Mature",
        "Mature",
        "Transforming",
        "Transforming",
        "Transforming",
        "Mature",
    ]
    assert by_jobs.filter(region_code="B", cluster_code="z")["note"].item() == "no change: counted as not rising"
    with pytest.raises(IndexInputInvalid, match="change"):
        portfolio_quadrant(portfolio_data(), change="output")  # type: ignore[arg-type]


def test_portfolio_missing_years_and_explicit_window():
    df = pl.concat(
        [portfolio_data(), pl.DataFrame({"region_code": "B", "cluster_code": "w", "year": 2020, "employment": 5})],
        how="vertical_relaxed",
    )
    out = portfolio_quadrant(df, start=2010, end=2020)
    w = out.filter(cluster_code="w").row(0, named=True)
    assert w["quadrant"] is None and w["note"] == "no value for the start year"
    single = portfolio_quadrant(portfolio_data().filter(year=2010))
    assert single["quadrant"].null_count() == single.height
    assert single["note"].unique().to_list() == ["a single year in the partition: nothing to compare"]


@st.composite
def panels(draw: st.DrawFn) -> pl.DataFrame:
    n_r, n_c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rows = [
        (f"r{r}", f"c{c}", year, draw(st.integers(0, 500))) for r in range(n_r) for c in range(n_c) for year in (1, 2)
    ]
    return pl.DataFrame(rows, schema=["region_code", "cluster_code", "year", "employment"], orient="row")


@FAST
@given(panels(), st.sampled_from(["lq", "employment"]), st.sampled_from([0.8, 1.0, 1.25]))
def test_quadrants_partition_the_units(df: pl.DataFrame, change, threshold: float):
    out = portfolio_quadrant(df, change=change, threshold=threshold)
    assert out.height == df.select("region_code", "cluster_code").unique().height
    defined = out.filter(pl.col("quadrant").is_not_null())
    assert set(defined["quadrant"].unique().to_list()) <= set(QUADRANTS)
    moved = defined["lq_change" if change == "lq" else "employment_change"]
    high = defined["lq_end"] >= threshold
    expected = [
        ("Star" if h and m > 0 else "Mature") if h else ("Emerging" if m > 0 else "Transforming")
        for h, m in zip(high, moved, strict=True)
    ]
    assert defined["quadrant"].to_list() == expected
    # a unit is unclassified exactly when its level or change is undefined, and then the note says why
    undefined = out.filter(pl.col("quadrant").is_null())
    assert undefined["note"].null_count() == 0
    assert (undefined["lq_end"].is_null() | undefined["lq_change"].is_null()).all()


def test_strong_industry_share_counts_overlapping_industries_once():
    from pipeline.indices.strength import strong_industry_share

    # Region A, 2021 and 2022: industries x 60, y 30, z 10 (total 100).
    frame = pl.DataFrame({"region_code": ["A"] * 6, "industry_code": ["x", "y", "z"] * 2,
                          "year": [2021] * 3 + [2022] * 3, "value": [60.0, 30.0, 10.0] * 2})
    # c = {x (weight 0.5), y}; d = {y, z from 2022 on}; both strong in A in both years.
    mapping = pl.DataFrame({"cluster_code": ["c", "c", "d", "d"], "industry_code": ["x", "y", "y", "z"],
                            "weight": [0.5, None, 1.0, 1.0], "valid_from": [None, None, None, 2022]})
    strong = pl.DataFrame({"region_code": ["A"] * 4, "cluster_code": ["c", "d"] * 2, "year": [2021, 2021, 2022, 2022],
                           "strong": [True, True, True, True]})
    out = strong_industry_share(frame, mapping, strong).sort("year")
    # 2021: x counts with weight 0.5 (30), y once (30), z not yet in d -> 60 / 100 = 0.6
    # 2022: z joins d -> 30 + 30 + 10 = 70 / 100 = 0.7 (summing clusters would give c 60 + d 40 = 100)
    assert out.select("year", "strong_employment", "cluster_strength", "n_strong").rows() == [
        (2021, 60.0, 0.6, 2), (2022, 70.0, 0.7, 2)]
