"""The index tables of the open-data API: each family is one mart of the warehouse, its keys, its period (a year,
or a start and an end year) and the filters it takes, and its rows as paged JSON, CSV, Parquet or SDMX-CSV 2.0.

A family's figures are every numeric column of its mart. A row the release protected has ``suppressed = true``
and its withheld figures null (the others, e.g. a region's total beside a withheld cell, stay published); in
SDMX-CSV a withheld figure is an empty ``OBS_VALUE`` with ``CONF_STATUS = C``, never a number.

SDMX-CSV fits these tables cleanly once each figure is its own observation: the dimensions are the family's keys
(``REF_AREA``, ``INDUSTRY``, ``CATEGORY``, ``CLUSTER``), the measure (``MEASURE``: employment, output ...), the index
(``INDICATOR``: LQ, HHI, ...), ``BASE_PERIOD`` for a pair of years and ``TIME_PERIOD``; the attributes are
``CONF_STATUS`` (F free, C confidential: the SDMX cross-domain code list CL_CONF_STATUS) and ``OBS_STATUS`` (A normal,
M missing, empty for a withheld figure: CL_OBS_STATUS), and the row's note as ``COMMENT_OBS``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.api.responses import Problem, unknown
from warehouse import queries as q

AGENCY = "CLUSTERSTATS"


@dataclass(frozen=True)
class Family:
    """One index table: its mart, keys, period and whether it has measures and levels."""

    mart: str
    title: str
    keys: tuple[str, ...]
    pair: bool = False  # a start and an end year (growth, shift-share) instead of one year
    measure: bool = True
    levels: bool = True

    @property
    def period(self) -> tuple[str, ...]:
        return ("start_year", "end_year") if self.pair else ("year",)


FAMILIES: dict[str, Family] = {
    "lq": Family("mart_location_quotient", "Location quotients, region x industry", ("region_code", "industry_code")),
    "category_lq": Family("mart_category_lq", "Location quotients, region x cluster category",
                          ("region_code", "category_code")),
    "growth": Family("mart_growth", "Growth between two years, region x industry", ("region_code", "industry_code"),
                     pair=True),
    "shift_share": Family("mart_shift_share", "Shift-share decomposition, region x industry",
                          ("region_code", "industry_code"), pair=True),
    "industry_concentration": Family("mart_industry_concentration", "Spatial concentration of each industry "
                                     "(HHI, CR4, Krugman, locational Gini)", ("industry_code",)),
    "category_concentration": Family("mart_category_concentration", "Spatial concentration of each cluster "
                                     "category", ("category_code",)),
    "region_specialisation": Family("mart_region_profile", "Specialisation and diversity of each region (HHI, "
                                    "entropy, Krugman, Hachman ...)", ("region_code",)),
    "category_strength": Family("mart_category_strength", "Strong cluster categories, region x category",
                                ("region_code", "category_code"), measure=False),
    "industry_firm_concentration": Family("mart_industry_firm_concentration", "Firm concentration of each industry "
                                          "(HHI, CR4, Ellison-Glaeser, Maurel-Sedillot)", ("industry_code",),
                                          levels=False),
    "cluster_firm_concentration": Family("mart_cluster_firm_concentration", "Firm concentration of each cluster",
                                         ("cluster_code",), levels=False),
    "balance": Family("mart_balance", "Regional balance (Gini, CV, Atkinson, Theil)", (), levels=True),
}
#: filter parameter -> the key column it filters, and the dictionary its codes come from
FILTERS = {"region": ("region_code", "regions"), "industry": ("industry_code", "industries"),
           "category": ("category_code", "categories"), "cluster": ("cluster_code", "clusters")}
SDMX_DIMENSIONS = {"region_code": "REF_AREA", "industry_code": "INDUSTRY", "category_code": "CATEGORY",
                   "cluster_code": "CLUSTER"}
_NOT_FIGURES = {"year", "start_year", "end_year", "total_rows"}


@functools.lru_cache(maxsize=256)
def _distinct(path: Path, stamp: tuple[int, int], mart: str, columns: tuple[str, ...]) -> pl.DataFrame:
    return q.distinct_rows(path, mart, list(columns))


def distinct(path: Path, mart: str, columns: tuple[str, ...]) -> pl.DataFrame:
    """The distinct ``columns`` of ``mart`` (kept per file version: a build replaced is read again)."""
    stat = path.stat()
    return _distinct(path, (stat.st_mtime_ns, stat.st_size), mart, columns)


def _choose(what: str, value: str | None, known: list[str], default: str | None) -> str:
    if value is None:
        if default in known:
            return default  # type: ignore[return-value]
        if not known:
            raise Problem(404, f"no-{what}", f"No {what}", f"This table has no {what} in this source.")
        return known[0]
    if value not in known:
        raise unknown(what, value, known)
    return value


def conditions(family: Family, path: Path, *, reference_year: int | None, year: int | None,
               start_year: int | None, end_year: int | None, measure: str | None, region_level: str | None,
               industry_level: str | None, filters: dict[str, list[str]], codes: dict[str, list[str]]
               ) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    """The SQL conditions and parameters of a request on ``family``, and what was chosen (its defaults filled in).
    Unknown values are 404s naming the nearest known ones; a filter the family has no key for is a 400."""
    where: list[str] = []
    params: dict[str, Any] = {}
    chosen: dict[str, Any] = {}
    if family.measure:
        measures = distinct(path, family.mart, ("measure",)).get_column("measure").to_list()
        chosen["measure"] = params["measure"] = _choose("measure", measure, measures, "employment")
        where.append("measure = $measure")
    elif measure is not None:
        raise Problem(400, "not-applicable", "Not applicable", f"This table has no measure (measure={measure!r}).")
    if family.levels:
        pairs = distinct(path, family.mart, ("region_level", "industry_level"))
        deepest = q.levels(path) or {}
        chosen["region_level"] = params["region_level"] = _choose(
            "region level", region_level, sorted(set(pairs.get_column("region_level"))), deepest.get("region_level"))
        chosen["industry_level"] = params["industry_level"] = _choose(
            "industry level", industry_level, sorted(set(pairs.get_column("industry_level"))),
            deepest.get("industry_level"))
        where += ["region_level = $region_level", "industry_level = $industry_level"]
    if family.pair:
        pairs = distinct(path, family.mart, ("start_year", "end_year"))
        known = [tuple(r) for r in pairs.iter_rows()]
        end = end_year if end_year is not None else (reference_year if any(e == reference_year for _, e in known)
                                                     else max((e for _, e in known), default=None))
        start = start_year if start_year is not None else (end - 1 if end is not None else None)
        if (start, end) not in known:
            raise Problem(404, "year-outside-release", "Years outside the release",
                          f"There are no results from {start} to {end} here; the pairs are "
                          f"{', '.join(f'{a}-{b}' for a, b in known) or 'none'}.",
                          pairs=[list(p) for p in known])
        chosen |= {"start_year": start, "end_year": end}
        params |= {"start_year": start, "end_year": end}
        where += ["start_year = $start_year", "end_year = $end_year"]
    else:
        years = distinct(path, family.mart, ("year",)).get_column("year").to_list()
        pick = year if year is not None else (reference_year if reference_year in years else max(years, default=None))
        if pick not in years:
            raise Problem(404, "year-outside-release", "Year outside the release",
                          f"Year {pick} is not in this table: it has {min(years, default=0)}-{max(years, default=0)}.",
                          years=years)
        chosen["year"] = params["year"] = pick
        where.append("year = $year")
    for name, wanted in filters.items():
        if not wanted:
            continue
        column, dictionary = FILTERS[name]
        if column not in family.keys:
            keys = ", ".join(family.keys) or "nothing"
            raise Problem(400, "not-applicable", "Not applicable",
                          f"This table has no {column}: drop {name}= (it filters {keys}).")
        for code in wanted:
            if code not in codes[dictionary]:
                raise unknown(name, code, codes[dictionary])
        params[name] = list(dict.fromkeys(wanted))
        where.append(f"list_contains(${name}, {column})")
        chosen[name] = params[name]
    return where, params, chosen


def rows(family: Family, path: Path, where: list[str], params: dict[str, Any], *, limit: int | None, offset: int
         ) -> tuple[pl.DataFrame, int]:
    """A page of the family's rows (all of them with ``limit=None``) and how many there are."""
    frame = q.index_rows(path, family.mart, conditions=where, params=params, order=[*family.keys, *family.period],
                         limit=limit, offset=offset)
    total = int(frame.get_column("total_rows")[0]) if frame.height else 0
    frame = frame.drop("total_rows")
    if "suppressed" in frame.columns:
        frame = frame.with_columns(pl.col("suppressed").fill_null(False))
    return frame, total


