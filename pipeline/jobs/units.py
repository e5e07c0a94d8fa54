"""The units of a build's measures: each measure in one canonical unit, and money in one currency.

Ingest keeps each column's declared unit and the canonical unit its values were scaled to (the manifest's
``units_json``; money without a declared unit is yuan). A build reads which uploads supplied which measure to its
facts, and stops, naming the uploads, when money comes in more than one currency: a page would add yuan to dollars,
and an indicator divides one money measure by another (exports / output). Values are never converted between
currencies: a bureau converts at its own stated rate before uploading. The units are written to
``mart_measure_unit`` (one row per measure), which the pages read to label every amount.
"""

from __future__ import annotations

import json

import polars as pl

from pipeline.core.errors import AuditFailed
from pipeline.ingest.units import CANONICAL
from schemas import KINDS
from warehouse.build import Builder

#: which upload supplied which measure of which kind to the facts
_USED = """
select distinct upload_id, 'regional-industry' as kind, measure from fact_regional_industry
union all
select distinct upload_id, 'cluster-indicators', indicator from fact_cluster_indicator
union all
select distinct upload_id, 'firms', 'output_value' from fact_firm where output_value is not null
union all
select distinct upload_id, 'firms', 'employment' from fact_firm where employment is not null
"""


def measure_units(builder: Builder) -> pl.DataFrame:
    """measure, dimension, unit (canonical), uploads: the build's units; raises :class:`AuditFailed` when money
    measures are in more than one currency, naming the files (other dimensions have one canonical unit each)."""
    used = builder.query(_USED)
    manifest = builder.query("select upload_id, file_name, units_json from stg_uploads")
    declared = {u: (f, json.loads(j or "{}")) for u, f, j in manifest.iter_rows()}
    rows = []
    for upload_id, kind, measure in used.iter_rows():
        col = KINDS[kind].columns.get(measure)
        if col is None or col.dimension is None:
            continue
        file_name, units = declared.get(upload_id, ("?", {}))
        unit = (units.get(measure) or {}).get("canonical") or CANONICAL[col.dimension]
        rows.append((measure, col.dimension, unit, upload_id, file_name))
    if not rows:
        return pl.DataFrame(schema={"measure": pl.String, "dimension": pl.String, "unit": pl.String,
                                    "uploads": pl.Int64})
    frame = pl.DataFrame(rows, schema=["measure", "dimension", "unit", "upload_id", "file_name"], orient="row")
    money = frame.filter(pl.col("dimension") == "money")
    if money.get_column("unit").n_unique() > 1:
        by_unit = money.group_by("unit").agg(pl.col("file_name").unique().sort(), pl.col("measure").unique().sort())
        listing = "; ".join(f"{u}: {', '.join(m)} in {', '.join(f)}" for u, f, m in by_unit.sort("unit").iter_rows())
        raise AuditFailed(f"The build was stopped; the previous warehouse stays live: money in more than one "
                          f"currency ({listing}). A page would add one to the other and an indicator divides one by "
                          "another: upload every money figure in one currency (convert at the bureau's stated rate "
                          "before uploading).")
    return frame.group_by("measure", "dimension", "unit").agg(pl.col("upload_id").n_unique().alias("uploads")
                                                             ).sort("measure")
