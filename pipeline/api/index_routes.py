"""One operation per index family (``.../indices/lq``, ``.../indices/growth`` ...), each with the parameters its
table takes (a measure, a year or a pair of years, levels, a filter per key) and its rows' columns and types in the
OpenAPI document, read from the warehouse's DDL (the marts' declared columns), so a client and schemathesis know
exactly what each table holds."""

# no `from __future__ import annotations`: FastAPI reads the routes' signatures, built here
import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import Response

from pipeline.api import indices
from pipeline.api.access import Source
from pipeline.api.docs import INDEX_TABLE, PAGE_SCHEMA, SDMX_CSV, Codes, IndexFormat, Page, PageSize, Year
from pipeline.api.responses import csv_download, table
from warehouse import queries as q

Measure = Annotated[str | None, Query(max_length=64, description="A measure (default: employment)")]
Level = Annotated[str | None, Query(max_length=64, description="default: the most detailed level computed")]
_JSON_TYPES = {"BIGINT": "integer", "INTEGER": "integer", "HUGEINT": "integer", "SMALLINT": "integer",
               "DOUBLE": "number", "FLOAT": "number", "BOOLEAN": "boolean", "VARCHAR": "string", "DATE": "string"}


@functools.cache
def row_schema(family: str) -> dict[str, Any]:
    """The JSON schema of one row of ``family``'s table: every column of its mart (any may be null)."""
    columns = q.mart_columns()[indices.FAMILIES[family].mart]
    props = {c: {"type": [_JSON_TYPES.get(t.split("(")[0], "string"), "null"]} for c, t in columns}
    return {"type": "object", "properties": props, "required": list(props), "additionalProperties": False}


def index_responses(family: str) -> dict[int | str, Any]:
    page = PAGE_SCHEMA | {"properties": PAGE_SCHEMA["properties"] | {
        "data": {"type": "array", "items": row_schema(family)}}}
    ok = INDEX_TABLE[200] | {"content": INDEX_TABLE[200]["content"] | {"application/json": {"schema": page}}}
    return INDEX_TABLE | {200: ok}


def index_route(name: str, family: indices.Family, source_type: Any) -> Callable[..., Response]:
    """The route of one family: its parameters only (its signature is built for FastAPI to read)."""

    def route(request: Request, source: Source, **given: Any) -> Response:
        filters = {k: given.get(k) or [] for k in indices.FILTERS}
        dicts = q.dictionaries(source.path) if any(filters.values()) else {}
        codes = {d: dicts[d].get_column("code").to_list() for d in ("regions", "industries", "categories", "clusters")
                 if d in dicts}
        where, params, chosen = indices.conditions(
            family, source.path, reference_year=source.reference_year, year=given.get("year"),
            start_year=given.get("start_year"), end_year=given.get("end_year"), measure=given.get("measure"),
            region_level=given.get("region_level"), industry_level=given.get("industry_level"), filters=filters,
            codes=codes)
        etag, hit = source.cached(request)
        if hit is not None:
            return hit
        fmt, page, page_size = given["format"], given["page"], given["page_size"]
        everything = fmt != "json"
        frame, total = indices.rows(family, source.path, where, params, limit=None if everything else page_size,
                                    offset=0 if everything else (page - 1) * page_size)
        period = "-".join(str(chosen[k]) for k in family.period)
        file = f"{source.name}-{name}-{chosen.get('measure', 'all')}-{period}"
        if fmt == "sdmx-csv":
            return csv_download(indices.sdmx_csv(name, frame, family), name=file, etag=etag,
                                cache_control=source.cache_control, media_type=SDMX_CSV)
        return table(request, frame, fmt=fmt, etag=etag, total=total, page=page, page_size=page_size, name=file,
                     cache_control=source.cache_control)

    P = inspect.Parameter  # noqa: N806
    params = [P("request", P.POSITIONAL_OR_KEYWORD, annotation=Request),
              P("source", P.POSITIONAL_OR_KEYWORD, annotation=source_type)]
    optional: list[tuple[str, Any, Any]] = []
    if family.measure:
        optional.append(("measure", Measure, None))
    optional += [("start_year", Year, None), ("end_year", Year, None)] if family.pair else [("year", Year, None)]
    if family.levels:
        optional += [("region_level", Level, None), ("industry_level", Level, None)]
    optional += [(f, Codes, None) for f, (col, _) in indices.FILTERS.items() if col in family.keys]
    optional += [("format", IndexFormat, "json"), ("page", Page, 1), ("page_size", PageSize, 500)]
    params += [P(n, P.KEYWORD_ONLY, annotation=a, default=d) for n, a, d in optional]

    def endpoint(request: Request, source: Source, **given: Any) -> Response:
        return route(request, source, **given)

    endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
    endpoint.__name__ = f"index_{name}"
    return endpoint


__all__ = ["index_responses", "index_route", "row_schema"]
