"""The synthetic Liaoning demo set: deterministic, calibrated as specified, landable through the ingest path.

The set is written once per module and landed once into a temporary data directory; the tests read the files
back with the ingest reader (so they see what a user's upload would show) or read the landed Parquet files.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.core.settings import Settings
from pipeline.demo.files import DEMO_SEED, FILE_PREFIX, DemoFile, write_demo_files
from pipeline.ingest import IngestResult, ingest_file
from pipeline.ingest.landing import landed_frame
from pipeline.ingest.reading import read_table
from pipeline.ingest.report import SOURCE_ROW
from schemas import LANDING_ORDER

CITY_CODES = {
    "210100",
    "210200",
    "210300",
    "210400",
    "210500",
    "210600",
    "210700",
    "210800",
    "210900",
    "211000",
    "211100",
    "211200",
    "211300",
    "211400",
}
# Clusters led by each city, as the brief fixes them: Shenyang and Dalian 20, Anshan/Dandong/Jinzhou 10.
FIXED_CITY_COUNTS = {"210100": 20, "210200": 20, "210300": 10, "210600": 10, "210700": 10}


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> list[DemoFile]:
    return write_demo_files(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def demo_landed(
    demo_files: list[DemoFile], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Settings, dict[str, IngestResult]]:
    settings = Settings.from_env(tmp_path_factory.mktemp("landing") / "data")
    results = {
        f.kind: ingest_file(settings, f.path, f.kind, sheet=f.sheet, units=f.units, who="test")
        for f in demo_files
    }
    return settings, results


def by_kind(files: list[DemoFile]) -> dict[str, DemoFile]:
    return {f.kind: f for f in files}


def read_back(f: DemoFile) -> pl.DataFrame:
    """The file's cells as text under the headers as written, read by the ingest reader."""
    table = read_table(f.path.read_bytes(), f.path.name, sheet=f.sheet)
    return table.frame.drop(SOURCE_ROW).rename({f"c{i}": h for i, h in enumerate(table.headers)})


def numbers(frame: pl.DataFrame, *columns: str) -> pl.DataFrame:
    """Text cells as numbers: years as integers (as they land), everything else as floats."""
    return frame.with_columns(
        pl.col(c).cast(pl.Int64 if c in ("年份", "year") else pl.Float64) for c in columns
    )


def landed(settings: Settings, kind: str) -> pl.DataFrame:
    frame = landed_frame(settings, kind)
    assert frame is not None, f"nothing landed for {kind}"
    return frame


def output_2022(files: list[DemoFile]) -> pl.Series:
    """Cluster output in 2022 in yuan: the file is in 万元 (x 10,000)."""
    ind = numbers(read_back(by_kind(files)["cluster-indicators"]), "年份", "总产值(万元)")
    return ind.filter(pl.col("年份") == 2022).get_column("总产值(万元)") * 1e4


# --- files and determinism ----------------------------------------------------------------------------------


def test_one_file_per_kind_in_landing_order(demo_files: list[DemoFile]) -> None:
    # Dictionaries must land before the records that refer to them: the schema package's landing order.
    assert [f.kind for f in demo_files] == LANDING_ORDER
    # The app labels uploads whose names carry this prefix as synthetic.
    assert all(f.path.name.startswith(FILE_PREFIX) and f.path.exists() for f in demo_files)
    files = by_kind(demo_files)
    # The formats vary on purpose: two workbooks (with named sheets), the rest CSV.
    assert [f.kind for f in demo_files if f.path.suffix == ".xlsx"] == ["clusters", "cluster-indicators"]
    assert files["clusters"].sheet == "集群名录" and files["cluster-indicators"].sheet == "集群指标"
    # regional-industry is GBK: not valid UTF-8, but decodes as GBK with the units in its Chinese headers.
    raw = files["regional-industry"].path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert raw.decode("gbk").startswith("地区代码,行业代码,年份,从业人员(人),法人单位数,工业总产值(万元)")
    # Units are declared in headers, not through --unit options.
    assert all(f.units is None for f in demo_files)


def test_same_seed_writes_identical_bytes(demo_files: list[DemoFile], tmp_path: Path) -> None:
    # Same seed, another directory, a moment later: every file byte for byte the same. Workbooks carry a fixed
    # creation date (xlsxwriter otherwise stamps the current time into docProps/core.xml).
    again = write_demo_files(tmp_path / "again", seed=DEMO_SEED)
    for first, second in zip(demo_files, again, strict=True):
        assert first.path.read_bytes() == second.path.read_bytes(), first.path.name


