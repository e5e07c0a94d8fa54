"""``python -m pipeline.jobs run | build``: the worker, or one build attempt (the worker's child process)."""

import sys

from pipeline.jobs.worker import main

sys.exit(main())
