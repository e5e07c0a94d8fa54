"""Region x category marts (the U.S. Cluster Mapping layer): each cluster category's LQ in every region, its
geographic concentration, strength and portfolio quadrants, and each region's strength.

A cluster category is a set of industries (``bridge_category_industry``), measured in every region by rolling the
industry records up through that map (``cluster_rollup``). Since categories do not partition the economy (they may
overlap and leave industries out), every index that compares a category with "the whole" takes the region's
all-industry total (``region_totals``), never the sum of categories. Named clusters (located agglomerations) are
:mod:`pipeline.marts.clusters`.
"""

from __future__ import annotations

import polars as pl

from pipeline.indices import (
    cluster_rollup,
    concentration_ratio,
    herfindahl,
    krugman_concentration,
    location_quotient,
    portfolio_quadrant,
    strong_clusters,
    strong_industry_share,
)
from pipeline.marts.common import LEVELS, combine, year_pairs
from pipeline.scoring import Methodology

ROLLUP_BY = ("measure", "region_level", "industry_level")
#: The key of a category in the marts and the map
CATEGORY = "category_code"


def rollup(facts: pl.DataFrame, mapping: pl.DataFrame) -> pl.DataFrame:
    """Region x category x year x measure values (weights and validity years applied)."""
    if facts.is_empty() or mapping.is_empty():
        return pl.DataFrame()
    return cluster_rollup(facts, mapping, cluster=CATEGORY, by=ROLLUP_BY).select(
        *LEVELS, "region_code", CATEGORY, "value")


def region_totals(facts: pl.DataFrame) -> pl.DataFrame:
    """All-industry totals of every region (within each year, measure and level)."""
    return facts.group_by(*LEVELS, "region_code").agg(pl.col("value").sum().alias("region_total"))


def category_lq(rolled: pl.DataFrame, totals: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    if rolled.is_empty():
        return pl.DataFrame()
    lq = location_quotient(rolled, industry=CATEGORY, by=LEVELS, threshold=m.lq_threshold,
                           region_totals=totals)
    return lq.rename({"industry_total": "category_total"}).with_columns(pl.lit(m.lq_threshold).alias("threshold"))


def category_concentration(rolled: pl.DataFrame, totals: pl.DataFrame, lq: pl.DataFrame,
                          m: Methodology) -> pl.DataFrame:
    """One row per category: how concentrated it is across regions."""
    if rolled.is_empty():
        return pl.DataFrame()
    keys = [*LEVELS, CATEGORY]
    ubiquity = lq.group_by(keys).agg(
        pl.col("specialised").fill_null(False).sum().cast(pl.Int64).alias("ubiquity"),
        pl.col("value").sum().alias("value_total"),
    )
    out = combine(keys, {
        "herfindahl": (herfindahl(rolled, unit="region_code", group=CATEGORY, by=LEVELS),
                       {"hhi": "hhi", "n_units": "n_units", "hhi_normalised": "hhi_normalised",
                        "equivalent_number": "equivalent_number"}),
        "cr4": (concentration_ratio(rolled, unit="region_code", group=CATEGORY, by=LEVELS, k=4),
                {"cr4": "cr4"}),
        "krugman": (krugman_concentration(rolled, industry=CATEGORY, by=LEVELS, region_totals=totals,
                                          against=m.indices.krugman_against), {"krugman": "krugman"}),
    })
    return out.join(ubiquity, on=keys, how="left", nulls_equal=True).with_columns(
        pl.lit(m.indices.krugman_against).alias("krugman_against"))


def _wide(rolled: pl.DataFrame, measures: list[str]) -> pl.DataFrame:
    keys = ["year", "region_level", "industry_level", "region_code", CATEGORY]
    wide = rolled.filter(pl.col("measure").is_in(measures)).pivot(on="measure", index=keys, values="value")
    for name in measures:
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return wide


def strength(rolled: pl.DataFrame, totals: pl.DataFrame, facts: pl.DataFrame, mapping: pl.DataFrame,
             m: Methodology, *, previous: tuple[pl.DataFrame, pl.DataFrame] | None = None
             ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """U.S. Cluster Mapping strong categories and portfolio quadrants (employment), and each region's strength: the
    share of its employment in industries of its strong categories, each industry counted once (categories may
    overlap).

    ``previous``: the (rolled, totals) of the year before, when ``rolled`` holds a single year, for the quadrants."""
    emp = rolled.filter(pl.col("measure") == "employment") if not rolled.is_empty() else rolled
    if emp.is_empty():
        return pl.DataFrame(), pl.DataFrame()
    by = ["year", "region_level", "industry_level"]
    wide = _wide(rolled, ["employment", "establishments"]).filter(pl.col("employment").is_not_null())
    has_estabs = wide.get_column("establishments").is_not_null().any()
    if not has_estabs:
        wide = wide.drop("establishments")
    emp_totals = totals.filter(pl.col("measure") == "employment").drop("measure")
    options = {"region_totals": emp_totals, "lq_percentile": m.indices.strong_lq_percentile,
               "size_percentile": m.indices.strong_size_percentile, "min_lq": m.lq_threshold,
               "establishments": "establishments" if has_estabs else None}
    strong = strong_clusters(wide, cluster=CATEGORY, by=by, **options)
    industries = facts.filter(pl.col("measure") == "employment").drop("measure")
    regions = strong_industry_share(industries, mapping, strong, cluster=CATEGORY,
                                    by=["region_level", "industry_level"]).join(
        strong.group_by(by + ["region_code"]).len("n_categories"), on=[*by, "region_code"], how="left")
    quadrants = []
    if previous is not None and not previous[0].is_empty():
        before = previous[0].filter(pl.col("measure") == "employment")
        emp = pl.concat([before, emp], how="diagonal_relaxed")
        emp_totals = pl.concat([previous[1].filter(pl.col("measure") == "employment").drop("measure"), emp_totals],
                               how="diagonal_relaxed")
    for start, end in year_pairs(emp.get_column("year").unique().to_list()):
        if end != start + 1:
            continue
        window = emp.filter(pl.col("year").is_in([start, end])).rename({"value": "employment"})
        q = portfolio_quadrant(window, cluster=CATEGORY, by=["region_level", "industry_level"], start=start, end=end,
                               threshold=m.lq_threshold, region_totals=emp_totals)
        quadrants.append(q.select("region_level", "industry_level", "region_code", CATEGORY,
                                  pl.col("end").alias("year"), "lq_change", "employment_change", "quadrant",
                                  pl.col("note").alias("quadrant_note")))
    if quadrants:
        strong = strong.join(pl.concat(quadrants), on=[*by, "region_code", CATEGORY], how="left",
                             nulls_equal=True)
    rule = [pl.lit(m.indices.strong_lq_percentile).alias("lq_percentile_cut"),
            pl.lit(m.indices.strong_size_percentile).alias("size_percentile_cut")]
    return strong.with_columns(rule), regions
