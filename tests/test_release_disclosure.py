"""Disclosure control applied when a release is made (issue 17): the release file holds the protected tables (hand
calculation on the tiny set), the derived figures of a suppressed cell are withheld, the firm records never leave,
an uploader's confidential flag holds, a table without firm information needs an administrator's acknowledgement,
and on the demo release every protected table holds against the attacker's linear programmes."""

from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest
from test_releases import PUBLISH_AT, create
from test_submissions import run
from test_ui_demo import demo_data_dir

from pipeline.access.users import audit_log
from pipeline.core.ops import OpsStore
from pipeline.core.publication import release, releases
from pipeline.publishing.attack import attack
from pipeline.publishing.disclosure import protect_tables, suppressed_cells
from pipeline.publishing.releases import release_path
from pipeline.scoring import Methodology
from warehouse.db import query, read_only
from warehouse.disclosure import disclosure_inputs, withheld


def _read(path, sql: str) -> pl.DataFrame:
    with read_only(path) as con:
        return query(con, sql)


def test_the_tiny_release_holds_the_protected_employment_table(staffed):
    # employment 2022 (persons) and the firms behind each cell (tests/conftest.py):
    #                 industry 13                     industry 37                          section C (all)
    # Shenyang 210100  100 (no firm record)           300 (F001 6000, F002 3000, F003 1000)  3 firms
    # Dalian   210200  200 (F101 4000, F102 4000)     200 (no firm record)                  2 firms
    # province 210000  2 firms                         3 firms                               5 firms
    # Primary, default rules (fewer than 3 firms; largest 1 >= 85 % or largest 2 >= 90 % of what the firms make):
    # - frequency (2 firms): 210200 x 13, 210200 x C, 210000 x 13, and the food category (13 alone) at 210200 and
    #   210000: 5 cells;
    # - dominance (F001 + F002 = 9000 of 10000 = 90 %): 210100 x 37, 210100 x C, 210000 x 37, and the equipment
    #   category (37 alone) at 210100 and 210000; and the five 2-firm cells above (their two firms make 100 %):
    #   10 cells (a cell hit by two rules counts under each);
    # - 210000 x C: 5 firms, largest 6000 of 18000 (33 %), largest two 10000 (56 %): published.
    # Published then: 210100 x 13 (100), 210200 x 37 (200), the total 800. No primary cell is a sum of those
    # (210100 x 37 and 210200 x 13 are two unknowns adding to 800 - 100 - 200 = 500): no secondary cell, and the
    # attacker's bounds are wide: 210100 x 37 = 300 in [0, 500], 210100 x C = 400 in [100, 600].
    rel = create(staffed)
    report = rel["disclosure"]
    (employment,) = [t for t in report["tables"]
                     if t["measure"] == "employment" and t["table_name"] == "regional-industry"]
    assert (employment["assessed"], employment["frequency"], employment["dominance"], employment["secondary"],
            employment["interval"], employment["suppressed"]) == ("firms", 5, 10, 0, 0, 10)
    # the named clusters' own indicators (6 of them, 2 years) are reported as not assessed
    assert report["not_assessed"] == ["cluster-indicators: 6 indicators (none)"] and report["rules"]["symbol"] == "D"
    path = release_path(staffed, rel)
    facts = _read(path, "select region_code, industry_code, value, suppressed from fact_regional_industry "
                        "where measure = 'employment' order by all")
    assert facts.rows() == [("210100", "13", 100.0, False), ("210100", "37", None, True),
                            ("210200", "13", None, True), ("210200", "37", 200.0, False)]
    # the LQ of every cell needs its region's total, withheld for both cities: no employment LQ is published, the
    # grand total (800) is
    lq = _read(path, "select region_code, industry_code, value, region_total, total, lq, suppressed "
                     "from mart_location_quotient where measure = 'employment' order by all")
    assert lq.get_column("lq").null_count() == 4 and lq.get_column("region_total").null_count() == 4
    assert set(lq.get_column("total").to_list()) == {800.0} and lq.get_column("suppressed").all()
    assert lq.filter(pl.col("region_code") == "210100").get_column("value").to_list() == [100.0, None]
    # the firm records never leave; both clusters' firm concentration is withheld (3 firms, two make 90 %; 2 firms)
    assert _read(path, "select count(*) as n from fact_firm").item() == 0
    conc = _read(path, "select cluster_code, hhi, cr4, suppressed from mart_cluster_firm_concentration "
                       "where measure = 'employment' order by cluster_code")
    assert conc.rows() == [("LN-AG-001", None, None, True), ("LN-EQ-001", None, None, True)]
    # ... and so is each industry's (13: F101 and F102; 37: F001-F003, two making 90 %)
    conc = _read(path, "select industry_code, hhi, suppressed from mart_industry_firm_concentration "
                       "where measure = 'employment' order by industry_code")
    assert conc.rows() == [("13", None, True), ("37", None, True)]
    # the unprotected official build still has every figure (staff's view, marked internal)
    assert _read(staffed.warehouse_path, "select count(*) as n from fact_regional_industry "
                                         "where value is null").item() == 0
    # the report in the file, per table, and the CLI's
    in_file = _read(path, "select measure, year, assessed, frequency, dominance, suppressed from disclosure_report "
                          "where table_name = 'regional-industry' order by measure")
    assert in_file.rows() == [("employment", 2022, "firms", 5, 10, 10), ("output_value", 2022, "firms", 5, 10, 10)]
    shown = run(staffed, "release", "disclosure", "1", user="ada")
    assert shown.exit_code == 0, shown.output
    assert "employment" in shown.output and "firm records: every rule" in shown.output
    assert "fewer than 3 firms; dominance (1, 85%), (2, 90%)" in shown.output


