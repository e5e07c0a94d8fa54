"""Monte Carlo rank intervals and variance-based sensitivity; explanations of changes, strengths, peer groups."""

from __future__ import annotations

import time

import numpy as np
import polars as pl
import pytest

from pipeline.scoring import Methodology, indicator_values, score_details
from pipeline.scoring.explain import explain_changes, peer_groups, strengths_weaknesses
from pipeline.scoring.uncertainty import rank_uncertainty

MEASURES = ["output_value", "employment", "firms", "new_firms", "rd_spending", "rd_staff", "patents",
            "new_product_sales", "exports", "profit", "energy_use", "sme_output", "graduates", "lq_employment",
            "output_share", "firm_hhi_output_value"]


def synthetic(n_units: int = 120, years: range = range(2015, 2025), seed: int = 0) -> pl.DataFrame:
    """A reported long frame like the build's: every measure, lognormal across clusters, drifting over years."""
    rng = np.random.default_rng(seed)
    level = rng.lognormal(0, 1, (n_units, len(MEASURES)))
    rows = []
    for t, y in enumerate(years):
        drift = level * rng.lognormal(0.02 * t, 0.1, level.shape)
        for u in range(n_units):
            for j, name in enumerate(MEASURES):
                rows.append((f"C{u:03d}", y, name, float(drift[u, j] * (1e9 if name == "output_value" else 1e3))))
    return pl.DataFrame(rows, schema=["cluster_code", "year", "indicator", "value"], orient="row")


@pytest.fixture(scope="module")
def scored():
    m = Methodology.default()
    return score_details(indicator_values(synthetic(), m), m)


def test_monte_carlo_on_120_clusters_by_10_years_is_fast_and_seeded(scored):
    started = time.perf_counter()
    unc = rank_uncertainty(scored)
    seconds = time.perf_counter() - started
    assert seconds < 10, seconds  # about 2-3 s on 2 cores for 200 samples (1,200 model runs per year)
    iv = unc.intervals
    assert iv.height == scored.scores.filter(pl.col("score").is_not_null()).height
    assert ((iv["rank_low"] <= iv["rank"]) & (iv["rank"] <= iv["rank_high"])).all()
    assert iv["samples"].unique().to_list() == [400]
    small = rank_uncertainty(scored, samples=40)
    again = rank_uncertainty(scored, samples=40)
    assert again.intervals.equals(small.intervals) and again.sensitivity.equals(small.sensitivity)
    other = rank_uncertainty(scored, samples=40, seed=7)
    assert not other.intervals.equals(small.intervals)


def test_sensitivity_indices(scored):
    sens = rank_uncertainty(scored, samples=100).sensitivity
    assert sens.get_column("factor").unique(maintain_order=True).to_list() == [
        "imputation", "normalisation", "aggregation", "weights"]
    assert sens.height == 4 * 10 and (sens["total_effect"] >= 0).all()
    # with complete data the imputation alternatives change nothing: no effect at all
    imp = sens.filter(pl.col("factor") == "imputation")
    assert (imp["total_effect"].abs() < 1e-12).all() and (imp["first_order"].abs() < 1e-12).all()
    # the choice of aggregation and normalisation matters far more than +-25% on the weights
    mean = dict(sens.group_by("factor").agg(pl.col("total_effect").mean()).iter_rows())
    assert mean["weights"] < min(mean["aggregation"], mean["normalisation"])


def test_sensitivity_of_a_model_with_one_influential_choice():
    # two indicators; minmax and percentile give the same ranks, weights barely matter with one indicator in
    # the index ... so make the weights the only choice: everything else has a single option
    m = Methodology.from_text(
        '[methodology]\nmin_coverage = 0\n[[indicator]]\ncode = "a"\nsource = "a"\n[[indicator]]\ncode = "b"\n'
        'source = "b"\n[uncertainty]\nsamples = 300\nweight_spread = 0.9\n')
    rng = np.random.default_rng(1)
    x = rng.uniform(size=(30, 2))
    rows = [(f"U{u}", 2022, k, float(x[u, j])) for u in range(30) for j, k in enumerate("ab")]
    res = score_details(pl.DataFrame(rows, schema=["cluster_code", "year", "indicator", "raw_value"],
                                     orient="row"), m)
    sens = dict((r[0], r[1:]) for r in rank_uncertainty(res).sensitivity.select(
        "factor", "first_order", "total_effect").iter_rows())
    assert sens["weights"][1] == pytest.approx(1.0, abs=0.15)  # all the variance
    assert sens["weights"][0] == pytest.approx(1.0, abs=0.25)
    assert sens["normalisation"] == (0.0, 0.0) and sens["aggregation"] == (0.0, 0.0)


