"""Composite performance scores: indicator values -> normalised scores -> weighted mean -> ranks.

This first engine implements the methodology's default choices (min-max to [0, 100] within each year, equal or
manual weights renormalised over the indicators a unit reports, weighted arithmetic mean, ranks with ties sharing
the lowest rank); later work adds the other normalisations, aggregations, imputation and uncertainty.
Pure functions over polars frames: no IO.
"""

from __future__ import annotations

import polars as pl

from pipeline.scoring.methodology import Methodology


def indicator_values(
    reported: pl.DataFrame, methodology: Methodology, *, unit: str = "cluster_code", year: str = "year",
    indicator: str = "indicator", value: str = "value",
) -> pl.DataFrame:
    """Derive the methodology's indicators from reported values (long: unit, year, indicator, value).

    An indicator is ``scale * numerator / denominator`` (or the numerator alone), or, with ``growth``, its percent
    change on the previous year. Returns unit, year, ``indicator``, ``raw_value`` (null where an input is missing,
    a denominator is 0 or the previous year is missing or 0).

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
        num = pl.col(ind.numerator) if ind.numerator in wide.columns else pl.lit(None, dtype=pl.Float64)
        if ind.denominator is not None:
            den = pl.col(ind.denominator) if ind.denominator in wide.columns else pl.lit(None, dtype=pl.Float64)
            ratio = pl.when(den != 0).then(num / den)
        else:
            ratio = num
        ratio = (ratio * ind.scale).cast(pl.Float64)
        part = wide.select(unit, year, ratio.alias("raw_value")).sort(unit, year)
        if ind.growth:
            prev = pl.col("raw_value").shift(1).over(unit, order_by=year)
            prev_year = pl.col(year).shift(1).over(unit, order_by=year)
            part = part.with_columns(
                pl.when((prev_year == pl.col(year) - 1) & (prev != 0))
                .then((pl.col("raw_value") - prev) / prev * 100)
                .alias("raw_value")
            )
        frames.append(part.with_columns(pl.lit(ind.code).alias("indicator")))
    return pl.concat(frames).select(unit, year, "indicator", "raw_value")


def minmax(value: pl.Expr, direction: int = 1) -> pl.Expr:
    """Min-max to [0, 100] with the direction applied first; a constant column (all units equal) gives 50.

    >>> pl.DataFrame({"x": [2.0, 4.0, 6.0]}).select(minmax(pl.col("x"), -1)).to_series().to_list()
    [100.0, 50.0, 0.0]
    """
    v = value * direction
    lo, hi = v.min(), v.max()
    return pl.when(value.is_null()).then(None).when(hi == lo).then(50.0).otherwise((v - lo) / (hi - lo) * 100)


def composite_scores(
    values: pl.DataFrame, methodology: Methodology, *, unit: str = "cluster_code", year: str = "year"
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Scores and the indicator table behind them.

    ``values``: unit, year, indicator, raw_value (from :func:`indicator_values`). Returns ``(scores,
    indicators)``: scores has unit, year, score, rank, n_ranked, indicators_used, indicators_total, note;
    indicators has unit, year, indicator, indicator_name(_zh), pillar, raw_value, normalised, weight, direction,
    unit_label.

    Two indicators, equal weights, min_coverage 1 (both needed). Output 10/20/30 -> 0/50/100; energy use
    (direction -1) 300/200/- -> 0/100/-. A: (0 + 0)/2 = 0; B: (50 + 100)/2 = 75; C lacks energy: no score.

    >>> m = Methodology.from_text('''
    ... [methodology]
    ... min_coverage = 1.0
    ... [[indicator]]
    ... code = "output_value"
    ... numerator = "output_value"
    ... [[indicator]]
    ... code = "energy_use"
    ... numerator = "energy_use"
    ... direction = -1
    ... ''')
    >>> vals = pl.DataFrame({"cluster_code": ["A", "B", "C"] * 2, "year": [2022] * 6,
    ...     "indicator": ["output_value"] * 3 + ["energy_use"] * 3,
    ...     "raw_value": [10.0, 20.0, 30.0, 300.0, 200.0, None]})
    >>> scores, _ = composite_scores(vals, m)
    >>> scores.sort("cluster_code").select("cluster_code", "score", "rank", "n_ranked").rows()
    [('A', 0.0, 2, 2), ('B', 75.0, 1, 2), ('C', None, None, 2)]
    """
    meta = pl.DataFrame(
        {
            "indicator": [i.code for i in methodology.indicators],
            "indicator_name": [i.name for i in methodology.indicators],
            "indicator_name_zh": [i.name_zh for i in methodology.indicators],
            "pillar": [i.pillar for i in methodology.indicators],
            "direction": [i.direction for i in methodology.indicators],
            "weight": [i.weight for i in methodology.indicators],
            "unit_label": [i.unit for i in methodology.indicators],
        },
        schema_overrides={"direction": pl.Int32},
    )
    total_weight = float(sum(i.weight for i in methodology.indicators))
    ind = values.join(meta, on="indicator", how="inner")
    ind = ind.with_columns(
        pl.when(pl.col("direction") == -1)
        .then(minmax(pl.col("raw_value"), -1))
        .otherwise(minmax(pl.col("raw_value"), 1))
        .over(year, "indicator")
        .alias("normalised")
    )
    present = pl.col("normalised").is_not_null()
    scores = ind.group_by(unit, year).agg(
        (pl.col("normalised") * pl.col("weight")).filter(present).sum().alias("weighted"),
        pl.col("weight").filter(present).sum().alias("present_weight"),
        present.sum().cast(pl.Int64).alias("indicators_used"),
    )
    coverage = pl.col("present_weight") / total_weight
    scores = scores.with_columns(
        pl.lit(len(methodology.indicators), dtype=pl.Int64).alias("indicators_total"),
        pl.when(coverage >= methodology.min_coverage).then(pl.col("weighted") / pl.col("present_weight"))
        .alias("score"),
    ).with_columns(
        pl.when(pl.col("score").is_null())
        .then(pl.format("reports {} of {} indicators, below the {}% needed for a score",
                        pl.col("indicators_used"), pl.col("indicators_total"),
                        pl.lit(round(methodology.min_coverage * 100))))
        .alias("note"),
        pl.col("score").rank(method="min", descending=True).over(year).cast(pl.Int64).alias("rank"),
        pl.col("score").is_not_null().sum().over(year).cast(pl.Int64).alias("n_ranked"),
    )
    scores = scores.select(unit, year, "score", "rank", "n_ranked", "indicators_used", "indicators_total", "note")
    indicators = ind.select(unit, year, "indicator", "indicator_name", "indicator_name_zh", "pillar", "raw_value",
                            "normalised", "weight", "direction", "unit_label")
    return scores.sort(year, "rank", unit, nulls_last=True), indicators


def size_band(output: pl.Expr, methodology: Methodology) -> pl.Expr:
    """The province's output bands: under 1 billion, 1-10 billion, over 10 billion yuan (thresholds from the file).

    >>> m = Methodology.default()
    >>> pl.DataFrame({"o": [5e8, 3e9, 2e10, None]}).select(size_band(pl.col("o"), m)).to_series().to_list()
    ['under 1 billion', '1-10 billion', 'over 10 billion', None]
    """
    small, large = methodology.size_small, methodology.size_large
    return (
        pl.when(output.is_null()).then(None)
        .when(output < small).then(pl.lit(f"under {small / 1e9:g} billion"))
        .when(output <= large).then(pl.lit(f"{small / 1e9:g}-{large / 1e9:g} billion"))
        .otherwise(pl.lit(f"over {large / 1e9:g} billion"))
    )
