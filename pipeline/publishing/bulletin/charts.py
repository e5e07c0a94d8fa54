"""The bulletin's figures as Vega-Lite charts (Altair), rendered to PNG by vl-convert with the CJK fonts registered
(:func:`pipeline.reports.exports.chart_png`). Bars start at zero: their length is the value."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from pipeline.core.formatting import d3_format, stored
from pipeline.publishing.bulletin.content import TOP, name_in, units_of


def _font(doc: dict[str, Any]) -> dict[str, Any]:
    face = doc["fonts"]["body"]
    return {"font": face, "axis": {"labelFont": face, "titleFont": face, "labelFontSize": 12, "titleFontSize": 12},
            "view": {"stroke": None}}


def scores_chart(doc: dict[str, Any], ranking: pl.DataFrame) -> dict[str, Any]:
    """The top clusters' composite scores as horizontal bars from zero, best at the top."""
    lang, tw = doc["lang"], doc["words"]["table"]
    top = ranking.head(TOP)
    data = pl.DataFrame({"name": [name_in(r, lang) for r in top.iter_rows(named=True)],
                         "score": [stored(v, "score") for v in top.get_column("score").to_list()]})
    chart = alt.Chart(alt.Data(values=data.to_dicts())).mark_bar(color="#2f5d8a").encode(
        y=alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("score:Q", title=tw["chart_scores_axis"], scale=alt.Scale(domain=[0, 100], zero=True),
                axis=alt.Axis(format="d")),
    ).properties(width=360, height=18 * data.height)
    text = chart.mark_text(align="left", dx=3, fontSize=11).encode(text=alt.Text("score:Q", format=".1f"))
    return (chart + text).configure(**_font(doc)).to_dict()


def cities_chart(doc: dict[str, Any], ranking: pl.DataFrame, currency: str) -> dict[str, Any]:
    """Gross output value of the clusters each city leads, bars from zero, in the bulletin's money unit."""
    from pipeline.core.formatting import header

    lang, tw = doc["lang"], doc["words"]["table"]
    money, _ = units_of(lang)
    names = {c["code"]: c["name"] for c in doc["cities"]}
    sums = ranking.group_by("lead_region").agg(pl.col("output_value").sum()).filter(
        pl.col("lead_region").is_in(list(names)))
    data = [{"city": names[r["lead_region"]], "value": stored(r["output_value"], money)}
            for r in sums.sort("output_value", descending=True).iter_rows(named=True)]
    chart = alt.Chart(alt.Data(values=data)).mark_bar(color="#2f5d8a").encode(
        y=alt.Y("city:N", sort=None, title=None),
        x=alt.X("value:Q", title=header(tw["chart_cities_axis"], money, lang, currency=currency),
                scale=alt.Scale(zero=True), axis=alt.Axis(format=d3_format(money).replace("f", "~f"))),
    ).properties(width=360, height=20 * len(data))
    return chart.configure(**_font(doc)).to_dict()


__all__ = ["cities_chart", "scores_chart"]
