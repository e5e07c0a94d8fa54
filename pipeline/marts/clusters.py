"""Cluster marts: cluster LQ by region, geographic and firm concentration, U.S. Cluster Mapping strength,
portfolio quadrants, and Ellison-Glaeser agglomeration of industries and clusters from firm records.

Clusters are built from industry records through the cluster-industries map (``cluster_rollup``); since
clusters do not partition the economy (they overlap and leave industries out), every index that compares a
cluster with "the whole" takes the region's all-industry total (``region_totals``), never the sum of clusters.
"""

from __future__ import annotations

import polars as pl

from pipeline.indices import (
    cluster_rollup,
    concentration_ratio,
    firm_agglomeration,
    herfindahl,
    krugman_concentration,
    location_quotient,
    portfolio_quadrant,
    strong_clusters,
    strong_industry_share,
    subset_checked,
)
from pipeline.marts.common import LEVELS, combine, year_pairs
from pipeline.scoring import Methodology

ROLLUP_BY = ("measure", "region_level", "industry_level")
#: The firm unit of the firm indices: the firm's number within the year (queries/build_firms_long_year.sql)
FIRM = "firm_no"


def rollup(facts: pl.DataFrame, mapping: pl.DataFrame) -> pl.DataFrame:
    """Region x cluster x year x measure values (weights and validity years applied)."""
    if facts.is_empty() or mapping.is_empty():
        return pl.DataFrame()
    return cluster_rollup(facts, mapping, by=ROLLUP_BY).select(*LEVELS, "region_code", "cluster_code", "value")


def region_totals(facts: pl.DataFrame) -> pl.DataFrame:
    """All-industry totals of every region (within each year, measure and level)."""
    return facts.group_by(*LEVELS, "region_code").agg(pl.col("value").sum().alias("region_total"))


