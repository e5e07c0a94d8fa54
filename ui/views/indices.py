"""Indices explorer: pick an index, a measure, a year (or period) and a reference economy; see the region x industry
heatmap, one industry's map and the table."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.reports.exports import xlsx_bytes
from ui import charts, data, disclosure
from ui import components as c
from ui.catalog import MATRIX
from ui.components_regional import city_map, code_ordered_table
from ui.i18n import labels_for, lang, measure, name_zh_en, t
from ui.tables import data_table

page = c.page("nav_indices", need_scores=False, caption_key="indices_caption")
lv = page.levels
if lv is None:
    st.info(t("no_regional"))
    st.stop()
infos = {i.key: i for i in MATRIX}
top = st.columns([2, 1.4, 1, 1.2])
key = top[0].selectbox(t("index"), list(infos), format_func=labels_for(infos, lambda k: name_zh_en(vars(infos[k]))),
                       key=f"indices_index_{lang()}")
info = infos[key]
chosen = top[1].selectbox(t("measure"), page.measures, format_func=labels_for(page.measures, measure),
                          key=f"indices_measure_{lang()}",
                          index=page.measures.index("employment") if "employment" in page.measures else 0)
dynamic = info.family in ("growth", "shift_share")
if dynamic:
    pairs = list(page.dicts["year_pairs"].iter_rows())
    period = top[2].selectbox(t("period"), pairs, format_func=lambda p: f"{p[0]}–{p[1]}", key="indices_period")
    year, start, end = None, period[0], period[1]
else:
    year = top[2].selectbox(t("year"), page.region_years, key="indices_year")
    start = end = None
matrix = data.index_matrix(page.path, page.build_id, info.family, chosen, lv["region_level"], lv["industry_level"],
                           year, start, end)
references = matrix.get_column("reference").unique().to_list() if "reference" in matrix.columns else ["internal"]
top[3].selectbox(t("reference"), references, format_func=labels_for(references, lambda r: t(f"reference_{r}")),
                 key=f"indices_ref_{lang()}",
                 help=t("reference_help"))
with st.expander(t("definition"), icon=":material/function:"):
    st.latex(info.formula)
    st.write(info.definition_zh if lang() == "zh" else info.definition)

if matrix.is_empty():
    st.info(t("no_index_values"))
    st.stop()
names_r = page.names("regions")
columns = page.names("categories" if info.family == "cluster_lq" else "industries")
value = info.column
shown = matrix.with_columns(c.named("region_code", names_r).alias("region"),
                            c.named("industry_code", columns).alias("industry"))
n_columns, n_rows = shown.get_column("industry_code").n_unique(), shown.get_column("region_code").n_unique()
columns_total, rows_total = matrix.get_column("columns_total")[0], matrix.get_column("rows_total")[0]
if n_columns < columns_total or n_rows < rows_total:  # the query kept those with the largest totals
    st.caption(t("heatmap_limited", columns=n_columns, columns_total=columns_total, rows=n_rows,
                 rows_total=rows_total))
shown = shown.drop("columns_total", "rows_total")
fmt = "+.1%" if key == "growth_rate" else ",.0f" if key == "competitive" else ".2f"
mid = 1.0 if key in ("lq", "cluster_lq") else 0.0
# regions and industries (or categories) in their dictionaries' code order, on the axes and in the table
region_order, column_order = list(names_r.values()), list(columns.values())
withheld = shown.filter(pl.col("suppressed").fill_null(False) & pl.col(value).is_null())
chart = charts.heatmap(shown.drop_nulls(value), x="region", y="industry", value=value, x_title=None, y_title=None,
                       value_title=name_zh_en(vars(info)), mid=mid, fmt=fmt, x_sort=region_order,
                       y_sort=column_order, marked=withheld, mark=disclosure.symbol(page.source),
                       title=f"{name_zh_en(vars(info))} · {measure(chosen)} · {year or f'{start}–{end}'}")
charts.show(chart, name=f"{key}-{chosen}-{year or f'{start}-{end}'}")

left, right = st.columns([1, 1])
with left:
    rank = {code: i for i, code in enumerate(columns)}
    items = shown.select("industry_code", "industry").unique().sort(
        pl.col("industry_code").replace_strict(rank, default=len(rank), return_dtype=pl.Int64), "industry_code")
    pick = st.selectbox(t("map_for"), items.get_column("industry_code").to_list(),
                        format_func=dict(items.iter_rows()).get, key=f"indices_pick_{lang()}")
    values = dict(shown.filter(pl.col("industry_code") == pick).select("region_code", value).iter_rows())
    city_map(page, values, value_title=name_zh_en(vars(info)), fmt=fmt, mid=mid, name=f"{key}-map-{pick}")
with right:
    cells = disclosure.mark(shown, [value], page.source, fmt=fmt)  # "D" where withheld (d3 formats are Python's)
    wide = code_ordered_table(cells, value, region_order, column_order).rename({"region": t("city")})
    data_table(wide, hide_index=True, height=460, column_config={
        col: st.column_config.NumberColumn(format="%.2f") for col in wide.columns[1:]
        if wide.schema[col].is_numeric()})
    disclosure.footnote(page.source, shown=not withheld.is_empty())
    sheet, status = name_zh_en(vars(info)), page.status() or None
    c.download_xlsx(t("download_xlsx"), lambda: xlsx_bytes({sheet: wide}, status=status),
                    file_name=f"index-{key}-{chosen}-{year or end}-{lang()}.xlsx", key="indices_xlsx")
c.provenance(page, note=t("indices_provenance_note"))
