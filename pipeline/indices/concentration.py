"""Concentration of a group's total over its units: Herfindahl-Hirschman index and concentration ratios.

The same functions serve every reading of "concentration" in METHODS.md, by choosing the unit and the group:

- firms (unit) in a cluster (group): market concentration;
- regions (unit) of an industry (group): geographic concentration ``Σ_r σ_ri²``;
- industries (unit) of a region (group): diversity ``Σ_i s_ri²``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import (
    IndexInputInvalid,
    as_names,
    first_note,
    join_notes,
    require_columns,
    require_unique,
    within,
)

__all__ = ["concentration_ratio", "cr", "herfindahl", "hhi"]

NOTE_NONE_REPORTED = "no value reported"
NOTE_TOTAL_ZERO = "group total is 0: the shares are undefined"
NOTE_SINGLE_UNIT = "the universe has a single unit (n = 1): hhi_normalised is undefined"


def _value(value: str | pl.Expr) -> pl.Expr:
    return (pl.col(value) if isinstance(value, str) else value).cast(pl.Float64)


def hhi(value: str | pl.Expr = "value") -> pl.Expr:
    """Herfindahl-Hirschman index as an aggregation: ``H = Σ_k s_k²`` with ``s_k = x_k / Σ x``.

    For ``group_by(...).agg(...)`` or ``select``; nulls are ignored; null when the total is 0.

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"value": [50, 30, 20]}).select(hhi("value"))
    shape: (1, 1)
    ┌───────┐
    │ value │
    │ ---   │
    │ f64   │
    ╞═══════╡
    │ 0.38  │
    └───────┘
    """
    x = _value(value)
    return pl.when(x.sum() != 0).then(x.pow(2).sum() / x.sum().pow(2)).otherwise(None)


def cr(value: str | pl.Expr = "value", k: int = 4) -> pl.Expr:
    """Concentration ratio as an aggregation: the sum of the ``k`` largest shares (null when the total is 0).

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"value": [50, 30, 20]}).select(cr("value", k=2))
    shape: (1, 1)
    ┌───────┐
    │ value │
    │ ---   │
    │ f64   │
    ╞═══════╡
    │ 0.8   │
    └───────┘
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise IndexInputInvalid(f"concentration ratio: k must be a positive integer, not {k!r}")
    x = _value(value)
    return pl.when(x.sum() != 0).then(x.drop_nulls().top_k(k).sum() / x.sum()).otherwise(None)


def _missing_note(missing: pl.Expr, reported: pl.Expr) -> pl.Expr:
    """ "1 unit not reported (ignored)" / "3 units not reported (ignored)" when some, not all, are null."""
    return (
        pl.when((missing == 1) & (reported > 0))
        .then(pl.lit("1 unit not reported (ignored)"))
        .when((missing > 1) & (reported > 0))
        .then(pl.format("{} units not reported (ignored)", missing))
        .otherwise(None)
    )


def _group_summary(
    frame: pl.DataFrame, *, unit: str, groups: list[str], value: str, by: list[str], what: str
) -> tuple[pl.DataFrame, pl.Expr, list[pl.Expr]]:
    """Checked input, the aggregations every concentration index shares, and the "undefined" note."""
    require_columns(frame, [*by, *groups, unit, value], what=what)
    require_unique(frame, [*by, *groups, unit], what=what)
    x = _value(value)
    summary = [
        x.count().cast(pl.Int64).alias("n_units"),
        (x > 0).sum().cast(pl.Int64).alias("n_positive"),
        x.null_count().cast(pl.Int64).alias("_missing"),
        x.sum().alias("_total"),
        pl.len().cast(pl.Int64).alias("_rows"),
    ]
    undefined = first_note(
        (pl.col("n_units") == 0, NOTE_NONE_REPORTED), (pl.col("_total") == 0, NOTE_TOTAL_ZERO)
    )
    return frame.select(*by, *groups, unit, value), undefined, summary


