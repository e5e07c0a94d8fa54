"""The synthetic Liaoning economy behind the demo files: the cluster plan and every series over time.

Everything real is in :mod:`pipeline.demo.catalog` (codes, names, specialisations); every number is made up
here from one seed, in the schemas' canonical names and in whole hundreds of yuan (firms in yuan). The demo
files (:mod:`pipeline.demo.files`) give the numbers the headers, units and formats a bureau would send.

    >>> economy = synthetic_economy(20240601, first_year=2013, last_year=2022)      # doctest: +SKIP
    >>> len(economy.clusters), economy.series["output_value"].shape                  # doctest: +SKIP
    (120, (120, 10))

Calibration (the last year): cluster output is the deterministic quantiles of a lognormal (median 1.7 bn
yuan, sigma 1.1) handed out by a seeded rank score, which gives 63% of the 120 clusters between 1 and 10 bn
yuan, a mean of about 3.1 bn, 6 above 10 bn and 38 below 1 bn, whatever the seed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import polars as pl

from pipeline.demo.catalog import (
    CITIES,
    CLUSTER_CATEGORIES,
    CLUSTER_PLAN,
    DIVISIONS,
    FIRM_NAME_FIRST,
    FIRM_NAME_MARK,
    FIRM_NAME_SECOND,
    MEMBER_CITIES,
    SECTORS,
    City,
    ClusterCategory,
    Sector,
)
from schemas import KINDS

OUTPUT_MEDIAN = 1.7e9  # yuan, cluster output in the last year
OUTPUT_SIGMA = 1.1
PROVINCE_OUTPUT = 2.5e12  # yuan, provincial output of the listed divisions in the first year
PROVINCE_GROWTH = 0.025
AVERAGE_WAGE = 45_000.0  # yuan per person, first year
MISSING_SHARE = 0.02  # cluster-indicator cells left empty (not reported), never output or employment
UNIT = 100  # money is generated in whole hundreds of yuan (0.01 万元), the precision of the 万元 files
#: the cluster indicators in hundreds of yuan; the rest count persons, firms, patents or tonnes of coal
MONEY = {"output_value", "rd_spending", "new_product_sales", "exports", "profit", "sme_output"}
ALWAYS_REPORTED = {"output_value", "employment"}
FIRM_COLUMNS = list(KINDS["firms"].columns)  # the canonical English names, in the schema's order


@dataclass(frozen=True)
class Mapping:
    """One row of the cluster -> industry map."""

    industry: str
    weight: float
    valid_from: int | None
    valid_to: int | None

    def applies(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_to is None or year <= self.valid_to
        )


@dataclass(frozen=True)
class Cluster:
    """A synthetic cluster of the plan."""

    code: str
    sub_zh: str
    sub_en: str
    sector: Sector
    city: City
    mappings: tuple[Mapping, ...]  # its category's divisions
    category: ClusterCategory
    members: tuple[str, ...] = ()  # member cities' codes beside the lead city

    @property
    def name(self) -> str:
        return f"{self.city.name.removesuffix('市')}{self.sub_zh}产业集群"

    @property
    def name_en(self) -> str:
        return f"{self.city.name_en} {self.sub_en} cluster"


@dataclass(frozen=True)
class Economy:
    """The demo's numbers: clusters, their indicator series (cluster, year) with the cells left unreported
    (flat masks, cluster-major), firm x year records and city x division x year records."""

    years: list[int]
    clusters: list[Cluster]
    series: dict[str, np.ndarray]
    unreported: dict[str, np.ndarray]
    firms: pl.DataFrame
    regional: pl.DataFrame


def synthetic_economy(seed: int, *, first_year: int, last_year: int) -> Economy:
    """The synthetic economy of ``seed`` over ``first_year`` to ``last_year`` (inclusive).

    One generator per part, spawned from :func:`numpy.random.default_rng`, so that the same seed gives the same
    numbers, byte for byte.
    """
    if first_year > last_year:
        raise ValueError(f"first_year {first_year} is after last_year {last_year}.")
    years = list(range(first_year, last_year + 1))
    rng_clusters, rng_output, rng_firms, rng_indicators, rng_regional = np.random.default_rng(seed).spawn(5)
    clusters = cluster_plan(rng_clusters, first_year=first_year)
    output = cluster_output(clusters, len(years), rng_output)
    n_firms, employment = cluster_size(clusters, output, rng_output)
    firms, new_firms = firm_records(clusters, years, output, employment, n_firms, rng_firms)
    series = cluster_series(clusters, output, employment, n_firms, new_firms, rng_indicators)
    unreported = unreported_cells(series, rng_indicators)
    regional = regional_records(clusters, years, series, rng_regional)
    return Economy(years, clusters, series, unreported, firms, regional)


def cluster_plan(rng: np.random.Generator, *, first_year: int) -> list[Cluster]:
    """The 120 named clusters of the plan, coded per sector (LN-EQ-001 ...), each of a cluster category whose
    divisions (weights, validity years) place the cluster's activity in the regional records."""
    del rng, first_year  # the plan is fixed; kept in the signature so that every part draws from its own stream
    categories = {c.code: c for c in CLUSTER_CATEGORIES}
    numbers: Counter[str] = Counter()
    clusters = []
    for city in CITIES:
        for abbr, sub_zh, sub_en, category_code in CLUSTER_PLAN[city.code]:
            numbers[abbr] += 1
            category = categories[category_code]
            mappings = tuple(Mapping(d, w, vf, vt) for d, w, vf, vt in category.industries)
            code = f"LN-{abbr}-{numbers[abbr]:03d}"
            members = MEMBER_CITIES.get((city.code, sub_en), ())
            clusters.append(Cluster(code, sub_zh, sub_en, SECTORS[abbr], city, mappings, category, members))
    return clusters


