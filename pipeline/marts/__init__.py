"""The marts a build computes in Python: indices (pipeline.indices) and scores (pipeline.scoring).

Inputs are read from the build's facts through ``warehouse/sql/queries/build_*.sql``; results are written into
the mart tables of ``warehouse/sql/ddl/004_marts.sql`` and ``005_scores.sql``, each row with the options it was
computed with (reference economy, thresholds, Krugman and Theil conventions, methodology version).

Every index compares units within one year, so the build reads and computes one year at a time: memory stays that
of a year of records whatever the length of the panel (a census is ten years of 3 million cells each). Dynamics
keep the year before; the whole-period growth and shift-share keep the first year. The region x industry
and cluster indices read the year's records, the cluster map and the firms with their keys as categoricals:
every index turns its keys into integer codes, which for a categorical is a cast of its codes instead of a hash
of every string (a census year is 3 million records and 5 million firm rows); the marts are written as text
all the same. The categories are the build's own, so a long-running worker does not keep
every code it ever saw.

- ``__init__`` (:func:`build_marts`): the year-by-year loop that reads the facts, calls the builders below and
  writes every mart;
- :mod:`~pipeline.marts.common`: the partition keys of the regional indices, combining several indices' results
  and notes into one table, the pairs of years the dynamics compare;
- :mod:`~pipeline.marts.regional`: region x industry marts: location quotients, region profiles, industry
  concentration, balance across regions, growth and shift-share;
- :mod:`~pipeline.marts.categories`: region x category marts (the U.S. Cluster Mapping layer): each cluster
  category's LQ in every region, geographic concentration, strength, portfolio quadrants, region strength;
- :mod:`~pipeline.marts.clusters`: named-cluster marts: firm concentration and agglomeration from firm records,
  each cluster's category LQ in its lead region;
- :mod:`~pipeline.marts.scores`: composite performance scores per cluster and year, with their uncertainty,
  explanations and the scores under earlier methodology versions.

Enters: a warehouse build being written (its facts, category map, named clusters and firms, read through
``warehouse/sql/queries``) and the methodology (with the earlier versions whose scores stay readable).
Leaves: the mart tables of the build (indices, category strength, named-cluster locations, scores ...), written
through the build, and the rows written per mart.
May import: pipeline.core, warehouse, pipeline.indices, pipeline.scoring.
"""

from __future__ import annotations

import polars as pl

from pipeline.indices import keys_checked, reuse_work
from pipeline.marts import categories, clusters, regional, scores
from pipeline.marts.common import LEVELS
from pipeline.scoring import Methodology
from warehouse.build import Builder


