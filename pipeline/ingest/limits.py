"""How large an upload may be, and what identifies it: checked before a byte of it is read.

Files over the size limit are refused before they are read (200 MB unless configured); a workbook may unpack to
five times that, at least 1 GB. However small its bytes, a table may not spread beyond 1,024 columns, and a sheet
of a workbook not beyond 20 million cells from its first cell to its last (1,048,576 rows): a 1.6 KB workbook with
one value in XFD1048576 would otherwise be laid out as 17 billion cells. Each limit is a setting
(``Settings.extra`` or an environment variable). An upload's id covers its bytes and every option that changes
what lands, so the same file landed twice with the same options is recognised and not duplicated.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from pipeline.core.errors import UploadTooLarge
from pipeline.core.messages import Msg
from pipeline.core.settings import Settings

DEFAULT_MAX_UPLOAD_MB = 200.0
#: what a workbook may unpack to, at least (else five times the upload limit)
MAX_UNPACKED_BYTES = 1 << 30
ENV_MAX_UPLOAD_MB = "CLUSTERSTATS_MAX_UPLOAD_MB"
ENV_MAX_UNPACKED_MB = "CLUSTERSTATS_MAX_UNPACKED_MB"
ENV_MAX_COLUMNS = "CLUSTERSTATS_MAX_COLUMNS"
ENV_MAX_CELLS = "CLUSTERSTATS_MAX_CELLS"
ENV_MAX_ROWS = "CLUSTERSTATS_MAX_ROWS"
ENV_READ_MEMORY_MB = "CLUSTERSTATS_READ_MEMORY_MB"
ENV_READ_CPU_SECONDS = "CLUSTERSTATS_READ_CPU_SECONDS"
ENV_READ_OUTPUT_MB = "CLUSTERSTATS_READ_OUTPUT_MB"


@dataclass(frozen=True)
class Limits:
    """How large an upload may be: its bytes, what a workbook may unpack to, and how far a table may spread."""

    max_bytes: int = int(DEFAULT_MAX_UPLOAD_MB * 1024 * 1024)
    max_unpacked: int = MAX_UNPACKED_BYTES
    max_columns: int = 1_024  # columns of any table (an upload kind has fewer than 20)
    max_cells: int = 20_000_000  # a workbook sheet's cells, first to last (read as a dense grid)
    max_rows: int = 1_048_576  # a workbook sheet's rows (Excel's own limit)
    # reading a file runs in a child process (pipeline.ingest.sandbox) under these
    read_memory: int = 4 << 30  # address space of the reading process, bytes
    read_cpu_seconds: int = 120  # processor time of the reading process
    read_output: int = 2 << 30  # the table it hands back, bytes

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
    (``Settings.extra["max_unpacked_mb"]`` or ``CLUSTERSTATS_MAX_UNPACKED_MB`` to set it). The spread of a table:
    ``max_columns`` (``CLUSTERSTATS_MAX_COLUMNS``, 1,024), ``max_cells`` (``CLUSTERSTATS_MAX_CELLS``, 20 million)
    and ``max_rows`` (``CLUSTERSTATS_MAX_ROWS``, 1,048,576) of a workbook sheet. The process that reads a file:
    ``read_memory_mb`` (``CLUSTERSTATS_READ_MEMORY_MB``, 4,096), ``read_cpu_seconds``
    (``CLUSTERSTATS_READ_CPU_SECONDS``, 120) and ``read_output_mb`` (``CLUSTERSTATS_READ_OUTPUT_MB``, 2,048)."""
    if max_bytes is None:
        mb = settings.extra.get("max_upload_mb") or os.environ.get(ENV_MAX_UPLOAD_MB) or DEFAULT_MAX_UPLOAD_MB
        max_bytes = int(float(mb) * 1024 * 1024)
    unpacked = settings.extra.get("max_unpacked_mb") or os.environ.get(ENV_MAX_UNPACKED_MB)
    max_unpacked = int(float(unpacked) * 1024 * 1024) if unpacked else max(MAX_UNPACKED_BYTES, 5 * max_bytes)
    default = Limits()

    def setting(key: str, env: str, fallback: int) -> int:
        return int(float(settings.extra.get(key) or os.environ.get(env) or fallback))

    return Limits(max_bytes=max_bytes, max_unpacked=max_unpacked,
                  max_columns=setting("max_columns", ENV_MAX_COLUMNS, default.max_columns),
                  max_cells=setting("max_cells", ENV_MAX_CELLS, default.max_cells),
                  max_rows=setting("max_rows", ENV_MAX_ROWS, default.max_rows),
                  read_memory=setting("read_memory_mb", ENV_READ_MEMORY_MB, default.read_memory >> 20) << 20,
                  read_cpu_seconds=setting("read_cpu_seconds", ENV_READ_CPU_SECONDS, default.read_cpu_seconds),
                  read_output=setting("read_output_mb", ENV_READ_OUTPUT_MB, default.read_output >> 20) << 20)


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
