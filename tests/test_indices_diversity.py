"""Entropy, Hachman, diversity, ubiquity and Duranton-Puga (pipeline.indices.diversification): hand calculations,
EconGeo 2.x's and REAT 3.0.3's examples run in R, and properties (hypothesis).

R sources as in test_indices_specialisation.py: EconGeo PABalland/EconGeo@40081a9 (DESCRIPTION 2.0; R/entropy.r,
R/Hachman.r, R/diversity.r, R/ubiquity.r), REAT cran/REAT R/durpug.R and man/durpug.Rd at 957099 (3.0.0, unchanged
in 3.0.3), run with Rscript (R 4.2.2); numbers printed with 17 significant digits.
"""

from __future__ import annotations

import math

import polars as pl
import pytest
from conftest import shared_data
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid
from pipeline.indices.dissimilarity import krugman_specialisation
from pipeline.indices.diversification import diversity, duranton_puga, entropy, hachman, ubiquity
from pipeline.indices.specialisation import location_quotient

FAST = settings(max_examples=50, deadline=None)
HEAVY = settings(max_examples=25, deadline=None)  # five indices x three variants per example


def matrix(mat: list[list[float | None]]) -> pl.DataFrame:
    """Long frame from an EconGeo matrix (regions R1.. in rows, industries I1.. in columns)."""
    rows = [(f"R{r + 1}", f"I{i + 1}", v) for r, row in enumerate(mat) for i, v in enumerate(row)]
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "value"], orient="row")


def by_key(out: pl.DataFrame, key: str, column: str) -> dict[str, object]:
    return dict(zip(out[key].to_list(), out[column].to_list(), strict=True))


# Hand example (the LQ tests' HAND):  x    y    z  | e_r      LQ:   x     y     z
#                                A   10   30   60  | 100       A  0.25   2    4/3
#                                B  150   30  120  | 300       B  1.25  2/3   8/9
#                                s_i 0.40 0.15 0.45
HAND = matrix([[10, 30, 60], [150, 30, 120]])


def test_entropy_hand_examples():
    # R1: 0.1, 0.3, 0.6 -> −(0.1 log2 0.1 + 0.3 log2 0.3 + 0.6 log2 0.6) = 1.2954618442...; R2: 0.5, 0.1, 0.4.
    out = entropy(HAND, unit="industry_code", group="region_code")
    assert out.columns == ["region_code", "entropy", "n_units", "note"]
    h1 = -(0.1 * math.log2(0.1) + 0.3 * math.log2(0.3) + 0.6 * math.log2(0.6))
    h2 = -(0.5 * math.log2(0.5) + 0.1 * math.log2(0.1) + 0.4 * math.log2(0.4))
    assert out["entropy"].to_list() == pytest.approx([h1, h2], rel=1e-12)
    natural = entropy(HAND, unit="industry_code", group="region_code", base=math.e)
    assert natural["entropy"].to_list() == pytest.approx([h1 * math.log(2), h2 * math.log(2)], rel=1e-12)
    # 0 log 0 = 0; a null is ignored and counted; a zero total is undefined
    df = matrix([[1, 1, 2, 0], [5, None, 0, 0], [0, 0, 0, 0]])
    out = entropy(df, unit="industry_code", group="region_code")
    assert out["entropy"].to_list() == [1.5, 0.0, None]
    assert out["note"].to_list() == [None, "1 unit not reported (ignored)", "group total is 0"]
    with pytest.raises(IndexInputInvalid, match="base"):
        entropy(df, unit="industry_code", group="region_code", base=1)


def test_hachman_hand_example():
    # HI = 1/Σ s_ri²/s_i.  A: 0.01/0.4 + 0.09/0.15 + 0.36/0.45 = 0.025 + 0.6 + 0.8 = 1.425 -> 1/1.425
    # B: 0.25/0.4 + 0.01/0.15 + 0.16/0.45 = 0.625 + 1/15 + 16/45 = 47.125/45 -> 45/47.125
    out = hachman(HAND)
    assert out.columns == ["region_code", "hachman", "reference", "note"]
    assert out["hachman"].to_list() == pytest.approx([1 / 1.425, 45 / 47.125], rel=1e-12)
    # an industry with a zero total everywhere adds nothing (EconGeo: LQ NaN -> 0, times a share of 0)
    with_empty = pl.concat([HAND, matrix([[0], [0]]).with_columns(industry_code=pl.lit("I9"))])
    assert hachman(with_empty)["hachman"].to_list() == pytest.approx([1 / 1.425, 45 / 47.125], rel=1e-12)
    # explicit reference: city x 20, y 50, z 30 against x 100, y 600, z 300 of 1000:
    # LQ 2, 5/6, 1 -> Σ LQ·s = 0.4 + 5/12 + 0.3 = 67/60 -> HI = 60/67
    city = matrix([[20, 50, 30]])
    ref = pl.DataFrame({"industry_code": ["I1", "I2", "I3"], "reference_value": [100, 600, 300]})
    row = hachman(city, reference=ref, reference_total=1000).row(0, named=True)
    assert row["hachman"] == pytest.approx(60 / 67) and row["reference"] == "explicit"
    row = hachman(city, reference=ref.head(2)).row(0, named=True)
    assert row["hachman"] is None
    assert row["note"] == "the LQ of an industry with a positive value is undefined"


