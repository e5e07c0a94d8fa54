"""One measured step of the benchmark, run in its own process so its peak memory is its own.

    python -m benchmarks.steps STEP DATA_DIR FILES_DIR   -> prints one JSON line {"seconds": ..., ...}

Each step measures the same work twice: ``seconds`` on the wall clock, ``cpu_seconds`` the CPU time of every thread
of this process (DuckDB, polars and BLAS use both cores, so it may exceed the wall time).
"""

from __future__ import annotations

import dataclasses
import json
import resource
import sys
import time
from pathlib import Path

import polars as pl


def _peak_mib() -> float:
    """This process's peak resident memory. VmHWM belongs to the process's own address space; ru_maxrss would
    also count the parent's memory at fork (Linux keeps the high-water mark across fork and exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _start() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _took(start: tuple[float, float]) -> dict[str, float]:
    """Wall and CPU seconds since ``start``."""
    return {"seconds": time.perf_counter() - start[0], "cpu_seconds": time.process_time() - start[1]}


def duckdb_read(files: Path, name: str) -> dict[str, float]:
    """The floor for ingest: DuckDB reading the same CSV into a table, no checks."""
    import duckdb

    con = duckdb.connect(":memory:")
    start = _start()
    con.sql(f"create table t as select * from read_csv('{files / name}', header = true)")
    rows = con.sql("select count(*) from t").fetchall()[0][0]
    return {**_took(start), "rows": rows}


def ingest(data: Path, files: Path, kind: str) -> dict[str, float]:
    """clusterstats ingest (read, validate, land) of one file, dictionaries already landed."""
    from pipeline.core.settings import Settings
    from pipeline.ingest import ingest_file

    path = files / f"{kind}.csv"
    start = _start()
    # the administrator's limit (clusterstats ingest --max-size) raised to the file: census files are over 200 MB
    result = ingest_file(Settings.from_env(data), path, kind, who="bench", max_bytes=path.stat().st_size + 1)
    return {**_took(start), "rows": result.upload.rows}


def recompute(data: Path) -> dict[str, float]:
    from pipeline.core.settings import Settings
    from pipeline.jobs import recompute as run

    start = _start()
    result = run(Settings.from_env(data), trigger="bench", who="bench")
    return {**_took(start), "uploads": result.uploads}


def _facts(data: Path):
    """The landed regional-industry records in long form (what the index step reads)."""
    import polars as pl

    files = sorted((data / "landing" / "regional-industry").glob("*.parquet"))
    wide = pl.read_parquet(files)
    return wide.unpivot(index=["region_code", "industry_code", "year"], on=["employment", "output_value"],
                        variable_name="measure").drop_nulls("value")


def index_code(data: Path) -> dict[str, float]:
    """LQ and geographic HHI through the project's own index functions."""
    from pipeline.indices import herfindahl, location_quotient

    facts = _facts(data)
    start = _start()
    lq = location_quotient(facts, by=("year", "measure"))
    hhi = herfindahl(facts, unit="region_code", group="industry_code", by=("year", "measure"))
    return {**_took(start), "rows": lq.height + hhi.height}


def sql_floor(data: Path) -> dict[str, float]:
    """The same LQ and HHI as one hand-written DuckDB query over the same in-memory records (the floor)."""
    import duckdb

    facts = _facts(data)
    con = duckdb.connect(":memory:")
    con.register("facts", facts)
    start = _start()
    lq = con.sql("""
        select region_code, industry_code, year, measure,
               (value / sum(value) over (partition by year, measure, region_code))
             / (sum(value) over (partition by year, measure, industry_code)
                / sum(value) over (partition by year, measure)) as lq
        from facts""").pl()
    hhi = con.sql("""
        with s as (select year, measure, industry_code,
                          value / sum(value) over (partition by year, measure, industry_code) as share from facts)
        select year, measure, industry_code, sum(share * share) as hhi from s group by all""").pl()
    return {**_took(start), "rows": lq.height + hhi.height}


def pandas_way(data: Path) -> dict[str, float]:
    """LQ and HHI the way an analyst writes them in pandas (groupby-transform)."""
    facts = _facts(data).to_pandas()
    start = _start()
    df = facts.copy()
    df["e_r"] = df.groupby(["year", "measure", "region_code"])["value"].transform("sum")
    df["e_i"] = df.groupby(["year", "measure", "industry_code"])["value"].transform("sum")
    df["e"] = df.groupby(["year", "measure"])["value"].transform("sum")
    df["lq"] = (df["value"] / df["e_r"]) / (df["e_i"] / df["e"])
    df["share"] = df["value"] / df["e_i"]
    hhi = (df["share"] ** 2).groupby([df["year"], df["measure"], df["industry_code"]]).sum()
    return {**_took(start), "rows": len(df) + len(hhi)}


