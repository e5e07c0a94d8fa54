"""Krugman specialisation and concentration, Hoover coefficient and Hoover index: hand calculations, REAT 3.0.3's
and EconGeo 2.x's examples run in R, and properties (hypothesis).

R sources: REAT from cran/REAT (R/*.R and man/*.Rd as stored at 957099 = REAT 3.0.0, the last change before the
3.0.3 release 602f988; the krugman.*.Rd at 258f2d1 = 1.3.2, unchanged since), EconGeo from PABalland/EconGeo@40081a9
(DESCRIPTION 2.0, the underscore 2.x API). Every example was run with Rscript (R 4.2.2) on the inputs written in the
example or on shared/data/reat; the printed numbers (17 significant digits) are copied below.
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import shared_data
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid
from pipeline.indices.dissimilarity import hoover, krugman_concentration, krugman_specialisation

FAST = settings(max_examples=50, deadline=None)
KRUGMAN_COLUMNS = ["krugman", "hoover_coefficient", "against", "reference", "note"]


def columns(data: dict[str, list[float]], units: list[str]) -> pl.DataFrame:
    """Long frame from named vectors: each name is a region, each vector its values over ``units`` (industries)."""
    rows = [(name, unit, v) for name, values in data.items() for unit, v in zip(units, values, strict=True)]
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "value"], orient="row")


def matrix(mat: list[list[float]]) -> pl.DataFrame:
    """Long frame from an EconGeo matrix (regions R1.. in rows, industries I1.. in columns)."""
    rows = [(f"R{r + 1}", f"I{i + 1}", v) for r, row in enumerate(mat) for i, v in enumerate(row)]
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "value"], orient="row")


def by_key(out: pl.DataFrame, key: str, column: str) -> dict[str, object]:
    return dict(zip(out[key].to_list(), out[column].to_list(), strict=True))


# Hand example (the LQ tests' HAND):  x    y    z  | e_r       s_ri:  x     y     z
#                                A   10   30   60  | 100          A  0.10  0.30  0.60
#                                B  150   30  120  | 300          B  0.50  0.10  0.40
#                                e_i 160  60  180  | 400      s_i   0.40  0.15  0.45
# total:  K_A = 0.30 + 0.15 + 0.15 = 0.60;  K_B = 0.10 + 0.05 + 0.05 = 0.20
# others (the other region): K_A = K_B = |0.1−0.5| + |0.3−0.1| + |0.6−0.4| = 0.8 (= others_mean with two regions)
HAND = columns({"A": [10, 30, 60], "B": [150, 30, 120]}, ["x", "y", "z"])


def test_krugman_specialisation_hand_example():
    out = krugman_specialisation(HAND)
    assert out.columns == ["region_code", *KRUGMAN_COLUMNS]
    assert out["krugman"].to_list() == pytest.approx([0.6, 0.2], abs=1e-12)
    assert out["hoover_coefficient"].to_list() == pytest.approx([0.3, 0.1], abs=1e-12)
    assert out["against"].to_list() == ["total"] * 2 and out["reference"].to_list() == ["internal"] * 2
    for against in ("others", "others_mean"):
        assert krugman_specialisation(HAND, against=against)["krugman"].to_list() == pytest.approx([0.8, 0.8])
    with pytest.raises(IndexInputInvalid, match="against"):
        krugman_specialisation(HAND, against="mean")  # type: ignore[arg-type]


def test_krugman_concentration_hand_example():
    # sigma_ri = e_ri/e_i:  x: A 1/16, B 15/16;  y: 1/2, 1/2;  z: 1/3, 2/3;  x_r = e_r/e: A 1/4, B 3/4.
    # total:  K_x = 2·|1/16 − 1/4| = 3/8; K_y = 2·|1/2 − 1/4| = 1/2; K_z = 2·|1/3 − 1/4| = 1/6.
    # others: x against y+z (A 90/240 = 3/8, B 5/8): 2·|1/16 − 3/8| = 5/8.
    out = krugman_concentration(HAND)
    assert out.columns == ["industry_code", *KRUGMAN_COLUMNS]
    assert out["krugman"].to_list() == pytest.approx([3 / 8, 1 / 2, 1 / 6], rel=1e-12)
    assert krugman_concentration(HAND, against="others")["krugman"][0] == pytest.approx(5 / 8)


def test_missing_rows_count_as_zero_and_nulls_are_noted():
    # Region B has no row for z: a zero there, as in REAT's and EconGeo's matrices.
    no_row = HAND.filter(~((pl.col("region_code") == "B") & (pl.col("industry_code") == "z")))
    zero = HAND.with_columns(
        value=pl.when((pl.col("region_code") == "B") & (pl.col("industry_code") == "z")).then(0).otherwise("value")
    )
    assert_frame_equal(krugman_specialisation(no_row), krugman_specialisation(zero))
    # A null value is left out of every total and of the sum, and counted: A: x 10, y 30 (z null), B as before.
    # e_A = 40, e = 340 (A-z counts nowhere); s_A = 0.25, 0.75; s_x = 160/340, s_y = 60/340 (z is not summed):
    # K_A = |0.25 − 16/34| + |0.75 − 6/34| = 0.2205882... + 0.5735294... = 0.7941176...
    nulls = HAND.with_columns(
        value=pl.when((pl.col("region_code") == "A") & (pl.col("industry_code") == "z")).then(None).otherwise("value")
    )
    row = krugman_specialisation(nulls).row(0, named=True)
    assert row["krugman"] == pytest.approx(abs(0.25 - 16 / 34) + abs(0.75 - 6 / 34))
    assert row["note"] == "1 industry not reported (ignored)"


def test_krugman_undefined_cases():
    df = columns({"A": [10, 30], "Z": [0, 0]}, ["x", "y"])
    notes = by_key(krugman_specialisation(df), "region_code", "note")
    assert notes["Z"] == "region total is 0"
    # with a single region there is no other region to compare with
    single = columns({"A": [10, 30]}, ["x", "y"])
    assert krugman_specialisation(single, against="others_mean")["note"].item() == "no other region to compare with"
    assert krugman_specialisation(single, against="others")["note"].item() == "the other regions' total is 0"
    assert krugman_specialisation(single, against="others")["krugman"].item() is None
    # an explicit reference does not apply to the mean of the other regions
    ref = pl.DataFrame({"industry_code": ["x", "y"], "reference_value": [50, 50]})
    with pytest.raises(IndexInputInvalid, match="others_mean"):
        krugman_specialisation(single, against="others_mean", reference=ref)


def test_krugman_against_an_explicit_reference():
    # City C: x 20, y 50, z 30 (e_C = 100); nation: x 100, y 600, z 300 (E = 1000).
    # total: |0.2 − 0.1| + |0.5 − 0.6| + |0.3 − 0.3| = 0.2; others = rest of the nation (80, 550, 270 of 900):
    # |0.2 − 80/900| + |0.5 − 550/900| + |0.3 − 270/900| = 1/9 + 1/9 + 0 = 2/9.
    city = columns({"C": [20, 50, 30]}, ["x", "y", "z"])
    ref = pl.DataFrame({"industry_code": ["x", "y", "z"], "reference_value": [100, 600, 300]})
    out = krugman_specialisation(city, reference=ref, reference_total=1000)
    assert out["krugman"].item() == pytest.approx(0.2) and out["reference"].item() == "explicit"
    assert krugman_specialisation(city, reference=ref, against="others")["krugman"].item() == pytest.approx(2 / 9)
    # An industry of the reference without a row for the city counts as 0: nation adds w 1000 (E = 2000):
    # |0.2 − 0.05| + |0.5 − 0.3| + |0.3 − 0.15| + |0 − 0.5| = 1.0
    wider = pl.concat([ref, pl.DataFrame({"industry_code": ["w"], "reference_value": [1000]})])
    assert krugman_specialisation(city, reference=wider)["krugman"].item() == pytest.approx(1.0)
    # A city industry missing from the reference makes K undefined, with a note
    narrow = ref.filter(pl.col("industry_code") != "z")
    row = krugman_specialisation(city, reference=narrow).row(0, named=True)
    assert row["krugman"] is None and row["note"] == "industry not in the reference"


# --- REAT 3.0.3 ----------------------------------------------------------------------------------------------------


def test_reat_krugman_spec_two_regions():
    # man/krugman.spec.Rd: krugman.spec(c(20,10,70,0,0), c(0,0,0,60,40)) -> 2 (REAT: "results the ... (2)").
    # With two regions "the other regions" is region l: against="others" (and "others_mean") reproduce it.
    df = columns({"j": [20, 10, 70, 0, 0], "l": [0, 0, 0, 60, 40]}, list("abcde"))
    for against in ("others", "others_mean"):
        assert krugman_specialisation(df, against=against)["krugman"].to_list() == [2.0, 2.0]


# man/krugman.spec2.Rd example (Farhauer/Kroell 2013): krugman.spec2(Sweden, data.frame(Norway, Denmark, Finland,
# Island)) -> 0.15950179226859651 (Rd: "0.1595"); and each country against the other four, the same way:
COUNTRIES = {
    "Sweden": [45000, 15000, 32000, 10000, 30000],
    "Norway": [35000, 12000, 30000, 8000, 22000],
    "Denmark": [40000, 10000, 25000, 9000, 18000],
    "Finland": [30000, 11000, 18000, 3000, 13000],
    "Island": [40000, 6000, 11000, 2000, 12000],
}
KRUGMAN_SPEC2 = {
    "Sweden": 0.15950179226859651, "Norway": 0.19401751019552932, "Denmark": 0.098456368343165748,
    "Finland": 0.10775441074990427, "Island": 0.39667618468402843,
}  # fmt: skip


def test_reat_krugman_spec2_others_mean():
    out = krugman_specialisation(columns(COUNTRIES, list("abcde")), against="others_mean")
    assert by_key(out, "region_code", "krugman") == pytest.approx(KRUGMAN_SPEC2, rel=1e-14)  # max abs diff 5.6e-17


def test_reat_krugman_conc_two_industries():
    # man/krugman.conc.Rd: E_ij <- c(4388, 37489, 129423, 60941); krugman.conc(E_ij, E_ij/2) -> 0 (same structure)
    e = [4388, 37489, 129423, 60941]
    df = pl.DataFrame(
        {"region_code": [f"r{k}" for k in range(4)] * 2, "industry_code": ["i"] * 4 + ["u"] * 4,
         "value": [float(v) for v in e] + [v / 2 for v in e]}
    )  # fmt: skip
    assert krugman_concentration(df, against="others")["krugman"].to_list() == [0.0, 0.0]


# man/krugman.conc2.Rd example: krugman.conc2(Bergbau, data.frame(Chemie, Sozialwesen, Elektronik, Holz))
# -> 0.86193213577609895 (Rd: "0.8619"); and each industry against the other four:
INDUSTRIES = {
    "Chemie": [20000, 11000, 31000, 8000, 20000],
    "Sozialwesen": [40000, 10000, 25000, 9000, 16000],
    "Elektronik": [10000, 11000, 14000, 14000, 13000],
    "Holz": [7000, 7500, 11000, 1500, 36000],
    "Bergbau": [4320, 7811, 3900, 2300, 47560],
}
KRUGMAN_CONC2 = {
    "Chemie": 0.40955206162409308, "Sozialwesen": 0.61788539495742656, "Elektronik": 0.49523705191624989,
    "Holz": 0.48600826149888354, "Bergbau": 0.86193213577609895,
}  # fmt: skip


def test_reat_krugman_conc2_others_mean():
    # Each vector is an industry over five regions: swap the roles in the long frame.
    df = columns(INDUSTRIES, [f"r{k}" for k in range(5)]).rename(
        {"region_code": "industry_code", "industry_code": "region_code"}
    )
    out = krugman_concentration(df, against="others_mean")
    assert by_key(out, "industry_code", "krugman") == pytest.approx(KRUGMAN_CONC2, rel=1e-14)


# man/spec.Rd example on G.regions.industries (shared/data/reat/G_regions_industries.csv): spec() prints per Land
# "H j" = hoover(e_ij, ref = e_i) (the Land's industry distribution against Germany's) and "K j" = krugman.spec2
# against the other 15 Laender; run with the loops of R/spec.R (its gini.conc column left out):
REAT_SPEC = {
    "BB": (0.11530353483675046, 0.18555258802325073), "BE": (0.17891265324678343, 0.34552330943065368),
    "BW": (0.08024010627954424, 0.22675612237297529), "BY": (0.050081347905744401, 0.1601960347095408),
    "HB": (0.095026146508240039, 0.17467291095554632), "HE": (0.054944218810277883, 0.11282696274473224),
    "HH": (0.1641345620880699, 0.33190321410690526), "MV": (0.13270849051945274, 0.22056867996354859),
    "NI": (0.037727991293232566, 0.079728518889198408), "NW": (0.02940091235643107, 0.071815687771546552),
    "RP": (0.04793146529427434, 0.12036513252897722), "SH": (0.089019073173696742, 0.15994523568514429),
    "SL": (0.057269328386811022, 0.15071159054065575), "SN": (0.054008545173393666, 0.10341279653620233),
    "ST": (0.088213954258847108, 0.1528071058755264), "TH": (0.082340460397028248, 0.1772020836871869),
}  # fmt: skip


def test_reat_spec_german_laender():
    data = pl.read_csv(shared_data("reat", "G_regions_industries.csv"))
    options = dict(region="region_code", industry="ind_code", value="emp_all")
    total = krugman_specialisation(data, **options)
    others_mean = krugman_specialisation(data, against="others_mean", **options)
    hoover_j = by_key(total, "region_code", "hoover_coefficient")  # REAT's Hoover against Germany = K_total / 2
    krugman_j = by_key(others_mean, "region_code", "krugman")
    assert hoover_j == pytest.approx({r: h for r, (h, _) in REAT_SPEC.items()}, rel=1e-13)
    assert krugman_j == pytest.approx({r: k for r, (_, k) in REAT_SPEC.items()}, rel=1e-13)
    # ... and the same Hoover through hoover() with Germany's industry totals as the "against" column
    with_national = data.with_columns(national=pl.col("emp_all").sum().over("ind_code"))
    via_hoover = hoover(with_national, unit="ind_code", value="emp_all", against="national", group="region_code")
    assert by_key(via_hoover, "region_code", "hoover") == pytest.approx(hoover_j, rel=1e-13)


# man/hoover.Rd example: GDP (bn EUR) and population of the 16 Laender 2015: hoover(gdp, pop) -> 0.073589908886652761;
# hoover(gdp) (reference distribution 1/n) -> 0.40710077993324301.
GDP = [460.69, 549.19, 124.16, 65.29, 31.59, 109.27, 263.44, 39.87, 258.53, 645.59, 131.95, 35.03, 112.66, 56.22,
       85.61, 56.81]  # fmt: skip
POP = [10879618, 12843514, 3520031, 2484826, 671489, 1787408, 6176172, 1612362, 7926599, 17865516, 4052803, 995597,
       4084851, 2245470, 2858714, 2170714]  # fmt: skip


def test_reat_hoover_gdp_population():
    df = pl.DataFrame({"land": range(16), "gdp": GDP, "pop": POP})
    out = hoover(df, unit="land", value="gdp", against="pop")
    assert out.columns == ["hoover", "n_units", "note"]
    assert out["hoover"].item() == pytest.approx(0.073589908886652761, rel=1e-14)
    assert hoover(df, unit="land", value="gdp")["hoover"].item() == pytest.approx(0.40710077993324301, rel=1e-14)


# --- EconGeo 2.x ---------------------------------------------------------------------------------------------------

# R/krugman_index.r and R/spec_coeff.r examples: set.seed(31); mat <- matrix(sample(0:100, 20, replace = TRUE),
# ncol = 4) gives (printed in R 4.2.2) the matrix below; krugman_index(mat) and spec_coeff(mat):
SEED31 = [[44, 63, 8, 83], [48, 42, 10, 1], [74, 54, 96, 16], [39, 26, 28, 13], [89, 61, 45, 76]]
ECONGEO_KRUGMAN = [0.52496581535882847, 0.60313891651173845, 0.39170305676855899, 0.21393260278487267,
                   0.16312702428334322]  # fmt: skip
ECONGEO_SPEC_COEFF = [0.26248290767941423, 0.30156945825586923, 0.19585152838427949, 0.10696630139243633,
                      0.08156351214167161]  # fmt: skip


def test_econgeo_krugman_index_and_spec_coeff():
    # EconGeo's krugman_index compares each region with the total including itself: against="total".
    out = krugman_specialisation(matrix(SEED31))
    assert out["krugman"].to_list() == pytest.approx(ECONGEO_KRUGMAN, rel=1e-14)
    assert out["hoover_coefficient"].to_list() == pytest.approx(ECONGEO_SPEC_COEFF, rel=1e-14)


def test_econgeo_hoover_index_percent():
    # R/hoover_index.r examples: hoover_index(ind, pop) -> 25; on the matrix, per industry: I1 NaN, I2 0, I3 70,
    # I4 45; hoover_index(rowSums(mat), pop) -> 1.31. EconGeo prints percent rounded to 2 decimals: percent=True,
    # compared after rounding to 2 decimals; its NaN (an all-zero industry) is null with a note here.
    pop = [10, 15, 20, 25, 30]
    single = pl.DataFrame({"region": [f"R{k}" for k in range(1, 6)], "ind": [0, 10, 10, 30, 50], "pop": pop})
    assert hoover(single, unit="region", value="ind", against="pop", percent=True)["hoover"].item() == pytest.approx(25)
    assert hoover(single, unit="region", value="ind", against="pop")["hoover"].item() == pytest.approx(0.25)
    mat = matrix([[0, 10, 0, 0], [0, 15, 0, 0], [0, 20, 0, 0], [0, 25, 0, 1], [0, 30, 1, 1]]).join(
        pl.DataFrame({"region_code": [f"R{k}" for k in range(1, 6)], "pop": pop}), on="region_code"
    )
    out = hoover(mat, unit="region_code", against="pop", group="industry_code", percent=True)
    assert out["industry_code"].to_list() == ["I1", "I2", "I3", "I4"]
    assert [None if h is None else round(h, 2) for h in out["hoover"]] == [None, 0.0, 70.0, 45.0]
    assert out["note"][0] == "the total of 'value' is 0"
    summed = mat.group_by("region_code", maintain_order=True).agg(pl.col("value").sum(), pl.col("pop").first())
    assert round(hoover(summed, unit="region_code", against="pop", percent=True)["hoover"].item(), 2) == 1.31


def test_hoover_nulls_and_partitions():
    df = pl.DataFrame(
        {"year": [1, 1, 1, 2, 2], "k": ["a", "b", "c", "a", "b"], "v": [10, None, 30, 5, 5], "w": [1, 1, 1, 1, 3]}
    )
    out = hoover(df, unit="k", value="v", against="w", by=["year"])
    # year 1: complete pairs a, c: |10/40 − 1/2| + |30/40 − 1/2| = 0.5 -> 0.25; year 2: |0.5 − 0.25|·2/2 = 0.25
    assert out["hoover"].to_list() == pytest.approx([0.25, 0.25])
    assert out["n_units"].to_list() == [2, 2]
    assert out["note"].to_list() == ["1 unit with a value not reported (ignored)", None]


# --- properties ----------------------------------------------------------------------------------------------------


@st.composite
def matrices(draw: st.DrawFn) -> pl.DataFrame:
    """A region x industry matrix in long format (2-5 regions, 1-5 industries), every region total positive."""
    n_regions, n_industries = draw(st.integers(2, 5)), draw(st.integers(1, 5))
    rows = []
    for r in range(n_regions):
        values = draw(st.lists(st.integers(0, 10**6), min_size=n_industries, max_size=n_industries))
        values[draw(st.integers(0, n_industries - 1))] += 1  # a positive region total
        rows += [(f"r{r}", f"i{i}", v) for i, v in enumerate(values)]
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "value"], orient="row")


@FAST
@given(matrices(), st.sampled_from(["total", "others", "others_mean"]), st.integers(1, 1000), st.randoms())
def test_krugman_range_scaling_and_row_order(df: pl.DataFrame, against: str, factor: int, rnd) -> None:
    out = krugman_specialisation(df, against=against)  # type: ignore[arg-type]
    defined = out.drop_nulls("krugman")
    assert all(-1e-12 <= k <= 2 + 1e-12 for k in defined["krugman"])
    assert defined["hoover_coefficient"].to_list() == pytest.approx([k / 2 for k in defined["krugman"]])
    scaled = krugman_specialisation(df.with_columns(pl.col("value") * factor), against=against)  # type: ignore[arg-type]
    assert_frame_equal(out, scaled, check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
    order = list(range(df.height))
    rnd.shuffle(order)
    shuffled = krugman_specialisation(df[order], against=against).sort("region_code")  # type: ignore[arg-type]
    assert_frame_equal(out.sort("region_code"), shuffled, check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
    conc = krugman_concentration(df, against=against)  # type: ignore[arg-type]
    assert all(-1e-12 <= k <= 2 + 1e-12 for k in conc.drop_nulls("krugman")["krugman"])


@FAST
@given(matrices())
def test_krugman_total_is_twice_hoover_and_two_regions_agree(df: pl.DataFrame) -> None:
    # K_r against the total = 2 × Hoover index of the region's industry distribution against the total's.
    k = by_key(krugman_specialisation(df), "region_code", "krugman")
    national = df.with_columns(national=pl.col("value").sum().over("industry_code"))
    h = by_key(hoover(national, unit="industry_code", against="national", group="region_code"), "region_code", "hoover")
    assert {r: 2 * v for r, v in h.items()} == pytest.approx(k, abs=1e-12)
    two = df.filter(pl.col("region_code").is_in(["r0", "r1"]))
    others = krugman_specialisation(two, against="others")["krugman"].to_list()
    assert krugman_specialisation(two, against="others_mean")["krugman"].to_list() == pytest.approx(others, abs=1e-12)
