"""The build lock: one recompute at a time, across processes.

An exclusive ``fcntl.flock`` on ``warehouse.lock``: the kernel releases it when the holder exits, however it exits,
so a lock left by a killed build (a dead pid in the file) is simply taken over by the next one. The file holds the
holder's pid and start time for the message other builds show.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from pathlib import Path
from types import TracebackType

from pipeline.core.errors import WarehouseLocked


class BuildLock:
    """``with BuildLock(path):`` holds the lock or raises :class:`WarehouseLocked` naming the holder."""

    def __init__(self, path: Path, *, wait_seconds: float = 0.0) -> None:
        self.path = Path(path)
        self.wait_seconds = wait_seconds
        self._fd: int | None = None

    def holder(self) -> dict[str, object] | None:
        """The pid and start time written by the current (or last) holder, if readable."""
        try:
            return json.loads(self.path.read_text(encoding="utf-8") or "null")
        except (OSError, ValueError):
            return None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    held = self.holder() or {}
                    raise WarehouseLocked(
                        f"Another build is running (pid {held.get('pid', '?')}, started {held.get('since', '?')}); "
                        "wait for it to finish, then run recompute again."
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}).encode())
        os.fsync(fd)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
