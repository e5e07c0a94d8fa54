"""The demo's second build: the corrections a bureau sends after its annual audit, landed as new vintages, and
the change report of the build they trigger (``clusterstats demo`` shows it after the first build)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl

from pipeline.core.settings import Settings
from pipeline.demo.files import FILE_PREFIX
from pipeline.ingest import ingest_file
from pipeline.ingest.landing import landed_frame
from pipeline.jobs import (
    Worker,
    WorkerConfig,
    WorkerRunning,
    enqueue,
    enqueue_upload,
    format_report,
    get_job,
    load_report,
    wait_for_job,
)

DEMO_CORRECTION_PREFIX = f"{FILE_PREFIX}correction-"  # a demo file name, so the app labels the data synthetic


def demo_correction_files(settings: Settings, folder: Path) -> list[tuple[str, Path]]:
    """Write the corrections a bureau sends after its annual audit, as new vintages of landed data (synthetic):

    - cluster-indicators: the newest year of five clusters, audited (output +12%, R&D +35%, patents +25%,
      exports -10%);
    - regional-industry: the newest year's employment of one city-industry just below LQ 1 raised and one just
      above lowered, so that one city gains a specialisation and one loses it.

    Computed from the first vintage of each kind, so running it again writes the same files (landed once).
    Returns (kind, path) for each file written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files: list[tuple[str, Path]] = []
    ind = landed_frame(settings, "cluster-indicators")
    if ind is not None and ind.height:
        first = ind.filter(pl.col("vintage") == 1)
        year = first.get_column("year").max()
        codes = sorted(first.filter(pl.col("year") == year).get_column("cluster_code").unique().to_list())
        picked = codes[2::max(1, len(codes) // 5)][:5] or codes[:1]
        money = [c for c in ("output_value", "rd_spending", "exports") if c in first.columns]
        rev = first.filter((pl.col("year") == year) & pl.col("cluster_code").is_in(picked)).select(
            "cluster_code", "region_code", "year",
            *[(pl.col(c) * f).round(0).alias(c) for c, f in (("output_value", 1.12), ("rd_spending", 1.35),
                                                              ("exports", 0.9)) if c in money],
            *([(pl.col("patents") * 1.25).round(0).alias("patents")] if "patents" in first.columns else []),
        )
        path = folder / f"{DEMO_CORRECTION_PREFIX}cluster-indicators.csv"
        rev.write_csv(path)
        files.append(("cluster-indicators", path))
    regional = landed_frame(settings, "regional-industry")
    regions = landed_frame(settings, "regions")
    if regional is not None and regions is not None and "employment" in regional.columns:
        cities = regions.filter(pl.col("level") == "city").get_column("code").unique().to_list()
        first = regional.filter((pl.col("vintage") == 1) & pl.col("region_code").is_in(cities)
                                & pl.col("employment").is_not_null())
        year = first.get_column("year").max()
        cells = first.filter(pl.col("year") == year).with_columns(
            ((pl.col("employment") / pl.col("employment").sum().over("region_code"))
             / (pl.col("employment").sum().over("industry_code") / pl.col("employment").sum())).alias("lq"))
        below = cells.filter(pl.col("lq").is_between(0.8, 0.98)).sort("lq", descending=True).head(1)
        above = cells.filter(pl.col("lq").is_between(1.02, 1.2)).sort("lq").head(1)
        rev = pl.concat([below.with_columns((pl.col("employment") * 1.25 / pl.col("lq")).round(0)),
                         above.with_columns((pl.col("employment") * 0.75 / pl.col("lq")).round(0))])
        if rev.height:
            path = folder / f"{DEMO_CORRECTION_PREFIX}regional-industry.csv"
            rev.select("region_code", "industry_code", "year", "employment").write_csv(path)
            files.append(("regional-industry", path))
    return files


def demo_second_build(settings: Settings) -> Iterator[str]:
    """The demo's second build: land the corrections, let the worker build (upload trigger), show the change report.

    For ``clusterstats demo`` after its first build; yields lines to print. Run again, it lands nothing new and
    the worker records "no change" without building.
    """
    job_id = None
    for kind, path in demo_correction_files(settings, settings.demo_dir):
        result = ingest_file(settings, path, kind, who="demo")
        yield f"  correction {kind:<20} {result.status:<15} {result.upload.rows:>7} rows  {path.name}"
        if result.status == "landed":
            job_id = enqueue_upload(settings, result.upload).job_id
    if job_id is None:
        job_id = enqueue(settings, trigger="manual", who="demo", detail={"note": "demo: corrections landed before"}
                         ).job_id
    try:
        Worker(settings, config=WorkerConfig(retries=0)).tick()
    except WorkerRunning:  # `clusterstats serve` runs one: it will take the job
        wait_for_job(settings, job_id, timeout=600)
    job = get_job(settings, job_id)
    report = load_report(settings, job["build_id"]) if job["status"] == "succeeded" and job["build_id"] else None
    if report is None:
        yield f"Job {job_id} ({job['trigger']}): {job['status']}. {job['message']}"
    else:
        yield f"Job {job_id} ({job['trigger']}): {job['status']}, {job['rows_read']} rows read."
        yield format_report(report)
