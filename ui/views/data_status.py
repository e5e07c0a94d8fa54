"""Data: uploads and vintages, coverage (which city-years and cluster-years exist), data-quality flags (values
imputed or treated before scoring, undefined values and their reasons), and the data dictionary."""

from __future__ import annotations

import polars as pl
import streamlit as st

from pipeline.reports.templates import data_dictionary
from ui import charts, data
from ui import components as c
from ui.access import user
from ui.i18n import lang, measure, name_zh_en, note, t
from ui.tables import data_table

page = c.page("nav_data", need_scores=False, caption_key="data_caption")
dq = data.data_quality(page.path, page.build_id)
tabs = st.tabs([t("tab_uploads"), t("tab_coverage"), t("tab_quality"), t("tab_dictionary")])

with tabs[0]:
    read = set(dq["uploads"].get_column("upload_id").to_list())  # what the figures shown were computed from
    # staff see every landed upload (submissions under review and returned ones too); readers, what the release read
    history = [u for u in data.uploads(page.settings) if user().staff or u.upload_id in read]
    frame = pl.DataFrame([{"seq": u.seq, "kind": u.kind, "vintage": u.vintage, "file_name": u.file_name,
                           "rows": u.rows, "who": u.who, "landed_at": u.landed_at, "in": u.upload_id in read}
                          for u in reversed(history)])
    if frame.height:
        table = c.uploads_table(frame.drop("in"), page.settings.timezone).with_columns(
            pl.Series(t("in_live_build"), [t("yes") if x else t("not_yet") for x in frame["in"]]))
        m = st.columns(3)
        m[0].metric(t("uploads_landed"), frame.height)
        m[1].metric(t("uploads_in_build"), int(frame["in"].sum()))
        m[2].metric(t("kinds_with_revisions"), int((frame.group_by("kind").agg(pl.len())["len"] > 1).sum()))
        data_table(table, hide_index=True, height=min(420, 38 + 35 * table.height))
        st.caption(t("vintages_caption"))

with tabs[1]:
    regions, clusters = dq["regions"], dq["clusters"]
    names_r, names_c = page.names("regions"), page.names("clusters")
    left, right = st.columns(2)
    with left:
        if regions.height:
            cov = regions.with_columns(c.named("region_code", names_r).alias("region"), pl.col("year").cast(pl.String))
            charts.show(charts.heatmap(cov, x="year", y="region", value="cells", x_title=t("year"),
                                       y_title=t("region"), value_title=t("cells"), fmt=",.0f",
                                       title=t("coverage_regions")), name="coverage-regions")
            st.caption(t("coverage_regions_caption"))
    with right:
        if clusters.height:
            per_year = clusters.group_by("year").agg(pl.len().alias("clusters"),
                                                     pl.col("indicators").mean().alias("mean"),
                                                     pl.col("indicators").min().alias("min")).sort("year")
            st.markdown(f"**{t('coverage_clusters')}**")
            data_table(per_year.rename({"year": t("year"), "clusters": t("clusters_reporting"),
                                          "mean": t("indicators_mean"), "min": t("indicators_min")}),
                         hide_index=True, column_config={t("indicators_mean"): st.column_config.NumberColumn(
                             format="%.1f")})
            sparse = clusters.filter(pl.col("indicators") < clusters.get_column("indicators").max())
            st.caption(t("coverage_sparse", n=sparse.height))
            if sparse.height:
                data_table(sparse.select(c.named("cluster_code", names_c).alias(t("cluster")),
                                           pl.col("year").alias(t("year")),
                                           pl.col("indicators").alias(t("indicators_reported"))),
                             hide_index=True, height=240)

with tabs[2]:
    treated = dq["treatments"]
    st.markdown(f"**{t('treated_title', n=treated.height)}**")
    st.caption(t("treated_caption"))
    if treated.height:
        shown = treated.with_columns(
            c.named("cluster_code", page.names("clusters")).alias("cluster"),
            pl.Series("indicator_label", [name_zh_en(r, "indicator_name") for r in treated.iter_rows(named=True)]),
            c.translated("treatment", treated, lambda x: t(f"treatment_{x.replace(' ', '_')}")).alias("how"))
        data_table(shown.select(pl.col("cluster").alias(t("cluster")), pl.col("year").alias(t("year")),
                                  pl.col("indicator_label").alias(t("indicator")),
                                  pl.col("raw_value").alias(t("raw_value")), pl.col("value").alias(t("treated_value")),
                                  pl.col("how").alias(t("treatment"))), hide_index=True, height=300,
                     column_config={t("raw_value"): st.column_config.NumberColumn(format="%.4g"),
                                    t("treated_value"): st.column_config.NumberColumn(format="%.4g")})
    flags = data.cell_flags(page.settings)
    st.markdown(f"**{t('flags_title', n=flags.height)}**")
    st.caption(t("flags_caption"))
    if flags.height:
        data_table(flags.select(
            c.translated("kind", flags, lambda k: t(f"kind_{k.replace('-', '_')}")).alias(t("kind")),
            pl.col("vintage").alias(t("vintage")), pl.col("file_name").alias(t("file")),
            pl.col("source_row").alias(t("row")), c.translated("field", flags, measure).alias(t("field")),
            pl.col("value").alias(t("value")), c.translated("flag", flags, lambda f: t(f"flag_{f}")).alias(t("flag"))),
            hide_index=True, height=min(300, 38 + 35 * flags.height))
    notes = dq["notes"]
    names_all = page.names("regions")
    st.markdown(f"**{t('notes_title')}**")
    st.caption(t("notes_caption"))
    data_table(notes.select(c.translated("table_name", notes, lambda x: t(f"table_{x}")).alias(t("table")),
                            c.translated("note", notes, lambda x: note(x, names_all)).alias(t("note")),
                            pl.col("rows").alias(t("rows"))), hide_index=True)
    unscored = data.ranking(page.path, page.build_id, page.years[0]).filter(pl.col("score").is_null()) \
        if page.years else pl.DataFrame()
    if unscored.height:
        st.markdown(f"**{t('unscored_title', n=unscored.height, year=page.years[0])}**")
        data_table(unscored.select(c.named("cluster_code", page.names("clusters")).alias(t("cluster")),
                                     c.translated("note", unscored, note).alias(t("note"))), hide_index=True)

with tabs[3]:
    dictionary = data_dictionary(lang())
    kinds = dictionary.get_column("kind").unique(maintain_order=True).to_list()
    kind = st.selectbox(t("upload_kind"), kinds, key=f"data_kind_{lang()}",
                        format_func=dict(dictionary.select("kind", "kind_title").unique().iter_rows()).get)
    rows = dictionary.filter(pl.col("kind") == kind)
    data_table(rows.select(pl.col("column").alias(t("field")), pl.col("title_zh").alias(t("title_zh")),
                             pl.col("title_en").alias(t("title_en")), pl.col("role").alias(t("role")),
                             pl.col("dimension").alias(t("dimension")), pl.col("required").alias(t("required")),
                             pl.col("description").alias(t("description")), pl.col("aliases").alias(t("aliases")),
                             pl.col("example").alias(t("example"))), hide_index=True)
c.provenance(page, uploads=dq["uploads"])
