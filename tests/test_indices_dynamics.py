"""Growth and shift-share: REAT's examples, hand calculations and the identities they must keep.

Golden values: REAT 3.0.3 (cran/REAT@602f988). R/shift.R, R/shift.growth.R and R/growth.R (stored at
cran/REAT@96afe5e) and R/shifti.R (@9570991) are byte-identical to the 3.0.3 tarball (checked against its MD5 file);
the examples are man/shift.Rd, man/shifti.Rd (@9570991) and man/growth.Rd (@96afe5e), sourced and run in R 4.2.2.
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import shared_data
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.indices._common import IndexInputInvalid
from pipeline.indices.growth import growth
from pipeline.indices.shift_share import shift_share

FAST = settings(max_examples=50, deadline=None)

# REAT man/shift.Rd example (Farhauer/Kroell 2013): four industries, regions A, B, C and the nation X = A + B + C.
REGIONS = {
    "A": ([90, 20, 10, 60], [100, 40, 10, 55]),
    "B": ([60, 30, 30, 40], [85, 55, 40, 35]),
    "C": ([250, 100, 110, 300], [255, 115, 85, 390]),
}
NATION = ([400, 150, 150, 400], [440, 210, 135, 480])
# shift(region_t, region_t1, nation_X_t, nation_X_t1)$components, run in R 4.2.2 (print digits = 15):
#   Growth (t1-t), National share, Industrial mix, Regional share, Net total shift
#   A: 25, 27, 1.00000000000003, -3, -1.99999999999997
#   B: 55, 24, -1, 32, 31
#   C: 85, 114, 1.13686837721616e-13, -29, -28.9999999999999
REAT_SHIFT = {"A": (25, 27, 1, -3, -2), "B": (55, 24, -1, 32, 31), "C": (85, 114, 0, -29, -29)}
COMPONENTS = ["change", "national_share", "industry_mix", "competitive", "net_shift"]


def long(values: dict[str, tuple[list[int], list[int]]], years: tuple[int, int] = (0, 1)) -> pl.DataFrame:
    rows = [
        (region, str(k + 1), year, v)
        for region, pair in values.items()
        for year, vector in zip(years, pair, strict=True)
        for k, v in enumerate(vector)
    ]
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "year", "value"], orient="row")


def nation() -> pl.DataFrame:
    return long({"X": NATION}).drop("region_code")


def freiburg() -> tuple[pl.DataFrame, pl.DataFrame]:
    """REAT's Freiburg data (shared/data/reference/reat_Freiburg.csv) as a region frame and a Germany reference."""
    fr = pl.read_csv(shared_data("reference", "reat_Freiburg.csv"))
    region = pl.concat(
        [
            fr.select("industry", region_code=pl.lit("Freiburg"), year=pl.lit(y), value=f"e_Freiburg{y}")
            for y in (2008, 2014)
        ]
    )
    germany = pl.concat([fr.select("industry", year=pl.lit(y), value=f"e_Germany{y}") for y in (2008, 2014)])
    return region, germany


# ---------------------------------------------------------------------------------------------------- growth


def test_reat_growth_examples():
    # REAT 3.0.3 man/growth.Rd, run in R 4.2.2:
    #   growth(region_A_t, region_A_t1) -> 1.111111111111111 2 1 0.916666666666667 (the factor: growth.type "growth")
    out = growth(long({"A": REGIONS["A"]}), unit=["region_code", "industry_code"])
    assert (out["growth_rate"] + 1).to_list() == pytest.approx([10 / 9, 2, 1, 55 / 60], rel=1e-15)
    assert out["change"].to_list() == [10, 20, 0, -5]
    assert out["cagr"].to_list() == pytest.approx(out["growth_rate"].to_list())  # one year apart