def cluster_lq(rolled: pl.DataFrame, totals: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    if rolled.is_empty():
        return pl.DataFrame()
    lq = location_quotient(rolled, industry="cluster_code", by=LEVELS, threshold=m.lq_threshold,
                           region_totals=totals)
    return lq.rename({"industry_total": "cluster_total"}).with_columns(pl.lit(m.lq_threshold).alias("threshold"))


def cluster_concentration(rolled: pl.DataFrame, totals: pl.DataFrame, lq: pl.DataFrame,
                          m: Methodology) -> pl.DataFrame:
    """One row per cluster: how concentrated it is across regions."""
    if rolled.is_empty():
        return pl.DataFrame()
    keys = [*LEVELS, "cluster_code"]
    ubiquity = lq.group_by(keys).agg(
        pl.col("specialised").fill_null(False).sum().cast(pl.Int64).alias("ubiquity"),
        pl.col("value").sum().alias("value_total"),
    )
    out = combine(keys, {
        "herfindahl": (herfindahl(rolled, unit="region_code", group="cluster_code", by=LEVELS),
                       {"hhi": "hhi", "n_units": "n_units", "hhi_normalised": "hhi_normalised",
                        "equivalent_number": "equivalent_number"}),
        "cr4": (concentration_ratio(rolled, unit="region_code", group="cluster_code", by=LEVELS, k=4),
                {"cr4": "cr4"}),
        "krugman": (krugman_concentration(rolled, industry="cluster_code", by=LEVELS, region_totals=totals,
                                          against=m.indices.krugman_against), {"krugman": "krugman"}),
    })
    return out.join(ubiquity, on=keys, how="left", nulls_equal=True).with_columns(
        pl.lit(m.indices.krugman_against).alias("krugman_against"))


def _wide(rolled: pl.DataFrame, measures: list[str]) -> pl.DataFrame:
    keys = ["year", "region_level", "industry_level", "region_code", "cluster_code"]
    wide = rolled.filter(pl.col("measure").is_in(measures)).pivot(on="measure", index=keys, values="value")
    for name in measures:
        if name not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
    return wide


def strength(rolled: pl.DataFrame, totals: pl.DataFrame, facts: pl.DataFrame, mapping: pl.DataFrame,
             m: Methodology, *, previous: tuple[pl.DataFrame, pl.DataFrame] | None = None
             ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """U.S. Cluster Mapping strong clusters and portfolio quadrants (employment), and each region's strength: the
    share of its employment in industries of its strong clusters, each industry counted once (clusters overlap).

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
    strong = strong_clusters(wide, by=by, **options)
    industries = facts.filter(pl.col("measure") == "employment").drop("measure")
    regions = strong_industry_share(industries, mapping, strong, by=["region_level", "industry_level"]).join(
        strong.group_by(by + ["region_code"]).len("n_clusters"), on=[*by, "region_code"], how="left")
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
        q = portfolio_quadrant(window, by=["region_level", "industry_level"], start=start, end=end,
                               threshold=m.lq_threshold, region_totals=emp_totals)
        quadrants.append(q.select("region_level", "industry_level", "region_code", "cluster_code",
                                  pl.col("end").alias("year"), "lq_change", "employment_change", "quadrant",
                                  pl.col("note").alias("quadrant_note")))
    if quadrants:
        strong = strong.join(pl.concat(quadrants), on=[*by, "region_code", "cluster_code"], how="left",
                             nulls_equal=True)
    rule = [pl.lit(m.indices.strong_lq_percentile).alias("lq_percentile_cut"),
            pl.lit(m.indices.strong_size_percentile).alias("size_percentile_cut")]
    return strong.with_columns(rule), regions


def firm_concentration(firms: pl.DataFrame, totals: pl.DataFrame, *, group: str) -> pl.DataFrame:
    """Firm concentration within each ``group`` (cluster_code or industry_code): Herfindahl and CR4 of the firms,
    and the Ellison-Glaeser and Maurel-Sédillot agglomeration of the group's firms across regions (regional shares
    x_r from the all-industry totals of the regional-industry records where they exist, else from the firms)."""
    data = firms if firms.get_column(group).null_count() == 0 else firms.filter(pl.col(group).is_not_null())
    if data.is_empty():
        return pl.DataFrame()
    with subset_checked(data, firms):  # the firms' keys, vouched for by the caller, hold in the subset
        return _firm_concentration(data, totals, group=group)


def _firm_concentration(data: pl.DataFrame, totals: pl.DataFrame, *, group: str) -> pl.DataFrame:
    by = ["year", "measure"]
    keys = [*by, group]
    parts = {
        "herfindahl": (herfindahl(data, unit=FIRM, group=group, by=by, n="group"),
                       {"hhi": "hhi", "n_units": "n_units", "n_positive": "n_positive",
                        "hhi_normalised": "hhi_normalised", "equivalent_number": "equivalent_number"}),
        "cr4": (concentration_ratio(data, unit=FIRM, group=group, by=by, k=4), {"cr4": "cr4"}),
    }
    regional = _firm_region_totals(totals, data)
    eg_options = {"firm": FIRM, "industry": group, "value": "value", "by": by,
                  "region_totals": regional if regional.height else None}
    eg, ms = firm_agglomeration(data, **eg_options)  # one pass over the firms for both
    parts["ellison_glaeser"] = (eg, {"gamma": "eg_gamma", "G": "eg_g", "H": "eg_h", "z": "eg_z"})
    parts["maurel_sedillot"] = (ms, {"gamma": "ms_gamma"})
    out = combine(keys, parts)
    return out.with_columns(pl.lit("regional-industry" if regional.height else "firms").alias("regional_shares"))


def _firm_region_totals(totals: pl.DataFrame, firms: pl.DataFrame) -> pl.DataFrame:
    """Region totals (year, measure, region_code, region_total) at the finest industry level of the records,
    for the regions the firms are in; empty when the records do not cover every firm's region and year."""
    levels = firms.get_column("region_level").unique().to_list()
    if totals.is_empty() or len(levels) != 1:
        return pl.DataFrame()
    same_level = totals.filter(pl.col("region_level") == levels[0])
    if same_level.is_empty():
        return pl.DataFrame()
    finest = same_level.group_by("industry_level").len().sort("len", descending=True).get_column("industry_level")[0]
    chosen = same_level.filter(pl.col("industry_level") == finest).select(
        "year", "measure", "region_code", "region_total")
    needed = firms.select("year", "measure", "region_code").unique()
    if needed.join(chosen, on=["year", "measure", "region_code"], how="anti").height:
        return pl.DataFrame()
    return chosen.join(needed.select("year", "measure").unique(), on=["year", "measure"], how="semi")
