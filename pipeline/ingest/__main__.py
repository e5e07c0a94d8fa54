"""``python -m pipeline.ingest``: the helper that forks a child to read each upload (:mod:`pipeline.ingest.sandbox`);
started by the process that reads uploads, never by hand."""

import sys

from pipeline.ingest.sandbox import serve

if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