def test_reat_growth_example_on_freiburg():
    # REAT 3.0.3 man/growth.Rd: growth(Freiburg$e_Freiburg2008, Freiburg$e_Freiburg2014, growth.type = "rate")
    #   -> -0.06790218394340208 0.07608324803821231 0.13302507558242938 0.06551188096824334 0.00327283546563528
    #      0.18988764044943829 0.19191838046272491 0.24951976250072772 0.09952216180589879
    region, _ = freiburg()
    out = growth(region, unit="industry")
    reat = [
        -0.06790218394340208, 0.07608324803821231, 0.13302507558242938, 0.06551188096824334, 0.00327283546563528,
        0.18988764044943829, 0.19191838046272491, 0.24951976250072772, 0.09952216180589879,
    ]  # fmt: skip
    assert out["growth_rate"].to_list() == pytest.approx(reat, rel=1e-14)
    # the data set's own column e_g_Freiburg_0814 is the same growth in percent
    published = pl.read_csv(shared_data("reference", "reat_Freiburg.csv"))["e_g_Freiburg_0814"].to_list()
    assert growth(region, unit="industry", percent=True)["growth_rate"].to_list() == pytest.approx(published, rel=1e-12)
    assert (out["start"].unique().to_list(), out["end"].unique().to_list()) == ([2008], [2014])


def test_growth_hand_calculations():
    # A: 100 -> 121 over 2 years: change 21, rate 0.21, CAGR sqrt(1.21) − 1 = 0.1 (10 % in percent)
    # B: 0 -> 5: change 5, rate and CAGR undefined; C: no 2010 row; D: 2010 only; E: 10 -> −5, opposite signs
    df = pl.DataFrame(
        {
            "region_code": ["A", "A", "B", "B", "C", "D", "E", "E", "A"],
            "year": [2010, 2012, 2010, 2012, 2012, 2010, 2010, 2012, 2011],
            "value": [100, 121, 0, 5, 7, 3, 10, -5, 110],
        }
    )
    out = growth(df, unit="region_code", percent=True)
    assert out.columns == [
        "region_code", "start", "end", "value_start", "value_end", "change", "growth_rate", "cagr", "note",
    ]  # fmt: skip
    rows = {r["region_code"]: r for r in out.rows(named=True)}
    assert (rows["A"]["change"], rows["A"]["growth_rate"]) == (21, pytest.approx(21))
    assert rows["A"]["cagr"] == pytest.approx(10)
    assert (rows["B"]["change"], rows["B"]["growth_rate"], rows["B"]["cagr"]) == (5, None, None)
    assert rows["B"]["note"] == "the start value is 0: the growth rate is undefined"
    assert rows["C"]["note"] == "no value for the start year" and rows["C"]["change"] is None
    assert rows["D"]["note"] == "no value for the end year" and rows["D"]["value_start"] == 3
    assert (rows["E"]["growth_rate"], rows["E"]["cagr"]) == (pytest.approx(-150), None)
    assert rows["E"]["note"] == "the start and end values have opposite signs: the CAGR is undefined"
    # explicit years: 2010 -> 2011, one year
    assert growth(df, unit="region_code", start=2010, end=2011).row(0, named=True)["cagr"] == pytest.approx(0.1)


def test_growth_partitions_and_errors():
    df = pl.DataFrame({"m": ["x", "x", "y"], "u": ["a", "a", "a"], "year": [2000, 2005, 2003], "value": [1, 2, 4]})
    out = growth(df, unit="u", by=["m"])
    assert out.filter(m="y")["note"].item() == "a single year in the partition: nothing to compare"
    assert out.filter(m="x")["cagr"].item() == pytest.approx(2 ** (1 / 5) - 1)
    with pytest.raises(IndexInputInvalid, match="must come after"):
        growth(df, unit="u", by=["m"], start=2005, end=2000)
    with pytest.raises(IndexInputInvalid, match="share their key"):
        growth(pl.concat([df, df]), unit="u", by=["m"])


@FAST
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=6), st.integers(2, 6))
def test_growth_of_a_constant_series_is_zero(levels: list[int], n_years: int):
    df = pl.DataFrame(
        {"u": [f"u{k}" for k in range(len(levels)) for _ in range(n_years)],
         "year": [2000 + y for _ in levels for y in range(n_years)],
         "value": [v for v in levels for _ in range(n_years)]}
    )  # fmt: skip
    out = growth(df, unit="u")
    assert (out["change"] == 0).all()
    positive = out.filter(pl.col("value_start") > 0)
    assert positive["growth_rate"].to_list() == [0.0] * positive.height
    assert positive["cagr"].to_list() == pytest.approx([0.0] * positive.height, abs=1e-15)
    assert out.filter(pl.col("value_start") == 0)["growth_rate"].null_count() == out.height - positive.height


