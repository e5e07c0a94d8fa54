"""Balance across units (regions, firms): Gini, Atkinson, coefficient of variation and Williamson.

METHODS.md, "Balance across regions" (Theil T and L with their decomposition: :mod:`pipeline.indices.theil`,
built on the helpers here). Every function takes a long frame with one row per (``*by``, unit) and
returns one row per ``by`` partition (one row in all when ``by`` is empty) with the index, ``n_units`` (units
with a reported value), the convention used (so the printed number always says which index it is) and ``note``.

Shared conventions:

- a null value means "not reported": the unit is left out and the note counts it;
- a negative value makes every index here undefined: null with a note;
- a partition total of 0 (or nothing reported) gives null with a note;
- a single unit gives 0 (no inequality by construction) with a note saying so, or null where the formula divides
  by ``n − 1``.

The expression builders :func:`gini_coefficient` and :func:`atkinson_index` give the same
numbers inside ``group_by().agg`` or ``select`` (nulls ignored, null where undefined, no note).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import IndexInputInvalid, first_note, join_notes, require_columns, require_unique

__all__ = [
    "atkinson",
    "atkinson_index",
    "coefficient_of_variation",
    "gini",
    "gini_coefficient",
    "williamson",
]

NOTE_NONE_REPORTED = "no value reported"
NOTE_NEGATIVE = "negative values: the index needs values >= 0"
NOTE_TOTAL_ZERO = "total is 0: the index is undefined"
NOTE_SINGLE = "a single unit: the index is 0 by construction"
NOTE_SINGLE_CORRECTED = "a single unit: the corrected Gini (x n/(n - 1)) is undefined"
NOTE_SINGLE_SAMPLE = "a single unit: the sample standard deviation is undefined"
NOTE_ZERO_ATKINSON = "a unit has value 0: with epsilon >= 1 the equally distributed equivalent is 0, so the index is 1"


def _value(value: str | pl.Expr) -> pl.Expr:
    return (pl.col(value) if isinstance(value, str) else value).cast(pl.Float64)


def _named(result: pl.Expr, value: str | pl.Expr) -> pl.Expr:
    """The aggregate named after its input column, like polars' own aggregations."""
    name = value if isinstance(value, str) else value.meta.output_name(raise_if_undetermined=False)
    return result.alias(name) if name else result


def _defined(x: pl.Expr) -> pl.Expr:
    """Something reported, nothing negative, a positive total."""
    return (x.count() > 0) & (x.min() >= 0) & (x.sum() > 0)


def gini_coefficient(value: str | pl.Expr = "value", *, corrected: bool = False) -> pl.Expr:
    """Gini coefficient as an aggregation: ``G = (2 Σ_k k·x_(k) − (n + 1) Σ x) / (n Σ x)``, ``x_(k)`` ascending.

    ``corrected=True`` multiplies by ``n / (n − 1)`` (REAT ``gini(coefnorm = TRUE)``; null for n = 1).

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"value": [20, 50, 20, 10]}).select(gini_coefficient("value"))
    shape: (1, 1)
    ┌───────┐
    │ value │
    │ ---   │
    │ f64   │
    ╞═══════╡
    │ 0.3   │
    └───────┘
    """
    x = _value(value)
    n, total = x.count().cast(pl.Float64), x.sum()
    g = (2 * (x.rank("ordinal").cast(pl.Float64) * x).sum() - (n + 1) * total) / (n * total)
    if corrected:
        return _named(pl.when(_defined(x) & (n > 1)).then(g * n / (n - 1)), value)
    return _named(pl.when(_defined(x)).then(g), value)


def atkinson_index(value: str | pl.Expr = "value", *, epsilon: float = 0.5) -> pl.Expr:
    """Atkinson index as an aggregation: ``A = 1 − [(1/N) Σ (x_k/μ)^(1−ε)]^(1/(1−ε))``; ``1 − geomean/μ`` at ε = 1.

    With ε ≥ 1 a zero value makes the equally distributed equivalent 0 and ``A = 1`` (its limit).

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"value": [10, 20, 30, 40, 50]}).select(atkinson_index("value", epsilon=1))
    shape: (1, 1)
    ┌─────────┐
    │ value   │
    │ ---     │
    │ f64     │
    ╞═════════╡
    │ 0.13161 │
    └─────────┘
    """
    _check_epsilon(epsilon)
    x = _value(value)
    if epsilon == 1:
        a = 1 - x.log().mean().exp() / x.mean()
    else:
        a = 1 - (x / x.mean()).pow(1 - epsilon).mean().pow(1 / (1 - epsilon))
    return _named(pl.when(_defined(x)).then(a), value)


