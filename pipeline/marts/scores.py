"""Composite performance scores per cluster and year, on the methodology's indicators.

The scoring engine (``pipeline.scoring``) receives the reported cluster indicators plus agglomeration variables
derived here from the other marts: the cluster's LQ in its lead city, its share of the province's output, and
the concentration of its firms.
"""

from __future__ import annotations

import polars as pl

from pipeline.scoring import Methodology, composite_scores, indicator_values, size_band


def agglomeration_variables(
    clusters: pl.DataFrame, cluster_lq: pl.DataFrame, firm: pl.DataFrame, reported: pl.DataFrame,
    province_output: pl.DataFrame,
) -> pl.DataFrame:
    """Long (cluster_code, year, indicator, value) rows: lq_employment, lq_output_value, output_share,
    firm_hhi_employment, firm_hhi_output_value, firm_cr4_output_value."""
    parts = []
    if not cluster_lq.is_empty():
        lead = cluster_lq.join(clusters.select(pl.col("code").alias("cluster_code"),
                                               pl.col("lead_region").alias("region_code")),
                               on=["cluster_code", "region_code"], how="semi")
        parts.append(lead.filter(pl.col("measure").is_in(["employment", "output_value"])).select(
            "cluster_code", "year", ("lq_" + pl.col("measure")).alias("indicator"), pl.col("lq").alias("value")))
    if not firm.is_empty():
        parts.append(firm.select("cluster_code", "year", ("firm_hhi_" + pl.col("measure")).alias("indicator"),
                                 pl.col("hhi").alias("value")))
        parts.append(firm.filter(pl.col("measure") == "output_value").select(
            "cluster_code", "year", pl.lit("firm_cr4_output_value").alias("indicator"), pl.col("cr4").alias("value")))
    if not province_output.is_empty() and not reported.is_empty():
        share = reported.filter(pl.col("indicator") == "output_value").join(province_output, on="year", how="inner")
        parts.append(share.select("cluster_code", "year", pl.lit("output_share").alias("indicator"),
                                  pl.when(pl.col("province_output") > 0)
                                  .then(pl.col("value") / pl.col("province_output")).alias("value")))
    if not parts:
        return pl.DataFrame(schema={"cluster_code": pl.String, "year": pl.Int64, "indicator": pl.String,
                                    "value": pl.Float64})
    return pl.concat([p.with_columns(pl.col("year").cast(pl.Int64), pl.col("value").cast(pl.Float64))
                      for p in parts]).drop_nulls("value")


def scores(reported: pl.DataFrame, extra: pl.DataFrame, m: Methodology) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(mart_cluster_score rows, mart_cluster_indicator rows)."""
    if reported.is_empty():
        return pl.DataFrame(), pl.DataFrame()
    inputs = pl.concat([reported.select("cluster_code", pl.col("year").cast(pl.Int64), "indicator",
                                        pl.col("value").cast(pl.Float64)), extra])
    values = indicator_values(inputs, m)
    score, indicators = composite_scores(values, m)
    size = (reported.filter(pl.col("indicator").is_in(["output_value", "employment"]))
            .pivot(on="indicator", index=["cluster_code", "year"], values="value"))
    for col in ("output_value", "employment"):
        if col not in size.columns:
            size = size.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    score = score.join(size, on=["cluster_code", "year"], how="left").with_columns(
        size_band(pl.col("output_value"), m).alias("size_band"), pl.lit(m.hash).alias("methodology_hash"))
    indicators = indicators.rename({"unit_label": "unit"}).with_columns(pl.lit(m.hash).alias("methodology_hash"))
    return score, indicators
