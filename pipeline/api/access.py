"""Who asks the open-data API and what they may read: anyone reads published releases; a staff token (an account
of uploader role or above, :mod:`pipeline.access.tokens`) also reads releases not yet published (draft, embargoed)
and the official and working builds. A release the reader may not read is *not found* (its existence is not
revealed); a build without a token is 401, with a viewer's token 403. Each read of data not yet public is audited.

A :class:`Source` is the warehouse file an answer comes from and how the answer may be cached: a published
release's answers carry a strong ETag and a year's public lifetime; an embargoed release's an ETag and
``private, no-cache``; a build's (replaced by the next build) neither.
"""

# no `from __future__ import annotations`: FastAPI reads the resolvers' annotations, which name local values
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, Request

from pipeline.access.tokens import TokenRefused, audit_read, token_user
from pipeline.access.users import User
from pipeline.api.docs import BuildName, Number
from pipeline.api.responses import IMMUTABLE, PRIVATE, UNCACHED, Problem, etag_of, not_modified
from pipeline.core.ops import OpsStore
from pipeline.core.publication import release as one_release
from pipeline.core.publication import releases as all_releases
from pipeline.core.settings import Settings

BEARER = 'Bearer realm="clusterstats"'


@dataclass(frozen=True)
class Reader:
    """The asker: anonymous, or the account of a valid token (with its role as it is now)."""

    user: User | None = None
    token_id: str | None = None

    @property
    def staff(self) -> bool:
        return self.user is not None and self.user.staff


@dataclass(frozen=True)
class Source:
    """One warehouse file an answer is read from."""

    kind: Literal["release", "official", "working"]
    path: Path
    release: dict[str, Any] | None = None

    @property
    def public(self) -> bool:
        return self.release is not None and self.release["status"] == "published"

    @property
    def name(self) -> str:
        return f"release-{self.release['number']}" if self.release else self.kind

    @property
    def cache_control(self) -> str:
        return IMMUTABLE if self.public else PRIVATE if self.release else UNCACHED

    @property
    def reference_year(self) -> int | None:
        return self.release["reference_year"] if self.release else None

    def etag(self, request: Request) -> str | None:
        return etag_of(self.release["sha256"], request) if self.release else None

    def cached(self, request: Request) -> tuple[str | None, Any]:
        """This answer's ETag, and a 304 when the client holds it already (None otherwise)."""
        etag = self.etag(request)
        return etag, not_modified(request, etag, self.cache_control) if etag else None


def reader_of(settings: Settings) -> Callable[[Request], Reader]:
    """The dependency that reads ``Authorization: Bearer <token>`` (absent: anonymous; refused: 401)."""

    def reader(request: Request) -> Reader:
        header = request.headers.get("authorization")
        if header is None:
            return Reader()
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "unauthorized", "Unauthorized", "Give a token as 'Authorization: Bearer cst_...'.",
                          headers={"WWW-Authenticate": BEARER + ', error="invalid_request"'})
        client = request.client.host if request.client else ""
        try:
            user, token_id = token_user(settings, token, client=f"api:{client}")
        except TokenRefused as exc:
            raise Problem(401, "unauthorized", "Unauthorized", str(exc),
                          headers={"WWW-Authenticate": BEARER + ', error="invalid_token"'}) from None
        return Reader(user, token_id)

    return reader


def published_numbers(settings: Settings, reader: Reader) -> list[dict[str, Any]]:
    """The releases ``reader`` may read, newest first: published ones; every one for staff."""
    rels = all_releases(OpsStore(settings.ops_path)) if settings.ops_path.exists() else []
    return [r for r in rels if r["status"] == "published" or reader.staff]


def release_source(settings: Settings, number: int, reader: Reader, request: Request) -> Source:
    """Release ``number`` as a source, when ``reader`` may read it; else a 404 naming the ones it may."""
    rel = one_release(OpsStore(settings.ops_path), number) if settings.ops_path.exists() else None
    if rel is None or (rel["status"] != "published" and not reader.staff):
        numbers = [r["number"] for r in published_numbers(settings, reader)]
        raise Problem(404, "unknown-release", "Unknown release",
                      f"There is no published release {number}. Published: "
                      f"{', '.join(map(str, numbers)) or 'none'}.", published=numbers)
    source = Source("release", settings.data_dir / rel["file"], rel)
    if not source.public:
        assert reader.user is not None and reader.token_id is not None
        audit_read(settings, reader.user, reader.token_id, f"release {number} ({rel['status']})", request.url.path)
    return source


def build_source(settings: Settings, build: str, reader: Reader, request: Request) -> Source:
    """The official or the working build, for staff only (401 without a token, 403 with a non-staff one)."""
    if reader.user is None:
        raise Problem(401, "unauthorized", "Unauthorized", f"The {build} build is for provincial staff: give a staff "
                      "account's token as 'Authorization: Bearer cst_...'.", headers={"WWW-Authenticate": BEARER})
    if not reader.staff:
        raise Problem(403, "forbidden", "Forbidden", f"{reader.user.username} ({reader.user.role}) may read published "
                      f"releases only; the {build} build needs the uploader role or above.")
    path = settings.warehouse_path if build == "official" else settings.data_dir / "working.duckdb"
    if not path.exists():
        raise Problem(404, "no-build", "No such build", f"There is no {build} build yet.")
    assert reader.token_id is not None
    audit_read(settings, reader.user, reader.token_id, f"{build} build", request.url.path)
    return Source(build, path)  # type: ignore[arg-type]


def resolvers(settings: Settings, reader: Callable[[Request], Reader]
              ) -> dict[str, tuple[str, Callable[..., Source]]]:
    """Path prefix -> the dependency resolving its source, for the routes every source has."""

    def by_release(request: Request, number: Number, who: Annotated[Reader, Depends(reader)]) -> Source:
        return release_source(settings, number, who, request)

    def by_build(request: Request, build: BuildName, who: Annotated[Reader, Depends(reader)]) -> Source:
        return build_source(settings, build, who, request)

    return {"release": ("/v1/releases/{number}", by_release), "build": ("/v1/builds/{build}", by_build)}


__all__ = ["Reader", "Source", "build_source", "published_numbers", "reader_of", "release_source", "resolvers"]
