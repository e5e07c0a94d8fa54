"""Cluster ranking: every cluster's score, rank and 90% rank interval, tier, size band and trend; filters, sorting,
download."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data
from ui import components as c
from ui.components_tables import column_labels, number_columns, pick_and_link, ranking_downloads, ranking_frame
from ui.i18n import labels_for, lang, t, tier

page = c.page("nav_ranking", caption_key="ranking_caption")
ranking = data.ranking(page.path, page.build_id, st.session_state.get("ranking_year", page.years[0]))

f = st.columns([0.8, 1.4, 1.4, 1.4, 1.2])
year = f[0].selectbox(t("year"), page.years, key="ranking_year")
tiers = sorted(ranking.get_column("tier").drop_nulls().unique().to_list())
chosen_tiers = f[1].multiselect(t("tier"), tiers, default=tiers, format_func=labels_for(tiers, tier),
                                key=f"ranking_tiers_{lang()}")
zones = page.zones()
zone_labels = labels_for(["", *zones], lambda z: page.names("regions").get(z, z) if z else t("all_zones"))
zone = f[2].selectbox(t("zone"), ["", *zones], format_func=zone_labels, key=f"ranking_zone_{lang()}")
SORTS = {"rank": "sort_rank", "score_change": "sort_change", "output": "sort_output", "rank_width": "sort_width",
         "cluster": "sort_name"}
sort = f[3].selectbox(t("sort_by"), list(SORTS), format_func=labels_for(SORTS, lambda k: t(SORTS[k])),
                      key=f"ranking_sort_{lang()}")
n_labels = labels_for([20, 50, 0], lambda n: t("all_rows") if n == 0 else str(n))
shown_n = f[4].selectbox(t("rows_shown"), [20, 50, 0], format_func=n_labels, key="ranking_n")

frame = ranking_frame(ranking, page)
frame = frame.filter(pl.col("cluster_code").is_in(
    ranking.filter(pl.col("tier").is_in(chosen_tiers)).get_column("cluster_code").to_list()))
if zone:
    frame = frame.filter(pl.col("zones").fill_null("").str.split(",").list.contains(zone))
frame = frame.with_columns((pl.col("rank_high") - pl.col("rank_low")).alias("rank_width"))
descending = sort in ("score_change", "output", "rank_width")
frame = frame.sort(sort, descending=descending, nulls_last=True)
if shown_n:
    frame = frame.head(shown_n)

lab = column_labels()
table = frame.with_columns(
    pl.when(pl.col("rank_low").is_not_null()).then(pl.format("{}–{}", pl.col("rank_low").cast(pl.Int64),
                                                              pl.col("rank_high").cast(pl.Int64))).alias("interval"))
keys = ["rank", "cluster", "tier", "lead_city", "score", "interval", "score_change", "rank_change", "size_band"]
shown = table.select([pl.col(k).alias(lab[k]) for k in keys])
st.caption(t("ranking_count", shown=frame.height, total=ranking.height, year=year))
if ranking.height and (ranking.get_column("note") == "withheld").all():  # [disclosure] scores = "withheld"
    st.info(t("scores_withheld"))
small = {lab[k]: st.column_config.Column(width="small") for k in ("rank", "tier", "lead_city", "size_band")}
pick_and_link(shown, frame.get_column("cluster_code").to_list(), key="ranking_table", height=460,
              column_config=number_columns() | small | {lab["interval"]: st.column_config.TextColumn(
                  help=t("rank_interval_help"), width="small")})
scored = frame.filter(pl.col("rank").is_not_null())
if scored.height:
    chart = charts.intervals(scored.head(40).with_columns(pl.format("{}. {}", "rank", "cluster").alias("label")),
                             label="label", rank="rank", low="rank_low", high="rank_high",
                             title=t("rank_interval_chart", year=year), x_title=t("rank"))
    charts.show(chart, name=f"rank_intervals_{year}")

ranking_downloads(page, table, year, f"{t('tier')}: {', '.join(tier(x) for x in chosen_tiers)}; "
                  f"{t('zone')}: {page.names('regions').get(zone, t('all_zones')) if zone else t('all_zones')}")
c.provenance(page, note=t("ranking_provenance_note"))
