"""`make bench`: time and peak memory of each step on the same synthetic files, with baselines in the same run.

    python -m benchmarks.run [--scale province|national|census] [--out FILE.json] [--keep DIR]

Steps (each in its own process, so its peak memory is its own): write the synthetic upload files; DuckDB's bare
read of the regional-industry and firm CSVs (the ingest floor); `ingest` of the same files (read, validate,
land); a full `recompute`, twice (the second, as a scheduled one, with a build before it to write the change
report against); LQ and HHI through the project's index functions, as one hand-written DuckDB query
(the floor) and the way an analyst writes them in pandas; every query the app's pages run. Prints a table with
the ratios the targets are stated in and writes everything to a JSON file. Times are never asserted by tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DICTIONARIES = ("regions", "industries", "cluster-categories", "clusters", "cluster-industries")


def _step(step: str, data: Path, files: Path) -> dict:
    out = subprocess.run([sys.executable, "-m", "benchmarks.steps", step, str(data), str(files)], cwd=REPO,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"benchmark step {step} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"  {step:<40} {result['seconds']:9.2f} s {result.get('cpu_seconds', 0):9.2f} s CPU "
          f"{result['peak_mib']:9.0f} MiB", flush=True)  # as it goes
    return result


def run(scale: str, work: Path) -> dict:
    from pipeline.core.settings import Settings
    from pipeline.demo.synth import write_synthetic
    from pipeline.ingest import ingest_file

    files, data = work / "files", work / "data"
    start = time.perf_counter()
    done = files / f".complete-{scale}"
    if not done.exists():  # a kept folder (--keep) reuses its files: the generator is seeded
        write_synthetic(files, scale)
        done.touch()
    results: dict = {"scale": scale, "synth_seconds": time.perf_counter() - start}
    if data.exists():  # a kept folder starts from an empty data directory each run
        shutil.rmtree(data)
    settings = Settings.from_env(data)
    for kind in DICTIONARIES:
        ingest_file(settings, files / f"{kind}.csv", kind, who="bench")
    for kind in ("regional-industry", "firms"):
        results[f"duckdb_read:{kind}"] = _step(f"duckdb_read:{kind}.csv", data, files)
        results[f"ingest:{kind}"] = _step(f"ingest:{kind}", data, files)
    ingest_file(settings, files / "cluster-indicators.csv", "cluster-indicators", who="bench")
    results["recompute"] = _step("recompute", data, files)
    # the same again, as a scheduled recompute runs: with a build before it, so the change report compares them
    results["recompute_again"] = _step("recompute", data, files)
    for step in ("index_code", "sql_floor", "pandas_way", "ui_loaders"):
        results[step] = _step(step, data, files)
    # disclosure control of one year's county x class table (issue 17): Gaussian elimination where the table fits
    # in memory (the province), certificates at every scale
    methods = {"province": ("gauss", "certificates"), "national": ("certificates",), "census": ("certificates",)}[scale]
    for method in methods:
        results[f"protect:{method}"] = _step(f"protect:{method}", data, files)
    return results


def machine() -> str:
    """The CPU model, cores, memory and the versions the figures depend on."""
    import os

    import duckdb
    import polars as pl

    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return (f"{model} ({platform.machine()}), {os.cpu_count()} cores, {memory:.0f} GiB; Python "
            f"{platform.python_version()}, polars {pl.__version__}, duckdb {duckdb.__version__}")


def ratios(r: dict) -> dict[str, float]:
    return {
        "ingest regional-industry / DuckDB read": r["ingest:regional-industry"]["seconds"]
        / r["duckdb_read:regional-industry"]["seconds"],
        "ingest firms / DuckDB read": r["ingest:firms"]["seconds"] / r["duckdb_read:firms"]["seconds"],
        "LQ+HHI index code / SQL floor": r["index_code"]["seconds"] / r["sql_floor"]["seconds"],
        "pandas / LQ+HHI index code": r["pandas_way"]["seconds"] / r["index_code"]["seconds"],
    }


def table(r: dict) -> str:
    lines = [f"clusterstats benchmark, scale {r['scale']}, {r['machine']}", "",
             f"{'step':<32} {'seconds':>9} {'CPU s':>9} {'peak MiB':>9} {'rows':>11}"]
    for key, value in r.items():
        if isinstance(value, dict) and "seconds" in value:
            rows, cpu = value.get("rows", ""), value.get("cpu_seconds", float("nan"))
            lines.append(f"{key:<32} {value['seconds']:>9.2f} {cpu:>9.2f} {value['peak_mib']:>9.0f} {rows!s:>11}")
    lines.append(f"{'slowest UI loader':<32} {r['ui_loaders']['slowest']}")
    lines += ["", "UI loaders (seconds, target < 0.3 each):"]
    lines += [f"  {name:<40} {seconds:6.3f}"
              for name, seconds in sorted(r["ui_loaders"]["loaders"].items(), key=lambda kv: -kv[1])]
    lines += ["", "ratios (targets: ingest <= 2.5, index/SQL <= 1.5, pandas/index >= 5):"]
    lines += [f"  {name:<40} {value:6.2f}" for name, value in r["ratios"].items()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["province", "national", "census"], default="province")
    parser.add_argument("--out", type=Path, default=None, help="JSON file (default benchmarks/results/...)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clusterstats-bench-") as tmp:
        work = args.keep or Path(tmp)
        results = run(args.scale, work)
    results["ratios"] = ratios(results)
    results["machine"] = machine()
    results["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    out = args.out or REPO / "benchmarks" / "results" / f"{args.scale}-{results['when'][:10]}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(table(results))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
