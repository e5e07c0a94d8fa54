"""clusterstats pipeline: ingest, landing, jobs, indices and scoring."""

from __future__ import annotations

__version__ = "0.1.0"
