"""Step 1 in a child process: an upload's bytes read under limits, so that a hostile file fails its own upload only.

The readers are native code (fastexcel/calamine for workbooks, polars for CSV and Parquet). Fed a hostile file,
such code may try to allocate hundreds of gigabytes and abort the whole process, loop for minutes, or hand back a
table many times the size of the file; in the app's process that would end the server for every user, in the
worker's every build. :func:`read_in_child` has :func:`pipeline.ingest.reading.read_table` run in a child process
with limits on its address space (``RLIMIT_AS``), its processor time (``RLIMIT_CPU``), the size of the table it
hands back and a wall-clock deadline; whatever the child dies of becomes an :class:`UploadUnreadable` that says
which limit the file needed more than, and the setting that raises it.

The children are forked by a helper process (``python -m pipeline.ingest``), started once per process that
reads uploads, with the readers imported and no thread of its own: a fork then costs a few milliseconds, and the
threads of the calling process (Streamlit's, polars') are never forked. The helper takes one request at a time
over its standard input and answers over its standard output (8-byte length, then a pickle); it ends when the
calling process does (its standard input closes).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import IO, Any

from pipeline.core.errors import ClusterstatsError, UploadUnreadable
from pipeline.core.messages import Msg
from pipeline.ingest.limits import Limits
from pipeline.ingest.raw import RawTable
from pipeline.ingest.reading import read_table
from schemas import Kind, get_kind

#: seconds a child may take by the clock, beyond its processor time (waiting for memory, for the disk)
GRACE_SECONDS = 30
_LENGTH = struct.Struct("<Q")


def _mib(n: int) -> str:
    return f"{n / (1 << 30):,.1f} GB" if n >= 1 << 30 else f"{n / (1 << 20):,.0f} MB"


# -- the parent's side ------------------------------------------------------------------------------------------
class _Helper:
    """The helper process of this process (started on first use, again if it has died)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.proc: subprocess.Popen[bytes] | None = None

    def ask(self, request: bytes) -> bytes | None:
        """Send a request, return the answer (None: the helper died; it is started anew next time)."""
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = subprocess.Popen([sys.executable, "-m", "pipeline.ingest"],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            assert self.proc.stdin is not None and self.proc.stdout is not None
            try:
                _send(self.proc.stdin, request)
                return _receive(self.proc.stdout)
            except (BrokenPipeError, OSError, EOFError):
                self.proc.kill()
                self.proc = None
                return None


_helper = _Helper()


def read_in_child(data: bytes, file_name: str, *, sheet: str | None = None, kind: Kind | None = None,
                  limits: Limits | None = None) -> RawTable:
    """:func:`~pipeline.ingest.reading.read_table` in a child process under ``limits`` (``read_memory``,
    ``read_cpu_seconds``, ``read_output``). Raises :class:`UploadUnreadable` when the file cannot be read as a
    table, or needs more than a limit to be read (naming the limit and its setting)."""
    limits = limits or Limits()
    answer = _helper.ask(pickle.dumps((data, file_name, sheet, kind.name if kind else None, limits)))
    status, payload = pickle.loads(answer) if answer is not None else ("crashed", None)
    if status == "ok":
        return dataclasses.replace(payload, kind=kind)
    if status == "error":
        raise payload
    raise UploadUnreadable(_why(file_name, status, payload, limits))


def _why(file_name: str, status: str, code: Any, limits: Limits) -> Msg:
    """What a child that read nothing ran into, as the message for the officer."""
    if status == "memory" or (status == "signal" and code in (signal.SIGABRT, signal.SIGKILL)):
        # native code that cannot allocate aborts; the kernel kills what the machine cannot hold
        return Msg("read.child_memory", file=file_name, limit=_mib(limits.read_memory))
    if status == "timeout":
        return Msg("read.child_time", file=file_name, seconds=limits.read_cpu_seconds + GRACE_SECONDS)
    if status == "signal" and code == signal.SIGXCPU:
        return Msg("read.child_cpu", file=file_name, seconds=limits.read_cpu_seconds)
    if status == "output":
        return Msg("read.child_output", file=file_name, size=_mib(code), limit=_mib(limits.read_output))
    return Msg("read.child_crashed", file=file_name, code=code)


# -- the helper's side -------------------------------------------------------------------------------------------
def _send(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> bytes | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (n,) = _LENGTH.unpack(head)
    body = stream.read(n)
    if len(body) < n:
        raise EOFError("the helper's answer was cut short")
    return body


def _limit(which: int, soft: int, hard: int) -> None:
    """Lower a resource limit to ``soft``/``hard``, never above what this process may have already."""
    _, ceiling = resource.getrlimit(which)
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(which, (soft, hard))


def _child(out: int, data: bytes, file_name: str, sheet: str | None, kind: str | None, limits: Limits) -> int:
    """In the forked child: the limits set, the file read, the outcome written to ``out``; the exit status."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the helper's standard output carries its answers: nothing else may write there
    _limit(resource.RLIMIT_AS, limits.read_memory, limits.read_memory)
    _limit(resource.RLIMIT_CPU, limits.read_cpu_seconds, limits.read_cpu_seconds + 5)
    try:
        table = read_table(data, file_name, sheet=sheet, kind=get_kind(kind) if kind else None, limits=limits)
        size = int(table.grid.estimated_size())
        outcome: tuple[str, Any] = ("output", size) if size > limits.read_output else \
            ("ok", dataclasses.replace(table, kind=None))  # the parent has the kind
    except ClusterstatsError as exc:
        outcome = ("error", exc)
    except MemoryError:
        outcome = ("memory", None)
    payload = pickle.dumps(outcome)
    view = memoryview(payload)
    while view:
        view = view[os.write(out, view):]
    return 0


def _run_one(request: bytes) -> bytes:
    """Fork a child for one request; collect what it writes within the deadline, and how it ended."""
    data, file_name, sheet, kind, limits = pickle.loads(request)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        code = 1
        try:
            code = _child(write_end, data, file_name, sheet, kind, limits)
        finally:
            os._exit(code)
    os.close(write_end)
    deadline = time.monotonic() + limits.read_cpu_seconds + GRACE_SECONDS
    chunks, size, timed_out = [], 0, False
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([read_end], [], [], left)[0]:
            timed_out = True
            break
        chunk = os.read(read_end, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    os.close(read_end)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return pickle.dumps(("timeout", None))
    if os.WIFSIGNALED(status):
        return pickle.dumps(("signal", os.WTERMSIG(status)))
    body = b"".join(chunks)
    if os.WEXITSTATUS(status) != 0 or not body:
        return pickle.dumps(("crashed", os.WEXITSTATUS(status)))
    return body


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The helper's loop: one request at a time, until its standard input closes."""
    while (request := _receive(stdin)) is not None:
        _send(stdout, _run_one(request))

