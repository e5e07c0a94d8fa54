"""The open-data API's routes about releases themselves:

    GET /v1/releases                                  the releases the reader may read, newest first
    GET /v1/releases/{n}                              one release: title, dates, revision, disclosure summary
    GET /v1/releases/{n}/methodology                  the methodology it was computed with (name, version, TOML)
    GET /v1/releases/{n}/revisions                    what it revises and why, and the releases that revise it
    GET /v1/releases/{n}/changes?since=m              the change report between release m and release n
    GET /v1/releases/{n}/changes/figures?since=m      every published figure that differs between them

The change report compares the tables the API publishes (the figures' marts), never raw facts or firm records: both
files are protected releases, so a withheld figure is null on its side of the comparison, never a number.
"""

# no `from __future__ import annotations`: FastAPI reads the routes' annotations, some of them local aliases
import json
from collections.abc import Callable
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from pipeline.api import indices
from pipeline.api.access import Reader, Source, published_numbers, release_source
from pipeline.api.docs import OPTIONAL_TOKEN, TABLE, Format, Number, Page, PageSize, document_of, with_links
from pipeline.api.responses import IMMUTABLE, PRIVATE, Problem, document, table
from pipeline.core.settings import Settings

#: the marts the change report compares: the index families' and the scores' (what the API serves)
PUBLISHED_TABLES = tuple(sorted({f.mart for f in indices.FAMILIES.values()} | {
    "mart_cluster_score", "mart_cluster_rank_interval", "mart_cluster_aggregate", "mart_cluster_indicator",
    "mart_cluster_location", "mart_region_category_strength"}))
Since = Annotated[int | None, Query(ge=1, le=2_147_483_647, description=(
    "The release to compare with (default: the one this release revises, else the one before it)"))]
_TO_RELEASE = {"number": "$request.path.number"}


def summary(rel: dict[str, Any]) -> dict[str, Any]:
    return {"number": rel["number"], "title": rel["title"], "status": rel["status"],
            "reference_year": rel["reference_year"], "publish_at": rel["publish_at"],
            "published_at": rel["published_at"], "timezone": rel["timezone"], "revises": rel["revises"],
            "revision_note": rel["revision_note"], "sha256": rel["sha256"], "build_id": rel["build_id"],
            "methodology_hash": rel["methodology_hash"], "code_version": rel["code_version"]}


