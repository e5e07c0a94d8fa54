"""Methodology files: the default, validation with the line and field of each problem, the hash as version."""

from __future__ import annotations

from importlib import resources

import polars as pl
import pytest

from pipeline.core.errors import MethodologyInvalid
from pipeline.scoring import Methodology, composite_scores, indicator_values

REPORTED = {"output_value", "employment", "firms", "new_firms", "rd_spending", "rd_staff", "patents",
            "new_product_sales", "exports", "profit", "energy_use", "sme_output", "graduates"}
DERIVED = {"lq_employment", "lq_output_value", "output_share", "firm_hhi_employment", "firm_hhi_output_value",
           "firm_cr4_output_value"}


def base_text() -> str:
    return resources.files("pipeline.scoring").joinpath("default_methodology.toml").read_text("utf-8")


def test_default_methodology_covers_the_provinces_pillars():
    m = Methodology.default()
    assert m.children("index") == ["scale", "agglomeration", "growth", "innovation", "efficiency", "openness",
                                   "talent"]
    by_pillar = {p: m.children(p) for p in m.children("index")}
    assert by_pillar["agglomeration"] == ["lq_employment", "output_share", "firm_concentration"]
    assert m.node("firm_concentration").direction == -1 and m.node("energy_intensity").direction == -1
    assert {i.source for i in m.indicators} | {i.denominator for i in m.indicators if i.denominator} <= (
        REPORTED | DERIVED)
    assert all(i.name_zh and i.unit for i in m.indicators)
    # each choice is documented in the file itself
    text = base_text()
    for key in ("imputation", "outliers", "normalisation", "weights", "aggregation", "min_coverage"):
        assert any(key in line and "#" in line for line in text.splitlines()), key
    assert (m.indices.reference, m.lq_threshold, m.size_small, m.size_large) == ("internal", 1.0, 1e9, 1e10)


def test_changing_one_weight_changes_the_hash_and_the_scores():
    base = Methodology.default()
    text = base_text().replace('code = "export_share"', 'code = "export_share"\nweight = 3', 1)
    text = text.replace('name = "pillar"\nweights = "equal"', 'name = "pillar"\nweights = "manual"', 1)
    changed = Methodology.from_text(text)
    assert changed.hash != base.hash and len(changed.hash) == 16
    names = sorted(REPORTED)
    a = {n: 100.0 for n in names} | {"exports": 10.0, "sme_output": 50.0, "output_value": 1000.0}
    b = {n: 120.0 for n in names} | {"exports": 200.0, "sme_output": 100.0, "output_value": 1000.0}
    reported = pl.DataFrame({"cluster_code": ["A"] * len(names) + ["B"] * len(names), "year": 2022,
                             "indicator": names * 2, "value": [a[n] for n in names] + [b[n] for n in names]})
    old, _ = composite_scores(indicator_values(reported, base), base)
    new, _ = composite_scores(indicator_values(reported, changed), changed)
    # openness: export share A 1% < B 20%, SME share A 5% < B 10%: B leads both, openness is 0 / 100 whatever
    # the weights, so the scores do not move
    assert old.get_column("score").to_list() == new.get_column("score").to_list()
    reported = reported.with_columns(
        pl.when((pl.col("cluster_code") == "B") & (pl.col("indicator") == "sme_output")).then(10.0)
        .otherwise(pl.col("value")).alias("value"))
    old, _ = composite_scores(indicator_values(reported, base), base)
    new, _ = composite_scores(indicator_values(reported, changed), changed)
    # now A leads the SME share (5% > 1%) and B the export share (20% > 1%): openness A = 50 -> 25, B 50 -> 75;
    # the index has 5 pillars (no agglomeration variables, no growth in a single year): it moves by 25 / 5
    assert old.sort("cluster_code").get_column("score").to_list() != new.sort("cluster_code").get_column(
        "score").to_list()
    diff = (new.sort("cluster_code").get_column("score") - old.sort("cluster_code").get_column("score")).to_list()
    assert diff == pytest.approx([-25 / 5, 25 / 5])


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("direction = -1  ", "direction = 0  ", 1),
         "[[indicator]] firm_concentration direction: must be 1 or -1, found 0"),
        (lambda t: t.replace('normalisation = "minmax"', 'normalisation = "fancy"'),
         "[[level]] indicator normalisation: 'fancy' is not one of"),
        (lambda t: t.replace("min_coverage = 0.3 ", "min_coverage = 1.5 "),
         "[methodology] min_coverage: must be between 0 and 1, found 1.5"),
        (lambda t: t.replace('source = "patents"', ""),
         "[[indicator]] patents_per_10k_employees: source: missing"),
        (lambda t: t.replace('parent = "talent"', 'parent = "talents"', 1),
         "[[indicator]] graduates_per_1k_employees parent: 'talents' is not an aggregate of level 'pillar'"),
        (lambda t: t.replace('scale = 10000', 'scale = "a lot"', 1),
         "[[indicator]] patents_per_10k_employees scale: expected a number, found 'a lot'"),
        (lambda t: t.replace('"output_value"\ngrowth = "yoy"', '"output_value"\ngrowth = "weekly"', 1),
         "[[indicator]] output_growth growth: 'weekly' is not one of yoy, cagr"),
        (lambda t: t.replace("weight_spread = 0.25", "weight_spread = 2"), "[uncertainty] weight_spread"),
        (lambda t: t.replace('aggregations = ["arithmetic", "geometric"]', 'aggregations = ["median"]'),
         "[uncertainty] aggregations"),
        (lambda t: t + '\n[[indicator]]\ncode = "x"\nsource = "x"\nparent = "scale"\ncolour = "red"\n',
         "[[indicator]] x colour: unknown field"),
    ],
)
def test_invalid_methodology_names_the_line_and_the_field(edit, message):
    text = edit(base_text())
    with pytest.raises(MethodologyInvalid) as info:
        Methodology.from_text(text, source="m.toml")
    said = str(info.value)
    assert said.startswith("m.toml: line ") and message in said, said
    line = int(said.split("line ", 1)[1].split(":", 1)[0])
    field = message.split(":")[0].rsplit(" ", 1)[-1]
    assert field in text.splitlines()[line - 1] or "[[" in text.splitlines()[line - 1], (line, field)


def test_toml_syntax_errors_name_the_line():
    with pytest.raises(MethodologyInvalid, match=r"m.toml: not valid TOML: .*line 3"):
        Methodology.from_text('[methodology]\nname = "x"\n[[indicator]\n', source="m.toml")


def test_from_toml_reads_a_file(tmp_path):
    path = tmp_path / "liaoning.toml"
    path.write_text(base_text(), encoding="utf-8")
    m = Methodology.from_toml(path)
    assert m.hash == Methodology.default().hash and m.source == str(path)


def test_the_short_form_needs_only_indicators():
    m = Methodology.from_text('[[indicator]]\ncode = "a"\nsource = "a"\n[[indicator]]\ncode = "b"\nsource = "b"\n')
    assert [lv.name for lv in m.levels] == ["indicator", "index"] and m.children("index") == ["a", "b"]
    assert (m.normalisation, m.aggregation, m.min_coverage) == ("minmax", "arithmetic", 0.5)


def test_the_scoring_package_does_no_io_but_reading_the_methodology():
    import ast
    from pathlib import Path

    import pipeline.scoring

    for path in Path(pipeline.scoring.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)
                 for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
        assert not names & {"duckdb", "streamlit", "os", "warehouse"}, path.name
        if path.name != "methodology.py":
            assert "pathlib" not in names and "open(" not in path.read_text(encoding="utf-8"), path.name
