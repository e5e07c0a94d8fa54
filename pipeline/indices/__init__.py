"""Regional and cluster indices as pure polars functions (no IO: no duckdb, streamlit or os here).

Two levels, like polars' own API:

- frame-level functions over long-format frames, data positional and settings keyword-only, returning a new
  frame of the keys plus named result columns and a ``note`` column saying why a value is null;
- expression builders (:func:`share`, :func:`lq`, :func:`hhi`, :func:`cr`, :func:`gini_coefficient`,
  :func:`theil_index`, :func:`atkinson_index`, :func:`percentile_rank`) that compose in ``with_columns``,
  ``over`` and ``group_by().agg``.

For a caller that runs many indices over the same large frames (the warehouse build): :func:`keys_checked` and
:func:`subset_checked` vouch for keys checked once elsewhere, and :func:`reuse_work` shares the intermediate results
the indices have in common. Formulas and conventions: ``shared/METHODS.md``; each function's docstring cites the
reference tool and version it agrees with.

Families, one module each (the helpers first, then each module after those it builds on):

- :mod:`~pipeline.indices._common`: argument checks, ``by=`` partitions, notes, shares, integer keys, shared work;
- :mod:`~pipeline.indices.sparse`: the region x industry matrix read as complete but held as its present cells,
  its integer keys, and the totals of the internal or an explicit reference economy;
- :mod:`~pipeline.indices.specialisation`: location quotients (expression, frame, completed matrix, change);
- :mod:`~pipeline.indices.dissimilarity`: Krugman specialisation and concentration, Hoover;
- :mod:`~pipeline.indices.diversification`: entropy, Hachman, diversity, ubiquity, Duranton-Puga;
- :mod:`~pipeline.indices.concentration`: Herfindahl-Hirschman and concentration ratios;
- :mod:`~pipeline.indices.inequality`: balance across units: Gini, Atkinson, coefficient of variation, Williamson;
- :mod:`~pipeline.indices.gini_locational`: the locational Gini, by LQ order;
- :mod:`~pipeline.indices.theil`: Theil T and L and their between/within decomposition;
- :mod:`~pipeline.indices.firms`: agglomeration from firm records: Ellison-Glaeser and Maurel-Sédillot;
- :mod:`~pipeline.indices.growth`: change, growth rate and CAGR between two years, and the two-year window;
- :mod:`~pipeline.indices.shift_share`: shift-share decompositions (Dunn, Esteban-Marquillas);
- :mod:`~pipeline.indices.strength`: U.S. Cluster Mapping strong clusters and region cluster strength;
- :mod:`~pipeline.indices.portfolio`: cluster portfolio quadrants (LQ level against its change);
- :mod:`~pipeline.indices.rollup`: from industry records to cluster records through the cluster map.

Enters: long-format polars frames (values by region, industry or cluster and year; cluster maps; firm records)
and keyword settings (reference economy, thresholds, conventions).
Leaves: new polars frames of the keys plus named result columns and a ``note``, and ``pl.Expr`` builders;
:class:`IndexInputInvalid` when the input cannot give an index.
May import: pipeline.core (its errors only: the indices are pure, they read and write nothing).
"""

from __future__ import annotations

from pipeline.indices._common import IndexInputInvalid, keys_checked, reuse_work, share, subset_checked
from pipeline.indices.concentration import concentration_ratio, cr, herfindahl, hhi
from pipeline.indices.dissimilarity import hoover, krugman_concentration, krugman_specialisation
from pipeline.indices.diversification import diversity, duranton_puga, entropy, hachman, ubiquity
from pipeline.indices.firms import ellison_glaeser, firm_agglomeration, maurel_sedillot
from pipeline.indices.gini_locational import locational_gini
from pipeline.indices.growth import growth
from pipeline.indices.inequality import (
    atkinson,
    atkinson_index,
    coefficient_of_variation,
    gini,
    gini_coefficient,
    williamson,
)
from pipeline.indices.portfolio import portfolio_quadrant
from pipeline.indices.rollup import cluster_rollup
from pipeline.indices.shift_share import shift_share
from pipeline.indices.specialisation import location_quotient, lq, lq_change
from pipeline.indices.strength import (
    percentile_rank,
    region_cluster_strength,
    strong_clusters,
    strong_industry_share,
)
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
