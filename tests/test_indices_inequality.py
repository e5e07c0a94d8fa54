"""Theil (T, L, decomposition), Atkinson, coefficient of variation and Williamson: golden values and properties.

Golden values come from running the reference packages' own code: REAT 3.0.3 (cran/REAT@602f988, R sources checked
against the release's MD5 file) in R 4.2.2, and pysal inequality 1.1.2 (its tests' expected values, and its
classes run on the same Mexico file, shared/data/reference/pysal_mexico.csv = libpysal's bundled mexico.csv).
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
from pipeline.indices.inequality import atkinson, atkinson_index, coefficient_of_variation, williamson
from pipeline.indices.theil import theil, theil_index

FAST = settings(max_examples=50, deadline=None)
EXACT = 1e-12
YEARS = [f"pcgdp{y}" for y in range(1940, 2010, 10)]
GDP_LAENDER = [460.69, 549.19, 124.16, 65.29, 31.59, 109.27, 263.44, 39.87, 258.53, 645.59, 131.95, 35.03, 112.66,
               56.22, 85.61, 56.81]  # fmt: skip  (REAT man/gini.Rd and man/herf.Rd: GDP of the Laender 2015)


def units(values: list[float | None], **extra: list) -> pl.DataFrame:
    return pl.DataFrame(
        {"unit": [f"u{k}" for k in range(len(values))], **extra, "value": pl.Series(values, dtype=pl.Float64)}
    )


def one(out: pl.DataFrame, column: str):
    assert out.height == 1
    return out[column][0]


def mexico() -> pl.DataFrame:
    """pysal's Mexico data in long format: State, the regional groupings, year (column name), value."""
    wide = pl.read_csv(shared_data("reference", "pysal_mexico.csv"))
    groupings = ["hanson03", "hanson98", "esquivel99", "inegi", "inegi2"]
    return wide.with_columns(pl.col(groupings).cast(pl.Int64)).unpivot(
        index=["State", *groupings], on=YEARS, variable_name="year", value_name="value"
    )


# --- Theil -----------------------------------------------------------------------------------------------------


def test_theil_t_pysal_mexico():
    # pysal inequality, inequality/tests/test_theil.py TestTheil: Theil(y).T ==
    # [0.20894344, 0.15222451, 0.10472941, 0.10194725, 0.09560113, 0.10511256, 0.10660832] (8 decimals); full
    # precision from pysal inequality 1.1.2 Theil(y).T on the same file:
    expected = [0.20894344230358594, 0.1522245052653124, 0.10472941488245856, 0.10194724969688372,
                0.09560112758525616, 0.1051125639798185, 0.10660832349588023]  # fmt: skip
    out = theil(mexico(), unit="State", by=["year"])
    assert out.columns == ["year", "theil", "n_units", "kind", "note"]
    assert out["year"].to_list() == YEARS and out["kind"].unique().to_list() == ["T"]
    assert out["theil"].to_list() == pytest.approx(expected, abs=EXACT)


# pysal inequality 1.1.2 TheilD(y, regimes).bg and .wg on the Mexico data, for each grouping. The hanson98 bg is
# pysal's own test (inequality/tests/test_theil.py TestTheilD: [0.0345889, 0.02816853, 0.05260921, 0.05931219,
# 0.03205257, 0.02963731, 0.03635872]); the rest are its classes run on the same file (full precision).
THEILD = {
    "hanson03": (
        [0.06498370908435577, 0.04996143433168447, 0.05717620905424366, 0.06629325067892369, 0.04605793333014277,
         0.05490766285540694, 0.053735339150385864],
        [0.14395973321923017, 0.10226307093362792, 0.0475532058282149, 0.03565399901796003, 0.04954319425511339,
         0.050204901124411554, 0.05287298434549437],
    ),
    "hanson98": (
        [0.03458890004670405, 0.028168529078722478, 0.05260921482184199, 0.05931219111227932,
         0.032052570973453376, 0.029637312183149408, 0.03635871887968048],
        [0.1743545422568819, 0.12405597618658992, 0.052120200060616566, 0.0426350585846044, 0.06354855661180278,
         0.07547525179666909, 0.07024960461619975],
    ),
    "esquivel99": (
        [0.06879885826383125, 0.053329525540935514, 0.06200908681046707, 0.07358210017131049, 0.04795211762212555,
         0.05401073086608559, 0.05373661498795238],
        [0.1401445840397547, 0.09889497972437689, 0.042720328071991484, 0.02836514952557323, 0.04764900996313061,
         0.051101833113732904, 0.05287170850792785],
    ),
    "inegi": (
        [0.03165452330894142, 0.028931463870989122, 0.038482602523795484, 0.04184059317984376,
         0.018195721896056685, 0.014707673415782403, 0.01782311795319872],
        [0.17728891899464452, 0.12329304139432327, 0.06624681235866307, 0.06010665651703996, 0.07740540568919947,
         0.0904048905640361, 0.08878520554268152],
    ),
    "inegi2": (
        [0.028590809358035124, 0.029725081778768404, 0.042486336416653246, 0.043682115055666826,
         0.016537141465110948, 0.013264901917392446, 0.015813756059197367],
        [0.18035263294555082, 0.122499423486544, 0.06224307846580531, 0.058265134641216895, 0.0790639861201452,
         0.09184766206242605, 0.09079456743668286],
    ),
}  # fmt: skip


