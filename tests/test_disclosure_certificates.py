"""Secondary suppression by certificates (issue 17; pipeline/publishing/certificates.py): a perturbation of the whole
table per confidential cell. Checked by hand on a 2 x 2 table, and by the attacker's linear programmes (every cell
of the table, all its totals and categories, non-negativity) on seeded random hierarchical tables with categories
and on every table of the demo release."""

from __future__ import annotations

import dataclasses

import numpy as np
import polars as pl
import pytest
from test_disclosure_protect import INDUSTRIES, RECTANGLE, REGIONS
from test_ui_demo import demo_data_dir

from pipeline.publishing import certificates, protect
from pipeline.publishing.attack import attack
from pipeline.publishing.axes import table_axes
from pipeline.publishing.certificates import certificate_suppression
from pipeline.publishing.disclosure import category_groups, hierarchies, protect_tables
from pipeline.scoring import Methodology
from pipeline.scoring.options import DisclosureOptions
from warehouse.disclosure import disclosure_inputs

CERTIFICATES = DisclosureOptions(method="certificates")


def _x(inner: pl.DataFrame, dims: dict, groups: dict | None = None) -> np.ndarray:
    """The inner x published matrix of a protected table (the attacker's view; the certificates never build it)."""
    names = list(dims)
    up = {d: protect._chains(inner.get_column(d).unique().to_list(), dims[d], (groups or {}).get(d, {}))
          for d in names}
    _, entries = protect._membership(inner, names, up)
    x = np.zeros((inner.height, int(entries.get_column("cell").max()) + 1))
    x[entries.get_column("inner").to_numpy(), entries.get_column("cell").to_numpy()] = entries.get_column(
        "weight").to_numpy()
    return x


def _bounds(out: dict, dims: dict, suppressed: np.ndarray, groups: dict | None = None) -> dict:
    cells = out["cells"]
    x = _x(out["inner"], dims, groups)
    return {b.cell: b for b in attack(x, out["inner"].get_column("total").to_numpy(), suppressed,
                                      cells=np.flatnonzero(cells.get_column("primary").to_numpy()))}


def test_a_single_firm_cell_gets_the_rectangle_of_its_siblings():
    # A x i2 is one firm (100): primary. Its certificate: A's sibling B and i2's sibling i1, the perturbation
    # +d at A/i2 and B/i1, -d at A/i1 and B/i2 moves no total (each row and column of P x S keeps its sum). Its
    # cells (150, 100, 100) are all at least 10 (10 % of 100), so A/i2 can move by +-10: the cheapest certificate
    # (the province's cells, its other choice, cost more), and the same cells as Gaussian elimination suppresses
    dims = {"region": REGIONS, "industry": INDUSTRIES}
    out = protect.protect_table(RECTANGLE, dims=dims, value="output", contributor="firm", options=CERTIFICATES)
    assert out["method"] == "certificates" and out["x"] is None
    cells = out["cells"]
    flags = {f"{r}/{i}": ("primary" if p else "secondary") for r, i, p, s in
             cells.select("region", "industry", "primary", "suppressed").iter_rows() if s}
    assert flags == {"A/i2": "primary", "A/i1": "secondary", "B/i1": "secondary", "B/i2": "secondary"}
    suppressed = cells.get_column("suppressed").to_numpy()
    (b,) = _bounds(out, dims, suppressed).values()
    assert (b.low, b.high) == pytest.approx((0.0, 200.0), abs=1e-9)  # A/i2 = t, A/i1 = 250 - t, ...: t in [0, 200]
    names = [f"{r}/{i}" for r, i in cells.select("region", "industry").iter_rows()]
    for cell in ("A/i1", "B/i1", "B/i2"):  # each certificate cell is needed: publish it and A/i2 is pinned
        weaker = suppressed.copy()
        weaker[names.index(cell)] = False
        (b,) = _bounds(out, dims, weaker).values()
        assert b.high - b.low < 1e-9 and not b.protected(0.10)


