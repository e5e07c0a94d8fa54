"""Scores of the tiny data set through the real recompute path, checked by hand against the default methodology."""

from __future__ import annotations

import pytest

from pipeline.scoring import Methodology
from warehouse import queries


def test_scores_in_the_warehouse_match_the_hand_calculation(built):
    scores = queries.cluster_list(built.warehouse_path, 2022)
    # 2022: EQ leads on scale, growth, innovation and efficiency, AG on openness (hand calculation in
    # test_scoring_tiny.py: 75 / 25 without the agglomeration variables, 73.61 / 26.39 with them)
    assert scores.select("cluster_code", "rank", "n_ranked", "size_band").rows() == [
        ("LN-EQ-001", 1, 2, "1-10 billion"),
        ("LN-AG-001", 2, 2, "1-10 billion"),
    ]
    assert scores.get_column("score").to_list() in (pytest.approx([75.0, 25.0]),
                                                    pytest.approx([441.6667 / 6, 158.3333 / 6], abs=1e-3))
    # 2021 has no growth (no 2020) and no agglomeration variables (regional and firm records are 2022 only):
    # 4 of 7 pillars. Scale EQ 100; innovation: R&D 2.5% > 0.8% (EQ), patents per 10k 40/9500 x 1e4 = 42.11 <
    # 35/8200 x 1e4 = 42.68 (AG): 50 each; efficiency: productivity 421k > 305k, energy 0.225 < 0.84 per 10k yuan:
    # EQ 100; openness: exports 10% < 18%: AG 100. EQ = (100 + 50 + 100 + 0) / 4 = 62.5; AG = 37.5
    y2021 = queries.cluster_list(built.warehouse_path, 2021)
    assert y2021.get_column("score").to_list() == pytest.approx([62.5, 37.5])
    assert y2021.get_column("indicators_used").to_list() == [7, 7]
    header = queries.cluster_header(built.warehouse_path, "LN-EQ-001", 2022)
    assert header["methodology_hash"] == Methodology.default().hash  # every score row records the version


def test_scorecard_indicator_rows(built):
    ind = queries.cluster_indicators(built.warehouse_path, "LN-AG-001", 2022)
    row = ind.filter(ind["indicator"] == "export_share").row(0, named=True)
    # 4e8 / 2e9 x 100 = 20 %; best of the two -> normalised 100, median of (10, 20) = 15; the only indicator of its
    # pillar present, so it weighs 1/2 within openness
    assert (row["raw_value"], row["normalised"], row["median_raw"], row["unit"]) == (20.0, 100.0, 15.0, "%")
    assert row["weight"] == 0.5
    assert ind.height == 19  # every indicator of the methodology is listed, the unreported ones without a value
