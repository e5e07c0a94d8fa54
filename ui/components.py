"""Render helpers shared by the pages: the page prologue, names, number formats, provenance, downloads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl
import streamlit as st

from pipeline.core.settings import Settings
from ui.i18n import currency, lang, local_time, money_word, set_money, set_places, t  # noqa: F401 (local_time: re-exported)
from ui.labels import LABELS
from ui.tables import data_table


def banners(build: dict[str, Any] | None) -> None:
    """Say plainly what the user is looking at: synthetic demo data."""
    if build is not None and build.get("demo_data"):
        st.warning(t("synthetic_banner"), icon=":material/science:")


@dataclass
class Page:
    """What a page needs: the settings, the live build, its dictionaries and the years with scores."""

    settings: Settings
    build: dict[str, Any]
    path: str
    build_id: str
    years: list[int]
    dicts: dict[str, pl.DataFrame]
    source: Any = None  # ui.sources.Source: the release or internal build shown
    _names: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict, repr=False)

    def status(self) -> str:
        """What the page's figures are (release and state, or internal; synthetic), for exported pages and sheets."""
        from ui.sources import status_text

        return status_text(self.source, self.build, self.settings.timezone)

    @property
    def levels(self) -> dict[str, str] | None:
        lv = self.dicts["levels"]
        return None if lv.is_empty() else {"region_level": lv.item(0, "region_level"),
                                           "industry_level": lv.item(0, "industry_level")}

    @property
    def region_years(self) -> list[int]:
        return self.dicts["region_years"].get_column("year").to_list()

    @property
    def measures(self) -> list[str]:
        return self.dicts["measures"].get_column("measure").to_list()

    def names(self, table: str) -> dict[str, str]:
        """code -> name in the current language, for regions, industries or clusters."""
        key = f"{table}_{lang()}"
        if key not in self._names:
            self._names[key] = code_names(self.dicts[table])  # type: ignore[assignment]
        return self._names[key]  # type: ignore[return-value]

    def cities(self) -> list[str]:
        """Codes of the regions at the level the indices were computed for (cities in Liaoning)."""
        level = (self.levels or {}).get("region_level")
        regions = self.dicts["regions"]
        return regions.filter(pl.col("level") == level).get_column("code").to_list() if level else []

    def zones(self) -> list[str]:
        return self.dicts["zones"].get_column("group_code").unique(maintain_order=True).to_list()


def code_names(frame: pl.DataFrame) -> dict[str, str]:
    """code -> name in the current language of a dictionary frame (code, name, name_en)."""
    col = "name_en" if lang() == "en" else "name"
    return {c: (n or z or c) for c, n, z in frame.select(
        "code", pl.col(col).alias("shown"), pl.col("name").alias("fallback")).iter_rows()}


def page(title_key: str, *, need_scores: bool = True, caption_key: str | None = None) -> Page:
    """Title and banners; stops the page with a plain message when there is no data (or no scores) yet."""
    from ui import data, sources

    s = data.settings()
    source = sources.chosen(s)
    st.title(t(title_key))
    if caption_key:
        st.caption(t(caption_key))
    if source is None:  # a reader before the first publication
        st.info(t("no_release_yet"))
        st.stop()
    if source.release is not None and not source.path.exists():
        st.error(t("release_file_missing", file=source.path.name))
        st.stop()
    build = data.current_build(s, path=source.path)
    sources.banner(source, s)
    banners(build)
    if build is None or build["uploads"] == 0:
        st.info(t("no_data"))
        st.stop()
    path, build_id = str(source.path), build["build_id"]
    dicts = data.dictionaries(path, build_id)
    levels = dicts["levels"]
    set_places(unit_is_city=levels.is_empty() or levels.item(0, "region_level") == "city",
               whole_is_province=dicts["regions"].filter(pl.col("level") == "province").height > 0)
    money = dicts["units"].filter(pl.col("dimension") == "money").get_column("unit")
    set_money(money[0] if money.len() else None)
    years = dicts["score_years"].get_column("year").to_list()
    page_ = Page(s, build, path, build_id, years, dicts, source=source)
    st.session_state["_status"] = page_.status()  # printed on the page's chart images (ui.charts.show)
    if need_scores and not years:
        no_scores(s, dicts, build)
        st.stop()
    return page_


