"""Cluster scorecard: score and rank, the indicators behind them, LQ by city, trend, firm concentration."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import components as c
from ui import data
from ui.i18n import band, name_of, t

s = data.settings()
build = data.current_build(s)
st.title(t("nav_scorecard"))
c.banners(build)
if build is None or build["uploads"] == 0:
    st.info(t("no_data"))
    st.stop()
path, build_id = str(s.warehouse_path), build["build_id"]
years = data.score_years(path, build_id)
if not years:
    st.info(t("no_scores"))
    st.stop()

top = st.columns([3, 1])
year = top[1].selectbox(t("year"), years, index=0, key="scorecard_year")
clusters = data.cluster_list(path, build_id, year)
labels = {r["cluster_code"]: f"{name_of(r)} ({r['cluster_code']})" for r in clusters.iter_rows(named=True)}
code = top[0].selectbox(t("choose_cluster"), list(labels), format_func=labels.get, key="scorecard_cluster")

head = data.cluster_header(path, build_id, code, year)
if head is None:
    st.info(t("no_scores"))
    st.stop()
st.header(name_of(head))
st.caption(" · ".join([t(f"{head['tier']}_tier"), head["category"], name_of(head, "lead_region_name"),
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
st.dataframe(
    ind.select(
        pl.col("pillar").alias(t("pillar")),
        pl.col("indicator").alias(t("indicator")),
        pl.col("raw_value").round(2).alias(t("raw_value")),
        pl.col("unit").alias(t("unit")),
        pl.col("normalised").round(1).alias(t("normalised")),
        pl.col("median_normalised").round(1).alias(t("median")),
        pl.col("percentile").round(0).alias(t("percentile")),
        pl.col("direction").alias(t("direction")),
    ),
    hide_index=True,
)

left, right = st.columns(2)
with left:
    st.subheader(t("lq_by_city"))
    measures = data.lq_measures(path, build_id)
    if measures:
        default = measures.index("employment") if "employment" in measures else 0
        measure = st.selectbox(t("measure"), measures, index=default, key="scorecard_measure")
        lq = data.cluster_lq_by_region(path, build_id, code, year, measure).with_columns(
            pl.struct("region_name", "region_name_en").map_elements(
                lambda r: name_of(r, "region_name"), return_dtype=pl.String
            ).alias("city")
        )
        c.bar_chart(lq.drop_nulls("lq"), x="lq", y="city", x_title=t("lq"), y_title=t("city"), rule=1.0)
with right:
    st.subheader(t("trend"))
    trend = data.cluster_trend(path, build_id, code)
    c.line_chart(trend.drop_nulls("score"), x="year", y="score", x_title=t("year"), y_title=t("score"))
    c.line_chart(trend.drop_nulls("rank"), x="year", y="rank", x_title=t("year"), y_title=t("rank"), reverse=True)

st.subheader(t("firm_concentration"))
st.dataframe(data.cluster_firm_concentration(path, build_id, code).filter(pl.col("year") == year), hide_index=True)
