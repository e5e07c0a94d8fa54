"""The rows of submissions and releases in ``ops.sqlite`` (migration 007), and the one step the worker takes on
its own: publishing the approved releases whose embargo has ended.

Publication is one SQLite transaction (status, time and audit row together), so a process killed during it leaves
the release either published or still approved, never half. Everything else about releases (freezing a build,
approval, revisions) is :mod:`pipeline.publishing`; this module is the foundation both it and the worker use.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

from pipeline.core.files import pause_at
from pipeline.core.ops import OpsStore, Upload

SUBMISSION_STATES = ("submitted", "accepted", "returned")
RELEASE_STATES = ("draft", "approved", "published")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def official_uploads(store: OpsStore) -> list[Upload]:
    """The uploads official builds read: accepted ones, in landing order."""
    return _uploads_in(store, ("accepted",))


def working_uploads(store: OpsStore) -> list[Upload]:
    """The uploads of the staff's working build: accepted and still under review (returned ones never)."""
    return _uploads_in(store, ("accepted", "submitted"))


def _uploads_in(store: OpsStore, states: tuple[str, ...]) -> list[Upload]:
    if not store.path.exists():
        return []
    marks = ", ".join("?" for _ in states)
    with store.connect() as con:
        rows = con.execute(f"select u.* from uploads u join submissions s using (upload_id) where s.state in ({marks})"
                           " order by u.seq", states).fetchall()
    return [Upload.from_row(r) for r in rows]


def official_marker(store: OpsStore) -> tuple[int, int]:
    """(highest seq, count) of the official uploads: a build that read exactly these has nothing new to read
    (uploads are only ever added to the official set, so the pair names the set)."""
    uploads = official_uploads(store)
    return (max((u.seq for u in uploads), default=0), len(uploads))


def submissions(store: OpsStore, *, state: str | None = None, who: str | None = None) -> list[dict[str, Any]]:
    """Submissions with their upload's kind, vintage, file and rows, newest first (of one state, or one
    submitter's)."""
    if not store.path.exists():
        return []
    sql = ("select s.*, u.kind, u.vintage, u.file_name, u.rows, u.seq from submissions s join uploads u "
           "using (upload_id) where (? is null or s.state = ?) and (? is null or s.submitted_by = ?) "
           "order by u.seq desc")
    with store.connect() as con:
        return [dict(r) for r in con.execute(sql, (state, state, who, who)).fetchall()]


def submission(store: OpsStore, upload_id: str) -> dict[str, Any] | None:
    with store.connect() as con:
        row = con.execute("select s.*, u.kind, u.vintage, u.file_name, u.rows, u.seq from submissions s join "
                          "uploads u using (upload_id) where s.upload_id = ?", (upload_id,)).fetchone()
    return dict(row) if row else None


def review(store: OpsStore, upload_id: str, *, state: str, who: str, comment: str | None) -> dict[str, Any]:
    """Record a reviewer's decision on a submitted upload (and audit it), in one transaction; returns the row.
    Raises ValueError when the upload is not awaiting review."""
    if state not in ("accepted", "returned"):
        raise ValueError(f"a review accepts or returns, not {state!r}")
    with store.transaction() as con:
        row = con.execute("select state from submissions where upload_id = ?", (upload_id,)).fetchone()
        if row is None:
            raise ValueError(f"no submission {upload_id}")
        if row[0] != "submitted":
            raise ValueError(f"submission {upload_id} is {row[0]} already; only a submitted upload is reviewed")
        now = _iso(datetime.now(UTC))
        con.execute("update submissions set state = ?, reviewed_by = ?, reviewed_at = ?, comment = ? "
                    "where upload_id = ?", (state, who, now, comment, upload_id))
        OpsStore._audit(con, who, f"submission_{state}", {"upload_id": upload_id, "comment": comment})
    out = submission(store, upload_id)
    assert out is not None
    return out


def save_preview(store: OpsStore, upload_id: str, report: dict[str, Any]) -> None:
    with store.transaction() as con:
        con.execute("update submissions set preview_json = ? where upload_id = ?",
                    (json.dumps(report, ensure_ascii=False, default=str), upload_id))


# -- releases ------------------------------------------------------------------------------------------------------
def releases(store: OpsStore) -> list[dict[str, Any]]:
    """Every release, newest number first, JSON columns parsed."""
    if not store.path.exists():
        return []
    with store.connect() as con:
        try:
            rows = con.execute("select * from releases order by number desc").fetchall()
        except sqlite3.OperationalError:  # a store not yet migrated (readers never migrate): no releases
            return []
    return [_release(r) for r in rows]


def release(store: OpsStore, number: int) -> dict[str, Any] | None:
    with store.connect() as con:
        row = con.execute("select * from releases where number = ?", (number,)).fetchone()
    return _release(row) if row else None


def _release(row: Any) -> dict[str, Any]:
    d = dict(row)
    d["uploads"] = json.loads(d.pop("uploads_json"))
    d["changes"] = json.loads(d.pop("changes_json")) if d.get("changes_json") else None
    raw = d.pop("disclosure_json", None)
    d["disclosure"] = json.loads(raw) if raw else None
    return d


def publish_due(store: OpsStore, now: datetime, *, who: str = "worker") -> list[int]:
    """Publish every approved release whose embargo has ended by ``now``; returns their numbers. One
    transaction: a kill at any point leaves each release published (with its audit row) or still approved."""
    if not store.path.exists():
        return []
    with store.transaction() as con:
        due = [int(r[0]) for r in con.execute(
            "select number from releases where status = 'approved' and publish_at <= ? order by number",
            (_iso(now),)).fetchall()]
        for number in due:
            con.execute("update releases set status = 'published', published_at = ? where number = ?",
                        (_iso(now), number))
            OpsStore._audit(con, who, "release_published", {"release": number})
            pause_at("publish")  # tests kill the process here: inside the transaction, before its commit
    return due


__all__ = [
    "RELEASE_STATES", "SUBMISSION_STATES", "official_marker", "official_uploads", "publish_due", "release",
    "releases", "review", "save_preview", "submission", "submissions", "working_uploads",
]
