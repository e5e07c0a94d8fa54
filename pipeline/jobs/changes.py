"""Change reports: what a build changed against the build before it, read from the two builds' kept files.

``recompute`` calls :func:`after_build` just after its swap, still holding the build lock: it keeps the new build's
file, compares it with the previous one (:func:`change_report`), stores the report and prunes old files
(:mod:`pipeline.jobs.kept`).

The report compares: every table but ``_build`` (content hashes: equal everywhere is "no change"), the uploads each
build read (new uploads, revised vintages, the years they cover, cells added/revised/removed in the facts),
methodology and code versions, cluster scores and ranks (with an explanation per move), and threshold crossings
(``specialised``/``strong`` flags of the LQ marts, size bands). A report never fails a build: an error becomes a
line in the build's output and the audit log.

The explanation of a score move comes from :func:`pipeline.jobs.moves.score_change_explanations` (the change in each
indicator's weighted contribution), unless :mod:`pipeline.scoring` provides ``explain_score_changes`` with the same
signature: that hook is the scoring engine's place to say why.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from pipeline.jobs.kept import KEEP_BUILDS, keep_file, kept_build_path, prune_kept_builds, save_report
from pipeline.jobs.moves import SCORE_COLUMNS, score_change_explanations, score_moves
from warehouse.build import STAGING_TABLES
from warehouse.db import attached, build_memory, query, quote_ident, read_only

MAX_ITEMS = 200  # per list in a report; the totals are always complete

#: mart -> (key columns, name lookups) for threshold crossings of boolean flags
FLAG_TABLES = {
    "mart_category_lq": ("year", "measure", "region_level", "industry_level", "region_code", "category_code"),
    "mart_category_strength": ("year", "region_level", "industry_level", "region_code", "category_code"),
    "mart_location_quotient": ("year", "measure", "region_level", "industry_level", "region_code", "industry_code"),
    "mart_cluster_score": ("year", "cluster_code"),
}
FLAG_COLUMNS = ("specialised", "strong")
#: fact table -> (its upload kind, key columns)
FACTS = {
    "fact_cluster_indicator": ("cluster-indicators", ("cluster_code", "region_code", "year", "indicator")),
    "fact_regional_industry": ("regional-industry", ("region_code", "industry_code", "year", "measure")),
}


# -- after a build -----------------------------------------------------------------------------------------------
def after_build(settings: Settings, build_id: str, previous_build_id: str | None, *,
                say: Callable[[str], None] | None = None) -> dict[str, Any] | None:
    """Keep the new live build, write its change report against ``previous_build_id``, prune old files."""
    say = say or (lambda _msg: None)
    try:
        current = kept_build_path(settings, build_id)
        keep_file(settings.warehouse_path, current)
        previous = kept_build_path(settings, previous_build_id) if previous_build_id else None
        report = change_report(current, previous if previous and previous.exists() else None,
                               previous_build_id=previous_build_id)
        save_report(settings, report)
        keep = max(2, int(settings.extra.get("keep_builds", KEEP_BUILDS)))
        prune_kept_builds(settings, keep=keep, protect={build_id, previous_build_id or ""})
        say(f"Changes: {report['summary']}")
        return report
    except Exception as exc:
        say(f"The change report could not be made ({type(exc).__name__}: {exc}); the build itself is live.")
        with contextlib.suppress(Exception):
            OpsStore(settings.ops_path).audit("system", "change_report_failed", {"build_id": build_id,
                                                                                "error": str(exc)[:500]})
        return None


# -- reading a build -------------------------------------------------------------------------------------------
class Snapshot:
    """What a report needs from one kept build file, read on demand through one read-only connection (a kept
    file is never written, so holding it open blocks nobody)."""

    def __init__(self, path: Path, stack: contextlib.ExitStack) -> None:
        self.path = Path(path)
        self._con = stack.enter_context(read_only(self.path, memory_limit=build_memory()))
        self._cache: dict[str, pl.DataFrame] = {}
        self.pair: Any = None  # both builds attached (warehouse.db.attached), for the current one

    def sql(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        return query(self._con, sql, params)

    def table(self, name: str) -> pl.DataFrame:
        if name not in self._cache:
            self._cache[name] = self.sql(f"select * from {quote_ident(name)}") if name in self.tables() else (
                pl.DataFrame())
        return self._cache[name]

    def tables(self) -> list[str]:
        if "__tables" not in self._cache:
            self._cache["__tables"] = self.sql("select table_name from duckdb_tables() where schema_name = 'main'")
        return self._cache["__tables"].get_column("table_name").to_list()

    def build(self) -> dict[str, Any]:
        return self.table("_build").row(0, named=True)

    def content_hashes(self) -> dict[str, tuple[int, str]]:
        """Rows and an order-independent hash of the rows, per table (all but ``_build``)."""
        out = {}
        for name in self.tables():
            if name == "_build":
                continue
            row = self.sql(f"select count(*) as n, coalesce(sum(hash(t)::hugeint), 0)::varchar as h "
                           f"from {quote_ident(name)} t").row(0)
            out[name] = (int(row[0]), str(row[1]))
        return out

    def names(self, dim: str) -> dict[str, str]:
        frame = self.table(dim)
        return dict(zip(frame["code"].to_list(), frame["name"].to_list(), strict=True)) if frame.height else {}

    def upload_years(self, upload_ids: list[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        # a kind with uploads is a view over its landed Parquet files (warehouse/sql/staging/00_load_landed.sql)
        views = self.sql("select view_name from duckdb_views() where schema_name = 'main'").get_column("view_name")
        relations = set(self.tables()) | set(views.to_list())
        for table in STAGING_TABLES.values():
            if table not in relations or "year" not in self.table_columns(table):
                continue
            for uid in upload_ids:
                years = self.sql(f"select distinct year from {quote_ident(table)} where upload_id = ? order by year",
                                 [uid]).get_column("year").to_list()
                if years:
                    out[uid] = [int(y) for y in years]
        return out

    def table_columns(self, name: str) -> list[str]:
        return self.sql("select column_name from duckdb_columns() where table_name = ? order by column_index",
                        [name]).get_column("column_name").to_list()


# -- the report --------------------------------------------------------------------------------------------------
def change_report(current_path: Path, previous_path: Path | None, *, previous_build_id: str | None = None
                  ) -> dict[str, Any]:
    """Compare the build at ``current_path`` with the one at ``previous_path`` (None: nothing to compare)."""
    with contextlib.ExitStack() as stack:
        cur = Snapshot(current_path, stack)
        prev = Snapshot(previous_path, stack) if previous_path is not None else None
        if prev is not None:
            # the comparisons of large tables run in DuckDB, both builds attached within the build's memory (a
            # census build's LQ marts are 95 M rows; read into polars, two builds took the machine's 24 GB)
            cur.pair = stack.enter_context(attached({"cur": current_path, "prev": previous_path}))
        return _report(cur, prev, previous_build_id)


def _relation(snap: Snapshot, schema: str, table: str, other: Snapshot, columns: list[str]) -> str | None:
    """``schema.table``'s columns, or an empty relation of the other build's when this build has no such table."""
    cols = ", ".join(quote_ident(c) for c in columns)
    if table in snap.tables():
        return f"select {cols} from {schema}.{quote_ident(table)}"
    if table in other.tables():
        return f"select {cols} from {'prev' if schema == 'cur' else 'cur'}.{quote_ident(table)} where false"
    return None


def _on(keys: tuple[str, ...] | list[str]) -> str:
    return " and ".join(f"a.{quote_ident(k)} is not distinct from b.{quote_ident(k)}" for k in keys)


def _report(cur: Snapshot, prev: Snapshot | None, previous_build_id: str | None) -> dict[str, Any]:
    build = cur.build()
    report: dict[str, Any] = {
        "build_id": build["build_id"], "previous_build_id": previous_build_id,
        "current": _build_meta(build), "previous": None, "compared": prev is not None,
        "no_change": False,
    }
    if prev is None:
        uploads = cur.table("stg_uploads")
        report["data"] = {"new_uploads": _uploads(uploads, cur, set()), "facts": {}}
        report["summary"] = (f"First build kept for comparison ({uploads.height} uploads); nothing to compare with."
                             if previous_build_id is None else
                             f"The previous build {previous_build_id} was not kept, so nothing to compare with; this "
                             f"build read {uploads.height} uploads.")
        return report
    pbuild = prev.build()
    report["previous"] = _build_meta(pbuild)
    report["methodology"] = {"previous": pbuild["methodology_hash"], "current": build["methodology_hash"],
                             "changed": pbuild["methodology_hash"] != build["methodology_hash"]}
    report["code"] = {"previous": pbuild["code_version"], "current": build["code_version"],
                      "changed": (pbuild["code_version"], pbuild["schema_version"])
                      != (build["code_version"], build["schema_version"])}
    hashes, phashes = cur.content_hashes(), prev.content_hashes()
    changed_tables = sorted(t for t in set(hashes) | set(phashes) if hashes.get(t) != phashes.get(t))
    report["tables_changed"] = changed_tables
    report["no_change"] = not changed_tables
    report["data"] = _data_changes(cur, prev, set(changed_tables))
    report["scores"] = _score_moves(cur, prev)
    report["thresholds"] = _threshold_crossings(cur, prev, set(changed_tables))
    report["summary"] = _summary(report)
    return report


def _build_meta(build: dict[str, Any]) -> dict[str, Any]:
    keys = ("build_id", "built_at", "code_version", "methodology_hash", "landing_seq", "uploads", "trigger", "who")
    return {k: (str(build[k]) if k == "built_at" else build[k]) for k in keys}


def _uploads(frame: pl.DataFrame, snap: Snapshot, previous_kinds: set[str]) -> list[dict[str, Any]]:
    if frame.is_empty():
        return []
    years = snap.upload_years(frame.get_column("upload_id").to_list())
    return [{"upload_id": u["upload_id"], "kind": u["kind"], "vintage": u["vintage"], "file": u["file_name"],
             "who": u["who"], "landed_at": u["landed_at"], "rows": u["rows"],
             "revision": u["kind"] in previous_kinds, "years": years.get(u["upload_id"], [])}
            for u in frame.sort("seq").iter_rows(named=True)]


def _data_changes(cur: Snapshot, prev: Snapshot, changed: set[str]) -> dict[str, Any]:
    now, before = cur.table("stg_uploads"), prev.table("stg_uploads")
    old_ids = set(before.get_column("upload_id").to_list()) if before.height else set()
    new = now.filter(~pl.col("upload_id").is_in(list(old_ids))) if now.height else now
    kinds = set(before.get_column("kind").to_list()) if before.height else set()
    gone = sorted(old_ids - set(now.get_column("upload_id").to_list())) if now.height else sorted(old_ids)
    touched = set(new.get_column("kind").to_list()) if new.height else set()
    # a table whose content hash is unchanged has no cell added, revised or removed: not compared cell by cell
    facts = {t: _fact_changes(cur, prev, t, keys) if t in changed else {"added": 0, "revised": 0, "removed": 0,
                                                                      "years": []}
             for t, (kind, keys) in FACTS.items() if kind in touched or gone}
    return {"landing_seq": [prev.build()["landing_seq"], cur.build()["landing_seq"]],
            "new_uploads": _uploads(new, cur, kinds), "uploads_no_longer_read": gone, "facts": facts}


def _fact_changes(cur: Snapshot, prev: Snapshot, table: str, keys: tuple[str, ...]) -> dict[str, Any]:
    """Cells added, revised (value differs) and removed between two fact tables, with the years touched."""
    columns = [*keys, "value"]
    a, b = _relation(cur, "cur", table, prev, columns), _relation(prev, "prev", table, cur, columns)
    if a is None or b is None or cur.pair is None:
        return {"added": 0, "revised": 0, "removed": 0, "years": []}
    row = query(cur.pair, f"""
        with j as (
            select coalesce(a.year, b.year) as year, a.value as value, b.value as value_before
            from ({a}) a full join ({b}) b on {_on(keys)}
        ), c as (
            select year, value_before is null and value is not null as added,
                   value is null and value_before is not null as removed,
                   value is not null and value_before is not null and value <> value_before as revised
            from j
        )
        select count(*) filter (where added) as added, count(*) filter (where revised) as revised,
               count(*) filter (where removed) as removed,
               coalesce(list(distinct year order by year) filter (where added or revised or removed), []) as years
        from c""").row(0, named=True)
    return {"added": int(row["added"]), "revised": int(row["revised"]), "removed": int(row["removed"]),
            "years": [int(y) for y in row["years"]]}


def _explainer() -> Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]:
    scoring = importlib.import_module("pipeline.scoring")
    return getattr(scoring, "explain_score_changes", score_change_explanations)


def _score_moves(cur: Snapshot, prev: Snapshot) -> dict[str, Any]:
    now, before = cur.table("mart_cluster_score"), prev.table("mart_cluster_score")
    if (now.is_empty() and before.is_empty()) or not (set(SCORE_COLUMNS) <= set(now.columns) & set(before.columns)):
        return {"moved": [], "total": 0, "moved_in_latest_year": 0, "latest_year": None}
    moved = score_moves(before, now)
    try:
        explained = _explainer()(prev.table("mart_cluster_indicator"), cur.table("mart_cluster_indicator"))
    except Exception as exc:  # an explanation is a nicety; the moves are reported regardless
        explained = pl.DataFrame()
        moved = moved.with_columns(pl.lit(f"no explanation ({type(exc).__name__}: {exc})"[:200]).alias("note"))
    if explained.height:
        moved = moved.join(explained.with_columns(pl.col("year").cast(pl.Int64)), on=["cluster_code", "year"],
                           how="left", maintain_order="left")
    else:
        moved = moved.with_columns(pl.lit(None, dtype=pl.String).alias("explanation"))
    names = cur.names("dim_cluster") or prev.names("dim_cluster")
    moved = moved.with_columns(pl.col("cluster_code").replace_strict(names, default=None, return_dtype=pl.String)
                               .alias("cluster_name"))
    latest = now.get_column("year").max() if now.height else None
    return {"latest_year": latest, "total": moved.height,
            "moved_in_latest_year": moved.filter(pl.col("year") == latest).height if latest is not None else 0,
            "moved": [_round(r) for r in moved.head(MAX_ITEMS).iter_rows(named=True)]}


def _round(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}


def _threshold_crossings(cur: Snapshot, prev: Snapshot, changed: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    regions = cur.names("dim_region") or prev.names("dim_region")
    industries = cur.names("dim_industry") or prev.names("dim_industry")
    clusters = cur.names("dim_cluster") or prev.names("dim_cluster")
    categories = cur.names("dim_category") or prev.names("dim_category")
    for table, keys in FLAG_TABLES.items():
        if table not in cur.tables() or table not in prev.tables() or cur.pair is None:
            continue
        now, before = cur.table_columns(table), prev.table_columns(table)
        for flag in FLAG_COLUMNS:
            if flag not in now or flag not in before:
                continue
            if table not in changed:  # the same content: no flag crossed
                out[f"{table}.{flag}"] = {"gained": 0, "lost": 0, "items": []}
                continue
            extra = ["lq"] if "lq" in now and "lq" in before else []
            f, t = quote_ident(flag), quote_ident(table)
            crossed = query(cur.pair, f"""
                select {", ".join(f"a.{quote_ident(k)}" for k in keys)}, a.{f} as {f}, b.{f} as {flag}_before
                       {"".join(f", a.{quote_ident(x)} as {x}, b.{quote_ident(x)} as {x}_before" for x in extra)},
                       count(*) filter (where a.{f}) over () as gained,
                       count(*) filter (where not a.{f}) over () as lost
                from cur.{t} a join prev.{t} b on {_on(keys)}
                where a.{f} is not null and b.{f} is not null and a.{f} <> b.{f}
                order by a.year desc, {", ".join(f"a.{quote_ident(k)}" for k in keys)}
                limit {MAX_ITEMS}""")  # the counts are of every crossing; the items, the newest first
            items = []
            for r in crossed.iter_rows(named=True):
                item = {k: r[k] for k in keys} | {"change": "gained" if r[flag] else "lost"}
                if extra:
                    item |= {"lq_before": _r(r["lq_before"]), "lq": _r(r["lq"])}
                for code, lookup in (("region_code", regions), ("industry_code", industries),
                                     ("category_code", categories), ("cluster_code", clusters)):
                    if code in item:
                        item[code.replace("_code", "_name")] = lookup.get(item[code])
                items.append(item)
            counts = crossed.row(0, named=True) if crossed.height else {"gained": 0, "lost": 0}
            out[f"{table}.{flag}"] = {"gained": int(counts["gained"]), "lost": int(counts["lost"]), "items": items}
    now, before = cur.table("mart_cluster_score"), prev.table("mart_cluster_score")
    if "size_band" in now.columns and "size_band" in before.columns:
        j = now.select("cluster_code", "year", "size_band").join(
            before.select("cluster_code", "year", "size_band"), on=["cluster_code", "year"], suffix="_before")
        bands = j.filter(pl.col("size_band").is_not_null() & pl.col("size_band_before").is_not_null()
                         & (pl.col("size_band") != pl.col("size_band_before")))
        out["mart_cluster_score.size_band"] = {
            "changed": bands.height,
            "items": [r | {"cluster_name": clusters.get(r["cluster_code"])}
                      for r in bands.sort("year", descending=True).head(MAX_ITEMS).iter_rows(named=True)]}
    return out


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _summary(report: dict[str, Any]) -> str:
    prev = report["previous"]["build_id"]
    if report["no_change"]:
        return (f"No change: every table is identical to build {prev} (no new data, methodology "
                f"{report['current']['methodology_hash']} unchanged).")
    parts = []
    data = report["data"]
    if data["new_uploads"]:
        ups = "; ".join(f"{u['kind']} vintage {u['vintage']}{' (revision)' if u['revision'] else ''}"
                        f"{' for ' + ', '.join(map(str, u['years'])) if u['years'] else ''}"
                        for u in data["new_uploads"][:5])
        more = f" and {len(data['new_uploads']) - 5} more" if len(data["new_uploads"]) > 5 else ""
        parts.append(f"{len(data['new_uploads'])} new upload(s): {ups}{more}")
    for table, f in data["facts"].items():
        if f["added"] or f["revised"] or f["removed"]:
            parts.append(f"{table}: {f['revised']} value(s) revised, {f['added']} added, {f['removed']} removed")
    if report["methodology"]["changed"]:
        parts.append(f"methodology {report['methodology']['previous']} -> {report['methodology']['current']}")
    if report["code"]["changed"]:
        parts.append(f"code {report['code']['previous']} -> {report['code']['current']}")
    scores = report["scores"]
    if scores["total"]:
        top = scores["moved"][0]
        change = top["score_change"]
        parts.append(
            f"{scores['moved_in_latest_year']} cluster score(s) moved in {scores['latest_year']} "
            f"({scores['total']} in all years); largest: {top['cluster_name'] or top['cluster_code']} {top['year']} "
            + (f"{change:+.2f} points" if change is not None else "scored or unscored")
            + (f", rank {top['rank_before']} -> {top['rank']}" if top["rank"] != top["rank_before"] else ""))
    for key, t in report["thresholds"].items():
        if t.get("gained") or t.get("lost"):
            parts.append(f"{key}: {t['gained']} gained, {t['lost']} lost")
        elif t.get("changed"):
            parts.append(f"{key}: {t['changed']} changed")
    if not parts:
        parts.append(f"tables changed: {', '.join(report['tables_changed'])}")
    return f"Against build {prev}: " + "; ".join(parts) + "."


__all__ = ["FACTS", "FLAG_COLUMNS", "FLAG_TABLES", "MAX_ITEMS", "Snapshot", "after_build",
           "change_report"]