def build_marts(builder: Builder, m: Methodology, earlier: list[Methodology] | None = None) -> dict[str, int]:
    """Compute and write every Python-computed mart; returns rows written per mart. ``earlier``: methodology
    versions used before, whose scores are kept readable in ``mart_cluster_score_history``."""
    written: dict[str, int] = {}

    def write(table: str, frame: pl.DataFrame) -> pl.DataFrame:
        written[table] = written.get(table, 0) + builder.write(table, frame)
        return frame

    # summaries the pages read instead of scanning the facts (warehouse/sql/ddl/006_summaries.sql)
    write("mart_coverage_region", builder.query_file("queries/build_coverage_region.sql"))
    write("mart_levels", builder.query_file("queries/build_levels.sql"))
    years = sorted(set(builder.query("select distinct year from fact_regional_industry").get_column("year"))
                   | set(builder.query("select distinct year from fact_firm").get_column("year")))
    groups = builder.query("select region_code, group_code from bridge_region_group")
    categorical = pl.Categorical(pl.Categories.random())  # this build's own: freed with it, never process-wide

    def code(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(pl.col(pl.String).cast(categorical))

    mapping = code(builder.query_file("queries/build_category_map.sql"))
    lead_clusters = code(builder.query("select code, lead_region, category_code from dim_cluster"))
    lead_lq, firm_rows = [], []
    first = previous = None  # (facts, rolled, totals) of the first year and of the year before

    facts_keys, rolled_keys = [*LEVELS, "region_code", "industry_code"], [*LEVELS, "region_code", categories.CATEGORY]
    for year in years:
        facts = builder.query_file("queries/build_regional_facts_year.sql", {"year": year})
        if not facts.is_empty():
            write("mart_balance", regional.balance(facts, groups, m))
        facts = code(facts)
        totals = categories.region_totals(facts) if not facts.is_empty() else pl.DataFrame()
        # the facts' keys are unique (audit 01 stops the build otherwise), and so are a roll-up's (a group-by):
        # the index functions need not check them again on each call
        with keys_checked((facts, facts_keys)), reuse_work():  # the year's indices share their common work
            rolled = categories.rollup(facts, mapping)
            if not facts.is_empty():
                write("mart_location_quotient", regional.location_quotients(facts, m))
                write("mart_region_profile", regional.region_profile(facts, m))
                write("mart_industry_concentration", regional.industry_concentration(facts, m))
                if previous is not None and not previous[0].is_empty():
                    pair = pl.concat([previous[0], facts])
                    with keys_checked((pair, facts_keys)):
                        _dynamics(write, pair, m)
            with keys_checked((rolled, rolled_keys)):
                category_lq = write("mart_category_lq", categories.category_lq(rolled, totals, m))
                write("mart_category_concentration",
                      categories.category_concentration(rolled, totals, category_lq, m))
                strong, region_strength = categories.strength(
                    rolled, totals, facts, mapping, m, previous=(previous[1], previous[2]) if previous else None)
        write("mart_category_strength", strong)
        write("mart_region_category_strength", region_strength)
        lead_lq.append(_text(clusters.lead_region_lq(lead_clusters, category_lq)))

        firms = code(builder.query_file("queries/build_firms_long_year.sql", {"year": year}))
        with keys_checked((firms, ["year", "measure", "firm_no"])):  # audit 01: one record per firm and year
            firm_rows.append(_text(write("mart_cluster_firm_concentration",
                                         clusters.firm_concentration(firms, totals, group="cluster_code"))))
            write("mart_industry_firm_concentration",
                  clusters.firm_concentration(firms, totals, group="industry_code"))
        del firms
        if first is None and not facts.is_empty():
            first = (facts, rolled, totals)
        previous = (facts, rolled, totals)
    if first is not None and previous is not None:
        start, end = first[0].get_column("year")[0], previous[0].get_column("year")[0]
        if end - start > 1:  # the whole period, beside the year-on-year pairs
            pair = pl.concat([first[0], previous[0]])
            with keys_checked((pair, facts_keys)):
                _dynamics(write, pair, m)

    reported = builder.query_file("queries/build_cluster_reported.sql")
    province = builder.query_file("queries/build_province_output.sql")
    firm = pl.concat([f for f in firm_rows if not f.is_empty()], how="diagonal_relaxed") if any(
        not f.is_empty() for f in firm_rows) else pl.DataFrame()
    lead = pl.concat([f for f in lead_lq if not f.is_empty()], how="diagonal_relaxed") if any(
        not f.is_empty() for f in lead_lq) else pl.DataFrame()
    write("mart_province_output", province)
    write("mart_cluster_lead_lq", lead)
    write("mart_cluster_location", builder.query_file("queries/build_cluster_location.sql"))
    extra = scores.agglomeration_variables(lead, firm, reported, province)
    score_marts = scores.scores(reported, extra, m)
    for table, frame in score_marts.items():
        write(table, frame)
    current = score_marts.get("mart_cluster_score", pl.DataFrame())
    write("mart_cluster_score_history", scores.score_history(reported, extra, current, m, earlier or []))
    return written


def _text(frame: pl.DataFrame) -> pl.DataFrame:
    """Categorical keys back to text, for the scoring step (which joins them with the reported indicators)."""
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def _dynamics(write, window: pl.DataFrame, m: Methodology) -> None:  # noqa: ANN001 (the build's writer)
    growth, shift = regional.dynamics(window, m)
    write("mart_growth", growth)
    write("mart_shift_share", shift)
