"""Render helpers shared by the pages: banners, number formats, charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl
import streamlit as st

from pipeline.settings import Settings
from ui.i18n import lang, t


def banners(build: dict[str, Any] | None) -> None:
    """Say plainly what the user is looking at: demo data, single-user mode."""
    if build is not None and build.get("demo_data"):
        st.warning(t("synthetic_banner"), icon=":material/science:")
    st.caption(t("local_mode"))


@dataclass(frozen=True)
class Page:
    """What a page that reads scores needs: the settings, the live build and the years with scores."""

    settings: Settings
    build: dict[str, Any]
    path: str
    build_id: str
    years: list[int]


def scored_page(title_key: str) -> Page:
    """Title and banners; stops the page with a plain message when there is no data or no score yet."""
    from ui import data

    s = data.settings()
    build = data.current_build(s)
    st.title(t(title_key))
    banners(build)
    if build is None or build["uploads"] == 0:
        st.info(t("no_data"))
        st.stop()
    path, build_id = str(s.warehouse_path), build["build_id"]
    years = data.score_years(path, build_id)
    if not years:
        st.info(t("no_scores"))
        st.stop()
    return Page(s, build, path, build_id, years)


def build_caption(build: dict[str, Any], timezone: str) -> None:
    built = local_time(build["built_at"].isoformat(), timezone)
    st.caption(t("build", build_id=build["build_id"], built_at=built) + " · "
               + t("methodology", hash=build["methodology_hash"]))


def translated(column: str, frame: pl.DataFrame, label: Callable[[str], str]) -> pl.Expr:
    """``column`` with each value replaced by ``label(value)``, computed here in the script's thread (session
    language is not readable from polars' worker threads, so never call ``label`` inside ``map_elements``)."""
    values = [v for v in frame.get_column(column).unique().to_list() if v is not None]
    return pl.col(column).replace_strict({v: label(v) for v in values}, default=pl.col(column),
                                         return_dtype=pl.String)


def local_time(iso: str, timezone: str) -> str:
    """An ISO UTC timestamp shown in the bureau's time zone, to the minute."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        return datetime.fromisoformat(iso).astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
    except (ValueError, KeyError):
        return iso


def yuan(value: float | None) -> str:
    """Money for people: 亿元 in Chinese, billion yuan in English."""
    if value is None:
        return "–"
    if lang() == "zh":
        return f"{value / 1e8:,.0f} 亿元" if abs(value) >= 1e11 else f"{value / 1e8:,.1f} 亿元"
    return f"{value / 1e9:,.1f} bn yuan" if abs(value) >= 1e11 else f"{value / 1e9:,.2f} bn yuan"


def persons(value: float | None) -> str:
    if value is None:
        return "–"
    if lang() == "zh":
        return f"{value / 1e4:,.2f} 万人"
    return f"{value:,.0f} persons"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def pct_change(cur: float | None, prev: float | None) -> str | None:
    if cur is None or prev in (None, 0):
        return None
    return f"{(cur / prev - 1) * 100:+.1f}%"


def bar_chart(frame: pl.DataFrame, *, x: str, y: str, x_title: str, y_title: str, sort: str | None = "-x",
              rule: float | None = None, color: str | None = None) -> None:
    """A horizontal bar chart (Altair); ``rule`` draws a reference line at that x (e.g. LQ = 1)."""
    base = alt.Chart(frame.to_pandas())
    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:Q", title=x_title),
        "y": alt.Y(f"{y}:N", title=y_title, sort=sort),
        "tooltip": [alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{x}:Q", title=x_title, format=",.2f")],
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", legend=None)
    chart = base.mark_bar().encode(**enc)
    if rule is not None:
        chart = chart + alt.Chart(pl.DataFrame({"r": [rule]}).to_pandas()).mark_rule(
            color="#c0392b", strokeDash=[4, 3]
        ).encode(x="r:Q")
    st.altair_chart(chart, width="stretch")


def line_chart(frame: pl.DataFrame, *, x: str, y: str, x_title: str, y_title: str, reverse: bool = False,
               integer: bool = False) -> None:
    chart = alt.Chart(frame.to_pandas()).mark_line(point=True).encode(
        x=alt.X(f"{x}:O", title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(reverse=reverse, zero=False),
                axis=alt.Axis(format="d", tickMinStep=1) if integer else alt.Axis()),
        tooltip=[f"{x}:O", alt.Tooltip(f"{y}:Q", format=",.1f")],
    )
    st.altair_chart(chart, width="stretch")
