"""Ellison-Glaeser and Maurel-Sédillot agglomeration indices from firm records.

Golden values: REAT 3.0.3 (cran/REAT@602f988; R/ellison.a.R, R/ellison.a2.R and R/herf.R are byte-identical to the
3.0.3 tarball (checked against its MD5 file), stored at cran/REAT@9570991; man/ellison.a.Rd@9570991,
man/ellison.a2.Rd@96afe5e), sourced and run in R 4.2.2 with print(x, digits = 15) and sprintf("%.17g").
"""

from __future__ import annotations

import polars as pl
import pytest
from conftest import shared_data
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.indices._common import IndexInputInvalid
from pipeline.indices.firms import ellison_glaeser, maurel_sedillot

FAST = settings(max_examples=50, deadline=None)
COLUMNS = ["industry_code", "gamma", "G", "H", "n_firms", "n_regions", "z", "note"]
FK = {"firm": "firm", "region": "region", "industry": "industry", "value": "emp_firm"}


def plants(regions: list[str], values: list[float | None], industry: str = "x") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "firm_id": [f"{industry}{k}" for k in range(len(values))],
            "region_code": regions,
            "industry_code": industry,
            "employment": pl.Series(values, dtype=pl.Float64),
        }
    )


def totals(**regions: float) -> pl.DataFrame:
    return pl.DataFrame({"region_code": list(regions), "region_total": list(regions.values())})


def test_reat_ellison_a_example_with_region_totals():
    # REAT 3.0.3 man/ellison.a.Rd example (Farhauer/Kroell 2014), run in R 4.2.2:
    #   ellison.a(E_ik, E_j, j) -> Gamma i 0.0599062841165389 (the Rd comment: 0.05990628), G i 0.168163265306122,
    #   z Gi 0.195900197026136, K i 10, HHI i 0.244688775510204 (%.17g: 0.059906284116538921, 0.16816326530612241,
    #   0.19590019702613568, 10, 0.2446887755102041). E_j given for the regions = our region_totals= option.
    firms = plants(["Wien"] * 5 + ["Linz"] * 4 + ["Graz"], [200, 650, 12000, 100, 50, 16000, 13000, 1500, 1500, 25000])
    out = ellison_glaeser(firms, region_totals=totals(Wien=500000, Linz=400000, Graz=100000))
    assert out.columns == COLUMNS
    row = out.row(0, named=True)
    assert row["gamma"] == pytest.approx(0.059906284116538921, rel=1e-13)
    assert row["G"] == pytest.approx(0.16816326530612241, rel=1e-13)
    assert row["z"] == pytest.approx(0.19590019702613568, rel=1e-12)
    assert row["H"] == pytest.approx(0.2446887755102041, rel=1e-13)
    assert (row["n_firms"], row["n_regions"], row["note"]) == (10, 3, None)
    # the region totals may also sit in a column named like the value column
    other = ellison_glaeser(
        firms, region_totals=totals(Wien=500000, Linz=400000, Graz=100000).rename({"region_total": "employment"})
    )
    assert_frame_equal(out, other)


# REAT 3.0.3 man/ellison.a2.Rd example, run in R 4.2.2 on shared/data/reference/reat_FK2014_EGC.csv:
#   ellison.a2(FK2014_EGC$emp_firm, FK2014_EGC$industry, FK2014_EGC$region) prints "K = 42 firms, I = 4 industries,
#   J = 3 regions" and Gamma i -0.0937938445647128, 0.1683800334283319, -0.0801253944491777, -0.1304013405493789.
#   Its returned matrix (%.17g), columns Gamma i, G i, z Gi, K i, HHI i:
ELLISON_A2 = {
    "Clothing trade": (-0.093793844564712764, 0.017909653396422205, -0.50259783772914912, 11, 0.13124349999999999),
    "Forestry": (0.16838003342833185, 0.088262933762424056, 1.3660878088081769, 13, 0.092405532525510203),
    "Textiles dyeing": (-0.080125394449177739, 0.027764810670837047, -0.38016436814141991, 9, 0.14559982637034172),
    "Textiles trade": (-0.13040134054937888, 0.0027349661903339965, -0.76635406196069233, 9, 0.12208059192454587),
}
# REAT 3.0.3 ellison.a (the same function as above, not an Rd example) run per industry of FK2014_EGC with
#   e_j = the data's emp_region (360000, 108000, 132000 for regions 1, 2, 3), in R 4.2.2 (%.17g):
ELLISON_A_EMP_REGION = {
    "Clothing trade": (0.054381772795941356, 0.099810500000000038, 0.36320496563050247, 11, 0.13124349999999999),
    "Forestry": (0.042963558487932985, 0.073478332270408175, 0.41604881430357338, 13, 0.092405532525510203),
    "Textiles dyeing": (0.13776002909364102, 0.14723848910710047, 0.81682840101316923, 9, 0.14559982637034172),
    "Textiles trade": (0.014249059248263593, 0.075262793753763241, 0.10224916385173781, 9, 0.12208059192454587),
}


