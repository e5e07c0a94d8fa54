"""HTTP semantics the framework leaves to the application, which readers of a URL rely on:

- **HEAD** is answered as GET without its body (RFC 9110, 9.3.2): the same status and headers, Content-Length
  included. Object-store readers (polars' ``read_csv(url)``/``read_parquet(url)``, DuckDB's httpfs, R's arrow) ask
  HEAD before they read, and an operation answered only to GET would refuse them with 405.
- **Byte ranges** (RFC 9233): a successful answer says ``Accept-Ranges: bytes``, and a GET with one ``Range: bytes=``
  range gets 206 with that part (``Content-Range``); readers fetch a Parquet file's footer and then its columns this
  way. Several ranges, or an ``If-Range`` that is not the answer's ETag, get the whole answer (allowed by the RFC); a
  range beyond the end is 416.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _header(scope: Scope, name: bytes) -> bytes | None:
    return next((v for k, v in scope["headers"] if k == name), None)


def byte_range(spec: str, size: int) -> tuple[int, int] | None | bool:
    """The inclusive (first, last) byte of one range ``spec`` over ``size`` bytes; None to answer in full (not a
    single byte range); False when unsatisfiable.

    >>> byte_range("bytes=0-99", 1000), byte_range("bytes=900-", 1000), byte_range("bytes=-100", 1000)
    ((0, 99), (900, 999), (900, 999))
    >>> byte_range("bytes=990-2000", 1000), byte_range("bytes=1000-", 1000), byte_range("bytes=0-1,5-9", 1000)
    ((990, 999), False, None)
    """
    match = _RANGE.match(spec.strip())
    if match is None or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last n bytes
        n = int(last)
        return (max(0, size - n), size - 1) if n > 0 and size > 0 else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end


class HttpSemantics:
    """ASGI middleware: HEAD as GET without the body; single byte ranges of a successful GET's answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"
        wanted = (_header(scope, b"range") or b"").decode("latin-1")
        if not wanted:  # the common case: the answer passes through, its body dropped for a HEAD
            await self.app(dict(scope, method="GET"), receive, self._passing(send, head))
            return
        if_range = _header(scope, b"if-range")
        start: Message = {}
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    await self._answer(send, start, b"".join(chunks), wanted, if_range, head)

        await self.app(dict(scope, method="GET"), receive, collect)

    @staticmethod
    def _passing(send: Send, head: bool) -> Send:
        async def passing(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                message = message | {"headers": [*message.get("headers", []), (b"accept-ranges", b"bytes")]}
            elif message["type"] == "http.response.body" and head:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        return passing

    @staticmethod
    async def _answer(send: Send, start: Message, body: bytes, wanted: str, if_range: bytes | None,
                      head: bool) -> None:
        status, headers = start["status"], [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        if status == 200:
            headers.append((b"accept-ranges", b"bytes"))
            etag = next((v for k, v in headers if k == b"etag"), None)
            part = byte_range(wanted, len(body)) if wanted and (if_range is None or if_range == etag) else None
            if part is False:
                headers = [(k, v) for k, v in headers if k not in (b"content-type", b"content-disposition")]
                headers.append((b"content-range", f"bytes */{len(body)}".encode()))
                status, body = 416, b""
            elif part:
                first, last = part
                headers.append((b"content-range", f"bytes {first}-{last}/{len(body)}".encode()))
                status, body = 206, body[first:last + 1]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else body})


__all__ = ["HttpSemantics", "byte_range"]