def test_an_uploaders_confidential_flag_stays_suppressed(staffed, tmp_path):
    # Shenyang x 13 x 2022 employment (100, no firm record: published above) is marked "(D)" in a later upload (its
    # output figure is sent again); an empty newer value does not erase the older one, so the build still reads
    # 100, and the release must withhold it
    path = tmp_path / "flag.csv"
    path.write_text("地区代码,行业代码,年份,从业人员(人),工业总产值(万元)\n210100,13,2022,(D),50000\n",
                    encoding="utf-8")
    landed = run(staffed, "ingest", str(path), "--kind", "regional-industry", user="ada")
    assert landed.exit_code == 0, landed.output
    assert run(staffed, "recompute", user="ada").exit_code == 0
    rel = create(staffed)
    (employment,) = [t for t in rel["disclosure"]["tables"]
                     if t["measure"] == "employment" and t["table_name"] == "regional-industry"]
    assert employment["flagged"] == 2  # the cell, and the food category at 210100 (industry 13 alone): one figure
    facts = _read(release_path(staffed, rel), "select value, suppressed from fact_regional_industry where "
                                              "measure = 'employment' and region_code = '210100' and "
                                              "industry_code = '13'")
    assert facts.rows() == [(None, True)]
    # now every inner employment cell is suppressed: the grand total alone is published, and the attacker bounds
    # 210100 x 13 (100) only by [0, 800]


def test_a_row_whose_every_measure_is_marked_confidential_still_withholds_its_cell(staffed, tmp_path):
    # Shenyang x 13 x 2022 (employment 100 and an output value in the tiny set, both published) sent again with
    # both measures "保密": the row holds no figure and is not landed (a notice says so), the older figures stay in
    # the build, and the marks, kept with the row's keys, withhold both in the release
    path = tmp_path / "all-marked.csv"
    path.write_text("地区代码,行业代码,年份,从业人员(人),工业总产值(万元)\n210100,13,2022,保密,保密\n"
                    "210200,37,2022,200,\n", encoding="utf-8")
    landed = run(staffed, "ingest", str(path), "--kind", "regional-industry", user="ada")
    assert landed.exit_code == 0, landed.output
    assert "not landed" in landed.output
    assert run(staffed, "recompute", user="ada").exit_code == 0
    assert _read(staffed.warehouse_path, "select count(*) as n from fact_regional_industry where region_code = "
                                         "'210100' and industry_code = '13' and year = 2022 and value is not null"
                 ).item() == 2  # the build keeps the older figures
    rel = create(staffed)
    flagged = {t["measure"]: t["flagged"] for t in rel["disclosure"]["tables"]
               if t["table_name"] == "regional-industry"}
    assert flagged == {"employment": 2, "output_value": 2}  # the cell and the food category (13 alone) at 210100
    facts = _read(release_path(staffed, rel), "select measure, value, suppressed from fact_regional_industry where "
                                              "region_code = '210100' and industry_code = '13' order by measure")
    assert facts.rows() == [("employment", None, True), ("output_value", None, True)]


