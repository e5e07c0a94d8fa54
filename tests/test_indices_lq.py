"""Location quotient: hand-worked examples, notes, partitions, explicit reference economies, LQ change, and the
reference tools' examples (REAT 3.0.3 locq/locq2, EconGeo 2.x location_quotient, USCMP's published cluster LQs)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from conftest import shared_data
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid
from pipeline.indices.specialisation import location_quotient, lq, lq_change

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
USCMP_STATES = SHARED_DATA / "uscmp" / "uscmp_states_clusters_2016.csv"

OUTPUT_COLUMNS = [
    "region_code",
    "industry_code",
    "value",
    "region_total",
    "industry_total",
    "total",
    "lq",
    "lq_additive",
    "specialised",
    "reference",
    "note",
]


def frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["region_code", "industry_code", "value"], orient="row")


def cells(out: pl.DataFrame, column: str) -> dict[tuple[str, str], object]:
    return {(r["region_code"], r["industry_code"]): r[column] for r in out.iter_rows(named=True)}


# Hand example, 2 regions x 3 industries.
#            x     y     z   | e_r
#   A       10    30    60   | 100
#   B      150    30   120   | 300
#   e_i    160    60   180   | e = 400
#   s_i = e_i/e:  0.40  0.15  0.45
# LQ_ri = (e_ri/e_r)/s_i:
#   A: x 0.10/0.40 = 0.25    y 0.30/0.15 = 2.0      z 0.60/0.45 = 4/3
#   B: x 0.50/0.40 = 1.25    y 0.10/0.15 = 2/3      z 0.40/0.45 = 8/9
# additive s_ri - s_i:
#   A: x 0.10-0.40 = -0.30   y 0.30-0.15 = 0.15     z 0.60-0.45 = 0.15
#   B: x 0.50-0.40 = 0.10    y 0.10-0.15 = -0.05    z 0.40-0.45 = -0.05
HAND = frame(
    [("A", "x", 10), ("A", "y", 30), ("A", "z", 60), ("B", "x", 150), ("B", "y", 30), ("B", "z", 120)]
)
HAND_LQ = [0.25, 2.0, 4 / 3, 1.25, 2 / 3, 8 / 9]
HAND_ADDITIVE = [-0.30, 0.15, 0.15, 0.10, -0.05, -0.05]


def test_hand_example_two_regions_three_industries():
    out = location_quotient(HAND)
    assert out.columns == OUTPUT_COLUMNS
    assert out.schema["lq"] == pl.Float64 and out.schema["note"] == pl.String
    assert out["specialised"].dtype == pl.Boolean
    assert out["lq"].to_list() == pytest.approx(HAND_LQ, rel=1e-12)
    assert out["lq_additive"].to_list() == pytest.approx(HAND_ADDITIVE, abs=1e-12)
    assert out["region_total"].to_list() == [100.0] * 3 + [300.0] * 3
    assert out["industry_total"].to_list() == [160.0, 60.0, 180.0] * 2
    assert out["total"].to_list() == [400.0] * 6
    assert out["specialised"].to_list() == [False, True, True, True, False, False]
    assert out["note"].to_list() == [None] * 6
    assert out["reference"].to_list() == ["internal"] * 6
    assert out["value"].to_list() == HAND["value"].to_list()  # the value column is kept as given


def test_expression_builder_matches_frame_function():
    assert HAND.with_columns(lq=lq("value"))["lq"].to_list() == location_quotient(HAND)["lq"].to_list()


def test_threshold_is_inclusive():
    # B-x has LQ exactly 1.25 (hand example): specialised at 1.25, not at 1.3; A-z (4/3) at both.
    at_125 = location_quotient(HAND, threshold=1.25)["specialised"].to_list()
    at_130 = location_quotient(HAND, threshold=1.3)["specialised"].to_list()
    assert at_125 == [False, True, True, True, False, False]
    assert at_130 == [False, True, True, False, False, False]
    with pytest.raises(IndexInputInvalid):
        location_quotient(HAND, threshold=float("nan"))


def test_zero_and_null_notes():
    # A: x 10, y 30, w 0, v None   B: x 30, y 10, w 0, v 5   C: x 0, y 0 (region total 0)
    # e_A = 40 (the null is not counted), e_B = 45, e_C = 0, e = 85; e_x = 40, e_y = 40, e_w = 0, e_v = 5.
    df = frame(
        [
            ("A", "x", 10), ("A", "y", 30), ("A", "w", 0), ("A", "v", None),
            ("B", "x", 30), ("B", "y", 10), ("B", "w", 0), ("B", "v", 5),
            ("C", "x", 0), ("C", "y", 0),
        ]
    )  # fmt: skip
    out = location_quotient(df)
    notes, got = cells(out, "note"), cells(out, "lq")
    assert notes[("A", "v")] == "value not reported"
    assert notes[("A", "w")] == "industry total is 0"  # 0/0: null, not EconGeo's 0
    assert notes[("C", "x")] == "region total is 0"
    assert notes[("A", "x")] is None
    assert got[("A", "v")] is None and got[("A", "w")] is None and got[("C", "x")] is None
    # A-x: (10/40)/(40/85) = 0.25 * 85/40 = 0.53125; B-v: (5/45)/(5/85) = 85/45
    assert got[("A", "x")] == pytest.approx(0.53125)
    assert got[("B", "v")] == pytest.approx(85 / 45)
    row = out.filter(region_code="A", industry_code="v").row(0, named=True)
    assert row["region_total"] == 40.0 and row["specialised"] is None and row["lq_additive"] is None
    # A zero cell with positive totals is defined: (0/10)/(5/20) = 0, no note.
    z = location_quotient(frame([("A", "x", 0), ("A", "y", 10), ("B", "x", 5), ("B", "y", 5)]))
    assert z["lq"][0] == 0.0 and z["note"][0] is None and z["specialised"][0] is False
    # industry total 0 leaves the additive form defined: s_ri = 0 and s_i = 0
    assert out.filter(region_code="A", industry_code="w")["lq_additive"].item() == 0.0


def test_single_region_keeps_lq_one_with_warning():
    out = location_quotient(frame([("A", "x", 10), ("A", "y", 30)]))
    assert out["lq"].to_list() == [1.0, 1.0]
    assert out["note"].to_list() == ["single region: LQ is 1 by construction"] * 2
    # a second region that reported nothing does not count as a region
    out = location_quotient(frame([("A", "x", 10), ("A", "y", 30), ("B", "x", None)]))
    assert out["note"].to_list() == ["single region: LQ is 1 by construction"] * 2 + ["value not reported"]


def test_by_partitions_are_independent():
    other_year = frame(
        [("A", "x", 5), ("A", "y", 5), ("B", "x", 1), ("B", "y", 9), ("C", "x", 7), ("C", "y", 0)]
    )
    both = pl.concat(
        [
            HAND.with_columns(year=pl.lit(2020)).select("year", pl.all().exclude("year")),
            other_year.with_columns(year=pl.lit(2021)).select("year", pl.all().exclude("year")),
        ]
    )
    out = location_quotient(both, by=["year"])
    assert out.columns == ["year", *OUTPUT_COLUMNS]
    assert_frame_equal(out.filter(year=2020).drop("year"), location_quotient(HAND))
    assert_frame_equal(out.filter(year=2021).drop("year"), location_quotient(other_year))


def test_input_not_mutated_and_errors():
    before = HAND.clone()
    location_quotient(HAND, threshold=2)
    assert_frame_equal(HAND, before)
    with pytest.raises(IndexInputInvalid, match="no column 'emp'"):
        location_quotient(HAND, value="emp")
    with pytest.raises(IndexInputInvalid, match="share their key"):
        location_quotient(pl.concat([HAND, HAND.head(1)]))


@pytest.mark.skipif(not USCMP_STATES.exists(), reason=f"shared real data not found at {USCMP_STATES}")
def test_reproduces_uscmp_traded_cluster_lqs():
    # Source: U.S. Cluster Mapping Project API, data year 2016 (shared/data/uscmp/SOURCE.txt): lq_tf of each
    # traded cluster in each of the 50 states. USCMP divides by the state's TRADED employment, so running the
    # internal LQ on the traded rows only (base = traded employment of the 50 states) reproduces it.
    data = pl.read_csv(USCMP_STATES, schema_overrides={"region_code_t": pl.String}, null_values=["NA"])
    traded = data.filter(pl.col("traded_b"))
    assert traded.height == 50 * 51
    out = location_quotient(traded, region="region_code_t", industry="cluster_code_t", value="emp_tl")
    both = out.join(
        traded.select("region_code_t", "cluster_code_t", "lq_tf"), on=["region_code_t", "cluster_code_t"]
    )
    assert both.height == 2550 and both["lq"].null_count() == 0
    # Zero employment: both LQs are exactly 0 (56 cells).
    zeros = both.filter(pl.col("lq_tf") == 0)
    assert zeros["lq"].to_list() == [0.0] * zeros.height
    positive = both.filter(pl.col("lq_tf") > 0).with_columns(
        rel=((pl.col("lq") - pl.col("lq_tf")) / pl.col("lq_tf")).abs(), ratio=pl.col("lq") / pl.col("lq_tf")
    )
    median_error = positive["rel"].median()
    assert median_error < 0.01, f"median relative error {median_error:.4%} over {positive.height} cells"
    # The residual is entirely in the national reference (USCMP's U.S. totals are not the 50-state sums):
    # within each cluster our LQ / lq_tf is the same constant for every state.
    spread = positive.group_by("cluster_code_t").agg(
        (pl.col("ratio").max() / pl.col("ratio").min() - 1).alias("s")
    )
    assert spread["s"].max() < 1e-6


# --- explicit reference economies -------------------------------------------------------------------------------


def nation(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["industry_code", "reference_value"], orient="row")


def region_total(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["region_code", "region_total"], orient="row")


def test_explicit_reference_hand_example():
    # City C lists x 20 and y 50 of its 100 employees (30 in unlisted industries); the nation has x 100, y 600 of
    # 1000. LQ_x = (20/100)/(100/1000) = 2; LQ_y = (50/100)/(600/1000) = 5/6.
    # additive "industry_share": s_ri − s_i = 0.2 − 0.1 = 0.1 and 0.5 − 0.6 = −0.1;
    # "region_share": e_ri/E_i − e_r/E = 20/100 − 100/1000 = 0.1 and 50/600 − 0.1 = −1/60.
    city = frame([("C", "x", 20), ("C", "y", 50)])
    options = dict(
        reference=nation([("x", 100), ("y", 600)]), reference_total=1000, region_totals=region_total([("C", 100)])
    )
    out = location_quotient(city, **options)
    assert out.columns == OUTPUT_COLUMNS
    assert out["lq"].to_list() == pytest.approx([2.0, 5 / 6], rel=1e-12)
    assert out["lq_additive"].to_list() == pytest.approx([0.1, -0.1], abs=1e-12)
    assert out["region_total"].to_list() == [100.0, 100.0]
    assert out["industry_total"].to_list() == [100.0, 600.0]
    assert out["total"].to_list() == [1000.0, 1000.0]
    assert out["reference"].to_list() == ["explicit", "explicit"]
    assert out["note"].to_list() == [None, None]  # a single region is no warning against an explicit reference
    region_share = location_quotient(city, additive="region_share", **options)
    assert region_share["lq_additive"].to_list() == pytest.approx([0.1, 50 / 600 - 0.1], abs=1e-12)
    # Without reference_total, E is the sum of the listed reference industries (700): LQ_x = 0.2/(100/700) = 1.4.
    no_total = location_quotient(city, reference=options["reference"], region_totals=options["region_totals"])
    assert no_total["lq"].to_list() == pytest.approx([1.4, 0.5 / (600 / 700)], rel=1e-12)
    # Without region_totals, e_r is the sum of the listed industries (70): LQ_x = (20/70)/(100/1000) = 20/7.
    listed = location_quotient(city, reference=options["reference"], reference_total=1000)
    assert listed["lq"].to_list() == pytest.approx([20 / 7, (50 / 70) / 0.6], rel=1e-12)


def test_explicit_reference_notes_and_errors():
    df = frame([("C", "x", 20), ("C", "y", 50), ("C", "w", 5), ("C", "z", 700)])
    ref = nation([("x", 100), ("y", 600), ("z", 0)])
    out = location_quotient(df, reference=ref, reference_total=1000)
    notes, got = cells(out, "note"), cells(out, "lq")
    assert notes[("C", "w")] == "industry not in the reference" and got[("C", "w")] is None
    assert notes[("C", "z")] == "industry total is 0" and got[("C", "z")] is None
    with_zero = location_quotient(df, reference=ref, reference_total=1000, zero_if_undefined=True)
    assert cells(with_zero, "lq")[("C", "z")] == 0.0
    assert cells(with_zero, "note")[("C", "z")] == "industry total is 0: written as 0 (zero_if_undefined)"
    assert cells(with_zero, "lq")[("C", "w")] is None  # not in the reference: stays null
    big = location_quotient(frame([("C", "x", 200)]), reference=nation([("x", 100)]), reference_total=1000)
    assert big["lq"].item() == pytest.approx(1000 / 100)  # (200/200)/(100/1000), kept, with a warning
    assert big["note"].item() == "value exceeds the reference industry total: check the reference"
    with pytest.raises(IndexInputInvalid, match="smaller than the sum"):
        location_quotient(df, reference=ref, reference_total=500)
    with pytest.raises(IndexInputInvalid, match="needs reference"):
        location_quotient(df, reference_total=1000)
    with pytest.raises(IndexInputInvalid, match="reference_value"):
        location_quotient(df, reference=ref.rename({"reference_value": "emp"}))
    with pytest.raises(IndexInputInvalid, match="additive"):
        location_quotient(df, additive="multiplicative")  # type: ignore[arg-type]


def test_explicit_reference_per_partition():
    # Two years with their own national figures; reference_total as a frame keyed by year.
    df = pl.DataFrame(
        {
            "year": [2020, 2020, 2021, 2021],
            "region_code": "C",
            "industry_code": ["x", "y"] * 2,
            "value": [10, 30, 20, 20],
        }
    )
    ref = pl.DataFrame(
        {"year": [2020, 2020, 2021, 2021], "industry_code": ["x", "y"] * 2, "reference_value": [50, 50, 40, 60]}
    )
    totals = pl.DataFrame({"year": [2020, 2021], "reference_total": [200, 400]})
    out = location_quotient(df, by=["year"], reference=ref, reference_total=totals)
    # 2020: (10/40)/(50/200) = 1, (30/40)/(50/200) = 3; 2021: (20/40)/(40/400) = 5, (20/40)/(60/400) = 10/3
    assert out["lq"].to_list() == pytest.approx([1.0, 3.0, 5.0, 10 / 3], rel=1e-12)
    assert out["total"].to_list() == [200.0, 200.0, 400.0, 400.0]


def test_explicit_reference_equal_to_the_frame_gives_the_internal_lq():
    ref = HAND.group_by("industry_code").agg(pl.col("value").sum().alias("reference_value"))
    explicit = location_quotient(HAND, reference=ref, reference_total=float(HAND["value"].sum()))
    assert explicit["lq"].to_list() == pytest.approx(HAND_LQ, rel=1e-12)
    assert explicit["lq_additive"].to_list() == pytest.approx(HAND_ADDITIVE, abs=1e-12)


def test_reat_locq_farhauer_kroell():
    # REAT 3.0.3 (cran/REAT; R/locq.R and man/locq.Rd as stored at 957099 = 3.0.0, unchanged in 3.0.3), first
    # example, run in R 4.2.2: locq(1714, 79006, 879213, 15593224) -> 0.384762342301328 (Rd: "0.3847623").
    out = location_quotient(
        frame([("j", "i", 1714)]),
        region_totals=region_total([("j", 79006)]),
        reference=nation([("i", 879213)]),
        reference_total=15593224,
    )
    assert out["lq"].item() == pytest.approx(0.384762342301328, rel=1e-14)


# REAT 3.0.3, man/locq.Rd example, run in R 4.2.2 on shared/data/reat/Goettingen.csv (sourced R/locq.R):
# locq(Goettingen$Goettingen2017[2:16], Goettingen$Goettingen2017[1], Goettingen$BRD2017[2:16], Goettingen$BRD2017[1])
GOETTINGEN_2017_LQ = {
    "A": 0.084076520150085626, "BDE": 0.40085663022720858, "C": 0.53687366137676218, "F": 0.343669284537853,
    "G": 0.74603540926606293, "H": 0.67117310724681567, "I": 0.98141915950874481, "J": 0.9165427746250705,
    "K": 0.82650178016269715, "M": 1.5302764545085488, "N": 0.95843423102029557, "O": 1.0350902663577151,
    "P": 2.7779085775988732, "Q": 1.674599674230441, "R": 0.35317012043262042,
}  # fmt: skip
# ... and with LQ.method = "a" (REAT's additive form e_ij/e_i − e_j/e: our additive="region_share"):
GOETTINGEN_2017_ADDITIVE = [
    -0.0019763062531413787, -0.0012927835286024036, -0.00099929688358415766, -0.0014161777982906868,
    -0.00054798443296400195, -0.00070951630637927946, -4.009224794358085e-05, -0.00018007730995751913,
    -0.00037436054901610928, 0.0011441880200632163, -8.9687283881706523e-05, 7.5714963479822997e-05,
    0.0038362285897486866, 0.0014555970928567326, -0.0013956776563006858,
]  # fmt: skip


def goettingen_2017() -> dict[str, pl.DataFrame]:
    data = pl.read_csv(shared_data("reat", "Goettingen.csv"))
    total, sectors = data.row(0, named=True), data.slice(1)  # row 1 is the total A-R (REAT's [1]), then [2:16]
    assert total["WZ2008_Code"] == "A-R" and sectors.height == 15
    return {
        "frame": sectors.select(region_code=pl.lit("Goettingen"), industry_code="WZ2008_Code", value="Goettingen2017"),
        "region_totals": region_total([("Goettingen", total["Goettingen2017"])]),
        "reference": sectors.select(industry_code="WZ2008_Code", reference_value="BRD2017"),
        "reference_total": total["BRD2017"],
    }


def test_reat_locq_goettingen_explicit_reference():
    g = goettingen_2017()
    # The Goettingen total (69403) is larger than its 15 listed sectors (67283): the explicit region total matters.
    assert g["frame"]["value"].sum() == 67283 and g["region_totals"]["region_total"].item() == 69403
    out = location_quotient(
        g["frame"], region_totals=g["region_totals"], reference=g["reference"], reference_total=g["reference_total"]
    )
    expected = [GOETTINGEN_2017_LQ[code] for code in out["industry_code"]]
    assert out["lq"].to_list() == pytest.approx(expected, rel=1e-13)  # max abs difference 4.4e-16
    assert out["reference"].unique().to_list() == ["explicit"] and out["note"].null_count() == 15
    assert out["specialised"].sum() == 4  # M, O, P, Q
    additive = location_quotient(
        g["frame"], region_totals=g["region_totals"], reference=g["reference"],
        reference_total=g["reference_total"], additive="region_share",
    )  # fmt: skip
    assert additive["lq_additive"].to_list() == pytest.approx(GOETTINGEN_2017_ADDITIVE, rel=1e-12, abs=1e-18)
    # The listed sectors alone as e_r (REAT would need sum(Goettingen2017[2:16]) as e_j) give other LQs:
    listed = location_quotient(g["frame"], reference=g["reference"], reference_total=g["reference_total"])
    assert listed["lq"][0] == pytest.approx(GOETTINGEN_2017_LQ["A"] * 69403 / 67283, rel=1e-12)


# REAT 3.0.3, man/locq2.Rd example, run in R 4.2.2 on shared/data/reat/G_regions_industries.csv (sourced R/locq2.R):
# lqs <- locq2(e_ij = G.regions.industries$emp_all, G.regions.industries$ind_code, G.regions.industries$region_code,
# LQ.output = "df"); lqs_sort[1:5,] (the five largest), and every LQ of Berlin (BE):
LOCQ2_TOP5 = {
    ("BE", "WZ08-R"): 2.5559510168210955, ("BB", "WZ08-B"): 2.5314363494944256, ("ST", "WZ08-B"): 2.4654330717698958,
    ("BE", "WZ08-L"): 2.1322095980785623, ("HH", "WZ08-J"): 1.9266912566866119,
}  # fmt: skip
LOCQ2_BERLIN = {
    "WZ08-B": 0.040309013407094717, "WZ08-C": 0.37224900433650243, "WZ08-D": 0.4672107868927845,
    "WZ08-E": 1.3012883455678868, "WZ08-F": 0.771601213377341, "WZ08-G": 0.83133221383732947,
    "WZ08-H": 0.87982227851771899, "WZ08-I": 1.3556129893071551, "WZ08-J": 1.7833403895238342,
    "WZ08-K": 0.76630599973952729, "WZ08-L": 2.1322095980785623, "WZ08-M": 1.3988020507734613,
    "WZ08-N": 1.2426116217030394, "WZ08-P": 1.3884215729110403, "WZ08-Q": 1.0932990247518628,
    "WZ08-R": 2.5559510168210955, "WZ08-S": 1.3259617701832758,
}  # fmt: skip


def test_reat_locq2_german_laender_internal_reference():
    data = pl.read_csv(shared_data("reat", "G_regions_industries.csv"))
    out = location_quotient(data, region="region_code", industry="ind_code", value="emp_all")
    assert out.height == 272 and out["lq"].null_count() == 0 and out["reference"].unique().to_list() == ["internal"]
    top = out.sort("lq", descending=True).head(5)
    assert {(r, i): v for r, i, v in top.select("region_code", "ind_code", "lq").iter_rows()} == pytest.approx(
        LOCQ2_TOP5, rel=1e-13
    )
    berlin = {i: v for i, v in out.filter(region_code="BE").select("ind_code", "lq").iter_rows()}
    assert berlin == pytest.approx(LOCQ2_BERLIN, rel=1e-13)


# EconGeo 2.x (PABalland/EconGeo@40081a9, DESCRIPTION 2.0), R/location_quotient.r roxygen example, run in R 4.2.2:
# location_quotient(mat) and location_quotient(mat, binary = TRUE) on the 5 x 5 matrix written in the example.
ECONGEO_MAT = [[100, 0, 0, 0, 0], [0, 15, 5, 70, 10], [0, 20, 10, 20, 50], [0, 25, 30, 5, 40], [0, 40, 55, 5, 0]]
ECONGEO_LQ = [
    [5, 0, 0, 0, 0],
    [0, 0.74999999999999989, 0.25, 3.4999999999999996, 0.5],
    [0, 1.0, 0.5, 1.0, 2.5],
    [0, 1.25, 1.4999999999999998, 0.25, 2.0],
    [0, 2.0, 2.75, 0.25, 0],
]
ECONGEO_BINARY = [[1, 0, 0, 0, 0], [0, 0, 0, 1, 0], [0, 1, 0, 1, 1], [0, 1, 1, 0, 1], [0, 1, 1, 0, 0]]


def matrix_frame(mat: list[list[float]]) -> pl.DataFrame:
    rows = [(f"R{r + 1}", f"I{i + 1}", v) for r, row in enumerate(mat) for i, v in enumerate(row)]
    return frame(rows)


def test_econgeo_location_quotient_example():
    out = location_quotient(matrix_frame(ECONGEO_MAT))
    assert out["lq"].to_list() == pytest.approx([v for row in ECONGEO_LQ for v in row], rel=1e-15, abs=0)
    # EconGeo's binary: lq < 1 -> 0, lq > 1 -> 1, and an LQ of exactly 1 stays 1 (R3-I2, R3-I4): our lq >= 1.
    assert out["specialised"].cast(pl.Int64).to_list() == [v for row in ECONGEO_BINARY for v in row]


def test_econgeo_writes_zero_for_undefined():
    # EconGeo sets every NaN (0/0) to 0; zero_if_undefined=True does the same and keeps the reason in the note.
    # Hand example: R1 all zero (region total 0); industry I3 zero everywhere (industry total 0).
    df = matrix_frame([[0, 0, 0], [10, 30, 0], [30, 10, 0]])
    default = location_quotient(df)
    as_econgeo = location_quotient(df, zero_if_undefined=True)
    undefined = default["lq"].is_null()
    assert undefined.to_list() == [True, True, True, False, False, True, False, False, True]
    assert as_econgeo.filter(undefined)["lq"].to_list() == [0.0] * 5
    assert as_econgeo.filter(undefined)["specialised"].to_list() == [False] * 5
    assert as_econgeo["note"][0] == "region total is 0: written as 0 (zero_if_undefined)"
    assert as_econgeo.filter(~undefined)["lq"].to_list() == default.filter(~undefined)["lq"].to_list()


# --- LQ change -------------------------------------------------------------------------------------------------


def test_lq_change_hand_example_and_notes():
    # 2015 is HAND (A: x 0.25, y 2, z 4/3; B: x 1.25, y 2/3, z 8/9). 2020: A x 20 y 30 z 50 | B x 100 y 50 z 150,
    # e_A = 100, e_B = 300, e_x = 120, e_y = 80, e_z = 200, e = 400:
    # LQ A-x = 0.2/0.3 = 2/3, A-y = 0.3/0.2 = 1.5, A-z = 0.5/0.5 = 1; B-x = (1/3)/0.3 = 10/9, B-y = (1/6)/0.2 = 5/6,
    # B-z = 0.5/0.5 = 1. Change A-x = 2/3 − 1/4 = 5/12, relative 5/12 / (1/4) = 5/3.
    later = frame([("A", "x", 20), ("A", "y", 30), ("A", "z", 50), ("B", "x", 100), ("B", "y", 50), ("B", "z", 150)])
    both = pl.concat([HAND.with_columns(year=pl.lit(2015)), later.with_columns(year=pl.lit(2020))])
    out = lq_change(both, start=2015, end=2020)
    assert out.columns == [
        "region_code", "industry_code", "lq_start", "lq_end", "lq_change", "lq_change_relative", "reference", "note"
    ]  # fmt: skip
    end = [2 / 3, 1.5, 1.0, 10 / 9, 5 / 6, 1.0]
    assert out["lq_start"].to_list() == pytest.approx(HAND_LQ, rel=1e-12)
    assert out["lq_end"].to_list() == pytest.approx(end, rel=1e-12)
    assert out["lq_change"].to_list() == pytest.approx([b - a for a, b in zip(HAND_LQ, end, strict=True)], rel=1e-12)
    assert out["lq_change_relative"][0] == pytest.approx(5 / 3, rel=1e-12)
    assert out["note"].to_list() == [None] * 6
    # Notes where either LQ is null: a missing row, a zero industry, a zero start LQ.
    gaps = pl.concat(
        [
            frame([("A", "x", 0), ("A", "y", 10), ("B", "x", 0), ("B", "y", 30), ("A", "w", 5)]).with_columns(
                year=pl.lit(1)
            ),
            frame([("A", "x", 5), ("A", "y", 10), ("B", "x", 5), ("B", "y", 30)]).with_columns(year=pl.lit(2)),
        ]
    )
    notes = cells(lq_change(gaps, start=1, end=2), "note")
    assert notes[("A", "x")] == "1: industry total is 0"
    assert notes[("A", "w")] == "2: no row"
    with pytest.raises(IndexInputInvalid, match="same period"):
        lq_change(gaps, start=1, end=1)


def test_lq_change_relative_undefined_from_zero():
    # Start: A-x 0 with positive totals (LQ 0, defined); end: A-x 10 -> LQ (10/20)/(20/60) = 1.5.
    df = pl.concat(
        [
            frame([("A", "x", 0), ("A", "y", 10), ("B", "x", 10), ("B", "y", 10)]).with_columns(year=pl.lit(1)),
            frame([("A", "x", 10), ("A", "y", 10), ("B", "x", 10), ("B", "y", 30)]).with_columns(year=pl.lit(2)),
        ]
    )
    row = lq_change(df, start=1, end=2).row(0, named=True)
    assert row["lq_start"] == 0.0 and row["lq_end"] == pytest.approx(1.5)
    assert row["lq_change"] == pytest.approx(1.5) and row["lq_change_relative"] is None
    assert row["note"] == "1: LQ is 0, the relative change is undefined"


def test_explicit_reference_one_number_for_every_partition():
    # The same national total (1000) for both years; each year's own reference industries.
    df = pl.DataFrame({"year": [1, 2], "region_code": "C", "industry_code": "x", "value": [10, 20]})
    ref = pl.DataFrame({"year": [1, 2], "industry_code": "x", "reference_value": [100, 400]})
    out = location_quotient(df, by=["year"], reference=ref, reference_total=1000)
    # (10/10)/(100/1000) = 10; (20/20)/(400/1000) = 2.5
    assert out["lq"].to_list() == pytest.approx([10.0, 2.5])
    with pytest.raises(IndexInputInvalid, match="smaller than the sum"):
        location_quotient(df, by=["year"], reference=ref, reference_total=300)


def test_lq_change_against_an_explicit_reference():
    # City C against the nation in two years; the reference frames carry the year column.
    # 2015: (20/100)/(100/1000) = 2;  2020: (30/100)/(200/1000) = 1.5 -> change −0.5, relative −0.25.
    df = pl.DataFrame({"year": [2015, 2020], "region_code": "C", "industry_code": "x", "value": [20, 30]})
    ref = pl.DataFrame({"year": [2015, 2020], "industry_code": "x", "reference_value": [100, 200]})
    totals = pl.DataFrame({"year": [2015, 2020], "reference_total": [1000, 1000]})
    regions = pl.DataFrame({"year": [2015, 2020], "region_code": "C", "region_total": [100, 100]})
    row = lq_change(
        df, start=2015, end=2020, reference=ref, reference_total=totals, region_totals=regions
    ).row(0, named=True)
    assert (row["lq_start"], row["lq_end"]) == pytest.approx((2.0, 1.5))
    assert (row["lq_change"], row["lq_change_relative"]) == pytest.approx((-0.5, -0.25))
    assert row["reference"] == "explicit" and row["note"] is None
