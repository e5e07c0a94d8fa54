"""Cached loaders for the pages. Each takes the live build id, so a new build refreshes them; none keeps a
warehouse connection open (the queries in :mod:`warehouse.queries` open and close their own, one per bundle).

Loaders return frames with codes and both names; the pages pick the language (never here: a cached result is
shared by sessions in both languages)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from pipeline.core.ops import OpsStore, Upload
from pipeline.core.settings import Settings
from warehouse import queries


def settings() -> Settings:
    """The app's settings, from CLUSTERSTATS_DATA_DIR (set by `clusterstats serve`)."""
    return Settings.from_env()


def current_build(s: Settings, *, stop_if_stale: bool = True, path: Path | None = None) -> dict[str, Any] | None:
    """The live build, or the build in ``path`` (a release, the working build) (not cached: it is how the pages
    notice a new build). A warehouse built by another version of clusterstats is said plainly, and the page stops
    there unless it can rebuild (the upload page)."""
    build = queries.build_info(path or s.warehouse_path)
    if build is not None and not queries.is_current(build):
        from ui.i18n import t

        st.error(t("stale_build"))
        if stop_if_stale:
            st.stop()
    return build


@st.cache_data(show_spinner=False, max_entries=16)
def dictionaries(path: str, build_id: str) -> dict[str, pl.DataFrame]:
    return queries.dictionaries(Path(path))


@st.cache_data(show_spinner=False, max_entries=64)
def overview(path: str, build_id: str, year: int, measure: str, region_level: str | None,
             industry_level: str | None) -> dict[str, pl.DataFrame]:
    return queries.overview(Path(path), year, measure, region_level=region_level, industry_level=industry_level)


@st.cache_data(show_spinner=False, max_entries=64)
def ranking(path: str, build_id: str, year: int) -> pl.DataFrame:
    return queries.ranking(Path(path), year)


@st.cache_data(show_spinner=False, max_entries=256)
def scorecard(path: str, build_id: str, code: str, year: int, region_level: str | None) -> dict[str, pl.DataFrame]:
    return queries.scorecard(Path(path), code, year, region_level=region_level)


@st.cache_data(show_spinner=False, max_entries=256)
def cluster_lq_by_region(path: str, build_id: str, code: str, year: int, measure: str) -> pl.DataFrame:
    return queries.cluster_lq_by_region(Path(path), code, year, measure)


@st.cache_data(show_spinner=False, max_entries=256)
def region_profile(path: str, build_id: str, region: str, year: int, measure: str, region_level: str,
                   industry_level: str, start_year: int | None, end_year: int | None) -> dict[str, pl.DataFrame]:
    return queries.region_profile(Path(path), region, year, measure, region_level=region_level,
                                  industry_level=industry_level, start_year=start_year, end_year=end_year)


@st.cache_data(show_spinner=False, max_entries=128)
def index_matrix(path: str, build_id: str, family: str, measure: str, region_level: str, industry_level: str,
                 year: int | None, start_year: int | None, end_year: int | None) -> pl.DataFrame:
    return queries.index_matrix(Path(path), family, measure=measure, region_level=region_level,
                                industry_level=industry_level, year=year, start_year=start_year, end_year=end_year)


@st.cache_data(show_spinner=False, max_entries=128)
def city_indicators(path: str, build_id: str, year: int, measure: str, region_level: str,
                    industry_level: str) -> pl.DataFrame:
    return queries.city_indicators(Path(path), year, measure, region_level=region_level,
                                   industry_level=industry_level)


@st.cache_data(show_spinner=False, max_entries=64)
def industry_concentration(path: str, build_id: str, year: int, measure: str, region_level: str,
                           industry_level: str) -> pl.DataFrame:
    return queries.industry_concentration(Path(path), year, measure, region_level=region_level,
                                          industry_level=industry_level)


@st.cache_data(show_spinner=False, max_entries=64)
def compare_clusters(path: str, build_id: str, codes: tuple[str, ...], year: int) -> pl.DataFrame:
    return queries.compare_clusters(Path(path), list(codes), year)


@st.cache_data(show_spinner=False, max_entries=8)
def data_quality(path: str, build_id: str) -> dict[str, pl.DataFrame]:
    return queries.data_quality(Path(path))


@st.cache_data(show_spinner=False, max_entries=4)
def scoring_inputs(path: str, build_id: str) -> dict[str, pl.DataFrame]:
    return queries.scoring_inputs(Path(path))


@st.cache_data(show_spinner=False, max_entries=16)
def change_report(data_dir: str, build_id: str) -> dict[str, Any] | None:
    """The change report of a build (kept in ops.sqlite; a build's report never changes)."""
    from pipeline.jobs import load_report

    return load_report(Settings.from_env(data_dir), build_id)


@st.cache_data(show_spinner=False, max_entries=8)
def boundaries(data_dir: str, fingerprint: tuple[tuple[str, int, int], ...], codes: tuple[str, ...]
               ) -> list[dict[str, Any]]:
    """Features of ``<data dir>/boundaries/*.geojson`` matched to the dictionary (``fingerprint``: file times)."""
    from pipeline.ingest.boundaries import load_features

    return load_features(Path(data_dir), set(codes))


def uploads(s: Settings) -> list[Upload]:
    """The manifest (not cached: it changes with every landing)."""
    return OpsStore(s.ops_path).uploads()


def jobs(s: Settings, limit: int = 50) -> list[dict[str, Any]]:
    """The job history, newest first (not cached: jobs change while the page is open)."""
    from pipeline.jobs import job_history

    return job_history(s, limit=limit)


def cell_flags(s: Settings) -> pl.DataFrame:
    """Cells marked missing or suppressed in the landed uploads (landed empty, never zero), when the ingest path
    records them (``OpsStore.cell_flags``): kind, vintage, file, row, field, value as typed, flag."""
    store = OpsStore(s.ops_path)
    schema = {"kind": pl.String, "vintage": pl.Int64, "file_name": pl.String, "source_row": pl.Int64,
              "field": pl.String, "value": pl.String, "flag": pl.String}
    if not hasattr(store, "cell_flags"):
        return pl.DataFrame(schema=schema)
    rows = [{"kind": u.kind, "vintage": u.vintage, "file_name": u.file_name, **f}
            for u in store.uploads() for f in store.cell_flags(u.upload_id)]
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
