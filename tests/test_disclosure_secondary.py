"""Secondary suppression by Gaussian elimination (issue 17), against GaussSuppression 1.2.3 / SSBtools 1.8.6
(statisticsnorway/ssb-gausssuppression, statisticsnorway/ssb-ssbtools; R 4.2.2, run here from the stored code index
into a private library): the same primary cells and the same candidate order give the same secondary suppressions.

The R runs below use ``singleton = NULL``; the same calls with the default singleton handling printed the same
cells suppressed (z1, z2: R's ``identical()`` of the two ``suppressed`` columns was TRUE), so the tests run with
the default singletons (``SingletonDefault``: zeros when ``protectZeros``, else ones) and "anySum"; the examples
where singletons change the result are in tests/test_disclosure_singletons.py. The tables below are the
packages' own example data (``SSBtoolsData("z1")``, ``SSBtoolsData("z2")``) and the outputs R printed for the calls
named in each test.
"""

from __future__ import annotations

import io

import numpy as np
import polars as pl

from pipeline.publishing.secondary import candidates_default, cell_matrix, gauss_secondary

# SSBtoolsData("z1"): 8 regions x 4 kinds of main income, counts
Z1 = """region,hovedint,ant
A,annet,11
B,annet,7
C,annet,5
D,annet,13
E,annet,9
F,annet,12
G,annet,6
H,annet,9
A,arbeid,11
B,arbeid,1
C,arbeid,8
D,arbeid,2
E,arbeid,14
F,arbeid,9
G,arbeid,4
H,arbeid,3
A,soshjelp,55
B,soshjelp,29
C,soshjelp,35
D,soshjelp,17
E,soshjelp,63
F,soshjelp,24
G,soshjelp,22
H,soshjelp,38
A,trygd,36
B,trygd,18
C,trygd,25
D,trygd,13
E,trygd,52
F,trygd,22
G,trygd,8
H,trygd,15
"""
# GaussSuppressionFromData(z1, 1:2, 3, singleton = NULL): the published cells in R's order, primary (the default
# rule: 0 < freq <= 3) and suppressed
Z1_OUT = """region,hovedint,ant,primary,suppressed
Total,Total,596,FALSE,FALSE
Total,annet,72,FALSE,FALSE
Total,arbeid,52,FALSE,FALSE
Total,soshjelp,283,FALSE,FALSE
Total,trygd,189,FALSE,FALSE
A,Total,113,FALSE,FALSE
A,annet,11,FALSE,FALSE
A,arbeid,11,FALSE,FALSE
A,soshjelp,55,FALSE,FALSE
A,trygd,36,FALSE,FALSE
B,Total,55,FALSE,FALSE
B,annet,7,FALSE,TRUE
B,arbeid,1,TRUE,TRUE
B,soshjelp,29,FALSE,FALSE
B,trygd,18,FALSE,FALSE
C,Total,73,FALSE,FALSE
C,annet,5,FALSE,FALSE
C,arbeid,8,FALSE,FALSE
C,soshjelp,35,FALSE,FALSE
C,trygd,25,FALSE,FALSE
D,Total,45,FALSE,FALSE
D,annet,13,FALSE,TRUE
D,arbeid,2,TRUE,TRUE
D,soshjelp,17,FALSE,FALSE
D,trygd,13,FALSE,FALSE
E,Total,138,FALSE,FALSE
E,annet,9,FALSE,FALSE
E,arbeid,14,FALSE,FALSE
E,soshjelp,63,FALSE,FALSE
E,trygd,52,FALSE,FALSE
F,Total,67,FALSE,FALSE
F,annet,12,FALSE,FALSE
F,arbeid,9,FALSE,FALSE
F,soshjelp,24,FALSE,FALSE
F,trygd,22,FALSE,FALSE
G,Total,40,FALSE,FALSE
G,annet,6,FALSE,FALSE
G,arbeid,4,FALSE,FALSE
G,soshjelp,22,FALSE,FALSE
G,trygd,8,FALSE,FALSE
H,Total,65,FALSE,FALSE
H,annet,9,FALSE,TRUE
H,arbeid,3,TRUE,TRUE
H,soshjelp,38,FALSE,FALSE
H,trygd,15,FALSE,FALSE
"""
# SSBtoolsData("z2"): regions A..K within fylke within kostragr (crossed: fylke 1 holds A of 300 and I of 400)
Z2 = """region,fylke,kostragr,hovedint,ant
A,1,300,annet,11
B,4,300,annet,7
C,5,300,annet,5
D,5,300,annet,13
E,6,300,annet,9
F,6,300,annet,12
G,8,300,annet,6
H,8,300,annet,9
I,1,400,annet,3
J,10,400,annet,9
K,10,400,annet,4
A,1,300,arbeid,11
B,4,300,arbeid,1
C,5,300,arbeid,8
D,5,300,arbeid,2
E,6,300,arbeid,14
F,6,300,arbeid,9
G,8,300,arbeid,4
H,8,300,arbeid,3
I,1,400,arbeid,0
J,10,400,arbeid,0
K,10,400,arbeid,2
A,1,300,soshjelp,55
B,4,300,soshjelp,29
C,5,300,soshjelp,35
D,5,300,soshjelp,17
E,6,300,soshjelp,63
F,6,300,soshjelp,24
G,8,300,soshjelp,22
H,8,300,soshjelp,38
I,1,400,soshjelp,9
J,10,400,soshjelp,32
K,10,400,soshjelp,18
A,1,300,trygd,36
B,4,300,trygd,18
C,5,300,trygd,25
D,5,300,trygd,13
E,6,300,trygd,52
F,6,300,trygd,22
G,8,300,trygd,8
H,8,300,trygd,15
I,1,400,trygd,2
J,10,400,trygd,20
K,10,400,trygd,11
"""
# GaussSuppressionFromData(z2, 1:4, 5, protectZeros = FALSE, singleton = NULL)
Z2_OUT = """region,hovedint,ant,primary,suppressed
1,Total,127,FALSE,FALSE
1,annet,14,FALSE,FALSE
1,arbeid,11,FALSE,FALSE
1,soshjelp,64,FALSE,FALSE
1,trygd,38,FALSE,FALSE
10,Total,96,FALSE,FALSE
10,annet,13,FALSE,FALSE
10,arbeid,2,TRUE,TRUE
10,soshjelp,50,FALSE,FALSE
10,trygd,31,FALSE,TRUE
300,Total,596,FALSE,FALSE
300,annet,72,FALSE,TRUE
300,arbeid,52,FALSE,TRUE
300,soshjelp,283,FALSE,FALSE
300,trygd,189,FALSE,FALSE
4,Total,55,FALSE,FALSE
4,annet,7,FALSE,FALSE
4,arbeid,1,TRUE,TRUE
4,soshjelp,29,FALSE,FALSE
4,trygd,18,FALSE,TRUE
400,Total,110,FALSE,FALSE
400,annet,16,FALSE,TRUE
400,arbeid,2,TRUE,TRUE
400,soshjelp,59,FALSE,FALSE
400,trygd,33,FALSE,FALSE
5,Total,118,FALSE,FALSE
5,annet,18,FALSE,FALSE
5,arbeid,10,FALSE,FALSE
5,soshjelp,52,FALSE,FALSE
5,trygd,38,FALSE,FALSE
6,Total,205,FALSE,FALSE
6,annet,21,FALSE,FALSE
6,arbeid,23,FALSE,FALSE
6,soshjelp,87,FALSE,FALSE
6,trygd,74,FALSE,FALSE
8,Total,105,FALSE,FALSE
8,annet,15,FALSE,FALSE
8,arbeid,7,FALSE,FALSE
8,soshjelp,60,FALSE,FALSE
8,trygd,23,FALSE,FALSE
Total,Total,706,FALSE,FALSE
Total,annet,88,FALSE,FALSE
Total,arbeid,54,FALSE,FALSE
Total,soshjelp,342,FALSE,FALSE
Total,trygd,222,FALSE,FALSE
A,Total,113,FALSE,FALSE
A,annet,11,FALSE,TRUE
A,arbeid,11,FALSE,FALSE
A,soshjelp,55,FALSE,FALSE
A,trygd,36,FALSE,TRUE
B,Total,55,FALSE,FALSE
B,annet,7,FALSE,FALSE
B,arbeid,1,TRUE,TRUE
B,soshjelp,29,FALSE,FALSE
B,trygd,18,FALSE,TRUE
C,Total,73,FALSE,FALSE
C,annet,5,FALSE,TRUE
C,arbeid,8,FALSE,TRUE
C,soshjelp,35,FALSE,FALSE
C,trygd,25,FALSE,FALSE
D,Total,45,FALSE,FALSE
D,annet,13,FALSE,TRUE
D,arbeid,2,TRUE,TRUE
D,soshjelp,17,FALSE,FALSE
D,trygd,13,FALSE,FALSE
E,Total,138,FALSE,FALSE
E,annet,9,FALSE,FALSE
E,arbeid,14,FALSE,FALSE
E,soshjelp,63,FALSE,FALSE
E,trygd,52,FALSE,FALSE
F,Total,67,FALSE,FALSE
F,annet,12,FALSE,FALSE
F,arbeid,9,FALSE,FALSE
F,soshjelp,24,FALSE,FALSE
F,trygd,22,FALSE,FALSE
G,Total,40,FALSE,FALSE
G,annet,6,FALSE,TRUE
G,arbeid,4,FALSE,TRUE
G,soshjelp,22,FALSE,FALSE
G,trygd,8,FALSE,FALSE
H,Total,65,FALSE,FALSE
H,annet,9,FALSE,TRUE
H,arbeid,3,TRUE,TRUE
H,soshjelp,38,FALSE,FALSE
H,trygd,15,FALSE,FALSE
I,Total,14,FALSE,FALSE
I,annet,3,TRUE,TRUE
I,arbeid,0,FALSE,FALSE
I,soshjelp,9,FALSE,FALSE
I,trygd,2,TRUE,TRUE
J,Total,61,FALSE,FALSE
J,annet,9,FALSE,FALSE
J,arbeid,0,FALSE,FALSE
J,soshjelp,32,FALSE,FALSE
J,trygd,20,FALSE,FALSE
K,Total,35,FALSE,FALSE
K,annet,4,FALSE,FALSE
K,arbeid,2,TRUE,TRUE
K,soshjelp,18,FALSE,FALSE
K,trygd,11,FALSE,TRUE
"""


