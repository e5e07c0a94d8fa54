"""Charts (Altair). Each builder takes frames whose labels are already in the reader's language and returns a chart;
:func:`show` draws it and offers it as a PNG (rendered with vl-convert only when the reader asks for it)."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from ui.i18n import lang, t

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
BLUE, RED, GREY, GREEN = "#1f5f8b", "#c0392b", "#8a99a8", "#2e8b57"
PALETTE = [BLUE, GREY, "#e0a030", GREEN, RED, "#7b5ea7", "#17becf", "#8c564b", "#e377c2", "#bcbd22"]
QUADRANT_COLOURS = {"Star": "#1f5f8b", "Mature": "#8a6d3b", "Emerging": "#2e8b57", "Transforming": "#c0392b"}


def _frame(frame: pl.DataFrame) -> Any:
    return frame.to_pandas()


def styled(chart: alt.TopLevelMixin, title: str | None = None) -> Any:
    if title:
        chart = chart.properties(title=title)
    return chart.configure(font=FONT).configure_axis(labelFontSize=11, titleFontSize=12, labelLimit=260
                                                     ).configure_title(fontSize=14, anchor="start")


def show(chart: Any, *, name: str, png: bool = True) -> None:
    """Draw ``chart`` across the page; with ``png`` a small button downloads it as a PNG image."""
    st.altair_chart(chart, width="stretch")
    if png:
        spec, status = chart.to_dict(), st.session_state.get("_status") or None

        def render() -> bytes:
            from pipeline.reports.exports import chart_png

            return chart_png(spec, status=status)  # the image says what its data are (release, internal, demo)

        st.download_button(t("download_png"), render, file_name=f"{name}.png", mime="image/png",
                           key=f"png_{name}_{lang()}", icon=":material/image:", type="tertiary",
                           on_click="ignore")


def hbar(frame: pl.DataFrame, *, x: str, y: str, x_title: str, y_title: str | None, title: str | None = None,
         rule: float | None = None, color: str | None = None, sort: str | None = "-x", fmt: str = ",.2f",
         tooltip: list[Any] | None = None) -> Any:
    """Horizontal bars, one per row; ``rule`` draws a reference line (e.g. LQ = 1)."""
    height = 80 + max(60, 26 * frame.height)  # Streamlit fits title, axes and legend into the height
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:Q", title=x_title),
        "y": alt.Y(f"{y}:N", title=y_title, sort=sort),
        "tooltip": tooltip or [alt.Tooltip(f"{y}:N", title=y_title or " "),
                               alt.Tooltip(f"{x}:Q", title=x_title, format=fmt)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", legend=alt.Legend(title=None, orient="bottom"))
    else:
        enc["color"] = alt.value(BLUE)
    chart = alt.Chart(_frame(frame)).mark_bar().encode(**enc).properties(height=height)
    if rule is not None:
        chart = chart + alt.Chart(_frame(pl.DataFrame({"r": [rule]}))).mark_rule(
            color=RED, strokeDash=[4, 3]).encode(x="r:Q")
    return styled(chart, title)


def lines(frame: pl.DataFrame, *, x: str, y: str, x_title: str, y_title: str, color: str | None = None,
          title: str | None = None, reverse: bool = False, integer: bool = False, fmt: str = ",.1f") -> Any:
    """Lines over ``x`` (years). The value axis starts at zero (a rank axis at 1, best at the top with
    ``reverse``), so that a change reads at its true size."""
    values = [v for v in frame.get_column(y).to_list() if v is not None] if frame.height else []
    scale = alt.Scale(reverse=reverse, domain=[1, max(values + [2])], nice=False) if integer and reverse else \
        alt.Scale(reverse=reverse, zero=True)
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y(f"{y}:Q", title=y_title, scale=scale,
                   axis=alt.Axis(format="d", tickMinStep=1) if integer else alt.Axis()),
        "tooltip": [alt.Tooltip(f"{x}:O", title=x_title), alt.Tooltip(f"{y}:Q", title=y_title, format=fmt)],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", legend=alt.Legend(title=None, orient="right", labelLimit=220))
        enc["tooltip"] = [alt.Tooltip(f"{color}:N", title=" "), *enc["tooltip"]]
    chart = alt.Chart(_frame(frame)).mark_line(point=True).encode(**enc).properties(height=320)
    return styled(chart, title)


def grouped_bars(frame: pl.DataFrame, *, category: str, value: str, series: str, title: str | None = None,
                 value_title: str, domain: tuple[float, float] | None = (0, 100)) -> Any:
    """Bars of ``value`` per ``category``, one bar per ``series`` side by side (e.g. cluster, median, peers)."""
    order = list(dict.fromkeys(frame.get_column(series).to_list()))
    chart = alt.Chart(_frame(frame)).mark_bar().encode(
        y=alt.Y(f"{category}:N", title=None, sort=None),
        yOffset=alt.YOffset(f"{series}:N", sort=order),
        x=alt.X(f"{value}:Q", title=value_title, scale=alt.Scale(domain=list(domain)) if domain else alt.Undefined),
        color=alt.Color(f"{series}:N", sort=order, scale=alt.Scale(range=PALETTE),
                        legend=alt.Legend(title=None, orient="bottom", labelLimit=320, columns=3)),
        tooltip=[alt.Tooltip(f"{category}:N", title=" "), alt.Tooltip(f"{series}:N", title=" "),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=",.1f")],
    ).properties(height=110 + 44 * frame.get_column(category).n_unique())
    return styled(chart, title)


def waterfall(steps: pl.DataFrame, *, title: str | None = None, value_title: str) -> Any:
    """``steps``: label, value, kind (total | up | down) in order; totals stand on 0, the others float."""
    rows, level = [], 0.0
    for i, (label, value, kind) in enumerate(steps.select("label", "value", "kind").iter_rows()):
        if kind == "total":
            start, end, level = 0.0, value, value
        else:
            start, end = level, level + value
            level = end
        rows.append({"order": i, "label": label, "start": start, "end": end, "value": value,
                     "kind": kind, "text": f"{value:+.2f}" if kind != "total" else f"{value:.2f}"})
    frame = pl.DataFrame(rows)
    # the scale spans the levels the steps pass through (totals from 0 would flatten the steps to lines); total
    # bars start at the bottom of that scale, which is said on the axis
    levels = [v for r in rows for v in ((r["end"],) if r["kind"] == "total" else (r["start"], r["end"]))]
    span = (max(levels) - min(levels)) or 1.0
    lo, hi = min(levels) - 0.25 * span, max(levels) + 0.15 * span
    frame = frame.with_columns(pl.when(pl.col("kind") == "total").then(pl.lit(lo)).otherwise(pl.col("start"))
                               .alias("start"))
    colours = alt.Scale(domain=["total", "up", "down"], range=[GREY, GREEN, RED])
    base = alt.Chart(_frame(frame)).encode(x=alt.X("label:N", sort=alt.SortField("order"), title=None,
                                                   axis=alt.Axis(labelAngle=-30, labelLimit=180,
                                                                 labelOverlap=False)))
    if lo > 0:  # the axis does not start at zero: say so where the reader looks (axis title and a broken base)
        value_title = t("axis_from", title=value_title, start=f"{lo:,.1f}")
    bars = base.mark_bar(size=30).encode(
        y=alt.Y("start:Q", title=value_title, scale=alt.Scale(domain=[lo, hi], zero=False, nice=False,
                                                               clamp=True)), y2="end:Q",
        color=alt.Color("kind:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("value:Q", title=value_title, format="+,.2f")])
    labels = base.mark_text(dy=-7, fontSize=10).encode(y=alt.Y("end:Q"), text="text:N")
    layers = bars + labels
    if lo > 0:  # a zigzag at the foot of the total bars: the conventional sign of a broken axis
        breaks = frame.filter(pl.col("kind") == "total").select("label", pl.lit(lo + 0.02 * (hi - lo)).alias("y"))
        layers = layers + alt.Chart(_frame(breaks)).mark_text(text="≈", fontSize=18, color="white", dy=2).encode(
            x=alt.X("label:N", sort=alt.SortField("order")), y=alt.Y("y:Q"))
    return styled(layers.properties(height=460), title)


def intervals(frame: pl.DataFrame, *, label: str, rank: str, low: str, high: str, title: str | None = None,
              x_title: str) -> Any:
    """Each row's rank as a dot on its 90% interval (a bar from ``low`` to ``high``); rank 1 on the left."""
    height = 80 + max(60, 24 * frame.height)
    ranks = [v for col in (low, high, rank) for v in frame.get_column(col).to_list() if v is not None]
    top = max(ranks + [1.0])
    base = alt.Chart(_frame(frame)).encode(y=alt.Y(f"{label}:N", sort=None, title=None,
                                                   axis=alt.Axis(labelOverlap=False, labelLimit=220)))
    # ranks from 1 (the best) to the worst shown, padded by half a rank so the end dots stay inside the frame
    bar = base.mark_bar(size=8, color="#b8cfe0").encode(
        x=alt.X(f"{low}:Q", title=x_title, scale=alt.Scale(domain=[0.5, top + 0.5], nice=False, clamp=True),
                axis=alt.Axis(format="d", tickMinStep=1)), x2=f"{high}:Q",
        tooltip=[alt.Tooltip(f"{label}:N", title=" "), alt.Tooltip(f"{rank}:Q", title=t("rank")),
                 alt.Tooltip(f"{low}:Q", title=t("rank_low")), alt.Tooltip(f"{high}:Q", title=t("rank_high"))])
    dot = base.mark_point(filled=True, size=45, color=BLUE).encode(x=f"{rank}:Q")
    return styled((bar + dot).properties(height=height), title)