def sdmx_csv(name: str, frame: pl.DataFrame, family: Family) -> str:
    """``frame`` (rows of ``family``) as SDMX-CSV 2.0: one figure per row, a withheld one empty and confidential."""
    figures = [c for c, t in frame.schema.items() if t.is_numeric() and c not in _NOT_FIGURES and c not in family.keys]
    dims = [pl.col(k).alias(SDMX_DIMENSIONS[k]) for k in family.keys]
    if family.measure:
        dims.append(pl.col("measure").str.to_uppercase().alias("MEASURE"))
    period = ([pl.col("start_year").cast(pl.String).alias("BASE_PERIOD"), pl.col("end_year").cast(pl.String)
               .alias("TIME_PERIOD")] if family.pair else [pl.col("year").cast(pl.String).alias("TIME_PERIOD")])
    hidden = pl.col("suppressed") if "suppressed" in frame.columns else pl.lit(False)
    note = pl.col("note") if "note" in frame.columns else pl.lit(None, pl.String)
    long = (frame.with_columns(hidden.fill_null(False).alias("_hidden"), note.alias("_note"))
            .unpivot(index=[*family.keys, *(["measure"] if family.measure else []), *family.period, "_hidden", "_note"],
                     on=figures, variable_name="_indicator", value_name="_value"))
    shown = pl.col("_value").cast(pl.Float64)
    # a withheld figure: null in a row the release flagged (its other figures, e.g. a total, are published)
    long = long.with_columns((pl.col("_hidden") & pl.col("_value").is_null()).alias("_hidden"))
    out = long.select(
        pl.lit("dataflow").alias("STRUCTURE"), pl.lit(f"{AGENCY}:DF_{name.upper()}(1.0)").alias("STRUCTURE_ID"),
        pl.lit("I").alias("ACTION"), *dims, pl.col("_indicator").str.to_uppercase().alias("INDICATOR"), *period,
        shown.alias("OBS_VALUE"),
        pl.when(pl.col("_hidden")).then(pl.lit("C")).otherwise(pl.lit("F")).alias("CONF_STATUS"),
        pl.when(pl.col("_hidden")).then(None).when(shown.is_null()).then(pl.lit("M")).otherwise(pl.lit("A"))
        .alias("OBS_STATUS"),
        pl.col("_note").alias("COMMENT_OBS"))
    return out.write_csv()


__all__ = ["FAMILIES", "FILTERS", "Family", "conditions", "distinct", "rows", "sdmx_csv"]