def test_diversity_and_ubiquity_hand_example():
    div = diversity(HAND)
    assert div.columns == ["region_code", "diversity", "n_industries", "threshold", "reference", "note"]
    assert div["diversity"].to_list() == [2, 1]  # A: y 2, z 4/3; B: x 1.25
    assert div["n_industries"].to_list() == [3, 3]
    ubi = ubiquity(HAND)
    assert ubi.columns == ["industry_code", "ubiquity", "n_regions", "threshold", "reference", "note"]
    assert ubi["ubiquity"].to_list() == [1, 1, 1]
    assert diversity(HAND, threshold=1.3)["diversity"].to_list() == [2, 0]
    assert diversity(HAND, threshold=1.25)["diversity"].to_list() == [2, 1]  # inclusive
    # zero totals: a region with nothing is undefined; an empty industry is not counted, and the note says so
    df = matrix([[10, 30, 0], [30, 10, 0], [0, 0, 0]])
    out = diversity(df)
    assert out["diversity"].to_list() == [1, 1, None]
    assert out["note"].to_list() == [
        "1 industry with an undefined LQ (not counted)",
        "1 industry with an undefined LQ (not counted)",
        "region total is 0",
    ]
    assert ubiquity(df)["note"].to_list() == [
        "1 region with an undefined LQ (not counted)",
        "1 region with an undefined LQ (not counted)",
        "industry total is 0",
    ]


def test_duranton_puga_hand_example():
    # RDI = 1/K_total: A 1/0.6, B 1/0.2 (the Krugman hand example)
    out = duranton_puga(HAND)
    assert out.columns == ["region_code", "duranton_puga", "reference", "note"]
    assert out["duranton_puga"].to_list() == pytest.approx([1 / 0.6, 5.0], rel=1e-12)
    same = matrix([[10, 30], [20, 60]])  # both regions have the national structure: K = 0
    row = duranton_puga(same).row(0, named=True)
    assert row["duranton_puga"] is None
    assert row["note"] == "the region's industry shares equal the reference's: the index is infinite"


# --- EconGeo 2.x ---------------------------------------------------------------------------------------------------

# R/entropy.r and R/Hachman.r examples: set.seed(31); mat <- matrix(sample(0:100, 20, replace = TRUE), ncol = 4):
SEED31 = [[44, 63, 8, 83], [48, 42, 10, 1], [74, 54, 96, 16], [39, 26, 28, 13], [89, 61, 45, 76]]
# entropy(mat) (EconGeo rounds to 3 decimals; unrounded, with its +1e-9 inside log2: 1.7207106587415033,
# 1.4327182815335189, 1.7968077804935692, 1.906658435955219, 1.9563514957163264)
ECONGEO_ENTROPY = [1.721, 1.433, 1.797, 1.907, 1.956]
ECONGEO_ENTROPY_UNROUNDED = [1.7207106587415033, 1.4327182815335189, 1.7968077804935692, 1.906658435955219,
                             1.9563514957163264]  # fmt: skip
ECONGEO_HACHMAN = [0.71917813981899426, 0.71628563265663514, 0.77519834004254007, 0.94297761651402201,
                   0.96067296387378964]  # fmt: skip


def test_econgeo_entropy():
    out = entropy(matrix(SEED31), unit="industry_code", group="region_code")
    assert [round(h, 3) for h in out["entropy"]] == ECONGEO_ENTROPY
    # EconGeo's log2(s + 1e-9) moves the result by less than 1e-8 (here at most 5.8e-9)
    assert out["entropy"].to_list() == pytest.approx(ECONGEO_ENTROPY_UNROUNDED, abs=1e-8)


def test_econgeo_hachman():
    assert hachman(matrix(SEED31))["hachman"].to_list() == pytest.approx(ECONGEO_HACHMAN, rel=1e-14)