def assert_reat(out: pl.DataFrame, expected: dict[str, tuple[float, float, float, int, float]]) -> None:
    got = {r["industry"]: r for r in out.rows(named=True)}
    assert sorted(got) == sorted(expected)
    for industry, (gamma, g, z, k, h) in expected.items():
        row = got[industry]
        assert row["gamma"] == pytest.approx(gamma, rel=1e-12), industry
        assert row["G"] == pytest.approx(g, rel=1e-12), industry
        assert row["z"] == pytest.approx(z, rel=1e-12), industry
        assert row["H"] == pytest.approx(h, rel=1e-13), industry
        assert (row["n_firms"], row["n_regions"], row["note"]) == (k, 3, None)


def test_reat_ellison_a2_example_on_fk2014_firm_data():
    # Default reference economy: x_r from the firms of all industries summed by region = REAT's ellison.a2.
    fk = pl.read_csv(shared_data("reference", "reat_FK2014_EGC.csv"))
    out = ellison_glaeser(fk, **FK)
    assert out["industry"].to_list() == ["Clothing trade", "Forestry", "Textiles dyeing", "Textiles trade"]
    assert_reat(out, ELLISON_A2)


def test_reat_ellison_a_on_fk2014_with_the_regions_employment():
    # region_totals= (the all-industry employment of each region) = REAT's ellison.a with e_j.
    fk = pl.read_csv(shared_data("reference", "reat_FK2014_EGC.csv"))
    regions = fk.select("region", pl.col("emp_region").alias("region_total")).unique()
    assert_reat(ellison_glaeser(fk, **FK, region_totals=regions), ELLISON_A_EMP_REGION)


def test_maurel_sedillot_hand_calculation():
    # x = (0.6, 0.4); plants 60, 20 in A and 20 in B: σ = (0.8, 0.2), Σσ² = 0.68, Σx² = 0.52, H = 0.44.
    # MS: G = (0.68 − 0.52)/(1 − 0.52) = 1/3; γ = (1/3 − 0.44)/(1 − 0.44) = −0.1904761905
    # EG: G = 0.2² + 0.2² = 0.08; γ = (0.08 − 0.48·0.44)/(0.48·0.56) = −0.1312/0.2688 = −0.4880952381
    # z: Σx³ = 0.216 + 0.064 = 0.28, Σz⁴ = 0.6⁴ + 2·0.2⁴ = 0.1328,
    #   Var G = 2[0.1936·(0.52 − 0.56 + 0.2704) − 0.1328·(0.52 − 1.12 + 0.8112)] = 2[0.04460544 − 0.02804736]
    #         = 0.03311616; z = −0.1312/sqrt(0.03311616) = −0.72096...
    firms = plants(["A", "A", "B"], [60, 20, 20])
    ms = maurel_sedillot(firms, region_totals=totals(A=600, B=400)).row(0, named=True)
    assert ms["G"] == pytest.approx(1 / 3)
    assert ms["gamma"] == pytest.approx((1 / 3 - 0.44) / 0.56)
    assert (ms["H"], ms["n_firms"], ms["n_regions"]) == (pytest.approx(0.44), 3, 2)
    eg = ellison_glaeser(firms, region_totals=totals(A=600, B=400)).row(0, named=True)
    assert eg["G"] == pytest.approx(0.08)
    assert eg["gamma"] == pytest.approx(-0.1312 / 0.2688)
    assert eg["z"] == pytest.approx(-0.1312 / 0.03311616**0.5)


def test_maurel_sedillot_equals_ellison_glaeser_with_equal_regions():
    # With x_r = 1/R: Σσx = 1/R = Σx², so G_EG = Σσ² − Σx² and both γ coincide.
    firms = pl.concat([plants(["A", "A", "B", "C"], [5, 7, 1, 3], "x"), plants(["B", "C"], [4, 9], "y")])
    even = totals(A=1, B=1, C=1)
    eg = ellison_glaeser(firms, region_totals=even)
    ms = maurel_sedillot(firms, region_totals=even)
    assert ms["gamma"].to_list() == pytest.approx(eg["gamma"].to_list())


