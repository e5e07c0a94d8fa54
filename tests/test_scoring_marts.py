"""The scoring engine in the warehouse: every score detail mart, methodology versions kept readable, the demo."""

from __future__ import annotations

from importlib import resources

import polars as pl
import pytest

from pipeline.jobs.build import recompute
from pipeline.jobs.methodologies import archived, methodology_path
from pipeline.scoring import Methodology
from warehouse import queries
from warehouse.db import read_only


def _q(settings, sql: str) -> pl.DataFrame:
    with read_only(settings.warehouse_path) as con:
        return con.sql(sql).pl()


def _default_text() -> str:
    return resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")


def test_changing_one_weight_makes_a_new_version_and_keeps_the_old_scores(built):
    old_build = queries.build_info(built.warehouse_path)
    old = _q(built, "select cluster_code, year, score from mart_cluster_score order by all")
    # an administrator doubles the weight of the scale pillar in the data directory's methodology file
    text = _default_text()
    marker, level = 'code = "scale"', 'name = "index"\nweights = "equal"'
    assert marker in text and level in text
    text = text.replace(level, 'name = "index"\nweights = "manual"', 1).replace(marker, marker + "\nweight = 2", 1)
    methodology_path(built).write_text(text, encoding="utf-8")
    result = recompute(built)
    new_hash = result.methodology_hash
    assert new_hash != old_build["methodology_hash"]
    assert queries.build_info(built.warehouse_path)["methodology_hash"] == new_hash
    new = _q(built, "select cluster_code, year, score from mart_cluster_score order by all")
    assert new.get_column("score").to_list() != old.get_column("score").to_list()
    # EQ leads on scale (100 against 0): doubling that pillar's weight raises its 2022 score
    # from 441.67/6 to (441.67 + 100)/7 = 77.38 and lowers AG's from 158.33/6 to 158.33/7 = 22.62
    eq = new.filter((pl.col("cluster_code") == "LN-EQ-001") & (pl.col("year") == 2022)).get_column("score").item()
    assert eq == pytest.approx((441.6667 + 100) / 7, abs=1e-3)
    # the old scores stay readable under the old version, the new ones under the new
    history = _q(built, "select methodology_hash, cluster_code, year, score, is_current "
                        "from mart_cluster_score_history order by all")
    old_rows = history.filter(pl.col("methodology_hash") == old_build["methodology_hash"])
    assert old_rows.select("cluster_code", "year", "score").sort("cluster_code", "year").equals(
        old.sort("cluster_code", "year"))
    assert old_rows.get_column("is_current").to_list() == [False] * old.height
    assert history.filter(pl.col("methodology_hash") == new_hash).get_column("is_current").all()
    assert {m.hash for m in archived(built)} == {old_build["methodology_hash"], new_hash}


def test_score_detail_marts_of_the_tiny_set(built):
    pillars = _q(built, "select code, score from mart_cluster_aggregate where cluster_code = 'LN-EQ-001' "
                        "and year = 2022 and level = 'pillar' and score is not null order by code")
    # pillar scores of EQ in 2022 (hand calculation in test_scoring_tiny.py; talent is not reported)
    assert dict(pillars.rows()) == pytest.approx({"agglomeration": 200 / 3, "efficiency": 100.0, "growth": 100.0,
                                                  "innovation": 75.0, "openness": 0.0, "scale": 100.0}, abs=1e-6)
    interval = _q(built, "select rank, rank_low, rank_high from mart_cluster_rank_interval "
                         "where year = 2022 order by rank").rows()
    for rank, low, high in interval:  # the 90% interval contains the point rank, within 1..2
        assert 1 <= low <= rank <= high <= 2
    change = _q(built, "select previous_year, change from mart_cluster_score_change "
                       "where cluster_code = 'LN-EQ-001' and year = 2022").row(0)
    # EQ: 62.5 in 2021 -> 73.61 in 2022 (test_scoring_tiny.py)
    assert change == (2021, pytest.approx(441.6667 / 6 - 62.5, abs=1e-3))


@pytest.mark.slow
def test_on_the_demo_every_cluster_has_score_pillars_interval_and_explanation(tmp_path):
    from pipeline.core.settings import Settings
    from pipeline.demo.run import run_demo

    settings = Settings.from_env(tmp_path / "data")
    list(run_demo(settings))
    latest = _q(settings, "select max(year) from mart_cluster_score").item()
    per_cluster = _q(settings, f"""
        select c.code,
               (select count(score) from mart_cluster_score s where s.cluster_code = c.code
                and year = {latest}) as scored,
               (select count(*) from mart_cluster_aggregate a where a.cluster_code = c.code and year = {latest}
                and level = 'pillar' and score is not null) as pillars,
               (select count(*) from mart_cluster_rank_interval r where r.cluster_code = c.code
                and year = {latest} and rank_low <= rank and rank <= rank_high) as intervals,
               (select count(*) from mart_cluster_score_change x where x.cluster_code = c.code and year = {latest}
                and previous_year = {latest - 1} and change is not null) as explained
        from dim_cluster c""")
    assert per_cluster.height == 120
    assert per_cluster.select(pl.col("scored").min(), pl.col("intervals").min(), pl.col("explained").min()).row(0) == (
        1, 1, 1)
    assert per_cluster.get_column("pillars").min() >= 4  # at least four of the seven pillars (the index's rule)
    assert Methodology.default().hash == queries.build_info(settings.warehouse_path)["methodology_hash"]
