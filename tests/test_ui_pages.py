"""Every analysis page, run with Streamlit's AppTest on the tiny set built by the real recompute path.

The tiny set (tests/conftest.py) is small enough to check by hand: two cities, two industries, two clusters.
Employment 2022: Shenyang 100 (industry 13) + 300 (37) = 400; Dalian 200 + 200 = 400; output in 万元.
The composite scores 73.61 / 26.39 are worked out in test_scoring_tiny.py.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import TINY, land_all
from streamlit.testing.v1 import AppTest

from pipeline.core.settings import Settings
from warehouse import queries

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
EQ, AG = "Shenyang aviation equipment cluster", "Dalian food processing cluster"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The tiny set landed and built once for this module's read-only pages."""
    from pipeline.jobs.build import recompute

    root = tmp_path_factory.mktemp("ui-tiny")
    settings = Settings.from_env(root / "data")
    files = []
    for kind, name, text in TINY:
        path = root / name
        path.write_text(text, encoding="utf-8")
        files.append((kind, path))
    land_all(settings, files)
    recompute(settings, who="tester")
    return settings


def app(settings: Settings, monkeypatch: pytest.MonkeyPatch, lang: str = "en", page: str | None = None) -> AppTest:
    monkeypatch.setenv("CLUSTERSTATS_DATA_DIR", str(settings.data_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def test_overview_kpis_balance_and_top_clusters(tiny, monkeypatch):
    at = app(tiny, monkeypatch)
    got = metrics(at)
    # two clusters, output 5e9 + 2e9 yuan, employment 10,000 + 8,000; median of 73.61 and 26.39 is 50
    assert (got["Clusters"], got["Cluster output"], got["Cluster jobs"], got["Median score"]) == (
        "2", "7.0 bn", "18.0 k", "50.0")
    # province output 4.5e9 + 2.5e9 yuan (万元 x 10,000), employment 400 + 400 persons
    assert (got["Province output"], got["Province jobs"]) == ("7.0 bn", "0.8 k")
    # Theil T of output over the two cities: shares 4.5/7 and 2.5/7, T = sum s ln(2 s) = 0.0414, all between zones
    assert (got["Theil index"], got["Between zones"], got["Within zones"]) == ("0.041", "0.041", "0.000")
    top = at.dataframe[-1].value
    assert list(top["Cluster"]) == [EQ, AG] and list(top["Score"].round(2)) == [73.61, 26.39]
    assert list(top["Δ score"].round(2)) == [11.11, -11.11]  # 2021: 62.5 and 37.5
    build = queries.build_info(tiny.warehouse_path)
    assert any(build["build_id"] in m.value for m in at.markdown)


def test_overview_in_chinese_and_the_map_from_boundaries(tiny, monkeypatch, tmp_path):
    at = app(tiny, monkeypatch, lang="zh")
    got = metrics(at)
    # 7e9 yuan = 70.0 亿元, 18,000 persons = 1.80 万人, as the formatting rules write them (no space in Chinese)
    assert (got["集群总产值"], got["集群从业人员"]) == ("70.0亿元", "1.80万人")
    assert any("未找到地图边界" in c.value for c in at.caption)  # no boundaries yet: bars instead
    # boundaries keyed by 4-digit prefecture ids (as the Liaoning file) are matched to 210100 and 210200
    folder = tiny.data_dir / "boundaries"
    folder.mkdir(exist_ok=True)
    square = [[[123.0, 41.5], [123.5, 41.5], [123.5, 42.0], [123.0, 41.5]]]
    features = [{"type": "Feature", "id": code, "properties": {"name": name},
                 "geometry": {"type": "Polygon", "coordinates": square}}
                for code, name in (("2101", "沈阳市"), ("2102", "大连市"), ("9999", "elsewhere"))]
    (folder / "cities.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    try:
        at = app(tiny, monkeypatch, lang="zh")
        maps = [c for c in charts(at) if "geoshape" in json.dumps(c)]
        assert maps, "no choropleth drawn"
        shapes = next(layer for layer in maps[0]["layer"] if layer["mark"]["type"] == "geoshape")
        values = {f["properties"]["region_code"]: f["properties"]["value"] for f in shapes["data"]["values"]}
        assert values == {"210100": pytest.approx(45.0), "210200": pytest.approx(25.0)}  # 亿元
    finally:
        shutil.rmtree(folder)


def test_ranking_with_intervals_filters_and_sorting(tiny, monkeypatch):
    at = app(tiny, monkeypatch, page="ranking")
    table = at.dataframe[0].value
    assert list(table["Cluster"]) == [EQ, AG]
    assert list(table["90% interval"]) == ["1–1", "2–2"]  # the Monte Carlo never swaps two clusters this far apart
    assert list(table["Δ rank"]) == [0, 0] and list(table["Score"].round(1)) == [73.6, 26.4]
    at.selectbox(key="ranking_zone_en").set_value("Z-COASTAL").run()  # Dalian is in the coastal zone
    assert list(at.dataframe[0].value["Cluster"]) == [AG]
    at.selectbox(key="ranking_zone_en").set_value("").run()
    at.selectbox(key="ranking_sort_en").set_value("score_change").run()  # largest change first: EQ +11.11
    assert list(at.dataframe[0].value["Cluster"]) == [EQ, AG]
    at.multiselect(key="ranking_tiers_en").set_value(["emerging"]).run()
    assert at.dataframe[0].value.empty
    assert any(b.label == "Excel" for b in at.download_button)


def test_scorecard_header_pillars_indicators_and_change(tiny, monkeypatch):
    at = app(tiny, monkeypatch, page="scorecard")
    assert at.header[0].value == EQ
    got = metrics(at)
    assert (got["Score"], got["Rank"], got["90% rank interval"]) == ("73.6", "1 of 2", "1–1")
    assert (got["Output"], got["Employment"]) == ("5.00 bn yuan", "10,000 persons")
    pillars = at.dataframe[1].value.set_index("Pillar")
    # EQ: scale 100, agglomeration 66.67, growth 100, innovation 75, efficiency 100, openness 0 (no talent data)
    assert pillars.loc["Scale", "Score"] == pytest.approx(100) and pillars.loc["Openness and cooperation",
                                                                               "Score"] == pytest.approx(0)
    assert pillars.loc["Agglomeration", "Median"] == pytest.approx(50)  # median of 66.67 and 33.33
    indicators = at.dataframe[2].value
    assert len(indicators) == 19  # every indicator of the default methodology, reported or not
    by_name = indicators.set_index("Indicator")
    assert by_name.loc["Patents per 10,000 employees", "Value"] == pytest.approx(50)  # 50 patents / 10,000
    assert by_name.loc["Number of firms", "Flag"] == "not reported"
    assert by_name.loc["Energy use per 10,000 yuan of output", "Direction"] == "↓"
    strengths = at.dataframe[0].value
    # COINr's rule (pipeline.scoring.explain.strengths_weaknesses), two clusters: the top third is rank 1, the
    # bottom third rank 2. EQ ranks first on most indicators: its strengths are the first three of them in the
    # methodology's order; it ranks second on the LQ in its lead city (1.2 < 4/3) and on exports per output
    by_kind = strengths.groupby("Type")["Indicator"].apply(set).to_dict()
    assert by_kind["Strength"] == {"Output value", "Employment", "Share of provincial output"}
    assert by_kind["Weakness"] == {"Employment location quotient in the lead city", "Exports per output"}
    assert any("How the score changed in 2022" in json.dumps(c) for c in charts(at))
    # the LQ of its category by city marks the city the cluster is in (the category is measured in both)
    import pyarrow as pa

    (lq_chart,) = [c for c in at.get("vega_lite_chart") if "Location quotient of its category" in c.proto.spec]
    cities = {city for d in lq_chart.proto.datasets
              for city in pa.ipc.open_stream(d.data.data).read_all().to_pydict().get("city", [])}
    assert cities == {"Shenyang (lead city)", "Dalian"}
    at.selectbox(key="scorecard_cluster_en").set_value("LN-AG-001").run()
    assert at.header[0].value == AG and metrics(at)["Rank"] == "2 of 2"


def test_scorecard_waterfall_adds_up(tiny, monkeypatch):
    from ui.components_scorecard import waterfall_steps

    change = queries.run(tiny.warehouse_path, "ui_cluster_change", code="LN-EQ-001", year=2022)
    monkeypatch.setattr("ui.i18n.lang", lambda: "en")
    steps = waterfall_steps(change)
    totals = steps.filter(steps["kind"] == "total")["value"].to_list()
    assert totals == pytest.approx([62.5, 73.6111], abs=1e-3)
    assert steps.filter(steps["kind"] != "total")["value"].sum() == pytest.approx(73.6111 - 62.5, abs=1e-3)
    assert steps["label"][1] == "Patents per 10,000 employees"  # the largest move: 40 -> 50 patents


def test_region_profile_of_shenyang(tiny, monkeypatch):
    at = app(tiny, monkeypatch, page="region")
    assert at.header[0].value == "Shenyang"
    got = metrics(at)
    # shares 100/400 and 300/400: HHI 0.0625 + 0.5625, entropy 0.811 bits; province shares 300/800 and 500/800:
    # Krugman |0.25 - 0.375| + |0.75 - 0.625| = 0.25
    assert (got["HHI (concentration)"], got["Entropy (diversity)"], got["Krugman index"]) == ("0.625", "0.81", "0.250")
    assert (got["Share of the province"], got["Employment"]) == ("50.0%", "0.4 k")
    assert got["Cluster strength"] == "75.0%"  # the aviation category (LQ 1.2, 300 persons) is strong
    # two tables with two titles: the named clusters located here, and the strong categories here (the tiny set is
    # in the layout before categories, so each cluster is a category of its own, named like it)
    titles = [h.value for h in at.subheader]
    assert "Clusters located here (1)" in titles and "Strong cluster categories here (1)" in titles
    located = at.dataframe[0].value
    assert list(located["Cluster"]) == [EQ] and list(located["Role"]) == ["lead city"]
    assert located["Category LQ here"].iloc[0] == pytest.approx(1.2)
    strong = at.dataframe[1].value
    assert list(strong["Cluster category"]) == [EQ] and strong["LQ"].iloc[0] == pytest.approx(1.2)


def test_indices_explorer_lq_matrix(tiny, monkeypatch):
    at = app(tiny, monkeypatch, page="indices")
    table = at.dataframe[0].value.set_index("City")
    # LQ = (e_ri / e_r) / (e_i / e): Shenyang x 37 = (300/400) / (500/800) = 1.2; Dalian x 13 = (200/400)/(300/800)
    assert table.loc["Shenyang", "Railway, ship, aerospace equipment"] == pytest.approx(1.2)
    assert table.loc["Dalian", "Agri-food processing"] == pytest.approx(4 / 3)
    assert any(c.value for c in at.get("latex"))  # the definition with its formula


def test_regions_and_industries_in_code_order_on_the_heatmap_and_in_the_table(tiny, monkeypatch):
    # GB/T 2260 order: 210100 Shenyang before 210200 Dalian, though "Dalian" < "Shenyang" and 大 < 沈 by character
    import io

    import openpyxl

    import ui.components

    workbooks = []  # the XLSX download's builder, called as a click would
    monkeypatch.setattr(ui.components, "download_xlsx", lambda label, make, **_: workbooks.append(make))
    for lang, first, second in (("en", "Shenyang", "Dalian"), ("zh", "沈阳市", "大连市")):
        at = app(tiny, monkeypatch, lang=lang, page="indices")
        table = at.dataframe[0].value
        assert list(table.iloc[:, 0]) == [first, second]
        book = openpyxl.load_workbook(io.BytesIO(workbooks[-1]()))
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        # the first row says what the data are (here the internal official build), then the header, then the rows
        assert rows[0][0] == ("INTERNAL: official build, not a release; not for publication" if lang == "en"
                              else "内部资料：正式库，尚未发布，不得公开")
        assert [r[0] for r in rows[2:4]] == [first, second]
        (spec,) = [c for c in charts(at) if c.get("mark", {}).get("type") == "rect"
                   or "rect" in json.dumps(c.get("mark", ""))]
        assert spec["encoding"]["x"]["sort"] == [first, second]


def test_compare_two_clusters_and_two_cities(tiny, monkeypatch):
    at = app(tiny, monkeypatch, page="compare")
    table = at.dataframe[0].value.set_index("Item")
    assert (table.loc["Score", EQ], table.loc["Score", AG]) == ("73.6", "26.4")
    assert (table.loc["Scale", EQ], table.loc["Scale", AG]) == ("100.0", "0.0")
    at.segmented_control(key="compare_mode_en").set_value("cities").run()
    table = at.dataframe[0].value.set_index("Item")
    assert (table.loc["HHI (concentration)", "Shenyang"], table.loc["HHI (concentration)", "Dalian"]) == (
        "0.625", "0.500")


def test_data_page_uploads_coverage_quality_dictionary(tiny, monkeypatch):
    at = app(tiny, monkeypatch, page="data_status")
    uploads = at.dataframe[0].value
    assert len(uploads) == 7 and set(uploads["In the live build"]) == {"yes"}
    assert metrics(at)["Uploads landed"] == "7"
    assert any("Values treated before scoring (0)" in m.value for m in at.markdown)
    dictionary = next(d.value for d in at.dataframe if "Chinese title" in d.value.columns)
    assert "地区代码" in set(dictionary["Chinese title"])  # the regions kind comes first


def test_pages_say_plainly_when_there_is_no_data(settings, monkeypatch):
    for page in (None, "ranking", "scorecard", "region", "indices", "compare", "data_status", "methodology"):
        at = app(settings, monkeypatch, page=page)
        assert any("There is no data yet" in i.value for i in at.info), page


def test_a_warehouse_from_another_version_is_said_and_serve_rebuilds_it(built, monkeypatch):
    import duckdb
    from click.testing import CliRunner

    from pipeline.cli import app as cli_module

    con = duckdb.connect(str(built.warehouse_path))  # simulate a build by other code
    con.sql("update _build set schema_version = 'older'")
    con.close()
    at = app(built, monkeypatch)
    assert at.error and "built by another version" in at.error[0].value
    assert not at.metric  # the page stopped rather than crash on tables it does not know

    served = []
    monkeypatch.setattr(cli_module.os, "execve", lambda exe, args, env: served.append(args))
    result = CliRunner().invoke(cli_module.cli, ["--data-dir", str(built.data_dir), "serve", "--port", "8765",
                                                 "--no-worker", "--no-api"])
    assert result.exit_code == 0, result.output
    assert "rebuilding it from the landing zone" in result.output
    assert queries.is_current(queries.build_info(built.warehouse_path))
    assert served and served[0][served[0].index("--server.port") + 1] == "8765"
