"""Growth of a series between two years: absolute change, growth rate and compound annual growth rate.

Also the window of two years the other dynamics share (:func:`year_window`): the given start and end years, or the
first and last year of each partition (:mod:`pipeline.indices.shift_share`, :mod:`pipeline.indices.portfolio`).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipeline.indices._common import IndexInputInvalid, as_names, first_note, require_columns, require_unique, within

__all__ = ["growth"]

NOTE_ONE_YEAR = "a single year in the partition: nothing to compare"
NOTE_NO_START = "no value for the start year"
NOTE_NO_END = "no value for the end year"
NOTE_START_ZERO = "the start value is 0: the growth rate is undefined"
NOTE_SIGN = "the start and end values have opposite signs: the CAGR is undefined"


def year_window(
    frame: pl.DataFrame, *, year: str, by: Sequence[str], start: int | None, end: int | None, what: str
) -> pl.DataFrame:
    """``frame`` with ``_start`` and ``_end``: the given years, or the first and last year of each partition."""
    if start is not None and end is not None and end <= start:
        raise IndexInputInvalid(f"{what}: end year {end!r} must come after start year {start!r}")
    first = within(pl.col(year).min(), by) if start is None else pl.lit(start)
    last = within(pl.col(year).max(), by) if end is None else pl.lit(end)
    return frame.with_columns(_start=first.cast(frame.schema[year]), _end=last.cast(frame.schema[year]))


def _at(column: str, year: str, which: str) -> pl.Expr:
    """The value of ``column`` in the row of the ``_start`` or ``_end`` year (an aggregation)."""
    return pl.col(column).filter(pl.col(year) == pl.col(which)).first()


def growth(
    frame: pl.DataFrame,
    *,
    unit: str | Sequence[str],
    value: str = "value",
    year: str = "year",
    start: int | None = None,
    end: int | None = None,
    by: Sequence[str] = (),
    percent: bool = False,
) -> pl.DataFrame:
    """Absolute change, growth rate and compound annual growth rate of each unit between two years.

    .. math::

        Δ = v_{end} - v_{start}, \\quad g = \\frac{v_{end}}{v_{start}} - 1, \\quad
        CAGR = \\left(\\frac{v_{end}}{v_{start}}\\right)^{1/(end - start)} - 1

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, ``*unit``, year).
    unit
        Column(s) identifying a series (a region, a region-industry pair, a cluster ...).
    value, year
        Column names; years are numbers (2008, 2014).
    start, end
        The two years; default the first and the last year present in each ``by`` partition.
    by
        Partition columns (e.g. ``("measure",)``).
    percent
        ``growth_rate`` and ``cagr`` in percent (× 100) instead of fractions.

    Returns
    -------
    polars.DataFrame
        One row per (``*by``, ``*unit``) in order of first appearance: ``start``, ``end`` (the years),
        ``value_start``, ``value_end`` (Float64), ``change``, ``growth_rate``, ``cagr`` and ``note``.

    Notes
    -----
    - A unit without a value (no row, or null) in the start or end year gets nulls and a note saying which.
    - Start value 0: ``change`` is defined, ``growth_rate`` and ``cagr`` are null with a note (never inf).
      Start and end of opposite signs: ``cagr`` null with a note.
    - A partition with a single year (``start == end`` by default) gives nulls and a note.
    - REAT 3.0.3 ``growth(val1, val2, growth.type = "rate")`` is ``growth_rate``; its default ``growth.type =
      "growth"`` is the factor ``1 + growth_rate``. REAT's ``time.periods`` option divides the rate by the
      number of periods (twice, in 3.0.3); it is not the CAGR, which is given here instead.

    References
    ----------
    Wieland, T. REAT 3.0.3, ``growth``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B", "C"], "year": [2010, 2020, 2010, 2020, 2020],
    ...                    "value": [100, 200, 0, 50, 10]})
    >>> with pl.Config(fmt_str_lengths=60, tbl_width_chars=120):
    ...     print(growth(df, unit="region_code").select("region_code", "change", "growth_rate", "cagr", "note"))
    shape: (3, 5)
    ┌─────────────┬────────┬─────────────┬──────────┬────────────────────────────────────────────────────┐
    │ region_code ┆ change ┆ growth_rate ┆ cagr     ┆ note                                               │
    │ ---         ┆ ---    ┆ ---         ┆ ---      ┆ ---                                                │
    │ str         ┆ f64    ┆ f64         ┆ f64      ┆ str                                                │
    ╞═════════════╪════════╪═════════════╪══════════╪════════════════════════════════════════════════════╡
    │ A           ┆ 100.0  ┆ 1.0         ┆ 0.071773 ┆ null                                               │
    │ B           ┆ 50.0   ┆ null        ┆ null     ┆ the start value is 0: the growth rate is undefined │
    │ C           ┆ null   ┆ null        ┆ null     ┆ no value for the start year                        │
    └─────────────┴────────┴─────────────┴──────────┴────────────────────────────────────────────────────┘
    """
    by, units = list(by), as_names(unit)
    require_columns(frame, [*by, *units, year, value], what="growth")
    require_unique(frame, [*by, *units, year], what="growth")
    data = year_window(
        frame.select(*by, *units, year, pl.col(value).cast(pl.Float64).alias("_v")),
        year=year, by=by, start=start, end=end, what="growth",
    )  # fmt: skip
    out = data.group_by([*by, *units], maintain_order=True).agg(
        pl.col("_start").first().alias("start"),
        pl.col("_end").first().alias("end"),
        _at("_v", year, "_start").alias("value_start"),
        _at("_v", year, "_end").alias("value_end"),
    )
    v1, v2 = pl.col("value_start"), pl.col("value_end")
    years = (pl.col("end") - pl.col("start")).cast(pl.Float64)
    undefined = first_note(
        (pl.col("start") >= pl.col("end"), NOTE_ONE_YEAR),
        (v1.is_null(), NOTE_NO_START),
        (v2.is_null(), NOTE_NO_END),
    )
    rate_note = first_note((v1 == 0, NOTE_START_ZERO), ((v2 / v1) < 0, NOTE_SIGN))
    scale = 100.0 if percent else 1.0
    return out.with_columns(_u=undefined, _r=rate_note).select(
        *by,
        *units,
        "start",
        "end",
        "value_start",
        "value_end",
        change=pl.when(pl.col("_u").is_null()).then(v2 - v1),
        growth_rate=pl.when(pl.col("_u").is_null() & (v1 != 0)).then((v2 / v1 - 1) * scale),
        cagr=pl.when(pl.col("_u").is_null() & pl.col("_r").is_null()).then(((v2 / v1).pow(1 / years) - 1) * scale),
        note=pl.coalesce(pl.col("_u"), pl.col("_r")),
    )
