"""Composite performance scores on a versioned methodology (see METHODS.md, "Composite performance score")."""

from __future__ import annotations

from pipeline.scoring.aggregate import aggregate
from pipeline.scoring.composite import CompositeResult, composite_scores, score_details, size_band
from pipeline.scoring.explain import explain_changes, peer_groups, strengths_weaknesses
from pipeline.scoring.indicators import indicator_values
from pipeline.scoring.methodology import Aggregate, IndexOptions, Indicator, Level, Methodology
from pipeline.scoring.normalise import normalise
from pipeline.scoring.uncertainty import Uncertainty, rank_uncertainty
from pipeline.scoring.weights import factor_solution, pca_weights

__all__ = [
    "Aggregate", "CompositeResult", "IndexOptions", "Indicator", "Level", "Methodology", "Uncertainty", "aggregate",
    "composite_scores", "explain_changes", "factor_solution", "indicator_values", "normalise", "pca_weights",
    "peer_groups", "rank_uncertainty", "score_details", "size_band", "strengths_weaknesses",
]
