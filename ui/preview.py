"""Methodology preview: score what the live build scored with an edited methodology, in memory, and say how the
ranks would move. Nothing is written; the scores come from :mod:`pipeline.scoring` exactly as a build computes
them (the derived agglomeration inputs are read back from the live build's marts, so an unchanged methodology
reproduces the live scores)."""

from __future__ import annotations

import polars as pl

from pipeline.marts.scores import agglomeration_variables
from pipeline.scoring import Methodology, indicator_values, score_details


def preview_scores(inputs: dict[str, pl.DataFrame], m: Methodology) -> pl.DataFrame:
    """cluster_code, year, score, rank, n_ranked under ``m`` (inputs: :func:`warehouse.queries.scoring_inputs`)."""
    reported = inputs["reported"]
    if reported.is_empty():
        return pl.DataFrame(schema={"cluster_code": pl.String, "year": pl.Int64, "score": pl.Float64,
                                    "rank": pl.Int64, "n_ranked": pl.Int64})
    lead = inputs["cluster_lq"]  # each named cluster's category LQ in its lead region, as the build wrote it
    extra = agglomeration_variables(lead, inputs["firms"], reported, inputs["province"])
    values = pl.concat([reported.select("cluster_code", pl.col("year").cast(pl.Int64), "indicator",
                                        pl.col("value").cast(pl.Float64)), extra])
    scores = score_details(indicator_values(values, m), m).scores
    return scores.select("cluster_code", pl.col("year").cast(pl.Int64), "score", "rank", "n_ranked")


def rank_moves(current: pl.DataFrame, preview: pl.DataFrame, year: int) -> pl.DataFrame:
    """Per cluster in ``year``: live score and rank, previewed score and rank, and the move (positive = up)."""
    now = current.filter(pl.col("year") == year).select("cluster_code", "score", "rank")
    then = preview.filter(pl.col("year") == year).select("cluster_code", pl.col("score").alias("preview_score"),
                                                         pl.col("rank").alias("preview_rank"))
    out = now.join(then, on="cluster_code", how="full", coalesce=True)
    return out.with_columns((pl.col("rank") - pl.col("preview_rank")).alias("move"),
                            (pl.col("preview_score") - pl.col("score")).alias("score_change")
                            ).sort(pl.col("move").abs(), "preview_rank", descending=[True, False], nulls_last=True)
