"""Compare: up to 10 clusters or cities side by side."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.reports.exports import xlsx_bytes
from ui import charts, data
from ui import components as c
from ui.i18n import band, labels_for, lang, measure, name_zh_en, t, tier
from ui.tables import data_table

MAX = 10
page = c.page("nav_compare", caption_key="compare_caption")
mode = st.segmented_control(t("compare_what"), ["clusters", "cities"],
                            default=st.session_state.get("compare_mode", "clusters"),
                            format_func=labels_for(["clusters", "cities"], lambda m: t(f"compare_{m}")),
                            key=f"compare_mode_{lang()}") or "clusters"
st.session_state["compare_mode"] = mode

if mode == "clusters":
    top = st.columns([4, 1])
    year = top[1].selectbox(t("year"), page.years, key="compare_year")
    names = page.names("clusters")
    ranked = data.ranking(page.path, page.build_id, year)
    codes = ranked.get_column("cluster_code").to_list()
    default = st.session_state.get("compare_clusters") or codes[:3]
    picked = top[0].multiselect(t("compare_pick_clusters", n=MAX), codes, default=[x for x in default if x in codes],
                                max_selections=MAX, format_func=labels_for(codes, lambda x: names.get(x, x)),
                                key=f"compare_clusters_{lang()}")
    st.session_state["compare_clusters"] = picked
    if not picked:
        st.info(t("compare_pick_some"))
        st.stop()
    rows = ranked.filter(pl.col("cluster_code").is_in(picked))
    agg = data.compare_clusters(page.path, page.build_id, tuple(picked), year)
    label = {x: names.get(x, x) for x in picked}
    table: dict[str, list[object]] = {t("what"): [t("score"), t("rank"), t("rank_interval"), t("tier"),
                                                  t("size_band"), t("output")]}
    pillars = agg.filter(pl.col("level") != "index").select("code", "name", "name_zh").unique(
        maintain_order=True)
    for p in pillars.iter_rows(named=True):
        table[t("what")].append(name_zh_en(p))
    for x in picked:
        r = rows.filter(pl.col("cluster_code") == x).row(0, named=True)
        scores = dict(agg.filter(pl.col("cluster_code") == x).select("code", "score").iter_rows())
        interval = f"{r['rank_low']:.0f}–{r['rank_high']:.0f}" if r["rank_low"] is not None else "–"
        table[label[x]] = [c.number(r["score"]), str(r["rank"] or "–"), interval, tier(r["tier"]),
                           band(r["size_band"]), c.yuan(r["output_value"])] + [
            c.number(scores.get(p["code"])) for p in pillars.iter_rows(named=True)]
    frame = pl.DataFrame(table)
    data_table(frame, hide_index=True, height=38 + 35 * frame.height)
    order = {x: i for i, x in enumerate(picked)}
    long = agg.filter(pl.col("level") != "index").with_columns(
        c.named("cluster_code", label).alias("series"),
        pl.col("cluster_code").replace_strict(order, return_dtype=pl.Int64).alias("_order")).sort("_order")
    long = long.with_columns(c.named("code", {p["code"]: name_zh_en(p) for p in pillars.iter_rows(named=True)})
                             .alias("pillar"))
    charts.show(charts.grouped_bars(long.select("pillar", "series", pl.col("score").alias("value")), category="pillar",
                                    value="value", series="series", value_title=t("score"),
                                    title=t("compare_pillars_title", year=year)), name=f"compare-clusters-{year}")
else:
    lv = page.levels
    if lv is None:
        st.info(t("no_regional"))
        st.stop()
    top = st.columns([4, 1, 1.4])
    year = top[1].selectbox(t("year"), page.region_years, key="compare_city_year")
    chosen = top[2].selectbox(t("measure"), page.measures, format_func=labels_for(page.measures, measure),
                              key=f"compare_measure_{lang()}",
                              index=page.measures.index("employment") if "employment" in page.measures else 0)
    names = page.names("regions")
    cities = page.cities()
    default = [x for x in (st.session_state.get("compare_cities") or cities[:4]) if x in cities]
    picked = top[0].multiselect(t("compare_pick_cities", n=MAX), cities, default=default, max_selections=MAX,
                                format_func=labels_for(cities, lambda x: names.get(x, x)),
                                key=f"compare_cities_{lang()}")
    st.session_state["compare_cities"] = picked
    if not picked:
        st.info(t("compare_pick_some"))
        st.stop()
    ind = data.city_indicators(page.path, page.build_id, year, chosen, lv["region_level"], lv["industry_level"])
    ind = ind.filter(pl.col("region_code").is_in(picked))
    metrics = [("value_total", measure(chosen)), ("share", t("share_of_province")), ("hhi", t("view_hhi")),
               ("entropy", t("view_entropy")), ("krugman", t("view_krugman")), ("diversity", t("view_diversity")),
               ("cluster_strength", t("view_strength"))]
    table = {t("what"): [m[1] for m in metrics]}
    for r in ind.iter_rows(named=True):
        table[names.get(r["region_code"], r["region_code"])] = [
            c.amount(chosen, r["value_total"]), f"{(r['share'] or 0) * 100:.1f}%", c.number(r["hhi"], 3),
            c.number(r["entropy"], 2), c.number(r["krugman"], 3), str(r["diversity"]),
            f"{(r['cluster_strength'] or 0) * 100:.1f}%"]
    frame = pl.DataFrame(table)
    data_table(frame, hide_index=True, height=38 + 35 * frame.height)
    which = st.segmented_control(t("compare_chart_of"), [m[0] for m in metrics[1:]], default="cluster_strength",
                                 format_func=dict(metrics).get, key=f"compare_metric_{lang()}") or "cluster_strength"
    bars = ind.select(c.named("region_code", names).alias("city"), pl.col(which).cast(pl.Float64).alias("v"))
    charts.show(charts.hbar(bars, x="v", y="city", x_title=dict(metrics)[which], y_title=t("city")),
                name=f"compare-cities-{which}-{year}")

sheet, status = t("nav_compare"), page.status() or None
c.download_xlsx(t("download_xlsx"), lambda: xlsx_bytes({sheet: frame}, status=status),
                file_name=f"compare-{mode}-{lang()}.xlsx", key="compare_xlsx")
c.provenance(page)
