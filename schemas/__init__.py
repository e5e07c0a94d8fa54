"""Upload kinds and their pandera schemas.

``KINDS`` maps each upload kind (the ``--kind`` of ``clusterstats ingest``) to a :class:`Kind`: its
``DataFrameModel``, its key columns, its measures and the dictionaries its codes refer to. Everything the ingest
step, the templates and the warehouse need to know about a kind is derived from the model's field declarations.
"""

from __future__ import annotations

from schemas.kinds import KINDS, LANDING_ORDER, Column, Kind, get_kind, kind_title

__all__ = ["KINDS", "LANDING_ORDER", "Column", "Kind", "get_kind", "kind_title"]
