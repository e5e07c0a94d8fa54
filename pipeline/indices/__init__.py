"""Regional and cluster indices as pure polars functions (no IO: no duckdb, streamlit or os here).

Two levels, like polars' own API:

- frame-level functions over long-format frames, data positional and settings keyword-only, returning a new
  frame of the keys plus named result columns and a ``note`` column saying why a value is null;
- expression builders (:func:`share`, :func:`lq`, :func:`hhi`, :func:`cr`, :func:`gini_coefficient`,
  :func:`theil_index`, :func:`atkinson_index`, :func:`percentile_rank`) that compose in ``with_columns``,
  ``over`` and ``group_by().agg``.

Families (one module each): specialisation (location quotients), dissimilarity (Krugman, Hoover),
diversification (entropy, Hachman, diversity, ubiquity, Duranton-Puga), concentration (Herfindahl, CR-k),
gini_locational, inequality (Gini, Atkinson, CV, Williamson), theil, firms (Ellison-Glaeser, Maurel-Sédillot),
dynamics (growth, shift-share), clusters (U.S. Cluster Mapping strength, portfolio quadrants), rollup
(industries -> clusters). For a caller that runs many indices over the same large frames (the warehouse build):
:func:`keys_checked` and :func:`subset_checked` vouch for keys checked once elsewhere, and :func:`reuse_work`
shares the intermediate results the indices have in common. Formulas and conventions: ``shared/METHODS.md``;
each function's docstring cites the reference tool and version it agrees with.
"""

from __future__ import annotations

from pipeline.indices._common import IndexInputInvalid, keys_checked, reuse_work, share, subset_checked
from pipeline.indices.clusters import (
    percentile_rank,
    portfolio_quadrant,
    region_cluster_strength,
    strong_clusters,
    strong_industry_share,
)
from pipeline.indices.concentration import concentration_ratio, cr, herfindahl, hhi
from pipeline.indices.dissimilarity import hoover, krugman_concentration, krugman_specialisation
from pipeline.indices.diversification import diversity, duranton_puga, entropy, hachman, ubiquity
from pipeline.indices.dynamics import growth, shift_share
from pipeline.indices.firms import ellison_glaeser, firm_agglomeration, maurel_sedillot
from pipeline.indices.gini_locational import locational_gini
from pipeline.indices.inequality import (
    atkinson,
    atkinson_index,
    coefficient_of_variation,
    gini,
    gini_coefficient,
    williamson,
)
from pipeline.indices.rollup import cluster_rollup
from pipeline.indices.specialisation import location_quotient, lq, lq_change
from pipeline.indices.theil import theil, theil_index

__all__ = [
    "IndexInputInvalid",
    "atkinson",
    "atkinson_index",
    "cluster_rollup",
    "coefficient_of_variation",
    "concentration_ratio",
    "cr",
    "diversity",
    "duranton_puga",
    "ellison_glaeser",
    "firm_agglomeration",
    "entropy",
    "gini",
    "gini_coefficient",
    "growth",
    "hachman",
    "herfindahl",
    "keys_checked",
    "hhi",
    "hoover",
    "krugman_concentration",
    "krugman_specialisation",
    "location_quotient",
    "locational_gini",
    "lq",
    "lq_change",
    "maurel_sedillot",
    "percentile_rank",
    "portfolio_quadrant",
    "region_cluster_strength",
    "reuse_work",
    "share",
    "shift_share",
    "strong_clusters",
    "strong_industry_share",
    "subset_checked",
    "theil",
    "theil_index",
    "ubiquity",
    "williamson",
]
