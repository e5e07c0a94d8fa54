"""Methodology: the framework as a tree, weights and options, each index's definition with its formula; for
administrators, edit a copy, preview how ranks would move, save it as a new version."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.access.users import auth_enabled as four_eyes
from pipeline.core.errors import ClusterstatsError
from pipeline.jobs.methodologies import active_methodology, archived, methodology_text, version_label
from pipeline.scoring import Methodology
from ui import components as c
from ui import components_methodology as cm
from ui import components_proposals as cpr
from ui.access import current_user, is_admin
from ui.catalog import INDICES
from ui.i18n import lang, t
from ui.tables import data_table


def _valid(text: str) -> bool:
    try:
        Methodology.from_text(text)
    except ClusterstatsError:
        return False
    return True


page = c.page("nav_methodology", need_scores=False, caption_key="methodology_caption")
s = page.settings
live_hash = page.build["methodology_hash"]
m = active_methodology(s)
if page.source is not None and page.source.release is not None:  # a release shows its own methodology, frozen
    m = next((v for v in archived(s) if v.hash == live_hash), m)
st.subheader(m.name_zh if lang() == "zh" else m.name)
st.caption(t("methodology_version", hash=version_label(s, m.hash, lang()),
             source=t("source_file") if m.source != "default_methodology.toml" else t("source_default")))
if m.hash != live_hash:
    st.warning(t("methodology_pending", hash=m.hash, live=live_hash))
editing = is_admin() and (page.source is None or page.source.release is None)

tabs = st.tabs([t("tab_framework"), t("tab_definitions"), t("tab_versions")] + ([t("tab_edit")] if editing else []))
with tabs[0]:
    left, right = st.columns([3, 2])
    with left:
        st.graphviz_chart(cm.tree_dot(m), width="stretch")
    with right:
        st.markdown(f"**{t('options')}**")
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in cm.options_facts(m, page.names("regions"))))
    data_table(cm.indicator_table(m), hide_index=True, key="methodology_indicators", column_config={
        t("weight_in_pillar"): st.column_config.NumberColumn(format="%.3f"),
        t("weight_in_index"): st.column_config.NumberColumn(format="%.4f")})
    data_table(cm.levels_table(m), hide_index=True)
with tabs[1]:
    for info in INDICES:
        with st.expander(info.name_zh if lang() == "zh" else info.name):
            st.latex(info.formula)
            st.write(info.definition_zh if lang() == "zh" else info.definition)
    st.caption(t("definitions_source"))
with tabs[2]:
    versions = archived(s)
    named = cpr.approved_names(s)  # the name its proposer gave a version, and who approved it
    data_table(pl.DataFrame({t("version"): [version_label(s, v.hash, lang()) for v in versions],
                               t("name"): [named.get(v.hash) or (v.name_zh if lang() == "zh" else v.name)
                                           for v in versions],
                               t("in_live_build"): [t("yes") if v.hash == live_hash else "" for v in versions]},
                              schema={t("version"): pl.String, t("name"): pl.String, t("in_live_build"): pl.String}),
                 hide_index=True)
    st.caption(t("versions_caption"))
    cpr.proposals_section(page, current_user(), can_decide=is_admin())

if editing:
    with tabs[3]:
        st.caption(t("edit_caption", path=str(s.data_dir / "methodology.toml")))
        if "methodology_text" not in st.session_state:
            st.session_state["methodology_text"] = methodology_text(s)
        current = Methodology.from_text(st.session_state["methodology_text"]) if _valid(
            st.session_state["methodology_text"]) else m
        weights = cm.pillar_weights(current)
        pillar_labels = {a.code: cm._name(a) for a in current.aggregates}
        table = pl.DataFrame({t("pillar"): [pillar_labels[k] for k in weights], t("weight"): list(weights.values())})
        edited_w = st.data_editor(table, hide_index=True, disabled=[t("pillar")], key=f"methodology_weights_{lang()}",
                                  column_config={t("weight"): st.column_config.NumberColumn(min_value=0.0, step=0.5)})
        new_w = dict(zip(weights, edited_w.get_column(t("weight")).to_list(), strict=True))
        if new_w != weights:
            st.session_state["methodology_text"] = cm.with_pillar_weights(st.session_state["methodology_text"],
                                                                           current, new_w)
        st.caption(t("weights_caption"))
        text = st.text_area(t("edit_copy"), height=320, key="methodology_text")
        b = st.columns([1, 2.2, 1.6])
        preview = b[0].button(t("preview"), key="methodology_preview", icon=":material/preview:")
        b[1].text_input(t("methodology_name"), key="methodology_name", label_visibility="collapsed",
                        placeholder=t("methodology_name"))
        save = b[2].button(t("propose_version") if four_eyes(s) else t("save_version"), key="methodology_save",
                           type="primary", icon=":material/save:")
        try:
            edited = Methodology.from_text(text, source="methodology.toml")
        except ClusterstatsError as exc:
            st.error(t("methodology_invalid", error=str(exc)))
            st.stop()
        if preview:
            cpr.preview_moves(page, edited)
        if save:
            cpr.propose_version(s, text, st.session_state.get("methodology_name", ""), who=current_user())
c.provenance(page)
