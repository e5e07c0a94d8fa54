"""Score moves between two builds, and why they moved: pure functions over ``mart_cluster_score`` and
``mart_cluster_indicator`` frames (no IO), for the change report (:mod:`pipeline.jobs.changes`).
"""

from __future__ import annotations

import polars as pl

SCORE_TOLERANCE = 0.005  # score moves smaller than this (display precision) are not changes
SCORE_COLUMNS = ["cluster_code", "year", "score", "rank", "n_ranked"]


def score_change_explanations(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Why scores moved: the three largest changes in indicator contributions (points of the score).

    ``before``/``after`` are ``mart_cluster_indicator`` frames of the two builds; the contribution of an
    indicator is ``normalised * weight / (sum of the weights of the indicators present)``, so the contributions
    of a cluster-year add up to its score. Returns cluster_code, year, explanation.
    """

    needed = {"cluster_code", "year", "indicator", "indicator_name", "normalised", "weight"}

    def contributions(frame: pl.DataFrame) -> pl.DataFrame:
        if frame.is_empty() or not needed <= set(frame.columns):
            return pl.DataFrame(schema={"cluster_code": pl.String, "year": pl.Int64, "indicator": pl.String,
                                        "indicator_name": pl.String, "part": pl.Float64})
        present = pl.col("weight").filter(pl.col("normalised").is_not_null()).sum().over("cluster_code", "year")
        return frame.select("cluster_code", pl.col("year").cast(pl.Int64), "indicator", "indicator_name",
                            (pl.col("normalised").fill_null(0) * pl.col("weight") / present).alias("part"))

    keys = ["cluster_code", "year", "indicator"]
    joined = contributions(after).join(contributions(before), on=keys, how="full", suffix="_before",
                                       coalesce=True)
    deltas = joined.with_columns(
        (pl.col("part").fill_null(0) - pl.col("part_before").fill_null(0)).alias("delta"),
        pl.coalesce("indicator_name", "indicator_name_before", "indicator").alias("label"),
    ).filter(pl.col("delta").abs() >= 0.01)
    top = deltas.sort(pl.col("delta").abs(), descending=True).group_by("cluster_code", "year", maintain_order=True
                                                                       ).head(3)
    return top.group_by("cluster_code", "year", maintain_order=True).agg(
        pl.format("{} {}", pl.col("label"), pl.col("delta").round(2).map_elements(
            lambda d: f"{d:+.2f}", return_dtype=pl.String)).str.join(", ").alias("explanation")
    ).with_columns(pl.format("{} points", pl.col("explanation")).alias("explanation"))


def score_moves(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Clusters whose score or rank moved between two ``mart_cluster_score`` frames.

    A move is a score change of at least :data:`SCORE_TOLERANCE`, another rank, or a cluster-year scored in one
    build only. ``rank_change`` is positive when the cluster moved up. Sorted by year (newest first), then by the
    size of the score change.

    >>> before = pl.DataFrame({"cluster_code": ["A", "B"], "year": [2022, 2022], "score": [60.0, 40.0],
    ...                        "rank": [1, 2], "n_ranked": [2, 2]})
    >>> after = before.with_columns(score=pl.Series([30.0, 40.0]), rank=pl.Series([2, 1]))
    >>> score_moves(before, after).select("cluster_code", "score_change", "rank_before", "rank", "rank_change").rows()
    [('A', -30.0, 1, 2, -1), ('B', 0.0, 2, 1, 1)]
    """
    empty = pl.DataFrame(schema={"cluster_code": pl.String, "year": pl.Int64, "score": pl.Float64,
                                 "rank": pl.Int64, "n_ranked": pl.Int64})
    a = after.select(SCORE_COLUMNS) if after.height else empty
    b = before.select(SCORE_COLUMNS) if before.height else empty
    a, b = (f.with_columns(pl.col("year").cast(pl.Int64), pl.col("rank").cast(pl.Int64)) for f in (a, b))
    j = a.join(b, on=["cluster_code", "year"], how="full", suffix="_before", coalesce=True)
    j = j.with_columns((pl.col("score") - pl.col("score_before")).alias("score_change"),
                       (pl.col("rank_before") - pl.col("rank")).alias("rank_change"))
    moved = j.filter(
        (pl.col("score_change").abs() >= SCORE_TOLERANCE)
        | pl.col("rank").ne_missing(pl.col("rank_before"))
        | (pl.col("score").is_null() != pl.col("score_before").is_null())
    )
    return moved.sort([pl.col("year"), pl.col("score_change").abs()], descending=True, nulls_last=True)


__all__ = ["SCORE_COLUMNS", "SCORE_TOLERANCE", "score_change_explanations", "score_moves"]