def herfindahl(
    frame: pl.DataFrame,
    *,
    unit: str,
    group: str | Sequence[str],
    value: str = "value",
    by: Sequence[str] = (),
    n: int | Literal["partition", "group"] | None = None,
    scale: Literal["share", "points"] = "share",
) -> pl.DataFrame:
    """Herfindahl-Hirschman index of each group: ``H = Σ_k s_k²``, ``s_k = x_k / Σ_k x_k`` over its units.

    Also the normalised index ``H* = (H − 1/n) / (1 − 1/n)`` and the numbers-equivalent ``1/H``.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, ``*group``, unit), non-negative values.
    unit
        The column whose members share the group's total (firms, regions, industries).
    group
        Column(s) identifying a group (e.g. ``"industry_code"`` for geographic concentration).
    value, by
        Value column; partition columns (each partition is separate).
    n
        Size of the universe of units for ``H*``, counting units with a zero value. Default: the number of
        distinct units present anywhere in the frame within the ``by`` partition, so a region missing for
        one industry counts as a zero unit of that industry (``"partition"`` says the same explicitly).
        ``"group"``: the units listed in each group (firms of a cluster, for market concentration).
    scale
        ``"share"`` (0-1) or ``"points"``: antitrust points, shares in percent, ``H`` in 0-10000.
        ``hhi_normalised`` and ``equivalent_number`` stay on the share scale either way.

    Returns
    -------
    polars.DataFrame
        ``*by``, ``*group``, ``hhi``, ``n_units`` (units with a reported value), ``n_positive`` (units with a
        value > 0), ``hhi_normalised``, ``equivalent_number`` and ``note``, in order of first appearance.

    Notes
    -----
    Null values (not reported) are ignored and the note says how many. The shares are of the group total,
    i.e. the sum of the listed units. A group total of 0 (or no reported value) gives nulls and a note;
    ``n = 1`` gives ``hhi_normalised`` null and a note. ``1/n_positive <= H <= 1`` (METHODS.md).

    References
    ----------
    Wieland, T. REAT 3.0.3, ``herf``; Hirschman (1964), "The paternity of an index", AER 54(5); U.S. DoJ/FTC
    Merger Guidelines (2023) for the points scale.

    Examples
    --------
    Geographic concentration: regions are the units, industries the groups; region C has no row for ``y``
    but counts in the universe (n = 3).

    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "B", "C", "A", "B"],
    ...                    "industry_code": ["x", "x", "x", "y", "y"], "value": [50, 30, 20, 10, 0]})
    >>> herfindahl(df, unit="region_code", group="industry_code").drop("note")
    shape: (2, 6)
    ┌───────────────┬──────┬─────────┬────────────┬────────────────┬───────────────────┐
    │ industry_code ┆ hhi  ┆ n_units ┆ n_positive ┆ hhi_normalised ┆ equivalent_number │
    │ ---           ┆ ---  ┆ ---     ┆ ---        ┆ ---            ┆ ---               │
    │ str           ┆ f64  ┆ i64     ┆ i64        ┆ f64            ┆ f64               │
    ╞═══════════════╪══════╪═════════╪════════════╪════════════════╪═══════════════════╡
    │ x             ┆ 0.38 ┆ 3       ┆ 3          ┆ 0.07           ┆ 2.631579          │
    │ y             ┆ 1.0  ┆ 2       ┆ 1          ┆ 1.0            ┆ 1.0               │
    └───────────────┴──────┴─────────┴────────────┴────────────────┴───────────────────┘
    """
    by, groups = list(by), as_names(group)
    if scale not in ("share", "points"):
        raise IndexInputInvalid(f"herfindahl: scale must be 'share' or 'points', not {scale!r}")
    if n not in (None, "partition", "group") and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise IndexInputInvalid(
            f"herfindahl: n must be a positive integer, 'partition', 'group' or None, not {n!r}"
        )
    data, undefined, summary = _group_summary(
        frame, unit=unit, groups=groups, value=value, by=by, what="herfindahl"
    )
    if n is None or n == "partition":
        universe = within(pl.col(unit).n_unique(), by)
    elif n == "group":
        universe = within(pl.len(), [*by, *groups])
    else:
        universe = pl.lit(n)
    out = (
        data.with_columns(_n=universe.cast(pl.Int64))
        .group_by([*by, *groups], maintain_order=True)
        .agg(*summary, hhi(value).alias("_h"), pl.col("_n").first())
    )
    if isinstance(n, int) and out.height and out["_rows"].max() > n:  # type: ignore[operator]
        raise IndexInputInvalid(f"herfindahl: n = {n} is smaller than a group's {out['_rows'].max()} units")
    h, n_ = pl.col("_h"), pl.col("_n")
    return out.select(
        *by,
        *groups,
        hhi=h * 10_000 if scale == "points" else h,
        n_units="n_units",
        n_positive="n_positive",
        hhi_normalised=pl.when(n_ > 1).then((h - 1 / n_) / (1 - 1 / n_)).otherwise(None),
        equivalent_number=1 / h,
        note=join_notes(
            undefined,
            pl.when(h.is_not_null() & (n_ == 1)).then(pl.lit(NOTE_SINGLE_UNIT)),
            _missing_note(pl.col("_missing"), pl.col("n_units")),
        ),
    )


