"""Gini and locational Gini: golden values from REAT 3.0.3, pysal inequality and EconGeo 2.0, and properties.

Golden values were produced by running the reference packages' own code (R 4.2.2; pysal inequality 1.1.2):
REAT 3.0.3 = cran/REAT@602f988 (R sources checked against that release's MD5 file), EconGeo 2.0 =
PABalland/EconGeo@40081a9 (DESCRIPTION Version: 2.0; the latest stored version of its R sources).
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import shared_data
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid
from pipeline.indices.gini_locational import locational_gini
from pipeline.indices.inequality import gini, gini_coefficient

FAST = settings(max_examples=50, deadline=None)
EXACT = 1e-12


def units(values: list[float | None], **extra: list) -> pl.DataFrame:
    return pl.DataFrame(
        {"unit": [f"u{k}" for k in range(len(values))], **extra, "value": pl.Series(values, dtype=pl.Float64)}
    )


def matrix(rows: list[list[float]], regions: list[str] | None = None, industries: list[str] | None = None):
    """A region x industry matrix (regions in rows, as EconGeo) in long format."""
    regions = regions or [f"R{r + 1}" for r in range(len(rows))]
    industries = industries or [f"I{i + 1}" for i in range(len(rows[0]))]
    return pl.DataFrame(
        [(regions[r], industries[i], float(v)) for r, row in enumerate(rows) for i, v in enumerate(row)],
        schema=["region_code", "industry_code", "value"],
        orient="row",
    )


def one(out: pl.DataFrame, column: str) -> float:
    assert out.height == 1
    return out[column][0]


# --- plain Gini ------------------------------------------------------------------------------------------------


def test_gini_reat_rd_examples():
    # REAT 3.0.3 man/gini.Rd examples: sales <- c(20,50,20,10); gini(sales) -> 0.3 (R: 0.3);
    # gini(sales, coefnorm = TRUE) -> 0.4. REAT's default is the plain Gini; coefnorm = our corrected=True.
    sales = units([20, 50, 20, 10])
    assert one(gini(sales, unit="unit"), "gini") == pytest.approx(0.3, abs=EXACT)
    assert one(gini(sales, unit="unit", corrected=True), "gini") == pytest.approx(0.4, abs=EXACT)
    # gdp of the 16 Laender 2015: gini(gdp) -> 0.500934845830992 ("0.5009" in the Rd);
    # gini(gdp, coefnorm = TRUE) -> 0.534330502219725
    gdp = units([460.69, 549.19, 124.16, 65.29, 31.59, 109.27, 263.44, 39.87, 258.53, 645.59, 131.95, 35.03,
                 112.66, 56.22, 85.61, 56.81])  # fmt: skip
    assert one(gini(gdp, unit="unit"), "gini") == pytest.approx(0.500934845830992, abs=EXACT)
    assert one(gini(gdp, unit="unit", corrected=True), "gini") == pytest.approx(0.534330502219725, abs=EXACT)


def test_gini_pysal_mexico():
    # pysal inequality, inequality/tests/test_gini.py: Gini(y[:, 0]).g == 0.35372371173452849 (pcgdp1940);
    # the other decades from pysal inequality 1.1.2 Gini(y[:, j]).g on the same file.
    mexico = pl.read_csv(shared_data("reference", "pysal_mexico.csv"))
    years = [f"pcgdp{y}" for y in range(1940, 2010, 10)]
    long = mexico.unpivot(index="State", on=years, variable_name="year", value_name="value")
    out = gini(long, unit="State", by=["year"])
    assert out["year"].to_list() == years and out["n_units"].to_list() == [32] * 7
    expected = [0.3537237117345285, 0.29644613439022827, 0.2537183285655905, 0.25513356494927303,
                0.24505338049421577, 0.25181825879538217, 0.2581130824882791]  # fmt: skip
    assert out["gini"].to_list() == pytest.approx(expected, abs=EXACT)


def test_gini_econgeo_example_rounds_to_three_decimals():
    # EconGeo 2.0 R/Gini.r example: gini(c(0, 10, 10, 30, 50)) -> 0.48 (EconGeo rounds to 3 decimals).
    # Hand: sorted 0, 10, 10, 30, 50; Σ k·x = 20 + 30 + 120 + 250 = 420; G = (840 − 6·100)/(5·100) = 0.48.
    assert one(gini(units([0, 10, 10, 30, 50]), unit="unit"), "gini") == pytest.approx(0.48, abs=EXACT)
    # its matrix example: column I3 = (0, 0, 0, 0, 1) -> 0.8 = (n − 1)/n, the plain Gini's maximum;
    # I4 = (0, 0, 0, 1, 1) -> 0.6; I1 all zero -> EconGeo NaN, here null with a note.
    out = gini(matrix([[0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 0], [0, 1, 0, 1], [0, 1, 1, 1]]),
               unit="region_code", by=["industry_code"])  # fmt: skip
    assert out["gini"][0] is None and out["note"][0] == "total is 0: the index is undefined"
    assert out["gini"][1:].to_list() == pytest.approx([0.0, 0.8, 0.6], abs=EXACT)


def test_gini_edge_cases_and_notes():
    out = gini(
        pl.concat([
            units([5], group=["single"]),
            units([1, None, 3], group=["missing"] * 3),
            units([2, -1], group=["negative"] * 2),
            units([None, None], group=["none"] * 2),
        ]),
        unit="unit",
        by=["group"],
    )
    single, missing, negative, none = out.rows(named=True)
    assert single["gini"] == 0.0 and single["note"] == "a single unit: the index is 0 by construction"
    # 1 and 3: G = (2(1 + 6) − 3·4)/(2·4) = 0.25; the null unit is left out and counted
    assert missing["gini"] == pytest.approx(0.25) and missing["n_units"] == 2
    assert missing["note"] == "1 unit not reported (ignored)"
    assert negative["gini"] is None and negative["note"] == "negative values: the index needs values >= 0"
    assert none["gini"] is None and none["note"] == "no value reported" and none["n_units"] == 0
    corrected = gini(units([5]), unit="unit", corrected=True).row(0, named=True)
    assert corrected["gini"] is None and corrected["corrected"] is True
    assert corrected["note"] == "a single unit: the corrected Gini (x n/(n - 1)) is undefined"


def test_gini_checks_input_and_does_not_mutate():
    df = units([1, 2, 3])
    before = df.clone()
    gini(df, unit="unit")
    assert_frame_equal(df, before)
    with pytest.raises(IndexInputInvalid, match="share their key"):
        gini(pl.concat([df, df.head(1)]), unit="unit")
    with pytest.raises(IndexInputInvalid, match="no column 'amount'"):
        gini(df, unit="unit", value="amount")


def test_gini_expression_builder_matches_frame_function():
    df = pl.concat([units([20, 50, 20, 10], g=["a"] * 4), units([1, 1, 2], g=["b"] * 3)])
    agg = df.group_by("g", maintain_order=True).agg(gini_coefficient("value"))
    assert agg["value"].to_list() == pytest.approx(gini(df, unit="unit", by=["g"])["gini"].to_list())


# --- locational Gini -------------------------------------------------------------------------------------------

ECONGEO = [[100, 0, 0, 0, 0], [0, 15, 5, 70, 10], [0, 20, 10, 20, 50], [0, 25, 30, 5, 40], [0, 40, 55, 5, 0]]


def test_locational_gini_econgeo_example():
    # EconGeo 2.0 R/locational_gini.r roxygen example, run in R 4.2.2 (sprintf("%.17g")):
    # locational_gini(mat)$Loc_gini -> 0.40000000000000002 0.18000000000000005 0.27000000000000007 0.31
    # 0.28000000000000003. Hand check I1: wholly in R1 (a fifth of the total): the curve is 0 up to x = 0.8,
    # then rises to 1: area under it 0.2 · 0.5 = 0.1, so 0.5 − 0.1 = 0.4.
    out = locational_gini(matrix(ECONGEO))
    assert out.columns == ["industry_code", "locational_gini", "n_units", "method", "note"]
    assert out["locational_gini"].to_list() == pytest.approx([0.4, 0.18, 0.27, 0.31, 0.28], abs=EXACT)
    assert out["method"].unique().to_list() == ["krugman"] and out["note"].null_count() == 5
    # absent rows are zeros: dropping the zero cells gives the same result
    sparse = matrix(ECONGEO).filter(pl.col("value") > 0)
    assert_frame_equal(locational_gini(sparse).sort("industry_code"), out.sort("industry_code"))


def test_locational_gini_partitions_never_see_each_other():
    # 2020: EconGeo's matrix; 2021: only R1 and R2, I1 only in R1 (completed with zeros within 2021 only)
    df = pl.concat([
        matrix(ECONGEO).with_columns(year=pl.lit(2020, pl.Int64)),
        pl.DataFrame({"region_code": ["R1", "R2", "R2"], "industry_code": ["I1", "I1", "I2"],
                      "value": [50.0, 0.0, 50.0], "year": [2021] * 3}),
    ])  # fmt: skip
    out = locational_gini(df, by=["year"])
    assert out.columns == ["year", "industry_code", "locational_gini", "n_units", "method", "note"]
    assert out.filter(year=2020)["locational_gini"].to_list() == pytest.approx([0.4, 0.18, 0.27, 0.31, 0.28])
    # 2021, I1 and I2 each wholly in one of two equal regions: area = ½ − ½·½·1 = 0.25
    assert out.filter(year=2021)["locational_gini"].to_list() == pytest.approx([0.25, 0.25])
    assert out.filter(year=2021)["n_units"].to_list() == [2, 2]


def test_locational_gini_reat_gini_conc_examples():
    # REAT 3.0.3 man/gini.conc.Rd, Farhauer/Kroell (2013) example: E_ij <- c(500,500,1000,7000,1000);
    # E_j <- c(20000,15000,20000,40000,5000); gini.conc(E_ij, E_j) -> 0.406896551724138 (Rd: 0.4068966).
    # REAT takes the regional totals as a vector: here the remainder E_j − E_ij is a second industry.
    e_ij, e_j = [500, 500, 1000, 7000, 1000], [20000, 15000, 20000, 40000, 5000]
    df = matrix([[i, j - i] for i, j in zip(e_ij, e_j, strict=True)], industries=["i", "rest"])
    out = locational_gini(df, method="lq")
    assert out.filter(industry_code="i")["locational_gini"].item() == pytest.approx(0.406896551724138, abs=EXACT)


def test_locational_gini_reat_gini_conc_german_laender():
    # REAT 3.0.3 man/gini.conc.Rd, G.regions.emp examples (16 Laender, "Insgesamt" as the regional totals), run in
    # R 4.2.2: construction 2008 -> 0.135583150945518; finance 2008 -> 0.217146794799207; 2014 -> 0.222856177595094
    emp = pl.read_csv(shared_data("reat", "G_regions_emp.csv")).filter(pl.col("region") != "Insgesamt")
    expected = {
        ("Baugewerbe (F)", 2008): 0.135583150945518,
        ("Erbringung von Finanz- und Vers.leistungen (K)", 2008): 0.217146794799207,
        ("Erbringung von Finanz- und Vers.leistungen (K)", 2014): 0.222856177595094,
    }
    for (industry, year), value in expected.items():
        wide = (
            emp.filter(pl.col("year") == year, pl.col("industry").is_in([industry, "Insgesamt"]))
            .pivot(on="industry", index="region", values="emp")
            .select("region", i=pl.col(industry), rest=pl.col("Insgesamt") - pl.col(industry))
        )
        df = wide.unpivot(index="region", variable_name="industry_code").rename({"region": "region_code"})
        out = locational_gini(df, method="lq").filter(industry_code="i")
        assert out["locational_gini"].item() == pytest.approx(value, abs=EXACT), (industry, year)
        assert out["n_units"].item() == 16


def test_locational_gini_reat_gini_spec_examples():
    # REAT 3.0.3 man/gini.spec.Rd, Farhauer/Kroell (2013): E_ij <- c(700,600,500,10000,40000);
    # E_i <- c(30000,15000,10000,60000,50000); gini.spec(E_ij, E_i) -> 0.622222222222222 (Rd: 0.6222222).
    # The national vector becomes the region plus a "rest" region (E_i − E_ij); direction="specialisation".
    e_ij, e_i = [700, 600, 500, 10000, 40000], [30000, 15000, 10000, 60000, 50000]
    df = matrix([e_ij, [n - r for r, n in zip(e_ij, e_i, strict=True)]], regions=["j", "rest"])
    out = locational_gini(df, method="lq", direction="specialisation")
    assert out.columns == ["region_code", "locational_gini", "n_units", "method", "note"]
    assert out.filter(region_code="j")["locational_gini"].item() == pytest.approx(0.622222222222222, abs=EXACT)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # gini.spec(Freiburg$e_Freiburg2014, Freiburg$e_Germany2014) -> 0.208900943859099 (Rd: 0.2089009)
        ("Freiburg2014", 0.208900943859099),
        # the same for 2008 (not in the Rd; REAT's code on REAT's data) -> 0.198223002705652
        ("Freiburg2008", 0.198223002705652),
        # gini.spec(Goettingen$Goettingen2017[2:16], Goettingen$BRD2017[2:16]) -> 0.359852029494847 (Rd: 0.359852)
        ("Goettingen2017", 0.359852029494847),
    ],
)
def test_locational_gini_reat_gini_spec_freiburg_goettingen(name: str, expected: float):
    if name.startswith("Freiburg"):
        raw = pl.read_csv(shared_data("reference", "reat_Freiburg.csv"))
        year = name[-4:]
        local, national, label = f"e_Freiburg{year}", f"e_Germany{year}", "industry"
    else:
        raw = pl.read_csv(shared_data("reat", "Goettingen.csv")).slice(1, 15)  # rows 2:16; row 1 is the total
        local, national, label = "Goettingen2017", "BRD2017", "WZ2008_Code"
    df = pl.concat([
        raw.select(region_code=pl.lit("local"), industry_code=label, value=pl.col(local).cast(pl.Float64)),
        raw.select(region_code=pl.lit("rest"), industry_code=label, value=(pl.col(national) - pl.col(local)) * 1.0),
    ])
    out = locational_gini(df, method="lq", direction="specialisation").filter(region_code="local")
    assert out["locational_gini"].item() == pytest.approx(expected, abs=EXACT)


def test_locational_gini_edge_cases():
    # region C has no activity at all (left out); industry z has no employment (undefined);
    # industry y only in A: with B the curve is A(LQ 2) after B(LQ 0).
    df = pl.DataFrame(
        {
            "region_code": ["A", "A", "A", "B", "B", "B", "C"],
            "industry_code": ["x", "y", "z", "x", "y", "z", "x"],
            "value": [10.0, 10.0, 0.0, 20.0, 0.0, 0.0, 0.0],
        }
    )
    x, y, z = locational_gini(df).rows(named=True)
    assert x["n_units"] == 2 and x["note"] == "1 region with total 0 left out"
    # y: B (x = 0.5, y = 0) then A (x = 1, y = 1): area = ½·(1·0.5 − 0·1) = 0.25
    assert y["locational_gini"] == pytest.approx(0.25)
    assert z["locational_gini"] is None and z["note"].startswith("industry total is 0")
    single = locational_gini(df.filter(pl.col("region_code") == "A"), method="lq")
    assert single["note"].to_list()[:2] == ["a single region: the index is 0 by construction"] * 2
    with pytest.raises(IndexInputInvalid, match="method"):
        locational_gini(df, method="hoover")  # type: ignore[arg-type]
    with pytest.raises(IndexInputInvalid, match="direction"):
        locational_gini(df, direction="both")  # type: ignore[arg-type]
    missing = locational_gini(df.with_columns(value=pl.when(pl.col("region_code") == "B").then(None)
                                              .otherwise(pl.col("value"))))  # fmt: skip
    # B not reported: only A is left in x's curve
    assert missing["note"][0] == (
        "a single region: the index is 0 by construction; 1 region with total 0 left out; "
        "1 region not reported (ignored)"
    )


# --- properties ------------------------------------------------------------------------------------------------

values = st.lists(st.integers(0, 10**6), min_size=1, max_size=12).filter(lambda v: sum(v) > 0)


@FAST
@given(values, st.integers(1, 1000), st.randoms(use_true_random=False))
def test_gini_range_scale_and_order(vals: list[int], factor: int, rng):
    n = len(vals)
    df = units([float(v) for v in vals])
    g = one(gini(df, unit="unit"), "gini")
    assert -EXACT <= g <= (n - 1) / n + EXACT < 1 + EXACT
    scaled = one(gini(df.with_columns(pl.col("value") * factor), unit="unit"), "gini")
    shuffled = one(gini(df.sample(fraction=1.0, shuffle=True, seed=rng.randint(0, 10**6)), unit="unit"), "gini")
    assert scaled == pytest.approx(g, abs=1e-12) and shuffled == pytest.approx(g, abs=1e-12)
    equal = one(gini(units([float(vals[0] + 1)] * n), unit="unit"), "gini")
    assert equal == pytest.approx(0.0, abs=EXACT)


@st.composite
def region_matrices(draw: st.DrawFn) -> pl.DataFrame:
    n_regions, n_industries = draw(st.integers(1, 5)), draw(st.integers(1, 4))
    cells = draw(st.lists(st.integers(0, 1000), min_size=n_regions * n_industries, max_size=20))
    return matrix([cells[r * n_industries : (r + 1) * n_industries] for r in range(n_regions)])


@FAST
@given(region_matrices(), st.sampled_from(["krugman", "lq"]), st.sampled_from(["concentration", "specialisation"]))
def test_locational_gini_range_scale_and_order(df: pl.DataFrame, method, direction):
    out = locational_gini(df, method=method, direction=direction)
    defined = out["locational_gini"].drop_nulls()
    upper = 0.5 if method == "krugman" else 1.0
    assert all(-EXACT <= g <= upper + EXACT for g in defined)
    assert out.filter(pl.col("locational_gini").is_null())["note"].null_count() == 0
    scaled = locational_gini(df.with_columns(pl.col("value") * 7), method=method, direction=direction)
    reordered = locational_gini(df.reverse(), method=method, direction=direction)
    key = out.columns[0]
    for other in (scaled, reordered):
        joined = out.join(other, on=key, suffix="_other")
        same_nulls = joined["locational_gini"].is_null() == joined["locational_gini_other"].is_null()
        assert same_nulls.all()
        both = joined.drop_nulls(["locational_gini"])
        assert both["locational_gini_other"].to_list() == pytest.approx(both["locational_gini"].to_list(), abs=1e-12)
