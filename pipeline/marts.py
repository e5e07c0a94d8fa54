"""The marts a build computes in Python: indices (pipeline.indices) and scores (pipeline.scoring).

Inputs are read from the build's facts through the SQL files in ``warehouse/sql/queries/build_*.sql``; results are
written into the mart tables declared in ``warehouse/sql/ddl/004_marts.sql``. Each mart records the options it
was computed with (reference economy, threshold, methodology version).
"""

from __future__ import annotations

import polars as pl

from pipeline.indices import cluster_rollup, concentration_ratio, herfindahl, location_quotient
from pipeline.scoring import Methodology, composite_scores, indicator_values, size_band
from warehouse.build import Builder

LEVELS = ("year", "measure", "region_level", "industry_level")


def build_marts(builder: Builder, methodology: Methodology) -> dict[str, int]:
    """Compute and write every Python-computed mart; returns rows written per mart."""
    facts = builder.query_file("queries/build_regional_facts.sql")
    written = {
        "mart_location_quotient": builder.write("mart_location_quotient", _lq(facts, methodology)),
        "mart_industry_concentration": builder.write(
            "mart_industry_concentration", _hhi(facts, unit="region_code", group="industry_code")
        ),
        "mart_region_diversity": builder.write(
            "mart_region_diversity", _hhi(facts, unit="industry_code", group="region_code")
        ),
    }
    mapping = builder.query_file("queries/build_cluster_map.sql")
    written["mart_cluster_lq"] = builder.write("mart_cluster_lq", _cluster_lq(facts, mapping, methodology))
    firms = builder.query_file("queries/build_firms_long.sql")
    written["mart_cluster_firm_concentration"] = builder.write(
        "mart_cluster_firm_concentration", _firm_concentration(firms)
    )
    reported = builder.query_file("queries/build_cluster_reported.sql")
    scores, indicators = _scores(reported, methodology)
    written["mart_cluster_indicator"] = builder.write("mart_cluster_indicator", indicators)
    written["mart_cluster_score"] = builder.write("mart_cluster_score", scores)
    return written


def _lq(facts: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    lq = location_quotient(facts, by=LEVELS, threshold=methodology.lq_threshold)
    return lq.with_columns(
        pl.lit(methodology.reference).alias("reference"), pl.lit(methodology.lq_threshold).alias("threshold")
    )


def _hhi(facts: pl.DataFrame, *, unit: str, group: str) -> pl.DataFrame:
    return herfindahl(facts.drop_nulls("value"), unit=unit, group=group, by=LEVELS)


def _cluster_lq(facts: pl.DataFrame, mapping: pl.DataFrame, methodology: Methodology) -> pl.DataFrame:
    """Cluster LQ by region: cluster employment (output ...) in a region over the region's all-industry total, against
    the same ratio for all regions (industries of the mapped level, regions of one level)."""
    if facts.is_empty() or mapping.is_empty():
        return pl.DataFrame()
    rolled = cluster_rollup(facts, mapping, by=("measure", "region_level", "industry_level"))
    totals = facts.group_by(*LEVELS, "region_code").agg(pl.col("value").sum().alias("region_total"))
    lq = location_quotient(
        rolled, industry="cluster_code", by=LEVELS, threshold=methodology.lq_threshold, region_totals=totals
    )
    return lq.rename({"industry_total": "cluster_total"}, strict=False).with_columns(
        pl.lit(methodology.reference).alias("reference"), pl.lit(methodology.lq_threshold).alias("threshold")
    )


def _firm_concentration(firms: pl.DataFrame) -> pl.DataFrame:
    if firms.is_empty():
        return pl.DataFrame()
    by = ("year", "measure")
    hhi = herfindahl(firms, unit="firm_id", group="cluster_code", by=by, n="group")
    cr4 = concentration_ratio(firms, unit="firm_id", group="cluster_code", by=by, k=4).select(
        *by, "cluster_code", "cr4"
    )
    return hhi.join(cr4, on=[*by, "cluster_code"], how="left")


def _scores(reported: pl.DataFrame, methodology: Methodology) -> tuple[pl.DataFrame, pl.DataFrame]:
    if reported.is_empty():
        return pl.DataFrame(), pl.DataFrame()
    values = indicator_values(reported, methodology)
    scores, indicators = composite_scores(values, methodology)
    size = (
        reported.filter(pl.col("indicator").is_in(["output_value", "employment"]))
        .pivot(on="indicator", index=["cluster_code", "year"], values="value")
    )
    for col in ("output_value", "employment"):
        if col not in size.columns:
            size = size.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    scores = scores.join(size, on=["cluster_code", "year"], how="left").with_columns(
        size_band(pl.col("output_value"), methodology).alias("size_band"),
        pl.lit(methodology.hash).alias("methodology_hash"),
    )
    indicators = indicators.rename({"unit_label": "unit"}).with_columns(
        pl.lit(methodology.hash).alias("methodology_hash")
    )
    return scores, indicators
