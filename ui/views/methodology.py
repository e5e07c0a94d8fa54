"""Methodology: the framework as a tree, weights and options, each index's definition with its formula; for
administrators, edit a copy, preview how ranks would move, save it as a new version."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.core.errors import ClusterstatsError
from pipeline.jobs.methodologies import active_methodology, archived, methodology_text
from pipeline.scoring import Methodology
from ui import charts, data
from ui import components as c
from ui import components_methodology as cm
from ui.access import current_user, is_admin
from ui.catalog import INDICES
from ui.i18n import lang, t
from ui.preview import preview_scores, rank_moves


def _valid(text: str) -> bool:
    try:
        Methodology.from_text(text)
    except ClusterstatsError:
        return False
    return True


page = c.page("nav_methodology", need_scores=False, caption_key="methodology_caption")
s = page.settings
m = active_methodology(s)
live_hash = page.build["methodology_hash"]
st.subheader(m.name_zh if lang() == "zh" else m.name)
st.caption(t("methodology_version", hash=m.hash, source=t("source_file") if m.source != "default_methodology.toml"
             else t("source_default")))
if m.hash != live_hash:
    st.warning(t("methodology_pending", hash=m.hash, live=live_hash))

tabs = st.tabs([t("tab_framework"), t("tab_definitions"), t("tab_versions")] + ([t("tab_edit")] if is_admin() else []))
with tabs[0]:
    left, right = st.columns([3, 2])
    with left:
        st.graphviz_chart(cm.tree_dot(m), width="stretch")
    with right:
        st.markdown(f"**{t('options')}**")
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in cm.options_facts(m, page.names("regions"))))
    st.dataframe(cm.indicator_table(m), hide_index=True, key="methodology_indicators", column_config={
        t("weight_in_pillar"): st.column_config.NumberColumn(format="%.3f"),
        t("weight_in_index"): st.column_config.NumberColumn(format="%.4f")})
    st.dataframe(cm.levels_table(m), hide_index=True)
with tabs[1]:
    for info in INDICES:
        with st.expander(info.name_zh if lang() == "zh" else info.name):
            st.latex(info.formula)
            st.write(info.definition_zh if lang() == "zh" else info.definition)
    st.caption(t("definitions_source"))
with tabs[2]:
    versions = archived(s)
    st.dataframe(pl.DataFrame({t("version"): [v.hash for v in versions], t("name"): [v.name_zh if lang() == "zh" else
                                                                                     v.name for v in versions],
                               t("in_live_build"): [t("yes") if v.hash == live_hash else "" for v in versions]},
                              schema={t("version"): pl.String, t("name"): pl.String, t("in_live_build"): pl.String}),
                 hide_index=True)
    st.caption(t("versions_caption"))

if is_admin():
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
        b = st.columns([1, 1.6, 3])
        preview = b[0].button(t("preview"), key="methodology_preview", icon=":material/preview:")
        save = b[1].button(t("save_version"), key="methodology_save", type="primary", icon=":material/save:")
        try:
            edited = Methodology.from_text(text, source="methodology.toml")
        except ClusterstatsError as exc:
            st.error(t("methodology_invalid", error=str(exc)))
            st.stop()
        if preview:
            year = page.years[0] if page.years else None
            if year is None:
                st.info(t("no_scores"))
            else:
                inputs = data.scoring_inputs(page.path, page.build_id)
                current = data.ranking(page.path, page.build_id, year).select("cluster_code", "score", "rank") \
                    .with_columns(pl.lit(year, dtype=pl.Int64).alias("year"))
                moves = rank_moves(current, preview_scores(inputs, edited), year)
                names = page.names("clusters")
                moved = moves.filter(pl.col("move").fill_null(0) != 0)
                k = st.columns(3)
                k[0].metric(t("preview_moved"), f"{moved.height} / {moves.height}")
                k[1].metric(t("preview_up"), f"{moves.get_column('move').max() or 0:+d}")
                k[2].metric(t("preview_down"), f"{moves.get_column('move').min() or 0:+d}")
                shown = moves.select(c.named("cluster_code", names).alias(t("cluster")), pl.col("rank").alias(
                    t("rank_live")), pl.col("preview_rank").alias(t("rank_preview")), pl.col("move").alias(t("move")),
                    pl.col("score").alias(t("score_live")), pl.col("preview_score").alias(t("score_preview")))
                left, right = st.columns([3, 2])
                left.dataframe(shown, hide_index=True, height=380, key="methodology_moves", column_config={
                    t("move"): st.column_config.NumberColumn(format="%+d"),
                    t("score_live"): st.column_config.NumberColumn(format="%.2f"),
                    t("score_preview"): st.column_config.NumberColumn(format="%.2f")})
                with right:
                    charts.show(charts.hbar(moves.drop_nulls("move").filter(pl.col("move") != 0).head(20).with_columns(
                        c.named("cluster_code", names).alias("cluster")), x="move", y="cluster", x_title=t("move"),
                        y_title=t("cluster"), title=t("preview_chart", year=year), fmt="+d"),
                        name=f"preview-{edited.hash}", png=False)
                st.caption(t("preview_caption", hash=edited.hash))
        if save:
            saved = cm.save_version(s, text, who=current_user())
            st.success(t("saved_version", hash=saved.hash))
c.provenance(page)