@pytest.mark.parametrize("grouping", sorted(THEILD))
def test_theil_decomposition_pysal_mexico(grouping: str):
    between, within = THEILD[grouping]
    out = theil(mexico(), unit="State", by=["year"], group=grouping)
    assert out.columns == ["year", "theil", "between", "within", "n_groups", "n_units", "kind", "note"]
    assert out["between"].to_list() == pytest.approx(between, abs=EXACT)
    # pysal's wg is T − bg; ours is Σ_g s_g T_g: the same up to rounding
    assert out["within"].to_list() == pytest.approx(within, abs=EXACT)
    assert (out["between"] + out["within"] - out["theil"]).abs().max() < EXACT


def test_theil_l_reat_rd_example():
    # REAT 3.0.3 man/theil.Rd: regincome <- c(10,10,10,20,50); theil(regincome) -> 0.232630161961136 (Rd: 0.2326302).
    # REAT's theil is the mean log deviation (Theil L, GE(0)): our kind="L".
    out = theil(units([10, 10, 10, 20, 50]), unit="unit", kind="L")
    assert one(out, "theil") == pytest.approx(0.232630161961136, abs=EXACT) and one(out, "kind") == "L"
    # Hand: Theil T of the same: s = .1, .1, .1, .2, .5: 3·0.1 ln 0.5 + 0.2 ln 1 + 0.5 ln 2.5
    hand = 0.3 * math.log(0.5) + 0.5 * math.log(2.5)
    assert one(theil(units([10, 10, 10, 20, 50]), unit="unit"), "theil") == pytest.approx(hand, abs=EXACT)


def test_theil_l_reat_on_laender_employment_per_head():
    # REAT 3.0.3 theil() on REAT's G.regions.industries (shared/data/reat/G_regions_industries.csv): employment
    # (emp_all summed over the 17 sections) per head of population, 16 Laender, 2015 -> 0.0085595693778869
    out = theil(laender(), unit="region_code", value="per_head", kind="L")
    assert one(out, "theil") == pytest.approx(0.0085595693778869, abs=EXACT)


def test_theil_zeros_nulls_and_single_units():
    # T: a zero unit counts in N and adds 0. Values 0, 10, 30: s = 0, .25, .75; N = 3:
    # T = .25 ln(.75) + .75 ln(2.25)
    hand = 0.25 * math.log(0.75) + 0.75 * math.log(2.25)
    assert one(theil(units([0, 10, 30]), unit="unit"), "theil") == pytest.approx(hand, abs=EXACT)
    # L is undefined with a zero (REAT 3.0.3 theil(c(10, 0, 20)) -> NA): null with a note
    row = theil(units([10, 0, 20]), unit="unit", kind="L").row(0, named=True)
    assert row["theil"] is None and row["note"].startswith("a unit has value 0: Theil L")
    row = theil(units([10, None, 30, None]), unit="unit").row(0, named=True)
    assert row["n_units"] == 2 and row["note"] == "2 units not reported (ignored)"
    row = theil(units([5]), unit="unit").row(0, named=True)
    assert row["theil"] == 0.0 and row["note"] == "a single unit: the index is 0 by construction"
    row = theil(units([0, 0], g=["a", "b"]), unit="unit", group="g").row(0, named=True)
    assert row["theil"] is None and row["between"] is None and row["within"] is None
    assert row["note"] == "total is 0: the index is undefined"
    with pytest.raises(IndexInputInvalid, match="kind"):
        theil(units([1, 2]), unit="unit", kind="GE2")  # type: ignore[arg-type]