def _frame(text: str) -> pl.DataFrame:
    return pl.read_csv(io.StringIO(text), infer_schema_length=0)  # every column as text, as R printed it


def _run(data: pl.DataFrame, out: pl.DataFrame, freq: str, dims: list[str], *, secondary_zeros: bool = False,
         levels: dict[str, list[str]] | None = None, protect_zeros: bool = True) -> tuple[np.ndarray, np.ndarray]:
    x = cell_matrix(data, out, dims, levels=levels)
    values = data.get_column(freq).cast(pl.Float64).to_numpy()
    cell_freq = x.T @ values
    assert cell_freq.tolist() == out.get_column(freq).cast(pl.Float64).to_list()  # the same cells as R's
    primary = out.get_column("primary").to_numpy() == "TRUE"
    order = candidates_default(cell_freq, x, secondary_zeros=secondary_zeros)
    single = values == 0 if protect_zeros or secondary_zeros else values == 1  # SingletonDefault
    return gauss_secondary(x, primary, order, singleton=single), primary


def _disclosed(x: np.ndarray, published: np.ndarray, primary: np.ndarray) -> list[int]:
    """The primary cells whose column lies in the span of the published columns (an independent check by rank)."""
    base = x[:, published]
    rank = np.linalg.matrix_rank(base) if base.size else 0
    return [int(j) for j in np.flatnonzero(primary)
            if np.linalg.matrix_rank(np.column_stack([base, x[:, j]])) == rank]