# --- clusters over time -------------------------------------------------------------------------------------


def cluster_output(clusters: list[Cluster], n_years: int, rng: np.random.Generator) -> np.ndarray:
    """Output in hundreds of yuan, (cluster, year): lognormal quantiles in the last year, grown backwards.

    A rank score (noise + category and city-size bonus) decides which cluster gets which quantile. Emerging
    clusters grew 8-20% a year, mainstay ones 0-8% (a fifth of them shrank, by up to 5%).
    """
    n = len(clusters)
    z = np.array([NormalDist().inv_cdf((i + 0.5) / n) for i in range(n)])
    bonus = np.array([c.sector.size_bonus + 0.15 * math.log(c.city.scale / 5) for c in clusters])
    last = np.empty(n)
    last[np.argsort(rng.normal(size=n) + bonus, kind="stable")] = OUTPUT_MEDIAN * np.exp(OUTPUT_SIGMA * z)

    emerging = np.array([c.sector.tier == "emerging" for c in clusters])
    fast, steady, shrink = rng.uniform(0.08, 0.20, n), rng.uniform(0, 0.08, n), rng.uniform(-0.04, 0, n)
    trend = np.where(emerging, fast, np.where(rng.random(n) < 0.8, steady, shrink))[:, None]
    noise = rng.normal(0, 0.015, (n, n_years))
    growth = np.where(
        emerging[:, None], np.clip(trend + noise, 0.08, 0.20), np.clip(trend + noise, -0.05, 0.08)
    )
    out = np.empty((n, n_years))
    out[:, -1] = last
    for t in range(n_years - 2, -1, -1):
        out[:, t] = out[:, t + 1] / (1 + growth[:, t + 1])
    return np.round(out / UNIT).astype(np.int64)


