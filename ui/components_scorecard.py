"""The cluster scorecard's sections, each as a frame in the reader's language (shown on the page and put into the
Excel and HTML exports, so both say exactly what the page says)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from ui.components_jobs import explanation
from ui.i18n import band, category, lang, money_word, name_zh_en, note, t, tier
from ui.labels import UNITS_ZH

WATERFALL_STEPS = 6  # indicators shown one by one in the change waterfall; the rest are summed


def unit_label(unit: str | None) -> str:
    if not unit:
        return ""
    return UNITS_ZH.get(unit, unit) if lang() == "zh" else unit


def shown_value(value: float | None, unit: str | None) -> tuple[float | None, str]:
    """A raw value in the unit people read: yuan as 亿元 (Chinese) or bn yuan (English), others unchanged."""
    if value is None:
        return None, unit_label(unit)
    if unit == "yuan":  # the methodology's word for money: the build's currency
        return (value / 1e8, "亿" + money_word()) if lang() == "zh" else (value / 1e9, "bn " + money_word())
    return value, unit_label(unit)


def pillar_names(pillars: pl.DataFrame) -> dict[str, str]:
    return {r["code"]: name_zh_en(r) for r in pillars.iter_rows(named=True)}


def pillar_frame(pillars: pl.DataFrame) -> pl.DataFrame:
    """Pillars (and the index) with the cluster's score, the median of all clusters and its peer group's mean."""
    rows = [{t("pillar"): name_zh_en(r), t("score"): r["score"], t("rank"): r["rank"],
             t("median"): r["median_score"], t("peer_mean"): r["peer_mean"], t("weight"): r["weight"],
             t("coverage"): r["coverage"]} for r in pillars.iter_rows(named=True)]
    return pl.DataFrame(rows, schema={t("pillar"): pl.String, t("score"): pl.Float64, t("rank"): pl.Int64,
                                      t("median"): pl.Float64, t("peer_mean"): pl.Float64,
                                      t("weight"): pl.Float64, t("coverage"): pl.Float64})


def pillar_long(pillars: pl.DataFrame) -> pl.DataFrame:
    """Long frame for the grouped bar chart: pillar, series (this cluster, median, peer group), value."""
    rows = []
    for r in pillars.filter(pl.col("level") != "index").iter_rows(named=True):
        for series, col in ((t("this_cluster"), "score"), (t("median"), "median_score"),
                            (t("peer_mean"), "peer_mean")):
            rows.append({"pillar": name_zh_en(r), "series": series, "value": r[col]})
    return pl.DataFrame(rows, schema={"pillar": pl.String, "series": pl.String, "value": pl.Float64})


def indicator_frame(ind: pl.DataFrame, pillars: dict[str, str]) -> pl.DataFrame:
    """Every indicator: pillar, name, raw value, unit, normalised score, median, percentile, weight, direction and
    a flag for values not reported or treated before scoring."""
    rows = []
    for r in ind.iter_rows(named=True):
        value, unit = shown_value(r["raw_value"], r["unit"])
        if r["raw_value"] is None:
            flag = t("flag_missing")
        elif r["treatment"]:
            treated, _ = shown_value(r["treated_value"], r["unit"])
            flag = t("flag_treated", how=t(f"treatment_{r['treatment'].replace(' ', '_')}"), value=f"{treated:,.4g}")
        else:
            flag = ""
        rows.append({
            t("pillar"): pillars.get(r["pillar"], r["pillar"]), t("indicator"): name_zh_en(r, "indicator_name"),
            t("raw_value"): value, t("unit"): unit, t("normalised"): r["normalised"],
            t("median"): r["median_normalised"], t("percentile"): r["percentile"], t("weight"): r["weight"],
            t("direction"): "↑" if (r["direction"] or 1) > 0 else "↓", t("flag"): flag,
        })
    schema = {t("pillar"): pl.String, t("indicator"): pl.String, t("raw_value"): pl.Float64, t("unit"): pl.String,
              t("normalised"): pl.Float64, t("median"): pl.Float64, t("percentile"): pl.Float64,
              t("weight"): pl.Float64, t("direction"): pl.String, t("flag"): pl.String}
    return pl.DataFrame(rows, schema=schema)


def located_in(head: dict[str, Any]) -> list[str]:
    """The regions a named cluster is in: its lead region, then its member regions."""
    return [head["lead_region"], *[r for r in (head.get("member_regions") or "").split(";") if r]]


def city_label(lq: pl.DataFrame, regions: dict[str, str]) -> pl.Expr:
    """Each city's name, marked where the cluster itself is (沈阳市（牵头城市）, Tieling (member city)): its category
    is measured in every city, the cluster is located only in its lead and member cities (column ``role``)."""
    roles = {r: t(f"role_{r}") for r in ("lead", "member")}
    name = pl.col("region_code").replace_strict(regions, default=pl.col("region_code"), return_dtype=pl.String)
    mark = pl.col("role").replace_strict(roles, default=None, return_dtype=pl.String) if "role" in lq.columns \
        else pl.lit(None, pl.String)
    opening, closing = ("（", "）") if lang() == "zh" else (" (", ")")
    return pl.when(mark.is_not_null()).then(name + opening + mark + closing).otherwise(name)


def identity_line(head: dict[str, Any], regions: dict[str, str], categories: dict[str, str]) -> str:
    """Tier · sector · category · lead city · member cities · size band, for the scorecard's header."""
    members = [regions.get(r, r) for r in located_in(head)[1:]]
    return " · ".join([tier(head["tier"]), category(head["category"]),
                       t("category_is", category=categories.get(head["category_code"], head["category_code"])),
                       t("lead_city_is", city=regions.get(head["lead_region"], head["lead_region"])),
                       *([t("member_cities_are", cities="、".join(members))] if members else []),
                       band(head["size_band"])])