def no_scores(s: Settings, dicts: dict[str, pl.DataFrame], build: dict[str, Any]) -> None:
    """Why there are no composite scores, which methodology would score them, and where the analysis that needs no
    scores is (a dataset of regions x categories without cluster indicators, such as the USCMP sample)."""
    from pipeline.jobs.methodologies import active_methodology

    m = active_methodology(s)
    name = (m.name_zh if lang() == "zh" else m.name) or m.name or m.name_zh or t("nav_methodology")
    if dicts["categories"].height or not dicts["levels"].is_empty():
        st.info(t("no_scores_categories", methodology=f"{name} ({build.get('methodology_hash') or '–'})"))
        cols = st.columns(2)
        cols[0].page_link("views/region.py", label=t("nav_region"), icon=":material/location_city:")
        cols[1].page_link("views/indices.py", label=t("nav_indices"), icon=":material/grid_on:")
    else:
        st.info(t("no_scores"))


def partition_notes(page_: Page, order: list[str]) -> list[str]:
    """'Yingkou is counted in the central zone (also in the coastal belt).' for each region in several zones (the
    balance decomposition counts it in the first zone of the methodology's list)."""
    names = page_.names("regions")
    zones = page_.dicts["zones"].filter(pl.col("group_code").is_in(order))
    out = []
    for region, groups in zones.group_by("region_code", maintain_order=True).agg("group_code").iter_rows():
        if len(groups) > 1:
            ranked = sorted(groups, key=order.index)
            out.append(t("partition_note", region=names.get(region, region), zone=names.get(ranked[0], ranked[0]),
                         others=", ".join(names.get(g, g) for g in ranked[1:])))
    return out


def translated(column: str, frame: pl.DataFrame, label: Callable[[str], str]) -> pl.Expr:
    """``column`` with each value replaced by ``label(value)``, computed here in the script's thread (session
    language is not readable from polars' worker threads, so never call ``label`` inside ``map_elements``)."""
    values = [v for v in frame.get_column(column).unique().to_list() if v is not None]
    return pl.col(column).replace_strict({v: label(v) for v in values}, default=pl.col(column).cast(pl.String),
                                         return_dtype=pl.String)


def named(column: str, names: dict[str, str]) -> pl.Expr:
    """Codes in ``column`` replaced by their names (codes without a name stay codes)."""
    return pl.col(column).replace_strict(names, default=pl.col(column), return_dtype=pl.String)


def yuan(value: float | None) -> str:
    """Money for people, in the build's currency, by the formatting rules: 3,689.2亿元 / 368.92 bn yuan (亿美元 /
    bn USD for a dataset in dollars)."""
    from pipeline.core.formatting import figure

    language = lang()
    return figure(value, "money_100m" if language == "zh" else "money_bn", language, currency=currency())


def persons(value: float | None) -> str:
    """Persons by the formatting rules: 22.49万人 / 224,937 persons."""
    from pipeline.core.formatting import figure

    language = lang()
    return figure(value, "persons_10k" if language == "zh" else "persons", language)


def amount(measure: str, value: float | None) -> str:
    """A measure's value in words people use (money in 亿元/bn yuan, persons in 万人/persons, else a count)."""
    from schemas import KINDS

    col = KINDS["regional-industry"].columns.get(measure)
    dim = col.dimension if col else None
    if dim == "money":
        return yuan(value)
    if dim == "persons":
        return persons(value)
    return number(value, 0)


def compact(measure: str, value: float | None) -> str:
    """A total short enough for a KPI tile. In Chinese the figure as the formatting rules write it everywhere
    (3,689.2亿元, 22.49万人); in English an abbreviation with the unit in the tile's help (368.9 bn, 224.9 k),
    because "368.92 bn yuan" does not fit six tiles across."""
    if value is None:
        return "–"
    from schemas import KINDS

    col = KINDS["regional-industry"].columns.get(measure)
    dim = col.dimension if col else None
    if lang() == "zh" and dim in ("money", "persons"):
        from pipeline.core.formatting import figure

        return figure(value, "money_100m" if dim == "money" else "persons_10k", "zh", currency=currency())
    if dim == "money":
        return f"{value / 1e9:,.1f} bn"
    if dim == "persons":
        return f"{value / 1e3:,.1f} k"
    return f"{value:,.0f}"


