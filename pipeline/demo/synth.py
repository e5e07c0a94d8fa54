"""Seeded synthetic upload files at scale, for benchmarks and trials (``clusterstats synth``).

Scales (records over ten years; the regions, industries and firms are synthetic and named so):

========  =========  ==========  =========================  ===================
scale     regions    industries  regional-industry records  firm-year records
========  =========  ==========  =========================  ===================
province  14         200         about 7,000                100,000
national  285        1,380       about 800,000              2,500,000
census    2,850      1,380       about 8,000,000            25,000,000
========  =========  ==========  =========================  ===================

Region and industry sizes are log-normal, an industry is present in a region with a probability that grows with
both sizes (sparse, realistic skew: big regions host most industries, small ones few), values grow by a random
walk over the years, and firm sizes are Pareto within their region-industry cell. Every file is written in the
upload format of its kind, with English canonical headers, ready for ``clusterstats ingest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

SEED = 20240601


@dataclass(frozen=True)
class Scale:
    regions: int
    industries: int
    firm_years: int
    clusters: int
    density: float = 0.2  # share of region x industry cells present
    years: tuple[int, int] = (2013, 2022)


SCALES = {
    "province": Scale(regions=14, industries=200, firm_years=100_000, clusters=30, density=0.25),
    "national": Scale(regions=285, industries=1380, firm_years=2_500_000, clusters=120),
    "census": Scale(regions=2850, industries=1380, firm_years=25_000_000, clusters=1200),
}

#: The kinds in landing order, each written to ``<kind>.csv``.
FILES = ("regions", "industries", "cluster-categories", "clusters", "cluster-industries", "regional-industry",
         "cluster-indicators", "firms")


def _regions(n: int) -> pl.DataFrame:
    provinces = min(31, max(1, n // 90))
    per = -(-n // provinces)
    province = np.arange(n) // per
    codes = [f"{11 + p:02d}{(i % per) + 1:04d}" for i, p in enumerate(province)]
    level = "city" if n <= 300 else "county"
    rows = pl.DataFrame({
        "code": codes, "name": [f"合成地区{i + 1:04d}" for i in range(n)],
        "name_en": [f"Synthetic region {i + 1:04d}" for i in range(n)],
        "parent_code": [f"{11 + p:02d}0000" for p in province], "level": level,
    })
    parents = pl.DataFrame({
        "code": [f"{11 + p:02d}0000" for p in range(provinces)],
        "name": [f"合成省{p + 1:02d}" for p in range(provinces)],
        "name_en": [f"Synthetic province {p + 1:02d}" for p in range(provinces)],
        "parent_code": "000000", "level": "province",
    })
    country = pl.DataFrame({"code": ["000000"], "name": ["合成国家"], "name_en": ["Synthetic country"],
                            "parent_code": [None], "level": ["country"]}, schema_overrides={"parent_code": pl.String})
    return pl.concat([country, parents, rows], how="diagonal_relaxed")


def _industries(n: int) -> pl.DataFrame:
    divisions = min(97, max(1, n // 14))
    division = np.arange(n) * divisions // n
    per_division = np.bincount(division)
    offset = np.concatenate([[0], np.cumsum(per_division)[:-1]])
    within = np.arange(n) - offset[division]
    classes = pl.DataFrame({
        "code": [f"{d + 1:02d}{w + 1:02d}" for d, w in zip(division, within, strict=True)],
        "name": [f"合成行业{i + 1:04d}" for i in range(n)],
        "name_en": [f"Synthetic industry {i + 1:04d}" for i in range(n)],
        "parent_code": [f"{d + 1:02d}" for d in division], "level": "class", "classification": "synthetic 4754-like",
    })
    divs = pl.DataFrame({
        "code": [f"{d + 1:02d}" for d in range(divisions)], "name": [f"合成大类{d + 1:02d}" for d in range(divisions)],
        "name_en": [f"Synthetic division {d + 1:02d}" for d in range(divisions)], "parent_code": None,
        "level": "division", "classification": "synthetic 4754-like",
    }, schema_overrides={"parent_code": pl.String})
    return pl.concat([divs, classes], how="diagonal_relaxed")


def _cells(rng: np.random.Generator, scale: Scale) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Present (region index, industry index, base employment) cells, sparse with realistic skew."""
    r_size = rng.lognormal(0.0, 1.2, scale.regions)
    i_size = rng.lognormal(0.0, 1.5, scale.industries)
    attraction = np.outer(r_size / r_size.mean(), i_size / i_size.mean())
    # presence probability 1 - exp(-k * attraction), k chosen so that the mean presence is the target density
    lo, hi = 1e-4, 100.0
    for _ in range(40):
        k = (lo * hi) ** 0.5
        if (1 - np.exp(-k * attraction)).mean() < scale.density:
            lo = k
        else:
            hi = k
    present = rng.random(attraction.shape) < 1 - np.exp(-k * attraction)
    r_idx, i_idx = np.nonzero(present)
    base = 40.0 * attraction[r_idx, i_idx] * rng.lognormal(0.0, 0.6, r_idx.size) + 3
    return r_idx, i_idx, base


