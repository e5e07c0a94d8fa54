"""Overview: province KPIs, clusters by size band, top clusters, the build's date."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import components as c
from ui import data
from ui.i18n import band, name_of, t

page = c.scored_page("app_title")
path, build_id = page.path, page.build_id
c.build_caption(page.build, page.settings.timezone)
year = st.selectbox(t("year"), page.years, index=0, key="overview_year")

kpi = data.overview_kpis(path, build_id, year) or {}
cols = st.columns(5)
cols[0].metric(t("clusters"), kpi.get("clusters"))
cols[1].metric(t("emerging"), kpi.get("emerging"))
cols[2].metric(t("cluster_output"), c.yuan(kpi.get("output_value")),
               c.pct_change(kpi.get("output_value"), kpi.get("output_value_prev")))
cols[3].metric(t("cluster_employment"), c.persons(kpi.get("employment")),
               c.pct_change(kpi.get("employment"), kpi.get("employment_prev")))
cols[4].metric(t("median_score"), c.number(kpi.get("median_score")))

left, right = st.columns([2, 3])
with left:
    st.subheader(t("size_bands"))
    bands = data.size_bands(path, build_id, year)
    st.dataframe(
        bands.select(
            c.translated("size_band", bands, band).alias(t("size_band")),
            pl.col("clusters").alias(t("clusters")),
            (pl.col("share") * 100).round(1).alias(t("share") + " (%)"),
        ),
        hide_index=True,
    )
    c.bar_chart(bands.with_columns(c.translated("size_band", bands, band)),
                x="clusters", y="size_band", x_title=t("clusters"), y_title=t("size_band"), sort=None)
with right:
    st.subheader(t("top_clusters"))
    clusters = data.cluster_list(path, build_id, year).filter(pl.col("score").is_not_null()).head(10)
    rows = [
        {
            t("rank"): r["rank"],
            t("cluster"): name_of(r),
            t("tier"): t(f"{r['tier']}_tier"),
            t("lead_region"): name_of(r, "lead_region_name"),
            t("score"): round(r["score"], 1),
            t("output"): c.yuan(r["output_value"]),
        }
        for r in clusters.iter_rows(named=True)
    ]
    st.dataframe(pl.DataFrame(rows), hide_index=True)
