"""Location quotient: hand-worked examples, notes, partitions, and USCMP's published cluster LQs."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipeline.indices import IndexInputInvalid, location_quotient, lq

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
