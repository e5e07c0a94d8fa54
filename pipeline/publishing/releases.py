"""Releases: a numbered, frozen copy of the official build, approved by a second person and published by the worker
at its announced time.

``create_release`` copies the live official warehouse to ``data/releases/release-<N>-<sha12>.duckdb`` (read-only,
named by its content hash) and records it with the build id, methodology version, code version and the exact
landed vintages the build read. A release is never edited; a correction is a new release that names the one it
revises, with a note and the comparison of the two files (the change report and every figure that moved).
``approve_release`` is four eyes: the creator cannot approve. Publication is the worker's
(:func:`pipeline.core.publication.publish_due`). ``release_problems`` finds a frozen file missing or changed;
``rebuild_release`` builds a release again from its recorded vintages and methodology and compares every table.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pipeline
from pipeline.access.users import auth_enabled
from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.publication import official_marker, release, releases
from pipeline.core.settings import Settings
from pipeline.jobs import change_report
from pipeline.jobs.build import build_file
from pipeline.jobs.methodologies import archive_dir
from pipeline.publishing.authority import authorise
from pipeline.publishing.disclosure import protect_release_file
from pipeline.scoring import Methodology
from warehouse.compare import figure_changes, table_hashes
from warehouse.lock import BuildLock
from warehouse.queries import build_info, is_current

LISTED = 500  # figures kept per table with a revision (the counts are complete; `revision_figures` lists all)


class ReleaseError(ClusterstatsError):
    """The release cannot be made or changed that way."""


def releases_dir(settings: Settings) -> Path:
    return settings.data_dir / "releases"


def release_path(settings: Settings, rel: dict[str, Any]) -> Path:
    return settings.data_dir / rel["file"]


def _store(settings: Settings) -> OpsStore:
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


def parse_publish_at(text: str, timezone: str) -> datetime:
    """'2024-06-30 09:30' in the bureau's time zone (or an ISO time with its own offset) as an aware time."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ReleaseError(f"Unknown time zone {timezone!r}; use a name such as Asia/Shanghai.") from None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ReleaseError(f"--publish-at {text!r} is not a time: write it as YYYY-MM-DD HH:MM, e.g. "
                           "2024-06-30 09:30 (in the bureau's time zone).") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def create_release(settings: Settings, *, title: str, reference_year: int | None, publish_at: str, who: str,
                   timezone: str | None = None, revises: int | None = None, note: str | None = None
                   ) -> dict[str, Any]:
    """Freeze the live official build as the next release (status ``draft``); returns its row."""
    authorise(settings, who, "reviewer", "create releases")
    if not title.strip():
        raise ReleaseError("A release needs a title (--title), e.g. 2023年度产业集群评价.")
    zone = timezone or settings.timezone
    when = parse_publish_at(publish_at, zone)
    store = _store(settings)
    previous = None
    if revises is not None:
        previous = release(store, revises)
        if previous is None or previous["status"] != "published":
            raise ReleaseError(f"Release {revises} is not a published release; a revision corrects a published "
                               "one (`clusterstats release list`).")
        if not (note or "").strip():
            raise ReleaseError("A revision says what it corrects and why (--note); readers see it.")
    with BuildLock(settings.lock_path, wait_seconds=60):  # no build swaps the file while it is copied
        build = build_info(settings.warehouse_path)
        if build is None or not is_current(build):
            raise ReleaseError("There is no current official build to release; run `clusterstats recompute` first.")
        if (build["landing_seq"], build["uploads"]) != official_marker(store):
            raise ReleaseError(f"The official build {build['build_id']} does not hold every accepted upload; "
                               "recompute first (`clusterstats recompute`), then create the release.")
        number = 1 + max((r["number"] for r in releases(store)), default=0)
        folder = releases_dir(settings)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for stale in folder.glob(".release-*.tmp"):  # a creation killed mid-copy (we hold the lock: none runs now)
            stale.unlink(missing_ok=True)
        tmp = folder / f".release-{number}.tmp"
        uploads = _read_uploads(settings, build)
        shutil.copyfile(settings.warehouse_path, tmp)
        try:  # the release holds the protected tables (issue 17); the working build keeps every figure
            disclosure = protect_release_file(settings, tmp, uploads, _methodology(settings, build).disclosure)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        digest = sha256_file(tmp)
        target = folder / f"release-{number}-{digest[:12]}.duckdb"
        os.chmod(tmp, 0o400)  # read-only from here on
        os.replace(tmp, target)
        changes = None
        if previous is not None:
            old = release_path(settings, previous)
            changes = {"report": change_report(target, old, previous_build_id=previous["build_id"]),
                       "figures": figure_changes(target, old, limit=LISTED)}
        landed = [{"upload_id": u.upload_id, "kind": u.kind, "vintage": u.vintage, "sha256": u.sha256}
                  for u in uploads]
        row = {
            "number": number, "title": title.strip(), "reference_year": reference_year,
            "publish_at": when.astimezone(UTC).isoformat(timespec="seconds"), "timezone": zone, "status": "draft",
            "created_by": who, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_id": build["build_id"], "methodology_hash": build["methodology_hash"],
            "code_version": build["code_version"], "landing_seq": build["landing_seq"],
            "uploads_json": json.dumps(landed, ensure_ascii=False), "file": str(target.relative_to(settings.data_dir)),
            "sha256": digest, "revises": revises, "revision_note": (note or "").strip() or None,
            "changes_json": json.dumps(changes, ensure_ascii=False, default=str) if changes else None,
            "disclosure_json": json.dumps(disclosure, ensure_ascii=False),
        }
        try:
            with store.transaction() as con:
                con.execute(f"insert into releases ({', '.join(row)}) values ({', '.join('?' for _ in row)})",
                            tuple(row.values()))
                OpsStore._audit(con, who, "release_created", {"release": number, "title": row["title"],
                                                              "build_id": build["build_id"], "revises": revises})
        except BaseException:
            target.unlink(missing_ok=True)  # not recorded: not a release
            raise
    out = release(store, number)
    assert out is not None
    return out