# ---------------------------------------------------------------------------------------------- shift-share


@pytest.mark.parametrize("reference", ["nation", "internal"])
def test_reat_shift_examples(reference: str):
    # REAT's shift() takes the nation vectors; X = A + B + C, so the internal reference (the sum of the frame's
    # regions) gives the same numbers. REAT's "Regional share" is our competitive effect (its ratio form equals
    # the actual-minus-expected form here: every e_ri1 > 0), "Net total shift" our net_shift.
    ref = nation() if reference == "nation" else None
    out = shift_share(long(REGIONS), reference=ref, per="region")
    assert out["region_code"].to_list() == ["A", "B", "C"]
    for row in out.rows(named=True):
        assert [row[c] for c in COMPONENTS] == pytest.approx(REAT_SHIFT[row["region_code"]], abs=1e-9)
        assert row["reference_growth"] == pytest.approx(0.15)  # 1265/1100 − 1, REAT prints "165 / 15 %"
        assert row["note"] is None


def test_reat_shift_example_on_freiburg():
    # REAT 3.0.3 man/shift.Rd: shift(Freiburg$e_Freiburg2008, Freiburg$e_Freiburg2014, Freiburg$e_Germany2008,
    #   Freiburg$e_Germany2014), run in R 4.2.2 on the columns as doubles (%.17g):
    #   Growth 14373, National share 9887.2783982608962, Industrial mix 2501.6118784160935,
    #   Regional share 1984.1097233230073, Net total shift 4485.7216017391038.
    #   (Read with read.csv the columns are integer and R overflows in e_j1*e2: National share prints NA.)
    # shift.method = "Esteban" (same function, not in the Rd): Regional share 343.78685141000119,
    #   Allocation effect 1640.3228719130066.
    region, germany = freiburg()
    out = shift_share(region, industry="industry", reference=germany, per="region", method="esteban_marquillas")
    row = out.row(0, named=True)
    expected = [14373, 9887.2783982608962, 2501.6118784160935, 1984.1097233230073, 4485.7216017391038]
    assert [row[c] for c in COMPONENTS] == pytest.approx(expected, rel=1e-13)
    assert row["homothetic_competitive"] == pytest.approx(343.78685141000119, rel=1e-12)
    assert row["allocation"] == pytest.approx(1640.3228719130066, rel=1e-13)
    assert (row["value_start"], row["value_end"]) == (100056, 114429)
    assert row["reference_growth"] == pytest.approx(9.88174462127298 / 100, rel=1e-13)  # REAT prints the %


def test_reat_esteban_on_region_a():
    # REAT 3.0.3 shift(region_A_t, region_A_t1, nation_X_t, nation_X_t1, shift.method = "Esteban"), R 4.2.2:
    #   25, 27, 1.000000000000028, Regional share -0.636363636363636, Allocation effect -2.363636363636363
    # Hand: ê_ri = 180·E_i1/1100 = (65.4545, 24.5455, 24.5455, 65.4545), g_ri − g_i = (0.01111, 0.6, 0.1, −0.28333):
    #   Σ ê (g_ri − g_i) = 0.72727 + 14.72727 + 2.45455 − 18.54545 = −0.63636; allocation = −3 − (−0.63636).
    out = shift_share(long({"A": REGIONS["A"]}), reference=nation(), per="region", method="esteban_marquillas")
    row = out.row(0, named=True)
    assert row["homothetic_competitive"] == pytest.approx(-0.636363636363636, rel=1e-12)
    assert row["allocation"] == pytest.approx(-2.363636363636363, rel=1e-12)
    assert row["homothetic_competitive"] + row["allocation"] == pytest.approx(row["competitive"])


