"""Domain exceptions. Each class's docstring is its message; the CLI and the UI turn them into user text."""

from __future__ import annotations

from typing import Any


class ClusterstatsError(Exception):
    """Something went wrong in clusterstats."""

    def __init__(self, message: str | None = None, **details: Any) -> None:
        super().__init__(message or (self.__doc__ or "").strip())
        self.details = details


class UploadUnreadable(ClusterstatsError):
    """The file could not be read: check its format (CSV, XLSX or Parquet) and encoding."""


class UploadInvalid(ClusterstatsError):
    """The file has records that fail validation; nothing was landed. Fix the listed cells and upload again."""

    def __init__(self, report: Any) -> None:
        super().__init__(report.summary())
        self.report = report


class UploadTooLarge(UploadUnreadable):
    """The file is larger than the upload limit; split it (e.g. by year) or raise the limit."""


class StorageFull(ClusterstatsError):
    """The disk is full: nothing was written and the previous state is kept. Free some space and try again."""


class UnknownKind(ClusterstatsError):
    """Unknown upload kind."""


class WarehouseLocked(ClusterstatsError):
    """Another build is running; wait for it to finish (the lock holder is named in the message)."""


class AuditFailed(ClusterstatsError):
    """A warehouse audit found bad rows; the build was stopped and the previous warehouse stays live."""


class NoWarehouse(ClusterstatsError):
    """There is no warehouse yet: land some data, then run `clusterstats recompute`."""


class MethodologyInvalid(ClusterstatsError):
    """The methodology file is not valid."""
