"""The open-data API: a read-only HTTP API over published releases (issue 19).

- :mod:`~pipeline.api.app`: the FastAPI application (:func:`create_app`) and its error handlers;
- :mod:`~pipeline.api.releases`: the releases, their methodology, revisions and change reports;
- :mod:`~pipeline.api.data`: each source's dictionaries, ranking, scorecards, region profiles, index tables;
- :mod:`~pipeline.api.indices`: the index families (one mart each) and SDMX-CSV;
- :mod:`~pipeline.api.access`: who asks (a token) and what they may read (published releases; staff: the rest);
- :mod:`~pipeline.api.docs`: the OpenAPI document's shared parameters, answers, security and links;
- :mod:`~pipeline.api.responses`: tables as paged JSON, CSV or Parquet; ETags; RFC 9457 problem details;
- :mod:`~pipeline.api.cache`: published releases' answers kept in memory.

Enters: releases (their frozen files and rows in ``ops.sqlite``), the builds, the archived methodologies, API tokens.
Leaves: HTTP responses; audit-log rows (reads of data not yet public, refused tokens); no figure is written.
May import: pipeline.core, schemas, warehouse, pipeline.access, pipeline.jobs, pipeline.publishing.
"""

from fastapi import FastAPI

from pipeline.api.app import create_app
from pipeline.core.settings import Settings


def app_from_env() -> FastAPI:
    """The API over ``CLUSTERSTATS_DATA_DIR`` (uvicorn's factory, for ``clusterstats api --workers N``)."""
    return create_app(Settings.from_env())


__all__ = ["app_from_env", "create_app"]
