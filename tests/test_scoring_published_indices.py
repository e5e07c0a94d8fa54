"""Golden tests: UNDP's HDI 2022 and WEF's Global Gender Gap Index 2023, computed through the methodology format.

Data: ../shared/data/reference/tidyindex_hdi2022.csv, tidyindex_hdi_scales.csv, tidyindex_gggi.csv and
tidyindex_gggi_weights.csv (github.com/cran/tidyindex @ 9fa71d4, package data of tidyindex; values as UNDP and WEF
publish them).
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from conftest import shared_data

from pipeline.scoring import Methodology, score_details


def _long(frame: pl.DataFrame, unit: str, columns: list[str]) -> pl.DataFrame:
    return frame.unpivot(index=unit, on=columns, variable_name="indicator", value_name="raw_value").with_columns(
        pl.lit(2022).alias("year"), pl.col("raw_value").cast(pl.Float64))


def hdi_methodology(scales: pl.DataFrame) -> Methodology:
    """UNDP HDI technical notes: dimension indices from goalposts (capped), education the mean of its two
    indicators, HDI the geometric mean of the three dimension indices."""
    dims = {"Health": "health", "Education": "education", "Standard of living": "income"}
    text = ['[methodology]', 'name = "UNDP Human Development Index 2022"', 'min_coverage = 1.0',
            '[[level]]', 'name = "indicator"', 'normalisation = "goalposts"', 'scale = 1',
            '[[level]]', 'name = "dimension"', 'aggregation = "arithmetic"',
            '[[level]]', 'name = "index"', 'aggregation = "geometric"']
    for code in dims.values():
        text += ['[[aggregate]]', f'code = "{code}"', 'level = "dimension"', 'parent = "hdi"']
    text += ['[[aggregate]]', 'code = "hdi"', 'level = "index"']
    for row in scales.iter_rows(named=True):
        text += ['[[indicator]]', f'code = "{row["var"]}"', f'name = "{row["name"]}"', f'source = "{row["var"]}"',
                 f'parent = "{dims[row["dimension"]]}"', f'goalposts = [{row["min"]}, {row["max"]}]']
    return Methodology.from_text("\n".join(text), source="hdi.toml")


def test_hdi_2022_from_goalposts_and_the_geometric_mean():
    hdi = pl.read_csv(shared_data("reference", "tidyindex_hdi2022.csv"), null_values="NA")
    m = hdi_methodology(pl.read_csv(shared_data("reference", "tidyindex_hdi_scales.csv")))
    result = score_details(_long(hdi, "country", ["life_exp", "exp_sch", "avg_sch", "gni_pc"]), m, unit="country")
    got = result.scores.join(hdi.select("country", pl.col("hdi").alias("published")), on="country")
    assert got.height == 191 and got.get_column("score").null_count() == 0
    diff = (got.get_column("score") - got.get_column("published")).abs()
    # UNDP publishes 3 decimals from unrounded inputs; these inputs are themselves rounded (life expectancy to
    # 3 decimals, schooling to 3): every country within 0.00051, and 190 of 191 equal after rounding to 3 decimals.
    assert diff.max() < 0.00051
    rounded = got.filter(pl.col("score").round(3) != pl.col("published"))
    assert rounded.height <= 1
    top = got.sort("score", descending=True).head(3).get_column("country").to_list()
    assert top == ["Switzerland", "Norway", "Iceland"]


GGGI_CAPS = {"sex_ratio_at_birth": 0.944, "healthy_life_expectancy": 1.06}  # WEF's equality benchmarks; others 1
POLITICAL = ("women_in_parliament", "women_in_ministerial_positions", "years_with_female_head_of_state")
SUBINDEXES = ["economic_participation_and_opportunity", "educational_attainment", "health_and_survival",
              "political_empowerment"]


def gggi_methodology(weights: pl.DataFrame) -> Methodology:
    """WEF Global Gender Gap Report 2023, methodology: female/male ratios truncated at the equality benchmark,
    each sub-index the weighted mean of its indicators (weights renormalised over the reported ones), the index the
    unweighted mean of the four sub-indexes."""
    text = ['[methodology]', 'name = "WEF Global Gender Gap Index 2023"', 'min_coverage = 0.0',
            '[[level]]', 'name = "indicator"', 'normalisation = "none"',
            '[[level]]', 'name = "subindex"', 'weights = "manual"',
            '[[level]]', 'name = "index"', 'weights = "equal"']
    for code in SUBINDEXES:
        text += ['[[aggregate]]', f'code = "{code}"', 'level = "subindex"', 'parent = "gggi"']
    text += ['[[aggregate]]', 'code = "gggi"', 'level = "index"']
    for row in weights.iter_rows(named=True):
        # tidyindex's gggi_weights labels the three political indicators with the wrong dimension (SOURCE.txt)
        parent = "political_empowerment" if row["variable"] in POLITICAL else row["dimension"]
        cap = GGGI_CAPS.get(row["variable"], 1.0)
        text += ['[[indicator]]', f'code = "{row["variable"]}"', f'source = "{row["variable"]}"',
                 f'parent = "{parent}"', f'weight = {row["var_weight"]}', f'goalposts = [0, {cap}]']
    return Methodology.from_text("\n".join(text), source="gggi.toml")


def test_gggi_2023_subindexes_with_missing_indicators():
    gggi = pl.read_csv(shared_data("reference", "tidyindex_gggi.csv"), null_values="NA")
    weights = pl.read_csv(shared_data("reference", "tidyindex_gggi_weights.csv"))
    m = gggi_methodology(weights)
    columns = weights.get_column("variable").to_list()
    result = score_details(_long(gggi, "country", columns), m, unit="country")
    subs = result.aggregates.filter(pl.col("level") == "subindex").pivot(on="code", index="country", values="score")
    got = subs.join(gggi.select("country", *SUBINDEXES), on="country", suffix="_published")
    assert got.height == 146
    missing = gggi.select(columns).null_count().sum_horizontal().item()
    assert missing > 0  # e.g. Afghanistan lacks wage equality and enrolment in primary education
    worst = {}
    for code in SUBINDEXES:
        diff = (got.get_column(code) - got.get_column(f"{code}_published")).abs()
        worst[code] = diff.max()
    # WEF publishes 3 decimals from unrounded ratios; the inputs here are rounded to 3 decimals
    assert max(worst.values()) < 0.0015, worst
    afg = got.filter(pl.col("country") == "Afghanistan").row(0, named=True)
    # economic participation without wage equality: (0.199 x 0.303 + 0.221 x 0.203 + 0.149 x 0.051 + 0.121 x 0.137)
    # / (0.199 + 0.221 + 0.149 + 0.121) = 0.1888 (published 0.1888)
    expected = (0.199 * 0.303 + 0.221 * 0.203 + 0.149 * 0.051 + 0.121 * 0.137) / (0.199 + 0.221 + 0.149 + 0.121)
    assert afg["economic_participation_and_opportunity"] == pytest.approx(expected)
    index = result.scores.join(gggi.select("country", "index"), on="country")
    assert np.abs(index.get_column("score") - index.get_column("index")).max() < 0.0015