def _random_table(rng: np.random.Generator, half: float = 1.0) -> tuple[pl.DataFrame, dict, dict]:
    """3 prefectures x 4 counties, 3 divisions x 4 classes, 70 % of the county x class cells present (1 to 99),
    and two categories: one of two classes in different divisions, one of a whole division and a class; ``half``:
    the weight of three of those members (the demo's categories weigh their further divisions 0.5)."""
    regions = ({"T": None} | {f"P{p}": "T" for p in range(3)}
               | {f"P{p}c{k}": f"P{p}" for p in range(3) for k in range(4)})
    industries = ({"I": None} | {f"D{p}": "I" for p in range(3)}
                  | {f"D{p}x{k}": f"D{p}" for p in range(3) for k in range(4)})
    rows = [(r, i, float(rng.integers(1, 100))) for r in regions if "c" in r for i in industries if "x" in i
            if rng.random() < 0.7]
    inner = pl.DataFrame(rows, schema=["region_code", "industry_code", "total"], orient="row")
    groups = {"industry_code": {"G1": {"D0x0": half, "D1x1": half}, "G2": {"D2": half, "D0x3": 1.0}}}
    return inner, {"region_code": regions, "industry_code": industries}, groups


def _random_protection(seed: int, half: float) -> tuple[dict, dict, dict, np.ndarray, np.ndarray]:
    """A random table (:func:`_random_table`) whose smallest eighth of cells at every level are confidential (a
    cell of few firms is small), protected by certificates: the protection, its dims and groups, primary and
    secondary cells."""
    rng = np.random.default_rng(seed)
    inner, dims, groups = _random_table(rng, half)
    out = protect.protect_cells(inner, dims=dims, groups=groups, options=CERTIFICATES,
                                counts=inner.select("region_code", "industry_code", n=pl.lit(5)))
    cells = out["cells"]
    primary = (cells.get_column("total") <= cells.get_column("total").quantile(0.125)).to_numpy()
    names = list(dims)
    up = {d: protect._chains(out["inner"].get_column(d).unique().to_list(), dims[d], groups.get(d, {}))
          for d in names}
    axes, where = table_axes(cells, names, up, groups)
    totals = cells.get_column("total").to_numpy()
    secondary, _ = certificate_suppression(where[0], where[1], axes, totals, totals / 6, primary)
    out["cells"] = cells.with_columns(pl.Series("primary", primary))
    return out, dims, groups, primary, secondary


@pytest.mark.parametrize("half", [1.0, 0.5])
@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("seed", range(12))
def test_every_confidential_cell_of_a_random_hierarchical_table_holds_against_the_attacker(seed, fast, half,
                                                                                           monkeypatch):
    # the attacker's programmes must leave each confidential cell +-10 % of its value or more; with the sibling
    # fast path and without it (the general search alone), and with categories of weight 1 and of weight 0.5. A
    # cell of a 0.5 category moves by half its inner cells' step, so they must hold twice its protection: before
    # that was counted, seed 10 with weights 0.5 left a cell of 12 bounded by [0, 13] (less than 12 + 1.2)
    if not fast:
        monkeypatch.setattr(certificates.Siblings, "build", classmethod(lambda cls, *args: None))
    out, dims, groups, primary, secondary = _random_protection(seed, half)
    bounds = _bounds(out, dims, primary | secondary, groups)
    assert len(bounds) == int(primary.sum()) > 0
    assert all(b.protected(0.10) for b in bounds.values())


def test_the_fast_path_keeps_its_costs_up_to_date(monkeypatch):
    # the costs C[kind, r, u] it updates cell by cell equal the costs computed afresh from the pattern it leaves
    seen = []
    build, protect_ = certificates.Siblings.build.__func__, certificates.Siblings.protect

    def keep(cls, *args):  # rows, cols, values, costs, suppressed
        seen.append(args[:4])
        return build(cls, *args)

    def after(self, *args):
        done = protect_(self, *args)
        seen.append((self, self.s.copy()))
        return done

    monkeypatch.setattr(certificates.Siblings, "build", classmethod(keep))
    monkeypatch.setattr(certificates.Siblings, "protect", after)
    for seed in range(4):
        _, _, _, primary, _ = _random_protection(seed, 0.5)
        (local, pattern), args = seen[-1], seen[-2]
        assert pattern.sum() > primary.sum()  # it suppressed cells
        fresh = build(certificates.Siblings, *args, pattern)
        assert np.abs(local.cost - fresh.cost).max() < 1e-9