def test_regions_without_the_industry_count_in_g():
    # x from firms: A 60+20 = 80, B 20 (x), C 100 (y) -> x = (0.4, 0.1, 0.5). Industry x: σ = (0.8, 0.2, 0):
    # G = 0.4² + 0.1² + 0.5² = 0.16 + 0.01 + 0.25 = 0.42 (region C, where x has no firm, adds x_C² = 0.25).
    firms = pl.concat([plants(["A", "A", "B"], [60, 20, 20], "x"), plants(["C", "C"], [50, 50], "y")])
    out = ellison_glaeser(firms)
    x = out.row(0, named=True)
    assert x["G"] == pytest.approx(0.42)
    assert x["n_regions"] == 3
    # Σx² = 0.16 + 0.01 + 0.25 = 0.42, H = 0.44: γ = (0.42 − 0.58·0.44)/(0.58·0.56)
    assert x["gamma"] == pytest.approx((0.42 - 0.58 * 0.44) / (0.58 * 0.56))


def test_undefined_cases_are_null_with_a_reason():
    firms = pl.concat(
        [
            plants(["A"], [100], "one_firm"),  # H = 1
            plants(["A", "B"], [0, 0], "zero"),  # total 0
            plants(["A", "B"], [None, None], "unreported"),
            plants(["A", "C"], [10, 10], "no_total"),  # C has no region total
            plants(["A", "B", "B"], [10, 20, None], "one_missing"),
        ]
    )
    out = ellison_glaeser(firms, region_totals=totals(A=100, B=100))
    notes = dict(zip(out["industry_code"], out["note"], strict=True))
    assert notes["one_firm"] == "a single firm holds the whole industry (H = 1): γ is undefined"
    assert notes["zero"] == "the industry's total is 0: its shares are undefined"
    assert notes["unreported"] == "no firm value reported"
    assert notes["no_total"] == "a region of the industry's firms has no region total"
    assert notes["one_missing"] == "1 firm not reported (ignored)"
    undefined = out.filter(pl.col("industry_code") != "one_missing")
    assert undefined["gamma"].null_count() == undefined.height and undefined["z"].null_count() == undefined.height
    assert out.filter(industry_code="one_firm")["H"].item() == 1.0
    assert out.filter(industry_code="one_missing")["n_firms"].item() == 2
    for function in (ellison_glaeser, maurel_sedillot):  # a single region: Σx² = 1
        row = function(plants(["A", "A"], [1, 2])).row(0, named=True)
        assert row["gamma"] is None and row["note"] == "a single region (Σ x_r² = 1): γ is undefined"


def test_partitions_are_separate_economies():
    fk_like = pl.concat([plants(["A", "A", "B"], [60, 20, 20]), plants(["A", "B", "B"], [5, 5, 10])])
    both = fk_like.with_columns(year=pl.Series([2020] * 3 + [2021] * 3)).with_columns(
        pl.col("firm_id") + pl.col("year").cast(pl.String)
    )
    out = ellison_glaeser(both, by=["year"])
    assert out.columns == ["year", *COLUMNS]
    alone = ellison_glaeser(plants(["A", "B", "B"], [5, 5, 10]))
    assert out.filter(year=2021)["gamma"].item() == pytest.approx(alone["gamma"].item())


def test_input_errors():
    firms = plants(["A", "A"], [1, 2])
    with pytest.raises(IndexInputInvalid, match="one row per plant"):
        ellison_glaeser(pl.concat([firms, firms]))
    with pytest.raises(IndexInputInvalid, match="no column 'plant'"):
        ellison_glaeser(firms, firm="plant")
    with pytest.raises(IndexInputInvalid, match="region_totals"):
        ellison_glaeser(firms, region_totals=pl.DataFrame({"region_code": ["A"], "total": [1]}))


@st.composite
def firm_records(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(2, 25))
    return pl.DataFrame(
        {
            "firm_id": [f"f{k}" for k in range(n)],
            "region_code": draw(st.lists(st.sampled_from("ABCD"), min_size=n, max_size=n)),
            "industry_code": draw(st.lists(st.sampled_from("xyz"), min_size=n, max_size=n)),
            "employment": draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n)),
        }
    )


@FAST
@given(firm_records(), st.floats(1e-2, 1e2), st.randoms(use_true_random=False))
def test_invariant_to_scale_and_row_order_and_bounded(df: pl.DataFrame, factor: float, rnd):
    order = list(range(df.height))
    rnd.shuffle(order)
    moved = df.with_columns(pl.col("employment") * factor)[order]
    for function in (ellison_glaeser, maurel_sedillot):
        base = function(df).sort("industry_code")
        other = function(moved).sort("industry_code")
        assert_frame_equal(base, other, check_exact=False, rel_tol=1e-9, abs_tol=1e-12)
        assert base["note"].is_null().eq(base["gamma"].is_not_null()).all()  # null exactly when explained
    eg = ellison_glaeser(df)
    assert ((eg["H"] > 0) & (eg["H"] <= 1 + 1e-12)).all()
    assert (eg["G"].drop_nulls() >= -1e-12).all()
