"""Submissions: a city's submitter sees its uploads with their state and the reviewer's comments; a provincial
reviewer sees what waits for review, previews the change each would make, and accepts or returns it."""

from __future__ import annotations

import streamlit as st

from pipeline.core.ops import OpsStore
from pipeline.core.publication import submissions
from ui import components_publishing as cp
from ui import data
from ui.access import current_user, user
from ui.i18n import t
from ui.tables import data_table

s = data.settings()
st.title(t("nav_review"))
st.caption(t("review_caption"))
store = OpsStore(s.ops_path)
store.migrate()
me = user()
done = st.session_state.pop("review_done", None)
if done:
    st.success(done)

if me.submits or not me.can("reviewer"):
    st.subheader(t("review_mine"))
    mine = submissions(store, who=me.username)
    if mine:
        data_table(cp.submissions_table(mine, s), hide_index=True, key="my_submissions")
    else:
        st.caption(t("review_none_mine"))

if me.can("reviewer"):
    pending = submissions(store, state="submitted")
    st.subheader(t("review_pending", n=len(pending)))
    if not pending:
        st.caption(t("review_none_pending"))
    for row in pending:
        with st.container(border=True):
            st.markdown(t("review_item", file=row["file_name"], kind=row["kind"], rows=row["rows"],
                          who=row["submitted_by"], id=row["upload_id"]))
            cp.decision_form(s, row, current_user())
    decided = [r for r in submissions(store) if r["state"] != "submitted" and r["reviewed_by"] != r["submitted_by"]]
    with st.expander(t("review_decided", n=len(decided))):
        if decided:
            data_table(cp.submissions_table(decided, s), hide_index=True, key="decided_submissions")
    if st.button(t("review_build_working"), key="build_working", icon=":material/construction:",
                 help=t("review_build_working_help")):
        from pipeline.jobs import recompute

        with st.spinner(t("review_building_working")):
            result = recompute(s, who=current_user(), working=True, wait_seconds=60)
        st.success(t("review_working_built", build=result.build_id, uploads=result.uploads))
