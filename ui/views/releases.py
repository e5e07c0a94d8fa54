"""Releases: the release calendar (upcoming releases with their embargo times, past ones with their revisions),
and for reviewers and administrators, creating a release from the official build and approving another person's."""

from __future__ import annotations

import streamlit as st

from pipeline.jobs import format_report
from ui import components_disclosure as cd
from ui import components_publishing as cp
from ui import data
from ui.access import current_user, user
from ui.i18n import t
from ui.sources import all_releases
from ui.tables import data_table

s = data.settings()
st.title(t("nav_releases"))
st.caption(t("releases_caption"))
done = st.session_state.pop("release_done", None)
if done:
    st.success(done)
rels = all_releases(s)
staff = user().staff
upcoming, past = cp.calendar(rels, s, staff=staff)

st.subheader(t("releases_upcoming"))
if upcoming.is_empty():
    st.caption(t("releases_none_upcoming"))
else:
    data_table(upcoming, hide_index=True, key="releases_upcoming")

st.subheader(t("releases_past"))
if past.is_empty():
    st.caption(t("releases_none_past"))
else:
    data_table(past, hide_index=True, key="releases_past")
    for rel in [r for r in rels if r["status"] == "published"]:
        cols = st.columns([3, 1])
        cols[0].markdown(t("release_line", number=rel["number"], title=rel["title"]))
        if cols[1].button(t("release_open"), key=f"open_{rel['number']}"):
            st.session_state["source"] = f"release-{rel['number']}"
            st.switch_page("views/overview.py")
        cp.bulletin_buttons(s, rel, staff=staff)
        cd.report_section(rel)
        if rel["revises"] and rel.get("changes"):
            figures = rel["changes"]["figures"]
            with st.expander(t("release_changes", number=rel["number"], revises=rel["revises"],
                               n=figures["figures"], tables=len(figures["tables"]))):
                st.caption(rel["revision_note"] or "")
                st.code(format_report(rel["changes"]["report"]), language=None)  # why: uploads, scores, thresholds
                data_table(cp.revision_figures(rel), hide_index=True, key=f"revision_{rel['number']}")
                cp.figures_download(s, rel)

if user().can("reviewer"):
    st.subheader(t("releases_manage"))
    for rel in [r for r in rels if r["status"] == "draft"]:
        cd.report_section(rel)
        cd.acknowledge_form(s, rel, current_user(), admin=user().can("admin"))
    cp.approve_buttons(s, rels, current_user())
    with st.expander(t("release_create"), icon=":material/new_releases:"):
        st.caption(t("release_create_help"))
        cp.create_form(s, rels, current_user())
