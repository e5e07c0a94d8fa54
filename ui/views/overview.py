"""Overview: province KPIs with the change on last year, a map of the cities, clusters by size band, balance
across development zones, top clusters."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, disclosure
from ui import components as c
from ui.components_regional import CITY_VIEWS, city_map, city_values, scaled_total
from ui.components_tables import top_clusters
from ui.i18n import band, labels_for, lang, measure, t
from ui.tables import data_table

page = c.page("app_title")
lv = page.levels or {"region_level": None, "industry_level": None}
top = st.columns([1, 1.4, 1.4, 2])
year = top[0].selectbox(t("year"), page.years, key="overview_year")
measures = page.measures or ["output_value"]
default_m = measures.index("output_value") if "output_value" in measures else 0
chosen = top[1].selectbox(t("measure"), measures, index=default_m, format_func=labels_for(measures, measure),
                          key=f"overview_m_{lang()}")
view = top[2].selectbox(t("map_shows"), list(CITY_VIEWS), format_func=labels_for(CITY_VIEWS,
                                                                                 lambda k: t(CITY_VIEWS[k])),
                        key=f"overview_view_{lang()}")
bundle = data.overview(page.path, page.build_id, year, chosen, lv["region_level"], lv["industry_level"])

kpi = bundle["kpis"].row(0, named=True) if bundle["kpis"].height else {}
totals = {r["measure"]: r for r in bundle.get("totals", pl.DataFrame()).iter_rows(named=True)} if "totals" in bundle \
    else {}
m = st.columns(6)
m[0].metric(t("clusters"), kpi.get("clusters"), help=t("clusters_help", emerging=kpi.get("emerging")))
for col, key, label in ((m[1], "output_value", "cluster_output"), (m[2], "employment", "cluster_employment")):
    col.metric(t(label), c.compact(key, kpi.get(key)), c.pct_change(kpi.get(key), kpi.get(f"{key}_prev")),
               help=t("change_on_last_year") + " " + t("unit_is", unit=scaled_total(key)[1]))
m[3].metric(t("median_score"), c.number(kpi.get("median_score")))
for col, key in ((m[4], "output_value"), (m[5], "employment")):
    row = totals.get(key)
    if row:
        col.metric(t(f"province_{key}"), c.compact(key, row["total"]),
                   c.pct_change(row["total"], row["total_previous"]),
                   help=t("province_total_help") + " " + t("unit_is", unit=scaled_total(key)[1]))

left, right = st.columns([5, 4])
with left:
    st.subheader(t("map_title", what=t(CITY_VIEWS[view]), measure=measure(chosen), year=year))
    cities = bundle.get("cities", pl.DataFrame())
    values, fmt, mid, unit = city_values(cities, view, chosen)
    city_map(page, values, value_title=t(CITY_VIEWS[view]) + (f" ({unit})" if unit else ""), fmt=fmt, mid=mid,
             name=f"map_{chosen}_{view}_{year}")
    disclosure.footnote(page.source, shown=disclosure.any_suppressed(cities))
with right:
    st.subheader(t("balance_title"))
    balance = bundle.get("balance", pl.DataFrame())
    if balance.is_empty():
        st.info(t("no_balance"))
    else:
        row = balance.filter(pl.col("measure") == chosen)
        if row.height:
            r = row.row(0, named=True)
            b = st.columns(3)
            b[0].metric(t("theil"), c.number(r["theil"], 3), help=t("theil_help", kind=r["theil_kind"]))
            b[1].metric(t("theil_between"), c.number(r["between"], 3),
                        help=t("between_help", share=f"{(r['between_share'] or 0) * 100:.0f}%"))
            b[2].metric(t("theil_within"), c.number(r["within"], 3))
        table = balance.select(
            c.translated("measure", balance, measure).alias(t("measure")), pl.col("theil").alias(t("theil_short")),
            pl.col("between").alias(t("between_short")), pl.col("within").alias(t("within_short")),
            (pl.col("between_share") * 100).alias(t("between_pct")))
        data_table(table, hide_index=True, column_config={
            col: st.column_config.NumberColumn(format="%.3f", width="small") for col in table.columns[1:]} | {
            t("between_pct"): st.column_config.NumberColumn(format="%.0f%%", width="small")})
        order = (balance.get_column("partition").drop_nulls().to_list() or [""])[0].split(",")
        zones = ", ".join(page.names("regions").get(z, z) for z in order if z)
        st.caption(" ".join([t("balance_caption", zones=zones), *c.partition_notes(page, order)]))

left, right = st.columns([1, 2])
with left:
    st.subheader(t("size_bands"))
    bands = bundle["bands"]
    if bands.height:
        shown = bands.with_columns(c.translated("size_band", bands, band).alias("band_label"))
        charts.show(charts.hbar(shown, x="clusters", y="band_label", x_title=t("clusters"), y_title=t("size_band"),
                                sort=None, fmt=",.0f"), name=f"size_bands_{year}")
        data_table(shown.select(pl.col("band_label").alias(t("size_band")), pl.col("clusters").alias(t("clusters")),
                                  (pl.col("share") * 100).round(1).alias(t("share") + " (%)"),
                                  (pl.col("output_value") / (1e8 if lang() == "zh" else 1e9)).alias(t("output_short"))),
                     hide_index=True, column_config={t("output_short"): st.column_config.NumberColumn(format="%.1f")})
        st.caption(t("size_band_caption"))
with right:
    st.subheader(t("top_clusters"))
    top_clusters(bundle["ranking"], page, n=10, key="overview_top")

c.provenance(page, note=t("overview_provenance_note"))
