"""Upload: pick a kind, download its template, upload, read the validation report, download the rejected rows,
confirm, watch the rebuild, see the upload in the history."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.core.errors import ClusterstatsError, UploadInvalid
from pipeline.ingest import check_upload, ingest_bytes
from pipeline.jobs import enqueue_upload
from pipeline.reports.templates import template_columns, template_xlsx
from schemas import KINDS
from ui import components as c
from ui import components_upload as cu
from ui import data
from ui.access import can_submit, current_user, upload_scope, user
from ui.i18n import labels_for, lang, t
from ui.tables import data_table

s = data.settings()
build = data.current_build(s, stop_if_stale=False)
st.title(t("nav_upload"))
st.caption(t("upload_caption"))
c.banners(build)


def kind_label(k: str) -> str:
    return f"{KINDS[k].title_in(lang())} ({k})"


top = st.columns([2, 1, 1])
kind = top[0].selectbox(t("upload_kind"), list(KINDS), key=f"upload_kind_{lang()}", format_func=labels_for(KINDS,
                                                                                                           kind_label))
sheet = top[1].text_input(t("sheet"), key="upload_sheet") or None
with top[2]:
    st.write("")
    language = lang()
    st.download_button(t("download_template"), lambda: template_xlsx(kind, language), icon=":material/table:",
                       file_name=f"template-{kind}-{language}.xlsx", key=f"upload_template_{kind}_{language}",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore")
with st.expander(t("template_columns", kind=kind_label(kind))):
    cols = template_columns(kind, lang())
    data_table(pl.DataFrame({
        t("header"): [x["header"] for x in cols], t("title_other"): [x["title_en" if lang() == "zh" else "title_zh"]
                                                                   for x in cols],
        t("required"): [t("yes") if x["required"] else t("no") for x in cols],
        t("description"): [x["description"] for x in cols], t("example"): [str(x["example"] or "") for x in cols]}),
        hide_index=True)

if not can_submit():
    st.info(t("upload_not_allowed"))
    st.stop()
if upload_scope():
    st.caption(t("upload_scope", regions=", ".join(upload_scope() or ())))
uploaded = st.file_uploader(t("upload_file"), type=["csv", "txt", "tsv", "xlsx", "xls", "parquet"], key="upload_file")
partial = cu.supports_accept_valid_rows() and st.checkbox(t("accept_valid_rows"), key="upload_partial",
                                                          help=t("accept_valid_rows_help"))
options = {"accept_valid_rows": True} if partial else {}
options["scope"] = upload_scope()  # a city's submitter: rows of its own regions only

if uploaded is not None:
    raw = uploaded.getvalue()
    try:
        checked = check_upload(s, raw, uploaded.name, kind, sheet=sheet, **options)
    except ClusterstatsError as exc:
        st.error(cu.error_text(exc))
        st.stop()
    report = checked.report
    landable = getattr(checked, "landable", report.ok)
    (st.success if report.ok else st.warning if landable else st.error)(cu.summary(report))
    if not report.ok:
        st.subheader(t("report_title"))
        m = st.columns(3)
        m[0].metric(t("rows"), report.rows)
        m[1].metric(t("problems"), len(report.failures))
        m[2].metric(t("rows_with_problems"), len(report.bad_rows))
        data_table(cu.report_frame(report), hide_index=True, key="report_table")
        st.markdown(f"**{t('counts_per_rule')}**")
        data_table(cu.counts_frame(report), hide_index=True, key="report_counts")
        cu.rejected_download(checked, key="upload_rejected")
    if getattr(report, "warnings", None):
        with st.expander(t("warnings_title", n=len(report.warnings)), expanded=report.ok):
            data_table(cu.report_frame(report, warnings=True), hide_index=True, key="report_warnings")
    if landable:
        records = checked.records()
        st.markdown(f"**{t('valid_preview', rows=records.height)}**")
        if checked.prepared.units:
            st.caption(t("units_converted") + ": " + ", ".join(
                f"{col} {u['unit']} → {u['canonical']}" for col, u in checked.prepared.units.items()))
        titles = {n: (col.title_zh if lang() == "zh" else col.title) for n, col in KINDS[kind].columns.items()}
        data_table(records.head(50).rename(titles | {"source_row": t("row")}, strict=False), hide_index=True,
                     key="upload_preview")
        if st.button(t("land"), type="primary", key="upload_land"):
            try:
                result = ingest_bytes(s, raw, uploaded.name, kind, sheet=sheet, who=current_user(),
                                      submission=user().submits, **options)
            except UploadInvalid as exc:  # the dictionaries changed since the check
                st.error(cu.summary(exc.report))
                st.stop()
            except ClusterstatsError as exc:
                st.error(cu.error_text(exc))
                st.stop()
            u = result.upload
            if result.status == "landed" and user().submits:  # official once a provincial reviewer accepts it
                st.success(t("upload_submitted", file=u.file_name, rows=u.rows, id=u.upload_id))
                st.page_link("views/review.py", label=t("nav_review"), icon=":material/rule:")
            elif result.status == "landed":
                st.success(t("landed_as", file=u.file_name, rows=u.rows, kind=kind_label(u.kind), vintage=u.vintage))
                job = cu.watch_job(s, enqueue_upload(s, u).job_id)
                live = data.current_build(s, stop_if_stale=False)
                if job["status"] == "failed":
                    st.error(t("rebuild_failed", message=job["message"]))
                elif live and live["landing_seq"] >= u.seq:
                    st.success(t("rebuild_live", build=live["build_id"], vintage=u.vintage))
            else:
                st.info(t("already_landed", file=u.file_name, vintage=u.vintage, when=c.local_time(
                    u.landed_at, s.timezone)))

st.subheader(t("history"))
history = [u for u in data.uploads(s) if user().staff or u.who == current_user()]  # a city sees its own
if history:
    frame = pl.DataFrame([{"seq": u.seq, "kind": u.kind, "vintage": u.vintage, "file_name": u.file_name,
                           "rows": u.rows, "who": u.who, "landed_at": u.landed_at} for u in reversed(history)])
    table = c.uploads_table(frame, s.timezone)
    data_table(table.with_columns(frame.get_column("seq").alias(t("landed"))).select(t("landed"), *table.columns),
                 hide_index=True, key="history_table")
else:
    st.caption(t("no_uploads"))
