"""A city's submission reviewed by the province: accepted (it enters official builds: a build is queued) or
returned with a comment the submitter reads (it never enters them; a corrected file is a new submission).

Before deciding, a reviewer may preview the change: the official uploads plus this one are built into a scratch
file and compared with the live official build by the same change report every build gets (scores, ranks and
thresholds that would move). The report is kept with the submission; the scratch file is removed.
"""

from __future__ import annotations

import contextlib
from typing import Any

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.publication import official_uploads, review, save_preview, submission
from pipeline.core.settings import Settings
from pipeline.jobs import change_report
from pipeline.jobs.build import build_file
from pipeline.jobs.methodologies import active_methodology
from pipeline.jobs.queue import enqueue
from pipeline.publishing.authority import authorise
from warehouse.queries import build_info


class ReviewError(ClusterstatsError):
    """The submission cannot be reviewed that way."""


def _store(settings: Settings) -> OpsStore:
    store = OpsStore(settings.ops_path)
    store.migrate()
    return store


def _pending(store: OpsStore, upload_id: str) -> dict[str, Any]:
    row = submission(store, upload_id)
    if row is None:
        raise ReviewError(f"There is no submission {upload_id}; `clusterstats submissions list` lists them.")
    if row["state"] != "submitted":
        raise ReviewError(f"Submission {upload_id} ({row['file_name']}) was {row['state']} already by "
                          f"{row['reviewed_by']} at {row['reviewed_at']}; a decision is final (a corrected file is a "
                          "new submission).")
    return row


def accept_submission(settings: Settings, upload_id: str, *, who: str, comment: str | None = None
                      ) -> tuple[dict[str, Any], int]:
    """Accept a submitted upload: it becomes official and an official build is queued. Returns (row, job id)."""
    authorise(settings, who, "reviewer", "accept submissions")
    store = _store(settings)
    row = _pending(store, upload_id)
    if row["submitted_by"] == who:
        raise ReviewError(f"{who} submitted {upload_id} and cannot also accept it: another reviewer decides.")
    try:
        decided = review(store, upload_id, state="accepted", who=who, comment=comment or None)
    except ValueError as exc:  # decided by someone else meanwhile
        raise ReviewError(str(exc)) from None
    job = enqueue(settings, trigger="review", who=who, detail={"upload_id": upload_id, "kind": row["kind"],
                                                                 "vintage": row["vintage"], "file": row["file_name"],
                                                                 "rows": row["rows"], "accepted_by": who})
    return decided, job.job_id


def return_submission(settings: Settings, upload_id: str, *, who: str, comment: str) -> dict[str, Any]:
    """Return a submitted upload to its submitter with ``comment`` (required: it says what to fix)."""
    authorise(settings, who, "reviewer", "return submissions")
    if not (comment or "").strip():
        raise ReviewError("Say why the submission is returned (--comment): the submitter reads it and fixes the file.")
    store = _store(settings)
    _pending(store, upload_id)
    try:
        return review(store, upload_id, state="returned", who=who, comment=comment.strip())
    except ValueError as exc:
        raise ReviewError(str(exc)) from None


def preview_submission(settings: Settings, upload_id: str, *, who: str, wait_seconds: float = 60.0
                       ) -> dict[str, Any]:
    """Build the official uploads plus this submission into a scratch file and compare it with the live official
    build (the change report of :mod:`pipeline.jobs.changes`); the report is kept with the submission."""
    authorise(settings, who, "reviewer", "preview submissions")
    store = _store(settings)
    row = _pending(store, upload_id)
    upload = store.find_upload(upload_id)
    assert upload is not None
    uploads = sorted([*official_uploads(store), upload], key=lambda u: u.seq)
    scratch = settings.data_dir / "previews" / f"{upload_id}.duckdb"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    try:
        build_file(settings, uploads, active_methodology(settings), scratch, trigger="preview", who=who,
                   wait_seconds=wait_seconds)
        live = settings.warehouse_path if build_info(settings.warehouse_path) else None
        report = change_report(scratch, live, previous_build_id=(build_info(live) or {}).get("build_id")
                               if live else None)
    finally:
        for leftover in scratch.parent.glob(f"{upload_id}.*"):  # the file, its .next and .wal
            with contextlib.suppress(OSError):
                leftover.unlink()
    report["submission"] = {"upload_id": upload_id, "file": row["file_name"], "kind": row["kind"]}
    save_preview(store, upload_id, report)
    return report


__all__ = ["ReviewError", "accept_submission", "preview_submission", "return_submission"]
