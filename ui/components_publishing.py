"""Render helpers of the review and release pages: submission tables, the decision form, the release calendar, the
create and approve forms, a revision's list of figures that moved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import streamlit as st

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from ui.components import local_time
from ui.i18n import lang, t
from ui.tables import data_table


def _when(iso: str | None, s: Settings) -> str:
    return local_time(iso, s.timezone) if iso else "–"


def submissions_table(rows: list[dict[str, Any]], s: Settings) -> pl.DataFrame:
    """One row per submission: file, kind, vintage, rows, who and when, state, reviewer, comment."""
    out = [{t("col_file"): r["file_name"], t("col_kind"): r["kind"], t("col_vintage"): r["vintage"],
            t("rows"): r["rows"], t("col_submitted_by"): r["submitted_by"],
            t("col_submitted_at"): _when(r["submitted_at"], s), t("col_state"): t(f"state_{r['state']}"),
            t("col_reviewed_by"): r["reviewed_by"] or "–", t("col_comment"): r["comment"] or ""} for r in rows]
    return pl.DataFrame(out) if out else pl.DataFrame()


def decision_form(s: Settings, row: dict[str, Any], who: str) -> None:
    """A submitted upload: its warnings, the preview of its change, and the accept / return decision."""
    from pipeline.jobs import format_report
    from pipeline.publishing import ReviewError, accept_submission, preview_submission, return_submission

    uid = row["upload_id"]
    notes = OpsStore(s.ops_path).upload_notes(uid)
    if notes:
        st.markdown(f"**{t('warnings_title', n=len(notes))}**")
        data_table(pl.DataFrame(notes), hide_index=True, key=f"notes_{uid}")
    if st.button(t("review_preview"), key=f"preview_{uid}", icon=":material/difference:"):
        with st.spinner(t("review_previewing")):
            try:
                preview_submission(s, uid, who=who)
            except ClusterstatsError as exc:
                st.error(str(exc))
        st.rerun()
    if row.get("preview_json"):
        import json

        report = json.loads(row["preview_json"])
        with st.expander(t("review_preview_result"), expanded=True):
            st.code(format_report(report), language=None)
    comment = st.text_area(t("review_comment"), key=f"comment_{uid}")
    left, right = st.columns(2)
    try:
        if left.button(t("review_accept"), key=f"accept_{uid}", type="primary", icon=":material/check:"):
            _, job = accept_submission(s, uid, who=who, comment=comment)
            st.session_state["review_done"] = t("review_accepted", file=row["file_name"], job=job)
            st.rerun()
        if right.button(t("review_return"), key=f"return_{uid}", icon=":material/undo:"):
            return_submission(s, uid, who=who, comment=comment)
            st.session_state["review_done"] = t("review_returned", file=row["file_name"], who=row["submitted_by"])
            st.rerun()
    except ReviewError as exc:
        st.error(str(exc))


def calendar(rels: list[dict[str, Any]], s: Settings, *, staff: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(upcoming, past): upcoming releases with their embargo times (drafts for staff only), past ones with what
    they revise and the revision note."""
    upcoming = [r for r in rels if r["status"] == "approved" or (staff and r["status"] == "draft")]
    past = [r for r in rels if r["status"] == "published"]

    def frame(rows: list[dict[str, Any]], published: bool) -> pl.DataFrame:
        return pl.DataFrame([{
            t("col_release"): r["number"], t("col_title"): r["title"],
            t("col_reference_year"): r["reference_year"],
            (t("col_published_at") if published else t("col_embargo")): _when(
                r["published_at"] if published else r["publish_at"], s),
            t("col_state"): t(f"release_status_{r['status']}"),
            t("col_revises"): r["revises"] or "–", t("col_note"): r["revision_note"] or ""} for r in rows
        ]) if rows else pl.DataFrame()

    return frame(sorted(upcoming, key=lambda r: r["publish_at"]), False), frame(past, True)


