"""The operations store, ``data/ops.sqlite``: upload manifest, rejections, builds and the audit log.

SQLite in WAL mode suits it: many small transactions from several processes (CLI, app, worker). Connections are
short-lived; schema changes are numbered ``migrations/*.sql`` files applied once each and recorded in
``_migrations``.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Upload:
    """A landed upload, as recorded in the manifest."""

    seq: int
    upload_id: str
    kind: str
    vintage: int
    file_name: str
    sha256: str
    rows: int
    path: str
    source_format: str
    encoding: str | None
    sheet: str | None
    headers: dict[str, str]
    units: dict[str, Any]
    who: str
    landed_at: str

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Upload:
        d = dict(row)
        d["headers"] = json.loads(d.pop("headers_json"))
        d["units"] = json.loads(d.pop("units_json"))
        return cls(**d)


class OpsStore:
    """Access to ops.sqlite. Cheap to create; every method opens and closes its own connection."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not self.path.exists():  # password hashes and the audit log: the owner's alone (its -wal and -shm
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))  # files take the same mode)
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            con.execute("pragma journal_mode=wal")
            con.execute("pragma busy_timeout=30000")
            con.execute("pragma synchronous=full")
            yield con
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An IMMEDIATE transaction: writers queue instead of failing halfway."""
        with self.connect() as con:
            con.execute("begin immediate")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    # -- migrations ---------------------------------------------------------------------------------------
    def migrate(self) -> list[str]:
        """Apply pending migrations; returns the names applied (empty when up to date)."""
        applied: list[str] = []
        folder = resources.files("pipeline.core.ops").joinpath("migrations")
        files = sorted((f for f in folder.iterdir() if f.name.endswith(".sql")), key=lambda f: f.name)
        with self.transaction() as con:
            con.execute(
                "create table if not exists _migrations (version integer primary key, name text not null, "
                "applied_at text not null)"
            )
            done = {r[0] for r in con.execute("select version from _migrations")}
            for f in files:
                version = int(f.name.split("_", 1)[0])
                if version in done:
                    continue
                for statement in _statements(f.read_text(encoding="utf-8")):
                    con.execute(statement)
                con.execute("insert into _migrations values (?, ?, ?)", (version, f.name, utc_now()))
                applied.append(f.name)
        return applied

    # -- uploads ------------------------------------------------------------------------------------------
    def find_upload(self, upload_id: str) -> Upload | None:
        with self.connect() as con:
            row = con.execute("select * from uploads where upload_id = ?", (upload_id,)).fetchone()
        return Upload.from_row(row) if row else None

    def record_upload(self, **fields: Any) -> tuple[Upload, bool]:
        """Insert a manifest row with the next vintage of its kind: (row, True); (existing row, False) if the
        same upload was recorded meanwhile (two processes landing the same file)."""
        with self.transaction() as con:
            row = con.execute("select * from uploads where upload_id = ?", (fields["upload_id"],)).fetchone()
            if row is not None:
                return Upload.from_row(row), False
            (vintage,) = con.execute(
                "select coalesce(max(vintage), 0) + 1 from uploads where kind = ?", (fields["kind"],)
            ).fetchone()
            values = {
                **{k: v for k, v in fields.items() if k not in ("headers", "units")},
                "vintage": vintage,
                "headers_json": json.dumps(fields["headers"], ensure_ascii=False),
                "units_json": json.dumps(fields["units"], ensure_ascii=False),
                "landed_at": utc_now(),
            }
            notes = values.pop("notes", None) or []
            flags = values.pop("flags", None) or []
            submitted = bool(values.pop("submitted", False))  # a city's submission awaits the province's review
            cols = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            con.execute(f"insert into uploads ({cols}) values ({marks})", tuple(values.values()))
            con.executemany(
                "insert into upload_notes (upload_id, severity, source_row, column_label, value, rule, fix) "
                "values (?, ?, ?, ?, ?, ?, ?)",
                [(fields["upload_id"], n["severity"], n["row"], n["column"], n["value"], n["rule"], n["fix"])
                 for n in notes],
            )
            con.execute(  # provincial staff's uploads are official at once; a submitter's wait for review
                "insert into submissions (upload_id, state, submitted_by, submitted_at, reviewed_by, reviewed_at, "
                "comment) values (?, ?, ?, ?, ?, ?, ?)",
                (fields["upload_id"], "submitted" if submitted else "accepted", fields["who"], values["landed_at"],
                 None if submitted else fields["who"], None if submitted else values["landed_at"],
                 None if submitted else "landed by provincial staff: official as it landed"),
            )
            con.executemany(
                "insert into upload_cell_flags (upload_id, source_row, field, value, flag, keys) "
                "values (?, ?, ?, ?, ?, ?)",
                [(fields["upload_id"], *f) for f in flags],
            )
            self._audit(con, fields["who"], "submission" if submitted else "upload",
                        {"upload_id": fields["upload_id"], "kind": fields["kind"], "file": fields["file_name"],
                         "rows": fields["rows"]})
            row = con.execute("select * from uploads where upload_id = ?", (fields["upload_id"],)).fetchone()
        return Upload.from_row(row), True

    def uploads(self, kind: str | None = None) -> list[Upload]:
        """Landed uploads in landing order (optionally of one kind)."""
        if not self.path.exists():
            return []
        with self.connect() as con:
            if kind is None:
                rows = con.execute("select * from uploads order by seq").fetchall()
            else:
                rows = con.execute("select * from uploads where kind = ? order by seq", (kind,)).fetchall()
        return [Upload.from_row(r) for r in rows]

    def record_rejection(self, *, kind: str, file_name: str, sha256: str, report: dict[str, Any], who: str,
                         rows_path: str | None = None, upload_id: str | None = None) -> int:
        """Record a rejected upload (or the rows set aside from a landed one: ``upload_id``); returns its id."""
        with self.transaction() as con:
            cur = con.execute(
                "insert into rejections (kind, file_name, sha256, failures, report_json, who, at, rows_path, "
                "upload_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, file_name, sha256, len(report["failures"]), json.dumps(report, ensure_ascii=False), who,
                 utc_now(), rows_path, upload_id),
            )
            self._audit(con, who, "upload_rejected" if upload_id is None else "upload_rows_rejected",
                        {"kind": kind, "file": file_name, "failures": len(report["failures"]),
                         "upload_id": upload_id, "rows_path": rows_path})
            return int(cur.lastrowid or 0)

    def rejections(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest rejections (whole uploads, and rows set aside from landed ones), report JSON included."""
        if not self.path.exists():
            return []
        with self.connect() as con:
            rows = con.execute("select * from rejections order by id desc limit ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    def upload_notes(self, upload_id: str) -> list[dict[str, Any]]:
        """Warnings and notices kept with a landed upload."""
        with self.connect() as con:
            rows = con.execute("select severity, source_row as row, column_label as column, value, rule, fix "
                               "from upload_notes where upload_id = ? order by rowid", (upload_id,)).fetchall()
        return [dict(r) for r in rows]

    def cell_flags(self, upload_id: str) -> list[dict[str, Any]]:
        """Cells of a landed upload marked missing or suppressed (landed empty, never zero; ``keys``: a row not
        landed, every measure marked, its keys as JSON)."""
        with self.connect() as con:
            rows = con.execute("select source_row, field, value, flag, keys from upload_cell_flags where upload_id = ? "
                               "order by source_row, field", (upload_id,)).fetchall()
        return [dict(r) for r in rows]

    # -- builds -------------------------------------------------------------------------------------------
    def start_build(self, build_id: str, *, trigger: str, who: str) -> None:
        with self.transaction() as con:
            con.execute(
                "insert into builds (build_id, trigger, who, pid, started_at, status) values (?, ?, ?, ?, ?, ?)",
                (build_id, trigger, who, os.getpid(), utc_now(), "running"),
            )

    def mark_interrupted(self) -> int:
        """Builds still 'running' when the lock is free were killed: record them as failed. Returns how many."""
        with self.transaction() as con:
            rows = con.execute("select build_id, pid from builds where status = 'running'").fetchall()
            for build_id, pid in rows:
                con.execute(
                    "update builds set status = 'failed', finished_at = ?, message = ? where build_id = ?",
                    (utc_now(), f"interrupted: the build process (pid {pid}) ended before finishing", build_id),
                )
        return len(rows)

    def reconcile_builds(self, live_build_id: str | None) -> dict[str, list[str]]:
        """Builds still 'running' while no build holds the lock ended without recording it: the live one finished
        (killed after its swap) and is recorded as succeeded, the others as interrupted. Call under the lock."""
        done: dict[str, list[str]] = {"succeeded": [], "failed": []}
        with self.transaction() as con:
            rows = con.execute("select build_id, pid from builds where status = 'running'").fetchall()
            for build_id, pid in rows:
                if build_id == live_build_id:
                    message = (f"recovered: the build process (pid {pid}) ended after making this build live, "
                               "before recording it")
                    status = "succeeded"
                else:
                    message = f"interrupted: the build process (pid {pid}) ended before finishing"
                    status = "failed"
                con.execute("update builds set status = ?, finished_at = ?, message = ? where build_id = ?",
                            (status, utc_now(), message, build_id))
                done[status].append(build_id)
        return done

    def finish_build(self, build_id: str, *, status: str, uploads: int | None = None, message: str = "") -> None:
        with self.transaction() as con:
            con.execute(
                "update builds set finished_at = ?, status = ?, uploads = ?, message = ? where build_id = ?",
                (utc_now(), status, uploads, message, build_id),
            )
            self._audit(con, "system", f"build_{status}", {"build_id": build_id, "message": message})

    def builds(self, limit: int = 50) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        with self.connect() as con:
            rows = con.execute("select * from builds order by started_at desc, rowid desc limit ?", (limit,))
            return [dict(r) for r in rows.fetchall()]

    # -- audit --------------------------------------------------------------------------------------------
    def audit(self, who: str, action: str, detail: dict[str, Any]) -> None:
        with self.transaction() as con:
            self._audit(con, who, action, detail)

    @staticmethod
    def _audit(con: sqlite3.Connection, who: str, action: str, detail: dict[str, Any], *, at: str | None = None
               ) -> None:
        con.execute(
            "insert into audit_log (at, who, action, detail) values (?, ?, ?, ?)",
            (at or utc_now(), who, action, json.dumps(detail, ensure_ascii=False)),
        )


def _statements(script: str) -> list[str]:
    """Split a migration into statements the way SQLite parses them (``sqlite3.complete_statement``), so a
    semicolon inside a comment or a string literal does not end a statement."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            body = "\n".join(ln for ln in current.splitlines() if not ln.strip().startswith("--")).strip()
            if body.rstrip(";").strip():
                statements.append(body)
            current = ""
    if current.strip() and "\n".join(ln for ln in current.splitlines() if not ln.strip().startswith("--")).strip():
        statements.append(current.strip())
    return statements