def test_reat_shifti_example_per_industry():
    # REAT 3.0.3 man/shifti.Rd: shifti(region_A_t, region_A_t1, nation_X_t, nation_X_t1, ...), R 4.2.2
    # ($components.industry; plot arguments left out):
    #   Growth (t1-t)    10  20  0   -5
    #   National share    9   8 -1   12
    #   Regional share    1  12  1  -17   (0.999999999999996 for industry 1)
    #   Net total shift   1  12  1  -17
    # shifti runs shift() on each industry alone, so its "National share" is e_ri1·g_i = our national_share +
    # industry_mix (e.g. industry 1: 90·0.15 + 90·(0.1 − 0.15) = 13.5 − 4.5 = 9).
    out = shift_share(long({"A": REGIONS["A"]}), reference=nation())
    assert out["industry_code"].to_list() == ["1", "2", "3", "4"]
    assert out["change"].to_list() == [10, 20, 0, -5]
    assert (out["national_share"] + out["industry_mix"]).to_list() == pytest.approx([9, 8, -1, 12], abs=1e-12)
    assert out["competitive"].to_list() == pytest.approx([1, 12, 1, -17], abs=1e-12)
    assert out["industry_growth"].to_list() == pytest.approx([0.1, 0.4, -0.1, 0.2])
    assert out["national_share"].to_list() == pytest.approx([13.5, 3, 1.5, 9])


def test_reat_shifti_on_freiburg_per_industry():
    # REAT 3.0.3 shifti(...) on the Freiburg columns as doubles (not an Rd example), R 4.2.2, %.17g:
    national = [
        150.49211033961001,
        232.229637529907,
        1533.3316122193137,
        448.24172534709396,
        20.560881588871325,
        48.491581543436723,
        2629.3185066029455,
        7111.9560276693228,
        214.26819383649763,
    ]
    regional = [
        -1033.4921103396096, -9.2296375299067854, 1458.6683877806877, -153.24172534709408, -9.5608815888708296,
        120.50841845656345, -240.31850660294577, 1461.0439723306813, 389.73180616350191,
    ]  # fmt: skip
    region, germany = freiburg()
    out = shift_share(region, industry="industry", reference=germany)
    assert out["change"].to_list() == [-883, 223, 2992, 295, 11, 169, 2389, 8573, 604]
    assert (out["national_share"] + out["industry_mix"]).to_list() == pytest.approx(national, rel=1e-12)
    assert out["competitive"].to_list() == pytest.approx(regional, rel=1e-11)


def test_zero_start_value_stays_finite():
    # Region r has no start value in industry a (REAT's ratio form gives 0·(7/0 − ...) = NaN); reference = r + s:
    # E_a: 5 -> 12 (g_a = 1.4), E_b: 20 -> 23 (g_b = 0.15), E: 25 -> 35 (g = 0.4).
    # r, a: national 0·0.4 = 0, mix 0, competitive (7 − 0) − 0 = 7; EM split undefined (g_ra = 7/0).
    # r, b: national 4, mix 10·(0.15 − 0.4) = −2.5, competitive 2 − 1.5 = 0.5;
    #   ê_rb = e_r1·E_b1/E_1 = 10·20/25 = 8: homothetic 8·(0.2 − 0.15) = 0.4, allocation (10 − 8)·0.05 = 0.1.
    df = pl.DataFrame(
        {"region_code": ["r", "r", "s", "s"] * 2, "industry_code": ["a", "b"] * 4, "year": [1] * 4 + [2] * 4,
         "value": [0, 10, 5, 10, 7, 12, 5, 11]}
    )  # fmt: skip
    out = shift_share(df, method="esteban_marquillas")
    ra = out.filter(region_code="r", industry_code="a").row(0, named=True)
    assert (ra["national_share"], ra["industry_mix"], ra["competitive"]) == (0, 0, 7)
    assert ra["homothetic_competitive"] is None and ra["allocation"] is None
    assert ra["note"] == "start value 0: g_ri and the Esteban-Marquillas split are undefined"
    rb = out.filter(region_code="r", industry_code="b").row(0, named=True)
    assert [rb[c] for c in ("national_share", "industry_mix", "competitive")] == pytest.approx([4, -2.5, 0.5])
    assert (rb["homothetic_competitive"], rb["allocation"]) == (pytest.approx(0.4), pytest.approx(0.1))
    region = shift_share(df, method="esteban_marquillas", per="region").filter(region_code="r").row(0, named=True)
    assert [region[c] for c in COMPONENTS] == pytest.approx([9, 4, -2.5, 7.5, 5])
    assert region["homothetic_competitive"] is None
    assert region["note"] == "industry a: start value 0: g_ri and the Esteban-Marquillas split are undefined"
    # Dunn says nothing about the EM split
    assert shift_share(df).filter(region_code="r", industry_code="a")["note"].item() is None