def test_other_seed_other_numbers(demo_files: list[DemoFile], tmp_path: Path) -> None:
    other = by_kind(write_demo_files(tmp_path / "other", seed=DEMO_SEED + 1))
    files = by_kind(demo_files)
    # The dictionaries of regions and industries are fixed facts, not draws.
    for kind in ("regions", "industries"):
        assert files[kind].path.read_bytes() == other[kind].path.read_bytes()
    # Every record kind is drawn from the seed.
    for kind in ("regional-industry", "cluster-indicators", "firms"):
        assert files[kind].path.read_bytes() != other[kind].path.read_bytes(), kind
    ours, theirs = output_2022(demo_files), output_2022(list(other.values()))
    assert (ours != theirs).sum() > 100  # the lognormal quantiles go to other clusters
    # ... but the calibration uses deterministic quantiles: the distribution is the same whatever the seed.
    assert sorted(ours.to_list()) == pytest.approx(sorted(theirs.to_list()), abs=100)


# --- calibration --------------------------------------------------------------------------------------------


def test_regions_and_zones(demo_files: list[DemoFile]) -> None:
    regions = read_back(by_kind(demo_files)["regions"])
    cities = regions.filter(pl.col("层级") == "city")
    # The 14 prefecture cities of Liaoning with their GB/T 2260 codes, all under the province.
    assert set(cities.get_column("地区代码")) == CITY_CODES
    assert set(cities.get_column("上级代码")) == {"210000"}
    assert set(regions.filter(pl.col("层级") == "zone").get_column("地区代码")) == {
        "Z-CENTRAL",
        "Z-COASTAL",
        "Z-WEST",
    }
    groups = dict(cities.select("地区代码", "所属区域").iter_rows())
    # Yingkou is in both the central and the coastal zone; every other city in exactly one.
    assert groups["210800"] == "Z-CENTRAL;Z-COASTAL"
    assert all(";" not in g for code, g in groups.items() if code != "210800")
    members = {
        z: {c for c, g in groups.items() if z in g.split(";")} for z in ("Z-CENTRAL", "Z-COASTAL", "Z-WEST")
    }
    assert members["Z-CENTRAL"] == {"210100", "210300", "210400", "210500", "210800", "211000", "211200"}
    assert members["Z-COASTAL"] == {"210200", "210600", "210800"}
    assert members["Z-WEST"] == {"210700", "211100", "211400", "210900", "211300"}


def test_industries_are_gbt4754_divisions(demo_files: list[DemoFile]) -> None:
    industries = read_back(by_kind(demo_files)["industries"])
    divisions = industries.filter(pl.col("level") == "division")
    # Manufacturing divisions 13-43, mining 06-10, software 65 and environmental management 77.
    expected = {f"{d:02d}" for d in [*range(13, 44), *range(6, 11), 65, 77]}
    assert set(divisions.get_column("code")) == expected
    assert set(industries.filter(pl.col("level") == "section").get_column("code")) == {"B", "C", "I", "N"}
    # Titles as in GB/T 4754-2017.
    names = dict(industries.select("code", "name").iter_rows())
    assert names["37"] == "铁路、船舶、航空航天和其他运输设备制造业" and names["65"] == "软件和信息技术服务业"
    assert set(industries.get_column("classification")) == {"GB/T 4754-2017"}


def test_cluster_counts(demo_files: list[DemoFile]) -> None:
    clusters = read_back(by_kind(demo_files)["clusters"])
    # 120 clusters, 33 of them emerging (27.5%), the rest mainstay.
    assert clusters.height == 120
    assert clusters.filter(pl.col("集群类型") == "emerging").height == 33
    counts = dict(clusters.group_by("所在地区代码").len().iter_rows())
    assert set(counts) == CITY_CODES
    # 20/20/10/10/10 for the five largest cluster cities, 4-7 for each of the other nine.
    assert {c: counts[c] for c in FIXED_CITY_COUNTS} == FIXED_CITY_COUNTS
    assert all(4 <= n <= 7 for c, n in counts.items() if c not in FIXED_CITY_COUNTS)
    # Every description says the record is synthetic.
    assert clusters.get_column("简介").str.starts_with("Synthetic demo record.").all()


