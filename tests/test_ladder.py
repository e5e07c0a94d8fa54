"""The cultivation ladder and plan targets (pipeline.scoring.tiers, pipeline.scoring.targets), by hand calculation:
each default rule at and just past its threshold, consecutive-year rules with a missing year, a cluster's standing,
the rules' parse errors, and the growth a target needs against the growth achieved and the trend's projection.

The default rules are the methodology file's (METHODS.md: MIIT 工信部企业〔2022〕119号, national characteristic SME
clusters): output at least 4 bn yuan in each of the last 3 years; SMEs at least 70% of output; growth above 10%."""

from __future__ import annotations

import math

import polars as pl
import pytest

from pipeline.core.errors import MethodologyInvalid
from pipeline.scoring import Methodology
from pipeline.scoring.targets import cagr, needed_growth, project
from pipeline.scoring.tiers import evaluate, standing

LADDER = Methodology.default().ladder


def _values(rows: list[tuple[str, int, float | None, float | None]]) -> pl.DataFrame:
    """(cluster, year, output_value, sme_output) rows."""
    return pl.DataFrame(rows, schema={"cluster_code": pl.String, "year": pl.Int64, "output_value": pl.Float64,
                                      "sme_output": pl.Float64}, orient="row")


def _rule(results: pl.DataFrame, cluster: str, rule: str, year: int = 2022) -> dict:
    return results.filter((pl.col("cluster_code") == cluster) & (pl.col("rule") == rule)
                          & (pl.col("year") == year)).row(0, named=True)


def test_the_defaults_are_the_national_rules():
    tier = LADDER.tier("national_sme")
    assert tier.valid_years == 3 and "工信部企业〔2022〕119号" in tier.source
    rules = {r.code: (r.indicator, r.denominator, r.growth, r.comparison, r.threshold, r.years) for r in tier.rules}
    assert rules == {"output_4bn": ("output_value", None, False, "at_least", 4e9, 3),
                     "sme_share_70": ("sme_output", "output_value", False, "at_least", 0.70, 1),
                     "growth_10": ("output_value", None, True, "above", 0.10, 1)}
    assert LADDER.risk_margin == 0.10 and [t.code for t in LADDER.tiers] == ["provincial", "national_sme"]


def test_output_of_4bn_in_each_of_3_years_at_and_just_past_the_threshold():
    results = evaluate(_values([
        # at the threshold every year: met (at least), distance 0
        ("AT", 2020, 4.0e9, None), ("AT", 2021, 4.0e9, None), ("AT", 2022, 4.0e9, None),
        # one yuan short in the middle year: not met; the last year alone is a run of 1
        ("SHORT", 2020, 5.0e9, None), ("SHORT", 2021, 4.0e9 - 1, None), ("SHORT", 2022, 5.0e9, None),
        # just past in each: met, 2022 distance 0.2 bn = 5% of 4 bn
        ("PAST", 2020, 4.1e9, None), ("PAST", 2021, 4.1e9, None), ("PAST", 2022, 4.2e9, None),
    ]), LADDER, [2022])
    at = _rule(results, "AT", "output_4bn")
    assert at["met"] and at["distance"] == 0 and at["distance_pct"] == 0 and at["years_met"] == 3
    short = _rule(results, "SHORT", "output_4bn")
    assert not short["met"] and short["years_met"] == 1 and short["missing_years"] == []
    assert [e["passed"] for e in short["evidence"]] == [True, False, True]
    past = _rule(results, "PAST", "output_4bn")
    assert past["met"] and past["distance"] == pytest.approx(0.2e9) and past["distance_pct"] == pytest.approx(0.05)


