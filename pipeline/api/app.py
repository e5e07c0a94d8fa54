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

import difflib
from typing import Any

from fastapi import Depends, FastAPI, Request
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


def known_parameters(request: Request) -> None:
    """A query parameter the operation does not take is a 400 naming the ones it takes (a misspelt filter would
    otherwise be ignored, and the whole table served as if it were the filtered one). What an operation takes is
    what its OpenAPI document says (found by its operation id)."""
    operation_id = getattr(request.scope.get("route"), "operation_id", None)
    if operation_id is None:
        return
    taken = _query_parameters(request.app).get(operation_id, [])
    for name in request.query_params:
        if name not in taken:
            near = difflib.get_close_matches(name, taken, n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            raise Problem(400, "unknown-parameter", "Unknown parameter",
                          f"This operation takes no parameter {name!r}; it takes: {', '.join(taken) or 'none'}."
                          + hint, nearest=near, parameters=taken)


def _query_parameters(app: FastAPI) -> dict[str, list[str]]:
    """Operation id -> the query parameters it takes, from the OpenAPI document (computed once)."""
    known = getattr(app.state, "query_parameters", None)
    if known is None:
        known = {op["operationId"]: sorted(p["name"] for p in op.get("parameters", []) if p.get("in") == "query")
                 for methods in app.openapi().get("paths", {}).values() for op in methods.values()
                 if isinstance(op, dict) and "operationId" in op}
        app.state.query_parameters = known
    return known


def create_app(settings: Settings) -> FastAPI:
    """The API over ``settings``' data directory."""
    app = FastAPI(title="clusterstats open data", version="1", dependencies=[Depends(known_parameters)],
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
    from pipeline.api.http import HttpSemantics

    app.add_middleware(ResponseCache)  # a kept answer never reaches the routes or the warehouse
    app.add_middleware(HttpSemantics)  # outermost: HEAD and byte ranges, kept answers included
    return app


__all__ = ["FORMATS", "MAX_CODES", "MAX_PAGE_SIZE", "create_app"]
