"""``python -m pipeline.cli``: the ``clusterstats`` command."""

from pipeline.cli import main

if __name__ == "__main__":  # not when a child process of multiprocessing imports the main module again
    main()
