"""Shift-share decompositions of each region's change between two years (Dunn; Esteban-Marquillas).

Notation (METHODS.md, "Dynamics"): ``e_ri1``, ``e_ri2`` the value of industry i in region r in the start and end
year; ``e_r1 = Σ_i e_ri1``; the reference economy's ``E_i1``, ``E_i2`` and ``E_1 = Σ_i E_i1``, ``E_2``; growth
rates ``g = E_2/E_1 − 1`` (reference), ``g_i = E_i2/E_i1 − 1`` (reference industry), ``g_ri = e_ri2/e_ri1 − 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import polars as pl

from pipeline.indices._common import IndexInputInvalid, first_note, join_notes, require_columns, require_unique, within
from pipeline.indices.growth import NOTE_NO_END, NOTE_NO_START, NOTE_ONE_YEAR, _at, year_window

__all__ = ["shift_share"]


def _reference_totals(
    cells: pl.DataFrame,
    reference: pl.DataFrame | None,
    *,
    industry: str,
    value: str,
    year: str,
    by: list[str],
) -> pl.DataFrame:
    """``(*by, industry, _E1, _E2)``: the reference economy's industry values in the start and end year."""
    if reference is None:
        return cells.group_by([*by, industry]).agg(pl.col("_e1").sum().alias("_E1"), pl.col("_e2").sum().alias("_E2"))
    ref_by = [c for c in by if c in reference.columns]
    require_columns(reference, [*ref_by, industry, year, value], what="shift_share(reference=)")
    require_unique(reference, [*ref_by, industry, year], what="shift_share(reference=)")
    windows = cells.select(*by, "_start", "_end").unique()
    ref = reference.select(*ref_by, industry, year, pl.col(value).cast(pl.Float64).alias("_v"))
    joined = windows.join(ref, on=ref_by, how="inner", nulls_equal=True) if ref_by else windows.join(ref, how="cross")
    return joined.group_by([*by, industry]).agg(
        _at("_v", year, "_start").alias("_E1"), _at("_v", year, "_end").alias("_E2")
    )