def test_output_calibration_2022(demo_files: list[DemoFile]) -> None:
    output = output_2022(demo_files)
    assert output.len() == 120
    # About 63% (60-68%) of the clusters between 1 and 10 bn yuan ...
    share = ((output >= 1e9) & (output <= 1e10)).mean()
    assert 0.60 <= share <= 0.68
    # ... an average of about 3 bn yuan ...
    assert 2.6e9 <= output.mean() <= 3.4e9
    # ... a few (3-8) above 10 bn and some early-stage clusters under 1 bn.
    assert 3 <= (output > 1e10).sum() <= 8
    assert (output < 1e9).sum() >= 5


def test_emerging_clusters_grow_faster(demo_files: list[DemoFile]) -> None:
    files = by_kind(demo_files)
    tiers = read_back(files["clusters"]).select(pl.col("集群代码"), pl.col("集群类型"))
    ind = numbers(read_back(files["cluster-indicators"]), "年份", "总产值(万元)")
    growth = (
        ind.group_by("集群代码")
        .agg(
            (
                (
                    pl.col("总产值(万元)").sort_by("年份").last()
                    / pl.col("总产值(万元)").sort_by("年份").first()
                )
                ** (1 / 9)
                - 1
            ).alias("cagr")
        )
        .join(tiers, on="集群代码")
    )
    emerging = growth.filter(pl.col("集群类型") == "emerging").get_column("cagr")
    mainstay = growth.filter(pl.col("集群类型") == "mainstay").get_column("cagr")
    # Emerging clusters grew 8-20% a year (yearly rates are kept in that band, so the average is too) ...
    assert emerging.min() >= 0.08 - 1e-9 and emerging.max() <= 0.20 + 1e-9
    # ... mainstay ones at most 8%, and some shrank.
    assert mainstay.max() <= 0.08 + 1e-9 and (mainstay < 0).sum() >= 3


def test_indicators_plausible_and_mostly_reported(demo_files: list[DemoFile]) -> None:
    ind = read_back(by_kind(demo_files)["cluster-indicators"])
    measures = [c for c in ind.columns if c not in ("集群代码", "地区代码", "年份")]
    ind = numbers(ind, *measures)
    # One row per cluster and year 2013-2022.
    assert ind.height == 120 * 10 and ind.select("集群代码", "年份").is_unique().all()
    # Output and employment are always reported; about 2% of the other cells are left empty.
    assert (
        ind.get_column("总产值(万元)").null_count() == 0 and ind.get_column("从业人员(人)").null_count() == 0
    )
    others = [c for c in measures if c not in ("总产值(万元)", "从业人员(人)")]
    empty = sum(ind.get_column(c).null_count() for c in others) / (ind.height * len(others))
    assert 0.01 <= empty <= 0.03
    ratios = ind.select(
        (pl.col("研发经费支出(万元)") / pl.col("总产值(万元)")).alias("rd"),
        (pl.col("新产品销售收入(万元)") / pl.col("总产值(万元)")).alias("new_products"),
        (pl.col("出口交货值(万元)") / pl.col("总产值(万元)")).alias("exports"),
        (pl.col("利润总额(万元)") / pl.col("总产值(万元)")).alias("margin"),
        (pl.col("中小企业产值(万元)") / pl.col("总产值(万元)")).alias("sme"),
    )
    # R&D 0.5-4% of output, new products 10-45%, exports 2-40%, margin -3..12%, SME output 30-70% (rounding
    # to the 万元 cent allows a hair outside).
    bounds = {
        "rd": (0.005, 0.04),
        "new_products": (0.10, 0.45),
        "exports": (0.02, 0.40),
        "margin": (-0.03, 0.12),
        "sme": (0.30, 0.70),
    }
    for name, (low, high) in bounds.items():
        values = ratios.get_column(name).drop_nulls()
        assert values.min() >= low - 1e-3 and values.max() <= high + 1e-3, name
    # A few cluster-years make a loss, most do not.
    losses = (ratios.get_column("margin") < 0).sum()
    assert 1 <= losses <= 0.1 * ind.height
    # Firms 10-60 (within the brief's 10-120), growing with size.
    firms = ind.get_column("企业数").drop_nulls()
    assert firms.min() >= 10 and firms.max() <= 120
    assert ind.select(pl.corr("企业数", "总产值(万元)", method="spearman")).item() > 0.8