def number(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def pct_change(cur: float | None, prev: float | None) -> str | None:
    if cur is None or prev in (None, 0):
        return None
    return f"{(cur / prev - 1) * 100:+.1f}%"


def build_facts(page_: Page) -> list[tuple[str, str]]:
    """Where every number of the page comes from: the build, the landing vintage, the methodology version (by
    name and number, with its short hash)."""
    from pipeline.jobs.methodologies import version_label
    from ui.sources import source_facts

    b = page_.build
    return [
        *source_facts(page_.source, page_.settings.timezone),
        (t("prov_build"), f"{b['build_id']} ({local_time(b['built_at'].isoformat(), page_.settings.timezone)})"),
        (t("prov_vintage"), t("prov_vintage_value", seq=b["landing_seq"], uploads=b["uploads"])),
        (t("prov_methodology"), version_label(page_.settings, b["methodology_hash"], lang())),
        (t("prov_code"), str(b["code_version"])),
    ]


def provenance(page_: Page, *, uploads: pl.DataFrame | None = None, note: str | None = None) -> None:
    """An expander saying where the numbers come from: build, landing vintage, methodology, uploads."""
    with st.expander(t("provenance"), icon=":material/info:"):
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in build_facts(page_)))
        if note:
            st.caption(note)
        if uploads is not None and not uploads.is_empty():
            data_table(uploads_table(uploads, page_.settings.timezone), hide_index=True)


def uploads_table(frame: pl.DataFrame, timezone: str) -> pl.DataFrame:
    """Manifest rows (kind, vintage, file, who, landed_at[, rows/cells, what]) with translated headers."""
    from schemas import KINDS, kind_title

    cols = [translated("kind", frame, lambda k: kind_title(k, lang())).alias(t("kind")),
            pl.col("vintage").alias(t("vintage")), pl.col("file_name").alias(t("file")), pl.col("who").alias(t("who")),
            pl.col("landed_at").map_elements(lambda v: local_time(v, timezone), return_dtype=pl.String)
            .alias(t("when"))]
    def what_label(text: str) -> str:  # "cluster definition", "firm records" or the indicators' columns
        columns = KINDS["cluster-indicators"].columns
        words = []
        for token in text.split(", "):
            col = columns.get(token)
            key = "what_" + token.replace(" ", "_")
            words.append((col.title_zh if lang() == "zh" else col.title) if col else t(key) if key in LABELS
                         else token)
        return ("、" if lang() == "zh" else ", ").join(words)

    for extra, key in (("rows", "rows"), ("cells", "values")):
        if extra in frame.columns:
            cols.append(pl.col(extra).alias(t(key)))
    if "what" in frame.columns:
        cols.append(translated("what", frame, what_label).alias(t("what")))
    return frame.select(cols)


def download_xlsx(label: str, make: Callable[[], bytes], *, file_name: str, key: str) -> None:
    """A download button that builds the workbook only when clicked.

    Every download button of the app builds its file when clicked (a callable: Streamlit's deferred download) and
    does not rerun the page (``on_click="ignore"``): Streamlit (1.67) clears the messages queued for the browser
    when a run starts, so a rerun started by the click could drop the reply carrying the file's address, and the
    button stayed disabled for the request's three-minute timeout with nothing downloaded (seen in a clean-clone
    run of ``tests/test_browser_app.py``)."""
    st.download_button(label, make, file_name=file_name, key=f"{key}_{lang()}", icon=":material/download:",
                       on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def download_html(label: str, make: Callable[[], str], *, file_name: str, key: str) -> None:
    st.download_button(label, lambda: make().encode("utf-8"), file_name=file_name, mime="text/html",
                       key=f"{key}_{lang()}", icon=":material/print:", on_click="ignore")


def select_code(label: str, codes: Sequence[str], names: dict[str, str], *, key: str,
                query_param: str | None = None, with_code: bool = False) -> str:
    """A selectbox of codes shown by name; remembers the choice across a language switch (the widget key carries
    the language) and, with ``query_param``, follows and sets ``?param=CODE`` so pages can link to each other."""
    codes = list(codes)
    wkey = f"{key}_{lang()}"
    chosen = st.session_state.get(key)
    if query_param and st.query_params.get(query_param) in codes and st.query_params.get(query_param) != chosen:
        chosen = st.query_params.get(query_param)  # a link from another page
        st.session_state[wkey] = chosen
    if st.session_state.get(wkey) not in codes:
        st.session_state[wkey] = chosen if chosen in codes else (codes[0] if codes else None)

    def label_of(code: str) -> str:
        return f"{names.get(code, code)} ({code})" if with_code else names.get(code, code)

    code = st.selectbox(label, codes, format_func=label_of, key=wkey)
    st.session_state[key] = code
    if query_param and code is not None and st.query_params.get(query_param) != code:
        st.query_params[query_param] = code
    return code