def _check_epsilon(epsilon: float) -> None:
    if isinstance(epsilon, bool) or not isinstance(epsilon, int | float) or not math.isfinite(epsilon) or epsilon < 0:
        raise IndexInputInvalid(f"atkinson: epsilon must be a finite number >= 0, not {epsilon!r}")


def _missing_note(missing: pl.Expr, reported: pl.Expr, what: str = "unit") -> pl.Expr:
    """ "1 unit not reported (ignored)" / "3 units not reported (ignored)" when some, not all, are null."""
    return (
        pl.when((missing == 1) & (reported > 0))
        .then(pl.lit(f"1 {what} not reported (ignored)"))
        .when((missing > 1) & (reported > 0))
        .then(pl.format(f"{{}} {what}s not reported (ignored)", missing))
        .otherwise(None)
    )


def _per_partition(data: pl.DataFrame, by: list[str], exprs: Sequence[pl.Expr]) -> pl.DataFrame:
    """Aggregate within each ``by`` partition (the whole frame, one row, when ``by`` is empty)."""
    if by:
        return data.group_by(by, maintain_order=True).agg(*exprs)
    return data.select(*exprs)


def _units(
    frame: pl.DataFrame, *, unit: str, value: str, by: Sequence[str], what: str, extra: Sequence[str] = ()
) -> pl.DataFrame:
    """Checked input: ``*by``, unit, ``*extra`` and the value as Float64 ``_x``."""
    require_columns(frame, [*by, unit, value, *extra], what=what)
    require_unique(frame, [*by, unit], what=what)
    return frame.select(*by, unit, *extra, _value(value).alias("_x"))


def _summary(x: pl.Expr) -> list[pl.Expr]:
    return [
        x.count().cast(pl.Int64).alias("n_units"),
        x.null_count().cast(pl.Int64).alias("_missing"),
        x.min().alias("_min"),
        x.sum().alias("_total"),
    ]


def _notes(*cases: tuple[pl.Expr, str]) -> pl.Expr:
    """The first reason that holds (nothing reported, negative, total 0, then ``cases``), and the missing count."""
    reason = first_note(
        (pl.col("n_units") == 0, NOTE_NONE_REPORTED),
        (pl.col("_min") < 0, NOTE_NEGATIVE),
        (pl.col("_total") == 0, NOTE_TOTAL_ZERO),
        *cases,
    )
    return join_notes(reason, _missing_note(pl.col("_missing"), pl.col("n_units")))


def gini(
    frame: pl.DataFrame, *, unit: str, value: str = "value", by: Sequence[str] = (), corrected: bool = False
) -> pl.DataFrame:
    """Gini coefficient of the units' values in each partition (plain, or corrected by ``n/(n − 1)``).

    .. math:: G = \\frac{2 \\sum_k k\\, x_{(k)} - (n + 1) \\sum_k x_k}{n \\sum_k x_k}

    with ``x_(1) <= ... <= x_(n)``; ``0 <= G <= (n − 1)/n``. ``corrected=True`` returns ``G · n/(n − 1)``,
    in [0, 1].

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, unit), non-negative values.
    unit, value, by
        Unit column (regions, firms ...), value column, partition columns.
    corrected
        ``False`` (default): the plain Gini, as pysal ``inequality.gini.Gini``, REAT 3.0.3 ``gini`` (default
        ``coefnorm = FALSE``) and EconGeo 2.0 ``gini`` (which rounds to 3 decimals). ``True``: REAT's
        ``gini(coefnorm = TRUE)``.

    Returns
    -------
    polars.DataFrame
        ``*by``, ``gini``, ``n_units``, ``corrected`` (Boolean, the convention used) and ``note``.

    References
    ----------
    Wieland, T. REAT 3.0.3, ``gini``; Rey, S. J. pysal ``inequality`` 1.1, ``gini.Gini``; Balland, P.-A.
    EconGeo 2.0, ``gini``.

    Examples
    --------
    Sales of four firms (REAT's Doersam 2004 example): G = 0.3, corrected 0.4.

    >>> import polars as pl
    >>> df = pl.DataFrame({"firm": ["a", "b", "c", "d"], "value": [20, 50, 20, 10]})
    >>> pl.concat([gini(df, unit="firm"), gini(df, unit="firm", corrected=True)])
    shape: (2, 4)
    ┌──────┬─────────┬───────────┬──────┐
    │ gini ┆ n_units ┆ corrected ┆ note │
    │ ---  ┆ ---     ┆ ---       ┆ ---  │
    │ f64  ┆ i64     ┆ bool      ┆ str  │
    ╞══════╪═════════╪═══════════╪══════╡
    │ 0.3  ┆ 4       ┆ false     ┆ null │
    │ 0.4  ┆ 4       ┆ true      ┆ null │
    └──────┴─────────┴───────────┴──────┘
    """
    by = list(by)
    data = _units(frame, unit=unit, value=value, by=by, what="gini")
    out = _per_partition(data, by, [*_summary(pl.col("_x")), gini_coefficient("_x", corrected=corrected).alias("_g")])
    single = (pl.col("n_units") == 1, NOTE_SINGLE_CORRECTED if corrected else NOTE_SINGLE)
    return out.select(
        *by, gini="_g", n_units="n_units", corrected=pl.lit(corrected), note=_notes(single)
    )


