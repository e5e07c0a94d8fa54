"""Read-only queries of the live warehouse, for the UI and the CLI.

Each function opens a short-lived read-only connection, runs one SQL file from ``sql/queries/`` with bound
parameters, and returns a polars frame (or a dict for one-row answers). Nothing here writes.
"""

from __future__ import annotations

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
