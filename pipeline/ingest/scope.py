"""An account limited to regions (a city's submitter) lands rows of its regions only.

Its scope is a list of region codes, each standing for itself and every region under it in the landed regions
dictionary (a city and its counties). A file with a row of another region is refused, every such row named with
the region's code and name and the regions the account may submit; nothing lands. Dictionaries (regions,
industries, categories, clusters and their maps) are the province's: a scoped account may not upload them. A
cluster-indicators row without a region stands for the whole cluster: it is in scope when the cluster's lead
region is.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipeline.core.messages import Msg
from pipeline.core.settings import Settings
from pipeline.ingest.landing import landed_frame
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import SOURCE_ROW, Failure
from schemas import Kind

MAX_LINES = 100


def _newest(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort("vintage", descending=True).unique("code", keep="first", maintain_order=True)


def regions_in_scope(settings: Settings, scope: Sequence[str]) -> tuple[set[str], dict[str, str]]:
    """(every region code the scope covers: its codes and all regions under them, code -> name of the landed
    regions)."""
    landed = landed_frame(settings, "regions", columns=["code", "name", "parent_code"])
    if landed is None:
        return set(scope), {}
    regions = _newest(landed)
    names = dict(regions.select("code", "name").iter_rows())
    children: dict[str, list[str]] = {}
    for code, parent in regions.select("code", "parent_code").iter_rows():
        if parent is not None:
            children.setdefault(parent, []).append(code)
    covered, todo = set(), list(scope)
    while todo:
        code = todo.pop()
        if code not in covered:
            covered.add(code)
            todo.extend(children.get(code, []))
    return covered, names


def scope_failures(settings: Settings, kind: Kind, prepared: Prepared, scope: Sequence[str] | None
                   ) -> list[Failure]:
    """Errors for the rows of ``prepared`` outside ``scope`` (None: the account may upload every region)."""
    if scope is None:
        return []
    shown = ", ".join(scope)
    if kind.is_dictionary:
        return [Failure(row=None, column="(file)", value=kind.name, rule="outside_scope",
                        fix=Msg("scope.dictionary", kind=kind.name, regions=shown))]
    covered, names = regions_in_scope(settings, scope)
    frame = prepared.frame
    region_cols = [c for c, col in kind.columns.items() if col.references == "regions" and c in frame.columns]
    lines: list[Failure] = []
    for column in region_cols:
        rows = frame.select(SOURCE_ROW, column, *(["cluster_code"] if "cluster_code" in frame.columns else []))
        if "cluster_code" in rows.columns:  # a whole-cluster row is where the cluster's lead region is
            lead = _cluster_leads(settings)
            rows = rows.join(lead, on="cluster_code", how="left").with_columns(
                pl.coalesce(column, "lead_region").alias(column))
        outside = rows.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(sorted(covered))).sort(SOURCE_ROW)
        label = prepared.headers.get(column, column)
        for row, code in outside.select(SOURCE_ROW, column).head(MAX_LINES).iter_rows():
            lines.append(Failure(row=row, column=label, value=code, rule="outside_scope", field=column,
                                 fix=Msg("scope.outside", code=code, name=names.get(code, code), regions=shown)))
        if outside.height > MAX_LINES:
            lines.append(Failure(row=None, column=label, value=None, rule="outside_scope", field=column,
                                 fix=Msg("scope.more", n=outside.height - MAX_LINES)))
    return lines


def _cluster_leads(settings: Settings) -> pl.DataFrame:
    landed = landed_frame(settings, "clusters", columns=["code", "lead_region"])
    if landed is None:
        return pl.DataFrame(schema={"cluster_code": pl.String, "lead_region": pl.String})
    return _newest(landed).select(pl.col("code").alias("cluster_code"), "lead_region")
