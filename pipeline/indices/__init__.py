"""Regional and cluster indices as pure polars functions (no IO: no duckdb, streamlit or os here).

Two levels, like polars' own API:

- frame-level functions over long-format frames, data positional and settings keyword-only, returning a new
  frame of the keys plus named result columns and a ``note`` column saying why a value is null;
- expression builders (:func:`share`, :func:`lq`, :func:`hhi`, :func:`cr`) that compose in
  ``with_columns``, ``over`` and ``group_by().agg``.

Formulas and conventions: ``shared/METHODS.md``.
"""

from __future__ import annotations

from pipeline.indices._common import IndexInputInvalid, share
from pipeline.indices.concentration import concentration_ratio, cr, herfindahl, hhi
from pipeline.indices.rollup import cluster_rollup
from pipeline.indices.specialisation import location_quotient, lq

__all__ = [
    "IndexInputInvalid",
    "cluster_rollup",
    "concentration_ratio",
    "cr",
    "herfindahl",
    "hhi",
    "location_quotient",
    "lq",
    "share",
]