def atkinson(
    frame: pl.DataFrame, *, unit: str, value: str = "value", by: Sequence[str] = (), epsilon: float = 0.5
) -> pl.DataFrame:
    """Atkinson index with inequality aversion ``ε``: ``1 − EDE/μ``, EDE the equally distributed equivalent.

    .. math:: A_\\varepsilon = 1 - \\Big[\\frac{1}{N}\\sum_k \\big(\\frac{x_k}{\\mu}\\big)^{1-\\varepsilon}
              \\Big]^{1/(1-\\varepsilon)}, \\qquad A_1 = 1 - \\frac{(\\prod_k x_k)^{1/N}}{\\mu}

    Parameters
    ----------
    frame, unit, value, by
        As for :func:`gini`.
    epsilon
        Inequality aversion, a finite number >= 0 (0.5 by default, as REAT 3.0.3 ``atkinson``; ``ε = 0`` gives 0).

    Returns
    -------
    polars.DataFrame
        ``*by``, ``atkinson``, ``n_units``, ``epsilon`` (the convention used) and ``note``.

    Notes
    -----
    With ``ε >= 1`` a unit with value 0 makes the equally distributed equivalent 0: ``A = 1`` (its limit, as
    pysal ``inequality.atkinson`` and REAT for ``ε > 1`` return) with a note; REAT 3.0.3 returns NA at ``ε = 1``.

    References
    ----------
    Atkinson (1970), J. Econ. Theory 2(3); Wieland, T. REAT 3.0.3, ``atkinson``; pysal ``inequality`` 1.1,
    ``atkinson.Atkinson``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region": list("abcde"), "value": [10, 20, 30, 40, 50]})
    >>> atkinson(df, unit="region", epsilon=0.5)
    shape: (1, 4)
    ┌──────────┬─────────┬─────────┬──────┐
    │ atkinson ┆ n_units ┆ epsilon ┆ note │
    │ ---      ┆ ---     ┆ ---     ┆ ---  │
    │ f64      ┆ i64     ┆ f64     ┆ str  │
    ╞══════════╪═════════╪═════════╪══════╡
    │ 0.063153 ┆ 5       ┆ 0.5     ┆ null │
    └──────────┴─────────┴─────────┴──────┘
    """
    _check_epsilon(epsilon)
    by = list(by)
    data = _units(frame, unit=unit, value=value, by=by, what="atkinson")
    out = _per_partition(data, by, [*_summary(pl.col("_x")), atkinson_index("_x", epsilon=epsilon).alias("_a")])
    zero = (pl.lit(epsilon >= 1) & (pl.col("_min") == 0), NOTE_ZERO_ATKINSON)
    return out.select(
        *by,
        atkinson="_a",
        n_units="n_units",
        epsilon=pl.lit(float(epsilon)),
        note=_notes(zero, (pl.col("n_units") == 1, NOTE_SINGLE)),
    )


def coefficient_of_variation(
    frame: pl.DataFrame,
    *,
    unit: str,
    value: str = "value",
    by: Sequence[str] = (),
    sd: Literal["population", "sample"] = "population",
) -> pl.DataFrame:
    """Coefficient of variation ``CV = s / μ``: the standard deviation of the units' values over their mean.

    Parameters
    ----------
    frame, unit, value, by
        As for :func:`gini`.
    sd
        ``"population"`` (default: divide by N; the units are the whole set of regions, not a sample) or
        ``"sample"`` (divide by N − 1; REAT 3.0.3 ``cv``'s default ``is.sample = TRUE``, and R's ``sd``).

    Returns
    -------
    polars.DataFrame
        ``*by``, ``cv``, ``n_units``, ``sd`` (the convention used) and ``note``.

    References
    ----------
    Wieland, T. REAT 3.0.3, ``cv``; Huang and Leung (2009), The Open Geography Journal 2.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region": ["a", "b"], "value": [10, 30]})
    >>> pl.concat([coefficient_of_variation(df, unit="region"),
    ...            coefficient_of_variation(df, unit="region", sd="sample")])
    shape: (2, 4)
    ┌──────────┬─────────┬────────────┬──────┐
    │ cv       ┆ n_units ┆ sd         ┆ note │
    │ ---      ┆ ---     ┆ ---        ┆ ---  │
    │ f64      ┆ i64     ┆ str        ┆ str  │
    ╞══════════╪═════════╪════════════╪══════╡
    │ 0.5      ┆ 2       ┆ population ┆ null │
    │ 0.707107 ┆ 2       ┆ sample     ┆ null │
    └──────────┴─────────┴────────────┴──────┘
    """
    if sd not in ("population", "sample"):
        raise IndexInputInvalid(f"coefficient_of_variation: sd must be 'population' or 'sample', not {sd!r}")
    by = list(by)
    data = _units(frame, unit=unit, value=value, by=by, what="coefficient_of_variation")
    x = pl.col("_x")
    sample = sd == "sample"
    cv = pl.when(_defined(x) & (x.count() > int(sample))).then(x.std(ddof=int(sample)) / x.mean())
    out = _per_partition(data, by, [*_summary(x), cv.alias("_cv")])
    return out.select(
        *by,
        cv="_cv",
        n_units="n_units",
        sd=pl.lit(sd),
        note=_notes((pl.col("n_units") == 1, NOTE_SINGLE_SAMPLE if sample else NOTE_SINGLE)),
    )


