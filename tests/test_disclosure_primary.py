"""Primary suppression rules (issue 17, first part): minimum frequency, dominance (n, k) and the p % rule, against
GaussSuppression's documented examples and by hand at and just past each threshold."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.publishing.primary import cell_contributions, dominance_rule, frequency_rule, p_percent_rule

# GaussSuppression 1.2.3 (statisticsnorway/ssb-gausssuppression, R/SuppressDominantCells.R, @examples "basic use"):
# 18 contributions to 7 cells v1..v7, each cell totalling 100; every record is its own contributor.
NUM = [100, 90, 10, 80, 20, 70, 30, 50, 25, 25, 40, 20, 20, 20, 25, 25, 25, 25]
V1 = ["v1", "v2", "v2", "v3", "v3", "v4", "v4", "v5", "v5", "v5", "v6", "v6", "v6", "v6", "v7", "v7", "v7", "v7"]


@pytest.fixture
def example() -> pl.DataFrame:
    records = pl.DataFrame({"v1": V1, "num": NUM, "firm": [f"f{i}" for i in range(len(NUM))]})
    return cell_contributions(records, ["v1"], "num", "firm")


def test_cells_keep_their_total_contributors_and_two_largest(example):
    assert example.get_column("total").to_list() == [100] * 7
    assert example.get_column("n_contributors").to_list() == [1, 2, 2, 2, 3, 4, 4]
    assert example.get_column("x1").to_list() == [100, 90, 80, 70, 50, 40, 25]
    assert example.get_column("x2").to_list() == [0, 10, 20, 30, 25, 20, 25]


def test_dominance_agrees_with_gausssuppression(example):
    # SuppressDominantCells(d, n = c(1,2), k = c(80,70), numVar = "num", formula = ~v1 -1), run here with R 4.2.2:
    # primary = TRUE for v1..v5, FALSE for v6, v7 (v3: 80 % is "at least 80": primary; v5: 50 + 25 = 75 >= 70)
    assert dominance_rule(example, [(1, 80), (2, 70)]).to_list() == [True] * 5 + [False] * 2


def test_p_percent_agrees_with_gausssuppression(example):
    # SuppressDominantCells(d, pPercent = 7, numVar = "num", formula = ~v1 -1): primary v1..v4 only.
    # v4: 100 - 70 - 30 = 0 < 4.9; v5: 100 - 50 - 25 = 25, not < 3.5
    assert p_percent_rule(example, 7).to_list() == [True] * 4 + [False] * 3


def test_frequency_with_dominance_agrees_with_gausssuppression(example):
    # SuppressDominantCells(..., primary = c(DominanceRule, NContributorsRule), maxN = 3, allDominance = TRUE):
    # primary v1..v5 (v5 has 3 contributors)
    either = dominance_rule(example, [(1, 80), (2, 70)]) | frequency_rule(example, max_n=3)
    assert either.to_list() == [True] * 5 + [False] * 2
    assert frequency_rule(example, max_n=3).to_list() == [True] * 5 + [False] * 2


def _cells(*contributions: list[float]) -> pl.DataFrame:
    rows = [{"cell": f"c{i}", "firm": f"f{j}", "v": v} for i, cs in enumerate(contributions) for j, v in enumerate(cs)]
    return cell_contributions(pl.DataFrame(rows), ["cell"], "v", "firm")


def test_each_rule_at_and_just_past_its_threshold():
    # defaults (1, 85), (2, 90): a largest firm of 85 of 100 is dominant, 84.9 is not; two firms of 90 of 100
    # together are, 89.9 are not (the rest spread over 5 small firms so that (1, 85) does not decide; and in the
    # second cell 84.9 + 5.05 = 89.95 keeps (2, 90) from deciding)
    cells = _cells([85, 5, 5, 5], [84.9, 5.05, 5.05, 5], [45, 45, 2, 2, 2, 2, 2], [45, 44.9, 2.1, 2, 2, 2, 2])
    assert dominance_rule(cells).to_list() == [True, False, True, False]
    # minimum frequency: 2 firms are too few, 3 are enough; an empty cell has nobody to disclose
    freq = _cells([10, 20], [10, 20, 30])
    assert frequency_rule(freq).to_list() == [True, False]
    # p % = 10: x1 = 100, x2 = 50, rest 9.9 -> 9.9 < 10: primary; rest 10 -> not
    pp = _cells([100, 50, 9.9], [100, 50, 10])
    assert p_percent_rule(pp, 10).to_list() == [True, False]


def test_one_firms_records_in_a_cell_are_one_contribution():
    # firm A has two establishments in the cell (60 + 30), B has 10: A makes 90 %, dominant under (1, 85)
    records = pl.DataFrame({"cell": ["c"] * 3, "firm": ["A", "A", "B"], "v": [60.0, 30.0, 10.0]})
    cells = cell_contributions(records, ["cell"], "v", "firm")
    assert cells.row(0, named=True) == {"cell": "c", "total": 100.0, "n_contributors": 2, "n_nonzero": 2,
                                        "x1": 90.0, "x2": 10.0}
    assert dominance_rule(cells).to_list() == [True] and frequency_rule(cells).to_list() == [True]


def test_a_cell_totalling_zero_is_not_dominated():
    cells = _cells([0, 0, 0, 0])
    assert dominance_rule(cells).to_list() == [False]
    with pytest.raises(ValueError, match="n = 3"):
        dominance_rule(cells, [(3, 95)])


def test_the_methodology_file_holds_the_rules_and_refuses_impossible_ones():
    from pipeline.core.errors import MethodologyInvalid
    from pipeline.scoring import Methodology

    d = Methodology.default().disclosure  # the defaults a bureau would use, documented in the file
    assert (d.min_contributors, d.dominance, d.p_percent, d.protection, d.symbol, d.symbol_zh) == (
        3, ((1, 85.0), (2, 90.0)), 0.0, 0.10, "D", "保密")
    base = "[methodology]\nname = 'x'\n[[indicator]]\ncode = 'a'\nsource = 'employment'\n"
    custom = Methodology.from_text(base + "[disclosure]\nmin_contributors = 4\ndominance = [[1, 80]]\n"
                                   "p_percent = 10\n").disclosure
    assert (custom.min_contributors, custom.dominance, custom.p_percent) == (4, ((1, 80.0),), 10.0)
    with pytest.raises(MethodologyInvalid, match=r"\[3, 95\] is not \[n, k\] with n 1 or 2") as bad:
        Methodology.from_text(base + "[disclosure]\ndominance = [[3, 95], [1, 120]]\nmin_contributors = 0\n")
    assert "[1, 120] is not [n, k]" in str(bad.value) and "at least 1, not 0" in str(bad.value)
    # composite scores: published by default, withheld when the file says so; nothing else is accepted
    assert d.scores == "published"
    assert Methodology.from_text(base + "[disclosure]\nscores = 'withheld'\n").disclosure.scores == "withheld"
    with pytest.raises(MethodologyInvalid, match="scores") as bad:
        Methodology.from_text(base + "[disclosure]\nscores = 'hidden'\n")
    assert "hidden" in str(bad.value)
