"""Theil indices of the units' values: T (GE(1)) and L (GE(0), mean log deviation), and their decomposition.

METHODS.md, "Balance across regions": Theil T ``Σ s_k ln(N s_k)`` (zero units count in N and add 0) and Theil L
(REAT's ``theil``, undefined with zeros); the between/within decomposition by a grouping that partitions the units
(e.g. Liaoning's development zones, where a grouping with a city in two zones is refused). Input and output
conventions as in :mod:`pipeline.indices.inequality`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import IndexInputInvalid, require_columns, within
from pipeline.indices.inequality import (
    NOTE_SINGLE,
    _defined,
    _named,
    _notes,
    _per_partition,
    _summary,
    _units,
    _value,
)

__all__ = ["theil", "theil_index"]

NOTE_ZERO_L = "a unit has value 0: Theil L (mean log deviation) is undefined with zeros; Theil T is defined"


def theil_index(value: str | pl.Expr = "value", *, kind: Literal["T", "L"] = "T") -> pl.Expr:
    """Theil index as an aggregation: T ``Σ_k s_k ln(N s_k)`` (GE(1)) or L ``(1/N) Σ_k ln(μ / x_k)`` (GE(0)).

    ``s_k = x_k / Σ x``; in T a zero unit counts in N and adds 0 (``0 ln 0 = 0``); L is null when a value is 0.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"value": [10, 10, 10, 20, 50]})
    >>> df.select(t=theil_index("value"), l=theil_index("value", kind="L"))
    shape: (1, 2)
    ┌──────────┬─────────┐
    │ t        ┆ l       │
    │ ---      ┆ ---     │
    │ f64      ┆ f64     │
    ╞══════════╪═════════╡
    │ 0.250201 ┆ 0.23263 │
    └──────────┴─────────┘
    """
    _check_kind(kind)
    x = _value(value)
    n = x.count().cast(pl.Float64)
    if kind == "L":
        return _named(pl.when(_defined(x) & (x.min() > 0)).then((x.mean() / x).log().mean()), value)
    s = x / x.sum()
    return _named(pl.when(_defined(x)).then(pl.when(x > 0).then(s * (n * s).log()).otherwise(0.0).sum()), value)


def _check_kind(kind: str) -> None:
    if kind not in ("T", "L"):
        raise IndexInputInvalid(f"theil: kind must be 'T' (GE(1)) or 'L' (GE(0), mean log deviation), not {kind!r}")


def theil(
    frame: pl.DataFrame,
    *,
    unit: str,
    value: str = "value",
    by: Sequence[str] = (),
    kind: Literal["T", "L"] = "T",
    group: str | None = None,
) -> pl.DataFrame:
    """Theil index T (GE(1)) or L (GE(0), mean log deviation), optionally decomposed into between and within.

    .. math:: T = \\sum_k s_k \\ln(N s_k), \\qquad L = \\frac{1}{N} \\sum_k \\ln\\frac{\\mu}{x_k}

    ``s_k = x_k / Σ x``, ``μ`` the mean, N the number of reported units. T counts zero units in N and adds 0 for
    them (``0 ln 0 = 0``); ``0 <= T <= ln N``. L is undefined when a value is 0 (null with a note).

    With ``group`` (a column that assigns each unit to exactly one group, e.g. a development zone), the index is
    split into ``between + within``: for T, ``between = Σ_g s_g ln(s_g N / N_g)`` and ``within = Σ_g s_g T_g``
    (``s_g`` the group's share of the total, ``N_g`` its units); for L, ``between = Σ_g (N_g/N) ln(μ/μ_g)`` and
    ``within = Σ_g (N_g/N) L_g``.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, unit), non-negative values.
    unit, value, by
        Unit column, value column, partition columns.
    kind
        ``"T"`` (default; pysal ``inequality.theil.Theil``) or ``"L"`` (REAT 3.0.3 ``theil``).
    group
        Optional grouping column for the decomposition (pysal ``TheilD``). Groups must not overlap: a unit in
        two groups of one partition (e.g. a city listed in two zones) raises :class:`IndexInputInvalid`.

    Returns
    -------
    polars.DataFrame
        ``*by``, ``theil``, then with ``group`` also ``between``, ``within`` and ``n_groups``, then ``n_units``,
        ``kind`` (the convention used) and ``note``.

    References
    ----------
    Theil (1967), Economics and Information Theory; Rey, S. J. pysal ``inequality`` 1.1, ``theil.Theil`` and
    ``theil.TheilD``; Wieland, T. REAT 3.0.3, ``theil`` (L); Shorrocks (1980), Econometrica 48(3).

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"city": ["a", "b", "c", "d"], "zone": ["x", "x", "y", "y"], "value": [10, 30, 20, 40]})
    >>> theil(df, unit="city", group="zone").drop("note")
    shape: (1, 6)
    ┌─────────┬──────────┬──────────┬──────────┬─────────┬──────┐
    │ theil   ┆ between  ┆ within   ┆ n_groups ┆ n_units ┆ kind │
    │ ---     ┆ ---      ┆ ---      ┆ ---      ┆ ---     ┆ ---  │
    │ f64     ┆ f64      ┆ f64      ┆ i64      ┆ i64     ┆ str  │
    ╞═════════╪══════════╪══════════╪══════════╪═════════╪══════╡
    │ 0.10644 ┆ 0.020136 ┆ 0.086305 ┆ 2        ┆ 4       ┆ T    │
    └─────────┴──────────┴──────────┴──────────┴─────────┴──────┘
    """
    _check_kind(kind)
    by = list(by)
    if group is not None:
        _require_partition(frame, unit=unit, group=group, by=by)
    data = _units(frame, unit=unit, value=value, by=by, what="theil", extra=[group] if group else [])
    x = pl.col("_x")
    out = _per_partition(data, by, [*_summary(x), theil_index(x, kind=kind).alias("_t")])
    parts: list[pl.Expr] = []
    if group is not None:
        out = _join(out, _decomposition(data.filter(x.is_not_null()), by=by, group=group, kind=kind), by)
        defined = pl.col("_t").is_not_null()
        parts = [
            pl.when(defined).then(pl.col("_between")).alias("between"),
            pl.when(defined).then(pl.col("_within")).alias("within"),
            pl.col("_groups").fill_null(0).cast(pl.Int64).alias("n_groups"),
        ]
    zero_l = [(pl.col("_min") == 0, NOTE_ZERO_L)] if kind == "L" else []
    return out.select(
        *by,
        pl.col("_t").alias("theil"),
        *parts,
        "n_units",
        kind=pl.lit(kind),
        note=_notes(*zero_l, (pl.col("n_units") == 1, NOTE_SINGLE)),
    )


def _require_partition(frame: pl.DataFrame, *, unit: str, group: str, by: list[str]) -> None:
    """Refuse a grouping that is not a partition of the units (overlapping or missing groups)."""
    require_columns(frame, [*by, unit, group], what="theil")
    if frame.get_column(group).null_count():
        first = frame.filter(pl.col(group).is_null()).row(0, named=True)
        raise IndexInputInvalid(f"theil: unit {first[unit]!r} has no {group!r}; every unit needs exactly one group")
    overlap = (
        frame.group_by([*by, unit], maintain_order=True)
        .agg(pl.col(group).unique(maintain_order=True).alias("_groups"))
        .filter(pl.col("_groups").list.len() > 1)
    )
    if overlap.height:
        first = overlap.row(0, named=True)
        raise IndexInputInvalid(
            f"theil: the groups in {group!r} overlap: unit {first[unit]!r} is in "
            f"{', '.join(map(repr, first['_groups']))} ({overlap.height} such units). The between/within "
            "decomposition needs a partition (each unit in exactly one group): pick a grouping whose groups "
            "do not overlap"
        )


def _join(left: pl.DataFrame, right: pl.DataFrame, on: list[str]) -> pl.DataFrame:
    """Left join on the partition keys; a cross join of one-row frames when there are none."""
    return left.join(right, on=on, how="left", nulls_equal=True) if on else left.join(right, how="cross")


def _decomposition(data: pl.DataFrame, *, by: list[str], group: str, kind: Literal["T", "L"]) -> pl.DataFrame:
    """``_between``, ``_within`` and ``_groups`` per partition, from the groups' counts, totals and indices."""
    x = pl.col("_x")
    groups = data.group_by([*by, group], maintain_order=True).agg(
        _n=x.count().cast(pl.Float64), _sum=x.sum(), _mean=x.mean(), _index=theil_index(x, kind=kind)
    )
    n, total = _partition_sum("_n", by), _partition_sum("_sum", by)
    if kind == "T":
        s = pl.col("_sum") / total
        between = pl.when(s > 0).then(s * (s * n / pl.col("_n")).log()).otherwise(0.0)
        inner = pl.when(s > 0).then(s * pl.col("_index")).otherwise(0.0)
    else:
        weight = pl.col("_n") / n
        between = weight * ((total / n) / pl.col("_mean")).log()
        inner = weight * pl.col("_index")
    parts = groups.with_columns(_b=between, _w=inner)
    sums = [pl.col("_b").sum().alias("_between"), pl.col("_w").sum().alias("_within"), pl.len().alias("_groups")]
    return _per_partition(parts, by, sums)


def _partition_sum(column: str, by: list[str]) -> pl.Expr:
    return within(pl.col(column).sum(), by)
