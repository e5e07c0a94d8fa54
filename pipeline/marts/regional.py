"""Region x industry marts: location quotients, region profiles, industry concentration, balance, dynamics.

Input: the build's regional-industry facts (year, measure, region_level, industry_level, region_code,
industry_code, value). Every index runs within one year, measure, region level and industry level.
"""

from __future__ import annotations

import polars as pl

from pipeline.indices import (
    atkinson,
    coefficient_of_variation,
    concentration_ratio,
    diversity,
    duranton_puga,
    entropy,
    gini,
    growth,
    hachman,
    herfindahl,
    krugman_concentration,
    krugman_specialisation,
    location_quotient,
    locational_gini,
    shift_share,
    theil,
    ubiquity,
)
from pipeline.marts.common import LEVELS, combine, year_pairs
from pipeline.scoring import Methodology

HHI_COLUMNS = {"hhi": "hhi", "n_units": "n_units", "n_positive": "n_positive", "hhi_normalised": "hhi_normalised",
               "equivalent_number": "equivalent_number"}


def location_quotients(facts: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    lq = location_quotient(facts, by=LEVELS, threshold=m.lq_threshold)
    return lq.with_columns(pl.lit(m.lq_threshold).alias("threshold"))


def region_profile(facts: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    """One row per region: how specialised and how diverse its economy is."""
    keys = [*LEVELS, "region_code"]
    against = m.indices.krugman_against
    totals = facts.group_by(keys).agg(pl.col("value").sum().alias("value_total"),
                                      pl.col("industry_code").n_unique().alias("n_industries"))
    out = combine(keys, {
        "herfindahl": (herfindahl(facts, unit="industry_code", group="region_code", by=LEVELS), HHI_COLUMNS),
        "entropy": (entropy(facts, unit="industry_code", group="region_code", by=LEVELS), {"entropy": "entropy"}),
        "krugman": (krugman_specialisation(facts, by=LEVELS, against=against),
                    {"krugman": "krugman", "hoover_coefficient": "specialisation_coefficient"}),
        "hachman": (hachman(facts, by=LEVELS), {"hachman": "hachman"}),
        "diversity": (diversity(facts, by=LEVELS, threshold=m.lq_threshold), {"diversity": "diversity"}),
        "duranton_puga": (duranton_puga(facts, by=LEVELS), {"duranton_puga": "duranton_puga"}),
        "lq_gini": (locational_gini(facts, by=LEVELS, method="lq", direction="specialisation"),
                    {"locational_gini": "lq_gini"}),
    })
    if out.is_empty():
        return out
    return out.join(totals, on=keys, how="left", nulls_equal=True).with_columns(
        pl.lit(against).alias("krugman_against"), pl.lit(m.reference).alias("reference"))


def industry_concentration(facts: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    """One row per industry: how concentrated it is across regions."""
    keys = [*LEVELS, "industry_code"]
    totals = facts.group_by(keys).agg(pl.col("value").sum().alias("value_total"))
    out = combine(keys, {
        "herfindahl": (herfindahl(facts, unit="region_code", group="industry_code", by=LEVELS), HHI_COLUMNS),
        "cr4": (concentration_ratio(facts, unit="region_code", group="industry_code", by=LEVELS, k=4),
                {"cr4": "cr4"}),
        "krugman": (krugman_concentration(facts, by=LEVELS, against=m.indices.krugman_against),
                    {"krugman": "krugman"}),
        "locational_gini": (locational_gini(facts, by=LEVELS), {"locational_gini": "locational_gini"}),
        "lq_gini": (locational_gini(facts, by=LEVELS, method="lq"), {"locational_gini": "lq_gini"}),
        "ubiquity": (ubiquity(facts, by=LEVELS, threshold=m.lq_threshold), {"ubiquity": "ubiquity"}),
    })
    if out.is_empty():
        return out
    return out.join(totals, on=keys, how="left", nulls_equal=True).with_columns(
        pl.lit(m.indices.krugman_against).alias("krugman_against"))


def zone_partition(groups: pl.DataFrame, zones: tuple[str, ...]) -> tuple[pl.DataFrame, str | None]:
    """Each region in the first listed zone that contains it; the note names regions in several zones."""
    if not zones or groups.is_empty():
        return pl.DataFrame(schema={"region_code": pl.String, "zone": pl.String}), None
    order = {z: i for i, z in enumerate(zones)}
    ranked = groups.filter(pl.col("group_code").is_in(list(zones))).with_columns(
        pl.col("group_code").replace_strict(order, return_dtype=pl.Int64).alias("_order"))
    chosen = ranked.sort("_order").group_by("region_code", maintain_order=True).agg(
        pl.col("group_code").first().alias("zone"), pl.col("group_code").alias("_all"))
    several = chosen.filter(pl.col("_all").list.len() > 1)
    note = "; ".join(f"{r} counted in {z} (also in {', '.join(a[1:])})"
                     for r, z, a in several.select("region_code", "zone", "_all").iter_rows()) or None
    return chosen.select("region_code", "zone"), note


def balance(facts: pl.DataFrame, groups: pl.DataFrame, m: Methodology) -> pl.DataFrame:
    """Balance of each measure across the regions of one level, decomposed between and within zones."""
    regions = facts.group_by(*LEVELS, "region_code").agg(pl.col("value").sum())
    if regions.is_empty():
        return pl.DataFrame()
    partition, partition_note = zone_partition(groups, m.indices.zones)
    kind = m.indices.theil_kind
    parts = {
        "gini": (gini(regions, unit="region_code", by=LEVELS), {"gini": "gini", "n_units": "n_units"}),
        "cv": (coefficient_of_variation(regions, unit="region_code", by=LEVELS), {"cv": "cv"}),
        "atkinson": (atkinson(regions, unit="region_code", by=LEVELS, epsilon=0.5), {"atkinson": "atkinson"}),
    }
    zoned = regions.join(partition, on="region_code", how="inner")
    # the decomposition covers the partitions whose regions all have a zone; otherwise the total alone
    covered = zoned.group_by(LEVELS).len().join(regions.group_by(LEVELS).len(), on=list(LEVELS), suffix="_all")
    full = covered.filter(pl.col("len") == pl.col("len_all")).select(LEVELS)
    decomposed = zoned.join(full, on=list(LEVELS), how="semi")
    rest = regions.join(full, on=list(LEVELS), how="anti")
    theils = [theil(decomposed, unit="region_code", by=LEVELS, kind=kind, group="zone")] if decomposed.height else []
    if rest.height:
        theils.append(theil(rest, unit="region_code", by=LEVELS, kind=kind))
    t = pl.concat(theils, how="diagonal_relaxed")
    parts["theil"] = (t, {c: c for c in ("theil", "between", "within", "n_groups") if c in t.columns})
    out = combine(list(LEVELS), parts)
    for col in ("between", "within", "n_groups"):
        if col not in out.columns:
            out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(col))
    return out.with_columns(
        pl.lit(kind).alias("theil_kind"),
        pl.lit(",".join(m.indices.zones) or None, dtype=pl.String).alias("partition"),
        pl.when(pl.col("between").is_not_null()).then(pl.lit(partition_note, dtype=pl.String)).alias(
            "partition_note"),
    )


def dynamics(facts: pl.DataFrame, m: Methodology) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Growth of every region x industry and shift-share of every region, for consecutive years and first->last."""
    by = ["measure", "region_level", "industry_level"]
    growths, shares = [], []
    years = facts.get_column("year").unique().to_list()
    for start, end in year_pairs(years):
        window = facts if set(years) == {start, end} else facts.filter(pl.col("year").is_in([start, end]))
        g = growth(window, unit=["region_code", "industry_code"], start=start, end=end, by=by)
        growths.append(g)
        s = shift_share(window, start=start, end=end, by=by, method="esteban_marquillas")
        shares.append(s)
    if not growths:
        return pl.DataFrame(), pl.DataFrame()
    years = {"start": "start_year", "end": "end_year"}
    shift = pl.concat(shares, how="diagonal_relaxed").rename(years).with_columns(
        pl.lit(m.indices.shift_share_method).alias("method"))
    return pl.concat(growths, how="diagonal_relaxed").rename(years), shift
