"""The default methodology on the tiny data set of conftest.py, computed by hand (library level, no warehouse)."""

from __future__ import annotations

import io

import polars as pl
import pytest
from conftest import CLUSTER_INDICATORS_CSV

from pipeline.scoring import Methodology, composite_scores, indicator_values, score_details
from pipeline.scoring.explain import explain_changes, strengths_weaknesses
from pipeline.scoring.uncertainty import rank_uncertainty


def reported(with_agglomeration: bool) -> pl.DataFrame:
    wide = pl.read_csv(io.StringIO(CLUSTER_INDICATORS_CSV))
    long = wide.unpivot(index=["cluster_code", "year"], variable_name="indicator", value_name="value").with_columns(
        pl.col("value").cast(pl.Float64))
    if not with_agglomeration:
        return long
    # The agglomeration variables the build derives for 2022 (conftest's regional and firm records):
    # employment LQ in the lead city: EQ (industry 37, Shenyang) (300/400)/(500/800) = 1.2,
    #   AG (industry 13, Dalian) (200/400)/(300/800) = 1.333;
    # share of provincial output: EQ 5e9 / 7e9, AG 2e9 / 7e9 (regional output 700,000 x 10,000 yuan);
    # firm HHI of output: EQ 0.6^2 + 0.3^2 + 0.1^2 = 0.46, AG 0.5^2 + 0.5^2 = 0.5.
    extra = pl.DataFrame({
        "cluster_code": ["LN-EQ-001", "LN-AG-001"] * 3, "year": [2022] * 6,
        "indicator": ["lq_employment"] * 2 + ["output_share"] * 2 + ["firm_hhi_output_value"] * 2,
        "value": [1.2, 4 / 3, 5 / 7, 2 / 7, 0.46, 0.5]})
    return pl.concat([long, extra])


def test_default_scores_without_the_agglomeration_variables():
    m = Methodology.default()
    scores, indicators = composite_scores(indicator_values(reported(False), m), m)
    # 2022: scale EQ 100 (output, employment), growth EQ 100 (output +25% vs -20%, employment +5.3% vs -2.4%),
    # innovation EQ 75 AG 25 (R&D 3% vs 1%; patents per 10k tie 50/50), efficiency EQ 100 (productivity, energy),
    # openness AG 100 (exports 20% vs 10%); agglomeration and talent missing: 5 of 7 pillars.
    # EQ = (100 + 100 + 75 + 100 + 0) / 5 = 75, AG = (0 + 0 + 25 + 0 + 100) / 5 = 25
    # 2021 (no growth): EQ = (100 + 50 + 100 + 0) / 4 = 62.5, AG = (0 + 50 + 0 + 100) / 4 = 37.5
    assert scores.select("cluster_code", "year", "score", "rank").sort("year", "rank").rows() == [
        ("LN-EQ-001", 2021, 62.5, 1), ("LN-AG-001", 2021, 37.5, 2),
        ("LN-EQ-001", 2022, 75.0, 1), ("LN-AG-001", 2022, 25.0, 2)]
    assert indicators.filter(pl.col("year") == 2022, pl.col("raw_value").is_not_null()).height == 2 * 9


def test_default_scores_with_the_agglomeration_variables():
    m = Methodology.default()
    result = score_details(indicator_values(reported(True), m), m)
    # agglomeration 2022: LQ AG 100 (1.33 > 1.2), output share EQ 100, firm HHI (direction -1) EQ 100 (0.46 < 0.5):
    # EQ (0 + 100 + 100) / 3 = 66.67, AG 33.33; six pillars now:
    # EQ = (100 + 66.67 + 100 + 75 + 100 + 0) / 6 = 73.61, AG = (0 + 33.33 + 0 + 25 + 0 + 100) / 6 = 26.39
    s = result.scores.filter(pl.col("year") == 2022).sort("rank")
    assert s.get_column("score").to_list() == pytest.approx([441.6667 / 6, 158.3333 / 6], abs=1e-3)
    pillars = result.aggregates.filter(pl.col("year") == 2022, pl.col("code") == "agglomeration").sort("rank")
    assert pillars.get_column("score").to_list() == pytest.approx([200 / 3, 100 / 3])
    # the change 2021 -> 2022 of EQ: 62.5 -> 73.61 (+11.11): growth and agglomeration appear (other effect),
    # R&D and productivity stay the best, patents per 10k move from the lower to a tie
    changes, contributions = explain_changes(result)
    eq = changes.filter(pl.col("cluster_code") == "LN-EQ-001").row(0, named=True)
    assert eq["change"] == pytest.approx(441.6667 / 6 - 62.5, abs=1e-3)
    assert eq["indicators_effect"] + eq["reference_effect"] + eq["other_effect"] == pytest.approx(eq["change"])
    unc = rank_uncertainty(result, samples=50)
    assert unc.intervals.filter(pl.col("year") == 2022).select("rank", "rank_low", "rank_high").rows() == [
        (1, 1, 1), (2, 2, 2)]  # EQ leads on most indicators under every choice
    # Strengths as COINr's get_str_weak picks them (COINr 1.1.8), two clusters: AG ranks first on
    # lq_employment and export_share (a strength needs a rank in the top third, ceil(2/3) = 1); it ties EQ on
    # patents per 10k (both rank 1), which is then also the indicator's worst rank and is discarded (min_discard)
    sw = strengths_weaknesses(result).filter(pl.col("year") == 2022)
    assert sw.filter(pl.col("cluster_code") == "LN-AG-001", pl.col("kind") == "strength").get_column(
        "indicator").to_list() == ["lq_employment", "export_share"]
    # the first-ranked cluster has strengths too: EQ ranks first on every other indicator; at most max_items = 3
    # are listed, in the methodology's indicator order
    eq_strengths = sw.filter(pl.col("cluster_code") == "LN-EQ-001", pl.col("kind") == "strength")
    assert eq_strengths.height == 3 and set(eq_strengths.get_column("indicator_rank")) == {1}