def test_theil_decomposition_by_partition_and_kind_l():
    # Two years; zones x = {a, b}, y = {c, d}. 2020: 10, 30 | 20, 40 (T: between 0.4 ln 0.8 + 0.6 ln 1.2).
    df = pl.DataFrame(
        {
            "year": [2020] * 4 + [2021] * 4,
            "city": list("abcd") * 2,
            "zone": ["x", "x", "y", "y"] * 2,
            "value": [10.0, 30.0, 20.0, 40.0, 10.0, 10.0, 10.0, 10.0],
        }
    )
    out = theil(df, unit="city", group="zone", by=["year"])
    assert out["between"].to_list() == pytest.approx([0.4 * math.log(0.8) + 0.6 * math.log(1.2), 0.0], abs=EXACT)
    assert out["n_groups"].to_list() == [2, 2]
    # L: between = Σ (N_g/N) ln(μ/μ_g) = ½ ln(25/20) + ½ ln(25/30); within = ½ L_x + ½ L_y
    l_x = 0.5 * (math.log(20 / 10) + math.log(20 / 30))
    l_y = 0.5 * (math.log(30 / 20) + math.log(30 / 40))
    row = theil(df.filter(year=2020), unit="city", group="zone", kind="L").row(0, named=True)
    assert row["between"] == pytest.approx(0.5 * math.log(25 / 20) + 0.5 * math.log(25 / 30), abs=EXACT)
    assert row["within"] == pytest.approx(0.5 * l_x + 0.5 * l_y, abs=EXACT)
    assert row["between"] + row["within"] == pytest.approx(row["theil"], abs=EXACT)


def test_theil_refuses_overlapping_groups():
    # Liaoning's zones overlap: Yingkou (210800) is in both the central city group and the coastal belt.
    df = pl.DataFrame(
        {
            "region_code": ["210100", "210800", "210800", "210200"],
            "zone": ["Z-CENTRAL", "Z-CENTRAL", "Z-COASTAL", "Z-COASTAL"],
            "value": [400.0, 120.0, 120.0, 380.0],
        }
    )
    with pytest.raises(IndexInputInvalid, match=r"overlap: unit '210800' is in 'Z-CENTRAL', 'Z-COASTAL'.*partition"):
        theil(df, unit="region_code", group="zone")
    with pytest.raises(IndexInputInvalid, match="needs exactly one group"):
        theil(df.with_columns(zone=pl.lit(None, pl.String)), unit="region_code", group="zone")
    # without the grouping the duplicated unit is an ordinary duplicate key
    with pytest.raises(IndexInputInvalid, match="share their key"):
        theil(df, unit="region_code")


# --- Atkinson --------------------------------------------------------------------------------------------------


def test_atkinson_reat_rd_examples_and_defaults():
    # REAT 3.0.3 man/atkinson.Rd: atkinson(c(100,0,0,0), epsilon = 0.8) -> 0.99609375;
    # atkinson(c(100,100,100,100), epsilon = 0.8) -> 0
    assert one(atkinson(units([100, 0, 0, 0]), unit="unit", epsilon=0.8), "atkinson") == pytest.approx(0.99609375)
    assert one(atkinson(units([100] * 4), unit="unit", epsilon=0.8), "atkinson") == pytest.approx(0.0, abs=EXACT)
    # REAT's atkinson() on the theil.Rd vector c(10,10,10,20,50): default epsilon 0.5 -> 0.115475108808519;
    # epsilon = 1 -> 0.207553403769443; epsilon = 2 -> 0.324324324324324
    regincome = units([10, 10, 10, 20, 50])
    for epsilon, expected in [(0.5, 0.115475108808519), (1, 0.207553403769443), (2, 0.324324324324324)]:
        out = atkinson(regincome, unit="unit", epsilon=epsilon)
        assert one(out, "atkinson") == pytest.approx(expected, abs=EXACT) and one(out, "epsilon") == epsilon
    assert one(atkinson(regincome, unit="unit"), "epsilon") == 0.5


def test_atkinson_pysal_tests_and_mexico():
    # pysal inequality, inequality/tests/test_atkinson.py: incomes 10, 20, 30, 40, 50: epsilon 0.5 -> 0.06315,
    # 1 -> 0.1316096, 0 -> 0 (atol 1e-5); full precision from pysal inequality 1.1.2 Atkinson(incomes, e).A:
    incomes = units([10, 20, 30, 40, 50])
    for epsilon, expected in [(0.5, 0.06315339222708616), (1, 0.13160963843421591), (0, 0.0)]:
        assert one(atkinson(incomes, unit="unit", epsilon=epsilon), "atkinson") == pytest.approx(expected, abs=EXACT)
    # pysal inequality 1.1.2 Atkinson(y[:, 0], e).A on the Mexico data, 1940
    y1940 = mexico().filter(year="pcgdp1940")
    for epsilon, expected in [(0.5, 0.0984322239880091), (1, 0.1836800569549023), (2, 0.3155980580204617)]:
        out = atkinson(y1940, unit="State", epsilon=epsilon)
        assert one(out, "atkinson") == pytest.approx(expected, abs=EXACT)