def create_form(s: Settings, rels: list[dict[str, Any]], who: str) -> None:
    """Freeze the official build as a new release (a draft until another person approves it)."""
    from pipeline.publishing import create_release

    published = [r["number"] for r in rels if r["status"] == "published"]
    with st.form("release_create"):
        title = st.text_input(t("release_title_field"), key="release_title")
        year = st.number_input(t("col_reference_year"), min_value=1949, max_value=2100,
                               value=datetime.now(UTC).year - 1, step=1, key="release_year")
        cols = st.columns(2)
        day = cols[0].date_input(t("release_day"), value=date.today(), key="release_day")
        at = cols[1].time_input(t("release_time"), value=time(9, 30), key="release_time")
        revises = st.selectbox(t("col_revises"), [None, *published], key="release_revises",
                               format_func=lambda n: "–" if n is None else str(n))
        note = st.text_area(t("release_note_field"), key="release_note")
        go = st.form_submit_button(t("release_create"), type="primary")
    if go:
        when = datetime.combine(day, at, tzinfo=ZoneInfo(s.timezone)).isoformat()
        try:
            with st.spinner(t("release_creating")):
                rel = create_release(s, title=title, reference_year=int(year), publish_at=when, who=who,
                                     revises=revises, note=note)
        except ClusterstatsError as exc:
            st.error(str(exc))
            return
        st.session_state["release_done"] = t("release_created", number=rel["number"])
        st.rerun()


def approve_buttons(s: Settings, rels: list[dict[str, Any]], who: str) -> None:
    """One approve button per draft; its creator's is refused with the four-eyes rule."""
    from pipeline.publishing import ReleaseError, approve_release

    for r in [r for r in rels if r["status"] == "draft"]:
        cols = st.columns([3, 1])
        cols[0].markdown(t("release_draft_line", number=r["number"], title=r["title"], who=r["created_by"],
                           at=_when(r["publish_at"], s)))
        if cols[1].button(t("release_approve"), key=f"approve_{r['number']}", icon=":material/approval:"):
            try:
                approve_release(s, r["number"], who=who)
                st.session_state["release_done"] = t("release_approved", number=r["number"],
                                                     at=_when(r["publish_at"], s))
                st.rerun()
            except ReleaseError as exc:
                st.error(str(exc))


def revision_figures(rel: dict[str, Any]) -> pl.DataFrame:
    """Every figure a revision changed against the release it revises (as listed when it was created)."""
    from warehouse.compare import figures_frame

    frame = figures_frame((rel.get("changes") or {}).get("figures") or {"tables": {}})
    return frame.rename({"table": t("col_table"), "key": t("col_key"), "column": t("col_column"),
                         "old": t("col_old"), "new": t("col_new")})


def figures_download(s: Settings, rel: dict[str, Any]) -> None:
    """The complete list of a revision's changed figures as CSV (computed from the two frozen files on click)."""
    from pipeline.publishing import revision_figures
    from warehouse.compare import figures_frame

    number = rel["number"]
    st.download_button(t("release_figures_csv"), lambda: figures_frame(revision_figures(s, number)).write_csv(),
                       file_name=f"release-{number}-revised-figures.csv", mime="text/csv", on_click="ignore",
                       key=f"figures_{number}", icon=":material/download:")



def bulletin_buttons(s: Settings, rel: dict[str, Any], *, staff: bool) -> None:
    """Download buttons for the release's bulletin (PDF and Word) in the reader's language, made when clicked."""
    from pipeline.publishing.bulletin import file_name, render

    language, number = lang(), rel["number"]
    kinds = (("pdf", "application/pdf", ":material/picture_as_pdf:"),
             ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              ":material/description:"))
    for col, (fmt, mime, icon) in zip(st.columns([1, 1, 2])[:2], kinds, strict=True):
        with col:
            st.download_button(t(f"bulletin_{fmt}"),
                               lambda fmt=fmt: render(s, number, fmt=fmt, lang=language, staff=staff),
                               file_name=file_name(number, fmt, language), mime=mime, icon=icon,
                               key=f"bulletin_{fmt}_{number}_{language}", on_click="ignore")


__all__ = ["approve_buttons", "bulletin_buttons", "calendar", "create_form", "decision_form", "figures_download",
           "revision_figures", "submissions_table"]