def _methodology(settings: Settings, build: dict[str, Any]) -> Methodology:
    """The methodology a build was made with (from the archive every build writes to)."""
    path = archive_dir(settings) / f"{build['methodology_hash']}.toml"
    if not path.exists():
        raise ReleaseError(f"The methodology {build['methodology_hash']} of build {build['build_id']} is not in the "
                           f"archive ({path}); recompute, then create the release.")
    return Methodology.from_toml(path)


def _read_uploads(settings: Settings, build: dict[str, Any]) -> list[Any]:
    """The uploads the build read (its ``stg_uploads`` table names them)."""
    from warehouse.db import query, read_only

    with read_only(settings.warehouse_path) as con:
        ids = set(query(con, "select upload_id from stg_uploads").get_column("upload_id").to_list())
    return [u for u in _store(settings).uploads() if u.upload_id in ids]


def approve_release(settings: Settings, number: int, *, who: str) -> dict[str, Any]:
    """Approve a draft release (four eyes: not by its creator); the worker publishes it at its time. A data directory
    without accounts is single-user: there is no second person, and the audit log says the approval had one pair
    of eyes."""
    authorise(settings, who, "reviewer", "approve releases")
    four_eyes = auth_enabled(settings)
    store = _store(settings)
    with store.transaction() as con:
        row = con.execute("select status, created_by, disclosure_json, acknowledged_by from releases "
                          "where number = ?", (number,)).fetchone()
        if row is None:
            raise ReleaseError(f"There is no release {number} (`clusterstats release list`).")
        if row["status"] != "draft":
            raise ReleaseError(f"Release {number} is {row['status']} already; only a draft is approved.")
        if row["created_by"] == who and four_eyes:
            raise ReleaseError(f"{who} created release {number} and cannot also approve it: four eyes, another "
                               "reviewer or administrator approves.")
        unassessed = json.loads(row["disclosure_json"] or "{}").get("not_assessed") or []
        if unassessed and row["acknowledged_by"] is None:
            raise ReleaseError(f"Release {number} has tables whose disclosure could not be fully assessed (no firm "
                               f"records behind them: {'; '.join(unassessed)}). An administrator acknowledges "
                               f"publishing them so first: `clusterstats release acknowledge {number} --note ...`.")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        con.execute("update releases set status = 'approved', approved_by = ?, approved_at = ? where number = ?",
                    (who, now, number))
        OpsStore._audit(con, who, "release_approved", {"release": number, "four_eyes": four_eyes})
    out = release(store, number)
    assert out is not None
    return out


def acknowledge_release(settings: Settings, number: int, *, who: str, note: str) -> dict[str, Any]:
    """An administrator's explicit acknowledgement that release ``number`` publishes tables whose disclosure was
    not fully assessed (audited, with the reason)."""
    authorise(settings, who, "admin", "acknowledge unassessed disclosure")
    if not note.strip():
        raise ReleaseError("Say why these tables may be published without a full disclosure assessment (--note), "
                           "e.g. 'wages are published as totals only by the uploading bureau'.")
    store = _store(settings)
    with store.transaction() as con:
        row = con.execute("select status, disclosure_json from releases where number = ?", (number,)).fetchone()
        if row is None:
            raise ReleaseError(f"There is no release {number} (`clusterstats release list`).")
        if row["status"] != "draft":
            raise ReleaseError(f"Release {number} is {row['status']}; only a draft's disclosure is acknowledged.")
        unassessed = json.loads(row["disclosure_json"] or "{}").get("not_assessed") or []
        if not unassessed:
            raise ReleaseError(f"Every table of release {number} was fully assessed: there is nothing to acknowledge.")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        con.execute("update releases set acknowledged_by = ?, acknowledged_at = ?, acknowledged_note = ? "
                    "where number = ?", (who, now, note.strip(), number))
        OpsStore._audit(con, who, "release_disclosure_acknowledged", {"release": number, "tables": unassessed,
                                                                      "note": note.strip()})
    out = release(store, number)
    assert out is not None
    return out