def test_atkinson_zero_with_high_aversion_and_bad_epsilon():
    # epsilon >= 1 with a zero value: the equally distributed equivalent is 0, so A = 1 (REAT 3.0.3 atkinson(...,
    # epsilon = 2) -> 1 and pysal -> 1; REAT gives NA at epsilon = 1): 1 with a note.
    for epsilon in (1, 2):
        row = atkinson(units([100, 0, 0, 0]), unit="unit", epsilon=epsilon).row(0, named=True)
        assert row["atkinson"] == pytest.approx(1.0) and row["note"].startswith("a unit has value 0")
    for bad in (-0.5, math.inf, math.nan, True):
        with pytest.raises(IndexInputInvalid, match="epsilon"):
            atkinson(units([1, 2]), unit="unit", epsilon=bad)


# --- coefficient of variation and Williamson -------------------------------------------------------------------


def test_coefficient_of_variation_reat():
    # REAT 3.0.3 cv() on the Laender GDP vector of man/gini.Rd: cv(gdp) -> 1.0342511803683 (REAT's default
    # is.sample = TRUE: our sd="sample"); cv(gdp, is.sample = FALSE) -> 1.00140939934045 (our default)
    gdp = units(GDP_LAENDER)
    assert one(coefficient_of_variation(gdp, unit="unit", sd="sample"), "cv") == pytest.approx(1.0342511803683)
    out = coefficient_of_variation(gdp, unit="unit")
    assert one(out, "cv") == pytest.approx(1.00140939934045, abs=EXACT) and one(out, "sd") == "population"
    # REAT cv(emp_all/pop) on G.regions.industries (16 Laender) -> 0.139235279677008
    per_head = coefficient_of_variation(laender(), unit="region_code", value="per_head", sd="sample")
    assert one(per_head, "cv") == pytest.approx(0.139235279677008, abs=EXACT)


def test_coefficient_of_variation_edge_cases():
    row = coefficient_of_variation(units([7]), unit="unit", sd="sample").row(0, named=True)
    assert row["cv"] is None and row["note"] == "a single unit: the sample standard deviation is undefined"
    assert one(coefficient_of_variation(units([7]), unit="unit"), "cv") == 0.0
    assert one(coefficient_of_variation(units([0, 0]), unit="unit"), "note") == "total is 0: the index is undefined"
    with pytest.raises(IndexInputInvalid, match="sd must be"):
        coefficient_of_variation(units([1]), unit="unit", sd="n-1")  # type: ignore[arg-type]


def laender() -> pl.DataFrame:
    """REAT's G.regions.industries (2015): employment summed over the sections, population, per head."""
    raw = pl.read_csv(shared_data("reat", "G_regions_industries.csv"))
    return (
        raw.group_by("region_code", maintain_order=True)
        .agg(pl.col("emp_all").sum(), pl.col("pop").first().alias("population"))
        .with_columns(per_head=pl.col("emp_all") / pl.col("population"))
    )


def test_williamson_reat():
    # REAT 3.0.3 williamson(x, weighting) on G.regions.industries, x = employment per head, weighting = population
    # (man/williamson.Rd's GoettingenHealth2 data are not in shared/data): wmean = FALSE (REAT's default) ->
    # 0.0930681743236996 = our centre="unweighted"; wmean = TRUE -> 0.092441356135199 = our default "weighted".
    df = laender()
    out = williamson(df, unit="region_code", value="per_head")
    assert out.columns == ["williamson", "n_units", "centre", "note"]
    assert one(out, "williamson") == pytest.approx(0.092441356135199, abs=EXACT)
    reat_default = williamson(df, unit="region_code", value="per_head", centre="unweighted")
    assert one(reat_default, "williamson") == pytest.approx(0.0930681743236996, abs=EXACT)
    # with equal weights the Williamson index is the population coefficient of variation
    equal = williamson(df.with_columns(population=pl.lit(1)), unit="region_code", value="per_head")
    cv = coefficient_of_variation(df, unit="region_code", value="per_head")
    assert one(equal, "williamson") == pytest.approx(one(cv, "cv"), abs=EXACT)


