"""Read-only queries of the live warehouse, for the UI and the CLI.

Each function opens a short-lived read-only connection, runs one SQL file from ``sql/queries/`` with bound
parameters, and returns a polars frame (or a dict for one-row answers). Nothing here writes.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import polars as pl

from warehouse.db import query, quote_ident, read_only, schema_version, sql_text


def run(path: Path, name: str, **params: Any) -> pl.DataFrame:
    """Run ``sql/queries/<name>.sql`` on the live warehouse at ``path``."""
    with read_only(path) as con:
        return query(con, sql_text(f"queries/{name}.sql"), params or None)


def _one(frame: pl.DataFrame) -> dict[str, Any] | None:
    return frame.row(0, named=True) if frame.height else None


def build_info(path: Path) -> dict[str, Any] | None:
    """The live build's metadata, or None when there is no warehouse yet."""
    if not Path(path).exists():
        return None
    return _one(run(path, "build_info"))


def is_current(build: dict[str, Any] | None) -> bool:
    """Whether a live build has the layout this code reads (else it needs a rebuild)."""
    return build is not None and build.get("schema_version") == schema_version()


def table_counts(path: Path) -> dict[str, int]:
    """Exact row counts of every table in the live build."""
    with read_only(path) as con:
        names = query(con, sql_text("queries/table_counts.sql")).get_column("table_name").to_list()
        return {n: int(con.sql(f"select count(*) from {quote_ident(n)}").fetchall()[0][0]) for n in names}


def score_years(path: Path) -> list[int]:
    return run(path, "years").get_column("year").to_list()


def overview_kpis(path: Path, year: int) -> dict[str, Any] | None:
    return _one(run(path, "overview_kpis", year=year))


def size_bands(path: Path, year: int) -> pl.DataFrame:
    return run(path, "size_bands", year=year)


def cluster_list(path: Path, year: int) -> pl.DataFrame:
    return run(path, "cluster_list", year=year)


def cluster_header(path: Path, code: str, year: int) -> dict[str, Any] | None:
    return _one(run(path, "cluster_header", code=code, year=year))


def cluster_indicators(path: Path, code: str, year: int) -> pl.DataFrame:
    return run(path, "cluster_indicators", code=code, year=year)


def cluster_lq_by_region(path: Path, code: str, year: int, measure: str) -> pl.DataFrame:
    return run(path, "cluster_lq_by_region", code=code, year=year, measure=measure)


def cluster_trend(path: Path, code: str) -> pl.DataFrame:
    return run(path, "cluster_trend", code=code)


def cluster_firm_concentration(path: Path, code: str) -> pl.DataFrame:
    return run(path, "cluster_firm_concentration", code=code)


def lq_measures(path: Path) -> list[str]:
    return run(path, "lq_measures").get_column("measure").to_list()


# -- the web app's reads -----------------------------------------------------------------------------------------
# Each page asks for several small results at once; ``run_many`` answers them through one read-only connection
# (opening one costs more than the queries, which filter on their mart's grain columns).
def run_many(path: Path, requests: dict[str, tuple[str, dict[str, Any]]]) -> dict[str, pl.DataFrame]:
    """Run several ``sql/queries/<name>.sql`` files, ``{key: (name, params)}``, on one connection."""
    with read_only(path) as con:
        return {key: query(con, sql_text(f"queries/{name}.sql"), params or None)
                for key, (name, params) in requests.items()}


def levels(path: Path) -> dict[str, str] | None:
    """The region and industry levels the regional indices were computed at (the most detailed pair), or None."""
    frame = run(path, "ui_levels")
    if frame.is_empty():
        return None
    row = frame.row(0, named=True)
    return {"region_level": row["region_level"], "industry_level": row["industry_level"]}


def ranking(path: Path, year: int) -> pl.DataFrame:
    """Every cluster's score, rank, 90% rank interval, size and trend in ``year``."""
    return run(path, "ui_ranking", year=year)


