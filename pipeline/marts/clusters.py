"""Named-cluster marts: the firm concentration of a cluster's firms and their agglomeration across regions, and
where each named cluster is (its lead and member regions) with its category's figures there.

A named cluster (葫芦岛船舶产业集群) is located: it has a lead region and perhaps member regions, and one category.
Its own figures are those reported for it (cluster-indicators) and those of its firms; the figures of its category
(LQ, strength) are read in its own regions only, never credited to a region it is not in.
"""

from __future__ import annotations

import polars as pl

from pipeline.indices import (
    concentration_ratio,
    firm_agglomeration,
    herfindahl,
    subset_checked,
)
from pipeline.marts.common import combine

#: The firm unit of the firm indices: the firm's number within the year (queries/build_firms_long_year.sql)
FIRM = "firm_no"


def lead_region_lq(clusters: pl.DataFrame, category_lq: pl.DataFrame) -> pl.DataFrame:
    """Each named cluster's category LQ in its lead region (employment and output), for the agglomeration pillar:
    ``clusters`` has code, lead_region and category_code."""
    if category_lq.is_empty() or clusters.is_empty():
        return pl.DataFrame()
    located = clusters.select(pl.col("code").alias("cluster_code"), pl.col("lead_region").alias("region_code"),
                              "category_code")
    lead = category_lq.filter(pl.col("measure").is_in(["employment", "output_value"])).join(
        located, on=["category_code", "region_code"])
    return lead.select("cluster_code", "region_code", "category_code", "year", "measure", "lq")


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
