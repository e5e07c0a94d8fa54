"""Dissimilarity of two distributions: the Krugman indices of specialisation and concentration, and Hoover's index.

All are sums of absolute share differences (METHODS.md, "Specialisation and concentration"):

- Krugman specialisation of region r: ``K_r = Σ_i |s_ri − q_i|``, its industry shares against a comparison
  economy's shares ``q_i`` (the total, the sum of the other regions, or the mean of the other regions' shares);
- Krugman concentration of industry i: the same with regions and industries swapped, ``K_i = Σ_r |σ_ri − q_r|``;
- Hoover's index ``½ Σ_k |a_k/Σa − b_k/Σb|`` of any two distributions over the same units; the Hoover
  coefficient of specialisation (EconGeo's ``spec_coeff``) is ``K_r / 2``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import (
    IndexInputInvalid,
    as_names,
    exact_split,
    first_note,
    join_notes,
    require_columns,
    require_unique,
    split_unit,
)
from pipeline.indices.sparse import IND, PART, REG, SparseCells, TotalsOrNumber, join_on, sparse_cells

__all__ = ["hoover", "krugman_concentration", "krugman_specialisation"]

Against = Literal["total", "others", "others_mean"]
AGAINST = ("total", "others", "others_mean")


def count_note(count: pl.Expr, one: str, many: str, tail: str, *, when: pl.Expr | None = None) -> pl.Expr:
    """``"1 industry not reported (ignored)"`` / ``"3 industries not reported (ignored)"`` where ``count > 0``."""
    some = (count > 0) if when is None else (count > 0) & when
    return (
        pl.when(some & (count == 1))
        .then(pl.lit(f"1 {one} {tail}"))
        .when(some)
        .then(pl.format(f"{{}} {many} {tail}", count))
    )


def krugman_specialisation(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    against: Against = "total",
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Krugman specialisation index of each region: ``K_r = Σ_i |s_ri − q_i|``, in [0, 2).

    ``s_ri = e_ri / e_r`` is industry i's share of region r; ``q_i`` is the comparison economy's share:

    - ``against="total"`` (default): ``q_i = e_i / e``, the whole economy including r (EconGeo 2.x
      ``krugman_index``; REAT's ``durpug`` takes its inverse); with an explicit reference, ``E_i / E``;
    - ``"others"``: ``q_i = (e_i − e_ri) / (e − e_r)``, the sum of the other regions (the rest of the reference
      economy when explicit); with two regions this is REAT 3.0.3 ``krugman.spec(e_ij, e_il)``;
    - ``"others_mean"``: the unweighted mean of the other regions' shares ``s_li`` (REAT 3.0.3
      ``krugman.spec2(e_ij, e_il)``); an explicit ``reference`` does not apply.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, industry), non-negative values.
    region, industry, value, by
        Column names; ``by`` partitions are separate economies.
    against
        The comparison economy, as above.
    region_totals, reference, reference_total
        Explicit totals as in :func:`~pipeline.indices.specialisation.location_quotient`.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, ``krugman``, ``hoover_coefficient`` (``K_r / 2``: EconGeo 2.x ``spec_coeff``),
        ``against``, ``reference`` (``"internal"``/``"explicit"``) and ``note``, in order of first appearance.

    Notes
    -----
    A region without a row for an industry present elsewhere in the partition (or in ``reference``) counts 0
    there. Values not reported (null) are left out of every total and of the sum, and the note counts them. A
    region total of 0, no other region to compare with, or an industry missing from the reference give null
    with a note.

    References
    ----------
    Krugman, P. (1991), Geography and Trade, MIT Press; Wieland, T. REAT 3.0.3, ``krugman.spec``,
    ``krugman.spec2``; Balland, P.-A. EconGeo 2.x, ``krugman_index``, ``spec_coeff``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B", "C", "C"], "industry_code": ["x", "y"] * 3,
    ...                    "value": [30, 10, 10, 30, 20, 20]})
    >>> krugman_specialisation(df).drop("reference", "note")
    shape: (3, 4)
    ┌─────────────┬─────────┬────────────────────┬─────────┐
    │ region_code ┆ krugman ┆ hoover_coefficient ┆ against │
    │ ---         ┆ ---     ┆ ---                ┆ ---     │
    │ str         ┆ f64     ┆ f64                ┆ str     │
    ╞═════════════╪═════════╪════════════════════╪═════════╡
    │ A           ┆ 0.5     ┆ 0.25               ┆ total   │
    │ B           ┆ 0.5     ┆ 0.25               ┆ total   │
    │ C           ┆ 0.0     ┆ 0.0                ┆ total   │
    └─────────────┴─────────┴────────────────────┴─────────┘
    """
    if against == "others_mean" and reference is not None:
        raise IndexInputInvalid(
            "krugman_specialisation: against='others_mean' compares with the other regions of the frame; "
            "an explicit reference= does not apply (use against='total' or 'others')"
        )
    s = sparse_cells(
        frame, region=region, industry=industry, value=value, by=by, region_totals=region_totals,
        reference=reference, reference_total=reference_total, what="krugman_specialisation",
    )  # fmt: skip
    return _krugman(
        s, group=region, keys=(REG, IND), groups=s.regions, units=s.industries, by=list(by), against=against,
        group_total="region_total", unit_total="industry_total", names=("region", "industry", "industries"),
    )  # fmt: skip