def ui_loaders(data: Path) -> dict[str, float]:
    """Every warehouse read behind the app's cached loaders (ui/data.py), each timed cold in this process; the
    slowest is reported. Parameters are those a page opens with: the newest year, the first cluster and region."""
    from warehouse import queries

    path = data / "warehouse.duckdb"
    year = queries.score_years(path)[0]
    codes = queries.cluster_list(path, year).get_column("cluster_code").to_list()
    lv = queries.levels(path) or {"region_level": None, "industry_level": None}
    dicts = queries.dictionaries(path)
    region = dicts["regions"].filter(pl.col("level") == lv["region_level"]).get_column("code")[0] \
        if lv["region_level"] else None
    pairs = dicts["year_pairs"]
    start, end = (pairs.row(0)[:2] if pairs.height else (None, None))
    levels = {"region_level": lv["region_level"], "industry_level": lv["industry_level"]}
    calls = {
        "dictionaries": lambda: queries.dictionaries(path),
        "overview": lambda: queries.overview(path, year, "employment", **levels),
        "ranking": lambda: queries.ranking(path, year),
        "scorecard": lambda: queries.scorecard(path, codes[0], year, region_level=lv["region_level"]),
        "cluster_lq_by_region": lambda: queries.cluster_lq_by_region(path, codes[0], year, "employment"),
        "region_profile": lambda: queries.region_profile(path, region, year, "employment", **levels,
                                                         start_year=start, end_year=end),
        "city_indicators": lambda: queries.city_indicators(path, year, "employment", **levels),
        "industry_concentration": lambda: queries.industry_concentration(path, year, "employment", **levels),
        "compare_clusters": lambda: queries.compare_clusters(path, codes[:10], year),
        "data_quality": lambda: queries.data_quality(path),
        "scoring_inputs (methodology preview)": lambda: queries.scoring_inputs(path),
    }
    for family in queries.MATRICES:
        calls[f"index_matrix:{family}"] = (lambda f=family: queries.index_matrix(
            path, f, measure="employment", **levels, year=year, start_year=start, end_year=end))
    times, rows = {}, {}
    for name, call in calls.items():
        began = time.perf_counter()
        out = call()
        times[name] = time.perf_counter() - began
        rows[name] = out.height if isinstance(out, pl.DataFrame) else sum(
            f.height for f in out.values() if isinstance(f, pl.DataFrame)) if isinstance(out, dict) else 1
    slowest = max(times, key=times.__getitem__)
    return {"seconds": times[slowest], "slowest": slowest, "loaders": times, "loader_rows": rows}


def protect(data: Path, method: str) -> dict[str, float]:
    """Disclosure control of the newest year's regional-industry employment table of the official build (every
    level of both hierarchies and every category; firms and establishment counts behind the cells), by Gaussian
    elimination with the attacker's programmes, or by certificates: the same table in, its suppression pattern
    out, every primary cell protected +-10 %."""
    from pipeline.publishing.disclosure import protect_tables
    from pipeline.scoring import Methodology
    from warehouse.disclosure import disclosure_inputs

    inputs = disclosure_inputs(data / "warehouse.duckdb")
    year = inputs["facts"].get_column("year").max()
    inputs["facts"] = inputs["facts"].filter((pl.col("year") == year)
                                             & pl.col("measure").is_in(["employment", "establishments"]))
    options = dataclasses.replace(Methodology.default().disclosure, method=method)
    start = _start()
    (table,) = protect_tables(inputs, options)
    cells = table.result["cells"]
    return {**_took(start), "rows": cells.height, "method": table.result["method"],
            "primary": int(cells.get_column("primary").sum()), "suppressed": int(cells.get_column("suppressed").sum()),
            "leans_on_singleton": int(cells.get_column("leans_on_singleton").sum())}


def main() -> None:
    step, data, files = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    if step.startswith("duckdb_read:"):
        out = duckdb_read(files, step.split(":", 1)[1])
    elif step.startswith("ingest:"):
        out = ingest(data, files, step.split(":", 1)[1])
    elif step.startswith("protect:"):
        out = protect(data, step.split(":", 1)[1])
    else:
        out = {"recompute": lambda: recompute(data), "index_code": lambda: index_code(data),
               "sql_floor": lambda: sql_floor(data), "pandas_way": lambda: pandas_way(data),
               "ui_loaders": lambda: ui_loaders(data)}[step]()
    out["peak_mib"] = _peak_mib()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
