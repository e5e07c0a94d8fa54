"""Time every index function of ``pipeline.indices`` on national-scale facts: seconds and peak memory per function.

The facts are the long regional-industry table the marts read (year, measure, region_level, industry_level,
region_code, industry_code, value), and every index runs with ``by=(year, measure, region_level, industry_level)``
as in ``pipeline.marts.regional``. Sources, first that applies:

- ``--facts FILE.parquet``: a frame saved earlier (e.g. by ``--save``);
- ``--warehouse PATH``: a built warehouse (``clusterstats --data-dir DIR ...`` leaves it at DIR/warehouse.duckdb),
  read with ``warehouse/sql/queries/build_regional_facts_year.sql`` year by year;
- ``--synth SCALE`` (``national`` when no source is given): generated with :func:`pipeline.demo.synth.write_synthetic`
  (``national``: 285 regions x 1,380 industries, about 3 million long rows; ``census``: ten times the regions),
  regional-industry.csv read into the long form.

Each function runs in a subprocess of its own (``--run NAME``), which loads the facts, runs the function
``--repeat`` times and reports the best wall time, its CPU time, and ``ru_maxrss`` (the process's peak resident
memory; tracemalloc does not see polars' allocations) before and after: one function's memory never inflates
another's. ``peak MB`` is the child's peak, ``+MB`` its growth over the loaded facts (the function's own working
memory). On a machine shared with other work, wall seconds vary from run to run; CPU seconds vary less.

Usage::

    .venv/bin/python benchmarks/bench_indices.py
    .venv/bin/python benchmarks/bench_indices.py --synth national --only krugman,gini --repeat 3
    .venv/bin/python benchmarks/bench_indices.py --warehouse DATA_DIR/warehouse.duckdb --save facts.parquet
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LEVELS = ("year", "measure", "region_level", "industry_level")
MEASURES = ("employment", "establishments", "output_value", "wages")


def functions() -> dict[str, Callable[[pl.DataFrame], pl.DataFrame]]:
    """Every frame-level index the marts run on the regional facts, by name (the target list first)."""
    import pipeline.indices as ix

    by = LEVELS
    region_units = {"unit": "industry_code", "group": "region_code"}
    industry_units = {"unit": "region_code", "group": "industry_code"}
    out: dict[str, Callable[[pl.DataFrame], pl.DataFrame]] = {
        "herfindahl": lambda f: ix.herfindahl(f, by=by, **region_units),
        "herfindahl (industries)": lambda f: ix.herfindahl(f, by=by, **industry_units),
        "entropy": lambda f: ix.entropy(f, by=by, **region_units),
        "concentration_ratio (cr4)": lambda f: ix.concentration_ratio(f, by=by, k=4, **industry_units),
        "location_quotient": lambda f: ix.location_quotient(f, by=by),
        "hachman": lambda f: ix.hachman(f, by=by),
        "diversity": lambda f: ix.diversity(f, by=by),
        "ubiquity": lambda f: ix.ubiquity(f, by=by),
        "duranton_puga": lambda f: ix.duranton_puga(f, by=by),
    }
    for against in ("total", "others", "others_mean"):
        out[f"krugman_specialisation ({against})"] = lambda f, a=against: ix.krugman_specialisation(f, by=by, against=a)
        out[f"krugman_concentration ({against})"] = lambda f, a=against: ix.krugman_concentration(f, by=by, against=a)
    for method in ("krugman", "lq"):
        for direction in ("concentration", "specialisation"):
            out[f"locational_gini ({method}, {direction})"] = lambda f, m=method, d=direction: ix.locational_gini(
                f, by=by, method=m, direction=d
            )
    # per region (balance) and over years (dynamics), as the marts run them: first -> last year
    out["gini (regions)"] = lambda f: ix.gini(_regions(f), unit="region_code", by=by)
    out["theil (regions)"] = lambda f: ix.theil(_regions(f), unit="region_code", by=by)
    out["growth (first -> last)"] = lambda f: ix.growth(
        _window(f), unit=["region_code", "industry_code"], by=LEVELS[1:]
    )
    out["shift_share (first -> last)"] = lambda f: ix.shift_share(
        _window(f), by=LEVELS[1:], method="esteban_marquillas"
    )
    return out


def _regions(facts: pl.DataFrame) -> pl.DataFrame:
    return facts.group_by(*LEVELS, "region_code").agg(pl.col("value").sum())


def _window(facts: pl.DataFrame) -> pl.DataFrame:
    years = facts.get_column("year")
    return facts.filter(pl.col("year").is_in([years.min(), years.max()]))


def _peak_mb() -> float:
    """This process's peak resident memory in MB (``ru_maxrss`` is in kB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(name: str, facts_path: Path, repeat: int) -> dict[str, object]:
    """In a child: load the facts, run one function ``repeat`` times; best wall time, its CPU time, peak memory.

    ``"(load only)"`` runs nothing: the memory of the facts themselves, for reference.
    """
    facts = pl.read_parquet(facts_path)
    index = functions().get(name, lambda f: f.head(0))
    loaded = _peak_mb()
    best, best_cpu, rows = float("inf"), float("inf"), 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu()
        rows = index(facts).height
        elapsed, used = time.perf_counter() - start, _cpu() - cpu
        if elapsed < best:
            best, best_cpu = elapsed, used
    return {"name": name, "seconds": best, "cpu": best_cpu, "loaded_mb": loaded, "peak_mb": _peak_mb(), "rows": rows}


def facts_from_warehouse(path: Path) -> pl.DataFrame:
    import duckdb

    from warehouse.db import sql_text

    con = duckdb.connect(str(path), read_only=True)
    try:  # the build's own query, one year at a time, as the marts read the facts
        years = [y for (y,) in con.sql("select distinct year from fact_regional_industry order by year").fetchall()]
        text = sql_text("queries/build_regional_facts_year.sql")
        return pl.concat([con.sql(text, params={"year": y}).pl() for y in years])
    finally:
        con.close()


