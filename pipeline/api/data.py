"""The open-data API's routes over one source's figures, mounted once per kind of source: under
``/v1/releases/{number}`` (anyone, for a published release) and ``/v1/builds/{build}`` (staff tokens):

    GET .../regions | industries | clusters | categories     the dictionaries
    GET .../ranking?year=                                    every cluster's score, rank and 90% rank interval
    GET .../clusters/{code}/scorecard?year=                  one cluster: header, pillars, indicators, strengths
    GET .../regions/{code}/profile?year=&measure=            one region: its indices, LQs, strong categories, clusters
    GET .../indices                                          the index families
    GET .../indices/lq | growth | ...?measure=&year=&region=&industry=   one family's table (pipeline.api.index_routes)
"""

# no `from __future__ import annotations`: FastAPI reads the routes' annotations, some of them local aliases
import json
from collections.abc import Callable
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from pipeline.api import indices
from pipeline.api.access import Source
from pipeline.api.docs import (
    OPTIONAL_TOKEN,
    STAFF_ONLY,
    TABLE,
    TOKEN,
    Format,
    Page,
    PageSize,
    Year,
    document_of,
    with_links,
)
from pipeline.api.index_routes import index_responses, index_route
from pipeline.api.responses import Problem, document, table, unknown
from warehouse import queries as q

DICTIONARIES = ("regions", "industries", "clusters", "categories")
Measure = Annotated[str | None, Query(max_length=64, description="A measure (default: employment)")]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))  # dates and decimals as text


