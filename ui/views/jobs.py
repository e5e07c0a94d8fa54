"""Jobs: the worker, schedules (list, add, pause, remove), run now, and the job history with status, duration and
each build's change report; the history exports to Excel."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.core.errors import ClusterstatsError
from pipeline.jobs import add_schedule, enqueue, format_report, list_schedules, remove_schedule, set_paused
from pipeline.jobs.methodologies import active_methodology
from pipeline.reports.exports import xlsx_bytes
from ui import components as c
from ui import components_jobs as cj
from ui import components_upload as cu
from ui import data
from ui.access import can_upload, current_user, is_admin
from ui.i18n import labels_for, lang, t
from ui.tables import data_table

s = data.settings()
build = data.current_build(s, stop_if_stale=False)
st.title(t("nav_jobs"))
st.caption(t("jobs_caption"))
c.banners(build)
dicts = data.dictionaries(str(s.warehouse_path), build["build_id"]) if build else None


def _names(table: str) -> dict[str, str]:
    return c.code_names(dicts[table]) if dicts is not None else {}


def _indicator_names() -> dict[str, str]:
    return {i.name: i.name_zh for i in active_methodology(s).indicators}


pid = cu.worker_pid(s)
st.info(t("worker_running", pid=pid) if pid else t("worker_not_running"), icon=":material/memory:")

if can_upload():  # uploaders may start a build; schedules are for administrators
    b = st.columns([1, 3, 2])
    force = b[1].checkbox(t("force_build"), key="jobs_force", help=t("force_build_help"))
    if b[0].button(t("run_now"), type="primary", key="jobs_run_now", icon=":material/play_arrow:"):
        job_id = enqueue(s, trigger="manual", who=current_user(), force=force).job_id
        job = cu.watch_job(s, job_id)
        (st.error if job["status"] == "failed" else st.success)(t("job_result", id=job["id"],
                                                                  status=t(f"job_{job['status']}"),
                                                                  message=job["message"] or ""))

st.subheader(t("schedules"))
if flash := st.session_state.pop("jobs_flash", None):
    st.success(flash)
schedules = list_schedules(s)
if schedules:
    data_table(pl.DataFrame([{
        t("name"): x.name, t("cron"): x.cron, t("state"): t("paused") if x.paused else t("active"),
        t("next_run"): c.local_time(x.next_due_at.isoformat(), s.timezone) if x.next_due_at else "–",
        t("last_run"): c.local_time(x.last_fired_at.isoformat(), s.timezone) if x.last_fired_at else "–",
        t("who"): x.created_by} for x in schedules]), hide_index=True, key="jobs_schedules")
else:
    st.caption(t("no_schedules"))
if is_admin():
    left, right = st.columns(2)
    with left, st.form("jobs_add", clear_on_submit=True, border=True):
        st.markdown(f"**{t('add_schedule')}**")
        f = st.columns(2)
        name = f[0].text_input(t("name"), placeholder="nightly", key="jobs_new_name")
        cron = f[1].text_input(t("cron"), placeholder="30 2 * * *", key="jobs_new_cron", help=t("cron_help"))
        if st.form_submit_button(t("add"), icon=":material/add:"):
            try:
                added = add_schedule(s, cron, name=name or None, who=current_user())
                st.session_state["jobs_flash"] = t("schedule_added", name=added.name, next=c.local_time(
                    added.next_due_at.isoformat(), s.timezone))
                st.rerun()
            except ClusterstatsError as exc:
                st.error(str(exc))
    with right:
        if schedules:
            st.markdown(f"**{t('change_schedule')}**")
            which = st.selectbox(t("name"), [x.name for x in schedules], key="jobs_which")
            current = next(x for x in schedules if x.name == which)
            a = st.columns(2)
            if a[0].button(t("resume") if current.paused else t("pause"), key="jobs_pause"):
                set_paused(s, which, not current.paused, who=current_user())
                st.rerun()
            if a[1].button(t("remove"), key="jobs_remove"):
                remove_schedule(s, which, who=current_user())
                st.rerun()

if is_admin():  # who did what, when: logins, uploads, methodology and schedule changes, builds
    from pipeline.access.users import audit_log

    with st.expander(t("audit_log")):
        data_table(pl.DataFrame([{**e, "detail": str(e["detail"])} for e in audit_log(s, limit=300)]),
                     hide_index=True, key="audit_log_table")

st.subheader(t("job_history"))
jobs = data.jobs(s, limit=100)
if not jobs:
    st.caption(t("no_jobs"))
    st.stop()
reports = {j["id"]: data.change_report(str(s.data_dir), j["build_id"]) if j["build_id"] else None for j in jobs}
history = pl.DataFrame([{
    t("job"): j["id"], t("trigger"): " + ".join(t(f"trigger_{x}") for x in j["trigger"].split("+")), t("who"): j["who"],
    t("status"): t(f"job_{j['status']}"), t("requested"): c.local_time(j["requested_at"], s.timezone),
    t("duration_s"): j["duration_s"], t("rows_read"): j["rows_read"], t("build_id"): j["build_id"],
    t("changes"): cj.short_summary(reports[j["id"]]) if j["status"] == "succeeded" else ""} for j in jobs])
data_table(history, hide_index=True, key="jobs_history", height=min(400, 38 + 35 * history.height),
             column_config={t("duration_s"): st.column_config.NumberColumn(format="%.1f")})
sheet = t("job_history")
c.download_xlsx(t("download_xlsx"), lambda: xlsx_bytes({sheet: history}), file_name=f"jobs-{lang()}.xlsx",
                key="jobs_xlsx")
pick = st.selectbox(t("job_details"), [j["id"] for j in jobs], key="jobs_pick",
                    format_func=labels_for([j["id"] for j in jobs], lambda i: f"{t('job')} {i}"))
job = next(j for j in jobs if j["id"] == pick)
st.markdown(f"**{t('status')}**: {t('job_' + job['status'])}" + (f" · {cj.short_summary(reports[pick])}"
                                                                  if reports[pick] else ""))
report = reports[pick]
if report:
    st.markdown(f"**{t('change_report')}**")
    names = {k: _names(k) for k in ("regions", "industries", "clusters", "categories")}
    for title, frame in ((t("report_new_uploads"), cj.uploads_frame(report)),
                         (t("report_score_moves"), cj.moves_frame(report, names["clusters"], _indicator_names())),
                         (t("report_crossings_title"), cj.crossings_frame(report, names))):
        if frame.height:
            st.caption(title)
            data_table(frame, hide_index=True, height=min(320, 38 + 35 * frame.height), column_config={
                col: st.column_config.NumberColumn(format="%.2f") for col in (t("before"), t("after"),
                                                                              t("score_change"))})
elif job["status"] == "succeeded":
    st.caption(t("no_report"))
with st.expander(t("technical_details")):
    st.code((job["message"] or "") + ("\n\n" + format_report(report) if report else ""), language=None)