def test_the_ssbtools_gausssuppression_example_in_both_candidate_orders():
    # SSBtools::GaussSuppression @examples / GaussSuppressionFromData @examples ("Similar to GaussSuppression
    # examples"): values 1 1 1 5 5 / 9 9 9 9 9 / 0 0 0 7 7 in var1 = 1..3 x var2 = A..E, formula ~var1 * var2;
    # primary: the three 1s (0 < value < 5)
    data = pl.DataFrame({"var1": [str(v) for v in [1] * 5 + [2] * 5 + [3] * 5], "var2": list("ABCDE") * 3,
                         "values": [1, 1, 1, 5, 5, 9, 9, 9, 9, 9, 0, 0, 0, 7, 7]})
    cells = pl.DataFrame({"var1": ["Total", "1", "2", "3"] + ["Total"] * 5 + [v for v in "123" for _ in range(5)],
                          "var2": ["Total"] * 4 + list("ABCDE") + list("ABCDE") * 3})
    x = cell_matrix(data, cells, ["var1", "var2"])
    values = (x.T @ data.get_column("values").to_numpy()).tolist()
    assert values[:9] == [72, 13, 45, 14, 10, 10, 10, 21, 21]
    primary = np.array([0 < v < 5 for v in values])
    names = [f"{a}{b}" for a, b in cells.iter_rows()]
    # candidates = NULL (column order), secondaryZeros = TRUE: R suppressed the zeros 3A, 3B, 3C
    by_column = gauss_secondary(x, primary)
    assert [names[j] for j in np.flatnonzero(by_column)] == ["3A", "3B", "3C"]
    # CandidatesDefault, secondaryZeros = FALSE (zeros published first): R suppressed 2A, 2B, 2C instead
    default = gauss_secondary(x, primary, candidates_default(np.array(values), x, secondary_zeros=False))
    assert [names[j] for j in np.flatnonzero(default)] == ["2A", "2B", "2C"]
    for secondary in (by_column, default):
        assert _disclosed(x, ~(primary | secondary), primary) == []