def cluster_size(
    clusters: list[Cluster], output: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(firms, employment), (cluster, year): 10-60 firms growing with output; 0.8-3 million yuan per person.

    Productivity rises 3% a year towards the last year's draw; employment is at least 8 persons per firm.
    """
    yuan = output * float(UNIT)
    firms = np.clip(np.round(10 + 13 * np.log(yuan / 2e8) + rng.normal(0, 2, (len(clusters), 1))), 10, 60)
    low, high = np.array([c.sector.productivity for c in clusters]).T
    age = np.arange(output.shape[1]) - (output.shape[1] - 1)
    productivity = np.clip(rng.uniform(low, high)[:, None] * 1.03**age, 0.8, 3.0) * 1e6
    employment = np.maximum(np.round(yuan / productivity), 8 * firms)
    return firms.astype(np.int64), employment.astype(np.int64)


def cluster_series(
    clusters: list[Cluster],
    output: np.ndarray,
    employment: np.ndarray,
    firms: np.ndarray,
    new_firms: np.ndarray,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Every cluster indicator, (cluster, year), money in hundreds of yuan, before any cell is left empty."""
    n, n_years = output.shape
    age = np.arange(n_years) - (n_years - 1)  # 0 in the last year

    def draw(attr: str) -> np.ndarray:
        low, high = np.array([getattr(c.sector, attr) for c in clusters]).T
        return rng.uniform(low, high)[:, None]

    def wobble(sd: float) -> np.ndarray:
        return 1 + rng.normal(0, sd, (n, n_years))

    exports_factor = np.array([c.city.export_factor for c in clusters])[:, None] ** 0.5
    rd_share = np.clip(draw("rd_share") * wobble(0.05) * 1.02**age, 0.005, 0.04)
    new_product = np.clip(draw("new_product_share") * wobble(0.05), 0.10, 0.45)
    export_share = np.clip(draw("export_share") * exports_factor * wobble(0.08), 0.02, 0.40)
    margins = np.array([c.sector.margin for c in clusters])[:, None] + rng.normal(0, 0.025, (n, 1))
    margin = np.clip(margins + rng.normal(0, 0.015, (n, n_years)), -0.03, 0.12)
    intensity = draw("energy_intensity") * 0.97**age * wobble(0.03)  # tce per 万元, falling 3% a year
    yuan = output * float(UNIT)
    sme_share = np.clip(0.7 - 0.08 * np.log(yuan / 5e8) + rng.normal(0, 0.04, (n, n_years)), 0.30, 0.70)
    rd = np.round(output * rd_share)
    researcher_cost = rng.uniform(0.25, 0.45, (n, 1)) * 1e6 * 1.05**age
    graduates = np.round(employment * rng.uniform(0.01, 0.04, (n, 1)) * np.clip(wobble(0.1), 0.5, None))
    return {
        "output_value": output,
        "employment": employment,
        "firms": firms,
        "new_firms": new_firms,
        "rd_spending": rd.astype(np.int64),
        "rd_staff": np.clip(np.round(rd * UNIT / researcher_cost), 1, employment // 5).astype(np.int64),
        "patents": rng.poisson(rd * UNIT / 1e6 * rng.uniform(0.2, 0.8, (n, 1))),
        "new_product_sales": np.round(output * new_product).astype(np.int64),
        "exports": np.round(output * export_share).astype(np.int64),
        "profit": np.round(output * margin).astype(np.int64),
        "energy_use": np.round(yuan / 1e4 * intensity).astype(np.int64),
        "sme_output": np.round(output * sme_share).astype(np.int64),
        "graduates": graduates.astype(np.int64),
    }


def unreported_cells(series: dict[str, np.ndarray], rng: np.random.Generator) -> dict[str, np.ndarray]:
    """About 2% of the cells of each indicator left empty (not reported), never output or employment: a flat
    mask per indicator, cluster-major."""
    return {
        name: rng.random(values.size) < MISSING_SHARE
        for name, values in series.items()
        if name not in ALWAYS_REPORTED
    }


# --- firms --------------------------------------------------------------------------------------------------


def allocate(total: int, shares: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Whole numbers, each at least ``minimum``, summing to ``total``, proportional to ``shares``."""
    rest = total - minimum * len(shares)
    raw = rest * shares / shares.sum()
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw, kind="stable")[: rest - int(out.sum())]] += 1
    return out + minimum


def firm_panel(n_by_year: np.ndarray, rng: np.random.Generator) -> tuple[list[dict[int, float]], np.ndarray]:
    """Firm numbers and heavy-tailed size weights per year, with a few exits and (small) entrants.

    Returns the weights per year and the entrants per year (in the first year: a draw of founding-year firms).
    """
    weights = {i: float(w) for i, w in enumerate(rng.lognormal(0, 1.3, int(n_by_year[0])))}
    next_id = len(weights)
    entrants = np.zeros(len(n_by_year), dtype=np.int64)
    entrants[0] = rng.binomial(int(n_by_year[0]), 0.05)
    panel = [dict(weights)]
    for t in range(1, len(n_by_year)):
        ids = np.fromiter(weights, dtype=np.int64)
        sizes = np.array(list(weights.values())) * np.exp(rng.normal(0, 0.08, len(ids)))
        weights = dict(zip(ids.tolist(), sizes.tolist(), strict=True))
        n_exit = max(int(rng.binomial(len(ids), 0.02)), len(ids) - int(n_by_year[t]))
        if n_exit:
            for gone in rng.choice(ids, n_exit, replace=False, p=(1 / sizes) / (1 / sizes).sum()).tolist():
                del weights[gone]
        entrants[t] = int(n_by_year[t]) - len(weights)
        for w in rng.lognormal(-1.0, 1.0, entrants[t]):
            weights[next_id] = float(w)
            next_id += 1
        panel.append(dict(weights))
    return panel, entrants


def firm_records(
    clusters: list[Cluster],
    years: list[int],
    output: np.ndarray,
    employment: np.ndarray,
    firms: np.ndarray,
    rng: np.random.Generator,
) -> tuple[pl.DataFrame, np.ndarray]:
    """Firm x year rows adding up to each cluster's output (yuan) and employment; and entrants per year."""
    brands = [a + b for a in FIRM_NAME_FIRST for b in FIRM_NAME_SECOND]
    per_city: Counter[str] = Counter()
    new_firms = np.zeros_like(firms)
    rows: list[tuple[object, ...]] = []
    for k, c in enumerate(clusters):
        panel, new_firms[k] = firm_panel(firms[k], rng)
        n_total = max(max(members) for members in panel) + 1
        industries = sorted({m.industry: m.weight for m in c.mappings}.items())
        p = np.array([w for _, w in industries])
        picks = rng.choice(len(industries), n_total, p=p / p.sum())
        names = rng.choice(len(brands), n_total, replace=False)
        ids = [f"F{c.city.code[:4]}{per_city[c.city.code] + i + 1:04d}" for i in range(n_total)]
        per_city[c.city.code] += n_total
        short = c.city.name.removesuffix("市")
        for t, year in enumerate(years):
            members = list(panel[t])
            sizes = np.array([panel[t][f] for f in members])
            yuan = allocate(int(output[k, t]) * UNIT, sizes + 0.02 * sizes.mean())
            people = allocate(int(employment[k, t]), sizes**0.8, minimum=5)
            for f, y, e in zip(members, yuan.tolist(), people.tolist(), strict=True):
                name = f"{short}{brands[names[f]]}{c.sub_zh}有限公司{FIRM_NAME_MARK}"
                rows.append((ids[f], year, name, c.city.code, industries[picks[f]][0], c.code, e, y))
    return pl.DataFrame(rows, schema=FIRM_COLUMNS, orient="row"), new_firms


# --- regional industry --------------------------------------------------------------------------------------


def cluster_contributions(
    clusters: list[Cluster], years: list[int], series: dict[str, np.ndarray], names: list[str]
) -> dict[str, np.ndarray]:
    """(city, division, year) sums of cluster measures times mapping weight, for mappings valid that year."""
    city_index = {c.code: i for i, c in enumerate(CITIES)}
    division_index = {d.code: j for j, d in enumerate(DIVISIONS)}
    out = {name: np.zeros((len(CITIES), len(DIVISIONS), len(years))) for name in names}
    for k, c in enumerate(clusters):
        for m in c.mappings:
            valid = np.array([m.applies(y) for y in years])
            for name in names:
                out[name][city_index[c.city.code], division_index[m.industry]] += (
                    m.weight * series[name][k] * valid
                )
    return out


def regional_records(
    clusters: list[Cluster], years: list[int], series: dict[str, np.ndarray], rng: np.random.Generator
) -> pl.DataFrame:
    """City x division x year records (money in hundreds of yuan): a non-cluster base plus the clusters.

    The base shares out the provincial total (2.5 trillion yuan in the first year, growing 2.5% a year, less
    the clusters) by city size, division weight and a random city-division affinity, tripled where the city
    has a cluster in the division, so that location quotients follow the cluster geography. Cluster measures
    are added on top (rounded up), so every cell holds at least the weighted output of the clusters mapped to
    it.
    """
    n_years = len(years)
    t = np.arange(n_years)
    shape = (len(CITIES), len(DIVISIONS), n_years)
    share = cluster_contributions(clusters, years, series, ["output_value", "employment", "firms", "exports"])
    has_cluster = share["output_value"].sum(axis=2) > 0
    weight = np.array([d.weight for d in DIVISIONS])[None, :]
    present = np.array([[not d.cities or c.code in d.cities for d in DIVISIONS] for c in CITIES])
    present &= ~((weight < 1) & (rng.random(has_cluster.shape) < 0.08))
    affinity = (
        weight * rng.lognormal(0, 0.6, has_cluster.shape) * (1 + 2 * has_cluster) * (present | has_cluster)
    )
    affinity *= np.array([c.scale for c in CITIES])[:, None] / affinity.sum(axis=1, keepdims=True)
    drift = affinity[:, :, None] * np.exp(rng.normal(0, 0.02, has_cluster.shape)[:, :, None] * t)
    province = PROVINCE_OUTPUT * (1 + PROVINCE_GROWTH) ** t
    base_yuan = drift / drift.sum(axis=(0, 1)) * (province - share["output_value"].sum(axis=(0, 1)) * UNIT)
    output = np.round(base_yuan / UNIT) + np.ceil(share["output_value"])

    productivity = np.array([d.productivity for d in DIVISIONS])[None, :, None] * 1e6 * 1.03**t
    base_people = np.round(base_yuan / (productivity * rng.lognormal(0, 0.15, shape)))
    employment = base_people + np.ceil(share["employment"])
    units = np.ceil(base_people / (120 * rng.lognormal(0, 0.3, shape))) + np.ceil(share["firms"])
    va_ratio = np.array([d.va_ratio for d in DIVISIONS])[None, :, None] * rng.lognormal(0, 0.05, shape)
    wage = AVERAGE_WAGE * 1.065**t * np.array([c.wage_factor for c in CITIES])[:, None, None]
    export_share = (
        np.array([d.export_share for d in DIVISIONS])[None, :, None]
        * np.array([c.export_factor for c in CITIES])[:, None, None]
        * rng.lognormal(0, 0.2, shape)
    )
    exports = np.round(base_yuan * np.minimum(export_share, 0.8) / UNIT) + np.ceil(share["exports"])

    grid = np.meshgrid(np.arange(len(CITIES)), np.arange(len(DIVISIONS)), t, indexing="ij")
    order = np.lexsort((grid[1].ravel(), grid[0].ravel(), grid[2].ravel()))  # year, city, division

    def flat(values: np.ndarray) -> np.ndarray:
        return values.reshape(-1)[order]

    return pl.DataFrame(
        {
            "region_code": np.array([c.code for c in CITIES])[flat(grid[0])],
            "industry_code": np.array([d.code for d in DIVISIONS])[flat(grid[1])],
            "year": np.array(years)[flat(grid[2])],
            "employment": flat(employment).astype(np.int64),
            "establishments": flat(units).astype(np.int64),
            "output_value": flat(output),
            "value_added": flat(np.round(output * va_ratio)),
            "wages": flat(np.round(employment * wage / UNIT)),
            "exports": flat(exports),
        }
    )
