"""``python -m pipeline.jobs run | build``: the worker, or one build attempt (the worker's child process)."""

import sys

from pipeline.jobs.worker import main

if __name__ == "__main__":  # not when a child process of multiprocessing imports the main module again
    sys.exit(main())
