"""The upload page's pieces: the validation report in the reader's language, the rejected rows, the rebuild watch.

The ingest path writes every fix and error in English and Chinese (:mod:`pipeline.core.messages`); the page shows the
reader's language, and the English when a text has no Chinese.

The ingest path is being extended (warnings and notices, ``accept_valid_rows``); what it offers is looked up here
(``hasattr``/``inspect``) so that the page works with either version.
"""

from __future__ import annotations

import inspect
import time
from typing import Any

import polars as pl
import streamlit as st

from pipeline.core.settings import Settings
from pipeline.ingest import check_upload, ingest_bytes, problems_zh
from pipeline.reports.exports import rejected_rows as own_rejected_rows
from pipeline.reports.exports import xlsx_bytes
from ui.i18n import lang, t
from ui.labels import RULES_ZH


def supports_accept_valid_rows() -> bool:
    return "accept_valid_rows" in inspect.signature(ingest_bytes).parameters and \
        "accept_valid_rows" in inspect.signature(check_upload).parameters


def rule_meaning(rule: str, english: str) -> str:
    return RULES_ZH.get(rule, english) if lang() == "zh" else english


def fix_text(failure: Any) -> str:
    """A report line's fix in the reader's language (the English when it has no Chinese)."""
    chinese = getattr(failure, "fix_zh", "") if lang() == "zh" else ""
    return chinese or failure.fix


def error_text(exc: BaseException) -> str:
    """An ingest error's message in the reader's language (the English when it has no Chinese)."""
    text = getattr(exc, "text", None)
    return text(lang()) if callable(text) else str(exc)


def report_frame(report: Any, *, warnings: bool = False) -> pl.DataFrame:
    """Errors (or warnings and notices) as a table: row, column, value, rule, what it means, how to fix it."""
    lines = report.sorted_warnings() if warnings else report.sorted_failures()
    rows = []
    for f in lines:
        row = {t("row"): f.row, t("column"): f.column, t("value"): f.value, t("rule"): f.rule,
               t("meaning"): rule_meaning(f.rule, f.message), t("fix"): fix_text(f)}
        if warnings:
            row = {t("severity"): t(f"severity_{getattr(f, 'severity', 'warning')}")} | row
        rows.append(row)
    schema = ({t("severity"): pl.String} if warnings else {}) | {
        t("row"): pl.Int64, t("column"): pl.String, t("value"): pl.String, t("rule"): pl.String,
        t("meaning"): pl.String, t("fix"): pl.String}
    return pl.DataFrame(rows, schema=schema)


def counts_frame(report: Any) -> pl.DataFrame:
    counts = report.counts()
    meanings = {f.rule: f.message for f in report.failures}
    return pl.DataFrame({t("rule"): list(counts), t("meaning"): [rule_meaning(r, meanings.get(r, r)) for r in counts],
                         t("count"): list(counts.values())},
                        schema={t("rule"): pl.String, t("meaning"): pl.String, t("count"): pl.Int64})


def summary(report: Any) -> str:
    if report.ok:
        return t("report_ok", file=report.file_name, rows=report.rows)
    return t("report_failed", file=report.file_name, problems=len(report.failures), bad=len(report.bad_rows),
             rows=report.rows)


def rejected_frame(checked: Any) -> pl.DataFrame:
    """The rows with errors as the user typed them, with the row number and the problems in both languages (the
    reader's first): the ingest path's own version when it has one (with ``accept_valid_rows``), else
    :func:`pipeline.reports.exports.rejected_rows`."""
    if getattr(checked, "rejected", None) and hasattr(checked, "rejected_rows"):
        frame = checked.rejected_rows().rename({"row": t("row")})
    else:
        frame = own_rejected_rows(checked, row_label=t("row"), problems_label="problems")
    if "problems_zh" not in frame.columns:
        chinese = problems_zh(checked.report)
        by_row = pl.DataFrame({t("row"): list(chinese), "problems_zh": list(chinese.values())},
                              schema={t("row"): frame.schema[t("row")], "problems_zh": pl.String})
        frame = frame.join(by_row, on=t("row"), how="left", maintain_order="left")
    mine, other = ("problems_zh", "problems") if lang() == "zh" else ("problems", "problems_zh")
    order = [c for c in frame.columns if c != "problems_zh"]
    at = order.index("problems")
    order[at:at + 1] = [mine, other]
    return frame.select(order).rename({mine: t("problems"), other: t("problems_other")})


def rejected_download(checked: Any, *, key: str) -> None:
    frame = rejected_frame(checked)
    if frame.is_empty():
        return
    sheet, name = t("rejected_sheet"), checked.file_name.rsplit(".", 1)[0]
    st.download_button(t("download_rejected", n=frame.height), lambda: xlsx_bytes({sheet: frame}),
                       file_name=f"{name}-rejected-rows.xlsx", key=f"{key}_{lang()}", icon=":material/download:",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")


def watch_job(s: Settings, job_id: int) -> dict[str, Any]:
    """Run the queued job here when no worker runs (``clusterstats serve --no-worker``, tests), else follow the
    worker running it; the status box says what is happening. Returns the finished job."""
    from pipeline.jobs import TERMINAL, Worker, WorkerConfig, WorkerRunning, get_job

    with st.status(t("rebuilding"), expanded=True) as box:
        started = time.monotonic()
        try:
            box.write(t("rebuild_here"))
            Worker(s, config=WorkerConfig(retries=0)).tick()
        except WorkerRunning:
            box.write(t("rebuild_worker"))
            while (job := get_job(s, job_id))["status"] not in TERMINAL and time.monotonic() - started < 900:
                box.update(label=t("rebuild_waiting", status=t(f"job_{job['status']}"),
                                   seconds=int(time.monotonic() - started)))
                time.sleep(1.0)
        job = get_job(s, job_id)
        state = "complete" if job["status"] in ("succeeded", "unchanged") else "error"
        box.update(label=t("rebuild_done", status=t(f"job_{job['status']}"), seconds=int(time.monotonic() - started)),
                   state=state, expanded=state == "error")
    return job


def worker_pid(s: Settings) -> int | None:
    """The pid of the worker running on this data directory (from ``worker.lock``), or None. Read only: the lock
    is never taken here."""
    import os

    path = s.data_dir / "worker.lock"
    try:
        pid = int(path.read_text(encoding="utf-8").strip() or 0)
    except (OSError, ValueError):
        return None
    if pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid
