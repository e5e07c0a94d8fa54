"""Regional render helpers: city values for maps, the map (a choropleth, proportional symbols at the seats, or a
bar chart when neither boundaries nor seats are known)."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from pipeline.ingest.boundaries import fingerprint
from ui import charts, data
from ui.components import Page
from ui.i18n import lang, money_word, t
from ui.i18n import measure as measure_label

#: what the overview map can show per city -> label key
CITY_VIEWS = {
    "total": "view_total", "change": "view_change", "share": "view_share", "cluster_strength": "view_strength",
    "hhi": "view_hhi", "entropy": "view_entropy", "krugman": "view_krugman", "diversity": "view_diversity",
}


def scaled_total(measure: str) -> tuple[float, str]:
    """(divisor, unit label) to show totals of ``measure`` in the units people read (亿元, 万人 ...)."""
    from schemas import KINDS

    col = KINDS["regional-industry"].columns.get(measure)
    dim = col.dimension if col else None
    if dim == "money":
        return (1e8, "亿" + money_word()) if lang() == "zh" else (1e9, "bn " + money_word())
    if dim == "persons":
        return (1e4, "万人") if lang() == "zh" else (1e3, "thousand")
    return 1.0, ""


def city_values(cities: pl.DataFrame, view: str, measure: str) -> tuple[dict[str, float | None], str, float | None,
                                                                          str]:
    """(region code -> value, d3 number format, diverging midpoint, unit) of one map view."""
    if cities.is_empty():
        return {}, ",.2f", None, ""
    unit = ""
    if view == "total":
        div, unit = scaled_total(measure)
        expr, fmt, mid = pl.col("value_total") / div, ",.1f", None
    elif view == "change":
        expr, fmt, mid = pl.col("value_total") / pl.col("value_total_previous") - 1, "+.1%", 0.0
    elif view == "share":
        expr, fmt, mid = pl.col("share"), ".1%", None
    elif view == "cluster_strength":
        expr, fmt, mid = pl.col("cluster_strength"), ".1%", None
    elif view == "diversity":
        expr, fmt, mid = pl.col("diversity").cast(pl.Float64), ",.0f", None
    else:
        expr, fmt, mid = pl.col(view), ".3f", None
    frame = cities.select("region_code", expr.alias("v"))
    return dict(frame.iter_rows()), fmt, mid, unit


def city_map(page: Page, values: dict[str, float | None], *, value_title: str, fmt: str, mid: float | None,
             name: str) -> None:
    """A choropleth of the cities from the boundary files; without them, proportional symbols at the cities' seats
    (the regions dictionary's ``lon``/``lat``); without either, a bar chart and a hint."""
    from ui import maps

    names = page.names("regions")
    features = boundary_features(page)
    if features:
        charts.show(maps.choropleth(features, values, names, value_title=value_title, fmt=fmt, mid=mid), name=name)
        missing = [names.get(code, code) for code in values if code not in {f["properties"]["region_code"]
                                                                              for f in features}]
        if missing:
            st.caption(t("map_missing", regions=", ".join(missing)))
        return
    seats = {r["code"]: (r["lon"], r["lat"]) for r in page.dicts["regions"].iter_rows(named=True)
             if r.get("lon") is not None and r.get("lat") is not None}
    if any(code in seats for code in values):
        charts.show(maps.symbols(seats, values, names, value_title=value_title, fmt=fmt, mid=mid), name=name)
        st.caption(t("map_symbols", folder=str(page.settings.data_dir / "boundaries")))
        return
    st.caption(t("no_boundaries", folder=str(page.settings.data_dir / "boundaries")))
    frame = pl.DataFrame({"city": [names.get(k, k) for k in values], "v": list(values.values())},
                         schema={"city": pl.String, "v": pl.Float64}).drop_nulls()
    d3 = fmt if fmt else ",.2f"
    charts.show(charts.hbar(frame, x="v", y="city", x_title=value_title, y_title=t("city"), fmt=d3), name=name)


def region_tiles(row: dict[str, Any], chosen: str, source: Any) -> list[tuple[str, str]]:
    """The region page's six tiles (total and change, share of the province, HHI, entropy, Krugman, cluster
    strength); a figure a release withheld shows its symbol, never 0. Returns the same figures as (label, text) for
    the page's export."""
    from ui import components as c
    from ui.disclosure import text

    hidden, weak = row.get("suppressed"), row.get("strength_suppressed")
    share, strength = row.get("share"), row.get("cluster_strength")
    figures = [
        (measure_label(chosen), text(row.get("value_total"), hidden, source, c.compact(chosen, row.get("value_total"))),
         text(row.get("value_total"), hidden, source, c.amount(chosen, row.get("value_total")))),
        (t("share_of_province"), text(share, hidden, source, f"{(share or 0) * 100:.1f}%"), None),
        (t("view_hhi"), text(row.get("hhi"), hidden, source, c.number(row.get("hhi"), 3)), None),
        (t("view_entropy"), text(row.get("entropy"), hidden, source, c.number(row.get("entropy"), 2)), None),
        (t("view_krugman"), text(row.get("krugman"), hidden, source, c.number(row.get("krugman"), 3)), None),
        (t("view_strength"), text(strength, weak, source, f"{(strength or 0) * 100:.1f}%"), None)]
    helps = [t("change_on_last_year") + " " + t("unit_is", unit=scaled_total(chosen)[1] or "–"), None,
             t("hhi_help", n=row.get("n_industries") or "–"), t("entropy_help"), t("krugman_help"),
             t("strength_help", n=row.get("n_strong") or 0)]
    labels = [measure_label(chosen), t("share_of_province"), t("view_hhi"), t("view_entropy"), t("krugman_short"),
              t("view_strength")]
    delta = c.pct_change(row.get("value_total"), row.get("value_total_previous"))
    for i, (col, (_, shown, _)) in enumerate(zip(st.columns(6), figures, strict=True)):
        col.metric(labels[i], shown, delta if i == 0 else None, help=helps[i])
    return [(label, full or shown) for label, shown, full in figures]


def boundary_features(page: Page) -> list[dict[str, Any]]:
    codes = tuple(page.dicts["regions"].get_column("code").to_list())
    data_dir = page.settings.data_dir
    return data.boundaries(str(data_dir), fingerprint(data_dir), codes)


def portfolio(categories: pl.DataFrame, axis: str, names: dict[str, str]) -> pl.DataFrame:
    """A region's cluster categories for the portfolio chart: LQ (x) against ``axis`` (lq_change or
    employment_growth), size = employment, and the quadrant on the same axes (LQ >= 1, change > 0: Star, and so
    on); the label column is ``category``."""
    from ui.i18n import quadrant

    frame = categories.filter(pl.col("employment").fill_null(0) > 0).drop_nulls(["lq", axis])
    high, rising = pl.col("lq") >= 1.0, pl.col(axis) > 0
    key = (pl.when(high & rising).then(pl.lit("Star")).when(high).then(pl.lit("Mature"))
           .when(rising).then(pl.lit("Emerging")).otherwise(pl.lit("Transforming")))
    labels = {k: quadrant(k) for k in ("Star", "Mature", "Emerging", "Transforming")}
    return frame.with_columns(key.replace_strict(labels, return_dtype=pl.String).alias("quadrant_label"),
                              pl.col("category_code").replace_strict(names, default=pl.col("category_code"),
                                                                     return_dtype=pl.String).alias("category"))


def code_ordered_table(cells: pl.DataFrame, value: str, region_order: list[str], column_order: list[str]
                       ) -> pl.DataFrame:
    """Region x industry cells (columns ``region``, ``industry`` and ``value``, names) as a wide table: rows in
    ``region_order`` and columns in ``column_order`` (the dictionaries' code order), not sorted by the names'
    characters; names missing from an order follow in the order they come."""
    wide = cells.pivot(on="industry", index="region", values=value, aggregate_function="first")
    rows = {name: i for i, name in enumerate(region_order)}
    wide = wide.sort(pl.col("region").replace_strict(rows, default=len(rows), return_dtype=pl.Int64),
                     maintain_order=True)
    present = [c for c in wide.columns if c != "region"]
    ordered = [c for c in column_order if c in set(present)] + [c for c in present if c not in set(column_order)]
    return wide.select("region", *ordered)