def test_a_missing_year_counts_as_not_met_and_is_named():
    # 2021 was not reported: the 3-year rule is not met for 2022 (a gap is not evidence of meeting it), its
    # missing year is named; 2023 is evaluated on 2021-2023, still with the gap; 2024 on 2022-2024: met
    results = evaluate(_values([("GAP", 2020, 5e9, None), ("GAP", 2022, 5e9, None), ("GAP", 2023, 5e9, None),
                                ("GAP", 2024, 5e9, None)]), LADDER, [2022, 2023, 2024])
    for year in (2022, 2023):
        row = _rule(results, "GAP", "output_4bn", year)
        assert not row["met"] and row["missing_years"] == [2021] and row["years_met"] == year - 2021
    assert _rule(results, "GAP", "output_4bn", 2024)["met"]
    # a growth needs the year before: 2022's growth on a missing 2021 is missing, not met
    growth = _rule(results, "GAP", "growth_10", 2022)
    assert growth["value"] is None and not growth["met"] and growth["missing_years"] == [2022]


def test_sme_share_at_and_just_past_70_percent():
    results = evaluate(_values([("AT", 2022, 10e9, 7e9), ("UNDER", 2022, 10e9, 6.999e9), ("NONE", 2022, 0.0, 0.0)]),
                       LADDER, [2022])
    at = _rule(results, "AT", "sme_share_70")
    assert at["met"] and at["value"] == pytest.approx(0.7)  # 7 / 10 = 0.7 (at least: met)
    under = _rule(results, "UNDER", "sme_share_70")
    # 6.999 / 10 = 0.6999: 0.0001 short, 0.0001 / 0.7 = 0.0142857...% of the threshold
    assert not under["met"] and under["distance"] == pytest.approx(-0.0001)
    assert under["distance_pct"] == pytest.approx(-0.0001 / 0.7)
    assert _rule(results, "NONE", "sme_share_70")["value"] is None  # a share of nothing is undefined


def test_growth_above_10_percent_at_and_just_past():
    results = evaluate(_values([("AT", 2021, 4.0e9, None), ("AT", 2022, 4.4e9, None),
                                ("PAST", 2021, 4.0e9, None), ("PAST", 2022, 4.41e9, None)]), LADDER, [2022])
    at = _rule(results, "AT", "growth_10")
    # 4.4 / 4.0 - 1 = 0.10000000000000009 in floating point: exactly 10%, which is not above 10%
    assert at["value"] == pytest.approx(0.10) and not at["met"]
    past = _rule(results, "PAST", "growth_10")
    assert past["met"] and past["value"] == pytest.approx(0.1025)  # 4.41 / 4.0 - 1


def test_standing_promotion_meets_at_risk_below_and_unrecognised():
    years = [2020, 2021, 2022]

    def grow(first: float, rate: float, sme: float) -> list[tuple[float, float]]:
        return [(first * (1 + rate) ** i, sme * first * (1 + rate) ** i) for i in range(3)]

    rows = []
    for cluster, series in {
        # provincial; 5.0, 5.6, 6.272 bn, SMEs 80%, growth 12%: meets every national rule: promotion
        "PROMOTE": grow(5e9, 0.12, 0.80),
        # national; 2022: output 8.64 bn (116% past 4 bn), SMEs 90% (28.6% past 70%), growth 20% (100% past): meets
        "SAFE": grow(6e9, 0.20, 0.90),
        # national; growth 12% is 20% past 10%, output 5.27 bn 31.7% past 4 bn, but SMEs 75% are only
        # (0.75 - 0.70) / 0.70 = 7.1% past 70%, within the 10% margin: at risk
        "RISKY": grow(4.2e9, 0.12, 0.75),
        # national; growth 5%, not above 10%: below its tier
        "FALLING": grow(6e9, 0.05, 0.80),
        # no tier; 1.0-1.1 bn: meets nothing: unrecognised
        "NEW": grow(1e9, 0.05, 0.50),
    }.items():
        rows += [(cluster, y, out, sme) for y, (out, sme) in zip(years, series, strict=True)]
    held = pl.DataFrame({"cluster_code": ["PROMOTE", "SAFE", "RISKY", "FALLING"], "year": [2022] * 4,
                         "tier": ["provincial", "national_sme", "national_sme", "national_sme"]})
    got = {r["cluster_code"]: r for r in standing(evaluate(_values(rows), LADDER, [2022]), held, LADDER)
           .iter_rows(named=True)}
    assert got["PROMOTE"]["status"] == "promotion" and got["PROMOTE"]["qualifies"] == "national_sme"
    assert got["SAFE"]["status"] == "meets" and got["SAFE"]["at_risk"] == []
    assert got["RISKY"]["status"] == "at_risk" and got["RISKY"]["at_risk"] == ["sme_share_70"]
    assert got["FALLING"]["status"] == "below" and got["FALLING"]["failed"] == ["growth_10"]
    assert got["NEW"]["status"] == "unrecognised" and got["NEW"]["qualifies"] is None