# R/diversity.r and R/ubiquity.r examples: set.seed(31); mat <- matrix(sample(0:10, 20, replace = TRUE), ncol = 4)
# gives the matrix below; diversity(mat, rca = TRUE) -> 2 2 2 2 1; ubiquity(mat, rca = TRUE) -> 3 3 1 2.
SEED31_SMALL = [[0, 6, 9, 4], [10, 10, 3, 6], [7, 8, 1, 6], [9, 10, 0, 5], [10, 0, 0, 1]]


def test_econgeo_diversity_and_ubiquity():
    df = matrix(SEED31_SMALL)
    assert diversity(df)["diversity"].to_list() == [2, 2, 2, 2, 1]
    assert ubiquity(df)["ubiquity"].to_list() == [3, 3, 1, 2]
    # R1-I4 (LQ 1.0048) and R2-I1 (1.0057) count; R4-I4 (0.9943) does not (EconGeo's location_quotient(mat))
    lq = {(r, i): v for r, i, v in location_quotient(df).select("region_code", "industry_code", "lq").iter_rows()}
    assert lq[("R1", "I4")] == pytest.approx(1.00478468899521522, rel=1e-15)
    assert lq[("R2", "I1")] == pytest.approx(1.00574712643678166, rel=1e-15)


# --- REAT 3.0.3 ----------------------------------------------------------------------------------------------------


def test_reat_durpug_goettingen():
    # man/durpug.Rd example on shared/data/reat/Goettingen.csv: durpug(Goettingen$Goettingen2008[2:13],
    # Goettingen$BRD2008[2:13]) -> 4.2348755877455844. REAT divides both vectors by their own sums: the 12 listed
    # sectors as the reference, without reference_total and without region_totals.
    data = pl.read_csv(shared_data("reat", "Goettingen.csv")).slice(1, 12)  # R rows 2:13
    city = data.select(region_code=pl.lit("Goettingen"), industry_code="WZ2008_Code", value="Goettingen2008")
    germany = data.select(industry_code="WZ2008_Code", reference_value="BRD2008")
    out = duranton_puga(city, reference=germany)
    assert out["duranton_puga"].item() == pytest.approx(4.2348755877455844, rel=1e-14)
    assert out["reference"].item() == "explicit"


# --- properties ----------------------------------------------------------------------------------------------------


@st.composite
def matrices(draw: st.DrawFn) -> pl.DataFrame:
    """A region x industry matrix in long format (1-5 regions, 1-5 industries), every region total positive."""
    n_regions, n_industries = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    rows = []
    for r in range(n_regions):
        values = draw(st.lists(st.integers(0, 10**6), min_size=n_industries, max_size=n_industries))
        values[draw(st.integers(0, n_industries - 1))] += 1
        rows += [(f"r{r}", f"i{i}", v) for i, v in enumerate(values)]
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "value"], orient="row")


@FAST
@given(matrices())
def test_ranges_and_identities(df: pl.DataFrame) -> None:
    n = df["industry_code"].n_unique()
    h = entropy(df, unit="industry_code", group="region_code")["entropy"]
    assert all(0 <= v <= math.log2(n) + 1e-9 for v in h)
    hi = hachman(df)["hachman"]
    assert all(0 < v <= 1 + 1e-9 for v in hi)  # Σ s²/s_i >= (Σ s)²/Σ s_i = 1 (Cauchy-Schwarz)
    div, ubi = diversity(df), ubiquity(df)
    assert all(0 < d <= k for d, k in zip(div["diversity"], div["n_industries"], strict=True))  # some LQ >= 1
    assert div["diversity"].sum() == ubi["ubiquity"].sum()  # both count the cells with LQ >= 1
    k = by_key(krugman_specialisation(df), "region_code", "krugman")
    rdi = by_key(duranton_puga(df), "region_code", "duranton_puga")
    assert {r: v for r, v in rdi.items() if v is not None} == pytest.approx(
        {r: 1 / v for r, v in k.items() if v}, rel=1e-9
    )


@HEAVY
@given(matrices(), st.integers(2, 1000), st.randoms())
def test_invariant_to_scaling_and_row_order(df: pl.DataFrame, factor: int, rnd) -> None:
    order = list(range(df.height))
    rnd.shuffle(order)
    variants = [df.with_columns(pl.col("value") * factor), df[order]]
    for index, key in (
        (lambda d: entropy(d, unit="industry_code", group="region_code"), "region_code"),
        (hachman, "region_code"),
        (diversity, "region_code"),
        (ubiquity, "industry_code"),
        (duranton_puga, "region_code"),
    ):
        base = index(df).sort(key)
        for other in variants:
            assert_frame_equal(base, index(other).sort(key), check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
