"""Cluster scorecard: header with rank interval, pillars against the median and the peer group, every indicator,
strengths and weaknesses, the change since last year as a waterfall, trends, LQ by city, firm concentration."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.jobs import changes_for_cluster
from ui import charts, data, disclosure
from ui import components as c
from ui import components_scorecard as sc
from ui.exports_ui import download_row, scorecard_report
from ui.i18n import labels_for, lang, measure, name_of, t
from ui.tables import data_table

page = c.page("nav_scorecard")
names = page.names("clusters")
top = st.columns([3, 1])
year = top[1].selectbox(t("year"), page.years, key="scorecard_year")
ranked = data.ranking(page.path, page.build_id, year).get_column("cluster_code").to_list()  # best first
with top[0]:
    code = c.select_code(t("choose_cluster"), ranked, names, key="scorecard_cluster", query_param="cluster",
                         with_code=True)
lv = page.levels or {}
bundle = data.scorecard(page.path, page.build_id, code, year, lv.get("region_level"))
head = bundle["header"].row(0, named=True) if bundle["header"].height else None
if head is None:
    st.info(t("no_scores"))
    st.stop()

regions = page.names("regions")
st.header(name_of(head))
st.caption(sc.identity_line(head, regions, page.names("categories")))
m = st.columns(5)
m[0].metric(t("score"), c.number(head["score"]), None if head["score_change"] is None else
            f"{head['score_change']:+.2f}", help=t("score_help", year=head["previous_year"] or "–"))
m[1].metric(t("rank"), t("rank_of", rank=head["rank"], n=head["n_ranked"]) if head["rank"] else "–")
interval = (f"{head['rank_low']:.0f}–{head['rank_high']:.0f}" if head["rank_low"] is not None else "–")
m[2].metric(t("rank_interval"), interval, help=t("rank_interval_help"))
m[3].metric(t("output"), c.yuan(head["output_value"]))
m[4].metric(t("employment"), c.persons(head["employment"]))
sc.score_notice(head)

pillar_names = sc.pillar_names(bundle["pillars"])
pillars = sc.pillar_frame(bundle["pillars"])
indicators = sc.indicator_frame(bundle["indicators"], pillar_names)
strengths = sc.strengths_frame(bundle["strengths"], pillar_names)
steps = sc.waterfall_steps(bundle["change"])
report = data.change_report(str(page.settings.data_dir), page.build_id)
ind_names = dict(bundle["indicators"].select("indicator_name", "indicator_name_zh").iter_rows())
items = sc.change_items(changes_for_cluster(report, code, category_code=head["category_code"],
                                            regions=sc.located_in(head)) if report else {}, regions, ind_names)

tabs = st.tabs([t("tab_profile"), t("tab_indicators"), t("tab_change"), t("tab_trends"), t("tab_location")])
with tabs[0]:
    left, right = st.columns([1, 1])
    with left:
        chart_pillars = charts.grouped_bars(sc.pillar_long(bundle["pillars"]), category="pillar", value="value",
                                            series="series", value_title=t("score"),
                                            title=t("pillars_title", peers=head["group_size"] or "–"))
        charts.show(chart_pillars, name=f"pillars-{code}-{year}")
    with right:
        st.markdown(f"**{t('strengths_weaknesses')}**")
        if strengths.is_empty():
            st.caption(t("no_strengths"))
        else:
            data_table(strengths.drop(t("pillar")), hide_index=True)
        st.caption(t("strengths_caption"))
        data_table(pillars.drop(t("weight"), t("coverage")), hide_index=True, column_config={
            col: st.column_config.NumberColumn(format="%.1f") for col in (t("score"), t("median"), t("peer_mean"))})
with tabs[1]:
    data_table(indicators, hide_index=True, height=min(740, 36 + 35 * indicators.height), column_config={
        t("raw_value"): st.column_config.NumberColumn(format="localized"),
        t("normalised"): st.column_config.ProgressColumn(format="%.1f", min_value=0, max_value=100),
        t("median"): st.column_config.NumberColumn(format="%.1f"),
        t("percentile"): st.column_config.NumberColumn(format="%.0f"),
        t("weight"): st.column_config.NumberColumn(format="%.3f"),
        t("flag"): st.column_config.TextColumn(help=t("flag_help"))})
    st.caption(t("indicators_caption"))
with tabs[2]:
    chart_change = None
    if steps is None:
        st.info(t("no_change", year=year))
    else:
        chart_change = charts.waterfall(steps, value_title=t("score"), title=t("waterfall_title", year=year))
        charts.show(chart_change, name=f"change-{code}-{year}")
        st.caption(t("waterfall_caption"))
    st.markdown(f"**{t('report_items_title')}**")
    if items.is_empty():
        st.caption(t("report_items_none"))
    else:
        data_table(items, hide_index=True)
with tabs[3]:
    trend = bundle["trend"].drop_nulls("score")
    left, right = st.columns(2)
    with left:
        chart_trend = charts.lines(trend, x="year", y="score", x_title=t("year"), y_title=t("score"),
                                   title=t("score_trend"))
        charts.show(chart_trend, name=f"score-trend-{code}")
    with right:
        charts.show(charts.lines(trend.drop_nulls("rank"), x="year", y="rank", x_title=t("year"), y_title=t("rank"),
                                 reverse=True, integer=True, title=t("rank_trend"), fmt=",.0f"),
                    name=f"rank-trend-{code}")
    pillar_codes = bundle["pillars"].filter(pl.col("level") != "index").get_column("code").to_list()
    pt = bundle["pillar_trend"].filter(pl.col("code").is_in(pillar_codes))
    pt = pt.with_columns(c.named("code", pillar_names).alias("pillar"))
    charts.show(charts.lines(pt.drop_nulls("score"), x="year", y="score", color="pillar", x_title=t("year"),
                             y_title=t("score"), title=t("pillar_trend")), name=f"pillar-trend-{code}")
    history = bundle["history"]
    if history.get_column("methodology_hash").n_unique() > 1:
        st.markdown(f"**{t('methodology_history')}**")
        data_table(history.pivot(on="methodology_hash", index="year", values="score").sort("year"),
                     hide_index=True)
with tabs[4]:
    left, right = st.columns([3, 2])
    lq_measures = page.dicts["lq_measures"].get_column("measure").to_list()
    with left:
        lq = pl.DataFrame()
        if lq_measures:
            default = lq_measures.index("employment") if "employment" in lq_measures else 0
            chosen = st.selectbox(t("measure"), lq_measures, index=default,
                                  format_func=labels_for(lq_measures, measure), key=f"scorecard_measure_{lang()}")
            lq = data.cluster_lq_by_region(page.path, page.build_id, code, year, chosen)
            lq = lq.with_columns(sc.city_label(lq, regions).alias("city"))
            own = page.names("categories").get(head["category_code"], head["category_code"])
            charts.show(charts.hbar(lq.drop_nulls("lq"), x="lq", y="city", x_title=t("lq"), y_title=t("city"), rule=1.0,
                                    title=t("category_lq_by_city", category=own)), name=f"lq-{code}-{year}-{chosen}")
            st.caption(t("category_lq_caption"))
            disclosure.footnote(page.source, shown=disclosure.any_suppressed(lq))
    with right:
        st.markdown(f"**{t('firm_concentration')}**")
        firms = sc.firm_frame(bundle["firms"].filter(pl.col("year") == year), measure)
        data_table(firms, hide_index=True, column_config={
            col: st.column_config.NumberColumn(format="%.3f") for col in firms.columns[2:]})
        if "concentration" in bundle and bundle["concentration"].height:
            st.markdown(f"**{t('geo_concentration')}**")
            conc = bundle["concentration"]
            data_table(conc.select(c.translated("measure", conc, measure).alias(t("measure")),
                                     pl.col("ubiquity").alias(t("ubiquity")), pl.col("hhi").alias("HHI"),
                                     pl.col("cr4").alias("CR4")), hide_index=True,
                         column_config={"HHI": st.column_config.NumberColumn(format="%.3f"),
                                        "CR4": st.column_config.NumberColumn(format="%.3f")})

c.provenance(page, uploads=bundle["provenance"], note=t("scorecard_provenance_note"))
frames = {"pillars": pillars, "indicators": indicators, "strengths": strengths, "steps": steps, "items": items,
          "lq": lq, "firms": firms}
download_row(scorecard_report(page, head, code, year, bundle, frames,
                              {"pillars": chart_pillars, "change": chart_change, "trend": chart_trend}),
             stem=f"scorecard-{code}-{year}", key="scorecard")
