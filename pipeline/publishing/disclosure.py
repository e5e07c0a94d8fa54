"""Disclosure control of a release (issue 17; METHODS.md, "Disclosure control"): which published cells are
confidential, which more are suppressed to protect them, and the report that says so.

The protected table is the regional-industry table, one per year and magnitude measure (output, employment, value
added, wages, exports ...; ``establishments`` is the count of firms itself): its inner cells are the uploaded
region x industry records; its published cells are every combination of a region at any level of its hierarchy
(county -> prefecture -> province) with an industry at any level (class -> division -> section -> all industries)
or a cluster category (a weighted sum of industries, valid in that year). Who contributes to a cell:

- ``firms``: the firm records of that year carry the measure (employment, output value): every rule is assessed
  (and the frequency rule on the establishments the upload reports too, when it does: a register may miss firms);
- ``counts``: otherwise the establishments the upload reports for the cell: the frequency rule only, the dominance
  and p % rules are *not assessed*;
- ``none``: neither: *not assessed* at all (only the cells the uploader flagged confidential are suppressed).

A table not fully assessed needs an administrator's acknowledgement before its release is approved
(:mod:`pipeline.publishing.releases`). The suppression pattern and the report are written into the release file by
:func:`warehouse.disclosure.apply_disclosure`, which withholds every derived figure too (LQ, growth, shift-share ...).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.core.errors import ClusterstatsError
from pipeline.core.ops import Upload
from pipeline.core.settings import Settings
from pipeline.publishing.axes import NoCertificateError
from pipeline.publishing.intervals import UnprotectableError
from pipeline.publishing.primary import cell_contributions, dominance_rule, frequency_rule, p_percent_rule
from pipeline.publishing.protect import TableTooLargeError, ancestors, protect_cells
from pipeline.publishing.secondary import TOTAL
from pipeline.scoring.options import DisclosureOptions
from warehouse.disclosure import COUNT_MEASURES, FIRM_MEASURES, apply_disclosure, disclosure_inputs, withhold_scores

TABLE = "regional-industry"
CLUSTER_TABLE = "cluster-indicators"


class DisclosureError(ClusterstatsError):
    """A release's tables cannot be protected as they are."""

RULES = ("frequency", "dominance", "p_percent", "flagged")
#: what the report counts per table besides the rules: secondary cells (of them, ``interval``), all suppressed, and
#: the primary cells whose certificate moves a one-firm cell (protected against everyone but that firm)
COUNTS = (*RULES, "secondary", "interval", "suppressed", "leans_on_singleton")


@dataclass(frozen=True)
class TableProtection:
    """One protected table: its cells (with rule flags) and how its contributors were known."""

    year: int
    measure: str
    assessed: str  # firms | counts | none
    result: dict[str, Any] | None  # protect_cells' output (None: nothing to protect)


def hierarchies(inputs: dict[str, pl.DataFrame]) -> tuple[dict[str, str | None], dict[str, str | None]]:
    regions = dict(inputs["regions"].select("code", "parent_code").iter_rows())
    industries = dict(inputs["industries"].select("code", "parent_code").iter_rows())
    return regions, industries


def category_groups(categories: pl.DataFrame, year: int) -> dict[str, dict[str, float]]:
    """The categories valid in ``year``, each as {industry code: weight}."""
    valid = categories.filter((pl.col("valid_from").is_null() | (pl.col("valid_from") <= year))
                              & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= year)))
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for category, industry, weight in valid.select("category_code", "industry_code", "weight").iter_rows():
        out[category][industry] = float(weight)
    return dict(out)