def facts_from_synth(scale: str) -> pl.DataFrame:
    """``write_synthetic`` upload files, regional-industry.csv read into the long facts (levels from the dims)."""
    from pipeline.demo.synth import write_synthetic

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_synthetic(out, scale)
        codes = {"code": pl.String}
        regions = pl.read_csv(out / "regions.csv", schema_overrides=codes).select(
            region_code="code", region_level="level"
        )
        industries = pl.read_csv(out / "industries.csv", schema_overrides=codes).select(
            industry_code="code", industry_level="level"
        )
        regional = pl.read_csv(
            out / "regional-industry.csv", schema_overrides={"region_code": pl.String, "industry_code": pl.String}
        )
    measures = [m for m in MEASURES if m in regional.columns]
    long = regional.unpivot(
        index=["region_code", "industry_code", "year"], on=measures, variable_name="measure", value_name="value"
    ).with_columns(pl.col("value").cast(pl.Float64))
    return (
        long.join(regions, on="region_code", how="left")
        .join(industries, on="industry_code", how="left")
        .select("year", "measure", "region_level", "industry_level", "region_code", "industry_code", "value")
    )


def prepare(args: argparse.Namespace, out: Path) -> dict[str, object]:
    """In a child: load the facts from their source, write them to ``out`` (parquet) and describe them."""
    if args.facts:
        facts, origin = pl.read_parquet(args.facts), str(args.facts)
    elif args.synth:
        facts, origin = facts_from_synth(args.synth), f"pipeline.demo.synth ({args.synth})"
    else:
        facts, origin = facts_from_warehouse(args.warehouse), str(args.warehouse)
    if not args.facts:
        facts.write_parquet(out)
    cells = facts.group_by(LEVELS).agg(pl.col("region_code").n_unique() * pl.col("industry_code").n_unique())
    return {
        "origin": origin,
        "rows": facts.height,
        "partitions": facts.select(LEVELS).n_unique(),
        "regions": facts["region_code"].n_unique(),
        "industries": facts["industry_code"].n_unique(),
        "cells": int(cells.to_series(-1).sum()),
    }


def _child(*arguments: str) -> dict[str, object]:
    """Run this script with ``arguments`` in a fresh process; its last output line, as JSON."""
    done = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        raise RuntimeError((done.stderr.strip().splitlines() or ["(no message)"])[-1])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--facts", type=Path, help="a parquet file of the long facts")
    source.add_argument("--warehouse", type=Path, help="a built warehouse.duckdb")
    source.add_argument("--synth", choices=["province", "national", "census"], help="generate with pipeline.demo.synth")
    parser.add_argument("--only", help="comma-separated parts of function names to run (e.g. krugman,gini)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per function; the best is reported")
    parser.add_argument("--target", type=float, default=2.0, help="seconds a function should stay within")
    parser.add_argument("--save", type=Path, help="write the facts to this parquet file (kept for --facts)")
    parser.add_argument("--json", action="store_true", help="print one JSON line per function instead of a table")
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    # Children do the work: a process inherits its parent's peak memory (ru_maxrss survives fork and exec), so the
    # parent never holds the facts, and each function's peak is its own.
    if args.run:
        print(json.dumps(run_one(args.run, args.facts, args.repeat)))
        return 0
    if args.prepare:
        print(json.dumps(prepare(args, args.prepare)))
        return 0

    if not (args.facts or args.synth or args.warehouse):
        args.synth = "national"
    if args.warehouse and not args.warehouse.exists():
        parser.error(f"no warehouse at {args.warehouse}: give --warehouse, --facts or --synth")
    facts_path = args.facts or args.save or Path(tempfile.mkdtemp(prefix="bench_indices_")) / "facts.parquet"
    source_args = (
        ["--facts", str(args.facts)] if args.facts
        else ["--synth", args.synth] if args.synth
        else ["--warehouse", str(args.warehouse)]
    )  # fmt: skip
    about = _child("--prepare", str(facts_path), *source_args)
    print(
        f"facts: {about['origin']}: {about['rows']:,} rows, {about['partitions']} partitions, "
        f"{about['regions']:,} regions x {about['industries']:,} industries "
        f"({about['rows'] / max(about['cells'], 1):.0%} of the {about['cells']:,} cells present)",  # type: ignore[operator]
        flush=True,
    )

    names = ["(load only)", *functions()]
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        names = ["(load only)", *(n for n in functions() if any(w in n for w in wanted))]
    if not args.json:
        print(f"{'function':<44} {'seconds':>8} {'cpu s':>7} {'peak MB':>8} {'+MB':>7} {'rows':>10}", flush=True)
    over = []
    for name in names:
        try:
            result = _child("--run", name, "--facts", str(facts_path), "--repeat", str(args.repeat))
        except RuntimeError as failure:
            print(f"{name:<44} failed: {failure}", flush=True)
            over.append(name)
            continue
        if args.json:
            print(json.dumps(result), flush=True)
            continue
        grew = result["peak_mb"] - result["loaded_mb"]  # type: ignore[operator]
        late = result["seconds"] > args.target  # type: ignore[operator]
        print(
            f"{name:<44} {result['seconds']:>8.2f} {result['cpu']:>7.2f} {result['peak_mb']:>8.0f} {grew:>7.0f} "
            f"{result['rows']:>10,}{'  > target' if late else ''}",
            flush=True,
        )
        if late:
            over.append(name)
    if not args.json:
        print(f"over {args.target:g} s: {', '.join(over) if over else 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
