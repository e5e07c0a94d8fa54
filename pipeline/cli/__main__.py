"""``python -m pipeline.cli``: the ``clusterstats`` command."""

from pipeline.cli import main

main()