def test_firms_add_up_to_their_cluster(demo_files: list[DemoFile]) -> None:
    files = by_kind(demo_files)
    firms = numbers(read_back(files["firms"]), "year", "employment", "output_value")
    ind = numbers(read_back(files["cluster-indicators"]), "年份", "总产值(万元)", "从业人员(人)", "企业数")
    sums = firms.group_by("cluster_code", "year").agg(
        pl.col("output_value").sum(), pl.col("employment").sum(), pl.len().alias("n")
    )
    joined = ind.join(sums, left_on=["集群代码", "年份"], right_on=["cluster_code", "year"], how="left")
    # Every cluster-year has 8-60 firms whose output (yuan) and employment add up to the cluster's figures.
    assert joined.get_column("n").null_count() == 0
    assert joined.get_column("n").min() >= 8 and joined.get_column("n").max() <= 60
    assert (joined.get_column("output_value") - joined.get_column("总产值(万元)") * 1e4).abs().max() < 1
    assert (joined.get_column("employment") == joined.get_column("从业人员(人)")).all()
    # The firm count reported by the cluster (when reported) is the number of firms listed.
    reported = joined.filter(pl.col("企业数").is_not_null())
    assert (reported.get_column("企业数") == reported.get_column("n")).all()
    # 40-60k rows; firm ids are stable across years and a handful of firms enter and leave.
    assert 35_000 <= firms.height <= 60_000
    spans = firms.group_by("firm_id").agg(
        pl.col("year").min().alias("first"), pl.col("year").max().alias("last")
    )
    assert (spans.get_column("first") > 2013).sum() > 0 and (spans.get_column("last") < 2022).sum() > 0
    assert firms.get_column("name").str.ends_with("（合成数据）").all()


def test_definitions_change_over_time(demo_files: list[DemoFile]) -> None:
    mapping = numbers(
        read_back(by_kind(demo_files)["cluster-industries"]), "weight", "valid_from", "valid_to"
    )
    # The map is keyed by cluster category: 40 categories of 1-3 divisions, weights in (0, 1], mostly 1.
    per_category = mapping.group_by("category_code").agg(pl.col("industry_code").n_unique().alias("n"))
    assert per_category.height == 40 and per_category.get_column("n").is_between(1, 3).all()
    weights = mapping.get_column("weight")
    assert (
        ((weights > 0) & (weights <= 1)).all() and (weights == 1).mean() > 0.5 and (weights == 0.5).sum() > 0
    )
    # No two categories are the same set of divisions and weights in every year (else their figures would be
    # identical everywhere): compare each category's (division, weight, from, to) rows.
    shapes = mapping.sort("industry_code", "valid_from", nulls_last=False).group_by("category_code").agg(
        pl.concat_str("industry_code", "weight", "valid_from", "valid_to", separator="/", ignore_nulls=True)
        .alias("rows"))
    assert shapes.get_column("rows").list.join("|").n_unique() == 40
    # A few mappings start or end inside the period: cluster definitions that changed.
    assert mapping.get_column("valid_to").drop_nulls().len() >= 2
    assert mapping.filter(pl.col("valid_from") > 2013).height >= 2


# --- through the ingest path --------------------------------------------------------------------------------


def test_every_file_lands(
    demo_files: list[DemoFile], demo_landed: tuple[Settings, dict[str, IngestResult]]
) -> None:
    _, results = demo_landed
    # Each file lands in an empty data directory in the returned order, with every row.
    for f in demo_files:
        assert results[f.kind].status == "landed", f.kind
        assert results[f.kind].upload.rows == read_back(f).height, f.kind