def test_a_table_without_firm_information_needs_an_administrators_acknowledgement(staffed, tmp_path):
    # value added has no firm record and no establishment count behind it: not assessed
    path = tmp_path / "va.csv"
    path.write_text("地区代码,行业代码,年份,增加值(万元)\n210100,13,2022,1000\n210100,37,2022,2000\n"
                    "210200,13,2022,1500\n210200,37,2022,1200\n", encoding="utf-8")
    assert run(staffed, "ingest", str(path), "--kind", "regional-industry", user="ada").exit_code == 0
    assert run(staffed, "recompute", user="ada").exit_code == 0
    rel = create(staffed, acknowledged=False)
    assert rel["disclosure"]["not_assessed"] == ["regional-industry: value_added (none)",
                                                 "cluster-indicators: 6 indicators (none)"]
    refused = run(staffed, "release", "approve", "1", user="ming")
    assert refused.exit_code == 1 and "could not be fully assessed" in refused.output
    assert "clusterstats release acknowledge 1" in refused.output
    # a reviewer may not acknowledge it, nor anyone without a reason
    assert run(staffed, "release", "acknowledge", "1", "--note", "x", user="rita").exit_code != 0
    assert run(staffed, "release", "acknowledge", "1", "--note", " ", user="ada").exit_code == 1
    ok = run(staffed, "release", "acknowledge", "1", "--note", "增加值按行业合计公布，已人工复核", user="ada")
    assert ok.exit_code == 0, ok.output
    entry = [e for e in audit_log(staffed) if e["action"] == "release_disclosure_acknowledged"]
    assert len(entry) == 1 and entry[0]["who"] == "ada"
    assert run(staffed, "release", "approve", "1", user="ming").exit_code == 0
    assert release(OpsStore(staffed.ops_path), 1)["acknowledged_by"] == "ada"
    shown = json.loads(run(staffed, "release", "disclosure", "1", "--json", user="ada").output)
    assert shown["acknowledged_note"] == "增加值按行业合计公布，已人工复核"


def test_every_protected_table_of_the_demo_release_holds_against_the_attacker(tmp_path_factory):
    # the demo's newest release (revision 2, frozen from the second build, which is the live build): its
    # suppression pattern, computed again from the unprotected build, is the file's; for every table (5 measures x
    # 10 years) the attacker's linear programmes bound each primary cell no closer than +-10 % (the methodology's
    # protection), given every published cell, total and category and non-negative inner cells
    folder = demo_data_dir(tmp_path_factory)
    from pipeline.core.settings import Settings

    settings = Settings.from_env(folder)
    newest = max(releases(OpsStore(settings.ops_path)), key=lambda r: r["number"])
    assert newest["number"] == 2 and newest["status"] == "published"
    frozen = withheld(release_path(settings, newest))
    rules = Methodology.default().disclosure
    tables = protect_tables(disclosure_inputs(settings.warehouse_path), rules)
    assert len(tables) == 50 and {t.assessed for t in tables} == {"firms", "counts"}
    checked = 0
    for table in tables:
        cells = table.result["cells"]
        keys = set(frozen.filter((pl.col("year") == table.year) & (pl.col("measure") == table.measure))
                   .select("region_code", "industry_code").iter_rows())
        suppressed = np.array([k in keys for k in cells.select("region_code", "industry_code").iter_rows()])
        assert (suppressed == cells.get_column("suppressed").to_numpy()).all(), (table.year, table.measure)
        primary = np.flatnonzero(cells.get_column("primary").to_numpy())
        bounds = attack(table.result["x"], table.result["inner"].get_column("total").to_numpy(), suppressed,
                        cells=primary)
        weak = [(cells.row(b.cell), b) for b in bounds if not b.protected(rules.protection)]
        assert weak == [], (table.year, table.measure, weak[:3])
        checked += len(bounds)
    assert checked == sum(int(t.result["cells"].get_column("primary").sum()) for t in tables) > 1000


def test_publishing_one_secondary_cell_of_a_demo_table_breaks_its_protection(tmp_path_factory):
    # the demo's output table of 2022 (firm records), as elimination leaves it (before the cells suppressed for the
    # intervals' sake): each secondary cell, published alone again, lets the attacker pin a primary cell
    folder = demo_data_dir(tmp_path_factory)
    rules = Methodology.default().disclosure
    inputs = disclosure_inputs(folder / "warehouse.duckdb")
    inputs["facts"] = inputs["facts"].filter((pl.col("year") == 2022) & pl.col("measure").is_in(
        ["output_value", "establishments"]))
    (table,) = protect_tables(inputs, rules)
    cells, x = table.result["cells"], table.result["x"]
    inner = table.result["inner"].get_column("total").to_numpy()
    primary = np.flatnonzero(cells.get_column("primary").to_numpy())
    by_elimination = np.flatnonzero(cells.get_column("secondary").to_numpy() & ~cells.get_column("interval")
                                    .to_numpy())
    suppressed = cells.get_column("primary").to_numpy().copy()
    suppressed[by_elimination] = True
    # elimination's promise: no primary cell is worked out exactly (its bounds are an interval, not a point)
    assert len(by_elimination) >= 5 and all(b.high - b.low > 1e-6 * abs(b.value)
                                            for b in attack(x, inner, suppressed, cells=primary) if b.value)
    for j in by_elimination:
        weaker = suppressed.copy()
        weaker[j] = False
        assert not all(b.protected(rules.protection) for b in attack(x, inner, weaker, cells=primary)), cells.row(j)