def test_z1_agrees_with_gausssuppression():
    data, out = _frame(Z1), _frame(Z1_OUT)
    secondary, primary = _run(data, out, "ant", ["region", "hovedint"])
    expected = out.get_column("suppressed").to_numpy() == "TRUE"
    assert ((primary | secondary) == expected).all()
    cells = [f"{r} {h}" for r, h in out.select("region", "hovedint").iter_rows()]
    assert [cells[j] for j in np.flatnonzero(secondary)] == ["B annet", "D annet", "H annet"]


def test_z2_with_its_crossed_region_hierarchy_agrees_with_gausssuppression():
    data, out = _frame(Z2), _frame(Z2_OUT)
    levels = {"region": ["region", "fylke", "kostragr"]}
    secondary, primary = _run(data, out, "ant", ["region", "hovedint"], levels=levels, protect_zeros=False)
    expected = out.get_column("suppressed").to_numpy() == "TRUE"
    assert int(expected.sum()) == 24 and int(primary.sum()) > 0
    assert ((primary | secondary) == expected).all()
    x = cell_matrix(data, out, ["region", "hovedint"], levels=levels)
    assert _disclosed(x, ~(primary | secondary), primary) == []


def test_removing_one_secondary_suppression_discloses_a_primary_cell():
    data, out = _frame(Z1), _frame(Z1_OUT)
    secondary, primary = _run(data, out, "ant", ["region", "hovedint"])
    x = cell_matrix(data, out, ["region", "hovedint"])
    for j in np.flatnonzero(secondary):  # each secondary cell is needed: publish it and a primary cell falls
        weaker = secondary.copy()
        weaker[j] = False
        assert _disclosed(x, ~(primary | weaker), primary) != []


def test_an_attackers_linear_programme_cannot_narrow_a_protected_cell_and_can_once_a_secondary_is_published():
    from pipeline.publishing.attack import attack

    data, out = _frame(Z1), _frame(Z1_OUT)
    secondary, primary = _run(data, out, "ant", ["region", "hovedint"])
    x = cell_matrix(data, out, ["region", "hovedint"])
    inner = data.get_column("ant").cast(pl.Float64).to_numpy()
    bounds = {b.cell: b for b in attack(x, inner, primary | secondary)}
    cells = [f"{r} {h}" for r, h in out.select("region", "hovedint").iter_rows()]
    # B arbeid = 1, D arbeid = 2, H arbeid = 3 with B, D, H annet suppressed: each row total, and the arbeid and
    # annet totals, leave 1 + 2 + 3 = 6 to share among the three arbeid cells, so each lies in [0, 6]
    arbeid = {cells[j]: (b.low, b.high) for j, b in bounds.items() if "arbeid" in cells[j]}
    assert arbeid == {"B arbeid": (0.0, 6.0), "D arbeid": (0.0, 6.0), "H arbeid": (0.0, 6.0)}
    assert all(b.protected(0.10) for b in bounds.values())
    # publish B annet (7) again: B's row total 8 gives B arbeid = 1 exactly
    weaker = primary | secondary
    weaker[cells.index("B annet")] = False
    (b_arbeid,) = [b for b in attack(x, inner, weaker) if cells[b.cell] == "B arbeid"]
    assert (b_arbeid.low, b_arbeid.high) == (1.0, 1.0) and not b_arbeid.protected(0.10)
