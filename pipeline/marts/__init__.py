"""The marts a build computes in Python: indices (pipeline.indices) and scores (pipeline.scoring).

Inputs are read from the build's facts through ``warehouse/sql/queries/build_*.sql``; results are written into
the mart tables of ``warehouse/sql/ddl/004_marts.sql``, each row with the options it was computed with
(reference economy, thresholds, Krugman and Theil conventions, methodology version).
"""

from __future__ import annotations

import polars as pl

from pipeline.marts import clusters, regional, scores
from pipeline.scoring import Methodology
from warehouse.build import Builder


def build_marts(builder: Builder, m: Methodology, earlier: list[Methodology] | None = None) -> dict[str, int]:
    """Compute and write every Python-computed mart; returns rows written per mart. ``earlier``: methodology
    versions used before, whose scores are kept readable in ``mart_cluster_score_history``."""
    facts = builder.query_file("queries/build_regional_facts.sql")
    written: dict[str, int] = {}

    def write(table: str, frame: pl.DataFrame) -> pl.DataFrame:
        written[table] = builder.write(table, frame)
        return frame

    if not facts.is_empty():
        write("mart_location_quotient", regional.location_quotients(facts, m))
        write("mart_region_profile", regional.region_profile(facts, m))
        write("mart_industry_concentration", regional.industry_concentration(facts, m))
        groups = builder.query("select region_code, group_code from bridge_region_group")
        write("mart_balance", regional.balance(facts, groups, m))
        growth, shift = regional.dynamics(facts, m)
        write("mart_growth", growth)
        write("mart_shift_share", shift)

    totals = clusters.region_totals(facts) if not facts.is_empty() else pl.DataFrame()
    mapping = builder.query_file("queries/build_cluster_map.sql")
    rolled = clusters.rollup(facts, mapping)
    cluster_lq = write("mart_cluster_lq", clusters.cluster_lq(rolled, totals, m))
    write("mart_cluster_concentration", clusters.cluster_concentration(rolled, totals, cluster_lq, m))
    strong, region_strength = clusters.strength(rolled, totals, facts, mapping, m)
    write("mart_cluster_strength", strong)
    write("mart_region_cluster_strength", region_strength)

    firms = builder.query_file("queries/build_firms_long.sql")
    firm = write("mart_cluster_firm_concentration", clusters.firm_concentration(firms, totals, group="cluster_code"))
    write("mart_industry_firm_concentration", clusters.firm_concentration(firms, totals, group="industry_code"))

    reported = builder.query_file("queries/build_cluster_reported.sql")
    province = builder.query_file("queries/build_province_output.sql")
    dims = builder.query("select code, lead_region from dim_cluster")
    extra = scores.agglomeration_variables(dims, cluster_lq, firm, reported, province)
    score_marts = scores.scores(reported, extra, m)
    for table, frame in score_marts.items():
        write(table, frame)
    current = score_marts.get("mart_cluster_score", pl.DataFrame())
    write("mart_cluster_score_history", scores.score_history(reported, extra, current, m, earlier or []))
    return written