def krugman_concentration(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    against: Against = "total",
    region_totals: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Krugman concentration index of each industry: ``K_i = Σ_r |σ_ri − q_r|``, in [0, 2).

    :func:`krugman_specialisation` with the roles of regions and industries swapped: ``σ_ri = e_ri / e_i`` is
    region r's share of industry i, against

    - ``against="total"`` (default): ``q_r = e_r / e``, the region's share of all activity;
    - ``"others"``: ``q_r = (e_r − e_ri) / (e − e_i)``, its share of all other industries (with two industries
      REAT 3.0.3 ``krugman.conc(e_ij, e_uj)``);
    - ``"others_mean"``: the unweighted mean of the other industries' ``σ_ru`` (REAT 3.0.3 ``krugman.conc2``).

    ``region_totals`` (as in :func:`~pipeline.indices.specialisation.location_quotient`) gives ``e_r`` and
    ``e`` from official all-industry totals, e.g. for clusters that do not partition the economy.

    Returns
    -------
    polars.DataFrame
        ``*by``, industry, ``krugman``, ``hoover_coefficient`` (``K_i / 2``, Hoover's coefficient of
        localisation), ``against``, ``reference`` and ``note``, in order of first appearance.

    References
    ----------
    Krugman, P. (1991), Geography and Trade, MIT Press; Wieland, T. REAT 3.0.3, ``krugman.conc``,
    ``krugman.conc2``.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B"], "industry_code": ["x", "y"] * 2,
    ...                    "value": [30, 10, 10, 30]})
    >>> krugman_concentration(df, against="others").select("industry_code", "krugman", "against")
    shape: (2, 3)
    ┌───────────────┬─────────┬─────────┐
    │ industry_code ┆ krugman ┆ against │
    │ ---           ┆ ---     ┆ ---     │
    │ str           ┆ f64     ┆ str     │
    ╞═══════════════╪═════════╪═════════╡
    │ x             ┆ 1.0     ┆ others  │
    │ y             ┆ 1.0     ┆ others  │
    └───────────────┴─────────┴─────────┘
    """
    s = sparse_cells(
        frame, region=region, industry=industry, value=value, by=by, region_totals=region_totals,
        what="krugman_concentration",
    )  # fmt: skip
    return _krugman(
        s, group=industry, keys=(IND, REG), groups=s.industries, units=s.regions, by=list(by), against=against,
        group_total="industry_total", unit_total="region_total", names=("industry", "region", "regions"),
    )  # fmt: skip


def _krugman(
    s: SparseCells,
    *,
    group: str,
    keys: tuple[str, str],
    groups: pl.DataFrame,
    units: pl.DataFrame,
    by: list[str],
    against: str,
    group_total: str,
    unit_total: str,
    names: tuple[str, str, str],
) -> pl.DataFrame:
    """``Σ_k |p_gk − q_gk|`` per group g over every unit k of its partition, from the present cells only.

    ``keys`` are the integer keys of the groups and the units in ``s.cells``; ``groups`` and ``units`` list every
    group (in output order) and every unit of each partition. A missing cell (value 0) adds ``|0 − q_gk|``:

    - against the total, ``|e_k · e_g| / (e_g · e)``; against the others, the same with ``e − e_g`` for ``e``:
      an amount of the unit, ``a_k = |e_k|``, times a factor of the group;
    - against the mean of the others, ``a_k = |S_k / (n_k − 1)|`` (``S_k`` the sum of the unit's shares, ``n_k``
      the groups that have one, the missing cell's 0 included) where the group's own share is defined.

    So a group's missing cells add ``factor_g · (Σ_{all k} a_k − Σ_{present k} a_k)``, and their notes (unit not in
    the reference, nothing to compare with, comparison undefined) follow from the same per-partition counts.
    """
    if against not in AGAINST:
        raise IndexInputInvalid(f"Krugman index: against must be one of {', '.join(AGAINST)}, not {against!r}")
    group_name, unit_name, units_name = names
    group_key, unit_key = keys
    cells = s.cells
    x, g, u, e, p = pl.col("value"), pl.col(group_total), pl.col(unit_total), pl.col("total"), pl.col("_p")
    mean = against == "others_mean"
    # |p − q| over a common denominator where possible, so that equal shares give exactly 0
    if against == "total":
        lacking = (e == 0, "total is 0")
        d = pl.when((g != 0) & (e != 0)).then((x * e - u * g).abs() / (g * e))
        factor = pl.when((g != 0) & (e != 0)).then(g.abs() / (g * e))
        a = u.abs()
    elif against == "others":
        rest, others_x = e - g, u - x.fill_null(0)
        lacking = (rest == 0, f"the other {group_name}s' total is 0")
        d = pl.when((g != 0) & (rest != 0)).then((x * rest - others_x * g).abs() / (g * rest))
        factor = pl.when((g != 0) & (rest != 0)).then(g.abs() / (g * rest))
        a = u.abs()
    else:
        # n_k: every group with a defined share of unit k (a valid total; a missing cell's share is 0) but those
        # whose value there is not reported
        has_share = (g != 0).fill_null(False)
        per_unit = cells.group_by(unit_key).agg(
            _S=(x / g).filter(has_share).sum(), _nulls=(x.is_null() & has_share).sum().cast(pl.Int64)
        )
        sharing = groups.group_by(PART).agg(_V=has_share.sum().cast(pl.Int64))
        units = join_on(units.join(per_unit, on=unit_key, how="left", maintain_order="left"), sharing, PART)
        units = units.with_columns(_n=pl.col("_V") - pl.col("_nulls").fill_null(0), _S=pl.col("_S").fill_null(0.0))
        others = pl.col("_n") - p.is_not_null().cast(pl.Int64)
        lacking = (others == 0, f"no other {group_name} to compare with")
        q = pl.when(others > 0).then((pl.col("_S") - p.fill_null(0)) / others)
        d = (p - q).abs()
        factor = pl.when(g != 0).then(pl.lit(1.0))
        a = pl.when(pl.col("_n") > 1).then((pl.col("_S") / (pl.col("_n") - 1)).abs())
    # every unit's amount, split so that the sum over a group's missing cells (all − present) is exact
    units = units.with_columns(_a=a)
    units = join_on(units, units.group_by(PART).agg(_unit=split_unit(pl.col("_a").sum())), PART)
    high, low = exact_split(pl.col("_a"), pl.col("_unit"))
    units = units.with_columns(_a_high=high, _a_low=low)
    per_unit_columns = ["_a", "_a_high", "_a_low", *(["_n", "_S"] if mean else [])]
    cells = join_on(cells, units.filter(pl.col(unit_key).is_not_null()).select(unit_key, *per_unit_columns), unit_key)
    # the same counts and sums over all the units of the partition and over the units of a group's present cells:
    # their differences describe the group's missing cells
    counted = {
        "positive": (pl.col("_a") > 0).sum().cast(pl.Int64),
        "undefined": pl.col("_a").is_null().sum().cast(pl.Int64),
        "unknown": u.is_null().sum().cast(pl.Int64),
        "high": pl.col("_a_high").sum(),
        "low": pl.col("_a_low").sum(),
    }
    if mean:
        counted["alone"] = (pl.col("_n") == 1).sum().cast(pl.Int64)  # units where only the group has a share
    partition = units.group_by(PART).agg(
        pl.len().cast(pl.Int64).alias("_N"), *(c.alias(f"_all_{name}") for name, c in counted.items())
    )
    present = (
        cells.with_columns(_p=pl.when(g != 0).then(x / g))
        .with_columns(_d=d, _lacking=lacking[0])
        .group_by(group_key)
        .agg(
            pl.col("_d").sum().alias("_k"),
            pl.len().cast(pl.Int64).alias("_n_present"),
            x.null_count().cast(pl.Int64).alias("_missing"),
            (x.is_not_null() & pl.col("_lacking")).any().alias("_lacking"),
            (x.is_not_null() & u.is_null()).any().alias("_unknown"),
            (x.is_not_null() & pl.col("_d").is_null()).any().alias("_undefined"),
            *(c.alias(f"_present_{name}") for name, c in counted.items()),
        )
    )
    summary = join_on(join_on(groups, present, group_key), partition, PART)

    def missing(name: str) -> pl.Expr:
        """The count or sum over the group's missing cells (every one has a value: 0)."""
        return pl.col(f"_all_{name}") - pl.col(f"_present_{name}")

    missing_cells = pl.col("_N") - pl.col("_n_present")
    # exactly 0 when no missing cell has a positive amount (a region with the reference's structure: K = 0)
    amount = pl.max_horizontal(missing("high") + missing("low"), pl.lit(0.0))
    missing_sum = pl.when(missing("positive") == 0).then(0.0).otherwise(factor * amount).fill_null(0.0)
    missing_lacking = (missing("alone") > 0) if mean else (missing_cells > 0) & lacking[0]
    summary = summary.with_columns(
        _k=pl.col("_k") + missing_sum,
        _reported=pl.col("_N") - pl.col("_missing"),
        _g=g,
        _lacking=pl.col("_lacking") | missing_lacking,
        _unknown=pl.col("_unknown") | (missing("unknown") > 0),
        _undefined=pl.col("_undefined") | ((missing_cells > 0) & factor.is_null()) | (missing("undefined") > 0),
        reference=pl.lit(s.reference),
    )
    reason = first_note(
        (pl.col("_reported") == 0, "no value reported"),
        (pl.col("_g").is_null(), f"{group_name} total not given"),
        (pl.col("_g") == 0, f"{group_name} total is 0"),
        (pl.col("_unknown"), f"{unit_name} not in the reference"),
        (pl.col("_lacking"), lacking[1]),
        (pl.col("_undefined"), f"the comparison share is undefined for some {units_name}"),
    )
    missing = pl.col("_missing")
    k = pl.when(reason.is_null()).then(pl.col("_k"))
    return summary.select(
        *by,
        group,
        krugman=k,
        hoover_coefficient=k / 2,
        against=pl.lit(against),
        reference="reference",
        note=join_notes(
            reason,
            count_note(missing, unit_name, units_name, "not reported (ignored)", when=pl.col("_reported") > 0),
        ),
    )


