"""Cluster categories (sets of industries, measured in every region) and named clusters (located agglomerations)
are kept apart: issue 15's "done when" on the synthetic Liaoning demo, the layout before categories still read,
and a hand-checked set in the new layout.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import land_all
from test_ui_demo import demo_data_dir

from pipeline.core.settings import Settings
from pipeline.ingest import check_upload
from warehouse import queries
from warehouse.db import read_only


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.from_env(demo_data_dir(tmp_path_factory))


def _q(settings: Settings, sql: str, params: list | None = None) -> pl.DataFrame:
    with read_only(settings.warehouse_path) as con:
        return con.sql(sql, params=params).pl()


def _located_lists(demo: Settings, year: int) -> dict[str, pl.DataFrame]:
    """Each city's "clusters located here" table, as the region profile reads it."""
    lv = queries.levels(demo.warehouse_path)
    cities = _q(demo, "select code from dim_region where level = 'city' order by code").get_column("code")
    return {city: queries.region_profile(demo.warehouse_path, city, year, "employment", start_year=None,
                                         end_year=None, **lv)["located"] for city in cities}


def test_no_region_lists_a_cluster_that_is_not_in_it(demo):
    # The dictionary as uploaded (the demo's clusters file), not the warehouse's own bridge, says where each is.
    clusters = _q(demo, "select code, lead_region from stg_clusters").rows()
    members = dict(_q(demo, "select code, member_regions from stg_clusters").rows())
    where = {code: {lead, *((members[code] or "").split(";"))} - {""} for code, lead in clusters}
    lists = _located_lists(demo, 2022)
    listed = 0
    for city, located in lists.items():
        for code, role in located.select("cluster_code", "role").rows():
            assert city in where[code], (city, code)
            listed += 1
            assert role == ("lead" if dict(clusters)[code] == city else "member")
    # 120 clusters, each listed in its lead city, and three of them also in one member city each
    assert listed == 120 + 3
    # Shenyang leads 20 clusters and is a member of none; Tieling leads 5 and is a member of Shenyang's car cluster
    assert lists["210100"].height == 20 and set(lists["210100"].get_column("role")) == {"lead"}
    tieling = lists["211200"]
    assert tieling.height == 6
    assert tieling.filter(pl.col("role") == "member").get_column("name").to_list() == ["沈阳汽车及零部件产业集群"]
    # 葫芦岛船舶产业集群 (Huludao) and 大连船舶与海洋工程装备产业集群 (Dalian) are not Shenyang's
    assert not lists["210100"].filter(pl.col("name").str.contains("船舶")).height


def test_two_clusters_of_one_category_in_two_cities_have_their_own_figures(demo):
    # EQ05 (transport equipment, division 37) holds Shenyang's aviation and rail clusters, Dalian's shipbuilding and
    # rail clusters and Huludao's shipbuilding cluster.
    lead = _q(demo, """select c.name, c.lead_region, l.lq from mart_cluster_lead_lq l join dim_cluster c
                       on c.code = l.cluster_code where c.category_code = 'EQ05' and l.year = 2022
                       and l.measure = 'employment' order by c.code""")
    by_city = lead.group_by("lead_region").agg(pl.col("lq").n_unique().alias("n"), pl.col("lq").first())
    assert by_city.height == 3 and (by_city.get_column("n") == 1).all()  # one figure per category and city ...
    assert by_city.get_column("lq").n_unique() == 3  # ... and another in each city
    # The category's LQ in Huludao, worked out from the regional records: (e_r,37 / e_r) / (e_37 / e)
    facts = _q(demo, """select region_code, industry_code, value from fact_regional_industry
                        where year = 2022 and measure = 'employment'""")
    e_r37 = facts.filter((pl.col("region_code") == "211400") & (pl.col("industry_code") == "37"))["value"].sum()
    e_r = facts.filter(pl.col("region_code") == "211400")["value"].sum()
    e_37 = facts.filter(pl.col("industry_code") == "37")["value"].sum()
    e = facts["value"].sum()
    huludao = lead.filter(pl.col("name") == "葫芦岛船舶产业集群").get_column("lq").item()
    assert huludao == pytest.approx((e_r37 / e_r) / (e_37 / e), rel=1e-12)
    # and the clusters' own reported figures differ: two named clusters are two agglomerations
    own = _q(demo, """select i.cluster_code, i.value from fact_cluster_indicator i join dim_cluster c
                      on c.code = i.cluster_code where c.category_code = 'EQ05' and i.year = 2022
                      and i.indicator = 'employment'""")
    assert own.height == 5 and own.get_column("value").n_unique() == 5