def protect_tables(inputs: dict[str, pl.DataFrame], options: DisclosureOptions,
                   flagged: pl.DataFrame | None = None) -> list[TableProtection]:
    """Protect every year x magnitude measure of the regional-industry table of a build."""
    facts, firms = inputs["facts"], inputs["firms"]
    regions, industries = hierarchies(inputs)
    dims = {"region_code": regions, "industry_code": industries}
    flagged = flagged if flagged is not None else pl.DataFrame(
        schema={"year": pl.Int64, "measure": pl.String, "region_code": pl.String, "industry_code": pl.String})
    out = []
    for (year, measure), part in sorted(facts.group_by("year", "measure"), key=lambda g: (g[0][0], g[0][1])):
        if measure in COUNT_MEASURES:
            continue
        inner = part.select("region_code", "industry_code", pl.col("value").alias("total"))
        marked = flagged.filter((pl.col("year") == year) & (pl.col("measure") == measure))
        if marked.height:  # a flagged cell with no value left is an inner cell of 0: it is in no published total
            inner = pl.concat([inner, marked.select("region_code", "industry_code", total=pl.lit(0.0))]).unique(
                ["region_code", "industry_code"], keep="first")
        groups = {"industry_code": category_groups(inputs["categories"], int(year))}
        year_firms = firms.filter(pl.col("year") == year)
        counts = facts.filter((pl.col("year") == year) & pl.col("measure").is_in(COUNT_MEASURES))
        firm_rows = (year_firms.select("region_code", "industry_code", _firm="firm_id", _value=pl.col(measure))
                     if measure in FIRM_MEASURES and year_firms.height else None)
        count_rows = counts.select("region_code", "industry_code", n=pl.col("value")) if counts.height else None
        assessed = "firms" if firm_rows is not None else "counts" if count_rows is not None else "none"
        if assessed == "none":  # only the uploader's flags: every cell counted as having enough firms
            count_rows = inner.select("region_code", "industry_code", n=pl.lit(options.min_contributors))
        try:
            result = protect_cells(inner, dims=dims, groups=groups, flagged=marked, options=options,
                                   firms=firm_rows, counts=count_rows)
        except UnprotectableError as exc:
            raise DisclosureError(
                f"Disclosure control of the {TABLE} table of {measure} in {year} cannot widen the attacker's bounds "
                f"of a confidential cell ({exc}). Nothing was released. Check that cell's records (a total uploaded "
                "beside its parts pins them) and create the release again.") from None
        except NoCertificateError as exc:
            raise DisclosureError(
                f"Disclosure control of the {TABLE} table of {measure} in {year} finds no suppression pattern that "
                f"protects a confidential cell ({exc}). Nothing was released. Check that cell's records (a total "
                "uploaded beside its parts pins them) and create the release again.") from None
        except TableTooLargeError as exc:
            raise DisclosureError(
                f"Disclosure control of the {TABLE} table of {measure} in {year} ({exc}) is beyond this version's "
                "methods (a table of more than two dimensions, too large to hold in memory). Nothing was "
                "released.") from None
        out.append(TableProtection(int(year), str(measure), assessed, result))
    return out


def report_frame(tables: list[TableProtection]) -> pl.DataFrame:
    """Per table (year x measure): how its contributors were known, its cells, and how many each rule suppressed
    (a cell hit by two rules counts under each), secondary cells (of which ``interval``: suppressed to widen an
    attacker's bounds) and suppressed cells in all."""
    rows = []
    for t in tables:
        cells = t.result["cells"] if t.result else None
        row: dict[str, Any] = {"table_name": TABLE, "measure": t.measure, "year": t.year, "assessed": t.assessed,
                               "method": t.result["method"] if t.result else "none",
                               "cells": cells.height if cells is not None else 0}
        for rule in COUNTS:
            row[rule] = int(cells.get_column(rule).sum()) if cells is not None else 0
        rows.append(row)
    schema = {"table_name": pl.String, "measure": pl.String, "year": pl.Int64, "assessed": pl.String,
              "method": pl.String,
              "cells": pl.Int64, **{r: pl.Int64 for r in COUNTS}}
    return pl.DataFrame(rows, schema=schema, orient="row")