def test_industry_new_to_the_reference_and_missing_cells():
    # Industry c has no start value anywhere (E_c1 = 0): its change counts as competitive, flagged.
    # Cell (s, b) has no end-year row: left out of s's sums, with a note.
    df = pl.DataFrame(
        {"region_code": ["r", "r", "r", "s", "s", "r", "r", "r", "s"], "industry_code": list("abcab") + list("abca"),
         "year": [1] * 5 + [2] * 4, "value": [10, 10, 0, 10, 10, 12, 11, 4, 13]}
    )  # fmt: skip
    cells = shift_share(df)
    rc = cells.filter(region_code="r", industry_code="c").row(0, named=True)
    assert (rc["industry_mix"], rc["competitive"], rc["industry_growth"]) == (0, 4, None)
    assert rc["note"] == "E_i1 = 0 (the industry is new to the reference economy): its change counts as competitive"
    sb = cells.filter(region_code="s", industry_code="b").row(0, named=True)
    assert sb["change"] is None and sb["note"] == "no value for the end year"
    s = shift_share(df, per="region").filter(region_code="s").row(0, named=True)
    assert (s["value_start"], s["value_end"], s["change"]) == (10, 13, 3)
    assert s["note"] == "1 industries left out (no value in the start or end year)"
    # a reference without industry c: c's mix and competitive effects are null
    ref = df.filter(pl.col("industry_code") != "c").group_by("industry_code", "year").agg(pl.col("value").sum())
    rc = shift_share(df, reference=ref).filter(region_code="r", industry_code="c").row(0, named=True)
    assert (
        rc["competitive"] is None
        and rc["note"] == "the reference economy has no value for the industry in the start or end year"
    )


def test_shift_share_errors():
    df = long({"A": REGIONS["A"]})
    with pytest.raises(IndexInputInvalid, match="method"):
        shift_share(df, method="gerfin")  # type: ignore[arg-type]
    with pytest.raises(IndexInputInvalid, match="per"):
        shift_share(df, per="cluster")  # type: ignore[arg-type]
    with pytest.raises(IndexInputInvalid, match="share their key"):
        shift_share(pl.concat([df, df]))


@st.composite
def panels(draw: st.DrawFn) -> pl.DataFrame:
    """Regions x industries x two years, values >= 0 (zeros included), optionally a second partition."""
    n_r, n_i = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    cell = st.integers(0, 1000)
    rows = [
        (m, f"r{r}", f"i{i}", y, draw(cell)) for m in ("p", "q") for r in range(n_r) for i in range(n_i) for y in (1, 3)
    ]
    return pl.DataFrame(rows, schema=["m", "region_code", "industry_code", "year", "value"], orient="row")


@FAST
@given(panels(), st.sampled_from(["dunn", "esteban_marquillas"]))
def test_components_sum_to_the_actual_change(df: pl.DataFrame, method):
    for per in ("industry", "region"):
        out = shift_share(df, by=["m"], method=method, per=per)
        defined = out.filter(pl.col("national_share").is_not_null())
        total = defined["national_share"] + defined["industry_mix"] + defined["competitive"]
        assert total.to_list() == pytest.approx(defined["change"].to_list(), abs=1e-9)
        net = defined["industry_mix"] + defined["competitive"]
        assert defined["net_shift"].to_list() == pytest.approx(net.to_list(), abs=1e-9)
        if method == "esteban_marquillas":
            split = defined.filter(pl.col("allocation").is_not_null())
            both = split["homothetic_competitive"] + split["allocation"]
            assert both.to_list() == pytest.approx(split["competitive"].to_list(), abs=1e-9)
        # undefined only where the note says why
        assert out.filter(pl.col("competitive").is_null())["note"].null_count() == 0
    # internal reference: the industry mix sums to 0 over all cells, Σ_i E_i1 (g_i − g) = (E_2 − E_1) − E_1 g = 0,
    # unless an industry is new (E_i1 = 0): its end value is in E_2 but in no E_i1 g_i
    cells = shift_share(df, by=["m"])
    mix = cells.group_by("m").agg(
        pl.col("industry_mix").sum(), pl.col("note").str.contains("E_i1 = 0").any().alias("new")
    )
    mix = mix.filter(~pl.col("new").fill_null(False))
    assert mix["industry_mix"].to_list() == pytest.approx([0.0] * mix.height, abs=1e-7)
