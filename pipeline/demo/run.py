"""``clusterstats demo``: write the synthetic demo files and send them through the normal ingest path and a build,
release it, correct it, rebuild and release the revision."""

from __future__ import annotations

from collections.abc import Iterator

from pipeline.core.settings import Settings
from pipeline.demo.corrections import demo_second_build
from pipeline.demo.files import write_demo_files
from pipeline.demo.releases import demo_release
from pipeline.ingest import ingest_file
from pipeline.jobs import recompute


def run_demo(settings: Settings) -> Iterator[str]:
    """Land the demo files (each once: a second run finds them landed) and build; yields progress lines."""
    settings.ensure_dirs()
    files = write_demo_files(settings.demo_dir)
    yield f"Synthetic demo files written to {settings.demo_dir}"
    for f in files:
        result = ingest_file(settings, f.path, f.kind, sheet=f.sheet, units=f.units, who="demo")
        yield f"  {f.kind:<20} {result.status:<15} {result.upload.rows:>7} rows  {f.path.name}"
    result = recompute(settings, trigger="demo", who="demo")
    yield result.message
    yield from demo_release(settings, 1)
    yield from demo_second_build(settings)
    yield from demo_release(settings, 2)