def source_routes(kind: str, resolve: Callable[..., Source]) -> APIRouter:
    """The routes every source has, for sources of ``kind`` (``release`` or ``build``) resolved by ``resolve``."""
    router = APIRouter(tags=[f"{kind} figures"])
    Src = Annotated[Source, Depends(resolve)]  # noqa: N806
    extra = OPTIONAL_TOKEN if kind == "release" else TOKEN
    more = {} if kind == "release" else STAFF_ONLY
    op = f"{kind}_"

    def whole(request: Request, source: Source, frame: pl.DataFrame, name: str, fmt: str, page: int,
              page_size: int) -> Response:
        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        shown = frame if fmt != "json" else frame.slice((page - 1) * page_size, page_size)
        return table(request, shown, fmt=fmt, etag=etag, total=frame.height, page=page, page_size=page_size,
                     name=f"{source.name}-{name}", cache_control=source.cache_control)

    def score_year(source: Source, year: int | None) -> int:
        years = q.score_years(source.path)
        chosen = year if year is not None else (source.reference_year or max(years, default=0))
        if chosen not in years:
            raise Problem(404, "year-outside-release", "Year outside the release",
                          f"Year {chosen} is not in {source.name}: it has {min(years, default=0)}-"
                          f"{max(years, default=0)}.", years=sorted(years))
        return chosen

    def dictionary(name: str) -> Callable[..., Response]:
        def route(request: Request, source: Src, format: Format = "json", page: Page = 1,
                  page_size: PageSize = 100) -> Response:
            return whole(request, source, q.dictionaries(source.path)[name], name, format, page, page_size)

        return route

    here = {"number": "$request.path.number"} if kind == "release" else {"build": "$request.path.build"}
    for name in DICTIONARIES:
        responses = TABLE | more
        if name == "regions":
            responses = with_links(responses, profile={"operationId": f"{op}region_profile",
                                                       "code": "$response.body#/data/0/code"} | here)
        router.get(f"/{name}", summary=f"The {name} dictionary", responses=responses, openapi_extra=extra,
                   operation_id=f"{op}{name}")(dictionary(name))

    @router.get("/ranking", summary="Every cluster's score, rank and 90% rank interval", openapi_extra=extra,
                responses=with_links(TABLE | more, scorecard={
                    "operationId": f"{op}scorecard", "code": "$response.body#/data/0/cluster_code",
                    "year": "$response.body#/data/0/year"} | here), operation_id=f"{op}ranking")
    def ranking(request: Request, source: Src, year: Year = None, format: Format = "json", page: Page = 1,
                page_size: PageSize = 200) -> Response:
        chosen = score_year(source, year)
        frame = q.ranking(source.path, chosen).sort("rank", nulls_last=True).with_columns(pl.lit(chosen).alias("year"))
        return whole(request, source, frame, f"ranking-{chosen}", format, page, page_size)

    @router.get("/clusters/{code}/scorecard", summary="One cluster's scorecard",
                responses=document_of("scorecard") | more, openapi_extra=extra, operation_id=f"{op}scorecard")
    def scorecard(request: Request, source: Src, code: Annotated[str, PathParam(max_length=64)],
                  year: Year = None) -> Response:
        chosen = score_year(source, year)
        codes = q.dictionaries(source.path)["clusters"].get_column("code").to_list()
        if code not in codes:
            raise unknown("cluster", code, codes)
        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        bundle = q.scorecard(source.path, code, chosen)
        header = bundle["header"].row(0, named=True) if bundle["header"].height else {}
        body = {"source": source.name, "year": chosen, "cluster": code,
                "header": {k: v for k, v in header.items() if not hasattr(v, "isoformat")},
                **{k: bundle[k].to_dicts() for k in ("pillars", "indicators", "strengths")}}
        return document(_plain(body), etag, source.cache_control)

    @router.get("/regions/{code}/profile", summary="One region's profile: its specialisation indices, location "
                "quotients, strong cluster categories and the clusters located in it",
                responses=document_of("profile") | more, openapi_extra=extra, operation_id=f"{op}region_profile")
    def region_profile(request: Request, source: Src, code: Annotated[str, PathParam(max_length=64)],
                       year: Year = None, measure: Measure = None) -> Response:
        dicts = q.dictionaries(source.path)
        codes = dicts["regions"].get_column("code").to_list()
        if code not in codes:
            raise unknown("region", code, codes)
        family = indices.FAMILIES["region_specialisation"]
        where, params, chosen = indices.conditions(
            family, source.path, reference_year=source.reference_year, year=year, start_year=None, end_year=None,
            measure=measure, region_level=None, industry_level=None, filters={}, codes={})
        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        lv = {"region_level": chosen["region_level"], "industry_level": chosen["industry_level"]}
        pairs = indices.distinct(source.path, "mart_shift_share", ("start_year", "end_year"))
        start = chosen["year"] - 1 if (chosen["year"] - 1, chosen["year"]) in set(pairs.iter_rows()) else None
        parts = q.region_profile(source.path, code, chosen["year"], chosen["measure"], **lv, start_year=start,
                                 end_year=chosen["year"] if start else None)
        mine = parts["cities"].filter(pl.col("region_code") == code)
        body = {"source": source.name, "region": code, **chosen,
                "indices": mine.row(0, named=True) if mine.height else None,
                **{k: parts[k].to_dicts() for k in ("lq", "categories", "located", "shift_share") if k in parts}}
        return document(_plain(body), etag, source.cache_control)

    @router.get("/indices", summary="The index families: each one's table, keys, period and filters",
                responses=with_links(document_of("families") | more, **{n: {"operationId": f"{op}index_{n}"} | here
                                                        for n in indices.FAMILIES}),
                openapi_extra=extra, operation_id=f"{op}index_families")
    def families(request: Request, source: Src) -> Response:
        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        body = {"families": [{"name": n, "title": f.title, "keys": list(f.keys), "period": list(f.period),
                              "measure": f.measure, "levels": f.levels,
                              "filters": [k for k, (col, _) in indices.FILTERS.items() if col in f.keys],
                              "href": str(request.url_for(f"{op}index_{n}", **request.path_params))}
                             for n, f in indices.FAMILIES.items()]}
        return document(body, etag, source.cache_control)

    for name, family in indices.FAMILIES.items():
        router.get(f"/indices/{name}", summary=family.title, responses=index_responses(name) | more,
                   openapi_extra=extra, operation_id=f"{op}index_{name}", name=f"{op}index_{name}")(
            index_route(name, family, Src))

    return router


__all__ = ["DICTIONARIES", "source_routes"]
