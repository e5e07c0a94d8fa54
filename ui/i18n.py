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


#: The province's words and what they become for a dataset that is not a province's cities (a country's states,
#: a city's districts): "region" for "city", "the total" for "the province". Whole words only (no "electricity").
_PLACE_WORDS = {
    "en": [(r"\bcities\b", "regions"), (r"\bCities\b", "Regions"), (r"\bcity's\b", "region's"),
           (r"\bcity\b", "region"), (r"\bCity\b", "Region"), (r"\bprovincial\b", "total"),
           (r"\bProvincial\b", "Total"), (r"\bthe province\b", "the total"), (r"\bThe province\b", "The total"),
           (r"\bprovince\b", "total"), (r"\bProvince\b", "Total")],
    "zh": [("各城市", "各地区"), ("城市", "地区"), ("本市", "本地区"), ("全省", "全部地区"), ("省内", "区域内")],
}


#: canonical money unit -> (Chinese word, English word): 亿元 / bn yuan, 亿美元 / bn USD, 亿欧元 / bn EUR
MONEY_WORDS = {"yuan": ("元", "yuan"), "USD": ("美元", "USD"), "EUR": ("欧元", "EUR")}


def set_money(unit: str | None) -> None:
    """The build's currency (its money measures' canonical unit, ``mart_measure_unit``), for every amount shown."""
    st.session_state["_money"] = unit if unit in MONEY_WORDS else "yuan"


def note(text: str | None, names: dict[str, str] | None = None) -> str | None:
    """A data-quality note of the warehouse (written in English) in the current language (ui.notes)."""
    if text is None or lang() != "zh":
        return text
    from ui.notes import note_zh

    return note_zh(text, names)


def currency() -> str:
    """The build's currency code (yuan, USD, EUR), as the formatting rules name it."""
    return str(st.session_state.get("_money", "yuan"))


def money_word() -> str:
    """元 / yuan, 美元 / USD ... in the current language, for the build's currency."""
    zh, en = MONEY_WORDS[st.session_state.get("_money", "yuan")]
    return zh if lang() == "zh" else en


def set_places(*, unit_is_city: bool, whole_is_province: bool) -> None:
    """Tell ``t`` which words fit the dataset on screen: a province's cities (the default), or regions of another
    kind (then "city" reads "region" and "the province" reads "the total"). Called by each page's prologue."""
    st.session_state["_places"] = "province" if unit_is_city and whole_is_province else "regions"


def places(text: str, language: str) -> str:
    """``text`` with the province's words replaced by general ones (see :data:`_PLACE_WORDS`)."""
    import re

    for old, new in _PLACE_WORDS[language]:
        text = re.sub(old, new, text) if language == "en" else text.replace(old, new)
    return text


def t(key: str, **fmt: Any) -> str:
    """The label ``key`` in the current language, formatted with ``fmt``; for a dataset that is not a province's
    cities, with general words for "city" and "province" (:func:`set_places`)."""
    en, zh = LABELS.get(key, (key, key))
    language = lang()
    text = zh if language == "zh" else en
    if st.session_state.get("_places", "province") != "province":
        text = places(text, language)
    if st.session_state.get("_money", "yuan") != "yuan":
        text = in_currency(text, language)
    return text.format(**fmt) if fmt else text


def in_currency(text: str, language: str) -> str:
    """``text`` with yuan (元, 万元, 亿元 ...) said in the build's currency; other 元 (多元化) untouched."""
    import re

    word = money_word()
    if language == "en":
        return re.sub(r"\byuan\b", word, text)
    return re.sub(r"(?<=[亿万千百十\d（(\s])元|^元|元(?=[/）)])", word, text)


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
    if lang() == "zh":
        return SIZE_BANDS_ZH.get(label, label).replace("亿元", "亿" + money_word())
    return label.replace("billion", "bn " + money_word())


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


def local_time(iso: str, timezone: str) -> str:
    """An ISO UTC timestamp shown in the bureau's time zone, to the minute."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    try:
        return datetime.fromisoformat(str(iso)).astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
    except (ValueError, KeyError, TypeError):
        return str(iso)
