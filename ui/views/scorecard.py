"""Cluster scorecard: score and rank, the indicators behind them, LQ by city, trend, firm concentration."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import components as c
from ui import data
from ui.i18n import band, category, lang, measure, name_of, pillar, t

page = c.scored_page("nav_scorecard")
path, build_id = page.path, page.build_id

top = st.columns([3, 1])
year = top[1].selectbox(t("year"), page.years, index=0, key="scorecard_year")
clusters = data.cluster_list(path, build_id, year)
labels = {r["cluster_code"]: f"{name_of(r)} ({r['cluster_code']})" for r in clusters.iter_rows(named=True)}
codes = list(labels)
chosen = st.session_state.get("scorecard_code")
# The widget's key carries the language, so its labels follow a language switch; the chosen cluster is kept.
code = top[0].selectbox(t("choose_cluster"), codes, index=codes.index(chosen) if chosen in labels else 0,
                        format_func=labels.get, key=f"scorecard_cluster_{lang()}")
st.session_state["scorecard_code"] = code

head = data.cluster_header(path, build_id, code, year)
if head is None:
    st.info(t("no_scores"))
    st.stop()
st.header(name_of(head))
st.caption(" · ".join([t(f"{head['tier']}_tier"), category(head["category"]), name_of(head, "lead_region_name"),
                       band(head["size_band"])]))
m = st.columns(4)
m[0].metric(t("score"), c.number(head["score"]))
m[1].metric(t("rank"), t("rank_of", rank=head["rank"], n=head["n_ranked"]) if head["rank"] else "–")
m[2].metric(t("output"), c.yuan(head["output_value"]))
m[3].metric(t("size_band"), band(head["size_band"]))
if head["score"] is None and head["note"]:
    st.warning(t("not_scored", note=head["note"]))

st.subheader(t("indicators"))
ind = data.cluster_indicators(path, build_id, code, year)
name_col = "indicator_name_zh" if lang() == "zh" else "indicator_name"
st.dataframe(
    ind.select(
        c.translated("pillar", ind, pillar).alias(t("pillar")),
        pl.col(name_col).alias(t("indicator")),
        pl.col("raw_value").alias(t("raw_value")),
        pl.col("unit").alias(t("unit")),
        pl.col("normalised").alias(t("normalised")),
        pl.col("median_normalised").alias(t("median")),
        pl.col("percentile").alias(t("percentile")),
        pl.when(pl.col("direction") > 0).then(pl.lit("↑")).otherwise(pl.lit("↓")).alias(t("direction")),
    ),
    hide_index=True,
    column_config={
        t("raw_value"): st.column_config.NumberColumn(format="localized"),
        t("normalised"): st.column_config.NumberColumn(format="%.1f"),
        t("median"): st.column_config.NumberColumn(format="%.1f"),
        t("percentile"): st.column_config.NumberColumn(format="%.0f"),
    },
)

left, right = st.columns(2)
with left:
    st.subheader(t("lq_by_city"))
    measures = data.lq_measures(path, build_id)
    if measures:
        default = measures.index("employment") if "employment" in measures else 0
        labels_m = {m_: measure(m_) for m_ in measures}
        chosen_measure = st.selectbox(t("measure"), measures, index=default, format_func=labels_m.get,
                                      key=f"scorecard_measure_{lang()}")
        lq = data.cluster_lq_by_region(path, build_id, code, year, chosen_measure)
        lq = lq.with_columns(pl.col("region_name_en" if lang() == "en" else "region_name")
                             .fill_null(pl.col("region_name")).alias("city"))
        c.bar_chart(lq.drop_nulls("lq"), x="lq", y="city", x_title=t("lq"), y_title=t("city"), rule=1.0)
with right:
    st.subheader(t("trend"))
    trend = data.cluster_trend(path, build_id, code)
    c.line_chart(trend.drop_nulls("score"), x="year", y="score", x_title=t("year"), y_title=t("score"))
    c.line_chart(trend.drop_nulls("rank"), x="year", y="rank", x_title=t("year"), y_title=t("rank"), reverse=True,
                 integer=True)

st.subheader(t("firm_concentration"))
firms = data.cluster_firm_concentration(path, build_id, code).filter(pl.col("year") == year)
st.dataframe(
    firms.select(
        c.translated("measure", firms, measure).alias(t("measure")),
        pl.col("n_units").alias(t("firms")),
        pl.col("hhi").alias("HHI"),
        pl.col("hhi_normalised").alias(t("hhi_normalised")),
        pl.col("equivalent_number").alias(t("equivalent_number")),
        pl.col("cr4").alias("CR4"),
    ),
    hide_index=True,
    column_config={col: st.column_config.NumberColumn(format="%.3f")
                   for col in ("HHI", t("hhi_normalised"), t("equivalent_number"), "CR4")},
)
