"""Region profile: a city's specialisation (LQ by industry), diversity (HHI, entropy, Krugman), the named clusters
located here, its strong cluster categories, the category portfolio (LQ against growth, size = employment,
quadrants labelled) and shift-share components. Named clusters and categories are two tables with two titles: a
category is measured in every region, a named cluster is listed only where it is (lead or member region)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ui import charts, data, disclosure
from ui import components as c
from ui.components_regional import portfolio, region_tiles, scaled_total
from ui.exports_ui import download_row, new_report
from ui.i18n import labels_for, lang, measure, quadrant, t
from ui.tables import data_table

page = c.page("nav_region", need_scores=False, caption_key="region_caption")
lv = page.levels
if lv is None or not page.region_years:
    st.info(t("no_regional"))
    st.stop()
regions = page.names("regions")
top = st.columns([2, 1, 1.4, 1.6])
with top[0]:
    code = c.select_code(t("city"), page.cities(), regions, key="region_city", query_param="region")
year = top[1].selectbox(t("year"), page.region_years, key="region_year")
measures = page.measures
chosen = top[2].selectbox(t("measure"), measures, index=measures.index("employment") if "employment" in measures
                          else 0, format_func=labels_for(measures, measure), key=f"region_measure_{lang()}")
pairs = [p for p in page.dicts["year_pairs"].iter_rows() if p[1] == year]
period = top[3].selectbox(t("period"), pairs or [(None, None)], format_func=lambda p: f"{p[0]}–{p[1]}" if p[0]
                          else "–", key="region_period")
bundle = data.region_profile(page.path, page.build_id, code, year, chosen, lv["region_level"], lv["industry_level"],
                             period[0], period[1])
me = bundle["cities"].filter(pl.col("region_code") == code)
row = me.row(0, named=True) if me.height else {}
lq, categories, located = bundle["lq"], bundle["categories"], bundle["located"]

st.header(regions.get(code, code))
tiles = region_tiles(row, chosen, page.source)
names_g = page.names("categories")

names_i = page.names("industries")
lq_shown = lq.with_columns(c.named("industry_code", names_i).alias("industry"))
left, right = st.columns([1, 1])
with left:
    n_spec = lq.filter(pl.col("specialised").fill_null(False)).height
    n_labels = labels_for([15, 0], lambda n: t("all_rows") if n == 0 else t("top_n", n=n))
    head_n = st.segmented_control(t("lq_show"), [15, 0], default=15, format_func=n_labels,
                                  key=f"region_lq_n_{lang()}") or 15
    chart_lq = charts.hbar(lq_shown.drop_nulls("lq").head(head_n or lq.height), x="lq", y="industry", x_title=t("lq"),
                           y_title=None, rule=1.0, title=t("lq_by_industry_title", n=n_spec))
    charts.show(chart_lq, name=f"lq-{code}-{year}-{chosen}")
with right:
    axes = ["lq_change", "employment_growth"]
    axis = st.segmented_control(t("portfolio_axis"), axes, default="lq_change", key=f"region_axis_{lang()}",
                                format_func=labels_for(axes, lambda a: t(f"axis_{a}"))) or "lq_change"
    points = portfolio(categories, axis, names_g)
    chart_pf = charts.bubbles(points, x="lq", y=axis, size="employment", label="category", colour="quadrant_label",
                              x_title=t("lq_employment"), y_title=t(f"axis_{axis}"), size_title=t("employment"),
                              quadrant_labels={k: quadrant(k) for k in ("Star", "Mature", "Emerging", "Transforming")},
                              title=t("portfolio_title"), y_format="%" if axis == "employment_growth" else ".2f")
    if chart_pf is None:
        st.info(t("no_portfolio", year=year))
    else:
        charts.show(chart_pf, name=f"portfolio-{code}-{year}")
        st.caption(t("portfolio_caption"))

located_t = disclosure.mark(located, ["category_lq"], page.source, fmt=".2f").select(
    c.named("cluster_code", page.names("clusters")).alias(t("cluster")),
    c.translated("role", located, lambda r: t(f"role_{r}")).alias(t("cluster_role")),
    c.named("category_code", names_g).alias(t("cluster_category")),
    pl.col("category_lq").alias(t("category_lq_here")),
    pl.when(pl.col("category_strong")).then(pl.lit(t("yes"))).when(pl.col("category_strong").not_())
    .then(pl.lit(t("no"))).alias(t("category_strong_here")),
    pl.col("rank").alias(t("rank")))
st.subheader(t("located_clusters_title") + f" ({located.height})")
if located.is_empty():
    st.info(t("no_located_clusters"))
else:
    data_table(located_t, hide_index=True, column_config={
        t("category_lq_here"): st.column_config.NumberColumn(format="%.2f", help=t("category_lq_here_help"))
        if located_t.schema[t("category_lq_here")].is_numeric() else st.column_config.Column(
            help=t("category_lq_here_help")),
        t("rank"): st.column_config.NumberColumn(format="%d")})
st.caption(t("located_caption"))
strong = categories.filter(pl.col("strong").fill_null(False))
strong_m = disclosure.mark(disclosure.mark(strong.with_columns(pl.col("employment").round(0)), ["employment"],
                                           page.source, fmt=",.0f"), ["lq"], page.source, fmt=".2f")
numeric = strong_m.schema["employment"].is_numeric()  # text where a release withheld figures ("D")
strong_t = strong_m.select(
    c.named("category_code", names_g).alias(t("cluster_category")),  # weighted employment: persons shown whole
    (pl.col("employment").cast(pl.Int64) if numeric else pl.col("employment")).alias(t("employment")),
    pl.col("lq").alias("LQ"), c.translated("quadrant", strong, quadrant).alias(t("quadrant")),
    pl.col("clusters_here").alias(t("clusters_here")))
left, right = st.columns([1, 1])
with left:
    st.subheader(t("strong_categories_title") + f" ({strong.height})")
    data_table(strong_t, hide_index=True, height=320, column_config={
        "LQ": st.column_config.NumberColumn(format="%.2f", width="small", help=t("lq")) if numeric else
        st.column_config.Column(width="small", help=t("lq")),
        t("quadrant"): st.column_config.Column(width="small"),
        t("employment"): st.column_config.NumberColumn(format="localized", width="small") if numeric else
        st.column_config.Column(width="small"),
        t("clusters_here"): st.column_config.NumberColumn(format="%d", width="small")})
    st.caption(t("strong_caption"))
with right:
    st.subheader(t("shift_share_title"))
    shift = bundle.get("shift_share", pl.DataFrame())
    div, unit = scaled_total(chosen)
    shift_t = pl.DataFrame()
    if shift.is_empty():
        st.info(t("no_shift_share"))
    else:
        sums = {k: shift.get_column(k).sum() if shift.get_column(k).null_count() == 0 else None  # not over withheld
                for k in ("change", "national_share", "industry_mix", "competitive")}
        s = st.columns(4)
        for col, k in zip(s, sums, strict=True):
            col.metric(t(f"ss_{k}"), disclosure.text(sums[k], disclosure.any_suppressed(shift), page.source,
                                                     f"{(sums[k] or 0) / div:+,.2f}"), help=t(f"ss_{k}_help"))
        st.caption(t("shift_share_caption", start=period[0], end=period[1], unit=unit or measure(chosen)))
        shift_t = disclosure.mark(shift.select(c.named("industry_code", names_i).alias(t("industry")),
                                               *[(pl.col(k) / div).alias(t(f"ss_{k}")) for k in sums], "suppressed"),
                                  [t(f"ss_{k}") for k in sums], page.source, fmt="+,.2f").drop("suppressed")
if not shift_t.is_empty():
    data_table(shift_t, hide_index=True, height=280, column_config={
        t(f"ss_{k}"): st.column_config.NumberColumn(format="%+.2f") for k in sums if shift_t.schema[t(f"ss_{k}")]
        .is_numeric()})
disclosure.footnote(page.source, shown=any(map(disclosure.any_suppressed, (lq, categories, shift))))

c.provenance(page, note=t("region_provenance_note"))
lq_t = disclosure.mark(lq_shown, ["lq", "share"], page.source, fmt=".3f").select(
    pl.col("industry").alias(t("industry")), pl.col("lq").alias(t("lq")), pl.col("share").alias(t("share")),
    pl.col("specialised").alias(t("specialised")))
report_ = new_report(page, t("region_export_title", name=regions.get(code, code), year=year), f"{code} · {year}",
                     [(t("city"), regions.get(code, code)), (t("year"), year, "year"), *tiles])
report_.add(t("lq_by_industry"), lq_t, chart_lq, kinds={t("lq"): "index", t("share"): "share"})
report_.add(t("located_clusters_title"), located_t)
report_.add(t("strong_categories_title"), strong_t, chart_pf)
report_.add(t("shift_share_title"), shift_t)
download_row(report_, stem=f"region-{code}-{year}", key="region")
