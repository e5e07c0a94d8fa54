"""Property tests of the scoring engine (hypothesis)."""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.scoring import Methodology, normalise, score_details
from pipeline.scoring.uncertainty import rank_uncertainty

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
values = st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=2, max_size=30)


@FAST
@given(values, st.sampled_from([1, -1]))
def test_normalised_values_stay_in_range(xs, direction):
    x = np.array(xs)
    mm = normalise(x, "minmax", direction=direction)
    assert ((mm >= -1e-9) & (mm <= 100 + 1e-9)).all()
    pct = normalise(x, "percentile", direction=direction)
    assert ((pct > 0) & (pct <= 100 + 1e-9)).all()
    rank = normalise(x, "rank", direction=direction)
    assert ((rank >= 1) & (rank <= len(xs))).all()
    lo, hi = float(np.min(x)), float(np.max(x)) + 1.0
    gp = normalise(x, "goalposts", direction=direction, goalposts=(lo, hi))
    assert ((gp >= 0) & (gp <= 100)).all()
    dt = normalise(x, "distance_to_target", direction=direction, target=float(np.median(x)))
    assert ((dt >= 0) & (dt <= 100)).all()


def _methodology(direction: int, n: int, samples: int = 20) -> Methodology:
    inds = "".join(f'[[indicator]]\ncode = "i{j}"\nsource = "i{j}"\ndirection = {direction if j == 0 else 1}\n'
                   for j in range(n))
    return Methodology.from_text(
        f'[methodology]\nmin_coverage = 0.0\n{inds}[uncertainty]\nsamples = {samples}\n'
        'normalisations = ["minmax", "percentile"]\naggregations = ["arithmetic", "geometric"]\n')


def _frame(matrix: np.ndarray) -> pl.DataFrame:
    rows = [(f"U{u:02d}", 2022, f"i{j}", float(matrix[u, j])) for u in range(matrix.shape[0])
            for j in range(matrix.shape[1])]
    return pl.DataFrame(rows, schema=["cluster_code", "year", "indicator", "raw_value"], orient="row")


@FAST
@given(st.lists(st.integers(0, 10**6), min_size=3, max_size=25, unique=True))
def test_direction_flip_reverses_ranks(xs):
    x = np.array(xs, dtype=float)[:, None] / 100  # distinct values (not equal within rounding)
    up = score_details(_frame(x), _methodology(1, 1)).scores.sort("cluster_code")
    down = score_details(_frame(x), _methodology(-1, 1)).scores.sort("cluster_code")
    n = len(xs)
    assert (down.get_column("rank") == n + 1 - up.get_column("rank")).all()


@FAST
@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=3), st.integers(2, 6),
       st.lists(st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=3), min_size=1, max_size=6))
def test_identical_units_get_identical_scores(row, copies, others):
    matrix = np.array([row] * copies + others)
    scores = score_details(_frame(matrix), _methodology(1, 3)).scores.sort("cluster_code")
    same = scores.head(copies)
    assert same.get_column("score").n_unique() == 1 and same.get_column("rank").n_unique() == 1


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(3, 12))
def test_rank_intervals_contain_the_point_rank(seed, n_units):
    rng = np.random.default_rng(seed)
    matrix = rng.lognormal(size=(n_units, 3)) * 10
    unc = rank_uncertainty(score_details(_frame(matrix), _methodology(1, 3)), seed=seed)
    iv = unc.intervals
    assert iv.height == n_units
    assert ((iv["rank_low"] <= iv["rank"]) & (iv["rank"] <= iv["rank_high"])).all()
    assert ((iv["rank_low"] <= iv["median_rank"]) & (iv["median_rank"] <= iv["rank_high"])).all()
    assert ((iv["rank_low"] >= 1) & (iv["rank_high"] <= n_units)).all()
