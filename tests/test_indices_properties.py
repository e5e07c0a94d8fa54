"""Properties that must hold for any data (hypothesis): identities, ranges and invariances (METHODS.md)."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.indices import herfindahl, location_quotient, share

FAST = settings(max_examples=60, deadline=None)
KEYS = ["region_code", "industry_code"]


@st.composite
def matrices(draw: st.DrawFn, nulls: bool = False) -> pl.DataFrame:
    """A region x industry matrix in long format (1-5 regions, 1-5 industries), optionally with nulls."""
    n_regions, n_industries = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    cell = st.integers(0, 10**6)
    cells = draw(
        st.lists(st.none() | cell if nulls else cell, min_size=n_regions * n_industries, max_size=25)
    )
    return pl.DataFrame(
        {
            "region_code": [f"r{r}" for r in range(n_regions) for _ in range(n_industries)],
            "industry_code": [f"i{i}" for _ in range(n_regions) for i in range(n_industries)],
            "value": cells[: n_regions * n_industries],
        }
    )


@FAST
@given(matrices(nulls=True))
def test_lq_of_the_whole_is_one(df: pl.DataFrame):
    # Over the reported cells (nulls are not in any total):
    # Σ_i s_i·LQ_ri = Σ_i e_ri/e_r = 1 for each region with e_r > 0 (cells with e_i = 0 have e_ri = 0);
    # Σ_r x_r·LQ_ri = Σ_r e_ri/e_i = 1 for each industry with e_i > 0; complete data: Σ_i (s_ri − s_i) = 0.
    out = location_quotient(df).with_columns(
        s_i=pl.col("industry_total") / pl.col("total"), x_r=pl.col("region_total") / pl.col("total")
    )
    regions = (
        out.filter(pl.col("region_total") > 0)
        .group_by("region_code")
        .agg(
            (pl.col("s_i") * pl.col("lq")).sum().alias("whole"), pl.col("lq_additive").sum().alias("additive")
        )
    )
    industries = (
        out.filter(pl.col("industry_total") > 0)
        .group_by("industry_code")
        .agg((pl.col("x_r") * pl.col("lq")).sum().alias("whole"))
    )
    assert regions["whole"].to_list() == pytest.approx([1.0] * regions.height, rel=1e-9)
    if df["value"].null_count() == 0:  # Σ_i (s_ri − s_i) = 1 − 1 needs every s_i in the sum
        assert regions["additive"].to_list() == pytest.approx([0.0] * regions.height, abs=1e-9)
    assert industries["whole"].to_list() == pytest.approx([1.0] * industries.height, rel=1e-9)
    # undefined exactly where a total is 0, and then always with a note
    undefined = out.filter(pl.col("lq").is_null())
    assert undefined["note"].null_count() == 0
    reasons = (
        undefined["value"].is_null() | (undefined["region_total"] == 0) | (undefined["industry_total"] == 0)
    )
    assert reasons.all()


@FAST
@given(matrices())
def test_shares_sum_to_one(df: pl.DataFrame):
    sums = (
        df.with_columns(s=share("value", over="region_code"))
        .group_by("region_code")
        .agg(pl.col("s").sum(), pl.col("value").sum().alias("total"))
        .filter(pl.col("total") > 0)
    )
    assert sums["s"].to_list() == pytest.approx([1.0] * sums.height, rel=1e-12)
    whole = df.select(share("value"))["value"]
    if df["value"].sum() > 0:
        assert whole.sum() == pytest.approx(1.0)
    else:
        assert whole.null_count() == df.height  # 0/0 is null, not 0 or NaN


@FAST
@given(matrices(), st.floats(1e-3, 1e3), st.randoms(use_true_random=False))
def test_lq_invariant_to_scale_and_row_order(df: pl.DataFrame, factor: float, rnd):
    base = location_quotient(df).sort(KEYS)
    order = list(range(df.height))
    rnd.shuffle(order)
    moved = df.with_columns(pl.col("value") * factor)[order]
    other = location_quotient(moved).sort(KEYS)
    assert_frame_equal(
        base.select(*KEYS, "lq", "lq_additive", "note"),
        other.select(*KEYS, "lq", "lq_additive", "note"),
        check_exact=False,
        rel_tol=1e-9,
        abs_tol=1e-12,
    )


@FAST
@given(matrices(), st.floats(1e-3, 1e3), st.randoms(use_true_random=False))
def test_hhi_range_and_invariances(df: pl.DataFrame, factor: float, rnd):
    # geographic concentration: regions are the units of each industry
    out = herfindahl(df, unit="region_code", group="industry_code").sort("industry_code")
    defined = out.filter(pl.col("n_positive") > 0)
    assert defined["hhi"].null_count() == 0
    # complete data: the only note is the n = 1 one, exactly where hhi_normalised is null
    assert (defined["note"].is_null() == defined["hhi_normalised"].is_not_null()).all()
    assert (defined["hhi"] <= 1 + 1e-12).all()
    assert (defined["hhi"] >= 1 / defined["n_positive"] - 1e-12).all()
    assert (defined["hhi_normalised"].drop_nulls() >= -1e-12).all()
    assert out.filter(pl.col("n_positive") == 0)["hhi"].null_count() == out.height - defined.height
    # same as Σ σ_ri² computed from shares
    direct = (
        df.with_columns(s=share("value", over="industry_code"))
        .group_by("industry_code")
        .agg(pl.col("s").pow(2).sum().alias("h"), pl.col("value").sum().alias("t"))
        .filter(pl.col("t") > 0)
        .sort("industry_code")
    )
    assert defined["hhi"].to_list() == pytest.approx(direct["h"].to_list(), rel=1e-9)
    order = list(range(df.height))
    rnd.shuffle(order)
    other = herfindahl(
        df.with_columns(pl.col("value") * factor)[order], unit="region_code", group="industry_code"
    )
    assert_frame_equal(out, other.sort("industry_code"), check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