def shift_share(
    frame: pl.DataFrame,
    *,
    region: str = "region_code",
    industry: str = "industry_code",
    value: str = "value",
    year: str = "year",
    start: int | None = None,
    end: int | None = None,
    by: Sequence[str] = (),
    reference: pl.DataFrame | None = None,
    method: Literal["dunn", "esteban_marquillas"] = "dunn",
    per: Literal["industry", "region"] = "industry",
) -> pl.DataFrame:
    """Shift-share decomposition of each region's change between two years (Dunn; Esteban-Marquillas).

    Per region-industry cell (``per="industry"``), in the finite actual-minus-expected form:

    - ``national_share = e_ri1 · g``
    - ``industry_mix = e_ri1 · (g_i − g)``
    - ``competitive = (e_ri2 − e_ri1) − e_ri1 · g_i``
    - ``net_shift = industry_mix + competitive`` (REAT's "Net total shift")

    so that ``national_share + industry_mix + competitive = change = e_ri2 − e_ri1``. Esteban-Marquillas
    (``method="esteban_marquillas"``) splits ``competitive = homothetic_competitive + allocation`` with the
    homothetic value ``ê_ri = e_r1 · E_i1 / E_1``: ``homothetic_competitive = ê_ri (g_ri − g_i)`` and
    ``allocation = (e_ri1 − ê_ri)(g_ri − g_i)``. ``per="region"`` sums the cells over the region's industries.

    Parameters
    ----------
    frame
        Long format, one row per (``*by``, region, industry, year).
    region, industry, value, year
        Column names.
    start, end
        The two years; default the first and last year of each ``by`` partition.
    by
        Partition columns; each partition is a separate economy.
    reference
        The reference economy (e.g. the nation): a frame of (industry, year, value) with the same column names,
        plus any of the ``by`` columns to match on. Default: the sum of the frame's regions.
        ``E = Σ_i E_i`` over the reference's industries.
    method
        ``"dunn"`` (classic three components) or ``"esteban_marquillas"`` (adds the split of ``competitive``).
    per
        ``"industry"``: one row per region-industry cell; ``"region"``: one row per region.

    Returns
    -------
    polars.DataFrame
        ``*by``, region, (industry), ``start``, ``end``, ``value_start``, ``value_end``, ``change``,
        ``reference_growth`` (g), (``industry_growth``, g_i), ``national_share``, ``industry_mix``,
        ``competitive``, ``net_shift``, (``homothetic_competitive``, ``allocation``) and ``note``.

    Notes
    -----
    - REAT 3.0.3 ``shift`` computes the competitive ("regional share") effect in the ratio form
      ``Σ e_ri1 (e_ri2/e_ri1 − E_i2/E_i1)``, which is NaN when ``e_ri1 = 0``; here it is ``e_ri2`` then. Where
      ``e_ri1 > 0`` the two forms are equal. REAT ``shifti`` runs ``shift`` on each industry alone, so its
      per-industry "National share" is ``e_ri1 · g_i = national_share + industry_mix`` of this function.
    - ``E_i1 = 0`` (an industry new to the reference economy): cells with ``e_ri1 = 0`` count their whole
      change as competitive (mix 0) and the note flags it; a cell with ``e_ri1 > 0`` there is inconsistent:
      mix and competitive null. ``E_1 = 0``: everything null. Esteban-Marquillas needs ``g_ri``: cells with
      ``e_ri1 = 0`` get ``homothetic_competitive`` and ``allocation`` null with a note.
    - A cell without a value in the start or end year gets nulls and a note; ``per="region"`` leaves it out
      of the sums and says so. With the internal reference, ``E_i1`` and ``E_i2`` sum the reported cells.
      A region's component is null when one of its included cells has it null.

    References
    ----------
    Dunn, E. S. (1960), Papers and Proceedings of the Regional Science Association 6, 97-112;
    Esteban-Marquillas, J. M. (1972), Regional and Urban Economics 2(3), 249-261;
    Wieland, T. REAT 3.0.3, ``shift`` and ``shifti``; Farhauer, O. and Kröll, A. (2013), Standorttheorien.

    Examples
    --------
    REAT's ``shift`` example (Farhauer/Kröll 2013): region A against the nation X (= A + B + C).

    >>> import polars as pl
    >>> a = pl.DataFrame({"region_code": "A", "industry_code": list("1234") * 2, "year": [0] * 4 + [1] * 4,
    ...                   "value": [90, 20, 10, 60, 100, 40, 10, 55]})
    >>> x = pl.DataFrame({"industry_code": list("1234") * 2, "year": [0] * 4 + [1] * 4,
    ...                   "value": [400, 150, 150, 400, 440, 210, 135, 480]})
    >>> shift_share(a, reference=x, per="region").select(
    ...     "region_code", "change", "national_share", "industry_mix", "competitive", "net_shift")
    shape: (1, 6)
    ┌─────────────┬────────┬────────────────┬──────────────┬─────────────┬───────────┐
    │ region_code ┆ change ┆ national_share ┆ industry_mix ┆ competitive ┆ net_shift │
    │ ---         ┆ ---    ┆ ---            ┆ ---          ┆ ---         ┆ ---       │
    │ str         ┆ f64    ┆ f64            ┆ f64          ┆ f64         ┆ f64       │
    ╞═════════════╪════════╪════════════════╪══════════════╪═════════════╪═══════════╡
    │ A           ┆ 25.0   ┆ 27.0           ┆ 1.0          ┆ -3.0        ┆ -2.0      │
    └─────────────┴────────┴────────────────┴──────────────┴─────────────┴───────────┘
    """
    by = list(by)
    if method not in ("dunn", "esteban_marquillas"):
        raise IndexInputInvalid(f"shift_share: method must be 'dunn' or 'esteban_marquillas', not {method!r}")
    if per not in ("industry", "region"):
        raise IndexInputInvalid(f"shift_share: per must be 'industry' or 'region', not {per!r}")
    require_columns(frame, [*by, region, industry, year, value], what="shift_share")
    require_unique(frame, [*by, region, industry, year], what="shift_share")
    data = year_window(
        frame.select(*by, region, industry, year, pl.col(value).cast(pl.Float64).alias("_v")),
        year=year, by=by, start=start, end=end, what="shift_share",
    )  # fmt: skip
    in_window = (pl.col(year) == pl.col("_start")) | (pl.col(year) == pl.col("_end"))
    cells = (
        data.filter(in_window)
        .group_by([*by, region, industry], maintain_order=True)
        .agg(
            pl.col("_start").first(),
            pl.col("_end").first(),
            _at("_v", year, "_start").alias("_e1"),
            _at("_v", year, "_end").alias("_e2"),
        )
    )
    totals = _reference_totals(cells, reference, industry=industry, value=value, year=year, by=by)
    sums = [pl.col("_E1").sum(), pl.col("_E2").sum()]
    nation = totals.group_by(by).agg(*sums) if by else totals.select(*sums)
    nation = nation.rename({"_E1": "_N1", "_E2": "_N2"})
    cells = cells.join(totals, on=[*by, industry], how="left", nulls_equal=True)
    cells = cells.join(nation, on=by, how="left", nulls_equal=True) if by else cells.join(nation, how="cross")
    cells = _cell_components(cells, region=region, by=by, split=method == "esteban_marquillas")
    if per == "region":
        cells = _region_sums(cells, region=region, industry=industry, by=by)
    keys = [*by, region] if per == "region" else [*by, region, industry]
    em = ["homothetic_competitive", "allocation"] if method == "esteban_marquillas" else []
    growth_cols = ["reference_growth"] if per == "region" else ["reference_growth", "industry_growth"]
    return cells.select(
        *keys,
        "start",
        "end",
        "value_start",
        "value_end",
        "change",
        *growth_cols,
        "national_share",
        "industry_mix",
        "competitive",
        "net_shift",
        *em,
        "note",
    )