def test_change_explained_by_indicators_and_the_reference_set():
    # arithmetic, complete data: change = indicator contributions + reference effect exactly
    m = Methodology.from_text('[methodology]\nmin_coverage = 0\n' + "".join(
        f'[[indicator]]\ncode = "{c}"\nsource = "{c}"\n' for c in "ab"))
    # A improves on a (2 -> 3); B and C do not move on a, but C's b jumps and widens the scale of b
    vals = pl.DataFrame({
        "cluster_code": list("ABC") * 4, "year": [2021] * 3 + [2022] * 3 + [2021] * 3 + [2022] * 3,
        "indicator": ["a"] * 6 + ["b"] * 6,
        "raw_value": [2.0, 1.0, 4.0, 3.0, 1.0, 4.0, 10.0, 20.0, 30.0, 10.0, 20.0, 50.0]})
    res = score_details(vals, m)
    changes, contrib = explain_changes(res)
    a = changes.filter(pl.col("cluster_code") == "A").row(0, named=True)
    # 2021: a (2 on 1-4) = 33.33, b (10 on 10-30) = 0: A = 16.67; 2022: a (3 on 1-4) = 66.67, b 0: A = 33.33
    assert a["previous_score"] == pytest.approx(50 / 3) and a["score"] == pytest.approx(100 / 3)
    # own movement on last year's scale: a 33.33 -> 66.67 with weight 1/2: +16.67; b stays at 0
    assert a["indicators_effect"] == pytest.approx(50 / 3) and a["main_driver"] == "a"
    assert a["reference_effect"] == pytest.approx(0.0) and a["other_effect"] == pytest.approx(0.0, abs=1e-9)
    b = changes.filter(pl.col("cluster_code") == "B").row(0, named=True)
    # B did not move; b = 20 was 50 on 10-30 and is 25 on 10-50: the reference effect is (25 - 50) / 2 = -12.5
    assert b["indicators_effect"] == pytest.approx(0.0) and b["reference_effect"] == pytest.approx(-12.5)
    assert (changes["change"] - changes["indicators_effect"] - changes["reference_effect"]
            - changes["other_effect"]).abs().max() < 1e-9
    row = contrib.filter(pl.col("cluster_code") == "C", pl.col("indicator") == "b").row(0, named=True)
    assert row["normalised_on_previous_scale"] == pytest.approx(200.0) and row["contribution"] == pytest.approx(50)


def test_every_cluster_has_an_explanation_on_the_synthetic_panel(scored):
    changes, _ = explain_changes(scored)
    later = scored.scores.filter(pl.col("year") > 2015, pl.col("score").is_not_null())
    assert changes.height == later.height
    total = changes["indicators_effect"] + changes["reference_effect"] + changes["other_effect"]
    assert (total - changes["change"]).abs().max() < 1e-9
    # complete data and an arithmetic hierarchy: nothing left unexplained after the first year with growth
    assert changes.filter(pl.col("year") > 2016)["other_effect"].abs().max() < 1e-6


def test_strengths_and_weaknesses():
    m = Methodology.from_text('[methodology]\nmin_coverage = 0\n' + "".join(
        f'[[indicator]]\ncode = "{c}"\nsource = "{c}"\n' for c in "abc") + '[explanation]\nmax_items = 1\n')
    x = np.array([[1, 1, 9], [2, 2, 2], [3, 3, 3], [4, 4, 4], [5, 5, 5]], dtype=float)
    rows = [(f"U{u}", 2022, c, float(x[u, j])) for u in range(5) for j, c in enumerate("abc")]
    res = score_details(pl.DataFrame(rows, schema=["cluster_code", "year", "indicator", "raw_value"],
                                     orient="row"), m)
    sw = strengths_weaknesses(res)
    u0 = sw.filter(pl.col("cluster_code") == "U0")
    # Absolute strengths (COINr get_str_weak, plus thirds): ranks on a and b are U0 5, U1 4, U2 3, U3 2, U4 1; on
    # c U0 1, U1 5, U2 4, U3 3, U4 2. Top third of 5: rank <= ceil(5/3) = 2; bottom third: rank > 5 - 2 = 3.
    # U0 sorted by rank: c 1, a 5, b 5: strength c (rank 1); weakness the last one, b (ties keep indicator order)
    assert u0.select("kind", "indicator", "indicator_rank").rows() == [("strength", "c", 1), ("weakness", "b", 5)]
    # U4 (81.0, the first overall) has strengths: a 1, b 1 sorted first, one listed (a); its last, c (rank 2), is in
    # the top third, so no weakness
    u4 = sw.filter(pl.col("cluster_code") == "U4")
    assert u4.select("kind", "indicator", "indicator_rank").rows() == [("strength", "a", 1)]
    # U2 ranks 3rd on a and b and 4th on c: no strength (none in the top two), weakness c (rank 4 > 3)
    u2 = sw.filter(pl.col("cluster_code") == "U2")
    assert u2.select("kind", "indicator", "indicator_rank").rows() == [("weakness", "c", 4)]


def test_peer_groups(scored):
    peers = peer_groups(scored)
    y = peers.filter(pl.col("year") == 2024)
    assert y.height == 120 and y["peer_group"].n_unique() == 5
    means = y.unique("peer_group").sort("peer_group")["group_mean_score"].to_list()
    assert means == sorted(means, reverse=True)  # group 1 has the highest mean score
    assert peers.equals(peer_groups(scored))  # seeded
