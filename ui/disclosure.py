"""How the app shows a release's suppressed cells (issue 17): the conventional symbol ("D" / "保密", the
methodology's ``[disclosure]`` symbols, as the release recorded them) where a figure was withheld, never a zero and
never an empty cell that reads as "no data", and a footnote that says what the symbol means. An internal build
(official or working) holds every figure and shows none of this: its banner says it is not for publication.

A frame read from a mart carries the mart's ``suppressed`` flag (false in a build, true where a release withheld a
figure of the row); :func:`mark` turns the chosen number columns into text for display: the figure formatted, the
symbol where it was withheld, "–" where there is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
import streamlit as st

from ui.i18n import lang, t


def report(source: Any) -> dict[str, Any] | None:
    """The disclosure report of the release a page shows (None: an internal build, or a release made before
    disclosure control)."""
    release = getattr(source, "release", None)
    return (release or {}).get("disclosure")


def symbol(source: Any) -> str:
    rules = (report(source) or {}).get("rules", {})
    return rules.get("symbol_zh", "保密") if lang() == "zh" else rules.get("symbol", "D")


def any_suppressed(frame: pl.DataFrame) -> bool:
    return "suppressed" in frame.columns and bool(frame.get_column("suppressed").fill_null(False).any())


def mark(frame: pl.DataFrame, columns: Sequence[str], source: Any, *, fmt: str = ",.2f") -> pl.DataFrame:
    """``frame`` with ``columns`` as text where a release withheld figures of its rows (formatted with ``fmt``, the
    symbol where withheld, "–" where missing); unchanged when nothing is withheld (numbers stay numbers)."""
    if not any_suppressed(frame):
        return frame
    sign = symbol(source)
    withheld = frame.get_column("suppressed").fill_null(False)
    out = frame
    for col in columns:
        if col not in frame.columns:
            continue
        text = [sign if w and v is None else "–" if v is None else format(v, fmt)
                for v, w in zip(frame.get_column(col).to_list(), withheld.to_list(), strict=True)]
        out = out.with_columns(pl.Series(col, text, dtype=pl.String))
    return out


def text(value: float | None, suppressed: bool | None, source: Any, formatted: str) -> str:
    """A single figure for a tile: ``formatted`` when there is a value, the symbol when it was withheld, else "–"."""
    if value is not None:
        return formatted
    return symbol(source) if suppressed else "–"


def footnote(source: Any, *, shown: bool = True) -> None:
    """The footnote under a table or chart of a protected release: what the symbol means and how many cells the
    release suppressed."""
    rep = report(source)
    if rep is None or not shown:
        return
    rules = rep["rules"]
    cells = sum(int(r["suppressed"]) for r in rep["tables"])
    dominance = "、".join(f"{n}/{k:g}%" for n, k in rules["dominance"]) if lang() == "zh" else \
        ", ".join(f"({n}, {k:g}%)" for n, k in rules["dominance"])
    st.caption(t("disclosure_footnote", symbol=symbol(source), n=rules["min_contributors"], dominance=dominance or "–",
                 cells=f"{cells:,}"))


__all__ = ["any_suppressed", "footnote", "mark", "report", "symbol", "text"]
