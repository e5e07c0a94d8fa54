"""The region x industry matrix the indices share, read as complete but held as its present cells.

A (region, industry) pair of a ``by`` partition without a row is a cell with value 0 (as in REAT's and EconGeo's
matrices), yet nothing of the size regions x industries is built: :func:`sparse_cells` gives the present cells with
their totals and the lists of every region and industry of each partition, from which the missing cells' part of
each index follows analytically (Krugman, Hoover, Hachman, diversity ... in :mod:`pipeline.indices.dissimilarity`
and :mod:`pipeline.indices.diversification`). Also here: the integer keys of the matrix (:func:`matrix_codes`,
shared with :mod:`pipeline.indices.gini_locational`), the totals ``e_r``, ``e_i`` and ``e`` of the internal or an
explicit reference economy, checked and combined as :func:`~pipeline.indices.specialisation.location_quotient`
takes them (METHODS.md, "Reference economy"), and the LQ of a present cell (:func:`cell_lq`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from pipeline.indices._common import (
    IndexInputInvalid,
    KeyCode,
    column_codes,
    combine_codes,
    is_checked,
    key_code,
    memoised,
    require_columns,
    require_unique,
    within,
)

TotalsOrNumber = pl.DataFrame | float | int | None

#: Integer key columns (see :func:`matrix_codes`): the partition, the (partition, region), the (partition, industry).
PART, REG, IND = "__p", "__r", "__i"


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
