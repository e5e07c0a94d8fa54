"""How the open-data API answers: tables as paged JSON (with links), CSV or Parquet; strong ETags and long cache
lifetimes for a release's data (immutable); RFC 9457 problem details for every error, never a traceback."""

from __future__ import annotations

import difflib
import hashlib
import io
import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import polars as pl
from fastapi import Request
from fastapi.responses import JSONResponse, Response

FORMATS = ("json", "csv", "parquet")
#: a year of seconds: a published release never changes, so its responses may be kept by anyone
IMMUTABLE = "public, max-age=31536000, immutable"
#: a release not yet published, read with a staff token: it never changes either, but no shared cache may keep it
#: and the client asks again (with its ETag) each time, so a revoked token stops working at once
PRIVATE = "private, no-cache"
#: a build (official or working): replaced by the next build, so nothing keeps it
UNCACHED = "no-store"
PROBLEM = "application/problem+json"


class Problem(Exception):
    """An error the client can act on, answered as RFC 9457 problem details (``type`` names the kind)."""

    def __init__(self, status: int, kind: str, title: str, detail: str, *, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail, self.extra = status, kind, title, detail, extra
        self.headers = headers or {}


def problem_response(request: Request, status: int, kind: str, title: str, detail: str,
                     **extra: Any) -> JSONResponse:
    body = {"type": f"https://clusterstats.invalid/problems/{kind}", "title": title, "status": status,
            "detail": detail, "instance": str(request.url.path), **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def unknown(what: str, value: str, known: Iterable[str]) -> Problem:
    """A 404 naming the nearest known codes (difflib's ratio, at most five)."""
    known = list(known)
    near = difflib.get_close_matches(value, known, n=5, cutoff=0.5)
    hint = f" Nearest known: {', '.join(near)}." if near else f" {len(known)} are known."
    return Problem(404, f"unknown-{what.replace(' ', '-')}", f"Unknown {what}",
                   f"There is no {what} {value!r} in this release.{hint}", nearest=near)


def etag_of(release_sha: str, request: Request) -> str:
    """A strong ETag for a response of an immutable release: its content hash with the request's path and its
    sorted query (the response is a function of both)."""
    query = urlencode(sorted(request.query_params.multi_items()))
    digest = hashlib.sha256(f"{release_sha}\n{request.url.path}\n{query}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def not_modified(request: Request, etag: str, cache_control: str = IMMUTABLE) -> Response | None:
    """304 when the client's If-None-Match holds this ETag."""
    wanted = [t.strip() for t in request.headers.get("if-none-match", "").split(",")]
    if etag in wanted or "*" in wanted:
        return Response(status_code=304, headers={"ETag": etag, "Cache-Control": cache_control})
    return None


def caching(etag: str | None, cache_control: str) -> dict[str, str]:
    """The caching headers of an answer: its ETag (an immutable release's) and its Cache-Control."""
    return ({"ETag": etag} if etag else {}) | {"Cache-Control": cache_control}


def _jsonable(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.write_json())


def table(request: Request, frame: pl.DataFrame, *, fmt: str, etag: str | None, total: int, page: int,
          page_size: int, name: str, cache_control: str = IMMUTABLE) -> Response:
    """``frame`` (one page of a table) as JSON with paging links, or the table as CSV or Parquet."""
    headers = caching(etag, cache_control if etag else UNCACHED)
    if fmt == "csv":
        return Response(frame.write_csv(), media_type="text/csv; charset=utf-8",
                        headers=headers | {"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if fmt == "parquet":
        buffer = io.BytesIO()
        frame.write_parquet(buffer)
        return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet",
                        headers=headers | {"Content-Disposition": f'attachment; filename="{name}.parquet"'})
    last = max(1, -(-total // page_size))

    def link(p: int) -> str:
        return str(request.url.include_query_params(page=p, page_size=page_size))

    links = {"self": link(page), "first": link(1), "last": link(last)}
    if page > 1:
        links["prev"] = link(page - 1)
    if page < last:
        links["next"] = link(page + 1)
    body = {"data": _jsonable(frame), "page": page, "page_size": page_size, "total": total, "links": links}
    return JSONResponse(body, headers=headers)


def document(body: dict[str, Any], etag: str | None, cache_control: str = IMMUTABLE) -> JSONResponse:
    return JSONResponse(body, headers=caching(etag, cache_control if etag else UNCACHED))


def csv_download(text: str, *, name: str, etag: str | None, cache_control: str, media_type: str) -> Response:
    """A CSV-like text as a download (SDMX-CSV)."""
    return Response(text, media_type=media_type, headers=caching(etag, cache_control if etag else UNCACHED)
                    | {"Content-Disposition": f'attachment; filename="{name}.csv"'})


__all__ = ["FORMATS", "IMMUTABLE", "PRIVATE", "PROBLEM", "UNCACHED", "Problem", "caching", "csv_download", "document",
           "etag_of", "not_modified", "problem_response", "table", "unknown"]
