"""Cluster strength after the U.S. Cluster Mapping Project: strong region-clusters and the share of a region's
employment in them.

Strong clusters (Delgado, Porter and Stern 2016; METHODS.md "Cluster strength"): within each cluster, the regions
with employment are ranked by LQ, employment and establishments; a region-cluster is *strong* when its LQ is at or
above the 75th percentile, its LQ is at least 1, and its employment and establishments are above their 25th
percentiles. The LQ of a traded cluster uses the region's traded employment as the base (USCMP): give a frame of
traded clusters only (or ``by=("cluster_type",)``), or explicit ``region_totals=``.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipeline.indices._common import first_note, join_notes, require_columns, require_unique, within
from pipeline.indices.specialisation import location_quotient

__all__ = ["percentile_rank", "region_cluster_strength", "strong_clusters", "strong_industry_share"]


def percentile_rank(value: str | pl.Expr, over: Sequence[str] = (), *, where: pl.Expr | None = None) -> pl.Expr:
    """USCMP percentile rank ``p = round(100/N · (i + 0.5))`` of each value among its partition (an expression).

    ``i`` is the 0-based position in ascending order, ties sharing the lowest position (polars ``rank("min")``);
    ``N`` counts the ranked values (non-null, and ``where`` holds); ``round`` is half up (``floor(x + 0.5)``).
    Values outside ``where`` or null get null. With N = 50 the ranks 50 (top) ... 1 give 99, 97, ..., 1.

    Examples
    --------
    >>> import polars as pl
    >>> pl.DataFrame({"v": [10, 40, 20, 30]}).with_columns(p=percentile_rank("v"))
    shape: (4, 2)
    ┌─────┬─────┐
    │ v   ┆ p   │
    │ --- ┆ --- │
    │ i64 ┆ i64 │
    ╞═════╪═════╡
    │ 10  ┆ 13  │
    │ 40  ┆ 88  │
    │ 20  ┆ 38  │
    │ 30  ┆ 63  │
    └─────┴─────┘
    """
    x = pl.col(value) if isinstance(value, str) else value
    if where is not None:
        x = pl.when(where).then(x)
    n = within(x.count(), over)
    i = within(x.rank("min"), over) - 1
    return ((i + 0.5) * (100.0 / n) + 0.5).floor().cast(pl.Int64)  # named after the value


def strong_clusters(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    cluster: str = "cluster_code",
    employment: str = "employment",
    establishments: str | None = None,
    by: Sequence[str] = (),
    lq: str | None = None,
    region_totals: pl.DataFrame | None = None,
    lq_percentile: float = 75,
    size_percentile: float = 25,
    min_lq: float = 1.0,
) -> pl.DataFrame:
    """Strong region-clusters after the U.S. Cluster Mapping Project rule.

    ``strong = lq_percentile_rank >= 75 and lq >= 1 and employment_percentile_rank > 25 and
    establishments_percentile_rank > 25``, the percentile ranks (:func:`percentile_rank`) taken within each
    cluster over the regions with employment > 0.

    Parameters
    ----------
    frame
        One row per (``*by``, region, cluster): employment and optionally establishments.
    region, cluster, employment, establishments
        Column names; without ``establishments`` the establishment criterion is not applied (a note says so).
    by
        Partition columns (year, cluster type ...); each partition is ranked and its LQs computed separately.
    lq
        A column that already holds the LQ (e.g. USCMP's ``lq_tf``); default: computed with
        :func:`~pipeline.indices.specialisation.location_quotient` over the frame (within ``by``), the cluster
        as the industry.
    region_totals
        Passed to ``location_quotient`` (columns ``*by``, region, ``region_total``): the regions' base employment.
    lq_percentile, size_percentile, min_lq
        The thresholds (USCMP: 75, 25, 1).

    Returns
    -------
    polars.DataFrame
        In input row order: ``*by``, region, cluster, employment, (establishments), ``lq``, ``lq_percentile``,
        ``employment_percentile``, (``establishments_percentile``) (Int64, null when not ranked),
        ``qualifying`` (all ranks above ``size_percentile``: USCMP's "qualifying" cluster), ``strong`` and
        ``note``.

    Notes
    -----
    - Regions with employment 0 are not ranked and are not strong; null employment, a null LQ with employment
      > 0 or null establishments give ``strong`` null and a note.
    - Checked on the USCMP 2016 state file (traded clusters, its own ``lq_tf``): the flags ``strong_b`` and
      ``qualifying_b`` are reproduced for all but 2 and 1 of 2550 state-clusters; the differences are ranks
      at the boundary, where USCMP also ranked DC (absent from that file). The same data show that USCMP's
      strong flag needs LQ >= 1 (23 more differences without it), "above the 25th" is strict (> 25) and ties
      share the lowest rank.

    References
    ----------
    Delgado, M., Porter, M. E. and Stern, S. (2016), "Defining clusters of related industries", J. Economic
    Geography 16(1), 1-38; U.S. Cluster Mapping Project (clustermapping.us), cluster strength methodology.

    Examples
    --------
    Four regions, one cluster: LQ ranks 13, 38, 63, 88; employment ranks 13, 38, 63, 88 as well.
    C is in the top quarter but its LQ is below 1 here (explicit LQs), D qualifies on every count.

    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": list("ABCD"), "cluster_code": "c", "employment": [10, 20, 30, 40],
    ...                    "lq": [0.5, 0.7, 0.9, 1.6]})
    >>> with pl.Config(tbl_width_chars=120):
    ...     print(strong_clusters(df, lq="lq").drop("note"))
    shape: (4, 8)
    ┌─────────────┬──────────────┬────────────┬─────┬───────────────┬───────────────────────┬────────────┬────────┐
    │ region_code ┆ cluster_code ┆ employment ┆ lq  ┆ lq_percentile ┆ employment_percentile ┆ qualifying ┆ strong │
    │ ---         ┆ ---          ┆ ---        ┆ --- ┆ ---           ┆ ---                   ┆ ---        ┆ ---    │
    │ str         ┆ str          ┆ i64        ┆ f64 ┆ i64           ┆ i64                   ┆ bool       ┆ bool   │
    ╞═════════════╪══════════════╪════════════╪═════╪═══════════════╪═══════════════════════╪════════════╪════════╡
    │ A           ┆ c            ┆ 10         ┆ 0.5 ┆ 13            ┆ 13                    ┆ false      ┆ false  │
    │ B           ┆ c            ┆ 20         ┆ 0.7 ┆ 38            ┆ 38                    ┆ true       ┆ false  │
    │ C           ┆ c            ┆ 30         ┆ 0.9 ┆ 63            ┆ 63                    ┆ true       ┆ false  │
    │ D           ┆ c            ┆ 40         ┆ 1.6 ┆ 88            ┆ 88                    ┆ true       ┆ true   │
    └─────────────┴──────────────┴────────────┴─────┴───────────────┴───────────────────────┴────────────┴────────┘
    """
    by = list(by)
    extra = [c for c in (establishments, lq) if c is not None]
    require_columns(frame, [*by, region, cluster, employment, *extra], what="strong_clusters")
    require_unique(frame, [*by, region, cluster], what="strong_clusters")
    keys = [*by, region, cluster]
    data = frame.select(*keys, employment, *([establishments] if establishments else []))
    if lq is not None:
        data = data.with_columns(lq=frame.get_column(lq).cast(pl.Float64), _lq_note=pl.lit(None, pl.String))
    else:
        quotients = location_quotient(
            frame.select(*keys, employment), region=region, industry=cluster, value=employment, by=by,
            region_totals=region_totals,
        ).select(*keys, "lq", pl.col("note").alias("_lq_note"))  # fmt: skip
        data = data.join(quotients, on=keys, how="left", nulls_equal=True, maintain_order="left")
    emp = pl.col(employment).cast(pl.Float64)
    ranked = emp > 0
    group = [*by, cluster]
    columns = {
        "lq_percentile": percentile_rank("lq", group, where=ranked),
        "employment_percentile": percentile_rank(emp, group, where=ranked),
    }
    if establishments:
        columns["establishments_percentile"] = percentile_rank(establishments, group, where=ranked)
    data = data.with_columns(**columns)
    sizes = [pl.col(c) > size_percentile for c in columns if c != "lq_percentile"]
    qualifying = pl.all_horizontal(pl.col("lq_percentile") > size_percentile, *sizes)
    strong = pl.all_horizontal((pl.col("lq_percentile") >= lq_percentile), pl.col("lq") >= min_lq, *sizes)
    undefined = first_note(
        (emp.is_null(), "employment not reported"),
        ((emp > 0) & pl.col("lq").is_null(), "LQ undefined"),
        *([((emp > 0) & pl.col(establishments).is_null(), "establishments not reported")] if establishments else []),
    )
    zero = emp <= 0
    return data.with_columns(_u=undefined).select(
        *keys,
        employment,
        *([establishments] if establishments else []),
        "lq",
        *columns,
        qualifying=pl.when(zero).then(False).when(pl.col("_u").is_null()).then(qualifying),
        strong=pl.when(zero).then(False).when(pl.col("_u").is_null()).then(strong),
        note=join_notes(
            pl.when(zero).then(pl.lit("no employment: not ranked, not strong")),
            pl.col("_u"),
            pl.col("_lq_note"),
            pl.lit(None if establishments else "establishments not given: that criterion is not applied"),
        ),
    )


def region_cluster_strength(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    cluster: str = "cluster_code",
    employment: str = "employment",
    establishments: str | None = None,
    by: Sequence[str] = (),
    strong: str | None = None,
    lq: str | None = None,
    region_totals: pl.DataFrame | None = None,
    lq_percentile: float = 75,
    size_percentile: float = 25,
    min_lq: float = 1.0,
) -> pl.DataFrame:
    """Share of each region's (traded) employment that is in its strong clusters (USCMP "cluster strength").

    ``cluster_strength_r = Σ_{c strong in r} e_rc / e_r``, ``e_r`` the sum over the frame's clusters (e.g. all
    traded clusters) or the region's ``region_total`` when ``region_totals`` is given.

    Parameters
    ----------
    frame, region, cluster, employment, establishments, by, lq, region_totals, lq_percentile, size_percentile, min_lq
        As for :func:`strong_clusters`, which decides the strong clusters ...
    strong
        ... unless this Boolean column already holds them (e.g. from a published source).

    Returns
    -------
    polars.DataFrame
        One row per (``*by``, region) in order of first appearance: ``strong_employment``, ``employment_total``
        (e_r, Float64), ``cluster_strength`` (a fraction), ``n_strong``, ``n_clusters`` and ``note``.
        Clusters whose strength is undefined (null) are left out of the strong employment and counted in the note.

    Examples
    --------
    >>> import polars as pl
    >>> df = pl.DataFrame({"region_code": ["A", "A", "A", "B"], "cluster_code": ["c", "d", "e", "c"],
    ...                    "employment": [60, 30, 10, 50], "strong": [True, False, True, False]})
    >>> with pl.Config(tbl_width_chars=120):
    ...     print(region_cluster_strength(df, strong="strong"))
    shape: (2, 7)
    ┌─────────────┬───────────────────┬──────────────────┬──────────────────┬──────────┬────────────┬──────┐
    │ region_code ┆ strong_employment ┆ employment_total ┆ cluster_strength ┆ n_strong ┆ n_clusters ┆ note │
    │ ---         ┆ ---               ┆ ---              ┆ ---              ┆ ---      ┆ ---        ┆ ---  │
    │ str         ┆ f64               ┆ f64              ┆ f64              ┆ i64      ┆ i64        ┆ str  │
    ╞═════════════╪═══════════════════╪══════════════════╪══════════════════╪══════════╪════════════╪══════╡
    │ A           ┆ 70.0              ┆ 100.0            ┆ 0.7              ┆ 2        ┆ 3          ┆ null │
    │ B           ┆ 0.0               ┆ 50.0             ┆ 0.0              ┆ 0        ┆ 1          ┆ null │
    └─────────────┴───────────────────┴──────────────────┴──────────────────┴──────────┴────────────┴──────┘
    """
    by = list(by)
    if strong is None:
        flagged = strong_clusters(
            frame, region=region, cluster=cluster, employment=employment, establishments=establishments, by=by,
            lq=lq, region_totals=region_totals, lq_percentile=lq_percentile, size_percentile=size_percentile,
            min_lq=min_lq,
        ).select(*by, region, cluster, employment, "strong")  # fmt: skip
    else:
        require_columns(frame, [*by, region, cluster, employment, strong], what="region_cluster_strength")
        require_unique(frame, [*by, region, cluster], what="region_cluster_strength")
        flagged = frame.select(*by, region, cluster, employment, pl.col(strong).cast(pl.Boolean).alias("strong"))
    emp = pl.col(employment).cast(pl.Float64)
    out = flagged.group_by([*by, region], maintain_order=True).agg(
        emp.filter(pl.col("strong")).sum().alias("strong_employment"),
        emp.sum().alias("employment_total"),
        pl.col("strong").sum().cast(pl.Int64).alias("n_strong"),
        pl.len().cast(pl.Int64).alias("n_clusters"),
        pl.col("strong").is_null().sum().cast(pl.Int64).alias("_unknown"),
    )
    if region_totals is not None:
        require_columns(region_totals, [*by, region, "region_total"], what="region_cluster_strength(region_totals=)")
        totals = region_totals.select(*by, region, pl.col("region_total").cast(pl.Float64).alias("employment_total"))
        out = out.drop("employment_total").join(totals, on=[*by, region], how="left", nulls_equal=True)
    total = pl.col("employment_total")
    return out.select(
        *by,
        region,
        "strong_employment",
        "employment_total",
        cluster_strength=pl.when(total > 0).then(pl.col("strong_employment") / total),
        n_strong="n_strong",
        n_clusters="n_clusters",
        note=join_notes(
            first_note((total.is_null(), "region total not given"), (total <= 0, "the region's employment is 0")),
            pl.when(pl.col("_unknown") > 0).then(
                pl.format("{} clusters of undefined strength left out", pl.col("_unknown"))
            ),
        ),
    )


def strong_industry_share(
    frame: pl.DataFrame,
    mapping: pl.DataFrame,
    strong: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    cluster: str = "cluster_code",
    value: str = "value",
    year: str = "year",
    by: Sequence[str] = (),
) -> pl.DataFrame:
    """Region cluster strength when cluster definitions overlap: each industry counts once.

    ``share_r = Σ_i e_ri · w_ri / Σ_i e_ri`` where ``w_ri`` is the largest weight with which industry i belongs to
    a cluster that is strong in region r (0 if none), the mapping's validity years applied. With clusters that
    partition the industries (U.S. Cluster Mapping) this equals :func:`region_cluster_strength`; with the
    overlapping definitions of a province's cluster policy (several clusters built on the same industries), summing
    cluster employment would count an industry once per cluster and can exceed the region's employment.

    Parameters
    ----------
    frame
        Industry records: one row per (``*by``, region, industry, year).
    mapping
        Cluster -> industry map: cluster, industry, optional ``weight`` (null = 1), ``valid_from``, ``valid_to``.
    strong
        (``*by``, region, cluster, year, ``strong``) as from :func:`strong_clusters`.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, year, ``strong_employment``, ``employment_total``, ``cluster_strength``, ``n_strong``,
        ``note``.

    Examples
    --------
    Clusters c = {x, y} and d = {y} are both strong in A; y counts once: (60 + 30) / 100 = 0.9.

    >>> import polars as pl
    >>> frame = pl.DataFrame({"region_code": ["A"] * 3, "industry_code": ["x", "y", "z"], "year": [2022] * 3,
    ...                       "value": [60.0, 30.0, 10.0]})
    >>> mapping = pl.DataFrame({"cluster_code": ["c", "c", "d"], "industry_code": ["x", "y", "y"]})
    >>> strong = pl.DataFrame({"region_code": ["A", "A"], "cluster_code": ["c", "d"], "year": [2022, 2022],
    ...                        "strong": [True, True]})
    >>> strong_industry_share(frame, mapping, strong).select("strong_employment", "cluster_strength").rows()
    [(90.0, 0.9)]
    """
    by = list(by)
    require_columns(frame, [*by, region, industry, year, value], what="strong_industry_share")
    require_columns(mapping, [cluster, industry], what="strong_industry_share (mapping)")
    require_columns(strong, [*by, region, cluster, year, "strong"], what="strong_industry_share (strong)")
    year_type = frame.schema[year]

    def optional(name: str, dtype: pl.DataType) -> pl.Expr:
        column = pl.col(name) if name in mapping.columns else pl.lit(None)
        return column.cast(dtype).alias(f"_{name}")

    links = mapping.select(cluster, industry, optional("weight", pl.Float64()).fill_null(1.0),
                           optional("valid_from", year_type), optional("valid_to", year_type))
    in_force = (pl.col("_valid_from").is_null() | (pl.col(year) >= pl.col("_valid_from"))) & (
        pl.col("_valid_to").is_null() | (pl.col(year) <= pl.col("_valid_to")))
    chosen = strong.filter(pl.col("strong").fill_null(False)).select(*by, region, cluster, year)
    weights = (chosen.join(links, on=cluster, how="inner").filter(in_force)
               .group_by([*by, region, year, industry]).agg(pl.col("_weight").max()))
    counts = chosen.group_by([*by, region, year]).agg(pl.len().cast(pl.Int64).alias("n_strong"))
    x = pl.col(value).cast(pl.Float64)
    out = (frame.select(*by, region, industry, year, value)
           .join(weights, on=[*by, region, year, industry], how="left", nulls_equal=True)
           .group_by([*by, region, year], maintain_order=True)
           .agg((x * pl.col("_weight").fill_null(0.0)).sum().alias("strong_employment"),
                x.sum().alias("employment_total"))
           .join(counts, on=[*by, region, year], how="left", nulls_equal=True))
    total = pl.col("employment_total")
    return out.select(
        *by, region, year, "strong_employment", "employment_total",
        cluster_strength=pl.when(total > 0).then(pl.col("strong_employment") / total),
        n_strong=pl.col("n_strong").fill_null(0),
        note=first_note((total <= 0, "the region's employment is 0")),
    )
