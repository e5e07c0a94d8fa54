"""The read-only open-data API (FastAPI): releases' figures as JSON, CSV, Parquet or SDMX-CSV.

- :mod:`~pipeline.api.releases`: the releases, their methodology, revisions and change reports;
- :mod:`~pipeline.api.data`: each source's dictionaries, ranking, scorecards, region profiles and index tables,
  under ``/v1/releases/{number}`` (anyone, published releases; a staff token also reads the others) and
  ``/v1/builds/{official|working}`` (staff tokens only);
- :mod:`~pipeline.api.access`: who asks (``Authorization: Bearer`` token) and what they may read.

A published release is immutable, so its answers carry a strong ETag (``If-None-Match`` gives 304) and a year-long
public cache lifetime, and the server keeps them (:mod:`pipeline.api.cache`). A figure the release withheld is
served as null with ``suppressed: true``, never as a number. Errors are RFC 9457 problem details, never a
traceback.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.api.access import reader_of, resolvers
from pipeline.api.data import source_routes
from pipeline.api.docs import MAX_CODES, MAX_PAGE_SIZE, SECURITY_SCHEMES
from pipeline.api.releases import release_routes
from pipeline.api.responses import FORMATS, Problem, problem_response
from pipeline.core.settings import Settings


def create_app(settings: Settings) -> FastAPI:
    """The API over ``settings``' data directory."""
    app = FastAPI(title="clusterstats open data", version="1",
                  description="Releases of the cluster statistics: read-only; published releases immutable and "
                              "cacheable; releases not yet published and the builds for staff tokens.")

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        answer = problem_response(request, exc.status, exc.kind, exc.title, exc.detail, **exc.extra)
        answer.headers.update(exc.headers)
        return answer

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
                  for e in exc.errors()]
        text = "; ".join(f"{e['where']}: {e['message']}" for e in errors)
        return problem_response(request, 400, "invalid-request", "Invalid request", text, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        answer = problem_response(request, exc.status_code, "http", str(exc.detail), str(exc.detail))
        answer.headers.update(exc.headers or {})  # a 405 keeps its Allow header (RFC 9110)
        return answer

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:  # never a traceback to the client
        return problem_response(request, 500, "server-error", "Server error",
                                "The request could not be answered; the server's log has the details.")

    reader = reader_of(settings)
    app.include_router(release_routes(settings, reader))
    for kind, (prefix, resolve) in resolvers(settings, reader).items():
        app.include_router(source_routes(kind, resolve), prefix=prefix)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                 routes=app.routes)
            schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    from pipeline.api.cache import ResponseCache

    app.add_middleware(ResponseCache)  # outermost: a kept answer never reaches the routes or the warehouse
    return app


__all__ = ["FORMATS", "MAX_CODES", "MAX_PAGE_SIZE", "create_app"]
