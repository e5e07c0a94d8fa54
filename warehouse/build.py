"""Building a warehouse file: create ``warehouse.next.duckdb``, fill it, audit it, swap it in atomically.

Only :func:`pipeline.jobs.build.recompute` drives a :class:`Builder`, under the build lock. The live file is replaced
with ``os.replace`` after the new one is complete, checkpointed, closed and flushed to disk, so readers see either
the old build or the new one, and a crash at any point leaves the old one live.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.core.errors import AuditFailed
from pipeline.core.ops import Upload
from warehouse.db import (
    connect_writable,
    execute,
    query,
    quote_ident,
    quote_literal,
    split_statements,
    sql_files,
    sql_text,
)

#: upload kind -> staging table
STAGING_TABLES = {
    "regions": "stg_regions",
    "industries": "stg_industries",
    "cluster-categories": "stg_cluster_categories",
    "clusters": "stg_clusters",
    "cluster-industries": "stg_cluster_industries",
    "regional-industry": "stg_regional_industry",
    "cluster-indicators": "stg_cluster_indicators",
    "firms": "stg_firms",
}


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def apply_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the numbered DDL files not yet recorded in ``_migrations``; idempotent."""
    execute(con, "create table if not exists _migrations (version integer primary key, name varchar not null)")
    done = {row[0] for row in con.sql("select version from _migrations").fetchall()}
    applied = []
    for rel in sql_files("ddl"):
        name = rel.split("/", 1)[1]
        version = int(name.split("_", 1)[0])
        if version in done:
            continue
        for statement in split_statements(sql_text(rel)):
            execute(con, statement)
        execute(con, "insert into _migrations values (?, ?)", [version, name])
        applied.append(name)
    return applied


#: Audits of the facts alone: a build runs them before the marts, whose index functions trust the facts' keys.
FACT_AUDITS = ("audits/01_fact_keys_unique.sql", "audits/02_fact_codes_known.sql")


