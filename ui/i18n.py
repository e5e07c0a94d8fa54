"""Labels in Chinese and English. ``t(key)`` returns the label in the session's language (Chinese by default).

The labels themselves are in :mod:`ui.labels`. Never call ``t`` (or any helper here) inside polars'
``map_elements``: the session language is not readable from polars' worker threads (see
:func:`ui.components.translated`). Widgets whose option labels depend on the language carry the language in
their key, so that a language switch redraws them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui.labels import CATEGORIES_ZH, LABELS, QUADRANTS_ZH, SIZE_BANDS_ZH

LANGS = {"zh": "中文", "en": "English"}


def lang() -> str:
    return st.session_state.get("lang", "zh")


def t(key: str, **fmt: Any) -> str:
    """The label ``key`` in the current language, formatted with ``fmt``."""
    en, zh = LABELS.get(key, (key, key))
    text = zh if lang() == "zh" else en
    return text.format(**fmt) if fmt else text


def measure(code: str) -> str:
    """A measure's column title (from the upload schemas) in the current language."""
    from schemas import KINDS

    for kind in ("regional-industry", "cluster-indicators", "firms"):
        col = KINDS[kind].columns.get(code)
        if col is not None:
            return col.title_zh if lang() == "zh" else col.title
    return code


def category(text: str | None) -> str:
    """A cluster category in the current language (known categories only; others as uploaded)."""
    if not text:
        return "–"
    return CATEGORIES_ZH.get(text, text) if lang() == "zh" else text


def band(label: str | None) -> str:
    """A size band (stored in English) in the current language."""
    if not label:
        return "–"
    return SIZE_BANDS_ZH.get(label, label) if lang() == "zh" else label.replace("billion", "bn yuan")


def tier(code: str | None) -> str:
    return t(f"{code}_tier") if code in ("mainstay", "emerging") else (code or "–")


def quadrant(name: str | None) -> str:
    """A cluster-portfolio quadrant (Star, Mature, Emerging, Transforming) in the current language."""
    if not name:
        return "–"
    return QUADRANTS_ZH.get(name, name) if lang() == "zh" else name


def name_of(row: dict[str, Any], base: str = "name") -> str:
    """A record's name in the current language (the Chinese name when no English one is given)."""
    if lang() == "en" and row.get(f"{base}_en"):
        return str(row[f"{base}_en"])
    return str(row.get(base) or row.get("code") or "")


def name_zh_en(row: dict[str, Any], base: str = "name") -> str:
    """For records whose names come as ``name`` (English) and ``name_zh`` (methodology nodes, indicators)."""
    if lang() == "zh":
        return str(row.get(f"{base}_zh") or row.get(base) or "")
    return str(row.get(base) or row.get(f"{base}_zh") or "")


def labels_for(options: Any, label: Any) -> Any:
    """A ``format_func`` for a widget: the labels of ``options`` computed now, in the script's thread, and looked
    up later (Streamlit's test harness calls a widget's ``format_func`` outside the script, where the session
    language cannot be read)."""
    table = {o: label(o) for o in options}
    return lambda o: table.get(o, str(o))