def concentration_ratio(
    frame: pl.DataFrame,
    *,
    unit: str,
    group: str | Sequence[str],
    value: str = "value",
    by: Sequence[str] = (),
    k: int = 4,
) -> pl.DataFrame:
    """Concentration ratio ``CR_k``: the sum of the ``k`` largest unit shares of each group's total.

    Parameters
    ----------
    frame, unit, group, value, by
        As for :func:`herfindahl`.
    k
        Number of largest units (CR4 and CR8 are usual).

    Returns
    -------
    polars.DataFrame
        ``*by``, ``*group``, ``cr{k}`` (e.g. ``cr4``), ``n_units`` (units with a reported value), ``note``.

    Notes
    -----
    Ties among the k-th largest units do not matter (equal shares). When a group has at most ``k`` units
    with a positive value, ``CR_k`` is 1 by construction: it is still defined and returned as 1, with the
    note ``"at most k units with a positive value: CR_k is 1 by construction"`` (k filled in). A group total
    of 0 gives null and a note; null values are ignored and counted in the note.

    References
    ----------
    Bain (1951), QJE 65(3); U.S. Census Bureau, Economic Census concentration ratios (CR4, CR8).

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"cluster": ["c"] * 5 + ["d"] * 2, "firm": list("abcdefg"),
    ...                    "value": [40, 20, 20, 10, 10, 70, 30]})
    >>> with pl.Config(fmt_str_lengths=70):
    ...     print(concentration_ratio(df, unit="firm", group="cluster"))
    shape: (2, 4)
    ┌─────────┬─────┬─────────┬─────────────────────────────────────────────────────────────────┐
    │ cluster ┆ cr4 ┆ n_units ┆ note                                                            │
    │ ---     ┆ --- ┆ ---     ┆ ---                                                             │
    │ str     ┆ f64 ┆ i64     ┆ str                                                             │
    ╞═════════╪═════╪═════════╪═════════════════════════════════════════════════════════════════╡
    │ c       ┆ 0.9 ┆ 5       ┆ null                                                            │
    │ d       ┆ 1.0 ┆ 2       ┆ at most 4 units with a positive value: CR4 is 1 by construction │
    └─────────┴─────┴─────────┴─────────────────────────────────────────────────────────────────┘
    """
    by, groups = list(by), as_names(group)
    share_top = cr(value, k)  # validates k
    data, undefined, summary = _group_summary(
        frame, unit=unit, groups=groups, value=value, by=by, what="concentration_ratio"
    )
    trivial = f"at most {k} units with a positive value: CR{k} is 1 by construction"
    out = data.group_by([*by, *groups], maintain_order=True).agg(*summary, share_top.alias("_cr"))
    return out.select(
        *by,
        *groups,
        pl.col("_cr").alias(f"cr{k}"),
        "n_units",
        note=join_notes(
            undefined,
            pl.when(pl.col("_cr").is_not_null() & (pl.col("n_positive") <= k)).then(pl.lit(trivial)),
            _missing_note(pl.col("_missing"), pl.col("n_units")),
        ),
    )