def bubbles(frame: pl.DataFrame, *, x: str, y: str, size: str, label: str, colour: str, x_title: str, y_title: str,
            size_title: str, quadrant_labels: dict[str, str], title: str | None = None, y_format: str = "%") -> Any:
    """The cluster portfolio: LQ (x) against growth (y), bubble size = employment, quadrants labelled; rules at
    LQ 1 and growth 0. ``colour`` holds the quadrant key (Star, Mature, Emerging, Transforming)."""
    data = frame.drop_nulls([x, y])
    if data.is_empty():
        return None
    x_max = max(2.0, float(data.get_column(x).max()) * 1.12)
    y_vals = data.get_column(y)
    reach = max(abs(float(y_vals.min())), abs(float(y_vals.max())), 0.05) * 1.3  # room for the quadrant labels
    y_lo, y_hi = -reach, reach
    shown = [quadrant_labels[k] for k in QUADRANT_COLOURS]
    scale = alt.Scale(domain=shown, range=list(QUADRANT_COLOURS.values()))
    points = alt.Chart(_frame(data)).mark_circle(opacity=0.7, stroke="white", strokeWidth=0.5).encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=alt.Scale(domain=[0, x_max])),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=y_format), scale=alt.Scale(domain=[y_lo, y_hi])),
        size=alt.Size(f"{size}:Q", title=size_title, scale=alt.Scale(range=[30, 1200]), legend=None),
        color=alt.Color(f"{colour}:N", scale=scale, legend=alt.Legend(title=None, orient="bottom")),
        tooltip=[alt.Tooltip(f"{label}:N", title=" "), alt.Tooltip(f"{x}:Q", title=x_title, format=".2f"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format="+.1%" if y_format == "%" else "+.3f"),
                 alt.Tooltip(f"{size}:Q", title=size_title, format=",.0f")])
    rules = alt.Chart(_frame(pl.DataFrame({"x": [1.0]}))).mark_rule(color=GREY, strokeDash=[4, 3]).encode(x="x:Q")
    zero = alt.Chart(_frame(pl.DataFrame({"y": [0.0]}))).mark_rule(color=GREY, strokeDash=[4, 3]).encode(y="y:Q")
    corners = pl.DataFrame({
        "x": [x_max * 0.99, x_max * 0.99, x_max * 0.01, x_max * 0.01],
        "y": [y_hi * 0.93, y_lo * 0.93, y_hi * 0.93, y_lo * 0.93],
        "text": [quadrant_labels[k] for k in ("Star", "Mature", "Emerging", "Transforming")],
        "align": ["right", "right", "left", "left"]})
    right = alt.Chart(_frame(corners.filter(pl.col("align") == "right"))).mark_text(
        align="right", fontWeight="bold", color=GREY, fontSize=12).encode(x="x:Q", y="y:Q", text="text:N")
    left = alt.Chart(_frame(corners.filter(pl.col("align") == "left"))).mark_text(
        align="left", fontWeight="bold", color=GREY, fontSize=12).encode(x="x:Q", y="y:Q", text="text:N")
    return styled((rules + zero + points + right + left).properties(height=480), title)


