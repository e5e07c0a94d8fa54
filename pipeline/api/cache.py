"""A response cache for the open-data API: a release never changes, so an answer about it (one that carries an
ETag) is kept and served again without touching the warehouse. Bounded by total bytes, least recently used out
first. Only public answers (a published release's) are kept: answers without an ETag (the release list, errors,
builds) and private ones (a release not yet published) never are, and a request with a token (``Authorization``)
always reaches the routes, which check it. When many clients ask the same new
question at once, one computes the answer and the others wait for it (no stampede on a cold cache)."""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass(frozen=True)
class Kept:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    """ASGI middleware: GET answers with an ETag kept by (path, query), up to ``max_bytes`` in all."""

    def __init__(self, app: ASGIApp, *, max_bytes: int = 256 * 2**20) -> None:
        self.app, self.max_bytes = app, max_bytes
        self._kept: OrderedDict[tuple[str, bytes], Kept] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._inflight: dict[tuple[str, bytes], asyncio.Event] = {}  # one computation per question at a time
        self.hits = self.misses = 0

    def _get(self, key: tuple[str, bytes]) -> Kept | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return kept

    def _put(self, key: tuple[str, bytes], kept: Kept) -> None:
        if len(kept.body) > self.max_bytes // 8:  # one answer may not push out most of the others
            return
        with self._lock:
            old = self._kept.pop(key, None)
            self._bytes -= len(old.body) if old else 0
            self._kept[key] = kept
            self._bytes += len(kept.body)
            while self._bytes > self.max_bytes and self._kept:
                _, dropped = self._kept.popitem(last=False)
                self._bytes -= len(dropped.body)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or any(k == b"authorization"
                                                                      for k, _ in scope["headers"]):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        kept = self._get(key)
        if kept is None and key in self._inflight:  # the same question is being answered: wait for that answer
            await self._inflight[key].wait()
            kept = self._get(key)
        if kept is not None:
            wanted = dict(scope["headers"]).get(b"if-none-match", b"")
            if kept.etag and kept.etag in [t.strip() for t in wanted.split(b",")]:
                headers = [(k, v) for k, v in kept.headers if k in (b"etag", b"cache-control")]
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": kept.status, "headers": kept.headers})
            await send({"type": "http.response.body", "body": kept.body})
            return
        start: dict[str, object] = {}
        chunks: list[bytes] = []
        done = self._inflight.setdefault(key, asyncio.Event())

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    headers = list(start.get("headers", []))  # type: ignore[arg-type]
                    etag = dict(headers).get(b"etag", b"")
                    public = b"public" in dict(headers).get(b"cache-control", b"")
                    if start.get("status") == 200 and etag and public:
                        self._put(key, Kept(200, headers, b"".join(chunks), etag))
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            if self._inflight.get(key) is done:
                del self._inflight[key]
            done.set()


__all__ = ["ResponseCache"]
