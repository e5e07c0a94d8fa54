"""Protecting a table of firm records with hierarchical dimensions (issue 17): primary cells at every level of the
hierarchies, secondary cells by Gaussian elimination, and the attacker's linear programmes, by hand on a 2 x 2 table
and on the demo's city x industry output table."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from test_ui_demo import demo_data_dir

from pipeline.publishing.attack import attack
from pipeline.publishing.protect import ancestors, protect_table
from pipeline.publishing.secondary import TOTAL
from pipeline.scoring import Methodology
from warehouse.db import query, read_only

REGIONS = {"A": "P", "B": "P", "P": None}
INDUSTRIES = {"i1": "S", "i2": "S", "S": None}
#: ten firms in a 2 x 2 table: A x i2 is one firm (100), the other cells three each
RECTANGLE = pl.DataFrame({
    "region": ["A", "A", "A", "A", "B", "B", "B", "B", "B", "B"],
    "industry": ["i1", "i1", "i1", "i2", "i1", "i1", "i1", "i2", "i2", "i2"],
    "firm": [f"f{i}" for i in range(1, 11)],
    "output": [50.0, 50, 50, 100, 30, 30, 40, 60, 20, 20]})


def test_a_single_firm_cell_is_protected_by_the_rectangle_around_it():
    # A x i2 is one firm (100): confidential (fewer than 3 firms). Its row total A = 250 and column total i2 = 200
    # would give it away with A x i1 (150) or B x i2 (100) published: largest cells are published first, so the
    # rectangle A x i1, B x i1, B x i2 is suppressed and the margins stay.
    out = protect_table(RECTANGLE, dims={"region": REGIONS, "industry": INDUSTRIES}, value="output", contributor="firm")
    cells = out["cells"]
    shown = cells.select("region", "industry", "primary", "secondary")
    flags = {f"{r}/{i}": (p, s) for r, i, p, s in shown.iter_rows()}
    assert flags == {"A/S": (False, False), "A/i1": (False, True), "A/i2": (True, False), "B/S": (False, False),
                     "B/i1": (False, True), "B/i2": (False, True), "P/S": (False, False), "P/i1": (False, False),
                     "P/i2": (False, False)}
    # the attacker: A/i2 = t gives A/i1 = 250 - t (row A), B/i1 = 250 - A/i1 = t (column i1), B/i2 = 200 - t
    # (row B); all >= 0, so t lies in [0, 200]
    (b,) = attack(out["x"], out["inner"].get_column("total").to_numpy(), cells.get_column("suppressed").to_numpy(),
                  cells=np.flatnonzero(cells.get_column("primary").to_numpy()))
    assert (b.value, b.low, b.high) == pytest.approx((100.0, 0.0, 200.0), rel=1e-12, abs=1e-9) and b.protected(0.10)


def test_a_total_made_by_two_firms_is_confidential_too():
    # firms per cell: A/i1 2, A/i2 1, A/S 3; B/i1 1, B/i2 1, B/S 2; P/i1 3, P/i2 2, P/S 5. Fewer than 3 is
    # confidential at every level: B's total (2 firms) and the province's i2 (2 firms) too
    records = pl.DataFrame({"region": ["A", "A", "A", "B", "B"], "industry": ["i1", "i1", "i2", "i1", "i2"],
                            "firm": ["a1", "a2", "a3", "b1", "b2"], "output": [10.0, 10, 10, 10, 10]})
    cells = protect_table(records, dims={"region": REGIONS, "industry": INDUSTRIES}, value="output",
                          contributor="firm")["cells"]
    frequency = {f"{r}/{i}" for r, i, f in cells.select("region", "industry", "frequency").iter_rows() if f}
    assert frequency == {"A/i1", "A/i2", "B/i1", "B/i2", "B/S", "P/i2"}
    assert ancestors("i1", INDUSTRIES) == ["i1", "S"]


def test_the_demo_city_by_industry_output_table_is_protected(tmp_path_factory):
    # the demo's 2022 firm records (synthetic), city x industry at every level of both hierarchies, the default
    # methodology's rules: (1, 85), (2, 90), fewer than 3 firms
    folder = demo_data_dir(tmp_path_factory)
    with read_only(folder / "warehouse.duckdb") as con:
        firms = query(con, "select region_code, industry_code, firm_id, output_value from fact_firm where year = 2022")
        regions = dict(query(con, "select code, parent_code from dim_region").iter_rows())
        industries = dict(query(con, "select code, parent_code from dim_industry").iter_rows())
    rules = Methodology.default().disclosure
    out = protect_table(firms, dims={"region_code": regions, "industry_code": industries}, value="output_value",
                        contributor="firm_id", options=rules)
    cells = out["cells"]
    assert cells.height == out["x"].shape[1] and out["x"].shape[0] == out["inner"].height
    # every primary cell, checked again from the firm records by a second route (each firm's share of its cell)
    for r, i, primary in cells.select("region_code", "industry_code", "primary").iter_rows():
        under = firms.filter(pl.col("region_code").map_elements(lambda c, r=r: r in (TOTAL, *ancestors(c, regions)),
                                                                return_dtype=pl.Boolean)
                             & pl.col("industry_code").map_elements(
                                 lambda c, i=i: i in (TOTAL, *ancestors(c, industries)), return_dtype=pl.Boolean))
        shares = sorted(under.get_column("output_value").to_list(), reverse=True)
        total = sum(shares)
        expected = len(shares) < rules.min_contributors or any(
            total > 0 and sum(shares[:n]) >= total * k / 100 for n, k in rules.dominance)
        assert primary == expected, (r, i)
    primary = cells.get_column("primary").to_numpy()
    suppressed = cells.get_column("suppressed").to_numpy()
    assert primary.sum() >= 1 and cells.get_column("secondary").sum() >= 1
    inner = out["inner"].get_column("total").to_numpy()
    # the attacker cannot bound any primary cell within +-10 %
    assert all(b.protected(rules.protection) for b in attack(out["x"], inner, suppressed,
                                                             cells=np.flatnonzero(primary)))
    # ... and publishing any one secondary cell pins a primary cell
    for j in np.flatnonzero(cells.get_column("secondary").to_numpy()):
        weaker = suppressed.copy()
        weaker[j] = False
        assert not all(b.protected(rules.protection) for b in attack(out["x"], inner, weaker,
                                                                     cells=np.flatnonzero(primary)))


def test_a_published_sum_of_single_firm_cells_is_suppressed():
    # i1 has one firm in each of A, B, C (10, 20, 30): each is confidential; the province's i1 (60, three firms,
    # largest 50 %, two largest 83 %) passes every rule. Published, it would tell firm a1, who knows its own 10, that
    # b1 and c1 make 50 together: a two-firm total. GaussSuppression's singleton handling ("anySum") suppresses a
    # published sum that reduces to single-firm cells only, so P/i1 goes, and with it P/i2 (else P/S - P/i2 = P/i1).
    # The i2 cells (five firms each) are the secondary cells that keep each i1 cell from its row total.
    rows = [("A", "i1", "a1", 10.0), ("B", "i1", "b1", 20.0), ("C", "i1", "c1", 30.0)]
    rows += [(r, "i2", f"{r}{k}", v / 5) for r, v in (("A", 100.0), ("B", 200.0), ("C", 300.0)) for k in range(5)]
    records = pl.DataFrame(rows, schema=["region", "industry", "firm", "output"], orient="row")
    regions = {"A": "P", "B": "P", "C": "P", "P": None}
    cells = protect_table(records, dims={"region": regions, "industry": INDUSTRIES}, value="output",
                          contributor="firm")["cells"]
    flags = {f"{r}/{i}": ("primary" if p else "secondary") for r, i, p, s in
             cells.select("region", "industry", "primary", "suppressed").iter_rows() if s}
    assert flags == {"A/i1": "primary", "B/i1": "primary", "C/i1": "primary", "A/i2": "secondary",
                     "B/i2": "secondary", "C/i2": "secondary", "P/i1": "secondary", "P/i2": "secondary"}
    assert cells.filter((pl.col("region") == "P") & (pl.col("industry") == "i1")).row(0, named=True)[
        "n_contributors"] == 3