def _cell_components(cells: pl.DataFrame, *, region: str, by: list[str], split: bool) -> pl.DataFrame:
    """Every component of every region-industry cell, with its note (see :func:`shift_share`)."""
    e1, e2, big1, big2, n1, n2 = (pl.col(c) for c in ("_e1", "_e2", "_E1", "_E2", "_N1", "_N2"))
    g = pl.when(n1 != 0).then(n2 / n1 - 1)
    g_i = pl.when(big1 != 0).then(big2 / big1 - 1)
    reported = e1.is_not_null() & e2.is_not_null()
    region_start = within(e1.sum(), [*by, region])  # e_r1 over the region's reported start values
    unusable = first_note(
        (pl.col("_start") >= pl.col("_end"), NOTE_ONE_YEAR),
        (e1.is_null(), NOTE_NO_START),
        (e2.is_null(), NOTE_NO_END),
        (n1.is_null() | (n1 == 0), "the reference economy's start total is 0 (or missing): g is undefined"),
    )
    mix_undefined = first_note(
        (
            big1.is_null() | big2.is_null(),
            "the reference economy has no value for the industry in the start or end year",
        ),
        ((big1 == 0) & (e1 != 0), "E_i1 = 0 but the region has a start value: g_i is undefined"),
    )
    new_industry = pl.when((big1 == 0) & (e1 == 0)).then(
        pl.lit("E_i1 = 0 (the industry is new to the reference economy): its change counts as competitive")
    )
    em_undefined = pl.when(pl.lit(split) & (e1 == 0)).then(
        pl.lit("start value 0: g_ri and the Esteban-Marquillas split are undefined")
    )
    hat = region_start * big1 / n1
    g_ri_minus_g_i = e2 / e1 - 1 - g_i
    out = cells.with_columns(
        _g=g, _g_i=g_i, _u=unusable, _m=mix_undefined, _hat=hat, _d=g_ri_minus_g_i, _em=em_undefined
    )
    ok = pl.col("_u").is_null()
    mix_ok = ok & pl.col("_m").is_null()
    em_ok = mix_ok & pl.col("_em").is_null()
    zero_start = e1 == 0
    return out.with_columns(
        value_start=e1,
        value_end=e2,
        start="_start",
        end="_end",
        change=pl.when(reported).then(e2 - e1),
        reference_growth=pl.col("_g"),
        industry_growth=pl.col("_g_i"),
        national_share=pl.when(ok).then(e1 * pl.col("_g")),
        industry_mix=pl.when(mix_ok).then(
            pl.when(zero_start).then(0.0).otherwise(e1 * (pl.col("_g_i") - pl.col("_g")))
        ),
        competitive=pl.when(mix_ok).then(pl.when(zero_start).then(e2).otherwise((e2 - e1) - e1 * pl.col("_g_i"))),
        homothetic_competitive=pl.when(em_ok & (e1 != 0)).then(pl.col("_hat") * pl.col("_d")),
        allocation=pl.when(em_ok & (e1 != 0)).then((e1 - pl.col("_hat")) * pl.col("_d")),
        note=join_notes(
            pl.col("_u"),
            pl.when(ok).then(pl.col("_m")),
            pl.when(mix_ok).then(new_industry),
            pl.when(mix_ok).then(pl.col("_em")),
        ),
    ).with_columns(net_shift=pl.col("industry_mix") + pl.col("competitive"), _ok=ok)


def _region_sums(cells: pl.DataFrame, *, region: str, industry: str, by: list[str]) -> pl.DataFrame:
    """Cells summed over each region's industries; cells without both values are left out (and counted)."""
    components = ["national_share", "industry_mix", "competitive", "net_shift", "homothetic_competitive",
                  "allocation"]  # fmt: skip
    used = pl.col("_ok")

    def total(name: str) -> pl.Expr:
        kept = pl.col(name).filter(used)
        return pl.when(kept.null_count() == 0).then(kept.sum()).alias(name)

    cell_notes = pl.format("industry {}: {}", pl.col(industry), pl.col("note")).filter(
        pl.col("note").is_not_null() & used
    )
    dropped = (~used).sum()
    out = cells.group_by([*by, region], maintain_order=True).agg(
        pl.col("start").first(),
        pl.col("end").first(),
        pl.col("value_start").filter(used).sum(),
        pl.col("value_end").filter(used).sum(),
        pl.col("change").filter(used).sum(),
        pl.col("reference_growth").first(),
        *[total(c) for c in components],
        cell_notes.str.join("; ").alias("_cells"),
        dropped.alias("_dropped"),
        pl.col("_u").filter(~used).first().alias("_why"),
        used.any().alias("_any"),
    )
    return out.with_columns(
        note=join_notes(
            pl.when(~pl.col("_any")).then(pl.col("_why")),
            pl.when(pl.col("_any") & (pl.col("_dropped") > 0)).then(
                pl.format("{} industries left out (no value in the start or end year)", pl.col("_dropped"))
            ),
            pl.when(pl.col("_cells").str.len_chars() > 0).then(pl.col("_cells")),
        ),
        **{
            c: pl.when(pl.col("_any")).then(pl.col(c))
            for c in [
                "value_start",
                "value_end",
                "change",
                "national_share",
                "industry_mix",
                "competitive",
                "net_shift",
                "homothetic_competitive",
                "allocation",
            ]  # fmt: skip
        },
    )