def release_routes(settings: Settings, reader: Callable[[Request], Reader]) -> APIRouter:
    router = APIRouter(tags=["releases"])
    Who = Annotated[Reader, Depends(reader)]  # noqa: N806

    def source_of(request: Request, number: Number, who: Who) -> Source:
        return release_source(settings, number, who, request)

    Src = Annotated[Source, Depends(source_of)]  # noqa: N806

    @router.get("/v1/releases", summary="The releases you may read, newest first (published ones without a staff "
                "token)", responses=with_links(document_of("releases"), one={"operationId": "release_one",
                                                             "number": "$response.body#/data/0/number"}),
                openapi_extra=OPTIONAL_TOKEN, operation_id="releases_list")
    def releases_list(request: Request, who: Who) -> Response:
        rels = published_numbers(settings, who)
        return document({"data": [summary(r) | {"links": {"self": str(request.url_for(
            "release_one", number=r["number"]))}} for r in rels]}, None)

    @router.get("/v1/releases/{number}", summary="One release", name="release_one", operation_id="release_one",
                openapi_extra=OPTIONAL_TOKEN, responses=with_links(document_of("release"), **{
                    t: {"operationId": f"release_{t}"} | _TO_RELEASE
                    for t in ("ranking", "regions", "clusters", "methodology", "revisions", "changes")}))
    def release_one(request: Request, source: Src) -> Response:
        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        rel = source.release or {}
        disclosure = rel.get("disclosure") or {}
        body = summary(rel) | {"disclosure": {
            "rules": disclosure.get("rules"),
            "withheld_cells": sum(int(t.get("suppressed", 0)) for t in disclosure.get("tables", []))}}
        return document(body, etag, source.cache_control)

    @router.get("/v1/releases/{number}/methodology", summary="The methodology a release was computed with",
                responses=document_of("methodology"), openapi_extra=OPTIONAL_TOKEN, operation_id="release_methodology")
    def release_methodology(request: Request, source: Src) -> Response:
        from pipeline.jobs.methodologies import archive_dir, version_label

        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        key = (source.release or {})["methodology_hash"]
        path = archive_dir(settings) / f"{key}.toml"
        return document({"hash": key, "label_zh": version_label(settings, key, "zh"),
                         "label_en": version_label(settings, key, "en"),
                         "toml": path.read_text(encoding="utf-8") if path.exists() else None}, etag,
                        source.cache_control)

    @router.get("/v1/releases/{number}/revisions", summary="What a release revises and why, and the releases "
                "that revise it", responses=document_of("revisions"), openapi_extra=OPTIONAL_TOKEN,
                operation_id="release_revisions")
    def release_revisions(request: Request, source: Src, who: Who) -> Response:
        rel = source.release or {}
        readable = published_numbers(settings, who)
        revised_by = [summary(r) for r in readable if r["revises"] == rel["number"]]
        stored = ((rel.get("changes") or {}).get("figures") or {}).get("tables") or {}
        tables = {t: {k: v.get(k) for k in ("figures", "rows_added", "rows_removed")}
                  for t, v in stored.items() if t in PUBLISHED_TABLES}
        body = {"number": rel["number"], "revises": rel["revises"], "revision_note": rel["revision_note"],
                "figures_changed": sum(t["figures"] or 0 for t in tables.values()) if rel["revises"] else None,
                "tables_changed": tables, "revised_by": revised_by}
        return document(body, None)  # a later revision may be published: not immutable

    def compared(source: Source, since: int | None, who: Reader, request: Request) -> Source:
        rel = source.release or {}
        if since is None:
            earlier = [r["number"] for r in published_numbers(settings, who) if r["number"] < rel["number"]]
            since = rel["revises"] or max(earlier, default=None)
            if since is None:
                raise Problem(404, "no-earlier-release", "No earlier release",
                              f"Release {rel['number']} is the first: there is nothing to compare it with.")
        return release_source(settings, since, who, request)

    @router.get("/v1/releases/{number}/changes", summary="The change report between two releases: how many "
                "figures of each published table changed, rows added and removed", responses=document_of("changes"),
                openapi_extra=OPTIONAL_TOKEN, operation_id="release_changes")
    def release_changes(request: Request, source: Src, who: Who, since: Since = None) -> Response:
        from warehouse.compare import figure_changes

        old = compared(source, since, who, request)
        etag, hit = _pair_cached(request, source, old)
        if hit is not None:
            return hit
        diff = figure_changes(source.path, old.path, limit=1, tables=PUBLISHED_TABLES)
        body = {"release": source.release["number"], "since": old.release["number"],  # type: ignore[index]
                "figures_changed": diff["figures"],
                "tables": {t: {k: v[k] for k in ("figures", "rows_added", "rows_removed")}
                           for t, v in diff["tables"].items()}}
        return document(body, etag, _pair_cache_control(source, old))

    @router.get("/v1/releases/{number}/changes/figures", summary="Every published figure that differs between two "
                "releases", responses=TABLE, openapi_extra=OPTIONAL_TOKEN, operation_id="release_changed_figures")
    def release_changed_figures(request: Request, source: Src, who: Who, since: Since = None,
                                format: Format = "json", page: Page = 1, page_size: PageSize = 500) -> Response:
        from warehouse.compare import figure_changes

        old = compared(source, since, who, request)
        etag, hit = _pair_cached(request, source, old)
        if hit is not None:
            return hit
        diff = figure_changes(source.path, old.path, limit=None, tables=PUBLISHED_TABLES)
        frame = pl.DataFrame([{"table": t, "key": json.dumps(i["key"], ensure_ascii=False, default=str),
                               "column": i["column"], "old": _number(i["old"]), "new": _number(i["new"]),
                               "old_text": _text(i["old"]), "new_text": _text(i["new"])}
                              for t, v in diff["tables"].items() for i in v["items"]],
                             schema={"table": pl.String, "key": pl.String, "column": pl.String, "old": pl.Float64,
                                     "new": pl.Float64, "old_text": pl.String, "new_text": pl.String})
        shown = frame if format != "json" else frame.slice((page - 1) * page_size, page_size)
        return table(request, shown, fmt=format, etag=etag, total=frame.height, page=page, page_size=page_size,
                     name=f"{source.name}-changes-since-{old.release['number']}",  # type: ignore[index]
                     cache_control=_pair_cache_control(source, old))

    return router


def _number(value: Any) -> float | None:
    """A changed figure as a number (a flag as 1 or 0); None for text or nothing."""
    return float(value) if isinstance(value, bool | int | float) else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _pair_cache_control(new: Source, old: Source) -> str:
    return IMMUTABLE if new.public and old.public else PRIVATE


def _pair_cached(request: Request, new: Source, old: Source) -> tuple[str, Response | None]:
    """Two immutable releases compared: the ETag of the newer covers the pair (the query names the older)."""
    from pipeline.api.responses import etag_of, not_modified

    etag = etag_of(f"{new.release['sha256']}:{old.release['sha256']}", request)  # type: ignore[index]
    return etag, not_modified(request, etag, _pair_cache_control(new, old))


__all__ = ["PUBLISHED_TABLES", "release_routes", "summary"]