def test_rule_problems_name_their_line():
    bad = (_default_text() + '\n[[tier_rule]]\ntier = "world_class"\ncode = "x"\nindicator = "output_value"\n'
           'threshold = 1\nyears = 2.5\n')
    with pytest.raises(MethodologyInvalid) as err:
        Methodology.from_text(bad, source="m.toml")
    message = str(err.value)
    lines = bad.splitlines()
    header = max(i for i, line in enumerate(lines, start=1) if line.strip() == "[[tier_rule]]")
    assert f"line {header + 1}: [[tier_rule]] x tier: 'world_class' is not a [[tier]] code" in message


def _default_text() -> str:
    from importlib import resources

    return resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")


def test_needed_against_achieved_growth_by_hand():
    # a cluster at 50 bn in 2023 with a target of 72 bn for 2025: (72/50)^(1/2) - 1 = 1.2 - 1 = 20% a year needed
    assert needed_growth(50e9, 72e9, 2) == pytest.approx(0.20, abs=1e-12)
    # it grew from 40 bn (2020) to 50 bn (2023): (50/40)^(1/3) - 1 = 1.25^(1/3) - 1 = 7.7217%: off track
    achieved = cagr(40e9, 50e9, 3)
    assert achieved == pytest.approx(1.25 ** (1 / 3) - 1, abs=1e-15) and achieved == pytest.approx(0.077217, abs=1e-6)
    assert needed_growth(0.0, 10.0, 2) is None and needed_growth(10.0, 12.0, 0) is None and cagr(None, 1.0, 1) is None


def test_the_trend_projection_by_hand():
    # exact constant growth: 100 * 1.1^t, no residual: the interval has no width, the trend grows 10% a year
    exact = project([(2019 + t, 100 * 1.1 ** t) for t in range(5)], 2025)
    assert exact.value == pytest.approx(100 * 1.1 ** 6, rel=1e-12) and exact.growth == pytest.approx(0.1, rel=1e-12)
    assert exact.low == pytest.approx(exact.value, rel=1e-9) and exact.high == pytest.approx(exact.value, rel=1e-9)
    # ln v = 0, 1, 1, 2 at t = 0..3 (years 2020-2023): mean t 1.5, mean ln v 1, Sxx = 5, Sxy = 3, slope 0.6,
    # intercept 1 - 0.6 * 1.5 = 0.1; residuals -0.1, 0.3, -0.3, 0.1: SSE 0.2, s^2 = 0.2 / 2 = 0.1. At t = 5 (2025):
    # ln v = 0.1 + 0.6 * 5 = 3.1; se = sqrt(0.1 * (1 + 1/4 + (5 - 1.5)^2 / 5)) = sqrt(0.37); 90%: t(0.95, 2 df) =
    # 2.919986 (tables of Student's t)
    fit = project([(2020, 1.0), (2021, math.e), (2022, math.e), (2023, math.e ** 2)], 2025)
    half = 2.919986 * math.sqrt(0.37)
    assert fit.value == pytest.approx(math.exp(3.1), rel=1e-12) and fit.growth == pytest.approx(math.exp(0.6) - 1)
    assert fit.low == pytest.approx(math.exp(3.1 - half), rel=1e-6) and fit.high == pytest.approx(math.exp(3.1 + half),
                                                                                                rel=1e-6)
    assert project([(2022, 1.0), (2023, 2.0)], 2025) is None  # two years: no trend is claimed
