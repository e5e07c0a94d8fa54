"""The first composite score: min-max, equal weights, renormalised over present indicators, hand-checked."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.errors import MethodologyInvalid
from pipeline.scoring import Methodology, composite_scores, indicator_values
from warehouse import queries


def test_scores_in_the_warehouse_match_the_hand_calculation(built):
    scores = queries.cluster_list(built.warehouse_path, 2022)
    # 2022, two clusters, min-max per indicator gives 0 or 100 (a tie gives both 50):
    #   output 5e9 vs 2e9 (EQ 100), employment 10000 vs 8000 (EQ), growth +25% vs -20% (EQ),
    #   R&D intensity 3% vs 1% (EQ), patents per 10k 50 vs 50 (tie: 50 each), productivity 5e5 vs 2.5e5 (EQ),
    #   energy per 10k yuan 0.2 vs 1.0 (direction -1: EQ), export share 10% vs 20% (AG).
    # EQ = (6 x 100 + 50 + 0) / 8 = 81.25; AG = (6 x 0 + 50 + 100) / 8 = 18.75
    assert scores.select("cluster_code", "score", "rank", "n_ranked", "size_band").rows() == [
        ("LN-EQ-001", 81.25, 1, 2, "1-10 billion"),
        ("LN-AG-001", 18.75, 2, 2, "1-10 billion"),
    ]
    # 2021 has no growth (no 2020): 7 of 8 indicators, weights renormalised over them.
    # 2021: output 4e9 > 2.5e9 (EQ), employment 9500 > 8200 (EQ), R&D 2.5% > 0.8% (EQ),
    # patents per 10k 40/9500 x 1e4 = 42.11 < 35/8200 x 1e4 = 42.68 (AG), productivity 421k > 305k (EQ),
    # energy per 10k yuan 0.225 < 0.84 (EQ, lower is better), export share 10% < 18% (AG)
    # EQ = 5 x 100 / 7 = 71.43; AG = 2 x 100 / 7 = 28.57
    y2021 = queries.cluster_list(built.warehouse_path, 2021)
    assert y2021.get_column("score").to_list() == pytest.approx([500 / 7, 200 / 7])
    assert y2021.get_column("indicators_used").to_list() == [7, 7]


def test_scorecard_indicator_rows(built):
    ind = queries.cluster_indicators(built.warehouse_path, "LN-AG-001", 2022)
    row = ind.filter(pl.col("indicator") == "export_share").row(0, named=True)
    # 4e8 / 2e9 x 100 = 20 %; best of the two -> normalised 100, median of (10, 20) = 15
    assert (row["raw_value"], row["normalised"], row["median_raw"], row["unit"]) == (20.0, 100.0, 15.0, "%")
    assert ind.height == 8


def test_missing_indicators_below_coverage_give_no_score_with_a_reason():
    m = Methodology.default()  # 8 indicators, min_coverage 0.5
    reported = pl.DataFrame({
        "cluster_code": ["A", "A", "B", "B", "B", "B"],
        "year": [2022] * 6,
        "indicator": ["output_value", "employment", "output_value", "employment", "rd_spending", "exports"],
        "value": [1e9, 1000.0, 2e9, 1500.0, 4e7, 2e8],
    })
    scores, _ = composite_scores(indicator_values(reported, m), m)
    a = scores.filter(pl.col("cluster_code") == "A").row(0, named=True)
    # A reports output, employment and productivity (3 of 8 < 50%): no score
    assert a["score"] is None and a["rank"] is None
    assert a["note"] == "reports 3 of 8 indicators, below the 50% needed for a score"
    b = scores.filter(pl.col("cluster_code") == "B").row(0, named=True)
    # B: output, employment, productivity, R&D intensity, export share = 5 of 8, all 100 or the constant 50
    # (R&D and exports are reported by B alone, a constant column -> 50): (100+100+100+50+50)/5 = 80
    assert (b["score"], b["rank"], b["n_ranked"], b["indicators_used"]) == (80.0, 1, 1, 5)


def test_methodology_hash_changes_with_a_weight():
    base = Methodology.default()
    text = base_text().replace('code = "employment"', 'code = "employment"\nweight = 2', 1)
    changed = Methodology.from_text(text)
    assert changed.hash != base.hash
    assert [i.weight for i in changed.indicators if i.code == "employment"] == [2.0]


def base_text() -> str:
    from importlib import resources

    return resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("direction = -1", "direction = 0"), "[[indicator]] energy_intensity direction"),
        (lambda t: t.replace('normalisation = "minmax"', 'normalisation = "fancy"'), "normalisation: 'fancy'"),
        (lambda t: t.replace("min_coverage = 0.5", "min_coverage = 1.5"), "min_coverage: must be between 0 and 1"),
        (lambda t: t.replace('numerator = "patents"', ""), "[[indicator]] patents_per_10k_employees numerator"),
        (lambda t: t + "\n[[indicator]\n", "not valid TOML"),
    ],
)
def test_invalid_methodology_names_the_field(edit, message):
    with pytest.raises(MethodologyInvalid) as info:
        Methodology.from_text(edit(base_text()), source="m.toml")
    assert message in str(info.value) and str(info.value).startswith("m.toml:")