def test_categories_are_counted_once(demo):
    strength = _q(demo, """select region_code, category_code, strong from mart_category_strength
                           where year = 2022 and region_level = 'city'""")
    # one row per city and category, whatever the number of named clusters of the category in the city
    assert strength.height == strength.select("region_code", "category_code").n_unique()
    assert strength.get_column("category_code").n_unique() == 40
    strong = strength.filter(pl.col("strong")).group_by("region_code").len("n")
    regions = _q(demo, """select region_code, n_strong, n_categories from mart_region_category_strength
                          where year = 2022 and region_level = 'city'""")
    joined = regions.join(strong, on="region_code", how="left").with_columns(pl.col("n").fill_null(0))
    assert (joined.get_column("n_strong") == joined.get_column("n")).all()
    # Shenyang has three clusters of general-purpose machinery (EQ01); the category is one row of its profile
    shenyang = queries.region_profile(demo.warehouse_path, "210100", 2022, "employment", start_year=None,
                                      end_year=None, **queries.levels(demo.warehouse_path))["categories"]
    eq01 = shenyang.filter(pl.col("category_code") == "EQ01")
    assert eq01.height == 1 and eq01.get_column("clusters_here").item() == 3


# --- the layout before categories ---------------------------------------------------------------------------


def test_a_map_keyed_by_cluster_is_read_with_a_deprecation_warning(settings, tiny_files):
    # The tiny set (conftest) is in the old layout: its cluster-industries file is keyed by cluster_code.
    land_all(settings, tiny_files[:3])
    checked = check_upload(settings, b"cluster_code,industry_code,weight\nLN-EQ-001,37,1\nLN-AG-001,13,\n",
                           "map.csv", "cluster-industries", this_year=2026)
    assert checked.report.ok
    (warning,) = [f for f in checked.report.warnings if f.rule == "keyed_by_cluster"]
    assert (warning.row, warning.column, warning.value) == (2, "cluster_code", "LN-EQ-001")
    assert "2 rows map a named cluster" in warning.fix and "cluster-categories" in warning.fix
    assert "集群类别" in warning.fix_zh


# --- the new layout, by hand ----------------------------------------------------------------------------------

REGIONS = """code,name,name_en,parent_code,level
210000,辽宁省,Liaoning,,province
210100,沈阳市,Shenyang,210000,city
210200,大连市,Dalian,210000,city
211200,铁岭市,Tieling,210000,city
"""
INDUSTRIES = """code,name,level,classification
13,农副食品加工业,division,GB/T 4754-2017
37,铁路、船舶、航空航天和其他运输设备制造业,division,GB/T 4754-2017
"""
CATEGORIES = """集群类别代码,类别名称,英文名称,上级类别代码
EQ,装备制造,Equipment,
EQ05,交通运输装备,Transport equipment,EQ
AG01,农副食品加工,Agri-food,
"""
CLUSTERS = """集群代码,集群名称,集群类型,产业领域,集群类别代码,所在地区代码,成员地区代码
C1,沈阳航空装备产业集群,mainstay,equipment,EQ05,210100,211200
C2,大连船舶产业集群,mainstay,equipment,EQ05,210200,
C3,大连食品产业集群,mainstay,food,AG01,210200,
"""
MAP = """category_code,industry_code,weight
EQ05,37,1
AG01,13,1
"""
# employment: Shenyang 13: 100, 37: 300; Dalian 13: 200, 37: 200; Tieling 13: 50, 37: 50
RECORDS = """region_code,industry_code,year,employment
210100,13,2022,100
210100,37,2022,300
210200,13,2022,200
210200,37,2022,200
211200,13,2022,50
211200,37,2022,50
"""


@pytest.fixture
def new_layout(tmp_path: Path) -> Settings:
    from pipeline.jobs.build import recompute

    settings = Settings.from_env(tmp_path / "data")
    files = []
    for kind, text in (("regions", REGIONS), ("industries", INDUSTRIES), ("cluster-categories", CATEGORIES),
                       ("clusters", CLUSTERS), ("cluster-industries", MAP), ("regional-industry", RECORDS)):
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        files.append((kind, path))
    land_all(settings, files)
    recompute(settings, who="tester")
    return settings


