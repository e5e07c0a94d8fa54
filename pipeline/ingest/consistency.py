"""Columns of one record that must agree: a part is never larger than the whole it is part of.

Value added is part of gross output value; exports (出口交货值) are part of output value (of revenue where there is
no output); profit, R&D spending and new-product sales come out of revenue (of output value where the record has
no revenue, as cluster indicators do); SMEs' output is part of the cluster's;
new firms are among the firms, R&D staff among the employed. A record where a part exceeds its whole is a warning
on that row, naming both columns and both values (in canonical units, so a 万元 column is compared with a 元 one as
it lands): it is almost always a unit or a column mix-up, but statistical scope can differ, so it does not block.
A part equal to its whole is accepted.
"""

from __future__ import annotations

import polars as pl

from pipeline.core.messages import Msg
from pipeline.ingest.records import Prepared
from pipeline.ingest.report import SOURCE_ROW, Failure
from pipeline.ingest.units import unit_word
from schemas import Kind

#: (part, its wholes in order of preference): the record is checked against the first whole it has
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("value_added", ("output_value",)),
    ("exports", ("output_value", "revenue")),
    ("profit", ("revenue", "output_value")),
    ("rd_spending", ("revenue", "output_value")),
    ("new_product_sales", ("revenue", "output_value")),
    ("sme_output", ("output_value",)),
    ("new_firms", ("firms",)),
    ("rd_staff", ("employment",)),
)
#: rows listed per rule at most (the count is always complete)
MAX_LINES = 100


def rule_of(part: str, whole: str) -> str:
    """The report's rule id for ``part`` larger than ``whole`` (e.g. ``value_added_over_output_value``)."""
    return f"{part}_over_{whole}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def parts_over_wholes(kind: Kind, prepared: Prepared) -> list[Failure]:
    """A warning for each record of ``prepared`` whose part is larger than its whole (the first whole of
    :data:`PARTS` the record has), for the columns the upload carries."""
    frame = prepared.frame
    lines: list[Failure] = []
    for part, wholes in PARTS:
        present = [w for w in wholes if w in prepared.headers and w in kind.columns]
        if part not in prepared.headers or part not in kind.columns or not present:
            continue
        whole = pl.coalesce([pl.col(w) for w in present])  # the first whole the record has
        which = pl.coalesce([pl.when(pl.col(w).is_not_null()).then(pl.lit(w)) for w in present])
        over = frame.select(SOURCE_ROW, pl.col(part).alias("part"), whole.alias("whole"), which.alias("which")) \
            .filter(pl.col("part") > pl.col("whole") * (1 + 1e-9) + 1e-9).sort(SOURCE_ROW)
        for row, value, total, name in over.head(MAX_LINES).iter_rows():
            unit = unit_word(prepared.units, part, kind.columns[part].dimension)
            lines.append(Failure(
                row=row, column=prepared.headers[part], value=_number(value), rule=rule_of(part, name), field=part,
                fix=Msg("plaus.part_over_whole", part=prepared.headers[part], whole=prepared.headers[name],
                        value=_number(value), total=_number(total), unit=unit),
            ))
    return lines