def scorecard(path: Path, code: str, year: int, *, region_level: str | None = None) -> dict[str, pl.DataFrame]:
    """Everything a cluster's scorecard shows, read through one connection."""
    one = {"code": code, "year": year}
    requests: dict[str, tuple[str, dict[str, Any]]] = {
        "header": ("ui_cluster_header", one),
        "pillars": ("ui_cluster_pillars", one),
        "indicators": ("ui_cluster_indicators", one),
        "strengths": ("ui_cluster_strengths", one),
        "change": ("ui_cluster_change", one),
        "provenance": ("ui_cluster_provenance", one),
        "trend": ("cluster_trend", {"code": code}),
        "pillar_trend": ("ui_cluster_pillar_trend", {"code": code}),
        "firms": ("cluster_firm_concentration", {"code": code}),
        "history": ("ui_cluster_history", {"code": code}),
    }
    if region_level is not None:
        requests["concentration"] = ("ui_cluster_concentration", {**one, "region_level": region_level})
    return run_many(path, requests)


def region_profile(path: Path, region: str, year: int, measure: str, *, region_level: str, industry_level: str,
                   start_year: int | None, end_year: int | None) -> dict[str, pl.DataFrame]:
    """Everything a region's profile shows, read through one connection."""
    lv = {"region_level": region_level, "industry_level": industry_level}
    requests: dict[str, tuple[str, dict[str, Any]]] = {
        "cities": ("ui_city_indicators", {"year": year, "measure": measure, **lv}),
        "lq": ("ui_region_lq", {"region": region, "year": year, "measure": measure,
                                "industry_level": industry_level}),
        "categories": ("ui_region_categories", {"region": region, "year": year, **lv}),
        "located": ("ui_region_located_clusters", {"region": region, "year": year, **lv}),
    }
    if start_year is not None and end_year is not None:
        requests["shift_share"] = ("ui_region_shift_share", {
            "region": region, "measure": measure, "start_year": start_year, "end_year": end_year,
            "industry_level": industry_level})
    return run_many(path, requests)


def overview(path: Path, year: int, measure: str, *, region_level: str | None,
             industry_level: str | None) -> dict[str, pl.DataFrame]:
    """The overview's KPIs, size bands, ranking, map values and balance, through one connection."""
    requests: dict[str, tuple[str, dict[str, Any]]] = {
        "kpis": ("overview_kpis", {"year": year}),
        "bands": ("size_bands", {"year": year}),
        "ranking": ("ui_ranking", {"year": year}),
    }
    if region_level is not None and industry_level is not None:
        lv = {"region_level": region_level, "industry_level": industry_level}
        requests |= {
            "cities": ("ui_city_indicators", {"year": year, "measure": measure, **lv}),
            "totals": ("ui_province_totals", {"year": year, **lv}),
            "balance": ("ui_balance", {"year": year, **lv}),
        }
    return run_many(path, requests)


def dictionaries(path: Path) -> dict[str, pl.DataFrame]:
    """Regions (with their zones), industries, named clusters, cluster categories, zones, levels, measures and
    years with indices."""
    return run_many(path, {
        "regions": ("ui_regions", {}), "industries": ("ui_industries", {}), "zones": ("ui_zones", {}),
        "clusters": ("ui_clusters", {}), "categories": ("ui_categories", {}), "units": ("ui_measure_units", {}),
        "levels": ("ui_levels", {}), "measures": ("ui_measures", {}), "region_years": ("ui_region_years", {}),
        "year_pairs": ("ui_year_pairs", {}), "score_years": ("years", {}), "lq_measures": ("lq_measures", {}),
    })


#: index family of the explorer -> its query and the parameters it takes
MATRICES = {
    "lq": "ui_matrix_lq",
    "cluster_lq": "ui_matrix_cluster_lq",
    "growth": "ui_matrix_growth",
    "shift_share": "ui_matrix_shift_share",
}


#: the most industries (columns) and regions (rows) an index heatmap shows: those with the largest totals
MATRIX_COLUMNS, MATRIX_ROWS = 40, 60