@pytest.mark.parametrize("who", ["vic"])
def test_a_viewer_reads_the_disclosure_report_of_a_published_release_only(staffed, who):
    create(staffed)
    assert run(staffed, "release", "disclosure", "1", user=who).exit_code == 1  # a draft: staff only
    assert run(staffed, "release", "create", "--title", "x", "--publish-at", PUBLISH_AT,
               user=who).exit_code != 0


def test_the_app_shows_the_symbol_and_its_footnote_on_a_release_and_every_figure_internally(tmp_path_factory,
                                                                                             monkeypatch):
    # the demo (single user, staff): the official build opens, marked internal, with every employment LQ of 2022;
    # on release 2 a withheld LQ shows "D" (保密 in Chinese) in the indices table, under the footnote
    from test_ui_demo import open_app

    from pipeline.core.settings import Settings

    settings = Settings.from_env(demo_data_dir(tmp_path_factory))
    rel = release(OpsStore(settings.ops_path), 2)
    hidden = _read(release_path(settings, rel), "select count(*) as n from mart_location_quotient where year = 2022 "
                                                "and measure = 'employment' and suppressed and lq is null").item()
    assert hidden > 0
    at = open_app(settings, monkeypatch)
    at.switch_page("views/indices.py").run()
    assert not at.exception
    assert any("Internal, not for publication" in w.value for w in at.warning)
    internal = at.dataframe[0].value
    assert "D" not in internal.astype(str).to_numpy().ravel().tolist()
    at.sidebar.selectbox(key="source").set_value("release-2").run()
    at.selectbox(key="indices_year").set_value(2022).run()
    table = at.dataframe[0].value
    cells = table.drop(columns=table.columns[0]).to_numpy().ravel().tolist()
    # the table shows the 14 cities x the largest industries; every withheld LQ among them is a "D", none a number
    shown = _read(release_path(settings, rel), "select count(*) as n from mart_location_quotient where year = 2022 "
                                               "and measure = 'employment' and lq is null and suppressed")
    assert 0 < cells.count("D") <= shown.item()
    assert any("D: withheld to protect respondents' confidentiality" in c.value for c in at.caption)
    at.session_state["lang"] = "zh"
    at.run()
    zh = at.dataframe[0].value
    assert "保密" in zh.drop(columns=zh.columns[0]).to_numpy().ravel().tolist()


def test_a_table_too_large_for_gaussian_elimination_is_protected_by_certificates(staffed, monkeypatch):
    # the limit lowered to 20 entries: the tiny table (4 inner x 10 published cells = 40) is over it, and gets a
    # certificate per primary cell instead. Employment 2022 (see the first test): ten primary cells, the largest
    # first; the cities' rows are siblings (pipeline/publishing/siblings.py), each cell's cost |value| / (firms + 1):
    # - 210100 x C (400): C is the root, so only an industry alone moves it, with both cities' rows: u1 = 13 moves
    #   13, C and the food category in rows 210100 and 210200; new cells 210100 x 13 and food at 210100 (100 / 1
    #   each: 200) against 210200 x 37 and equipment at 210200 (200 / 1 each: 400) for u1 = 37. Its inner cells
    #   (100 and 200) hold the step, 10 % of 400 = 40;
    # - 210200 x C (400): the same certificate, now all suppressed: nothing new;
    # - 210100 x 37 (300): the sibling industries 37 and 13 (C does not move), rows 210100 and 210200: 37, 13 and
    #   both categories in both; new 210200 x 37 and equipment at 210200 (inner cells 300, 100, 200, 200 >= 30);
    # - the rest (the cities' other cells, then the province's, all primary) move among suppressed cells only.
    # Four secondary cells, 14 suppressed: every city cell; the grand total (800) alone is published.
    from pipeline.publishing import protect

    monkeypatch.setattr(protect, "MAX_ENTRIES", 20)
    rel = create(staffed)
    (employment,) = [t for t in rel["disclosure"]["tables"]
                     if t["measure"] == "employment" and t["table_name"] == "regional-industry"]
    assert employment["method"] == "certificates"
    assert (employment["frequency"], employment["dominance"], employment["secondary"],
            employment["suppressed"]) == (5, 10, 4, 14)
    assert employment["leans_on_singleton"] == 0  # the tiny set has no cell of one firm
    path = release_path(staffed, rel)
    facts = _read(path, "select region_code, industry_code, value, suppressed from fact_regional_industry "
                        "where measure = 'employment' order by all")
    assert facts.rows() == [("210100", "13", None, True), ("210100", "37", None, True),
                            ("210200", "13", None, True), ("210200", "37", None, True)]
    lq = _read(path, "select distinct total from mart_location_quotient where measure = 'employment'")
    assert lq.rows() == [(800.0,)]  # the grand total published


