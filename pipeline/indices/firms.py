"""Agglomeration from firm (plant) records: Ellison-Glaeser γ and Maurel-Sédillot γ.

Notation (METHODS.md): firm (plant) k of industry i has value (employment) ``v_k`` in region r;
``e_ri = Σ_{k in r} v_k``, ``e_i = Σ_k v_k``, ``σ_ri = e_ri / e_i`` (the region's share of the industry),
``z_k = v_k / e_i`` (the plant's share), ``x_r = e_r / e`` (the region's share of the whole economy) and the plant
Herfindahl ``H_i = Σ_k z_k²``. Both indices need the plant shares: without firm records H is unknown, and
treating it as 0 would overstate the agglomeration, so these functions only take firm records.

The reference economy ``x_r`` is either the sum of the firm records over all industries (REAT 3.0.3 ``ellison.a2``)
or explicit all-industry regional totals, ``region_totals=`` (REAT ``ellison.a``'s ``e_j``).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipeline.indices._common import first_note, join_notes, require_columns, require_unique, within

__all__ = ["ellison_glaeser", "maurel_sedillot"]

NOTE_NO_VALUE = "no firm value reported"
NOTE_ZERO = "the industry's total is 0: its shares are undefined"
NOTE_REGION_MISSING = "a region of the industry's firms has no region total"
NOTE_SINGLE_REGION = "a single region (Σ x_r² = 1): γ is undefined"
NOTE_SINGLE_FIRM = "a single firm holds the whole industry (H = 1): γ is undefined"
NOTE_VARIANCE = "the variance of G under the dartboard null is not positive: z is undefined"


def _reference(
    data: pl.DataFrame, region_totals: pl.DataFrame | None, *, region: str, value: str, by: list[str], what: str
) -> pl.DataFrame:
    """``(*by, region, _e_r)``: the regional totals of the reference economy."""
    if region_totals is None:
        return data.group_by([*by, region]).agg(pl.col("_v").sum().alias("_e_r"))
    column = "region_total" if "region_total" in region_totals.columns else value
    require_columns(region_totals, [*by, region, column], what=f"{what}(region_totals=)")
    require_unique(region_totals, [*by, region], what=f"{what}(region_totals=)")
    return region_totals.select(*by, region, pl.col(column).cast(pl.Float64).alias("_e_r")).filter(
        pl.col("_e_r").is_not_null()
    )


def _industry_stats(
    firms: pl.DataFrame,
    *,
    firm: str,
    region: str,
    industry: str,
    value: str,
    by: Sequence[str],
    region_totals: pl.DataFrame | None,
    what: str,
) -> pl.DataFrame:
    """One row per (``*by``, industry) with every sum that γ, G, H and z need, and the "undefined" note."""
    by = list(by)
    require_columns(firms, [*by, firm, region, industry, value], what=what)
    require_unique(firms, [*by, industry, region, firm], what=what, fix="give one row per plant")
    data = firms.select(*by, industry, region, pl.col(value).cast(pl.Float64).alias("_v"))
    reference = _reference(data.drop_nulls("_v"), region_totals, region=region, value=value, by=by, what=what)
    reference = reference.with_columns(_x=pl.col("_e_r") / within(pl.col("_e_r").sum(), by))
    partition = reference.group_by(by) if by else None
    sums = [
        pl.col("_x").pow(2).sum().alias("_sx2"),
        pl.col("_x").pow(3).sum().alias("_sx3"),
        (pl.col("_x") > 0).sum().cast(pl.Int64).alias("n_regions"),
    ]
    totals = partition.agg(*sums) if partition is not None else reference.select(*sums)

    v = pl.col("_v")
    industries = data.group_by([*by, industry], maintain_order=True).agg(
        v.count().cast(pl.Int64).alias("n_firms"),
        v.null_count().cast(pl.Int64).alias("_missing"),
        v.sum().alias("_e_i"),
        v.pow(2).sum().alias("_v2"),
        v.pow(4).sum().alias("_v4"),
    )
    cells = (
        data.drop_nulls("_v")
        .group_by([*by, industry, region])
        .agg(v.sum().alias("_e_ri"))
        .join(reference.select(*by, region, "_x"), on=[*by, region], how="left", nulls_equal=True)
        .join(industries.select(*by, industry, "_e_i"), on=[*by, industry], how="left", nulls_equal=True)
        .with_columns(_s=pl.col("_e_ri") / pl.col("_e_i"))
        .group_by([*by, industry])
        .agg(
            (pl.col("_s") - pl.col("_x")).pow(2).sum().alias("_dev2"),  # Σ_present (σ − x)²
            pl.col("_x").pow(2).sum().alias("_x2_present"),
            pl.col("_s").pow(2).sum().alias("_s2"),
            pl.col("_x").is_null().any().alias("_no_total"),
        )
    )
    out = industries.join(cells, on=[*by, industry], how="left", nulls_equal=True)
    out = out.join(totals, on=by, how="left", nulls_equal=True) if by else out.join(totals, how="cross")
    e_i = pl.col("_e_i")
    undefined = first_note(
        (pl.col("n_firms") == 0, NOTE_NO_VALUE),
        (e_i == 0, NOTE_ZERO),
        (pl.col("_no_total"), NOTE_REGION_MISSING),
        (pl.col("_sx2").is_null() | (pl.col("_sx2") >= 1), NOTE_SINGLE_REGION),
        (pl.col("_v2") / e_i.pow(2) >= 1, NOTE_SINGLE_FIRM),
    )
    missing = pl.col("_missing")
    ignored = (
        pl.when((missing == 1) & (pl.col("n_firms") > 0))
        .then(pl.lit("1 firm not reported (ignored)"))
        .when((missing > 1) & (pl.col("n_firms") > 0))
        .then(pl.format("{} firms not reported (ignored)", missing))
    )
    return out.with_columns(
        # G = Σ_r (σ_ri − x_r)²: regions without the industry's firms add x_r² each
        G=pl.col("_dev2") + pl.col("_sx2") - pl.col("_x2_present"),
        H=pl.when(e_i > 0).then(pl.col("_v2") / e_i.pow(2)),
        _z4=pl.when(e_i > 0).then(pl.col("_v4") / e_i.pow(4)),
        n_regions=pl.col("n_regions").fill_null(0),
        _undefined=undefined,
        _ignored=ignored,
    )


def ellison_glaeser(
    firms: pl.DataFrame,
    *,
    firm: str = "firm_id",
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "employment",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Ellison-Glaeser agglomeration index γ of each industry, from firm (plant) records.

    .. math::

        G_i = \\sum_r (σ_{ri} - x_r)^2, \\quad H_i = \\sum_k z_k^2, \\quad
        γ_i = \\frac{G_i - (1 - \\sum_r x_r^2) H_i}{(1 - \\sum_r x_r^2)(1 - H_i)}

    and the z-statistic of G against the dartboard null (REAT's ``ellison.a``):
    ``z = (G − (1 − Σx²) H) / sqrt(Var G)`` with
    ``Var G = 2 [H² (Σx² − 2Σx³ + (Σx²)²) − Σz⁴ (Σx² − 4Σx³ + 3(Σx²)²)]``.

    Parameters
    ----------
    firms
        One row per plant: (``*by``, industry, region, firm) unique, with its value (employment).
    firm, region, industry, value
        Column names.
    by
        Partition columns (e.g. ``("year",)``); each partition is a separate economy.
    region_totals
        Optional all-industry regional totals for ``x_r``: a frame of (``*by``, region, total), the total in a
        column ``region_total`` (as for :func:`~pipeline.indices.specialisation.location_quotient`) or else in
        the column named by ``value``. Default: ``x_r`` from the firm records summed over all industries.

    Returns
    -------
    polars.DataFrame
        One row per (``*by``, industry) in order of first appearance: ``gamma``, ``G``, ``H`` (plant
        Herfindahl), ``n_firms`` (firms with a reported value; REAT's ``K``), ``n_regions`` (regions of the
        reference economy with ``x_r > 0``), ``z`` and ``note``.

    Notes
    -----
    - ``x_r`` from the firm records (default) reproduces REAT 3.0.3 ``ellison.a2``, which sums the firms of all
      industries by region; ``region_totals=`` reproduces ``ellison.a`` given ``e_j``. G sums over every region of
      the reference economy, including those where the industry has no firm (each adds ``x_r²``).
    - Undefined, with null values and a note: no firm value or a zero industry total; a firm's region without a
      region total (``region_totals=``); a single region (``Σ x_r² = 1``); one firm holding the whole industry
      (``H = 1``). ``z`` is null when ``Var G <= 0``. Firms with a null value are ignored and counted in the note;
      firms with value 0 count in ``n_firms`` and add nothing to H (as REAT's ``K``).
    - γ ≈ 0: as concentrated as a dartboard throw of the plants; γ > 0 agglomerated; γ < 0 dispersed.

    References
    ----------
    Ellison, G. and Glaeser, E. (1997), J. Political Economy 105(5), 889-927; Wieland, T. REAT 3.0.3,
    ``ellison.a`` and ``ellison.a2``; Farhauer, O. and Kröll, A. (2014), Standorttheorien, Springer.

    Examples
    --------
    REAT's ``ellison.a`` example (Farhauer/Kröll 2014): ten plants in Vienna, Linz and Graz, regional
    employment 500000, 400000 and 100000.

    >>> import polars as pl
    >>> plants = pl.DataFrame({
    ...     "firm_id": [f"p{k}" for k in range(10)],
    ...     "region_code": ["Wien"] * 5 + ["Linz"] * 4 + ["Graz"],
    ...     "industry_code": ["x"] * 10,
    ...     "employment": [200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000],
    ... })
    >>> totals = pl.DataFrame({"region_code": ["Wien", "Linz", "Graz"],
    ...                        "region_total": [500000, 400000, 100000]})
    >>> ellison_glaeser(plants, region_totals=totals)
    shape: (1, 8)
    ┌───────────────┬──────────┬──────────┬──────────┬─────────┬───────────┬────────┬──────┐
    │ industry_code ┆ gamma    ┆ G        ┆ H        ┆ n_firms ┆ n_regions ┆ z      ┆ note │
    │ ---           ┆ ---      ┆ ---      ┆ ---      ┆ ---     ┆ ---       ┆ ---    ┆ ---  │
    │ str           ┆ f64      ┆ f64      ┆ f64      ┆ i64     ┆ i64       ┆ f64    ┆ str  │
    ╞═══════════════╪══════════╪══════════╪══════════╪═════════╪═══════════╪════════╪══════╡
    │ x             ┆ 0.059906 ┆ 0.168163 ┆ 0.244689 ┆ 10      ┆ 3         ┆ 0.1959 ┆ null │
    └───────────────┴──────────┴──────────┴──────────┴─────────┴───────────┴────────┴──────┘
    """
    by = list(by)
    stats = _industry_stats(
        firms, firm=firm, region=region, industry=industry, value=value, by=by,
        region_totals=region_totals, what="ellison_glaeser",
    )  # fmt: skip
    return _ellison_glaeser(stats, by=by, industry=industry)