def colour_scale(values: list[float | None], mid: float | None) -> alt.Scale:
    """Blue below ``mid``, red above, symmetric and clamped at the 95th percentile of the distance from ``mid``
    (a few extreme values would otherwise wash out everything else); a sequential blue scale without ``mid``."""
    if mid is None:
        return alt.Scale(scheme="blues")
    dist = sorted(abs(v - mid) for v in values if v is not None)
    reach = dist[int(0.95 * (len(dist) - 1))] if dist else 1.0
    reach = reach or 1.0
    lo = max(0.0, mid - reach) if mid > 0 else mid - reach
    return alt.Scale(scheme="redblue", reverse=True, domain=[lo, mid, mid + reach], clamp=True)


def heatmap(frame: pl.DataFrame, *, x: str, y: str, value: str, x_title: str | None, y_title: str | None,
            value_title: str, mid: float | None = None, title: str | None = None, fmt: str = ".2f",
            x_sort: list[str] | None = None, y_sort: list[str] | None = None,
            marked: pl.DataFrame | None = None, mark: str = "") -> Any:
    """A grid coloured by ``value`` (diverging around ``mid`` when given); ``y`` holds the long names. ``x_sort`` and
    ``y_sort``: the labels in the order the axes list them (the dictionaries' code order); without them an axis is in
    the order of the frame's rows, never sorted by the labels' characters. ``marked``: cells (``x``, ``y``) drawn
    grey with the text ``mark`` instead of a colour (a release's withheld cells: "D" / "保密")."""
    n_y = frame.get_column(y).n_unique()
    scale = colour_scale(frame.get_column(value).to_list(), mid)

    def order(column: str, given: list[str] | None) -> list[str]:
        present = frame.get_column(column).cast(pl.String).unique(maintain_order=True).to_list()
        return [v for v in given if v in set(present)] + [v for v in present if v not in set(given)] if given \
            else present

    chart = alt.Chart(_frame(frame)).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X(f"{x}:N", title=x_title, sort=order(x, x_sort),
                axis=alt.Axis(labelAngle=-40, orient="top", labelLimit=90, labelOverlap=False)),
        y=alt.Y(f"{y}:N", title=y_title, sort=order(y, y_sort), axis=alt.Axis(labelLimit=320)),
        color=alt.Color(f"{value}:Q", title=value_title, scale=scale,
                        legend=alt.Legend(orient="right", format=fmt)),
        tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{x}:N", title=x_title),
                 alt.Tooltip(f"{value}:Q", title=value_title, format=fmt)],
    ).properties(height=140 + max(120, 24 * n_y))
    if marked is not None and not marked.is_empty():
        keys = marked.select(x, y).with_columns(mark=pl.lit(mark))
        xs, ys = alt.X(f"{x}:N", sort=order(x, x_sort)), alt.Y(f"{y}:N", sort=order(y, y_sort))
        grey = alt.Chart(_frame(keys)).mark_rect(stroke="white", strokeWidth=0.5, color="#e4e4e4").encode(
            x=xs, y=ys, tooltip=[alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{x}:N", title=x_title),
                                 alt.Tooltip("mark:N", title=value_title)])
        text = alt.Chart(_frame(keys)).mark_text(fontSize=10, color="#555555").encode(x=xs, y=ys, text="mark:N")
        chart = alt.layer(chart, grey, text)
    return styled(chart, title)
