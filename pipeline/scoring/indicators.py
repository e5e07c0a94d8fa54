"""Indicator values from reported (and derived) variables, as the methodology defines them."""

from __future__ import annotations

import polars as pl

from pipeline.scoring.methodology import Methodology


def indicator_values(
    reported: pl.DataFrame, methodology: Methodology, *, unit: str = "cluster_code", year: str = "year",
    indicator: str = "indicator", value: str = "value",
) -> pl.DataFrame:
    """The methodology's indicators from a long frame of variables (unit, year, indicator, value).

    An indicator is ``scale * source / denominator`` (or the source alone). With ``growth = "yoy"`` it becomes the
    percent change on the previous year, with ``"cagr"`` the compound annual growth in percent over
    ``growth_years`` years, ``((v_t / v_{t-k})^(1/k) - 1) * 100``. Returns unit, year, ``indicator``,
    ``raw_value``: null where an input is missing, a denominator is 0, or the earlier year is missing or not
    positive (CAGR) / 0 (year-on-year).

    Parameters
    ----------
    reported
        Long frame of the cluster-indicators measures plus the build's derived agglomeration variables.
    methodology
        Defines each indicator's source, denominator, scale and growth.
    unit, year, indicator, value
        Column names of ``reported``.

    Returns
    -------
    polars.DataFrame
        unit, year, indicator, raw_value (one row per unit x year x methodology indicator).

    Examples
    --------
    >>> rep = pl.DataFrame({"cluster_code": ["A", "A", "A", "A"], "year": [2021, 2021, 2022, 2022],
    ...                     "indicator": ["output_value", "employment"] * 2, "value": [100.0, 4.0, 120.0, 5.0]})
    >>> m = Methodology.default()
    >>> out = indicator_values(rep, m).filter(pl.col("indicator").is_in(["output_growth", "labour_productivity"]))
    >>> out.sort("indicator", "year").select("year", "indicator", "raw_value").rows()  # doctest: +NORMALIZE_WHITESPACE
    [(2021, 'labour_productivity', 25.0), (2022, 'labour_productivity', 24.0),
     (2021, 'output_growth', None), (2022, 'output_growth', 20.0)]
    """
    wide = reported.pivot(on=indicator, index=[unit, year], values=value, aggregate_function="first")
    frames = []
    for ind in methodology.indicators:
        num = pl.col(ind.source) if ind.source in wide.columns else pl.lit(None, dtype=pl.Float64)
        if ind.denominator is not None:
            den = pl.col(ind.denominator) if ind.denominator in wide.columns else pl.lit(None, dtype=pl.Float64)
            ratio = pl.when(den != 0).then(num / den)
        else:
            ratio = num
        part = wide.select(unit, year, (ratio * ind.scale).cast(pl.Float64).alias("raw_value")).sort(unit, year)
        if ind.growth is not None:
            k = ind.growth_years
            earlier = part.select(unit, (pl.col(year) + k).alias(year), pl.col("raw_value").alias("_then"))
            part = part.join(earlier, on=[unit, year], how="left")
            if ind.growth == "yoy" and k == 1:
                grown = pl.when(pl.col("_then") != 0).then((pl.col("raw_value") - pl.col("_then"))
                                                           / pl.col("_then").abs() * 100)
            else:
                grown = pl.when((pl.col("_then") > 0) & (pl.col("raw_value") >= 0)).then(
                    ((pl.col("raw_value") / pl.col("_then")) ** (1 / k) - 1) * 100)
            part = part.with_columns(grown.alias("raw_value")).drop("_then")
        frames.append(part.with_columns(pl.lit(ind.code).alias("indicator")))
    return pl.concat(frames).select(unit, year, "indicator", "raw_value")
