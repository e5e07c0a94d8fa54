"""Composite performance scores on a versioned methodology."""

from __future__ import annotations

from pipeline.scoring.composite import composite_scores, indicator_values, minmax, size_band
from pipeline.scoring.methodology import IndexOptions, Indicator, Methodology

__all__ = ["IndexOptions", "Indicator", "Methodology", "composite_scores", "indicator_values", "minmax", "size_band"]