def hoover(
    frame: pl.DataFrame,
    *,
    unit: str,
    value: str = "value",
    against: str | None = None,
    group: str | Sequence[str] = (),
    by: Sequence[str] = (),
    percent: bool = False,
) -> pl.DataFrame:
    """Hoover index of each group: ``½ Σ_k |a_k / Σ a − b_k / Σ b|`` over its units k, in [0, 1).

    ``a`` is ``value`` and ``b`` the ``against`` column (population, area, all employment ...), or the uniform
    distribution ``b_k = 1`` when ``against`` is None (REAT's ``hoover(x)`` without ``ref``, EconGeo's
    ``hoover_index(mat)`` without ``pop``). It is the share of ``a`` that would have to move between units to
    match the distribution of ``b``.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, ``*group``, unit).
    unit
        The units over which the two distributions are compared (regions, industries).
    value, against
        Column of the distribution ``a``; column of ``b`` (None: uniform).
    group, by
        Column(s) of the groups, each compared separately (e.g. industries, each against population); ``by``
        partitions. With neither, the whole frame is one group.
    percent
        ``False`` (default): a fraction, as REAT 3.0.3 ``hoover`` returns; ``True``: × 100, as EconGeo 2.x
        ``hoover_index`` prints it (EconGeo also rounds to 2 decimals; we do not round).

    Returns
    -------
    polars.DataFrame
        ``*by``, ``*group``, ``hoover``, ``n_units`` (units with both values reported) and ``note``.

    Notes
    -----
    Rows where ``a`` or ``b`` is null are left out (as REAT's and EconGeo's ``complete.cases``) and counted in
    the note. ``Σ a = 0`` or ``Σ b = 0`` gives null with a note (EconGeo prints NaN).

    References
    ----------
    Hoover, E.M. (1936), Rev. Econ. Stat. 18(4); Wieland, T. REAT 3.0.3, ``hoover``; Balland, P.-A.
    EconGeo 2.x, ``hoover_index``.

    Examples
    --------
    EconGeo's example: 30 % of the population (the last region) produces 50 % of the output.

    >>> import polars as pl
    >>> df = pl.DataFrame({"region": ["R1", "R2", "R3", "R4", "R5"], "output": [0, 10, 10, 30, 50],
    ...                    "population": [10, 15, 20, 25, 30]})
    >>> hoover(df, unit="region", value="output", against="population")
    shape: (1, 3)
    ┌────────┬─────────┬──────┐
    │ hoover ┆ n_units ┆ note │
    │ ---    ┆ ---     ┆ ---  │
    │ f64    ┆ i64     ┆ str  │
    ╞════════╪═════════╪══════╡
    │ 0.25   ┆ 5       ┆ null │
    └────────┴─────────┴──────┘
    """
    by, groups = list(by), as_names(group)
    extra = [against] if against is not None else []
    require_columns(frame, [*by, *groups, unit, value, *extra], what="hoover")
    require_unique(frame, [*by, *groups, unit], what="hoover")
    a = pl.col(value).cast(pl.Float64)
    b = pl.col(against).cast(pl.Float64) if against is not None else pl.lit(1.0)
    complete = a.is_not_null() & b.is_not_null()
    data = frame.select(*by, *groups, _a=pl.when(complete).then(a), _b=pl.when(complete).then(b), _skip=~complete)
    sa, sb = pl.col("_a").sum(), pl.col("_b").sum()
    aggs = [
        ((pl.col("_a") / sa - pl.col("_b") / sb).abs().sum() / 2).alias("_h"),
        pl.col("_a").count().cast(pl.Int64).alias("n_units"),
        pl.col("_skip").sum().cast(pl.Int64).alias("_missing"),
        sa.alias("_sa"),
        sb.alias("_sb"),
    ]
    keys = [*by, *groups]
    out = data.group_by(keys, maintain_order=True).agg(aggs) if keys else data.select(aggs)
    reason = first_note(
        (pl.col("n_units") == 0, "no complete pair of values"),
        (pl.col("_sa") == 0, f"the total of {value!r} is 0"),
        (pl.col("_sb") == 0, f"the total of {against!r} is 0"),
    )
    h = pl.when(reason.is_null()).then(pl.col("_h"))
    return out.select(
        *keys,
        hoover=h * 100 if percent else h,
        n_units="n_units",
        note=join_notes(
            reason,
            count_note(pl.col("_missing"), "unit", "units", "with a value not reported (ignored)"),
        ),
    )
