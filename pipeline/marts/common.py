"""Helpers shared by the mart builders: combining several indices' results and notes into one table."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

#: Partition keys of every regional-industry index: a year, a measure, and one level of regions and of industries
#: (a province row never adds to its cities, a section never to its divisions).
LEVELS = ("year", "measure", "region_level", "industry_level")


def combine(
    keys: Sequence[str], parts: dict[str, tuple[pl.DataFrame, dict[str, str]]], *, how: str = "full"
) -> pl.DataFrame:
    """Join several index results on ``keys``; ``parts``: index name -> (frame, {column: mart column}).

    Each part's ``note`` is kept as ``"<index name>: <note>"`` and the notes are joined with ``"; "`` into one
    ``note`` column, so a mart row says which of its indices is undefined and why.
    """
    out: pl.DataFrame | None = None
    note_cols = []
    for name, (frame, columns) in parts.items():
        if frame.is_empty():
            continue
        picked = frame.select(
            *keys,
            *[pl.col(src).alias(dst) for src, dst in columns.items()],
            (pl.lit(f"{name}: ") + pl.col("note")).alias(f"_note_{name}") if "note" in frame.columns
            else pl.lit(None, dtype=pl.String).alias(f"_note_{name}"),
        )
        note_cols.append(f"_note_{name}")
        out = picked if out is None else out.join(picked, on=list(keys), how=how, coalesce=True, nulls_equal=True)
    if out is None:
        return pl.DataFrame()
    joined = pl.concat_str([pl.col(c) for c in note_cols], separator="; ", ignore_nulls=True)
    return out.with_columns(pl.when(joined != "").then(joined).alias("note")).drop(note_cols)


def year_pairs(years: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive pairs of the years present, and the first -> last pair when it is longer."""
    ys = sorted(set(years))
    pairs = list(zip(ys, ys[1:], strict=False))
    if len(ys) > 2:
        pairs.append((ys[0], ys[-1]))
    return pairs