def index_matrix(path: Path, family: str, *, measure: str, region_level: str, industry_level: str,
                 year: int | None = None, start_year: int | None = None, end_year: int | None = None,
                 max_columns: int = MATRIX_COLUMNS, max_rows: int = MATRIX_ROWS) -> pl.DataFrame:
    """Region x industry (or cluster) values of an index family (:data:`MATRICES`): the ``max_columns``
    industries and ``max_rows`` regions with the largest totals, with ``columns_total`` and ``rows_total``."""
    params: dict[str, Any] = {"measure": measure, "region_level": region_level, "industry_level": industry_level,
                              "max_columns": max_columns, "max_rows": max_rows}
    if family in ("growth", "shift_share"):
        params |= {"start_year": start_year, "end_year": end_year}
    else:
        params["year"] = year
    cells = "\n".join(line for line in sql_text(f"queries/{MATRICES[family]}.sql").splitlines()
                      if not line.startswith("--"))
    with read_only(path) as con:
        return query(con, sql_text("queries/ui_matrix_top.sql").format(matrix=cells), params)


def city_indicators(path: Path, year: int, measure: str, *, region_level: str, industry_level: str) -> pl.DataFrame:
    return run(path, "ui_city_indicators", year=year, measure=measure, region_level=region_level,
               industry_level=industry_level)


def industry_concentration(path: Path, year: int, measure: str, *, region_level: str, industry_level: str
                           ) -> pl.DataFrame:
    return run(path, "ui_industry_concentration", year=year, measure=measure, region_level=region_level,
               industry_level=industry_level)


def compare_clusters(path: Path, codes: list[str], year: int) -> pl.DataFrame:
    return run(path, "ui_compare_clusters", codes=list(codes), year=year)


def data_quality(path: Path) -> dict[str, pl.DataFrame]:
    """Coverage of the facts, treated values and the build's notes, through one connection."""
    return run_many(path, {
        "regions": ("ui_coverage_regions", {}), "clusters": ("ui_coverage_clusters", {}),
        "treatments": ("ui_treatments", {}), "notes": ("ui_quality_notes", {}), "uploads": ("ui_build_uploads", {}),
    })


def scoring_inputs(path: Path) -> dict[str, pl.DataFrame]:
    """What the build scored, to score it again with another methodology in memory: reported cluster indicators,
    the province's output, each cluster's category LQ in its lead region and firm concentration."""
    return run_many(path, {
        "reported": ("build_cluster_reported", {}), "province": ("ui_province_output", {}),
        "cluster_lq": ("ui_preview_cluster_lq", {}), "firms": ("ui_preview_firms", {}),
    })


def index_rows(path: Path, table: str, *, conditions: list[str], params: dict[str, Any], order: list[str],
               limit: int | None, offset: int) -> pl.DataFrame:
    """Rows of the mart ``table`` passing ``conditions`` (SQL over its columns and ``$`` parameters, from the
    caller's fixed definitions), in ``order``, a page at a time, with ``total_rows`` (``sql/queries/api_index.sql``)."""
    sql = sql_text("queries/api_index.sql").format(
        table=quote_ident(table), conditions=" and ".join(conditions) or "true",
        order=", ".join(quote_ident(c) for c in order))
    with read_only(path) as con:
        return query(con, sql, params | {"limit": limit, "offset": offset})


def distinct_rows(path: Path, table: str, columns: list[str]) -> pl.DataFrame:
    """The distinct combinations of ``columns`` in the mart ``table`` (its years, measures, levels), sorted."""
    cols = ", ".join(quote_ident(c) for c in columns)
    with read_only(path) as con:
        return query(con, f"select distinct {cols} from {quote_ident(table)} order by {cols}")


@functools.cache
def mart_columns() -> dict[str, list[tuple[str, str]]]:
    """Every mart's columns and DuckDB types as the DDL declares them (``sql/ddl/``, run in memory)."""
    import duckdb

    from warehouse.db import sql_files

    con = duckdb.connect(":memory:")
    try:
        for name in sql_files("ddl"):
            con.execute(sql_text(name))
        rows = con.sql("select table_name, column_name, data_type from duckdb_columns() where table_name like 'mart_%' "
                       "order by table_name, column_index").fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in rows:
        out.setdefault(table, []).append((column, dtype))
    return out
