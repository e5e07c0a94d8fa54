"""Domain exceptions. Each class's docstring is its message; the CLI and the UI turn them into user text.

A message built from :mod:`pipeline.core.messages` (a :class:`~pipeline.core.messages.Msg`) brings its Chinese along:
``str(exc)`` stays English, ``exc.message_zh`` is the Chinese (None when there is none) and ``exc.text(lang)`` either.
The upload errors have a Chinese default (``zh_id``) for when they are raised without a message.
"""

from __future__ import annotations

from typing import Any


class ClusterstatsError(Exception):
    """Something went wrong in clusterstats."""

    zh_id: str | None = None  # the pipeline.core.messages id of the default message's Chinese

    def __init__(self, message: str | None = None, **details: Any) -> None:
        zh = getattr(message, "zh", None)
        if isinstance(message, str):
            message = str(message)  # a Msg becomes plain text here; its Chinese is kept below
        super().__init__(message or (self.__doc__ or "").strip())
        self.details = details
        self.message_zh: str | None = zh
        if not message and self.zh_id:
            from pipeline.core.messages import MESSAGES

            self.message_zh = MESSAGES[self.zh_id][1]

    def text(self, lang: str) -> str:
        """The message in ``lang`` ("zh" or "en"); the English when there is no Chinese."""
        return self.message_zh if lang == "zh" and self.message_zh else str(self)


class UploadUnreadable(ClusterstatsError):
    """The file could not be read: check its format (CSV, XLSX or Parquet) and encoding."""

    zh_id = "error.unreadable"


class UploadInvalid(ClusterstatsError):
    """The file has records that fail validation; nothing was landed. Fix the listed cells and upload again."""

    zh_id = "error.invalid"

    def __init__(self, report: Any) -> None:
        summary = getattr(report, "summary_msg", None)
        super().__init__(summary() if summary is not None else report.summary())
        self.report = report


class UploadTooLarge(UploadUnreadable):
    """The file is larger than the upload limit; split it (e.g. by year) or raise the limit."""

    zh_id = "error.too_large"


class StorageFull(ClusterstatsError):
    """The disk is full: nothing was written and the previous state is kept. Free some space and try again."""

    zh_id = "error.storage_full"


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