class Builder:
    """A new warehouse file under construction."""

    def __init__(self, next_path: Path, live_path: Path) -> None:
        self.next_path = Path(next_path)
        self.live_path = Path(live_path)
        self.con: duckdb.DuckDBPyConnection | None = None

    # -- lifecycle ----------------------------------------------------------------------------------------
    def create(self) -> None:
        """Start from an empty file (a leftover from a crashed build is discarded) with every migration."""
        _remove_db(self.next_path)
        self.con = connect_writable(self.next_path)
        apply_migrations(self.con)

    def abort(self) -> None:
        """Close and delete the unfinished file; the live warehouse is untouched."""
        if self.con is not None:
            with contextlib.suppress(duckdb.Error):
                self.con.close()
            self.con = None
        _remove_db(self.next_path)

    def swap(self) -> None:
        """Close the finished file, flush it to disk and atomically put it in place of the live one."""
        assert self.con is not None
        execute(self.con, "checkpoint")
        self.con.close()
        self.con = None
        with open(self.next_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(self.next_path, 0o600)  # the owner's alone, whatever the umask of the process that built it
        os.replace(self.next_path, self.live_path)
        with contextlib.suppress(OSError):
            fd = os.open(self.live_path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    # -- loading ------------------------------------------------------------------------------------------
    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        assert self.con is not None, "Builder.create() first"
        return self.con

    def load_landing(self, data_dir: Path, uploads: Sequence[Upload]) -> dict[str, int]:
        """Copy the manifest and every landed file into the staging tables; returns rows per kind."""
        con = self.connection
        manifest = pl.DataFrame(
            {
                "seq": [u.seq for u in uploads],
                "upload_id": [u.upload_id for u in uploads],
                "kind": [u.kind for u in uploads],
                "vintage": [u.vintage for u in uploads],
                "file_name": [u.file_name for u in uploads],
                "who": [u.who for u in uploads],
                "landed_at": [u.landed_at for u in uploads],
                "rows": [u.rows for u in uploads],
                "units_json": [_json(u.units) for u in uploads],
                "abs_path": [str((data_dir / u.path).resolve()) for u in uploads],
            },
            schema_overrides={"seq": pl.Int64, "vintage": pl.Int32, "rows": pl.Int64},
        )
        con.register("_manifest_frame", manifest)
        execute(con, "create temp table _manifest as select * from _manifest_frame")
        con.unregister("_manifest_frame")
        execute(con, "insert into stg_uploads by name select * from _manifest")
        counts: dict[str, int] = {}
        self.multi_vintage: dict[str, bool] = {}
        for kind, table in STAGING_TABLES.items():
            mine = manifest.filter(pl.col("kind") == kind)
            paths = mine.get_column("abs_path").to_list()
            self.multi_vintage[kind] = len(paths) > 1
            if paths:  # the empty table of the DDL becomes a view over the kind's landed files
                shape = f"_shape_{table}"
                execute(con, f"alter table {quote_ident(table)} rename to {quote_ident(shape)}")
                view = sql_text("staging/00_load_landed.sql").format(
                    view=quote_ident(table), shape=quote_ident(shape),
                    paths=", ".join(quote_literal(p) for p in paths))
                execute(con, view)
            counts[kind] = int(mine.get_column("rows").sum()) if paths else 0
        return counts

    def run_staging(self) -> None:
        """Dimensions and facts from staging (newest vintages), in file order. A kind landed once has no older
        vintage to set aside (keys are unique within an upload), so its newest-vintage filter is left out."""
        for rel in sql_files("staging"):
            if rel.endswith("00_load_landed.sql"):
                continue
            text = sql_text(rel)
            kind = next((k for k, t in STAGING_TABLES.items() if f"from {t}" in text), None)
            if "{newest_only}" in text:
                marker = text[text.index("-- newest_only:"):].split("\n", 1)[0].removeprefix("-- newest_only:")
                text = text.replace("{newest_only}", marker.strip() if self.multi_vintage.get(kind, True) else "")
            execute(self.connection, text)

    def query(self, sql: str, params: Sequence[Any] | None = None) -> pl.DataFrame:
        return query(self.connection, sql, params)

    def query_file(self, rel: str, params: Sequence[Any] | None = None) -> pl.DataFrame:
        return query(self.connection, sql_text(rel), params)

    def write(self, table: str, frame: pl.DataFrame) -> int:
        """Insert a polars frame into an existing table, matching columns by name (nothing for an empty frame)."""
        if frame.width == 0 or frame.height == 0:
            return 0
        con = self.connection
        con.register("_frame", frame)
        try:
            execute(con, f"insert into {quote_ident(table)} by name select * from _frame")
        finally:
            con.unregister("_frame")
        return frame.height

    def run_audits(self, *, facts: bool | None = None) -> dict[str, int]:
        """Run the audits; raise :class:`AuditFailed` naming the offending rows of each that fails. ``facts``:
        True for the audits of the facts alone (``FACT_AUDITS``, run before the marts, which trust the facts'
        keys), False for the others (after the marts), None for all."""
        results: dict[str, int] = {}
        failures = []
        for rel in sql_files("audits"):
            if facts is not None and (rel in FACT_AUDITS) != facts:
                continue
            bad = self.query_file(rel)
            results[rel] = bad.height
            if bad.height:
                with pl.Config(tbl_rows=10, tbl_cols=12, fmt_str_lengths=40):
                    failures.append(f"audit {rel} found {bad.height} bad row(s):\n{bad.head(10)}")
        if failures:
            raise AuditFailed("The build was stopped; the previous warehouse stays live.\n" + "\n".join(failures))
        return results

    def finish(self, build: dict[str, Any]) -> None:
        """Record the build row."""
        self.write("_build", pl.DataFrame([build]))


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def verify_warehouse(path: Path, *, thorough: bool = False) -> str | None:
    """None when the warehouse file opens and its build record reads (``thorough``: every row of every table
    reads, so that a damaged block anywhere is found); else what is wrong, in one line."""
    if not Path(path).exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            if query(con, "select build_id from _build").height == 0:
                return "it has no build record (_build is empty)"
            if thorough:
                tables = query(con, "select table_name from information_schema.tables where table_schema = 'main' "
                                    "and table_type = 'BASE TABLE'").get_column("table_name").to_list()
                for table in tables:
                    con.sql(f"select count(*), sum(hash(t)) from {quote_ident(table)} t").fetchall()
        finally:
            con.close()
    except Exception as exc:  # duckdb raises IOException, SerializationException, InternalException ... on damage
        return f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"
    return None
