"""``clusterstats synth``: seeded synthetic upload files at scale (a thin layer over :mod:`pipeline.demo.synth`)."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.demo.synth import SCALES, write_synthetic


@click.command()
@click.option("--scale", type=click.Choice(list(SCALES)), default="province", show_default=True,
              help="province (14 regions), national (285 x 1,380, 2.5M firm-years) or census (2,850 x 1,380, 25M).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder to write.")
@click.option("--seed", type=int, default=20240601, show_default=True)
def synth(scale: str, out: Path, seed: int) -> None:
    """Write synthetic upload files, one per kind, ready for `clusterstats ingest` (for benchmarks and trials).

    \b
    Example:
      clusterstats synth --scale national --out /tmp/national
      for k in regions industries cluster-categories clusters cluster-industries \
               regional-industry cluster-indicators firms; do
        clusterstats ingest /tmp/national/$k.csv --kind $k; done
    """
    for kind, path in write_synthetic(out, scale, seed=seed):
        click.echo(f"{kind:<20} {path}  ({path.stat().st_size / 1e6:,.1f} MB)")


def register(cli: click.Group) -> None:
    """Add ``synth`` to the ``clusterstats`` group."""
    cli.add_command(synth)
