"""Sparse input (hypothesis): a region x industry cell without a row is a 0, exactly as an explicit row with value 0.

The indices that read the region x industry matrix as complete (Krugman specialisation and concentration, Hachman,
diversity, ubiquity, Duranton-Puga, the locational Gini) compute from the present rows plus per-partition totals and
never build the missing cells. Here every one of them must give the same frame (same rows in the same order, same
notes, values to 1e-12) on a random sparse frame and on the same frame with every missing cell of each partition
added as an explicit zero row.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.indices import (
    diversity,
    duranton_puga,
    hachman,
    krugman_concentration,
    krugman_specialisation,
    locational_gini,
    ubiquity,
)

FAST = settings(max_examples=60, deadline=None)
AGAINST = ["total", "others", "others_mean"]


@st.composite
def sparse_frames(draw: st.DrawFn) -> pl.DataFrame:
    """1-3 partitions (one with a null key) of 1-6 regions x 1-6 industries; each cell present with a random
    probability (so some regions and industries miss many cells), values 0-10^6 or null, rows in random order."""
    rows = []
    for year in draw(st.lists(st.sampled_from([2020, 2021, None]), min_size=1, max_size=3, unique=True)):
        n_regions, n_industries = draw(st.integers(1, 6)), draw(st.integers(1, 6))
        present = draw(st.floats(0.15, 1.0))
        for r in range(n_regions):
            for i in range(n_industries):
                if draw(st.floats(0.0, 1.0)) <= present:
                    value = draw(st.none() | st.just(0) | st.integers(0, 10**6))
                    rows.append((year, f"r{r}", f"i{i}", value))
    rows = draw(st.permutations(rows))
    schema = {"year": pl.Int64, "region_code": pl.String, "industry_code": pl.String, "value": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def completed(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with a zero row for every (region, industry) of a partition that has no row, appended at the end
    (so that regions and industries keep their order of first appearance)."""
    regions = frame.select("year", "region_code").unique()
    industries = frame.select("year", "industry_code").unique()
    grid = regions.join(industries, on="year", nulls_equal=True)
    missing = grid.join(frame, on=["year", "region_code", "industry_code"], how="anti", nulls_equal=True)
    return pl.concat([frame, missing.with_columns(value=pl.lit(0, dtype=pl.Int64)).select(frame.columns)])


def same(sparse: pl.DataFrame, dense: pl.DataFrame, index: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    assert_frame_equal(index(sparse), index(dense), check_exact=False, rel_tol=1e-12, abs_tol=1e-12)


@FAST
@given(sparse_frames(), st.sampled_from(AGAINST), st.booleans())
def test_krugman_sparse_equals_completed(df: pl.DataFrame, against: str, use_by: bool) -> None:
    by = ["year"] if use_by else []
    frame = df if use_by else df.filter(pl.col("year").eq_missing(df["year"].first()))
    dense = completed(frame)
    same(frame, dense, lambda d: krugman_specialisation(d, by=by, against=against))  # type: ignore[arg-type]
    same(frame, dense, lambda d: krugman_concentration(d, by=by, against=against))  # type: ignore[arg-type]


@FAST
@given(sparse_frames(), st.sampled_from([1.0, 1.25, 0.0]))
def test_diversification_sparse_equals_completed(df: pl.DataFrame, threshold: float) -> None:
    dense = completed(df)
    by = ["year"]
    same(df, dense, lambda d: hachman(d, by=by))
    same(df, dense, lambda d: duranton_puga(d, by=by))
    same(df, dense, lambda d: diversity(d, by=by, threshold=threshold))  # 0.0: a missing cell's LQ 0 counts
    same(df, dense, lambda d: ubiquity(d, by=by, threshold=threshold))


@FAST
@given(sparse_frames(), st.sampled_from(["krugman", "lq"]), st.sampled_from(["concentration", "specialisation"]))
def test_locational_gini_sparse_equals_completed(df: pl.DataFrame, method: str, direction: str) -> None:
    same(df, completed(df), lambda d: locational_gini(d, by=["year"], method=method, direction=direction))  # type: ignore[arg-type]


@st.composite
def explicit_totals(draw: st.DrawFn, df: pl.DataFrame) -> dict[str, object]:
    """Random ``reference`` (industries of the frame and others, some missing), ``reference_total`` and
    ``region_totals`` (regions of the frame and others, some missing) for the frame's partitions."""
    years = df["year"].unique().to_list()
    options: dict[str, object] = {}
    if draw(st.booleans()):
        rows = [(y, f"i{i}", draw(st.none() | st.integers(0, 3 * 10**6))) for y in years for i in range(8)
                if draw(st.integers(0, 4)) > 0]  # fmt: skip
        options["reference"] = pl.DataFrame(
            rows, schema={"year": pl.Int64, "industry_code": pl.String, "reference_value": pl.Int64}, orient="row"
        )
        if draw(st.booleans()):
            options["reference_total"] = 10**8
    if draw(st.booleans()):
        rows = [(y, f"r{r}", draw(st.none() | st.integers(0, 6 * 10**6))) for y in years for r in range(8)
                if draw(st.integers(0, 4)) > 0]  # fmt: skip
        options["region_totals"] = pl.DataFrame(
            rows, schema={"year": pl.Int64, "region_code": pl.String, "region_total": pl.Int64}, orient="row"
        )
    return options


@FAST
@given(sparse_frames(), st.data())
def test_explicit_reference_sparse_equals_completed(df: pl.DataFrame, data: st.DataObject) -> None:
    # With reference= an industry of the reference without a row counts as 0 in every region too.
    options = data.draw(explicit_totals(df))
    dense, by = completed(df), ["year"]
    against = data.draw(st.sampled_from(["total", "others"]))
    same(df, dense, lambda d: krugman_specialisation(d, by=by, against=against, **options))  # type: ignore[arg-type]
    same(df, dense, lambda d: hachman(d, by=by, **options))  # type: ignore[arg-type]
    same(df, dense, lambda d: duranton_puga(d, by=by, **options))  # type: ignore[arg-type]
    threshold = data.draw(st.sampled_from([1.0, 0.0]))
    same(df, dense, lambda d: diversity(d, by=by, threshold=threshold, **options))  # type: ignore[arg-type]
    same(df, dense, lambda d: ubiquity(d, by=by, threshold=threshold, **options))  # type: ignore[arg-type]
    if "region_totals" in options:
        totals = options["region_totals"]
        same(df, dense, lambda d: krugman_concentration(d, by=by, against=against, region_totals=totals))  # type: ignore[arg-type]


def test_completed_frame_is_dense_and_sparse_frame_is_not():
    # the generator's frames really miss cells, and completed() fills exactly those
    df = pl.DataFrame({"year": [2020, 2020, 2021], "region_code": ["r0", "r1", "r0"],
                       "industry_code": ["i0", "i1", "i0"], "value": [5, 7, 3]})  # fmt: skip
    dense = completed(df)
    assert dense.height == 5 and dense.tail(2)["value"].to_list() == [0, 0]
    assert sorted(dense.filter(pl.col("value") == 0).select("region_code", "industry_code").rows()) == [
        ("r0", "i1"), ("r1", "i0")]  # fmt: skip
    same(df, dense, lambda d: krugman_specialisation(d, by=["year"]))  # K = 7/6 and 5/6 (2020), 0 (2021)
    assert krugman_specialisation(df, by=["year"])["krugman"].to_list() == pytest.approx([7 / 6, 5 / 6, 0.0])