def test_the_new_layout_by_hand(new_layout):
    # Category EQ05 (division 37), employment 2022: e = 400 + 400 + 100 = 900, e_37 = 300 + 200 + 50 = 550.
    # Shenyang (400): (300/400)/(550/900) = 1.2273; Dalian (400): (200/400)/(550/900) = 0.8182;
    # Tieling (100): (50/100)/(550/900) = 0.8182
    lq = _q(new_layout, """select region_code, lq from mart_category_lq where category_code = 'EQ05'
                           and measure = 'employment' order by region_code""").rows()
    assert lq == [("210100", pytest.approx(0.75 / (550 / 900))), ("210200", pytest.approx(0.5 / (550 / 900))),
                  ("211200", pytest.approx(0.5 / (550 / 900)))]
    # C1 and C2 share EQ05 but not their city: each takes its category's LQ in its own lead city
    lead = dict(_q(new_layout, """select cluster_code, lq from mart_cluster_lead_lq
                                  where measure = 'employment'""").rows())
    # C3 is AG01 (division 13, e_13 = 100 + 200 + 50 = 350) in Dalian: (200/400)/(350/900) = 1.2857
    assert lead == {"C1": pytest.approx(0.75 / (550 / 900)), "C2": pytest.approx(0.5 / (550 / 900)),
                    "C3": pytest.approx(0.5 / (350 / 900))}
    # where each named cluster is: C1 in Shenyang (lead) and Tieling (member), C2 and C3 in Dalian
    located = _q(new_layout, """select cluster_code, region_code, role, lq from mart_cluster_location
                                where year = 2022 order by all""").rows()
    assert located == [("C1", "210100", "lead", pytest.approx(0.75 / (550 / 900))),
                       ("C1", "211200", "member", pytest.approx(0.5 / (550 / 900))),
                       ("C2", "210200", "lead", pytest.approx(0.5 / (550 / 900))),
                       ("C3", "210200", "lead", pytest.approx(0.5 / (350 / 900)))]
    # the parent category EQ has no industries of its own: it is in the dictionary, measured nowhere
    assert _q(new_layout, "select count(*) from mart_category_lq where category_code = 'EQ'").item() == 0
    assert _q(new_layout, "select parent_code from dim_category where code = 'EQ05'").item() == "EQ"


def _land(settings: Settings, tmp_path: Path, kinds: tuple[tuple[str, str], ...]) -> None:
    files = []
    for kind, text in kinds:
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        files.append((kind, path))
    land_all(settings, files)


def test_member_regions_must_be_known(settings, tmp_path):
    _land(settings, tmp_path, (("regions", REGIONS), ("cluster-categories", CATEGORIES)))
    checked = check_upload(settings, ("集群代码,集群名称,集群类型,产业领域,集群类别代码,所在地区代码,成员地区代码\n"
                                      "C1,沈阳航空装备产业集群,mainstay,equipment,EQ05,210100,211200;219999\n"
                                      ).encode(), "clusters.csv", "clusters", this_year=2026)
    (error,) = checked.report.failures
    assert (error.row, error.column, error.value, error.rule) == (2, "成员地区代码", "211200;219999", "unknown_code")
    assert "210100" in error.fix


def test_a_map_row_names_a_category_or_a_cluster_not_both(settings, tmp_path):
    _land(settings, tmp_path, (("regions", REGIONS), ("industries", INDUSTRIES), ("cluster-categories", CATEGORIES),
                               ("clusters", CLUSTERS)))
    checked = check_upload(settings, b"category_code,cluster_code,industry_code\nEQ05,C1,37\n,,13\nAG01,,13\n",
                           "map.csv", "cluster-industries", this_year=2026)
    rows = sorted((f.row, f.rule) for f in checked.report.failures)
    assert rows == [(2, "category_or_cluster"), (3, "category_or_cluster")]


def test_the_first_cluster_has_strengths_in_absolute_terms(demo):
    # COINr's get_str_weak rule (see pipeline.scoring.explain.strengths_weaknesses): the first-ranked cluster's
    # best-ranked indicators are strengths when they lie in the top third of the clusters ranked on them
    top = _q(demo, "select cluster_code from mart_cluster_score where year = 2022 and rank = 1").item()
    sw = _q(demo, """select kind, indicator, indicator_rank, indicator_n from mart_cluster_strengths_weaknesses
                     where cluster_code = ? and year = 2022""", [top])
    strengths = sw.filter(pl.col("kind") == "strength")
    assert 1 <= strengths.height <= 3
    assert (strengths.get_column("indicator_rank") <= (strengths.get_column("indicator_n") / 3).ceil()).all()
    weaknesses = sw.filter(pl.col("kind") == "weakness")
    assert (weaknesses.get_column("indicator_rank")
            > weaknesses.get_column("indicator_n") - (weaknesses.get_column("indicator_n") / 3).ceil()).all()


def test_tables_keep_the_uploaded_dictionarys_order(tmp_path):
    # A dictionary whose own order is not its codes' text order (Tieling 211200 listed first): the dictionaries and
    # the region tables keep the file's order, not the codes' characters.
    from pipeline.jobs.build import recompute

    lines = REGIONS.splitlines()
    reordered = "\n".join([lines[0], lines[1], lines[4], lines[2], lines[3]]) + "\n"  # province, Tieling, ...
    settings = Settings.from_env(tmp_path / "data")
    _land(settings, tmp_path, (("regions", reordered), ("industries", INDUSTRIES), ("cluster-categories", CATEGORIES),
                               ("clusters", CLUSTERS), ("cluster-industries", MAP), ("regional-industry", RECORDS)))
    recompute(settings, who="tester")
    path = settings.warehouse_path
    assert queries.dictionaries(path)["regions"].get_column("code").to_list() == [
        "210000", "211200", "210100", "210200"]
    lv = queries.levels(path)
    cities = queries.region_profile(path, "210100", 2022, "employment", start_year=None, end_year=None, **lv)["cities"]
    assert cities.get_column("region_code").to_list() == ["211200", "210100", "210200"]
