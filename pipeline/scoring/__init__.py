"""Composite performance scores on a versioned methodology (see METHODS.md, "Composite performance score").

Pure functions over polars frames and numpy arrays (scikit-learn and scipy inside); the only file it reads is a
methodology (which file a data directory uses is kept by :mod:`pipeline.jobs.methodologies`).

- :mod:`~pipeline.scoring.options`: the parts of a methodology (indicators, aggregates, level, uncertainty,
  explanation and index options) and the choices each option allows;
- :mod:`~pipeline.scoring._parse`: parse and validate a methodology file, every problem named by line and field
  (:mod:`~pipeline.scoring._toml`: what that needs of TOML);
- :mod:`~pipeline.scoring.methodology`: :class:`Methodology`, read from its TOML file and versioned by its hash: the
  one module that reads a file;
- :mod:`~pipeline.scoring.indicators`: indicator values from the reported and derived variables;
- :mod:`~pipeline.scoring.treatment`: imputation and outlier treatment, each treated value flagged;
- :mod:`~pipeline.scoring.normalise`: normalisation onto a common scale, direction applied first;
- :mod:`~pipeline.scoring.weights`: equal, manual, PCA and factor-analysis weights;
- :mod:`~pipeline.scoring.aggregate`: children's scores combined into their parent's;
- :mod:`~pipeline.scoring.engine`: the numerical core of one year's cross-section (pure numpy);
- :mod:`~pipeline.scoring.composite`: the composite scores and every detail frame the warehouse stores;
- :mod:`~pipeline.scoring.explain`: what changed a score, strengths and weaknesses, peer groups;
- :mod:`~pipeline.scoring.uncertainty`: a Monte Carlo over methodological choices, with sensitivity of the ranks;
- :mod:`~pipeline.scoring.tiers`: the cultivation ladder: tier rules (from the methodology file), each cluster's
  result on each rule and its standing (promotion, meets, at risk, below);
- :mod:`~pipeline.scoring.targets`: plan targets: distance, the growth needed against the growth achieved, and the
  trend's projection with its interval.

Enters: a methodology (a TOML file) and frames of reported indicator values and
variables per unit (cluster) and year.
Leaves: :class:`Methodology`; frames of indicator values, treated and normalised values, pillar and index scores,
ranks, uncertainty intervals and explanations; :class:`MethodologyInvalid` naming each problem of a file.
May import: pipeline.core (its errors).
"""

from __future__ import annotations

from pipeline.scoring.aggregate import aggregate
from pipeline.scoring.composite import CompositeResult, composite_scores, score_details, size_band
from pipeline.scoring.explain import explain_changes, peer_groups, strengths_weaknesses
from pipeline.scoring.indicators import indicator_values
from pipeline.scoring.methodology import Methodology
from pipeline.scoring.normalise import normalise
from pipeline.scoring.options import Aggregate, IndexOptions, Indicator, Level
from pipeline.scoring.uncertainty import Uncertainty, rank_uncertainty
from pipeline.scoring.weights import factor_solution, pca_weights

__all__ = [
    "Aggregate", "CompositeResult", "IndexOptions", "Indicator", "Level", "Methodology", "Uncertainty", "aggregate",
    "composite_scores", "explain_changes", "factor_solution", "indicator_values", "normalise", "pca_weights",
    "peer_groups", "rank_uncertainty", "score_details", "size_band", "strengths_weaknesses",
]