def revision_figures(settings: Settings, number: int) -> dict[str, Any]:
    """Every figure release ``number`` changed against the release it revises, computed again from the two frozen
    files (complete: the record keeps :data:`LISTED` per table)."""
    store = _store(settings)
    rel = release(store, number)
    if rel is None or rel["revises"] is None:
        raise ReleaseError(f"Release {number} is not a revision.")
    old = release(store, rel["revises"])
    assert old is not None
    return figure_changes(release_path(settings, rel), release_path(settings, old), limit=None)


def release_problems(settings: Settings) -> list[str]:
    """Every release whose frozen file is missing or no longer has its recorded content hash."""
    problems = []
    for rel in releases(_store(settings)):
        path = release_path(settings, rel)
        if not path.exists():
            problems.append(f"release {rel['number']}: its file {rel['file']} is missing (`clusterstats release "
                            f"rebuild {rel['number']} --restore` rebuilds it)")
        elif (digest := sha256_file(path)) != rel["sha256"]:  # (a file is read once: releases can be large)
            problems.append(f"release {rel['number']}: its file {rel['file']} has changed (sha256 "
                            f"{digest[:12]}, recorded {rel['sha256'][:12]}; `clusterstats release "
                            f"rebuild {rel['number']} --restore` rebuilds it)")
    return problems


def rebuild_release(settings: Settings, number: int, *, who: str, restore: bool = False) -> dict[str, Any]:
    """Build release ``number`` again from its recorded vintages and methodology, and compare every table's content
    hash with the frozen file (when it is there). ``restore``: when the frozen file is missing or changed, put the
    rebuilt one in its place (recorded with its new file hash and an audit row). Returns the comparison."""
    authorise(settings, who, "admin", "rebuild releases")
    store = _store(settings)
    rel = release(store, number)
    if rel is None:
        raise ReleaseError(f"There is no release {number}.")
    by_id = {u.upload_id: u for u in store.uploads()}
    missing = [u["upload_id"] for u in rel["uploads"] if u["upload_id"] not in by_id]
    if missing:
        raise ReleaseError(f"Release {number} read uploads that are no longer in the manifest: {', '.join(missing)}.")
    method_file = archive_dir(settings) / f"{rel['methodology_hash']}.toml"
    if not method_file.exists():
        raise ReleaseError(f"The methodology {rel['methodology_hash']} of release {number} is not in the archive "
                           f"({method_file}).")
    if rel["code_version"] != pipeline.__version__:
        raise ReleaseError(f"Release {number} was built by clusterstats {rel['code_version']}, this is "
                           f"{pipeline.__version__}: install that version to rebuild it exactly.")
    uploads = sorted((by_id[u["upload_id"]] for u in rel["uploads"]), key=lambda u: u.seq)
    frozen = release_path(settings, rel)
    rebuilt = releases_dir(settings) / f".rebuilt-{number}.duckdb"
    original = build_info(frozen) if frozen.exists() and _readable(frozen) else None
    meta = {"build_id": rel["build_id"]} | ({"built_at": original["built_at"], "trigger": original["trigger"],
                                            "who": original["who"]} if original else {})
    methodology = Methodology.from_toml(method_file)
    build_file(settings, uploads, methodology, rebuilt, trigger="rebuild", who=who, wait_seconds=60, build_meta=meta)
    if rel["disclosure"] is not None:  # a release made with disclosure control holds protected tables
        protect_release_file(settings, rebuilt, uploads, methodology.disclosure)
    new_hashes = table_hashes(rebuilt)
    result: dict[str, Any] = {"release": number, "tables": len(new_hashes), "compared": False, "identical": None,
                              "differing": [], "restored": False}
    intact = frozen.exists() and sha256_file(frozen) == rel["sha256"]
    if frozen.exists() and _readable(frozen):
        old_hashes = table_hashes(frozen)
        result["compared"] = True
        result["differing"] = sorted(t for t in set(new_hashes) | set(old_hashes)
                                     if new_hashes.get(t) != old_hashes.get(t))
        result["identical"] = not result["differing"]
    if restore and not intact:
        digest = sha256_file(rebuilt)
        target = releases_dir(settings) / f"release-{number}-{digest[:12]}.duckdb"
        os.chmod(rebuilt, 0o400)
        os.replace(rebuilt, target)
        with store.transaction() as con:
            con.execute("update releases set file = ?, sha256 = ? where number = ?",
                        (str(target.relative_to(settings.data_dir)), digest, number))
            OpsStore._audit(con, who, "release_restored", {"release": number, "old_sha256": rel["sha256"],
                                                           "new_sha256": digest})
        if frozen.exists() and frozen != target:
            frozen.unlink()
        result["restored"] = True
    else:
        rebuilt.unlink(missing_ok=True)
    return result


def _readable(path: Path) -> bool:
    from warehouse.build import verify_warehouse

    return verify_warehouse(path) is None


__all__ = ["LISTED", "ReleaseError", "acknowledge_release", "approve_release", "create_release", "parse_publish_at",
           "rebuild_release", "release_path", "release_problems", "releases_dir", "revision_figures", "sha256_file"]
