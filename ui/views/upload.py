"""Upload: pick a kind, upload, read the validation report or a preview, land, rebuild, see the history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.errors import ClusterstatsError, UploadInvalid
from pipeline.ingest import check_upload, ingest_bytes
from pipeline.jobs import recompute
from schemas import KINDS
from ui import components as c
from ui import data
from ui.i18n import lang, t

WHO = "local user"

s = data.settings()
build = data.current_build(s, stop_if_stale=False)
st.title(t("nav_upload"))
c.banners(build)

zh = lang() == "zh"


def kind_label(k: str) -> str:
    return f"{KINDS[k].title_zh if zh else KINDS[k].title} ({k})"


kind = st.selectbox(t("upload_kind"), list(KINDS), key=f"upload_kind_{lang()}", format_func=kind_label)
sheet = st.text_input(t("sheet"), key="upload_sheet") or None
uploaded = st.file_uploader(t("upload_file"), type=["csv", "txt", "xlsx", "xls", "parquet"], key="upload_file")

if uploaded is not None:
    raw = uploaded.getvalue()
    try:
        checked = check_upload(s, raw, uploaded.name, kind, sheet=sheet)
    except ClusterstatsError as exc:
        st.error(str(exc))
        st.stop()
    report = checked.report
    if not report.ok:
        st.error(report.summary())
        st.subheader(t("report_title"))
        st.dataframe(report.to_frame(), hide_index=True, key="report_table")
        st.caption(t("counts_per_rule"))
        st.dataframe(pl.DataFrame({"rule": list(report.counts()), "n": list(report.counts().values())}),
                     hide_index=True)
    else:
        st.success(t("valid_preview", rows=report.rows))
        if checked.prepared.units:
            st.caption(t("units_converted") + ": " + ", ".join(
                f"{col} {u['unit']} → {u['canonical']}" for col, u in checked.prepared.units.items()))
        st.dataframe(checked.records().head(50), hide_index=True)
        rebuild = st.checkbox(t("rebuild_after"), value=True, key="upload_rebuild")
        if st.button(t("land"), type="primary", key="upload_land"):
            try:
                result = ingest_bytes(s, raw, uploaded.name, kind, sheet=sheet, who=WHO)
                st.success(result.message)
                if rebuild:
                    with st.spinner(t("rebuilding")):
                        built = recompute(s, trigger="upload", who=WHO, wait_seconds=120)
                    st.success(built.message)
            except UploadInvalid as exc:  # the dictionaries changed since the check
                st.error(exc.report.summary())
            except ClusterstatsError as exc:
                st.error(str(exc))

if st.button(t("rebuild"), key="upload_rebuild_now"):
    try:
        with st.spinner(t("rebuilding")):
            st.success(recompute(s, trigger="manual", who=WHO, wait_seconds=120).message)
    except ClusterstatsError as exc:
        st.error(str(exc))

st.subheader(t("history"))
history = data.uploads(s)
if history:
    st.dataframe(
        pl.DataFrame([
            {t("landed"): u.seq, t("kind"): kind_label(u.kind), t("vintage"): u.vintage, t("file"): u.file_name,
             t("rows"): u.rows, t("who"): u.who, t("when"): c.local_time(u.landed_at, s.timezone)}
            for u in reversed(history)
        ]),
        hide_index=True,
        key="history_table",
    )