def williamson(
    frame: pl.DataFrame,
    *,
    unit: str,
    value: str = "value",
    weight: str = "population",
    by: Sequence[str] = (),
    centre: Literal["weighted", "unweighted"] = "weighted",
) -> pl.DataFrame:
    """Williamson index: the population-weighted coefficient of variation of a per-capita value.

    .. math:: V_w = \\frac{\\sqrt{\\sum_k p_k (y_k - c)^2}}{\\bar y_w}, \\qquad p_k = \\frac{w_k}{\\sum w},
              \\quad \\bar y_w = \\sum_k p_k y_k

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, unit), with the per-capita value (GDP per head ...) and the weight.
    unit, value, by
        As for :func:`gini`; ``value`` is the per-capita level ``y_k``.
    weight
        Weight column, usually population ``w_k`` (non-negative, positive total).
    centre
        ``c``, the value deviations are measured from. ``"weighted"`` (default; Williamson 1965): the weighted
        mean ``ȳ_w``, i.e. the whole economy's per-capita value (REAT 3.0.3 ``williamson(wmean = TRUE)``).
        ``"unweighted"``: the plain mean of the ``y_k`` (REAT 3.0.3 ``williamson``'s default ``wmean = FALSE``).
        The denominator is ``ȳ_w`` in both.

    Returns
    -------
    polars.DataFrame
        ``*by``, ``williamson``, ``n_units``, ``centre`` (the convention used) and ``note``. A unit whose value or
        weight is null is left out (counted in the note); a negative value or weight, or a weight total of 0,
        gives null with a note.

    References
    ----------
    Williamson (1965), Econ. Dev. Cult. Change 13(4/2); Wieland, T. REAT 3.0.3, ``williamson``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region": ["a", "b"], "value": [10.0, 30.0], "population": [3, 1]})
    >>> williamson(df, unit="region")
    shape: (1, 4)
    ┌────────────┬─────────┬──────────┬──────┐
    │ williamson ┆ n_units ┆ centre   ┆ note │
    │ ---        ┆ ---     ┆ ---      ┆ ---  │
    │ f64        ┆ i64     ┆ str      ┆ str  │
    ╞════════════╪═════════╪══════════╪══════╡
    │ 0.57735    ┆ 2       ┆ weighted ┆ null │
    └────────────┴─────────┴──────────┴──────┘
    """
    if centre not in ("weighted", "unweighted"):
        raise IndexInputInvalid(f"williamson: centre must be 'weighted' or 'unweighted', not {centre!r}")
    by = list(by)
    data = _units(frame, unit=unit, value=value, by=by, what="williamson", extra=[weight])
    w = pl.col(weight).cast(pl.Float64)
    # a unit counts only with both its value and its weight reported
    data = data.with_columns(
        _x=pl.when(w.is_not_null()).then(pl.col("_x")), _w=pl.when(pl.col("_x").is_not_null()).then(w)
    )
    x, w = pl.col("_x"), pl.col("_w")
    p = w / w.sum()
    mean_w = (p * x).sum()
    c = mean_w if centre == "weighted" else x.mean()
    ok = _defined(x) & (w.min() >= 0) & (w.sum() > 0)
    index = pl.when(ok).then((p * (x - c).pow(2)).sum().sqrt() / mean_w)
    out = _per_partition(
        data, by, [*_summary(x), w.min().alias("_wmin"), w.sum().alias("_wsum"), index.alias("_v")]
    )
    return out.select(
        *by,
        williamson="_v",
        n_units="n_units",
        centre=pl.lit(centre),
        note=_notes(
            (pl.col("_wmin") < 0, f"negative {weight}: the weights must be >= 0"),
            (pl.col("_wsum") == 0, f"{weight} total is 0: the weights are undefined"),
            (pl.col("n_units") == 1, NOTE_SINGLE),
        ),
    )
