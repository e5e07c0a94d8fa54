"""The ``clusterstats`` command line: a thin layer over the library.

Each command parses its options, calls one library function and prints the result (a table, or JSON with
``--json``). Domain errors become a one-line message and exit status 1 at one boundary (the root group).

- :mod:`~pipeline.cli.app`: the root group ``cli`` (``--data-dir``, ``--user``), ``serve`` and ``demo``;
- :mod:`~pipeline.cli.data`: ``init``, ``ingest``, ``uploads``, ``kinds``, ``status``, ``recompute``;
- :mod:`~pipeline.cli.jobs`: ``schedule``, ``jobs`` (history, run now, change reports) and ``worker``;
- :mod:`~pipeline.cli.users`: ``users`` (accounts and roles) and ``audit`` (the audit log);
- :mod:`~pipeline.cli.tokens`: ``tokens`` (tokens of the open-data API);
- :mod:`~pipeline.cli.publish`: ``submissions`` (review of cities' uploads) and ``release`` (numbered releases);
- :mod:`~pipeline.cli.synth`: ``synth``, synthetic upload files at scale;
- :mod:`~pipeline.cli.auth`: who runs a command: the role check (``needs``) and the name recorded (``who_is``);
- :mod:`~pipeline.cli.common`: the error boundary, the settings of the invocation, JSON output;
- :mod:`~pipeline.cli.__main__`: ``python -m pipeline.cli``.

Enters: the command line (arguments, options, ``CLUSTERSTATS_*`` environment variables, prompts).
Leaves: text or JSON on standard output, exit status 0 or 1; the process replaced by the web app (``serve``).
May import: pipeline.core, schemas, warehouse, pipeline.ingest, pipeline.access, pipeline.jobs,
pipeline.publishing, pipeline.api, pipeline.demo.

Commands import :mod:`pipeline.jobs`, :mod:`pipeline.ingest`, the demo run and :mod:`warehouse` inside their
bodies, so that ``--help`` and the other commands do not load them.
"""

from __future__ import annotations

import os

from pipeline.cli import api, app, bulletin, data, disclosure, jobs, publish, synth, tokens, users
from pipeline.cli.app import cli
from pipeline.core.files import PRIVATE_UMASK

for _module in (data, app, jobs, users, tokens, publish, disclosure, bulletin, api, synth):
    _module.register(cli)


def main() -> None:
    """Console-script entry point. Whatever it creates (the data directory, its stores, the app and the worker it
    starts) is the owner's alone (``umask 077``)."""
    os.umask(PRIVATE_UMASK)
    cli(prog_name="clusterstats")


__all__ = ["cli", "main"]