def test_every_table_of_the_demo_release_protected_by_certificates_holds_against_the_attacker(tmp_path_factory):
    # all 50 demo tables (ten years x five measures: 12,450 cells each, 6,175 primary cells in all), protected by
    # certificates instead of Gaussian elimination: no primary cell within +-10 % for the attacker
    folder = demo_data_dir(tmp_path_factory)
    inputs = disclosure_inputs(folder / "warehouse.duckdb")
    options = Methodology.default().disclosure
    tables = protect_tables(inputs, dataclasses.replace(options, method="certificates"))
    regions, industries = hierarchies(inputs)
    dims = {"region_code": regions, "industry_code": industries}
    checked = 0
    for table in tables:
        assert table.result["method"] == "certificates"
        groups = {"industry_code": category_groups(inputs["categories"], table.year)}
        bounds = _bounds(table.result, dims, table.result["cells"].get_column("suppressed").to_numpy(), groups)
        assert all(b.protected(options.protection) for b in bounds.values()), (table.year, table.measure)
        checked += len(bounds)
    assert checked == sum(int(t.result["cells"].get_column("primary").sum()) for t in tables) > 6000


def _pinned_by_singletons(out: dict, dims: dict, groups: dict) -> set[int]:
    """The primary cells the one-firm cells' firms, pooling what they know (every one-firm cell but those of the
    cell's own firm) besides everything published, bound within +-10 %."""
    cells = out["cells"]
    x = _x(out["inner"], dims, groups)
    n = cells.get_column("n_contributors").to_numpy()
    single = (n == 1) & ((x != 0).sum(axis=0) == 1)  # a published cell of one inner cell of one firm
    suppressed = cells.get_column("suppressed").to_numpy()
    values = out["inner"].get_column("total").to_numpy()
    pinned = set()
    for p in np.flatnonzero(cells.get_column("primary").to_numpy()):
        known = single.copy()
        known[p] = False
        if n[p] == 1:  # p is one firm's: the one-firm cells under it are its own
            known &= ~(x[x[:, p] != 0] != 0).any(axis=0)
        (b,) = attack(x, values, suppressed & ~known, cells=np.array([p]))
        if not b.protected(0.10):
            pinned.add(int(p))
    return pinned


def test_certificates_lean_on_one_firms_cells_only_when_they_must(monkeypatch):
    # a tenth of the county x class cells are one firm's (counts of 1; the others 5): primary, and their firm
    # knows them. A certificate that moves such a cell holds against everyone but that firm; one that moves none
    # holds even against all those firms pooling what they know. Over eight random tables: every primary cell the
    # protection says leans on no one-firm cell holds against them (checked per table); those that must lean are
    # reported so and are a minority; without the rule (one-firm cells moved freely) the same tables leave at least
    # four times as many cells pinned
    def protected(rule: bool) -> tuple[int, int, int]:
        pinned = leaning = primary = 0
        for seed in range(8):
            rng = np.random.default_rng(100 + seed)
            inner, dims, groups = _random_table(rng, 0.5)
            lone = rng.random(inner.height) < 0.1
            counts = inner.select("region_code", "industry_code", n=pl.Series(np.where(lone, 1, 5)))
            out = protect.protect_cells(inner, dims=dims, groups=groups, options=CERTIFICATES, counts=counts)
            leans = out["cells"].get_column("leans_on_singleton").to_numpy()
            hit = _pinned_by_singletons(out, dims, groups)
            assert not rule or all(leans[p] for p in hit), sorted(p for p in hit if not leans[p])
            pinned, leaning = pinned + len(hit), leaning + int(leans.sum())
            primary += int(out["cells"].get_column("primary").sum())
        return pinned, leaning, primary

    pinned, leaning, primary = protected(rule=True)
    original = certificates.certificate_suppression
    monkeypatch.setattr(protect, "certificate_suppression",
                        lambda *args, **kwargs: original(*args, **{**kwargs, "singleton": None}))
    pinned_without, _, primary_without = protected(rule=False)
    assert primary == primary_without == 100
    # (when written: 2 pinned, both among the 14 leaning; 36 pinned without the rule; these tables are small, 3 x 4
    # counties with 70 % of their cells, so a tenth of one-firm cells leaves some cells no other certificate)
    assert pinned <= leaning < primary // 4 and pinned_without >= 4 * max(pinned, 1)
