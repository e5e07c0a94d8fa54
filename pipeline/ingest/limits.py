"""How large an upload may be, and what identifies it: checked before a byte of it is read.

Files over the size limit are refused before they are read (200 MB unless configured); a workbook may unpack to
five times that, at least 1 GB. An upload's id covers its bytes and every option that changes what lands, so the
same file landed twice with the same options is recognised and not duplicated.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from pipeline.core.errors import UploadTooLarge
from pipeline.core.messages import Msg
from pipeline.core.settings import Settings
from pipeline.ingest.sheets import MAX_UNPACKED_BYTES

DEFAULT_MAX_UPLOAD_MB = 200.0
ENV_MAX_UPLOAD_MB = "CLUSTERSTATS_MAX_UPLOAD_MB"
ENV_MAX_UNPACKED_MB = "CLUSTERSTATS_MAX_UNPACKED_MB"


@dataclass(frozen=True)
class Limits:
    """How large an upload may be, and what a workbook may unpack to."""

    max_bytes: int
    max_unpacked: int

    @property
    def max_text(self) -> str:
        return _size(self.max_bytes)


def _size(n: float) -> str:
    mb = n / (1024 * 1024)
    if mb >= 10:
        return f"{mb:,.0f} MB"
    if mb >= 1:
        return f"{mb:,.1f} MB"
    return f"{n / 1024:,.0f} KB" if n >= 1024 else Msg("size.bytes", n=n)


def upload_limits(settings: Settings, *, max_bytes: int | None = None) -> Limits:
    """The upload size limit: ``max_bytes``, else ``Settings.extra["max_upload_mb"]``, else the environment
    variable ``CLUSTERSTATS_MAX_UPLOAD_MB``, else 200 MB. Workbooks may unpack to 5 times that, at least 1 GB
    (``Settings.extra["max_unpacked_mb"]`` or ``CLUSTERSTATS_MAX_UNPACKED_MB`` to set it)."""
    if max_bytes is None:
        mb = settings.extra.get("max_upload_mb") or os.environ.get(ENV_MAX_UPLOAD_MB) or DEFAULT_MAX_UPLOAD_MB
        max_bytes = int(float(mb) * 1024 * 1024)
    unpacked = settings.extra.get("max_unpacked_mb") or os.environ.get(ENV_MAX_UNPACKED_MB)
    max_unpacked = int(float(unpacked) * 1024 * 1024) if unpacked else max(MAX_UNPACKED_BYTES, 5 * max_bytes)
    return Limits(max_bytes=max_bytes, max_unpacked=max_unpacked)


def check_size(size: int, file_name: str, limits: Limits) -> None:
    """Refuse a file over the limit before reading it, saying the limit."""
    if size > limits.max_bytes:
        raise UploadTooLarge(Msg("read.too_large", file=file_name, size=_size(size), limit=limits.max_text,
                                 env=ENV_MAX_UPLOAD_MB))


def upload_identity(data: bytes, kind: str, *, sheet: str | None, units: dict[str, str] | None,
                    accept_valid_rows: bool = False) -> tuple[str, str]:
    """(sha256 of the bytes, upload id): the id covers the bytes and every option that changes what lands."""
    sha = hashlib.sha256(data).hexdigest()
    options: dict[str, object] = {"kind": kind, "sheet": sheet, "units": sorted((units or {}).items())}
    if accept_valid_rows:
        options["accept_valid_rows"] = True
    upload_id = hashlib.sha256(f"{sha}\n{json.dumps(options, sort_keys=True)}".encode()).hexdigest()[:16]
    return sha, upload_id