def write_synthetic(out: Path, scale: str = "province", *, seed: int = SEED) -> list[tuple[str, Path]]:
    """Write the upload files of ``scale`` into ``out``; returns (kind, path) in landing order."""
    spec = SCALES[scale]
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    regions, industries = _regions(spec.regions), _industries(spec.industries)
    region_codes = regions.filter(pl.col("level").is_in(["city", "county"])).get_column("code").to_numpy()
    class_codes = industries.filter(pl.col("level") == "class").get_column("code").to_numpy()
    years = np.arange(spec.years[0], spec.years[1] + 1)

    r_idx, i_idx, base = _cells(rng, spec)
    n_cells, n_years = r_idx.size, years.size
    walk = np.cumprod(rng.normal(1.02, 0.06, (n_years, n_cells)).clip(0.5, 1.6), axis=0)
    employment = np.rint(base[None, :] * walk).astype(np.int64).clip(1)
    productivity = rng.lognormal(13.5, 0.5, spec.industries)[i_idx]  # yuan of output per employee (~700k)
    regional = pl.DataFrame({
        "region_code": np.tile(region_codes[r_idx], n_years), "industry_code": np.tile(class_codes[i_idx], n_years),
        "year": np.repeat(years, n_cells), "employment": employment.ravel(),
        "establishments": np.maximum(1, employment.ravel() // 40),
        "output_value": np.rint(employment.ravel() * np.tile(productivity, n_years)),
        "wages": np.rint(employment.ravel() * 85_000.0),
    })

    categories, clusters, mapping = _clusters(rng, spec, regions, class_codes, region_codes)
    firms = _firms(rng, spec, r_idx, i_idx, base, region_codes, class_codes, years, mapping)
    indicators = (firms.filter(pl.col("cluster_code").is_not_null())
                  .group_by("cluster_code", "year").agg(pl.col("employment").sum(), pl.col("output_value").sum(),
                                                       pl.len().alias("firms"))
                  .with_columns((pl.col("output_value") * 0.02).round(0).alias("rd_spending"),
                                (pl.col("output_value") * 0.12).round(0).alias("exports"))
                  .sort("cluster_code", "year"))
    frames = {
        "regions": regions, "industries": industries, "cluster-categories": categories, "clusters": clusters,
        "cluster-industries": mapping.rename({"cluster_code": "category_code"}).with_columns(
            pl.col("category_code").str.replace("SYN-", "SYC-")),
        "regional-industry": regional, "cluster-indicators": indicators, "firms": firms,
    }
    written = []
    for kind in FILES:
        path = out / f"{kind}.csv"
        frames[kind].write_csv(path)
        written.append((kind, path))
    return written


def _clusters(rng: np.random.Generator, spec: Scale, regions: pl.DataFrame, class_codes: np.ndarray,
              region_codes: np.ndarray) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Categories (one per named cluster, SYC-...), the named clusters (SYN-...) and the map, keyed by cluster here
    (the firms draw their cluster from it) and by category in the file."""
    n = spec.clusters
    codes = [f"SYN-{i + 1:05d}" for i in range(n)]
    categories = pl.DataFrame({
        "code": [f"SYC-{i + 1:05d}" for i in range(n)], "name": [f"合成集群类别{i + 1:05d}" for i in range(n)],
        "name_en": [f"Synthetic category {i + 1:05d}" for i in range(n)],
    })
    clusters = pl.DataFrame({
        "code": codes, "name": [f"合成产业集群{i + 1:05d}" for i in range(n)],
        "name_en": [f"Synthetic cluster {i + 1:05d}" for i in range(n)],
        "tier": np.where(rng.random(n) < 0.275, "emerging", "mainstay"), "category": "synthetic",
        "category_code": categories.get_column("code"),
        "lead_region": region_codes[rng.integers(0, region_codes.size, n)],
        "description": "Synthetic benchmark record.",
    })
    sizes = rng.integers(2, 6, n)
    mapping = pl.DataFrame({
        "cluster_code": np.repeat(codes, sizes),
        "industry_code": class_codes[rng.integers(0, class_codes.size, int(sizes.sum()))],
        "weight": 1.0,
    }).unique(["cluster_code", "industry_code"], keep="first", maintain_order=True)
    return categories, clusters, mapping


def _firms(rng: np.random.Generator, spec: Scale, r_idx: np.ndarray, i_idx: np.ndarray, base: np.ndarray,
           region_codes: np.ndarray, class_codes: np.ndarray, years: np.ndarray,
           mapping: pl.DataFrame) -> pl.DataFrame:
    n_firms = spec.firm_years // years.size
    cell = rng.choice(r_idx.size, size=n_firms, p=base / base.sum())  # firms where the employment is
    industry = class_codes[i_idx[cell]]
    size = (rng.pareto(1.6, n_firms) + 1) * 5
    growth = np.cumprod(rng.normal(1.02, 0.08, (years.size, n_firms)).clip(0.5, 1.6), axis=0)
    employment = np.rint(size[None, :] * growth).astype(np.int64).clip(1).ravel()
    ids = np.char.add("F", np.char.zfill(np.arange(1, n_firms + 1).astype(str), 9))
    output = np.rint(employment * 700_000.0 * rng.lognormal(0, 0.3, employment.size))
    firms = pl.DataFrame({
        "firm_id": np.tile(ids, years.size), "year": np.repeat(years, n_firms),
        "region_code": np.tile(region_codes[r_idx[cell]], years.size), "industry_code": np.tile(industry, years.size),
        "employment": employment, "output_value": output,
    })
    first_cluster = mapping.unique("industry_code", keep="first", maintain_order=True).select(
        "industry_code", "cluster_code")
    return firms.join(first_cluster, on="industry_code", how="left", maintain_order="left").select(
        "firm_id", "year", "region_code", "industry_code", "cluster_code", "employment", "output_value")
