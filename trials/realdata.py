"""Real public data through clusterstats as a user would run it: upload files, `clusterstats ingest`, `recompute`.

Writes upload files from ../shared/data (never copied into the repository), lands them with the CLI into a data
directory, rebuilds, and compares the warehouse's location quotients with the ones the data's publishers printed:

- U.S. Cluster Mapping Project 2016, states x clusters: USCMP's own `lq_tf`, computed against the traded (or local)
  employment base. Clusters are uploaded as an industry classification whose level is "traded" or "local", so the
  warehouse's LQ, which compares industries of one level only, uses exactly that base.
- REAT's German Laender x WZ 2008 sections (2015): REAT's `locq2` example (internal reference).

    python trials/realdata.py            # prints the figures (used in the issue note)
"""

from __future__ import annotations

import csv
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def uscmp_upload_files(out: Path, shared: Path = SHARED) -> list[tuple[str, Path]]:
    """USCMP 2016 state x cluster data as upload files, the clusters loaded as cluster categories (what USCMP calls a
    "cluster" is a category: a set of industries measured in every state).

    The sample holds cluster totals, not the 6-digit NAICS records behind them, so the industry dictionary has one
    entry per USCMP cluster (levels "traded" and "local", so that every index compares a cluster with the traded or
    the local total, as USCMP's lq_tf does) and each category maps to its own entry with weight 1. The categories'
    parents are the two types, traded and local."""
    clusters = list(csv.DictReader((shared / "uscmp" / "uscmp_clusters.csv").open(encoding="utf-8")))
    states = list(csv.DictReader((shared / "uscmp" / "uscmp_states_clusters_2016.csv").open(encoding="utf-8")))
    regions = {r["region_code_t"]: r["region_name_t"] for r in states}

    def kind(c: dict[str, str]) -> str:
        return "traded" if c["traded"] == "True" else "local"

    files = [
        ("regions", _write(out / "us_states.csv", ["code", "name", "name_en", "parent_code", "level"],
                           [["US", "United States", "United States", "", "country"]]
                           + [[c, n, n, "US", "state"] for c, n in sorted(regions.items())])),
        ("industries", _write(out / "uscmp_clusters.csv", ["code", "name", "name_en", "level", "classification"],
                              [[c["cluster_code"], c["cluster_name"], c["cluster_name"], kind(c),
                                "USCMP 2016 cluster definitions"] for c in clusters])),
        ("cluster-categories", _write(out / "uscmp_categories.csv", ["code", "name", "name_en", "parent_code"],
                                      [["TRADED", "Traded clusters", "Traded clusters", ""],
                                       ["LOCAL", "Local clusters", "Local clusters", ""]]
                                      + [[c["cluster_code"], c["cluster_name"], c["cluster_name"], kind(c).upper()]
                                         for c in clusters])),
        ("cluster-industries", _write(out / "uscmp_category_industries.csv",
                                      ["category_code", "industry_code", "weight"],
                                      [[c["cluster_code"], c["cluster_code"], 1] for c in clusters])),
        ("regional-industry", _write(out / "uscmp_states_2016.csv",
                                     ["region_code", "industry_code", "year", "employment", "establishments"],
                                     [[r["region_code_t"], r["cluster_code_t"], r["year_t"], r["emp_tl"], r["est_tl"]]
                                      for r in states])),
    ]
    return files


def reat_laender_upload_files(out: Path, shared: Path = SHARED) -> list[tuple[str, Path]]:
    """REAT's German Laender x WZ 2008 sections (2015) as upload files; firms become establishments."""
    rows = list(csv.DictReader((shared / "reat" / "G_regions_industries.csv").open(encoding="utf-8")))
    regions = {r["region_code"]: r["region"] for r in rows}
    industries = {r["ind_code"]: r["ind_name"] for r in rows}
    return [
        ("regions", _write(out / "laender.csv", ["code", "name", "parent_code", "level"],
                           [["DE", "Deutschland", "", "country"]]
                           + [[c, n, "DE", "state"] for c, n in sorted(regions.items())])),
        ("industries", _write(out / "wz2008.csv", ["code", "name", "level", "classification"],
                              [[c, n, "section", "WZ 2008"] for c, n in sorted(industries.items())])),
        ("regional-industry", _write(out / "laender_2015.csv",
                                     ["region_code", "industry_code", "year", "employment", "establishments"],
                                     [[r["region_code"], r["ind_code"], r["year"], r["emp_all"], r["firms"]]
                                      for r in rows])),
    ]


