"""The open-data API: a read-only HTTP API over published releases (issue 19).

- :mod:`~pipeline.api.app`: the FastAPI application (:func:`create_app`), its routes and error handlers;
- :mod:`~pipeline.api.responses`: tables as paged JSON, CSV or Parquet; ETags; RFC 9457 problem details.

Enters: published releases (their frozen files and rows in ``ops.sqlite``), the archived methodologies.
Leaves: HTTP responses; nothing is written.
May import: pipeline.core, schemas, warehouse, pipeline.access, pipeline.jobs, pipeline.publishing.
"""

from pipeline.api.app import create_app

__all__ = ["create_app"]
