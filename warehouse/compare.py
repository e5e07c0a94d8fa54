"""Two warehouse files compared table by table: content hashes (is every table identical?) and the figures that
differ (a revision's list of every figure that moved).

A table's *key* is its text and date columns (codes, labels, methodology versions) and its years; its *figures* are
its other numeric and boolean columns (values, scores, ranks, indices, shares, flags); where a row came from
(``upload_id``, ``vintage``, ``source_row``, ...) is provenance and not compared: a corrected vintage that repeats a
figure does not change it. Two files' rows are matched on the key; a figure changed
when its values differ by more than floating-point noise (relative 1e-12: a sum taken in another order is not a
revision). A table whose key does not identify its rows in both files is compared row by row (rows only in one
file). ``_build`` is never compared: it names the build, which always differs.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import polars as pl

from warehouse.db import attached, query, quote_ident

TOLERANCE = 1e-12
KEY_TYPES = ("VARCHAR", "DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "UUID")
PROVENANCE = ("upload_id", "vintage", "source_row", "seq", "abs_path", "landed_at")
SKIP = ("_build",)


def _tables(con: Any, alias: str) -> dict[str, list[tuple[str, str]]]:
    frame = query(con, "select table_name, column_name, data_type from duckdb_columns() where database_name = ? "
                       "and schema_name = 'main' order by table_name, column_index", [alias])
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, dtype in frame.iter_rows():
        if table not in SKIP:
            out.setdefault(table, []).append((column, dtype))
    return out


def table_hashes(path: Path) -> dict[str, tuple[int, str]]:
    """Rows and an order-independent content hash of every table but ``_build`` (equal hashes: equal content)."""
    with attached({"w": path}) as con:
        out = {}
        for table in sorted(_tables(con, "w")):
            row = query(con, f"select count(*), coalesce(sum(hash(t)::hugeint), 0)::varchar "
                             f"from w.{quote_ident(table)} t").row(0)
            out[table] = (int(row[0]), str(row[1]))
    return out


def figure_changes(new: Path, old: Path, *, limit: int | None = 2000, tables: Iterable[str] | None = None
                   ) -> dict[str, Any]:
    """Every figure that differs between two warehouse files, per table: ``{"tables": {table: {"figures": n,
    "rows_added": n, "rows_removed": n, "items": [{"key": {...}, "column", "old", "new"}]}}, "figures": total}``
    (``items`` holds at most ``limit`` per table; the counts are always complete). Tables identical in both files
    are left out; with ``tables``, only those are compared."""
    out: dict[str, Any] = {"tables": {}, "figures": 0}
    with attached({"new": new, "old": old}) as con:
        tables_new, tables_old = _tables(con, "new"), _tables(con, "old")
        names = set(tables_new) | set(tables_old)
        for table in sorted(names if tables is None else names & set(tables)):
            if table not in tables_new or table not in tables_old:
                rows = _count(con, f"{'new' if table in tables_new else 'old'}.{quote_ident(table)}")
                out["tables"][table] = {"figures": 0, "rows_added": rows if table in tables_new else 0,
                                        "rows_removed": 0 if table in tables_new else rows, "items": [],
                                        "note": "only in the new file" if table in tables_new else "only in the old"}
                continue
            cols = [c for c in tables_new[table] if c in tables_old[table]]
            diff = _table_changes(con, table, cols, limit)
            if diff["figures"] or diff["rows_added"] or diff["rows_removed"]:
                out["tables"][table] = diff
                out["figures"] += diff["figures"]
    return out


def _count(con: Any, relation: str) -> int:
    return int(query(con, f"select count(*) from {relation}").item())


def _table_changes(con: Any, table: str, cols: list[tuple[str, str]], limit: int | None) -> dict[str, Any]:
    cols = [(c, t) for c, t in cols if c not in PROVENANCE]
    keys = [c for c, t in cols if t in KEY_TYPES or c == "year" or c.endswith("_year")]
    figures = [c for c, _ in cols if c not in keys]
    t = quote_ident(table)
    all_cols = ", ".join(quote_ident(c) for c, _ in cols)
    added = _count(con, f"(select {all_cols} from new.{t} except all select {all_cols} from old.{t})")
    removed = _count(con, f"(select {all_cols} from old.{t} except all select {all_cols} from new.{t})")
    result: dict[str, Any] = {"figures": 0, "rows_added": added, "rows_removed": removed, "items": [],
                              "key": keys}
    if not (added or removed) or not figures or not keys or not (_unique(con, f"new.{t}", keys)
                                                                 and _unique(con, f"old.{t}", keys)):
        return result  # identical, or compared row by row only
    on = " and ".join(f"a.{quote_ident(k)} is not distinct from b.{quote_ident(k)}" for k in keys)
    key_sel = ", ".join(f"coalesce(a.{quote_ident(k)}, b.{quote_ident(k)}) as {quote_ident(k)}" for k in keys)
    parts = []
    for f in figures:
        q = quote_ident(f)
        if dict(cols)[f] not in ("DOUBLE", "FLOAT", "REAL", "BIGINT", "INTEGER", "HUGEINT", "SMALLINT", "UBIGINT"
                                 ) and not dict(cols)[f].startswith("DECIMAL"):  # booleans, lists, structs
            differs = f"a.{q} is distinct from b.{q}"
        else:
            differs = (f"(a.{q} is null) <> (b.{q} is null) or abs(a.{q} - b.{q}) > "
                       f"{TOLERANCE} * greatest(1, abs(a.{q}), abs(b.{q}))")
        parts.append(f"select {key_sel}, '{f}' as \"column\", b.{q}::varchar as old, a.{q}::varchar as new "
                     f"from new.{t} a full join old.{t} b on {on} where {differs}")
    union = " union all ".join(parts)
    result["figures"] = _count(con, f"({union})")
    # (the figures of a row only in one file count too, with no old or no new value)
    both = f"(select 1 from new.{t} a join old.{t} b on {on})"
    matched = _count(con, both)
    result["rows_added"] = _count(con, f"new.{t}") - matched
    result["rows_removed"] = _count(con, f"old.{t}") - matched
    order = ", ".join(quote_ident(k) for k in keys)
    sample = query(con, f"select * from ({union}) order by {order}, \"column\"" + (f" limit {limit}" if limit else ""))
    result["items"] = [{"key": {k: row[k] for k in keys}, "column": row["column"], "old": _num(row["old"]),
                        "new": _num(row["new"])} for row in sample.iter_rows(named=True)]
    return result


def _unique(con: Any, relation: str, keys: list[str]) -> bool:
    cols = ", ".join(quote_ident(k) for k in keys)
    n, distinct = query(con, f"select count(*), count(distinct ({cols})) from {relation}").row(0)
    return n == distinct


def _num(value: str | None) -> float | bool | str | None:
    if value is None:
        return None
    if value in ("true", "false"):
        return value == "true"
    try:
        return float(value)
    except ValueError:
        return value


def figures_frame(changes: dict[str, Any]) -> pl.DataFrame:
    """The listed figures of :func:`figure_changes` as one frame: table, key (as text), column, old, new."""
    rows = [{"table": table, "key": "; ".join(f"{k}={v}" for k, v in item["key"].items()), "column": item["column"],
             "old": None if item["old"] is None else str(item["old"]),
             "new": None if item["new"] is None else str(item["new"])}
            for table, diff in changes["tables"].items() for item in diff["items"]]
    schema = {"table": pl.String, "key": pl.String, "column": pl.String, "old": pl.String, "new": pl.String}
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


__all__ = ["figure_changes", "figures_frame", "table_hashes"]