def unassessed_cluster_tables(counts: pl.DataFrame) -> pl.DataFrame:
    """The named clusters' own indicators (output, employment, R&D ... per cluster and year, as uploaded): this
    version does not assess them (a cluster of one or two firms would need its figures withheld, and the province's
    sums of clusters protected with them), so the release reports them as not assessed, one row per indicator and
    year, and an administrator acknowledges publishing them."""
    frame = counts.select(pl.lit(CLUSTER_TABLE).alias("table_name"), pl.col("indicator").alias("measure"),
                          pl.col("year").cast(pl.Int64), pl.lit("none").alias("assessed"),
                          pl.lit("none").alias("method"), pl.col("cells").cast(pl.Int64))
    return frame.with_columns([pl.lit(0, dtype=pl.Int64).alias(c)
                               for c in COUNTS])


def suppressed_cells(tables: list[TableProtection]) -> pl.DataFrame:
    parts = [t.result["cells"].filter(pl.col("suppressed")).select(
        pl.lit(t.year, dtype=pl.Int64).alias("year"), pl.lit(t.measure).alias("measure"), "region_code",
        "industry_code") for t in tables if t.result]
    schema = {"year": pl.Int64, "measure": pl.String, "region_code": pl.String, "industry_code": pl.String}
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def firm_groups(firms: pl.DataFrame, options: DisclosureOptions) -> pl.DataFrame:
    """Clusters and industries whose firms fail a primary rule (``part`` whole), or whose firms in some region do
    (``part`` regions: the regional shares are withheld)."""
    parts = []
    for kind, column in (("cluster", "cluster_code"), ("industry", "industry_code")):
        for measure in FIRM_MEASURES:
            for part, keys in (("whole", [column, "year"]), ("regions", [column, "year", "region_code"])):
                frame = firms.filter(pl.col(column).is_not_null())
                cells = cell_contributions(frame, keys, measure, "firm_id")
                hit = frequency_rule(cells, options.min_contributors - 1) | dominance_rule(cells, options.dominance)
                if options.p_percent > 0:
                    hit = hit | p_percent_rule(cells, options.p_percent)
                parts.append(cells.filter(hit).select(pl.lit(kind).alias("kind"), pl.col(column).alias("code"),
                                                      "year", pl.lit(measure).alias("measure"),
                                                      pl.lit(part).alias("part")).unique())
    return pl.concat(parts).unique().sort("kind", "code", "year", "measure", "part")


def tops(regions: dict[str, str | None], industries: dict[str, str | None], facts: pl.DataFrame) -> tuple[str, str]:
    """The codes of the two grand totals: the one root of a hierarchy, or ``Total`` where it has several."""
    def top(codes: list[str], parents: dict[str, str | None]) -> str:
        roots = {ancestors(c, parents)[-1] for c in codes}
        return roots.pop() if len(roots) == 1 else TOTAL

    return (top(facts.get_column("region_code").unique().to_list(), regions),
            top(facts.get_column("industry_code").unique().to_list(), industries))


def flagged_cells(settings: Settings, uploads: list[Upload], facts: pl.DataFrame) -> pl.DataFrame:
    """Cells an uploader marked confidential ("(D)", "保密" ...), still confidential in the build: no newer upload
    reported a value for them."""
    from pipeline.core.ops import OpsStore

    store = OpsStore(settings.ops_path)
    seq = {u.upload_id: u.seq for u in uploads}
    rows = []
    for up in uploads:
        if up.kind != "regional-industry":
            continue
        marks = [f for f in store.cell_flags(up.upload_id) if f["flag"] == "suppressed"]
        if not marks:
            continue
        landed = pl.read_parquet(settings.data_dir / up.path, columns=["source_row", "region_code", "industry_code",
                                                                        "year"])
        where = {int(r): (str(a), str(b), int(y)) for r, a, b, y in landed.iter_rows()}
        for f in marks:
            if int(f["source_row"]) in where:
                region, industry, year = where[int(f["source_row"])]
                rows.append((year, f["field"], region, industry, up.seq))
            elif f.get("keys") and (cell := _cell_of(f["keys"])):  # a row not landed: every measure marked
                region, industry, year = cell
                rows.append((year, f["field"], region, industry, up.seq))
    schema = {"year": pl.Int64, "measure": pl.String, "region_code": pl.String, "industry_code": pl.String,
              "seq": pl.Int64}
    marked = pl.DataFrame(rows, schema=schema, orient="row")
    reported = facts.select("year", "measure", "region_code", "industry_code",
                            pl.col("upload_id").replace_strict(seq, default=0, return_dtype=pl.Int64).alias("fact_seq"))
    return (marked.join(reported, on=["year", "measure", "region_code", "industry_code"], how="left")
            .filter(pl.col("fact_seq").is_null() | (pl.col("fact_seq") <= pl.col("seq")))
            .select("year", "measure", "region_code", "industry_code").unique())


