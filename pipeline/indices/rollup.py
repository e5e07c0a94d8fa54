"""From industry records to cluster records through the cluster-industries map."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipeline.indices._common import IndexInputInvalid, key_code, require_columns, require_unique

__all__ = ["cluster_rollup"]


def _mapping(mapping: pl.DataFrame, *, cluster: str, industry: str, year_dtype: pl.DataType) -> pl.DataFrame:
    """The map with private column names, weights defaulted to 1 and validity years in the year's type."""
    require_columns(mapping, [cluster, industry], what="cluster_rollup (mapping)")

    def optional(name: str, dtype: pl.DataType) -> pl.Expr:
        column = pl.col(name) if name in mapping.columns else pl.lit(None)
        return column.cast(dtype).alias(f"_{name}")

    return mapping.select(
        pl.col(cluster).alias("_cluster"),
        pl.col(industry).alias("_industry"),
        optional("weight", pl.Float64()).fill_null(1.0),
        optional("valid_from", year_dtype),
        optional("valid_to", year_dtype),
    )


def cluster_rollup(
    frame: pl.DataFrame,
    mapping: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    year: str = "year",
    cluster: str = "cluster_code",
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Cluster values from industry values: ``x_{r,c,t} = Σ_{i ∈ c(t)} w_ci · x_{r,i,t}``.

    ``c(t)`` is the set of industries the map assigns to cluster c in year t: a map row applies to the years
    ``valid_from <= t <= valid_to``, a null bound being open.

    Parameters
    ----------
    frame
        Industry records, one row per (``*by``, region, industry, year).
    mapping
        The cluster-industries map: columns ``cluster`` and ``industry`` (same names as in ``frame``, by
        default ``cluster_code`` and ``industry_code``), and optionally ``weight`` (null or absent means 1),
        ``valid_from`` and ``valid_to`` (years; null or absent means open).
    region, industry, value, year, cluster
        Column names.
    by
        Further key columns carried through (e.g. ``("measure",)``).

    Returns
    -------
    polars.DataFrame
        ``*by``, region, cluster, year, value (Float64, the weighted sum), ``industries`` (Int64, the number
        of industries with a reported value that contributed), sorted by the keys (categorical keys by their
        codes, not their text).

    Notes
    -----
    - Clusters may overlap: an industry in several clusters counts in each (USCMP's own definitions are a
      partition, Delgado, Porter and Stern 2016, but local definitions need not be).
    - Null values (not reported) are skipped. A cluster-region-year whose industries are all null gets a null
      value with ``industries = 0``, never a silent 0.
    - Industries that belong to no cluster are dropped; a cluster with no industry record for a region-year
      has no row.
    - A map that assigns an industry to the same cluster twice in one year (overlapping validity) would count
      it twice: that is refused with :class:`~pipeline.indices._common.IndexInputInvalid`.

    References
    ----------
    Delgado, Porter and Stern (2016), "Defining clusters of related industries", J. Econ. Geography 16(1):
    U.S. Cluster Mapping Project, cluster employment as the sum over the cluster's NAICS codes.

    Examples
    --------
    >>> import polars as pl
    >>> frame = pl.DataFrame({"region_code": ["A"] * 4, "industry_code": ["11", "12", "11", "12"],
    ...                       "year": [2019, 2019, 2020, 2020], "value": [100, 40, 110, None]})
    >>> mapping = pl.DataFrame({"cluster_code": ["food", "food", "agri"],
    ...                         "industry_code": ["11", "12", "11"], "weight": [None, 0.5, None],
    ...                         "valid_from": [None, None, 2020], "valid_to": [None, None, None]})
    >>> cluster_rollup(frame, mapping)
    shape: (3, 5)
    ┌─────────────┬──────────────┬──────┬───────┬────────────┐
    │ region_code ┆ cluster_code ┆ year ┆ value ┆ industries │
    │ ---         ┆ ---          ┆ ---  ┆ ---   ┆ ---        │
    │ str         ┆ str          ┆ i64  ┆ f64   ┆ i64        │
    ╞═════════════╪══════════════╪══════╪═══════╪════════════╡
    │ A           ┆ agri         ┆ 2020 ┆ 110.0 ┆ 1          │
    │ A           ┆ food         ┆ 2019 ┆ 120.0 ┆ 2          │
    │ A           ┆ food         ┆ 2020 ┆ 110.0 ┆ 1          │
    └─────────────┴──────────────┴──────┴───────┴────────────┘
    """
    by = list(by)
    require_columns(frame, [*by, region, industry, year, value], what="cluster_rollup")
    if cluster in {*by, region, industry, year, value}:
        raise IndexInputInvalid(f"cluster_rollup: the cluster column {cluster!r} clashes with a frame column")
    require_unique(frame, [*by, region, industry, year], what="cluster_rollup")
    m = _mapping(mapping, cluster=cluster, industry=industry, year_dtype=frame.schema[year])
    if frame.schema[industry] != m.schema["_industry"]:
        raise IndexInputInvalid(
            f"cluster_rollup: {industry!r} is {frame.schema[industry]} in the frame but "
            f"{m.schema['_industry']} in the mapping; cast one of them"
        )

    t = pl.col(year)
    valid = (pl.col("_valid_from").is_null() | (t >= pl.col("_valid_from"))) & (
        pl.col("_valid_to").is_null() | (t <= pl.col("_valid_to"))
    )
    _require_one_map_row(m, frame.select(industry, year).unique(), industry=industry, year=year, valid=valid)
    joined = (
        frame.select(*by, region, industry, year, value)
        .join(m, left_on=industry, right_on="_industry", how="inner")
        .filter(valid)
    )

    x = pl.col(value).cast(pl.Float64)
    keys = [*by, region, "_cluster", year]
    rolled = joined.group_by(keys).agg(
        pl.when(x.count() > 0).then((pl.col("_weight") * x).sum()).otherwise(None).alias(value),
        x.count().cast(pl.Int64).alias("industries"),
    )
    return (
        _sorted(rolled, keys)
        .select(*by, region, pl.col("_cluster").alias(cluster), year, value, "industries")
    )


def _require_one_map_row(m: pl.DataFrame, present: pl.DataFrame, *, industry: str, year: str,
                         valid: pl.Expr) -> None:
    """Refuse a map that assigns an industry to a cluster twice in a year the frame has that industry (overlapping
    validity would count it twice). Checked on the map's repeated (cluster, industry) pairs, not on the joined
    records: a census year joins to millions of rows, the map has a few thousand."""
    repeated = m.filter(pl.len().over("_cluster", "_industry") > 1)
    if repeated.is_empty():
        return
    used = repeated.join(present, left_on="_industry", right_on=industry, how="inner").filter(valid)
    twice = used.filter(pl.len().over("_cluster", "_industry", year) > 1)
    if twice.height:
        first = twice.row(0, named=True)
        raise IndexInputInvalid(
            f"cluster_rollup: the map assigns industry {first['_industry']!r} to cluster {first['_cluster']!r} "
            f"twice in {first[year]} (overlapping validity); fix the map"
        )


def _sorted(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``frame`` sorted by ``keys``. Without text keys, by one integer code that keeps their order (categoricals
    by their codes): a sort on several keys of millions of rows takes seconds, on one integer a fraction."""
    schema = frame.schema
    if any(schema[k] == pl.String for k in keys) or frame.height == 0:
        return frame.sort(keys)
    code, _ = key_code(frame, keys)  # mixed-radix combination of order-keeping codes: the tuple order
    return frame.with_columns(code.alias("_sort_key")).sort("_sort_key").drop("_sort_key")
