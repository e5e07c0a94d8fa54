"""The demo's upload files: the synthetic economy written as the files a bureau would send.

    >>> files = write_demo_files(Path("/tmp/demo"))          # doctest: +SKIP
    >>> [f.path.name for f in files][:2]                      # doctest: +SKIP
    ['synthetic-demo-regions.csv', 'synthetic-demo-industries.csv']

The files go through the ordinary ingest path (:func:`pipeline.ingest.ingest_file`), so their formats vary on
purpose: UTF-8 and GBK CSV, XLSX, Chinese and English headers, money in 万元 declared in the headers. The numbers
come from :mod:`pipeline.demo.economy`, the names and codes from :mod:`pipeline.demo.catalog`; every file name
starts with ``synthetic-demo-`` so that the app labels the data synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl

from pipeline.demo.catalog import (
    CITIES,
    CLASSIFICATION,
    CLUSTER_CATEGORIES,
    DIVISIONS,
    PROVINCE,
    SECTIONS,
    SECTOR_NAMES,
    ZONES,
)
from pipeline.demo.economy import MONEY, Cluster, synthetic_economy

DEMO_SEED = 20240601
FILE_PREFIX = "synthetic-demo-"
XLSX_CREATED = datetime(2024, 6, 1)  # fixed, so that the same seed writes byte-identical workbooks
UNITS_PER_WAN = 100  # hundreds of yuan per 万元


@dataclass(frozen=True)
class DemoFile:
    """One demo upload: its kind, where it was written, and the ingest options it needs."""

    kind: str
    path: Path
    sheet: str | None = None
    units: dict[str, str] | None = None


def write_demo_files(
    out_dir: Path, *, seed: int = DEMO_SEED, first_year: int = 2013, last_year: int = 2022
) -> list[DemoFile]:
    """Write one synthetic upload file per kind into ``out_dir``; returns them in landing order.

    Parameters
    ----------
    out_dir
        Directory to write into (created if missing); existing demo files are overwritten.
    seed
        Seed of :func:`numpy.random.default_rng`; the same seed writes byte-identical files.
    first_year, last_year
        Years of the record kinds (inclusive). Ingest rejects years that have not ended.

    Returns
    -------
    list of DemoFile
        regions, industries, cluster-categories, clusters, cluster-industries, regional-industry,
        cluster-indicators, firms.
    """
    economy = synthetic_economy(seed, first_year=first_year, last_year=last_year)
    clusters = economy.clusters

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)

    def path(kind: str, suffix: str) -> Path:
        return out_dir / f"{FILE_PREFIX}{kind}.{suffix}"

    files = [
        DemoFile("regions", path("regions", "csv")),
        DemoFile("industries", path("industries", "csv")),
        DemoFile("cluster-categories", path("cluster-categories", "csv")),
        DemoFile("clusters", path("clusters", "xlsx"), sheet="集群名录"),
        DemoFile("cluster-industries", path("cluster-industries", "csv")),
        DemoFile("regional-industry", path("regional-industry", "csv")),
        DemoFile("cluster-indicators", path("cluster-indicators", "xlsx"), sheet="集群指标"),
        DemoFile("firms", path("firms", "csv")),
    ]
    _write_csv(region_table(), files[0].path)
    _write_csv(industry_table(), files[1].path)
    _write_csv(category_table(), files[2].path)
    _write_xlsx(cluster_table(clusters), files[3].path, "集群名录")
    _write_csv(category_industry_table(), files[4].path)
    _write_csv(regional_table(economy.regional), files[5].path, encoding="gbk")
    _write_xlsx(indicator_table(clusters, economy.years, economy.series, economy.unreported), files[6].path, "集群指标")
    _write_csv(economy.firms, files[7].path)
    return files


# --- dictionaries -------------------------------------------------------------------------------------------


def region_table() -> pl.DataFrame:
    """The province, its three development zones and the 14 prefecture cities (Chinese headers), the cities with
    their seats' coordinates (the maps' proportional symbols when no boundary file is installed)."""
    code, name, name_en = PROVINCE
    rows = [(code, name, name_en, None, "province", None, None, None)]
    rows += [(z, zh, en, code, "zone", None, None, None) for z, zh, en in ZONES]
    rows += [(c.code, c.name, c.name_en, code, "city", c.groups, c.lon, c.lat) for c in CITIES]
    return pl.DataFrame(
        rows, schema=["地区代码", "地区名称", "英文名称", "上级代码", "层级", "所属区域", "经度", "纬度"], orient="row"
    )


def industry_table() -> pl.DataFrame:
    """GB/T 4754-2017 sections B, C, I, N and the demo's divisions (English headers)."""
    rows = [(s, zh, en, None, "section", CLASSIFICATION) for s, zh, en in SECTIONS]
    rows += [(d.code, d.name, d.name_en, d.section, "division", CLASSIFICATION) for d in DIVISIONS]
    return pl.DataFrame(
        rows, schema=["code", "name", "name_en", "parent_code", "level", "classification"], orient="row"
    )


