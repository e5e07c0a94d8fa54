"""DuckDB access: SQL files, identifier quoting, short-lived read-only connections.

All DuckDB calls of the project go through this package, so a change of DuckDB's Python API (2.x removed
``fetchone`` from relations and blocks a connection while an ``execute`` result is unfinished) touches one place.
Values are always bound parameters; identifiers only pass through :func:`quote_ident`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.core.errors import NoWarehouse


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB (the only way identifiers enter SQL text)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Quote a string literal, for the statements that cannot take bound parameters (views)."""
    return "'" + value.replace("'", "''") + "'"


@cache
def sql_text(relative: str) -> str:
    """The text of ``warehouse/sql/<relative>``."""
    return resources.files("warehouse").joinpath("sql", relative).read_text(encoding="utf-8")


def sql_files(folder: str) -> list[str]:
    """Relative paths of the ``.sql`` files in ``warehouse/sql/<folder>``, in name order."""
    root = resources.files("warehouse").joinpath("sql", folder)
    return sorted(f"{folder}/{f.name}" for f in root.iterdir() if f.name.endswith(".sql"))


def schema_version() -> str:
    """A hash of every DDL file: the warehouse layout this code reads. A live warehouse recorded with another
    version was built by other code and must be rebuilt (it is derived data: recompute does it)."""
    digest = hashlib.sha256()
    for rel in sql_files("ddl"):
        digest.update(rel.encode() + b"\0" + sql_text(rel).encode())
    return digest.hexdigest()[:12]


def split_statements(script: str) -> list[str]:
    """Split a DDL script on semicolons at line ends (our DDL has no semicolons in literals)."""
    body = "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
          ) -> pl.DataFrame:
    """Run a query and return its result as a polars frame."""
    return con.sql(sql, params=params).pl() if params else con.sql(sql).pl()


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> None:
    """Run a statement to completion (no result kept open on the connection)."""
    if params:
        con.sql(sql, params=params)
    else:
        con.sql(sql)


@contextmanager
def read_only(path: Path, *, memory_limit: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived read-only connection to the live warehouse; never cache it (it would block the swap's
    readers from seeing a new build and, opened read-write, the writer). ``memory_limit``: DuckDB's memory for a
    connection that scans whole builds (its default, 80% of the machine, fills with cached blocks)."""
    if not Path(path).exists():
        raise NoWarehouse()
    config = {"memory_limit": memory_limit} if memory_limit else {}
    con = duckdb.connect(str(path), read_only=True, config=config)
    con.execute("set enable_progress_bar = false")  # a page's long read must not draw bars into the server log
    try:
        yield con
    finally:
        con.close()


#: DuckDB's memory for a build (``CLUSTERSTATS_BUILD_MEMORY``, e.g. ``6GB``): beyond it DuckDB writes finished
#: blocks out and spills its joins and sorts to ``<warehouse>.tmp``. Its default, 80% of the machine, would let the
#: blocks of a census build (hundreds of millions of mart rows) pile up in memory beside polars' working set.
BUILD_MEMORY_ENV = "CLUSTERSTATS_BUILD_MEMORY"
DEFAULT_BUILD_MEMORY = "3GB"


@contextmanager
def attached(files: dict[str, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    """One in-memory connection with each build file attached read-only under its alias (``{"cur": path}``), in
    the build's memory (:func:`build_memory`): for queries that join two builds' large tables."""
    con = duckdb.connect(":memory:", config={"threads": 2, "memory_limit": build_memory()})
    try:
        con.execute("set enable_progress_bar = false")
        for alias, path in files.items():
            con.execute(f"attach {quote_literal(str(path))} as {quote_ident(alias)} (read_only)")
        yield con
    finally:
        con.close()


def build_memory() -> str:
    """DuckDB's memory for a build and for the change report that follows it (``CLUSTERSTATS_BUILD_MEMORY``)."""
    return os.environ.get(BUILD_MEMORY_ENV) or DEFAULT_BUILD_MEMORY


def connect_writable(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection; only the build uses it, on ``warehouse.next.duckdb``."""
    memory = build_memory()
    con = duckdb.connect(str(path), read_only=False, config={"threads": 2, "memory_limit": memory})
    con.execute("set enable_progress_bar = false")
    return con