def _cell_of(keys: str) -> tuple[str, str, int] | None:
    """The (region, industry, year) a flag's keys name; None when they name none (a code or year left empty or
    unreadable in the file: no figure of the build can be that cell)."""
    try:
        k = json.loads(keys)
        return str(k["region_code"]), str(k["industry_code"]), int(k["year"])
    except (ValueError, TypeError, KeyError):
        return None


def protect_release_file(settings: Settings, path: Path, uploads: list[Upload], options: DisclosureOptions
                         ) -> dict[str, Any]:
    """Protect the writable release file ``path`` (made from a build of ``uploads``); returns the summary the
    release records: per measure its assessment and the counts of the report, and the figures withheld per
    table."""
    inputs = disclosure_inputs(path)
    flagged = flagged_cells(settings, uploads, inputs["facts"])
    tables = protect_tables(inputs, options, flagged)
    report = pl.concat([report_frame(tables), unassessed_cluster_tables(inputs["cluster_indicators"])])
    regions, industries = hierarchies(inputs)
    region_top, industry_top = tops(regions, industries, inputs["facts"]) if inputs["facts"].height else (TOTAL,
                                                                                                          TOTAL)
    withheld = apply_disclosure(path, cells=suppressed_cells(tables), firm_groups=firm_groups(inputs["firms"], options),
                                report=report, region_top=region_top, industry_top=industry_top)
    if options.scores == "withheld":  # the methodology's choice: no composite score or rank leaves
        withheld |= {f"{table} (scores)": n for table, n in withhold_scores(path).items()}
    return summary(report, withheld, options)


def summary(report: pl.DataFrame, withheld: dict[str, int], options: DisclosureOptions) -> dict[str, Any]:
    """What a release records of its disclosure control (and the app and CLI show)."""
    by_measure = (report.group_by("table_name", "measure", "assessed")
                  .agg(pl.col("year").min().alias("first_year"), pl.col("year").max().alias("last_year"),
                       pl.col("method").unique().sort().str.join(", ").alias("method"),
                       *[pl.col(c).sum() for c in ("cells", *COUNTS)])
                  .sort("measure", "assessed"))
    unassessed = by_measure.filter(pl.col("assessed") != "firms")
    cluster = unassessed.filter(pl.col("table_name") == CLUSTER_TABLE)
    unassessed = unassessed.filter(pl.col("table_name") != CLUSTER_TABLE)
    listed = [f"{r['table_name']}: {r['measure']} ({r['assessed']})" for r in unassessed.to_dicts()]
    if cluster.height:  # one line for the named clusters' table, not one per indicator
        listed.append(f"{CLUSTER_TABLE}: {cluster.height} indicators (none)")
    return {
        "rules": {"min_contributors": options.min_contributors, "dominance": [list(d) for d in options.dominance],
                  "p_percent": options.p_percent, "protection": options.protection, "symbol": options.symbol,
                  "symbol_zh": options.symbol_zh},
        "scores": options.scores,
        "tables": by_measure.to_dicts(),
        "withheld": withheld,
        "not_assessed": listed,
    }


__all__ = ["RULES", "TABLE", "DisclosureError", "TableProtection", "category_groups", "firm_groups", "flagged_cells",
           "hierarchies", "protect_release_file", "protect_tables", "report_frame", "summary", "suppressed_cells",
           "tops"]