def category_table() -> pl.DataFrame:
    """The cluster categories: the nine sectors as parents, then the 40 categories (Chinese headers)."""
    rows = [(abbr, zh, en, None) for abbr, (zh, en) in SECTOR_NAMES.items()]
    rows += [(c.code, c.name, c.name_en, c.sector) for c in CLUSTER_CATEGORIES]
    return pl.DataFrame(rows, schema=["集群类别代码", "类别名称", "英文名称", "上级类别代码"], orient="row")


def cluster_table(clusters: list[Cluster]) -> pl.DataFrame:
    """The named clusters dictionary (Chinese headers): each with its category, lead city and member cities."""
    rows = [
        (
            c.code,
            c.name,
            c.name_en,
            c.sector.tier,
            c.sector.name,
            c.category.code,
            c.city.code,
            ";".join(c.members) or None,
            f"Synthetic demo record. {c.name_en[0].upper()}{c.name_en[1:]} ({c.sector.name}); "
            "all figures are generated, not official statistics.",
        )
        for c in clusters
    ]
    return pl.DataFrame(
        rows,
        schema=["集群代码", "集群名称", "英文名称", "集群类型", "产业领域", "集群类别代码", "所在地区代码",
                "成员地区代码", "简介"],
        orient="row",
    )


def category_industry_table() -> pl.DataFrame:
    """The category -> division map (English headers)."""
    rows = [(c.code, d, w, vf, vt) for c in CLUSTER_CATEGORIES for d, w, vf, vt in c.industries]
    return pl.DataFrame(
        rows,
        orient="row",
        schema={
            "category_code": pl.String,
            "industry_code": pl.String,
            "weight": pl.Float64,
            "valid_from": pl.Int64,
            "valid_to": pl.Int64,
        },
    )


# --- records ------------------------------------------------------------------------------------------------


INDICATOR_HEADERS = {
    "output_value": "总产值(万元)",
    "employment": "从业人员(人)",
    "firms": "企业数",
    "new_firms": "新增企业数",
    "rd_spending": "研发经费支出(万元)",
    "rd_staff": "研发人员(人)",
    "patents": "专利授权数",
    "new_product_sales": "新产品销售收入(万元)",
    "exports": "出口交货值(万元)",
    "profit": "利润总额(万元)",
    "energy_use": "综合能源消费量(吨标准煤)",
    "sme_output": "中小企业产值(万元)",
    "graduates": "新招高校毕业生(人)",
}
REGIONAL_HEADERS = {
    "region_code": "地区代码",
    "industry_code": "行业代码",
    "year": "年份",
    "employment": "从业人员(人)",
    "establishments": "法人单位数",
    "output_value": "工业总产值(万元)",
    "value_added": "增加值(万元)",
    "wages": "工资总额(万元)",
    "exports": "出口交货值(万元)",
}


def indicator_table(
    clusters: list[Cluster], years: list[int], series: dict[str, np.ndarray], unreported: dict[str, np.ndarray]
) -> pl.DataFrame:
    """One row per cluster x year (region = lead city), money in 万元; the unreported cells left empty."""
    n = len(clusters)
    columns: dict[str, object] = {
        "集群代码": np.repeat([c.code for c in clusters], len(years)),
        "地区代码": np.repeat([c.city.code for c in clusters], len(years)),
        "年份": np.tile(years, n),
    }
    for name, header in INDICATOR_HEADERS.items():
        values = series[name].reshape(-1)
        column = pl.Series(header, values / UNITS_PER_WAN if name in MONEY else values)
        if name in unreported:
            column = column.scatter(np.flatnonzero(unreported[name]), None)
        columns[header] = column
    return pl.DataFrame(columns)


def regional_table(records: pl.DataFrame) -> pl.DataFrame:
    """City x division x year records with Chinese headers, money in 万元."""
    money = ["output_value", "value_added", "wages", "exports"]
    return records.with_columns(pl.col(money) / UNITS_PER_WAN).rename(REGIONAL_HEADERS)


# --- writing ------------------------------------------------------------------------------------------------


def _write_csv(frame: pl.DataFrame, path: Path, *, encoding: str = "utf-8") -> None:
    """CSV with floats at 2 decimals (万元 to the yuan hundred), empty cells for nulls."""
    path.write_bytes(frame.write_csv(float_precision=2).encode(encoding))


def _write_xlsx(frame: pl.DataFrame, path: Path, sheet: str) -> None:
    """One-sheet workbook; codes as text, numbers as numbers, nulls as blank cells; fixed document dates."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties(
        {
            "title": path.stem,
            "author": "clusterstats synthetic demo",
            "created": XLSX_CREATED,
            "comments": "Synthetic demo data generated by clusterstats; not official statistics.",
        }
    )
    sheet_ = workbook.add_worksheet(sheet)
    sheet_.write_row(0, 0, frame.columns)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                sheet_.write_string(r, c, value)
            elif value is not None:
                sheet_.write_number(r, c, round(value, 2) if isinstance(value, float) else value)
    workbook.close()


__all__ = ["DEMO_SEED", "FILE_PREFIX", "DemoFile", "write_demo_files"]