def land_and_build(files: list[tuple[str, Path]], data_dir: Path) -> None:
    """`clusterstats ingest` every file, then `clusterstats recompute`, as a user would at the shell."""
    base = [sys.executable, "-m", "pipeline.cli", "--data-dir", str(data_dir)]
    for kind, path in files:
        subprocess.run([*base, "ingest", str(path), "--kind", kind], check=True, capture_output=True, text=True)
    subprocess.run([*base, "recompute"], check=True, capture_output=True, text=True)


def warehouse_lq(data_dir: Path, measure: str = "employment") -> dict[tuple[str, str], float | None]:
    """(region, industry) -> LQ from the live warehouse's mart."""
    from warehouse.db import read_only

    with read_only(data_dir / "warehouse.duckdb") as con:
        rows = con.sql("select region_code, industry_code, lq from mart_location_quotient where measure = ?",
                       params=[measure]).fetchall()
    return {(r, i): lq for r, i, lq in rows}


def warehouse_categories(data_dir: Path, measure: str = "employment") -> dict[tuple[str, str], tuple]:
    """(state, category) -> (category LQ, strong) from the live warehouse's category marts."""
    from warehouse.db import read_only

    with read_only(data_dir / "warehouse.duckdb") as con:
        rows = con.sql("""select l.region_code, l.category_code, l.lq, s.strong from mart_category_lq l
                          left join mart_category_strength s using (year, region_level, industry_level, region_code,
                                                                    category_code)
                          where l.measure = ?""", params=[measure]).fetchall()
    return {(r, c): (lq, strong) for r, c, lq, strong in rows}


def uscmp_comparison(data_dir: Path, shared: Path = SHARED) -> dict[str, object]:
    """Relative errors of the warehouse's category LQs against USCMP's published lq_tf, by cluster type, and the
    strong flags against USCMP's strong_b (traded clusters; the local ones have none)."""
    ours = warehouse_categories(data_dir)
    errors: dict[str, list[float]] = {"traded": [], "local": []}
    zeros = 0
    strong = {"agree": 0, "differ": [], "published": 0, "ours": 0}
    for r in csv.DictReader((shared / "uscmp" / "uscmp_states_clusters_2016.csv").open(encoding="utf-8")):
        published = float(r["lq_tf"])
        lq, flag = ours[(r["region_code_t"], r["cluster_code_t"])]
        if r["strong_b"] in ("TRUE", "FALSE"):
            theirs = r["strong_b"] == "TRUE"
            strong["published"] += theirs
            strong["ours"] += bool(flag)
            if bool(flag) == theirs:
                strong["agree"] += 1
            else:
                strong["differ"].append((r["region_code_t"], r["cluster_code_t"]))
        if published == 0:
            zeros += lq == 0
            continue
        errors[r["cluster_type"]].append(abs(lq - published) / published)
    every = errors["traded"] + errors["local"]
    return {
        "cells": len(every),
        "zero_cells_agreeing": zeros,
        "median_relative_error": statistics.median(every),
        "median_relative_error_traded": statistics.median(errors["traded"]),
        "median_relative_error_local": statistics.median(errors["local"]),
        "max_relative_error": max(every),
        "strong": strong,
    }


def main() -> None:
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / "us").mkdir()
        land_and_build(uscmp_upload_files(out / "us"), out / "us-data")
        print("USCMP 2016 states x clusters:", json.dumps(uscmp_comparison(out / "us-data"), indent=2))
        (out / "de").mkdir()
        land_and_build(reat_laender_upload_files(out / "de"), out / "de-data")
        lq = warehouse_lq(out / "de-data")
        print("REAT Laender 2015, employment LQ, a few cells:",
              {f"{r}/{i}": round(v, 6) for (r, i), v in sorted(lq.items())[:5]})


if __name__ == "__main__":
    main()
