"""The DuckDB side of a release's disclosure control (issue 17): what the protection reads from a build, and how a
release file is made to hold protected tables (``sql/disclosure/*.sql``). The decisions (which cells are
confidential, which are suppressed to protect them) are :mod:`pipeline.publishing.disclosure`'s; this module only
reads and writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from warehouse.db import connect_writable, query, read_only, split_statements, sql_files, sql_text

COUNT_MEASURES = ("establishments",)  # counts of firms: the contributors themselves, not a magnitude to protect
FIRM_MEASURES = ("employment", "output_value")  # the magnitudes a firm record carries
MASKED = ("fact_regional_industry", "mart_location_quotient", "mart_category_lq", "mart_growth", "mart_shift_share",
          "mart_region_profile", "mart_industry_concentration", "mart_category_concentration", "mart_balance",
          "mart_category_strength", "mart_region_category_strength", "mart_cluster_location", "mart_cluster_lead_lq",
          "mart_cluster_firm_concentration", "mart_industry_firm_concentration")


#: scripts run once per table they serve, with these placeholders filled
TEMPLATED = {"disclosure/50_firms.sql": (
    {"table": "mart_cluster_firm_concentration", "kind": "cluster", "code": "cluster_code"},
    {"table": "mart_industry_firm_concentration", "kind": "industry", "code": "industry_code"})}


def disclosure_inputs(path: Path) -> dict[str, pl.DataFrame]:
    """Everything the protection of a build reads: the regional-industry cells (``facts``), the firm records
    (``firms``), the two hierarchies (``regions``, ``industries``: code, parent_code), the category map
    (``categories``) and how many figures of each indicator and year the named clusters' own table holds
    (``cluster_indicators``)."""
    with read_only(path) as con:
        return {
            "facts": query(con, "select year, measure, region_code, industry_code, value, upload_id "
                                "from fact_regional_industry order by all"),
            "firms": query(con, "select year, firm_id, region_code, industry_code, cluster_code, employment, "
                                "output_value from fact_firm order by year, firm_id"),
            "regions": query(con, "select code, parent_code from dim_region where level <> 'zone' order by code"),
            "industries": query(con, "select code, parent_code from dim_industry order by code"),
            "categories": query(con, "select category_code, industry_code, weight, valid_from, valid_to "
                                     "from bridge_category_industry order by all"),
            "cluster_indicators": query(con, "select year, indicator, count(*) as cells from fact_cluster_indicator "
                                             "group by all order by all"),
        }


def apply_disclosure(path: Path, *, cells: pl.DataFrame, firm_groups: pl.DataFrame, report: pl.DataFrame,
                     region_top: str, industry_top: str) -> dict[str, int]:
    """Make the (writable, not yet frozen) release file at ``path`` hold the protected tables: write the suppressed
    cells, the firm groups withheld and the disclosure report, then withhold every figure that would give a
    suppressed cell back. Returns, per table of :data:`MASKED`, how many of its rows carry a withheld figure."""
    with _transaction(path) as con:
        con.register("_cells", cells.select("year", "measure", "region_code", "industry_code").to_arrow())
        con.execute("delete from disclosure_cell")
        con.execute("insert into disclosure_cell by name select * from _cells")
        con.register("_groups", firm_groups.select("kind", "code", "year", "measure", "part").to_arrow())
        con.execute("delete from disclosure_firm_group")
        con.execute("insert into disclosure_firm_group by name select * from _groups")
        con.register("_report", report.to_arrow())
        con.execute("delete from disclosure_report")
        con.execute("insert into disclosure_report by name select * from _report")
        tops = {"region_top": region_top.replace("'", "''"), "industry_top": industry_top.replace("'", "''")}
        for name in sql_files("disclosure"):
            for fill in TEMPLATED.get(name, ({},)):
                script = sql_text(name)
                for key, value in {**tops, **fill}.items():
                    script = script.replace("{" + key + "}", value)
                for statement in split_statements(script):
                    con.execute(statement)
        return {t: int(query(con, f"select count(*) filter (where suppressed) as n from {t}").item())
                for t in MASKED}


#: the tables a release empties (or, mart_cluster_score, keeps without scores) when its scores are withheld
SCORE_TABLES = ("mart_cluster_score", "mart_cluster_aggregate", "mart_cluster_rank_interval", "mart_score_sensitivity",
                "mart_cluster_score_change", "mart_cluster_score_contribution", "mart_cluster_strengths_weaknesses",
                "mart_cluster_peer", "mart_cluster_score_history")


def withhold_scores(path: Path) -> dict[str, int]:
    """Withhold every composite score and rank of the (writable, not yet frozen) release file ``path``
    (``sql/withhold/10_scores.sql``), in one transaction. Returns, per table of :data:`SCORE_TABLES`, how many
    rows lost their scores."""
    with _transaction(path) as con:
        counts = {t: int(query(con, f"select count(*) as n from {t}").item()) for t in SCORE_TABLES}
        for name in sql_files("withhold"):
            for statement in split_statements(sql_text(name)):
                con.execute(statement)
    return counts


@contextmanager
def _transaction(path: Path) -> Iterator[Any]:
    """A writable connection to ``path`` in one transaction: committed when the block ends, rolled back (nothing
    half-written) when it raises."""
    con = connect_writable(path)
    try:
        con.execute("begin")
        yield con
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.close()


def withheld(path: Path) -> pl.DataFrame | None:
    """The suppressed cells of a release file (None: a file made before disclosure control)."""
    with read_only(path) as con:
        if not _has(con, "disclosure_cell"):
            return None
        return query(con, "select * from disclosure_cell order by all")


def _has(con: object, table: str) -> bool:
    return bool(query(con, "select count(*) as n from duckdb_tables() where table_name = ?", [table]).item())  # type: ignore[arg-type]


__all__ = ["COUNT_MEASURES", "FIRM_MEASURES", "MASKED", "SCORE_TABLES", "apply_disclosure", "disclosure_inputs",
           "withheld", "withhold_scores"]
