"""What the system holds right now: live build, uploads per kind, table sizes, recent builds."""

from __future__ import annotations

from typing import Any

from pipeline.core.ops import OpsStore
from pipeline.core.settings import Settings
from schemas import KINDS
from warehouse.queries import build_info, table_counts


def system_status(settings: Settings) -> dict[str, Any]:
    """A JSON-ready summary for ``clusterstats status`` and the app's overview."""
    store = OpsStore(settings.ops_path)
    uploads = store.uploads()
    per_kind = {}
    for kind in KINDS:
        mine = [u for u in uploads if u.kind == kind]
        per_kind[kind] = {
            "uploads": len(mine),
            "rows": sum(u.rows for u in mine),
            "vintage": max((u.vintage for u in mine), default=0),
        }
    build = build_info(settings.warehouse_path)
    return {
        "data_dir": str(settings.data_dir),
        "build": build,
        "uploads": per_kind,
        "tables": table_counts(settings.warehouse_path) if build is not None else {},
        "builds": store.builds(limit=10),
    }
