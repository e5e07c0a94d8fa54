"""What each build leaves behind for later: its warehouse file under ``data/builds/`` and its change report in
``ops.sqlite``, read back and formatted.

To compare two builds both warehouse files must exist, so every build is kept under ``data/builds/<build_id>.duckdb``
(a hard link to the live file: no copy, no extra disk until the next swap replaces the live name). ``recompute``
calls :func:`keep_live_build` just before its swap; after it, :func:`pipeline.jobs.changes.after_build` keeps the new
file, writes the report (:func:`save_report`) and prunes the files to the newest ``keep_builds``
(``Settings.extra["keep_builds"]``, default :data:`KEEP_BUILDS`, at least 2).

    >>> report = load_report(settings, "20250301T020000Z-1a2b3c")          # doctest: +SKIP
    >>> print(format_report(report))                                        # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from warehouse.queries import build_info

KEEP_BUILDS = 3


# -- kept builds -----------------------------------------------------------------------------------------------
def builds_dir(settings: Settings) -> Path:
    return settings.data_dir / "builds"


def kept_build_path(settings: Settings, build_id: str) -> Path:
    return builds_dir(settings) / f"{build_id}.duckdb"


def keep_file(source: Path, target: Path) -> None:
    """Keep ``source`` as ``target`` (a hard link, else a copy); an existing ``target`` is left as it is."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


def keep_live_build(settings: Settings) -> str | None:
    """Keep the live build's file under ``data/builds/`` (before a swap replaces it); returns its build id."""
    try:
        info = build_info(settings.warehouse_path)
        if info is None:
            return None
        keep_file(settings.warehouse_path, kept_build_path(settings, info["build_id"]))
        return str(info["build_id"])
    except Exception:  # an unreadable old warehouse is not this build's problem
        return None


def prune_kept_builds(settings: Settings, *, keep: int, protect: set[str]) -> list[str]:
    """Delete kept builds but the newest ``keep`` and those in ``protect``; returns the build ids deleted."""
    files = sorted(builds_dir(settings).glob("*.duckdb"), key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
    deleted = []
    for path in files[keep:]:
        if path.stem not in protect:
            path.unlink(missing_ok=True)
            deleted.append(path.stem)
    return deleted


# -- stored reports ------------------------------------------------------------------------------------------------
def save_report(settings: Settings, report: dict[str, Any]) -> None:
    store = OpsStore(settings.ops_path)
    store.migrate()
    with store.transaction() as con:
        con.execute(
            "insert or replace into change_reports (build_id, previous_build_id, created_at, no_change, summary, "
            "report_json) values (?, ?, ?, ?, ?, ?)",
            (report["build_id"], report["previous_build_id"], datetime.now(UTC).isoformat(timespec="seconds"),
             int(report["no_change"]), report["summary"], json.dumps(report, ensure_ascii=False, default=str)),
        )


def load_report(settings: Settings, build_id: str) -> dict[str, Any] | None:
    """The change report of a build (None when it has none)."""
    if not settings.ops_path.exists():
        return None
    store = OpsStore(settings.ops_path)
    store.migrate()
    with store.connect() as con:
        row = con.execute("select report_json from change_reports where build_id = ?", (build_id,)).fetchone()
    return json.loads(row[0]) if row else None


def latest_report(settings: Settings) -> dict[str, Any] | None:
    """The newest build's change report (for the scorecards: "what changed since the last build")."""
    if not settings.ops_path.exists():
        return None
    store = OpsStore(settings.ops_path)
    store.migrate()
    with store.connect() as con:
        row = con.execute("select report_json from change_reports order by created_at desc, rowid desc limit 1"
                          ).fetchone()
    return json.loads(row[0]) if row else None


def changes_for_cluster(report: dict[str, Any], cluster_code: str, *, category_code: str | None = None,
                        regions: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """One named cluster's part of a report, for its scorecard: its score moves, its own crossings (size band), and
    the crossings of its category (``category_code``) in its own lead and member ``regions`` only: a category
    crossing a threshold in a city the cluster is not in is not the cluster's."""
    if not report.get("compared"):
        return {"build_id": report["build_id"], "previous_build_id": report.get("previous_build_id"),
                "moves": [], "crossings": []}

    def mine(item: dict[str, Any]) -> bool:
        if item.get("cluster_code") == cluster_code:
            return True
        return (category_code is not None and item.get("category_code") == category_code
                and item.get("region_code") in regions)

    return {
        "build_id": report["build_id"], "previous_build_id": report["previous_build_id"],
        "moves": [m for m in report["scores"]["moved"] if m["cluster_code"] == cluster_code],
        "crossings": [dict(i, flag=key) for key, t in report["thresholds"].items() for i in t["items"] if mine(i)],
    }


def _num(value: float | int | None) -> str:
    return "-" if value is None else (f"{value:.2f}" if isinstance(value, float) else str(value))


def format_report(report: dict[str, Any]) -> str:
    """The report as text (CLI, printable export)."""
    lines = [f"Build {report['build_id']}" + (f" against {report['previous_build_id']}"
                                               if report.get("previous_build_id") else ""), report["summary"]]
    if not report.get("compared"):
        return "\n".join(lines)
    for u in report["data"]["new_uploads"]:
        years = f" years {', '.join(map(str, u['years']))}" if u["years"] else ""
        lines.append(f"  upload  {u['kind']:<20} v{u['vintage']:<3} {u['rows']:>7} rows{years}  {u['file']} "
                     f"({u['who']}, {u['landed_at']}){'  revision' if u['revision'] else ''}")
    for m in report["scores"]["moved"][:20]:
        change = "n/a" if m["score_change"] is None else f"{m['score_change']:+.2f}"
        lines.append(f"  score   {m['year']} {m['cluster_code']:<12} {_num(m['score_before']):>6} -> "
                     f"{_num(m['score']):>6} ({change}), rank {_num(m['rank_before'])} -> {_num(m['rank'])}"
                     f"{'  ' + m['explanation'] if m.get('explanation') else ''}")
    for key, t in report["thresholds"].items():
        for item in t["items"][:20]:
            # the region and the thing that crossed: an industry, a cluster category (with its name) or a cluster
            where = " ".join(str(item.get(k)) for k in ("year", "region_code", "industry_code", "category_code",
                                                         "category_name", "cluster_code", "measure")
                             if item.get(k) is not None)
            what = item.get("change") or f"{item.get('size_band_before')} -> {item.get('size_band')}"
            lines.append(f"  {key:<34} {where}: {what}")
    return "\n".join(lines)


__all__ = [
    "KEEP_BUILDS", "builds_dir", "changes_for_cluster", "format_report", "keep_file", "keep_live_build",
    "kept_build_path", "latest_report", "load_report", "prune_kept_builds", "save_report",
]
