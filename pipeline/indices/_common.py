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

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import TypeVar

import polars as pl

from pipeline.core.errors import ClusterstatsError

__all__ = [
    "IndexInputInvalid",
    "KeyCode",
    "as_names",
    "column_codes",
    "combine_codes",
    "exact_split",
    "first_note",
    "is_checked",
    "keys_checked",
    "memoised",
    "reuse_work",
    "subset_checked",
    "join_notes",
    "key_code",
    "require_columns",
    "require_unique",
    "share",
    "split_unit",
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


KeyCode = tuple[pl.Series, int]
"""A UInt64 code per row and its bound (every code is below it): see :func:`key_code`."""

_BOUND = 2**63  # codes and their products stay below this (UInt64 arithmetic never overflows)
_EXACT = (pl.String, pl.Categorical, pl.Enum, pl.Boolean)


def _physical(name: str, dtype: pl.DataType, low: object) -> pl.Expr:
    """Codes ``1..`` of a column's distinct values and ``0`` for null, equal exactly where the values are equal.

    Strings go through a private categorical mapping (freed with the codes, never left in the global string
    cache); integers and dates are shifted by their minimum ``low`` when their range is small (``low`` not None),
    else densely ranked, as are other types (equal where polars' sort says equal).
    """
    column = pl.col(name)
    if dtype == pl.String:
        physical = column.cast(pl.Categorical(pl.Categories.random())).to_physical()
    elif isinstance(dtype, pl.Categorical | pl.Enum):
        physical = column.to_physical()
    elif dtype == pl.Boolean:
        physical = column.cast(pl.UInt8)
    elif low is not None:
        physical = column.to_physical()
        physical = physical - low if dtype == pl.UInt64 else physical.cast(pl.Int64) - low
    else:
        physical = column.rank("dense") - 1
    return (physical.cast(pl.UInt64) + 1).fill_null(0).alias(name)


def column_codes(frame: pl.DataFrame, columns: Sequence[str]) -> dict[str, KeyCode]:
    """:func:`key_code` of each column alone, computed together (in parallel)."""
    names = list(dict.fromkeys(columns))
    ranged = [c for c in names if frame.schema[c].is_integer() or frame.schema[c].is_temporal()]
    lows: dict[str, object] = {}
    if ranged:
        spans = frame.select(
            *(pl.col(c).to_physical().min().alias(f"{c}\0min") for c in ranged),
            *(pl.col(c).to_physical().max().alias(f"{c}\0max") for c in ranged),
        ).row(0, named=True)
        for c in ranged:
            low, high = spans[f"{c}\0min"], spans[f"{c}\0max"]
            lows[c] = low if low is not None and high - low < 2**32 else None
    codes = frame.select(_physical(c, frame.schema[c], lows.get(c)) for c in names)
    bounds = codes.select(pl.all().max()).row(0) if codes.height else (0,) * len(names)
    return {c: (codes.get_column(c), int(b or 0) + 1) for c, b in zip(names, bounds, strict=True)}


def combine_codes(*codes: KeyCode) -> KeyCode:
    """One code for the combination of several codes (equal exactly where every part is equal), and its bound."""
    out, bound = None, 1
    for code, size in codes:
        if out is None:
            out, bound = code, size
            continue
        if bound * size >= _BOUND:  # re-number densely (0 .. distinct − 1) before the product overflows
            out = out.rank("dense").cast(pl.UInt64) - 1
            bound = int(out.max() or 0) + 1  # type: ignore[arg-type]
            if bound * size >= _BOUND:
                code = code.rank("dense").cast(pl.UInt64) - 1
                size = int(code.max() or 0) + 1  # type: ignore[arg-type]
        out, bound = out * size + code, bound * size
    if out is None:
        raise ValueError("combine_codes needs at least one code")
    return out, bound


def key_code(frame: pl.DataFrame, columns: Sequence[str]) -> KeyCode:
    """A UInt64 code of each row's values in ``columns``: two rows share a code exactly when they share every value
    (nulls equal, as in ``group_by``). With no columns, every row gets code 0 (one group). A single integer key makes
    the group-bys, windows and joins of the index functions much faster than a group-by on several string columns.
    """
    if not columns:
        return pl.zeros(frame.height, dtype=pl.UInt64, eager=True), 1
    codes = column_codes(frame, columns)
    return combine_codes(*(codes[c] for c in columns))


def split_unit(total: pl.Expr) -> pl.Expr:
    """A power of two for :func:`exact_split` of non-negative values summing to at most ``total``."""
    return pl.when(total > 0).then(pl.lit(2.0).pow(total.log(2).ceil() - 51)).otherwise(pl.lit(1.0))


def exact_split(value: pl.Expr, unit: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """``(high, low)`` with ``high`` a multiple of ``unit`` and ``value = high + low`` exactly.

    For the part of a sum over the cells that are *not* listed: ``Σ_missing v = Σ_all v − Σ_listed v`` loses the
    digits the two large sums share. With ``unit = split_unit(Σ_all v)`` every sum of high parts is exact (each
    partial sum is a multiple of ``unit`` below ``2^53 · unit``), so ``Σ_all high − Σ_listed high`` is exact and
    only the tiny low parts (each below ``unit / 2``) are rounded: the difference keeps full precision.
    """
    high = (value / unit).round() * unit
    return high, value - high


T = TypeVar("T")

_CHECKED: ContextVar[tuple[tuple[pl.DataFrame, frozenset[str]], ...]] = ContextVar("keys_checked", default=())


@contextmanager
def keys_checked(*checked: tuple[pl.DataFrame, Sequence[str]]) -> Iterator[None]:
    """Within the block, :func:`require_unique` trusts each ``(frame, keys)``: the caller vouches that no two rows
    of that very frame share ``keys`` (checked once where it is cheaper, e.g. by a warehouse audit that stops the
    build), so the index functions do not check it again on every call. A check on a superset of ``keys`` is
    trusted; on other keys, or on any other frame (a derived one included), it still runs.

    >>> import polars as pl
    >>> df = pl.DataFrame({"r": ["A", "A"], "i": ["x", "y"], "value": [1, 2]})
    >>> with keys_checked((df, ["r", "i"])):  # doctest: +ELLIPSIS
    ...     require_unique(df, ["r", "i"], what="demo")  # trusted, not checked
    ...     require_unique(df, ["r"], what="demo")  # fewer keys: checked, and duplicated
    Traceback (most recent call last):
    ...
    pipeline.indices._common.IndexInputInvalid: demo: 2 rows share their key (r) with another row, ...
    """
    token = _CHECKED.set(_CHECKED.get() + tuple((frame, frozenset(keys)) for frame, keys in checked))
    try:
        yield
    finally:
        _CHECKED.reset(token)


def subset_checked(subset: pl.DataFrame, source: pl.DataFrame) -> AbstractContextManager[None]:
    """:func:`keys_checked` for ``subset``, a selection of ``source``'s rows (a filter), on every set of keys the
    caller vouched for on ``source``: rows that were unique stay unique when some are left out."""
    return keys_checked(*((subset, keys) for known, keys in _CHECKED.get() if known is source))


def is_checked(frame: pl.DataFrame, keys: Sequence[str]) -> bool:
    """Whether the caller vouched (:func:`keys_checked`) that ``frame`` has no two rows sharing ``keys``."""
    return any(frame is known and known_keys <= set(keys) for known, known_keys in _CHECKED.get())


_MEMO: ContextVar[list[tuple[str, tuple[object, ...], tuple[object, ...], object]] | None] = ContextVar(
    "index_memo", default=None)


@contextmanager
def reuse_work() -> Iterator[None]:
    """Within the block, index functions called on the same frames with the same options share the intermediate
    results they have in common (the present cells with their totals, the integer keys) instead of recomputing
    them: a region profile runs seven indices over one year's records. Frames are immutable, so equal inputs give
    equal results; the block holds the results (and so the frames) until it ends.

    >>> import polars as pl
    >>> from pipeline.indices import hachman, krugman_specialisation
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B"], "industry_code": ["x", "y", "x"], "value": [1, 3, 4]})
    >>> with reuse_work():
    ...     shared = hachman(df), krugman_specialisation(df)
    >>> shared[0].equals(hachman(df)) and shared[1].equals(krugman_specialisation(df))
    True
    """
    token = _MEMO.set([])
    try:
        yield
    finally:
        _MEMO.reset(token)


def memoised(name: str, frames: tuple[object, ...], options: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or within :func:`reuse_work` the result of an earlier call with the same ``name``, the very
    same ``frames`` (identity) and equal ``options``."""
    memo = _MEMO.get()
    if memo is None:
        return compute()
    for known_name, known_frames, known_options, result in memo:
        if (known_name == name and known_options == options and len(known_frames) == len(frames)
                and all(a is b for a, b in zip(known_frames, frames, strict=True))):
            return result  # type: ignore[return-value]
    result = compute()
    memo.append((name, frames, options, result))
    return result


def require_unique(
    frame: pl.DataFrame, keys: Sequence[str], *, what: str, fix: str = "aggregate them first"
) -> None:
    """Raise :class:`IndexInputInvalid` when two rows share the same ``keys`` (they would count twice)."""
    if is_checked(frame, keys):
        return  # vouched for by the caller (keys_checked): the frame is alive, so its identity is its own
    schema = frame.schema
    exact = [c in schema and (schema[c] in _EXACT or schema[c].is_integer() or schema[c].is_temporal()) for c in keys]
    if keys and all(exact) and key_code(frame, keys)[0].n_unique() == frame.height:
        return  # no duplicate, found on one integer key (much faster than on the key columns); else name one
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
