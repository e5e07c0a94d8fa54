"""Specialisation of regions in industries: the location quotient, its change, and its reference economies.

Notation (METHODS.md): ``e_ri`` value of industry i in region r, ``e_r = Σ_i e_ri``, ``e_i = Σ_r e_ri``,
``e = Σ e_ri``; ``s_ri = e_ri / e_r`` and ``s_i = e_i / e``.

Reference economy (METHODS.md, "Reference economy"): internal by default (every total is a sum over the frame
within each ``by`` partition), or explicit: national industry totals ``E_i`` (``reference=``) and a national
total ``E`` (``reference_total=``) that may be larger than the sum of the listed industries, and explicit
region totals ``e_r`` (``region_totals=``) larger than the region's listed industries. The reference used is
recorded in the ``reference`` column of every result.

The indices built on the same shares (Krugman, Hoover coefficient, Hachman, diversity ...) are in
:mod:`pipeline.indices.dissimilarity` and :mod:`pipeline.indices.diversification`. They read the region x industry
matrix as complete (a missing cell is a 0, as in REAT's and EconGeo's matrices) but never build it:
:func:`sparse_cells` gives them the present cells with their totals and the lists of every region and industry of
each partition, from which the missing cells' part of each index follows analytically (``specialisation_cells``
still builds the completed matrix, for callers that really need it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import polars as pl

from pipeline.indices._common import (
    IndexInputInvalid,
    KeyCode,
    column_codes,
    combine_codes,
    first_note,
    is_checked,
    join_notes,
    key_code,
    memoised,
    require_columns,
    require_unique,
    within,
)

__all__ = ["location_quotient", "lq", "lq_change"]

NOTE_NOT_REPORTED = "value not reported"
NOTE_REGION_NOT_GIVEN = "region total not given"
NOTE_REGION_ZERO = "region total is 0"
NOTE_NOT_IN_REFERENCE = "industry not in the reference"
NOTE_INDUSTRY_ZERO = "industry total is 0"
NOTE_TOTAL_NOT_GIVEN = "national total not given"
NOTE_TOTAL_ZERO = "total is 0"
NOTE_SINGLE_REGION = "single region: LQ is 1 by construction"
NOTE_EXCEEDS_REFERENCE = "value exceeds the reference industry total: check the reference"
NOTE_WRITTEN_AS_ZERO = "written as 0 (zero_if_undefined)"

Additive = Literal["industry_share", "region_share"]
TotalsOrNumber = pl.DataFrame | float | int | None

#: Integer key columns (see :func:`matrix_codes`): the partition, the (partition, region), the (partition, industry).
PART, REG, IND = "__p", "__r", "__i"


def lq(
    value: str = "value",
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    by: Sequence[str] = (),
) -> pl.Expr:
    """Location quotient as an expression: ``LQ_ri = (e_ri / e_r) / (e_i / e)`` (internal reference).

    Use it in ``with_columns`` on a long frame with one row per (``*by``, region, industry). Null where the
    value is null or a total it divides by is 0; :func:`location_quotient` adds the ``note`` saying why.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "B", "B"], "industry_code": ["x", "y", "x", "y"],
    ...                    "value": [30, 10, 10, 30]})
    >>> df.with_columns(lq=lq("value"))
    shape: (4, 4)
    ┌─────────────┬───────────────┬───────┬─────┐
    │ region_code ┆ industry_code ┆ value ┆ lq  │
    │ ---         ┆ ---           ┆ ---   ┆ --- │
    │ str         ┆ str           ┆ i64   ┆ f64 │
    ╞═════════════╪═══════════════╪═══════╪═════╡
    │ A           ┆ x             ┆ 30    ┆ 1.5 │
    │ A           ┆ y             ┆ 10    ┆ 0.5 │
    │ B           ┆ x             ┆ 10    ┆ 0.5 │
    │ B           ┆ y             ┆ 30    ┆ 1.5 │
    └─────────────┴───────────────┴───────┴─────┘
    """
    x = pl.col(value).cast(pl.Float64)
    e_r, e_i, e = within(x.sum(), [*by, region]), within(x.sum(), [*by, industry]), within(x.sum(), by)
    return pl.when((e_r != 0) & (e_i != 0) & (e != 0)).then((x * e) / (e_r * e_i)).otherwise(None)


def location_quotient(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    threshold: float = 1.0,
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
    additive: Additive = "industry_share",
    zero_if_undefined: bool = False,
) -> pl.DataFrame:
    """Location quotient of every region-industry cell, against the internal or an explicit reference economy.

    .. math:: LQ_{ri} = \\frac{e_{ri} / e_r}{e_i / e}

    Internal reference (default): totals are sums over the frame within each ``by`` partition. Explicit
    reference: ``e_i`` and ``e`` are the national figures ``E_i`` and ``E`` of ``reference`` and
    ``reference_total``; ``e_r`` may be explicit too (``region_totals``). Also the additive form and the
    binary "specialised" flag.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, industry), non-negative values.
    region, industry, value
        Column names.
    by
        Partition columns (e.g. ``("year", "measure")``); each partition is a separate economy. Explicit
        totals frames carry the same ``by`` columns.
    threshold
        ``specialised`` is ``lq >= threshold`` (1 by default; 1.2, 1.25 and 2 are used elsewhere).
    region_totals
        Explicit ``e_r``: a frame of (``*by``, region, ``region_total``), for totals larger than the listed
        industries (official all-industry totals; a region's whole economy when the frame holds clusters).
        Without ``reference``, ``e`` is then the sum of these totals in each partition. A region of the frame
        missing here gets ``lq`` null, note ``"region total not given"``.
    reference
        Explicit national industry totals ``E_i``: a frame of (``*by``, industry, ``reference_value``). An
        industry of the frame missing here gets ``lq`` null, note ``"industry not in the reference"``.
    reference_total
        The national total ``E`` (a number, or a frame of (``*by``, ``reference_total``)); official totals
        include unlisted industries, so it may exceed the sum of ``reference`` (never fall short of it).
        Default: the sum of ``reference`` in each partition. Needs ``reference``.
    additive
        The additive form in ``lq_additive``: ``"industry_share"`` (default) ``s_ri − s_i``, the industry's
        share of the region minus its share of the reference (Hoen and Oosterhaven 2006's additive RCA); or
        ``"region_share"``: ``e_ri / e_i − e_r / e``, the region's share of the industry minus its share of the
        whole, which is what REAT 3.0.3 ``locq(..., LQ.method = "a")`` computes.
    zero_if_undefined
        Write 0 instead of null where the LQ is 0/0 (a region, industry or grand total of 0), EconGeo 2.x's
        ``location_quotient`` convention (``lq[is.na(lq)] <- 0``); the note still says why. A value not
        reported, or an industry not in the reference, stays null.

    Returns
    -------
    polars.DataFrame
        In input row order: ``*by``, region, industry, value, ``region_total`` (e_r), ``industry_total``
        (e_i or E_i), ``total`` (e or E) (Float64), ``lq``, ``lq_additive``, ``specialised`` (Boolean; null
        where ``lq`` is null), ``reference`` (``"internal"`` or ``"explicit"``: explicit when ``reference`` is
        given) and ``note`` (String, null when nothing to say).

    Notes
    -----
    Conventions (METHODS.md, "Specialisation and concentration"):

    - A null value means "not reported": ``lq`` null, note ``"value not reported"``; it counts in no total.
    - ``e_r = 0``: ``lq`` null, note ``"region total is 0"``. ``e_i = 0``: ``lq`` null, note ``"industry total
      is 0"`` (0/0; EconGeo writes 0: ``zero_if_undefined=True``). ``lq_additive`` is defined wherever its two
      shares are.
    - A zero value with positive totals gives ``lq = 0`` (defined).
    - Internal reference with a single reporting region in a partition: every LQ is 1 by construction; the
      note ``"single region: LQ is 1 by construction"`` warns that it is not a finding.
    - Explicit reference: a value larger than its ``E_i`` keeps its LQ with a note to check the reference.
    - Computed as ``(e_ri · e) / (e_r · e_i)`` (and the additive forms over a common denominator), so that a
      cell whose share equals the reference's gets exactly 1 (0), never 0.9999999999999999, and the binary flag
      at the threshold does not depend on rounding; REAT and EconGeo divide the shares first (differences of a
      few 1e-16).

    References
    ----------
    Wieland, T. REAT 3.0.3, ``locq`` (explicit reference) and ``locq2`` (internal); Balland, P.-A. EconGeo 2.x,
    ``location_quotient``; Hoen, A.R. and Oosterhaven, J. (2006), Ann. Reg. Sci. 40(3) (additive form);
    Delgado, Porter and Stern (2016), J. Econ. Geography 16(1) (USCMP cluster LQs).

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({
    ...     "region_code": ["A", "A", "A", "B", "B", "B"],
    ...     "industry_code": ["x", "y", "z", "x", "y", "z"],
    ...     "value": [30, 10, 0, 10, 30, None],
    ... })
    >>> location_quotient(df).select("region_code", "industry_code", "value", "lq", "specialised", "note")
    shape: (6, 6)
    ┌─────────────┬───────────────┬───────┬──────┬─────────────┬─────────────────────┐
    │ region_code ┆ industry_code ┆ value ┆ lq   ┆ specialised ┆ note                │
    │ ---         ┆ ---           ┆ ---   ┆ ---  ┆ ---         ┆ ---                 │
    │ str         ┆ str           ┆ i64   ┆ f64  ┆ bool        ┆ str                 │
    ╞═════════════╪═══════════════╪═══════╪══════╪═════════════╪═════════════════════╡
    │ A           ┆ x             ┆ 30    ┆ 1.5  ┆ true        ┆ null                │
    │ A           ┆ y             ┆ 10    ┆ 0.5  ┆ false       ┆ null                │
    │ A           ┆ z             ┆ 0     ┆ null ┆ null        ┆ industry total is 0 │
    │ B           ┆ x             ┆ 10    ┆ 0.5  ┆ false       ┆ null                │
    │ B           ┆ y             ┆ 30    ┆ 1.5  ┆ true        ┆ null                │
    │ B           ┆ z             ┆ null  ┆ null ┆ null        ┆ value not reported  │
    └─────────────┴───────────────┴───────┴──────┴─────────────┴─────────────────────┘

    One city against the national economy (explicit reference): the city's total (100) includes an unlisted
    industry, and so does the national total (1000).

    >>> city = pl.DataFrame({"region_code": ["C", "C"], "industry_code": ["x", "y"], "value": [20, 50]})
    >>> nation = pl.DataFrame({"industry_code": ["x", "y"], "reference_value": [100, 600]})
    >>> totals = pl.DataFrame({"region_code": ["C"], "region_total": [100]})
    >>> location_quotient(city, reference=nation, reference_total=1000, region_totals=totals).select(
    ...     "industry_code", "region_total", "industry_total", "total", "lq", "reference")
    shape: (2, 6)
    ┌───────────────┬──────────────┬────────────────┬────────┬──────────┬───────────┐
    │ industry_code ┆ region_total ┆ industry_total ┆ total  ┆ lq       ┆ reference │
    │ ---           ┆ ---          ┆ ---            ┆ ---    ┆ ---      ┆ ---       │
    │ str           ┆ f64          ┆ f64            ┆ f64    ┆ f64      ┆ str       │
    ╞═══════════════╪══════════════╪════════════════╪════════╪══════════╪═══════════╡
    │ x             ┆ 100.0        ┆ 100.0          ┆ 1000.0 ┆ 2.0      ┆ explicit  │
    │ y             ┆ 100.0        ┆ 600.0          ┆ 1000.0 ┆ 0.833333 ┆ explicit  │
    └───────────────┴──────────────┴────────────────┴────────┴──────────┴───────────┘
    """
    by = list(by)
    if not math.isfinite(threshold):
        raise IndexInputInvalid(f"location_quotient: threshold must be a finite number, not {threshold!r}")
    if additive not in ("industry_share", "region_share"):
        raise IndexInputInvalid(
            f"location_quotient: additive must be 'industry_share' or 'region_share', not {additive!r}"
        )
    require_columns(frame, [*by, region, industry, value], what="location_quotient")
    codes = matrix_codes(frame, region=region, industry=industry, by=by, what="location_quotient")
    base = _with_totals(
        frame.select(*by, region, industry, value),
        region=region, industry=industry, value=value, by=by,
        region_totals=region_totals, reference=reference, reference_total=reference_total, codes=codes,
    )  # fmt: skip
    x, e_r, e_i, e = (pl.col(c) for c in ("_x", "region_total", "industry_total", "total"))
    undefined = first_note(
        (x.is_null(), NOTE_NOT_REPORTED),
        (e_r.is_null(), NOTE_REGION_NOT_GIVEN),
        (e_r == 0, NOTE_REGION_ZERO),
        (e_i.is_null(), NOTE_NOT_IN_REFERENCE),
        (e_i == 0, NOTE_INDUSTRY_ZERO),
        (e.is_null(), NOTE_TOTAL_NOT_GIVEN),
        (e == 0, NOTE_TOTAL_ZERO),
    )
    zero_total = (e_r == 0) | (e_i == 0) | (e == 0)
    known = x.is_not_null() & e_r.is_not_null() & e_i.is_not_null() & e.is_not_null()
    as_zero = pl.lit(zero_if_undefined) & known & zero_total
    cross = x * e - e_r * e_i  # the differences of shares over a common denominator: exactly 0 where equal
    if additive == "industry_share":
        additive_expr = pl.when(x.is_not_null() & (e_r != 0) & (e != 0)).then(cross / (e_r * e))  # s_ri − s_i
    else:
        additive_expr = pl.when(x.is_not_null() & (e_i != 0) & (e != 0)).then(cross / (e_i * e))  # σ_ri − x_r
    explicit = reference is not None
    warning = (
        pl.when(x > e_i).then(pl.lit(NOTE_EXCEEDS_REFERENCE))
        if explicit
        else pl.when(pl.col("_regions") == 1).then(pl.lit(NOTE_SINGLE_REGION))
    )
    return (
        base.with_columns(_undefined=undefined)
        .with_columns(
            lq=pl.when(pl.col("_undefined").is_null())
            .then((x * e) / (e_r * e_i))  # = (e_ri/e_r)/(e_i/e); exactly 1 where the two shares are equal
            .when(as_zero)
            .then(pl.lit(0.0))
            .otherwise(None),
            lq_additive=additive_expr,
        )
        .with_columns(
            specialised=pl.col("lq") >= threshold,
            reference=pl.lit("explicit" if explicit else "internal"),
            note=pl.when(as_zero)
            .then(pl.concat_str(pl.col("_undefined"), pl.lit(f": {NOTE_WRITTEN_AS_ZERO}")))
            .when(pl.col("_undefined").is_not_null())
            .then(pl.col("_undefined"))
            .otherwise(warning),
        )
        .drop("_x", "_regions", "_undefined")
    )


def _with_totals(
    base: pl.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    by: list[str],
    region_totals: pl.DataFrame | None,
    reference: pl.DataFrame | None,
    reference_total: TotalsOrNumber,
    codes: tuple[KeyCode, KeyCode, KeyCode],
) -> pl.DataFrame:
    """``base`` with ``_x`` (e_ri as Float64), ``region_total``, ``industry_total``, ``total`` and ``_regions``.

    ``codes`` are :func:`matrix_codes` of ``base``: the sums run on their integer keys (the same groups, rows and
    order as on the key columns, so the same digits, several times faster).
    """
    if reference_total is not None and reference is None:
        raise IndexInputInvalid("location_quotient: reference_total= needs reference= (the national industry totals)")
    x = pl.col(value).cast(pl.Float64)
    partition, in_region, in_industry = (code for code, _ in codes)
    out = base.with_columns(
        partition.alias(PART), in_region.alias(REG), in_industry.alias(IND)
    ).with_columns(
        _x=x,
        region_total=x.sum().over(REG),
        industry_total=x.sum().over(IND),
        total=x.sum().over(PART) if by else x.sum(),
        _regions=within(pl.col(REG).filter(x.is_not_null()).n_unique(), [PART] if by else []),
    )  # fmt: skip
    if region_totals is not None:
        keyed, grand = _explicit_region_totals(region_totals, region=region, by=by)
        out = out.drop("region_total").join(
            keyed, on=[*by, region], how="left", nulls_equal=True, maintain_order="left"
        )
        out = _replace(out, "total", grand, by)
    if reference is not None:
        keyed, grand = _explicit_reference(reference, reference_total, industry=industry, by=by)
        out = out.drop("industry_total").join(
            keyed, on=[*by, industry], how="left", nulls_equal=True, maintain_order="left"
        )
        out = _replace(out, "total", grand, by)
    return out.select(*base.columns, "_x", "region_total", "industry_total", "total", "_regions")


def _explicit_region_totals(region_totals: pl.DataFrame, *, region: str, by: list[str]
                            ) -> tuple[pl.DataFrame, pl.DataFrame | float]:
    """``region_totals=`` checked: (``*by``, region, ``region_total`` as Float64) and the grand total they make
    (per partition, or one number without ``by``)."""
    what = "location_quotient(region_totals=)"
    require_columns(region_totals, [*by, region, "region_total"], what=what)
    require_unique(region_totals, [*by, region], what=what)
    keyed = region_totals.select(*by, region, pl.col("region_total").cast(pl.Float64))
    grand = (
        keyed.group_by(by).agg(pl.col("region_total").sum().alias("total"))
        if by
        else float(keyed["region_total"].sum())
    )
    return keyed, grand


def _explicit_reference(reference: pl.DataFrame, reference_total: TotalsOrNumber, *, industry: str, by: list[str]
                        ) -> tuple[pl.DataFrame, pl.DataFrame | float]:
    """``reference=`` checked: (``*by``, industry, ``industry_total`` as Float64) and the reference economy's
    total (``reference_total`` or the sum of its industries, see :func:`_reference_total`)."""
    what = "location_quotient(reference=)"
    require_columns(reference, [*by, industry, "reference_value"], what=what)
    require_unique(reference, [*by, industry], what=what)
    keyed = reference.select(*by, industry, pl.col("reference_value").cast(pl.Float64).alias("industry_total"))
    parts = keyed.group_by(by).agg(pl.col("industry_total").sum().alias("_parts")) if by else None
    return keyed, _reference_total(reference_total, keyed, parts, by)


def _reference_total(
    given: TotalsOrNumber, keyed: pl.DataFrame, parts: pl.DataFrame | None, by: list[str]
) -> pl.DataFrame | float:
    """``E`` per partition (a frame of *by, total) or for the whole frame (a float); never below Σ E_i."""
    what = "location_quotient(reference_total=)"
    if given is None:
        return parts.rename({"_parts": "total"}) if parts is not None else float(keyed["industry_total"].sum())
    if isinstance(given, pl.DataFrame):
        require_columns(given, [*by, "reference_total"], what=what)
        if by:
            require_unique(given, by, what=what)
        whole = given.select(*by, pl.col("reference_total").cast(pl.Float64).alias("total"))
        if not by and whole.height != 1:
            raise IndexInputInvalid(f"{what}: without by= the frame must have exactly one row")
    elif isinstance(given, bool) or not isinstance(given, int | float) or not math.isfinite(given):
        raise IndexInputInvalid(f"{what}: must be a finite number or a frame, not {given!r}")
    elif parts is not None:  # one number for every partition
        whole = parts.select(*by, total=pl.lit(float(given), dtype=pl.Float64))
    else:
        whole = pl.DataFrame({"total": [float(given)]})
    checked = (
        whole.join(parts, on=by, how="left", nulls_equal=True, maintain_order="left")
        if parts is not None
        else whole.with_columns(_parts=pl.lit(keyed["industry_total"].sum(), dtype=pl.Float64))
    )
    short = checked.filter(pl.col("total") < pl.col("_parts") * (1 - 1e-12))
    if short.height:
        raise IndexInputInvalid(
            f"{what}: the national total is smaller than the sum of the reference industries, e.g. "
            f"{short.row(0, named=True)}; it must include them"
        )
    return whole if by else float(whole["total"][0])


def _replace(out: pl.DataFrame, column: str, totals: pl.DataFrame | float, by: list[str]) -> pl.DataFrame:
    """Replace ``column`` by per-partition totals (a frame of *by, column, joined on ``by``) or by one value."""
    if isinstance(totals, pl.DataFrame):
        return out.drop(column).join(
            totals.select(*by, column), on=by, how="left", nulls_equal=True, maintain_order="left"
        )
    return out.with_columns(pl.lit(totals, dtype=pl.Float64).alias(column))


def matrix_codes(
    frame: pl.DataFrame, *, region: str, industry: str, by: Sequence[str], what: str
) -> tuple[KeyCode, KeyCode, KeyCode]:
    """Integer keys of each row's partition, (partition, region) and (partition, industry) (see
    :func:`~pipeline.indices._common.key_code`); raises :class:`IndexInputInvalid` as ``require_unique`` does when
    two rows share their (partition, region, industry)."""
    by = list(by)

    def compute() -> tuple[KeyCode, KeyCode, KeyCode]:
        codes = column_codes(frame, [*by, region, industry])
        partition = combine_codes(*(codes[c] for c in by)) if by else key_code(frame, [])
        in_region, in_industry = combine_codes(partition, codes[region]), combine_codes(partition, codes[industry])
        if not is_checked(frame, [*by, region, industry]) and (
                combine_codes(in_region, codes[industry])[0].n_unique() < frame.height):
            require_unique(frame, [*by, region, industry], what=what)  # raises, naming a duplicated key
        return partition, in_region, in_industry

    return memoised("matrix_codes", (frame,), (region, industry, tuple(by)), compute)


def valid(total: str | pl.Expr) -> pl.Expr:
    """A total an LQ can divide by: reported (not null) and not 0."""
    t = pl.col(total) if isinstance(total, str) else total
    return t.is_not_null() & (t != 0)


def cell_lq(value: str = "value") -> pl.Expr:
    """``LQ_ri = (e_ri · e) / (e_r · e_i)`` of a cell of :func:`sparse_cells`, null where :func:`location_quotient`
    leaves it null (a value not reported, or a total null or 0); the same expression, so the same digits."""
    x, e_r, e_i, e = (pl.col(c) for c in (value, "region_total", "industry_total", "total"))
    defined = x.is_not_null() & valid(e_r) & valid(e_i) & valid(e)
    return pl.when(defined).then((x * e) / (e_r * e_i))


@dataclass(frozen=True)
class SparseCells:
    """The region x industry matrix of each partition, read as complete but held as its present cells.

    - ``cells``: one row per row of the frame, in its order: the keys ``__p`` (partition), ``__r`` (region of the
      partition), ``__i`` (industry of the partition), ``value`` (Float64, null where not reported),
      ``region_total``, ``industry_total`` and ``total`` (as :func:`location_quotient` takes them);
    - ``regions``: ``__p``, ``__r``, ``*by``, region, ``region_total``, ``total``: every region of each partition;
    - ``industries``: ``__p``, ``__i``, ``*by``, industry, ``industry_total``, ``total``: every industry of each
      partition, and of ``reference`` (``__i`` null: it has no row);
    - ``reference``: ``"internal"`` or ``"explicit"``.

    Regions and industries are in the order the completed matrix lists them (first appearance, the reference's
    industries without a row after the frame's). A (region, industry) pair of a partition without a row is a cell
    with value 0: an index sums over the present cells and adds the missing cells' part from the per-partition
    lists (their count, the sums of their totals), so that nothing of the size regions x industries is built.
    """

    cells: pl.DataFrame
    regions: pl.DataFrame
    industries: pl.DataFrame
    reference: str


def join_on(left: pl.DataFrame, right: pl.DataFrame, on: str | Sequence[str], how: str = "left") -> pl.DataFrame:
    """Join on ``on`` with null keys equal, keeping the left order."""
    keys = [on] if isinstance(on, str) else list(on)
    return left.join(right, on=keys, how=how, nulls_equal=True, maintain_order="left")  # type: ignore[arg-type]


def sparse_cells(
    frame: pl.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    by: Sequence[str],
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
    what: str,
) -> SparseCells:
    """The present cells of each partition's region x industry matrix with their totals (see :class:`SparseCells`).

    The same checks, totals and reference economy as :func:`specialisation_cells` (and so as
    :func:`location_quotient`), in time and memory proportional to the rows of the frame: the missing cells are never
    built, and every group-by and join runs on one integer key.
    """
    by = list(by)
    options = (region, industry, value, tuple(by), reference_total if isinstance(reference_total, float | int | None)
               else id(reference_total))
    return memoised("sparse_cells", (frame, region_totals, reference, reference_total), options, lambda: _sparse_cells(
        frame, region=region, industry=industry, value=value, by=by, region_totals=region_totals, reference=reference,
        reference_total=reference_total, what=what))


def _sparse_cells(
    frame: pl.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    by: list[str],
    region_totals: pl.DataFrame | None,
    reference: pl.DataFrame | None,
    reference_total: TotalsOrNumber,
    what: str,
) -> SparseCells:
    require_columns(frame, [*by, region, industry, value], what=what)
    partition, in_region, in_industry = matrix_codes(frame, region=region, industry=industry, by=by, what=what)
    schema = frame.select(*by, industry).schema
    if reference is not None:
        require_columns(reference, [*by, industry], what=f"{what}(reference=)")
        reference.select(*by, industry).cast(schema)  # the completed matrix lists them in the frame's types
    if reference_total is not None and reference is None:
        raise IndexInputInvalid("location_quotient: reference_total= needs reference= (the national industry totals)")

    # internal totals: sums over the present cells (a missing cell adds 0), as location_quotient's windows
    x = pl.col("value")
    cells = pl.DataFrame(
        [partition[0].alias(PART), in_region[0].alias(REG), in_industry[0].alias(IND),
         frame.get_column(value).cast(pl.Float64).alias("value")]
    ).with_columns(
        region_total=x.sum().over(REG), industry_total=x.sum().over(IND), total=x.sum().over(PART) if by else x.sum()
    )  # fmt: skip
    labelled = pl.concat([cells.drop("value"), frame.select(*by, region, industry)], how="horizontal")
    regions = labelled.group_by(REG, maintain_order=True).agg(
        pl.col(c).first() for c in [PART, *by, region, "region_total", "total"]
    )
    industries = labelled.group_by(IND, maintain_order=True).agg(
        pl.col(c).first() for c in [PART, *by, industry, "industry_total", "total"]
    )
    partitions = regions.unique(PART, keep="first", maintain_order=True).select(PART, *by, "total")

    # explicit totals, checked and combined as in location_quotient: they replace the internal ones
    explicit = region_totals is not None or reference is not None
    if region_totals is not None:
        keyed, grand = _explicit_region_totals(region_totals, region=region, by=by)
        regions = join_on(regions.drop("region_total"), keyed, [*by, region])
        partitions = _replace(partitions, "total", grand, by)
    if reference is not None:
        keyed, grand = _explicit_reference(reference, reference_total, industry=industry, by=by)
        listed = industries.drop("industry_total")
        partitions = _replace(partitions, "total", grand, by)
        # the reference's industries without a row in a partition of the frame: every cell of theirs is missing
        extra = keyed.cast(schema)  # type: ignore[arg-type]
        if not by:  # the one partition, if the frame has a row
            extra = extra.with_columns(pl.lit(0, dtype=pl.UInt64).alias(PART))
        extra = join_on(extra, partitions.select(PART, *by), by or [PART], how="inner")
        extra = join_on(extra, listed, [*by, industry], how="anti").with_columns(pl.lit(None, pl.UInt64).alias(IND))
        industries = pl.concat([
            join_on(listed, keyed, [*by, industry]).select(PART, IND, *by, industry, "industry_total"),
            extra.select(PART, IND, *by, industry, "industry_total"),
        ])  # fmt: skip
    if explicit:  # into the lists and every cell
        total = partitions.select(PART, "total")
        regions = join_on(regions.drop("total"), total, PART)
        industries = join_on(industries.drop("total", strict=False), total, PART)
        cells = cells.drop("region_total", "industry_total", "total")
        cells = join_on(cells, regions.select(REG, "region_total"), REG)
        cells = join_on(cells, industries.filter(pl.col(IND).is_not_null()).select(IND, "industry_total"), IND)
        cells = join_on(cells, total, PART)
    # the completed matrix lists the industries partition by partition (in the order the partitions appear)
    order = partitions.select(PART).with_row_index("_order")
    industries = join_on(industries, order, PART).sort("_order", maintain_order=True)
    return SparseCells(
        cells=cells,
        regions=regions.select(PART, REG, *by, region, "region_total", "total"),
        industries=industries.select(PART, IND, *by, industry, "industry_total", "total"),
        reference="explicit" if reference is not None else "internal",
    )


def specialisation_cells(
    frame: pl.DataFrame,
    *,
    region: str,
    industry: str,
    value: str,
    by: Sequence[str],
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
    what: str,
) -> pl.DataFrame:
    """The completed region x industry matrix with its LQs and totals, for callers that need every cell.

    Every region of a ``by`` partition gets a row for every industry of that partition (and of ``reference``):
    a missing combination counts as 0 (EconGeo's and REAT's matrices have every cell). Columns: ``*by``, region,
    industry, ``value`` (Float64, null where not reported), ``region_total``, ``industry_total``, ``total``,
    ``lq``, ``lq_additive`` (``s_ri − s_i``), ``reference``, ``note`` as in :func:`location_quotient`. Its size is
    regions x industries per partition, however sparse the frame: the indices use :func:`sparse_cells` instead.
    """
    by = list(by)
    require_columns(frame, [*by, region, industry, value], what=what)
    require_unique(frame, [*by, region, industry], what=what)
    listed = frame.select(*by, region, industry, pl.col(value).cast(pl.Float64).alias("value"), _listed=pl.lit(True))
    regions = listed.select(*by, region).unique(maintain_order=True)
    industries = listed.select(*by, industry)
    if reference is not None:
        require_columns(reference, [*by, industry], what=f"{what}(reference=)")
        industries = pl.concat([industries, reference.select(*by, industry).cast(industries.schema)])
    industries = industries.unique(maintain_order=True)
    grid = (
        regions.join(industries, on=by, nulls_equal=True, maintain_order="left_right")
        if by
        else regions.join(industries, how="cross", maintain_order="left_right")
    )
    full = grid.join(listed, on=[*by, region, industry], how="left", nulls_equal=True, maintain_order="left").select(
        *by, region, industry, value=pl.when(pl.col("_listed").is_null()).then(0.0).otherwise(pl.col("value"))
    )
    return location_quotient(
        full, region=region, industry=industry, value="value", by=by,
        region_totals=region_totals, reference=reference, reference_total=reference_total,
    )  # fmt: skip


def lq_change(
    frame: pl.DataFrame,
    *,
    start: object,
    end: object,
    time: str = "year",
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
    reference: pl.DataFrame | None = None,
    reference_total: TotalsOrNumber = None,
) -> pl.DataFrame:
    """Change of the location quotient of every region-industry cell between two periods.

    ``lq_change = LQ_end − LQ_start`` and ``lq_change_relative = (LQ_end − LQ_start) / LQ_start``, each LQ
    computed by :func:`location_quotient` within its period (``by=(*by, time)``).

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, ``time``, region, industry).
    start, end
        The two values of ``time`` to compare (e.g. 2015 and 2020).
    time, region, industry, value, by
        Column names; ``by`` adds partition columns besides ``time`` (e.g. ``("measure",)``).
    region_totals, reference, reference_total
        Explicit totals as in :func:`location_quotient`; their frames carry the ``time`` column too.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, industry, ``lq_start``, ``lq_end``, ``lq_change``, ``lq_change_relative``,
        ``reference`` and ``note``: one row per cell present in either period (in order of first appearance).
        Where either LQ is null the changes are null and the note says which period and why, e.g.
        ``"2015: industry total is 0"`` or ``"2020: no row"``; ``LQ_start = 0`` leaves ``lq_change_relative``
        null with a note. Other LQ notes (a single region) are kept with their period.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"year": [2015] * 4 + [2020] * 4, "region_code": ["A", "A", "B", "B"] * 2,
    ...                    "industry_code": ["x", "y"] * 4, "value": [30, 10, 10, 30, 20, 20, 10, 30]})
    >>> lq_change(df, start=2015, end=2020).drop("reference", "note")
    shape: (4, 6)
    ┌─────────────┬───────────────┬──────────┬──────────┬───────────┬────────────────────┐
    │ region_code ┆ industry_code ┆ lq_start ┆ lq_end   ┆ lq_change ┆ lq_change_relative │
    │ ---         ┆ ---           ┆ ---      ┆ ---      ┆ ---       ┆ ---                │
    │ str         ┆ str           ┆ f64      ┆ f64      ┆ f64       ┆ f64                │
    ╞═════════════╪═══════════════╪══════════╪══════════╪═══════════╪════════════════════╡
    │ A           ┆ x             ┆ 1.5      ┆ 1.333333 ┆ -0.166667 ┆ -0.111111          │
    │ A           ┆ y             ┆ 0.5      ┆ 0.8      ┆ 0.3       ┆ 0.6                │
    │ B           ┆ x             ┆ 0.5      ┆ 0.666667 ┆ 0.166667  ┆ 0.333333           │
    │ B           ┆ y             ┆ 1.5      ┆ 1.2      ┆ -0.3      ┆ -0.2               │
    └─────────────┴───────────────┴──────────┴──────────┴───────────┴────────────────────┘
    """
    by = list(by)
    require_columns(frame, [*by, time], what="lq_change")
    if start == end:
        raise IndexInputInvalid(f"lq_change: start and end are the same period ({start!r})")
    periods = frame.filter(pl.col(time).is_in([start, end]))
    out = location_quotient(
        periods, region=region, industry=industry, value=value, by=[*by, time],
        region_totals=region_totals, reference=reference, reference_total=reference_total,
    ).select(*by, time, region, industry, "lq", "reference", "note")  # fmt: skip
    keys = [*by, region, industry]
    first = out.filter(pl.col(time) == start).drop(time)
    last = out.filter(pl.col(time) == end).drop(time).rename({"lq": "lq_end", "note": "_note_end"})
    joined = first.rename({"lq": "lq_start", "note": "_note_start"}).join(
        last, on=keys, how="full", coalesce=True, nulls_equal=True, maintain_order="left_right"
    )
    a, b = pl.col("lq_start"), pl.col("lq_end")

    def said(period: object, note: str, present: pl.Expr) -> pl.Expr:
        return pl.when(~present).then(pl.lit(f"{period}: no row")).otherwise(pl.format(f"{period}: {{}}", pl.col(note)))

    return joined.select(
        *keys,
        "lq_start",
        "lq_end",
        lq_change=b - a,
        lq_change_relative=pl.when(a != 0).then((b - a) / a),
        reference=pl.coalesce("reference", "reference_right"),
        note=join_notes(
            said(start, "_note_start", pl.col("reference").is_not_null()),
            said(end, "_note_end", pl.col("reference_right").is_not_null()),
            pl.when(a == 0).then(pl.lit(f"{start}: LQ is 0, the relative change is undefined")),
        ),
    )
