"""What the open-data API's OpenAPI document says about its answers: the shared parameters (release number, year,
format, paging), the answers every operation may give (304, RFC 9457 problem details), the security schemes (a
token optional for releases, required for builds) and the links between operations (followed by schemathesis'
stateful tests and by clients)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Path as PathParam
from fastapi import Query

MAX_PAGE_SIZE = 1000
MAX_CODES = 200  # codes in one filter (region=..., industry=...)

Number = Annotated[int, PathParam(ge=1, le=2_147_483_647, description="The release's number")]
BuildName = Annotated[Literal["official", "working"], PathParam(
    description="official: the live official build; working: the official uploads and the submissions under review")]
Year = Annotated[int | None, Query(ge=1000, le=9999, description="A year of the release (default: its reference year)")]
Format = Annotated[Literal["json", "csv", "parquet"], Query(description="json (paged), csv or parquet")]
IndexFormat = Annotated[Literal["json", "csv", "parquet", "sdmx-csv"], Query(
    description="json (paged), csv, parquet or sdmx-csv (SDMX-CSV 2.0: one observation per row)")]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)]
Codes = Annotated[list[str] | None, Query(max_length=MAX_CODES)]

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
COMMON: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: the ETag given in If-None-Match is current"},
    400: PROBLEM_DOC, 401: PROBLEM_DOC | {"description": "The token was refused"}, 404: PROBLEM_DOC, 500: PROBLEM_DOC}
#: a build's operations also answer 403 (a token of an account that is not staff)
STAFF_ONLY = {403: PROBLEM_DOC | {"description": "The token's account is not staff"}}
TABLE = {200: {"description": "One page as JSON, or the whole table as CSV or Parquet (format=)", "content": {
    "application/json": {"schema": PAGE_SCHEMA}, "text/csv": {"schema": {"type": "string"}},
    "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}} | COMMON
SDMX_CSV = "application/vnd.sdmx.data+csv; version=2.0.0"
INDEX_TABLE = {200: TABLE[200] | {"content": TABLE[200]["content"] | {SDMX_CSV: {"schema": {"type": "string"}}}}
               } | COMMON
DOCUMENT = {200: {"description": "A JSON document", "content": {"application/json": {"schema": {"type": "object"}}}}
            } | COMMON

SCHEME = "bearer"
SECURITY_SCHEMES = {SCHEME: {"type": "http", "scheme": "bearer", "description": (
    "A staff account's API token (`clusterstats tokens create`): releases not yet published and the builds. "
    "Published releases need none.")}}
#: a release's operations: anyone, or a token (which may show a release not yet published)
OPTIONAL_TOKEN = {"security": [{}, {SCHEME: []}]}
#: a build's operations: a staff token
TOKEN = {"security": [{SCHEME: []}]}


def links(**targets: dict[str, str]) -> dict[str, Any]:
    """OpenAPI links of a 200 answer: ``name={"operationId": ..., parameter: runtime expression, ...}``."""
    out = {}
    for name, spec in targets.items():
        spec = dict(spec)
        out[name] = {"operationId": spec.pop("operationId"), "parameters": spec}
    return out


def with_links(responses: dict[int | str, Any], **targets: dict[str, str]) -> dict[int | str, Any]:
    """``responses`` with links on its 200 answer."""
    return responses | {200: responses[200] | {"links": links(**targets)}}


__all__ = ["COMMON", "DOCUMENT", "INDEX_TABLE", "MAX_CODES", "MAX_PAGE_SIZE", "OPTIONAL_TOKEN", "SDMX_CSV",
           "SECURITY_SCHEMES", "STAFF_ONLY", "TABLE", "TOKEN", "BuildName", "Codes", "Format", "IndexFormat", "Number",
           "Page", "PageSize", "Year", "links", "with_links"]


def _obj(required: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """A JSON object schema: ``required`` keys with their schemas, and optional ones."""
    return {"type": "object", "required": list(required), "properties": required | optional}


_S, _I, _N = {"type": "string"}, {"type": "integer"}, {"type": "number"}
_OPT_S, _OPT_I = {"type": ["string", "null"]}, {"type": ["integer", "null"]}
_ROWS = {"type": "array", "items": {"type": "object"}}
RELEASE_SUMMARY = _obj({"number": _I, "title": _S, "status": {"enum": ["draft", "approved", "published"]},
                        "reference_year": _OPT_I, "publish_at": _S, "published_at": _OPT_S, "timezone": _S,
                        "revises": _OPT_I, "revision_note": _OPT_S, "sha256": _S, "build_id": _S,
                        "methodology_hash": _S, "code_version": _S})
SCHEMAS = {
    "releases": _obj({"data": {"type": "array", "items": RELEASE_SUMMARY}}),
    "release": RELEASE_SUMMARY | {"required": [*RELEASE_SUMMARY["required"], "disclosure"]},
    "methodology": _obj({"hash": _S, "label_zh": _S, "label_en": _S, "toml": _OPT_S}),
    "revisions": _obj({"number": _I, "revises": _OPT_I, "revision_note": _OPT_S, "figures_changed": _OPT_I,
                       "tables_changed": {"type": "object"},
                       "revised_by": {"type": "array", "items": RELEASE_SUMMARY}}),
    "changes": _obj({"release": _I, "since": _I, "figures_changed": _I, "tables": {
        "type": "object", "additionalProperties": _obj({"figures": _I, "rows_added": _I, "rows_removed": _I})}}),
    "scorecard": _obj({"source": _S, "year": _I, "cluster": _S, "header": {"type": "object"}, "pillars": _ROWS,
                       "indicators": _ROWS, "strengths": _ROWS}),
    "profile": _obj({"source": _S, "region": _S, "year": _I, "measure": _S, "region_level": _S,
                     "industry_level": _S, "indices": {"type": ["object", "null"]}, "lq": _ROWS, "categories": _ROWS,
                     "located": _ROWS}, shift_share=_ROWS),
    "families": _obj({"families": {"type": "array", "items": _obj({
        "name": _S, "title": _S, "keys": {"type": "array", "items": _S}, "period": {"type": "array", "items": _S},
        "measure": {"type": "boolean"}, "levels": {"type": "boolean"}, "filters": {"type": "array", "items": _S},
        "href": _S})}}),
}


def document_of(kind: str) -> dict[int | str, Any]:
    """The answers of an operation whose 200 is the JSON document ``SCHEMAS[kind]``."""
    return DOCUMENT | {200: {"description": "A JSON document", "content": {"application/json": {
        "schema": SCHEMAS[kind]}}}}
