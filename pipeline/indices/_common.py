"""Shared helpers for the index functions: argument checks, ``by=`` partitions, notes and shares.

Every index in :mod:`pipeline.indices` follows the same conventions, kept here so that new indices
(Krugman, Gini, Theil, Ellison-Glaeser, shift-share ...) reuse them rather than re-invent them:

- the data frame is positional, settings are keyword-only, inputs are never mutated;
- ``by`` names the partition columns (e.g. ``("year", "measure")``): every total is taken within a
  partition, and partitions never see each other;
- where an index is undefined its value is null and a String ``note`` column says why in plain English
  (never a silent 0, NaN or inf).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from pipeline.errors import ClusterstatsError

__all__ = [
    "IndexInputInvalid",
    "as_names",
    "first_note",
    "join_notes",
    "require_columns",
    "require_unique",
    "share",
    "within",
]

NO_NOTE = pl.lit(None, dtype=pl.String)


class IndexInputInvalid(ClusterstatsError, ValueError):
    """The data given to an index function does not fit it: see the message for the column or key to fix."""


def as_names(columns: str | Sequence[str]) -> list[str]:
    """Column names as a list: a single name (``"industry_code"``) or a sequence of names."""
    if isinstance(columns, str):
        return [columns]
    return list(columns)


def require_columns(frame: pl.DataFrame, columns: Iterable[str], *, what: str) -> None:
    """Raise :class:`IndexInputInvalid` naming every column of ``columns`` that ``frame`` lacks."""
    wanted = list(columns)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise IndexInputInvalid(
            f"{what}: the frame has no column {', '.join(map(repr, missing))} "
            f"(it has {', '.join(map(repr, frame.columns))})"
        )
    repeated = sorted({c for c in wanted if wanted.count(c) > 1})
    if repeated:
        raise IndexInputInvalid(f"{what}: column {', '.join(map(repr, repeated))} is given for two roles")


def require_unique(
    frame: pl.DataFrame, keys: Sequence[str], *, what: str, fix: str = "aggregate them first"
) -> None:
    """Raise :class:`IndexInputInvalid` when two rows share the same ``keys`` (they would count twice)."""
    duplicated = frame.select(keys).filter(pl.struct(keys).is_duplicated())
    if duplicated.height:
        first = duplicated.row(0, named=True)
        raise IndexInputInvalid(
            f"{what}: {duplicated.height} rows share their key ({', '.join(keys)}) with another row, "
            f"e.g. {first}; {fix}"
        )


def within(expr: pl.Expr, partition: Sequence[str]) -> pl.Expr:
    """``expr.over(partition)``, or ``expr`` itself (the whole frame) when the partition is empty."""
    names = list(partition)
    return expr.over(names) if names else expr


def first_note(*cases: tuple[pl.Expr, str]) -> pl.Expr:
    """The text of the first ``(condition, text)`` case that holds, else null (String)."""
    if not cases:
        return NO_NOTE
    condition, text = cases[0]
    chain = pl.when(condition).then(pl.lit(text, dtype=pl.String))
    for condition, text in cases[1:]:
        chain = chain.when(condition).then(pl.lit(text, dtype=pl.String))
    return chain.otherwise(NO_NOTE)


def join_notes(*notes: pl.Expr) -> pl.Expr:
    """Every non-null note joined with ``"; "``; null when there is none."""
    joined = pl.concat_str(list(notes), separator="; ", ignore_nulls=True)
    return pl.when(joined.str.len_chars() > 0).then(joined).otherwise(NO_NOTE)


def share(value: str | pl.Expr, over: str | Sequence[str] = ()) -> pl.Expr:
    """Each value's share of its partition total: ``s = x / Σ x`` (an expression builder).

    Parameters
    ----------
    value
        Column name or expression of the values (non-negative: employment, output ...).
    over
        Partition columns; the total is taken over the whole frame when empty.

    Returns
    -------
    polars.Expr
        Float64 share; null where the value is null (not reported) or the partition total is 0
        (0/0 is undefined, never a silent 0, NaN or inf). Nulls do not count in the total.

    Examples
    --------
    Industry shares of each region, ``s_ri = e_ri / e_r`` (METHODS.md, notation):

    >>> import polars as pl
    >>> df = pl.DataFrame({"region": ["A", "A", "B", "B"], "value": [30, 10, 0, 0]})
    >>> df.with_columns(s=share("value", over="region"))
    shape: (4, 3)
    ┌────────┬───────┬──────┐
    │ region ┆ value ┆ s    │
    │ ---    ┆ ---   ┆ ---  │
    │ str    ┆ i64   ┆ f64  │
    ╞════════╪═══════╪══════╡
    │ A      ┆ 30    ┆ 0.75 │
    │ A      ┆ 10    ┆ 0.25 │
    │ B      ┆ 0     ┆ null │
    │ B      ┆ 0     ┆ null │
    └────────┴───────┴──────┘
    """
    x = (pl.col(value) if isinstance(value, str) else value).cast(pl.Float64)
    total = within(x.sum(), as_names(over))
    return pl.when(total != 0).then(x / total).otherwise(None)