def test_landed_values_are_converted(
    demo_files: list[DemoFile], demo_landed: tuple[Settings, dict[str, IngestResult]]
) -> None:
    settings, _ = demo_landed
    files = by_kind(demo_files)
    # regional-industry: 万元 in the GBK file lands as yuan (x 10,000); persons and counts unchanged.
    source = numbers(
        read_back(files["regional-industry"]), "年份", "从业人员(人)", "工业总产值(万元)", "工资总额(万元)"
    )
    regional = landed(settings, "regional-industry").join(
        source, left_on=["region_code", "industry_code", "year"], right_on=["地区代码", "行业代码", "年份"]
    )
    assert regional.height == source.height == 14 * 38 * 10
    assert (regional["output_value"] - regional["工业总产值(万元)"] * 1e4).abs().max() < 1e-3
    assert (regional["wages"] - regional["工资总额(万元)"] * 1e4).abs().max() < 1e-3
    assert (regional["employment"] == regional["从业人员(人)"]).all()
    # cluster-indicators (XLSX): 万元 -> yuan, tce unchanged, empty cells stay empty (not reported, never 0).
    source = numbers(
        read_back(files["cluster-indicators"]), "年份", "利润总额(万元)", "综合能源消费量(吨标准煤)"
    )
    ind = landed(settings, "cluster-indicators").join(
        source, left_on=["cluster_code", "year"], right_on=["集群代码", "年份"]
    )
    assert ind.height == 1200
    assert (ind["profit"] - ind["利润总额(万元)"] * 1e4).abs().max() < 1e-3
    assert (ind["profit"].is_null() == ind["利润总额(万元)"].is_null()).all()
    assert (ind["energy_use"] - ind["综合能源消费量(吨标准煤)"]).abs().max() < 1e-9
    # firms: output already in yuan.
    source = numbers(read_back(files["firms"]), "year", "output_value")
    firms = landed(settings, "firms").join(source, on=["firm_id", "year"], suffix="_file")
    assert firms.height == source.height
    assert (firms["output_value"] == firms["output_value_file"]).all()


def test_regional_output_covers_the_clusters(demo_landed: tuple[Settings, dict[str, IngestResult]]) -> None:
    settings, _ = demo_landed
    clusters = landed(settings, "clusters").select(pl.col("code").alias("cluster_code"), "lead_region",
                                                   "category_code")
    mapping = landed(settings, "cluster-industries").select(
        "category_code", "industry_code", "weight", "valid_from", "valid_to"
    )
    output = landed(settings, "cluster-indicators").select("cluster_code", "year", "output_value")
    in_clusters = (
        output.join(clusters, on="cluster_code")
        .join(mapping, on="category_code")
        .filter(
            (pl.col("valid_from").is_null() | (pl.col("valid_from") <= pl.col("year")))
            & (pl.col("valid_to").is_null() | (pl.col("year") <= pl.col("valid_to")))
        )
        .group_by(pl.col("lead_region").alias("region_code"), "industry_code", "year")
        .agg((pl.col("output_value") * pl.col("weight")).sum().alias("clusters"))
    )
    regional = landed(settings, "regional-industry").select(
        "region_code", "industry_code", "year", "output_value"
    )
    joined = in_clusters.join(regional, on=["region_code", "industry_code", "year"], how="left")
    # Every city x division x year with cluster output has a regional record holding at least the clusters'
    # weighted output (1 yuan of slack for float arithmetic): the region is the clusters plus the rest.
    assert joined.get_column("output_value").null_count() == 0
    assert (joined.get_column("output_value") - joined.get_column("clusters")).min() >= -1
    # Provincial output in the first year is of order 2-3 trillion yuan; Shenyang and Dalian are the largest.
    first = regional.filter(pl.col("year") == 2013)
    assert 2e12 <= first.get_column("output_value").sum() <= 3e12
    by_city = (
        first.group_by("region_code").agg(pl.col("output_value").sum()).sort("output_value", descending=True)
    )
    assert set(by_city.get_column("region_code").head(2)) == {"210100", "210200"}


def test_specialisation_follows_cluster_geography(
    demo_landed: tuple[Settings, dict[str, IngestResult]],
) -> None:
    settings, _ = demo_landed
    regional = landed(settings, "regional-industry").filter(pl.col("year") == 2022)
    total = regional.get_column("output_value").sum()
    lq = regional.with_columns(
        lq=pl.col("output_value")
        / pl.col("output_value").sum().over("region_code")
        / (pl.col("output_value").sum().over("industry_code") / total)
    )
    value = {(r, i): q for r, i, q in lq.select("region_code", "industry_code", "lq").iter_rows()}
    # Known specialisations carried by the clusters: Anshan steel (31), Panjin oil and gas (07), Dandong
    # instruments (40), Huludao non-ferrous metals (32), Benxi medicines (27) are over-represented (LQ > 1).
    for region, industry in [
        ("210300", "31"),
        ("211100", "07"),
        ("210600", "40"),
        ("211400", "32"),
        ("210500", "27"),
    ]:
        assert value[(region, industry)] > 1, (region, industry)
    # Shipbuilding (37) is absent where no city has shipyards or aircraft, e.g. Fuxin.
    assert value[("210900", "37")] == 0