def test_a_cell_the_attacker_pins_whatever_is_suppressed_stops_the_release(staffed, monkeypatch):
    # interval protection finds nothing published binding a confidential cell's bounds (the condition is made
    # here: the check itself is intervals.interval_suppression's): no release, a message saying what to check
    from pipeline.publishing import intervals, protect

    def pinned(*_args, **_kwargs):
        raise intervals.UnprotectableError("cell 3: its bounds are fixed by nothing published")

    monkeypatch.setattr(protect, "interval_suppression", pinned)
    result = run(staffed, "release", "create", "--title", "x", "--publish-at", PUBLISH_AT, user="rita")
    assert result.exit_code == 1 and "cannot widen the attacker's bounds of a confidential cell" in result.output
    assert "Nothing was released" in result.output and releases(OpsStore(staffed.ops_path)) == []


def test_the_protection_does_not_depend_on_the_order_of_the_records(tmp_path_factory):
    # a release is rebuilt from its vintages and compared table by table, so the same records in another order
    # (DuckDB returns rows in no fixed order) give the same suppressed cells: the demo's 2021-2022 tables, the
    # records shuffled twice
    folder = demo_data_dir(tmp_path_factory)
    rules = Methodology.default().disclosure
    inputs = disclosure_inputs(folder / "warehouse.duckdb")
    inputs["facts"] = inputs["facts"].filter(pl.col("year") >= 2021)
    first = suppressed_cells(protect_tables(inputs, rules)).sort(pl.all())
    assert first.height > 500
    for seed in (7, 11):
        shuffled = {k: v.sample(fraction=1.0, shuffle=True, seed=seed) for k, v in inputs.items()}
        assert suppressed_cells(protect_tables(shuffled, rules)).sort(pl.all()).equals(first)


def test_a_methodology_can_withhold_composite_scores_from_a_release(staffed, monkeypatch):
    # [disclosure] scores = "withheld": the release keeps every cluster's row and own figures but no score or rank,
    # empties every table made of scores, says so in its report, the CLI and the app; the build keeps them all
    from conftest import app_as

    from pipeline.jobs.build import recompute
    from pipeline.jobs.methodologies import methodology_path, methodology_text

    text = methodology_text(staffed).replace('scores = "published"', 'scores = "withheld"')
    assert 'scores = "withheld"' in text
    methodology_path(staffed).write_text(text, encoding="utf-8")
    recompute(staffed, who="ada")
    rel = create(staffed)
    assert rel["disclosure"]["scores"] == "withheld"
    path = release_path(staffed, rel)
    built = _read(staffed.warehouse_path, "select cluster_code, year, score, rank, output_value "
                                          "from mart_cluster_score order by all")
    released = _read(path, "select cluster_code, year, score, rank, output_value, note from mart_cluster_score "
                           "order by all")
    assert built.get_column("score").null_count() < built.height  # the build scores the tiny set's clusters
    assert released.select("cluster_code", "year", "output_value").equals(built.select("cluster_code", "year",
                                                                                       "output_value"))
    assert released.get_column("score").null_count() == released.get_column("rank").null_count() == released.height
    assert set(released.get_column("note")) == {"withheld"}
    pillars = _read(staffed.warehouse_path, "select count(*) as n from mart_cluster_aggregate").item()
    assert pillars > 0 and _read(path, "select count(*) as n from mart_cluster_aggregate").item() == 0
    assert rel["disclosure"]["withheld"]["mart_cluster_aggregate (scores)"] == pillars
    shown = run(staffed, "release", "disclosure", "1", user="ada")
    assert 'Composite scores and ranks: withheld (methodology: [disclosure] scores = "withheld")' in shown.output
    for page in ("scorecard", "ranking"):
        at = app_as(staffed, monkeypatch, "ada", page=page)
        at.sidebar.selectbox(key="source").set_value("release-1").run()
        assert not at.exception, (page, at.exception)
        assert any("Composite scores and ranks are withheld in this release" in i.value for i in at.info), page