def test_williamson_edge_cases():
    df = pl.DataFrame({"unit": list("abc"), "value": [10.0, None, 30.0], "population": [3.0, 5.0, None]})
    row = williamson(df, unit="unit").row(0, named=True)
    # b (value) and c (population) not reported: a alone is left -> 0 by construction
    assert row["williamson"] == 0.0 and row["n_units"] == 1
    assert row["note"] == "a single unit: the index is 0 by construction; 2 units not reported (ignored)"
    negative = williamson(df.with_columns(population=pl.lit(-1.0)), unit="unit").row(0, named=True)
    assert negative["williamson"] is None and negative["note"].startswith("negative population")
    zero = williamson(df.with_columns(population=pl.lit(0.0)), unit="unit").row(0, named=True)
    assert zero["williamson"] is None and zero["note"].startswith("population total is 0")
    with pytest.raises(IndexInputInvalid, match="centre"):
        williamson(df, unit="unit", centre="median")  # type: ignore[arg-type]
    with pytest.raises(IndexInputInvalid, match="no column 'pop'"):
        williamson(df, unit="unit", weight="pop")


def test_inputs_not_mutated_and_empty_partitions():
    df = units([1, 2, 3], year=[2020, 2020, 2021])
    before = df.clone()
    for f in (theil, atkinson, coefficient_of_variation):
        f(df, unit="unit", by=["year"])
    assert_frame_equal(df, before)
    empty = theil(df.clear(), unit="unit")
    assert empty["theil"].to_list() == [None] and empty["note"].to_list() == ["no value reported"]
    assert theil(df.clear(), unit="unit", by=["year"]).height == 0


def test_expression_builders_agree():
    df = pl.concat([units([10, 10, 10, 20, 50], g=["a"] * 5), units([1, 4], g=["b"] * 2)])
    agg = df.group_by("g", maintain_order=True).agg(
        theil_index("value").alias("t"), theil_index("value", kind="L").alias("l"), atkinson_index("value")
    )
    assert agg["t"].to_list() == pytest.approx(theil(df, unit="unit", by=["g"])["theil"].to_list())
    assert agg["l"].to_list() == pytest.approx(theil(df, unit="unit", by=["g"], kind="L")["theil"].to_list())
    assert agg["value"].to_list() == pytest.approx(atkinson(df, unit="unit", by=["g"])["atkinson"].to_list())


# --- properties ------------------------------------------------------------------------------------------------

positive = st.lists(st.integers(1, 10**6), min_size=1, max_size=12)
non_negative = st.lists(st.integers(0, 10**6), min_size=1, max_size=12).filter(lambda v: sum(v) > 0)


def index_values(df: pl.DataFrame) -> list[float]:
    return [
        one(theil(df, unit="unit"), "theil"),
        one(theil(df, unit="unit", kind="L"), "theil"),
        one(atkinson(df, unit="unit", epsilon=0.5), "atkinson"),
        one(atkinson(df, unit="unit", epsilon=2), "atkinson"),
        one(coefficient_of_variation(df, unit="unit"), "cv"),
    ]


@FAST
@given(st.integers(1, 10**6), st.integers(1, 12))
def test_equal_values_give_zero(value: int, n: int):
    assert index_values(units([float(value)] * n)) == pytest.approx([0.0] * 5, abs=1e-12)


@FAST
@given(positive, st.integers(2, 1000), st.randoms(use_true_random=False))
def test_invariant_to_scale_and_row_order(vals: list[int], factor: int, rng):
    df = units([float(v) for v in vals])
    base = index_values(df)
    assert index_values(df.with_columns(pl.col("value") * factor)) == pytest.approx(base, rel=1e-9, abs=1e-12)
    shuffled = df.sample(fraction=1.0, shuffle=True, seed=rng.randint(0, 10**6))
    assert index_values(shuffled) == pytest.approx(base, rel=1e-9, abs=1e-12)


@FAST
@given(non_negative)
def test_theil_t_between_zero_and_log_n(vals: list[int]):
    t = one(theil(units([float(v) for v in vals]), unit="unit"), "theil")
    assert -1e-12 <= t <= math.log(len(vals)) + 1e-12


@FAST
@given(st.lists(st.tuples(st.integers(1, 10**6), st.sampled_from("abc")), min_size=1, max_size=12),
       st.sampled_from(["T", "L"]))  # fmt: skip
def test_decomposition_adds_up(cells: list[tuple[int, str]], kind):
    df = units([float(v) for v, _ in cells], zone=[z for _, z in cells])
    row = theil(df, unit="unit", group="zone", kind=kind).row(0, named=True)
    assert row["between"] + row["within"] == pytest.approx(row["theil"], abs=1e-9)
    assert row["between"] >= -1e-12 and row["within"] >= -1e-12
    assert row["n_groups"] == len({z for _, z in cells})
