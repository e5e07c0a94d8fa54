"""Cached loaders for the pages. Each takes the live build id, so a new build refreshes them; none keeps a
warehouse connection open (the queries in :mod:`warehouse.queries` open and close their own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from pipeline.ops import OpsStore, Upload
from pipeline.settings import Settings
from warehouse import queries


def settings() -> Settings:
    """The app's settings, from CLUSTERSTATS_DATA_DIR (set by `clusterstats serve`)."""
    return Settings.from_env()


def current_build(s: Settings, *, stop_if_stale: bool = True) -> dict[str, Any] | None:
    """The live build (not cached: it is how the pages notice a new build). A warehouse built by another version
    of clusterstats is said plainly, and the page stops there unless it can rebuild (the upload page)."""
    build = queries.build_info(s.warehouse_path)
    if build is not None and not queries.is_current(build):
        from ui.i18n import t

        st.error(t("stale_build"))
        if stop_if_stale:
            st.stop()
    return build


@st.cache_data(show_spinner=False, max_entries=64)
def score_years(path: str, build_id: str) -> list[int]:
    return queries.score_years(Path(path))


@st.cache_data(show_spinner=False, max_entries=64)
def overview_kpis(path: str, build_id: str, year: int) -> dict[str, Any] | None:
    return queries.overview_kpis(Path(path), year)


@st.cache_data(show_spinner=False, max_entries=64)
def size_bands(path: str, build_id: str, year: int) -> pl.DataFrame:
    return queries.size_bands(Path(path), year)


@st.cache_data(show_spinner=False, max_entries=64)
def cluster_list(path: str, build_id: str, year: int) -> pl.DataFrame:
    return queries.cluster_list(Path(path), year)


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_header(path: str, build_id: str, code: str, year: int) -> dict[str, Any] | None:
    return queries.cluster_header(Path(path), code, year)


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_indicators(path: str, build_id: str, code: str, year: int) -> pl.DataFrame:
    return queries.cluster_indicators(Path(path), code, year)


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_lq_by_region(path: str, build_id: str, code: str, year: int, measure: str) -> pl.DataFrame:
    return queries.cluster_lq_by_region(Path(path), code, year, measure)


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_trend(path: str, build_id: str, code: str) -> pl.DataFrame:
    return queries.cluster_trend(Path(path), code)


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_firm_concentration(path: str, build_id: str, code: str) -> pl.DataFrame:
    return queries.cluster_firm_concentration(Path(path), code)


@st.cache_data(show_spinner=False, max_entries=16)
def lq_measures(path: str, build_id: str) -> list[str]:
    return queries.lq_measures(Path(path))


def uploads(s: Settings) -> list[Upload]:
    """The manifest (not cached: it changes with every landing)."""
    return OpsStore(s.ops_path).uploads()
