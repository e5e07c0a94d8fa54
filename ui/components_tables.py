"""Cluster tables shared by the pages: the ranking with its translated columns, and links to the scorecards."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from ui.components import Page, build_facts, download_xlsx, named, translated
from ui.i18n import band, category, lang, note, t, tier
from ui.tables import data_table

SCORECARD = Path(__file__).parent / "views" / "scorecard.py"


def ranking_frame(ranking: pl.DataFrame, page: Page) -> pl.DataFrame:
    """The ranking with names in the current language and translated labels (codes kept for links)."""
    regions = page.names("regions")
    name_col = "name_en" if lang() == "en" else "name"
    money = 1e8 if lang() == "zh" else 1e9
    return ranking.select(
        "cluster_code",
        pl.col("rank"),
        pl.coalesce(name_col, "name").alias("cluster"),
        translated("tier", ranking, tier).alias("tier"),
        translated("category", ranking, category).alias("category"),
        named("lead_region", regions).alias("lead_city"),
        pl.col("score"),
        pl.col("score_change"),
        pl.col("rank_change"),
        pl.col("rank_low"), pl.col("rank_high"), pl.col("median_rank"),
        translated("size_band", ranking, band).alias("size_band"),
        (pl.col("output_value") / money).alias("output"), pl.col("output_value"),
        pl.col("employment"),
        pl.col("zones"),
        pl.col("indicators_used"), pl.col("indicators_total"), pl.col("n_ranked"),
        translated("note", ranking, note),
    )


def column_labels() -> dict[str, str]:
    """Internal column -> header in the current language (tables and exports)."""
    return {
        "cluster_code": t("code"), "rank": t("rank"), "cluster": t("cluster"), "tier": t("tier"),
        "category": t("category"), "lead_city": t("lead_region"), "score": t("score"),
        "score_change": t("score_change"), "rank_change": t("rank_change"), "rank_low": t("rank_low"),
        "rank_high": t("rank_high"), "median_rank": t("median_rank"), "size_band": t("size_band"),
        "output": t("output_unit"), "employment": t("employment_persons"), "zones": t("zones"),
        "indicators_used": t("indicators_used"), "indicators_total": t("indicators_total"),
        "n_ranked": t("n_ranked"), "note": t("note"), "interval": t("interval_short"),
    }


def number_columns() -> dict[str, object]:
    """The ranking's number columns, with the decimals of the formatting rules (pipeline/core/formatting.toml)."""
    from pipeline.core.formatting import kind_rule

    def decimals(kind: str, sign: str = "") -> str:
        return f"%{sign}.{kind_rule(kind).get('digits', 0)}f"

    lab = column_labels()
    return {
        lab["score"]: st.column_config.NumberColumn(format=decimals("score")),
        lab["score_change"]: st.column_config.NumberColumn(format=decimals("points", "+")),
        lab["rank_change"]: st.column_config.NumberColumn(format="%+d", help=t("rank_change_help")),
        lab["output"]: st.column_config.NumberColumn(format=decimals("money_100m" if lang() == "zh" else "money_bn")),
        lab["employment"]: st.column_config.NumberColumn(format="localized"),
        lab["rank_low"]: st.column_config.NumberColumn(format="%d"),
        lab["rank_high"]: st.column_config.NumberColumn(format="%d"),
    }


def pick_and_link(frame: pl.DataFrame, codes: list[str], *, key: str, column_config: dict | None = None,
                  height: int | str = "auto") -> None:
    """A table whose rows can be selected; the selected cluster's scorecard opens from a link below it."""
    event = data_table(frame, hide_index=True, column_config=column_config or {}, key=f"{key}_{lang()}",
                         on_select="rerun", selection_mode="single-row", height=height)
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    if rows:
        code = codes[rows[0]]
        st.page_link(SCORECARD, label=t("open_scorecard", name=frame.item(rows[0], t("cluster"))),
                     icon=":material/assignment:", query_params={"cluster": code})
    else:
        st.caption(t("select_row_hint"))


def top_clusters(ranking: pl.DataFrame, page: Page, *, n: int, key: str) -> None:
    """The ``n`` best-scored clusters (rank, name, tier, lead city, score and its change, output)."""
    frame = ranking_frame(ranking.filter(pl.col("score").is_not_null()).head(n), page)
    lab = column_labels()
    shown = frame.select([pl.col(k).alias(lab[k]) for k in ("rank", "cluster", "lead_city", "score",
                                                             "score_change")])
    small = {lab[k]: st.column_config.Column(width="small") for k in ("rank", "lead_city")}
    pick_and_link(shown, frame.get_column("cluster_code").to_list(), key=key, column_config=number_columns() | small)


def source_slug(page: Page) -> str:
    """What a download's data are, for its file name: ``release-2``, ``internal``; ``-synthetic`` for demo data (a
    CSV has no sheet to say it on)."""
    release = getattr(page.source, "release", None)
    slug = f"release-{release['number']}" if release else "internal"
    return slug + ("-synthetic" if page.build.get("demo_data") else "")


def ranking_downloads(page: Page, table: pl.DataFrame, year: int, filters: str) -> None:
    """The ranking as Excel (numbers stored as numbers, status on every sheet) and CSV (units in the headers,
    figures rounded as printed, the release or "internal" in the file name)."""
    from pipeline.core.formatting import header, kind_rule, stored
    from pipeline.reports.exports import neutralised, xlsx_bytes
    from ui.i18n import currency

    lab = column_labels()
    language = lang()
    money = "money_100m" if language == "zh" else "money_bn"
    output = header(t("output"), money, language, currency=currency())
    kinds = {lab["score"]: "score", lab["rank"]: "rank", lab["median_rank"]: "rank", lab["rank_low"]: "rank",
             lab["rank_high"]: "rank", output: money, lab["employment"]: "persons", lab["indicators_used"]: "count"}
    export = table.select([pl.col(k).alias(lab[k]) for k in ["cluster_code", "rank", "cluster", "tier", "lead_city",
                                                             "score", "median_rank", "rank_low", "rank_high"]]
                          + [pl.col("output_value").alias(output)]
                          + [pl.col(k).alias(lab[k]) for k in ["employment", "category", "indicators_used",
                                                               "note"]])
    about = [(t("ranking_export_title", year=year), ""), *build_facts(page), (t("filters"), filters)]
    status = page.status() or None
    stem = f"cluster-ranking-{year}-{source_slug(page)}-{language}"
    rounded = export.with_columns(  # the CSV holds the figures as printed: rounded, whole numbers as integers
        pl.col(col).map_elements(lambda v, k=k: stored(v, k), skip_nulls=True,
                                 return_dtype=pl.Int64 if kind_rule(k).get("digits", 0) == 0 else pl.Float64)
        for col, k in kinds.items() if col in export.columns)
    d = st.columns([1, 1, 4])
    with d[0]:
        download_xlsx(t("download_xlsx"), lambda: xlsx_bytes({t("nav_ranking"): export}, about=about,
                                                             about_sheet=t("about_sheet"), kinds=kinds,
                                                             status=status),
                      file_name=f"{stem}.xlsx", key="ranking_xlsx")
    with d[1]:
        st.download_button(t("download_csv"), lambda: neutralised(rounded).write_csv().encode("utf-8-sig"),
                           file_name=f"{stem}.csv", mime="text/csv",
                           key=f"ranking_csv_{language}", icon=":material/download:", on_click="ignore")