def indicator_rank_text(r: dict[str, Any]) -> str:
    """"3 of 118", and when some ranked clusters lack the indicator, how many ("... (2 without this indicator)")."""
    n, n_all = r.get("indicator_n"), r.get("n_ranked")
    if n is not None and n_all is not None and n < n_all:
        return t("rank_of_missing", rank=r["indicator_rank"], n=n, missing=n_all - n)
    return t("rank_of", rank=r["indicator_rank"], n=n)


def strengths_frame(sw: pl.DataFrame, pillars: dict[str, str]) -> pl.DataFrame:
    rows = [{t("kind_sw"): t(r["kind"]), t("indicator"): name_zh_en(r, "indicator_name"),
             t("pillar"): pillars.get(r["pillar"], r["pillar"]),
             t("indicator_rank"): indicator_rank_text(r)}
            for r in sw.iter_rows(named=True)]
    return pl.DataFrame(rows, schema={t("kind_sw"): pl.String, t("indicator"): pl.String, t("pillar"): pl.String,
                                      t("indicator_rank"): pl.String})


def waterfall_steps(change: pl.DataFrame) -> pl.DataFrame | None:
    """Previous score -> the largest indicator contributions -> the rest -> other clusters' moves -> this score."""
    if change.is_empty():
        return None
    head = change.row(0, named=True)
    parts = change.filter(pl.col("kind") == "indicator").sort(pl.col("contribution").abs(), descending=True)
    steps = [(t("score_in", year=head["previous_year"]), head["previous_score"], "total")]
    for r in parts.head(WATERFALL_STEPS).iter_rows(named=True):
        steps.append((name_zh_en(r, "indicator_name"), r["contribution"], _sign(r["contribution"])))
    rest = parts.slice(WATERFALL_STEPS).get_column("contribution").sum()
    if parts.height > WATERFALL_STEPS:
        steps.append((t("other_indicators", n=parts.height - WATERFALL_STEPS), rest, _sign(rest)))
    for kind, key in (("reference", "effect_reference"), ("other", "effect_other")):
        value = change.filter(pl.col("kind") == kind).get_column("contribution").sum()
        if abs(value) >= 0.005:
            steps.append((t(key), value, _sign(value)))
    year = int(head["previous_year"]) + 1 if head["previous_year"] is not None else ""
    steps.append((t("score_in", year=year), head["score"], "total"))
    return pl.DataFrame(steps, schema={"label": pl.String, "value": pl.Float64, "kind": pl.String}, orient="row")


def _sign(value: float) -> str:
    return "up" if value >= 0 else "down"


def change_items(changes: dict[str, Any], names: dict[str, str], indicator_names: dict[str, str]) -> pl.DataFrame:
    """A cluster's part of the newest change report: score moves and threshold crossings."""
    rows = []
    for m in changes.get("moves", []):
        before, after = m.get("score_before"), m.get("score")
        rows.append({t("year"): m.get("year"), t("what"): t("report_score_move"),
                     t("before"): "–" if before is None else f"{before:.2f}",
                     t("after"): "–" if after is None else f"{after:.2f}",
                     t("detail"): t("report_rank", before=m.get("rank_before") or "–", after=m.get("rank") or "–")
                     + (f"; {explanation(m['explanation'], indicator_names)}" if m.get("explanation") else "")})
    for x in changes.get("crossings", []):
        where = names.get(x.get("region_code"), x.get("region_code") or "")
        if "size_band" in x:
            what, before, after = t("report_size_band"), x.get("size_band_before"), x.get("size_band")
        elif str(x.get("flag", "")).endswith(".strong"):
            what, before, after = t("report_category_strong"), x.get("lq_before"), x.get("lq")
        else:
            what = t("report_category_specialisation" if "category_code" in x else "report_specialisation",
                     measure=x.get("measure", ""))
            before, after = x.get("lq_before"), x.get("lq")
        rows.append({t("year"): x.get("year"), t("what"): what, t("before"): str(before), t("after"): str(after),
                     t("detail"): f"{where} {t('gained') if x.get('change') == 'gained' else ''}".strip()})
    return pl.DataFrame(rows, schema={t("year"): pl.Int64, t("what"): pl.String, t("before"): pl.String,
                                      t("after"): pl.String, t("detail"): pl.String})


def firm_frame(firms: pl.DataFrame, measure_label: Any) -> pl.DataFrame:
    return firms.select(
        pl.col("measure").replace_strict({m: measure_label(m) for m in firms.get_column("measure").unique()},
                                         default=pl.col("measure"), return_dtype=pl.String).alias(t("measure")),
        pl.col("n_units").alias(t("firms")), pl.col("hhi").alias("HHI"), pl.col("cr4").alias("CR4"),
        pl.col("equivalent_number").alias(t("equivalent_number")),
        pl.col("hhi_normalised").alias(t("hhi_normalised")))


def score_notice(head: dict[str, Any]) -> None:
    """Why a cluster's header shows no score: the release withholds every score (its methodology's [disclosure]
    scores = "withheld"), or the cluster is not scored this year (its note says why)."""
    if head["note"] == "withheld":
        st.info(t("scores_withheld"))
    elif head["score"] is None and head["note"]:
        st.warning(t("not_scored", note=note(head["note"])))
