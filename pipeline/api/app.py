"""The read-only open-data API (FastAPI): a published release's figures as JSON, CSV or Parquet.

    GET /v1/releases                                    published releases, newest first
    GET /v1/releases/{n}                                one release: title, dates, revision, disclosure summary
    GET /v1/releases/{n}/methodology                    its methodology (name, version, the TOML text)
    GET /v1/releases/{n}/regions | clusters | categories  its dictionaries
    GET /v1/releases/{n}/ranking?year=                  every cluster's score, rank and 90% rank interval
    GET /v1/releases/{n}/clusters/{code}/scorecard?year=  one cluster: header, pillars, indicators, strengths
    GET /v1/releases/{n}/indices/lq?measure=&year=&region=&industry=   location quotients, cell by cell

Only published releases are served (an embargoed or draft release is not found). A release is immutable, so every
answer carries a strong ETag (``If-None-Match`` gives 304) and a year-long cache lifetime, and the server keeps its
answers (:mod:`pipeline.api.cache`) instead of asking the warehouse again. A figure the release
withheld is served as null with ``suppressed: true``, never as a number. Errors are RFC 9457 problem details.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import polars as pl
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.api.responses import FORMATS, Problem, document, etag_of, not_modified, problem_response, table, unknown
from pipeline.core.ops import OpsStore
from pipeline.core.publication import release as one_release
from pipeline.core.publication import releases as all_releases
from pipeline.core.settings import Settings

PROBLEM_SCHEMA = {"type": "object", "required": ["type", "title", "status", "detail"], "properties": {
    "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
    "detail": {"type": "string"}, "instance": {"type": "string"}}}
PROBLEM_DOC = {"description": "Problem details (RFC 9457)", "content": {"application/problem+json": {
    "schema": PROBLEM_SCHEMA}}}
PAGE_SCHEMA = {"type": "object", "required": ["data", "page", "page_size", "total", "links"], "properties": {
    "data": {"type": "array", "items": {"type": "object"}}, "page": {"type": "integer", "minimum": 1},
    "page_size": {"type": "integer", "minimum": 1}, "total": {"type": "integer", "minimum": 0},
    "links": {"type": "object", "additionalProperties": {"type": "string"}}}}
#: what every operation may answer besides its 200
COMMON = {304: {"description": "Not modified: the ETag given in If-None-Match is current"}, 400: PROBLEM_DOC,
          404: PROBLEM_DOC, 500: PROBLEM_DOC}
TABLE = {200: {"description": "One page as JSON, or the whole table as CSV or Parquet (format=)", "content": {
    "application/json": {"schema": PAGE_SCHEMA}, "text/csv": {"schema": {"type": "string"}},
    "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}} | COMMON
DOCUMENT = {200: {"description": "A JSON document", "content": {"application/json": {"schema": {"type": "object"}}}}
            } | COMMON
MAX_PAGE_SIZE = 1000
MAX_CODES = 200  # codes in one filter (region=..., industry=...)
Number = Annotated[int, PathParam(ge=1, le=2_147_483_647, description="The release's number")]
Year = Annotated[int | None, Query(ge=1000, le=9999, description="A year of the release (default: its reference year)")]
Format = Annotated[str, Query(pattern="^(json|csv|parquet)$", description="json (paged), csv or parquet")]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]


def _summary(rel: dict[str, Any]) -> dict[str, Any]:
    return {"number": rel["number"], "title": rel["title"], "reference_year": rel["reference_year"],
            "published_at": rel["published_at"], "timezone": rel["timezone"], "revises": rel["revises"],
            "revision_note": rel["revision_note"], "sha256": rel["sha256"], "build_id": rel["build_id"],
            "methodology_hash": rel["methodology_hash"], "code_version": rel["code_version"]}


def create_app(settings: Settings) -> FastAPI:
    """The API over ``settings``' data directory (its published releases)."""
    from warehouse import queries as q

    app = FastAPI(title="clusterstats open data", version="1",
                  description="Published releases of the cluster statistics: read-only, immutable, cacheable.")

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(request, exc.status, exc.kind, exc.title, exc.detail, **exc.extra)

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

    def published(number: int) -> tuple[dict[str, Any], Path]:
        rel = one_release(OpsStore(settings.ops_path), number) if settings.ops_path.exists() else None
        if rel is None or rel["status"] != "published":
            numbers = [str(r["number"]) for r in all_releases(OpsStore(settings.ops_path))
                       if r["status"] == "published"]
            raise Problem(404, "unknown-release", "Unknown release",
                          f"There is no published release {number}. Published: {', '.join(numbers) or 'none'}.",
                          published=[int(n) for n in numbers])
        return rel, settings.data_dir / rel["file"]

    def year_of(rel: dict[str, Any], path: Path, year: int | None) -> int:
        years = q.score_years(path)
        chosen = year if year is not None else (rel["reference_year"] or max(years, default=0))
        if chosen not in years:
            raise Problem(404, "year-outside-release", "Year outside the release",
                          f"Year {chosen} is not in release {rel['number']}: it has "
                          f"{min(years, default=0)}-{max(years, default=0)}.", years=sorted(years))
        return chosen

    def cached(request: Request, rel: dict[str, Any]) -> tuple[str, Response | None]:
        etag = etag_of(rel["sha256"], request)
        return etag, not_modified(request, etag)

    def whole(request: Request, rel: dict[str, Any], frame: pl.DataFrame, name: str, fmt: str, page: int,
              page_size: int) -> Response:
        etag, hit = cached(request, rel)
        if hit is not None:
            return hit
        shown = frame if fmt != "json" else frame.slice((page - 1) * page_size, page_size)
        return table(request, shown, fmt=fmt, etag=etag, total=frame.height, page=page, page_size=page_size,
                     name=name)

    @app.get("/v1/releases", summary="Published releases, newest first", responses=DOCUMENT)
    def releases_list(request: Request) -> Response:
        rels = [r for r in all_releases(OpsStore(settings.ops_path)) if r["status"] == "published"] \
            if settings.ops_path.exists() else []
        return document({"data": [_summary(r) | {"links": {"self": str(request.url_for("release_one",
                                                                                         number=r["number"]))}}
                                  for r in rels]}, None)

    @app.get("/v1/releases/{number}", summary="One published release", name="release_one", responses=DOCUMENT)
    def release_one(request: Request, number: Number) -> Response:
        rel, _ = published(number)
        etag, hit = cached(request, rel)
        if hit is not None:
            return hit
        disclosure = rel.get("disclosure") or {}
        body = _summary(rel) | {"disclosure": {
            "rules": disclosure.get("rules"),
            "withheld_cells": sum(int(t.get("suppressed", 0)) for t in disclosure.get("tables", []))}}
        return document(body, etag)

    @app.get("/v1/releases/{number}/methodology", summary="The methodology a release was computed with",
             responses=DOCUMENT)
    def release_methodology(request: Request, number: Number) -> Response:
        from pipeline.jobs.methodologies import archive_dir, version_label

        rel, _ = published(number)
        etag, hit = cached(request, rel)
        if hit is not None:
            return hit
        path = archive_dir(settings) / f"{rel['methodology_hash']}.toml"
        text = path.read_text(encoding="utf-8") if path.exists() else None
        return document({"hash": rel["methodology_hash"], "label_zh": version_label(settings, rel["methodology_hash"],
                                                                                    "zh"),
                         "label_en": version_label(settings, rel["methodology_hash"], "en"), "toml": text}, etag)

    def dictionary(kind: str):  # noqa: ANN202 (a route factory)
        def route(request: Request, number: Number, format: Format = "json", page: Page = 1,
                  page_size: PageSize = 100) -> Response:
            rel, path = published(number)
            return whole(request, rel, q.dictionaries(path)[kind], f"release-{number}-{kind}", format, page,
                         page_size)

        return route

    for kind in ("regions", "clusters", "categories"):
        app.get(f"/v1/releases/{{number}}/{kind}", summary=f"The release's {kind} dictionary",
                responses=TABLE)(dictionary(kind))

    @app.get("/v1/releases/{number}/ranking", summary="Every cluster's score, rank and 90% rank interval",
             responses=TABLE)
    def ranking(request: Request, number: Number, year: Year = None, format: Format = "json", page: Page = 1,
                page_size: PageSize = 200) -> Response:
        rel, path = published(number)
        chosen = year_of(rel, path, year)
        frame = q.ranking(path, chosen).sort("rank", nulls_last=True).with_columns(pl.lit(chosen).alias("year"))
        return whole(request, rel, frame, f"release-{number}-ranking-{chosen}", format, page, page_size)

    @app.get("/v1/releases/{number}/clusters/{code}/scorecard", summary="One cluster's scorecard",
             responses=DOCUMENT)
    def scorecard(request: Request, number: Number, code: str, year: Year = None) -> Response:
        rel, path = published(number)
        chosen = year_of(rel, path, year)
        codes = q.dictionaries(path)["clusters"].get_column("code").to_list()
        if code not in codes:
            raise unknown("cluster", code, codes)
        etag, hit = cached(request, rel)
        if hit is not None:
            return hit
        bundle = q.scorecard(path, code, chosen)
        parts = {k: bundle[k] for k in ("pillars", "indicators", "strengths")}
        header = bundle["header"].row(0, named=True) if bundle["header"].height else {}
        body = {"release": number, "year": chosen, "cluster": code,
                "header": {k: v for k, v in header.items() if not hasattr(v, "isoformat")},
                **{k: pl.DataFrame(v).to_dicts() if isinstance(v, pl.DataFrame) else v for k, v in parts.items()}}
        return document(json.loads(json.dumps(body, default=str)), etag)  # dates and decimals as text

    @app.get("/v1/releases/{number}/indices/lq", summary="Location quotients, region x industry", responses=TABLE)
    def lq(request: Request, number: Number, measure: str = "employment", year: Year = None,
           region: Annotated[list[str] | None, Query(max_length=MAX_CODES)] = None,
           industry: Annotated[list[str] | None, Query(max_length=MAX_CODES)] = None,
           format: Format = "json", page: Page = 1, page_size: PageSize = 500) -> Response:
        rel, path = published(number)
        chosen = year_of(rel, path, year)
        measures = q.lq_measures(path)
        if measure not in measures:
            raise unknown("measure", measure, measures)
        levels = q.levels(path) or {"region_level": "city", "industry_level": "division"}
        etag, hit = cached(request, rel)
        if hit is not None:
            return hit
        everything = format != "json"
        frame = q.run(path, "api_lq", year=chosen, measure=measure, **levels, regions=list(region or []),
                      industries=list(industry or []), limit=None if everything else page_size,
                      offset=0 if everything else (page - 1) * page_size)
        total = int(frame.get_column("total_rows")[0]) if frame.height else 0
        return table(request, frame.drop("total_rows"), fmt=format, etag=etag, total=total, page=page,
                     page_size=page_size, name=f"release-{number}-lq-{measure}-{chosen}")

    from pipeline.api.cache import ResponseCache

    app.add_middleware(ResponseCache)  # outermost: a kept answer never reaches the routes or the warehouse
    return app


__all__ = ["FORMATS", "MAX_CODES", "MAX_PAGE_SIZE", "create_app"]