def _ellison_glaeser(stats: pl.DataFrame, *, by: list[str], industry: str) -> pl.DataFrame:
    ok = pl.col("_undefined").is_null()
    one_minus = 1 - pl.col("_sx2")
    g, h, sx2, sx3 = pl.col("G"), pl.col("H"), pl.col("_sx2"), pl.col("_sx3")
    excess = g - one_minus * h
    variance = 2 * (h.pow(2) * (sx2 - 2 * sx3 + sx2.pow(2)) - pl.col("_z4") * (sx2 - 4 * sx3 + 3 * sx2.pow(2)))
    return stats.select(
        *by,
        industry,
        gamma=pl.when(ok).then(excess / (one_minus * (1 - h))),
        G=pl.when(ok).then(g),
        H=pl.when(pl.col("_e_i") > 0).then(h),
        n_firms="n_firms",
        n_regions="n_regions",
        z=pl.when(ok & (variance > 0)).then(excess / variance.sqrt()),
        note=join_notes(
            pl.col("_undefined"),
            pl.when(ok & (variance <= 0)).then(pl.lit(NOTE_VARIANCE)),
            pl.col("_ignored"),
        ),
    )


def maurel_sedillot(
    firms: pl.DataFrame,
    *,
    firm: str = "firm_id",
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "employment",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Maurel-Sédillot agglomeration index of each industry, from firm (plant) records.

    .. math::

        G^{MS}_i = \\frac{\\sum_r σ_{ri}^2 - \\sum_r x_r^2}{1 - \\sum_r x_r^2}, \\quad
        γ^{MS}_i = \\frac{G^{MS}_i - H_i}{1 - H_i}

    Parameters
    ----------
    firms, firm, region, industry, value, by, region_totals
        As for :func:`ellison_glaeser` (same reference economy: firm sums by default, or explicit totals).

    Returns
    -------
    polars.DataFrame
        One row per (``*by``, industry): ``gamma`` (γ^MS), ``G`` (G^MS, not EG's G), ``H``, ``n_firms``,
        ``n_regions`` and ``note``; nulls with the same notes as :func:`ellison_glaeser`.

    Notes
    -----
    Maurel and Sédillot estimate the same dartboard parameter as Ellison and Glaeser from the probability that
    two plants locate in the same region; the two coincide when every region has the same share (``x_r = 1/R``).

    References
    ----------
    Maurel, F. and Sédillot, B. (1999), "A measure of the geographic concentration in French manufacturing
    industries", Regional Science and Urban Economics 29(5), 575-604.

    Examples
    --------
    Two regions with shares 0.6 and 0.4; plants 60 and 20 in A, 20 in B: ``σ = (0.8, 0.2)``,
    ``G^MS = (0.68 − 0.52)/0.48 = 1/3``, ``H = 0.44``, ``γ^MS = (1/3 − 0.44)/0.56 = −0.190476``.

    >>> import polars as pl
    >>> plants = pl.DataFrame({"firm_id": ["a", "b", "c"], "region_code": ["A", "A", "B"],
    ...                        "industry_code": ["x"] * 3, "employment": [60, 20, 20]})
    >>> totals = pl.DataFrame({"region_code": ["A", "B"], "region_total": [600, 400]})
    >>> maurel_sedillot(plants, region_totals=totals)
    shape: (1, 7)
    ┌───────────────┬───────────┬──────────┬──────┬─────────┬───────────┬──────┐
    │ industry_code ┆ gamma     ┆ G        ┆ H    ┆ n_firms ┆ n_regions ┆ note │
    │ ---           ┆ ---       ┆ ---      ┆ ---  ┆ ---     ┆ ---       ┆ ---  │
    │ str           ┆ f64       ┆ f64      ┆ f64  ┆ i64     ┆ i64       ┆ str  │
    ╞═══════════════╪═══════════╪══════════╪══════╪═════════╪═══════════╪══════╡
    │ x             ┆ -0.190476 ┆ 0.333333 ┆ 0.44 ┆ 3       ┆ 2         ┆ null │
    └───────────────┴───────────┴──────────┴──────┴─────────┴───────────┴──────┘
    """
    by = list(by)
    stats = _industry_stats(
        firms, firm=firm, region=region, industry=industry, value=value, by=by,
        region_totals=region_totals, what="maurel_sedillot",
    )  # fmt: skip
    return _maurel_sedillot(stats, by=by, industry=industry)


def _maurel_sedillot(stats: pl.DataFrame, *, by: list[str], industry: str) -> pl.DataFrame:
    ok = pl.col("_undefined").is_null()
    g_ms = (pl.col("_s2") - pl.col("_sx2")) / (1 - pl.col("_sx2"))
    h = pl.col("H")
    return stats.select(
        *by,
        industry,
        gamma=pl.when(ok).then((g_ms - h) / (1 - h)),
        G=pl.when(ok).then(g_ms),
        H=pl.when(pl.col("_e_i") > 0).then(h),
        n_firms="n_firms",
        n_regions="n_regions",
        note=join_notes(pl.col("_undefined"), pl.col("_ignored")),
    )


def firm_agglomeration(
    firms: pl.DataFrame,
    *,
    firm: str = "firm_id",
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "employment",
    by: Sequence[str] = (),
    region_totals: pl.DataFrame | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """:func:`ellison_glaeser` and :func:`maurel_sedillot` of the same records, from one pass over the firms
    (both need the same sums; a census year has millions of firm records). Returns ``(eg, ms)``, each exactly
    what the function alone returns.

    Examples
    --------
    >>> import polars as pl
    >>> plants = pl.DataFrame({"firm_id": ["a", "b", "c"], "region_code": ["A", "A", "B"],
    ...                        "industry_code": ["x"] * 3, "employment": [60, 20, 20]})
    >>> totals = pl.DataFrame({"region_code": ["A", "B"], "region_total": [600, 400]})
    >>> eg, ms = firm_agglomeration(plants, region_totals=totals)

    EG: ``G = (0.8 − 0.6)² + (0.2 − 0.4)² = 0.08``, ``γ = (0.08 − 0.48 · 0.44)/(0.48 · 0.56) = −0.488095``; MS as in
    :func:`maurel_sedillot`'s example, ``γ^MS = −0.190476``:

    >>> round(eg["gamma"][0], 6), round(ms["gamma"][0], 6)
    (-0.488095, -0.190476)
    >>> eg.equals(ellison_glaeser(plants, region_totals=totals))
    True
    """
    by = list(by)
    stats = _industry_stats(
        firms, firm=firm, region=region, industry=industry, value=value, by=by,
        region_totals=region_totals, what="ellison_glaeser",
    )  # fmt: skip
    return _ellison_glaeser(stats, by=by, industry=industry), _maurel_sedillot(stats, by=by, industry=industry)
