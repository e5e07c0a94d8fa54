"""Composite performance scores per cluster and year, with their uncertainty and explanations.

The scoring engine (``pipeline.scoring``) receives the reported cluster indicators plus agglomeration variables
derived here from the other marts: the cluster's LQ in its lead city, its share of the province's output, and
the concentration of its firms.
"""

from __future__ import annotations

import polars as pl

from pipeline.scoring import (
    Methodology,
    explain_changes,
    indicator_values,
    peer_groups,
    rank_uncertainty,
    score_details,
    size_band,
    strengths_weaknesses,
)


def agglomeration_variables(
    lead_lq: pl.DataFrame, firm: pl.DataFrame, reported: pl.DataFrame, province_output: pl.DataFrame,
) -> pl.DataFrame:
    """Long (cluster_code, year, indicator, value) rows: lq_employment, lq_output_value, output_share,
    firm_hhi_employment, firm_hhi_output_value, firm_cr4_output_value."""
    parts = []
    if not lead_lq.is_empty():
        parts.append(lead_lq.select(
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


def _inputs(reported: pl.DataFrame, extra: pl.DataFrame) -> pl.DataFrame:
    return pl.concat([reported.select("cluster_code", pl.col("year").cast(pl.Int64), "indicator",
                                      pl.col("value").cast(pl.Float64)), extra])


def scores(reported: pl.DataFrame, extra: pl.DataFrame, m: Methodology) -> dict[str, pl.DataFrame]:
    """Every score mart: table name -> rows (each with the methodology version)."""
    if reported.is_empty():
        return {}
    result = score_details(indicator_values(_inputs(reported, extra), m), m)
    size = (reported.filter(pl.col("indicator").is_in(["output_value", "employment"]))
            .pivot(on="indicator", index=["cluster_code", "year"], values="value"))
    for col in ("output_value", "employment"):
        if col not in size.columns:
            size = size.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    score = result.scores.join(size, on=["cluster_code", "year"], how="left").with_columns(
        size_band(pl.col("output_value"), m).alias("size_band"))
    uncertainty = rank_uncertainty(result)
    change, contribution = explain_changes(result)
    marts = {
        "mart_cluster_score": score,
        "mart_cluster_indicator": result.indicators.rename({"unit_label": "unit"}),
        "mart_cluster_aggregate": result.aggregates,
        "mart_indicator_treatment": result.treatments,
        "mart_cluster_rank_interval": uncertainty.intervals,
        "mart_score_sensitivity": uncertainty.sensitivity,
        "mart_cluster_score_change": change,
        "mart_cluster_score_contribution": contribution,
        "mart_cluster_strengths_weaknesses": strengths_weaknesses(result),
        "mart_cluster_peer": peer_groups(result),
    }
    return {name: frame.with_columns(pl.lit(m.hash).alias("methodology_hash")) for name, frame in marts.items()}


def score_history(reported: pl.DataFrame, extra: pl.DataFrame, current: pl.DataFrame, m: Methodology,
                  earlier: list[Methodology]) -> pl.DataFrame:
    """Scores under the live methodology and every earlier version (score, rank per cluster and year)."""
    def rows_of(frame: pl.DataFrame, version: Methodology, is_current: bool) -> pl.DataFrame:
        return frame.select(pl.lit(version.hash).alias("methodology_hash"),
                            pl.lit(version.name).alias("methodology_name"), "cluster_code", "year", "score", "rank",
                            "n_ranked", pl.lit(is_current).alias("is_current"))

    rows = [rows_of(current, m, True)] if not current.is_empty() else []
    inputs = _inputs(reported, extra) if not reported.is_empty() else None
    for old in earlier:
        if old.hash != m.hash and inputs is not None:
            rows.append(rows_of(score_details(indicator_values(inputs, old), old).scores, old, False))
    return pl.concat(rows, how="diagonal_relaxed") if rows else pl.DataFrame()
